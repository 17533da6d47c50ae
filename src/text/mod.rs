//! Shared text cleanup, before any letter family is recognised: bytes to Unicode
//! ([`decode`]), Unicode to clean lines without page furniture ([`clean`]), lines to
//! running text ([`join_lines`]), and folded keys for matching names ([`fold_key`]).

mod clean;
mod decode;
mod key;

pub use clean::{clean, join_lines, Document, Line};
pub use decode::{decode, NotText};
pub use key::{fold_key, KeyText};

/// Folds every run of whitespace to one space and trims the ends.
pub fn fold_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
