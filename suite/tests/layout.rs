//! `suite/src` reads like its pipeline (ARCHITECTURE.md): the stage folders' imports run one way only,
//! cli → report → run → oracle → send → declare, with `config` and `redact` under every stage; at most
//! four loose files sit at the top; no two source files share a name and no two public types do.
//! Drawn from the source text itself, so a new file or import is checked the day it lands.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The stages from the bottom up: a file may import its own stage and any stage below it.
const STAGES: [&str; 7] = ["base", "declare", "send", "oracle", "run", "report", "cli"];
/// What spans every stage: read by all, importing none of them.
const BASE: [&str; 2] = ["config", "redact"];
/// The crate root's re-exports, with the stage that defines them.
const ROOT_ITEMS: [(&str, &str); 4] =
    [("ErrorType", "declare"), ("Expect", "declare"), ("Outcome", "declare"), ("Response", "send")];
/// Files allowed loose at the top of `suite/src`.
const LOOSE: usize = 4;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read suite/src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The stage a module path's first segment (under `crate::`) belongs to.
fn stage_of_segment(segment: &str) -> Option<&'static str> {
    if BASE.contains(&segment) {
        return Some("base");
    }
    if let Some((_, stage)) = ROOT_ITEMS.iter().find(|(item, _)| *item == segment) {
        return Some(stage);
    }
    STAGES.iter().find(|s| **s == segment).copied()
}

/// The stage of a file, from its path under `suite/src`.
fn stage_of_file(relative: &Path) -> &'static str {
    let first = relative.components().next().and_then(|c| c.as_os_str().to_str()).unwrap_or("");
    let first = first.strip_suffix(".rs").unwrap_or(first);
    match first {
        "lib" | "main" => "root",
        other => stage_of_segment(other).unwrap_or_else(|| panic!("{} is in no stage", relative.display())),
    }
}

fn rank(stage: &str) -> usize {
    STAGES.iter().position(|s| *s == stage).expect("known stage")
}

/// The source without comments, so doc links do not count as imports.
fn code(text: &str) -> String {
    text.lines().map(|l| l.split_once("//").map_or(l, |(code, _)| code)).collect::<Vec<_>>().join("\n")
}

/// Every `crate::X` the code names, with `crate::{X, Y}` groups opened.
fn crate_segments(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        let group = rest.strip_prefix('{').map(|g| g.split('}').next().unwrap_or(""));
        let names: Vec<&str> = match group {
            Some(g) => g.split(',').map(|n| n.trim().split("::").next().unwrap_or("")).collect(),
            None => vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")],
        };
        out.extend(names.into_iter().filter(|n| !n.is_empty()).map(String::from));
    }
    out
}

/// Every import that runs from a lower stage up to a higher one, or from the base into a stage.
fn back_arrows(sources: &[(PathBuf, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (relative, text) in sources {
        let from = stage_of_file(relative);
        if from == "root" {
            continue;
        }
        for segment in crate_segments(&code(text)) {
            let Some(to) = stage_of_segment(&segment) else { continue };
            let upward = if from == "base" { to != "base" } else { rank(to) > rank(from) };
            if upward {
                out.push(format!("{} ({from}) imports crate::{segment} ({to})", relative.display()));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    files(&src(), &mut paths);
    paths.sort();
    let root = src();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read source");
            (p.strip_prefix(&root).expect("under src").to_path_buf(), text)
        })
        .collect()
}

#[test]
fn imports_run_one_way_between_the_stages() {
    let arrows = back_arrows(&sources());
    assert!(arrows.is_empty(), "imports that run back up the pipeline:\n{}", arrows.join("\n"));
}

#[test]
fn the_arrow_check_fails_on_an_import_that_runs_back_up() {
    let upward = vec![
        (PathBuf::from("send/client.rs"), "use crate::oracle::Verdict;\nuse crate::declare::case::Case;".to_string()),
        (PathBuf::from("config.rs"), "use crate::{redact, send::response::Response};".to_string()),
        (PathBuf::from("declare/case.rs"), "// see [`crate::report`]\nuse crate::Response;".to_string()),
    ];
    assert_eq!(
        back_arrows(&upward),
        [
            "config.rs (base) imports crate::send (send)",
            "declare/case.rs (declare) imports crate::Response (send)",
            "send/client.rs (send) imports crate::oracle (oracle)",
        ]
    );
    let downward =
        vec![(PathBuf::from("cli/run_command.rs"), "use crate::report::terminal;\nuse crate::config;".into())];
    assert!(back_arrows(&downward).is_empty());
}

#[test]
fn few_loose_files_at_the_top() {
    let loose: Vec<String> =
        sources().iter().filter(|(p, _)| p.components().count() == 1).map(|(p, _)| p.display().to_string()).collect();
    assert!(loose.len() <= LOOSE, "{} loose files at the top of suite/src: {loose:?}", loose.len());
}

/// Names that occur more than once among `names`, each with where.
fn repeated(names: impl IntoIterator<Item = (String, String)>) -> Vec<String> {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, place) in names {
        seen.entry(name).or_default().push(place);
    }
    seen.into_iter().filter(|(_, places)| places.len() > 1).map(|(n, p)| format!("{n}: {}", p.join(", "))).collect()
}

#[test]
fn no_two_source_files_share_a_name() {
    let names = sources().into_iter().map(|(p, _)| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        (name, p.display().to_string())
    });
    let twice = repeated(names);
    assert!(twice.is_empty(), "file names used twice:\n{}", twice.join("\n"));
}

/// The public types a source declares (`pub struct|enum|type|trait Name`, any visibility qualifier).
fn public_types(relative: &Path, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in code(text).lines() {
        let line = line.trim_start();
        let Some(rest) = line.strip_prefix("pub") else { continue };
        let rest = rest.strip_prefix("(crate)").or_else(|| rest.strip_prefix("(super)")).unwrap_or(rest);
        let mut words = rest.split_whitespace();
        if let (Some("struct" | "enum" | "type" | "trait"), Some(name)) = (words.next(), words.next()) {
            let name: String = name.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.push((name, relative.display().to_string()));
        }
    }
    out
}

#[test]
fn no_two_public_types_share_a_name() {
    let twice = repeated(sources().iter().flat_map(|(p, t)| public_types(p, t)));
    assert!(twice.is_empty(), "public type names used twice:\n{}", twice.join("\n"));
    let sample = "pub struct Finding {\npub(super) type Finding = (u8, u8);\n";
    assert_eq!(repeated(public_types(Path::new("x.rs"), sample)), ["Finding: x.rs, x.rs"]);
}
