//! Calls of every formatter of the parameters fixture with hostile arguments, and
//! the text each must give, computed from the registry's parts and the format's
//! rules (errspec's `ParamType` docs), not from any target's output.

use errspec::{ParamType, Part, ViewEntry};

/// One argument value.
#[derive(Clone, Debug)]
pub enum Arg {
    Str(&'static str),
    Int(i64),
    Bool(bool),
    /// Whole milliseconds.
    DurationMs(u64),
}

/// Strings that break naive formatters: quotes, every language's interpolation
/// start, braces (the template's own syntax), comment ends, line breaks, the
/// empty string and text beyond ASCII.
pub const STRINGS: &[&str] = &[
    "q\"uote' $x ${x} \\(x) {w} {{ }} {0} */ /* `b` #{x} %s %d",
    "",
    "line1\nline2\r\nline3\ttab \\ back\\slash \u{2028}sep",
    "Kamera \u{201e}Vorne\u{201c} \u{1f3a5} \u{5b89}",
];
/// Within JavaScript's safe integers, so every target holds them exactly.
pub const INTS: &[i64] = &[-9_007_199_254_740_991, 0, 42, 9_007_199_254_740_991];
pub const BOOLS: &[bool] = &[true, false];
/// 0, sub-second, whole units of each size, and the registry's longest delay.
pub const DURATIONS_MS: &[u64] = &[0, 1, 1500, 2000, 90_000, 120_000, 7_200_000, 31_536_000_000];

/// One formatter call: the entry, and its arguments in declaration order.
#[derive(Clone, Debug)]
pub struct Call<'a> {
    pub entry: ViewEntry<'a>,
    pub args: Vec<(&'a str, ParamType, Arg)>,
    /// What the formatter must return.
    pub expected: String,
}

/// Several calls per entry with parameters, cycling through every value of each type.
pub fn calls<'a>(view: errspec::View<'a>) -> Vec<Call<'a>> {
    let mut out = Vec::new();
    for entry in view.entries() {
        if entry.entry.params.is_empty() {
            continue;
        }
        let rounds = STRINGS.len().max(INTS.len()).max(DURATIONS_MS.len());
        for k in 0..rounds {
            let args: Vec<(&str, ParamType, Arg)> = entry
                .entry
                .params
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let n = k + i;
                    let arg = match p.ty.value {
                        ParamType::String => Arg::Str(STRINGS[n % STRINGS.len()]),
                        ParamType::Int => Arg::Int(INTS[n % INTS.len()]),
                        ParamType::Bool => Arg::Bool(BOOLS[n % BOOLS.len()]),
                        ParamType::Duration => {
                            Arg::DurationMs(DURATIONS_MS[n % DURATIONS_MS.len()])
                        }
                    };
                    (p.name.value.as_str(), p.ty.value, arg)
                })
                .collect();
            let expected = expected(entry.message_parts, &args);
            out.push(Call {
                entry,
                args,
                expected,
            });
        }
    }
    out
}

/// The message with each argument written as the format says: text as it is,
/// integers in decimal, `true`/`false`, durations as the registry writes delays.
pub fn expected(parts: &[Part], args: &[(&str, ParamType, Arg)]) -> String {
    let mut s = String::new();
    for part in parts {
        match part {
            Part::Text(t) => s.push_str(t),
            Part::Param { name, .. } => {
                let (_, _, arg) = args
                    .iter()
                    .find(|(n, ..)| n == name)
                    .unwrap_or_else(|| panic!("no argument {name}"));
                match arg {
                    Arg::Str(v) => s.push_str(v),
                    Arg::Int(v) => s.push_str(&v.to_string()),
                    Arg::Bool(v) => s.push_str(if *v { "true" } else { "false" }),
                    Arg::DurationMs(v) => s.push_str(&errspec::format_duration_ms(i128::from(*v))),
                }
            }
        }
    }
    s
}

/// Checks a program's output (each result followed by a NUL) against the calls.
pub fn check_output(target: &str, calls: &[Call<'_>], stdout: &[u8]) {
    let text = String::from_utf8_lossy(stdout);
    let got: Vec<&str> = text.split('\0').collect();
    assert_eq!(
        got.len(),
        calls.len() + 1,
        "{target}: one NUL-terminated result per call:\n{text}"
    );
    for (call, got) in calls.iter().zip(&got) {
        assert_eq!(
            *got, call.expected,
            "{target}: {} with {:?}",
            call.entry.name.value, call.args
        );
    }
}
