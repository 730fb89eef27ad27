//! Deterministic synthetic registries, valid by construction, of any size.
//!
//! [`registry`] writes one catalog file (`synthetic`, Rust type `Synthetic`)
//! shaped like the shipped `sdk` catalog: names of four words such as
//! `START_CAMERA_TRACK_FAILED` (30 characters on average), one-line messages of
//! 33 to 117 characters (75 on average), folded multi-line triggers, ten categories with code
//! ranges and gaps between codes, two platforms with per-platform
//! availability and name/message overrides, aliases, deprecations, docs links
//! and every retry kind. About 527 bytes of YAML per entry (`sdk.yaml`: 497).
//!
//! The same `entries` always gives the same text: a tiny LCG seeded by the
//! entry's index drives every choice, so no randomness crate is needed and
//! benchmark runs compare like with like.
//!
//! This file depends on `std` only: the bench crate's build script includes it
//! with `#[path]` (a build script cannot depend on its own package).

use std::fmt::Write as _;

/// The catalog's name; its Rust type is `Synthetic`.
pub const CATALOG: &str = "synthetic";

/// Category ids and titles; entries are spread evenly over them, in this order.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("configuration", "Configuration and credentials"),
    ("signaling", "Signaling and session setup"),
    ("media_devices", "Media devices"),
    ("transport", "Network transport"),
    ("recording", "Recording"),
    ("streaming", "Livestream and HLS"),
    ("service_runtime", "Service runtime"),
    ("permissions", "Permissions and roles"),
    ("codecs", "Codecs and encoding"),
    ("quotas", "Quotas and limits"),
];

// Every name is ADJECTIVE_NOUN_NOUN_OUTCOME. Words are single capitalised
// tokens, so distinct word sequences give distinct Rust and Dart identifiers;
// `LEGACY`, `OLD` and `ERR` (aliases and platform names) are in no list.
const ADJECTIVES: &[&str] = &[
    "INVALID",
    "MISSING",
    "EXPIRED",
    "DUPLICATE",
    "UNSUPPORTED",
    "UNKNOWN",
    "START",
    "STOP",
    "PAUSE",
    "RESUME",
    "PUBLISH",
    "SUBSCRIBE",
    "CONNECT",
    "RECONNECT",
    "NEGOTIATE",
    "ACQUIRE",
    "RELEASE",
    "UPDATE",
    "FETCH",
    "UPLOAD",
    "MAX",
    "PREV",
    "REMOTE",
    "LOCAL",
];

const NOUNS: &[&str] = &[
    "MEDIA",
    "TRACK",
    "AUDIO",
    "VIDEO",
    "CAMERA",
    "MICROPHONE",
    "SCREEN",
    "SHARE",
    "RECORDING",
    "LIVESTREAM",
    "HLS",
    "MEETING",
    "ROOM",
    "PARTICIPANT",
    "PEER",
    "TOKEN",
    "API",
    "KEY",
    "SESSION",
    "SIGNALING",
    "SOCKET",
    "ICE",
    "CANDIDATE",
    "TURN",
    "STUN",
    "CODEC",
    "ENCODER",
    "DECODER",
    "BITRATE",
    "BANDWIDTH",
    "NETWORK",
    "DEVICE",
    "PERMISSION",
    "STREAM",
    "CHANNEL",
    "MESSAGE",
    "WEBHOOK",
    "REGION",
    "SERVER",
    "CLIENT",
    "TRANSPORT",
    "PRODUCER",
    "CONSUMER",
    "LAYER",
    "SIMULCAST",
    "RECORDER",
    "PLAYBACK",
    "BUFFER",
];

const OUTCOMES: &[&str] = &[
    "FAILED",
    "TIMEOUT",
    "REJECTED",
    "DENIED",
    "UNAVAILABLE",
    "EXCEEDED",
    "INTERRUPTED",
    "ABORTED",
    "CORRUPTED",
    "EXPIRED",
    "LOST",
    "BUSY",
    "CLOSED",
    "DROPPED",
    "STALLED",
    "MISMATCH",
    "OVERFLOW",
    "UNDERFLOW",
    "CONFLICT",
    "INVALID",
    "UNREACHABLE",
    "THROTTLED",
    "REVOKED",
    "BLOCKED",
];

const REASONS: &[&str] = &[
    "the device is busy or was unplugged",
    "the server did not answer in time",
    "the token does not grant this permission",
    "the remote peer closed the connection",
    "the account has reached its plan limit",
    "the browser blocked access to the device",
    "the request was malformed or incomplete",
    "another session holds the same resource",
    "the region is under maintenance",
    "the negotiated codec is not supported here",
    "the network dropped too many packets",
    "the configuration names an unknown option",
];

const ADVICE: &[&str] = &[
    "check the configuration and try again",
    "ask the user to grant access in the browser settings",
    "wait a moment before sending the request again",
    "fetch a fresh token from your token server",
    "contact support if it keeps happening",
    "lower the bitrate or the resolution",
];

