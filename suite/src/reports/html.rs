//! A self-contained HTML report (inline CSS, no scripts, no external assets): run metadata, an
//! endpoint × expected-error-type matrix whose cells link to their cases, family summaries, and every
//! case with its request, response and `curl` repro.

use super::endpoint;
use super::record::{CaseRecord, Column, Counts, RunRecord, Status};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d232a;background:#fafbfc}
main{max-width:1400px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.verdict{font-size:16px;font-weight:600;padding:6px 10px;border-radius:6px;display:inline-block}
.verdict.ok{background:#dcf5e3;color:#135c2a}.verdict.bad{background:#fbe0e0;color:#8a1515}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
table.meta th{background:#f3f5f7;font-weight:600}
#matrix th{background:#f3f5f7;font-size:12px}#matrix thead th{writing-mode:horizontal-tb;white-space:nowrap}
#matrix td{text-align:center;min-width:72px;font-variant-numeric:tabular-nums;white-space:nowrap}
#matrix td a{color:inherit;text-decoration:none;display:block}
td.pass{background:#cdeed6;color:#135c2a}td.fail{background:#f6c7c7;color:#8a1515;font-weight:700}
td.skip{background:#e8eaed;color:#555}td.empty{background:#fff;color:#bbb}
.legend span{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:4px}
details.case{border:1px solid #d0d7de;border-radius:6px;margin:4px 0;background:#fff}
details.case>summary{cursor:pointer;padding:4px 8px}details.case[open]>summary{border-bottom:1px solid #d0d7de}
details.case.fail{border-color:#d47a7a}
.badge{display:inline-block;min-width:38px;text-align:center;font-size:11px;font-weight:700;border-radius:4px;padding:0 4px;margin-right:6px}
.badge.pass{background:#cdeed6;color:#135c2a}.badge.fail{background:#f6c7c7;color:#8a1515}.badge.skip{background:#e8eaed;color:#555}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:6px 8px;margin:2px 0;border-radius:4px}
dl{display:grid;grid-template-columns:110px 1fr;gap:2px 10px;margin:6px 10px}dt{font-weight:600;color:#57606a}dd{margin:0;min-width:0}
"#;

/// The HTML document of a run.
pub fn render(run: &RunRecord) -> String {
    let mut out = String::with_capacity(64 * 1024 + run.cases.len() * 2048);
    let totals = run.totals();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    let _ = write!(out, "<title>journey-conformance: {} passed, {} failed</title>", totals.passed, totals.failed);
    let _ = write!(out, "<style>{STYLE}</style></head><body><main>");
    out.push_str("<h1>journey-conformance report</h1>");
    let class = if totals.failed + totals.inconclusive == 0 { "ok" } else { "bad" };
    let _ = write!(
        out,
        "<p class=\"verdict {class}\" id=\"verdict\">{} passed · {} failed · {} skipped{}</p>",
        totals.passed,
        totals.failed,
        totals.skipped,
        if totals.inconclusive > 0 { format!(" · {} inconclusive", totals.inconclusive) } else { String::new() }
    );
    metadata(&mut out, run);
    let cells = matrix(&mut out, run);
    failures(&mut out, run, &cells);
    families(&mut out, run);
    details(&mut out, run, &cells);
    out.push_str("</main></body></html>\n");
    out
}

fn metadata(out: &mut String, run: &RunRecord) {
    let m = &run.meta;
    let target = format!("{}{}", m.target, if m.embedded { " (embedded reference)" } else { "" });
    let rows: [(&str, String); 10] = [
        ("target", target),
        ("profile", m.profile.clone()),
        ("object type", m.object_type.clone()),
        ("seed", m.seed.map_or("—".into(), |s| s.to_string())),
        ("rate", m.rate.map_or("unlimited".into(), |r| format!("{r} requests/s (recorded)"))),
        ("concurrency", m.concurrency.to_string()),
        ("timeout", format!("{:.1}s", m.timeout.as_secs_f64())),
        ("started", m.started_at.clone()),
        ("duration", format!("{:.2}s", m.duration.as_secs_f64())),
        ("version", m.version.clone()),
    ];
    out.push_str("<h2>Run</h2><table class=\"meta\" id=\"meta\">");
    for (k, v) in rows {
        let _ = write!(out, "<tr><th>{k}</th><td>{}</td></tr>", escape(&v));
    }
    out.push_str("</table>");
}

/// Matrix cells: (row, column) → indices of their cases; also fixes the anchor of each cell.
type Cells = BTreeMap<(usize, Column), (String, Vec<usize>)>;

fn counts(run: &RunRecord, indices: &[usize]) -> Counts {
    let mut c = Counts::default();
    for &i in indices {
        c.add(run.cases[i].status);
    }
    c
}

fn matrix(out: &mut String, run: &RunRecord) -> Cells {
    let mut rows: Vec<&str> = run.cases.iter().map(|c| c.endpoint.as_str()).collect();
    rows.sort_by_key(|r| (endpoint::rank(r), r.to_string()));
    rows.dedup();
    let mut columns: Vec<Column> = run.cases.iter().map(|c| c.column).collect();
    columns.sort();
    columns.dedup();
    let mut cells: Cells = BTreeMap::new();
    for (i, case) in run.cases.iter().enumerate() {
        let row = rows.iter().position(|r| *r == case.endpoint).unwrap_or(0);
        let col = columns.iter().position(|c| *c == case.column).unwrap_or(0);
        let entry = cells.entry((row, case.column)).or_insert_with(|| (format!("cell-{row}-{col}"), Vec::new()));
        entry.1.push(i);
    }
    out.push_str("<h2>Endpoint × expected error type</h2>");
    out.push_str("<p class=\"legend\"><span class=\"pass\" style=\"background:#cdeed6\">all passed</span>");
    out.push_str(
        "<span style=\"background:#f6c7c7\">some failed</span><span style=\"background:#e8eaed\">skipped</span>",
    );
    out.push_str("Each cell: cases passed ✓ / failed ✗ / skipped ⤼; click for the cases.</p>");
    out.push_str("<table id=\"matrix\"><thead><tr><th>endpoint</th>");
    for c in &columns {
        let _ = write!(out, "<th>{}</th>", escape(&c.to_string()));
    }
    out.push_str("</tr></thead><tbody>");
    for (r, row) in rows.iter().enumerate() {
        let _ = write!(out, "<tr><th>{}</th>", escape(row));
        for column in &columns {
            match cells.get(&(r, *column)) {
                None => out.push_str("<td class=\"empty\">·</td>"),
                Some((anchor, indices)) => {
                    let c = counts(run, indices);
                    let class = if c.failed + c.inconclusive > 0 {
                        "fail"
                    } else if c.passed > 0 {
                        "pass"
                    } else {
                        "skip"
                    };
                    let mut label = format!("{} ✓", c.passed);
                    if c.failed > 0 {
                        let _ = write!(label, " {} ✗", c.failed);
                    }
                    if c.skipped > 0 {
                        let _ = write!(label, " {} ⤼", c.skipped);
                    }
                    if c.inconclusive > 0 {
                        let _ = write!(label, " {} ?", c.inconclusive);
                    }
                    let _ = write!(out, "<td class=\"{class}\"><a href=\"#{anchor}\">{label}</a></td>");
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    cells
}

fn failures(out: &mut String, run: &RunRecord, cells: &Cells) {
    let failed: Vec<usize> = (0..run.cases.len()).filter(|&i| run.cases[i].needs_attention()).collect();
    if failed.is_empty() {
        return;
    }
    let anchors = case_anchors(cells);
    let _ = write!(out, "<h2>Failures ({})</h2><ul id=\"failures\">", failed.len());
    for i in failed {
        let case = &run.cases[i];
        let _ = write!(
            out,
            "<li><a href=\"#{}\"><code>{}</code></a>{}: expected {}, observed {}</li>",
            anchors.get(&i).cloned().unwrap_or_default(),
            escape(&case.id),
            if case.status == Status::Inconclusive { " (inconclusive)" } else { "" },
            escape(&case.expected_text()),
            escape(&case.observed_text())
        );
    }
    out.push_str("</ul>");
}

fn families(out: &mut String, run: &RunRecord) {
    out.push_str("<h2>Families</h2><table id=\"families\"><thead><tr><th>family</th><th>passed</th><th>failed</th><th>skipped</th><th>inconclusive</th></tr></thead><tbody>");
    for (family, c) in run.by_family() {
        let class = if c.failed + c.inconclusive > 0 {
            "fail"
        } else if c.passed > 0 {
            "pass"
        } else {
            "skip"
        };
        let _ = write!(
            out,
            "<tr><th>{}</th><td class=\"{class}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            family.as_str(),
            c.passed,
            c.failed,
            c.skipped,
            c.inconclusive
        );
    }
    let t = run.totals();
    let _ = write!(
        out,
        "<tr><th>total</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></tbody></table>",
        t.passed, t.failed, t.skipped, t.inconclusive
    );
}

/// The anchor of every case's details element.
fn case_anchors(cells: &Cells) -> BTreeMap<usize, String> {
    cells.values().flat_map(|(_, indices)| indices.iter().map(|&i| (i, format!("case-{i}")))).collect()
}

fn details(out: &mut String, run: &RunRecord, cells: &Cells) {
    out.push_str("<h2>Cases</h2>");
    let mut ordered: Vec<&(String, Vec<usize>)> = cells.values().collect();
    ordered.sort_by_key(|(anchor, _)| {
        let mut parts = anchor.trim_start_matches("cell-").split('-').map(|n| n.parse::<usize>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    });
    for (anchor, indices) in ordered {
        let first = &run.cases[indices[0]];
        let c = counts(run, indices);
        let _ = write!(
            out,
            "<section id=\"{anchor}\"><h3>{} × {} <small>({} ✓ {} ✗ {} ⤼{})</small></h3>",
            escape(&first.endpoint),
            escape(&first.column.to_string()),
            c.passed,
            c.failed,
            c.skipped,
            if c.inconclusive > 0 { format!(" {} ?", c.inconclusive) } else { String::new() }
        );
        let mut sorted = indices.clone();
        sorted.sort_by_key(|&i| (run.cases[i].status != Status::Fail, i));
        for i in sorted {
            case_details(out, i, &run.cases[i]);
        }
        out.push_str("</section>");
    }
}

fn case_details(out: &mut String, index: usize, case: &CaseRecord) {
    let status = case.status.as_str();
    let open = if case.status == Status::Fail { " open" } else { "" };
    let _ = write!(
        out,
        "<details class=\"case {status}\" id=\"case-{index}\"{open}><summary><span class=\"badge {status}\">{}</span><code>{}</code> — {}</summary><dl>",
        status.to_uppercase(),
        escape(&case.id),
        escape(&case.description)
    );
    let mut row = |k: &str, v: String| {
        let _ = write!(out, "<dt>{k}</dt><dd>{v}</dd>");
    };
    row("spec", escape(&case.spec));
    row("request", format!("<code>{} {}</code>", escape(&case.method), escape(&case.path)));
    let headers: Vec<String> = case.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    if !headers.is_empty() {
        row("headers", format!("<pre>{}</pre>", escape(&headers.join("\n"))));
    }
    if let Some(body) = &case.body_excerpt {
        row("body", format!("<pre>{}</pre><small>{} bytes</small>", escape(body), case.body_bytes));
    }
    let why = case.expected_why.as_ref().map(|w| format!("<br><small>{}</small>", escape(w))).unwrap_or_default();
    row("expected", format!("{}{why}", escape(&case.expected_text())));
    row("observed", escape(&case.observed_text()));
    if let Some(reason) = &case.skip_reason {
        row("skipped", escape(reason));
    }
    if let Some(ct) = &case.response_content_type {
        row("content-type", format!("<code>{}</code>", escape(ct)));
    }
    if let Some(body) = &case.response_excerpt {
        row("response", format!("<pre>{}</pre>", escape(body)));
    }
    for (rule, message) in &case.violations {
        row("broken", format!("<strong>[{}]</strong> {}", escape(rule), escape(message)));
    }
    row("time", format!("{:.1} ms", case.elapsed.as_secs_f64() * 1000.0));
    row("repro", format!("<pre>{}</pre>", escape(&case.curl)));
    out.push_str("</dl></details>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Family;
    use crate::error_type::ErrorType;
    use crate::reports::record::fixtures;

    #[test]
    fn html_has_a_matrix_linking_to_escaped_cases_and_no_external_assets() {
        let html = render(&fixtures::run());
        assert!(html.contains("<table id=\"matrix\">"));
        assert!(html.contains("<th>wrong method: /objects/{type}.json</th>"), "row label");
        assert!(html.contains("<td class=\"fail\"><a href=\"#cell-"), "the failing cell is red and links");
        assert!(html.contains("<td class=\"skip\">"), "a skipped-only cell is grey");
        for anchor in html.split("href=\"#").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
            assert!(html.contains(&format!("id=\"{anchor}\"")), "dangling link #{anchor}");
        }
        assert!(html.contains("checks &lt;methods/wrong-method/DELETE-x&gt; &amp; more"), "text is escaped");
        assert!(!html.contains("<b>"), "request bodies are escaped");
        for external in ["<script", "<link", "src=", "http-equiv", "@import", "url("] {
            assert!(!html.contains(external), "external asset or script: {external}");
        }
        assert!(html.contains("seed</th><td>42"));
    }

    #[test]
    fn a_failure_links_to_its_case_by_id() {
        let run = fixtures::run();
        let html = render(&run);
        let failed = run.cases.iter().position(|c| c.status == Status::Fail).expect("the fixture has a failure");
        let link = format!("<a href=\"#case-{failed}\"><code>{}</code></a>", run.cases[failed].id);
        let list = html.split("<ul id=\"failures\">").nth(1).and_then(|l| l.split("</ul>").next()).expect("a list");
        assert!(list.contains(&link), "{list}");
        assert!(html.contains(&format!("id=\"case-{failed}\"")), "the link's target exists");
    }

    /// The text of each cell in the families-table row labelled `label`.
    fn family_row(html: &str, label: &str) -> Vec<String> {
        let table = html.split("<table id=\"families\">").nth(1).and_then(|t| t.split("</table>").next()).unwrap();
        let row = table.split("<tr>").find(|r| r.starts_with(&format!("<th>{label}</th>"))).unwrap_or_default();
        row.split("<td").skip(1).map(|c| c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()].to_string()).collect()
    }

    #[test]
    fn families_count_inconclusive_cases_and_never_show_them_green() {
        let mut run = fixtures::run();
        run.cases.push(fixtures::case(
            "rate-limit/x",
            Family::Methods,
            "e",
            ErrorType::RouteError,
            Status::Inconclusive,
        ));
        run.cases.push(fixtures::case(
            "rate-limit/y",
            Family::Accounts,
            "e",
            ErrorType::RouteError,
            Status::Inconclusive,
        ));
        let html = render(&run);
        let header = html.split("<table id=\"families\"><thead>").nth(1).and_then(|t| t.split("</thead>").next());
        assert!(header.is_some_and(|h| h.contains("<th>inconclusive</th>")), "{header:?}");
        assert_eq!(family_row(&html, "methods"), ["1", "1", "0", "1"]);
        assert_eq!(family_row(&html, "accounts"), ["0", "0", "1", "1"]);
        assert_eq!(family_row(&html, "total"), ["1", "1", "1", "2"]);
        assert!(!html.contains("<th>accounts</th><td class=\"skip\">"), "an inconclusive family is not grey");
        assert!(html.contains("1 skipped · 2 inconclusive</p>"), "the verdict line counts them");
        assert!(html.contains("<small>(0 ✓ 0 ✗ 0 ⤼ 2 ?)</small>"), "so does their cell's heading");
    }
}
