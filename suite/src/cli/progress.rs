//! Progress while cases run: a bar on a terminal, a few plain lines in CI or a pipe (logs stay short).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Plain mode prints at most this many progress lines per run.
const PLAIN_STEPS: usize = 10;

/// Whether to draw a bar: only on a terminal, and never when `CI` is set.
pub fn should_draw(stderr_is_terminal: bool, ci: Option<&str>) -> bool {
    stderr_is_terminal && ci.is_none_or(|v| v.is_empty())
}

/// Reports each finished case.
pub struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: usize,
    failed: usize,
    next_line: usize,
}

impl Progress {
    /// A bar or plain lines, decided from the environment.
    pub fn new(total: usize) -> Progress {
        let draw = should_draw(std::io::stderr().is_terminal(), std::env::var("CI").ok().as_deref());
        let bar = draw.then(|| {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:40.green/red} {pos}/{len} cases · {msg} · {elapsed}")
            {
                bar.set_style(style);
            }
            bar.set_message("0 failed");
            bar
        });
        Progress { bar, total, done: 0, failed: 0, next_line: 1 }
    }

    /// Counts one finished case.
    pub fn case_done(&mut self, id: &str, ok: bool) {
        self.done += 1;
        if !ok {
            self.failed += 1;
        }
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                if !ok {
                    bar.set_message(format!("{} failed", self.failed));
                    bar.println(format!("FAIL {id}"));
                }
            }
            None => {
                let step = self.total.div_ceil(PLAIN_STEPS).max(1);
                if self.done >= self.next_line * step || self.done == self.total {
                    eprintln!("progress: {}/{} cases, {} failed", self.done, self.total, self.failed);
                    self.next_line = self.done / step + 1;
                }
            }
        }
    }

    /// Removes the bar so the summary prints on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_only_on_a_terminal_outside_ci() {
        assert!(should_draw(true, None));
        assert!(should_draw(true, Some("")));
        assert!(!should_draw(true, Some("true")));
        assert!(!should_draw(false, None));
    }
}
