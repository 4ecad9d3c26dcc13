//! Every form of a secret is redacted, whichever escapers wrote it, and nothing else is.

use super::*;

const USER: &str = "acct-5a3b";
/// A password with every character that escapers treat specially.
const PASSWORD: &str = r#"p"a\ss'w&rd/+?= é"#;

fn basic() -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    format!("Basic {encoded}").into_bytes()
}

fn secrets() -> Vec<Vec<u8>> {
    vec![PASSWORD.as_bytes().to_vec(), basic()]
}

/// The password in each form a target may echo, and as the suite's own escapers print those.
fn planted() -> Vec<(&'static str, String)> {
    let json = serde_json::to_string(PASSWORD).unwrap();
    let json = json[1..json.len() - 1].to_string();
    let url = percent_encode(PASSWORD.as_bytes(), NON_ALPHANUMERIC).to_string();
    let user_password = format!("{USER}:{PASSWORD}");
    vec![
        ("raw", PASSWORD.to_string()),
        ("json", json.clone()),
        ("json, then debug-escaped", json.chars().flat_map(char::escape_debug).collect()),
        ("debug-escaped", PASSWORD.chars().flat_map(char::escape_debug).collect()),
        ("shell-quoted", PASSWORD.replace('\'', r"'\''")),
        ("url", url.clone()),
        ("url, lowercase hex", lowercase_escapes(&url)),
        ("form", url::form_urlencoded::byte_serialize(PASSWORD.as_bytes()).collect()),
        ("base64 of user:password", base64::engine::general_purpose::STANDARD.encode(&user_password)),
        ("url-safe base64 of user:password", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&user_password)),
        ("authorization", String::from_utf8(basic()).unwrap()),
    ]
}

#[test]
fn every_form_of_the_password_is_redacted() {
    for (name, form) in planted() {
        let text = format!("before {form} after");
        let clean = redact(&text, &secrets());
        assert!(clean.starts_with("before ") && clean.ends_with(" after"), "{name}: {clean}");
        assert!(clean.contains(REDACTED), "{name}: {clean}");
        assert!(!clean.contains(&form), "{name}: {clean}");
        assert!(!clean.contains("ss'w&rd") && !clean.contains("ss\\'w"), "{name}: {clean}");
    }
}

#[test]
fn base64_of_the_password_inside_a_longer_run_is_redacted_at_every_alignment() {
    for user in ["a", "ab", "abc"] {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{PASSWORD}:tail"));
        let clean = redact(&encoded, &secrets());
        assert!(clean.contains(REDACTED), "{user}: {clean}");
        for (_, core) in wire_forms(PASSWORD.as_bytes()).iter().filter(|(e, _)| *e == Encoding::Base64) {
            assert!(!clean.as_bytes().windows(core.len()).any(|w| w == core.as_slice()), "{user}: {clean}");
        }
    }
}

#[test]
fn text_without_a_secret_is_left_alone_and_short_secrets_are_ignored() {
    let text = "{\"type\":\"OBJECT_NOT_FOUND\",\"see\":\"https://docs.journeyapps.com/api-errors#OBJECT_NOT_FOUND\"}";
    assert_eq!(redact(text, &secrets()), text);
    assert_eq!(redact("ab ab", &[b"ab".to_vec()]), "ab ab");
    assert_eq!(
        redact("pw=hunter22 t=O:tok ab", &[b"hunter22".to_vec(), b"O:tok".to_vec()]),
        "pw=<redacted> t=<redacted> ab"
    );
}

#[test]
fn the_wire_forms_name_their_encoding_and_hold_each_form_once() {
    let forms = wire_forms(PASSWORD.as_bytes());
    for encoding in [Encoding::AsSent, Encoding::JsonEscaped, Encoding::UrlEncoded, Encoding::Base64] {
        assert!(forms.iter().any(|(e, _)| *e == encoding), "{encoding:?}: {forms:?}");
    }
    let plain = wire_forms(b"alphanumeric123");
    assert!(!plain.iter().any(|(e, _)| matches!(e, Encoding::JsonEscaped | Encoding::UrlEncoded)), "{plain:?}");
    let unique: std::collections::HashSet<&Vec<u8>> = forms.iter().map(|(_, f)| f).collect();
    assert_eq!(unique.len(), forms.len());
}

#[test]
fn within_a_scope_raw_bytes_are_redacted_before_they_are_cut() {
    let body = format!("{}{PASSWORD}{}", "x".repeat(190), "y".repeat(50));
    let secret = [PASSWORD.as_bytes()];
    let outside = scoped(body.as_bytes()).into_owned();
    assert_eq!(outside, body.as_bytes(), "no scope, nothing redacted");
    let inside = within(&secret, || scoped(body.as_bytes()).into_owned());
    let inside = String::from_utf8(inside).unwrap();
    assert!(inside.contains(REDACTED) && !inside.contains("p\"a"), "{inside}");
    // A cut through the redacted text can only cut the marker, never the password.
    assert!(!inside[..200].contains("p\"a\\"), "{inside}");
    assert_eq!(redact_bytes(body.as_bytes(), &secret).as_ref(), inside.as_bytes());
}
