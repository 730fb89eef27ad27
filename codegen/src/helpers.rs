//! Escaping and formatting helpers for templates.
//!
//! Handlebars' HTML escaping is off (`no_escape`): every text goes through one
//! of these, chosen by the template for the place it writes to. The code
//! languages share generic helpers over the rendering template's language row
//! (its header's `language: ID`, see [`crate::targets`]): `{{ident name}}`,
//! `{{str message}}`, `{{doc trigger "  "}}`, `{{param_ident name}}`,
//! `{{param_type type}}`, `{{param_text name type "args."}}` and `{{preamble}}`;
//! a new language is a row, not a helper here.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use errspec::lang::Language;
use errspec::preamble::{Source, preamble};
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason,
};

use crate::targets::{Target, ViewSpec};

/// Registers every helper on `hb`; the row helpers read `rows` by the
/// rendering template's name.
pub fn register(hb: &mut Handlebars<'_>, rows: &Rows) {
    let with_row = |f: RowFn| {
        Box::new(RowHelper {
            rows: rows.clone(),
            f,
        })
    };
    for (name, f) in ROW_HELPERS {
        hb.register_helper(name, with_row(f));
    }
    hb.register_helper("preamble", Box::new(Preamble(rows.clone())));
    for (name, f, _) in TEXT_HELPERS {
        hb.register_helper(name, Box::new(writes(text(f))));
    }
    hb.register_helper("chunk", Box::new(chunk));
    hb.register_helper("chunk_starts", Box::new(chunk_starts));
}

/// The helpers over the rendering template's row, by name.
pub(crate) const ROW_HELPERS: [(&str, RowFn); 6] = [
    ("ident", ident_helper),
    ("str", str_helper),
    ("doc", doc_helper),
    ("param_ident", param_ident_helper),
    ("param_type", param_type_helper),
    ("param_text", param_text_helper),
];

/// A helper of one string parameter.
pub(crate) type TextFn = fn(&str) -> String;

/// The helpers of one string parameter, by name, and whether the compiled
/// engine shares their results between a catalog's pages (those that run the
/// Markdown parser; the others cost less than a lookup).
pub(crate) const TEXT_HELPERS: [(&str, TextFn, bool); 4] = [
    ("md_inline", md_inline, false),
    ("md_text", md_text, true),
    ("md_span", md_span, true),
    ("md_link", md_link, false),
];

/// A helper's parameters as a helper function reads them: handlebars' own
/// [`Helper`], or the compiled engine's evaluated arguments ([`crate::engine`]).
pub(crate) trait Args {
    /// The helper's name, for messages.
    fn name(&self) -> &str;
    /// Parameter `i`: its value (null when missing) and the path it was read from.
    fn param(&self, i: usize) -> Option<Arg<'_>>;
}

/// One parameter of a helper call.
pub(crate) struct Arg<'a> {
    value: ArgValue<'a>,
    path: Option<&'a String>,
}

enum ArgValue<'a> {
    Json(&'a serde_json::Value),
    /// A typed entry's text ([`crate::engine`]): made JSON only if read as JSON.
    Text(&'a str, &'a OnceCell<serde_json::Value>),
}

impl<'a> Arg<'a> {
    pub(crate) fn new(value: &'a serde_json::Value, path: Option<&'a String>) -> Arg<'a> {
        Arg {
            value: ArgValue::Json(value),
            path,
        }
    }
    pub(crate) fn text(
        text: &'a str,
        json: &'a OnceCell<serde_json::Value>,
        path: Option<&'a String>,
    ) -> Arg<'a> {
        Arg {
            value: ArgValue::Text(text, json),
            path,
        }
    }
    fn value(&self) -> &'a serde_json::Value {
        match self.value {
            ArgValue::Json(j) => j,
            ArgValue::Text(s, json) => json.get_or_init(|| serde_json::Value::from(s)),
        }
    }
    fn as_str(&self) -> Option<&'a str> {
        match self.value {
            ArgValue::Json(j) => j.as_str(),
            ArgValue::Text(s, _) => Some(s),
        }
    }
    fn relative_path(&self) -> Option<&'a String> {
        self.path
    }
}

impl Args for Helper<'_> {
    fn name(&self) -> &str {
        Helper::name(self)
    }
    fn param(&self, i: usize) -> Option<Arg<'_>> {
        Helper::param(self, i).map(|p| Arg::new(p.value(), p.relative_path()))
    }
}

