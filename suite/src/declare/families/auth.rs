//! `auth`: missing, wrong and malformed credentials on every route (the vendor clients' too, and every
//! representation of the documented ones) → 401 AUTHENTICATION_FAILED;
//! on non-routes and unknown accounts the order of checks is open (docs/contract.md, open readings).

use super::{case, Route};
use crate::declare::case::{Auth, Case, CaseRequest, Family, Requires};
use crate::declare::ctx::{Ctx, UNKNOWN_ACCOUNT};
use crate::declare::expect::{Expect, Outcome};
use crate::declare::near_miss::NearMiss;
use crate::declare::routes::{Format, Shape};
use crate::declare::spec;
use crate::ErrorType::{AccountNotFound, AuthenticationFailed, InvalidApiRequest, RouteError};
use base64::Engine;

/// A wrong password; deliberately not derived from the real one, so it is no secret.
const WRONG_PASSWORD: &str = "jc-wrong-password";
const WRONG_TOKEN: &[u8] = b"Bearer O:jc-wrong-token";

fn basic(user: &str, password: &str) -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}").into_bytes()
}

fn basic_raw(credentials: &str) -> Vec<u8> {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(credentials)).into_bytes()
}

/// Every bad credential the family sends: (name, what, credentials).
fn bad_credentials(ctx: &Ctx) -> Vec<(&'static str, &'static str, Auth)> {
    let raw = |v: Vec<u8>| Auth::Raw(vec![v]);
    vec![
        ("none", "no Authorization header", Auth::None),
        ("wrong-password", "the account's ID with a wrong password", raw(basic(&ctx.account, WRONG_PASSWORD))),
        ("empty-password", "the account's ID with an empty password", raw(basic(&ctx.account, ""))),
        ("unknown-user", "a user that is no account", raw(basic("jc-unknown-user", WRONG_PASSWORD))),
        ("basic-empty", "`Basic ` with nothing after it", raw(b"Basic ".to_vec())),
        ("basic-scheme-only", "`Basic` alone", raw(b"Basic".to_vec())),
        ("basic-not-base64", "Basic credentials that are not base64", raw(b"Basic !!!not-base64!!!".to_vec())),
        ("basic-without-colon", "Basic credentials without a colon", raw(basic_raw(&ctx.account))),
        ("basic-colon-only", "Basic credentials that are just `:`", raw(basic_raw(":"))),
        ("unknown-scheme", "a Digest header", raw(br#"Digest username="jc", response="0""#.to_vec())),
        ("bearer-wrong-token", "a Bearer token that is no token", raw(WRONG_TOKEN.to_vec())),
        ("bearer-empty", "`Bearer ` with nothing after it", raw(b"Bearer ".to_vec())),
        (
            "both-schemes-wrong",
            "a wrong Basic and a wrong Bearer header at once",
            Auth::Raw(vec![basic(&ctx.account, WRONG_PASSWORD), WRONG_TOKEN.to_vec()]),
        ),
        (
            "valid-plus-wrong",
            "the valid credentials plus a wrong Bearer and a wrong Basic header: ambiguous, so refused",
            Auth::PrimaryPlus(vec![WRONG_TOKEN.to_vec(), basic(&ctx.account, WRONG_PASSWORD)]),
        ),
    ]
}

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let mut out = Vec::new();
    let non_routes: [(&str, CaseRequest, Expect); 3] = [
        (
            "unknown-path",
            CaseRequest::new("GET", format!("{}/journey-conformance.json", ctx.base())),
            Expect::any_of(
                &[Outcome::Error(AuthenticationFailed), Outcome::Error(RouteError)],
                spec::open::BAD_CREDENTIALS_NON_ROUTE,
            ),
        ),
        (
            "wrong-method",
            Shape::Collection.request("DELETE", ctx.collection()),
            Expect::any_of(
                &[Outcome::Error(AuthenticationFailed), Outcome::Error(RouteError)],
                spec::open::BAD_CREDENTIALS_NON_ROUTE,
            ),
        ),
        (
            "unknown-account",
            Route::DataModel.request_on(ctx, &ctx.base_of(UNKNOWN_ACCOUNT)),
            Expect::any_of(
                &[Outcome::Error(AuthenticationFailed), Outcome::Error(AccountNotFound)],
                spec::open::BAD_CREDENTIALS_UNKNOWN_ACCOUNT,
            ),
        ),
    ];
    for (name, what, auth) in bad_credentials(ctx) {
        for route in Route::ALL.into_iter().chain(Route::CLIENT) {
            let req = route.request(ctx).auth(auth.clone());
            let id = format!("auth/{name}/{}", route.name());
            let description = format!("{} {} with {what} is 401 AUTHENTICATION_FAILED", route.method(), route.name());
            out.push(case(
                Family::Auth,
                id,
                description,
                clause_of(route, Format::Json),
                req,
                expect_of(route, Format::Json, &auth),
            ));
        }
        // Every other representation of a route: a router may mount `.xml` or the bare path apart.
        for (route, format) in other_formats().filter(|_| REPRESENTED.contains(&name)) {
            let req = route.shape().request(route.method(), route.shape().path_in(ctx, format)).auth(auth.clone());
            let id = format!("auth/{name}/{}-{}", route.name(), format.name());
            let description = format!("{} {} as {} with {what} is 401", route.method(), route.name(), format.name());
            out.push(case(
                Family::Auth,
                id,
                description,
                clause_of(route, format),
                req,
                expect_of(route, format, &auth),
            ));
        }
        for (target, req, expect) in &non_routes {
            let id = format!("auth/{name}/{target}");
            let description = format!("{what} on {target}: 401, or the error the path earns");
            let spec = expect.why.unwrap_or(spec::AUTHENTICATION_FAILED);
            out.push(case(Family::Auth, id, description, spec, req.clone().auth(auth.clone()), expect.clone()));
        }
    }
    out.extend(near_misses(ctx));
    out
}

/// The credentials tried on every representation: one missing, one wrong (each costs a request per route).
const REPRESENTED: [&str; 2] = ["none", "wrong-password"];

/// The documented reads in each representation beyond `.json` (the docs give the formats for reads).
fn other_formats() -> impl Iterator<Item = (Route, Format)> {
    Route::ALL
        .into_iter()
        .filter(|r| r.method() == "GET")
        .flat_map(|r| r.shape().formats().iter().filter(|f| **f != Format::Json).map(move |f| (r, *f)))
}

/// Whether a path of `route` in `format` is one a conforming target may lack, so that bad credentials
/// there may meet its ROUTE_ERROR first.
fn maybe_missing(route: Route, format: Format) -> bool {
    Route::CLIENT.contains(&route) || format != Format::Json
}

/// The clause bad credentials on `route` in `format` rest on.
fn clause_of(route: Route, format: Format) -> &'static crate::declare::spec::Clause {
    if maybe_missing(route, format) {
        spec::depth::BAD_CREDENTIALS_OTHER_ROUTE
    } else {
        spec::AUTHENTICATION_FAILED
    }
}

