//! Phase 1: `#[orm(...)]` attributes parsed into typed structs.
//!
//! Contract: parsing never stops at the first problem. Every unknown keyword (with a "did you mean"
//! when one is close), keyword at the wrong level, wrong value form and duplicate (reported at its
//! second use) is pushed to [`Errors`], anchored on the offending tokens, and parsing resumes at the
//! next comma. Keywords keep their tokens so that later phases can point at them.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Attribute, LitStr, Meta, Path, Token};

use crate::errors::Errors;
use crate::symbol::{Keyword, Level, ORM};

/// `#[orm(...)]` on the struct.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `table = "..."`
    pub table: Option<LitStr>,
    /// `crate = "..."`, with the parsed path.
    pub krate: Option<(LitStr, Path)>,
}

/// `#[orm(...)]` on a field. Flags keep the keyword's path, for error spans.
#[derive(Default)]
pub struct FieldAttrs {
    /// `primary_key`
    pub primary_key: Option<Path>,
    /// `auto_increment`
    pub auto_increment: Option<Path>,
    /// `column = "..."`
    pub column: Option<LitStr>,
    /// `unique`
    pub unique: Option<Path>,
    /// `index`
    pub index: Option<Path>,
}

impl ContainerAttrs {
    /// Parses the struct's `#[orm(...)]` attributes.
    pub fn parse(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        for_each_keyword(attrs, Level::Container, errors, |keyword, meta, errors| {
            match keyword {
                Keyword::Table => {
                    if let Some(lit) = string_value(keyword, meta, errors)? {
                        set_once(&mut out.table, lit, &meta.path, keyword, errors);
                    }
                }
                Keyword::Crate => {
                    if let Some(lit) = string_value(keyword, meta, errors)? {
                        match lit.parse::<Path>() {
                            Ok(path) => {
                                set_once(&mut out.krate, (lit, path), &meta.path, keyword, errors)
                            }
                            Err(_) => errors.spanned_help(
                                &lit,
                                "`crate` expects the path of the `orm` crate",
                                format_args!("the correct form is `{}`", keyword.form()),
                            ),
                        }
                    }
                }
                // Field keywords never get here: `for_each_keyword` filters by level.
                _ => {}
            }
            Ok(())
        });
        out
    }
}

impl FieldAttrs {
    /// Parses one field's `#[orm(...)]` attributes.
    pub fn parse(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        for_each_keyword(attrs, Level::Field, errors, |keyword, meta, errors| {
            let flag = match keyword {
                Keyword::PrimaryKey => &mut out.primary_key,
                Keyword::AutoIncrement => &mut out.auto_increment,
                Keyword::Unique => &mut out.unique,
                Keyword::Index => &mut out.index,
                Keyword::Column => {
                    if let Some(lit) = string_value(keyword, meta, errors)? {
                        set_once(&mut out.column, lit, &meta.path, keyword, errors);
                    }
                    return Ok(());
                }
                // Struct keywords never get here: `for_each_keyword` filters by level.
                Keyword::Table | Keyword::Crate => return Ok(()),
            };
            flag_value(keyword, meta, errors)?;
            set_once(flag, meta.path.clone(), &meta.path, keyword, errors);
            Ok(())
        });
        out
    }
}

