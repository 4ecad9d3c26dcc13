//! A self-contained HTML report (inline CSS, no scripts, no external assets): run metadata, an
//! endpoint × expected-error-type matrix whose cells link to their cases, family summaries, and every
//! case with its request, response and `curl` repro. Built with `maud`, so every piece of run data is
//! escaped by construction.

mod cases;
mod matrix;

use super::record::{RunRecord, Status};
use cases::case_anchor;
use matrix::{status_class, Grid};
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// Inline, so the report is one file that opens anywhere, offline.
const STYLE: &str = include_str!("html/style.css");

/// The HTML document of a run.
pub fn render(run: &RunRecord) -> String {
    let totals = run.totals();
    let grid = Grid::of(run);
    let verdict = if run.failed() { "verdict bad" } else { "verdict ok" };
    let document = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { "journey-conformance: " (totals.passed) " passed, " (totals.failed) " failed" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    h1 { "journey-conformance report" }
                    p class=(verdict) id="verdict" {
                        (totals.passed) " passed · " (totals.failed) " failed · " (totals.skipped) " skipped"
                        @if totals.inconclusive > 0 { " · " (totals.inconclusive) " inconclusive" }
                        @if totals.non_strict > 0 { " · " (totals.non_strict) " non-strict" }
                        @if let Some(left) = &run.left_behind { " · objects LEFT BEHIND (" (left.objects.len()) ")" }
                    }
                    (super::left::html(run.left_behind.as_ref(), run.meta.interrupted.as_deref()))
                    (findings(run))
                    (metadata(run))
                    (matrix::render(run, &grid))
                    (failures(run))
                    (steps(run))
                    (non_strict(run))
                    (families(run))
                    (cases::render(run, &grid))
                }
            }
        }
    };
    let mut out = document.into_string();
    out.push('\n');
    out
}

/// The findings table, at the top: each cause once, with how many cases broke it.
fn findings(run: &RunRecord) -> Markup {
    html! {
        @if !run.findings.is_empty() {
            h2 { "Findings" }
            table id="findings" {
                tr {
                    @for head in ["finding", "level", "cause", "cases", "first case", "target-level", "confirm"] {
                        th { (head) }
                    }
                }
                @for f in &run.findings {
                    tr {
                        td { code { (f.id) } }
                        td { (f.level) }
                        td { (f.summary) }
                        td { (f.count) }
                        td { code { (f.cases[0]) } }
                        td { (f.target_level.as_deref().unwrap_or("—")) }
                        td { (f.reproduction.unwrap_or("—")) }
                    }
                }
            }
        }
    }
}

fn metadata(run: &RunRecord) -> Markup {
    let m = &run.meta;
    let target = format!("{}{}", m.target, if m.embedded { " (embedded reference)" } else { "" });
    let rows: [(&str, String); 11] = [
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
        ("interrupted", m.interrupted.clone().unwrap_or_else(|| "no".into())),
    ];
    html! {
        h2 { "Run" }
        table class="meta" id="meta" {
            @for (key, value) in &rows { tr { th { (key) } td { (value) } } }
        }
    }
}

/// Every case that needs attention, each linking to its details.
fn failures(run: &RunRecord) -> Markup {
    let failed: Vec<_> = run.cases.iter().enumerate().filter(|(_, c)| c.needs_attention()).collect();
    html! {
        @if !failed.is_empty() {
            h2 { "Failures (" (failed.len()) ")" }
            ul id="failures" {
                @for (i, case) in &failed {
                    li {
                        a href={ "#" (case_anchor(*i)) } { code { (case.id) } }
                        @if case.status == Status::Inconclusive { " (inconclusive)" }
                        ": expected " (case.expected_text()) ", observed " (case.observed_text())
                    }
                }
            }
        }
    }
}

/// The session's own steps that found something: answers to its set-up and teardown requests.
fn steps(run: &RunRecord) -> Markup {
    html! {
        @if !run.steps.is_empty() {
            h2 { "Session steps (" (run.steps.len()) ")" }
            ul id="steps" {
                @for step in &run.steps {
                    li class=(if step.status.fails_run() { "fail" } else { "non-strict" }) {
                        code { (step.id) } " " (step.status.as_str())
                        @if let Some((level, rule, message)) = step.findings.first() { ": [" (level) " " (rule) "] " (message) }
                    }
                }
            }
        }
    }
}

