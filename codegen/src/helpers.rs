//! Escaping and formatting helpers for templates.
//!
//! Handlebars' HTML escaping is off (`no_escape`): every text goes through one
//! of these, chosen by the template for the place it writes to. The code
//! languages share three generic helpers over the table `errspec::lang::LANGUAGES`:
//! `{{ident name "dart"}}`, `{{str message "typescript"}}` and
//! `{{doc trigger "dart" "  "}}`; a new language is a row there, not a helper here.
//! `ts_str`, `dart_str`, `jsdoc` and `dartdoc` are the same rules under their
//! former names, kept so that templates written for them still render.

use errspec::lang::{self, Language};
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};

/// Registers every helper on `hb`.
pub fn register(hb: &mut Handlebars<'_>) {
    hb.register_helper("ident", Box::new(writes(ident_helper)));
    hb.register_helper("str", Box::new(writes(str_helper)));
    hb.register_helper("doc", Box::new(writes(doc_helper)));
    hb.register_helper("param_ident", Box::new(writes(param_ident_helper)));
    hb.register_helper("param_type", Box::new(writes(param_type_helper)));
    hb.register_helper("param_text", Box::new(writes(param_text_helper)));
    hb.register_helper("ts_str", Box::new(writes(text(ts_string))));
    hb.register_helper("dart_str", Box::new(writes(text(dart_string))));
    hb.register_helper("jsdoc", Box::new(writes(doc_alias(jsdoc))));
    hb.register_helper("dartdoc", Box::new(writes(doc_alias(dartdoc))));
    hb.register_helper("md_cell", Box::new(writes(text(md_inline))));
    hb.register_helper("md_inline", Box::new(writes(text(md_inline))));
    hb.register_helper("md_text", Box::new(writes(text(md_text))));
    hb.register_helper("md_span", Box::new(writes(text(md_span))));
    hb.register_helper("md_link", Box::new(writes(text(md_link))));
    hb.register_helper("chunk", Box::new(chunk));
    hb.register_helper("chunk_starts", Box::new(chunk_starts));
}

// `{{chunk @index 256}}`: the number of the chunk of 256 an item falls in; `(chunk_starts
// @index 256)`: whether it is the first of its chunk. For templates that split a long list
// into pieces a compiler can take (the JVM's 64 KB methods and 65,535 constants per class).
// A size of 0 counts as 1.
handlebars::handlebars_helper!(chunk: |index: u64, size: u64| index / size.max(1));
handlebars::handlebars_helper!(chunk_starts: |index: u64, size: u64| index % size.max(1) == 0);

/// The language named by parameter `i`, or an error listing the table's ids.
fn language(h: &Helper<'_>, i: usize) -> Result<&'static Language, RenderErrorReason> {
    let id = string_param(h, i)?;
    lang::find(id).ok_or_else(|| {
        let ids: Vec<String> = lang::LANGUAGES
            .iter()
            .map(|l| format!("`{}`", l.id))
            .collect();
        RenderErrorReason::Other(format!(
            "helper `{}`: no language `{id}` in errspec::lang::LANGUAGES; there are {}",
            h.name(),
            ids.join(", ")
        ))
    })
}

/// The error for a row that has no rules of this kind (Rust's literals are errspec-rust's).
fn no_rules(h: &Helper<'_>, l: &Language, what: &str) -> RenderErrorReason {
    RenderErrorReason::Other(format!(
        "helper `{}`: the `{}` row of errspec::lang::LANGUAGES has no {what} rules",
        h.name(),
        l.id
    ))
}

/// `{{ident name "dart"}}`: the enum member a name becomes; `{{ident name "kotlin" "type"}}`: the type;
/// `{{ident name "swift" "bare"}}`: the member without its keyword escape, as a string names it;
/// `{{ident dotted "kotlin" "path"}}`: a dotted name (a package) with each keyword part escaped.
fn ident_helper(h: &Helper<'_>) -> Result<String, RenderErrorReason> {
    let name = string_param(h, 0)?;
    let l = language(h, 1)?;
    let ident = match h.param(2) {
        None => l.ident(name),
        Some(_) => match string_param(h, 2)? {
            "member" => l.ident(name),
            "type" => l.type_ident(name),
            "path" => l.path(name),
            "bare" => l.bare_ident(name),
            other => {
                return Err(RenderErrorReason::Other(format!(
                    "helper `ident`: parameter 3 is `member`, `type`, `bare` or `path`, got `{other}`"
                )));
            }
        },
    };
    Ok(ident)
}

/// `{{option "package"}}`: the value of an option the rendering template's
/// header declares (`option package: errspec.generated`), as the settings set
/// it, by template name. Registered per run, since the settings are the run's.
pub struct Options(
    pub std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
);

impl Options {
    /// Every template's options at their defaults, for rendering `targets` outside a run.
    pub fn defaults(targets: &[crate::targets::Target]) -> Options {
        Options(
            targets
                .iter()
                .map(|t| {
                    let options = crate::targets::options_of(targets, t.id())
                        .into_iter()
                        .map(|o| (o.name.clone(), o.default.clone()))
                        .collect();
                    (t.name.clone(), options)
                })
                .collect(),
        )
    }
}

impl handlebars::HelperDef for Options {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = string_param(h, 0)?;
        let template = rc.get_root_template_name().map_or("?", |t| t.as_str());
        let value = self
            .0
            .get(template)
            .and_then(|options| options.get(name))
            .ok_or_else(|| {
                RenderErrorReason::Other(format!(
                    "helper `option`: the template `{template}` reads the option `{name}`, which its header does not declare; add `option {name}: DEFAULT` to its errspec header"
                ))
            })?;
        out.write(value)?;
        Ok(())
    }
}

