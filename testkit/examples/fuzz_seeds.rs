//! Writes fuzz seeds made from the fixed cases' requests to `OUT_DIR/<target>.families.b64` (committed as
//! `corpora/fuzz/`), so the fuzzers start where the families already reach: every distinct
//! create/patch/put body (`json_body`, first byte = route), every batch body (`batch`) and every
//! filename the `filenames` family uploads (`filename`). One standard-base64 input per line, sorted,
//! so a rerun after a family change diffs by the inputs it adds or drops; `scripts/fuzz-seed.sh`
//! unpacks them into each target's seed corpus. Usage: `fuzz_seeds OUT_DIR`.
//!
//! `fuzz_seeds --drop-fuzz-only-kills TARGET FILE` rewrites a corpus file of `TARGET`
//! (`scripts/fuzz-corpus-commit.sh`) without the inputs that kill a fuzz-only fault by themselves
//! (`journey_testkit::fuzz::fuzz_only_kills`): with them the fuzz kill table would time the seeds.

use base64::Engine;
use journey_conformance::declare::routes::{Route, RouteTarget};
use journey_testkit::inprocess::InProcess;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Seeds larger than this are left out: `.options` caps inputs at 4096 bytes anyway.
const MAX_SEED: usize = 4096;

fn main() -> std::process::ExitCode {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: fuzz_seeds OUT_DIR | fuzz_seeds --drop-fuzz-only-kills TARGET FILE");
        return std::process::ExitCode::from(2);
    };
    if out == "--drop-fuzz-only-kills" {
        let (Some(target), Some(file)) = (std::env::args().nth(2), std::env::args().nth(3)) else {
            eprintln!("usage: fuzz_seeds --drop-fuzz-only-kills TARGET FILE");
            return std::process::ExitCode::from(2);
        };
        return match drop_fuzz_only_kills(&target, Path::new(&file)) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("fuzz_seeds: {file}: {e}");
                std::process::ExitCode::from(1)
            }
        };
    }
    let h = InProcess::reference();
    let mut seeds: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut add = |target: &'static str, data: Vec<u8>| {
        if data.len() <= MAX_SEED {
            seeds.entry(target).or_default().insert(base64::engine::general_purpose::STANDARD.encode(data));
        }
    };
    for case in journey_conformance::declare::families::all(&h.ctx) {
        let Some(body) = case.request.body.as_ref().and_then(|b| b.as_bytes()) else { continue };
        match case.request.target {
            RouteTarget::Route(Route::Batch) => add("batch", body.to_vec()),
            RouteTarget::Route(route @ (Route::Create | Route::Patch | Route::Put)) => {
                let first = match route {
                    Route::Create => 0u8,
                    Route::Patch => 1,
                    _ => 2,
                };
                add("json_body", [&[first][..], body].concat());
                if case.id.starts_with("filenames/") {
                    for name in filenames_in(body) {
                        add("filename", [&[0u8][..], name.as_bytes()].concat());
                    }
                }
            }
            _ => {}
        }
    }
    for (target, lines) in &seeds {
        let path = Path::new(&out).join(format!("{target}.families.b64"));
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        if let Err(e) = std::fs::create_dir_all(&out).and_then(|_| std::fs::write(&path, text)) {
            eprintln!("fuzz_seeds: cannot write {}: {e}", path.display());
            return std::process::ExitCode::from(1);
        }
        println!("{}: {} seeds from the fixed cases", path.display(), lines.len());
    }
    std::process::ExitCode::SUCCESS
}

/// Every `filename` string in a JSON body (an upload's name, wherever the family put it).
fn filenames_in(body: &[u8]) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("filename", serde_json::Value::String(s)) => out.push(s.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::from_slice(body) {
        walk(&v, &mut out);
    }
    out
}

/// Rewrites a corpus file of `target` (one standard-base64 input per line) without the inputs that
/// kill a fuzz-only fault by themselves.
fn drop_fuzz_only_kills(target: &str, file: &Path) -> Result<(), String> {
    use journey_testkit::fuzz::{fuzz_only_kills, Target};
    let target = Target::from_name(target).ok_or_else(|| format!("no fuzz target '{target}'"))?;
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let engine = base64::engine::general_purpose::STANDARD;
    let inputs =
        lines.iter().map(|l| engine.decode(l).map_err(|e| format!("{l}: {e}"))).collect::<Result<Vec<_>, _>>()?;
    let kills = fuzz_only_kills(target, &inputs)?;
    let kept: String =
        lines.iter().enumerate().filter(|(i, _)| !kills.contains(i)).map(|(_, l)| format!("{l}\n")).collect();
    std::fs::write(file, kept).map_err(|e| e.to_string())?;
    println!("{}: {} inputs that kill a fuzz-only fault by themselves left out", file.display(), kills.len());
    Ok(())
}
