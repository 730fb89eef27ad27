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

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitBool, LitStr, Token, Visibility};

/// Expands to the enum, retry-hint type and impls of one catalog file. See the crate docs.
#[proc_macro]
pub fn catalog(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    match expand(&args) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

struct Args {
    path: LitStr,
    platform: Option<LitStr>,
    vis: Option<Visibility>,
    serde: bool,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(
                input.error("expected the path of a catalog file: `catalog!(\"errors/sdk.yaml\")`")
            );
        }
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
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
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            let name = key.to_string();
            if seen.contains(&name) {
                return Err(syn::Error::new(
                    key.span(),
                    format!("`{name}` is given twice"),
                ));
            }
            seen.push(name.clone());
            input.parse::<Token![=]>()?;
            match name.as_str() {
                "platform" => args.platform = Some(input.parse()?),
                "vis" => args.vis = Some(input.parse()?),
                "serde" => args.serde = input.parse::<LitBool>()?.value,
                _ => {
                    return Err(syn::Error::new(
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

fn expand(args: &Args) -> syn::Result<proc_macro2::TokenStream> {
    let span = args.path.span();
    let base = std::env::var_os("ERRSPEC_MANIFEST_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .ok_or_else(|| {
            syn::Error::new(
                span,
                "neither ERRSPEC_MANIFEST_DIR nor CARGO_MANIFEST_DIR is set; build with cargo",
            )
        })?;
    let relative = PathBuf::from(args.path.value());
    let full = base.join(&relative);
    if full.is_dir() {
        return Err(syn::Error::new(
            span,
            format!(
                "`{}` is a directory; `catalog!` takes one catalog file",
                relative.display()
            ),
        ));
    }
    let registry =
        errspec::load_relative(&base, &relative).map_err(|diags| compile_errors(span, &diags))?;
    let options = errspec_rust::Options {
        platform: args.platform.as_ref().map(LitStr::value),
        visibility: args
            .vis
            .as_ref()
            .map_or_else(|| "pub".to_owned(), |v| quote!(#v).to_string()),
        serde: args.serde,
    };
    let mut out = String::new();
    for catalog in &registry.catalogs {
        errspec_rust::emit_into(&mut out, catalog, &options).map_err(|e| {
            let at = args.platform.as_ref().map_or(span, LitStr::span);
            syn::Error::new(at, e.to_string())
        })?;
    }
    // The lock beside the registry was checked by `load`; track it like the YAML.
    for lock in registry.locks.iter().filter(|l| l.lock.is_some()) {
        include_str(&mut out, &lock.full_path.to_string_lossy());
    }
    // Makes cargo rebuild the caller when the YAML changes.
    include_str(&mut out, &full.to_string_lossy());
    out.parse::<proc_macro2::TokenStream>().map_err(|e| {
        syn::Error::new(
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
fn compile_errors(span: proc_macro2::Span, diags: &errspec::Diagnostics) -> syn::Error {
    let mut errors = diags
        .list
        .iter()
        .map(|d| syn::Error::new(span, d.render(&diags.sources, false).trim_end()));
    let mut first = errors
        .next()
        .unwrap_or_else(|| syn::Error::new(span, "the registry is invalid"));
    for e in errors {
        first.combine(e);
    }
    first
}
