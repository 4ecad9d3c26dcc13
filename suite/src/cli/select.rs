//! Which cases a command works on: `--family` names and `--case` globs over stable case IDs.

use crate::case::{Case, Family};

/// A case filter; empty lists mean "everything".
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub families: Vec<Family>,
    pub globs: Vec<String>,
}

/// Parses a family name as used in case IDs.
pub fn parse_family(name: &str) -> Result<Family, String> {
    let name = name.trim();
    Family::ALL.into_iter().find(|f| f.as_str() == name).ok_or_else(|| {
        let known: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown family `{name}`; choose from {}", known.join(", "))
    })
}

impl Selection {
    /// True when the case passes both filters.
    pub fn matches(&self, case: &Case) -> bool {
        (self.families.is_empty() || self.families.contains(&case.family))
            && (self.globs.is_empty() || self.globs.iter().any(|g| id_matches(g, &case.id)))
    }

    /// The filters as the user wrote them, for "no case matches" messages.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.families.iter().map(|f| format!("--family {f}")).collect();
        parts.extend(self.globs.iter().map(|g| format!("--case '{g}'")));
        parts.join(" ")
    }
}

/// A pattern with `*`/`?` is a glob over the whole ID; one without wildcards matches IDs starting with it.
pub fn id_matches(pattern: &str, id: &str) -> bool {
    if pattern.contains(['*', '?']) {
        glob(pattern.as_bytes(), id.as_bytes())
    } else {
        id.starts_with(pattern)
    }
}

/// Iterative glob match (`*` any run, `?` one byte): linear backtracking, so no pattern can blow up.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // Pathological patterns stay fast.
        assert!(!id_matches(&"*a".repeat(50), &"a".repeat(49)));
    }

    #[test]
    fn families_parse_by_id_name() {
        assert_eq!(parse_family("malformed-json"), Ok(Family::MalformedJson));
        let e = parse_family("json").unwrap_err();
        assert!(e.contains("json") && e.contains("methods"), "{e}");
    }
}
