//! The Rust code of an errspec catalog, as formatted source text.
//!
//! This is the expansion of `errspec_macros::catalog!`; it lives in a library
//! (a proc-macro crate can export only macros) so that `codegen` writes exactly
//! the same code into `generated/rust`.
//!
//! For a catalog `sdk` the expansion is:
//! - `enum Sdk`: one fieldless variant per entry (UpperCamelCase), with the
//!   code as explicit discriminant under the smallest `#[repr]` that holds every
//!   code (code-keyed catalogs only); `Copy`, `Eq`, `Hash`, `Ord`, `Debug`;
//! - `enum SdkRetry`: the retry hint as a value (`Never`, `After`, `Backoff`,
//!   `AfterFix`), named after the catalog so that two catalogs can share a module;
//! - `struct SdkUnknownName`: the error of `FromStr`;
//! - methods `code`, `name`, `message`, `trigger`, `retry`, `docs`,
//!   `deprecation`, `from_code`, `from_name`, `all()` (every entry), `TryFrom<u32>`,
//!   `FromStr`, `Display` (the message), `Debug` (the variant) and `std::error::Error`;
//! - `#[deprecated]` associated consts for aliases and `#[deprecated]` on
//!   deprecated entries; rustdoc on every item.
//! - where entries have message parameters, `enum SdkArgs<'a>`: one variant per
//!   such entry with its arguments as fields (strings borrowed), `error()`, and a
//!   `Display` that writes the message with them without allocating.
//!
//! The code needs nothing but `core`/`std` (and the caller's `::serde` when asked).
//!
//! Its compile time grows linearly with the catalog, as protoc's output does: every
//! accessor reads a flat `static` array by the entry's row (registry order); a row is
//! found from a code or a name through an open-addressing hash table written here
//! (`row_of_code_`, `from_name`), and an entry from a row through one small `match` per
//! 64 rows (`from_row_`, naming variants `Ty::X`). No `match` on the enum has one arm
//! per entry, no `const` holds the variants, and `Debug` is not derived: rustc checks a
//! `match` in more than linear time in its arms, const-evaluates an array of N variants
//! in N² steps, and looks each `Self::X` up among the variants one by one (BENCHMARKS.md,
//! section 9). `SdkArgs` keeps its two matches (`error`, `Display`), one arm per entry
//! with parameters.
//!
//! [`emit`] writes the text directly, laid out as rustfmt (edition 2024, default
//! configuration) lays it out, so `codegen` writes it as it is and the macro
//! parses it with `proc_macro`; no syntax tree is built on either path.

use std::fmt::Write;

use errspec::{Catalog, Entry, KeyedBy, ParamType, Part, RetryHint, View};
use errspec_markdown as markdown;

pub mod lang;
mod lit;

pub use lang::{language, variant};

pub use lit::{str_lit, str_lit_width, write_str_lit};

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `fn_call_width` and `array_width` (`use_small_heuristics = "Default"`).
const LIST_WIDTH: usize = 60;

/// How to emit a catalog.
#[derive(Clone, Debug)]
pub struct Options {
    /// The platform whose view to use; `None` for the canonical names and every entry.
    pub platform: Option<String>,
    /// Visibility of every emitted item as Rust source, e.g. `pub` or `pub(crate)`.
    pub visibility: String,
    /// Emit `::serde::Serialize`/`Deserialize` (the code for code-keyed catalogs, the name otherwise).
    pub serde: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            platform: None,
            visibility: "pub".to_owned(),
            serde: false,
        }
    }
}

/// Why a catalog cannot be emitted with the given options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmitError {
    /// The catalog does not serve the requested platform.
    UnknownPlatform {
        requested: String,
        available: Vec<String>,
    },
}

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EmitError::UnknownPlatform {
                requested,
                available,
            } if available.is_empty() => ::core::write!(
                f,
                "the catalog has no platforms, so there is no `{requested}` view; remove the `platform` argument"
            ),
            EmitError::UnknownPlatform {
                requested,
                available,
            } => ::core::write!(
                f,
                "the catalog has no platform `{requested}`; it has {}",
                available
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl std::error::Error for EmitError {}

/// The name of the enum emitted for a catalog (`sdk` → `Sdk`, `http_status` → `HttpStatus`).
pub fn type_name(catalog: &Catalog) -> String {
    variant(&catalog.name.value)
}

/// Emits the code of one catalog as Rust source, formatted as rustfmt would.
pub fn emit(catalog: &Catalog, options: &Options) -> Result<String, EmitError> {
    let mut out = String::new();
    emit_into(&mut out, catalog, options)?;
    Ok(out)
}

/// Appends the code of one catalog to `out` (see [`emit`]).
pub fn emit_into(out: &mut String, catalog: &Catalog, options: &Options) -> Result<(), EmitError> {
    let view = match &options.platform {
        None => catalog.canonical_view(),
        Some(p) => catalog.view(p).ok_or_else(|| EmitError::UnknownPlatform {
            requested: p.clone(),
            available: catalog
                .platforms
                .iter()
                .map(|p| p.id.value.clone())
                .collect(),
        })?,
    };
    let emitter = Emitter::new(view, options);
    // Roughly the size of the output, so the buffer grows once or twice.
    out.reserve(8192 + emitter.variants.len() * 1800);
    emitter.catalog(out);
    Ok(())
}

struct Variant<'a> {
    entry: &'a Entry,
    ident: String,
    name: &'a str,
    message: &'a str,
    /// The message in this view, in parts (see `Entry::message_parts`).
    parts: &'a [Part],
    /// Every name `from_name` accepts for it (see `ViewEntry::accepted_names`).
    accepted: Vec<&'a str>,
}

struct Emitter<'a> {
    view: View<'a>,
    vis: &'a str,
    serde: bool,
    ty: String,
    retry_ty: String,
    /// `<retry_ty>::After` and `<retry_ty>::AfterFix`, the callees of retry arms.
    retry_after_ty: String,
    retry_fix_ty: String,
    unknown_ty: String,
    /// `<ty>Error`: an error as received, known or not.
    error_ty: String,
    /// `<ty>Args`: the arguments of the messages with parameters.
    args_ty: String,
    variants: Vec<Variant<'a>>,
}

/// A match arm's body, by how rustfmt may break it.
enum Body<'t> {
    /// Cannot break: a literal or a path.
    Atom(&'t str),
    /// `callee(arg)` with one argument that does not break.
    Call(&'t str, &'t str),
    /// `retry_ty::Backoff { .. }`: always one field a line (wider than `struct_lit_width`).
    Backoff {
        retry_ty: &'t str,
        initial: &'t str,
        max: &'t str,
        attempts: &'t str,
    },
}

