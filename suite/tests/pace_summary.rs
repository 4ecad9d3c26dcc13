//! The binary says the pace it settled on: against a target limited to 20 requests a second (burst 5),
//! with no rate configured, a run prints `pace: learned … req/s` with the 429s it retried and how long
//! they waited, and passes; against an unlimited target it prints no pace line at all.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_journey-conformance");

async fn run_against(rate_limit: Option<&str>) -> (i32, String) {
    let config = journey_reference::Config {
        rate_limit: rate_limit.map(|l| l.parse().expect("limit")),
        ..journey_reference::Config::demo()
    };
    let target = journey_testkit::faults::target::FaultyTarget::start(None, config).await.expect("bind loopback");
    let env = target.env.clone();
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(BIN);
        cmd.args(["run", "--case", "ids/"]).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
        cmd.envs(env).output().expect("the binary runs")
    })
    .await
    .expect("joined");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_says_the_pace_learned_from_the_targets_429s() {
    let (code, stdout) = run_against(Some("20:5")).await;
    let pace: Vec<&str> = stdout.lines().filter(|l| l.starts_with("pace: ")).collect();
    println!("{}", pace.join("\n"));
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(pace.len(), 1, "one pace line: {stdout}");
    assert!(pace[0].starts_with("pace: learned ") && pace[0].contains("429s retried, waiting"), "{}", pace[0]);

    let (code, stdout) = run_against(None).await;
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.lines().any(|l| l.starts_with("pace: ")), "no pace to speak of: {stdout}");
}