// `{{chunk @index 256}}`: the number of the chunk of 256 an item falls in; `(chunk_starts
// @index 256)`: whether it is the first of its chunk. For templates that split a long list
// into pieces a compiler can take (the JVM's 64 KB methods and 65,535 constants per class).
// A size of 0 counts as 1.
handlebars::handlebars_helper!(chunk: |index: u64, size: u64| index / size.max(1));
handlebars::handlebars_helper!(chunk_starts: |index: u64, size: u64| index % size.max(1) == 0);

/// What the row helpers know of a template.
pub(crate) struct TemplateRow {
    /// The row its header's `language:` names.
    language: Option<Arc<Language>>,
    /// Whether it renders the `registry` view (its preamble names no catalog).
    registry: bool,
}

/// Every template's row, by template name.
#[derive(Clone)]
pub struct Rows(Arc<BTreeMap<String, TemplateRow>>);

impl Rows {
    pub fn new(targets: &[Target]) -> Rows {
        Rows(Arc::new(
            targets
                .iter()
                .map(|t| {
                    let row = TemplateRow {
                        language: t.language.clone(),
                        registry: t.view == ViewSpec::Registry,
                    };
                    (t.name.clone(), row)
                })
                .collect(),
        ))
    }

    /// The row of the template `name`.
    pub(crate) fn get(&self, name: &str) -> Option<(&str, &TemplateRow)> {
        self.0.get_key_value(name).map(|(n, r)| (n.as_str(), r))
    }

    /// The rendering template's entry.
    fn of<'a>(
        &'a self,
        h: &Helper<'_>,
        rc: &RenderContext<'_, '_>,
    ) -> Result<(&'a TemplateRow, &'a str), RenderErrorReason> {
        let name = rc.get_root_template_name().map_or("?", |t| t.as_str());
        row_of(self.get(name), name, h)
    }
}

/// A template's row, or the error of a template that is no target's.
pub(crate) fn row_of<'a>(
    row: Option<(&'a str, &'a TemplateRow)>,
    template: &str,
    h: &dyn Args,
) -> Result<(&'a TemplateRow, &'a str), RenderErrorReason> {
    let (name, row) = row.ok_or_else(|| {
        RenderErrorReason::Other(format!(
            "helper `{}`: the template `{template}` is not a target's",
            h.name()
        ))
    })?;
    Ok((row, name))
}

/// A template's language row, or the error of a template naming none.
pub(crate) fn language_of<'a>(
    row: &'a TemplateRow,
    template: &str,
    h: &dyn Args,
) -> Result<&'a Language, RenderErrorReason> {
    row.language.as_deref().ok_or_else(|| {
        RenderErrorReason::Other(format!(
            "helper `{}`: the template `{template}` names no language; add `language: ID` to its errspec header (its folder's row, or a built-in target's id such as `kotlin`)",
            h.name()
        ))
    })
}

/// A helper over the rendering template's row: it writes into the string it is given.
pub(crate) type RowFn = fn(&dyn Args, &Language, &mut String) -> Result<(), RenderErrorReason>;

struct RowHelper {
    rows: Rows,
    f: RowFn,
}

impl HelperDef for RowHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let (row, name) = self.rows.of(h, rc)?;
        let mut text = String::new();
        (self.f)(h, language_of(row, name, h)?, &mut text)?;
        out.write(&text)?;
        Ok(())
    }
}

/// `{{preamble}}`: the generated file's header ("Generated by errspec codegen
/// from ...; do not edit.") in the row's comment syntax, naming the context's
/// catalog (`name`, `platform.id`) or the registry.
struct Preamble(Rows);

impl HelperDef for Preamble {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let (row, name) = self.0.of(h, rc)?;
        out.write(&preamble_text(h, row, name, ctx.data())?)?;
        Ok(())
    }
}

