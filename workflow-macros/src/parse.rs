//! Stage 1, syntax: the tokens of a `workflow!` invocation as a tree that keeps every span.
//!
//! The grammar is deliberately small and uniform, the shape of ASL's JSON written as Rust
//! tokens; what a key means is the model stage's business. A `Parse` impl here rejects only
//! malformed tokens.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt as _;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{braced, bracketed, parenthesized, token, Attribute, Ident, Lit, Token, Visibility};

/// The whole invocation, as the facade's `macro_rules!` trampoline passes it:
///
/// ```text
/// ($crate)
/// /// docs
/// pub Name { start_at: First, states: { ... } }
/// ```
pub(crate) struct Input {
    /// The path of the facade crate (`$crate`), however the user named it.
    pub(crate) krate: TokenStream,
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) body: Object,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        parenthesized!(content in input);
        Ok(Self {
            krate: content.parse()?,
            attrs: input.call(Attribute::parse_outer)?,
            vis: input.parse()?,
            ident: input.parse()?,
            body: input.parse()?,
        })
    }
}

/// `{ key: value, ... }`: the workflow's body, a state's fields, a retrier, a JSON object.
pub(crate) struct Object {
    pub(crate) brace: token::Brace,
    pub(crate) fields: Punctuated<Field, Token![,]>,
}

impl Parse for Object {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        let brace = braced!(content in input);
        Ok(Self {
            brace,
            fields: content.parse_terminated(Field::parse, Token![,])?,
        })
    }
}

/// `key: value`, where the key is an identifier (`next`, `parallelBranch1`) or a string
/// (`"Do the work in parallel"`, `"message"`).
pub(crate) struct Field {
    pub(crate) key: Key,
    pub(crate) value: Value,
}

impl Parse for Field {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key = input.parse()?;
        input.parse::<Token![:]>()?;
        let value = input.parse()?;
        if let Value::Path(path) = &value {
            // A handler written as Rust code rather than named: say what to write instead.
            if input.peek(Token![.]) {
                return Err(input.error(format!(
                    "a method call cannot be a handler: name the method by its type, as in `handler: Payments::charge`, and declare `deps: Payments` on the workflow, whose value every handler that takes `&Payments` first borrows ({DEPS_DOC})",
                )));
            }
            if input.peek(token::Paren) {
                let name = path.to_token_stream().to_string().replace(' ', "");
                return Err(input.error(format!(
                    "a handler is named, not called: write `handler: {name}`; what it needs besides its input comes from the workflow's `deps` ({DEPS_DOC})"
                )));
            }
        }
        Ok(Self { key, value })
    }
}

/// Where the documentation of `deps` is, for messages that point there.
const DEPS_DOC: &str = "see \"Dependencies\" in the `workflow!` documentation";

/// The message for a closure where a value is expected: most likely a handler.
const CLOSURE: &str = "a closure cannot be a handler: a `handler` is the path of an `async fn` (`handler: charge`) or of a method (`handler: Payments::charge`); to give handlers a client, a pool or configuration, declare `deps: Payments` on the workflow and take `&Payments` as the handler's first argument";

/// An object key: `name` or `"any name"`.
pub(crate) enum Key {
    Ident(Ident),
    Str(syn::LitStr),
}

impl Key {
    /// The key's text (`r#type` reads as `type`).
    pub(crate) fn text(&self) -> String {
        match self {
            Self::Ident(i) => i.unraw().to_string(),
            Self::Str(s) => s.value(),
        }
    }
}

impl Parse for Key {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if lookahead.peek(syn::LitStr) {
            input.parse().map(Self::Str)
        } else if lookahead.peek(Ident::peek_any) {
            Ident::parse_any(input).map(Self::Ident)
        } else {
            Err(lookahead.error())
        }
    }
}

impl ToTokens for Key {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::Ident(i) => i.to_tokens(tokens),
            Self::Str(s) => s.to_tokens(tokens),
        }
    }
}

/// A value: a literal, a negative number, an object, an array, a typed object
/// (`Pass { ... }`), or a path (`successBranch`, `handlers::charge`, `null`).
pub(crate) enum Value {
    Lit(Lit),
    Neg(Token![-], Lit),
    Object(Object),
    Array(token::Bracket, Punctuated<Value, Token![,]>),
    Typed(Ident, Object),
    Path(syn::Path),
    /// `for name in ["a", "b"] { ... }`: an object written once for every item of a list.
    Template(Box<Template>),
}

/// `for replica in ["Replica 1", "Replica 2"] { start_at: replica, states: { ... } }`: one
/// object per item, in which the identifier `replica` (a value or a key) stands for the item
/// and `{replica}` inside a string literal for its text. Only a Parallel's `branches` take it.
pub(crate) struct Template {
    pub(crate) for_token: Token![for],
    pub(crate) var: Ident,
    pub(crate) bracket: token::Bracket,
    pub(crate) items: Punctuated<Lit, Token![,]>,
    pub(crate) body: Object,
}

