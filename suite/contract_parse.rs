//! How `docs/contract.md` is read into clauses: the one set of rules shared by `build.rs`, which
//! generates the `spec` consts from the document, and `tests/contract.rs`, which holds them to it.
//!
//! A clause is a heading `### <a id="anchor"></a> anchor (GRADE)` and the paragraph right after it,
//! the clause's `says` with a final period. The `##` section it sits in names its `spec` module
//! ([`SECTIONS`]); its const is the anchor without the section's prefix, upper-cased, unless the
//! heading ends in `<!-- const NAME -->`.

/// One `##` section of the document that holds clauses, and where they live in `spec`.
pub struct Section {
    /// The `##` heading's text.
    pub title: &'static str,
    /// The module under `spec` that holds the section's consts; empty for `spec` itself.
    pub module: &'static str,
    /// What the section's anchors start with: dropped from the const names.
    pub prefix: &'static str,
    /// Whether `spec::all()` lists the section (the response rules are held to every answer, no case
    /// cites them, so only `spec::rules::ALL` lists them).
    pub listed: bool,
}

/// Every section with clauses, in no particular order.
pub const SECTIONS: &[Section] = &[
    Section { title: "Documented rules and practice", module: "", prefix: "", listed: true },
    Section { title: "Open readings (outcome sets)", module: "open", prefix: "open-", listed: true },
    Section { title: "Generated expectations", module: "generated", prefix: "generated-", listed: true },
    Section { title: "The vendor clients' requests", module: "client_clauses", prefix: "clients-", listed: true },
    Section { title: "Response rules", module: "rules", prefix: "rule-", listed: false },
    Section {
        title: "What a success carries, and every route under every attack",
        module: "depth",
        prefix: "",
        listed: true,
    },
];

/// The grades as headings write them, with their `spec::Grade` variant.
pub const GRADES: &[(&str, &str)] =
    &[("MUST", "Must"), ("SHOULD", "Should"), ("OPEN", "Open"), ("SECURITY", "Security")];

/// One clause as the document writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub anchor: String,
    /// As the heading writes it: one of [`GRADES`]' words.
    pub grade: &'static str,
    /// The paragraph after the heading, its lines joined by one space, without its final period.
    pub says: String,
    /// The section's [`Section::module`].
    pub module: &'static str,
    /// The const's name in that module.
    pub name: String,
    /// Whether `spec::all()` lists it ([`Section::listed`]).
    pub listed: bool,
    /// The heading's line, counted from 1.
    pub line: usize,
}

/// Every clause of `text` in its order, or the first mistake as one line naming the document's line.
pub fn parse(text: &str) -> Result<Vec<Parsed>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut section: Option<(&str, Option<&'static Section>)> = None;
    let mut out: Vec<Parsed> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let at = |message: String| format!("docs/contract.md:{}: {message}", i + 1);
        if !(line.starts_with('#') && line.contains("<a id=\"")) {
            if let Some(title) = line.strip_prefix("## ") {
                section = Some((title.trim(), SECTIONS.iter().find(|s| s.title == title.trim())));
            }
            continue;
        }
        let (anchor, grade, name) = heading(line).map_err(at)?;
        let section = match section {
            Some((_, Some(s))) => s,
            Some((title, None)) => {
                return Err(at(format!("clause `{anchor}` is under `## {title}`, which names no spec module")));
            }
            None => return Err(at(format!("clause `{anchor}` comes before any `##` section"))),
        };
        if let Some(first) = out.iter().find(|c| c.anchor == anchor) {
            return Err(at(format!("anchor `{anchor}` already has a heading at line {}", first.line)));
        }
        let name = name.unwrap_or_else(|| const_name(anchor.strip_prefix(section.prefix).unwrap_or(&anchor)));
        if !name.starts_with(|c: char| c.is_ascii_uppercase())
            || !name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(at(format!("`{name}` is no const name: upper-case letters, digits and `_`")));
        }
        if name == "ALL" {
            return Err(at("`ALL` names the module's list, not a clause: give it `<!-- const NAME -->`".into()));
        }
        if let Some(first) = out.iter().find(|c| c.module == section.module && c.name == name) {
            return Err(at(format!("const `{name}` is also the clause at line {}", first.line)));
        }
        let says = paragraph(&lines[i + 1..]).ok_or_else(|| {
            at(format!(
                "heading `{anchor}` is not followed by its paragraph: the clause's sentence, ending in a period"
            ))
        })?;
        out.push(Parsed { anchor, grade, says, module: section.module, name, listed: section.listed, line: i + 1 });
    }
    Ok(out)
}

/// The anchor, grade and const name (when the heading gives one) of a clause heading.
fn heading(line: &str) -> Result<(String, &'static str, Option<String>), String> {
    let form = "a clause heading is `### <a id=\"anchor\"></a> anchor (GRADE)`";
    let rest = line.strip_prefix("### <a id=\"").ok_or(form)?;
    let (anchor, rest) = rest.split_once("\"></a> ").ok_or(form)?;
    if anchor.is_empty() || !anchor.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(format!("anchor `{anchor}` is not lower-case letters, digits and `-`"));
    }
    let (shown, rest) = rest.split_once(" (").unwrap_or((rest, ""));
    if shown != anchor {
        return Err(format!("heading shows `{shown}` but its anchor is `{anchor}`"));
    }
    let (word, rest) = rest.split_once(')').unwrap_or(("", ""));
    let Some(&(grade, _)) = GRADES.iter().find(|(g, _)| *g == word) else {
        return Err(format!("heading `{anchor}` has no grade: end it with (MUST), (SHOULD), (OPEN) or (SECURITY)"));
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok((anchor.to_string(), grade, None));
    }
    match rest.strip_prefix("<!-- const ").and_then(|r| r.strip_suffix(" -->")) {
        Some(name) => Ok((anchor.to_string(), grade, Some(name.trim().to_string()))),
        None => Err(format!("after `({grade})` a heading takes only `<!-- const NAME -->`, not `{rest}`")),
    }
}

/// The paragraph that opens `lines` (after blank lines): joined by single spaces, final period dropped.
fn paragraph(lines: &[&str]) -> Option<String> {
    let body = lines.iter().map(|l| l.trim()).skip_while(|l| l.is_empty());
    let block = body.take_while(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("- "));
    let joined = block.collect::<Vec<_>>().join(" ");
    joined.strip_suffix('.').filter(|s| !s.is_empty()).map(str::to_string)
}

/// `list-window` → `LIST_WINDOW`.
fn const_name(stem: &str) -> String {
    stem.to_ascii_uppercase().replace('-', "_")
}
