//! `accounts`: an unknown account in the path → 404 ACCOUNT_NOT_FOUND; one account's credentials on
//! another account's data → ACCOUNT_NOT_FOUND or 401 (the docs do not say which), never a 2xx; and the
//! second account's objects never show on the first account's read paths (`isolation.rs`).

use super::Route;
use crate::declare::case::{Auth, Case, Family, Requires};
use crate::declare::ctx::{Ctx, UNKNOWN_ACCOUNT};
use crate::declare::expect::{Expect, Outcome};
use crate::declare::spec;
use crate::ErrorType::{AccountNotFound, AuthenticationFailed};

/// Stands in for the second account's ID when none is configured (those cases are then skipped).
const NO_SECOND_ACCOUNT: &str = "no-second-account-configured";

/// Which account's path and which credentials a group uses.
struct Group {
    name: &'static str,
    what: &'static str,
    spec: &'static crate::declare::spec::Clause,
    /// `None`: the first account's own path.
    path_account: Option<fn(&Ctx) -> String>,
    auth: Auth,
    requires: Requires,
}

fn groups() -> [Group; 3] {
    [
        Group {
            name: "unknown-account",
            what: "below an account ID that does not exist",
            spec: spec::ACCOUNT_NOT_FOUND,
            path_account: Some(|_| UNKNOWN_ACCOUNT.to_string()),
            auth: Auth::Primary,
            requires: Requires::Nothing,
        },
        Group {
            name: "foreign-path",
            what: "below the second account's ID with the first account's credentials",
            spec: spec::ISOLATION,
            path_account: Some(|c| c.second_account.clone().unwrap_or_else(|| NO_SECOND_ACCOUNT.to_string())),
            auth: Auth::Primary,
            requires: Requires::SecondAccount,
        },
        Group {
            name: "foreign-credentials",
            what: "of the first account with the second account's credentials",
            spec: spec::ISOLATION,
            path_account: None,
            auth: Auth::Secondary,
            requires: Requires::SecondAccount,
        },
    ]
}

/// Another deployment's valid credentials: the docs do not say whether that is 401 or ACCOUNT_NOT_FOUND.
pub fn foreign() -> Expect {
    Expect::any_of(
        &[Outcome::Error(AccountNotFound), Outcome::Error(AuthenticationFailed)],
        spec::open::FOREIGN_CREDENTIALS,
    )
}

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let mut out = Vec::new();
    for route in Route::ALL {
        for g in groups() {
            let base = g.path_account.map_or_else(|| ctx.base(), |account| ctx.base_of(&account(ctx)));
            out.push(Case {
                id: format!("accounts/{}/{}", g.name, route.name()),
                family: Family::Accounts,
                description: format!("{} {} {} is refused, never 2xx", route.method(), route.name(), g.what),
                spec: g.spec,
                request: route.request_on(ctx, &base).auth(g.auth.clone()),
                expect: if g.requires == Requires::SecondAccount { foreign() } else { Expect::error(AccountNotFound) },
                requires: g.requires,
                scenario: Default::default(),
                unsupported: None,
            });
        }
    }
    out.extend(super::accounts_isolation::cases(ctx));
    out
}
