//! A target's language row, `<folder>/target.toml`: the data of an
//! [`errspec::lang::Language`], read with unknown keys refused and every problem
//! rendered as an errspec diagnostic at its `path:line:column` (as `config.rs`
//! renders errspec.toml's). The format is described in ARCHITECTURE.md ("A
//! target's folder").

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use errspec::lang::{
    Case, CatalogForm, CatalogRule, Comment, Controls, DocRules, Idents, Language, ParamRules,
    ParamTypeRule, ReservedPackage, SlotLimit, StringRules, Unicode, Wrap,
};
use errspec::{Diagnostic, Diagnostics, Rule, SourceMap, Span};
use serde::Deserialize;
use toml::Spanned;

/// The row file's name in a target's folder.
pub const FILE_NAME: &str = "target.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: String,
    comment: RawComment,
    #[serde(default)]
    catalog: Vec<RawName>,
    #[serde(default)]
    files: Vec<RawName>,
    #[serde(default)]
    reserved_files: Vec<String>,
    #[serde(default)]
    reserved_packages: Vec<RawPackage>,
    #[serde(default = "dotted_by_default")]
    dotted_packages: bool,
    #[serde(default)]
    prefix_packages: bool,
    #[serde(default)]
    type_names: Vec<String>,
    #[serde(default)]
    catalog_keywords: Vec<String>,
    #[serde(default)]
    idents: RawIdents,
    string: Option<RawString>,
    doc: Option<RawDoc>,
    params: Option<RawParams>,
}

#[derive(Deserialize)]
#[serde(untagged, deny_unknown_fields)]
enum RawComment {
    Line { line: String },
    Block { open: String, close: String },
}

/// A package option may have several parts unless the row says otherwise.
fn dotted_by_default() -> bool {
    true
}

