//! Evaluates a [`Program`] against a view's JSON context, as handlebars would
//! render its template: the same scopes, truthiness, errors and helpers.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::io::Write;

use handlebars::{JsonRender, JsonTruthy, RenderError, RenderErrorReason};
use serde_json::Value as Json;

use super::memo::MemoUse;
use super::{Call, Expr, Native, Node, Op, Program};
use crate::blocks::{self, GROUP_FIELD, Models, VIEW_FIELD};
use crate::helpers::{
    Arg, Args, ROW_HELPERS, Rows, TEXT_HELPERS, TemplateRow, language_of, option_value,
    preamble_text, row_of, string_param,
};
use crate::view::EntryModel;

/// What a render reads besides its context: the rows, options and typed models of the run.
pub(crate) struct Env<'e, 'r> {
    pub(crate) rows: &'e Rows,
    /// The rendering template's options, as its header declares them.
    pub(crate) options: Option<&'e BTreeMap<String, String>>,
    pub(crate) models: &'e Models<'r>,
    /// The rendering view's catalog's Markdown results, shared with its other views.
    pub(crate) memo: Option<MemoUse<'e>>,
}

/// Renders `program` with `data` as its root into `out`.
pub(crate) fn render(
    program: &Program,
    env: &Env<'_, '_>,
    data: &Json,
    out: &mut dyn Write,
) -> Result<(), RenderError> {
    let mut run = Run {
        program,
        env,
        row: env.rows.get(&program.name),
        root: data,
        buf: String::with_capacity(BUFFER),
        out,
        indent: None,
        fresh_line: false,
    };
    let scope = Scope {
        this: This::Json(data),
        locals: Locals::default(),
        parent: None,
    };
    run.nodes(&program.body, &scope)?;
    run.out.write_all(run.buf.as_bytes())?;
    Ok(())
}

/// How much output is gathered before it is written.
const BUFFER: usize = 1 << 16;

static NULL: Json = Json::Null;

/// A value: borrowed from the context, computed, a typed entry's text, or
/// missing (null to a helper).
pub(super) enum V<'a> {
    Ref(&'a Json),
    Own(Json),
    /// Its JSON is made only where something reads it as JSON.
    Str(&'a str, OnceCell<Json>),
    Missing,
}

impl<'a> V<'a> {
    pub(super) fn str(s: &'a str) -> V<'a> {
        V::Str(s, OnceCell::new())
    }

    pub(super) fn json(&self) -> &Json {
        match self {
            V::Ref(j) => j,
            V::Own(j) => j,
            V::Str(s, json) => json.get_or_init(|| Json::String((*s).to_owned())),
            V::Missing => &NULL,
        }
    }

    /// As `{{#if}}` reads it.
    fn is_truthy(&self, include_zero: bool) -> bool {
        match self {
            V::Str(s, _) => !s.is_empty(),
            v => v.json().is_truthy(include_zero),
        }
    }
}

/// What a block renders with as `this`: a value of the context, or an entry
/// of a block helper, read typed ([`super::entry`]).
#[derive(Clone, Copy)]
enum This<'a> {
    Json(&'a Json),
    Entry(&'a EntryModel<'a>),
}

/// The `@` variables of a block (`each` and the entry helpers set them; a partial copies them).
#[derive(Clone, Copy, Default)]
struct Locals<'a> {
    index: Option<usize>,
    first: Option<bool>,
    last: Option<bool>,
    key: Option<&'a str>,
}

/// One of handlebars' block contexts: `this` and its `@` variables.
struct Scope<'a> {
    this: This<'a>,
    locals: Locals<'a>,
    parent: Option<&'a Scope<'a>>,
}

struct Run<'e, 'r, 'w> {
    program: &'e Program,
    env: &'e Env<'e, 'r>,
    row: Option<(&'e str, &'e TemplateRow)>,
    root: &'e Json,
    buf: String,
    out: &'w mut dyn Write,
    /// Inside a partial, the indentation handlebars writes after line breaks.
    indent: Option<String>,
    /// Whether the last text written ended a line (handlebars' `indent_before_write`).
    fresh_line: bool,
}

/// A helper's result: a JSON value (`eq`, `len`, ...), or `None` when it wrote its text.
type Done = Option<Json>;

/// A native call's evaluated parameters, as the helper functions read them.
struct Evaluated<'x> {
    name: &'static str,
    values: Vec<(V<'x>, Option<&'x String>)>,
}

