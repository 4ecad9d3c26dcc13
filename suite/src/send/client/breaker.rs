//! The half-open circuit breaker: a run waits out an outage instead of failing every case in it.
//!
//! When a request fails in transport (or keeps drawing a gateway's 5xx page), one cheap probe (the
//! session's authenticated GET of the data model) asks whether the target still answers. If it does,
//! the failure is the request's own and is handed back to be judged. If not, the breaker opens: every
//! request waits, a background task probes again after a pause (1 s doubling to 8 s, or the gateway's
//! `Retry-After`), and the first answer closes it and lets every waiting request go, the failed ones
//! resent. The outage budget bounds the waiting over the whole run; once spent, nothing more is sent
//! and the rest is inconclusive, said once. A target that never answered at all is not waited for:
//! that is a wrong URL, and set-up says so at once.

use super::retry_wait::{gateway_page, retry_wait, PLAUSIBLE_RETRY_AFTER};
use super::{HttpClient, WireRequest};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The longest pause between two probes of a target that is down (unless its `Retry-After` asks more).
const MAX_PAUSE: Duration = Duration::from_secs(8);

/// Whether requests may go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Phase {
    Closed,
    /// The target is down; requests wait while the probe task asks again.
    Open,
    /// Nothing more is sent, for the reason given.
    Exhausted(String),
}

/// One outage, remembered so a request that failed inside it (and is checked only after it) is resent.
#[derive(Debug, Clone, Copy)]
struct Span {
    /// When the request whose failure opened the breaker was sent, less one timeout: the earliest a
    /// request could have gone out and still failed because of this outage.
    from: Instant,
    /// When the target answered again; `None` while it is down.
    to: Option<Instant>,
}

/// What the breaker remembers over a run.
#[derive(Default)]
struct Memory {
    /// Outage time used from the budget, outages closed so far excluded the open one.
    spent: Duration,
    opened: Option<Instant>,
    last: Option<Span>,
    /// What began the current (or last) outage, and what the last probe saw.
    why: String,
    /// Set when a request met more outages than it is resent after; said as the reason it was not sent.
    gave_up: Option<String>,
    /// The request that opened the breaker, probed when the session gave no probe of its own.
    tripping: Option<WireRequest>,
}

/// The breaker's state, shared by the client's clones.
pub(super) struct Breaker {
    phase: watch::Sender<Phase>,
    in_a_row: AtomicUsize,
    outages: AtomicU32,
    /// One check at a time, so one probe answers every request that failed meanwhile.
    check: tokio::sync::Mutex<()>,
    last_answer: Mutex<Option<Instant>>,
    memory: Mutex<Memory>,
    probe: Mutex<Option<WireRequest>>,
}

impl Default for Breaker {
    fn default() -> Breaker {
        Breaker {
            phase: watch::Sender::new(Phase::Closed),
            in_a_row: AtomicUsize::new(0),
            outages: AtomicU32::new(0),
            check: tokio::sync::Mutex::new(()),
            last_answer: Mutex::new(None),
            memory: Mutex::default(),
            probe: Mutex::new(None),
        }
    }
}

/// How many outages one request is resent after before it comes back not sent.
pub(super) const MAX_RESENDS: u32 = 3;

/// What a run's outages cost, for its summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutageReport {
    /// Outages waited out (or still open).
    pub outages: u32,
    /// Time spent waiting for the target in all.
    pub waited: Duration,
}

impl OutageReport {
    /// One line for the run's summary, or `None` without an outage.
    pub fn line(&self) -> Option<String> {
        (self.outages > 0).then(|| {
            let s = if self.outages == 1 { "" } else { "s" };
            format!(
                "outages: the target was down {} time{s}; the run waited {:.1}s in all for it",
                self.outages,
                self.waited.as_secs_f64()
            )
        })
    }
}

impl Breaker {
    /// The session's cheap request for "does the target answer?" (an authenticated GET of the data model).
    pub(super) fn set_probe(&self, probe: WireRequest) {
        if let Ok(mut p) = self.probe.lock() {
            *p = Some(probe);
        }
    }