/// Columns of `s` as rustfmt counts them.
fn width(s: &str) -> usize {
    lit::text_width(s)
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// One match arm at `ind` columns: `pats` (joined by `|`) `=>` `body`, laid out as rustfmt does.
/// Each pattern is given with its width.
fn arm(out: &mut String, ind: usize, pats: &[(&str, usize)], body: Body<'_>) {
    let pats_width: usize = pats.iter().map(|p| p.1).sum::<usize>() + 3 * (pats.len() - 1);
    indent(out, ind);
    // rustfmt keeps the patterns on one line when they and ` => {` fit.
    let mut col = if ind + pats_width + 5 <= MAX_WIDTH || pats.len() == 1 {
        for (i, (p, _)) in pats.iter().enumerate() {
            if i > 0 {
                out.push_str(" | ");
            }
            out.push_str(p);
        }
        ind + pats_width
    } else {
        for (i, (p, _)) in pats.iter().enumerate() {
            if i > 0 {
                out.push('\n');
                indent(out, ind);
                out.push_str("| ");
            }
            out.push_str(p);
        }
        ind + 2 + pats.last().map_or(0, |p| p.1)
    };
    out.push_str(" => ");
    col += 4;
    match body {
        Body::Atom(a) => {
            if col + width(a) < MAX_WIDTH {
                out.push_str(a);
                out.push_str(",\n");
            } else {
                block(out, ind, a);
            }
        }
        Body::Call(callee, arg) => {
            let (c, a) = (width(callee), width(arg));
            if a <= LIST_WIDTH && col + c + a + 2 < MAX_WIDTH {
                let _ = writeln!(out, "{callee}({arg}),");
            } else if (a <= LIST_WIDTH && ind + 4 + c + a + 2 <= MAX_WIDTH)
                || col + c + 1 > MAX_WIDTH
            {
                // On its own line in a block: whole, or broken there if it must be.
                out.push_str("{\n");
                indent(out, ind + 4);
                call(out, ind + 4, callee, arg);
                out.push('\n');
                indent(out, ind);
                out.push_str("}\n");
            } else {
                let _ = writeln!(out, "{callee}(");
                indent(out, ind + 4);
                let _ = writeln!(out, "{arg},");
                indent(out, ind);
                out.push_str("),\n");
            }
        }
        Body::Backoff {
            retry_ty,
            initial,
            max,
            attempts,
        } => {
            if col + width(retry_ty) + "::Backoff {".len() <= MAX_WIDTH {
                backoff(out, ind, retry_ty, initial, max, attempts);
                out.push_str(",\n");
            } else {
                out.push_str("{\n");
                indent(out, ind + 4);
                backoff(out, ind + 4, retry_ty, initial, max, attempts);
                out.push('\n');
                indent(out, ind);
                out.push_str("}\n");
            }
        }
    }
}

/// A function's signature at column `ind` up to its `{`: on one line, or one
/// parameter a line, as rustfmt lays it out.
fn sig(out: &mut String, ind: usize, head: &str, params: &[&str], ret: &str) {
    let list = params.join(", ");
    indent(out, ind);
    if ind + head.len() + list.len() + ret.len() + 8 <= MAX_WIDTH {
        let _ = writeln!(out, "{head}({list}) -> {ret} {{");
    } else {
        let _ = writeln!(out, "{head}(");
        for p in params {
            indent(out, ind + 4);
            let _ = writeln!(out, "{p},");
        }
        indent(out, ind);
        let _ = writeln!(out, ") -> {ret} {{");
    }
}

/// `callee(arg)` starting at column `ind`: on one line, or with the argument on its own.
fn call(out: &mut String, ind: usize, callee: &str, arg: &str) {
    let (c, a) = (width(callee), width(arg));
    if a <= LIST_WIDTH && ind + c + a + 2 <= MAX_WIDTH {
        let _ = write!(out, "{callee}({arg})");
    } else {
        let _ = writeln!(out, "{callee}(");
        indent(out, ind + 4);
        let _ = writeln!(out, "{arg},");
        indent(out, ind);
        out.push(')');
    }
}

/// `callee(arg)` then `end` (`?;` or nothing) as a statement at column `ind`,
/// broken as rustfmt breaks a call whose argument is long.
fn statement(out: &mut String, ind: usize, callee: &str, arg: &str, end: &str) {
    let (c, a) = (width(callee), width(arg));
    indent(out, ind);
    if a <= LIST_WIDTH && ind + c + a + 2 + end.len() <= MAX_WIDTH {
        let _ = writeln!(out, "{callee}({arg}){end}");
    } else {
        let _ = writeln!(out, "{callee}(");
        indent(out, ind + 4);
        let _ = writeln!(out, "{arg},");
        indent(out, ind);
        let _ = writeln!(out, "){end}");
    }
}

/// A message's parts as the registry template: `{name}` for parameters, braces doubled.
fn template_text(parts: &[Part]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Text(t) => s.push_str(&t.replace('{', "{{").replace('}', "}}")),
            Part::Param { name, .. } => {
                s.push('{');
                s.push_str(name);
                s.push('}');
            }
        }
    }
    s
}

/// `retry_ty::Backoff { .. }`, one field a line, its first line already indented to `ind`.
fn backoff(out: &mut String, ind: usize, retry_ty: &str, initial: &str, max: &str, attempts: &str) {
    let _ = writeln!(out, "{retry_ty}::Backoff {{");
    indent(out, ind + 4);
    let _ = writeln!(
        out,
        "initial: ::core::time::Duration::from_millis({initial}),"
    );
    indent(out, ind + 4);
    let _ = writeln!(out, "max: ::core::time::Duration::from_millis({max}),");
    indent(out, ind + 4);
    let _ = writeln!(out, "max_attempts: {attempts},");
    indent(out, ind);
    out.push('}');
}

/// rustfmt's `array_width`: an array on one line is at most this wide.
const ARRAY_WIDTH: usize = 60;
/// Rows a function of `from_row_` maps to entries.
const ROW_GROUP: usize = 64;
/// rustfmt's `short_array_element_width_threshold`: literals up to this long fill lines.
const SHORT_ITEM: usize = 10;

/// A string literal as an array item: its text and width.
fn lit_item(text: &str) -> (String, usize) {
    (str_lit(text), str_lit_width(text))
}

/// `static NAME: [&str; LEN] = [..];`, see [`array`].
fn str_array(out: &mut String, ind: usize, name: &str, items: &[(String, usize)]) {
    array(out, ind, name, "&str", items, true);
}

/// `static NAME: [TY; LEN] = [..];` of integers, see [`array`].
fn int_array(out: &mut String, ind: usize, name: &str, ty: &str, values: &[u32]) {
    let items: Vec<(String, usize)> = values
        .iter()
        .map(|v| {
            let t = v.to_string();
            let w = t.len();
            (t, w)
        })
        .collect();
    array(out, ind, name, ty, &items, true);
}

