//! `onboard status`: the checklist per gate. Each gate is judged by its own policy: the engine
//! lints the repository once per gate, and every checklist item takes its state from the rules
//! that serve it in that run. An item that no rule checked is `unknown`, never `pass`.

use crate::engine::{self, Options, Setup};
use crate::finding::{Finding, Gate, Item, Level};
use crate::outcome::Report;
use crate::rules::{self, Rule};
use crate::workspace::{RepositoryInfo, WorkspaceError};
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Rules serving the item ran at this gate and found nothing at deny level.
    Pass,
    /// At least one deny-level finding that no waiver silenced.
    Fail,
    /// Deny-level findings, all silenced by waivers.
    Waived,
    /// No rule checked the item: none exists yet, or the gate's policy turns them off.
    Unknown,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pass => "pass",
            State::Fail => "fail",
            State::Waived => "waived",
            State::Unknown => "unknown",
        }
    }
}

/// One checklist item as judged by one gate's policy.
#[derive(Debug, Clone)]
pub struct ItemStatus {
    pub item: Item,
    pub state: State,
    /// Why the item is `unknown`.
    pub reason: Option<String>,
    /// The rules serving the item that ran at this gate.
    pub rules: Vec<&'static Rule>,
    /// Every finding of the item at this gate: active ones (deny and warn) and waived ones.
    pub findings: Vec<Finding>,
    /// What the rules serving the item said besides findings: evidence, "could not judge".
    pub notes: Vec<rules::Note>,
    /// Rules of this item's findings whose level differs by gate, with the level at each gate
    /// (`missing-onboarding-file: warn at ci-extensions, deny at ci-extensions-release`).
    pub by_gate: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct GateStatus {
    pub gate: Gate,
    pub passed: bool,
    /// Why the gate is not passed.
    pub reason: Option<String>,
    /// The gate's own checklist items, then `config` (which every gate has).
    pub items: Vec<ItemStatus>,
    /// Items of other gates with deny findings under this gate's policy that their own gate
    /// does not deny (the level is stricter here, or this gate's policy already checks a later
    /// gate's item); their `findings` are those alone.
    pub other_items: Vec<ItemStatus>,
}

pub struct Status {
    pub repository: RepositoryInfo,
    /// Who the plugin is, as the first gate's facts read it.
    pub plugin: Box<Plugin>,
    pub gates: Vec<GateStatus>,
}

/// What names the plugin and where it stands, besides the checklist: what a list of many
/// plugins (`onboard board`) shows on each row.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Plugin {
    /// The manifest's `id`; `null` without a readable manifest.
    pub id: Option<String>,
    /// The manifest's `name`.
    pub name: Option<String>,
    /// `owner` in `.onboarding.yml`: `mattermost`, `partner` or `community`.
    pub owner: Option<String>,
    /// The highest release tag (no pre-release part) and its date; `null` without one.
    pub latest_release: Option<Release>,
    /// Where the `origin` remote points, as its URL reads; `null` without one.
    pub forge: Option<crate::git::Forge>,
    /// Review, QA and PM/UX records after whose commit production code changed.
    pub stale_records: Vec<StaleRecord>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Release {
    pub tag: String,
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StaleRecord {
    /// `review`, `qa` or `pm-ux`.
    pub kind: String,
    pub by: String,
    /// The commit the record covers, short.
    pub commit: Option<String>,
    /// The production files changed since that commit.
    pub changed: Vec<String>,
}

impl Plugin {
    /// Puts `prefix` (`plugins/foo/`) before the paths it names, as the repository names them.
    fn relocated(mut self, prefix: &str) -> Plugin {
        for r in &mut self.stale_records {
            r.changed
                .iter_mut()
                .for_each(|p| *p = format!("{prefix}{p}"));
        }
        self
    }

    pub fn of(facts: &crate::facts::Facts) -> Plugin {
        use crate::facts::manifest::ManifestFact;
        let (id, name) = match facts.manifest() {
            ManifestFact::Found(m) => (
                m.id.as_ref().map(|v| v.value.clone()),
                m.name.as_ref().map(|v| v.value.clone()),
            ),
            _ => (None, None),
        };
        let owner = facts
            .onboarding()
            .config()
            .and_then(|c| c.owner.as_ref())
            .map(|o| o.value.to_string());
        let release = facts.release();
        let latest_release = release
            .highest_release
            .as_ref()
            .and_then(|t| release.tag(t))
            .map(|t| Release {
                tag: t.name.clone(),
                date: t.date.clone(),
            });
        let forge = facts
            .workspace()
            .repo()
            .and_then(crate::git::Forge::of_origin);
        let settings = facts.settings();
        let stale_records = facts
            .records()
            .records
            .iter()
            .filter_map(|r| {
                let changed = settings.production_paths(&r.changed_since);
                (!changed.is_empty()).then(|| StaleRecord {
                    kind: r.kind.to_string(),
                    by: r.by.clone(),
                    commit: r
                        .commit
                        .as_deref()
                        .map(|c| crate::workspace::names::short_id(c).to_string()),
                    changed: changed.into_iter().map(String::from).collect(),
                })
            })
            .collect();
        Plugin {
            id,
            name,
            owner,
            latest_release,
            forge,
            stale_records,
        }
    }
}

impl Status {
    /// The highest gate passed, with every gate before it.
    pub fn highest_passed(&self) -> Option<Gate> {
        self.gates
            .iter()
            .take_while(|g| g.passed)
            .last()
            .map(|g| g.gate)
    }
}

pub enum Outcome {
    Ready(Status),
    /// Configuration problems: the report of the first gate that hit them; exit 2.
    Invalid(Box<Report>),
}

/// The items a gate's checklist shows: its own, then `config`.
pub fn items_of(gate: Gate) -> Vec<Item> {
    Item::ALL
        .iter()
        .copied()
        .filter(|i| i.gate() == gate && *i != Item::Config)
        .chain([Item::Config])
        .collect()
}

/// Runs the engine once per gate, each with that gate's policy and the options' policy files
/// and overrides.
pub fn compute(opts: &Options) -> Result<Outcome, WorkspaceError> {
    Ok(compute_with(&engine::open(opts)?, opts))
}

/// As [`compute`], over a repository already opened: gates whose policies set the same
/// settings read the same facts, computed once; a gate whose policy sets other settings gets
/// facts built with its own.
pub fn compute_with(opened: &engine::Opened, opts: &Options) -> Outcome {
    let mut reports = Vec::new();
    let mut plugin = None;
    // Paths are printed as the repository names them, as `lint` prints them: relative to the
    // git work tree's root when the plugin is in a folder of it.
    let prefix = crate::workspace::root::prefix(&opts.path);
    for &gate in Gate::ALL {
        let opts = Options {
            gate: Some(gate),
            ..opts.clone()
        };
        match engine::prepare_with(opened, &opts) {
            Setup::Ready(p) => {
                plugin.get_or_insert_with(|| Plugin::of(&p.facts).relocated(&prefix));
                reports.push(engine::lint(&p).relocated(&prefix))
            }
            Setup::Invalid {
                gate,
                facts,
                errors,
            } => {
                return Outcome::Invalid(Box::new(
                    Report::config_errors(gate, facts.repository(), errors).relocated(&prefix),
                ))
            }
        }
    }
    let repository = reports[0].repository.clone();
    let mut gates: Vec<GateStatus> = Vec::new();
    for report in &reports {
        let gate = report.gate;
        let items: Vec<ItemStatus> = items_of(gate)
            .into_iter()
            .map(|i| judge(report, i))
            .collect();
        let own = items_of(gate);
        let other_items: Vec<ItemStatus> = Item::ALL
            .iter()
            .filter(|i| !own.contains(i))
            .map(|&i| judge(report, i))
            .filter(|s| s.state == State::Fail)
            // Only what this gate adds: deny findings the item's own gate did not have.
            .filter_map(|mut s| {
                let before: std::collections::BTreeSet<_> = gates
                    .iter()
                    .flat_map(|g| &g.items)
                    .filter(|o| o.item == s.item)
                    .flat_map(|o| o.findings.iter().filter(|f| is_denied(f)))
                    .map(Finding::sort_key)
                    .collect();
                s.findings
                    .retain(|f| is_denied(f) && !before.contains(&f.sort_key()));
                (!s.findings.is_empty()).then_some(s)
            })
            .collect();
        let previous_passed = gates.last().is_none_or(|g| g.passed);
        let failing = items.iter().filter(|s| s.state == State::Fail).count();
        let unknown = items.iter().filter(|s| s.state == State::Unknown).count();
        let mut parts = Vec::new();
        if !previous_passed {
            parts.push(format!(
                "{} is not passed",
                gates.last().map_or("the gate before", |g| g.gate.as_str())
            ));
        }
        {
            if failing > 0 {
                parts.push(format!("{failing} {} failing", noun(failing)));
            }
            if unknown > 0 {
                parts.push(format!("{unknown} {} unknown", noun(unknown)));
            }
            if !other_items.is_empty() {
                parts.push(format!(
                    "{} {} of other gates failing under this gate's policy",
                    other_items.len(),
                    noun(other_items.len())
                ));
            }
        }
        let reason = (!parts.is_empty()).then(|| parts.join("; "));
        debug_assert!(
            reason.is_some() || report.exit_code() == 0,
            "a passed gate has no deny finding"
        );
        gates.push(GateStatus {
            gate,
            passed: reason.is_none(),
            reason,
            items,
            other_items,
        });
    }
    levels_by_gate(&mut gates);
    Outcome::Ready(Status {
        repository,
        plugin: Box::new(plugin.unwrap_or_default()),
        gates,
    })
}

/// Notes, on every item, the rules whose findings have another level under another gate: the
/// same finding is a warning at one gate and fails the item at the next.
fn levels_by_gate(gates: &mut [GateStatus]) {
    let level_at = |g: &GateStatus, item: Item, code: &str| {
        g.items.iter().find(|s| s.item == item).and_then(|s| {
            s.findings
                .iter()
                .filter(|f| f.code == code && f.waived.is_none())
                .map(|f| f.level)
                .max_by_key(|l| *l == Level::Deny)
        })
    };
    let mut notes: Vec<Vec<Vec<String>>> = Vec::new();
    for g in gates.iter() {
        let mut per_item = Vec::new();
        for s in &g.items {
            let mut codes: Vec<(&str, &str)> = s
                .findings
                .iter()
                .filter(|f| f.waived.is_none())
                .map(|f| (f.code, f.rule))
                .collect();
            codes.dedup();
            let mut out = Vec::new();
            for (code, rule) in codes {
                let levels: Vec<(Gate, Option<Level>)> = gates
                    .iter()
                    .filter(|o| o.items.iter().any(|i| i.item == s.item))
                    .map(|o| (o.gate, level_at(o, s.item, code)))
                    .collect();
                let first = levels.first().map(|l| l.1);
                if levels.iter().all(|l| Some(l.1) == first) {
                    continue;
                }
                // `warn at ci-extensions, deny from ci-extensions-release`
                let mut list: Vec<String> = Vec::new();
                let mut last = None;
                for (i, (gate, l)) in levels.iter().enumerate() {
                    if last == Some(*l) {
                        continue;
                    }
                    last = Some(*l);
                    let word = if i == 0 || i + 1 == levels.len() {
                        "at"
                    } else {
                        "from"
                    };
                    list.push(format!(
                        "{} {word} {gate}",
                        l.map_or("allow", |l| l.as_str())
                    ));
                }
                let text = format!("{rule}: {}", list.join(", "));
                if !out.contains(&text) {
                    out.push(text);
                }
            }
            per_item.push(out);
        }
        notes.push(per_item);
    }
    for (g, per_item) in gates.iter_mut().zip(notes) {
        for (s, n) in g.items.iter_mut().zip(per_item) {
            s.by_gate = n;
        }
    }
}

fn is_denied(f: &Finding) -> bool {
    f.level == Level::Deny && f.waived.is_none()
}

fn noun(n: usize) -> &'static str {
    if n == 1 {
        "item"
    } else {
        "items"
    }
}

/// One item's state from one gate's lint report.
pub fn judge(report: &Report, item: Item) -> ItemStatus {
    let rules: Vec<&'static Rule> = report
        .rules_run
        .iter()
        .filter_map(|code| rules::find(code))
        .filter(|r| r.item == item)
        .collect();
    let findings: Vec<Finding> = report
        .findings
        .iter()
        .filter(|f| f.item == item)
        .cloned()
        .collect();
    let notes: Vec<rules::Note> = report
        .notes
        .iter()
        .filter(|n| n.item == item)
        .cloned()
        .collect();
    let unknown: Vec<&str> = notes
        .iter()
        .filter(|n| n.kind == rules::NoteKind::Unknown)
        .map(|n| n.text.as_str())
        .collect();
    let denied = |waived: bool| {
        findings
            .iter()
            .any(|f| f.level == Level::Deny && f.waived.is_some() == waived)
    };
    let (state, reason) = if denied(false) {
        (State::Fail, None)
    } else if !unknown.is_empty() {
        let mut reasons = unknown.clone();
        reasons.dedup();
        (State::Unknown, Some(reasons.join("; ")))
    } else if rules.is_empty() && findings.is_empty() {
        (State::Unknown, Some(unknown_reason(item)))
    } else if denied(true) {
        (State::Waived, None)
    } else {
        (State::Pass, None)
    };
    ItemStatus {
        item,
        state,
        reason,
        rules,
        findings,
        notes,
        by_gate: Vec::new(),
    }
}

fn unknown_reason(item: Item) -> String {
    let existing: Vec<&str> = rules::REGISTRY
        .iter()
        .filter(|r| r.item == item)
        .map(|r| r.name)
        .collect();
    if !existing.is_empty() {
        return format!(
            "its rules are turned off (allow) at this gate: {}",
            existing.join(", ")
        );
    }
    let what = match item {
        Item::BasicReview | Item::CompleteReview => "a core committer's review",
        Item::ReviewDiff => "the size of the reviewable code",
        Item::CiMaster => "CI building master and `ci.master_build_url`",
        Item::Licence => "the licence",
        Item::Qa | Item::QaRelease => "the QA pass",
        Item::PmUx => "the PM/UX review",
        Item::Release => "the release tag",
        Item::CiRelease => "CI building releases and `ci.release_build_url`",
        Item::Marketplace => "the Marketplace's requirements",
        Item::Config => "onboard's configuration",
    };
    format!("no rule checks {what} yet")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_shown_at_its_own_gate_and_config_at_every_gate() {
        let mut seen = Vec::new();
        for &gate in Gate::ALL {
            let items = items_of(gate);
            assert_eq!(items.last(), Some(&Item::Config), "{gate}");
            seen.extend(items.into_iter().filter(|i| *i != Item::Config));
        }
        seen.push(Item::Config);
        seen.sort();
        let mut all = Item::ALL.to_vec();
        all.sort();
        assert_eq!(seen, all);
    }

    #[test]
    fn an_item_no_rule_checked_is_unknown_not_pass() {
        let info = crate::workspace::RepositoryInfo::plain_directory(".");
        let report = Report::new(Gate::CiExtensions, &info, Vec::new(), vec!["OB201"]);
        let licence = judge(&report, Item::Licence);
        assert_eq!(licence.state, State::Pass);
        assert_eq!(licence.rules.len(), 1);
        let diff = judge(&report, Item::ReviewDiff);
        assert_eq!(diff.state, State::Unknown);
        assert!(diff.reason.unwrap().contains("review-size"));
        let market = judge(&report, Item::Marketplace);
        assert_eq!(market.state, State::Unknown);
        assert!(
            market.reason.unwrap().contains("missing-marketplace-field"),
            "names the rules the gate turns off"
        );
    }

    fn note(kind: rules::NoteKind, text: &str) -> rules::Note {
        rules::Note {
            code: "OB201",
            rule: "missing-licence-file",
            item: Item::Licence,
            kind,
            text: text.into(),
            location: None,
        }
    }

    #[test]
    fn a_rule_that_could_not_judge_makes_its_item_unknown_with_its_reason() {
        let info = crate::workspace::RepositoryInfo::plain_directory(".");
        let mut report = Report::new(Gate::CiExtensions, &info, Vec::new(), vec!["OB201"]);
        report.notes = vec![
            note(rules::NoteKind::Evidence, "LICENSE is MIT"),
            note(rules::NoteKind::Unknown, "the clone is shallow"),
        ];
        let licence = judge(&report, Item::Licence);
        assert_eq!(licence.state, State::Unknown);
        assert_eq!(licence.reason.as_deref(), Some("the clone is shallow"));
        assert_eq!(licence.notes.len(), 2);

        report.notes.pop();
        let licence = judge(&report, Item::Licence);
        assert_eq!(licence.state, State::Pass, "evidence alone passes");
        let other = judge(&report, Item::ReviewDiff);
        assert!(other.notes.is_empty(), "notes stay with their item");
    }
}