impl Args for Evaluated<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn param(&self, i: usize) -> Option<Arg<'_>> {
        self.values.get(i).map(|(v, path)| match v {
            V::Str(s, json) => Arg::text(s, json, *path),
            v => Arg::new(v.json(), *path),
        })
    }
}

impl Evaluated<'_> {
    /// Parameter `i`, an error when missing (as handlebars' value helpers read them).
    fn present(&self, i: usize, missing: RenderErrorReason) -> Result<&Json, RenderErrorReason> {
        match self.values.get(i) {
            Some((v, _)) if !matches!(v, V::Missing) => Ok(v.json()),
            _ => Err(missing),
        }
    }

    /// Parameter `i` of a `handlebars_helper!` helper taking `u64`.
    fn u64(&self, i: usize, param: &str) -> Result<u64, RenderErrorReason> {
        let name = match self.name {
            "chunk" => "chunk",
            _ => "chunk_starts",
        };
        self.present(
            i,
            RenderErrorReason::ParamNotFoundForName(name, param.to_owned()),
        )?
        .as_u64()
        .ok_or_else(|| {
            RenderErrorReason::ParamTypeMismatchForName(name, param.to_owned(), "u64".to_owned())
        })
    }
}

impl<'e> Run<'e, '_, '_> {
    fn nodes<'a>(&mut self, nodes: &'e [Node], scope: &Scope<'a>) -> Result<(), RenderError>
    where
        'e: 'a,
    {
        for node in nodes {
            self.node(node, scope).map_err(|mut e| {
                if e.line_no.is_none()
                    && let Some((line, column)) = node.at
                {
                    e.line_no = Some(line);
                    e.column_no = Some(column);
                }
                if e.template_name.is_none() {
                    e.template_name = Some(self.program.name.clone());
                }
                e
            })?;
            if self.buf.len() >= BUFFER {
                self.out.write_all(self.buf.as_bytes())?;
                self.buf.clear();
            }
        }
        Ok(())
    }

    fn node<'a>(&mut self, node: &'e Node, scope: &Scope<'a>) -> Result<(), RenderError>
    where
        'e: 'a,
    {
        match &node.op {
            Op::Text(s) => self.write(s),
            Op::Value(e) => match self.eval(e, scope)? {
                V::Missing => return Err(RenderError::strict_error(path_of(e))),
                V::Str(s, _) => self.write(s),
                v => self.write(&text_of(v.json())),
            },
            Op::Write(call) => {
                // errspec's helpers write past handlebars' indentation, straight into the buffer.
                let mut buf = std::mem::take(&mut self.buf);
                let done = self.call(call, scope, &mut buf);
                self.buf = buf;
                if let Some(j) = done? {
                    self.write(&text_of(&j));
                }
            }
            Op::If {
                cond,
                include_zero,
                negate,
                then,
                otherwise,
            } => {
                let truthy = self.eval(cond, scope)?.is_truthy(*include_zero);
                let nodes = if truthy != *negate { then } else { otherwise };
                self.nodes(nodes, scope)?;
            }
            Op::Each {
                over,
                body,
                inverse,
                has_body,
            } => {
                if !has_body {
                    return Ok(());
                }
                let v = self.eval(over, scope)?;
                match v.json() {
                    Json::Array(list) if !list.is_empty() || inverse.is_none() => {
                        let len = list.len();
                        for (i, item) in list.iter().enumerate() {
                            let inner = item_scope(This::Json(item), i, len, None, scope);
                            self.nodes(body, &inner)?;
                        }
                    }
                    Json::Object(map) if !map.is_empty() || inverse.is_none() => {
                        let len = map.len();
                        for (i, (key, item)) in map.iter().enumerate() {
                            let inner = item_scope(This::Json(item), i, len, Some(key), scope);
                            self.nodes(body, &inner)?;
                        }
                    }
                    _ => match inverse {
                        Some(inverse) => self.nodes(inverse, scope)?,
                        None => return Err(RenderError::strict_error(path_of(over))),
                    },
                }
            }
            Op::Entries {
                kind,
                body,
                inverse,
                has_body,
            } => {
                let index = |field: &str| {
                    let This::Json(this) = scope.this else {
                        return None;
                    };
                    this.get(field)
                        .and_then(Json::as_u64)
                        .and_then(|n| usize::try_from(n).ok())
                };
                let id = index(VIEW_FIELD);
                let model = self.env.models.of(*kind, id)?;
                let group = || index(GROUP_FIELD);
                match blocks::entries(*kind, &model, group)? {
                    Some(entries) => {
                        let items = entries.map(This::Entry);
                        self.block(items, body, inverse.as_deref(), *has_body, scope)?;
                    }
                    None => {
                        let groups =
                            blocks::items(*kind, &model, id.unwrap_or_default(), group, None)?;
                        let groups: Vec<Json> = groups
                            .collect::<Result<_, _>>()
                            .map_err(RenderErrorReason::SerdeError)?;
                        let items = groups.iter().map(This::Json);
                        self.block(items, body, inverse.as_deref(), *has_body, scope)?;
                    }
                }
            }
            Op::Partial {
                context,
                indent,
                body,
            } => {
                let v = match context {
                    Some(e) => Some(self.eval(e, scope)?),
                    None => None,
                };
                let inner = Scope {
                    this: v.as_ref().map_or(scope.this, |v| This::Json(v.json())),
                    locals: scope.locals,
                    parent: Some(scope),
                };
                let outer = self.indent.clone();
                let fresh_line = self.fresh_line;
                self.indent = match (&outer, indent) {
                    (Some(a), Some(b)) => Some(format!("{a}{b}")),
                    (a, b) => a.clone().or_else(|| b.clone()),
                };
                self.fresh_line = false;
                let rendered = self.nodes(body, &inner);
                self.indent = outer;
                self.fresh_line = fresh_line;
                rendered?;
            }
        }
        Ok(())
    }

