//! Minimised failing sequences kept as regression files, replayed by `cargo test`. Named like the
//! fuzz findings ([`crate::fuzz::Regression::file_name`]): the first 16 hex digits of the sha256 of
//! the content, here the steps as compact JSON.

use super::steps::Step;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One kept sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceRegression {
    pub steps: Vec<Step>,
    /// What it found and when; free text.
    pub note: String,
}

impl SequenceRegression {
    /// `stateful-<first 16 hex digits of sha256(steps as compact JSON)>.json`.
    pub fn file_name(&self) -> String {
        use sha2::Digest;
        let content = serde_json::to_vec(&self.steps).unwrap_or_default();
        let digest = sha2::Sha256::digest(content);
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("stateful-{hex}.json")
    }

    /// Writes the file into `dir` (created if missing) and returns its path.
    pub fn save(&self, dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(self.file_name());
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(&path, text)?;
        Ok(path)
    }

    /// Every regression file in `dir`, sorted by name (none when the directory is missing).
    pub fn load_dir(dir: &Path) -> Result<Vec<(PathBuf, SequenceRegression)>, String> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                let r = serde_json::from_str(&text)
                    .map_err(|e| format!("{}: not a sequence regression: {e}", p.display()))?;
                Ok((p, r))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_by_the_sha256_of_the_steps_and_round_trip() {
        let r = SequenceRegression { steps: vec![Step::List], note: "n".into() };
        // sha256(`["List"]`) = 9d8e1b0c…; the rule, not the value, is what matters: recompute it here.
        use sha2::Digest;
        let want: String = sha2::Sha256::digest(br#"["List"]"#).iter().take(8).map(|b| format!("{b:02x}")).collect();
        assert_eq!(r.file_name(), format!("stateful-{want}.json"));
        let dir = std::env::temp_dir().join(format!("stateful-regression-{}", std::process::id()));
        let path = r.save(&dir).expect("save");
        let loaded = SequenceRegression::load_dir(&dir).expect("load");
        assert_eq!(loaded, vec![(path, r)]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
