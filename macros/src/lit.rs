//! The little of Rust's token grammar the arguments need: string literal values,
//! keywords, and the path of `pub(in path)`.

use proc_macro::{Span, TokenTree};

/// The value of a string literal token (`"..."` or `r#"..."#`, with no suffix);
/// `None` for any other token text.
pub fn string_value(token: &str) -> Option<String> {
    if let Some(raw) = token.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        let body = body.strip_suffix(&raw[..hashes])?.strip_suffix('"')?;
        return Some(body.to_owned());
    }
    let body = token.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            // The lexer turns a CRLF inside a literal into LF.
            if c != '\r' {
                out.push(c);
            }
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '\\' => out.push('\\'),
            '0' => out.push('\0'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&hex, 16).ok()?));
            }
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let end = rest.find('}')?;
                let code = u32::from_str_radix(&rest[..end].replace('_', ""), 16).ok()?;
                out.push(char::from_u32(code)?);
                chars = rest[end + 1..].chars();
            }
            // A line continuation: the newline and the next line's leading whitespace go.
            '\n' | '\r' => {
                let rest = chars.as_str().trim_start_matches([' ', '\t', '\n', '\r']);
                chars = rest.chars();
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Rust's keywords (strict and reserved), which syn's `Ident` refuses: the
/// Rust row's ([`errspec_rust::lang::KEYWORDS`]).
pub use errspec_rust::lang::is_keyword;

/// The path after `pub(in`, as text (`crate::a::b`): segments joined by `::`,
/// each an identifier or `crate`, `self`, `super`, `Self`. An error carries
/// the span of the offending token (`None`: the group ended).
pub fn mod_style_path(tokens: &[TokenTree]) -> Result<String, (Option<Span>, String)> {
    let mut out = String::new();
    let mut i = 0;
    let colons = |i: usize| {
        matches!((tokens.get(i), tokens.get(i + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
    };
    if colons(0) {
        out.push_str("::");
        i = 2;
    }
    loop {
        match tokens.get(i) {
            Some(TokenTree::Ident(id)) => {
                let name = id.to_string();
                if is_keyword(&name)
                    && !matches!(name.as_str(), "crate" | "self" | "super" | "Self")
                {
                    return Err((
                        Some(id.span()),
                        format!("expected identifier, found keyword `{name}`"),
                    ));
                }
                out.push_str(&name);
            }
            Some(tt) => return Err((Some(tt.span()), "expected identifier".to_owned())),
            None => {
                return Err((
                    None,
                    "unexpected end of input, expected identifier".to_owned(),
                ));
            }
        }
        i += 1;
        if colons(i) {
            out.push_str("::");
            i += 2;
        } else if let Some(tt) = tokens.get(i) {
            return Err((Some(tt.span()), "unexpected token".to_owned()));
        } else {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_values() {
        let cases = [
            (r#""errors/sdk.yaml""#, "errors/sdk.yaml"),
            (
                r#""a\"b\\c\n\t\0\x41\u{1F389}\u{2028}""#,
                "a\"b\\c\n\t\0A🎉\u{2028}",
            ),
            (r##"r#"raw \n "quoted""#"##, r#"raw \n "quoted""#),
            (r#"r"plain""#, "plain"),
            ("\"one \\\n    line\"", "one line"),
            ("\"é 中文\"", "é 中文"),
        ];
        for (token, value) in cases {
            assert_eq!(string_value(token).as_deref(), Some(value), "{token}");
        }
        for token in [
            r#"b"bytes""#,
            "42",
            "'c'",
            r#""bad \q""#,
            r#""suffix"x"#,
            "r#\"open\"",
        ] {
            assert_eq!(string_value(token), None, "{token}");
        }
    }

    #[test]
    fn keywords() {
        assert!(is_keyword("type") && is_keyword("Self") && is_keyword("crate"));
        assert!(!is_keyword("platform") && !is_keyword("serde") && !is_keyword("vis"));
    }
}
