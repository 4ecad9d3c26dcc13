//! Near-miss credentials are secrets too: after a run in which every near-miss case fails, no
//! derived variant appears in the output or in any report file, and the repros rebuild the variants
//! from `$JOURNEY_API_…` instead. The target echoes the Authorization header it got, so the derived
//! bytes do come back and only the redaction keeps them out; a prefix-compare target fails the
//! same cases by accepting them.

use journey_conformance::config::Credentials;
use journey_conformance::declare::near_miss::NearMiss;
use journey_testkit::faults::{self, target::FaultyTarget};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_journey-conformance");

/// Runs the near-miss group against `fault` with reports; returns everything the run wrote, and the
/// credentials it was given.
async fn run(fault: &'static str, dir: &Path) -> (String, Credentials, Option<Credentials>) {
    let target = FaultyTarget::start(faults::find(fault), journey_reference::Config::demo()).await.expect("target");
    let env = target.env.clone();
    let dir_arg = dir.to_str().expect("utf-8 dir").to_string();
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(BIN);
        cmd.args(["run", "--case", "auth/near-miss/*", "--profile", "strict", "--report", "junit,html,md,ndjson"])
            .args(["--report-dir", &dir_arg])
            .env("CI", "true");
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("JOURNEY_")) {
            cmd.env_remove(k);
        }
        cmd.envs(&env).output().expect("run the binary")
    })
    .await
    .expect("join");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the faulty target must fail the group: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    for entry in std::fs::read_dir(dir).expect("report dir") {
        all += &std::fs::read_to_string(entry.expect("entry").path()).unwrap_or_default();
    }
    let creds = |suffix: &str| match target.env.get(&format!("JOURNEY_API_TOKEN{suffix}")) {
        Some(token) => Some(Credentials::Bearer { token: token.clone() }),
        None => Some(Credentials::Basic {
            user: target.env.get(&format!("JOURNEY_API_USER{suffix}"))?.clone(),
            password: target.env.get(&format!("JOURNEY_API_PASSWORD{suffix}"))?.clone(),
        }),
    };
    (all, creds("").expect("primary credentials"), creds("_2"))
}

async fn check(fault: &'static str) {
    let dir = std::env::temp_dir().join(format!("jc-near-miss-{}-{fault}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (all, primary, secondary) = run(fault, &dir).await;
    assert!(all.contains("auth/near-miss/"), "the group ran and was reported");
    let mut checked = 0;
    for v in NearMiss::ALL {
        for secret in v.secrets(&primary, secondary.as_ref()) {
            let text = String::from_utf8_lossy(&secret);
            // Leading/trailing-space variants contain the password, which is searched for as such.
            let needle = text.trim();
            assert!(!all.contains(needle), "{fault}: {} appears in the output or a report", v.describe());
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} derived secrets were searched for");
    assert!(all.contains("$JOURNEY_API_"), "repros name the variables");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_derived_password_appears_anywhere() {
    check("echo-authorization").await;
    check("password-prefix-compare").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_derived_token_appears_anywhere() {
    check("token-prefix-compare").await;
}
