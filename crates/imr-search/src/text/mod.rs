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
    sentence_start(text, start)..sentence_end(text, end)
}

/// Where the sentence of `text` that holds byte `at` starts: after the previous
/// sentence's end, or at the text's start.
pub fn sentence_start(text: &str, at: usize) -> usize {
    text.as_bytes()[..at]
        .windows(2)
        .rposition(ends_sentence)
        .map_or(0, |found| found + 2)
}

/// Where the sentence of `text` that holds byte `at` ends: after its full stop (or
/// other end), or at the text's end.
fn sentence_end(text: &str, at: usize) -> usize {
    text.as_bytes()[at..]
        .windows(2)
        .position(ends_sentence)
        .map_or(text.len(), |found| at + found + 1)
}

/// Whether two bytes end a sentence: a full stop, question or exclamation mark or
/// semicolon, and a space.
fn ends_sentence(pair: &[u8]) -> bool {
    matches!(pair, [b'.' | b'?' | b'!' | b';', b' '])
}
