//! Shared text cleanup, before any letter family is recognised: bytes to Unicode
//! ([`decode`]), Unicode to clean lines without page furniture ([`clean`]), lines to
//! running text ([`join_lines`]), and folded keys for matching names ([`fold_key`]).

mod clean;
mod decode;
mod key;
mod pattern;

pub use clean::{clean, join_lines, Document, Line};
pub use decode::{decode, NotText};
pub use key::{fold_key, KeyText};
pub use pattern::{Captures, Match, Pattern};

/// Folds every run of white space to one space and trims the ends. Decoded text
/// holds no white space but ASCII (see [`decode`]).
pub fn fold_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
