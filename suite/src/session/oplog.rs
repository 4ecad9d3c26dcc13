//! Reading the first account's oplog past its first page, bounded: isolation cases check every entry
//! a foreign write could have reached.

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