/// Runs `handle` for each keyword of `level` in the `#[orm(...)]` attributes; reports malformed
/// attributes, unknown keywords and keywords of the other level.
fn for_each_keyword(
    attrs: &[Attribute],
    level: Level,
    errors: &mut Errors,
    mut handle: impl FnMut(Keyword, &ParseNestedMeta, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident(ORM)) {
        if !matches!(attr.meta, Meta::List(_)) {
            errors.spanned_help(
                attr,
                "expected a list of attributes: `#[orm(...)]`",
                format_args!("{} attributes are {}", level.noun(), Keyword::list(level)),
            );
            continue;
        }
        let parsed = attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match Keyword::from_name(&name) {
                Some(keyword) if keyword.level() == level => handle(keyword, &meta, errors),
                Some(keyword) => {
                    let rest = skip_item(meta.input)?;
                    let path = &meta.path;
                    errors.spanned_help(
                        quote!(#path #rest),
                        format!(
                            "`{name}` is a {} attribute, not a {} attribute",
                            keyword.level().noun(),
                            level.noun()
                        ),
                        format_args!("put `{}` on the {}", keyword.form(), keyword.level().noun()),
                    );
                    Ok(())
                }
                None => {
                    skip_item(meta.input)?;
                    match unknown_keyword(&meta.path, level, errors) {
                        // Act on the keyword evidently meant, so that later checks do not pile onto
                        // the misspelling; whatever it would report is part of the same mistake.
                        Some(meant) => handle(meant, &meta, &mut Errors::default()),
                        None => Ok(()),
                    }
                }
            }
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
}

/// Reports an unknown keyword, with the closest known one if any; returns that one when it belongs
/// at `level`.
fn unknown_keyword(path: &Path, level: Level, errors: &mut Errors) -> Option<Keyword> {
    let written = path.to_token_stream().to_string().replace(' ', "");
    let message = format!("unknown attribute `{written}`");
    match path
        .get_ident()
        .and_then(|i| Keyword::closest(&i.to_string()))
    {
        Some(k) if k.level() == level => {
            errors.spanned_help(
                path,
                message,
                format_args!(
                    "did you mean `{}`? The correct form is `{}`",
                    k.name(),
                    k.form()
                ),
            );
            Some(k)
        }
        Some(k) => {
            errors.spanned_help(
                path,
                message,
                format_args!(
                    "did you mean `{}`? It is a {} attribute: `{}`",
                    k.name(),
                    k.level().noun(),
                    k.form()
                ),
            );
            None
        }
        None => {
            errors.spanned_help(
                path,
                message,
                format_args!("{} attributes are {}", level.noun(), Keyword::list(level)),
            );
            None
        }
    }
}

/// Stores `value` unless the slot is taken; a second use is reported at `key`.
fn set_once<T>(slot: &mut Option<T>, value: T, key: &Path, keyword: Keyword, errors: &mut Errors) {
    if slot.is_some() {
        errors.spanned_help(
            key,
            format!("duplicate attribute `{}`", keyword.name()),
            "remove this one: each attribute may appear once",
        );
    } else {
        *slot = Some(value);
    }
}

/// `key = "value"`. Reports any other form (and an empty string) and returns `None` for it.
fn string_value(
    keyword: Keyword,
    meta: &ParseNestedMeta,
    errors: &mut Errors,
) -> syn::Result<Option<LitStr>> {
    let help = format!("the correct form is `{}`", keyword.form());
    let name = keyword.name();
    if !meta.input.peek(Token![=]) {
        let rest = skip_item(meta.input)?;
        let path = &meta.path;
        errors.spanned_help(quote!(#path #rest), format!("`{name}` needs a value"), help);
        return Ok(None);
    }
    meta.input.parse::<Token![=]>()?;
    let value = skip_item(meta.input)?;
    match syn::parse2::<LitStr>(value.clone()) {
        Ok(lit) if lit.value().is_empty() => {
            errors.spanned_help(&lit, format!("`{name}` cannot be empty"), help);
            Ok(None)
        }
        Ok(lit) => Ok(Some(lit)),
        Err(_) if value.is_empty() => {
            let path = &meta.path;
            errors.spanned_help(
                quote!(#path =),
                format!("`{name}` needs a value after `=`"),
                help,
            );
            Ok(None)
        }
        Err(_) => {
            errors.spanned_help(value, format!("`{name}` expects a string literal"), help);
            Ok(None)
        }
    }
}

/// A bare flag. Reports `flag = ...` and `flag(...)`; the flag still counts as set, so that later
/// checks (such as "no primary key") do not pile onto the same mistake.
fn flag_value(keyword: Keyword, meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<()> {
    let rest = skip_item(meta.input)?;
    if !rest.is_empty() {
        let path = &meta.path;
        errors.spanned_help(
            quote!(#path #rest),
            format!("`{}` takes no value", keyword.name()),
            format_args!("the correct form is `{}`", keyword.form()),
        );
    }
    Ok(())
}

/// Consumes the tokens up to the next top-level comma (or the end) and returns them.
fn skip_item(input: ParseStream) -> syn::Result<TokenStream> {
    let mut skipped = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        skipped.extend([input.parse::<TokenTree>()?]);
    }
    Ok(skipped)
}
