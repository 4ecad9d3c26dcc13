//! The object ID form the API accepts.

use uuid::Uuid;

/// Object IDs must be lowercase hyphenated UUIDs (spec §1); anything else names no object.
pub fn parse_id(text: &str) -> Option<Uuid> {
    let groups: Vec<&str> = text.split('-').collect();
    let shape_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    if shape_ok {
        Uuid::parse_str(text).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_lowercase_hyphenated_uuids() {
        assert!(parse_id("550e8400-e29b-41d4-a716-446655440000").is_some());
        for bad in [
            "550E8400-E29B-41D4-A716-446655440000",
            "550e8400e29b41d4a716446655440000",
            "{550e8400-e29b-41d4-a716-446655440000}",
            "550e8400-e29b-41d4-a716-44665544000",
            "550e8400-e29b-41d4-a716-4466554400000",
            "",
            "x",
            "550e8400-e29b-41d4-a716-44665544000g",
            "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
        ] {
            assert!(parse_id(bad).is_none(), "{bad}");
        }
    }
}
