//! `docs/contract.md` and `spec` in step: the clauses `build.rs` generated are the document's (a stale or
//! misplaced one fails), every clause a case cites is in [`spec::all`] and has a heading with its anchor
//! and grade, and every heading's anchor belongs to a clause that a case (or a generated expectation)
//! cites. The reading rules are `contract_parse.rs`, shared with `build.rs` and tested here.

use contract_parse::{Parsed, SECTIONS};
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

#[path = "../contract_parse.rs"]
mod contract_parse;

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

/// The clauses of `docs/contract.md`, read by the rules `build.rs` generates them by.
fn parsed() -> Vec<Parsed> {
    contract_parse::parse(CONTRACT).unwrap_or_else(|e| panic!("{e}"))
}

/// Each heading's anchor in `text` with the grade written in it.
fn headings(text: &str) -> BTreeMap<String, &'static str> {
    let parsed = contract_parse::parse(text).unwrap_or_else(|e| panic!("{e}"));
    parsed.into_iter().map(|p| (p.anchor, p.grade)).collect()
}

/// What a clause says, as the document or a generated const has it: anchor, grade, sentence.
fn words(anchor: &str, grade: &str, says: &str) -> String {
    format!("{anchor} ({grade}): {says}")
}

#[test]
fn the_generated_clauses_are_the_documents() {
    let parsed = parsed();
    let modules: [(&str, &[&Clause]); 5] = [
        ("open", spec::open::ALL),
        ("generated", spec::generated::ALL),
        ("client_clauses", spec::client_clauses::ALL),
        ("rules", spec::rules::ALL),
        ("depth", spec::depth::ALL),
    ];
    for section in SECTIONS.iter().filter(|s| !s.module.is_empty()) {
        assert!(modules.iter().any(|(m, _)| *m == section.module), "no list of spec::{} here", section.module);
    }
    let generated =
        |list: &[&Clause]| -> Vec<String> { list.iter().map(|c| words(c.anchor, c.grade.as_str(), c.says)).collect() };
    let written = |keep: &dyn Fn(&Parsed) -> bool| -> Vec<String> {
        parsed.iter().filter(|p| keep(p)).map(|p| words(&p.anchor, p.grade, &p.says)).collect()
    };
    for (module, list) in modules {
        same(&generated(list), &written(&|p| p.module == module), &format!("spec::{module}::ALL"));
    }
    same(&generated(spec::all()), &written(&|p| p.listed), "spec::all()");
}

/// Fails on the first clause where `generated` and the document differ, naming both.
fn same(generated: &[String], written: &[String], list: &str) {
    let first = generated.iter().zip(written).position(|(g, w)| g != w);
    let none = String::from("nothing");
    let at = first.unwrap_or(generated.len().min(written.len()));
    let (g, w) = (generated.get(at).unwrap_or(&none), written.get(at).unwrap_or(&none));
    assert!(generated == written, "{list} is stale at its clause {at}:\n  generated: {g}\n  document:  {w}");
}

#[test]
fn the_reader_takes_sections_headings_paragraphs_and_names() {
    let text =
        "# The contract\n\n## Documented rules and practice\n\n### <a id=\"put-upsert\"></a> put-upsert (MUST)\n\n\
                PUT of an ID creates\n  the object `{\"a\":1}`.\n\nMore.\n\n- Cited by: x\n\
                ## Open readings (outcome sets)\n### <a id=\"open-head\"></a> open-head (OPEN)\nHEAD is open.\n\
                ### <a id=\"open-x-y\"></a> open-x-y (SECURITY) <!-- const XY -->\n\nOne. Two.\n";
    let found = contract_parse::parse(text).unwrap();
    let seen: Vec<_> =
        found.iter().map(|p| (p.module, p.name.as_str(), p.grade, p.says.as_str(), p.listed, p.line)).collect();
    assert_eq!(
        seen,
        [
            ("", "PUT_UPSERT", "MUST", "PUT of an ID creates the object `{\"a\":1}`", true, 5),
            ("open", "HEAD", "OPEN", "HEAD is open", true, 14),
            ("open", "XY", "SECURITY", "One. Two", true, 16),
        ]
    );
    let rules = "## Response rules\n### <a id=\"rule-see-link\"></a> rule-see-link (SHOULD)\n\n`see` links.\n";
    let rule = &contract_parse::parse(rules).unwrap()[0];
    assert_eq!((rule.module, rule.name.as_str(), rule.listed), ("rules", "SEE_LINK", false));
}

#[test]
fn the_reader_names_the_line_of_each_mistake() {
    let section = "## Generated expectations\n";
    let clause = |heading: &str, body: &str| format!("{section}{heading}\n\n{body}\n");
    let cases = [
        (clause("## <a id=\"generated-a\"></a> generated-a (MUST)", "A."), ":2: a clause heading is `###"),
        (clause("### <a id=\"generated-a\"></a> generated-a", "A."), ":2: heading `generated-a` has no grade"),
        (clause("### <a id=\"generated-a\"></a> generated-a (MAY)", "A."), ":2: heading `generated-a` has no grade"),
        (clause("### <a id=\"generated-a\"></a> generated-b (MUST)", "A."), ":2: heading shows `generated-b`"),
        (clause("### <a id=\"Generated-A\"></a> Generated-A (MUST)", "A."), ":2: anchor `Generated-A` is not"),
        (clause("### <a id=\"generated-a\"></a> generated-a (MUST) more", "A."), ":2: after `(MUST)` a heading takes"),
        (
            clause("### <a id=\"generated-a\"></a> generated-a (MUST) <!-- const a -->", "A."),
            ":2: `a` is no const name",
        ),
        (clause("### <a id=\"generated-a\"></a> generated-a (MUST)", "A"), ":2: heading `generated-a` is not followed"),
        (
            clause("### <a id=\"generated-a\"></a> generated-a (MUST)", "- Cited by: x"),
            ":2: heading `generated-a` is not",
        ),
        (
            format!(
                "{}### <a id=\"generated-a\"></a> generated-a (OPEN)\n\nB.\n",
                clause("### <a id=\"generated-a\"></a> generated-a (MUST)", "A.")
            ),
            ":5: anchor `generated-a` already has a heading at line 2",
        ),
        (
            format!(
                "{}### <a id=\"b\"></a> b (OPEN) <!-- const A -->\n\nB.\n",
                clause("### <a id=\"generated-a\"></a> generated-a (MUST)", "A.")
            ),
            ":5: const `A` is also the clause at line 2",
        ),
        (
            "## Notes\n### <a id=\"a\"></a> a (MUST)\n\nA.\n".to_string(),
            ":2: clause `a` is under `## Notes`, which names no spec module",
        ),
        ("### <a id=\"a\"></a> a (MUST)\n\nA.\n".to_string(), ":1: clause `a` comes before any `##` section"),
        (clause("### <a id=\"generated-all\"></a> generated-all (MUST)", "A."), ":2: `ALL` names the module's list"),
    ];
    for (text, want) in cases {
        let err = contract_parse::parse(&text).expect_err(&text);
        assert!(err.starts_with("docs/contract.md:") && err.contains(want), "{err:?} lacks {want:?}");
        assert!(!err.contains('\n'), "{err:?} is more than one line");
    }
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
        assert_eq!(grade.copied(), Some(clause.grade.as_str()), "grade of {}", clause.anchor);
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
    let missing = clauses.filter(|(_, c)| written.get(c.anchor).copied() != Some(c.grade.as_str()));
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