/// What `{{preamble}}` writes for the template `name` of `row`, `data` being the render's root.
pub(crate) fn preamble_text(
    h: &dyn Args,
    row: &TemplateRow,
    name: &str,
    data: &serde_json::Value,
) -> Result<String, RenderErrorReason> {
    // A file in another syntax than the row's (a pubspec's YAML): its line comment, `{{preamble "#"}}`.
    let comment = match h.param(0).map(|p| p.value().clone()) {
        None => language_of(row, name, h)?.comment.clone(),
        Some(serde_json::Value::String(prefix))
            if !prefix.is_empty() && !prefix.contains(['\n', '\r']) && h.param(1).is_none() =>
        {
            errspec::lang::Comment::Line(prefix)
        }
        Some(p) => {
            return Err(RenderErrorReason::Other(format!(
                "helper `preamble` takes no parameter, or one string, a line comment's opening (`{{{{preamble \"#\"}}}}`), got `{p}`: it reads the template's language row and view"
            )));
        }
    };
    let source = if row.registry {
        Source::Registry
    } else {
        let name = data.get("name").and_then(|n| n.as_str()).ok_or_else(|| {
            RenderErrorReason::Other(
                "helper `preamble`: the context has no catalog `name`".to_owned(),
            )
        })?;
        let platform = data
            .get("platform")
            .and_then(|p| p.get("id"))
            .and_then(|id| id.as_str());
        Source::Catalog { name, platform }
    };
    // Every view's root carries it (`regenerate`, view::CatalogModel).
    let command = data
        .get("regenerate")
        .and_then(|c| c.as_str())
        .unwrap_or(errspec::preamble::DEFAULT_COMMAND);
    Ok(preamble(&comment, source, command))
}

/// The error for a call that still passes a language, as helpers took before
/// templates named theirs in the header.
fn language_argument(h: &dyn Args, l: &Language, given: &str) -> RenderErrorReason {
    RenderErrorReason::Other(format!(
        "helper `{}`: the language now comes from the template's errspec header (`language: {}`), not from an argument; remove `{given}` from the call",
        h.name(),
        l.id
    ))
}

/// Refuses parameters from `from` on: the old language argument, or one too many.
fn at_most(h: &dyn Args, l: &Language, from: usize) -> Result<(), RenderErrorReason> {
    match h.param(from) {
        None => Ok(()),
        Some(p) => Err(language_argument(h, l, &p.value().to_string())),
    }
}

/// The error for a row that has no rules of this kind (Markdown's parameters).
fn no_rules(h: &dyn Args, l: &Language, what: &str) -> RenderErrorReason {
    RenderErrorReason::Other(format!(
        "helper `{}`: the `{}` language row has no {what} rules",
        h.name(),
        l.id
    ))
}

/// `{{ident name}}`: the enum member a name becomes; `{{ident name "type"}}`: the type;
/// `{{ident name "bare"}}`: the member without its keyword escape, as a string names it;
/// `{{ident dotted "path"}}`: a dotted name (a package) with each keyword part escaped.
fn ident_helper(h: &dyn Args, l: &Language, out: &mut String) -> Result<(), RenderErrorReason> {
    let name = string_param(h, 0)?;
    at_most(h, l, 2)?;
    let ident = match h.param(1) {
        None => l.ident(name),
        Some(_) => match string_param(h, 1)? {
            "member" => l.ident(name),
            "type" => l.type_ident(name),
            "path" => l.path(name),
            "bare" => l.bare_ident(name),
            other => {
                return Err(RenderErrorReason::Other(format!(
                    "helper `ident`: parameter 2 is `member`, `type`, `bare` or `path`, got `{other}`; a language is no argument: the template's errspec header names it (`language: {}`)",
                    l.id
                )));
            }
        },
    };
    out.push_str(&ident);
    Ok(())
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
        let template = rc.get_root_template_name().map_or("?", |t| t.as_str());
        out.write(option_value(h, self.0.get(template), template)?)?;
        Ok(())
    }
}

/// What `{{option "name"}}` writes in the template `template`, whose header declares `options`.
pub(crate) fn option_value<'o>(
    h: &dyn Args,
    options: Option<&'o BTreeMap<String, String>>,
    template: &str,
) -> Result<&'o str, RenderErrorReason> {
    let name = string_param(h, 0)?;
    options
        .and_then(|options| options.get(name))
        .map(String::as_str)
        .ok_or_else(|| {
            RenderErrorReason::Other(format!(
                "helper `option`: the template `{template}` reads the option `{name}`, which its header does not declare; add `option {name}: DEFAULT` to its errspec header"
            ))
        })
}

/// `{{str text}}`: a string literal, quotes included.
fn str_helper(h: &dyn Args, l: &Language, out: &mut String) -> Result<(), RenderErrorReason> {
    let text = string_param(h, 0)?;
    at_most(h, l, 1)?;
    let rules = l.string.as_ref();
    rules
        .ok_or_else(|| no_rules(h, l, "string-literal"))?
        .write_into(text, out);
    Ok(())
}

/// `{{doc text "  "}}`: doc-comment lines (the optional second parameter is the indentation).
fn doc_helper(h: &dyn Args, l: &Language, out: &mut String) -> Result<(), RenderErrorReason> {
    let text = string_param(h, 0)?;
    at_most(h, l, 2)?;
    let indent = match h.param(1) {
        None => "",
        Some(_) => string_param(h, 1)?,
    };
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return Err(language_argument(h, l, &format!("\"{indent}\"")));
    }
    let rules = l.doc.as_ref();
    rules
        .ok_or_else(|| no_rules(h, l, "doc-comment"))?
        .write_into(text, indent, out);
    Ok(())
}

