//! `padded-reference [BYTES] [MAX_SECONDS]`: the reference on a loopback port with every answer's body
//! padded to BYTES (default 1 MiB), for the memory benchmark. Prints the `JOURNEY_API_*` settings of its
//! two accounts on one line, then serves until MAX_SECONDS (default 1800) have passed.

use journey_testkit::padded;
use std::time::Duration;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let number = |arg: Option<String>, default: u64| arg.and_then(|a| a.parse().ok()).unwrap_or(default);
    let size = number(args.next(), padded::MIB as u64) as usize;
    let max = Duration::from_secs(number(args.next(), 1800));
    let target = padded::start(journey_reference::Config::demo(), size).await?;
    journey_testkit::faults::target::FaultyTarget::print_env(&target.env)?;
    // Stops by itself, so a benchmark that dies never leaves it running.
    tokio::time::sleep(max).await;
    drop(target);
    Ok(())
}