/// `static NAME: [TY; LEN] = [..];` at column `ind`, laid out as rustfmt lays out an array:
/// on one line when it fits in `array_width` (after `=`, or on the next line; a single item
/// only has to fit in the line); else, when
/// every item is a literal (`literals`) of at most `SHORT_ITEM` bytes, lines filled with
/// items; else one item a line. Items are given with their widths and never break.
fn array(
    out: &mut String,
    ind: usize,
    name: &str,
    ty: &str,
    items: &[(String, usize)],
    literals: bool,
) {
    let head = format!("static {name}: [{ty}; {}] =", items.len());
    let one_line: usize =
        items.iter().map(|i| i.1).sum::<usize>() + 2 * items.len().saturating_sub(1);
    let list = |out: &mut String| {
        for (i, (t, _)) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(t);
        }
    };
    // `array_width` does not bound a single item, only the line does.
    let fits = one_line <= ARRAY_WIDTH || items.len() == 1;
    indent(out, ind);
    out.push_str(&head);
    if fits && ind + head.len() + 2 + one_line + 2 <= MAX_WIDTH {
        out.push_str(" [");
        list(out);
        out.push_str("];\n");
        return;
    }
    if fits && ind + 4 + 1 + one_line + 2 <= MAX_WIDTH {
        out.push('\n');
        indent(out, ind + 4);
        out.push('[');
        list(out);
        out.push_str("];\n");
        return;
    }
    out.push_str(" [\n");
    if literals && items.iter().all(|i| i.0.len() <= SHORT_ITEM) {
        // Filled lines: an item and its comma go on the line while it stays within the width.
        // rustfmt keeps one column free on a filled line.
        let room = MAX_WIDTH - 1 - (ind + 4);
        let mut line = 0;
        for (t, w) in items {
            if line > 0 && line + 1 + w + 1 > room {
                out.push('\n');
                line = 0;
            }
            if line == 0 {
                indent(out, ind + 4);
            } else {
                out.push(' ');
                line += 1;
            }
            out.push_str(t);
            out.push(',');
            line += w + 1;
        }
        out.push('\n');
    } else {
        for (t, _) in items {
            indent(out, ind + 4);
            out.push_str(t);
            out.push_str(",\n");
        }
    }
    indent(out, ind);
    out.push_str("];\n");
}

/// The multiplier of a code's hash (Fibonacci hashing: `code * 2^32 / φ`, top bits kept).
const CODE_HASH: &str = "0x9e37_79b9";
/// The multiplier of a name's hash (FxHash's).
const NAME_HASH: &str = "0x517c_c1b7_2722_0a95";

/// The number of bits of a hash table's slot for `keys` keys: at least twice as many
/// slots as keys, so that a probe ends soon at a free slot.
fn slot_bits(keys: usize) -> u32 {
    (keys.max(1) * 2).next_power_of_two().trailing_zeros()
}

/// A code's first slot in a table of `2^bits` slots, as the generated `row_of_code_` computes it.
fn code_slot(code: u32, bits: u32) -> usize {
    (code.wrapping_mul(0x9e37_79b9) >> (32 - bits)) as usize
}

/// A name's first slot in a table of `2^bits` slots, as the generated `from_name` computes it.
fn name_slot(name: &[u8], bits: u32) -> usize {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let (words, rest) = name.as_chunks::<8>();
    let mut last = [0; 8];
    last[..rest.len()].copy_from_slice(rest);
    let mut hash = name.len() as u64;
    for word in words.iter().chain([&last]) {
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(*word)).wrapping_mul(K);
    }
    (hash >> (64 - bits)) as usize
}

