//! Deletes every object an HTTP fuzz run created on its target, from the journal the fuzz processes
//! wrote (`JOURNEY_FUZZ_JOURNAL`, see `journey_testkit::fuzz::journal`), with each account's own
//! credentials from the usual `JOURNEY_API_*` settings; an object already gone (404) counts as deleted.
//! Prints one line of counts (and each failure, by path: never a credential); exits 1 when something
//! could not be deleted, 2 on bad settings. Usage: `fuzz_cleanup JOURNAL`.

use journey_conformance::config::{Settings, TargetSpec};
use journey_conformance::declare::case::{Auth, CaseRequest};
use journey_conformance::declare::families::ids::encode_segment;
use journey_conformance::run::session::{wire_for, Endpoint};
use journey_conformance::send::client::HttpClient;
use journey_testkit::fuzz::journal;
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("fuzz_cleanup: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<bool, String> {
    let path = std::env::args().nth(1).ok_or("usage: fuzz_cleanup JOURNAL")?;
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{path}: {e}")),
    };
    let created = journal::read(&text);
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let TargetSpec::Remote { primary, secondary } = &settings.target else {
        return Err("JOURNEY_API_URL is not set: nothing to clean up on".into());
    };
    let endpoint = |t: &journey_conformance::config::AccountTarget| {
        Endpoint::new(t.origin.clone(), t.prefix.clone(), t.account_id.clone(), t.credentials.clone())
    };
    let (first, second) = (endpoint(primary), secondary.as_ref().map(endpoint));
    let client =
        HttpClient::new(settings.concurrency, settings.timeout, settings.max_response_bytes)?.paced(settings.pacing);
    let (mut deleted, mut gone, mut failed) = (0, 0, Vec::new());
    for c in &created {
        let (owner, auth) = if c.account == first.account_id {
            (&first, Auth::Primary)
        } else if let Some(s) = second.as_ref().filter(|s| s.account_id == c.account) {
            (s, Auth::Secondary)
        } else {
            // Another account's object could only have been made with its credentials, which this run
            // does not have: it cannot be this run's.
            continue;
        };
        let object_path = format!(
            "{}/api/v4/{}/objects/{}/{}.json",
            owner.prefix,
            encode_segment(owner.account_id.as_bytes()),
            encode_segment(c.object_type.as_bytes()),
            encode_segment(c.id.as_bytes())
        );
        let req = CaseRequest::new("DELETE", object_path.clone()).auth(auth);
        match client.send(&wire_for(&first, second.as_ref(), &req)).await {
            Ok(r) if (200..300).contains(&r.status) => deleted += 1,
            Ok(r) if r.status == 404 => gone += 1,
            Ok(r) => failed.push(format!("DELETE {object_path} answered {}", r.status)),
            Err(e) => failed.push(format!("DELETE {object_path}: {e}")),
        }
    }
    println!(
        "cleanup: {} objects journaled, {deleted} deleted, {gone} already gone, {} could not be deleted",
        created.len(),
        failed.len()
    );
    for f in &failed {
        println!("  {f}");
    }
    Ok(failed.is_empty())
}
