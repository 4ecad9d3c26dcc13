//! Reading the first account's oplog past its first page, bounded: isolation cases check every entry
//! a foreign write could have reached, and the oplog walk pages it as the vendor's client does.

use super::{Session, Step};
use crate::oracle::{Checked, Reason, StepFailure, Violation};
use crate::send::client::TransportError;
use crate::send::response::Response;

/// Pages read after the first one, following `next_request_start`; past it only the newest page is read.
const MAX_PAGES: usize = 4;
/// Entries per page: the documented maximum, so few requests cover a long log.
const PAGE: usize = 1000;

impl Session {
    /// The pages of the first account's oplog from `next` (where its answer to `start=0&limit=1000` said it
    /// goes on), each handed to `judge` with its path as it arrives and dropped then, so one page is held
    /// at a time: up to [`MAX_PAGES`] by `next_request_start`, then, if the log goes on, its newest page
    /// (`tail=true`), where a write made just before lands.
    pub async fn oplog_pages<T>(
        &self,
        mut next: Option<String>,
        mut judge: impl FnMut(&str, &Result<Response, TransportError>) -> T,
    ) -> Vec<T> {
        let base = format!("{}/oplog.json", self.ctx.base());
        let mut out = Vec::new();
        while let Some(start) = next.take() {
            let tail = out.len() >= MAX_PAGES;
            let path = if tail {
                format!("{base}?tail=true&limit={PAGE}")
            } else {
                format!("{base}?start={start}&limit={PAGE}")
            };
            let answer = self.call(&self.primary, Step::ReadBack, "GET", &path, None).await;
            if let (Ok(resp), false) = (&answer, tail) {
                next = crate::oracle::isolation::next_oplog_start(&resp.body);
            }
            out.push(judge(&path, &answer));
        }
        out
    }
}

/// One oplog page as the walk reads it: parsed, or why its answer cannot be read as a page. The outer
/// error is a page that brought no answer (a 429 after the retries, or none at all): the walk proves
/// nothing from there on.
type PageRead = Result<Result<crate::oracle::oplog_pages::Page, String>, Reason>;

impl Session {
    /// One oplog page, read as the first account and parsed at once (its body dropped then).
    async fn oplog_page(&self, path: &str) -> PageRead {
        let line = format!("GET {path}");
        let sent = self.call(&self.primary, Step::ReadBack, "GET", path, None).await;
        match StepFailure::answer(&line, sent, self.settings.pacing.retries_429) {
            Ok(answer) => Ok(crate::oracle::oplog_pages::page(answer.status, &answer.body)),
            Err(StepFailure::Unanswered(why)) => Err(why),
            Err(StepFailure::Answered { subject, .. }) => Ok(Err(subject)),
        }
    }

    /// The oplog as the vendor's typed client pages it, judged against the writes to object `id` the case
    /// made (`oracle/oplog_pages.rs`): where they are, a walk of their range in three pages, then the tail.
    /// Bounded: one look of 1000 entries (and up to three more past a full one), at most
    /// [`MAX_PAGES`](crate::oracle::oplog_pages::MAX_PAGES) pages, one tail. A page that brings no answer
    /// ends the walk with what it found so far, and the check proves nothing past it.
    pub async fn oplog_walk(&self, id: &str) -> Checked {
        use crate::oracle::oplog_pages::{self as pages, Walk, LOOK, TAIL};
        let unproven = |found: Vec<Violation>, why: Reason| Checked { found, unproven: Some(why) };
        let base = format!("{}/oplog.json", self.ctx.base());
        let look_path = format!("{base}?tail=true&limit={LOOK}");
        let what = format!("GET {look_path}");
        let look = match self.oplog_page(&look_path).await {
            Ok(Ok(page)) => page,
            Ok(Err(why)) => return pages::unreadable(&what, &why).into(),
            Err(why) => return unproven(Vec::new(), why),
        };
        let mut out = Vec::new();
        let plan = match pages::plan(&what, &look, id) {
            Ok(Some(plan)) => plan,
            Err(found) => return found.into(),
            // A full page of other writes: the case's may be older (a busy log) or newer (a tail that is not).
            Ok(None) => {
                let mut next = look.entries.last().map(|(s, _)| s + 1);
                let mut found = None;
                for _ in 0..3 {
                    let Some(start) = next else { break };
                    let path = format!("{base}?start={start}&limit={LOOK}");
                    let page = match self.oplog_page(&path).await {
                        Ok(Ok(page)) => page,
                        Ok(Err(_)) => break,
                        Err(why) => return unproven(out, why),
                    };
                    if let Some(v) = pages::found_later(&format!("GET {path}"), &page, id) {
                        out.push(v);
                        found = pages::plan(&format!("GET {path}"), &page, id).ok().flatten();
                        break;
                    }
                    next = if page.has_more == Some(true) { page.next } else { None };
                }
                match found {
                    Some(plan) => plan,
                    None => return out.into(),
                }
            }
        };
        let mut walk = Walk::new(plan);
        let mut start = Some(walk.plan().first());
        while let Some(from) = start {
            let path = format!("{base}?{}", walk.plan().query(from));
            let page = match self.oplog_page(&path).await {
                Ok(page) => page,
                Err(why) => {
                    out.extend(walk.stopped());
                    return unproven(out, why);
                }
            };
            start = walk.page(&format!("GET {path}"), from, page);
        }
        let ours = walk.plan().ours.clone();
        out.extend(walk.finish());
        let tail_path = format!("{base}?tail=true&limit={TAIL}");
        match self.oplog_page(&tail_path).await {
            Ok(page) => out.extend(pages::tail(&format!("GET {tail_path}"), page, &ours)),
            Err(why) => return unproven(out, why),
        }
        out.into()
    }
}
