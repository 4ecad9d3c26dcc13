//! A run that waits out an outage: the default run, at default settings, against the reference behind a
//! front that goes down for 40 s after its 600th request (a deploy) and then answers the requests it held
//! with a load balancer's 503 page and `Retry-After: 1`. The run pauses and resumes: every case is judged
//! (at most 5 % inconclusive), none fails because of the outage, and teardown deletes everything the run
//! created. This is the one slow test of the default run (about a minute), by design.

use journey_conformance::oracle::Status;
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const STALL: Duration = Duration::from_secs(40);
const AFTER: usize = 600;

/// The objects each account of the target holds, by type (the reference starts empty).
async fn objects_left(env: &std::collections::HashMap<String, String>) -> Vec<String> {
    let client = reqwest::Client::builder().no_proxy().build().expect("client");
    let mut left = Vec::new();
    for suffix in ["", "_2"] {
        let base = &env[&format!("JOURNEY_API_URL{suffix}")];
        let (user, password) =
            (&env[&format!("JOURNEY_API_USER{suffix}")], &env[&format!("JOURNEY_API_PASSWORD{suffix}")]);
        let get = |path: String| {
            let req = client.get(format!("{base}/{path}")).basic_auth(user, Some(password));
            async move {
                let body = req.send().await.expect("answered").bytes().await.expect("body");
                serde_json::from_slice::<Value>(&body).expect("json")
            }
        };
        let model = get("datamodel.json".into()).await;
        let types: Vec<String> = model["models"].as_object().expect("models").keys().cloned().collect();
        for object_type in types {
            let list = get(format!("objects/{object_type}.json?limit=1000")).await;
            for object in list["objects"].as_array().into_iter().flatten() {
                left.push(format!("{base} {object_type} {}", object["id"]));
            }
        }
    }
    left
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_waits_out_a_40_s_outage_and_resumes_judging_every_case_and_cleaning_up() {
    let (target, counts) =
        journey_testkit::outage::start(journey_reference::Config::demo(), AFTER, STALL).await.expect("bind loopback");
    let settings = target.settings(&[]).expect("default settings");
    let started = Instant::now();
    let session = Session::start(settings).await.expect("setup");
    let run = Run::new(session);
    let results = run.all().await;
    let teardown = run.session.teardown().await;
    let elapsed = started.elapsed();
    let count = |s: Status| results.values().filter(|r| r.status() == s).count();
    let (failed, inconclusive) = (count(Status::Fail), count(Status::Inconclusive));
    println!(
        "{:.1}s: {} cases, passed {}, non-strict {}, failed {failed}, inconclusive {inconclusive}, skipped {}; \
         {} requests, {} held by the outage",
        elapsed.as_secs_f64(),
        results.len(),
        count(Status::Pass),
        count(Status::NonStrict),
        count(Status::Skip),
        counts.requests.load(Ordering::SeqCst),
        counts.held.load(Ordering::SeqCst),
    );
    for line in run.session.client.summary_lines() {
        println!("{line}");
    }
    assert!(counts.held.load(Ordering::SeqCst) > 0, "the outage never happened: the test proves nothing");
    assert!(elapsed >= STALL, "the run cannot have judged every case without waiting the outage out");
    let bad: Vec<String> = results
        .values()
        .filter(|r| r.status() == Status::Fail)
        .map(|r| format!("{}: {:?}", r.id, r.verdict.violations().first().map(|v| &v.message)))
        .collect();
    assert!(bad.is_empty(), "cases failed by the outage:\n{}", bad.join("\n"));
    assert!(inconclusive * 20 <= results.len(), "{inconclusive} of {} inconclusive (more than 5 %)", results.len());
    let outages = run.session.client.outage_report();
    assert!(outages.outages >= 1 && outages.waited >= Duration::from_secs(10), "{outages:?}");
    assert_eq!(run.session.client.stopped(), None, "the run resumed");
    assert!(teardown.is_ok(), "teardown: {teardown:?}");
    let left = objects_left(&target.env).await;
    assert!(left.is_empty(), "{} objects left behind:\n{}", left.len(), left.join("\n"));
}
