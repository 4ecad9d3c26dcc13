//! The HTML report in a real headless browser (Debian's chromium): it loads without console messages
//! and shows the endpoint × error-type matrix. Reported as ignored, with the reason printed, when no
//! chromium is installed (`apt-get install -y chromium`; `scripts/report-screenshot.sh` installs it).

use journey_conformance::config::Settings;
use journey_conformance::report::html;
use journey_conformance::report::record::{RunMeta, RunRecord, Status};
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// A browser that takes longer than this is reported as a failure, never waited for.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(90);

/// The chromium binary: `$CHROMIUM`, else the first of the usual names on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// What the browser made of a page: the DOM after load, and every console message it logged.
struct Loaded {
    dom: String,
    console: Vec<String>,
}

/// Loads `page` in headless chromium with a fresh profile; bounded by [`BROWSER_TIMEOUT`].
fn load(browser: &Path, page: &Path, scratch: &Path) -> Result<Loaded, String> {
    let profile = scratch.join(format!("profile-{}", page.file_stem().and_then(|s| s.to_str()).unwrap_or("page")));
    let (out, err) = (scratch.join("dom.html"), scratch.join("stderr.log"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ])
        .args(["--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).map_err(|e| e.to_string())?)
        .stderr(std::fs::File::create(&err).map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", browser.display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("chromium did not finish within {BROWSER_TIMEOUT:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = std::fs::read_to_string(&out).map_err(|e| e.to_string())?;
    let log = std::fs::read_to_string(&err).unwrap_or_default();
    if !status.success() {
        return Err(format!(
            "chromium exited with {status}: {}",
            log.lines().rev().take(5).collect::<Vec<_>>().join(" | ")
        ));
    }
    let console = log.lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect();
    Ok(Loaded { dom, console })
}

/// A report of the `methods` family against the embedded reference, with one case turned into a
/// failure so the red cell and an open failure are rendered too.
fn report_html() -> Result<(String, usize), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let settings = Settings::from_lookup(|_| None).map_err(|e| e.to_string())?;
        let session = Session::start(settings).await.map_err(|e| e.to_string())?;
        let mut run = Run::new(session);
        run.retain(|c| c.id.starts_with("methods/"));
        let results = run.all().await;
        let meta = RunMeta {
            target: run.session.primary.base_url(),
            embedded: true,
            profile: "documented".into(),
            ..Default::default()
        };
        let mut record = RunRecord::build(meta, &run.session, &run.cases, &results);
        let _ = run.session.teardown().await;
        let failed = record.cases.first_mut().ok_or("no methods cases")?;
        failed.status = Status::Fail;
        failed.violations.push(("§6.1 error body".into(), "made to fail by the browser test".into()));
        let mut rows: Vec<&str> = record.cases.iter().map(|c| c.endpoint.as_str()).collect();
        rows.sort();
        rows.dedup();
        Ok((html::render(&record), rows.len()))
    })
}

fn scratch_dir() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("jc-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

fn report_loads_and_shows_the_matrix(browser: &Path) -> Result<(), Failed> {
    let scratch = scratch_dir()?;
    let (html, rows) = report_html()?;
    let page = scratch.join("report.html");
    std::fs::write(&page, html)?;
    let loaded = load(browser, &page, &scratch)?;
    let _ = std::fs::remove_dir_all(&scratch);
    if !loaded.console.is_empty() {
        return Err(format!("console messages while loading the report: {:?}", loaded.console).into());
    }
    let matrix = loaded.dom.split("<table id=\"matrix\">").nth(1).ok_or("the rendered page has no matrix table")?;
    let body =
        matrix.split("<tbody>").nth(1).and_then(|b| b.split("</tbody>").next()).ok_or("the matrix has no body")?;
    let shown = body.matches("<tr>").count();
    if shown != rows {
        return Err(format!("matrix shows {shown} endpoint rows, the run has {rows}").into());
    }
    if !body.contains("<td class=\"fail\">") || !body.contains("<td class=\"pass\">") {
        return Err("matrix lacks a red (failed) or green (passed) cell".into());
    }
    if !loaded.dom.contains("class=\"case fail\" id=\"case-0\" open=\"\"") {
        return Err("the failed case is not rendered open".into());
    }
    Ok(())
}

/// The console check must be able to fail: a page whose script throws is caught.
fn console_errors_are_detected(browser: &Path) -> Result<(), Failed> {
    let scratch = scratch_dir()?.join("control");
    std::fs::create_dir_all(&scratch)?;
    let page = scratch.join("broken.html");
    std::fs::write(&page, "<!DOCTYPE html><html><body><table id=\"matrix\"></table><script>throw new Error('boom')</script></body></html>")?;
    let loaded = load(browser, &page, &scratch)?;
    let _ = std::fs::remove_dir_all(&scratch);
    if !loaded.console.iter().any(|l| l.contains("Uncaught Error: boom")) {
        return Err(format!("a throwing script went unnoticed; console lines: {:?}", loaded.console).into());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let browser = chromium();
    if browser.is_none() {
        eprintln!("report_browser: chromium not found (set CHROMIUM or `apt-get install -y chromium`): browser tests ignored, not passed");
    }
    let trials = [
        (
            "html-report/loads-without-console-messages-and-shows-the-matrix",
            report_loads_and_shows_the_matrix as fn(&Path) -> Result<(), Failed>,
        ),
        ("html-report/control/console-errors-are-detected", console_errors_are_detected),
    ]
    .into_iter()
    .map(|(name, test)| {
        let (found, browser) = (browser.is_some(), browser.clone());
        Trial::test(name, move || match &browser {
            Some(b) => test(b),
            // Ignored without a browser; run anyway (`--include-ignored`), it fails rather than pass unseen.
            None => Err("skipped, not passed: chromium not found (set CHROMIUM or install chromium)".into()),
        })
        .with_ignored_flag(!found)
    })
    .collect();
    libtest_mimic::run(&args, trials).exit_code()
}
