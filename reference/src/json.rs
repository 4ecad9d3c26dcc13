//! A strict RFC 8259 JSON parser that keeps numbers as written.
//!
//! serde_json refuses `1e400` as a syntax error, but the contract calls an out-of-range number a bad
//! *value* (422), not a bad request (400); keeping the literal lets the field rules decide.

/// A parsed JSON document; objects keep their key order and never hold duplicate keys.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Nesting cap: deeper documents are refused instead of risking the stack.
const MAX_DEPTH: usize = 128;

impl Json {
    /// Look a key up in an object (None for non-objects), so callers need no pattern noise.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// An integer literal (no fraction, no exponent) that fits i64; `-0` is 0.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(raw) if !raw.contains(['.', 'e', 'E']) => raw.parse().ok(),
            _ => None,
        }
    }

    /// Any number literal whose value is a finite f64.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(raw) => raw.parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        }
    }
}

/// Parse a complete document: UTF-8, no BOM, no comments, no trailing commas or garbage.
pub fn parse(bytes: &[u8]) -> Result<Json, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "The body is not valid UTF-8.".to_string())?;
    let mut parser = Parser { bytes: text.as_bytes(), pos: 0 };
    parser.skip_ws();
    let value = parser.value(0)?;
    parser.skip_ws();
    if parser.pos != parser.bytes.len() {
        return Err(parser.fail("unexpected data after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn fail(&self, what: &str) -> String {
        format!("The body is not valid JSON: {what} at byte {}.", self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &[u8]) -> bool {
        if self.bytes.get(self.pos..self.pos + literal.len()) == Some(literal) {
            self.pos += literal.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nesting too deep"));
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ if self.eat(b"true") => Ok(Json::Bool(true)),
            _ if self.eat(b"false") => Ok(Json::Bool(false)),
            _ if self.eat(b"null") => Ok(Json::Null),
            _ => Err(self.fail("expected a value")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, String> {
        self.pos += 1;
        let mut entries: Vec<(String, Json)> = Vec::new();
        self.skip_ws();
        if self.eat(b"}") {
            return Ok(Json::Object(entries));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.fail("expected a string key"));
            }
            let key = self.string()?;
            if entries.iter().any(|(k, _)| *k == key) {
                // RFC 8259 leaves duplicates to the parser; refusing them keeps intent unambiguous.
                return Err(self.fail("duplicate key"));
            }
            self.skip_ws();
            if !self.eat(b":") {
                return Err(self.fail("expected ':'"));
            }
            self.skip_ws();
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.skip_ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"}") {
                return Ok(Json::Object(entries));
            }
            return Err(self.fail("expected ',' or '}'"));
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, String> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.eat(b"]") {
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"]") {
                return Ok(Json::Array(items));
            }
            return Err(self.fail("expected ',' or ']'"));
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.pos;
        self.eat(b"-");
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.fail("invalid number")),
        }
        if self.eat(b".") && self.digits() == 0 {
            return Err(self.fail("invalid number"));
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail("invalid number"));
            }
        }
        let raw = self.bytes.get(start..self.pos).unwrap_or_default();
        Ok(Json::Number(String::from_utf8_lossy(raw).into_owned()))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let chunk = self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.fail("bad \\u escape"))?;
        let text = std::str::from_utf8(chunk).map_err(|_| self.fail("bad \\u escape"))?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.fail("bad \\u escape"));
        }
        let code = u32::from_str_radix(text, 16).map_err(|_| self.fail("bad \\u escape"))?;
        self.pos += 4;
        Ok(code)
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            // The input is valid UTF-8 and runs stop only at ASCII bytes, so this slice is whole chars.
            let run = self.bytes.get(run_start..self.pos).unwrap_or_default();
            out.push_str(&String::from_utf8_lossy(run));
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = self.peek().ok_or_else(|| self.fail("unterminated string"))?;
                    self.pos += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(self.fail("bad escape")),
                    }
                }
                Some(_) => return Err(self.fail("control character in string")),
                None => return Err(self.fail("unterminated string")),
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !self.eat(b"\\u") {
                return Err(self.fail("lone surrogate"));
            }
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.fail("lone surrogate"));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.fail("lone surrogate"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_documents() {
        let doc = parse(br#" {"a": [1, -0, 1.5e3, "x\u00e9\ud83d\ude00", true, null]} "#).unwrap();
        let Some(Json::Array(items)) = doc.get("a") else { panic!("not an array") };
        assert_eq!(items[0].as_i64(), Some(1));
        assert_eq!(items[1].as_i64(), Some(0));
        assert_eq!(items[2].as_f64(), Some(1500.0));
        assert_eq!(items[2].as_i64(), None);
        assert_eq!(items[3].as_str(), Some("xé😀"));
    }

    #[test]
    fn out_of_range_numbers_parse_but_have_no_value() {
        let doc = parse(b"1e400").unwrap();
        assert_eq!(doc, Json::Number("1e400".into()));
        assert_eq!(doc.as_f64(), None);
        assert_eq!(doc.as_i64(), None);
        assert_eq!(parse(b"99999999999999999999").unwrap().as_i64(), None);
    }

    #[test]
    fn rejects_everything_rfc_8259_rejects() {
        let bad: &[&[u8]] = &[
            b"",
            b"NaN",
            b"{\"a\":NaN}",
            b"Infinity",
            b"[1,]",
            b"{\"a\":1,}",
            b"{\"a\":1} x",
            b"// c\n{}",
            b"/* c */{}",
            b"{'a':1}",
            b"\xEF\xBB\xBF{}",
            b"{\"a\":\"\xff\"}",
            b"01",
            b"1.",
            b".5",
            b"+1",
            b"-",
            b"1e",
            b"\"a\nb\"",
            b"\"\\x\"",
            b"\"\\ud800\"",
            b"{\"a\":1,\"a\":2}",
            b"{\"a\" 1}",
            b"[1 2]",
            b"tru",
            b"\"unterminated",
        ];
        for input in bad {
            assert!(parse(input).is_err(), "accepted {:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(deep.as_bytes()).is_err());
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(ok.as_bytes()).is_ok());
    }
}
