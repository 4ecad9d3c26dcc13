//! One command judges a deployment: the README's `cargo test -p journey-conformance --test conformance
//! --test properties` runs the fixed cases, the property tests and the stateful property against the
//! configured target, within the request budget the README states, and cleans up after itself.

use super::{cargo, text, Target};

/// The README's budget for the deployment command with default settings.
const BUDGET: usize = 7_500;

#[test]
fn the_readme_deployment_command_judges_with_every_check_within_its_budget() {
    let target = Target::start();
    let out = cargo()
        // `--format pretty`: the conformance harness prints one character per trial by default.
        .args(["test", "-p", "journey-conformance", "--locked", "--test", "conformance", "--test", "properties"])
        .args(["--", "--format", "pretty"])
        .envs(target.vars())
        .output()
        .expect("run cargo test");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{}\n{stderr}", stdout.lines().rev().take(30).collect::<Vec<_>>().join("\n"));
    for check in ["properties/stateful ", "properties/malformed-json ", "methods/wrong-method/DELETE-datamodel "] {
        let passed = stdout.lines().any(|l| l.starts_with("test ") && l.contains(check) && l.ends_with("... ok"));
        assert!(passed, "the command runs and passes {check}");
    }
    let requests = target.switch.requests.load(std::sync::atomic::Ordering::SeqCst);
    println!("the deployment command sent {requests} requests (budget {BUDGET})");
    assert!(requests <= BUDGET, "{requests} requests, over the README's budget of {BUDGET}");
    assert!(target.marked_objects().is_empty(), "nothing left behind");
}
