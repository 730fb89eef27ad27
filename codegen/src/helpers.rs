//! Escaping and formatting helpers for templates, one family per target language.
//!
//! Handlebars' HTML escaping is off (`no_escape`): every text goes through one
//! of these, chosen by the template for the place it writes to.

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};

/// Registers every helper on `hb`.
pub fn register(hb: &mut Handlebars<'_>) {
    hb.register_helper("ts_str", Box::new(text_helper(ts_string)));
    hb.register_helper("dart_str", Box::new(text_helper(dart_string)));
    hb.register_helper("md_cell", Box::new(text_helper(md_inline)));
    hb.register_helper("md_inline", Box::new(text_helper(md_inline)));
    hb.register_helper("md_text", Box::new(text_helper(md_text)));
    hb.register_helper("md_span", Box::new(text_helper(md_span)));
    hb.register_helper("md_link", Box::new(text_helper(md_link)));
    hb.register_helper("jsdoc", Box::new(doc_helper(jsdoc)));
    hb.register_helper("dartdoc", Box::new(doc_helper(dartdoc)));
}

/// A helper taking one string parameter; a missing or non-string parameter is an error, never "".
fn text_helper(
    f: fn(&str) -> String,
) -> impl Fn(
    &Helper<'_>,
    &Handlebars<'_>,
    &Context,
    &mut RenderContext<'_, '_>,
    &mut dyn Output,
) -> HelperResult
+ Send
+ Sync {
    move |h, _, _, _, out| {
        let text = string_param(h, 0)?;
        out.write(&f(text))?;
        Ok(())
    }
}

/// A doc-comment helper: `{{jsdoc text "  "}}` (the second parameter is the indentation).
fn doc_helper(
    f: fn(&str, &str) -> String,
) -> impl Fn(
    &Helper<'_>,
    &Handlebars<'_>,
    &Context,
    &mut RenderContext<'_, '_>,
    &mut dyn Output,
) -> HelperResult
+ Send
+ Sync {
    move |h, _, _, _, out| {
        let text = string_param(h, 0)?;
        let indent = match h.param(1) {
            None => "",
            Some(_) => string_param(h, 1)?,
        };
        out.write(&f(text, indent))?;
        Ok(())
    }
}

fn string_param<'a>(h: &'a Helper<'_>, i: usize) -> Result<&'a str, RenderErrorReason> {
    let p = h.param(i).ok_or_else(|| {
        RenderErrorReason::Other(format!("helper `{}` needs parameter {}", h.name(), i + 1))
    })?;
    p.value().as_str().ok_or_else(|| {
        RenderErrorReason::Other(format!(
            "helper `{}` needs a string as parameter {}, got `{}` = {}",
            h.name(),
            i + 1,
            p.relative_path().map_or("?", |s| s.as_str()),
            p.value()
        ))
    })
}

/// A TypeScript/JavaScript string literal in double quotes (JSON is a subset of JS).
pub fn ts_string(s: &str) -> String {
    // serde_json escapes quotes, backslashes and control characters; U+2028/9
    // are legal in string literals since ES2019 but are escaped for older tools.
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A Dart string literal in single quotes: `$` never interpolates.
pub fn dart_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Plain text inside Markdown (a table cell, a heading), shown as itself.
pub fn md_inline(s: &str) -> String {
    errspec::markdown::plain(s)
}

/// Markdown written by registry authors (triggers, descriptions) as blocks of
/// their own: kept as Markdown, raw HTML shown as text, open fences closed.
pub fn md_text(s: &str) -> String {
    errspec::markdown::block(s)
}

/// Registry Markdown inside a line (a fix hint after a label).
pub fn md_span(s: &str) -> String {
    errspec::markdown::inline(s)
}

/// A link to `url` whose text is the URL.
pub fn md_link(s: &str) -> String {
    errspec::markdown::link(s)
}

/// Lines of a text, broken at `\n`, `\r\n` and a lone `\r` (a comment line ends at each).
fn doc_lines(s: &str) -> impl Iterator<Item = &str> {
    s.split("\r\n").flat_map(|l| l.split(['\n', '\r']))
}

/// Lines of a JSDoc block body: ` * line`, with `*/` broken so it cannot end the comment.
pub fn jsdoc(s: &str, indent: &str) -> String {
    doc_lines(s)
        .map(|l| {
            let mut l = l.replace("*/", "*\\/");
            // A line starting with `@` would read as a JSDoc tag.
            if l.trim_start().starts_with('@') {
                l = l.replacen('@', "\\@", 1);
            }
            if l.is_empty() {
                format!("{indent} *")
            } else {
                format!("{indent} * {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines of a Dart doc comment: `/// line`.
pub fn dartdoc(s: &str, indent: &str) -> String {
    doc_lines(s)
        .map(|l| {
            // tree-sitter-dart reads `/*` in a `///` line as a block comment
            // that swallows the lines after it; `\*` renders as `*` in dartdoc.
            let l = l.replace("/*", "/\\*");
            if l.is_empty() {
                format!("{indent}///")
            } else {
                format!("{indent}/// {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dart_strings_never_interpolate() {
        assert_eq!(dart_string("a $x ${y} 'q' \\"), r"'a \$x \${y} \'q\' \\'");
        assert_eq!(dart_string("line\nnext\u{7}"), r"'line\nnext\u{7}'");
    }

    #[test]
    fn ts_strings_are_json() {
        assert_eq!(ts_string("a \"b\" ${c} `d`"), r#""a \"b\" ${c} `d`""#);
        assert_eq!(ts_string("\u{2028}"), r#""\u2028""#);
    }

    #[test]
    fn markdown_inline_escapes_punctuation_and_pipes() {
        assert_eq!(md_inline("A | B_C *d* <e>"), r"A \| B\_C \*d\* \<e\>");
    }

    #[test]
    fn doc_comments_cannot_be_closed_early() {
        assert_eq!(jsdoc("a */ b\n\nc", "  "), "   * a *\\/ b\n   *\n   * c");
        assert_eq!(dartdoc("a\nb", ""), "/// a\n/// b");
        assert_eq!(dartdoc("a /* b", ""), "/// a /\\* b");
    }
}
