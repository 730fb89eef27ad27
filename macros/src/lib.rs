//! `errspec_macros::catalog!`: a typed Rust enum from an errspec catalog, at compile time.
//!
//! ```ignore
//! errspec_macros::catalog!("errors/sdk.yaml");
//! errspec_macros::catalog!("errors/sdk.yaml", platform = "web", vis = pub(crate), serde = true);
//! ```
//!
//! The path is relative to the calling crate's directory (`CARGO_MANIFEST_DIR`,
//! read when the macro expands; `ERRSPEC_MANIFEST_DIR` overrides it, for test
//! harnesses that build crates elsewhere). The expansion is
//! [`errspec_rust::emit`]'s, plus an `include_str!` of the file so that cargo
//! rebuilds the caller when the YAML changes. An invalid registry becomes a
//! `compile_error!` with the same diagnostics the `codegen` CLI prints; so is
//! a breaking change against the evolution lock (`<catalog>.lock`) beside it.
//!
//! Arguments after the path:
//! - `platform = "web"`: use that platform's view (its names, its entries);
//! - `vis = pub(crate)`: the visibility of every item (default `pub`);
//! - `serde = true`: implement `::serde::Serialize`/`Deserialize` (the caller depends on serde).

use std::path::PathBuf;

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

mod lit;

/// Expands to the enum, retry-hint type and impls of one catalog file. See the crate docs.
#[proc_macro]
pub fn catalog(input: TokenStream) -> TokenStream {
    match Args::parse(input).and_then(|args| expand(&args)) {
        Ok(tokens) => tokens,
        Err(errors) => errors.into_iter().map(|e| e.compile_error()).collect(),
    }
}

/// A compile error at one token: the messages and spans syn gave before, kept byte for byte.
struct Error {
    span: Span,
    message: String,
}

impl Error {
    fn new(span: Span, message: impl Into<String>) -> Self {
        Error {
            span,
            message: message.into(),
        }
    }

    /// What the parser says when the input ends before `expected`.
    fn eof(expected: &str) -> Self {
        Error::new(
            Span::call_site(),
            format!("unexpected end of input, {expected}"),
        )
    }

    /// `::core::compile_error! { "message" }`, every token at the error's span.
    fn compile_error(self) -> TokenStream {
        let span = self.span;
        let punct = |c, spacing| {
            let mut p = Punct::new(c, spacing);
            p.set_span(span);
            TokenTree::Punct(p)
        };
        let mut message = Literal::string(&self.message);
        message.set_span(span);
        let mut group = Group::new(
            Delimiter::Brace,
            TokenStream::from(TokenTree::Literal(message)),
        );
        group.set_span(span);
        TokenStream::from_iter([
            punct(':', Spacing::Joint),
            punct(':', Spacing::Alone),
            TokenTree::Ident(Ident::new("core", span)),
            punct(':', Spacing::Joint),
            punct(':', Spacing::Alone),
            TokenTree::Ident(Ident::new("compile_error", span)),
            punct('!', Spacing::Alone),
            TokenTree::Group(group),
        ])
    }
}

type Result<T> = std::result::Result<T, Vec<Error>>;

/// A string literal argument: its value and where it is written.
struct Str {
    value: String,
    span: Span,
}

struct Args {
    path: Str,
    platform: Option<Str>,
    vis: Option<String>,
    serde: bool,
}

/// The macro's input, one token at a time; `None`-delimited groups (a `$x:literal`
/// passed on by `macro_rules!`) are looked through, as syn does.
struct Tokens {
    tokens: std::iter::Peekable<std::vec::IntoIter<TokenTree>>,
}

