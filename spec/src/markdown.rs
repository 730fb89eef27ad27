//! Registry text made safe for the Markdown it lands in: the docs pages and rustdoc.
//!
//! Three kinds of place, three functions:
//! - [`plain`]: plain text (names, messages, titles, table cells) shown as itself;
//! - [`inline`]: registry Markdown inside a line (a fix hint after a label);
//! - [`block`]: registry Markdown as blocks of its own (triggers, descriptions,
//!   delivery), separated from what follows by a blank line.
//!
//! What they promise, read by a CommonMark + GFM parser: no raw HTML node
//! carries registry text (each `<` that would open one becomes `&lt;`, so the
//! tag shows as text, while `<` in code and autolinks stays as written); an
//! unclosed code fence is closed where it stands, inside its list item or
//! block quote; `inline` output is one line that cannot start a block or leave
//! a backtick open. Line endings become `\n` (CommonMark reads `\r` as one;
//! rustdoc refuses a bare CR in a block comment).
//!
//! Every function is linear in its input: a bounded number of parser passes
//! ([`MAX_PASSES`]), after which every `<` becomes `&lt;`.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Parser passes that neutralise HTML before the conservative fallback; real
/// text needs one or two (an HTML block, once neutralised, can reveal tags).
pub const MAX_PASSES: usize = 8;

/// CommonMark plus the GFM extensions docs hosts and rustdoc enable.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Plain text inside Markdown: every character that could start inline markup
/// or end a table cell is backslash-escaped, and so is a block marker at the
/// start, so the text renders as itself anywhere in a line; line breaks become
/// spaces because a table row is one line.
pub fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            c => out.push(c),
        }
    }
    escape_block_start(out)
}

/// A link whose text and destination are both `url`, as written: `<`, `>`,
/// entities and parentheses in the URL all survive as themselves.
pub fn link(url: &str) -> String {
    let escape = |s: &str, special: &[char]| {
        let mut out = String::with_capacity(s.len() + 4);
        for ch in s.chars() {
            if special.contains(&ch) {
                out.push('\\');
            }
            out.push(ch);
        }
        out
    };
    let text = escape(
        url,
        &['\\', '`', '*', '_', '[', ']', '<', '>', '&', '~', '|', '!'],
    );
    // A pointy destination: only these would end it or be decoded.
    let destination = escape(url, &['\\', '<', '>', '&']);
    format!("[{text}](<{destination}>)")
}

/// Registry Markdown kept as Markdown inside one line: line breaks become
/// spaces (as a reader sees them), raw HTML shows as text, a backtick run that
/// opens no code span is escaped so it cannot pair with text after it, `|` is
/// escaped outside code, and a block marker at the start is escaped.
pub fn inline(s: &str) -> String {
    let one_line: String = line_endings(s)
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    // Parsed after a word, as it stands in a line, so nothing reads as a block.
    const LEAD: &str = "a ";
    let mut text = format!("{LEAD}{one_line}");
    neutralise_html(&mut text);
    let text = escape_loose_text(&text);
    let body = text.strip_prefix(LEAD).unwrap_or(&text).to_owned();
    escape_block_start(body)
}

/// Registry Markdown as blocks of its own, with raw HTML shown as text and a
/// code fence left open closed at its place.
pub fn block(s: &str) -> String {
    let mut text = line_endings(s.trim_end());
    neutralise_html(&mut text);
    close_open_fence(&mut text);
    text
}

/// `\r\n` and a lone `\r` become `\n`.
fn line_endings(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_owned()
    }
}

/// Turns the `<` that opens each raw HTML node into `&lt;`, pass by pass until
/// the parser finds none; after [`MAX_PASSES`], every `<` (nested HTML blocks
/// reveal one level a pass, so this bounds the work on hostile input).
fn neutralise_html(text: &mut String) {
    for _ in 0..MAX_PASSES {
        let cuts = html_starts(text);
        if cuts.is_empty() {
            return;
        }
        *text = replace_at(text, &cuts);
    }
    if text.contains('<') {
        *text = text.replace('<', "&lt;");
    }
}

/// The offset of the first `<` of every HTML node: each inline tag, and the
/// first line of each HTML block (its other lines are re-read once it is text).
fn html_starts(text: &str) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut block_started = false;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => block_started = false,
            Event::Html(_) if block_started => {}
            Event::Html(_) | Event::InlineHtml(_) => {
                block_started = true;
                if let Some(i) = text[range.clone()].find('<') {
                    cuts.push(range.start + i);
                }
            }
            _ => {}
        }
    }
    cuts
}

