//! Teardown with its own budget: every object the run created is deleted (the fixture last), each
//! request retried with backoff and `Retry-After` past the run's circuit breaker, all of it bounded in
//! time (`JOURNEY_API_TEARDOWN_TIMEOUT`) and attempts. What could not be deleted is listed by ID with
//! the command that deletes it later (`journey-conformance cleanup --run-id …`).

use super::objects::object_path;
use super::{Endpoint, Session, Step};
use crate::send::client::{retry_wait, TransportError};
use crate::send::response::Response;
use std::fmt::Write;
use std::time::Duration;
use tokio::time::Instant;

/// Attempts per teardown request: a deploy's minute of 503s is waited out within the time budget.
const ATTEMPTS: u32 = 8;
/// The first wait after a transport failure; it doubles per attempt.
const BACKOFF: Duration = Duration::from_millis(250);
/// The longest single wait, whatever `Retry-After` asks.
const MAX_WAIT: Duration = Duration::from_secs(15);

/// Which account an object lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Account {
    First,
    Second,
}

/// An object teardown could not delete, and the last reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeftObject {
    pub account: Account,
    pub object_type: String,
    pub id: String,
    pub why: String,
}

/// What a teardown (or `cleanup`) did: how many objects it deleted, which it could not, and the
/// searches that failed (which may have left objects nobody knows of).
#[derive(Debug, Clone, Default)]
pub struct Teardown {
    pub deleted: usize,
    pub left: Vec<LeftObject>,
    pub problems: Vec<String>,
    /// The command that deletes what is left later: set when something may be left on a remote target.
    pub cleanup: Option<String>,
}

impl Teardown {
    /// Nothing left behind, as far as teardown can tell.
    pub fn clean(&self) -> bool {
        self.left.is_empty() && self.problems.is_empty()
    }

    /// One line for logs and `Err` values: what is left, or that nothing is.
    pub fn headline(&self) -> String {
        if self.clean() {
            return format!("teardown: deleted {} objects, none left behind", self.deleted);
        }
        let searches = match self.problems.len() {
            0 => String::new(),
            n => format!(" and {n} searches for the run's objects failed"),
        };
        format!(
            "LEFT BEHIND: teardown deleted {} objects but could not delete {}{searches}",
            self.deleted,
            self.left.len()
        )
    }

    /// The full story, on several lines: the headline, each left object's ID and why, each failed
    /// search, and the command that deletes them later.
    pub fn story(&self) -> String {
        let mut out = self.headline();
        out.push('\n');
        for left in &self.left {
            let account = if left.account == Account::Second { " (second account)" } else { "" };
            let _ = writeln!(out, "  {} {}{account}: {}", left.object_type, left.id, left.why);
        }
        for problem in &self.problems {
            let _ = writeln!(out, "  search failed: {problem}");
        }
        if let Some(command) = &self.cleanup {
            let _ = writeln!(out, "  delete them later (same JOURNEY_API_* credentials): {command}");
        }
        out
    }
}

/// One teardown's budget: a deadline shared by all its requests and a number of attempts each.
#[derive(Debug, Clone, Copy)]
pub(super) struct Budget {
    deadline: Instant,
    seconds: f64,
}

impl Budget {
    pub(super) fn new(total: Duration) -> Budget {
        Budget { deadline: Instant::now() + total, seconds: total.as_secs_f64() }
    }

    /// The first `part` of what is left of this budget: a search that finds nothing to delete must not
    /// spend the time the deletes need.
    pub(super) fn share(&self, part: f64) -> Budget {
        let left = self.deadline.saturating_duration_since(Instant::now());
        Budget { deadline: Instant::now() + left.mul_f64(part), seconds: self.seconds }
    }
}

