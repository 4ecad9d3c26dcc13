//! `list`: every case's ID, description and spec sentence. The target is the one `run` would use (the
//! same variables and flags), reached without writing anything: the first account's data model is the
//! only request (families derived from it follow it), and the embedded reference needs none.

use super::args::{SelectArgs, TargetArgs};
use crate::run::memo::Run;
use crate::run::session::Session;
use clap::Args;
use std::process::ExitCode;

/// Flags of `list`.
#[derive(Args, Debug, Clone, Default)]
pub struct ListArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub select: SelectArgs,
}

/// Prints the selected cases as `ID<TAB>description<TAB>spec`, one per line.
pub async fn list(args: &ListArgs) -> ExitCode {
    let settings = match args.target.settings_from(Vec::new(), |k| std::env::var(k).ok()) {
        Ok(s) => s,
        Err(e) => return super::dispatch::setup_error(e),
    };
    let session = match Session::listing(settings).await {
        Ok(s) => s,
        Err(e) => return super::dispatch::setup_error(e),
    };
    let mut run = Run::new(session);
    let selection = args.select.selection();
    run.retain(|c| selection.matches(c));
    if run.cases.is_empty() {
        return super::dispatch::setup_error(format!("no case matches {}", selection.describe()));
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