const SENTENCES: &[&str] = &[
    "The SDK raises it on the meeting object and logs the server's reply.",
    "It usually follows a network change, such as moving from Wi-Fi to mobile data.",
    "Check the `code` rather than the message text, which may change between releases.",
    "On the web it is also reported when the tab loses access to the device.",
    "Nothing is retried automatically; the app decides what to show the user.",
    "The server includes the id of the affected participant when it knows it.",
    "Older SDK versions reported the same situation with a generic error.",
    "It can fire more than once while the condition lasts.",
];

const FIXES: &[&str] = &[
    "Ask the user to allow camera and microphone access, then join again.",
    "Fetch a fresh token from your token server and reconnect.",
    "Pass a configuration with every required field set, then retry.",
    "Close the other session that uses this participant id, then rejoin.",
    "Upgrade the plan or wait for the quota to reset, then retry.",
];

const AFTER: &[&str] = &["500ms", "1s", "5s", "30s", "2m", "1h"];
const BACKOFF_INITIAL: &[&str] = &["200ms", "1s", "3s"];
const BACKOFF_MAX: &[&str] = &["30s", "1m", "5m"];

/// A tiny linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    /// A generator for entry `index`, independent of the registry's size.
    fn for_entry(index: usize) -> Self {
        let mut g = Lcg((index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03);
        g.next();
        g.next();
        g
    }

    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The four words of entry `index`'s name: a permutation of the index over
/// every word combination, so names are unique and not in alphabetical order.
fn name_words(index: usize) -> [&'static str; 4] {
    let sizes = [ADJECTIVES.len(), NOUNS.len(), NOUNS.len(), OUTCOMES.len()];
    let combinations: usize = sizes.iter().product();
    assert!(
        index < combinations,
        "at most {combinations} synthetic names"
    );
    // 1_000_003 is coprime with 24 * 48 * 48 * 24 = 2^14 * 3^4, so this is a bijection.
    let mut p = ((index as u64 * 1_000_003 + 12_345) % combinations as u64) as usize;
    let mut digit = |size: usize| {
        let d = p % size;
        p /= size;
        d
    };
    let (a, n1, n2, o) = (
        digit(sizes[0]),
        digit(sizes[1]),
        digit(sizes[2]),
        digit(sizes[3]),
    );
    [ADJECTIVES[a], NOUNS[n1], NOUNS[n2], OUTCOMES[o]]
}

/// The canonical name of entry `index`, e.g. `START_CAMERA_TRACK_FAILED`.
pub fn name(index: usize) -> String {
    name_words(index).join("_")
}

fn lower(word: &str) -> String {
    word.to_ascii_lowercase()
}

/// A YAML scalar for a one-line text: plain when that is safe, else double-quoted.
fn scalar(text: &str) -> String {
    let plain = text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !text.contains(": ")
        && !text.contains(" #")
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ,.;()'`/-".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Text wrapped into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn message(g: &mut Lcg, words: &[&str; 4]) -> String {
    let (n1, n2) = (lower(words[1]), lower(words[2]));
    match g.below(4) {
        0 => format!(
            "The {n1} {n2} could not be used because {}.",
            g.pick(REASONS)
        ),
        1 => format!(
            "The {n1} {n2} reported {}: {}.",
            lower(words[3]).replace('_', " "),
            g.pick(REASONS)
        ),
        2 => format!(
            "The server rejected the request for the {n1} {n2}; {}.",
            g.pick(ADVICE)
        ),
        _ => format!("The {n1} {n2} stopped unexpectedly."),
    }
}

fn trigger(g: &mut Lcg, words: &[&str; 4]) -> String {
    let call = format!(
        "{}{}{}()",
        lower(words[0]),
        &words[1][..1],
        lower(&words[1][1..])
    );
    let mut text = format!(
        "Raised after `{call}` when the {} {} cannot continue because {}.",
        lower(words[1]),
        lower(words[2]),
        g.pick(REASONS)
    );
    for _ in 0..g.below(3) + 1 {
        text.push(' ');
        text.push_str(g.pick(SENTENCES));
    }
    text
}

fn retry(g: &mut Lcg, out: &mut String) {
    match g.below(100) {
        0..40 => out.push_str("    retry: never\n"),
        40..55 => {
            let _ = writeln!(out, "    retry: {{ after: {} }}", g.pick(AFTER));
        }
        55..75 => {
            let _ = writeln!(
                out,
                "    retry:\n      backoff: {{ initial: {}, max: {}, attempts: {} }}",
                g.pick(BACKOFF_INITIAL),
                g.pick(BACKOFF_MAX),
                3 + g.below(6)
            );
        }
        _ => {
            let _ = writeln!(out, "    retry:\n      fix: {}", scalar(g.pick(FIXES)));
        }
    }
}

/// Where the entry exists: `None` is every platform.
fn availability(index: usize, g: &mut Lcg) -> Option<&'static str> {
    // Entry 0 is everywhere, so that no platform is ever empty.
    match (index, g.below(100)) {
        (0, _) => None,
        (_, 0..8) => Some("web"),
        (_, 8..13) => Some("flutter"),
        _ => None,
    }
}