/// The slots of an open-addressing table of `2^bits` slots: key `i` (in order, at its first
/// slot `firsts[i]` or the next free one, wrapping) as `i + 1`; 0 is a free slot.
fn slot_table(bits: u32, firsts: impl Iterator<Item = usize>) -> Vec<u32> {
    let len = 1usize << bits;
    let mut slots = vec![0u32; len];
    for (i, first) in firsts.enumerate() {
        let mut slot = first;
        while slots[slot] != 0 {
            slot = (slot + 1) % len;
        }
        slots[slot] = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    slots
}

/// An arm body on its own line, in a block (rustfmt's `match_arm_blocks`).
fn block(out: &mut String, ind: usize, body: &str) {
    out.push_str("{\n");
    indent(out, ind + 4);
    out.push_str(body);
    out.push('\n');
    indent(out, ind);
    out.push_str("}\n");
}

/// `#[doc = "text"]` on its own line: exact text, any characters (no `///` or
/// `/** */` line to break with a CR or a `*/`).
fn doc_attr(out: &mut String, ind: usize, text: &str) {
    indent(out, ind);
    out.push_str("#[doc = ");
    write_str_lit(out, text);
    out.push_str("]\n");
}

/// `#[deprecated(note = "text")]`, broken as rustfmt breaks it when too wide.
fn deprecated_attr(out: &mut String, ind: usize, note: &str) {
    indent(out, ind);
    if ind + "#[deprecated(note = )]".len() + str_lit_width(note) <= MAX_WIDTH {
        out.push_str("#[deprecated(note = ");
        write_str_lit(out, note);
        out.push_str(")]\n");
    } else {
        out.push_str("#[deprecated(\n");
        indent(out, ind + 4);
        out.push_str("note = ");
        write_str_lit(out, note);
        out.push('\n');
        indent(out, ind);
        out.push_str(")]\n");
    }
}

impl<'a> Emitter<'a> {
    fn new(view: View<'a>, options: &'a Options) -> Self {
        let ty = type_name(view.catalog);
        let variants = view
            .entries()
            .map(|e| Variant {
                entry: e.entry,
                ident: variant(&e.name.value),
                name: &e.name.value,
                message: &e.message.value,
                parts: e.message_parts,
                accepted: e.accepted_names(),
            })
            .collect();
        Emitter {
            retry_ty: format!("{ty}Retry"),
            retry_after_ty: format!("{ty}Retry::After"),
            retry_fix_ty: format!("{ty}Retry::AfterFix"),
            unknown_ty: format!("{ty}UnknownName"),
            error_ty: format!("{ty}Error"),
            args_ty: format!("{ty}Args"),
            ty,
            view,
            vis: &options.visibility,
            serde: options.serde,
            variants,
        }
    }

    fn keyed_by_code(&self) -> bool {
        self.view.catalog.keyed_by == KeyedBy::Code
    }

    fn catalog(&self, out: &mut String) {
        self.enum_def(out);
        out.push('\n');
        self.retry_def(out);
        out.push('\n');
        self.unknown_def(out);
        out.push('\n');
        self.inherent_impl(out);
        out.push('\n');
        self.trait_impls(out);
        out.push('\n');
        self.error_def(out);
        // Only catalogs with parameters pay for the type.
        if self.variants.iter().any(|v| !v.entry.params.is_empty()) {
            out.push('\n');
            self.args_def(out);
        }
        if self.serde {
            out.push('\n');
            self.serde_impls(out);
        }
    }

    fn enum_def(&self, out: &mut String) {
        let c = self.view.catalog;
        // Registry text goes through the Markdown sanitizer: rustdoc would pass raw HTML on.
        let mut doc = markdown::plain(&c.title.value);
        if let Some(d) = &c.description {
            doc.push_str("\n\n");
            doc.push_str(&markdown::block(&d.value));
        }
        if let Some(d) = self
            .view
            .platform
            .and_then(|p| p.delivery.as_ref())
            .or(c.delivery.as_ref())
        {
            doc.push_str("\n\n# Delivery\n\n");
            doc.push_str(&markdown::block(&d.value));
        }
        let _ = write!(
            doc,
            "\n\nGenerated by errspec from the `{}` catalog{}; edit the registry, not this code.",
            c.name.value,
            self.view
                .platform_id()
                .map(|p| format!(" (platform `{p}`)"))
                .unwrap_or_default()
        );
        doc_attr(out, 0, &markdown::without_doctests(&doc));
        // Registry text is written for readers, not for rustdoc: a bare URL
        // or a word in brackets there is no broken link of the caller's.
        out.push_str("#[allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links)]\n");
        // `Debug` is written out (`trait_impls`): derived, it is a `match` of N arms.
        out.push_str("#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
        // An added entry must not break a dependent crate's `match` (issue 23).
        out.push_str("#[non_exhaustive]\n");
        if self.keyed_by_code() {
            let max = self
                .variants
                .iter()
                .filter_map(|v| v.entry.code.as_ref())
                .map(|c| c.value)
                .max()
                .unwrap_or(0);
            let _ = writeln!(out, "#[repr({})]", repr_for(max));
        }
        let _ = writeln!(out, "{} enum {} {{", self.vis, self.ty);
        for v in &self.variants {
            doc_attr(out, 4, &markdown::without_doctests(&variant_doc(v)));
            // rustdoc renders the note as Markdown too; rustc prints it as it is.
            if let Some(why) = &v.entry.deprecated {
                deprecated_attr(out, 4, &markdown::note(&why.value));
            }
            match &v.entry.code {
                Some(code) => {
                    let _ = writeln!(out, "    {} = {},", v.ident, code.value);
                }
                None => {
                    let _ = writeln!(out, "    {},", v.ident);
                }
            }
        }
        out.push_str("}\n");
    }

    fn retry_def(&self, out: &mut String) {
        let (vis, retry_ty, ty) = (self.vis, &self.retry_ty, &self.ty);
        doc_attr(
            out,
            0,
            &format!("Whether and how to retry after a [`{ty}`] error."),
        );
        // The sentence's words are the registry's (one definition for every target).
        let [never, after, fix, unspecified] = [
            RetryHint::NEVER,
            RetryHint::AFTER,
            RetryHint::FIX,
            RetryHint::UNSPECIFIED,
        ]
        .map(str_lit);
        let [backoff_0, backoff_1, backoff_2] = RetryHint::BACKOFF.map(str_lit);
        let _ = write!(
            out,
            r#"#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
{vis} enum {retry_ty} {{
    /// Retrying cannot help.
    Never,
    /// Retry once after this delay.
    After(::core::time::Duration),
    /// Retry with exponential backoff: the delay doubles from `initial` up to `max`,
    /// for at most `max_attempts` attempts.
    Backoff {{
        /// The delay before the first retry.
        initial: ::core::time::Duration,
        /// The longest delay between two retries.
        max: ::core::time::Duration,
        /// How many retries at most.
        max_attempts: u32,
    }},
    /// Retry only after the user or the app fixed what the text says.
    AfterFix(&'static str),
    /// The registry gives no guidance: decide as for an unexpected error.
    Unspecified,
}}

impl {retry_ty} {{
    /// Whether retrying can help (at once, later, or after a fix); false also
    /// when the registry gives no guidance (`Unspecified`).
    {vis} const fn is_retryable(self) -> bool {{
        !::core::matches!(self, Self::Never | Self::Unspecified)
    }}

    /// The delay before the first retry, when the hint has one.
"#
        );
        // The signature is 84 columns after the visibility; rustfmt breaks it past 100.
        if 4 + vis.len() + 84 <= MAX_WIDTH {
            let _ = writeln!(
                out,
                "    {vis} const fn retry_after(self) -> ::core::option::Option<::core::time::Duration> {{"
            );
        } else {
            let _ = writeln!(
                out,
                "    {vis} const fn retry_after(\n        self,\n    ) -> ::core::option::Option<::core::time::Duration> {{"
            );
        }
        let _ = write!(
            out,
            r#"        match self {{
            Self::After(d) => ::core::option::Option::Some(d),
            Self::Backoff {{ initial, .. }} => ::core::option::Option::Some(initial),
            Self::Never | Self::AfterFix(_) | Self::Unspecified => ::core::option::Option::None,
        }}
    }}
}}

/// The sentence the docs print for the hint (`retry once after 2m`).
impl ::core::fmt::Display for {retry_ty} {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
        // A duration as the registry writes it: the largest exact unit.
        fn duration(
            f: &mut ::core::fmt::Formatter<'_>,
            d: ::core::time::Duration,
        ) -> ::core::fmt::Result {{
            let ms = d.as_millis();
            if !d.subsec_nanos().is_multiple_of(1_000_000) {{
                ::core::write!(f, "{{:?}}", d)
            }} else if ms != 0 && ms.is_multiple_of(3_600_000) {{
                ::core::write!(f, "{{}}h", ms / 3_600_000)
            }} else if ms != 0 && ms.is_multiple_of(60_000) {{
                ::core::write!(f, "{{}}m", ms / 60_000)
            }} else if ms.is_multiple_of(1000) {{
                ::core::write!(f, "{{}}s", ms / 1000)
            }} else {{
                ::core::write!(f, "{{}}ms", ms)
            }}
        }}
        match *self {{
            Self::Never => f.write_str({never}),
            Self::After(d) => {{
                f.write_str({after})?;
                duration(f, d)
            }}
            Self::Backoff {{
                initial,
                max,
                max_attempts,
            }} => {{
                f.write_str({backoff_0})?;
                ::core::fmt::Display::fmt(&max_attempts, f)?;
                f.write_str({backoff_1})?;
                duration(f, initial)?;
                f.write_str({backoff_2})?;
                duration(f, max)
            }}
            Self::AfterFix(what) => {{
                f.write_str({fix})?;
                f.write_str(what)
            }}
            Self::Unspecified => f.write_str({unspecified}),
        }}
    }}
}}
"#
        );
    }

    fn unknown_def(&self, out: &mut String) {
        let (vis, unknown_ty, ty) = (self.vis, &self.unknown_ty, &self.ty);
        doc_attr(
            out,
            0,
            &format!(
                "A name that is no [`{ty}`] name (nor an alias): the error of `{ty}::from_str`."
            ),
        );
        let text = str_lit(&format!(
            "not a name of the `{}` catalog",
            self.view.catalog.name.value
        ));
        let _ = write!(
            out,
            r#"#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
{vis} struct {unknown_ty};

impl ::core::fmt::Display for {unknown_ty} {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
        f.write_str({text})
    }}
}}

