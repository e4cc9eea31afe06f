//! The per-gate checklist of `onboard status`: an aligned table for a terminal, a Markdown table
//! for a pull request or a job summary, and versioned JSON (`schemas/status.schema.json`).

use super::escape;
use super::human::Style;
use super::json::{self, JsonFinding, JsonLocation, Target, Tool};
use super::markdown::cell;
use crate::finding::{Gate, Item, Level, Location};
use crate::rules::{Note, NoteKind};
use crate::status::{GateStatus, ItemStatus, State, Status};
use schemars::JsonSchema;
use serde::Serialize;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, JsonSchema)]
#[schemars(title = "onboard status")]
pub struct JsonStatus {
    /// Version of this format.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    pub tool: Tool,
    pub target: Target,
    /// Who the plugin is: its id, name, owner, latest release, forge and stale records.
    pub plugin: crate::status::Plugin,
    /// The highest gate passed along with every gate before it; `null`: none.
    pub highest_passed: Option<Gate>,
    /// Every gate, in order.
    pub gates: Vec<JsonGate>,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonGate {
    pub id: Gate,
    /// Every item of this gate passed or is waived, no item of another gate fails under this
    /// gate's policy, and the gate before is passed.
    pub passed: bool,
    /// Why the gate is not passed; `null` when it is.
    pub reason: Option<String>,
    /// The gate's own checklist items, then `config`, judged by this gate's policy.
    pub items: Vec<JsonItem>,
    /// Items of other gates with deny findings under this gate's policy that their own gate
    /// does not deny (the level is stricter here, or this gate's policy already checks a later
    /// gate's item); their `findings` are those alone.
    pub other_items: Vec<JsonItem>,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonItem {
    pub id: Item,
    pub state: State,
    /// Why the item is `unknown`; `null` otherwise.
    pub reason: Option<String>,
    /// What a `pass` or `waived` rests on: rules that ran and found nothing, waivers.
    pub evidence: Vec<JsonEvidence>,
    /// The item's findings at this gate: active (deny and warn) and waived.
    pub findings: Vec<JsonFinding>,
    /// What the item's rules could not judge: an `unknown` item's `reason` joins their texts; on
    /// a failing item they are what its rules could not judge besides (often a consequence of
    /// the failure: no CI configuration, no release tag).
    pub unjudged: Vec<JsonUnjudged>,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonUnjudged {
    /// The rule's code.
    pub code: String,
    /// The rule's name.
    pub rule: String,
    /// Why it could not judge.
    pub text: String,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    /// A rule serving the item ran at this gate and found nothing; `text` says what it saw
    /// when the rule said (a tag, a record), else that it found nothing.
    Rule,
    /// A waiver in `.onboarding.yml` silenced a deny-level finding of the item.
    Waiver,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonEvidence {
    pub kind: EvidenceKind,
    /// The rule's code.
    pub code: String,
    /// The rule's name.
    pub rule: String,
    pub text: String,
    /// Where the evidence is written (the waiver); `null` for a rule that ran.
    pub location: Option<JsonLocation>,
}

fn evidence(s: &ItemStatus) -> Vec<JsonEvidence> {
    let mut out: Vec<JsonEvidence> = Vec::new();
    // An item that could not be judged rests on nothing; its reason says why.
    if s.state == State::Unknown {
        return out;
    }
    for r in s
        .rules
        .iter()
        .filter(|r| !s.findings.iter().any(|f| f.code == r.code))
    {
        let said: Vec<&Note> = s
            .notes
            .iter()
            .filter(|n| n.code == r.code && n.kind == NoteKind::Evidence)
            .collect();
        if said.is_empty() {
            out.push(JsonEvidence {
                kind: EvidenceKind::Rule,
                code: r.code.into(),
                rule: r.name.into(),
                text: format!("{} ran and found nothing", r.name),
                location: None,
            });
        }
        out.extend(said.into_iter().map(|n| JsonEvidence {
            kind: EvidenceKind::Rule,
            code: r.code.into(),
            rule: r.name.into(),
            text: n.text.clone(),
            location: n.location.as_ref().map(json::location),
        }));
    }
    for f in &s.findings {
        if let Some(w) = &f.waived {
            if f.level == Level::Deny {
                out.push(JsonEvidence {
                    kind: EvidenceKind::Waiver,
                    code: f.code.into(),
                    rule: f.rule.into(),
                    text: w.reason.clone(),
                    location: Some(json::location(&w.location)),
                });
            }
        }
    }
    out
}

fn item(s: &ItemStatus) -> JsonItem {
    JsonItem {
        id: s.item,
        state: s.state,
        reason: s.reason.clone(),
        evidence: evidence(s),
        findings: s.findings.iter().map(|f| json::finding(f, None)).collect(),
        unjudged: s
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Unknown)
            .map(|n| JsonUnjudged {
                code: n.code.into(),
                rule: n.rule.into(),
                text: n.text.clone(),
            })
            .collect(),
    }
}

pub fn build(status: &Status) -> JsonStatus {
    JsonStatus {
        version: FORMAT_VERSION,
        tool: Tool::this(),
        target: Target::of(&status.repository),
        plugin: (*status.plugin).clone(),
        highest_passed: status.highest_passed(),
        gates: status
            .gates
            .iter()
            .map(|g| JsonGate {
                id: g.gate,
                passed: g.passed,
                reason: g.reason.clone(),
                items: g.items.iter().map(item).collect(),
                other_items: g.other_items.iter().map(item).collect(),
            })
            .collect(),
    }
}

pub fn json(status: &Status) -> String {
    let mut s =
        escape::json(serde_json::to_string_pretty(&build(status)).expect("status serialises"));
    s.push('\n');
    s
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Rule names with how often each occurs, in first-seen order: `a ×2, b`.
fn counted<'a>(rules: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for r in rules {
        match seen.iter_mut().find(|(n, _)| *n == r) {
            Some(e) => e.1 += 1,
            None => seen.push((r, 1)),
        }
    }
    seen.iter()
        .map(|(n, c)| {
            if *c > 1 {
                format!("{n} ×{c}")
            } else {
                n.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a checklist row says about an item: a head (the finding that fails it, what a pass rests
/// on, why it is unknown) and labelled lines under it. The terminal prints each on its own line;
/// Markdown joins them in one cell.
#[derive(Debug, Default, PartialEq)]
struct Details {
    /// What was found, when the head is a finding.
    found: Option<String>,
    head: String,
    /// The next step.
    next: Option<String>,
    /// Warnings of the item, counted by rule, with the first one's message.
    warnings: Option<String>,
    /// Rules whose level differs by gate.
    by_gate: Option<String>,
}

impl Details {
    /// Labelled lines in reading order, the head first (unlabelled).
    fn lines(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("", self.head.as_str())];
        let labelled = [
            ("found", &self.found),
            ("next", &self.next),
            ("warnings", &self.warnings),
            ("the level differs by gate", &self.by_gate),
        ];
        out.extend(
            labelled
                .into_iter()
                .filter_map(|(label, text)| text.as_deref().map(|t| (label, t))),
        );
        out
    }

    /// The whole in one line: `found: …; head; next: …; …`.
    fn one_line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(f) = &self.found {
            parts.push(format!("found: {f}"));
        }
        parts.push(self.head.clone());
        for (label, text) in self.lines().into_iter().skip(1) {
            if label != "found" {
                parts.push(format!("{label}: {text}"));
            }
        }
        parts.join("; ")
    }
}

/// What an item's state rests on (what was found), the next step, and where the findings it does
/// not show are listed.
fn details(s: &ItemStatus, gate: Gate) -> Details {
    let active: Vec<_> = s.findings.iter().filter(|f| f.waived.is_none()).collect();
    let warns: Vec<_> = active.iter().filter(|f| f.level == Level::Warn).collect();
    let lists = format!("`onboard lint --gate {gate}` lists them");
    let warnings = match warns.as_slice() {
        [] => None,
        [first, ..] => Some(format!(
            "{} (first: {}{})",
            counted(warns.iter().map(|f| f.rule)),
            clip(&first.message),
            if warns.len() > 1 {
                format!("; {lists}")
            } else {
                String::new()
            }
        )),
    };
    let evidence: Vec<&Note> = s
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Evidence)
        .collect();
    let mut d = Details {
        warnings,
        by_gate: (!s.by_gate.is_empty()).then(|| s.by_gate.join("; ")),
        ..Details::default()
    };
    match s.state {
        State::Unknown => d.head = s.reason.clone().unwrap_or_default(),
        State::Fail => {
            let denied: Vec<_> = active.iter().filter(|f| f.level == Level::Deny).collect();
            let first = denied[0];
            d.found = evidence
                .first()
                .map(|n| located(n.text.clone(), n.location.as_ref()));
            d.head = located(
                format!("{} {}: {}", first.code, first.rule, first.message),
                first.location.as_ref(),
            );
            if denied.len() > 1 {
                d.head.push_str(&format!(
                    " (+{} more: {}; {lists})",
                    denied.len() - 1,
                    counted(denied[1..].iter().map(|f| f.rule))
                ));
            }
            d.next = first.help.clone();
        }
        State::Waived => {
            let waived: Vec<_> = s
                .findings
                .iter()
                .filter(|f| f.level == Level::Deny && f.waived.is_some())
                .collect();
            let w = waived[0].waived.as_ref().expect("waived");
            d.head = located(
                format!("{} waived: {}", waived[0].rule, w.reason),
                Some(&w.location),
            );
            if waived.len() > 1 {
                d.head.push_str(&format!(
                    " (+{} more waived: {})",
                    waived.len() - 1,
                    counted(waived[1..].iter().map(|f| f.rule))
                ));
            }
        }
        State::Pass => {
            d.head = match evidence.as_slice() {
                [] => format!(
                    "{} found nothing at deny level",
                    match s.rules.as_slice() {
                        [r] => r.name.to_string(),
                        rules => plural(rules.len(), "rule"),
                    }
                ),
                [first, rest @ ..] => {
                    let mut t = located(first.text.clone(), first.location.as_ref());
                    if !rest.is_empty() {
                        t.push_str(&format!(" (+{} more)", rest.len()));
                    }
                    t
                }
            }
        }
    }
    d
}

/// A message cut to about 120 characters at a word, for one line of the checklist.
fn clip(text: &str) -> String {
    if text.chars().count() <= 120 {
        return text.to_string();
    }
    let cut: String = text.chars().take(120).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

/// A text and where it is written.
fn located(mut text: String, location: Option<&Location>) -> String {
    if let Some(l) = location {
        let (line, _) = l.file.line_col(l.span.offset);
        text.push_str(&format!(" ({}:{line})", l.file.path));
    }
    text
}

/// The note on a row for an item of another gate.
fn other_note(s: &ItemStatus) -> String {
    format!(" (item of {})", s.item.gate())
}

fn gate_line(g: &GateStatus) -> String {
    match &g.reason {
        None => "passed".into(),
        Some(r) => format!("not passed: {r}"),
    }
}

/// What was judged: the revision and commit, or the working tree (and the commit it is on).
fn target_at(status: &Status) -> String {
    let r = &status.repository;
    match (&r.rev, &r.commit) {
        (Some(rev), Some(c)) => format!("at {rev} ({})", short(c)),
        (None, Some(c)) => format!("working tree on {}", short(c)),
        _ => "working tree".into(),
    }
}

use crate::workspace::names::short_id as short;

struct Glyphs {
    pass: &'static str,
    fail: &'static str,
    waived: &'static str,
    unknown: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    pass: "✓",
    fail: "✗",
    waived: "~",
    unknown: "?",
};
const ASCII: Glyphs = Glyphs {
    pass: "+",
    fail: "x",
    waived: "~",
    unknown: "?",
};

fn paint(style: Style, code: &str, text: &str) -> String {
    if style.colour {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn state_colour(state: State) -> &'static str {
    match state {
        State::Pass => "32",
        State::Fail => "31",
        State::Waived => "33",
        State::Unknown => "2",
    }
}

/// A compact aligned table: ticks and crosses on a colour terminal, plain ASCII otherwise.
pub fn human(status: &Status, style: Style) -> String {
    let glyphs = if style.colour { &UNICODE } else { &ASCII };
    let glyph = |s: State| match s {
        State::Pass => glyphs.pass,
        State::Fail => glyphs.fail,
        State::Waived => glyphs.waived,
        State::Unknown => glyphs.unknown,
    };
    let gate_width = Gate::NAMES.iter().map(|n| n.len()).max().unwrap_or(0);
    let item_width = Item::NAMES.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut out = format!(
        "onboard status: {}, {}\n",
        escape::line(&status.repository.root),
        escape::line(&target_at(status))
    );
    for g in &status.gates {
        out.push('\n');
        let mark = if g.passed { glyphs.pass } else { glyphs.fail };
        let colour = if g.passed { "32" } else { "31" };
        out.push_str(&format!(
            "{} {}  {}\n",
            paint(style, colour, mark),
            paint(style, "1", &format!("{:gate_width$}", g.gate.as_str())),
            escape::terminal(&gate_line(g))
        ));
        let rows = g
            .items
            .iter()
            .map(|s| (s, String::new()))
            .chain(g.other_items.iter().map(|s| (s, other_note(s))));
        // Lines under the head start where the head does.
        let indent = " ".repeat(2 + 2 + item_width + 2 + 7 + 2);
        for (s, note) in rows {
            let d = details(s, g.gate);
            let mut lines = d.lines().into_iter();
            let (_, head) = lines.next().expect("a head");
            out.push_str(&format!(
                "  {} {:item_width$}  {}  {}{note}\n",
                paint(style, state_colour(s.state), glyph(s.state)),
                s.item.as_str(),
                paint(
                    style,
                    state_colour(s.state),
                    &format!("{:7}", s.state.as_str())
                ),
                escape::line(head)
            ));
            for (label, text) in lines {
                out.push_str(&format!(
                    "{indent}{} {}\n",
                    paint(style, "2", &format!("{label}:")),
                    escape::line(text)
                ));
            }
        }
    }
    out.push_str(&format!(
        "\nhighest gate passed: {}\n",
        status.highest_passed().map_or("none", Gate::as_str)
    ));
    out
}

fn state_cell(state: State) -> &'static str {
    match state {
        State::Pass => "✅ pass",
        State::Fail => "❌ fail",
        State::Waived => "⚠️ waived",
        State::Unknown => "❔ unknown",
    }
}

/// The same table in Markdown, for a pull-request comment or a job summary.
pub fn markdown(status: &Status) -> String {
    let mut out = format!(
        "### Onboarding checklist\n\nHighest gate passed: **{}** ({})\n\n",
        status.highest_passed().map_or("none", Gate::as_str),
        escape::markdown(&target_at(status))
    );
    out.push_str("| gate | item | state | details |\n|---|---|---|---|\n");
    for g in &status.gates {
        out.push_str(&format!(
            "| {} **{}** | | {} | {} |\n",
            if g.passed { "✅" } else { "❌" },
            g.gate,
            if g.passed { "passed" } else { "not passed" },
            cell(g.reason.as_deref().unwrap_or(""))
        ));
        let rows = g
            .items
            .iter()
            .map(|s| (s, String::new()))
            .chain(g.other_items.iter().map(|s| (s, other_note(s))));
        for (s, note) in rows {
            out.push_str(&format!(
                "| | {}{note} | {} | {} |\n",
                s.item,
                state_cell(s.state),
                cell(&details(s, g.gate).one_line())
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    #[test]
    fn a_rules_evidence_replaces_found_nothing_and_points_at_its_file() {
        let file = SourceFile::new(".onboarding.yml", "version: 1\nreviews: []\n");
        let rule = crate::rules::find("missing-licence-file").expect("rule");
        let mut note = Note {
            code: rule.code,
            rule: rule.name,
            item: Item::Licence,
            kind: NoteKind::Evidence,
            text: "review by alice at 1a2b3c4".into(),
            location: None,
        };
        note.at(&file, Span::new(11, 11));
        let status = ItemStatus {
            item: Item::Licence,
            state: State::Pass,
            reason: None,
            rules: vec![rule],
            findings: Vec::new(),
            notes: vec![note],
            by_gate: Vec::new(),
        };
        let out = item(&status);
        assert_eq!(out.evidence.len(), 1);
        assert_eq!(out.evidence[0].text, "review by alice at 1a2b3c4");
        assert_eq!(out.evidence[0].location.as_ref().map(|l| l.line), Some(2));
        assert_eq!(
            details(&status, Gate::CiExtensions).one_line(),
            "review by alice at 1a2b3c4 (.onboarding.yml:2)"
        );
    }
}
