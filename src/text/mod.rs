//! Shared text cleanup, before any letter family is recognised: bytes to Unicode
//! ([`decode`]), Unicode to clean lines without page furniture ([`clean`]), lines to
//! running text ([`join_lines`]), and folded keys for matching names ([`fold_key`]).

mod clean;
mod decode;
mod key;

pub use clean::{clean, join_lines, Document, Line};
pub use decode::{decode, NotText};
pub use key::{fold_key, KeyText};

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

/// Compiles a built-in pattern. Decoded text holds no white space but ASCII and the
/// letters' words are ASCII, so patterns get ASCII semantics (`\b`, `\s`, `\d`,
/// case folding), which compile several times smaller and search faster (the lazy
/// DFA gives up on Unicode word boundaries). A part that must match any character
/// says so with `(?u:...)`, as in `(?u:.)` or `(?u:[^)])`.
///
/// # Panics
/// If the pattern is invalid: built-in patterns are tested.
pub fn pattern(pattern: &str) -> regex::Regex {
    regex::RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .unwrap_or_else(|e| panic!("built-in pattern {pattern:?} is invalid: {e}"))
}
