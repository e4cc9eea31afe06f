//! The board: many plugins' `onboard status` on one page. The model is built from status
//! reports as their JSON reads (`schemas/status.schema.json`), whether they were computed here
//! from a repository or read from files a CI matrix uploaded, so both ways give the same board.
//! Rendered as a self-contained HTML page ([`html`]), versioned JSON and a Markdown table
//! ([`markdown`]).

pub mod html;
pub mod markdown;

use serde::{Deserialize, Serialize};

pub const FORMAT_VERSION: u32 = 1;
pub const GATES: [&str; 4] = [
    "ci-extensions",
    "ci-extensions-release",
    "community",
    "marketplace",
];

/// A status report as read: only what the board shows; unknown fields are ignored.
#[derive(Deserialize)]
pub struct InStatus {
    pub version: u32,
    pub tool: InTool,
    pub target: InTarget,
    #[serde(default)]
    pub plugin: InPlugin,
    pub highest_passed: Option<String>,
    pub gates: Vec<InGate>,
}
#[derive(Deserialize)]
pub struct InTool {
    pub name: String,
}
#[derive(Deserialize, Serialize, Clone, Default)]
pub struct InTarget {
    pub root: String,
    pub rev: Option<String>,
    pub commit: Option<String>,
}
#[derive(Deserialize, Default)]
pub struct InPlugin {
    pub id: Option<String>,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub latest_release: Option<Release>,
    pub forge: Option<Forge>,
    #[serde(default)]
    pub stale_records: Vec<InStale>,
}
#[derive(Deserialize, Serialize, Clone)]
pub struct Release {
    pub tag: String,
    pub date: String,
}
#[derive(Deserialize, Serialize, Clone)]
pub struct Forge {
    pub host: String,
    pub owner: String,
    pub name: String,
}
#[derive(Deserialize)]
pub struct InStale {
    pub kind: String,
    pub by: String,
    pub commit: Option<String>,
    pub changed: Vec<String>,
}
#[derive(Deserialize)]
pub struct InGate {
    pub id: String,
    pub passed: bool,
    pub reason: Option<String>,
    pub items: Vec<InItem>,
}
#[derive(Deserialize)]
pub struct InItem {
    pub id: String,
    pub state: String,
    pub reason: Option<String>,
    pub evidence: Vec<InEvidence>,
    pub findings: Vec<InFinding>,
}
#[derive(Deserialize)]
pub struct InEvidence {
    pub text: String,
    pub location: Option<InLocation>,
}
#[derive(Deserialize)]
pub struct InLocation {
    pub path: String,
    pub line: usize,
}
#[derive(Deserialize)]
pub struct InFinding {
    pub rule: String,
    pub level: String,
    pub message: String,
    pub help: Option<String>,
    pub location: Option<InLocation>,
    pub waived: Option<serde_json::Value>,
}

/// Reads a status report; the error says why the text is not one.
pub fn parse_status(text: &str) -> Result<InStatus, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if value.get("gates").is_none() || value.get("highest_passed").is_none() {
        return Err("not an `onboard status --format json` report (no `gates`)".into());
    }
    let s: InStatus = serde_json::from_value(value)
        .map_err(|e| format!("not an `onboard status` report: {e}"))?;
    if s.tool.name != "onboard" {
        return Err(format!("written by `{}`, not onboard", s.tool.name));
    }
    if s.version != crate::report::checklist::FORMAT_VERSION {
        return Err(format!(
            "status format version {} (this onboard reads version {})",
            s.version,
            crate::report::checklist::FORMAT_VERSION
        ));
    }
    Ok(s)
}

/// Who must act on a blocking item. Records items are human steps: a core committer reviews,
/// QA tests, the PM signs off the PM/UX review; every other item is the author's to fix.
pub fn actor(item: &str) -> &'static str {
    match item {
        "basic-review" | "complete-review" => "committer",
        "qa" | "qa-release" => "qa",
        "pm-ux" => "pm",
        _ => "author",
    }
}

#[derive(Serialize, schemars::JsonSchema)]
#[schemars(title = "onboard board")]
pub struct Board {
    /// Version of this format.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    pub onboard_version: String,
    /// When the board was built (UTC; `SOURCE_DATE_EPOCH` when set).
    pub generated: String,
    /// Sorted by highest gate passed (furthest first), then name.
    pub plugins: Vec<BoardPlugin>,
    /// Inputs left off the board, with why.
    pub skipped: Vec<Skipped>,
}