fn header(out: &mut String, entries: usize, width: u32) {
    let _ = write!(
        out,
        "# Synthetic registry for benchmarks: {entries} entries, generated by errspec-bench.\n\
         catalog:\n  name: {CATALOG}\n  title: Synthetic benchmark catalog\n  description: |\n    \
         Errors a real-time media SDK reports while a meeting is set up and running,\n    \
         generated for benchmarks with the shape of the shipped `sdk` catalog:\n    \
         categories, platform differences, aliases and every kind of retry hint.\n  \
         delivery: |\n    \
         The SDK raises an error event with the error's `code` and `message`.\n    \
         Match on the code rather than on the message text.\n  \
         platforms:\n    web:\n      title: React (web)\n      delivery: |\n        \
         Pass an `onError` callback to the `useMeeting` hook; it receives `{{ code, message }}`.\n    \
         flutter:\n      title: Flutter\n  categories:\n"
    );
    for (k, (id, title)) in CATEGORIES.iter().enumerate() {
        let from = (k as u32 + 1) * width;
        let _ = writeln!(
            out,
            "    {id}:\n      title: {title}\n      codes: {{ from: {from}, to: {} }}",
            from + width - 1
        );
    }
    out.push_str("\nerrors:\n");
}

/// The YAML text of a valid catalog of `entries` errors.
pub fn registry(entries: usize) -> String {
    let per_category = entries.div_ceil(CATEGORIES.len()).max(1);
    // Codes within a category: mostly consecutive, with a gap now and then.
    let mut offsets = Vec::with_capacity(entries);
    let mut offset = 0u32;
    for i in 0..entries {
        if i % per_category == 0 {
            offset = 0;
        }
        let mut g = Lcg::for_entry(i ^ 0x5A5A_5A5A);
        offset += if g.percent(15) {
            2 + g.below(4) as u32
        } else {
            1
        };
        offsets.push(offset);
    }
    let max_offset = offsets.iter().copied().max().unwrap_or(0);
    let width = (max_offset + 1).div_ceil(1000).max(1) * 1000;

    let mut out = String::with_capacity(entries * 480 + 2048);
    header(&mut out, entries, width);
    for (i, offset) in offsets.iter().enumerate() {
        let category = i / per_category;
        let code = (category as u32 + 1) * width + offset;
        let words = name_words(i);
        let name = words.join("_");
        let mut g = Lcg::for_entry(i);
        if i % per_category == 0 {
            let _ = writeln!(out, "\n  # --- {} ---", CATEGORIES[category].1);
        }
        let _ = writeln!(out, "\n  - code: {code}\n    name: {name}");
        let _ = writeln!(out, "    message: {}", scalar(&message(&mut g, &words)));
        out.push_str("    trigger: >-\n");
        for line in wrap(&trigger(&mut g, &words), 76) {
            let _ = writeln!(out, "      {line}");
        }
        retry(&mut g, &mut out);
        if g.percent(10) {
            let _ = writeln!(out, "    category: {}", CATEGORIES[category].0);
        }
        if g.percent(20) {
            let _ = writeln!(
                out,
                "    docs: https://docs.example.com/errors/{}",
                name.to_ascii_lowercase().replace('_', "-")
            );
        }
        match g.below(100) {
            0..4 => {
                let _ = writeln!(out, "    aliases: [LEGACY_{name}]");
            }
            4..5 => {
                let _ = writeln!(out, "    aliases: [LEGACY_{name}, OLD_{name}]");
            }
            _ => {}
        }
        if g.percent(2) {
            out.push_str(
                "    deprecated: Replaced by a more specific error; kept for older clients.\n",
            );
        }
        let only = availability(i, &mut g);
        if let Some(p) = only {
            let _ = writeln!(out, "    platforms: [{p}]");
        }
        let mut overrides = Vec::new();
        if only != Some("flutter") {
            let web_name = g.percent(3).then(|| format!("name: {name}_ERR"));
            let web_message = g
                .percent(4)
                .then(|| format!("message: {}", scalar(&message(&mut g, &words))));
            let parts: Vec<String> = web_name.into_iter().chain(web_message).collect();
            if !parts.is_empty() {
                overrides.push(format!("web: {{ {} }}", parts.join(", ")));
            }
        }
        if only != Some("web") && g.percent(2) {
            let text = scalar(&format!(
                "The {} {} failed on this device.",
                lower(words[1]),
                lower(words[2])
            ));
            overrides.push(format!("flutter: {{ message: {text} }}"));
        }
        if !overrides.is_empty() {
            out.push_str("    overrides:\n");
            for o in overrides {
                let _ = writeln!(out, "      {o}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_words() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000 {
            assert!(seen.insert(name(i)), "name {i} repeats");
        }
    }

    #[test]
    fn deterministic() {
        assert_eq!(registry(300), registry(300));
    }

    #[test]
    fn scalars_quote_when_needed() {
        assert_eq!(scalar("plain text, fine."), "plain text, fine.");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("`code` first"), "\"`code` first\"");
    }
}
