//! How fast the client sends. `JOURNEY_API_RATE` is an upper bound; under it the client learns the
//! target's pace from the 429s it meets (AIMD): at a 429 it cuts its rate to a little below what the
//! target let through over the last two seconds, then lets it grow slowly, faster the longer no 429
//! comes. Against a token bucket the run so settles just under the sustained rate with a 429 every ten
//! seconds or so, instead of bursting into the limit and waiting out `Retry-After` again and again.
//! The pace itself is a slot schedule (GCRA with a burst of one): each request takes the next slot and
//! moves it one period on. governor's limiters cannot change their rate, and swapping in a new one
//! while requests still wait on the old let both run at once (a run paced at 10/s sent 15/s).

use std::time::Duration;
#[cfg(feature = "http")]
use {
    super::answer_counts::Bins,
    crate::config::{Pacing, SHARED_PAUSE_ABOVE},
    crate::send::response::Response,
    std::sync::Mutex,
    tokio::time::Instant,
};

/// The slowest pace a cut sets: a target limited below one request a second is not worth learning.
#[cfg(feature = "http")]
const MIN_RATE: f64 = 1.0;
/// The fastest pace the client ever sets (a period of 10 µs: beyond it pacing means nothing).
#[cfg(feature = "http")]
const MAX_RATE: f64 = 100_000.0;
/// A cut sets the pace to this share of what the target let through.
#[cfg(feature = "http")]
const CUT: f64 = 0.9;
/// The share of 429s among the answers of the last two seconds below which a 429 cuts nothing: a
/// limiter that refuses an odd request (a gateway's per-route rule) says nothing about the pace.
#[cfg(feature = "http")]
const CUT_SHARE: f64 = 0.01;
/// The shortest time between two cuts.
#[cfg(feature = "http")]
const COOLDOWN: Duration = Duration::from_secs(1);
/// How long after a cut a second one needs the share of 429s to have halved since.
#[cfg(feature = "http")]
const RETHINK: Duration = Duration::from_secs(5);
/// The fewest answers (429s included) of the last two seconds a cut is measured on.
#[cfg(feature = "http")]
const MIN_EVIDENCE: f64 = 10.0;

/// The pace a cut to `base` has grown to `t` seconds later: 1 % a second for the first 15 s, then
/// quadratically faster, so a limit that was raised (or a cut that undershot) is found again. After
/// the first cut only, 10 % a second (a slow start): it was measured while the first 429s' requests
/// sat out their `Retry-After`, so it undershoots; the next 429 measures a busy client.
#[cfg(feature = "http")]
fn grown(base: f64, t: f64, first: bool) -> f64 {
    if first {
        return base * 1.1f64.powf(t.min(120.0));
    }
    let late = (t - 15.0).max(0.0);
    base * (1.0 + 0.01 * t + 0.004 * late * late)
}

/// What the pacer has learned and done, for the run's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PaceReport {
    /// The configured upper bound (`JOURNEY_API_RATE`).
    pub cap: Option<f64>,
    /// The pace the client sent at on average since its first cut (time-weighted); `None` before any.
    pub learned: Option<f64>,
    /// What the target let through at the last 429, measured over the two seconds before it.
    pub ceiling: Option<f64>,
    /// 429s met, retried or not.
    pub limited: u64,
    /// How often a 429 cut the pace.
    pub cuts: u64,
    /// 429s retried, and how long those retries waited in all (summed over requests).
    pub retried: u64,
    pub waited: Duration,
}

