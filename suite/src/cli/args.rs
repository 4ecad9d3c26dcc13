//! Command-line flags and how they overlay the `JOURNEY_API_*` environment: a flag wins over its
//! variable, and both go through the one validation in `config`, so errors read the same either way.

use super::select::{parse_case_pattern, parse_family, Selection};
use crate::config::Settings;
use crate::declare::case::Family;
use crate::report::files::ReportKind;
use clap::{Args, FromArgMatches};
use std::collections::HashMap;
use std::path::PathBuf;

/// Flags that pick and tune the target; credentials stay in the environment so they never reach
/// shell history or process listings.
#[derive(Args, Debug, Clone, Default)]
pub struct TargetArgs {
    /// Base URL ending in /api/v4/<backend-deployment-id> [env: JOURNEY_API_URL]; `embedded` for the
    /// built-in reference. Credentials come from JOURNEY_API_USER + JOURNEY_API_PASSWORD or JOURNEY_API_TOKEN.
    #[arg(long, value_name = "URL")]
    pub target: Option<String>,
    /// `documented`: breaking only SHOULD clauses is NON-STRICT; `strict`: it fails [env: JOURNEY_API_PROFILE].
    #[arg(long, value_parser = ["documented", "strict"])]
    pub profile: Option<String>,
    /// Per-request timeout in seconds [env: JOURNEY_API_TIMEOUT; default 10].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<String>,
    /// Teardown's own time budget in seconds, retries included, apart from the run's circuit breaker
    /// [env: JOURNEY_API_TEARDOWN_TIMEOUT; default 60].
    #[arg(long, value_name = "SECONDS")]
    pub teardown_timeout: Option<String>,
}

/// Flags that choose cases, with the `--case` patterns compiled once, as the command line is parsed.
#[derive(Debug, Clone, Default)]
pub struct SelectArgs {
    /// `--family`, as given.
    pub family: Vec<Family>,
    /// `--case`, as given.
    pub case: Vec<String>,
    selection: Selection,
}

/// The flags of `SelectArgs` as clap parses them, before the patterns are compiled.
#[derive(Args, Debug, Clone, Default)]
struct SelectFlags {
    #[arg(long, value_name = "NAME", value_delimiter = ',', value_parser = parse_family, help = crate::declare::families::help())]
    pub family: Vec<Family>,
    /// Only case IDs matching GLOB (`*`, `?`, `[abc]`, `{a,b}`; `*` crosses `/`; without any: ID prefix). Repeatable.
    #[arg(long = "case", value_name = "GLOB", value_parser = parse_case_pattern)]
    pub case: Vec<String>,
}

impl SelectArgs {
    /// The filter these flags describe.
    pub fn selection(&self) -> Selection {
        self.selection.clone()
    }

    /// Compiles the flags; an invalid `--case` becomes a usage error (exit 2) before any target is touched.
    fn compile(flags: SelectFlags) -> Result<Self, clap::Error> {
        let selection = Selection::new(flags.family.clone(), flags.case.clone())
            .map_err(|e| clap::Error::raw(clap::error::ErrorKind::ValueValidation, e))?;
        Ok(SelectArgs { family: flags.family, case: flags.case, selection })
    }
}

impl FromArgMatches for SelectArgs {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        Self::compile(SelectFlags::from_arg_matches(matches)?)
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        let mut flags = SelectFlags { family: self.family.clone(), case: self.case.clone() };
        flags.update_from_arg_matches(matches)?;
        *self = Self::compile(flags)?;
        Ok(())
    }
}

impl Args for SelectArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        SelectFlags::augment_args(cmd)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        SelectFlags::augment_args_for_update(cmd)
    }
}