    /// Renders a block helper's body once per item, as `each` renders an
    /// array; its inverse when there is none.
    fn block<'b>(
        &mut self,
        items: impl ExactSizeIterator<Item = This<'b>>,
        body: &'e [Node],
        inverse: Option<&'e [Node]>,
        has_body: bool,
        scope: &'b Scope<'b>,
    ) -> Result<(), RenderError>
    where
        'e: 'b,
    {
        let len = items.len();
        if len == 0 {
            if let Some(inverse) = inverse {
                self.nodes(inverse, scope)?;
            }
            return Ok(());
        }
        if !has_body {
            return Ok(());
        }
        for (i, item) in items.enumerate() {
            let inner = item_scope(item, i, len, None, scope);
            self.nodes(body, &inner)?;
        }
        Ok(())
    }

    fn eval<'a>(&mut self, e: &'e Expr, scope: &Scope<'a>) -> Result<V<'a>, RenderError>
    where
        'e: 'a,
    {
        Ok(match e {
            Expr::Literal(j) => V::Ref(j),
            Expr::Call(call) => {
                let mut text = String::new();
                match self.call(call, scope, &mut text)? {
                    Some(j) => V::Own(j),
                    None => V::Own(Json::String(text)),
                }
            }
            Expr::Local { level, name, .. } => {
                let mut s = Some(scope);
                for _ in 0..*level {
                    s = s.and_then(|s| s.parent);
                }
                let locals = s.map(|s| s.locals).unwrap_or_default();
                let value = match name.as_str() {
                    "index" => locals.index.map(Json::from),
                    "first" => locals.first.map(Json::from),
                    "last" => locals.last.map(Json::from),
                    "key" => locals.key.map(Json::from),
                    _ => None,
                };
                value.map_or(V::Missing, V::Own)
            }
            Expr::Path {
                root, depth, names, ..
            } => {
                let mut base = if *root {
                    This::Json(self.root)
                } else {
                    scope.this
                };
                if *depth > 0 {
                    // Past the outermost block, handlebars reads the innermost.
                    let mut s = scope;
                    for _ in 0..*depth {
                        match s.parent {
                            Some(p) => s = p,
                            None => {
                                s = scope;
                                break;
                            }
                        }
                    }
                    base = s.this;
                }
                match base {
                    This::Json(j) => walk(Some(j), names)?.map_or(V::Missing, V::Ref),
                    This::Entry(e) => super::entry::lookup(e, names)?,
                }
            }
        })
    }

    /// Calls a helper: a value helper returns its value, a text helper writes into `text`.
    fn call<'a>(
        &mut self,
        call: &'e Call,
        scope: &Scope<'a>,
        text: &mut String,
    ) -> Result<Done, RenderError>
    where
        'e: 'a,
    {
        let mut values = Vec::with_capacity(call.args.len());
        for a in &call.args {
            values.push((self.eval(a, scope)?, path_of(a)));
        }
        let args = Evaluated {
            name: call.native.name(),
            values,
        };
        let template = self.program.name.as_str();
        let done = match call.native {
            Native::Row(i) => {
                let (row, name) = row_of(self.row, template, &args)?;
                let language = language_of(row, name, &args)?;
                (ROW_HELPERS[i].1)(&args, language, text)?;
                None
            }
            Native::Text(i) => {
                let (_, f, shared) = TEXT_HELPERS[i];
                let s = string_param(&args, 0)?;
                match self.env.memo.filter(|_| shared) {
                    Some(memo) => memo.write(i, f, s, text),
                    None => text.push_str(&f(s)),
                }
                None
            }
            Native::Preamble => {
                let (row, name) = row_of(self.row, template, &args)?;
                text.push_str(&preamble_text(&args, row, name, self.root)?);
                None
            }
            Native::Option => {
                text.push_str(option_value(&args, self.env.options, template)?);
                None
            }
            Native::Eq | Native::Ne => {
                let name = args.name;
                let x = args.present(0, RenderErrorReason::ParamNotFoundForIndex(name, 0))?;
                let y = args.present(1, RenderErrorReason::ParamNotFoundForIndex(name, 1))?;
                Some(Json::Bool((x == y) == matches!(call.native, Native::Eq)))
            }
            Native::Not => {
                let x = args.present(0, RenderErrorReason::ParamNotFoundForIndex("not", 0))?;
                Some(Json::Bool(!x.is_truthy(false)))
            }
            Native::Len => {
                let missing = RenderErrorReason::ParamNotFoundForName("len", "x".to_owned());
                let n = match args.present(0, missing)? {
                    Json::Array(a) => a.len(),
                    Json::Object(m) => m.len(),
                    Json::String(s) => s.len(),
                    _ => 0,
                };
                Some(Json::from(n))
            }
            Native::Chunk | Native::ChunkStarts => {
                let index = args.u64(0, "index")?;
                let size = args.u64(1, "size")?.max(1);
                Some(match call.native {
                    Native::Chunk => Json::from(index / size),
                    _ => Json::from(index % size == 0),
                })
            }
        };
        Ok(done)
    }
}

