//! Every case in full, grouped by matrix cell: request, expectation, response, broken rules and a
//! `curl` repro, so a reader can act on a red cell without another tool.

use super::super::record::{CaseRecord, RunRecord, Status};
use super::matrix::{cell_anchor, counts, Grid};
use maud::{html, Markup};

/// The id of a case's details element, the target of its Failures link.
pub fn case_anchor(index: usize) -> String {
    format!("case-{index}")
}

/// The Cases section: one section per non-empty cell, in matrix order, failures first within it.
pub fn render(run: &RunRecord, grid: &Grid) -> Markup {
    html! {
        h2 { "Cases" }
        @for (&cell, indices) in &grid.cells {
            @let first = &run.cases[indices[0]];
            @let c = counts(run, indices);
            section id=(cell_anchor(cell)) {
                h3 {
                    (first.endpoint) " × " (first.column) " "
                    small {
                        "(" (c.passed) " ✓ " (c.failed) " ✗ " (c.skipped) " ⤼"
                        @if c.inconclusive > 0 { " " (c.inconclusive) " ?" }
                        @if c.non_strict > 0 { " " (c.non_strict) " !" }
                        ")"
                    }
                }
                @for &i in &failures_first(run, indices) { (case_details(i, &run.cases[i])) }
            }
        }
    }
}

fn failures_first(run: &RunRecord, indices: &[usize]) -> Vec<usize> {
    let mut sorted = indices.to_vec();
    sorted.sort_by_key(|&i| (run.cases[i].status != Status::Fail, i));
    sorted
}

/// One term of a case's description list.
fn row(term: &str, value: Markup) -> Markup {
    html! { dt { (term) } dd { (value) } }
}

fn case_details(index: usize, case: &CaseRecord) -> Markup {
    let status = case.status.as_str();
    let headers: Vec<String> = case.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    html! {
        details class={ "case " (status) } id=(case_anchor(index)) open[case.status == Status::Fail] {
            summary {
                span class={ "badge " (status) } { (status.to_uppercase()) }
                code { (case.id) } " — " (case.description)
            }
            dl {
                (row("spec", html! { (case.spec) }))
                (row("request", html! { code { (case.method) " " (case.path) } }))
                @if !headers.is_empty() { (row("headers", html! { pre { (headers.join("\n")) } })) }
                @if let Some(body) = &case.body_excerpt {
                    (row("body", html! { pre { (body) } small { (case.body_bytes) " bytes" } }))
                }
                (row("expected", html! {
                    (case.expected_text())
                    @if let Some(why) = &case.expected_why { br; small { (why) } }
                }))
                (row("observed", html! { (case.observed_text()) }))
                @if let Some(reason) = &case.skip_reason { (row("skipped", html! { (reason) })) }
                @if let Some(ct) = &case.response_content_type { (row("content-type", html! { code { (ct) } })) }
                @if let Some(body) = &case.response_excerpt { (row("response", html! { pre { (body) } })) }
                @for (rule, message) in &case.violations {
                    (row("broken", html! { strong { "[" (rule) "]" } " " (message) }))
                }
                @for (rule, message) in &case.should {
                    (row("should", html! { strong { "[SHOULD " (rule) "]" } " " (message) }))
                }
                (row("time", html! { (format!("{:.1} ms", case.elapsed.as_secs_f64() * 1000.0)) }))
                (row("repro", html! { pre { (case.curl) } }))
            }
        }
    }
}