impl ::std::error::Error for {unknown_ty} {{}}
"#
        );
    }

    fn inherent_impl(&self, out: &mut String) {
        let (vis, ty) = (self.vis, &self.ty);
        let _ = writeln!(out, "#[allow(deprecated)]\nimpl {ty} {{");
        doc_attr(
            out,
            4,
            "Every entry, in registry order (built on the first call).",
        );
        self.all_fn(out);
        for v in &self.variants {
            for a in &v.entry.aliases {
                out.push('\n');
                doc_attr(out, 4, &format!("Former name of [`{ty}::{}`].", v.ident));
                deprecated_attr(
                    out,
                    4,
                    &format!("renamed to `{}`: use `{ty}::{}`", v.name, v.ident),
                );
                out.push_str("    #[allow(non_upper_case_globals)]\n");
                let konst = alias_const(&a.value);
                let head = format!("    {vis} const {konst}: Self =");
                if head.len() + 8 + v.ident.len() <= MAX_WIDTH {
                    let _ = writeln!(out, "{head} Self::{};", v.ident);
                } else {
                    let _ = writeln!(out, "{head}\n        Self::{};", v.ident);
                }
            }
        }
        if self.keyed_by_code() {
            self.code_fns(out);
        }
        self.row_fn(out);
        self.emit_from_row(out);
        self.table_accessor(
            out,
            "The registry constant, e.g. `\"INVALID_API_KEY\"`.",
            "name",
            |v| v.name,
        );
        self.table_accessor(
            out,
            "The one-line message for developers.",
            "message",
            |v| v.message,
        );
        // Empty when the registry does not say (docs/import.md).
        self.table_accessor(out, "When the error fires (Markdown).", "trigger", |v| {
            v.entry.trigger_text()
        });
        self.retry_fn(out);
        self.optional_accessor(
            out,
            "A link to more documentation, if the registry has one.",
            "docs",
            |v| v.entry.docs.as_ref(),
        );
        self.optional_accessor(
            out,
            "Why the entry is deprecated, if it is.",
            "deprecation",
            |v| v.entry.deprecated.as_ref(),
        );
        self.emit_from_name(out);
        out.push_str("}\n");
    }

    /// `code`, `from_code` and `row_of_code_`: the code is the discriminant; its row is
    /// found in a hash table of the codes (see [`code_slot`]).
    fn code_fns(&self, out: &mut String) {
        let vis = self.vis;
        let codes: Vec<u32> = self
            .variants
            .iter()
            .map(|v| v.entry.code.as_ref().map_or(0, |c| c.value))
            .collect();
        let bits = slot_bits(codes.len());
        let slots = slot_table(bits, codes.iter().map(|&c| code_slot(c, bits)));
        let _ = write!(
            out,
            r#"
    /// The numeric code apps receive.
    #[inline]
    {vis} const fn code(self) -> u32 {{
        self as u32
    }}

    /// The entry with this code, if any.
    #[inline]
    {vis} const fn from_code(code: u32) -> ::core::option::Option<Self> {{
        match Self::row_of_code_(code) {{
            ::core::option::Option::Some(row) => ::core::option::Option::Some(Self::from_row_(row)),
            ::core::option::Option::None => ::core::option::Option::None,
        }}
    }}

    /// The row of `code` in the accessors' tables (registry order), if the catalog has it.
    const fn row_of_code_(code: u32) -> ::core::option::Option<usize> {{
        // Open addressing: each code's row + 1 at the slot of its hash, or at the next free
        // one (0); half the slots at least are free.
"#
        );
        int_array(out, 8, "SLOTS", "u32", &slots);
        int_array(out, 8, "CODES", "u32", &codes);
        let _ = write!(
            out,
            r#"        let mut slot = (code.wrapping_mul({CODE_HASH}) >> {shift}) as usize;
        loop {{
            let row = SLOTS[slot] as usize;
            if row == 0 {{
                return ::core::option::Option::None;
            }}
            if CODES[row - 1] == code {{
                return ::core::option::Option::Some(row - 1);
            }}
            slot = (slot + 1) % {len};
        }}
    }}
"#,
            shift = 32 - bits,
            len = slots.len(),
        );
    }

    /// `row_`: the variant's row in the accessors' tables, which are flat arrays in
    /// registry order (rustc checks a `match` of N arms in more than linear time, an
    /// array in linear time).
    fn row_fn(&self, out: &mut String) {
        out.push_str("\n    /// The entry's row in the accessors' tables (registry order).\n    const fn row_(self) -> usize {\n");
        if self.keyed_by_code() {
            out.push_str(
                r#"        match Self::row_of_code_(self as u32) {
            ::core::option::Option::Some(row) => row,
            // Every variant's code is in the table.
            ::core::option::Option::None => ::core::unreachable!(),
        }
"#,
            );
        } else {
            // Without codes the discriminants are the rows.
            out.push_str("        self as usize\n");
        }
        out.push_str("    }\n");
    }

    /// `{vis} const fn {name}(self) -> &'static str`, read from a table.
    fn table_accessor(
        &self,
        out: &mut String,
        doc: &str,
        name: &str,
        text: impl Fn(&Variant<'a>) -> &'a str,
    ) {
        let _ = writeln!(
            out,
            "\n    /// {doc}\n    {} const fn {name}(self) -> &'static str {{",
            self.vis
        );
        let items: Vec<(String, usize)> = self.variants.iter().map(|v| lit_item(text(v))).collect();
        str_array(out, 8, "TEXTS", &items);
        out.push_str("        TEXTS[self.row_()]\n    }\n");
    }

    /// `{vis} const fn {name}(self) -> Option<&'static str>`, read from a table where
    /// `""` is `None` (the registry has no empty text).
    fn optional_accessor(
        &self,
        out: &mut String,
        doc: &str,
        name: &str,
        text: impl Fn(&Variant<'a>) -> Option<&'a errspec::Spanned<String>>,
    ) {
        let _ = writeln!(
            out,
            "\n    /// {doc}\n    {} const fn {name}(self) -> ::core::option::Option<&'static str> {{",
            self.vis
        );
        let items: Vec<(String, usize)> = self
            .variants
            .iter()
            .map(|v| lit_item(text(v).map_or("", |t| t.value.as_str())))
            .collect();
        str_array(out, 8, "TEXTS", &items);
        out.push_str(
            r#"        let text = TEXTS[self.row_()];
        if text.is_empty() {
            ::core::option::Option::None
        } else {
            ::core::option::Option::Some(text)
        }
    }
"#,
        );
    }

    /// `retry`: each entry's hint as numbers in one table, the fix texts in another.
    fn retry_fn(&self, out: &mut String) {
        let rt = &self.retry_ty;
        let _ = writeln!(
            out,
            "\n    /// Whether and how to retry.\n    {} const fn retry(self) -> {rt} {{",
            self.vis
        );
        let ms = |d: &std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let mut fixes: Vec<(String, usize)> = Vec::new();
        let mut hints: Vec<(String, usize)> = Vec::with_capacity(self.variants.len());
        for v in &self.variants {
            let t = match &v.entry.retry.value {
                RetryHint::Never => "(0, 0, 0, 0)".to_owned(),
                RetryHint::After(d) => format!("(1, {}, 0, 0)", ms(d)),
                RetryHint::Backoff {
                    initial,
                    max,
                    max_attempts,
                } => format!("(2, {}, {}, {max_attempts})", ms(initial), ms(max)),
                RetryHint::AfterFix(what) => {
                    fixes.push(lit_item(what));
                    format!("(3, {}, 0, 0)", fixes.len() - 1)
                }
                RetryHint::Unspecified => "(4, 0, 0, 0)".to_owned(),
            };
            let w = t.len();
            hints.push((t, w));
        }
        out.push_str(
            "        // (kind, a, b, attempts): never; after a ms; backoff from a to b ms; the fix FIXES[a];\n        // no guidance.\n",
        );
        array(out, 8, "HINTS", "(u8, u64, u64, u32)", &hints, false);
        str_array(out, 8, "FIXES", &fixes);
        out.push_str(
            "        let (kind, a, b, attempts) = HINTS[self.row_()];\n        match kind {\n",
        );
        let after = "::core::time::Duration::from_millis(a)";
        arm(out, 12, &[("0", 1)], Body::Atom(&format!("{rt}::Never")));
        arm(
            out,
            12,
            &[("1", 1)],
            Body::Call(&self.retry_after_ty, after),
        );
        arm(
            out,
            12,
            &[("2", 1)],
            Body::Backoff {
                retry_ty: rt,
                initial: "a",
                max: "b",
                attempts: "attempts",
            },
        );
        arm(
            out,
            12,
            &[("3", 1)],
            Body::Call(&self.retry_fix_ty, "FIXES[a as usize]"),
        );
        arm(
            out,
            12,
            &[("_", 1)],
            Body::Atom(&format!("{rt}::Unspecified")),
        );
        out.push_str("        }\n    }\n");
    }

    /// `from_name`: every accepted name in a hash table (see [`name_slot`]).
    fn emit_from_name(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "\n    /// The entry with this name; older names (aliases) are accepted too.\n    {} fn from_name(name: &str) -> ::core::option::Option<Self> {{",
            self.vis
        );
        // Every name that resolves to an entry in this view: its name, canonical name and
        // aliases, with the entry's row.
        let mut names: Vec<(String, usize)> = Vec::new();
        let mut rows: Vec<u32> = Vec::new();
        let mut keys: Vec<&str> = Vec::new();
        for (row, v) in self.variants.iter().enumerate() {
            for n in &v.accepted {
                names.push(lit_item(n));
                keys.push(n);
                rows.push(u32::try_from(row).unwrap_or(u32::MAX));
            }
        }
        let bits = slot_bits(keys.len());
        let slots = slot_table(bits, keys.iter().map(|k| name_slot(k.as_bytes(), bits)));
        out.push_str(
            "        // Every accepted name and its entry's row, found as `row_of_code_` finds a code\n        // (the hash: 8 bytes at a time, then the rest padded with zeros).\n",
        );
        str_array(out, 8, "NAMES", &names);
        int_array(out, 8, "ROWS", "u32", &rows);
        int_array(out, 8, "SLOTS", "u32", &slots);
        let _ = write!(
            out,
            r#"        let (words, rest) = name.as_bytes().as_chunks::<8>();
        let mut last = [0; 8];
        last[..rest.len()].copy_from_slice(rest);
        let mut hash = name.len() as u64;
        for word in words.iter().chain([&last]) {{
            hash = (hash.rotate_left(5) ^ u64::from_le_bytes(*word))
                .wrapping_mul({NAME_HASH});
        }}
        let mut slot = (hash >> {shift}) as usize;
        loop {{
            let key = SLOTS[slot] as usize;
            if key == 0 {{
                return ::core::option::Option::None;
            }}
            if NAMES[key - 1] == name {{
                return ::core::option::Option::Some(Self::from_row_(ROWS[key - 1] as usize));
            }}
            slot = (slot + 1) % {len};
        }}
    }}
