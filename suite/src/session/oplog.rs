//! Reading the first account's oplog past its first page, bounded: isolation cases check every entry
//! a foreign write could have reached, and the oplog walk pages it as the vendor's client does.

use super::{Session, Step};
use crate::client::TransportError;
use crate::response::Response;

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

impl Session {
    /// One oplog page, read as the first account and parsed at once (its body dropped then).
    async fn oplog_page(&self, path: &str) -> Result<crate::oracle::oplog_pages::Page, String> {
        let answer = self.call(&self.primary, Step::ReadBack, "GET", path, None).await.map_err(|e| e.to_string())?;
        crate::oracle::oplog_pages::page(answer.status, &answer.body)
    }

    /// The oplog as the vendor's typed client pages it, judged against the writes to object `id` the case
    /// made (`oracle/oplog_pages.rs`): where they are, a walk of their range in three pages, then the tail.
    /// Bounded: one look of 1000 entries (and up to three more past a full one), at most
    /// [`MAX_PAGES`](crate::oracle::oplog_pages::MAX_PAGES) pages, one tail.
    pub async fn oplog_walk(&self, id: &str) -> Vec<crate::oracle::Violation> {
        use crate::oracle::oplog_pages::{self as pages, Walk, LOOK, TAIL};
        let base = format!("{}/oplog.json", self.ctx.base());
        let look_path = format!("{base}?tail=true&limit={LOOK}");
        let what = format!("GET {look_path}");
        let look = match self.oplog_page(&look_path).await {
            Ok(page) => page,
            Err(why) => return pages::unreadable(&what, &why),
        };
        let mut out = Vec::new();
        let plan = match pages::plan(&what, &look, id) {
            Ok(Some(plan)) => plan,
            Err(found) => return found,
            // A full page of other writes: the case's may be older (a busy log) or newer (a tail that is not).
            Ok(None) => {
                let mut next = look.entries.last().map(|(s, _)| s + 1);
                let mut found = None;
                for _ in 0..3 {
                    let Some(start) = next else { break };
                    let path = format!("{base}?start={start}&limit={LOOK}");
                    let Ok(page) = self.oplog_page(&path).await else { break };
                    if let Some(v) = pages::found_later(&format!("GET {path}"), &page, id) {
                        out.push(v);
                        found = pages::plan(&format!("GET {path}"), &page, id).ok().flatten();
                        break;
                    }
                    next = if page.has_more == Some(true) { page.next } else { None };
                }
                match found {
                    Some(plan) => plan,
                    None => return out,
                }
            }
        };
        let mut walk = Walk::new(plan);
        let mut start = Some(walk.plan().first());
        while let Some(from) = start {
            let path = format!("{base}?{}", walk.plan().query(from));
            let page = self.oplog_page(&path).await;
            start = walk.page(&format!("GET {path}"), from, page);
        }
        let ours = walk.plan().ours.clone();
        out.extend(walk.finish());
        let tail_path = format!("{base}?tail=true&limit={TAIL}");
        out.extend(pages::tail(&format!("GET {tail_path}"), self.oplog_page(&tail_path).await, &ours));
        out
    }
}
