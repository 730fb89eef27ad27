//! The Rust code of an errspec catalog, as tokens.
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
//!   `deprecation`, `from_code`, `from_name`, the `ALL` list, `TryFrom<u32>`,
//!   `FromStr`, `Display` (the message) and `std::error::Error`;
//! - `#[deprecated]` associated consts for aliases and `#[deprecated]` on
//!   deprecated entries; rustdoc on every item.
//!
//! The code needs nothing but `core`/`std` (and the caller's `::serde` when asked).

use errspec::{Catalog, Entry, KeyedBy, RetryHint, View};
use errspec::{ident, markdown};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

/// How to emit a catalog.
#[derive(Clone, Debug)]
pub struct Options {
    /// The platform whose view to use; `None` for the canonical names and every entry.
    pub platform: Option<String>,
    /// Visibility of every emitted item, e.g. `pub` or `pub(crate)`.
    pub visibility: TokenStream,
    /// Emit `::serde::Serialize`/`Deserialize` (the code for code-keyed catalogs, the name otherwise).
    pub serde: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            platform: None,
            visibility: quote!(pub),
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
    ident::rust_variant(&catalog.name.value)
}

/// Emits the code of one catalog.
pub fn emit(catalog: &Catalog, options: &Options) -> Result<TokenStream, EmitError> {
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
    Ok(Emitter::new(view, options).catalog())
}

struct Variant<'a> {
    entry: &'a Entry,
    ident: Ident,
    name: &'a str,
    message: &'a str,
    /// Every name `from_name` accepts for it (see `ViewEntry::accepted_names`).
    accepted: Vec<&'a str>,
}

struct Emitter<'a> {
    view: View<'a>,
    options: &'a Options,
    ty: Ident,
    retry_ty: Ident,
    unknown_ty: Ident,
    variants: Vec<Variant<'a>>,
}

impl<'a> Emitter<'a> {
    fn new(view: View<'a>, options: &'a Options) -> Self {
        let ty = format_ident!("{}", type_name(view.catalog));
        let variants = view
            .entries()
            .map(|e| Variant {
                entry: e.entry,
                ident: format_ident!("{}", ident::rust_variant(&e.name.value)),
                name: &e.name.value,
                message: &e.message.value,
                accepted: e.accepted_names(),
            })
            .collect();
        Emitter {
            retry_ty: format_ident!("{ty}Retry"),
            unknown_ty: format_ident!("{ty}UnknownName"),
            ty,
            view,
            options,
            variants,
        }
    }

    fn keyed_by_code(&self) -> bool {
        self.view.catalog.keyed_by == KeyedBy::Code
    }

    fn catalog(&self) -> TokenStream {
        let mut out = self.enum_def();
        out.extend(self.retry_def());
        out.extend(self.unknown_def());
        out.extend(self.inherent_impl());
        out.extend(self.trait_impls());
        if self.options.serde {
            out.extend(self.serde_impls());
        }
        out
    }

