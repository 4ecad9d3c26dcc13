//! The findings of a binary run: grouped by the oracle, confirmed on request (`--confirm`), and resolved
//! back to a case for `replay FINDING-ID`.

use crate::declare::case::Case;
use crate::oracle::findings::{self, Finding};
use crate::run::memo::Run;
use crate::run::runner::CaseResult;
use std::collections::BTreeMap;

/// The run's findings, most severe first; with `confirm`, each first case is sent once more.
pub async fn of(run: &Run, results: &BTreeMap<String, CaseResult>, confirm: bool) -> Vec<Finding> {
    let mut found = group(&run.cases, results);
    if confirm {
        // Built anew under their own run ID, so a scenario's marked objects never meet the first pass's.
        let mut ctx = run.session.ctx.clone();
        ctx.run_id = format!("{}-confirm", ctx.run_id);
        let wanted: Vec<&str> = found.iter().map(Finding::first_case).collect();
        let mut cases = crate::declare::families::all(&ctx);
        cases.retain(|c| wanted.contains(&c.id.as_str()));
        for finding in &mut found {
            if let Some(case) = cases.iter().find(|c| c.id == finding.first_case()) {
                let again = crate::run::runner::run_case(&run.session, case).await;
                finding.reproduction = Some(findings::reconfirm(finding, &again.verdict));
            }
        }
    }
    found
}

/// The oracle's grouping of `results`, read in declaration order.
pub fn group(cases: &[Case], results: &BTreeMap<String, CaseResult>) -> Vec<Finding> {
    findings::group(cases.iter().filter_map(|c| results.get(&c.id).map(|r| (c.id.as_str(), c.family, &r.verdict))))
}
