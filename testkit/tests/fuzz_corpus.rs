//! The committed fuzz seeds (`corpora/fuzz/<target>.*.b64`, as `scripts/fuzz-seed.sh` reads them): none
//! kills a fuzz-only fault by itself (else `scripts/fuzz-kill-table.sh` would time the seeds, not the
//! fuzzers) or makes a finding against the reference, and the `request` seeds still make requests, some
//! with a long segment a mutation of its length can grow past the long-URI fault's limit.

use arbitrary::{Arbitrary, Unstructured};
use base64::Engine;
use journey_testkit::fuzz::{fuzz_only_kills, FuzzRequest, Seg, Shape, Target};
use journey_testkit::inprocess::InProcess;

/// Every committed seed of `target`, as `scripts/fuzz-seed.sh` decodes them.
fn committed_seeds(target: Target) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpora/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpora/fuzz")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with(&format!("{}.", target.name())) && name.ends_with(".b64")
        })
        .collect();
    files.sort();
    let engine = base64::engine::general_purpose::STANDARD;
    files
        .iter()
        .flat_map(|p| std::fs::read_to_string(p).expect("readable").lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| !l.trim().is_empty())
        .map(|l| engine.decode(l.trim()).expect("standard base64"))
        .collect()
}

#[test]
fn no_committed_seed_kills_a_fuzz_only_fault_by_itself() {
    for target in Target::ALL {
        let seeds = committed_seeds(target);
        let kills = fuzz_only_kills(target, &seeds).unwrap_or_else(|e| panic!("{}: {e}", target.name()));
        assert!(kills.is_empty(), "{}: seeds {kills:?} of {} kill a fuzz-only fault", target.name(), seeds.len());
    }
}

#[test]
fn the_request_seeds_make_requests_and_some_have_a_long_segment_to_grow() {
    let shape = Shape::of(&InProcess::reference());
    let seeds = committed_seeds(Target::Request);
    assert!(seeds.len() > 100, "{} seeds", seeds.len());
    let (mut made, mut repeats) = (0, 0);
    for data in &seeds {
        let Ok(req) = FuzzRequest::arbitrary_take_rest(Unstructured::new(data)) else { continue };
        repeats += usize::from(req.segments.iter().take(5).any(|s| matches!(s, Seg::Repeat(..))));
        made += usize::from(req.case(&shape).is_some());
    }
    assert!(made * 10 >= seeds.len() * 9, "{made} of {} seeds make a request", seeds.len());
    assert!(repeats > 0, "no seed has a Repeat segment");
}
