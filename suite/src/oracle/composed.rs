//! What the server itself wrote in a success answer: the leak rule judges that, not the values its
//! users stored. A list page, an oplog page, an object read or a query result carries stored objects,
//! and a user's note that mentions "SQLite" or `C:\Users\…` is the deployment's own data, not a
//! leak; the same text in an error body, a header or a key the server added still is.

use serde_json::Value;

/// `body` with the stored objects' values left out: in JSON, every string inside an object that has a
/// string `id` (a stored object, wherever it sits: a page's `objects`, an oplog entry's `object`, a
/// batch result's `object`), its keys kept; in XML, every text node and attribute value, the markup
/// kept. Any other body is the server's own and is returned as it is.
pub fn composed(body: &[u8]) -> Vec<u8> {
    if let Ok(mut doc) = serde_json::from_slice::<Value>(body) {
        blank_stored(&mut doc, false);
        return serde_json::to_vec(&doc).unwrap_or_default();
    }
    if body.trim_ascii_start().starts_with(b"<") && !looks_like_html(body) {
        return markup(body);
    }
    body.to_vec()
}

/// Replaces the strings of every stored object below `value` (`inside`: already within one).
fn blank_stored(value: &mut Value, inside: bool) {
    match value {
        Value::String(s) if inside => s.clear(),
        Value::Object(map) => {
            let stored = inside || map.get("id").is_some_and(Value::is_string);
            map.values_mut().for_each(|v| blank_stored(v, stored));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| blank_stored(v, inside)),
        _ => {}
    }
}

/// An HTML page is a server's (or a proxy's) own, whatever its status: judged whole.
fn looks_like_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html")
}

/// The element and attribute names of an XML document, without text or attribute values.
fn markup(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() / 2);
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    for &b in body {
        match (in_tag, quote, b) {
            (false, _, b'<') => {
                in_tag = true;
                out.push(b);
            }
            (false, _, _) => {}
            (true, Some(q), _) if b == q => quote = None,
            (true, Some(_), _) => {}
            (true, None, b'"' | b'\'') => quote = Some(b),
            (true, None, b'>') => {
                in_tag = false;
                out.extend_from_slice(b">\n");
            }
            (true, None, _) => out.push(b),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_are_left_out_and_the_servers_own_parts_kept() {
        let page = br#"{"objects":[{"id":"a","type":"task","display":"SQLite","name":"/home/al/x","place":{"note":"C:\\Users\\b"}}],"count":1,"debug":"Traceback (most recent call last)"}"#;
        let seen = String::from_utf8(composed(page)).unwrap();
        assert!(!seen.contains("SQLite") && !seen.contains("/home/") && !seen.contains("Users"), "{seen}");
        assert!(seen.contains("\"name\"") && seen.contains("\"count\":1"), "keys and numbers stay: {seen}");
        assert!(seen.contains("Traceback (most recent call last)"), "the server's own key stays: {seen}");
        let oplog = br#"{"entries":[{"sequence":"1","object":{"id":"a","name":"SELECT * FROM x"}}],"has_more":false}"#;
        assert!(!String::from_utf8(composed(oplog)).unwrap().contains("SELECT"));
    }

    #[test]
    fn xml_text_is_left_out_and_html_or_text_judged_whole() {
        let xml =
            b"<?xml version=\"1.0\"?><list><objects><object><name>SQLite at /home/al</name></object></objects></list>";
        let seen = String::from_utf8(composed(xml)).unwrap();
        assert!(seen.contains("<name>") && !seen.contains("SQLite") && !seen.contains("/home"), "{seen}");
        let html = b"<html><body>Traceback (most recent call last)</body></html>";
        assert_eq!(composed(html), html.to_vec());
        assert_eq!(composed(b"plain SQLite text"), b"plain SQLite text".to_vec());
    }
}