/// Every non-strict case (only SHOULDs broken), apart from the failures, each linking to its details.
fn non_strict(run: &RunRecord) -> Markup {
    let cases: Vec<_> = run.cases.iter().enumerate().filter(|(_, c)| c.status == Status::NonStrict).collect();
    html! {
        @if !cases.is_empty() {
            h2 { "Non-strict (" (cases.len()) ")" }
            p { "Only SHOULD clauses broken: not failures under the documented profile, failures under --profile strict." }
            ul id="non-strict" {
                @for (i, case) in &cases {
                    li class="non-strict" {
                        a href={ "#" (case_anchor(*i)) } { code { (case.id) } }
                        @if let Some((rule, message)) = case.should.first() { ": [" (rule) "] " (message) }
                    }
                }
            }
        }
    }
}

fn families(run: &RunRecord) -> Markup {
    let totals = run.totals();
    html! {
        h2 { "Families" }
        table id="families" {
            thead {
                tr {
                    th { "family" } th { "passed" } th { "failed" } th { "skipped" } th { "inconclusive" }
                    th { "non-strict" }
                }
            }
            tbody {
                @for (family, c) in run.by_family() {
                    tr {
                        th { (family.as_str()) }
                        td class=(status_class(&c)) { (c.passed) }
                        td { (c.failed) } td { (c.skipped) } td { (c.inconclusive) }
                        td class=[(c.non_strict > 0).then_some("non-strict")] { (c.non_strict) }
                    }
                }
                @if !run.steps.is_empty() {
                    @let c = run.session_counts();
                    tr {
                        th { "session" }
                        td { (c.passed) } td { (c.failed) } td { (c.skipped) } td { (c.inconclusive) } td { (c.non_strict) }
                    }
                }
                tr {
                    th { "total" }
                    td { (totals.passed) } td { (totals.failed) } td { (totals.skipped) } td { (totals.inconclusive) }
                    td { (totals.non_strict) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::case::Family;
    use crate::declare::error_type::ErrorType;
    use crate::report::record::fixtures;

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
    fn run_data_with_markup_quotes_and_ampersands_is_escaped_everywhere() {
        let hostile = "<script>alert(\"x\")</script> & 'y'";
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 'y'";
        let mut run = fixtures::run();
        let case = &mut run.cases[1];
        assert_eq!(case.status, Status::Fail);
        case.id = hostile.into();
        case.endpoint = hostile.into();
        case.response_excerpt = Some(hostile.into());
        case.headers.push(("x-test".into(), hostile.into()));
        case.violations.push((hostile.into(), hostile.into()));
        run.meta.target = hostile.into();
        let html = render(&run);
        assert!(!html.contains("<script") && !html.contains("alert(\""), "raw markup leaked");
        assert!(html.contains(&format!("<a href=\"#case-1\"><code>{escaped}</code></a>")), "failure link");
        assert!(html.contains(&format!("<th>{escaped}</th>")), "matrix row");
        assert!(html.contains(&format!("<pre>{escaped}</pre>")), "response excerpt");
        assert!(html.contains(&format!("x-test: {escaped}")), "request header");
        assert!(html.contains(&format!("<strong>[{escaped}]</strong> {escaped}")), "broken rule");
        assert!(html.contains(&format!("target</th><td>{escaped} (embedded reference)</td>")), "run facts");
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
        assert_eq!(family_row(&html, "methods"), ["1", "1", "0", "1", "0"]);
        assert_eq!(family_row(&html, "accounts"), ["0", "0", "1", "1", "0"]);
        assert_eq!(family_row(&html, "total"), ["1", "1", "1", "2", "0"]);
        assert!(!html.contains("<th>accounts</th><td class=\"skip\">"), "an inconclusive family is not grey");
        assert!(html.contains("1 skipped · 2 inconclusive</p>"), "the verdict line counts them");
        assert!(html.contains("<small>(0 ✓ 0 ✗ 0 ⤼ 2 ?)</small>"), "so does their cell's heading");
    }

    #[test]
    fn a_non_strict_case_has_its_own_class_column_and_list_never_green_or_red() {
        let mut run = fixtures::run();
        run.cases.retain(|c| c.status == Status::Pass);
        run.cases.push(fixtures::case("methods/x/see", Family::Methods, "e", ErrorType::RouteError, Status::NonStrict));
        let html = render(&run);
        assert!(html.contains("1 passed · 0 failed · 0 skipped · 1 non-strict</p>"), "the verdict line counts it");
        assert_eq!(family_row(&html, "methods"), ["1", "0", "0", "0", "1"]);
        assert!(html.contains("<td class=\"non-strict\"><a href=\"#cell-"), "its matrix cell is amber");
        assert!(html.contains("<span class=\"badge non-strict\">NON-STRICT</span>"), "its badge");
        assert!(html.contains("<ul id=\"non-strict\">") && !html.contains("<ul id=\"failures\">"), "listed apart");
        assert!(html.contains("[SHOULD see link]"), "its finding is shown with its level");
        assert!(STYLE.contains(".non-strict"), "the class is styled");
    }
}
