//! `journey-reference`: run the reference server and print each account's connection settings.

use clap::Parser;
use journey_reference::{base_url, serve, Account, Config, RateLimit, DEFAULT_MAX_BODY_BYTES};
use std::io::Write;

/// Command line of the reference server.
#[derive(Parser, Debug)]
#[command(name = "journey-reference", about = "Reference JourneyApps Backend API v4 (in memory)")]
struct Cli {
    /// Address to listen on; port 0 picks a free port (the real one is printed).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: std::net::SocketAddr,
    /// An account as ID:PASSWORD (repeatable); without any, two demo accounts are created.
    #[arg(long = "account", value_parser = parse_account)]
    accounts: Vec<Account>,
    /// Largest accepted request body in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// A token bucket per account, as RPS[:BURST] (burst defaults to RPS); over it: 429 with Retry-After.
    #[arg(long, value_name = "RPS[:BURST]")]
    rate_limit: Option<RateLimit>,
}

/// `ID:PASSWORD` with a non-empty `[A-Za-z0-9_-]` ID (it becomes a URL segment) and a non-empty password.
fn parse_account(text: &str) -> Result<Account, String> {
    let (id, password) = text.split_once(':').ok_or("expected ID:PASSWORD")?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return Err("the account ID must be non-empty and use only A-Z, a-z, 0-9, '_' and '-'".into());
    }
    if password.is_empty() {
        return Err("the password must not be empty".into());
    }
    Ok(Account { password: password.to_string(), ..Account::generate(id) })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let cli = Cli::parse();
    let mut config = Config::demo();
    if !cli.accounts.is_empty() {
        config.accounts = cli.accounts;
    }
    config.max_body_bytes = cli.max_body_bytes;
    config.rate_limit = cli.rate_limit;
    let listener = tokio::net::TcpListener::bind(cli.listen).await?;
    let addr = listener.local_addr()?;
    let mut stdout = std::io::stdout().lock();
    for account in &config.accounts {
        writeln!(
            stdout,
            "JOURNEY_API_URL={} JOURNEY_API_USER={} JOURNEY_API_PASSWORD={}",
            base_url(addr, &account.id),
            account.id,
            account.password
        )?;
        eprintln!("token for {}: {}", account.id, account.token);
    }
    stdout.flush()?;
    drop(stdout);
    serve(listener, config).await
}
