//! The vendor's own backend client against the embedded reference: `scripts/real-client.sh` installs
//! it from npm and checks the schema, info, indexes and oplog pagination it gets back.
//!
//! Without `node` and `npm` on PATH, or without a registry to install from, the test reports itself
//! ignored with the reason (never passed). Every wait is bounded; the password never reaches output.

use journey_reference::{base_url, serve, Config};
use libtest_mimic::{Arguments, Completion, Trial};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest the script may take: npm's install plus the client's calls.
const SCRIPT_LIMIT: Duration = Duration::from_secs(480);
/// Oplog entries seeded before the client pages through them (pages of two, so several pages).
const SEEDED: usize = 5;

/// What a finished child said.
struct Finished {
    code: Option<i32>,
    output: String,
}

/// Runs a command to completion or kills it at `limit`; stdout and stderr are read on their own threads.
fn run_bounded(command: &mut Command, limit: Duration) -> Result<Finished, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start: {e}"))?;
    let readers: Vec<_> = [
        child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
        child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|mut pipe| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    })
    .collect();
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("did not finish within {}s", limit.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let output = readers.into_iter().filter_map(|r| r.join().ok()).collect::<Vec<_>>().join("");
    Ok(Finished { code: status.code(), output })
}

/// Whether a tool answers `--version` within a few seconds.
fn on_path(tool: &str) -> bool {
    run_bounded(Command::new(tool).arg("--version"), Duration::from_secs(20)).is_ok_and(|f| f.code == Some(0))
}

/// One HTTP/1.1 request over loopback with `Connection: close`; the status line's code.
fn post(addr: SocketAddr, path: &str, authorization: &str, body: &str) -> Result<u16, String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {authorization}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply.get(9..12).and_then(|code| code.parse().ok()).ok_or_else(|| "no status line".to_string())
}

/// Starts the reference on 127.0.0.1:0 in its own runtime thread, which ends with the test process.
fn start(config: Config) -> Result<SocketAddr, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                let _ = serve(listener, config).await;
            }
        })
    });
    Ok(addr)
}

fn real_client() -> Result<Completion, libtest_mimic::Failed> {
    for tool in ["node", "npm"] {
        if !on_path(tool) {
            return Ok(Completion::ignored_with(format!("`{tool}` is not on PATH, so the vendor's client cannot run")));
        }
    }
    let config = Config::demo();
    let account = config.accounts[0].clone();
    let addr = start(config)?;
    let auth = {
        use base64::Engine;
        let pair = format!("{}:{}", account.id, account.password);
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
    };
    let collection = format!("/api/v4/{}/objects/task.json", account.id);
    for i in 0..SEEDED {
        let status = post(addr, &collection, &auth, &format!(r#"{{"task":{{"name":"seed {i}"}}}}"#))?;
        if status != 201 {
            return Err(format!("seeding object {i} answered {status}").into());
        }
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/real-client.sh");
    let finished = run_bounded(
        Command::new("bash")
            .arg(script)
            .env("JOURNEY_API_URL", base_url(addr, &account.id))
            .env("JOURNEY_API_USER", &account.id)
            .env("JOURNEY_API_PASSWORD", &account.password)
            .env("REAL_CLIENT_MIN_OPLOG", SEEDED.to_string())
            .env("REAL_CLIENT_PAGE", "2"),
        SCRIPT_LIMIT,
    )?;
    // The script never prints the password; redacting anyway keeps a mistake from reaching a log.
    let output = finished.output.replace(&account.password, "<redacted>");
    match finished.code {
        Some(0) if output.contains("real-client: ok") => {
            println!("{}", output.trim());
            Ok(Completion::Completed)
        }
        Some(3) => Ok(Completion::ignored_with(format!("the client could not be installed: {}", output.trim()))),
        code => Err(format!("scripts/real-client.sh exited {code:?}: {}", output.trim()).into()),
    }
}

fn main() {
    let args = Arguments::from_args();
    let trial = Trial::ignorable_test("real_client_talks_to_the_reference", real_client);
    libtest_mimic::run(&args, vec![trial]).exit();
}