impl PaceReport {
    /// One line for the run's summary, or `None` when the client neither learned nor waited anything.
    pub fn line(&self) -> Option<String> {
        let cap = self.cap.map(|c| format!(" (bound {c:.1} req/s)")).unwrap_or_default();
        let pace = match (self.learned, self.cap) {
            (Some(rate), _) => format!("learned {rate:.1} req/s from {} rate-limited answers{cap}", self.limited),
            (None, Some(c)) => format!("{c:.1} req/s as configured, no 429 met"),
            (None, None) if self.limited == 0 && self.retried == 0 => return None,
            (None, None) => format!("unpaced, {} rate-limited answers", self.limited),
        };
        let ceiling =
            self.ceiling.map(|c| format!("; the target let {c:.1} req/s through at the last 429")).unwrap_or_default();
        Some(format!(
            "pace: {pace}{ceiling}; {} 429s retried, waiting {:.1}s in all",
            self.retried,
            self.waited.as_secs_f64()
        ))
    }
}

#[cfg(feature = "http")]
struct State {
    /// The rate requests leave at; `None` unpaced.
    rate: Option<f64>,
    /// When the next request may leave.
    next_slot: Option<Instant>,
    set_at: Instant,
    /// The rate the last cut set, and when: the pace grows from it while no 429 comes.
    base: Option<(f64, Instant)>,
    answers: Bins,
    /// The share of 429s the last cut was made at.
    cut_share: f64,
    report: PaceReport,
    /// Since the first cut: the integral of the rate over time, and when it began.
    area: f64,
    first_cut: Option<Instant>,
}

#[cfg(feature = "http")]
impl State {
    fn set(&mut self, rate: Option<f64>, now: Instant) {
        if let (Some(old), Some(_)) = (self.rate, self.first_cut) {
            self.area += old * now.saturating_duration_since(self.set_at).as_secs_f64();
        }
        self.rate = rate.map(|r| r.min(MAX_RATE));
        self.set_at = now;
    }

    /// The slot this request leaves at (now, unless earlier ones are still queued), the next one a
    /// period later; `None` unpaced.
    fn take_slot(&mut self, now: Instant) -> Option<Instant> {
        let period = Duration::try_from_secs_f64(1.0 / self.rate.filter(|r| *r > 0.0)?).ok()?;
        let slot = self.next_slot.map_or(now, |next| next.max(now));
        self.next_slot = Some(slot + period);
        Some(slot)
    }
}

#[cfg(feature = "http")]
/// The client's pace, shared by its clones: its schedule, what it has learned, and any pause a 429 asked for.
pub(super) struct Pacer {
    pacing: Pacing,
    state: Mutex<State>,
    /// Until when every request waits, after a 429 said `Retry-After`.
    paused_until: Mutex<Option<Instant>>,
}

#[cfg(feature = "http")]
impl Pacer {
    pub(super) fn new(pacing: Pacing) -> Pacer {
        let now = Instant::now();
        let mut state = State {
            rate: None,
            next_slot: None,
            set_at: now,
            base: None,
            answers: Bins::new(now),
            cut_share: 0.0,
            report: PaceReport { cap: pacing.rate.filter(|r| *r > 0.0), ..PaceReport::default() },
            area: 0.0,
            first_cut: None,
        };
        state.set(state.report.cap, now);
        Pacer { pacing, state: Mutex::new(state), paused_until: Mutex::default() }
    }

    /// Waits until the pace lets this request leave, and out any pause a 429 asked for.
    pub(super) async fn pace(&self) {
        if let Some(slot) = self.slot() {
            tokio::time::sleep_until(slot).await;
        }
        let until = self.paused_until.lock().ok().and_then(|p| *p);
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }

    /// This request's slot, at the pace grown since the last cut.
    fn slot(&self) -> Option<Instant> {
        let mut state = self.state.lock().ok()?;
        let now = Instant::now();
        if let Some((base, since)) = state.base {
            let cap = self.pacing.rate.unwrap_or(MAX_RATE);
            let first = state.report.cuts <= 1;
            let want = grown(base, now.saturating_duration_since(since).as_secs_f64(), first).min(cap);
            if state.rate != Some(want) {
                state.set(Some(want), now);
            }
        }
        state.take_slot(now)
    }

