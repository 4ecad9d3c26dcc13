//! Runs one command against the reference on a loopback port, clean or behind one named fault, with one
//! account or two: the command gets the target's `JOURNEY_API_*` settings in its environment, as a
//! user's deployment would give them. The HTTP fuzz scripts use it (`scripts/fuzz-kill-table.sh`,
//! `scripts/fuzz-http-soak.sh`, `scripts/fuzz-deployment.sh --local`); it prints the number of requests
//! the target answered and the command's exit status on its last line.
//! Usage: `serve_target [--fault NAME] [--accounts 1|2] [--max-seconds N] -- COMMAND [ARGS...]`; the
//! command is killed after N seconds (default 3600). Exits with the command's status (124 when killed).
//! `serve_target --fuzz-only-faults` lists the faults only the fuzzers are to kill, one name a line.

use journey_testkit::faults::target::FaultyTarget;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: serve_target [--fault NAME] [--accounts 1|2] [--max-seconds N] -- COMMAND [ARGS...]";

struct Args {
    fault: Option<&'static journey_testkit::faults::Fault>,
    accounts: usize,
    max: Duration,
    command: Vec<String>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = Args { fault: None, accounts: 2, max: Duration::from_secs(3600), command: Vec::new() };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--fault" => {
                let name = value()?;
                let fault = journey_testkit::faults::find(&name).ok_or_else(|| format!("no fault named `{name}`"))?;
                out.fault = Some(fault);
            }
            "--accounts" => match value()?.as_str() {
                "1" => out.accounts = 1,
                "2" => out.accounts = 2,
                other => return Err(format!("--accounts is 1 or 2, not `{other}`")),
            },
            "--max-seconds" => {
                let v = value()?;
                out.max = Duration::from_secs(v.parse().map_err(|_| format!("--max-seconds: not a number: `{v}`"))?);
            }
            "--" => {
                out.command = args.by_ref().collect();
                break;
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if out.command.is_empty() {
        return Err(USAGE.into());
    }
    Ok(out)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--fuzz-only-faults") {
        let fuzz =
            journey_testkit::faults::ALL.iter().filter(|f| f.caught_by == journey_testkit::faults::Catcher::Fuzz);
        fuzz.for_each(|f| println!("{}", f.name));
        return ExitCode::SUCCESS;
    }
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("serve_target: {e}");
            return ExitCode::from(2);
        }
    };
    let mut config = journey_reference::Config::demo();
    config.accounts.truncate(args.accounts);
    let accounts = config.accounts.clone();
    let answered = Arc::new(AtomicU64::new(0));
    let counter = answered.clone();
    let app = journey_testkit::faults::layer::router(args.fault, config).layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            counter.fetch_add(1, Ordering::Relaxed);
            next.run(req)
        },
    ));
    let target = match FaultyTarget::serve(app, &accounts, args.fault).await {
        Ok(t) => t,
        Err(e) => {
            eprintln!("serve_target: cannot bind a loopback port: {e}");
            return ExitCode::from(2);
        }
    };
    let mut command = Command::new(&args.command[0]);
    // Only this target's settings: none of the caller's own `JOURNEY_API_*` (a second account, say).
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("JOURNEY_API_") {
            command.env_remove(key);
        }
    }
    let mut child = match command.args(&args.command[1..]).envs(target.env.iter()).stdin(Stdio::null()).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("serve_target: cannot start `{}`: {e}", args.command[0]);
            return ExitCode::from(2);
        }
    };
    let deadline = Instant::now() + args.max;
    // Polled rather than awaited, so a hung command is killed at the deadline instead of hanging the script.
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.code().unwrap_or(1),
            Ok(None) if Instant::now() > deadline => {
                eprintln!("serve_target: the command ran past {}s; killed", args.max.as_secs());
                let _ = child.kill();
                let _ = child.wait();
                break 124;
            }
            Ok(None) => tokio::time::sleep(Duration::from_millis(20)).await,
            Err(e) => {
                eprintln!("serve_target: {e}");
                break 1;
            }
        }
    };
    println!("requests answered: {}, exit status: {status}", answered.load(Ordering::Relaxed));
    ExitCode::from(u8::try_from(status).unwrap_or(1))
}