    fn enum_def(&self) -> TokenStream {
        let vis = &self.options.visibility;
        let ty = &self.ty;
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
        doc.push_str(&format!(
            "\n\nGenerated by errspec from the `{}` catalog{}; edit the registry, not this code.",
            c.name.value,
            self.view
                .platform_id()
                .map(|p| format!(" (platform `{p}`)"))
                .unwrap_or_default()
        ));
        let variants = self.variants.iter().map(|v| {
            let ident = &v.ident;
            let doc = markdown::without_doctests(&variant_doc(v));
            // rustdoc renders the note as Markdown too; rustc prints it as it is.
            let deprecated = v.entry.deprecated.as_ref().map(|why| {
                let note = markdown::note(&why.value);
                quote!(#[deprecated(note = #note)])
            });
            let discriminant = v.entry.code.as_ref().map(|c| {
                let lit = Literal::u32_unsuffixed(c.value);
                quote!(= #lit)
            });
            quote! {
                #[doc = #doc]
                #deprecated
                #ident #discriminant,
            }
        });
        let repr = self.keyed_by_code().then(|| {
            let max = self
                .variants
                .iter()
                .filter_map(|v| v.entry.code.as_ref())
                .map(|c| c.value)
                .max()
                .unwrap_or(0);
            let repr = repr_for(max);
            quote!(#[repr(#repr)])
        });
        let doc = markdown::without_doctests(&doc);
        quote! {
            #[doc = #doc]
            // Registry text is written for readers, not for rustdoc: a bare URL
            // or a word in brackets there is no broken link of the caller's.
            #[allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links)]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #repr
            #vis enum #ty {
                #(#variants)*
            }
        }
    }

    fn retry_def(&self) -> TokenStream {
        let vis = &self.options.visibility;
        let retry_ty = &self.retry_ty;
        let ty = &self.ty;
        let doc = format!("Whether and how to retry after a [`{ty}`] error.");
        // The sentence's words are the registry's (one definition for every target).
        let (never, after, fix) = (RetryHint::NEVER, RetryHint::AFTER, RetryHint::FIX);
        let [backoff_0, backoff_1, backoff_2] = RetryHint::BACKOFF;
        quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            #vis enum #retry_ty {
                /// Retrying cannot help.
                Never,
                /// Retry once after this delay.
                After(::core::time::Duration),
                /// Retry with exponential backoff: the delay doubles from `initial` up to `max`,
                /// for at most `max_attempts` attempts.
                Backoff {
                    /// The delay before the first retry.
                    initial: ::core::time::Duration,
                    /// The longest delay between two retries.
                    max: ::core::time::Duration,
                    /// How many retries at most.
                    max_attempts: u32,
                },
                /// Retry only after the user or the app fixed what the text says.
                AfterFix(&'static str),
            }

            impl #retry_ty {
                /// Whether retrying can help (at once, later, or after a fix).
                #vis const fn is_retryable(self) -> bool {
                    !::core::matches!(self, Self::Never)
                }

                /// The delay before the first retry, when the hint has one.
                #vis const fn retry_after(self) -> ::core::option::Option<::core::time::Duration> {
                    match self {
                        Self::After(d) => ::core::option::Option::Some(d),
                        Self::Backoff { initial, .. } => ::core::option::Option::Some(initial),
                        Self::Never | Self::AfterFix(_) => ::core::option::Option::None,
                    }
                }
            }

