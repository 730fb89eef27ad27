//! What a scalar means: YAML 1.2 core scalars, `true`/`false` only as
//! booleans, integers up to 64 bits, the core tags honoured.

use std::borrow::Cow;

use errspec_yaml_parser::ScalarStyle;

use super::error::{Fail, Loc};
use super::tags::TagKind;
use super::tree::RawValue;

pub(super) fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

pub(super) fn is_null(tag: TagKind, value: &str, style: ScalarStyle) -> bool {
    tag == TagKind::Null
        || (!tag.is_core()
            && !tag.keeps_string()
            && !matches!(tag, TagKind::Binary | TagKind::Timestamp)
            && !tag.is_angle_or_time()
            && style == ScalarStyle::Plain
            && matches!(value, "" | "~" | "null" | "Null" | "NULL"))
}

/// What a scalar means: its tag if it has a core one, else (plain scalars
/// only) null, `true`/`false`, an integer of up to 64 bits, a float, or text.
pub(super) fn scalar(
    value: Cow<'_, str>,
    style: ScalarStyle,
    tag: TagKind,
    loc: Loc,
) -> Result<RawValue, Fail> {
    let invalid = |what: &str, tag: &str, help: &'static str| {
        Fail::unsupported(
            format!(
                "`{}` is not {what}, as its tag `{tag}` requires",
                shown(&value)
            ),
            help,
            loc,
        )
    };
    let not_int = || {
        invalid(
            "an integer of 64 bits",
            "!!int",
            "write a whole number (`42`, `-7`, `0x2A`), or remove the tag",
        )
    };
    match tag {
        TagKind::Null => return Ok(RawValue::Null),
        TagKind::Bool => {
            return boolean(&value).map(RawValue::Bool).ok_or_else(|| {
                invalid(
                    "a boolean",
                    "!!bool",
                    "write `true` or `false` (YAML 1.1's `yes`, `no`, `on` and `off` are text), or remove the tag",
                )
            });
        }
        TagKind::Int if trim(&value).starts_with('-') => {
            return signed(&value)
                .filter(|v| i64::try_from(*v).is_ok())
                .map(RawValue::Int)
                .ok_or_else(not_int);
        }
        TagKind::Int => {
            return unsigned(&value)
                .filter(|v| u64::try_from(*v).is_ok())
                .map(|v| RawValue::Int(v as i128))
                .ok_or_else(not_int);
        }
        TagKind::Float => {
            return float(&value).map(RawValue::Float).ok_or_else(|| {
                invalid(
                    "a number",
                    "!!float",
                    "write a number (`1.5`, `1e3`, `.inf`), or remove the tag",
                )
            });
        }
        _ => {}
    }
    if is_null(tag, &value, style) {
        return Ok(RawValue::Null);
    }
    if style != ScalarStyle::Plain
        || !tag.can_be_string()
        || tag == TagKind::Binary
        || tag.keeps_string()
    {
        if tag == TagKind::Binary {
            const PLAIN_TEXT: &str = "write the text itself and remove the `!!binary` tag";
            let bytes = base64(&value).ok_or_else(|| {
                Fail::unsupported("the `!!binary` value is not valid base64", PLAIN_TEXT, loc)
            })?;
            return String::from_utf8(bytes).map(RawValue::Str).map_err(|_| {
                Fail::unsupported(
                    "the `!!binary` value is not UTF-8 text once decoded, and errspec reads text",
                    PLAIN_TEXT,
                    loc,
                )
            });
        }
        if !tag.can_be_string() {
            return Err(Fail::unsupported(
                "a `!!timestamp` value is not read by errspec",
                "remove the tag: the date is then read as text",
                loc,
            ));
        }
        return Ok(RawValue::Str(value.into_owned()));
    }
    if let Some(b) = boolean(&value) {
        return Ok(RawValue::Bool(b));
    }
    let t = trim(&value);
    if t.starts_with('-') {
        if !leading_zero(t)
            && let Some(v) = signed(t).filter(|v| i64::try_from(*v).is_ok())
        {
            return Ok(RawValue::Int(v));
        }
    } else if let Some(v) = unsigned(t).filter(|v| u64::try_from(*v).is_ok()) {
        return Ok(RawValue::Int(v as i128));
    }
    if let Some(f) = float(&value) {
        return Ok(RawValue::Float(f));
    }
    Ok(RawValue::Str(value.into_owned()))
}