#[derive(Serialize, schemars::JsonSchema, Clone)]
pub struct Skipped {
    pub input: String,
    pub reason: String,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct BoardPlugin {
    pub id: Option<String>,
    pub name: String,
    pub owner: Option<String>,
    pub latest_release: Option<BoardRelease>,
    /// `none` when not even the first gate is passed.
    pub highest_passed: String,
    /// The repository's web address on its forge, when the `origin` remote reads as one.
    pub forge_url: Option<String>,
    pub root: String,
    pub commit: Option<String>,
    pub gates: Vec<BoardGate>,
    /// The failing and unknown items of the first gate not passed.
    pub blocking: Vec<Blocker>,
    /// Who must act on the blocking items: `author`, `committer`, `qa`, `pm`.
    pub blocked_on: Vec<String>,
    /// Records gone stale, one line each.
    pub stale_records: Vec<String>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct BoardRelease {
    pub tag: String,
    pub date: String,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct BoardGate {
    pub id: String,
    pub passed: bool,
    pub reason: Option<String>,
    pub items: Vec<BoardItem>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct BoardItem {
    pub id: String,
    /// `pass`, `fail`, `waived` or `unknown`.
    pub state: String,
    /// What the state rests on: evidence, findings, or why the item is unknown.
    pub lines: Vec<Line>,
}

#[derive(Serialize, schemars::JsonSchema, Clone)]
pub struct Line {
    pub text: String,
    pub path: Option<String>,
    pub line: Option<usize>,
    /// The file at the judged commit on the forge, when both are known.
    pub link: Option<String>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct Blocker {
    pub gate: String,
    pub item: String,
    pub who: String,
    /// What is wrong.
    pub problem: String,
    /// What to do.
    pub next_step: Option<String>,
    pub link: Option<String>,
}

fn link(forge: Option<&Forge>, commit: Option<&str>, path: &str, line: usize) -> Option<String> {
    let (f, c) = (forge?, commit?);
    let blob = if f.host.contains("gitlab") {
        "-/blob"
    } else if f.host.contains("github") {
        "blob"
    } else {
        return None;
    };
    let path: String = path
        .split('/')
        .map(|seg| url::form_urlencoded::byte_serialize(seg.as_bytes()).collect::<String>())
        .collect::<Vec<_>>()
        .join("/")
        .replace('+', "%20");
    Some(format!(
        "https://{}/{}/{}/{blob}/{c}/{path}#L{line}",
        f.host, f.owner, f.name
    ))
}

fn gate_rank(g: &str) -> usize {
    GATES.iter().position(|x| *x == g).map_or(0, |i| i + 1)
}

impl BoardPlugin {
    pub fn of(s: InStatus) -> BoardPlugin {
        let forge = s.plugin.forge.as_ref();
        let commit = s.target.commit.as_deref();
        let line = |text: String, loc: Option<&InLocation>| Line {
            text,
            path: loc.map(|l| l.path.clone()),
            line: loc.map(|l| l.line),
            link: loc.and_then(|l| link(forge, commit, &l.path, l.line)),
        };
        let mut blocking = Vec::new();
        let first_open = s.gates.iter().find(|g| !g.passed).map(|g| g.id.clone());
        let gates = s
            .gates
            .iter()
            .map(|g| BoardGate {
                id: g.id.clone(),
                passed: g.passed,
                reason: g.reason.clone(),
                items: g
                    .items
                    .iter()
                    .map(|i| {
                        let mut lines: Vec<Line> = Vec::new();
                        if let Some(r) = &i.reason {
                            lines.push(line(r.clone(), None));
                        }
                        lines.extend(
                            i.evidence
                                .iter()
                                .map(|e| line(e.text.clone(), e.location.as_ref())),
                        );
                        for f in &i.findings {
                            let waived = if f.waived.is_some() { " (waived)" } else { "" };
                            lines.push(line(
                                format!("{} {}{waived}: {}", f.level, f.rule, f.message),
                                f.location.as_ref(),
                            ));
                        }
                        let blocks = first_open.as_deref() == Some(g.id.as_str())
                            && (i.state == "fail" || i.state == "unknown");
                        if blocks {
                            let denied = i
                                .findings
                                .iter()
                                .find(|f| f.level == "deny" && f.waived.is_none());
                            blocking.push(Blocker {
                                gate: g.id.clone(),
                                item: i.id.clone(),
                                who: actor(&i.id).into(),
                                problem: denied
                                    .map(|f| format!("{}: {}", f.rule, f.message))
                                    .or(i.reason.clone())
                                    .unwrap_or_else(|| i.state.clone()),
                                next_step: denied.and_then(|f| f.help.clone()),
                                link: denied
                                    .and_then(|f| f.location.as_ref())
                                    .and_then(|l| link(forge, commit, &l.path, l.line)),
                            });
                        }
                        BoardItem {
                            id: i.id.clone(),
                            state: i.state.clone(),
                            lines,
                        }
                    })
                    .collect(),
            })
            .collect();
        let mut blocked_on: Vec<String> = blocking.iter().map(|b| b.who.clone()).collect();
        blocked_on.sort();
        blocked_on.dedup();
        BoardPlugin {
            name: s
                .plugin
                .name
                .clone()
                .or(s.plugin.id.clone())
                .unwrap_or_else(|| s.target.root.clone()),
            id: s.plugin.id,
            owner: s.plugin.owner,
            latest_release: s.plugin.latest_release.map(|r| BoardRelease {
                tag: r.tag,
                date: r.date,
            }),
            highest_passed: s.highest_passed.unwrap_or_else(|| "none".into()),
            forge_url: forge.map(|f| format!("https://{}/{}/{}", f.host, f.owner, f.name)),
            root: s.target.root,
            commit: s.target.commit,
            gates,
            blocking,
            blocked_on,
            stale_records: s
                .plugin
                .stale_records
                .iter()
                .map(|r| {
                    format!(
                        "{} by {}{}: {} production file{} changed since",
                        r.kind,
                        r.by,
                        r.commit
                            .as_ref()
                            .map(|c| format!(" at {c}"))
                            .unwrap_or_default(),
                        r.changed.len(),
                        if r.changed.len() == 1 { "" } else { "s" }
                    )
                })
                .collect(),
        }
    }
}

/// Collects plugins: a second report for a plugin id already on the board is skipped.
#[derive(Default)]
pub struct Builder {
    plugins: Vec<(String, BoardPlugin)>,
    skipped: Vec<Skipped>,
}

impl Builder {
    pub fn add(&mut self, input: &str, status: InStatus) {
        let p = BoardPlugin::of(status);
        let Some(id) = &p.id else {
            // A folder with no manifest naming a plugin (an empty folder, `/etc`, a folder of
            // other files) is not a plugin of the organisation; the board has no row for it.
            self.skip(
                input,
                "no plugin manifest with an id: not a plugin repository (`onboard status` on it says what is missing)".into(),
            );
            return;
        };
        {
            if let Some((first, _)) = self.plugins.iter().find(|(_, q)| q.id.as_ref() == Some(id)) {
                let reason = format!("plugin `{id}` is already on the board, from {first}");
                self.skip(input, reason);
                return;
            }
        }
        self.plugins.push((input.to_string(), p));
    }

    pub fn skip(&mut self, input: &str, reason: String) {
        self.skipped.push(Skipped {
            input: input.into(),
            reason,
        });
    }

    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    pub fn finish(self, generated: String) -> Board {
        let mut plugins: Vec<BoardPlugin> = self.plugins.into_iter().map(|(_, p)| p).collect();
        plugins.sort_by(|a, b| {
            gate_rank(&b.highest_passed)
                .cmp(&gate_rank(&a.highest_passed))
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                .then_with(|| a.root.cmp(&b.root))
        });
        Board {
            version: FORMAT_VERSION,
            onboard_version: env!("CARGO_PKG_VERSION").into(),
            generated,
            plugins,
            skipped: self.skipped,
        }
    }
}

/// The generated time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
pub fn generated_now() -> Result<String, String> {
    let ts = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v
                .trim()
                .parse()
                .map_err(|_| format!("SOURCE_DATE_EPOCH `{v}` is not a number of seconds"))?;
            jiff::Timestamp::from_second(secs)
                .map_err(|e| format!("SOURCE_DATE_EPOCH `{v}`: {e}"))?
        }
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(format!("{}", ts.strftime("%Y-%m-%dT%H:%M:%SZ")))
}

pub fn json(board: &Board) -> String {
    let mut s =
        crate::report::escape::json(serde_json::to_string_pretty(board).expect("board serialises"));
    s.push('\n');
    s
}
