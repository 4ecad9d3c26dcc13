//! The case families, as data tables; [`all`] lists every case for a target.

pub mod accounts;
pub mod auth;
pub mod batch;
pub mod filenames;
pub mod ids;
pub mod malformed_json;
pub mod methods;
pub mod query;
pub mod samples;
pub mod side_effects;
pub mod values;

use crate::case::{Case, CaseRequest, Family, Requires};
use crate::ctx::Ctx;
use crate::expect::Expect;
pub use crate::routes::Route;

/// Builds a case that needs nothing beyond the first account.
pub fn case(
    family: Family,
    id: String,
    description: String,
    spec: &'static str,
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
    let mut cases = Vec::new();
    for family in Family::ALL {
        cases.extend(of_family(family, ctx));
    }
    cases
}

/// The cases of one family.
pub fn of_family(family: Family, ctx: &Ctx) -> Vec<Case> {
    match family {
        Family::MalformedJson => malformed_json::cases(ctx),
        Family::Methods => methods::cases(ctx),
        Family::Ids => ids::cases(ctx),
        Family::Auth => auth::cases(ctx),
        Family::Accounts => accounts::cases(ctx),
        Family::Values => values::cases(ctx),
        Family::Filenames => filenames::cases(ctx),
        Family::Batch => batch::cases(ctx),
        Family::Query => query::cases(ctx),
        Family::SideEffects => side_effects::cases(ctx),
    }
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
            assert!(!c.description.is_empty() && !c.spec.is_empty(), "{} lacks description or spec", c.id);
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
            assert!(!of_family(family, &ctx()).is_empty(), "{family} is empty");
        }
    }
}