impl Tokens {
    fn new(input: TokenStream) -> Self {
        fn flatten(input: TokenStream, out: &mut Vec<TokenTree>) {
            for tt in input {
                match tt {
                    TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
                        flatten(g.stream(), out);
                    }
                    tt => out.push(tt),
                }
            }
        }
        let mut out = Vec::new();
        flatten(input, &mut out);
        Tokens {
            tokens: out.into_iter().peekable(),
        }
    }

    fn is_empty(&mut self) -> bool {
        self.tokens.peek().is_none()
    }

    fn next(&mut self) -> Option<TokenTree> {
        self.tokens.next()
    }

    fn peek(&mut self) -> Option<&TokenTree> {
        self.tokens.peek()
    }

    /// A string literal, or `expected string literal` (syn's `LitStr`).
    fn str(&mut self) -> std::result::Result<Str, Error> {
        const EXPECTED: &str = "expected string literal";
        match self.next() {
            None => Err(Error::eof(EXPECTED)),
            Some(TokenTree::Literal(l)) => match lit::string_value(&l.to_string()) {
                Some(value) => Ok(Str {
                    value,
                    span: l.span(),
                }),
                None => Err(Error::new(l.span(), EXPECTED)),
            },
            Some(tt) => Err(Error::new(tt.span(), EXPECTED)),
        }
    }

    /// A punctuation character, or `expected `c``.
    fn punct(&mut self, c: char) -> std::result::Result<(), Error> {
        match self.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == c => Ok(()),
            None => Err(Error::eof(&format!("expected `{c}`"))),
            Some(tt) => Err(Error::new(tt.span(), format!("expected `{c}`"))),
        }
    }

    /// An identifier that is not a keyword (syn's `Ident`).
    fn ident(&mut self) -> std::result::Result<Ident, Error> {
        match self.next() {
            Some(TokenTree::Ident(i)) => {
                let name = i.to_string();
                if lit::is_keyword(&name) {
                    Err(Error::new(
                        i.span(),
                        format!("expected identifier, found keyword `{name}`"),
                    ))
                } else {
                    Ok(i)
                }
            }
            None => Err(Error::eof("expected identifier")),
            Some(tt) => Err(Error::new(tt.span(), "expected identifier")),
        }
    }

    /// `true` or `false` (syn's `LitBool`).
    fn bool(&mut self) -> std::result::Result<bool, Error> {
        const EXPECTED: &str = "expected boolean literal";
        match self.next() {
            Some(TokenTree::Ident(i)) if i.to_string() == "true" => Ok(true),
            Some(TokenTree::Ident(i)) if i.to_string() == "false" => Ok(false),
            None => Err(Error::eof(EXPECTED)),
            Some(tt) => Err(Error::new(tt.span(), EXPECTED)),
        }
    }

    /// A visibility as syn's `Visibility` parses it: `pub`, `pub(crate)`,
    /// `pub(self)`, `pub(super)`, `pub(in path)`; anything else is no
    /// visibility and parses nothing (the caller then expects a `,` there).
    fn vis(&mut self) -> std::result::Result<Option<String>, Error> {
        match self.peek() {
            Some(TokenTree::Ident(i)) if i.to_string() == "pub" => {}
            _ => return Ok(None),
        }
        self.next();
        let Some(TokenTree::Group(g)) = self.peek() else {
            return Ok(Some("pub".to_owned()));
        };
        if g.delimiter() != Delimiter::Parenthesis {
            return Ok(Some("pub".to_owned()));
        }
        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
        let restricted = match inner.as_slice() {
            [TokenTree::Ident(i)]
                if matches!(i.to_string().as_str(), "crate" | "self" | "super") =>
            {
                format!("pub({i})")
            }
            [TokenTree::Ident(i), path @ ..] if i.to_string() == "in" => {
                format!(
                    "pub(in {})",
                    lit::mod_style_path(path).map_err(|(span, m)| Error::new(
                        span.unwrap_or_else(|| g.span_close()),
                        m
                    ))?
                )
            }
            // `pub` alone; the group is left for the next token.
            _ => return Ok(Some("pub".to_owned())),
        };
        self.next();
        Ok(Some(restricted))
    }
}

impl Args {
    fn parse(input: TokenStream) -> Result<Self> {
        let mut input = Tokens::new(input);
        Args::parse_tokens(&mut input).map_err(|e| vec![e])
    }

