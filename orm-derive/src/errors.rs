//! The error accumulator: every problem found in the input is collected, so the user sees all of
//! them in one build, each anchored on the tokens at fault.

use std::fmt::Display;

use quote::ToTokens;

/// Collected errors, combined into one [`syn::Error`] (which renders as one `compile_error!` each).
#[derive(Default)]
pub struct Errors {
    combined: Option<syn::Error>,
}

impl Errors {
    /// Adds an error.
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.combined {
            Some(all) => all.combine(error),
            None => self.combined = Some(error),
        }
    }

    /// Adds an error spanning `tokens`.
    pub fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Adds an error spanning `tokens`, followed by a `help:` line.
    pub fn spanned_help(
        &mut self,
        tokens: impl ToTokens,
        message: impl Display,
        help: impl Display,
    ) {
        self.spanned(tokens, format!("{message}\nhelp: {help}"));
    }

    /// The collected errors, if any.
    #[must_use = "collected errors must be reported"]
    pub fn finish(self) -> Option<syn::Error> {
        self.combined
    }
}