impl Template {
    /// The body with `item` in place of the variable: its tokens rewritten, then parsed again,
    /// so that every error in an instance points at the template's own tokens.
    pub(crate) fn instance(&self, item: &Lit) -> syn::Result<Object> {
        let text = match item {
            Lit::Str(s) => s.value(),
            Lit::Int(i) => i.base10_digits().to_owned(),
            Lit::Float(f) => f.base10_digits().to_owned(),
            Lit::Bool(b) => b.value.to_string(),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "a template's items are strings, numbers or booleans",
                ))
            }
        };
        let tokens = substitute(self.body.to_token_stream(), &self.var, item, &text);
        syn::parse2(tokens)
    }
}

/// `tokens` with `var` replaced by `item` and `{var}` in string literals by `text`, every
/// token keeping its span.
fn substitute(tokens: TokenStream, var: &Ident, item: &Lit, text: &str) -> TokenStream {
    let placeholder = format!("{{{var}}}");
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let inner = substitute(group.stream(), var, item, text);
                let mut new = proc_macro2::Group::new(group.delimiter(), inner);
                new.set_span(group.span());
                TokenTree::Group(new)
            }
            TokenTree::Ident(ident) if ident == *var => {
                let mut lit = item.clone();
                lit.set_span(ident.span());
                lit.to_token_stream()
                    .into_iter()
                    .next()
                    .unwrap_or(TokenTree::Ident(ident))
            }
            TokenTree::Literal(literal) => {
                match syn::parse2::<syn::LitStr>(literal.to_token_stream()) {
                    Ok(string) if string.value().contains(&placeholder) => {
                        let mut new = proc_macro2::Literal::string(
                            &string.value().replace(&placeholder, text),
                        );
                        new.set_span(literal.span());
                        TokenTree::Literal(new)
                    }
                    _ => TokenTree::Literal(literal),
                }
            }
            other => other,
        })
        .collect()
}

impl Parse for Template {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let for_token = input.parse()?;
        let var = input.parse()?;
        input.parse::<Token![in]>()?;
        let content;
        let bracket = bracketed!(content in input);
        Ok(Self {
            for_token,
            var,
            bracket,
            items: content.parse_terminated(
                |item| {
                    item.parse::<Lit>().map_err(|e| {
                        syn::Error::new(
                            e.span(),
                            "a template's items are literals (strings, numbers or booleans), as in `for replica in [\"Replica 1\", \"Replica 2\"]`",
                        )
                    })
                },
                Token![,],
            )?,
            body: input.parse()?,
        })
    }
}

impl Parse for Value {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(Token![|])
            || input.peek(Token![||])
            || input.peek(Token![move])
            || input.peek(Token![async])
        {
            return Err(input.error(format!("{CLOSURE} ({DEPS_DOC})")));
        }
        if input.peek(Token![for]) {
            return input.parse().map(|t| Self::Template(Box::new(t)));
        }
        let lookahead = input.lookahead1();
        if lookahead.peek(Lit) {
            input.parse().map(Self::Lit)
        } else if lookahead.peek(Token![-]) {
            Ok(Self::Neg(input.parse()?, input.parse()?))
        } else if lookahead.peek(token::Brace) {
            input.parse().map(Self::Object)
        } else if lookahead.peek(token::Bracket) {
            let content;
            let bracket = bracketed!(content in input);
            Ok(Self::Array(
                bracket,
                content.parse_terminated(Value::parse, Token![,])?,
            ))
        } else if input.peek(Ident) && input.peek2(token::Brace) {
            Ok(Self::Typed(input.parse()?, input.parse()?))
        } else if lookahead.peek(Ident::peek_any) || lookahead.peek(Token![::]) {
            input.parse().map(Self::Path)
        } else {
            Err(lookahead.error())
        }
    }
}

impl ToTokens for Value {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::Lit(l) => l.to_tokens(tokens),
            Self::Neg(m, l) => {
                m.to_tokens(tokens);
                l.to_tokens(tokens);
            }
            Self::Object(o) => o.to_tokens(tokens),
            Self::Array(b, items) => b.surround(tokens, |t| items.to_tokens(t)),
            Self::Typed(i, o) => {
                i.to_tokens(tokens);
                o.to_tokens(tokens);
            }
            Self::Path(p) => p.to_tokens(tokens),
            Self::Template(t) => {
                t.for_token.to_tokens(tokens);
                t.var.to_tokens(tokens);
                <Token![in]>::default().to_tokens(tokens);
                t.bracket.surround(tokens, |inner| t.items.to_tokens(inner));
                t.body.to_tokens(tokens);
            }
        }
    }
}

impl ToTokens for Object {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.brace.surround(tokens, |t| {
            for pair in self.fields.pairs() {
                pair.value().key.to_tokens(t);
                <Token![:]>::default().to_tokens(t);
                pair.value().value.to_tokens(t);
                if let Some(comma) = pair.punct() {
                    comma.to_tokens(t);
                }
            }
        });
    }
}

