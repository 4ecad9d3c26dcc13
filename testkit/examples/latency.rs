//! Latency benchmark helper (run by `scripts/bench.sh`): starts the reference behind a front end that
//! delays every answer, runs one command against it with the target's settings in its environment, and
//! prints `requests ELAPSED_SECONDS` for that command, so the script can set the time against the bound
//! (requests × delay / concurrency + setup). The command's own output goes to stderr.
//! Usage: `latency DELAY_MS MAX_SECONDS -- COMMAND [ARGS...]`; the command is killed after MAX_SECONDS.

use journey_testkit::delay::DelayedReference;
use std::os::fd::AsFd;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(delay), Some(max), Some(rest)) = (
        args.first().and_then(|a| a.parse::<u64>().ok()),
        args.get(1).and_then(|a| a.parse::<u64>().ok()),
        args.iter().position(|a| a == "--").map(|i| &args[i + 1..]).filter(|r| !r.is_empty()),
    ) else {
        eprintln!("usage: latency DELAY_MS MAX_SECONDS -- COMMAND [ARGS...]");
        return std::process::ExitCode::from(2);
    };
    let front = DelayedReference::start(Duration::from_millis(delay)).await.expect("bind loopback");
    let stdout = std::io::stderr().as_fd().try_clone_to_owned().expect("duplicate stderr");
    let mut child = Command::new(&rest[0])
        .args(&rest[1..])
        .envs(front.env())
        .stdin(Stdio::null())
        .stdout(Stdio::from(stdout))
        .spawn()
        .expect("start the command");
    let started = Instant::now();
    let deadline = started + Duration::from_secs(max);
    // Polled rather than awaited, so a hung command is killed at the deadline instead of hanging the bench.
    while child.try_wait().expect("wait for the command").is_none() {
        if Instant::now() > deadline {
            eprintln!("latency: the command ran past {max}s; killed");
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    println!("{} {:.2}", front.requests(), started.elapsed().as_secs_f64());
    std::process::ExitCode::SUCCESS
}