/// `text` with the `<` at each offset (ascending) written as `&lt;`.
fn replace_at(text: &str, cuts: &[usize]) -> String {
    let mut out = String::with_capacity(text.len() + cuts.len() * 3);
    let mut copied = 0;
    for &i in cuts {
        out.push_str(&text[copied..i]);
        out.push_str("&lt;");
        copied = i + 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Escapes, in the text a reader sees (not in code, links' destinations or
/// autolinks), backtick runs and `|`, and a backslash that ends the text.
fn escape_loose_text(text: &str) -> String {
    let mut loose = vec![false; text.len()];
    let mut in_autolink = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => in_autolink += 1,
            Event::End(TagEnd::Link) if in_autolink > 0 => in_autolink -= 1,
            Event::Text(_) if in_autolink == 0 => loose[range].fill(true),
            _ => {}
        }
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut backslashes = 0usize;
    for (i, ch) in text.char_indices() {
        let escaped = backslashes % 2 == 1;
        if loose[i] && !escaped && matches!(ch, '`' | '|') {
            out.push('\\');
        }
        backslashes = if ch == '\\' { backslashes + 1 } else { 0 };
        out.push(ch);
    }
    // A backslash before the line ending would be a hard break.
    if backslashes % 2 == 1 {
        out.push('\\');
    }
    out
}

/// Escapes a marker at the start of a line of text that would open a block:
/// a heading, quote, list item, thematic break, setext underline, table,
/// fence or link reference definition.
fn escape_block_start(text: String) -> String {
    let Some(first) = text.chars().next() else {
        return text;
    };
    let rest = &text[first.len_utf8()..];
    let ends_marker = |s: &str| s.is_empty() || s.starts_with([' ', '\t']);
    let only = |c: char| text.chars().all(|x| x == c || x == ' ') && text.matches(c).count() >= 3;
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let at = match first {
        '#' | '>' | '|' => Some(0),
        '-' | '+' | '*' if ends_marker(rest) => Some(0),
        '-' | '*' | '_' | '=' if only(first) => Some(0),
        '`' | '~' if rest.starts_with([first; 2]) => Some(0),
        '[' if rest
            .split_once(']')
            .is_some_and(|(_, after)| after.starts_with(':')) =>
        {
            Some(0)
        }
        '0'..='9'
            if digits <= 9
                && text[digits..].starts_with(['.', ')'])
                && ends_marker(&text[digits + 1..]) =>
        {
            Some(digits)
        }
        _ => None,
    };
    match at {
        Some(i) => format!("{}\\{}", &text[..i], &text[i..]),
        None => text,
    }
}

/// Closes a fenced code block that runs to the end of the text, with a fence
/// of the same kind and length, behind the same list-item indentation and
/// block-quote markers as its opening line: a closer at column 0 would leave
/// the container and open a new fence that swallows the rest of the page.
fn close_open_fence(text: &mut String) {
    let mut quotes = 0usize;
    let mut open: Option<(usize, usize)> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => quotes += 1,
            Event::End(TagEnd::BlockQuote(_)) => quotes = quotes.saturating_sub(1),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) if range.end >= text.len() => {
                open = Some((range.start, quotes));
            }
            _ => {}
        }
    }
    let Some((start, quotes)) = open else {
        return;
    };
    let Some(fence_at) = text[start..]
        .find(['`', '~'])
        .map(|i| start + i)
        .filter(|&i| !text[start..i].contains('\n'))
    else {
        return;
    };
    let fence_char = text[fence_at..].chars().next().unwrap_or('`');
    let fence_len = text[fence_at..]
        .chars()
        .take_while(|&c| c == fence_char)
        .count();
    // Already closed: its last line is a fence of the same kind, at least as long.
    let block = &text[fence_at..];
    if let Some((_, last)) = block.rsplit_once('\n') {
        let last = if quotes > 0 {
            last.trim_start_matches([' ', '\t', '>'])
        } else {
            last.trim_start()
        };
        let run = last.chars().take_while(|&c| c == fence_char).count();
        if run >= fence_len && last[run..].trim().is_empty() {
            return;
        }
    }
    let line_start = text[..fence_at].rfind('\n').map_or(0, |i| i + 1);
    let prefix: String = text[line_start..fence_at]
        .chars()
        .map(|c| if matches!(c, '>' | '\t') { c } else { ' ' })
        .collect();
    let fence: String = std::iter::repeat_n(fence_char, fence_len).collect();
    text.push('\n');
    text.push_str(&prefix);
    text.push_str(&fence);
}

