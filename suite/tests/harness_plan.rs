//! The `cargo test` harness sends ahead only the cases libtest will run: its filter, `--skip`, `--exact`,
//! `--ignored` and `--list` decide, and a running snapshot trial needs its whole family.

#[path = "harness/plan.rs"]
mod plan;

use libtest_mimic::{Arguments, Trial};

/// Two families of two cases (the second `auth` case skipped by the harness), then their snapshot trials.
fn trials() -> (Vec<Trial>, usize) {
    let case =
        |id: &str, family: &str, ignored: bool| Trial::test(id, || Ok(())).with_kind(family).with_ignored_flag(ignored);
    let cases = vec![
        case("methods/wrong-method/DELETE-a", "methods", false),
        case("methods/wrong-method/PUT-b", "methods", false),
        case("auth/missing/GET-a", "auth", false),
        case("auth/second-account/GET-b", "auth", true),
    ];
    let n = cases.len();
    let snapshots = ["methods", "auth"].map(|f| Trial::test(format!("{}{f}", plan::SNAPSHOT_PREFIX), || Ok(())));
    (cases.into_iter().chain(snapshots.into_iter().map(|t| t.with_kind("snapshot"))).collect(), n)
}

fn needed(args: &[&str]) -> Vec<usize> {
    let (trials, n) = trials();
    let args = Arguments::from_iter(std::iter::once("conformance").chain(args.iter().copied()));
    plan::needed(&args, &trials, n)
}

#[test]
fn libtest_arguments_decide_which_cases_are_sent_ahead() {
    let table: &[(&[&str], &[usize])] = &[
        // Everything, but the ignored case only through its family's snapshot.
        (&[], &[0, 1, 2, 3]),
        (&["--skip", "snapshots/"], &[0, 1, 2]),
        (&["wrong-method/"], &[0, 1]),
        (&["PUT-b"], &[1]),
        (&["--exact", "methods/wrong-method/PUT-b"], &[1]),
        (&["--exact", "PUT-b"], &[]),
        (&["methods/", "--skip", "PUT"], &[0]),
        (&["snapshots/auth"], &[2, 3]),
        (&["--ignored", "--skip", "snapshots/"], &[3]),
        (&["--include-ignored", "auth/"], &[2, 3]),
        (&["no/such/case"], &[]),
        (&["--list"], &[]),
    ];
    for (args, want) in table {
        assert_eq!(needed(args), *want, "arguments {args:?}");
    }
}
