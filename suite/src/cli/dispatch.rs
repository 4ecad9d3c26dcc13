//! The command line of the main binary: `run` (the default), `list`, `replay`, `cleanup`.
//! Exit codes: 0 no case failed (non-strict cases do not fail a run), 1 a case failed or was inconclusive,
//! 2 configuration or setup error, 3 teardown left objects behind (whatever the cases' verdicts), 130
//! interrupted (SIGINT/SIGTERM: teardown ran and the reports were written for what ran).

use super::args::{RunArgs, SelectArgs, TargetArgs};
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code of a configuration or setup error (also clap's code for a usage error).
pub const EXIT_SETUP: u8 = 2;
/// Exit code of a run (or `cleanup`) that left objects in the target: it printed their IDs and the
/// `cleanup --run-id` command that deletes them.
pub const EXIT_LEFT_BEHIND: u8 = 3;
/// Exit code of a run stopped by SIGINT/SIGTERM (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Conformance suite for the error contract of the JourneyApps Backend API v4.
///
/// Without a subcommand, `run`s every case against the target (the embedded reference unless
/// --target or JOURNEY_API_URL names one). Exit: 0 nothing failed (non-strict cases, which broke only SHOULD
/// clauses, do not fail a run; `--profile strict` fails them), 1 a case failed, 2 configuration or setup error,
/// 3 teardown left objects behind (see `cleanup`), 130 interrupted.
#[derive(Parser, Debug)]
#[command(name = "journey-conformance", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the cases against the target and report (the default).
    Run(RunArgs),
    /// List cases: ID, description and the spec sentence each rests on (tab-separated). Writes nothing:
    /// the target's data model is the only request.
    List(super::list::ListArgs),
    /// Run one case verbosely: request, response, verdict and a curl repro. A finding ID (`F-…`) replays
    /// the finding's first case, found in `--from` (a saved cases.ndjson) or by running the cases again
    /// (narrowed by --family/--case as in the run that found it) and grouping them anew.
    Replay {
        /// The exact case ID (see `list`), or a finding ID printed by `run`.
        #[arg(value_name = "CASE-ID|FINDING-ID")]
        id: String,
        #[command(flatten)]
        target: TargetArgs,
        #[command(flatten)]
        select: SelectArgs,
        /// A saved NDJSON report (`cases.ndjson`) whose `finding` records resolve a finding ID without a new run.
        #[arg(long, value_name = "NDJSON")]
        from: Option<std::path::PathBuf>,
    },
    /// Delete what a past run left in the target (its objects, found by the run's marker), e.g. after
    /// an outage outlasted teardown. Exit 0 when nothing is left, 3 when some objects remain.
    Cleanup(super::cleanup::CleanupArgs),
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(EXIT_SETUP) } else { ExitCode::SUCCESS };
        }
    };
    // One thread unless TOKIO_WORKER_THREADS asks for workers: the client is I/O-bound, and with the
    // request stream and the connections on one thread no request wakes another thread.
    let mut builder = match std::env::var_os("TOKIO_WORKER_THREADS") {
        Some(_) => tokio::runtime::Builder::new_multi_thread(),
        None => tokio::runtime::Builder::new_current_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("journey-conformance: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_SETUP);
        }
    };
    match cli.command {
        None => runtime.block_on(super::run_command::run(cli.run)),
        Some(Command::Run(args)) => runtime.block_on(super::run_command::run(args)),
        Some(Command::Replay { id, target, select, from }) => {
            runtime.block_on(super::replay::replay(&id, &target, &select, from.as_deref()))
        }
        Some(Command::List(args)) => runtime.block_on(super::list::list(&args)),
        Some(Command::Cleanup(args)) => runtime.block_on(super::cleanup::cleanup(&args)),
    }
}

/// Prints one error line and returns the setup exit code.
pub fn setup_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("journey-conformance: {message}");
    ExitCode::from(EXIT_SETUP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::case::Family;
    use crate::report::files::ReportKind;

    #[test]
    fn no_subcommand_means_run_with_its_flags() {
        let cli =
            Cli::try_parse_from(["jc", "--family", "methods,auth", "--report", "junit,md", "--seed", "7"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.run.select.family, [Family::Methods, Family::Auth]);
        assert_eq!(cli.run.report, [ReportKind::Junit, ReportKind::Markdown]);
        assert_eq!(cli.run.seed, Some(7));
        let cli = Cli::try_parse_from(["jc", "replay", "methods/x", "--profile", "strict"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Replay { ref id, .. }) if id == "methods/x"));
    }

    #[test]
    fn usage_errors_are_rejected_by_clap() {
        for bad in [
            &["jc", "--family", "nope"][..],
            &["jc", "--report", "pdf"],
            &["jc", "--profile", "lenient"],
            &["jc", "--concurrency", "x"],
        ] {
            let e = Cli::try_parse_from(bad).unwrap_err();
            assert!(e.use_stderr(), "{bad:?} should be a usage error");
        }
    }
}
