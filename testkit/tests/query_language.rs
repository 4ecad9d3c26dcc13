//! The query language property: for random objects and random `query.json` expressions over them
//! (`journey_testkit::properties::query`), the reference lists exactly the objects a plain in-memory
//! filter selects, in the same order, with the same `count`, `total` and `more`.
//!
//! - `JOURNEY_QUERY_EXPRESSIONS` — expressions to check (default 256; `scripts/query-soak.sh` runs 10,000+).
//! - `JOURNEY_PROPTEST_SEED` — a u64 seed (default fixed); a failure prints the shrunk data set and query.

use journey_conformance::declare::case::CaseRequest;
use journey_testkit::inprocess::InProcess;
use journey_testkit::properties::query::{body, expected, scenario, Item, Query};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Queries asked of each data set.
const PER_SET: usize = 8;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

fn created_id(target: &InProcess, item: &Item, marker: &str) -> Result<String, TestCaseError> {
    let mut fields = item.fields();
    fields.insert("description".into(), json!(marker));
    let req = CaseRequest::new("POST", target.ctx.collection()).json(json!({ "task": fields }).to_string());
    let answer = target.send_request(&req).map_err(TestCaseError::fail)?;
    let doc: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    match doc.get("id").and_then(Value::as_str) {
        Some(id) if answer.status == 201 => Ok(id.to_string()),
        _ => Err(TestCaseError::fail(format!("create of {item:?} answered {}: {doc}", answer.status))),
    }
}

fn check(target: &InProcess, q: &Query, items: &[Item], ids: &[String], marker: &str) -> Result<(), TestCaseError> {
    let sent = body(q, marker);
    let path = format!("{}/objects/task/query.json", target.ctx.base());
    let answer =
        target.send_request(&CaseRequest::new("POST", path).json(sent.to_string())).map_err(TestCaseError::fail)?;
    let doc: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    if answer.status != 200 {
        return Err(TestCaseError::fail(format!("{sent} answered {}: {doc}", answer.status)));
    }
    let listed: Vec<&str> =
        doc["objects"].as_array().map(|a| a.iter().filter_map(|o| o["id"].as_str()).collect()).unwrap_or_default();
    let (page, total) = expected(q, items);
    let want: Vec<&str> = page.iter().map(|i| ids[*i].as_str()).collect();
    let shown = |list: &[&str]| {
        list.iter().map(|id| ids.iter().position(|i| i == id).map_or(-1, |p| p as i64)).collect::<Vec<_>>()
    };
    let skip = q.skip.unwrap_or(0);
    let facts = (doc["count"].as_u64(), doc["total"].as_u64(), doc["more"].as_bool());
    let want_facts = (Some(want.len() as u64), Some(total as u64), Some(skip + want.len() < total));
    if listed != want || facts != want_facts {
        return Err(TestCaseError::fail(format!(
            "{sent}\nlisted objects {:?}, the filter selects {:?} (indexes in creation order); (count, total, more) {facts:?}, expected {want_facts:?}",
            shown(&listed),
            shown(&want)
        )));
    }
    Ok(())
}

#[test]
fn query_json_lists_what_a_plain_filter_selects() {
    let expressions = env_u64("JOURNEY_QUERY_EXPRESSIONS", 256) as usize;
    let seed = env_u64("JOURNEY_PROPTEST_SEED", 0x7175_6572_795f_6c61);
    let sets = expressions.div_ceil(PER_SET).max(1);
    let target = InProcess::reference();
    let config = Config { cases: sets as u32, failure_persistence: None, ..Config::default() };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &{
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes
    });
    let mut runner = TestRunner::new_with_rng(config, rng);
    let n = AtomicUsize::new(0);
    let checked = AtomicUsize::new(0);
    let outcome = runner.run(&scenario(PER_SET), |(items, queries)| {
        let marker = format!("query-property {}", n.fetch_add(1, Ordering::Relaxed));
        let ids = items.iter().map(|item| created_id(&target, item, &marker)).collect::<Result<Vec<_>, _>>()?;
        let result = queries.iter().try_for_each(|q| check(&target, q, &items, &ids, &marker));
        for id in &ids {
            let _ = target
                .send_request(&CaseRequest::new("DELETE", format!("{}/objects/task/{id}.json", target.ctx.base())));
        }
        checked.fetch_add(queries.len(), Ordering::Relaxed);
        result
    });
    if let Err(e) = outcome {
        panic!("query language property failed (seed {seed}): {e}");
    }
    println!(
        "query-language: {} expressions over {sets} data sets (seed {seed}), each listed as the plain filter selects",
        checked.load(Ordering::Relaxed)
    );
}
