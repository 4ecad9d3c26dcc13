//! What an HTTP fuzz run creates on its target, written down as it happens (`JOURNEY_FUZZ_JOURNAL`):
//! a crash makes libFuzzer abort the process and a budget ends it with `exit`, so nothing inside it can
//! be trusted to clean up. The `fuzz_cleanup` example deletes every journaled object afterwards
//! (`scripts/fuzz-deployment.sh` runs it however the fuzzing ended).

use journey_conformance::send::response::Response;
use serde_json::Value;
use std::io::Write;
use std::sync::Mutex;

/// The environment variable naming the journal file (appended to; unset: no journal).
pub const JOURNAL_VAR: &str = "JOURNEY_FUZZ_JOURNAL";

/// One created object: the account it was created in, its type and its ID.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Created {
    pub account: String,
    pub object_type: String,
    pub id: String,
}

/// An append-only list of created objects, one `account<TAB>type<TAB>id` line each, flushed per line.
#[derive(Default)]
pub struct Journal {
    file: Option<Mutex<std::fs::File>>,
}

impl Journal {
    /// The journal `JOURNEY_FUZZ_JOURNAL` names (opened for appending), or none when it is unset.
    pub fn from_env() -> Result<Journal, String> {
        let Some(path) = std::env::var_os(JOURNAL_VAR).filter(|p| !p.is_empty()) else { return Ok(Journal::default()) };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| format!("{JOURNAL_VAR}={}: {e}", path.to_string_lossy()))?;
        Ok(Journal { file: Some(Mutex::new(file)) })
    }

    /// Notes one object. A line that cannot be written stops the fuzzing: objects nobody knows of
    /// would be left behind on the target.
    pub fn note(&self, created: &Created) {
        let Some(file) = &self.file else { return };
        let fields = [&created.account, &created.object_type, &created.id];
        if fields.iter().any(|f| f.is_empty() || f.contains(['\t', '\n', '\r'])) {
            return;
        }
        let line = format!("{}\t{}\t{}\n", created.account, created.object_type, created.id);
        let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = file.write_all(line.as_bytes()) {
            panic!("journey-conformance fuzz: cannot write the journal of created objects: {e}");
        }
    }

    /// Notes what a 2xx answer to a create (POST or PUT, a batch's operations too) says it created, in
    /// the account the request's path names.
    pub fn answered(&self, method: &str, path: &str, resp: &Response) {
        if self.file.is_none() || !(200..300).contains(&resp.status) || !matches!(method, "POST" | "PUT") {
            return;
        }
        let Some(account) = account_of(path) else { return };
        let Ok(body) = serde_json::from_slice::<Value>(&resp.body) else { return };
        let typed = |v: &Value| -> Option<Created> {
            Some(Created {
                account: account.clone(),
                object_type: v.get("type")?.as_str()?.to_string(),
                id: v.get("id")?.as_str()?.to_string(),
            })
        };
        let ops = body.get("operations").and_then(Value::as_array).into_iter().flatten();
        for created in typed(&body).into_iter().chain(ops.filter_map(|op| op.get("object").and_then(typed))) {
            self.note(&created);
        }
    }
}

/// The account segment after `/api/v4/` in a request path, percent-decoded.
fn account_of(path: &str) -> Option<String> {
    let rest = &path[path.find("/api/v4/")? + "/api/v4/".len()..];
    let segment = rest.split(['/', '?']).next().filter(|s| !s.is_empty())?;
    Some(percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned())
}

/// The objects a journal lists, each once, in order; lines that are not three fields are skipped.
pub fn read(text: &str) -> Vec<Created> {
    let mut all: Vec<Created> = text
        .lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let (account, object_type, id) = (f.next()?, f.next()?, f.next()?);
            (f.next().is_none()).then(|| Created {
                account: account.into(),
                object_type: object_type.into(),
                id: id.into(),
            })
        })
        .collect();
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_lists_each_created_object_once() {
        let path = std::env::temp_dir().join(format!("jc-journal-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let journal = Journal { file: Some(Mutex::new(std::fs::File::create(&path).unwrap())) };
        let resp = |status: u16, body: &str| Response {
            status,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
            truncated: false,
        };
        journal.answered("POST", "/api/v4/acct/objects/task.json", &resp(201, r#"{"type":"task","id":"a1"}"#));
        journal.answered("PUT", "/p/api/v4/acct/objects/task/a1.json", &resp(200, r#"{"type":"task","id":"a1"}"#));
        let batch = r#"{"operations":[{"object":{"type":"task","id":"b2"}},{"error":{}}]}"#;
        journal.answered("POST", "/api/v4/other/batch.json", &resp(200, batch));
        journal.answered("POST", "/api/v4/acct/objects/task.json", &resp(400, r#"{"type":"task","id":"no"}"#));
        journal.answered("GET", "/api/v4/acct/objects/task.json", &resp(200, r#"{"type":"task","id":"no"}"#));
        journal.note(&Created { account: "acct".into(), object_type: "task".into(), id: "tab\there".into() });
        let text = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        let ids: Vec<(String, String)> = read(&text).into_iter().map(|c| (c.account, c.id)).collect();
        assert_eq!(ids, [("acct".into(), "a1".into()), ("other".into(), "b2".into())]);
    }
}
