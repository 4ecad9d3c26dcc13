//! The `rate-limit` checks (API Limits; docs/contract.md#rate-limited), opt-in because they burst past a real deployment's limit on
//! purpose (`JOURNEY_API_RATE_LIMIT_FAMILY=1`): a burst must meet a well-formed 429, and after waiting
//! as told (`Retry-After`, else at least a second) the target must answer again. The oracle judges both.

use crate::declare::case::{Case, Family};
use crate::declare::ctx::Ctx;
use crate::declare::error_type::ErrorType;
use crate::declare::expect::Expect;
use crate::declare::families::{self, Route};
use crate::declare::spec;

/// Most requests the burst sends while looking for a 429.
pub const BURST_REQUESTS: usize = 400;
/// The IDs of the checks, in order.
pub const IDS: [&str; 2] = ["rate-limit/burst/429-well-formed", "rate-limit/recovery/after-retry-after"];

/// The family's two cases, declared like any other; the runner answers both from one burst (`run/burst.rs`).
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let checks = [
        ("a burst of requests meets a well-formed 429", Expect::error(ErrorType::TooManyRequests)),
        ("after waiting as Retry-After says, the target answers again", Expect::success()),
    ];
    IDS.iter()
        .zip(checks)
        .map(|(id, (what, expect))| {
            let request = Route::DataModel.request(ctx);
            families::case(Family::RateLimit, id.to_string(), what.into(), spec::RATE_LIMITED, request, expect)
        })
        .collect()
}
