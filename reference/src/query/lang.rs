//! The runtime's query expression language, as `query.json` takes it: conditions `field OP ?` combined
//! with `and` (binding tighter) and `or`, grouped by parentheses. OP is one of `=`, `!=`, `<`, `<=`, `>`,
//! `>=`, `contains`, `starts with`, `in`, `not in`. This is only the syntax (built with winnow); what a
//! field or an argument means is bound against the model in `expr.rs`.

use winnow::ascii::{multispace0, multispace1, Caseless};
use winnow::combinator::{alt, cut_err, delimited, eof, not, preceded, repeat, terminated};
use winnow::error::{ContextError, StrContext, StrContextValue};
use winnow::token::{one_of, take_while};
use winnow::{LocatingSlice, ModalResult, Parser};

/// A comparison word of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Word {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    Contains,
    StartsWith,
    In,
    NotIn,
}

/// A parsed expression; `arg` numbers the `?` placeholders left to right from 0.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Syntax {
    Or(Vec<Syntax>),
    And(Vec<Syntax>),
    Cond { field: String, word: Word, arg: usize },
}

/// Where and why an expression does not parse: `at` counts characters from 0.
#[derive(Debug, PartialEq)]
pub(crate) struct SyntaxError {
    pub at: usize,
    pub expected: String,
}

type Input<'a> = LocatingSlice<&'a str>;

fn expected(what: &'static str) -> StrContext {
    StrContext::Expected(StrContextValue::Description(what))
}

/// A keyword as a whole word (`or` does not start `order`), either case.
fn keyword<'a>(word: &'static str) -> impl Parser<Input<'a>, (), winnow::error::ErrMode<ContextError>> {
    terminated(Caseless(word), not(one_of(|c: char| c.is_ascii_alphanumeric() || c == '_'))).void()
}

fn identifier(input: &mut Input<'_>) -> ModalResult<String> {
    (
        one_of(|c: char| c.is_ascii_alphabetic() || c == '_'),
        take_while(0.., |c: char| c.is_ascii_alphanumeric() || c == '_'),
    )
        .take()
        .map(str::to_string)
        .parse_next(input)
}

fn symbol(input: &mut Input<'_>) -> ModalResult<Word> {
    alt((
        ">=".value(Word::Gte),
        "<=".value(Word::Lte),
        "!=".value(Word::Ne),
        "==".value(Word::Eq),
        "=".value(Word::Eq),
        ">".value(Word::Gt),
        "<".value(Word::Lt),
    ))
    .parse_next(input)
}

fn named(input: &mut Input<'_>) -> ModalResult<Word> {
    alt((
        (keyword("starts"), multispace1, keyword("with")).value(Word::StartsWith),
        keyword("contains").value(Word::Contains),
        (keyword("not"), multispace1, keyword("in")).value(Word::NotIn),
        keyword("in").value(Word::In),
    ))
    .parse_next(input)
}

fn word(input: &mut Input<'_>) -> ModalResult<Word> {
    alt((symbol, named)).parse_next(input)
}

fn condition(input: &mut Input<'_>) -> ModalResult<Syntax> {
    let field = identifier.parse_next(input)?;
    let word = cut_err(preceded(multispace0, word))
        .context(expected("an operator (=, !=, <, <=, >, >=, contains, starts with, in, not in)"))
        .parse_next(input)?;
    cut_err(preceded(multispace0, '?')).context(expected("a `?` placeholder")).parse_next(input)?;
    Ok(Syntax::Cond { field, word, arg: 0 })
}

fn term(input: &mut Input<'_>) -> ModalResult<Syntax> {
    preceded(
        multispace0,
        alt((
            delimited('(', cut_err(or_expr), cut_err(preceded(multispace0, ')')).context(expected("`)`"))),
            condition,
        )),
    )
    .context(expected("a field name or `(`"))
    .parse_next(input)
}