/// Markdown for rustdoc: code blocks rustdoc would compile and run as Rust
/// (indented, untagged, or tagged `rust`) become `text` blocks, so a snippet
/// in registry text never runs as a doctest. The new fence is longer than any
/// backtick run in the block, so a fence inside it cannot end it.
pub fn without_doctests(markdown: &str) -> String {
    let runs_as_rust = |kind: &CodeBlockKind<'_>| match kind {
        CodeBlockKind::Indented => true,
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .all(|t| {
                matches!(
                    t,
                    "rust" | "ignore" | "should_panic" | "no_run" | "compile_fail" | "test_harness"
                ) || t.starts_with("edition")
            }),
    };
    let mut out = String::with_capacity(markdown.len() + 16);
    let mut copied = 0;
    let mut events = Parser::new_ext(markdown, options()).into_offset_iter();
    while let Some((event, range)) = events.next() {
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            continue;
        };
        if !runs_as_rust(&kind) {
            continue;
        }
        let mut body = String::new();
        for (event, _) in events.by_ref() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        // Keep the block's indentation (it may sit in a list item); an
        // indented block's own four spaces are its syntax, not its place.
        let line_start = markdown[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let mut indent: String = markdown[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t' || *c == '>')
            .collect();
        if matches!(kind, CodeBlockKind::Indented) {
            indent.truncate(indent.len().saturating_sub(4));
        }
        let longest = longest_run(&body, '`');
        let fence = "`".repeat(longest.max(2) + 1);
        out.push_str(&markdown[copied..line_start]);
        out.push_str(&indent);
        out.push_str(&fence);
        out.push_str("text\n");
        for line in body.lines() {
            out.push_str(&indent);
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&indent);
        out.push_str(&fence);
        if markdown[..range.end].ends_with('\n') {
            out.push('\n');
        }
        copied = range.end;
    }
    out.push_str(&markdown[copied..]);
    out
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every raw HTML node of a Markdown text, as the parser reports it.
    fn html_nodes(markdown: &str) -> Vec<String> {
        Parser::new_ext(markdown, options())
            .filter_map(|e| match e {
                Event::Html(h) | Event::InlineHtml(h) => Some(h.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn plain_text_escapes_punctuation_pipes_and_block_starts() {
        assert_eq!(plain("A | B_C *d* <e>"), r"A \| B\_C \*d\* \<e\>");
        assert_eq!(plain("- x"), r"\- x");
        assert_eq!(plain("12. x"), r"12\. x");
        assert_eq!(plain("2.0.0"), "2.0.0");
        assert_eq!(plain("-1"), "-1");
        assert_eq!(plain("x - 1. y"), "x - 1. y");
    }

    #[test]
    fn block_html_shows_as_text_and_code_keeps_its_brackets() {
        let out = block("<b>x</b> `<i>` and\n\n<div>\nblock\n</div>");
        assert!(html_nodes(&out).is_empty(), "{out}");
        assert!(out.contains("`<i>`"), "{out}");
        assert!(out.starts_with("&lt;b>x&lt;/b>"), "{out}");
    }

    #[test]
    fn a_fence_left_open_is_closed_inside_its_container() {
        assert_eq!(block("```sh\nls"), "```sh\nls\n```");
        assert_eq!(
            block("- item\n\n  ```\n  code"),
            "- item\n\n  ```\n  code\n  ```"
        );
        assert_eq!(block("> ````\n> code"), "> ````\n> code\n> ````");
        assert_eq!(block("```\nclosed\n```\n"), "```\nclosed\n```");
    }

    #[test]
    fn inline_is_one_line_with_no_html_and_no_open_backticks() {
        assert_eq!(inline("    <script>x</script>"), "&lt;script>x&lt;/script>");
        assert_eq!(inline("```sh"), r"\`\`\`sh");
        assert_eq!(inline("run `a | b`\nthen | go"), r"run `a | b` then \| go");
        assert_eq!(inline("ends with \\"), r"ends with \\");
        assert_eq!(inline("<https://a.example/x|y>"), "<https://a.example/x|y>");
        assert_eq!(inline("- item"), r"\- item");
        assert_eq!(inline("[a]: http://x"), r"\[a]: http://x");
        assert_eq!(inline("[a](http://x) ok"), "[a](http://x) ok");
    }

    #[test]
    fn links_keep_their_url() {
        assert_eq!(
            link("https://a.example/x#y"),
            "[https://a.example/x#y](<https://a.example/x#y>)"
        );
        assert_eq!(
            link("https://a.example/<b>&amp;"),
            r"[https://a.example/\<b\>\&amp;](<https://a.example/\<b\>\&amp;>)"
        );
    }

    #[test]
    fn line_endings_become_newlines() {
        assert_eq!(block("a\rb\r\nc"), "a\nb\nc");
    }

    #[test]
    fn rust_code_blocks_become_text_with_a_fence_longer_than_any_inside() {
        assert_eq!(
            without_doctests("a\n\n    let x = 1;\n"),
            "a\n\n```text\nlet x = 1;\n```\n"
        );
        assert_eq!(
            without_doctests("```rust,no_run\nx\n```"),
            "```text\nx\n```"
        );
        let js = "```javascript\npc.close();\n```\n";
        assert_eq!(without_doctests(js), js);
        assert_eq!(
            without_doctests("````\n```\nfn f() {}\n```\n````\n"),
            "````text\n```\nfn f() {}\n```\n````\n"
        );
    }

    #[test]
    fn work_is_bounded_by_passes_not_by_tags() {
        // Nested HTML blocks reveal one level a pass: past the bound, every `<` goes.
        let nested = "<div>\n".repeat(MAX_PASSES * 4);
        let out = block(&nested);
        assert!(html_nodes(&out).is_empty());
        assert!(!out.contains('<'));
        // Many inline tags go in one pass.
        let tags = "<b>x</b> ".repeat(10_000);
        let out = block(&tags);
        assert!(html_nodes(&out).is_empty());
    }
}