/// The first and last span of a piece of syntax, so that an error can underline all of it
/// on stable Rust (where spans cannot be joined).
#[derive(Clone, Copy)]
pub(crate) struct SpanRange {
    pub(crate) start: Span,
    pub(crate) end: Span,
}

impl SpanRange {
    /// The range that `node`'s tokens cover.
    pub(crate) fn of(node: &impl ToTokens) -> Self {
        let mut tokens = node.to_token_stream().into_iter();
        let start = tokens.next().map_or_else(Span::call_site, |t| t.span());
        let end = tokens.last().map_or(start, |t| t.span());
        Self { start, end }
    }
}

/// Syntax whose [`SpanRange`] is known without printing it back to tokens: the model stage
/// records one for every location, and rebuilding each nested value's tokens for that made
/// it quadratic in the nesting.
pub(crate) trait Ranged {
    fn span_range(&self) -> SpanRange;
}

impl Ranged for Value {
    fn span_range(&self) -> SpanRange {
        let one = |span: Span| SpanRange {
            start: span,
            end: span,
        };
        match self {
            Self::Lit(l) => one(l.span()),
            Self::Neg(minus, l) => SpanRange {
                start: minus.span,
                end: l.span(),
            },
            // A group's tokens are one token tree, whose span is the whole group.
            Self::Object(o) => one(o.brace.span.join()),
            Self::Array(bracket, _) => one(bracket.span.join()),
            Self::Typed(ident, o) => SpanRange {
                start: ident.span(),
                end: o.brace.span.join(),
            },
            Self::Path(p) => SpanRange::of(p),
            Self::Template(t) => SpanRange {
                start: t.for_token.span,
                end: t.body.brace.span.join(),
            },
        }
    }
}

impl Ranged for Key {
    fn span_range(&self) -> SpanRange {
        let span = match self {
            Self::Ident(i) => i.span(),
            Self::Str(s) => s.span(),
        };
        SpanRange {
            start: span,
            end: span,
        }
    }
}

impl Ranged for Ident {
    fn span_range(&self) -> SpanRange {
        SpanRange {
            start: self.span(),
            end: self.span(),
        }
    }
}

impl ToTokens for SpanRange {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let mut start = proc_macro2::Punct::new('<', proc_macro2::Spacing::Alone);
        start.set_span(self.start);
        let mut end = proc_macro2::Punct::new('>', proc_macro2::Spacing::Alone);
        end.set_span(self.end);
        tokens.extend([TokenTree::Punct(start), TokenTree::Punct(end)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_whole_value_grammar() {
        let input: Input = syn::parse_quote! {
            (::workflow)
            /// docs
            pub Demo {
                start_at: "A b",
                states: {
                    "A b": Task { handler: crate::h, retry: [{ max_attempts: 1, backoff_rate: 1.5 }], next: c },
                    c: Pass { result: { "k": [1, -2, true, null] }, end: true },
                }
            }
        };
        assert_eq!(input.ident, "Demo");
        assert_eq!(input.attrs.len(), 1);
        assert_eq!(input.krate.to_string(), ":: workflow");
        let fields: Vec<String> = input.body.fields.iter().map(|f| f.key.text()).collect();
        assert_eq!(fields, ["start_at", "states"]);
        let Value::Object(states) = &input.body.fields[1].value else {
            panic!("states is an object")
        };
        assert!(matches!(&states.fields[0].value, Value::Typed(t, _) if t == "Task"));
        assert_eq!(states.fields[0].key.text(), "A b");
    }

    #[test]
    fn rejects_malformed_tokens() {
        let err = syn::parse2::<Input>(quote::quote! { (::w) Demo { start_at A } })
            .err()
            .unwrap();
        assert_eq!(err.to_string(), "expected `:`");
        assert!(syn::parse2::<Input>(quote::quote! { (::w) Demo { x: + } }).is_err());
    }

    #[test]
    fn a_template_instance_puts_the_item_where_the_variable_was() {
        let value: Value = syn::parse_quote! {
            for r in ["R 1", 2] { start_at: r, states: { "Ask {r}": Pass { result: {"who": r, "r": "{r}!"}, end: true } } }
        };
        let Value::Template(template) = value else {
            panic!("a template")
        };
        let first = template.instance(&template.items[0]).unwrap();
        assert_eq!(
            first.to_token_stream().to_string(),
            r#"{ start_at : "R 1" , states : { "Ask R 1" : Pass { result : { "who" : "R 1" , "r" : "R 1!" } , end : true } } }"#
        );
        let second = template.instance(&template.items[1]).unwrap();
        assert!(
            second
                .to_token_stream()
                .to_string()
                .contains(r#""Ask 2" : Pass { result : { "who" : 2 ,"#),
            "{}",
            second.to_token_stream()
        );
    }
}