"#,
            shift = 64 - bits,
            len = slots.len(),
        );
    }

    /// `{vis} fn all() -> &'static [Self]`, built on its first call.
    ///
    /// A `const` or `static` array of the N variants would cost rustc's const evaluator
    /// N² steps: it checks each value by searching the enum's variants for its
    /// discriminant one by one (10,000 entries: seconds). Built at run time, it costs one
    /// `from_row_` per entry, once.
    fn all_fn(&self, out: &mut String) {
        let (vis, ty, n) = (self.vis, &self.ty, self.variants.len());
        let _ = write!(
            out,
            r#"    {vis} fn all() -> &'static [Self] {{
        use ::std::{{boxed::Box, sync::OnceLock}};
"#
        );
        let head = format!("        static ALL: OnceLock<Box<[{ty}]>> =");
        if head.len() + " OnceLock::new();".len() <= MAX_WIDTH {
            let _ = writeln!(out, "{head} OnceLock::new();");
        } else {
            let _ = writeln!(out, "{head}\n            OnceLock::new();");
        }
        let _ = writeln!(
            out,
            "        ALL.get_or_init(|| (0..{n}).map(Self::from_row_).collect())\n    }}"
        );
    }

    /// `from_row_`: the entry of a row, through one small `match` per 64 rows (rustc
    /// checks a `match` in more than linear time in its arms, and looks each `Self::X`
    /// up among the variants one by one; `Ty::X` is resolved by name).
    fn emit_from_row(&self, out: &mut String) {
        let ty = &self.ty;
        out.push_str(
            "\n    /// The entry of a row of the accessors' tables (registry order).\n    const fn from_row_(row: usize) -> Self {\n",
        );
        let groups = self.variants.chunks(ROW_GROUP);
        for (g, chunk) in groups.clone().enumerate() {
            let _ = writeln!(
                out,
                "        const fn rows_{g}(row: usize) -> {ty} {{\n            match row {{"
            );
            let mut pat = String::new();
            let mut body = String::new();
            for (i, v) in chunk.iter().enumerate() {
                pat.clear();
                let _ = write!(pat, "{i}");
                body.clear();
                let _ = write!(body, "{ty}::{}", v.ident);
                arm(out, 16, &[(&pat, pat.len())], Body::Atom(&body));
            }
            arm(out, 16, &[("_", 1)], Body::Atom("::core::unreachable!()"));
            out.push_str("            }\n        }\n");
        }
        let _ = writeln!(out, "        match row / {ROW_GROUP} {{");
        let mut pat = String::new();
        let mut body = String::new();
        for g in 0..groups.len() {
            pat.clear();
            let _ = write!(pat, "{g}");
            body.clear();
            let _ = write!(body, "rows_{g}(row % {ROW_GROUP})");
            arm(out, 12, &[(&pat, pat.len())], Body::Atom(&body));
        }
        arm(out, 12, &[("_", 1)], Body::Atom("::core::unreachable!()"));
        out.push_str("        }\n    }\n");
    }

    fn trait_impls(&self, out: &mut String) {
        let (ty, unknown_ty) = (&self.ty, &self.unknown_ty);
        if self.keyed_by_code() {
            let _ = write!(
                out,
                r#"impl ::core::convert::TryFrom<u32> for {ty} {{
    /// The code that is not in the catalog.
    type Error = u32;
    fn try_from(code: u32) -> ::core::result::Result<Self, u32> {{
        Self::from_code(code).ok_or(code)
    }}
}}

impl ::core::convert::From<{ty}> for u32 {{
    fn from(e: {ty}) -> u32 {{
        e.code()
    }}
}}

"#
            );
        }
        let _ = write!(
            out,
            r#"impl ::core::str::FromStr for {ty} {{
    type Err = {unknown_ty};
"#
        );
        // `fn from_str(s: &str) -> ::core::result::Result<Self, U> {` is 56 columns plus U.
        if 4 + 56 + unknown_ty.len() <= MAX_WIDTH {
            let _ = writeln!(
                out,
                "    fn from_str(s: &str) -> ::core::result::Result<Self, {unknown_ty}> {{"
            );
        } else if 4 + 34 + unknown_ty.len() + 3 <= MAX_WIDTH {
            let _ = writeln!(
                out,
                "    fn from_str(\n        s: &str,\n    ) -> ::core::result::Result<Self, {unknown_ty}> {{"
            );
        } else {
            let _ = writeln!(
                out,
                "    fn from_str(\n        s: &str,\n    ) -> ::core::result::Result<\n        Self,\n        {unknown_ty},\n    > {{"
            );
        }
        let _ = write!(
            out,
            r#"        Self::from_name(s).ok_or({unknown_ty})
    }}
}}

impl ::core::fmt::Display for {ty} {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
        f.write_str(self.message())
    }}
}}

impl ::std::error::Error for {ty} {{}}