/// Whether an answer may change on a retry: a limit, or a gateway's or server's passing trouble.
fn transient(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

impl Session {
    /// Deletes what the run created, once (later calls return the first outcome): the first account's
    /// objects and the second's, then the fixture. `Err` names what was left behind.
    pub async fn teardown(&self) -> Result<(), String> {
        let outcome = self.teardown_report().await;
        if outcome.clean() {
            Ok(())
        } else {
            Err(outcome.story().trim_end().to_string())
        }
    }

    /// [`Session::teardown`], with the whole outcome: deleted, left behind, failed searches.
    pub async fn teardown_report(&self) -> Teardown {
        self.torn_down.get_or_init(|| self.tear_down()).await.clone()
    }

    /// The outcome of the teardown that ran, if one did.
    pub fn torn_down(&self) -> Option<&Teardown> {
        self.torn_down.get()
    }

    /// The command that finds this run's objects by their marker and deletes them (none for the embedded
    /// reference, whose store ends with the run).
    pub fn cleanup_command(&self) -> Option<String> {
        (!self.embedded).then(|| self.cleanup_command_for(&self.ctx.run_id))
    }

    /// The command that deletes run `run_id`'s objects from this session's target.
    pub(super) fn cleanup_command_for(&self, run_id: &str) -> String {
        let target = crate::redact::redact(&self.primary.base_url(), &self.primary.secrets());
        format!("journey-conformance cleanup --run-id {run_id} --target {target}")
    }

    async fn tear_down(&self) -> Teardown {
        if self.listing {
            return Teardown::default();
        }
        let budget = Budget::new(self.settings.teardown_timeout);
        let mut outcome = Teardown::default();
        if let Some(field) = self.ctx.marker_field().map(str::to_string) {
            // Objects that carry this run's marker but were never seen: a lenient target's 2xx to bad
            // input, or a write whose answer an interrupt cut off.
            let (object_type, run) = (self.ctx.object_type.clone(), self.ctx.run_id.clone());
            let sweep = budget.share(0.25);
            let mut found = self.run_objects(&sweep, &self.primary, &object_type, &field, &run).await;
            if found.is_err() {
                // A target without `contains` still finds the fixture's marker, which bad input carries.
                let fixture = self.ctx.marker("fixture");
                let exact = (field.as_str(), fixture.as_str());
                found = self.search_marked(&sweep, &self.primary, &object_type, exact, &field, &run).await;
            }
            match found {
                Ok(ids) => self.remember(ids.into_iter().map(|id| (object_type.clone(), id))),
                Err(e) => outcome.problems.push(e),
            }
        }
        let mut objects = self.created.lock().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default();
        objects.sort();
        objects.dedup();
        let foreign = self.created_foreign.lock().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default();
        let first = objects.into_iter().map(|(t, id)| (Account::First, t, id));
        let owned = first.chain(foreign.into_iter().map(|(t, id)| (Account::Second, t, id)));
        self.delete_all(&budget, owned, &mut outcome).await;
        if self.fixture_created {
            let fixture = (Account::First, self.ctx.object_type.clone(), self.ctx.existing_id.clone());
            self.delete_all(&budget, [fixture], &mut outcome).await;
        }
        outcome.left.sort();
        if !outcome.clean() {
            outcome.cleanup = self.cleanup_command();
        }
        outcome
    }

    /// Deletes `objects` within the budget, up to the concurrency at a time (they are independent: a
    /// serial teardown of a few hundred objects would cost a distant target as much as the run), and
    /// counts each into `outcome`, deleted or left.
    pub(super) async fn delete_all(
        &self,
        budget: &Budget,
        objects: impl IntoIterator<Item = (Account, String, String)>,
        outcome: &mut Teardown,
    ) {
        use futures::stream::{self, StreamExt};
        let results: Vec<Result<(), LeftObject>> = stream::iter(objects)
            .map(|(account, object_type, id)| self.delete_within(budget, account, object_type, id))
            .buffer_unordered(self.settings.concurrency)
            .collect()
            .await;
        for result in results {
            match result {
                Ok(()) => outcome.deleted += 1,
                Err(left) => outcome.left.push(left),
            }
        }
    }

    /// Deletes one object within the budget; gone already (404) counts as deleted.
    pub(super) async fn delete_within(
        &self,
        budget: &Budget,
        account: Account,
        object_type: String,
        id: String,
    ) -> Result<(), LeftObject> {
        let left = |why: String| LeftObject { account, object_type: object_type.clone(), id: id.clone(), why };
        let endpoint = match account {
            Account::First => &self.primary,
            Account::Second => self.secondary.as_ref().ok_or_else(|| left("no second account configured".into()))?,
        };
        let path = object_path(endpoint, &object_type, &id);
        match self.send_within(budget, endpoint, Step::Cleanup, "DELETE", &path).await {
            Ok(r) if (200..300).contains(&r.status) || r.status == 404 => Ok(()),
            Ok(r) => Err(left(format!("DELETE answered {}", r.status))),
            Err(e) => Err(left(e)),
        }
    }

    /// Sends one teardown request until it gets an answer that will not change on a retry (anything but
    /// 429/500/502/503/504 or a transport failure), waiting `Retry-After` or a doubling backoff between
    /// attempts, at most [`ATTEMPTS`] times and never past the budget's deadline.
    pub(super) async fn send_within(
        &self,
        budget: &Budget,
        endpoint: &Endpoint,
        step: Step,
        method: &str,
        path: &str,
    ) -> Result<Response, String> {
        let spent = |last: &str| match last {
            "" => format!(
                "not sent: the teardown budget of {:.1}s was spent (JOURNEY_API_TEARDOWN_TIMEOUT)",
                budget.seconds
            ),
            last => format!("{last}; then the teardown budget of {:.1}s was spent", budget.seconds),
        };
        let mut last = String::new();
        let mut retried = crate::send::response::Retried::default();
        for attempt in 0..ATTEMPTS {
            let remaining = budget.deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(spent(&last));
            }
            let sent = tokio::time::timeout(remaining, self.call_unguarded(endpoint, method, path)).await;
            let wait = match sent {
                Err(_) => return Err(spent(if last.is_empty() { "no answer in time" } else { &last })),
                Ok(Ok(resp)) if transient(resp.status) && attempt + 1 < ATTEMPTS => {
                    last = format!("answered {}", resp.status);
                    let wait = retry_wait(&resp, attempt, MAX_WAIT);
                    // A retried 429 is judged as the run's are; a gateway's passing 503 is the outage's, not a finding.
                    if resp.status == 429 {
                        retried.keep(resp);
                    }
                    wait
                }
                Ok(Ok(resp)) => {
                    self.judge_unguarded((endpoint, step), (method, path), &resp, &retried);
                    return Ok(resp);
                }
                Ok(Err(e @ TransportError::Build(_))) => return Err(e.to_string()),
                Ok(Err(e)) => {
                    last = e.to_string();
                    (BACKOFF * 2u32.saturating_pow(attempt)).min(MAX_WAIT)
                }
            };
            let remaining = budget.deadline.saturating_duration_since(Instant::now());
            tokio::time::sleep(wait.min(remaining)).await;
        }
        Err(format!("{last} ({ATTEMPTS} attempts)"))
    }
}