/// `{ what = "retry type", name = "{type}Retry" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawName {
    what: String,
    name: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackage {
    name: String,
    why: String,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawCase {
    Verbatim,
    UpperCamel,
    LowerCamel,
}

impl From<RawCase> for Case {
    fn from(c: RawCase) -> Case {
        match c {
            RawCase::Verbatim => Case::Verbatim,
            RawCase::UpperCamel => Case::UpperCamel,
            RawCase::LowerCamel => Case::LowerCamel,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWrap {
    #[serde(default)]
    before: String,
    #[serde(default)]
    after: String,
}

/// A wrap that is no key given: a trailing `_`.
fn underscore() -> RawWrap {
    RawWrap {
        before: String::new(),
        after: "_".to_owned(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIdents {
    #[serde(default = "verbatim")]
    member: RawCase,
    #[serde(rename = "type", default = "verbatim")]
    ty: RawCase,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default = "underscore")]
    keyword_escape: RawWrap,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default = "underscore")]
    member_escape: RawWrap,
}

fn verbatim() -> RawCase {
    RawCase::Verbatim
}

impl Default for RawIdents {
    fn default() -> Self {
        RawIdents {
            member: RawCase::Verbatim,
            ty: RawCase::Verbatim,
            keywords: Vec::new(),
            keyword_escape: underscore(),
            members: Vec::new(),
            member_escape: underscore(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawControls {
    C0,
    All,
    NonAscii,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnicode {
    before: String,
    width: usize,
    #[serde(default)]
    after: String,
    #[serde(default)]
    utf8: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawString {
    quote: String,
    #[serde(default)]
    escapes: Vec<(char, String)>,
    controls: RawControls,
    #[serde(default)]
    also: Vec<char>,
    unicode: RawUnicode,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDoc {
    line: String,
    empty: String,
    #[serde(default)]
    replace: Vec<(String, String)>,
    #[serde(default)]
    leading: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParams {
    case: RawCase,
    #[serde(default)]
    keywords: Vec<String>,
    max_slots: Option<RawSlots>,
    string: RawParamType,
    int: RawParamType,
    bool: RawParamType,
    duration: RawParamType,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSlots {
    max: usize,
    holder: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParamType {
    #[serde(rename = "type")]
    ty: String,
    text: Spanned<String>,
    #[serde(default = "one")]
    slots: usize,
}

fn one() -> usize {
    1
}

/// Reads the row of the target `id` from `text`, the file at `path`; the error
/// is every problem (each at its `path:line:column`, with the fix).
pub fn parse(id: &str, path: &Path, text: &str) -> Result<Arc<Language>, Diagnostics> {
    let mut sources = SourceMap::new();
    let file = sources.add(path, text.to_owned());
    let at = |range: Range<usize>| Span {
        file,
        start: range.start,
        end: range.end,
    };
    let raw: Raw = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let d = toml_problem(id, path, &e, at);
            return Err(Diagnostics {
                sources,
                list: vec![d],
            });
        }
    };
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut names = |list: Vec<RawName>| -> Vec<CatalogRule> {
        list.into_iter()
            .filter_map(|n| match name_rule(n.name.get_ref()) {
                Ok((form, suffix)) => Some(CatalogRule {
                    what: n.what,
                    form,
                    suffix,
                }),
                Err(why) => {
                    problems.push(
                        Diagnostic::new(Rule::WrongType, format!("{FILE_NAME} of `{id}`: {why}"))
                            .primary(at(n.name.span()), "this name")
                            .help("a name starts with `{type}` (`HttpStatus`), `{lower}` (`httpStatus`) or `{name}` (`http_status`), then its suffix: `{type}Retry`, `{name}.kt`"),
                    );
                    None
                }
            })
            .collect()
    };
    let catalog = names(raw.catalog);
    let files = names(raw.files);
    let params = raw.params.map(|p| {
        let mut ty = |t: RawParamType| {
            if !t.text.get_ref().contains("{}") {
                problems.push(
                    Diagnostic::new(
                        Rule::WrongType,
                        format!("{FILE_NAME} of `{id}`: a parameter's `text` has no `{{}}`"),
                    )
                    .primary(at(t.text.span()), "no `{}` in it")
                    .help("`text` is the expression writing the value as text, `{}` standing for the value: `String({})`, `{}.toString()`, `{}`"),
                );
            }
            ParamTypeRule {
                ty: t.ty,
                text: t.text.into_inner(),
                slots: t.slots,
            }
        };
        ParamRules {
            case: p.case.into(),
            keywords: p.keywords,
            string: ty(p.string),
            int: ty(p.int),
            bool: ty(p.bool),
            duration: ty(p.duration),
            max_slots: p.max_slots.map(|s| SlotLimit {
                max: s.max,
                holder: s.holder,
            }),
        }
    });
    if !problems.is_empty() {
        return Err(Diagnostics {
            sources,
            list: problems,
        });
    }
    let wrap = |w: RawWrap| Wrap {
        before: w.before,
        after: w.after,
    };
    Ok(Arc::new(Language {
        id: id.to_owned(),
        name: raw.name,
        comment: match raw.comment {
            RawComment::Line { line } => Comment::Line(line),
            RawComment::Block { open, close } => Comment::Block { open, close },
        },
        idents: Idents {
            member: raw.idents.member.into(),
            ty: raw.idents.ty.into(),
            keywords: raw.idents.keywords,
            keyword_escape: wrap(raw.idents.keyword_escape),
            members: raw.idents.members,
            member_escape: wrap(raw.idents.member_escape),
        },
        string: raw.string.map(|s| StringRules {
            quote: s.quote,
            escapes: s.escapes,
            controls: match s.controls {
                RawControls::C0 => Controls::C0,
                RawControls::All => Controls::All,
                RawControls::NonAscii => Controls::NonAscii,
            },
            also: s.also,
            unicode: Unicode {
                before: s.unicode.before,
                width: s.unicode.width,
                after: s.unicode.after,
                utf8: s.unicode.utf8,
            },
        }),
        doc: raw.doc.map(|d| DocRules {
            line: d.line,
            empty: d.empty,
            replace: d.replace,
            leading: d.leading,
        }),
        catalog,
        params,
        files,
        reserved_files: raw.reserved_files,
        reserved_packages: raw
            .reserved_packages
            .into_iter()
            .map(|p| ReservedPackage {
                name: p.name,
                why: p.why,
            })
            .collect(),
        dotted_packages: raw.dotted_packages,
        prefix_packages: raw.prefix_packages,
        type_names: raw.type_names,
        catalog_keywords: raw.catalog_keywords,
    }))
}

/// The problem TOML found in a row: an unknown key, or a value of the wrong type.
fn toml_problem(
    id: &str,
    path: &Path,
    e: &toml::de::Error,
    at: impl Fn(Range<usize>) -> Span,
) -> Diagnostic {
    crate::config::toml_diagnostic(e, path, at, &format!("{FILE_NAME} of `{id}`"), |_| {
        "a target's row is described in errspec's ARCHITECTURE.md (\"A target's folder\"); compare with a built-in's, such as codegen/targets/kotlin/target.toml".to_owned()
    })
}

/// `{type}Retry` → the form and the suffix.
fn name_rule(pattern: &str) -> Result<(CatalogForm, String), String> {
    for (placeholder, form) in [
        ("{type}", CatalogForm::Type),
        ("{lower}", CatalogForm::Lower),
        ("{name}", CatalogForm::Name),
    ] {
        if let Some(suffix) = pattern.strip_prefix(placeholder) {
            if suffix.contains(['{', '}']) {
                return Err(format!(
                    "the name `{pattern}` has a placeholder after its first; only the first part is the catalog's"
                ));
            }
            return Ok((form, suffix.to_owned()));
        }
    }
    Err(format!(
        "the name `{pattern}` does not start with `{{type}}`, `{{lower}}` or `{{name}}`"
    ))
}

#[cfg(test)]
mod tests {
    use crate::targets::{BUILT_IN, built_in_language};

    fn row(id: &str) -> std::sync::Arc<errspec::lang::Language> {
        built_in_language(id).unwrap_or_else(|| panic!("no row `{id}`"))
    }

    fn str_in(id: &str, s: &str) -> String {
        row(id).string(s).unwrap_or_default()
    }

    fn doc_in(id: &str, s: &str) -> String {
        row(id).doc(s, "").unwrap_or_default()
    }

    #[test]
    fn every_built_in_row_parses() {
        for b in BUILT_IN {
            let at = format!("codegen/targets/{}/{}", b.id, super::FILE_NAME);
            if let Err(e) = super::parse(b.id, std::path::Path::new(&at), b.row) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn quotes_and_backslashes() {
        assert_eq!(
            str_in("typescript", r#"a "b" 'c' \"#),
            r#""a \"b\" 'c' \\""#
        );
        assert_eq!(str_in("dart", r#"a "b" 'c' \"#), r#"'a "b" \'c\' \\'"#);
        assert_eq!(str_in("kotlin", r#"a "b" 'c' \"#), r#""a \"b\" 'c' \\""#);
        assert_eq!(str_in("swift", r#"a "b" 'c' \"#), r#""a \"b\" 'c' \\""#);
    }

    #[test]
    fn interpolation_never_starts() {
        // `$`/`${` interpolate in Dart and Kotlin; `\(` in Swift; none in TypeScript's double quotes.
        let s = r"$x ${y} \(z) `t`";
        assert_eq!(str_in("typescript", s), r#""$x ${y} \\(z) `t`""#);
        assert_eq!(str_in("dart", s), r"'\$x \${y} \\(z) `t`'");
        assert_eq!(str_in("kotlin", s), r#""\$x \${y} \\(z) `t`""#);
        assert_eq!(str_in("swift", s), r#""$x ${y} \\(z) `t`""#);
    }

    #[test]
    fn control_characters_and_line_separators() {
        let s = "a\nb\r\t\u{0}\u{7}\u{8}\u{c}\u{7f}\u{85}\u{2028}\u{2029}";
        assert_eq!(
            str_in("typescript", s),
            "\"a\\nb\\r\\t\\u0000\\u0007\\b\\f\u{7f}\u{85}\\u2028\\u2029\""
        );
        assert_eq!(
            str_in("dart", s),
            "'a\\nb\\r\\t\\u{0}\\u{7}\\u{8}\\u{c}\\u{7f}\\u{85}\u{2028}\u{2029}'"
        );
        assert_eq!(
            str_in("kotlin", s),
            r#""a\nb\r\t\u0000\u0007\b\u000c\u007f\u0085\u2028\u2029""#
        );
        assert_eq!(
            str_in("swift", s),
            r#""a\nb\r\t\0\u{7}\u{8}\u{c}\u{7f}\u{85}\u{2028}\u{2029}""#
        );
    }

    #[test]
    fn go_literals_and_comments_hold_what_go_refuses() {
        // A backquote is text in an interpreted literal; a BOM, NUL and bidi controls are escaped.
        assert_eq!(
            str_in(
                "go",
                "`r` \"q\" \\ \u{feff}\u{0}\u{7f}\u{202e}\u{2066}\n\u{200f}é"
            ),
            "\"`r` \\\"q\\\" \\\\ \\ufeff\\u0000\\u007f\\u202e\\u2066\\n\u{200f}é\""
        );
        assert_eq!(
            doc_in(
                "go",
                "a */\nDeprecated: x\n  +build linux\ngo:build y\n\u{feff}"
            ),
            "// a */\n// Deprecated\\: x\n//   \\+build linux\n// go\\:build y\n// \\ufeff"
        );
        let go = row("go");
        assert_eq!(go.path("type"), "type_");
        assert_eq!(go.ident("INVALID_API_KEY"), "INVALID_API_KEY");
        assert!(go.is_param_keyword("range") && !go.is_param_keyword("string"));
    }

    #[test]
    fn typescript_strings_are_json_with_line_separators_escaped() {
        // The row's rules against serde_json, which the TypeScript target used before them.
        let all: String = (0..0x3000u32).filter_map(char::from_u32).collect();
        let json = serde_json::to_string(&all).map(|j| {
            j.replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029")
        });
        assert_eq!(
            Ok(str_in("typescript", &all)),
            json.map_err(|e| e.to_string())
        );
    }

    #[test]
    fn doc_comments_cannot_be_closed_or_opened() {
        assert_eq!(
            doc_in("typescript", "a */ b\n\nc /* d"),
            " * a *\\/ b\n *\n * c /* d"
        );
        assert_eq!(
            doc_in("dart", "a */ b\r\nc /* d\re"),
            "/// a */ b\n/// c /\\* d\n/// e"
        );
        assert_eq!(
            doc_in("kotlin", "a */ b /* c */*"),
            " * a *\\/ b /\\* c *\\/\\*"
        );
        assert_eq!(doc_in("swift", "a /* b"), "/// a /\\* b");
        assert_eq!(str_in("swift", "a /* b */"), r#""a /\u{2a} b \u{2a}/""#);
        assert_eq!(
            row("dart").doc("a\n\nb", "  "),
            Some("  /// a\n  ///\n  /// b".to_owned())
        );
        assert_eq!(doc_in("typescript", "  @see x @y"), " *   \\@see x @y");
        assert_eq!(doc_in("kotlin", "@param x"), " * \\@param x");
        assert_eq!(doc_in("dart", "@x"), "/// @x");
    }

    #[test]
    fn keywords_and_members_are_escaped() {
        let ident = |id: &str, name: &str| row(id).ident(name);
        assert_eq!(ident("rust", "SELF"), "Self_");
        assert_eq!(ident("rust", "INVALID_API_KEY"), "InvalidApiKey");
        assert_eq!(ident("typescript", "DEFAULT"), "DEFAULT");
        assert_eq!(ident("dart", "DEFAULT"), "default_");
        assert_eq!(ident("dart", "NAME"), "name_");
        assert_eq!(ident("dart", "INDEX"), "index_");
        assert_eq!(ident("dart", "INT"), "int_");
        assert_eq!(ident("dart", "TIMEOUT"), "timeout");
        assert_eq!(ident("dart", "FOO_BAR_"), ident("dart", "FOO_BAR"));
        assert_eq!(ident("swift", "DEFAULT"), "`default`");
        assert_eq!(ident("swift", "RAW_VALUE"), "rawValue_");
        assert_eq!(ident("swift", "SELF"), "self_");
        assert_eq!(ident("swift", "ACCEPTED_NAMES"), "acceptedNames_");
        assert_eq!(ident("kotlin", "INVALID_API_KEY"), "INVALID_API_KEY");
        assert_eq!(ident("kotlin", "Companion"), "Companion_");
        assert_eq!(row("kotlin").type_ident("object"), "Object");
        assert_eq!(row("rust").string("x"), None);
        assert_eq!(row("markdown").param_ident("x"), None);
    }

    #[test]
    fn a_path_escapes_its_keyword_parts_only() {
        let kotlin = row("kotlin");
        assert_eq!(kotlin.path("com.example.in.fun"), "com.example.`in`.`fun`");
        // Case is kept: `In` is no keyword, and a member name (`Companion`) is no package clash.
        assert_eq!(kotlin.path("com.In.Companion"), "com.In.Companion");
        assert_eq!(kotlin.path("errspec.generated"), "errspec.generated");
    }

    #[test]
    fn catalog_identifiers_follow_the_generated_names() {
        let languages = crate::targets::built_in_languages().unwrap_or_else(|e| panic!("{e}"));
        let of = |name: &str| -> Vec<String> {
            errspec::lang::catalog_idents(&languages)
                .map(|row| row.ident(name))
                .collect()
        };
        assert_eq!(
            of("http_status"),
            [
                "HttpStatus",
                "HttpStatusError",
                "HttpStatusArgs",
                "HttpStatusRetry",
                "HttpStatusUnknownName",
                "httpStatus",
                "HttpStatusCode",
                "HttpStatusFormat",
                "HttpStatusName",
                "HttpStatusRetry",
                "HttpStatusEntry",
                "HttpStatusError",
                "HttpStatus",
                "HttpStatusException",
                "httpStatusErrors",
                "HttpStatusFormat",
                "HttpStatusRetry",
                "HttpStatusRetryNever",
                "HttpStatusRetryAfter",
                "HttpStatusRetryBackoff",
                "HttpStatusRetryAfterFix",
                "HttpStatusRetryUnspecified",
                "HttpStatus",
                "HttpStatusRetry",
                "HttpStatusFormat",
                "HttpStatusException",
                "HttpStatus",
                "HttpStatusError",
                "HttpStatusRetry",
                "HttpStatusFormat",
                "HttpStatus",
                "HttpStatusRetry",
                "HttpStatusRetryKind",
                "HttpStatusRetryUnspecified",
                "HttpStatusRetryNever",
                "HttpStatusRetryAfter",
                "HttpStatusRetryBackoff",
                "HttpStatusRetryAfterFix",
                "HttpStatusError",
                "HttpStatusValues",
                "HttpStatusFromCode",
                "HttpStatusFromName",
                "httpStatusTable",
                "httpStatusByValue",
                "httpStatusByName",
                "http_status_h",
                "http_status_retry_kind",
                "http_status_retry_unspecified",
                "http_status_retry_never",
                "http_status_retry_after",
                "http_status_retry_backoff",
                "http_status_retry_fix",
                "http_status_retry",
                "http_status_entry",
                "http_status_code",
                "http_status_code_none",
                "http_status_count",
                "http_status_entries",
                "http_status_key",
                "http_status_by_code",
                "http_status_by_name",
                "http_status_from_code",
                "http_status_from_name",
                "http_status_error",
                "http_status_error_make",
                "http_status_error_message",
            ]
        );
        // A digit word joins the word before it: `a_1` and `a1` collide wherever the
        // case changes (C's snake_case names keep them apart).
        let camel = |name: &str| -> Vec<String> {
            of(name).into_iter().filter(|n| !n.contains('_')).collect()
        };
        assert_eq!(camel("a_1"), camel("a1"));
        // Underscores between letters change the case, so these stay apart everywhere.
        for (a, b) in [("a_b", "ab_c"), ("a_b", "ab"), ("a_bc", "ab_c")] {
            let (a, b) = (of(a), of(b));
            assert!(a.iter().zip(&b).all(|(x, y)| x != y), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn a_name_starts_with_its_placeholder() {
        assert!(super::name_rule("{type}Retry$AfterFix.class").is_ok());
        assert!(super::name_rule("Retry{type}").is_err());
        assert!(super::name_rule("{type}{lower}").is_err());
    }
}