/// `first (KEYWORD next)*`, flattened into one list when there is more than one.
fn chain(
    input: &mut Input<'_>,
    joiner: &'static str,
    next: fn(&mut Input<'_>) -> ModalResult<Syntax>,
    wrap: fn(Vec<Syntax>) -> Syntax,
) -> ModalResult<Syntax> {
    let first = next(input)?;
    let rest: Vec<Syntax> = repeat(0.., preceded((multispace0, keyword(joiner)), cut_err(next))).parse_next(input)?;
    if rest.is_empty() {
        return Ok(first);
    }
    Ok(wrap(std::iter::once(first).chain(rest).collect()))
}

fn and_expr(input: &mut Input<'_>) -> ModalResult<Syntax> {
    chain(input, "and", term, Syntax::And)
}

fn or_expr(input: &mut Input<'_>) -> ModalResult<Syntax> {
    chain(input, "or", and_expr, Syntax::Or)
}

fn whole(input: &mut Input<'_>) -> ModalResult<Syntax> {
    let tree = or_expr.parse_next(input)?;
    preceded(multispace0, eof).context(expected("`and`, `or`, `)` or the end of the expression")).parse_next(input)?;
    Ok(tree)
}

/// Numbers the placeholders in the order they appear.
fn number(tree: &mut Syntax, next: &mut usize) {
    match tree {
        Syntax::Or(items) | Syntax::And(items) => items.iter_mut().for_each(|t| number(t, next)),
        Syntax::Cond { arg, .. } => {
            *arg = *next;
            *next += 1;
        }
    }
}

/// Parses a non-empty expression; its placeholders are numbered, and the count is returned with it.
pub(crate) fn parse(expression: &str) -> Result<(Syntax, usize), SyntaxError> {
    match whole.parse(LocatingSlice::new(expression)) {
        Ok(mut tree) => {
            let mut count = 0;
            number(&mut tree, &mut count);
            Ok((tree, count))
        }
        Err(e) => {
            let at = expression.get(..e.offset()).map_or(0, |s| s.chars().count());
            let expected = e.inner().context().find_map(|c| match c {
                StrContext::Expected(StrContextValue::Description(d)) => Some(*d),
                _ => None,
            });
            Err(SyntaxError { at, expected: expected.unwrap_or("a condition `field operator ?`").to_string() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(field: &str, word: Word, arg: usize) -> Syntax {
        Syntax::Cond { field: field.into(), word, arg }
    }

    #[test]
    fn and_binds_tighter_than_or_and_parentheses_group() {
        let (tree, n) = parse("(name starts with ? and status = ?) or status = ?").unwrap();
        assert_eq!(n, 3);
        assert_eq!(
            tree,
            Syntax::Or(vec![
                Syntax::And(vec![cond("name", Word::StartsWith, 0), cond("status", Word::Eq, 1)]),
                cond("status", Word::Eq, 2),
            ])
        );
        let (tree, _) = parse("a = ? or b = ? and c = ?").unwrap();
        assert_eq!(
            tree,
            Syntax::Or(vec![cond("a", Word::Eq, 0), Syntax::And(vec![cond("b", Word::Eq, 1), cond("c", Word::Eq, 2)])])
        );
        assert_eq!(parse("((description = ?))").unwrap().0, cond("description", Word::Eq, 0));
    }

    #[test]
    fn every_operator_reads() {
        for (text, word) in [
            ("=", Word::Eq),
            ("==", Word::Eq),
            ("!=", Word::Ne),
            ("<", Word::Lt),
            ("<=", Word::Lte),
            (">", Word::Gt),
            (">=", Word::Gte),
            ("contains", Word::Contains),
            ("CONTAINS", Word::Contains),
            ("starts with", Word::StartsWith),
            ("starts  with", Word::StartsWith),
            ("in", Word::In),
            ("not in", Word::NotIn),
        ] {
            assert_eq!(parse(&format!("f {text} ?")).unwrap().0, cond("f", word, 0), "{text}");
        }
        assert_eq!(parse("f=?").unwrap().0, cond("f", Word::Eq, 0));
        assert_eq!(parse("order = ? OR x = ?").unwrap().1, 2, "`or` is a whole word");
    }

    #[test]
    fn malformed_expressions_say_where() {
        for (text, at) in [
            ("name = ", 7),
            ("name ~ ?", 5),
            ("name = 'a'", 7),
            ("(name = ?", 9),
            ("name = ? and", 12),
            ("name = ? nand x = ?", 9),
            ("= ?", 0),
            ("name = ? )", 9),
            ("name in", 7),
            ("starts with ?", 7),
        ] {
            let e = parse(text).expect_err(text);
            assert_eq!(e.at, at, "{text}: {e:?}");
            assert!(!e.expected.is_empty());
        }
    }
}