    /// The probe the session set, if any.
    pub(super) fn probe(&self) -> Option<WireRequest> {
        self.probe.lock().ok().and_then(|p| p.clone())
    }

    /// Why nothing more is sent, or why a request was given up on.
    pub(super) fn stopped(&self) -> Option<String> {
        match &*self.phase.borrow() {
            Phase::Exhausted(why) => Some(why.clone()),
            _ => self.memory.lock().ok()?.gave_up.clone(),
        }
    }

    pub(super) fn report(&self) -> OutageReport {
        let memory = self.memory.lock();
        let open = memory.as_ref().ok().and_then(|m| m.opened).map(|o| o.elapsed()).unwrap_or_default();
        let spent = memory.as_ref().map(|m| m.spent).unwrap_or_default();
        OutageReport { outages: self.outages.load(Ordering::Relaxed), waited: spent + open }
    }

    /// Notes an answer from the target (any status but a gateway's page): it is up, and an open breaker closes.
    pub(super) fn answered(&self, resets_failures: bool) {
        if let Ok(mut last) = self.last_answer.lock() {
            *last = Some(Instant::now());
        }
        if resets_failures {
            self.in_a_row.store(0, Ordering::Relaxed);
        }
        self.close();
    }

    /// Counts one failure in a row that is not an outage; stops the run at the threshold.
    pub(super) fn strike(&self, threshold: usize, last: &str) {
        let in_a_row = self.in_a_row.fetch_add(1, Ordering::Relaxed) + 1;
        if threshold > 0 && in_a_row >= threshold {
            self.exhaust(format!("the target stopped answering ({in_a_row} requests in a row failed; last: {last})"));
        }
    }

    /// Notes that a request met more outages than it is resent after.
    pub(super) fn give_up(&self) -> String {
        let why = match self.memory.lock() {
            Ok(mut memory) => {
                let why = format!(
                    "the target stopped answering {MAX_RESENDS} times while this request waited (last: {})",
                    memory.why
                );
                memory.gave_up.get_or_insert(why).clone()
            }
            Err(_) => "the target stopped answering".to_string(),
        };
        why
    }

    fn exhaust(&self, why: String) {
        self.phase.send_if_modified(|phase| match phase {
            Phase::Exhausted(_) => false,
            _ => {
                *phase = Phase::Exhausted(why);
                true
            }
        });
    }

    /// Closes an open breaker, booking the outage's time against the budget.
    fn close(&self) {
        let closed = self.phase.send_if_modified(|phase| {
            let open = *phase == Phase::Open;
            if open {
                *phase = Phase::Closed;
            }
            open
        });
        if closed {
            if let Ok(mut memory) = self.memory.lock() {
                let now = Instant::now();
                if let Some(opened) = memory.opened.take() {
                    memory.spent += now.saturating_duration_since(opened);
                }
                if let Some(span) = &mut memory.last {
                    span.to = Some(now);
                }
            }
        }
    }

    /// Whether a request sent at `sent` and failed at `failed` did so inside the last outage.
    fn inside_last_outage(&self, sent: Instant, failed: Instant) -> bool {
        let Ok(memory) = self.memory.lock() else { return false };
        memory.last.is_some_and(|span| sent >= span.from && span.to.is_none_or(|to| failed <= to))
    }
}

impl HttpClient {
    /// Waits while the target is down; `Err(why)` once nothing more is to be sent.
    pub(super) async fn until_up(&self) -> Result<(), String> {
        let mut phase = self.breaker.phase.subscribe();
        let now = phase.wait_for(|p| *p != Phase::Open).await.map(|p| p.clone()).unwrap_or(Phase::Closed);
        match now {
            Phase::Exhausted(why) => Err(why),
            _ => Ok(()),
        }
    }