/// `{{str text "dart"}}`: a string literal, quotes included.
fn str_helper(h: &Helper<'_>) -> Result<String, RenderErrorReason> {
    let text = string_param(h, 0)?;
    let l = language(h, 1)?;
    l.string(text)
        .ok_or_else(|| no_rules(h, l, "string-literal"))
}

/// `{{doc text "dart" "  "}}`: doc-comment lines (the third parameter is the indentation).
fn doc_helper(h: &Helper<'_>) -> Result<String, RenderErrorReason> {
    let text = string_param(h, 0)?;
    let l = language(h, 1)?;
    let indent = match h.param(2) {
        None => "",
        Some(_) => string_param(h, 2)?,
    };
    l.doc(text, indent)
        .ok_or_else(|| no_rules(h, l, "doc-comment"))
}

/// The registry parameter type of parameter `i` (`int`), read back as the view model wrote it.
fn param_type_of(h: &Helper<'_>, i: usize) -> Result<errspec::ParamType, RenderErrorReason> {
    let p = h.param(i).ok_or_else(|| {
        RenderErrorReason::Other(format!("helper `{}` needs parameter {}", h.name(), i + 1))
    })?;
    <crate::view::ParamKind as serde::Deserialize>::deserialize(p.value())
        .map(|kind| kind.0)
        .map_err(|e| RenderErrorReason::Other(format!("helper `{}`: {e}", h.name())))
}

/// `{{param_ident name "kotlin"}}`: the identifier a message parameter becomes (`deviceId`).
fn param_ident_helper(h: &Helper<'_>) -> Result<String, RenderErrorReason> {
    let name = string_param(h, 0)?;
    Ok(language(h, 1)?.param_ident(name))
}

/// `{{param_type type "kotlin"}}`: the language's type for a parameter type (`Long`).
fn param_type_helper(h: &Helper<'_>) -> Result<String, RenderErrorReason> {
    let ty = param_type_of(h, 0)?;
    Ok(language(h, 1)?.param_type(ty).ty.to_owned())
}

/// `{{param_text name type "typescript" "args."}}`: the expression writing the
/// parameter as message text (`String(args.count)`); the optional fourth parameter
/// is put before the identifier.
fn param_text_helper(h: &Helper<'_>) -> Result<String, RenderErrorReason> {
    let name = string_param(h, 0)?;
    let ty = param_type_of(h, 1)?;
    let l = language(h, 2)?;
    let prefix = match h.param(3) {
        None => "",
        Some(_) => string_param(h, 3)?,
    };
    Ok(l.param_text(ty, &format!("{prefix}{}", l.param_ident(name))))
}

/// A handlebars helper from a function of its parameters: what it returns is written.
fn writes(
    f: impl Fn(&Helper<'_>) -> Result<String, RenderErrorReason> + Send + Sync,
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
        out.write(&f(h)?)?;
        Ok(())
    }
}

/// A helper taking one string parameter; a missing or non-string parameter is an error, never "".
fn text(
    f: fn(&str) -> String,
) -> impl Fn(&Helper<'_>) -> Result<String, RenderErrorReason> + Send + Sync {
    move |h| Ok(f(string_param(h, 0)?))
}

