//! `accounts`: an unknown account in the path, and one account's credentials on another account's
//! data → 404 ACCOUNT_NOT_FOUND, never a 2xx.

use super::Route;
use crate::case::{Auth, Case, Family, Requires};
use crate::ctx::{Ctx, UNKNOWN_ACCOUNT};
use crate::expect::Expect;
use crate::spec;
use crate::ErrorType::AccountNotFound;

/// Stands in for the second account's ID when none is configured (those cases are then skipped).
const NO_SECOND_ACCOUNT: &str = "no-second-account-configured";

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let second = ctx.second_account.as_deref().unwrap_or(NO_SECOND_ACCOUNT);
    let mut out = Vec::new();
    for route in Route::ALL {
        let (method, name) = (route.method(), route.name());
        out.push(Case {
            id: format!("accounts/unknown-account/{name}"),
            family: Family::Accounts,
            description: format!("{method} {name} below an account ID that does not exist is ACCOUNT_NOT_FOUND"),
            spec: spec::ACCOUNT_NOT_FOUND,
            request: route.request_on(ctx, &ctx.base_of(UNKNOWN_ACCOUNT)),
            expect: Expect::error(AccountNotFound),
            requires: Requires::Nothing,
            scenario: Default::default(),
            unsupported: None,
        });
        out.push(Case {
            id: format!("accounts/foreign-path/{name}"),
            family: Family::Accounts,
            description: format!("{method} {name} below the second account's ID with the first account's credentials is ACCOUNT_NOT_FOUND"),
            spec: spec::ISOLATION,
            request: route.request_on(ctx, &ctx.base_of(second)),
            expect: Expect::error(AccountNotFound),
            requires: Requires::SecondAccount,
            scenario: Default::default(),
            unsupported: None,
        });
        out.push(Case {
            id: format!("accounts/foreign-credentials/{name}"),
            family: Family::Accounts,
            description: format!("{method} {name} of the first account with the second account's credentials is ACCOUNT_NOT_FOUND"),
            spec: spec::ISOLATION,
            request: route.request(ctx).auth(Auth::Secondary),
            expect: Expect::error(AccountNotFound),
            requires: Requires::SecondAccount,
            scenario: Default::default(),
            unsupported: None,
        });
    }
    out
}
