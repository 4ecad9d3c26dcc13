//! A distant target on loopback: the reference behind a front end that holds every answer back by a
//! fixed delay, as a deployment tens of milliseconds away would, and counts the requests it answered, so
//! a benchmark can set a run's time against the bound that latency and concurrency allow.

use axum::extract::Request;
use axum::middleware::Next;
use axum::serve::ListenerExt;
use journey_reference::{Account, Config};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A running delayed reference; dropping it stops it.
pub struct DelayedReference {
    /// Where it listens (127.0.0.1, an OS-assigned port).
    pub addr: SocketAddr,
    /// The demo accounts it serves, primary first.
    pub accounts: Vec<Account>,
    requests: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl DelayedReference {
    /// Starts the reference with every answer delayed by `delay`; replies go out with TCP_NODELAY.
    pub async fn start(delay: Duration) -> std::io::Result<DelayedReference> {
        let config = Config::demo();
        let accounts = config.accounts.clone();
        let requests = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&requests);
        let app =
            journey_reference::router(config).layer(axum::middleware::from_fn(move |req: Request, next: Next| {
                let counted = Arc::clone(&counted);
                async move {
                    counted.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(delay).await;
                    next.run(req).await
                }
            }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(DelayedReference { addr, accounts, requests, task })
    }

    /// Requests answered (or being answered) so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The settings a user would write for this target: both accounts' URL, user and password.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = Vec::new();
        for (account, suffix) in self.accounts.iter().zip(["", "_2"]) {
            env.push((format!("JOURNEY_API_URL{suffix}"), journey_reference::base_url(self.addr, &account.id)));
            env.push((format!("JOURNEY_API_USER{suffix}"), account.id.clone()));
            env.push((format!("JOURNEY_API_PASSWORD{suffix}"), account.password.clone()));
        }
        env
    }
}

impl Drop for DelayedReference {
    fn drop(&mut self) {
        self.task.abort();
    }
}
