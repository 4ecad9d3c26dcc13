//! The endpoint × expected-outcome matrix: which cases fall in which cell, and the table whose cells
//! count them and link to their details.

use super::super::route_row;
use super::super::record::{Column, Counts, RunRecord};
use maud::{html, Markup};
use std::collections::BTreeMap;

/// The matrix laid out once, so the table and the case sections agree on cells and anchors.
pub struct Grid<'a> {
    /// Endpoint rows, in route-table order.
    pub rows: Vec<&'a str>,
    /// Expected-outcome columns, in [`Column`] order.
    pub columns: Vec<Column>,
    /// (row, column) → indices into the run's cases, in run order; empty cells are absent.
    pub cells: BTreeMap<(usize, usize), Vec<usize>>,
}

impl<'a> Grid<'a> {
    /// Places every case of `run` in its cell.
    pub fn of(run: &'a RunRecord) -> Grid<'a> {
        let mut rows: Vec<&str> = run.cases.iter().map(|c| c.endpoint.as_str()).collect();
        rows.sort_by_key(|r| (route_row::rank(r), *r));
        rows.dedup();
        let mut columns: Vec<Column> = run.cases.iter().map(|c| c.column).collect();
        columns.sort();
        columns.dedup();
        let mut cells: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (i, case) in run.cases.iter().enumerate() {
            let row = rows.iter().position(|r| *r == case.endpoint).unwrap_or(0);
            let col = columns.iter().position(|c| *c == case.column).unwrap_or(0);
            cells.entry((row, col)).or_default().push(i);
        }
        Grid { rows, columns, cells }
    }
}

/// The id of a cell's case section, the target of its matrix link.
pub fn cell_anchor((row, col): (usize, usize)) -> String {
    format!("cell-{row}-{col}")
}

/// The statuses of the given cases, counted.
pub fn counts(run: &RunRecord, indices: &[usize]) -> Counts {
    let mut c = Counts::default();
    for &i in indices {
        c.add(run.cases[i].status);
    }
    c
}

/// Red when anything needs attention, amber when only SHOULDs broke, green when something passed, grey
/// when all were skipped.
pub fn status_class(c: &Counts) -> &'static str {
    if c.failed + c.inconclusive > 0 {
        "fail"
    } else if c.non_strict > 0 {
        "non-strict"
    } else if c.passed > 0 {
        "pass"
    } else {
        "skip"
    }
}

/// `3 ✓ 1 ✗`: passes always, the other counts only when non-zero.
fn label(c: &Counts) -> String {
    let mut label = format!("{} ✓", c.passed);
    for (n, mark) in [(c.failed, "✗"), (c.skipped, "⤼"), (c.inconclusive, "?"), (c.non_strict, "!")] {
        if n > 0 {
            label.push_str(&format!(" {n} {mark}"));
        }
    }
    label
}

/// The matrix section: heading, legend and table.
pub fn render(run: &RunRecord, grid: &Grid) -> Markup {
    html! {
        h2 { "Endpoint × expected error type" }
        p class="legend" {
            span class="pass" style="background:#cdeed6" { "all passed" }
            span style="background:#f6c7c7" { "some failed" }
            span style="background:#e8eaed" { "skipped" }
            span class="non-strict" { "only SHOULDs broken" }
            "Each cell: cases passed ✓ / failed ✗ / skipped ⤼ / inconclusive ? / non-strict !; click for the cases."
        }
        table id="matrix" {
            thead {
                tr {
                    th { "endpoint" }
                    @for column in &grid.columns { th { (column) } }
                }
            }
            tbody {
                @for (r, row) in grid.rows.iter().enumerate() {
                    tr {
                        th { (row) }
                        @for col in 0..grid.columns.len() {
                            @if let Some(indices) = grid.cells.get(&(r, col)) {
                                @let c = counts(run, indices);
                                td class=(status_class(&c)) { a href={ "#" (cell_anchor((r, col))) } { (label(&c)) } }
                            } @else {
                                td class="empty" { "·" }
                            }
                        }
                    }
                }
            }
        }
    }
}
