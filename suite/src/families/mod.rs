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

/// One documented API route (spec §1), with a valid request for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    DataModel,
    List,
    Create,
    Get,
    Patch,
    Put,
    Delete,
    Oplog,
    Batch,
}

impl Route {
    /// Every documented route.
    pub const ALL: [Route; 9] = [
        Route::DataModel,
        Route::List,
        Route::Create,
        Route::Get,
        Route::Patch,
        Route::Put,
        Route::Delete,
        Route::Oplog,
        Route::Batch,
    ];

    /// The name used in case IDs.
    pub fn name(self) -> &'static str {
        match self {
            Route::DataModel => "datamodel",
            Route::List => "list",
            Route::Create => "create",
            Route::Get => "get",
            Route::Patch => "patch",
            Route::Put => "put",
            Route::Delete => "delete",
            Route::Oplog => "oplog",
            Route::Batch => "batch",
        }
    }

    /// The documented method.
    pub fn method(self) -> &'static str {
        match self {
            Route::DataModel | Route::List | Route::Get | Route::Oplog => "GET",
            Route::Create | Route::Batch => "POST",
            Route::Patch => "PATCH",
            Route::Put => "PUT",
            Route::Delete => "DELETE",
        }
    }

    /// The path (and query) of this route on the first account, addressing the fixture object.
    pub fn path(self, ctx: &Ctx) -> String {
        self.path_on(ctx, &ctx.base())
    }

    /// The same route below another base path (another account's).
    pub fn path_on(self, ctx: &Ctx, base: &str) -> String {
        match self {
            Route::DataModel => format!("{base}/datamodel.json"),
            Route::List | Route::Create => format!("{base}/objects/{}.json", ctx.object_type),
            Route::Get | Route::Patch | Route::Put | Route::Delete => {
                format!("{base}/objects/{}/{}.json", ctx.object_type, ctx.existing_id)
            }
            Route::Oplog => format!("{base}/oplog.json?start=0"),
            Route::Batch => format!("{base}/batch.json"),
        }
    }

    /// The valid body of this route, if it takes one.
    pub fn body(self, ctx: &Ctx) -> Option<Vec<u8>> {
        match self {
            Route::Create | Route::Patch | Route::Put => Some(ctx.wrapped_body()),
            Route::Batch => Some(ctx.batch_body()),
            _ => None,
        }
    }

    /// A valid request of this route with the first account's credentials.
    pub fn request(self, ctx: &Ctx) -> CaseRequest {
        self.request_on(ctx, &ctx.base())
    }

    /// This route's method and path with no body yet, for cases that supply their own.
    pub fn bare(self, ctx: &Ctx) -> CaseRequest {
        CaseRequest::new(self.method(), self.path(ctx))
    }

    /// A valid request of this route below another base path.
    pub fn request_on(self, ctx: &Ctx, base: &str) -> CaseRequest {
        let req = CaseRequest::new(self.method(), self.path_on(ctx, base));
        match self.body(ctx) {
            Some(body) => req.json(body),
            None => req,
        }
    }
}

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