/// Flags of `run`.
#[derive(Args, Debug, Clone, Default)]
pub struct RunArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Requests in flight at once [env: JOURNEY_API_CONCURRENCY; default 8].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Requests per second the client sends at most; under it, the pace is learned from the target's
    /// 429s [env: JOURNEY_API_RATE; default no bound].
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,
    /// Seconds the run waits in all for a target that went down to answer again; then the rest is
    /// inconclusive [env: JOURNEY_API_OUTAGE_BUDGET; default 120].
    #[arg(long, value_name = "SECONDS")]
    pub outage_budget: Option<String>,
    /// Seed for generated cases. Recorded in report metadata only: no family draws random cases yet.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Report files to write (comma-separated): junit, html, md, ndjson, sarif.
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', value_parser = ReportKind::parse)]
    pub report: Vec<ReportKind>,
    /// Directory for report files (created if missing).
    #[arg(long, value_name = "DIR", default_value = "journey-report")]
    pub report_dir: PathBuf,
    /// Run the selected cases N times over the same connections: a soak that measures steady-state
    /// requests/s and reports any case whose answer changes between passes as flaky (exit 1).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub repeat: u32,
    /// Print every failed and non-strict case in full after the findings (reports always list them).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Send each finding's first case once more and mark the finding reproduced or flaky (a flaky
    /// finding still fails its cases).
    #[arg(long)]
    pub confirm: bool,
    /// Findings accepted before (a file from --write-baseline): reported as known; only findings not in
    /// it fail the run, and baselined ones no longer seen are reported as fixed [env: JOURNEY_API_BASELINE].
    #[arg(long, value_name = "FILE", env = "JOURNEY_API_BASELINE", hide_env = true)]
    pub baseline: Option<PathBuf>,
    /// Record this run's findings (ID, level, cause, first case) in FILE, to pass to --baseline later.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// The repository file SARIF results point at [default: the GitHub Actions workflow file, else README.md].
    #[arg(long, value_name = "PATH")]
    pub sarif_location: Option<String>,
}

impl TargetArgs {
    /// `(variable, flag, value)` for each flag given.
    fn overlay(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut out = Vec::new();
        if let Some(t) = &self.target {
            // `embedded` clears the URL: `config` treats an empty variable as unset.
            let url = if t.trim() == "embedded" { String::new() } else { t.clone() };
            out.push(("JOURNEY_API_URL", "--target", url));
        }
        if let Some(p) = &self.profile {
            out.push(("JOURNEY_API_PROFILE", "--profile", p.clone()));
        }
        if let Some(t) = &self.timeout {
            out.push(("JOURNEY_API_TIMEOUT", "--timeout", t.clone()));
        }
        if let Some(t) = &self.teardown_timeout {
            out.push(("JOURNEY_API_TEARDOWN_TIMEOUT", "--teardown-timeout", t.clone()));
        }
        out
    }

    /// Settings from `env` with these flags (and `extra`) laid over it; errors name the flag when a flag was wrong.
    pub fn settings_from(
        &self,
        extra: Vec<(&'static str, &'static str, String)>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, String> {
        let layers: HashMap<&str, (&str, String)> =
            self.overlay().into_iter().chain(extra).map(|(var, flag, value)| (var, (flag, value))).collect();
        Settings::from_lookup(|k| match layers.get(k) {
            Some((_, value)) => Some(value.clone()),
            None => env(k),
        })
        .map_err(|e| match layers.get(e.var) {
            Some((flag, _)) => format!("{flag} ({}): {}", e.var, e.message),
            None => e.to_string(),
        })
    }
}

impl RunArgs {
    /// Settings of `run`: the process environment under the flags.
    pub fn settings(&self) -> Result<Settings, String> {
        self.settings_with(|k| std::env::var(k).ok())
    }