/// The value at `names` under `at`, as handlebars reads a path.
pub(super) fn walk<'a>(
    mut at: Option<&'a Json>,
    names: &[String],
) -> Result<Option<&'a Json>, RenderError> {
    for name in names {
        at = match at {
            Some(Json::Object(m)) => m.get(name),
            Some(Json::Array(l)) => match name.parse::<usize>() {
                Ok(i) => l.get(i),
                Err(_) => return Err(RenderErrorReason::InvalidJsonIndex(name.clone()).into()),
            },
            _ => None,
        };
    }
    Ok(at)
}

/// The scope of item `i` of `len` in a block.
fn item_scope<'a>(
    item: This<'a>,
    i: usize,
    len: usize,
    key: Option<&'a str>,
    parent: &'a Scope<'a>,
) -> Scope<'a> {
    Scope {
        this: item,
        locals: Locals {
            index: Some(i),
            first: Some(i == 0),
            last: Some(i + 1 == len),
            key,
        },
        parent: Some(parent),
    }
}

/// A value as handlebars writes it (no escaping: the registry's is `no_escape`).
fn text_of(j: &Json) -> std::borrow::Cow<'_, str> {
    match j {
        Json::String(s) => std::borrow::Cow::Borrowed(s),
        other => std::borrow::Cow::Owned(other.render()),
    }
}

impl Run<'_, '_, '_> {
    /// Writes text as handlebars' `indent_aware_write` does.
    fn write(&mut self, s: &str) {
        let Some(indent) = &self.indent else {
            self.buf.push_str(s);
            return;
        };
        if s.is_empty() {
            return;
        }
        let newline = |c: char| c == '\n' || c == '\r';
        if !s.starts_with(newline) && self.fresh_line {
            self.buf.push_str(indent);
        }
        let mut rest = s;
        while let Some(n) = rest.find('\n') {
            self.buf.push_str(&rest[..=n]);
            rest = &rest[n + 1..];
            if rest.is_empty() {
                break;
            }
            self.buf.push_str(indent);
        }
        self.buf.push_str(rest);
        self.fresh_line = s.ends_with(newline);
    }
}

/// The path an expression reads, as handlebars names it in a parameter or an error.
fn path_of(e: &Expr) -> Option<&String> {
    match e {
        Expr::Path { raw, .. } | Expr::Local { raw, .. } => Some(raw),
        Expr::Literal(_) | Expr::Call(_) => None,
    }
}