    /// Notes an answer that was not a 429: the target let it through.
    pub(super) fn answered(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.answers.add(Instant::now(), false);
        }
    }

    /// Notes a 429 to a request sent at `sent_at`, and cuts the pace unless a cut since it was sent
    /// already answered it (the requests in flight at a cut draw their 429s too), or the last seconds
    /// hold too little to measure (under a second of traffic, or of [`MIN_EVIDENCE`] answers), or 429s
    /// are too rare among them to be about the pace (an odd refusal by a gateway's rule).
    pub(super) fn limited(&self, sent_at: Instant) {
        let Ok(mut state) = self.state.lock() else { return };
        let now = Instant::now();
        state.report.limited += 1;
        state.answers.add(now, true);
        // One cut a second at most: the 429s of the requests sent just after a cut measure the old pace.
        let recent = |at: Instant| sent_at <= at || now.saturating_duration_since(at) < COOLDOWN;
        if !self.pacing.adaptive || state.base.is_some_and(|(_, at)| recent(at)) {
            return;
        }
        let (answers, refusals, span) = state.answers.window(now);
        if span < 1.0 || answers + refusals < MIN_EVIDENCE || refusals < CUT_SHARE * answers {
            return;
        }
        // A cut that did not halve the share of 429s within a few seconds shows they are not about the
        // pace (a limiter refusing one route, say): cutting again would only slow the run for nothing.
        let share = refusals / (answers + refusals);
        let futile = |at: Instant| now.saturating_duration_since(at) < RETHINK && share >= state.cut_share / 2.0;
        if state.base.is_some_and(|(_, at)| futile(at)) {
            return;
        }
        state.cut_share = share;
        let through = answers / span.min(2.0);
        let current = state.rate.unwrap_or(f64::INFINITY);
        let cut = (CUT * through.min(current)).max(MIN_RATE).min(self.pacing.rate.unwrap_or(MAX_RATE));
        state.report.ceiling = Some(through);
        state.first_cut.get_or_insert(now);
        state.report.cuts += 1;
        state.base = Some((cut, now));
        state.set(Some(cut), now);
    }

    /// How long to wait before retrying this 429 (attempt `attempt`), or `None` when the run's waits
    /// have used up their total; a long wait is shared by every request (see [`Pacing::shared_pause`]).
    pub(super) fn wait_for(&self, resp: &Response, attempt: u32) -> Option<Duration> {
        let wait = super::retry_wait::retry_wait(resp, attempt, self.pacing.max_retry_wait);
        {
            let mut state = self.state.lock().ok()?;
            if state.report.waited + wait > self.pacing.max_total_wait {
                return None;
            }
            state.report.waited += wait;
            state.report.retried += 1;
        }
        let shared = !self.pacing.adaptive || wait > SHARED_PAUSE_ABOVE;
        if self.pacing.shared_pause && shared && super::retry_wait::asked(resp).is_some() {
            self.pause_all(wait);
        }
        Some(wait)
    }

    /// Holds every request back for `wait` from now (never shortening a pause already asked for).
    pub(super) fn pause_all(&self, wait: Duration) {
        let until = Instant::now() + wait;
        if let Ok(mut paused) = self.paused_until.lock() {
            *paused = Some(paused.map_or(until, |p| p.max(until)));
        }
    }

    /// What the pacer has learned and done so far.
    pub(super) fn report(&self) -> PaceReport {
        let Ok(state) = self.state.lock() else { return PaceReport::default() };
        let mut report = state.report;
        if let (Some(first), Some(rate)) = (state.first_cut, state.rate) {
            let now = Instant::now();
            let area = state.area + rate * now.saturating_duration_since(state.set_at).as_secs_f64();
            let span = now.saturating_duration_since(first).as_secs_f64();
            report.learned = Some(if span > 0.0 { area / span } else { rate });
        }
        report
    }
}

#[cfg(all(test, feature = "http"))]
mod pacing_tests;
