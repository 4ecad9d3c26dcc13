//! The case families, as data tables; [`all`] lists every case for a target. Adding a family is one file
//! (its `cases(ctx)`) plus one row in the table below, which also declares the file's module
//! (`scripts/family-template-check.sh` adds one in a scratch copy and runs it).

mod table;

mod accounts_isolation;
mod clients_backend;
mod clients_db;
mod json_implementation;
mod method_override;
mod path_case;
mod query_window;
pub mod samples;

use crate::declare::case::{Case, CaseRequest, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::Expect;
pub use crate::declare::routes::Route;

table::family_table! {
    MalformedJson => "malformed-json", malformed_json, false,
        "every JSONTestSuite n_ file, syntax errors inside valid bodies, shape and Content-Type errors, an over-limit body";
    Methods => "methods", methods, false,
        "every method against every route and a set of non-routes";
    Ids => "ids", ids, false, "malformed and unknown object IDs, path tricks, unknown object types";
    Auth => "auth", auth, false, "missing, wrong and malformed credentials on every route";
    Accounts => "accounts", accounts, false, "unknown accounts and the other account's paths";
    Values => "values", values, false, "accepted and invalid values of every field type of the data model";
    Filenames => "filenames", filenames, false, "upload filenames: control characters, lengths, naughty strings";
    Batch => "batch", batch, false, "ill-formed batches, mixed results, stop_on_error, 1000 operations";
    Query => "query", query, false, "bad paging, sorting and query parameters on the list and the oplog";
    SideEffects => "side-effects", side_effects, false, "failed writes, deletes and upserts, read back through the API";
    Clients => "clients", clients, false,
        "controls made of the vendor clients' own requests: empty paging, numeric sorts, batches, datamodel.xml, query.json, oplog paging";
    Formats => "formats", formats, false,
        "every documented read in every representation it has: `.json`, `.xml`, the format left out";
    RateLimit => "rate-limit", rate_limit, true,
        "a burst past the limit meets a well-formed 429, then the target answers again (opt-in)";
}

/// A fresh object of the target's type with one text field set (a marker, a value to read back or sort by).
pub(super) fn fresh_text(ctx: &Ctx, field: &str, value: &str) -> crate::declare::scenario::Fresh {
    let mut fields = serde_json::Map::new();
    fields.insert(field.to_string(), serde_json::Value::String(value.to_string()));
    crate::declare::scenario::Fresh { object_type: ctx.object_type.clone(), fields, foreign: false }
}

/// Builds a case that needs nothing beyond the first account.
pub fn case(
    family: Family,
    id: String,
    description: String,
    spec: &'static crate::declare::spec::Clause,
    request: CaseRequest,
    expect: Expect,
) -> Case {
    Case {
        id,
        family,
        description,
        spec,
        request,
        expect,
        requires: Requires::Nothing,
        scenario: Default::default(),
        unsupported: None,
    }
}

/// Every case of every family, in family order; IDs are unique.
pub fn all(ctx: &Ctx) -> Vec<Case> {
    Family::ALL.iter().flat_map(|family| family.cases(ctx)).collect()
}

/// `--family` help: every family's name and what it sends, from the table.
pub fn help() -> String {
    let names: Vec<String> =
        Family::ALL.iter().map(|f| format!("{}{}", f.as_str(), if f.opt_in() { " (opt-in)" } else { "" })).collect();
    format!("Only these families (repeatable or comma-separated): {}", names.join(", "))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashSet;

    /// A context like the embedded reference's, without a server.
    pub fn ctx() -> Ctx {
        Ctx {
            prefix: String::new(),
            account: "5f0c0ffee0000000000000a1".into(),
            second_account: Some("5f0c0ffee0000000000000b2".into()),
            object_type: "task".into(),
            field: Some(("name".into(), serde_json::json!("journey-conformance fixture"))),
            existing_id: "3f8e4c52-8a3e-4c1b-9d1f-2a9b7c6d5e4f".into(),
            unknown_id: "9b2d6a70-1c4e-4f3a-8b5d-7e6f5a4b3c2d".into(),
            oversize_bytes: 4096,
            run_id: "0123456789ab".into(),
            bearer: false,
            model: serde_json::json!({"models": {"task": {"name": "task", "fields": {"name": {"name": "name", "type": "text"}}}}}),
        }
    }

    #[test]
    fn ids_are_unique_stable_and_prefixed_by_family() {
        let cases = all(&ctx());
        let mut seen = HashSet::new();
        for c in &cases {
            assert!(seen.insert(c.id.clone()), "duplicate case ID {}", c.id);
            assert!(c.id.starts_with(&format!("{}/", c.family)), "{} not under {}", c.id, c.family);
            assert!(!c.id.contains(char::is_whitespace), "whitespace in {}", c.id);
            assert!(!c.description.is_empty() && !c.spec.says.is_empty(), "{} lacks description or spec", c.id);
            assert!(!c.expect.outcomes.is_empty(), "{} allows nothing", c.id);
            if c.expect.outcomes.len() > 1 {
                assert!(c.expect.why.is_some(), "{}: an outcome set needs its doc sentence", c.id);
            }
        }
        // IDs must not depend on the target's values.
        let mut other = ctx();
        other.existing_id = "00000000-0000-4000-8000-000000000001".into();
        other.unknown_id = "00000000-0000-4000-8000-000000000002".into();
        other.account = "abc".into();
        let ids: Vec<String> = all(&other).into_iter().map(|c| c.id).collect();
        assert_eq!(ids, cases.iter().map(|c| c.id.clone()).collect::<Vec<_>>());
    }

    #[test]
    fn every_family_has_cases() {
        for family in Family::ALL {
            assert!(!family.cases(&ctx()).is_empty(), "{family} is empty");
        }
    }
}