/// The variant's name, as `#[derive(Debug)]` writes it.
impl ::core::fmt::Debug for {ty} {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
"#
        );
        let idents: Vec<(String, usize)> =
            self.variants.iter().map(|v| lit_item(&v.ident)).collect();
        str_array(out, 8, "IDENTS", &idents);
        out.push_str("        f.write_str(IDENTS[self.row_()])\n    }\n}\n");
    }

    /// `struct <ty>Error`: an error as an app receives it, the code (or name) and
    /// message kept whether or not the catalog knows it, so that a code from a newer
    /// server is neither a crash nor a loss; `<ty>::error` makes one.
    fn error_def(&self, out: &mut String) {
        let (vis, ty, error_ty) = (self.vis, &self.ty, &self.error_ty);
        let (key, key_ty, key_field, lookup) = if self.keyed_by_code() {
            ("code", "u32", "code", "from_code(self.code)")
        } else {
            (
                "name",
                "&str",
                "name: name.to_owned()",
                "from_name(&self.name)",
            )
        };
        let stored = if self.keyed_by_code() {
            "u32"
        } else {
            "::std::string::String"
        };
        doc_attr(
            out,
            0,
            &format!(
                "A [`{ty}`] error as received: its {key} and message, kept whether or not the catalog knows the {key} (one from a newer server is neither a crash nor a loss). `Display`: `{ty} <{key}> <NAME>: <message>`."
            ),
        );
        let _ = write!(
            out,
            r#"#[derive(Clone, Debug, PartialEq, Eq, Hash)]
{vis} struct {error_ty} {{
    {key}: {stored},
    message: ::std::string::String,
}}

impl {ty} {{
    /// The error received with this {key} and message, known to the catalog or not.
"#
        );
        sig(
            out,
            4,
            &format!("{vis} fn error"),
            &[&format!("{key}: {key_ty}"), "message: &str"],
            error_ty,
        );
        let _ = write!(
            out,
            r#"        {error_ty} {{
            {key_field},
            message: message.to_owned(),
        }}
    }}
}}

impl {error_ty} {{
    /// The entry, or `None` when the catalog does not know the {key} (yet).
"#
        );
        sig(
            out,
            4,
            &format!("{vis} fn entry"),
            &["&self"],
            &format!("::core::option::Option<{ty}>"),
        );
        let _ = write!(
            out,
            r#"        {ty}::{lookup}
    }}

    /// The message received.
    {vis} fn message(&self) -> &str {{
        &self.message
    }}
"#
        );
        if self.keyed_by_code() {
            let _ = write!(
                out,
                r#"
    /// The code received.
    {vis} const fn code(&self) -> u32 {{
        self.code
    }}

    /// The entry's name, or `None` when the catalog does not know the code.
    {vis} fn name(&self) -> ::core::option::Option<&'static str> {{
        match self.entry() {{
            ::core::option::Option::Some(e) => ::core::option::Option::Some(e.name()),
            ::core::option::Option::None => ::core::option::Option::None,
        }}
    }}
}}
"#
            );
            self.error_from(out);
            let _ = write!(
                out,
                r#"
/// `{ty} 4009 NAME: message`, or `{ty} 4009: message` for a code the catalog does not know;
/// no `: ` when the message is empty.
impl ::core::fmt::Display for {error_ty} {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
"#
            );
            statement(out, 8, "f.write_str", &str_lit(ty), "?;");
            let _ = write!(
                out,
                r#"        ::core::write!(f, " {{}}", self.code)?;
        if let ::core::option::Option::Some(name) = self.name() {{
            ::core::write!(f, " {{}}", name)?;
        }}
        if self.message.is_empty() {{
            return ::core::result::Result::Ok(());
        }}
        ::core::write!(f, ": {{}}", self.message)
    }}
}}
"#
            );
        } else {
            let _ = write!(
                out,
                r#"
    /// The name received (the entry's own, or an alias).
    {vis} fn name(&self) -> &str {{
        &self.name
    }}
}}
"#
            );
            self.error_from(out);
            let _ = write!(
                out,
                r#"
/// `{ty} NAME: message` (no `: ` when the message is empty).
impl ::core::fmt::Display for {error_ty} {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
"#
            );
            statement(out, 8, "f.write_str", &str_lit(ty), "?;");
            out.push_str(concat!(
                "        ::core::write!(f, \" {}\", self.name)?;\n",
                "        if self.message.is_empty() {\n",
                "            return ::core::result::Result::Ok(());\n",
                "        }\n",
                "        ::core::write!(f, \": {}\", self.message)\n    }\n}\n",
            ));
        }
        let _ = writeln!(
            out,
            "
impl ::std::error::Error for {error_ty} {{}}"
        );
    }

    /// `impl From<ty> for <ty>Error`: a known entry with its own message.
    fn error_from(&self, out: &mut String) {
        let (ty, error_ty) = (&self.ty, &self.error_ty);
        let key = if self.keyed_by_code() {
            "code: e.code()"
        } else {
            "name: e.name().to_owned()"
        };
        let head = format!("impl ::core::convert::From<{ty}> for {error_ty}");
        out.push_str("\n/// A known entry with its own message.\n");
        if head.len() + 2 <= MAX_WIDTH {
            let _ = writeln!(out, "{head} {{");
        } else {
            let _ = writeln!(
                out,
                "impl ::core::convert::From<{ty}>\n    for {error_ty}\n{{"
            );
        }
        let _ = write!(
            out,
            r#"    fn from(e: {ty}) -> Self {{
        Self {{
            {key},
            message: e.message().to_owned(),
        }}
    }}
}}
"#
        );
    }

    /// `enum <ty>Args<'a>`: one variant per entry with parameters, holding its
    /// arguments (strings borrowed); `Display` writes the message from them, piece
    /// by piece into the formatter, so formatting allocates nothing. The formatter
    /// is `f_` and the helper `duration_`: a parameter name never ends in `_`.
    fn args_def(&self, out: &mut String) {
        let (vis, ty, args_ty) = (self.vis, &self.ty, &self.args_ty);
        let with: Vec<&Variant<'a>> = self
            .variants
            .iter()
            .filter(|v| !v.entry.params.is_empty())
            .collect();
        let borrows = with.iter().any(|v| {
            v.entry
                .params
                .iter()
                .any(|p| p.ty.value == ParamType::String)
        });
        let (generics, anon) = if borrows { ("<'a>", "<'_>") } else { ("", "") };
        doc_attr(
            out,
            0,
            &format!(
                "The arguments of a [`{ty}`] message with parameters: `Display` writes the message with them, allocating nothing (`{ty}::message` is the template)."
            ),
        );
        out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
        let _ = writeln!(out, "{vis} enum {args_ty}{generics} {{");
        for v in &with {
            doc_attr(
                out,
                4,
                &format!(
                    "The arguments of [`{ty}::{}`], whose message is: {}",
                    v.ident,
                    markdown::plain(&template_text(v.parts))
                ),
            );
            if let Some(why) = &v.entry.deprecated {
                deprecated_attr(out, 4, &markdown::note(&why.value));
            }
            let _ = writeln!(out, "    {} {{", v.ident);
            for p in &v.entry.params {
                doc_attr(
                    out,
                    8,
                    &format!(
                        "`{}`: {}",
                        p.ty.value.id(),
                        markdown::plain(&p.description.value)
                    ),
                );
                let _ = writeln!(
                    out,
                    "        {}: {},",
                    p.name.value,
                    language()
                        .param_type(p.ty.value)
                        .map_or("", |t| t.ty.as_str())
                );
            }
            out.push_str("    },\n");
        }
        out.push_str("}\n\n");
        let _ = writeln!(out, "#[allow(deprecated)]\nimpl {args_ty}{anon} {{");
        doc_attr(out, 4, "The entry whose message these arguments format.");
        let _ = writeln!(
            out,
            "    {vis} const fn error(&self) -> {ty} {{\n        match self {{"
        );
        for v in &with {
            let pat = format!("Self::{} {{ .. }}", v.ident);
            let body = format!("{ty}::{}", v.ident);
            arm(out, 12, &[(&pat, pat.len())], Body::Atom(&body));
        }
        out.push_str("        }\n    }\n}\n\n");
        let _ = writeln!(
            out,
            "#[allow(deprecated)]\nimpl ::core::fmt::Display for {args_ty}{anon} {{\n    fn fmt(&self, f_: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{"
        );
        let durations = with.iter().any(|v| {
            v.entry
                .params
                .iter()
                .any(|p| p.ty.value == ParamType::Duration)
        });
        if durations {
            // The registry's own duration text, the same in every target (errspec::format_duration_ms).
            out.push_str(
                r#"        // Whole milliseconds with the largest exact unit, as every target writes them.
        fn duration_(
            f: &mut ::core::fmt::Formatter<'_>,
            d: ::core::time::Duration,
        ) -> ::core::fmt::Result {
            let ms = d.as_millis();
            if ms != 0 && ms.is_multiple_of(3_600_000) {
                ::core::write!(f, "{}h", ms / 3_600_000)
            } else if ms != 0 && ms.is_multiple_of(60_000) {
                ::core::write!(f, "{}m", ms / 60_000)
            } else if ms.is_multiple_of(1000) {
                ::core::write!(f, "{}s", ms / 1000)
            } else {
                ::core::write!(f, "{}ms", ms)
            }
        }
"#,
            );
        }
        out.push_str("        match *self {\n");
        for v in &with {
            let fields: Vec<&str> = v
                .entry
                .params
                .iter()
                .map(|p| p.name.value.as_str())
                .collect();
            let inner = fields.join(", ");
            let part_call = |part: &Part| match part {
                Part::Text(t) => ("f_.write_str", str_lit(t)),
                Part::Param { name, .. } => match v.entry.param(name).map(|p| p.ty.value) {
                    Some(ParamType::String) => ("f_.write_str", name.clone()),
                    Some(ParamType::Duration) => ("duration_", format!("f_, {name}")),
                    _ => ("::core::fmt::Display::fmt", format!("&{name}, f_")),
                },
            };
            // rustfmt keeps a struct pattern on one line up to `struct_lit_width` (18).
            let one_line = inner.len() <= 18
                && 12 + "Self:: {  } => {".len() + v.ident.len() + inner.len() <= MAX_WIDTH;
            let vertical = |out: &mut String| {
                let _ = writeln!(out, "            Self::{} {{", v.ident);
                for f in &fields {
                    let _ = writeln!(out, "                {f},");
                }
            };
            if let [only] = v.parts {
                // One call: the arm's body without a block.
                let (callee, arg) = part_call(only);
                if one_line {
                    let pat = format!("Self::{} {{ {inner} }}", v.ident);
                    arm(out, 12, &[(&pat, pat.len())], Body::Call(callee, &arg));
                } else {
                    vertical(out);
                    arm(out, 12, &[("}", 1)], Body::Call(callee, &arg));
                }
                continue;
            }
            if one_line {
                let _ = writeln!(out, "            Self::{} {{ {inner} }} => {{", v.ident);
            } else {
                vertical(out);
                out.push_str("            } => {\n");
            }
            let n = v.parts.len();
            for (i, part) in v.parts.iter().enumerate() {
                let end = if i + 1 == n { "" } else { "?;" };
                let (callee, arg) = part_call(part);
                statement(out, 16, callee, &arg, end);
            }
            out.push_str("            }\n");
        }
        out.push_str("        }\n    }\n}\n\n");
        let _ = writeln!(out, "impl ::std::error::Error for {args_ty}{anon} {{}}");
    }

    fn serde_impls(&self, out: &mut String) {
        let ty = &self.ty;
        let catalog = &self.view.catalog.name.value;
        if self.keyed_by_code() {
            let msg = str_lit(&format!("not a code of the `{catalog}` catalog"));
            let _ = write!(
                out,
                r#"impl ::serde::Serialize for {ty} {{
    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {{
        s.serialize_u32(self.code())
    }}
}}

impl<'de> ::serde::Deserialize<'de> for {ty} {{
    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {{
        let code = <u32 as ::serde::Deserialize>::deserialize(d)?;
        Self::from_code(code).ok_or_else(|| {{
            <D::Error as ::serde::de::Error>::custom(::core::format_args!(
                "{{}}: {{}}",
                {msg},
                code
            ))
        }})
    }}
}}
"#
            );
        } else {
            let msg = str_lit(&format!("not a name of the `{catalog}` catalog"));
            let _ = write!(
                out,
                r#"impl ::serde::Serialize for {ty} {{
    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {{
        s.serialize_str(self.name())
    }}
}}