    /// Settings of `run` over any environment (tests pass a map).
    pub fn settings_with(&self, env: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        if let Some(rate) = self.rate {
            if !(rate.is_finite() && rate > 0.0) {
                return Err(format!("--rate: must be a positive number of requests per second, not `{rate}`"));
            }
        }
        let extra = self
            .concurrency
            .map(|c| ("JOURNEY_API_CONCURRENCY", "--concurrency", c.to_string()))
            .into_iter()
            .chain(self.rate.map(|r| ("JOURNEY_API_RATE", "--rate", r.to_string())))
            .chain(self.outage_budget.clone().map(|b| ("JOURNEY_API_OUTAGE_BUDGET", "--outage-budget", b)))
            .collect();
        self.target.settings_from(extra, env)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TargetSpec;
    use crate::oracle::Profile;
    use std::time::Duration;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn flags_override_variables() {
        let args = RunArgs {
            target: TargetArgs { profile: Some("strict".into()), timeout: Some("2.5".into()), ..Default::default() },
            concurrency: Some(3),
            ..Default::default()
        };
        let s = args
            .settings_with(env(&[("JOURNEY_API_PROFILE", "documented"), ("JOURNEY_API_CONCURRENCY", "50")]))
            .unwrap();
        assert_eq!(s.profile, Profile::Strict);
        assert_eq!(s.concurrency, 3);
        assert_eq!(s.timeout, Duration::from_millis(2500));
        let s = RunArgs::default().settings_with(env(&[("JOURNEY_API_CONCURRENCY", "50")])).unwrap();
        assert_eq!(s.concurrency, 50, "variables still apply without flags");
    }

    #[test]
    fn target_flag_sets_the_url_and_embedded_clears_it() {
        let remote = RunArgs {
            target: TargetArgs { target: Some("http://127.0.0.1:9/api/v4/a".into()), ..Default::default() },
            ..Default::default()
        };
        let s = remote.settings_with(env(&[("JOURNEY_API_USER", "a"), ("JOURNEY_API_PASSWORD", "pw-secret")])).unwrap();
        assert!(matches!(s.target, TargetSpec::Remote { .. }));
        let embedded = RunArgs {
            target: TargetArgs { target: Some("embedded".into()), ..Default::default() },
            ..Default::default()
        };
        let s = embedded.settings_with(env(&[("JOURNEY_API_URL", "http://127.0.0.1:9/api/v4/a")])).unwrap();
        assert_eq!(s.target, TargetSpec::Embedded);
    }

    #[test]
    fn case_globs_compile_as_the_command_line_is_parsed() {
        use super::super::dispatch::{Cli, Command};
        use clap::Parser;
        let cli = Cli::try_parse_from(["jc", "list", "--case", "methods/*", "--case", "auth/"]).unwrap();
        let Some(Command::List(list)) = cli.command else { panic!("a list command") };
        assert_eq!(list.select.selection().describe(), "--case 'methods/*' --case 'auth/'");
        for args in [&["jc", "--case", "ids/[a"][..], &["jc", "list", "--case", "{a,b"]] {
            let e = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{args:?}");
            let first = e.render().to_string();
            let first = first.lines().next().unwrap_or_default().to_string();
            let pattern = args[args.len() - 1];
            assert!(
                first.starts_with(&format!("error: invalid value '{pattern}' for '--case <GLOB>': unclosed")),
                "{first}"
            );
        }
    }

    #[test]
    fn a_bad_flag_is_named_as_a_flag() {
        let args = RunArgs { concurrency: Some(0), ..Default::default() };
        let e = args.settings_with(env(&[])).unwrap_err();
        assert!(e.starts_with("--concurrency (JOURNEY_API_CONCURRENCY):") && !e.contains('\n'), "{e}");
        let args = RunArgs {
            target: TargetArgs { target: Some("not a url".into()), ..Default::default() },
            ..Default::default()
        };
        let e = args.settings_with(env(&[])).unwrap_err();
        assert!(e.starts_with("--target (JOURNEY_API_URL):"), "{e}");
        let args = RunArgs { rate: Some(-1.0), ..Default::default() };
        assert!(args.settings_with(env(&[])).unwrap_err().starts_with("--rate:"));
        let args = RunArgs { rate: Some(25.0), ..Default::default() };
        let paced = args.settings_with(env(&[("JOURNEY_API_RATE", "5")])).expect("valid");
        assert_eq!(paced.pacing.rate, Some(25.0), "the flag overrides the variable");
        let args = RunArgs { outage_budget: Some("forever".into()), ..Default::default() };
        let e = args.settings_with(env(&[])).unwrap_err();
        assert!(e.starts_with("--outage-budget (JOURNEY_API_OUTAGE_BUDGET):") && !e.contains('\n'), "{e}");
        let args = RunArgs { outage_budget: Some("300".into()), ..Default::default() };
        let budget =
            args.settings_with(env(&[("JOURNEY_API_OUTAGE_BUDGET", "5")])).expect("valid").pacing.outage_budget;
        assert_eq!(budget, Duration::from_secs(300), "the flag overrides the variable");
        let e = RunArgs::default().settings_with(env(&[("JOURNEY_API_TIMEOUT", "soon")])).unwrap_err();
        assert!(e.starts_with("JOURNEY_API_TIMEOUT:"), "a bad variable is still named as the variable: {e}");
    }
}
