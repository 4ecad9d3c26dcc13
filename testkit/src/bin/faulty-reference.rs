//! `faulty-reference FAULT [MAX_SECONDS]`: the reference behind one named fault of `faults::ALL` on a
//! loopback port, so a fault can be tried with the user's own command for a deployment. Prints the
//! `JOURNEY_API_*` settings of its two accounts on one line, then serves until MAX_SECONDS (default 1800).
//! `faulty-reference list` prints every fault's name and the bug it models.

use journey_testkit::faults::{self, target::FaultyTarget};
use std::io::Write;
use std::time::Duration;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_default();
    if name == "list" {
        for f in faults::ALL {
            println!("{:<32} {}", f.name, f.bug);
        }
        return std::process::ExitCode::SUCCESS;
    }
    let Some(fault) = faults::find(&name) else {
        eprintln!("faulty-reference: no fault named `{name}` (`faulty-reference list` names them)");
        return std::process::ExitCode::from(2);
    };
    let max = Duration::from_secs(args.next().and_then(|a| a.parse().ok()).unwrap_or(1800));
    let target = match FaultyTarget::start(Some(fault), journey_reference::Config::demo()).await {
        Ok(t) => t,
        Err(e) => {
            eprintln!("faulty-reference: cannot start: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut env: Vec<String> = target.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    env.sort();
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", env.join(" "));
    let _ = stdout.flush();
    drop(stdout);
    // Stops by itself, so a script that dies never leaves it running.
    tokio::time::sleep(max).await;
    drop(target);
    std::process::ExitCode::SUCCESS
}