            /// The sentence the docs print for the hint (`retry once after 2m`).
            impl ::core::fmt::Display for #retry_ty {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    // A duration as the registry writes it: the largest exact unit.
                    fn duration(f: &mut ::core::fmt::Formatter<'_>, d: ::core::time::Duration) -> ::core::fmt::Result {
                        let ms = d.as_millis();
                        if !d.subsec_nanos().is_multiple_of(1_000_000) {
                            ::core::write!(f, "{:?}", d)
                        } else if ms != 0 && ms.is_multiple_of(3_600_000) {
                            ::core::write!(f, "{}h", ms / 3_600_000)
                        } else if ms != 0 && ms.is_multiple_of(60_000) {
                            ::core::write!(f, "{}m", ms / 60_000)
                        } else if ms.is_multiple_of(1000) {
                            ::core::write!(f, "{}s", ms / 1000)
                        } else {
                            ::core::write!(f, "{}ms", ms)
                        }
                    }
                    match *self {
                        Self::Never => f.write_str(#never),
                        Self::After(d) => {
                            f.write_str(#after)?;
                            duration(f, d)
                        }
                        Self::Backoff { initial, max, max_attempts } => {
                            f.write_str(#backoff_0)?;
                            ::core::fmt::Display::fmt(&max_attempts, f)?;
                            f.write_str(#backoff_1)?;
                            duration(f, initial)?;
                            f.write_str(#backoff_2)?;
                            duration(f, max)
                        }
                        Self::AfterFix(what) => {
                            f.write_str(#fix)?;
                            f.write_str(what)
                        }
                    }
                }
            }
        }
    }

    fn unknown_def(&self) -> TokenStream {
        let vis = &self.options.visibility;
        let unknown_ty = &self.unknown_ty;
        let ty = &self.ty;
        let doc = format!(
            "A name that is no [`{ty}`] name (nor an alias): the error of `{ty}::from_str`."
        );
        let text = format!(
            "not a name of the `{}` catalog",
            self.view.catalog.name.value
        );
        quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            #vis struct #unknown_ty;

            impl ::core::fmt::Display for #unknown_ty {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(#text)
                }
            }

            impl ::std::error::Error for #unknown_ty {}
        }
    }

    fn inherent_impl(&self) -> TokenStream {
        let vis = &self.options.visibility;
        let ty = &self.ty;
        let retry_ty = &self.retry_ty;
        let idents: Vec<&Ident> = self.variants.iter().map(|v| &v.ident).collect();
        let names = self.variants.iter().map(|v| v.name);
        let messages = self.variants.iter().map(|v| v.message);
        let triggers = self.variants.iter().map(|v| v.entry.trigger.value.as_str());
        let retries = self
            .variants
            .iter()
            .map(|v| retry_tokens(retry_ty, &v.entry.retry.value));
        let docs = self
            .variants
            .iter()
            .map(|v| optional_str(v.entry.docs.as_ref()));
        let deprecations = self
            .variants
            .iter()
            .map(|v| optional_str(v.entry.deprecated.as_ref()));
        // Every name that resolves to an entry in this view: its name, canonical name and aliases.
        let name_patterns = self.variants.iter().map(|v| {
            let accepted = &v.accepted;
            quote!(#(#accepted)|*)
        });
        let aliases = self.variants.iter().flat_map(|v| {
            let ident = &v.ident;
            v.entry.aliases.iter().map(move |a| {
                let konst = format_ident!("{}", alias_const(&a.value));
                let note = format!("renamed to `{}`: use `{ty}::{ident}`", v.name);
                let doc = format!("Former name of [`{ty}::{ident}`].");
                quote! {
                    #[doc = #doc]
                    #[deprecated(note = #note)]
                    #[allow(non_upper_case_globals)]
                    #vis const #konst: Self = Self::#ident;
                }
            })
        });
        let code_methods = self.keyed_by_code().then(|| {
            let codes = self
                .variants
                .iter()
                .map(|v| Literal::u32_unsuffixed(v.entry.code.as_ref().map_or(0, |c| c.value)));
            quote! {
                /// The numeric code apps receive.
                #[inline]
                #vis const fn code(self) -> u32 {
                    self as u32
                }

                /// The entry with this code, if any.
                #[inline]
                #vis const fn from_code(code: u32) -> ::core::option::Option<Self> {
                    match code {
                        #(#codes => ::core::option::Option::Some(Self::#idents),)*
                        _ => ::core::option::Option::None,
                    }
                }
            }
        });
        let all_doc = "Every entry, in registry order.";
        quote! {
            #[allow(deprecated)]
            impl #ty {
                #[doc = #all_doc]
                #vis const ALL: &'static [Self] = &[#(Self::#idents),*];

                #(#aliases)*

                #code_methods

                /// The registry constant, e.g. `"INVALID_API_KEY"`.
                #vis const fn name(self) -> &'static str {
                    match self {
                        #(Self::#idents => #names,)*
                    }
                }

                /// The one-line message for developers.
                #vis const fn message(self) -> &'static str {
                    match self {
                        #(Self::#idents => #messages,)*
                    }
                }

                /// When the error fires (Markdown).
                #vis const fn trigger(self) -> &'static str {
                    match self {
                        #(Self::#idents => #triggers,)*
                    }
                }

                /// Whether and how to retry.
                #vis const fn retry(self) -> #retry_ty {
                    match self {
                        #(Self::#idents => #retries,)*
                    }
                }

                /// A link to more documentation, if the registry has one.
                #vis const fn docs(self) -> ::core::option::Option<&'static str> {
                    match self {
                        #(Self::#idents => #docs,)*
                    }
                }

                /// Why the entry is deprecated, if it is.
                #vis const fn deprecation(self) -> ::core::option::Option<&'static str> {
                    match self {
                        #(Self::#idents => #deprecations,)*
                    }
                }

                /// The entry with this name; older names (aliases) are accepted too.
                #vis fn from_name(name: &str) -> ::core::option::Option<Self> {
                    match name {
                        #(#name_patterns => ::core::option::Option::Some(Self::#idents),)*
                        _ => ::core::option::Option::None,
                    }
                }
            }
        }
    }

    fn trait_impls(&self) -> TokenStream {
        let ty = &self.ty;
        let unknown_ty = &self.unknown_ty;
        let try_from = self.keyed_by_code().then(|| {
            quote! {
                impl ::core::convert::TryFrom<u32> for #ty {
                    /// The code that is not in the catalog.
                    type Error = u32;
                    fn try_from(code: u32) -> ::core::result::Result<Self, u32> {
                        Self::from_code(code).ok_or(code)
                    }
                }

                impl ::core::convert::From<#ty> for u32 {
                    fn from(e: #ty) -> u32 {
                        e.code()
                    }
                }
            }
        });
        quote! {
            #try_from

            impl ::core::str::FromStr for #ty {
                type Err = #unknown_ty;
                fn from_str(s: &str) -> ::core::result::Result<Self, #unknown_ty> {
                    Self::from_name(s).ok_or(#unknown_ty)
                }
            }

            impl ::core::fmt::Display for #ty {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(self.message())
                }
            }

            impl ::std::error::Error for #ty {}
        }
    }

    fn serde_impls(&self) -> TokenStream {
        let ty = &self.ty;
        let catalog = &self.view.catalog.name.value;
        if self.keyed_by_code() {
            let msg = format!("not a code of the `{catalog}` catalog");
            quote! {
                impl ::serde::Serialize for #ty {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                        s.serialize_u32(self.code())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #ty {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                        let code = <u32 as ::serde::Deserialize>::deserialize(d)?;
                        Self::from_code(code).ok_or_else(|| <D::Error as ::serde::de::Error>::custom(::core::format_args!("{}: {}", #msg, code)))
                    }
                }
            }
        } else {
            let msg = format!("not a name of the `{catalog}` catalog");
            quote! {
                impl ::serde::Serialize for #ty {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                        s.serialize_str(self.name())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #ty {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                        let name = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                        Self::from_name(&name).ok_or_else(|| <D::Error as ::serde::de::Error>::custom(::core::format_args!("{}: {}", #msg, name)))
                    }
                }
            }
        }
    }
}

