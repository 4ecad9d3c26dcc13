//! `cleanup --run-id ID`: deletes what a past run left in the target, found by the marker every object
//! of that run carries, in every type of the data model and both accounts; for when teardown could not
//! reach the target (the run printed this command with its list of IDs).

use super::args::TargetArgs;
use super::dispatch::{setup_error, EXIT_LEFT_BEHIND};
use crate::config::TargetSpec;
use crate::run::session::Session;
use clap::Args;
use std::process::ExitCode;

/// Flags of `cleanup`.
#[derive(Args, Debug, Clone)]
pub struct CleanupArgs {
    /// The run whose objects to delete, as the run printed it (12 hex digits).
    #[arg(long, value_name = "ID", value_parser = parse_run_id)]
    pub run_id: String,
    #[command(flatten)]
    pub target: TargetArgs,
}

/// A run ID as `Ctx` makes them: letters, digits and `-` (a soak pass's `-pass2`), never empty, so
/// the marker search can never widen to every run's objects.
fn parse_run_id(raw: &str) -> Result<String, String> {
    let id = raw.trim();
    if (4..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Ok(id.to_string())
    } else {
        Err(format!("`{raw}` is not a run ID (the 12 hex digits a run prints)"))
    }
}

/// Finds and deletes run `run_id`'s objects; exit 0 when none is left, 3 when some could not be deleted.
pub async fn cleanup(args: &CleanupArgs) -> ExitCode {
    let settings = match args.target.settings_from(Vec::new(), |k| std::env::var(k).ok()) {
        Ok(s) => s,
        Err(e) => return setup_error(e),
    };
    if settings.target == TargetSpec::Embedded {
        return setup_error(
            "cleanup needs a target: set JOURNEY_API_URL (or --target) and its credentials; the embedded \
             reference's objects end with the run that made them",
        );
    }
    let session = match Session::bare(settings).await {
        Ok(s) => s,
        Err(e) => return setup_error(e),
    };
    let outcome = session.cleanup_run(&args.run_id).await;
    for (id, verdict) in session.step_verdicts() {
        println!("{}", crate::report::terminal::session_step(&session, &id, &verdict));
    }
    if outcome.clean() {
        println!("cleanup: run {}: deleted {} objects, none left", args.run_id, outcome.deleted);
        ExitCode::SUCCESS
    } else {
        print!("{}", crate::redact::redact(&outcome.story(), &session.every_secret()));
        ExitCode::from(EXIT_LEFT_BEHIND)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_id_is_never_empty_nor_a_pattern() {
        assert_eq!(parse_run_id("0123abcd4567"), Ok("0123abcd4567".into()));
        assert_eq!(parse_run_id("0123abcd4567-pass2"), Ok("0123abcd4567-pass2".into()));
        for bad in ["", "  ", "abc", "a b c d", "0123abcd4567*", "x".repeat(65).as_str()] {
            assert!(parse_run_id(bad).is_err(), "{bad:?}");
        }
    }
}