pub(super) fn boolean(s: &str) -> Option<bool> {
    match trim(s) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Digits in a radix, with single underscores between them.
pub(super) fn digits(s: &str, radix: u32) -> Option<u128> {
    let bytes = s.as_bytes();
    let mut value: u128 = 0;
    let mut any = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let between =
                i > 0 && bytes[i - 1] != b'_' && bytes.get(i + 1).is_some_and(|&n| n != b'_');
            if !between {
                return None;
            }
            continue;
        }
        let d = (b as char)
            .to_digit(16)
            .filter(|&d| d < radix && (radix > 10 || b.is_ascii_digit()))?;
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        any = true;
    }
    any.then_some(value)
}

/// `0x`, `0o`, `0b` or decimal (no leading zero).
pub(super) fn magnitude(rest: &str) -> Option<(u128, bool)> {
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(d) = rest.strip_prefix(prefix) {
            return digits(d, radix).map(|v| (v, false));
        }
    }
    if rest.starts_with('0') && rest != "0" {
        return None;
    }
    digits(rest, 10).map(|v| (v, true))
}

pub(super) fn unsigned(s: &str) -> Option<u128> {
    let t = trim(s);
    if t.starts_with('-') {
        return None;
    }
    magnitude(t.strip_prefix('+').unwrap_or(t)).map(|(v, _)| v)
}

pub(super) fn signed(s: &str) -> Option<i128> {
    let t = trim(s);
    let (negative, rest) = match t.strip_prefix('+') {
        Some(r) => (false, r),
        None => match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        },
    };
    let (v, _) = magnitude(rest)?;
    if negative {
        if v == i128::MAX as u128 + 1 {
            Some(i128::MIN)
        } else {
            i128::try_from(v).ok().map(|v| -v)
        }
    } else {
        i128::try_from(v).ok()
    }
}

pub(super) fn leading_zero(t: &str) -> bool {
    let d = t.strip_prefix(['+', '-']).unwrap_or(t);
    d.len() > 1 && d.starts_with('0') && d.bytes().all(|b| b.is_ascii_digit())
}

/// YAML 1.2 floats: `.inf`, `-.inf`, `.nan` in their three spellings, or what
/// Rust reads as a finite float; a number too large for `f64` is infinite.
pub(super) fn float(s: &str) -> Option<f64> {
    let t = trim(s);
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" => {
            return Some(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        _ => {}
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        Ok(v)
            if v.is_infinite()
                && t.trim_start_matches(['+', '-'])
                    .starts_with(|c: char| c.is_ascii_digit()) =>
        {
            Some(v)
        }
        _ => None,
    }
}

/// `!!binary`: base64 with optional whitespace, strictly padded.
pub(super) fn base64(s: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let sextet = |b: u8| -> Option<u32> {
        Some(u32::from(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let groups = clean.len() / 4;
    let mut out = Vec::with_capacity(groups * 3);
    for (i, group) in clean.chunks(4).enumerate() {
        let pad = group.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && i + 1 != groups) {
            return None;
        }
        let mut bits = 0u32;
        for (j, &b) in group.iter().enumerate() {
            let v = if j >= 4 - pad { 0 } else { sextet(b)? };
            bits = (bits << 6) | v;
        }
        if (pad == 2 && bits & 0xFFFF != 0) || (pad == 1 && bits & 0xFF != 0) {
            return None;
        }
        out.push((bits >> 16) as u8);
        if pad < 2 {
            out.push((bits >> 8) as u8);
        }
        if pad < 1 {
            out.push(bits as u8);
        }
    }
    Some(out)
}

/// A scalar as a message quotes it: at most 40 characters.
fn shown(value: &str) -> String {
    let t = trim(value);
    match t.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &t[..end]),
        None => t.to_owned(),
    }
}