/// `Some("text")` or `None`, as a `const`-friendly expression.
fn optional_str(text: Option<&errspec::Spanned<String>>) -> TokenStream {
    match text {
        Some(t) => {
            let t = t.value.as_str();
            quote!(::core::option::Option::Some(#t))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// Alias consts keep the alias spelling; `ALL` and `Self` would clash with our own items.
fn alias_const(alias: &str) -> String {
    match alias {
        "ALL" | "Self" => format!("{alias}_"),
        other => other.to_owned(),
    }
}

/// The smallest unsigned repr that holds `max`.
fn repr_for(max: u32) -> Ident {
    let name = if max <= u32::from(u8::MAX) {
        "u8"
    } else if max <= u32::from(u16::MAX) {
        "u16"
    } else {
        "u32"
    };
    Ident::new(name, Span::call_site())
}

fn duration_tokens(d: std::time::Duration) -> TokenStream {
    let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    let lit = Literal::u64_unsuffixed(ms);
    quote!(::core::time::Duration::from_millis(#lit))
}

fn retry_tokens(retry_ty: &Ident, hint: &RetryHint) -> TokenStream {
    match hint {
        RetryHint::Never => quote!(#retry_ty::Never),
        RetryHint::After(d) => {
            let d = duration_tokens(*d);
            quote!(#retry_ty::After(#d))
        }
        RetryHint::Backoff {
            initial,
            max,
            max_attempts,
        } => {
            let (initial, max) = (duration_tokens(*initial), duration_tokens(*max));
            let attempts = Literal::u32_unsuffixed(*max_attempts);
            quote!(#retry_ty::Backoff { initial: #initial, max: #max, max_attempts: #attempts })
        }
        RetryHint::AfterFix(what) => {
            let what = what.as_str();
            quote!(#retry_ty::AfterFix(#what))
        }
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
    doc.push_str("\n\n**Trigger:**\n\n");
    doc.push_str(&markdown::block(&e.trigger.value));
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
