//! The oplog read the way the vendor's typed client reads it, judged against writes the case made itself
//! (clause `oplog-pages`): one fresh object and a batch of patches to it, so the case knows five entries
//! that must be in the log. Their range `[first, last]` is read from a `tail=true` page, then paged again
//! with `start`, `end` and a `limit` that takes three pages, following `has_more` and
//! `next_request_start`; the pages must hold every entry of the range exactly once, each page within its
//! range and `limit`. Last, `tail=true&limit=2` must give entries no older than the case's own newest two.
//! The session fetches (`session/oplog.rs`); this file decides.

use super::{Cause, Rule, Violation};
use serde_json::Value;

/// The writes the case makes, as it declares them.
pub const WRITES: usize = crate::declare::scenario::OPLOG_WRITES;
/// Pages the walk is planned to take.
const PAGES: usize = 3;
/// Pages followed before the walk is called endless.
pub const MAX_PAGES: usize = PAGES + 3;
/// Entries of the page the case's writes are looked for in (the documented maximum).
pub const LOOK: usize = 1000;
/// Entries the last `tail=true` read asks for.
pub const TAIL: usize = 2;

pub(super) const UNREADABLE: &str = "oplog page unreadable";
pub(super) const NOT_NEWEST: &str = "`tail=true` does not give the newest entries";
pub(super) const OVER_LIMIT: &str = "oplog page holds more entries than `limit`";
pub(super) const OUT_OF_RANGE: &str = "oplog page holds an entry outside start <= sequence < end";
pub(super) const REPEATED: &str = "oplog pages repeat an entry or go backwards";
pub(super) const SKIPPED: &str = "oplog pages skip an entry";
pub(super) const NO_PAGING: &str = "oplog page without `has_more`/`next_request_start`";
pub(super) const ENDLESS: &str = "oplog pages do not end";

fn broken(what: &'static str, message: String) -> Violation {
    Violation::caused(Rule::Expected, message, Cause::Check(what))
}

/// One oplog page as read: its entries' sequences and object IDs, and its paging keys.
#[derive(Debug, Default)]
pub struct Page {
    pub entries: Vec<(u64, Option<String>)>,
    pub has_more: Option<bool>,
    pub next: Option<u64>,
}

fn number(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// The page in `body`, or why it cannot be read as one.
pub fn page(status: u16, body: &[u8]) -> Result<Page, String> {
    if !(200..300).contains(&status) {
        return Err(format!("answered {status}"));
    }
    let doc: Value = serde_json::from_slice(body).map_err(|e| format!("is no JSON ({e})"))?;
    let list = doc.get("entries").and_then(Value::as_array).ok_or("has no `entries` list")?;
    let mut entries = Vec::with_capacity(list.len());
    for e in list {
        let sequence = e.get("sequence").and_then(number).ok_or("has an entry without a whole-number `sequence`")?;
        let id = e.get("object").and_then(|o| o.get("id")).and_then(Value::as_str).map(str::to_string);
        entries.push((sequence, id));
    }
    let has_more = doc.get("has_more").and_then(Value::as_bool);
    Ok(Page { entries, has_more, next: doc.get("next_request_start").and_then(number) })
}

/// A page that could not be read, as the violation it is.
pub fn unreadable(what: &str, why: &str) -> Vec<Violation> {
    vec![broken(UNREADABLE, format!("{what} {why}"))]
}

/// The entries the walk must read: the sequences from the case's first write to its last, in log order.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub expected: Vec<u64>,
    /// The sequences of the case's own writes, oldest first.
    pub ours: Vec<u64>,
    pub limit: usize,
}

impl Plan {
    /// The page of the walk that starts at `start`.
    pub fn query(&self, start: u64) -> String {
        format!("start={start}&end={}&limit={}", self.last() + 1, self.limit)
    }

    pub fn first(&self) -> u64 {
        self.ours.first().copied().unwrap_or(0)
    }

    fn last(&self) -> u64 {
        self.ours.last().copied().unwrap_or(0)
    }
}

/// What a page looked for the case's writes in says: the plan, nothing to judge (`Ok(None)`: the page
/// is full of other writes, so they may be older), or a violation.
pub fn plan(what: &str, page: &Page, id: &str) -> Result<Option<Plan>, Vec<Violation>> {
    let ours: Vec<u64> = page.entries.iter().filter(|(_, i)| i.as_deref() == Some(id)).map(|(s, _)| *s).collect();
    if ours.len() < WRITES {
        if page.entries.len() >= LOOK {
            return Ok(None);
        }
        return Err(vec![broken(
            NOT_NEWEST,
            format!(
                "{what} lists {} entries, not {LOOK}, yet only {} of the {WRITES} writes to object {id} made just before",
                page.entries.len(),
                ours.len()
            ),
        )]);
    }
    let sequences: Vec<u64> = page.entries.iter().map(|(s, _)| *s).collect();
    if sequences.windows(2).any(|w| w[0] >= w[1]) {
        return Err(vec![broken(REPEATED, format!("{what} lists sequences out of order: {}", shown(&sequences)))]);
    }
    let (first, last) = (ours[0], ours[ours.len() - 1]);
    let expected: Vec<u64> = sequences.into_iter().filter(|s| (first..=last).contains(s)).collect();
    let limit = expected.len().div_ceil(PAGES).max(1);
    Ok(Some(Plan { expected, ours, limit }))
}

