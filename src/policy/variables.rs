//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'none'}` and the escapes
//! `${*}`, `${?}`, `${$}` (IAM User Guide, "IAM policy elements: Variables and tags").
//!
//! Variables are only recognised in `Version: 2012-10-17` documents; in 2008-10-17 ones the
//! text stays literal. A variable takes the value of a single-valued request context key;
//! when the key is absent (or multivalued) the default is used, and without a default the
//! variable cannot be resolved — the caller then treats the `Resource` as matching nothing
//! and the condition value as matching no request value.

use super::context::{normalize_key, ContextValue, RequestContext};
use super::wildcard::{push_literal_elems, push_pattern_elems};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Policy text; `*` and `?` in it keep their wildcard meaning where the element has one.
    Text(Box<str>),
    /// `${*}`, `${?}`, `${$}`: the character itself, never a wildcard.
    Escape(char),
    Variable {
        /// Lowercased, for lookup.
        key: Box<str>,
        /// As written, for `GetContextKeysFor*Policy` and `MissingContextValues`.
        spelled: Box<str>,
        default: Option<Box<str>>,
    },
}

/// A policy string with at least one variable or escape in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
    /// Length of [`Template::literal_prefix`], computed once at parse time.
    prefix_len: usize,
}

impl Template {
    /// Splits `text` into pieces; `None` when it has no well-formed `${…}` (then the caller
    /// keeps the plain string and pays nothing at evaluation time).
    pub fn parse(text: &str) -> Option<Self> {
        let mut pieces = Vec::new();
        let mut rest = text;
        let mut pending = String::new();
        let mut found = false;
        while let Some(open) = rest.find("${") {
            let after = &rest[open + 2..];
            let Some(close) = after.find('}') else {
                break;
            };
            let Some(piece) = parse_inner(&after[..close]) else {
                // Not a variable: keep `${` as text and look further on.
                pending.push_str(&rest[..open + 2]);
                rest = after;
                continue;
            };
            pending.push_str(&rest[..open]);
            if !pending.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut pending).into()));
            }
            pieces.push(piece);
            found = true;
            rest = &after[close + 1..];
        }
        if !found {
            return None;
        }
        pending.push_str(rest);
        if !pending.is_empty() {
            pieces.push(Piece::Text(pending.into()));
        }
        let prefix_len = match pieces.first() {
            Some(Piece::Text(t)) => t.find(['*', '?']).unwrap_or(t.len()),
            _ => 0,
        };
        Some(Self { pieces, prefix_len })
    }

    /// The policy text before the first wildcard or variable: any text the resolved pattern
    /// can match must start with it, so callers reject most candidates without resolving.
    pub fn literal_prefix(&self) -> &str {
        match self.pieces.first() {
            Some(Piece::Text(t)) => t.get(..self.prefix_len).unwrap_or_default(),
            _ => "",
        }
    }

    /// The context keys the variables read, as written.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Variable { spelled, .. } => Some(&**spelled),
            _ => None,
        })
    }

    /// Resolves to plain text (for operators without wildcards). `Err` names the first key
    /// that could not be resolved.
    pub fn resolve_text<'t>(&'t self, ctx: &RequestContext) -> Result<String, &'t str> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Escape(c) => out.push(*c),
                Piece::Variable {
                    key,
                    spelled,
                    default,
                } => out.push_str(lookup(ctx, key, default.as_deref()).ok_or(&**spelled)?),
            }
        }
        Ok(out)
    }

    /// Resolves to wildcard pattern elements: policy text keeps `*`/`?` as wildcards,
    /// substituted values and escapes are literal.
    pub fn resolve_pattern<'t>(
        &'t self,
        ctx: &RequestContext,
        out: &mut Vec<u16>,
    ) -> Result<(), &'t str> {
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => push_pattern_elems(out, t),
                Piece::Escape(c) => {
                    let mut buf = [0u8; 4];
                    push_literal_elems(out, c.encode_utf8(&mut buf));
                }
                Piece::Variable {
                    key,
                    spelled,
                    default,
                } => {
                    push_literal_elems(out, lookup(ctx, key, default.as_deref()).ok_or(&**spelled)?)
                }
            }
        }
        Ok(())
    }
}

fn lookup<'a>(ctx: &'a RequestContext, key: &str, default: Option<&'a str>) -> Option<&'a str> {
    match ctx.get_normalized(key) {
        Some(ContextValue::Single(v)) => Some(v),
        // "You can use only single-valued context keys as policy variables."
        Some(ContextValue::List(_)) | None => default,
    }
}

/// Parses what is between `${` and `}`.
fn parse_inner(inner: &str) -> Option<Piece> {
    match inner {
        "*" => return Some(Piece::Escape('*')),
        "?" => return Some(Piece::Escape('?')),
        "$" => return Some(Piece::Escape('$')),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let quoted = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))?;
            (key.trim(), Some(quoted))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    Some(Piece::Variable {
        key: normalize_key(key).into(),
        spelled: key.into(),
        default: default.map(Into::into),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> RequestContext {
        RequestContext::new()
            .with("aws:username", "alice")
            .with("aws:PrincipalTag/Team", "blue")
            .with_list("aws:TagKeys", ["a"])
    }

    #[test]
    fn resolves_variables_defaults_and_escapes() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("home/${aws:username}/*", Ok("home/alice/*")),
            ("${aws:principaltag/team}", Ok("blue")),
            ("${aws:PrincipalTag/missing, 'none'}", Ok("none")),
            ("${aws:PrincipalTag/missing,'x y'}", Ok("x y")),
            ("a${*}b${?}c${$}d", Ok("a*b?c$d")),
            ("${aws:userid}", Err("aws:userid")),
            ("${aws:TagKeys}", Err("aws:TagKeys")),
            ("${aws:TagKeys, 'd'}", Ok("d")),
        ];
        for (text, expected) in cases {
            let template = Template::parse(text).expect(text);
            assert_eq!(
                template.resolve_text(&ctx()).as_deref(),
                expected.as_deref(),
                "{text}"
            );
        }
    }

    #[test]
    fn literal_prefix_stops_at_wildcards_and_variables() {
        let prefix = |t: &str| Template::parse(t).expect(t).literal_prefix().to_string();
        assert_eq!(
            prefix("arn:aws:s3:::b/${aws:username}/*"),
            "arn:aws:s3:::b/"
        );
        assert_eq!(prefix("arn:aws:s3:::b*/${aws:username}"), "arn:aws:s3:::b");
        assert_eq!(prefix("${aws:username}"), "");
    }

    #[test]
    fn plain_text_is_not_a_template() {
        for text in ["plain", "${", "${unclosed", "${a b}", "${x, nodefault}"] {
            assert!(Template::parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn substituted_values_are_literal_in_patterns() {
        let ctx = RequestContext::new().with("aws:username", "a*");
        let template = Template::parse("x/${aws:username}/*${*}").expect("template");
        let mut elems = Vec::new();
        template
            .resolve_pattern(&ctx, &mut elems)
            .expect("resolves");
        let wild: Vec<bool> = elems
            .iter()
            .map(|&e| e == super::super::wildcard::ELEM_STAR)
            .collect();
        // x / a * / * *  → only the policy's own `*` is a wildcard.
        assert_eq!(wild, [false, false, false, false, false, true, false]);
    }
}