impl<'de> ::serde::Deserialize<'de> for {ty} {{
    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {{
        let name = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
        Self::from_name(&name).ok_or_else(|| {{
            <D::Error as ::serde::de::Error>::custom(::core::format_args!(
                "{{}}: {{}}",
                {msg},
                name
            ))
        }})
    }}
}}
"#
            );
        }
    }
}

/// Alias consts keep the alias spelling; `Self` is a keyword, and `ALL` was the name of the
/// list of entries before `all()`: an alias `ALL` keeps its const `ALL_`.
fn alias_const(alias: &str) -> String {
    match alias {
        "ALL" | "Self" => format!("{alias}_"),
        other => other.to_owned(),
    }
}

/// The smallest unsigned repr that holds `max`.
fn repr_for(max: u32) -> &'static str {
    if max <= u32::from(u8::MAX) {
        "u8"
    } else if max <= u32::from(u16::MAX) {
        "u16"
    } else {
        "u32"
    }
}

/// Rustdoc of a variant: message, then trigger, retry hint and links, each
/// escaped or sanitized for its place.
fn variant_doc(v: &Variant<'_>) -> String {
    let e = v.entry;
    let mut doc = String::new();
    if let Some(code) = &e.code {
        doc.push_str(&format!("`{}` ({}): ", v.name, code.value));
    } else {
        doc.push_str(&format!("`{}`: ", v.name));
    }
    doc.push_str(&markdown::plain(v.message));
    // A trigger the registry leaves out is left out here too, not invented.
    if let Some(trigger) = &e.trigger {
        doc.push_str("\n\n**Trigger:**\n\n");
        doc.push_str(&markdown::block(&trigger.value));
    }
    doc.push_str("\n\n**Retry:** ");
    doc.push_str(&markdown::plain(&e.retry.value.lead()));
    if let RetryHint::AfterFix(what) = &e.retry.value {
        doc.push_str(&markdown::inline(what));
    }
    if !e.aliases.is_empty() {
        let list: Vec<String> = e.aliases.iter().map(|a| format!("`{}`", a.value)).collect();
        doc.push_str(&format!("\n\n**Formerly:** {}", list.join(", ")));
    }
    if let Some(d) = &e.docs {
        doc.push_str("\n\n**Docs:** ");
        doc.push_str(&markdown::link(&d.value));
    }
    doc
}
