//! What a case's later steps need of its main answer, taken as soon as the oracle has judged it: the body
//! (up to the response cap, 1 MiB by default) is dropped before the read-backs fetch theirs, so a case in
//! flight holds one answer at a time.

use crate::oracle::isolation::{absent, next_oplog_start, ForeignObject};
use crate::oracle::{Answered, Violation};
use crate::send::response::Response;
use crate::declare::scenario::{After, Scenario, Subject};
use crate::send::response_summary::ResponseSummary;
use serde_json::Value;

/// The main answer once judged: what the reports keep of it and the parsed bits the after-checks read.
pub struct MainAnswer {
    /// What the case's result keeps of the answer.
    pub summary: ResponseSummary,
    /// How `oracle::conclude` weighs the answer.
    pub answered: Answered,
    /// The created object's `id`, when a check reads back `Subject::Created`: `None` when the answer is
    /// no 2xx JSON (its own verdict reports that), `Err` when it has no `id`.
    pub created: Option<Result<String, String>>,
    /// What the isolation rule found in it, when a check searches the main answer itself.
    pub first_page: Option<FirstPage>,
}

impl MainAnswer {
    /// Takes what `scenario`'s checks need from `resp`, then drops it; what it keeps holds none of `secrets`.
    pub fn take(
        resp: Response,
        scenario: &Scenario,
        answered: Answered,
        first_page: Option<FirstPage>,
        secrets: &[&[u8]],
    ) -> MainAnswer {
        let reads_created = scenario.after.iter().any(|a| match a {
            After::ReadBack { subject, .. }
            | After::AttachmentRedirect { subject, .. }
            | After::CapabilityFetch { subject, .. } => {
                matches!(subject, Subject::Created(_))
            }
            _ => false,
        });
        let created = reads_created.then(|| created_id(&resp)).flatten();
        let summary = ResponseSummary::of(&resp, scenario.batch.is_some(), secrets);
        MainAnswer { summary, answered, created, first_page }
    }
}

/// The `id` of the object a 2xx JSON answer created.
fn created_id(resp: &Response) -> Option<Result<String, String>> {
    if !(200..300).contains(&resp.status) {
        return None;
    }
    let created = serde_json::from_slice::<Value>(&resp.body).ok()?;
    let id = created.get("id").and_then(Value::as_str).map(str::to_string);
    Some(id.ok_or_else(|| "the created object's answer has no `id`".to_string()))
}

/// What the isolation rule found on a first read answer, and where the oplog goes on after it: all the
/// oplog paging needs of that answer.
pub struct FirstPage {
    /// The rule's findings in this answer.
    pub found: Vec<Violation>,
    /// The next oplog page's `start`, when the oplog is paged on from this answer.
    pub next: Option<String>,
}

impl FirstPage {
    /// Lets the isolation rule search `resp` (from `what`) for `foreign`'s objects; reads where the
    /// oplog goes on when `oplog`.
    pub fn of(what: &str, resp: &Response, foreign: &[ForeignObject], sent: &[&[u8]], oplog: bool) -> FirstPage {
        let found = absent(what, resp.status, &resp.body, foreign, sent);
        let next = (oplog && (200..300).contains(&resp.status)).then(|| next_oplog_start(&resp.body)).flatten();
        FirstPage { found, next }
    }
}

/// Whether a check searches the main answer itself for foreign objects, and whether it pages the oplog on.
pub fn searches_main(scenario: &Scenario) -> Option<bool> {
    let oplogs = scenario.after.iter().filter_map(|a| match a {
        After::NothingForeign { read: None, oplog } => Some(*oplog),
        _ => None,
    });
    oplogs.reduce(|a, b| a || b)
}
