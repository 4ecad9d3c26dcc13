//! Minimised fuzz findings kept as regression files, named by the sha256 of their input.

use super::*;

/// A minimised fuzz finding kept as a test: replayed by `tests/regressions.rs` on every `cargo test`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Regression {
    /// The fuzz target name ([`Target::name`]).
    pub target: String,
    /// The raw fuzz input, standard base64.
    pub input_base64: String,
    /// What it found and when; free text.
    pub note: String,
}

impl Regression {
    pub fn new(target: Target, input: &[u8], note: impl Into<String>) -> Regression {
        use base64::Engine;
        Regression {
            target: target.name().into(),
            input_base64: base64::engine::general_purpose::STANDARD.encode(input),
            note: note.into(),
        }
    }

    pub fn input(&self) -> Result<Vec<u8>, String> {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(self.input_base64.trim())
            .map_err(|e| format!("input_base64: {e}"))
    }

    /// The file name: `<target>-<first 16 hex digits of the input's sha256>.json`, the same rule as
    /// `scripts/fuzz-nightly.sh`, so a finding saved by either has one name on every Rust release.
    pub fn file_name(&self) -> Result<String, String> {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(self.input()?);
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        Ok(format!("{}-{hex}.json", self.target))
    }

    /// Replays the input through its target; `Err` is the finding's report.
    pub fn replay(&self, harness: &mut Harness) -> Result<(), String> {
        let target = Target::from_name(&self.target).ok_or_else(|| format!("unknown fuzz target `{}`", self.target))?;
        let input = self.input()?;
        harness.check(target, &input).map(|_| ()).map_err(|f| f.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_the_sha256_rule_of_the_nightly_script() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        let r = Regression::new(Target::Request, b"abc", "note");
        assert_eq!(r.file_name().as_deref(), Ok("request-ba7816bf8f01cfea.json"));
        let bad = Regression { input_base64: "***".into(), ..r };
        assert!(bad.file_name().is_err());
    }
}
