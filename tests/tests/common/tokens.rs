//! Rust source compared as tokens, layout aside (for the Rust target's tests).

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// The tokens of `file` with what only formatting chooses made canonical:
/// string literals by their value (escapes, `/** */` and `#[doc]` alike),
/// trailing commas of broken lists, and match-arm and closure bodies that
/// rustfmt wraps in a block of one expression.
pub fn normalised(mut file: syn::File) -> String {
    Layout.visit_file_mut(&mut file);
    literals(file.into_token_stream()).to_string()
}

/// [`normalised`] of Rust source text.
pub fn normalised_source(source: &str) -> Result<String, syn::Error> {
    syn::parse_file(source).map(normalised)
}

struct Layout;

macro_rules! no_trailing {
    ($punctuated:expr) => {
        if $punctuated.trailing_punct() {
            $punctuated.pop_punct();
        }
    };
}

impl VisitMut for Layout {
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        syn::visit_mut::visit_arm_mut(self, arm);
        if let syn::Expr::Block(b) = &*arm.body
            && b.attrs.is_empty()
            && b.label.is_none()
            && let [syn::Stmt::Expr(e, None)] = b.block.stmts.as_slice()
        {
            *arm.body = e.clone();
        }
        arm.comma = Some(Default::default());
    }
    fn visit_expr_closure_mut(&mut self, c: &mut syn::ExprClosure) {
        syn::visit_mut::visit_expr_closure_mut(self, c);
        if let syn::Expr::Block(b) = &*c.body
            && b.attrs.is_empty()
            && b.label.is_none()
            && c.output == syn::ReturnType::Default
            && let [syn::Stmt::Expr(e, None)] = b.block.stmts.as_slice()
        {
            *c.body = e.clone();
        }
    }
    fn visit_expr_array_mut(&mut self, e: &mut syn::ExprArray) {
        syn::visit_mut::visit_expr_array_mut(self, e);
        no_trailing!(e.elems);
    }
    fn visit_expr_call_mut(&mut self, e: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, e);
        no_trailing!(e.args);
    }
    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        syn::visit_mut::visit_expr_struct_mut(self, e);
        no_trailing!(e.fields);
    }
    fn visit_pat_struct_mut(&mut self, p: &mut syn::PatStruct) {
        syn::visit_mut::visit_pat_struct_mut(self, p);
        if p.rest.is_none() {
            no_trailing!(p.fields);
        }
    }
    fn visit_signature_mut(&mut self, s: &mut syn::Signature) {
        syn::visit_mut::visit_signature_mut(self, s);
        no_trailing!(s.inputs);
    }
    fn visit_fields_named_mut(&mut self, f: &mut syn::FieldsNamed) {
        syn::visit_mut::visit_fields_named_mut(self, f);
        no_trailing!(f.named);
    }
    fn visit_item_enum_mut(&mut self, e: &mut syn::ItemEnum) {
        syn::visit_mut::visit_item_enum_mut(self, e);
        no_trailing!(e.variants);
    }
}

fn literals(ts: TokenStream) -> TokenStream {
    ts.into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => {
                TokenTree::Group(Group::new(g.delimiter(), literals(g.stream())))
            }
            TokenTree::Literal(l) => match syn::parse_str::<syn::LitStr>(&l.to_string()) {
                Ok(s) => TokenTree::Literal(Literal::string(&s.value())),
                Err(_) => TokenTree::Literal(l),
            },
            other => other,
        })
        .collect()
}
