//! What a list-shaped answer (a list, a filter, `query.json`, `search.json`) must hold when the suite knows
//! every object it matches: the request filters by a marker only the case's fresh objects carry, so even
//! among the user's data the matches are exactly those. The page is then exactly their window (`skip`
//! objects in, at most `limit` of them, in the sort's order), `count` is its length, `total` the number of
//! matches and `more` whether any match is past the page (Retrieve All Objects, Limit and Skip).

use serde_json::Value;

use crate::declare::scenario::Window;

pub(super) const NO_LIST: &str = "list answer without an `objects` list";
pub(super) const EXTRA: &str = "an object the request does not match is listed";
pub(super) const MISSING: &str = "a matching object in the page's window is not listed";
pub(super) const OUTSIDE: &str = "a match outside the page's window (`skip`/`limit`) is listed";
pub(super) const ORDER: &str = "the page's matches are not in the order the sort asks for";
pub(super) const COUNT: &str = "`count` is not the number of objects on the page";
pub(super) const OVER_LIMIT: &str = "the page holds more objects than `limit`";
pub(super) const TOTAL: &str = "`total` is not the number of matches";
pub(super) const MORE: &str = "`more` does not say whether matches remain past the page";

/// One finding: its cause and what was seen.
pub(super) type WindowFinding = (&'static str, String);

/// The IDs a list answer lists, in order (`?` for an entry without a string `id`).
fn listed(doc: &Value) -> Option<Vec<&str>> {
    let objects = doc.get("objects")?.as_array()?;
    Some(objects.iter().map(|o| o.get("id").and_then(Value::as_str).unwrap_or("?")).collect())
}

fn names(ids: &[&str]) -> String {
    crate::send::response_summary::cut(ids.join(", "), 300)
}

/// The findings on a list answer whose matches are `window.matches` (as fresh IDs `ids`).
pub(super) fn judge(window: &Window, doc: &Value, ids: &[String]) -> Vec<WindowFinding> {
    let Some(page) = listed(doc) else {
        return vec![(NO_LIST, "the answer has no `objects` list to judge".into())];
    };
    let matches: Vec<&str> = window.matches.iter().filter_map(|&i| ids.get(i).map(String::as_str)).collect();
    let skip = if window.ordered { window.skip } else { 0 };
    let want: Vec<&str> = matches.iter().copied().skip(skip).take(window.limit.unwrap_or(usize::MAX)).collect();
    let mut out = Vec::new();
    let extra: Vec<&str> = page.iter().copied().filter(|id| !matches.contains(id)).collect();
    if !extra.is_empty() {
        out.push((
            EXTRA,
            format!("{} listed object(s) do not match the request's filter: {}", extra.len(), names(&extra)),
        ));
    }
    let outside: Vec<&str> = page.iter().copied().filter(|id| matches.contains(id) && !want.contains(id)).collect();
    if window.ordered && !outside.is_empty() {
        out.push((
            OUTSIDE,
            format!(
                "listed {} outside the window of {} match(es) that skip={skip} and limit={} leave: {}",
                outside.len(),
                matches.len(),
                window.limit.map_or("none".into(), |l| l.to_string()),
                names(&outside)
            ),
        ));
    }
    let missing: Vec<&str> = want.iter().copied().filter(|id| !page.contains(id)).collect();
    if !missing.is_empty() {
        out.push((
            MISSING,
            format!("{} matching object(s) the page must list are missing: {}", missing.len(), names(&missing)),
        ));
    }
    let in_order: Vec<&str> = page.iter().copied().filter(|id| want.contains(id)).collect();
    if window.ordered && missing.is_empty() && in_order != want {
        out.push((ORDER, format!("listed in the order {}; the sort asks for {}", names(&in_order), names(&want))));
    }
    out.extend(bookkeeping(doc, page.len(), window.limit));
    if let Some(total) = doc.get("total") {
        if total.as_u64() != Some(matches.len() as u64) {
            out.push((TOTAL, format!("`total` is {total}, but {} object(s) match", matches.len())));
        }
    }
    if let Some(more) = doc.get("more").and_then(Value::as_bool) {
        let remain = skip + want.len() < matches.len();
        if more != remain {
            out.push((
                MORE,
                format!(
                    "`more` is {more}, but {} of {} match(es) are past the page",
                    matches.len() - (skip + want.len()).min(matches.len()),
                    matches.len()
                ),
            ));
        }
    }
    out
}

/// A page of at most `limit` objects whose `count` is its length.
pub(super) fn at_most(doc: &Value, limit: usize) -> Vec<WindowFinding> {
    match listed(doc) {
        Some(page) => bookkeeping(doc, page.len(), Some(limit)),
        None => vec![(NO_LIST, "the answer has no `objects` list to judge".into())],
    }
}

/// `count` is the page's length, and the page holds no more than `limit`.
fn bookkeeping(doc: &Value, len: usize, limit: Option<usize>) -> Vec<WindowFinding> {
    let mut out = Vec::new();
    if let Some(count) = doc.get("count") {
        if count.as_u64() != Some(len as u64) {
            out.push((COUNT, format!("`count` is {count}, but the page lists {len} object(s)")));
        }
    }
    if let Some(limit) = limit.filter(|&l| len > l) {
        out.push((OVER_LIMIT, format!("the page lists {len} object(s), over `limit={limit}`")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ids() -> Vec<String> {
        ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect()
    }

    fn page(list: &[&str], extra: Value) -> Value {
        let mut doc =
            json!({"objects": list.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(), "count": list.len()});
        if let (Some(d), Value::Object(e)) = (doc.as_object_mut(), extra) {
            d.extend(e);
        }
        doc
    }

    fn causes(w: &Window, doc: &Value) -> Vec<&'static str> {
        judge(w, doc, &ids()).into_iter().map(|(c, _)| c).collect()
    }

    /// Matches b, d, a, c in sort order; skip 1, limit 2: the page is d, a, with 4 in all and more left.
    fn sorted() -> Window {
        Window { matches: vec![1, 3, 0, 2], ordered: true, skip: 1, limit: Some(2) }
    }

    #[test]
    fn the_exact_window_with_its_bookkeeping_passes() {
        assert!(causes(&sorted(), &page(&["d", "a"], json!({"total": 4, "more": true}))).is_empty());
        let unordered = Window { matches: vec![0, 2], ordered: false, skip: 0, limit: None };
        assert!(causes(&unordered, &page(&["c", "a"], json!({"more": false}))).is_empty());
    }

    #[test]
    fn a_page_off_by_its_skip_limit_or_order_fails() {
        assert_eq!(causes(&sorted(), &page(&["b", "d"], json!({}))), vec![OUTSIDE, MISSING], "skip ignored");
        assert_eq!(causes(&sorted(), &page(&["d", "a", "c"], json!({}))), vec![OUTSIDE, OVER_LIMIT], "limit ignored");
        assert_eq!(causes(&sorted(), &page(&["a", "d"], json!({}))), vec![ORDER], "order reversed");
        assert_eq!(causes(&sorted(), &page(&["d", "a", "x"], json!({}))), vec![EXTRA, OVER_LIMIT], "filter ignored");
    }

    #[test]
    fn count_total_and_more_must_tell_the_truth() {
        let mut doc = page(&["d", "a"], json!({"total": 2, "more": false}));
        assert_eq!(causes(&sorted(), &doc), vec![TOTAL, MORE]);
        doc["count"] = json!(4);
        doc["total"] = json!(4);
        doc["more"] = json!(true);
        assert_eq!(causes(&sorted(), &doc), vec![COUNT]);
        assert_eq!(causes(&sorted(), &json!({"no": "list"})), vec![NO_LIST]);
    }

    #[test]
    fn at_most_limits_the_page_and_its_count() {
        assert!(at_most(&page(&["a"], json!({})), 1).is_empty());
        let causes: Vec<_> = at_most(&page(&["a", "b"], json!({"count": 1})), 1).into_iter().map(|(c, _)| c).collect();
        assert_eq!(causes, vec![COUNT, OVER_LIMIT]);
    }
}
