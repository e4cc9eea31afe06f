//! The board as one self-contained HTML page: inline CSS and JS, no request to any other host,
//! readable from disk and on a phone. Every value is HTML-escaped; the page embeds no JSON.
//! The script reads its filter from the address's fragment (`#gate=community&blocked=qa`), so
//! a link (or a headless browser) can open the page filtered.

use super::markdown::symbol;
use super::{Board, BoardPlugin, Line, GATES};

/// Text for HTML content or a quoted attribute value.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::report::escape::is_unsafe(c) && c != '\t' => {
                out.push_str(&format!("&#x{:x};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// An `https` link, or the text alone.
fn a(href: Option<&str>, text: &str) -> String {
    match href.filter(|h| h.starts_with("https://")) {
        Some(h) => format!(
            "<a href=\"{}\" rel=\"noreferrer noopener\">{}</a>",
            esc(h),
            esc(text)
        ),
        None => esc(text),
    }
}

const CSS: &str = r#"
:root{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;background:#fff}
body{margin:0 auto;padding:1rem;max-width:90rem}
h1{font-size:1.4rem;margin:.2rem 0 .8rem}
.controls{display:flex;flex-wrap:wrap;gap:.6rem;margin-bottom:.8rem;align-items:center}
.controls label{font-size:.9rem}
select,button{font-size:.95rem;padding:.25rem .4rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
.s{display:inline-block;min-width:1.3em;text-align:center;border-radius:3px;margin:1px;font-weight:bold;font-family:monospace}
.pass{background:#1a7f37;color:#fff}.fail{background:#cf222e;color:#fff}
.waived{background:#bf8700;color:#fff}.unknown{background:#d0d7de;color:#1b1b1b}
.gate{white-space:nowrap;font-weight:bold}
.who{display:inline-block;border:1px solid #888;border-radius:8px;padding:0 .4em;margin:1px;font-size:.8rem}
.detail td{background:#fafafa}
.detail ul{margin:.2rem 0 .4rem 1rem;padding:0}
.stale{color:#9a3412}
footer{margin-top:1.2rem;font-size:.8rem;color:#555}
.legend .s{margin-right:.2em}
@media (max-width:40rem){body{padding:.5rem}table{font-size:.8rem}.wide{display:none}}
@media print{.controls{display:none}.s{border:1px solid #000}}
"#;

const JS: &str = r#"
(function(){
  var rows=[].slice.call(document.querySelectorAll('tr.plugin'));
  var gateSel=document.getElementById('f-gate'),whoSel=document.getElementById('f-who'),sortSel=document.getElementById('f-sort');
  function read(){var h=location.hash.replace(/^#/,''),o={};h.split('&').forEach(function(kv){var p=kv.split('=');if(p[0])o[decodeURIComponent(p[0])]=decodeURIComponent(p[1]||'');});return o;}
  function apply(){
    var g=gateSel.value,w=whoSel.value,shown=0;
    rows.forEach(function(r){
      var ok=(!g||r.dataset.gate===g)&&(!w||(' '+r.dataset.blocked+' ').indexOf(' '+w+' ')>=0);
      r.hidden=!ok; var d=document.getElementById(r.dataset.detail); if(d){d.hidden=!ok;}
      if(ok){shown++;}
    });
    document.getElementById('count').textContent=shown+' of '+rows.length+' plugins shown';
  }
  function sort(){
    var tb=document.querySelector('#board tbody'),k=sortSel.value;
    rows.slice().sort(function(a,b){
      if(k==='name'){return a.dataset.name.localeCompare(b.dataset.name)||(+a.dataset.order)-(+b.dataset.order);}
      return (+a.dataset.order)-(+b.dataset.order);
    }).forEach(function(r){tb.appendChild(r);var d=document.getElementById(r.dataset.detail);if(d){tb.appendChild(d);}});
  }
  function fromHash(){var o=read();gateSel.value=o.gate||'';whoSel.value=o.blocked||'';sortSel.value=o.sort||'gate';sort();apply();}
  function toHash(){var p=[];if(gateSel.value)p.push('gate='+gateSel.value);if(whoSel.value)p.push('blocked='+whoSel.value);if(sortSel.value!=='gate')p.push('sort='+sortSel.value);history.replaceState(null,'','#'+p.join('&'));sort();apply();}
  [gateSel,whoSel,sortSel].forEach(function(s){s.addEventListener('change',toHash);});
  window.addEventListener('hashchange',fromHash);
  fromHash();
  document.body.setAttribute('data-ready','1');
})();
"#;

fn lines(ls: &[Line]) -> String {
    let mut out = String::from("<ul>");
    for l in ls {
        let at = match (&l.path, l.line) {
            (Some(p), Some(n)) => format!(" ({})", a(l.link.as_deref(), &format!("{p}:{n}"))),
            _ => String::new(),
        };
        out.push_str(&format!("<li>{}{at}</li>", esc(&l.text)));
    }
    out.push_str("</ul>");
    out
}

fn row(p: &BoardPlugin, n: usize) -> String {
    let detail = format!("d{n}");
    let mut out = format!(
        "<tr class=\"plugin\" data-gate=\"{}\" data-blocked=\"{}\" data-name=\"{}\" data-order=\"{n}\" data-detail=\"{detail}\">",
        esc(&p.highest_passed),
        esc(&p.blocked_on.join(" ")),
        esc(&p.name.to_lowercase()),
    );
    out.push_str(&format!(
        "<td><b>{}</b><br><small>{}</small></td><td class=\"wide\">{}</td>",
        a(p.forge_url.as_deref(), &p.name),
        esc(p.id.as_deref().unwrap_or("")),
        esc(p.owner.as_deref().unwrap_or("")),
    ));
    out.push_str(&format!(
        "<td>{}</td><td class=\"gate\">{}</td>",
        p.latest_release
            .as_ref()
            .map(|r| format!("{}<br><small>{}</small>", esc(&r.tag), esc(&r.date)))
            .unwrap_or_else(|| "—".into()),
        esc(&p.highest_passed)
    ));
    for g in &p.gates {
        out.push_str("<td>");
        for i in &g.items {
            out.push_str(&format!(
                "<span class=\"s {}\" title=\"{}: {}\">{}</span>",
                esc(&i.state),
                esc(&i.id),
                esc(&i.state),
                symbol(&i.state)
            ));
        }
        out.push_str("</td>");
    }
    out.push_str("<td>");
    for w in &p.blocked_on {
        out.push_str(&format!("<span class=\"who\">{}</span>", esc(w)));
    }
    out.push_str("</td></tr>\n");
    // The detail row.
    out.push_str(&format!(
        "<tr class=\"detail\" id=\"{detail}\"><td colspan=\"{}\"><details><summary>Details: {}</summary>",
        5 + GATES.len(),
        esc(&p.name)
    ));
    out.push_str(&format!(
        "<p>{}{}</p>",
        esc(&p.root),
        p.commit
            .as_deref()
            .map(|c| format!(" at {}", esc(c)))
            .unwrap_or_default()
    ));
    if !p.blocking.is_empty() {
        out.push_str("<h3>Blocking</h3><ul>");
        for b in &p.blocking {
            out.push_str(&format!(
                "<li><span class=\"who\">{}</span> {} / {}: {}{}</li>",
                esc(&b.who),
                esc(&b.gate),
                esc(&b.item),
                a(b.link.as_deref(), &b.problem),
                b.next_step
                    .as_deref()
                    .map(|n| format!("<br>next step: {}", esc(n)))
                    .unwrap_or_default()
            ));
        }
        out.push_str("</ul>");
    }
    if !p.stale_records.is_empty() {
        out.push_str("<h3>Stale records</h3><ul>");
        for s in &p.stale_records {
            out.push_str(&format!("<li class=\"stale\">{}</li>", esc(s)));
        }
        out.push_str("</ul>");
    }
    for g in &p.gates {
        out.push_str(&format!(
            "<h3>{} {}</h3>",
            esc(&g.id),
            match &g.reason {
                None => "passed".into(),
                Some(r) => format!("not passed: {}", esc(r)),
            }
        ));
        for i in &g.items {
            out.push_str(&format!(
                "<div><span class=\"s {}\">{}</span> <b>{}</b> {}{}</div>",
                esc(&i.state),
                symbol(&i.state),
                esc(&i.id),
                esc(&i.state),
                lines(&i.lines)
            ));
        }
    }
    out.push_str("</details></td></tr>\n");
    out
}

pub fn render(board: &Board) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
         <title>Onboarding board</title><style>",
    );
    out.push_str(CSS);
    out.push_str("</style></head><body>\n<h1>Onboarding board</h1>\n<div class=\"controls\">");
    out.push_str("<label>Highest gate <select id=\"f-gate\"><option value=\"\">any</option><option value=\"none\">none</option>");
    for g in GATES {
        out.push_str(&format!("<option value=\"{g}\">{g}</option>"));
    }
    out.push_str("</select></label><label>Blocked on <select id=\"f-who\"><option value=\"\">anyone</option>");
    for w in ["author", "committer", "qa", "pm"] {
        out.push_str(&format!("<option value=\"{w}\">{w}</option>"));
    }
    out.push_str("</select></label><label>Sort <select id=\"f-sort\"><option value=\"gate\">gate, name</option><option value=\"name\">name</option></select></label>");
    out.push_str(&format!(
        "<span id=\"count\">{} plugins</span></div>\n",
        board.plugins.len()
    ));
    out.push_str("<p class=\"legend\"><span class=\"s pass\">✓</span>pass <span class=\"s fail\">✗</span>fail <span class=\"s waived\">~</span>waived <span class=\"s unknown\">?</span>unknown</p>\n");
    out.push_str("<div class=\"scroll\"><table id=\"board\"><thead><tr><th>plugin</th><th class=\"wide\">owner</th><th>latest release</th><th>highest gate</th>");
    for g in GATES {
        out.push_str(&format!("<th>{g}</th>"));
    }
    out.push_str("<th>blocked on</th></tr></thead><tbody>\n");
    for (n, p) in board.plugins.iter().enumerate() {
        out.push_str(&row(p, n));
    }
    out.push_str("</tbody></table></div>\n");
    if !board.skipped.is_empty() {
        out.push_str("<h2>Skipped</h2><ul id=\"skipped\">");
        for s in &board.skipped {
            out.push_str(&format!("<li>{}: {}</li>", esc(&s.input), esc(&s.reason)));
        }
        out.push_str("</ul>");
    }
    out.push_str(&format!(
        "<footer>Generated {} by onboard {}. Who acts: committer (reviews), qa (QA passes), pm (PM/UX review), author (everything else).</footer>\n<script>",
        esc(&board.generated),
        esc(&board.onboard_version)
    ));
    out.push_str(JS);
    out.push_str("</script></body></html>\n");
    out
}
