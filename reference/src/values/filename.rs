//! The attachment filename rule.

/// Filenames of spec §4: `[a-z0-9_. -]`, 1..=255 chars, no `..` anywhere.
pub fn valid_filename(name: &str) -> bool {
    (1..=255).contains(&name.len())
        && name.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b' ' | b'-'))
        && !name.contains("..")
        && name != "."
}