/// The registry parameter type of parameter `i` (`int`), read back as the view model wrote it.
fn param_type_of(h: &dyn Args, i: usize) -> Result<errspec::ParamType, RenderErrorReason> {
    let p = h.param(i).ok_or_else(|| {
        RenderErrorReason::Other(format!("helper `{}` needs parameter {}", h.name(), i + 1))
    })?;
    <crate::view::ParamKind as serde::Deserialize>::deserialize(p.value())
        .map(|kind| kind.0)
        .map_err(|e| RenderErrorReason::Other(format!("helper `{}`: {e}", h.name())))
}

/// `{{param_ident name}}`: the identifier a message parameter becomes (`deviceId`).
fn param_ident_helper(
    h: &dyn Args,
    l: &Language,
    out: &mut String,
) -> Result<(), RenderErrorReason> {
    let name = string_param(h, 0)?;
    at_most(h, l, 1)?;
    let ident = l
        .param_ident(name)
        .ok_or_else(|| no_rules(h, l, "parameter"))?;
    out.push_str(&ident);
    Ok(())
}

/// `{{param_type type}}`: the language's type for a parameter type (`Long`).
fn param_type_helper(
    h: &dyn Args,
    l: &Language,
    out: &mut String,
) -> Result<(), RenderErrorReason> {
    let ty = param_type_of(h, 0)?;
    at_most(h, l, 1)?;
    let rule = l
        .param_type(ty)
        .ok_or_else(|| no_rules(h, l, "parameter"))?;
    out.push_str(&rule.ty);
    Ok(())
}

/// `{{param_text name type "args."}}`: the expression writing the parameter as
/// message text (`String(args.count)`); the optional third parameter is put
/// before the identifier.
fn param_text_helper(
    h: &dyn Args,
    l: &Language,
    out: &mut String,
) -> Result<(), RenderErrorReason> {
    let name = string_param(h, 0)?;
    let ty = param_type_of(h, 1)?;
    at_most(h, l, 3)?;
    let prefix = match h.param(2) {
        None => "",
        Some(_) => string_param(h, 2)?,
    };
    // A prefix is an expression's start (`args.`); the row's id is the old language argument.
    if prefix == l.id {
        return Err(language_argument(h, l, &format!("\"{prefix}\"")));
    }
    let ident = l
        .param_ident(name)
        .ok_or_else(|| no_rules(h, l, "parameter"))?;
    let text = l
        .param_text(ty, &format!("{prefix}{ident}"))
        .ok_or_else(|| no_rules(h, l, "parameter"))?;
    out.push_str(&text);
    Ok(())
}

/// A handlebars helper from a function of its parameters: what it returns is written.
fn writes(
    f: impl Fn(&dyn Args) -> Result<String, RenderErrorReason> + Send + Sync,
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
) -> impl Fn(&dyn Args) -> Result<String, RenderErrorReason> + Send + Sync {
    move |h| Ok(f(string_param(h, 0)?))
}