/// What bad credentials `auth` on `route` in `format` must earn.
fn expect_of(route: Route, format: Format, auth: &Auth) -> Expect {
    let mut outcomes = vec![Outcome::Error(AuthenticationFailed)];
    if maybe_missing(route, format) {
        outcomes.push(Outcome::Error(RouteError));
    }
    // RFC 9110 allows one Authorization field; several make a request the docs say nothing about.
    if matches!(auth, Auth::PrimaryPlus(_)) {
        outcomes.push(Outcome::Error(InvalidApiRequest));
        return Expect::any_of(&outcomes, spec::open::DUPLICATE_AUTHORIZATION);
    }
    match outcomes.len() {
        1 => Expect::error(AuthenticationFailed),
        _ => Expect::any_of(&outcomes, spec::depth::BAD_CREDENTIALS_OTHER_ROUTE),
    }
}

/// The routes near-miss credentials are tried on: one read and one write, since an authentication
/// bug is as often in one middleware chain as in both (each variant costs one request per route).
const NEAR_MISS_ROUTES: [Route; 2] = [Route::List, Route::Create];

/// `auth/near-miss/*`: credentials one small step from the configured ones, each 401.
fn near_misses(ctx: &Ctx) -> Vec<Case> {
    let mut out = Vec::new();
    for variant in NearMiss::ALL.into_iter().filter(|v| v.fits(ctx.bearer)) {
        for route in NEAR_MISS_ROUTES {
            let id = format!("auth/near-miss/{}/{}", variant.name(), route.name());
            let description =
                format!("{} {} with {} is 401 AUTHENTICATION_FAILED", route.method(), route.name(), variant.describe());
            let req = route.request(ctx).auth(Auth::NearMiss(variant));
            let mut c = case(
                Family::Auth,
                id,
                description,
                spec::AUTHENTICATION_FAILED,
                req,
                Expect::error(AuthenticationFailed),
            );
            if variant.needs_second_account() {
                c.requires = Requires::SecondAccount;
            }
            out.push(c);
        }
    }
    out
}