    /// After `req` (sent at `sent`) failed at `failed` (`what` says how): whether the target still
    /// answers, so the failure is the request's own; else the breaker is (or was) open and the
    /// request belongs to the outage, to be resent once it is over.
    pub(super) async fn target_answers(&self, req: &WireRequest, sent: Instant, failed: Instant, what: &str) -> bool {
        if self.pacing.breaker == 0 {
            return true;
        }
        let _one = self.breaker.check.lock().await;
        if *self.breaker.phase.borrow() != Phase::Closed || self.breaker.inside_last_outage(sent, failed) {
            return false;
        }
        let last_answer = self.breaker.last_answer.lock().ok().and_then(|l| *l);
        match last_answer {
            // Never answered at all: a wrong URL or a dead host, not an outage to wait out.
            None => return true,
            Some(at) if at > failed => return true,
            Some(_) => {}
        }
        let probe = self.breaker.probe().unwrap_or_else(|| req.clone());
        match self.probe(&probe).await {
            Ok(()) => true,
            Err((seen, _)) => {
                self.open(req, sent, format!("{what}; a probe then saw: {seen}"));
                false
            }
        }
    }

    /// One probe: `Ok` when the target answered (any status but a gateway's page), else what was seen
    /// and how long the gateway asked to wait.
    async fn probe(&self, probe: &WireRequest) -> Result<(), (String, Option<Duration>)> {
        match self.send_once(probe).await {
            Ok(resp) if gateway_page(&resp) => {
                let asked = super::retry_wait::asked(&resp).filter(|w| *w <= PLAUSIBLE_RETRY_AFTER);
                Err((format!("{} from a gateway", resp.status), asked.map(|_| retry_wait(&resp, 0, MAX_PAUSE * 4))))
            }
            Ok(_) => {
                self.breaker.answered(false);
                Ok(())
            }
            Err(e) => Err((e.to_string(), None)),
        }
    }

    /// Opens the breaker for the outage `req`'s failure revealed, and starts probing in the background.
    fn open(&self, req: &WireRequest, sent: Instant, why: String) {
        let opened = self.breaker.phase.send_if_modified(|phase| {
            let closed = *phase == Phase::Closed;
            if closed {
                *phase = Phase::Open;
            }
            closed
        });
        if !opened {
            return;
        }
        self.breaker.outages.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut memory) = self.breaker.memory.lock() {
            let now = Instant::now();
            memory.opened = Some(now);
            memory.last = Some(Span { from: sent.checked_sub(self.timeout).unwrap_or(sent), to: None });
            memory.why = why;
            memory.tripping = Some(req.clone());
        }
        let client = self.clone();
        tokio::spawn(async move { client.half_open().await });
    }

    /// Probes the target after a pause, again and again, until it answers (the breaker closes) or the
    /// outage budget is spent (nothing more is sent).
    async fn half_open(self) {
        let mut pause = Duration::from_secs(1);
        loop {
            let (left, probe, began) = {
                let Ok(memory) = self.breaker.memory.lock() else { return };
                let open_for = memory.opened.map(|o| o.elapsed()).unwrap_or_default();
                let left = self.pacing.outage_budget.saturating_sub(memory.spent + open_for);
                let probe = self.breaker.probe().or_else(|| memory.tripping.clone());
                (left, probe, memory.why.clone())
            };
            if *self.breaker.phase.borrow() != Phase::Open {
                return;
            }
            let Some(probe) = probe.filter(|_| !left.is_zero()) else {
                let budget = self.pacing.outage_budget.as_secs_f64();
                self.breaker.exhaust(format!(
                    "the target stopped answering and did not answer again within the outage budget \
                     ({budget:.0}s, JOURNEY_API_OUTAGE_BUDGET); it began with: {began}"
                ));
                return;
            };
            tokio::time::sleep(pause.min(left)).await;
            if *self.breaker.phase.borrow() != Phase::Open {
                return;
            }
            match self.probe(&probe).await {
                Ok(()) => return,
                Err((_, asked)) => pause = asked.unwrap_or((pause * 2).min(MAX_PAUSE)),
            }
        }
    }
}