    fn parse_tokens(input: &mut Tokens) -> std::result::Result<Self, Error> {
        if input.is_empty() {
            return Err(Error::eof(
                "expected the path of a catalog file: `catalog!(\"errors/sdk.yaml\")`",
            ));
        }
        let path = input.str().map_err(|e| {
            Error::new(
                e.span,
                "expected the path of a catalog file as a string literal: `catalog!(\"errors/sdk.yaml\")`",
            )
        })?;
        let mut args = Args {
            path,
            platform: None,
            vis: None,
            serde: false,
        };
        let mut seen: Vec<String> = Vec::new();
        while !input.is_empty() {
            input.punct(',')?;
            if input.is_empty() {
                break;
            }
            let key = input.ident()?;
            let name = key.to_string();
            if seen.contains(&name) {
                return Err(Error::new(key.span(), format!("`{name}` is given twice")));
            }
            seen.push(name.clone());
            input.punct('=')?;
            match name.as_str() {
                "platform" => args.platform = Some(input.str()?),
                "vis" => args.vis = input.vis()?,
                "serde" => args.serde = input.bool()?,
                _ => {
                    return Err(Error::new(
                        key.span(),
                        format!(
                            "unknown argument `{name}`; expected `platform = \"web\"`, `vis = pub(crate)` or `serde = true`"
                        ),
                    ));
                }
            }
        }
        Ok(args)
    }
}

fn expand(args: &Args) -> Result<TokenStream> {
    let span = args.path.span;
    let one = |span, message: String| vec![Error::new(span, message)];
    let base = std::env::var_os("ERRSPEC_MANIFEST_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .ok_or_else(|| {
            one(
                span,
                "neither ERRSPEC_MANIFEST_DIR nor CARGO_MANIFEST_DIR is set; build with cargo"
                    .to_owned(),
            )
        })?;
    let relative = PathBuf::from(&args.path.value);
    let full = base.join(&relative);
    if full.is_dir() {
        return Err(one(
            span,
            format!(
                "`{}` is a directory; `catalog!` takes one catalog file",
                relative.display()
            ),
        ));
    }
    // The expansion is Rust: no other target's rules judge the file.
    let load = errspec::LoadOptions {
        languages: errspec::Languages::none().with(errspec_rust::language()),
        ..errspec::LoadOptions::default()
    };
    let registry =
        errspec::load_with(&base, &relative, load).map_err(|diags| compile_errors(span, &diags))?;
    let options = errspec_rust::Options {
        platform: args.platform.as_ref().map(|p| p.value.clone()),
        visibility: args.vis.clone().unwrap_or_else(|| "pub".to_owned()),
        serde: args.serde,
    };
    let mut out = String::new();
    for catalog in &registry.catalogs {
        errspec_rust::emit_into(&mut out, catalog, &options).map_err(|e| {
            let at = args.platform.as_ref().map_or(span, |p| p.span);
            one(at, e.to_string())
        })?;
    }
    // The lock beside the registry was checked by `load`; track it like the YAML.
    for lock in registry.locks.iter().filter(|l| l.lock.is_some()) {
        include_str(&mut out, &lock.full_path.to_string_lossy());
    }
    // Makes cargo rebuild the caller when the YAML changes.
    include_str(&mut out, &full.to_string_lossy());
    out.parse::<TokenStream>().map_err(|e| {
        one(
            span,
            format!("the Rust emitter wrote code that does not lex: {e}"),
        )
    })
}

fn include_str(out: &mut String, path: &str) {
    out.push_str("const _: &str = ::core::include_str!(");
    errspec_rust::write_str_lit(out, path);
    out.push_str(");\n");
}

/// One compiler error per diagnostic, each with the text the CLI prints for it.
fn compile_errors(span: Span, diags: &errspec::Diagnostics) -> Vec<Error> {
    let mut errors: Vec<Error> = diags
        .list
        .iter()
        .map(|d| Error::new(span, d.render(&diags.sources, false).trim_end()))
        .collect();
    if errors.is_empty() {
        errors.push(Error::new(span, "the registry is invalid"));
    }
    errors
}
