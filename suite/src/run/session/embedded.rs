//! The embedded reference: started in-process on a loopback port when no target is configured. Only a
//! build with the `embedded` feature has it, so the binary users install links no server.

use super::{Endpoint, SetupError};

/// Starts the reference on 127.0.0.1 with its two demo accounts; the task lives as long as the session.
#[cfg(feature = "embedded")]
pub async fn start() -> Result<(Endpoint, Endpoint, tokio::task::JoinHandle<()>), SetupError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| SetupError(format!("cannot bind 127.0.0.1 for the embedded reference: {e}")))?;
    let addr = listener.local_addr().map_err(|e| SetupError(e.to_string()))?;
    let config = journey_reference::Config::demo();
    let endpoints: Vec<Endpoint> = config
        .accounts
        .iter()
        .map(|a| {
            let credentials = crate::config::Credentials::Basic { user: a.id.clone(), password: a.password.clone() };
            Endpoint::new(format!("http://{addr}"), String::new(), a.id.clone(), credentials)
        })
        .collect();
    let [primary, secondary] = <[Endpoint; 2]>::try_from(endpoints)
        .map_err(|_| SetupError("the embedded reference must have exactly two demo accounts".into()))?;
    let server = tokio::spawn(async move {
        if let Err(e) = journey_reference::serve(listener, config).await {
            eprintln!("journey-conformance: embedded reference stopped: {e}");
        }
    });
    Ok((primary, secondary, server))
}

/// Without the `embedded` feature there is nothing to start: say how to get a target.
#[cfg(not(feature = "embedded"))]
pub async fn start() -> Result<(Endpoint, Endpoint, tokio::task::JoinHandle<()>), SetupError> {
    Err(SetupError(
        "no target configured: set JOURNEY_API_URL and its credentials, or build with `--features embedded` \
         to test the embedded reference"
            .into(),
    ))
}
