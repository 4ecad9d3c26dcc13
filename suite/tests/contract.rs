//! `docs/contract.md` and `spec.rs` in step: every clause a case cites is in [`spec::all`] and has a heading
//! with its anchor, every heading's anchor belongs to a clause that a case (or a generated expectation)
//! cites, and the grade written in the heading is the clause's grade.

use journey_conformance::declare::case::Case;
use journey_conformance::declare::ctx::Ctx;
use journey_conformance::declare::expect::Expect;
use journey_conformance::declare::families;
use journey_conformance::declare::scenario::{After, OpExpect};
use journey_conformance::declare::spec::{self, Clause, Grade};
use journey_conformance::oracle::Rule;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

const CONTRACT: &str = include_str!("../../docs/contract.md");

/// A context whose model has every field type and a relation, so every case is built for real.
fn ctx() -> Ctx {
    let options = json!([{"key": "open", "display": "Open"}, {"key": "done", "display": "Done"}]);
    let int_options = json!([{"key": 1, "display": "One"}, {"key": 2, "display": "Two"}]);
    let fields = json!({
        "name": {"type": "text"}, "notes": {"type": "text"}, "count": {"type": "integer"},
        "weight": {"type": "number"}, "done": {"type": "boolean"}, "due": {"type": "date"},
        "at": {"type": "datetime"}, "status": {"type": "single-choice", "options": options},
        "level": {"type": "single-choice-integer", "options": int_options},
        "tags": {"type": "multiple-choice", "options": options},
        "levels": {"type": "multiple-choice-integer", "options": int_options},
        "place": {"type": "location"}, "doc": {"type": "attachment"}, "photo": {"type": "photo"},
        "sig": {"type": "signature"}
    });
    Ctx {
        prefix: String::new(),
        account: "5f0c0ffee0000000000000a1".into(),
        second_account: Some("5f0c0ffee0000000000000b2".into()),
        object_type: "task".into(),
        field: Some(("name".into(), json!("journey-conformance fixture"))),
        existing_id: "3f8e4c52-8a3e-4c1b-9d1f-2a9b7c6d5e4f".into(),
        unknown_id: "9b2d6a70-1c4e-4f3a-8b5d-7e6f5a4b3c2d".into(),
        oversize_bytes: 4096,
        run_id: "0123456789ab".into(),
        bearer: false,
        model: json!({"models": {
            "task": {"fields": fields, "belongs_to": {"category": {"model": "category", "name": "category"}}},
            "category": {"fields": {"name": {"type": "text"}}}
        }}),
    }
}

fn whys(expect: &Expect, out: &mut Vec<&'static Clause>) {
    out.extend(expect.why);
}

/// Every clause a case rests on: its own, its outcome set's, its batch results' and its follow-ups'.
fn citations(case: &Case) -> Vec<&'static Clause> {
    let mut out = vec![case.spec];
    whys(&case.expect, &mut out);
    for op in case.scenario.batch.iter().flatten() {
        if let OpExpect::Error(e) = op {
            whys(e, &mut out);
        }
    }
    for after in &case.scenario.after {
        if let After::Request(_, e) = after {
            whys(e, &mut out);
        }
    }
    out
}

/// The headings of `docs/contract.md` that carry `<a id="…"></a>`, with the grade written in them.
fn headings(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with('#')) {
        let Some(rest) = line.split_once("<a id=\"").map(|(_, r)| r) else { continue };
        let Some((anchor, tail)) = rest.split_once('"') else { continue };
        let grade = ["MUST", "SHOULD", "OPEN", "SECURITY"].into_iter().find(|g| tail.contains(&format!("({g})")));
        let previous = out.insert(anchor.to_string(), grade.unwrap_or("none").to_string());
        assert!(previous.is_none(), "anchor {anchor} has two headings");
    }
    out
}

#[test]
fn the_heading_reader_finds_anchors_and_grades() {
    let text = "# Title\n### <a id=\"a-b\"></a> a-b (SHOULD)\nbody (MUST)\n## <a id=\"c\"></a> c\n";
    let found = headings(text);
    assert_eq!(found.get("a-b").map(String::as_str), Some("SHOULD"));
    assert_eq!(found.get("c").map(String::as_str), Some("none"));
    assert_eq!(found.len(), 2);
}

#[test]
fn every_cited_clause_is_listed_and_has_a_heading_with_its_grade() {
    let listed: BTreeSet<&str> = spec::all().iter().map(|c| c.anchor).collect();
    assert_eq!(listed.len(), spec::all().len(), "two clauses share an anchor");
    let written = headings(CONTRACT);
    for case in families::all(&ctx()) {
        for clause in citations(&case) {
            assert!(listed.contains(clause.anchor), "{} cites {}, which spec::all() lacks", case.id, clause.anchor);
        }
    }
    for clause in spec::all().iter().chain(spec::rules::ALL) {
        let grade = written.get(clause.anchor);
        assert!(grade.is_some(), "docs/contract.md has no heading for {}", clause.anchor);
        assert_eq!(grade.map(String::as_str), Some(clause.grade.as_str()), "grade of {}", clause.anchor);
    }
}

#[test]
fn every_heading_belongs_to_a_cited_clause() {
    let mut cited: BTreeSet<&str> = spec::generated::ALL.iter().chain(spec::rules::ALL).map(|c| c.anchor).collect();
    cited.extend(Rule::ALL.iter().filter_map(|r| r.clause()).map(|c| c.anchor));
    for case in families::all(&ctx()) {
        cited.extend(citations(&case).into_iter().map(|c| c.anchor));
    }
    for anchor in headings(CONTRACT).keys() {
        assert!(cited.contains(anchor.as_str()), "docs/contract.md#{anchor} is cited by no case");
    }
    assert!(CONTRACT.contains("## Response rules"), "the oracle's rule section is missing");
}

#[test]
fn open_clauses_explain_outcome_sets() {
    for case in families::all(&ctx()) {
        if let Some(why) = case.expect.why {
            assert_ne!(why.grade, Grade::Must, "{}: an outcome set rests on a MUST clause {}", case.id, why.anchor);
        }
    }
}

/// The oracle rules whose clause (the rule table's clause column) has no heading with its grade in `text`.
fn rules_without_heading(rules: &[Rule], text: &str) -> Vec<String> {
    let written = headings(text);
    let clauses = rules.iter().filter_map(|r| Some((r, r.clause()?)));
    let missing = clauses.filter(|(_, c)| written.get(c.anchor).map(String::as_str) != Some(c.grade.as_str()));
    missing.map(|(r, c)| format!("rule {r}: no heading {} ({})", c.anchor, c.grade.as_str())).collect()
}

#[test]
fn every_rule_clause_has_a_heading_with_its_grade() {
    let missing = rules_without_heading(&Rule::ALL, CONTRACT);
    assert!(missing.is_empty(), "docs/contract.md lacks:\n{}", missing.join("\n"));
    // The check fails where a rule's heading is gone or carries another grade.
    let anchor = Rule::SeeLink.clause().expect("a clause").anchor;
    let gone: String =
        CONTRACT.lines().filter(|l| !l.contains(&format!("\"{anchor}\""))).map(|l| format!("{l}\n")).collect();
    assert_eq!(rules_without_heading(&Rule::ALL, &gone).len(), 1, "{anchor} removed");
    assert!(rules_without_heading(&[Rule::Expected, Rule::Recommended], "").is_empty(), "outcome rules have no clause");
}
