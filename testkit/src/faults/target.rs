//! A faulty (or clean) reference on a loopback port, with the settings a user would write for it.

use super::Fault;
use journey_conformance::config::{ConfigError, Settings};
use journey_conformance::oracle::Profile;
use std::collections::HashMap;
use std::net::SocketAddr;

/// A running reference behind one fault; it stops when dropped.
pub struct FaultyTarget {
    pub addr: SocketAddr,
    /// `JOURNEY_API_*` variables naming both accounts, as for any foreign target.
    pub env: HashMap<String, String>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FaultyTarget {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A target that `start` makes, served from a thread of its own until the test process ends (a bounded
/// test run bounds it), for tests that run the suite's binaries against it: its variables, without
/// `JOURNEY_API_PROFILE`, so the binary's own default applies. Panics when it cannot bind, as a test must.
pub fn in_background<F, Fut>(start: F) -> HashMap<String, String>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = std::io::Result<FaultyTarget>>,
{
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let target = start().await.expect("bind loopback");
            tx.send(target.env.clone()).expect("send variables");
            std::future::pending::<()>().await;
        });
    });
    let mut env = rx.recv().expect("server started");
    env.remove("JOURNEY_API_PROFILE");
    env
}

impl FaultyTarget {
    /// Starts the reference behind `fault` (none: the clean reference) on 127.0.0.1.
    pub async fn start(
        fault: Option<&'static Fault>,
        mut config: journey_reference::Config,
    ) -> std::io::Result<FaultyTarget> {
        if let Some(f) = fault {
            super::configure(f, &mut config);
        }
        let accounts = config.accounts.clone();
        FaultyTarget::serve(super::layer::router(fault, config), &accounts, fault).await
    }

    /// Serves `app` (the reference, however wrapped) for `accounts` on 127.0.0.1, with TCP_NODELAY.
    pub async fn serve(
        app: axum::Router,
        accounts: &[journey_reference::Account],
        fault: Option<&'static Fault>,
    ) -> std::io::Result<FaultyTarget> {
        use axum::serve::ListenerExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let mut env = HashMap::new();
        for (account, suffix) in accounts.iter().zip(["", "_2"]) {
            env.insert(format!("JOURNEY_API_URL{suffix}"), journey_reference::base_url(addr, &account.id));
            if fault.is_some_and(|f| f.bearer) {
                env.insert(format!("JOURNEY_API_TOKEN{suffix}"), account.token.clone());
            } else {
                env.insert(format!("JOURNEY_API_USER{suffix}"), account.id.clone());
                env.insert(format!("JOURNEY_API_PASSWORD{suffix}"), account.password.clone());
            }
        }
        let profile = fault.map_or(Profile::Documented, |f| f.profile);
        env.insert(
            "JOURNEY_API_PROFILE".into(),
            if profile == Profile::Strict { "strict" } else { "documented" }.into(),
        );
        Ok(FaultyTarget { addr, env, server })
    }

    /// Prints `env` (a target's `JOURNEY_API_*` settings) on one line, sorted, as the benchmark scripts
    /// read it from a target binary's first line.
    pub fn print_env(env: &HashMap<String, String>) -> std::io::Result<()> {
        use std::io::Write;
        let mut pairs: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.sort();
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", pairs.join(" "))?;
        stdout.flush()
    }

    /// Settings for this target, with `extra` variables on top (never the process environment).
    pub fn settings(&self, extra: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut env = self.env.clone();
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Settings::from_lookup(|k| env.get(k).cloned())
    }
}
