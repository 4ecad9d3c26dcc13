//! What the target let through lately: answers and 429s counted in 100 ms bins over the last two
//! seconds, from which the pacer measures the rate at a 429 and whether 429s are frequent enough to be
//! about the pace.

use std::time::Duration;
use tokio::time::Instant;

/// Answers and 429s counted in 100 ms bins over the last two seconds: the rate the target let through.
pub(super) struct Bins {
    /// Per bin: answers let through, 429s.
    counts: [[u32; 2]; 20],
    /// Index of the newest bin, counted from `start`.
    newest: u64,
    start: Instant,
}

impl Bins {
    pub(super) fn new(start: Instant) -> Bins {
        Bins { counts: [[0; 2]; 20], newest: 0, start }
    }

    fn advance(&mut self, now: Instant) {
        let index = (now.saturating_duration_since(self.start).as_millis() / 100) as u64;
        if index >= self.newest + self.counts.len() as u64 {
            self.counts = [[0; 2]; 20];
            self.newest = index;
        }
        while self.newest < index {
            self.newest += 1;
            self.counts[(self.newest % 20) as usize] = [0; 2];
        }
    }

    /// Counts an answer (`refused`: a 429) at `now`.
    pub(super) fn add(&mut self, now: Instant, refused: bool) {
        self.advance(now);
        self.counts[(self.newest % 20) as usize][usize::from(refused)] += 1;
    }

    /// Over the last two seconds: answers, 429s, and the seconds since the oldest of them (the client
    /// may have been idle before, during set-up: that time says nothing of the target's pace).
    pub(super) fn window(&mut self, now: Instant) -> (f64, f64, f64) {
        self.advance(now);
        let (mut answers, mut refusals, mut oldest) = (0.0, 0.0, None);
        for back in (0..20u64).rev() {
            let Some(index) = self.newest.checked_sub(back) else { continue };
            let [a, r] = self.counts[(index % 20) as usize];
            if a + r > 0 {
                oldest.get_or_insert(index);
                answers += f64::from(a);
                refusals += f64::from(r);
            }
        }
        let since = |index: u64| self.start + Duration::from_millis(index * 100);
        let span = oldest.map_or(0.0, |i| now.saturating_duration_since(since(i)).as_secs_f64());
        (answers, refusals, span)
    }
}