/// Whether the forward pages after a full `tail=true` page held the case's writes: the tail was not the newest.
pub fn found_later(what: &str, page: &Page, id: &str) -> Option<Violation> {
    page.entries.iter().any(|(_, i)| i.as_deref() == Some(id)).then(|| {
        broken(NOT_NEWEST, format!("{what}, after the `tail=true` page, lists writes to object {id} made before it"))
    })
}

fn shown(sequences: &[u64]) -> String {
    let text: Vec<String> = sequences.iter().map(u64::to_string).collect();
    crate::send::response_summary::cut(text.join(", "), 200)
}

/// The walk over the plan's range, page by page.
#[derive(Debug)]
pub struct Walk {
    plan: Plan,
    seen: Vec<u64>,
    pages: usize,
    out: Vec<Violation>,
}

impl Walk {
    pub fn new(plan: Plan) -> Walk {
        Walk { plan, seen: Vec::new(), pages: 0, out: Vec::new() }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Judges the page read from `start`; the start of the next page, if the walk goes on.
    pub fn page(&mut self, what: &str, start: u64, page: Result<Page, String>) -> Option<u64> {
        self.pages += 1;
        let page = match page {
            Ok(p) => p,
            Err(why) => {
                self.out.push(broken(UNREADABLE, format!("{what} {why}")));
                return None;
            }
        };
        let end = self.plan.last() + 1;
        let sequences: Vec<u64> = page.entries.iter().map(|(s, _)| *s).collect();
        if sequences.len() > self.plan.limit {
            self.out.push(broken(
                OVER_LIMIT,
                format!("{what} lists {} entries, over `limit={}`", sequences.len(), self.plan.limit),
            ));
        }
        let outside: Vec<u64> = sequences.iter().copied().filter(|s| *s < start || *s >= end).collect();
        if !outside.is_empty() {
            self.out.push(broken(OUT_OF_RANGE, format!("{what} lists {}, outside [{start}, {end})", shown(&outside))));
        }
        for s in sequences.iter().copied().filter(|s| (start..end).contains(s)) {
            if self.seen.last().is_some_and(|&l| s <= l) {
                self.out.push(broken(REPEATED, format!("{what} lists {s} after {}", self.seen[self.seen.len() - 1])));
            } else {
                self.seen.push(s);
            }
        }
        let remaining = self.plan.expected.iter().filter(|&&s| self.seen.last().is_none_or(|&l| s > l)).count();
        let (Some(more), next) = (page.has_more, page.next) else {
            self.out.push(broken(NO_PAGING, format!("{what} has no boolean `has_more`")));
            return None;
        };
        if !more {
            if remaining > 0 {
                self.out.push(broken(
                    SKIPPED,
                    format!("{what} says `has_more: false` with {remaining} entries of the range still unread"),
                ));
            }
            return None;
        }
        if sequences.is_empty() && remaining == 0 {
            self.out.push(broken(ENDLESS, format!("{what} is empty, yet says `has_more: true`")));
            return None;
        }
        let Some(next) = next else {
            self.out.push(broken(NO_PAGING, format!("{what} says `has_more: true` without a `next_request_start`")));
            return None;
        };
        if self.pages >= MAX_PAGES {
            self.out.push(broken(
                ENDLESS,
                format!(
                    "{MAX_PAGES} pages of `limit={}` have not read the range's {} entries to its end",
                    self.plan.limit,
                    self.plan.expected.len()
                ),
            ));
            return None;
        }
        Some(next)
    }

    /// The walk's findings so far, when a page brought no answer: what it has not read yet is not judged.
    pub fn stopped(self) -> Vec<Violation> {
        self.out
    }

    /// The walk's findings, with any entry of the range it never read.
    pub fn finish(mut self) -> Vec<Violation> {
        let skipped: Vec<u64> = self.plan.expected.iter().copied().filter(|s| !self.seen.contains(s)).collect();
        if !skipped.is_empty() {
            self.out.push(broken(
                SKIPPED,
                format!("following `next_request_start` never read entries {}", shown(&skipped)),
            ));
        }
        self.out
    }
}

/// `tail=true&limit=2` after the walk: at most two entries, none older than the case's own newest two.
pub fn tail(what: &str, page: Result<Page, String>, ours: &[u64]) -> Vec<Violation> {
    let page = match page {
        Ok(p) => p,
        Err(why) => return unreadable(what, &why),
    };
    let sequences: Vec<u64> = page.entries.iter().map(|(s, _)| *s).collect();
    let mut out = Vec::new();
    if sequences.len() > TAIL || sequences.is_empty() {
        out.push(broken(NOT_NEWEST, format!("{what} lists {} entries, not 1 to {TAIL}", sequences.len())));
    }
    let floor = ours.len().checked_sub(TAIL).and_then(|i| ours.get(i)).copied().unwrap_or(0);
    let older: Vec<u64> = sequences.iter().copied().filter(|&s| s < floor).collect();
    if !older.is_empty() {
        out.push(broken(
            NOT_NEWEST,
            format!("{what} lists {}, older than the case's own write {floor} made before it", shown(&older)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(list: &[(u64, &str)]) -> Vec<(u64, Option<String>)> {
        list.iter().map(|(s, id)| (*s, Some(id.to_string()))).collect()
    }

    /// Sequences 10..=16, ours at 10, 11, 13, 15, 16; the range has 7 entries, so pages of 3.
    fn look() -> Page {
        let list = [(9, "x"), (10, "o"), (11, "o"), (12, "x"), (13, "o"), (14, "x"), (15, "o"), (16, "o"), (17, "x")];
        Page { entries: entries(&list), has_more: Some(false), next: None }
    }

    fn walk_pages(pages: &[(&[u64], bool, Option<u64>)]) -> Vec<&'static str> {
        let plan = plan("look", &look(), "o").unwrap().unwrap();
        let mut walk = Walk::new(plan);
        let mut start = walk.plan().first();
        for (seqs, more, next) in pages {
            let page = Page { entries: seqs.iter().map(|s| (*s, None)).collect(), has_more: Some(*more), next: *next };
            match walk.page("page", start, Ok(page)) {
                Some(n) => start = n,
                None => break,
            }
        }
        walk.finish().into_iter().filter_map(|v| if let Cause::Check(c) = v.cause { Some(c) } else { None }).collect()
    }

    #[test]
    fn the_plan_takes_the_range_of_the_case_writes_in_three_pages() {
        let plan = plan("look", &look(), "o").unwrap().unwrap();
        assert_eq!(plan.expected, vec![10, 11, 12, 13, 14, 15, 16]);
        assert_eq!((plan.limit, plan.first()), (3, 10));
        assert_eq!(plan.query(10), "start=10&end=17&limit=3");
        let full = Page { entries: (0..LOOK as u64).map(|s| (s, None)).collect(), ..Page::default() };
        assert_eq!(super::plan("look", &full, "o").unwrap(), None, "a full page of others proves nothing");
        let short = Page { entries: entries(&[(1, "x")]), ..Page::default() };
        assert!(super::plan("look", &short, "o").is_err(), "a short page without the writes is no tail");
    }

    #[test]
    fn a_walk_that_reads_each_entry_once_passes() {
        assert!(walk_pages(&[(&[10, 11, 12], true, Some(13)), (&[13, 14, 15], true, Some(16)), (&[16], false, None)])
            .is_empty());
        // A full last page may say more, if the next one is empty and says no more.
        let full_last = [
            (&[10, 11, 12][..], true, Some(13)),
            (&[13, 14, 15], true, Some(16)),
            (&[16], true, Some(17)),
            (&[], false, None),
        ];
        assert!(walk_pages(&full_last).is_empty());
    }

    #[test]
    fn a_walk_that_repeats_skips_overflows_or_never_ends_fails() {
        let repeat = walk_pages(&[
            (&[10, 11, 12], true, Some(12)),
            (&[12, 13, 14], true, Some(14)),
            (&[14, 15, 16], false, None),
        ]);
        assert!(repeat.contains(&REPEATED), "{repeat:?}");
        let skip = walk_pages(&[(&[10, 11, 12], true, Some(14)), (&[14, 15, 16], false, None)]);
        assert!(skip.contains(&SKIPPED), "{skip:?}");
        let over = walk_pages(&[(&[10, 11, 12, 13, 14, 15, 16], false, None)]);
        assert_eq!(over, vec![OVER_LIMIT]);
        let early = walk_pages(&[(&[10, 11, 12], false, None)]);
        assert!(early.contains(&SKIPPED), "{early:?}");
        let outside =
            walk_pages(&[(&[8, 9, 10], true, Some(11)), (&[11, 12, 13], true, Some(14)), (&[14, 15, 16], false, None)]);
        assert!(outside.contains(&OUT_OF_RANGE), "{outside:?}");
        let endless = walk_pages(&[
            (&[10, 11, 12], true, Some(13)),
            (&[13, 14, 15], true, Some(16)),
            (&[16], true, Some(17)),
            (&[], true, Some(17)),
        ]);
        assert!(endless.contains(&ENDLESS), "{endless:?}");
    }

    #[test]
    fn tail_must_give_the_newest_entries() {
        let ours = [10, 11, 13, 15, 16];
        let page = |s: &[u64]| Ok(Page { entries: s.iter().map(|s| (*s, None)).collect(), ..Page::default() });
        assert!(tail("tail", page(&[16, 17]), &ours).is_empty());
        assert!(tail("tail", page(&[15, 16]), &ours).is_empty());
        assert_eq!(tail("tail", page(&[1, 2]), &ours).len(), 1, "the oldest entries");
        assert_eq!(tail("tail", page(&[16, 17, 18]), &ours).len(), 1, "over the limit");
        assert_eq!(tail("tail", Err("answered 400".into()), &ours).len(), 1);
    }
}
