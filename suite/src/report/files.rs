//! Report files of a run (JUnit XML, NDJSON, Markdown, HTML, SARIF), each a pure function of a [`RunRecord`]
//! that was redacted when it was built.

use super::record::RunRecord;

use std::path::{Path, PathBuf};

/// One report format, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReportKind {
    Junit,
    Html,
    Markdown,
    Ndjson,
    Sarif,
}

impl ReportKind {
    /// Every format, in the order `--report` lists them.
    pub const ALL: [ReportKind; 5] =
        [ReportKind::Junit, ReportKind::Html, ReportKind::Markdown, ReportKind::Ndjson, ReportKind::Sarif];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Junit => "junit",
            ReportKind::Html => "html",
            ReportKind::Markdown => "md",
            ReportKind::Ndjson => "ndjson",
            ReportKind::Sarif => "sarif",
        }
    }

    /// The file this format is written to inside the report directory.
    pub fn file_name(self) -> &'static str {
        match self {
            ReportKind::Junit => "junit.xml",
            ReportKind::Html => "report.html",
            ReportKind::Markdown => "summary.md",
            ReportKind::Ndjson => "cases.ndjson",
            ReportKind::Sarif => "results.sarif",
        }
    }

    /// Parses one name (`markdown` is accepted for `md`).
    pub fn parse(name: &str) -> Result<ReportKind, String> {
        let name = name.trim().to_ascii_lowercase();
        ReportKind::ALL
            .into_iter()
            .find(|k| k.name() == name || (name == "markdown" && *k == ReportKind::Markdown))
            .ok_or_else(|| format!("unknown report format `{name}`; choose from junit, html, md, ndjson, sarif"))
    }

    /// Renders this format.
    pub fn render(self, run: &RunRecord) -> Result<String, String> {
        match self {
            ReportKind::Junit => super::junit::render(run),
            ReportKind::Html => Ok(super::html::render(run)),
            ReportKind::Markdown => Ok(super::markdown::render(run)),
            ReportKind::Ndjson => Ok(super::ndjson::render(run)),
            ReportKind::Sarif => Ok(super::sarif::render(run)),
        }
    }
}

/// Writes each requested report into `dir` (created if missing) and returns the paths written.
pub fn write_all(dir: &Path, kinds: &[ReportKind], run: &RunRecord) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create report directory {}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for kind in kinds {
        let path = dir.join(kind.file_name());
        let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        if *kind == ReportKind::Ndjson {
            let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(cannot)?);
            super::ndjson::write(run, &mut file).and_then(|()| std::io::Write::flush(&mut file)).map_err(cannot)?;
        } else {
            std::fs::write(&path, kind.render(run)?).map_err(cannot)?;
        }
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_one_line() {
        for k in ReportKind::ALL {
            assert_eq!(ReportKind::parse(k.name()), Ok(k));
        }
        assert_eq!(ReportKind::parse(" Markdown "), Ok(ReportKind::Markdown));
        let e = ReportKind::parse("pdf").unwrap_err();
        assert!(e.contains("pdf") && !e.contains('\n'), "{e}");
    }

    #[test]
    fn write_all_writes_every_requested_file() {
        let dir = std::env::temp_dir().join(format!("jc-reports-{}", std::process::id()));
        let written = write_all(&dir, &ReportKind::ALL, &super::super::record::fixtures::run()).unwrap();
        assert_eq!(written.len(), ReportKind::ALL.len());
        for path in &written {
            assert!(std::fs::metadata(path).map(|m| m.len() > 0).unwrap_or(false), "{} is empty", path.display());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
