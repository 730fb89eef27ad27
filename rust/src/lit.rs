//! Rust string literals for any text, and the width rustfmt measures them by.

use std::fmt::Write;

/// How one character is written inside a `"..."` literal: itself, or an escape.
enum Escaped {
    Plain(char),
    Short(&'static str),
    Unicode(u32),
}

fn escape(c: char) -> Escaped {
    match c {
        '"' => Escaped::Short("\\\""),
        '\\' => Escaped::Short("\\\\"),
        '\n' => Escaped::Short("\\n"),
        '\r' => Escaped::Short("\\r"),
        '\t' => Escaped::Short("\\t"),
        '\0' => Escaped::Short("\\0"),
        c if needs_unicode_escape(c) => Escaped::Unicode(u32::from(c)),
        c => Escaped::Plain(c),
    }
}

/// Characters written as `\u{..}`: controls (C0, DEL, C1), line and paragraph
/// separators, and invisible format characters. Bidirectional overrides in a
/// literal are denied by rustc (`text_direction_codepoint_in_literal`); the
/// others would be invisible or break lines in an editor.
fn needs_unicode_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Appends `text` as a Rust string literal, quotes included.
pub fn write_str_lit(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match escape(c) {
            Escaped::Plain(c) => out.push(c),
            Escaped::Short(s) => out.push_str(s),
            // Writing into a String cannot fail.
            Escaped::Unicode(u) => {
                let _ = write!(out, "\\u{{{u:x}}}");
            }
        }
    }
    out.push('"');
}

/// `text` as a Rust string literal.
pub fn str_lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_str_lit(&mut out, text);
    out
}

/// The columns the literal of `text` takes, quotes included, as rustfmt counts
/// them (East Asian wide characters and emoji take two columns).
pub fn str_lit_width(text: &str) -> usize {
    2 + text
        .chars()
        .map(|c| match escape(c) {
            Escaped::Plain(c) => char_width(c),
            Escaped::Short(s) => s.len(),
            Escaped::Unicode(u) => 4 + hex_digits(u),
        })
        .sum::<usize>()
}

/// The columns `text` (source text, escapes as written) takes.
pub fn text_width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().map(char_width).sum()
    }
}

fn hex_digits(u: u32) -> usize {
    (u.max(1).ilog2() / 4 + 1) as usize
}

/// Display width of a printable character (the `unicode-width` table rustfmt
/// uses, reduced to the blocks that are wide or zero-width).
fn char_width(c: char) -> usize {
    let u = u32::from(c);
    if u < 0x300 {
        return 1;
    }
    let zero = matches!(u, 0x300..=0x36F | 0x483..=0x489 | 0x591..=0x5BD | 0x610..=0x61A
        | 0x64B..=0x65F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0xE0100..=0xE01EF);
    if zero {
        return 0;
    }
    let wide = matches!(u, 0x1100..=0x115F | 0x231A..=0x231B | 0x2329..=0x232A
        | 0x23E9..=0x23EC | 0x23F0 | 0x23F3 | 0x25FD..=0x25FE | 0x2614..=0x2615
        | 0x2648..=0x2653 | 0x267F | 0x2693 | 0x26A1 | 0x26AA..=0x26AB | 0x26BD..=0x26BE
        | 0x26C4..=0x26C5 | 0x26CE | 0x26D4 | 0x26EA | 0x26F2..=0x26F3 | 0x26F5 | 0x26FA
        | 0x26FD | 0x2705 | 0x270A..=0x270B | 0x2728 | 0x274C | 0x274E | 0x2753..=0x2755
        | 0x2757 | 0x2795..=0x2797 | 0x27B0 | 0x27BF | 0x2B1B..=0x2B1C | 0x2B50 | 0x2B55
        | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x16FE0..=0x18CFF | 0x1B000..=0x1B2FF | 0x1F004 | 0x1F0CF | 0x1F18E
        | 0x1F191..=0x1F19A | 0x1F200..=0x1F251 | 0x1F260..=0x1F265 | 0x1F300..=0x1F320
        | 0x1F32D..=0x1F335 | 0x1F337..=0x1F37C | 0x1F37E..=0x1F393 | 0x1F3A0..=0x1F3CA
        | 0x1F3CF..=0x1F3D3 | 0x1F3E0..=0x1F3F0 | 0x1F3F4 | 0x1F3F8..=0x1F43E | 0x1F440
        | 0x1F442..=0x1F4FC | 0x1F4FF..=0x1F53D | 0x1F54B..=0x1F54E | 0x1F550..=0x1F567
        | 0x1F57A | 0x1F595..=0x1F596 | 0x1F5A4 | 0x1F5FB..=0x1F64F | 0x1F680..=0x1F6C5
        | 0x1F6CC | 0x1F6D0..=0x1F6D2 | 0x1F6D5..=0x1F6D7 | 0x1F6DC..=0x1F6DF
        | 0x1F6EB..=0x1F6EC | 0x1F6F4..=0x1F6FC | 0x1F7E0..=0x1F7EB | 0x1F7F0
        | 0x1F90C..=0x1F93A | 0x1F93C..=0x1F945 | 0x1F947..=0x1F9FF | 0x1FA70..=0x1FAFF
        | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_literal_cannot_hold() {
        assert_eq!(str_lit("plain"), r#""plain""#);
        assert_eq!(str_lit(r#"a "q" \ b"#), r#""a \"q\" \\ b""#);
        assert_eq!(str_lit("l1\nl2\r\n\tx\0"), r#""l1\nl2\r\n\tx\0""#);
        assert_eq!(
            str_lit("\u{1b}[0m\u{7f}\u{85}"),
            r#""\u{1b}[0m\u{7f}\u{85}""#
        );
        assert_eq!(str_lit("a\u{2028}b\u{2029}"), r#""a\u{2028}b\u{2029}""#);
        assert_eq!(
            str_lit("\u{202e}rtl\u{200f}\u{feff}"),
            r#""\u{202e}rtl\u{200f}\u{feff}""#
        );
        assert_eq!(str_lit("é 中文 🎉 */ /*"), "\"é 中文 🎉 */ /*\"");
        assert_eq!(str_lit("{}"), r#""{}""#);
    }

    #[test]
    fn widths_count_escapes_and_wide_characters() {
        for s in [
            "plain",
            "a \"q\" \\",
            "\n\r\t\0",
            "\u{1b}\u{2028}\u{feff}",
            "\u{85}",
        ] {
            assert_eq!(str_lit_width(s), str_lit(s).len(), "{s:?}");
        }
        assert_eq!(str_lit_width("中文"), 2 + 4);
        assert_eq!(str_lit_width("🎉é"), 2 + 3);
        assert_eq!(str_lit_width("e\u{301}"), 2 + 1);
    }
}
