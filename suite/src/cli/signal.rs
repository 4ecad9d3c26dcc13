//! SIGINT and SIGTERM: the first stops the run from starting cases (those in flight finish, then
//! teardown and the reports run, and the process exits 130); a second one exits at once, saying what
//! it skipped. Shared by the binary and the `cargo test` harness.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Notify;

/// Signals received so far, and a way to wait for the first.
#[derive(Clone)]
pub struct Signals {
    count: Arc<AtomicUsize>,
    notify: Arc<Notify>,
}

/// Resolves on the next SIGINT (Ctrl-C) or SIGTERM.
async fn next_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

impl Signals {
    /// Starts listening (on the current runtime). From now on SIGINT/SIGTERM no longer kill the process
    /// by default: the first is recorded; the second exits 130 at once with `on_second` on stderr.
    pub fn listen(on_second: impl Fn() -> String + Send + 'static) -> Signals {
        let signals = Signals { count: Arc::default(), notify: Arc::new(Notify::new()) };
        let (count, notify) = (Arc::clone(&signals.count), Arc::clone(&signals.notify));
        tokio::spawn(async move {
            loop {
                next_signal().await;
                if count.fetch_add(1, Ordering::SeqCst) == 0 {
                    notify.notify_waiters();
                    eprintln!(
                        "journey-conformance: interrupted: no new case starts; the cases in flight finish, \
                         then teardown and reports (interrupt again to exit at once)"
                    );
                } else {
                    eprintln!("journey-conformance: interrupted twice: exiting now. {}", on_second());
                    std::process::exit(i32::from(super::dispatch::EXIT_INTERRUPTED));
                }
            }
        });
        signals
    }

    /// Whether a signal came.
    pub fn received(&self) -> bool {
        self.count.load(Ordering::SeqCst) > 0
    }

    /// Resolves once the first signal has come (at once if it already has).
    pub async fn first(&self) {
        let notified = self.notify.notified();
        if self.received() {
            return;
        }
        notified.await;
    }

    /// Interrupts `session` when the first signal comes (at once if it already came).
    pub fn interrupt_on_first(&self, session: Arc<crate::run::session::Session>) {
        let signals = self.clone();
        tokio::spawn(async move {
            signals.first().await;
            session.interrupt();
        });
    }
}