pub(crate) fn string_param(h: &dyn Args, i: usize) -> Result<&str, RenderErrorReason> {
    let p = h.param(i).ok_or_else(|| {
        RenderErrorReason::Other(format!("helper `{}` needs parameter {}", h.name(), i + 1))
    })?;
    p.as_str().ok_or_else(|| {
        RenderErrorReason::Other(format!(
            "helper `{}` needs a string as parameter {}, got `{}` = {}",
            h.name(),
            i + 1,
            p.relative_path().map_or("?", |s| s.as_str()),
            p.value()
        ))
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TemplateError;

    /// Renders `source` as the built-in template `as_template`, with its row.
    fn render_as(as_template: &str, source: &str) -> Result<String, TemplateError> {
        let targets = crate::targets::load(None)?;
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register(&mut hb, &Rows::new(&targets));
        hb.register_template_string(as_template, source)
            .map_err(|e| TemplateError::Syntax {
                template: as_template.to_owned(),
                error: Box::new(e),
            })?;
        let data = serde_json::json!({
            "name": "DEFAULT", "text": "a $b */", "kind": "type", "param": "device_id",
            "type": "int", "platform": { "id": "web" },
        });
        hb.render(as_template, &data)
            .map_err(|e| TemplateError::Render {
                template: as_template.to_owned(),
                path: as_template.into(),
                error: Box::new(e),
            })
    }

    #[test]
    fn row_helpers_read_the_templates_row() {
        let ok = |t: &str, s: &str| render_as(t, s).unwrap_or_else(|e| e.to_string());
        assert_eq!(ok("dart.hbs", "{{ident name}}"), "default_");
        assert_eq!(ok("swift.hbs", "{{ident name}}"), "`default`");
        assert_eq!(ok("swift.hbs", "{{ident name \"bare\"}}"), "default");
        assert_eq!(ok("kotlin.hbs", "{{ident name kind}}"), "Default");
        assert_eq!(ok("dart.hbs", "{{str text}}"), r"'a \$b */'");
        assert_eq!(
            ok("typescript.hbs", "{{doc text \"  \"}}"),
            r"   * a $b *\/"
        );
        assert_eq!(ok("kotlin.hbs", "{{doc text}}"), r" * a $b *\/");
        assert_eq!(ok("kotlin.hbs", "{{param_ident param}}"), "deviceId");
        assert_eq!(ok("kotlin.hbs", "{{param_type type}}"), "Long");
        assert_eq!(ok("swift.hbs", "{{param_type type}}"), "Int");
        assert_eq!(
            ok("typescript.hbs", "{{param_text param type \"args.\"}}"),
            "String(args.deviceId)"
        );
        assert_eq!(
            ok("dart.hbs", "{{param_text param type}}"),
            "deviceId.toString()"
        );
        assert!(ok("dart.hbs", "{{param_type \"float\"}}").contains("not a parameter type"));
    }

    #[test]
    fn the_preamble_is_the_rows_comment() {
        assert_eq!(
            render_as("kotlin.hbs", "{{preamble}}").ok().as_deref(),
            Some(
                "// Generated by errspec codegen from the `DEFAULT` catalog (platform `web`); do not edit.\n// Regenerate with `errspec`."
            )
        );
        assert_eq!(
            render_as("typescript-index.hbs", "{{preamble}}")
                .ok()
                .as_deref(),
            Some(
                "// Generated by errspec codegen from the registry; do not edit.\n// Regenerate with `errspec`."
            )
        );
        assert!(render_as("markdown.hbs", "{{preamble}}").is_ok_and(|p| {
            p.starts_with("<!-- generated by errspec codegen from the `DEFAULT` catalog")
        }));
    }

    #[test]
    fn the_old_language_argument_is_a_clear_error() {
        for (template, call) in [
            ("dart.hbs", "{{str text \"dart\"}}"),
            ("dart.hbs", "{{ident name \"dart\"}}"),
            ("kotlin.hbs", "{{ident name \"kotlin\" \"type\"}}"),
            ("typescript.hbs", "{{doc text \"typescript\" \"  \"}}"),
            ("typescript.hbs", "{{doc text \"typescript\"}}"),
            ("kotlin.hbs", "{{param_ident param \"kotlin\"}}"),
            ("kotlin.hbs", "{{param_type type \"kotlin\"}}"),
            ("kotlin.hbs", "{{param_text param type \"kotlin\"}}"),
            (
                "typescript.hbs",
                "{{param_text param type \"typescript\" \"args.\"}}",
            ),
        ] {
            let err = render_as(template, call)
                .map_err(|e| e.to_string())
                .err()
                .unwrap_or_default();
            assert!(
                err.contains("errspec header") && err.contains("language: "),
                "{call}: {err}"
            );
        }
    }

    #[test]
    fn row_helpers_refuse_what_the_row_lacks() {
        let err = |t: &str, s: &str| {
            render_as(t, s)
                .map_err(|e| e.to_string())
                .err()
                .unwrap_or_default()
        };
        assert!(err("markdown.hbs", "{{str text}}").contains("no string-literal rules"));
        assert!(err("markdown.hbs", "{{param_ident param}}").contains("no parameter rules"));
        assert!(
            err("dart.hbs", "{{ident name \"enum\"}}")
                .contains("`member`, `type`, `bare` or `path`")
        );
        assert!(err("dart.hbs", "{{str}}").contains("needs parameter 1"));
        assert!(err("dart.hbs", "{{str 3}}").contains("needs a string"));
        assert!(err("nameless.hbs", "{{str text}}").contains("not a target's"));
    }

    #[test]
    fn chunks_split_a_list_at_every_size_th_item() {
        let data = serde_json::json!({ "items": [0, 1, 2, 3, 4] });
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register(&mut hb, &Rows::new(&[]));
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
}
