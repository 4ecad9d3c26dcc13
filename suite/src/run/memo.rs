//! A whole run: every case of a session, each executed at most once (the harness's per-case trials and
//! per-family snapshots share results), with bounded concurrency.

use crate::declare::case::{Case, Family};
use crate::run::runner::{run_case, CaseResult};
use crate::run::session::Session;
use futures::stream::{self, StreamExt};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// The cases of a session and their results, computed on first demand.
pub struct Run {
    pub session: Arc<Session>,
    pub cases: Vec<Case>,
    results: Vec<OnceCell<CaseResult>>,
}

impl Run {
    /// Lists every case of every family for this session's target.
    pub fn new(session: Session) -> Run {
        let cases = crate::declare::families::all(&session.ctx);
        let results = cases.iter().map(|_| OnceCell::new()).collect();
        Run { session: Arc::new(session), cases, results }
    }

    /// Keeps only the cases `keep` accepts; call before any result is computed.
    pub fn retain(&mut self, keep: impl Fn(&Case) -> bool) {
        self.cases.retain(|c| keep(c));
        self.results = self.cases.iter().map(|_| OnceCell::new()).collect();
    }

    /// The result of case `index`, running it if no one has yet.
    pub async fn result(&self, index: usize) -> CaseResult {
        self.computed_result(index).await.clone()
    }

    /// The memoised result of case `index`: whoever asks first runs the case, later callers wait for it.
    /// Once the run is interrupted a case not yet started is skipped, never sent.
    async fn computed_result(&self, index: usize) -> &CaseResult {
        self.results[index]
            .get_or_init(|| async {
                if self.session.interrupted() {
                    return interrupted(&self.cases[index]);
                }
                run_case(&self.session, &self.cases[index]).await
            })
            .await
    }

    /// Runs the given cases ahead of demand, started in order and concurrently up to the configured
    /// limit, keeping only the memoised results: a harness whose trials ask one at a time on fewer
    /// threads than the limit (libtest's) then still has the limit's worth of cases in flight.
    pub async fn compute(&self, indices: impl IntoIterator<Item = usize>) {
        let concurrency = self.session.settings.concurrency;
        stream::iter(indices)
            .take_while(|_| std::future::ready(!self.session.interrupted()))
            .for_each_concurrent(concurrency, |i| async move {
                self.computed_result(i).await;
            })
            .await;
    }

    /// Results of the given cases, run concurrently up to the configured limit.
    pub async fn results_of(&self, indices: impl IntoIterator<Item = usize>) -> BTreeMap<String, CaseResult> {
        let concurrency = self.session.settings.concurrency;
        stream::iter(indices)
            .map(|i| async move { (self.cases[i].id.clone(), self.result(i).await) })
            .buffer_unordered(concurrency)
            .collect()
            .await
    }

    /// The results computed so far, without running anything (for summaries after a filtered run).
    pub fn computed(&self) -> BTreeMap<String, CaseResult> {
        self.cases.iter().zip(&self.results).filter_map(|(c, r)| r.get().map(|r| (c.id.clone(), r.clone()))).collect()
    }

    /// Results of every case.
    pub async fn all(&self) -> BTreeMap<String, CaseResult> {
        self.results_of(0..self.cases.len()).await
    }

    /// Indices of one family's cases, in declaration order.
    pub fn family_indices(&self, family: Family) -> Vec<usize> {
        (0..self.cases.len()).filter(|&i| self.cases[i].family == family).collect()
    }
}

/// The result of a case the run never started because it was interrupted: skipped, with the reason.
fn interrupted(case: &Case) -> CaseResult {
    CaseResult {
        id: case.id.clone(),
        verdict: crate::oracle::Verdict::skipped(),
        response: None,
        skipped: Some("not sent: the run was interrupted (SIGINT/SIGTERM)".to_string()),
        elapsed: std::time::Duration::ZERO,
    }
}
