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

/// The byte range of the sentence of `text` that holds `start..end`: from after
/// the previous sentence's end (". ", "? ", "! ", "; ") to the next one.
pub fn sentence_range(text: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    let is_end = |w: &[u8]| matches!(w, [b'.' | b'?' | b'!' | b';', b' ']);
    let bytes = text.as_bytes();
    let from = bytes[..start]
        .windows(2)
        .rposition(is_end)
        .map_or(0, |at| at + 2);
    let to = bytes[end..]
        .windows(2)
        .position(is_end)
        .map_or(text.len(), |at| end + at + 1);
    from..to
}
