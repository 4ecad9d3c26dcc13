//! Which cases a command works on: `--family` names and `--case` globs over stable case IDs.

use crate::declare::case::{Case, Family};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// A case filter; empty lists mean "everything".
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub families: Vec<Family>,
    /// The `--case` patterns as the user wrote them, for messages.
    pub globs: Vec<String>,
    /// `globs` compiled once, so filtering thousands of IDs parses no pattern again.
    set: GlobSet,
}

/// Parses a family name as used in case IDs.
pub fn parse_family(name: &str) -> Result<Family, String> {
    let name = name.trim();
    Family::ALL.into_iter().find(|f| f.as_str() == name).ok_or_else(|| {
        let known: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown family `{name}`; choose from {}", known.join(", "))
    })
}

/// Checks a `--case` pattern as clap parses it, so a bad one is reported like any bad flag value.
pub fn parse_case_pattern(pattern: &str) -> Result<String, String> {
    case_glob(pattern).map(|_| pattern.to_string()).map_err(|e| e.kind().to_string())
}

impl Selection {
    /// Compiles the `--case` patterns into one set; an invalid pattern is a one-line error naming it.
    pub fn new(families: Vec<Family>, globs: Vec<String>) -> Result<Selection, String> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &globs {
            builder.add(case_glob(pattern).map_err(|e| format!("invalid --case '{pattern}': {}", e.kind()))?);
        }
        // Each pattern parsed alone; only the compiled whole can still exceed the matcher's size limit.
        let set =
            builder.build().map_err(|e| format!("--case patterns too large to compile together: {}", e.kind()))?;
        Ok(Selection { families, globs, set })
    }

    /// True when the case passes both filters.
    pub fn matches(&self, case: &Case) -> bool {
        (self.families.is_empty() || self.families.contains(&case.family))
            && (self.globs.is_empty() || self.set.is_match(&case.id))
    }

    /// The filters as the user wrote them, for "no case matches" messages.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.families.iter().map(|f| format!("--family {f}")).collect();
        parts.extend(self.globs.iter().map(|g| format!("--case '{g}'")));
        parts.join(" ")
    }
}

/// A pattern with a glob metacharacter (`*`, `?`, `[`, `{`) is a glob over the whole ID, where `*`
/// crosses `/` (IDs are not file paths); one without matches the IDs that start with it.
fn case_glob(pattern: &str) -> Result<Glob, globset::Error> {
    if pattern.contains(['*', '?', '[', '{']) {
        GlobBuilder::new(pattern).literal_separator(false).build()
    } else {
        // Taken literally, backslashes included: a prefix is not a pattern.
        GlobBuilder::new(&format!("{}*", globset::escape(pattern))).backslash_escape(false).build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_matches(pattern: &str, id: &str) -> bool {
        Selection::new(vec![], vec![pattern.to_string()]).expect("a valid pattern").set.is_match(id)
    }

    #[test]
    fn globs_and_prefixes() {
        assert!(id_matches("methods/*", "methods/wrong-method/DELETE-objects-collection"));
        assert!(id_matches("*/control/*", "auth/control/list"));
        assert!(!id_matches("*/control/*", "auth/no-credentials/list"));
        assert!(id_matches("ids/?nknown*", "ids/unknown-type/x"));
        assert!(id_matches("methods/", "methods/x"));
        assert!(!id_matches("methods", "malformed-json/x"));
        assert!(!id_matches("methods/*/GET", "methods/a/GET-x"));
        assert!(id_matches("**", ""));
        // `?` stands for one character, `/` included; a glob covers the whole ID.
        assert!(id_matches("auth?control/*", "auth/control/list"));
        assert!(!id_matches("auth/control", "auth/contro"));
        assert!(!id_matches("*/control", "auth/control/list"));
        // Classes and alternatives come with globset.
        assert!(id_matches("{auth,ids}/*", "ids/unknown-type/x"));
        assert!(id_matches("methods/[wx]rong-*", "methods/wrong-method/GET"));
        // A prefix is literal, including characters that are special elsewhere.
        assert!(id_matches(r"a\b}", r"a\b}/c"));
        assert!(!id_matches(r"a\b", "ab"));
        // Pathological patterns stay fast.
        assert!(!id_matches(&"*a".repeat(50), &"a".repeat(49)));
    }

    #[test]
    fn any_pattern_may_match() {
        let s = Selection::new(vec![], vec!["auth/".into(), "*/wrong-method/*".into()]).unwrap();
        assert!(s.set.is_match("auth/control/list") && s.set.is_match("methods/wrong-method/GET"));
        assert!(!s.set.is_match("ids/unknown-type/x"));
        assert_eq!(s.describe(), "--case 'auth/' --case '*/wrong-method/*'");
    }

    #[test]
    fn an_invalid_glob_is_one_line_naming_the_flag() {
        for (pattern, why) in
            [("ids/[a", "unclosed character class"), ("{a,b", "unclosed alternate"), ("x*\\", "dangling")]
        {
            let e = Selection::new(vec![], vec!["auth/".into(), pattern.into()]).unwrap_err();
            assert!(e.starts_with(&format!("invalid --case '{pattern}': {why}")), "{e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn families_parse_by_id_name() {
        assert_eq!(parse_family("malformed-json"), Ok(Family::MalformedJson));
        let e = parse_family("json").unwrap_err();
        assert!(e.contains("json") && e.contains("methods"), "{e}");
    }
}
