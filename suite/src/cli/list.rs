//! `list`: every case's ID, description and spec sentence. Cases are listed as the embedded reference
//! yields them (started in-process on loopback), so listing never touches a configured target; IDs
//! do not depend on the target, though families derived from a data model follow the reference's.

use super::args::SelectArgs;
use crate::config::Settings;
use crate::run::Run;
use crate::session::Session;
use std::process::ExitCode;

/// Prints the selected cases as `ID<TAB>description<TAB>spec`, one per line.
pub async fn list(select: &SelectArgs) -> ExitCode {
    let settings = match Settings::from_lookup(|_| None) {
        Ok(s) => s,
        Err(e) => return super::setup_error(e),
    };
    let session = match Session::start(settings).await {
        Ok(s) => s,
        Err(e) => return super::setup_error(e),
    };
    let mut run = Run::new(session);
    let selection = select.selection();
    run.retain(|c| selection.matches(c));
    let _ = run.session.teardown().await;
    if run.cases.is_empty() {
        return super::setup_error(format!("no case matches {}", selection.describe()));
    }
    let one_line = |s: &str| s.replace(['\t', '\n'], " ");
    let mut out = String::new();
    for case in &run.cases {
        out.push_str(&format!("{}\t{}\t{}\n", case.id, one_line(&case.description), one_line(&case.spec.to_string())));
    }
    print!("{out}");
    eprintln!("{} cases", run.cases.len());
    ExitCode::SUCCESS
}