/// A doc-comment alias: `{{jsdoc text "  "}}` (the second parameter is the indentation).
fn doc_alias(
    f: fn(&str, &str) -> String,
) -> impl Fn(&Helper<'_>) -> Result<String, RenderErrorReason> + Send + Sync {
    move |h| {
        let indent = match h.param(1) {
            None => "",
            Some(_) => string_param(h, 1)?,
        };
        Ok(f(string_param(h, 0)?, indent))
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

/// A TypeScript string literal in double quotes: `{{str s "typescript"}}`.
pub fn ts_string(s: &str) -> String {
    lang::TYPESCRIPT.string(s).unwrap_or_default()
}

/// A Dart string literal in single quotes: `{{str s "dart"}}`.
pub fn dart_string(s: &str) -> String {
    lang::DART.string(s).unwrap_or_default()
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

/// JSDoc lines: `{{doc s "typescript" indent}}`.
pub fn jsdoc(s: &str, indent: &str) -> String {
    lang::TYPESCRIPT.doc(s, indent).unwrap_or_default()
}

/// Dart doc lines: `{{doc s "dart" indent}}`.
pub fn dartdoc(s: &str, indent: &str) -> String {
    lang::DART.doc(s, indent).unwrap_or_default()
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
        // The table's rules against serde_json, which the TypeScript target used before them.
        let all: String = (0..0x3000u32).filter_map(char::from_u32).collect();
        let json = serde_json::to_string(&all).map(|j| {
            j.replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029")
        });
        assert_eq!(Ok(ts_string(&all)), json.map_err(|e| e.to_string()));
    }

    fn render(template: &str) -> Result<String, String> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register(&mut hb);
        let data = serde_json::json!({ "name": "DEFAULT", "text": "a $b */", "kind": "type" });
        hb.render_template(template, &data)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn generic_helpers_read_the_table() {
        assert_eq!(
            render(r#"{{ident name "dart"}}"#).as_deref(),
            Ok("default_")
        );
        assert_eq!(
            render(r#"{{ident name "swift"}}"#).as_deref(),
            Ok("`default`")
        );
        assert_eq!(
            render(r#"{{ident name "rust" kind}}"#).as_deref(),
            Ok("Default")
        );
        assert_eq!(
            render(r#"{{str text "dart"}}"#).as_deref(),
            Ok(r"'a \$b */'")
        );
        assert_eq!(
            render(r#"{{doc text "typescript" "  "}}"#).as_deref(),
            Ok(r"   * a $b *\/")
        );
        assert_eq!(
            render(r#"{{doc text "kotlin"}}"#).as_deref(),
            Ok(r" * a $b *\/")
        );
    }

    #[test]
    fn parameter_helpers_read_the_table() {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register(&mut hb);
        let data = serde_json::json!({ "name": "device_id", "type": "int" });
        let r = |t: &str| hb.render_template(t, &data).map_err(|e| e.to_string());
        assert_eq!(
            r(r#"{{param_ident name "kotlin"}}"#).as_deref(),
            Ok("deviceId")
        );
        assert_eq!(
            r(r#"{{param_ident name "rust"}}"#).as_deref(),
            Ok("device_id")
        );
        assert_eq!(r(r#"{{param_type type "kotlin"}}"#).as_deref(), Ok("Long"));
        assert_eq!(r(r#"{{param_type type "swift"}}"#).as_deref(), Ok("Int"));
        assert_eq!(
            r(r#"{{param_text name type "typescript" "args."}}"#).as_deref(),
            Ok("String(args.deviceId)")
        );
        assert_eq!(
            r(r#"{{param_text name type "dart"}}"#).as_deref(),
            Ok("deviceId.toString()")
        );
        assert!(
            r(r#"{{param_type "float" "dart"}}"#)
                .err()
                .unwrap_or_default()
                .contains("not a parameter type")
        );
    }

    #[test]
    fn a_path_escapes_its_keyword_parts_only() {
        let path = |p: &str, l: &str| lang::find(l).map(|l| l.path(p));
        assert_eq!(
            path("com.example.in.fun", "kotlin").as_deref(),
            Some("com.example.`in`.`fun`")
        );
        // Case is kept: `In` is no keyword, and a member name (`Companion`) is no package clash.
        assert_eq!(
            path("com.In.Companion", "kotlin").as_deref(),
            Some("com.In.Companion")
        );
        assert_eq!(
            path("errspec.generated", "kotlin").as_deref(),
            Some("errspec.generated")
        );
    }

    #[test]
    fn generic_helpers_refuse_what_the_table_lacks() {
        let err = |t: &str| render(t).err().unwrap_or_default();
        assert!(err(r#"{{str text "cobol"}}"#).contains("no language `cobol`"));
        assert!(err(r#"{{str text "rust"}}"#).contains("no string-literal rules"));
        assert!(err(r#"{{doc text "rust"}}"#).contains("no doc-comment rules"));
        assert!(
            err(r#"{{ident name "dart" "enum"}}"#).contains("`member`, `type`, `bare` or `path`")
        );
        assert!(err(r#"{{str text}}"#).contains("needs parameter 2"));
        assert!(err(r#"{{str 3 "dart"}}"#).contains("needs a string"));
    }

    #[test]
    fn chunks_split_a_list_at_every_size_th_item() {
        let data = serde_json::json!({ "items": [0, 1, 2, 3, 4] });
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register(&mut hb);
        let t = "{{#each items}}{{#if (chunk_starts @index 2)}}[{{chunk @index 2}}]{{/if}}{{this}}{{/each}}";
        assert_eq!(
            hb.render_template(t, &data).map_err(|e| e.to_string()),
            Ok("[0]01[1]23[2]4".to_owned())
        );
        // A size of 0 is 1, not a division by zero.
        let t = "{{#each items}}{{chunk @index 0}}{{/each}}";
        assert_eq!(
            hb.render_template(t, &data).map_err(|e| e.to_string()),
            Ok("01234".to_owned())
        );
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
