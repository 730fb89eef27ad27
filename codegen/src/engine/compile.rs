//! From a handlebars [`Template`] to the engine's [`Program`]: paths resolved,
//! helpers bound, inline partials inlined. `None` for anything else, and the
//! template renders through handlebars.

use std::collections::BTreeMap;

use handlebars::template::{
    DecoratorTemplate, HelperTemplate, Parameter, Template, TemplateElement,
};
use handlebars::{Path, PathSeg};
use serde_json::Value as Json;

use super::{Call, Expr, Native, Node, Op, Program};
use crate::blocks::Kind;
use crate::helpers::{ROW_HELPERS, TEXT_HELPERS};

/// Whether a plan's registry has a helper `name` ([`crate::fields::HELPERS`]):
/// a name-only expression naming one calls it, and one the engine does not
/// run makes the template render through handlebars.
fn registered(name: &str) -> bool {
    crate::fields::HELPERS.contains(&name)
}

/// The program of `template` (registered as `name`), or `None` when it uses
/// a construct the engine does not compile.
pub(crate) fn compile(name: &str, source: &str, template: &Template) -> Option<Program> {
    let mut c = Compiler {
        root: name,
        source,
        partials: BTreeMap::new(),
        depth: 0,
    };
    let body = c.template(template, true)?;
    Some(Program {
        name: name.to_owned(),
        body,
    })
}

struct Compiler<'t> {
    root: &'t str,
    source: &'t str,
    /// The inline partials defined so far (`{{#*inline "name"}}`), by name.
    partials: BTreeMap<String, &'t Template>,
    /// How many partials deep the compiler is (a partial including itself stops it).
    depth: usize,
}

impl<'t> Compiler<'t> {
    fn template(&mut self, t: &'t Template, top: bool) -> Option<Vec<Node>> {
        let mut nodes = Vec::with_capacity(t.elements.len());
        for (i, e) in t.elements.iter().enumerate() {
            let at = t.mapping.get(i).map(|m| (m.0, m.1));
            let op = match e {
                TemplateElement::RawString(s) if s.is_empty() => continue,
                TemplateElement::RawString(s) => Op::Text(s.clone()),
                TemplateElement::Comment(_) => continue,
                TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                    self.expression(h)?
                }
                TemplateElement::HelperBlock(h) => self.block(h)?,
                // An inline partial, defined at the top for what follows.
                TemplateElement::DecoratorBlock(d) if top => {
                    let name = inline_name(d)?;
                    let body = d.template.as_ref()?;
                    self.partials.insert(name.to_owned(), body);
                    continue;
                }
                TemplateElement::PartialExpression(d) if self.inside_a_line(at) => {
                    self.partial(d)?
                }
                _ => return None,
            };
            nodes.push(Node { at, op });
        }
        Some(nodes)
    }

    fn expression(&mut self, h: &'t HelperTemplate) -> Option<Op> {
        if h.template.is_some() || h.inverse.is_some() || h.block_param.is_some() {
            return None;
        }
        let name_only = h.params.is_empty() && h.hash.is_empty();
        let name = match &h.name {
            Parameter::Name(n) => n.as_str(),
            Parameter::Path(p) if name_only => {
                let raw = raw(p);
                if registered(raw) {
                    raw
                } else {
                    return Some(Op::Value(path(p)?));
                }
            }
            _ => return None,
        };
        Some(Op::Write(call(name, h)?))
    }

    fn block(&mut self, h: &'t HelperTemplate) -> Option<Op> {
        let Parameter::Name(name) = &h.name else {
            return None;
        };
        if h.block_param.is_some() {
            return None;
        }
        let body = match &h.template {
            Some(t) => self.template(t, false)?,
            None => Vec::new(),
        };
        let inverse = match &h.inverse {
            Some(t) => Some(self.template(t, false)?),
            None => None,
        };
        let hash_free = h.hash.is_empty();
        match name.as_str() {
            "if" | "unless" => {
                let include_zero = match (h.hash.len(), h.hash.get("includeZero")) {
                    (0, _) => false,
                    (1, Some(Parameter::Literal(Json::Bool(b)))) => *b,
                    _ => return None,
                };
                Some(Op::If {
                    cond: expr(h.params.first()?)?,
                    include_zero,
                    negate: name == "unless",
                    then: body,
                    otherwise: inverse.unwrap_or_default(),
                })
            }
            "each" if hash_free && h.params.len() == 1 => Some(Op::Each {
                over: expr(&h.params[0])?,
                body,
                inverse,
                has_body: h.template.is_some(),
            }),
            other if hash_free && h.params.is_empty() => {
                let kind = Kind::named(other)?;
                Some(Op::Entries {
                    kind,
                    body,
                    inverse,
                    has_body: h.template.is_some(),
                })
            }
            _ => None,
        }
    }

    /// Whether something other than spaces comes before column `at` on its
    /// line: a partial there is not alone on its line (handlebars indents those).
    fn inside_a_line(&self, at: Option<(usize, usize)>) -> bool {
        let Some((line, column)) = at else {
            return false;
        };
        let Some(text) = self.source.lines().nth(line.saturating_sub(1)) else {
            return false;
        };
        text.chars()
            .take(column.saturating_sub(1))
            .any(|c| c != ' ' && c != '\t')
    }

    /// `{{> name value}}` of an inline partial defined above, inside a line,
    /// whose body writes no line break of its own (handlebars indents what
    /// follows a line break in a partial by the spaces before the call).
    fn partial(&mut self, d: &'t DecoratorTemplate) -> Option<Op> {
        if !d.hash.is_empty() || d.template.is_some() || d.params.len() > 1 {
            return None;
        }
        let name = match &d.name {
            Parameter::Name(n) => n.as_str(),
            Parameter::Path(p) => raw(p),
            Parameter::Literal(Json::String(s)) => s.as_str(),
            _ => return None,
        };
        if name == self.root || self.depth > 8 {
            return None;
        }
        let body = *self.partials.get(name)?;
        if breaks_lines(body) {
            return None;
        }
        let context = match d.params.first() {
            None => None,
            Some(p @ Parameter::Path(_)) => Some(expr(p)?),
            Some(Parameter::Literal(j)) => Some(Expr::Literal(j.clone())),
            Some(_) => return None,
        };
        self.depth += 1;
        let body = self.template(body, false);
        self.depth -= 1;
        Some(Op::Partial {
            context,
            indent: d.indent.clone(),
            body: body?,
        })
    }
}

