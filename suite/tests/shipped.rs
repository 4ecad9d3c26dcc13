//! The binary users install links none of the test machinery: no server framework, no property-test or
//! fuzzing crates, no embedded reference. Checked on the crate's normal dependency tree, default features.

use std::process::Command;

/// Crates that belong to the testkit, the reference or the fuzz crate, never to the shipped suite.
const FORBIDDEN: [&str; 6] = ["axum", "proptest", "arbitrary", "journey-reference", "journey-testkit", "jsonschema"];

fn tree(args: &[&str]) -> String {
    tree_of("journey-conformance", args)
}

fn tree_of(package: &str, args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "--locked", "--offline", "-p", package, "-e", "normal", "--prefix", "none"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn names(tree: &str) -> Vec<&str> {
    tree.lines().filter_map(|l| l.split_whitespace().next()).collect()
}

#[test]
fn the_shipped_crate_links_no_test_machinery() {
    let all = tree(&[]);
    let found: Vec<&str> = names(&all).into_iter().filter(|n| FORBIDDEN.contains(n)).collect();
    assert!(found.is_empty(), "journey-conformance links {found:?}:\n{all}");
    // tower comes in only through reqwest (its connector stack), never as the suite's own dependency.
    let direct = tree(&["--depth", "1"]);
    assert!(!names(&direct).contains(&"tower"), "tower is a direct dependency:\n{direct}");
}

#[test]
fn the_embedded_feature_brings_the_reference_and_only_on_request() {
    let with = tree(&["--features", "embedded"]);
    assert!(names(&with).contains(&"journey-reference"), "the embedded feature must link the reference:\n{with}");
}

/// The HTTP stack the `http` feature brings; in-process fuzzing links none of it.
const HTTP_CLIENT: [&str; 3] = ["reqwest", "hyper-rustls", "rustls"];

#[test]
fn without_the_http_feature_no_http_client_is_linked() {
    // What `fuzz/` builds by default: the testkit without `http`, so the suite without its client.
    for package in ["journey-conformance", "journey-testkit"] {
        let bare = tree_of(package, &["--no-default-features"]);
        let found: Vec<&str> = names(&bare).into_iter().filter(|n| HTTP_CLIENT.contains(n)).collect();
        assert!(found.is_empty(), "{package} without `http` links {found:?}:\n{bare}");
    }
    // ...and the feature is what brings it, so the check above cannot pass vacuously.
    assert!(names(&tree_of("journey-testkit", &[])).contains(&"reqwest"), "the testkit's default `http` lost reqwest");
}

#[test]
fn every_workspace_crate_inherits_the_rust_version() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--locked", "--offline", "--no-deps", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let packages = meta["packages"].as_array().expect("packages");
    assert!(packages.len() >= 3, "{packages:?}");
    for p in packages {
        // Without `rust-version.workspace = true` a crate has none, and clippy's MSRV checks never run on it.
        assert!(p["rust_version"].is_string(), "{} sets no rust-version", p["name"]);
    }
}