/// Whether a template's own text has a line break.
fn breaks_lines(t: &Template) -> bool {
    t.elements.iter().any(|e| match e {
        TemplateElement::RawString(s) => s.contains(['\n', '\r']),
        TemplateElement::HelperBlock(h) => {
            h.template.as_ref().is_some_and(breaks_lines)
                || h.inverse.as_ref().is_some_and(breaks_lines)
        }
        TemplateElement::Expression(_)
        | TemplateElement::HtmlExpression(_)
        | TemplateElement::Comment(_) => false,
        _ => true,
    })
}

/// The name of `{{#*inline "name"}}`.
fn inline_name(d: &DecoratorTemplate) -> Option<&str> {
    match (&d.name, d.params.as_slice()) {
        (Parameter::Name(n), [Parameter::Literal(Json::String(name))]) if n == "inline" => {
            Some(name)
        }
        _ => None,
    }
}

/// A helper call the engine runs natively.
fn call(name: &str, h: &HelperTemplate) -> Option<Call> {
    if !h.hash.is_empty() {
        return None;
    }
    let native = if let Some(i) = ROW_HELPERS.iter().position(|(n, _)| *n == name) {
        Native::Row(i)
    } else if let Some(i) = TEXT_HELPERS.iter().position(|(n, ..)| *n == name) {
        Native::Text(i)
    } else {
        match name {
            "eq" => Native::Eq,
            "ne" => Native::Ne,
            "not" => Native::Not,
            "len" => Native::Len,
            "preamble" => Native::Preamble,
            "chunk" => Native::Chunk,
            "chunk_starts" => Native::ChunkStarts,
            "option" => Native::Option,
            _ => return None,
        }
    };
    let args = h.params.iter().map(expr).collect::<Option<Vec<_>>>()?;
    Some(Call { native, args })
}

fn expr(p: &Parameter) -> Option<Expr> {
    match p {
        Parameter::Path(p) => path(p),
        Parameter::Literal(j) => Some(Expr::Literal(j.clone())),
        Parameter::Subexpression(s) => match s.as_element() {
            TemplateElement::Expression(h)
                if h.template.is_none() && !(h.params.is_empty() && h.hash.is_empty()) =>
            {
                let Parameter::Name(name) = &h.name else {
                    return None;
                };
                Some(Expr::Call(Box::new(call(name, h)?)))
            }
            _ => None,
        },
        _ => None,
    }
}

fn raw(p: &Path) -> &str {
    match p {
        Path::Relative((_, raw)) | Path::Local((_, _, raw)) => raw,
    }
}

/// A path resolved at compile time: `@root`, `../` depth, then field names.
fn path(p: &Path) -> Option<Expr> {
    match p {
        Path::Local((level, name, raw)) => Some(Expr::Local {
            level: *level,
            name: name.clone(),
            raw: raw.clone(),
        }),
        Path::Relative((segs, raw)) => {
            let mut rest = raw.as_str();
            let root = rest.starts_with("@root");
            if root {
                rest = rest["@root".len()..].trim_start_matches(['.', '/']);
            }
            let mut depth = 0;
            while let Some(r) = rest.strip_prefix("../") {
                depth += 1;
                rest = r;
            }
            if rest == ".." {
                depth += 1;
                rest = "";
            }
            if (root && depth > 0)
                || rest.contains("..")
                || rest.contains('[')
                || rest.contains('@')
            {
                return None;
            }
            let names = segs
                .iter()
                .filter_map(|s| match s {
                    PathSeg::Named(n) => Some(n.clone()),
                    _ => None,
                })
                .collect();
            Some(Expr::Path {
                root,
                depth,
                names,
                raw: raw.clone(),
            })
        }
    }
}
