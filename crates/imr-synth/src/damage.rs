//! What PDF extraction does to a letter's text, applied at a chosen rate. None of
//! it changes what the letter says, so the truth stands.

use fastrand::Rng;
use serde::{Deserialize, Serialize};

use imr_search::model::Letter;

/// A kind of extraction damage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Damage {
    /// Every line followed by a blank line, with trailing spaces.
    DoubleSpacing,
    /// Page breaks as runs of blank lines, in mid-paragraph.
    PageBreaks,
    /// Form feeds between pages, `Page N of M` lines and the case number on top.
    PageFurniture,
    /// Words split across line ends with a hyphen.
    Hyphenation,
    /// A space before the first line.
    LeadingSpace,
    CrLf,
    Windows1252,
    ByteOrderMark,
}

const ALL: &[Damage] = &[
    Damage::DoubleSpacing,
    Damage::PageBreaks,
    Damage::PageFurniture,
    Damage::Hyphenation,
    Damage::LeadingSpace,
    Damage::CrLf,
    Damage::Windows1252,
    Damage::ByteOrderMark,
];

/// Lines per extracted page.
const PAGE_LINES: usize = 44;

/// Damages `text` at `rate` per kind; returns the file's bytes and the kinds applied.
pub fn apply(rng: &mut Rng, text: &str, letter: &Letter, rate: f64) -> (Vec<u8>, Vec<Damage>) {
    let mut applied: Vec<Damage> = ALL.iter().copied().filter(|_| rng.f64() < rate).collect();
    // One encoding per file.
    if applied.contains(&Damage::Windows1252) {
        applied.retain(|d| *d != Damage::ByteOrderMark);
    }
    let has = |kind| applied.contains(&kind);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if has(Damage::Hyphenation) {
        hyphenate(rng, &mut lines);
    }
    if has(Damage::PageBreaks) || has(Damage::PageFurniture) {
        lines = paginate(&lines, letter, has(Damage::PageFurniture));
    }
    let mut out = String::with_capacity(text.len() * 2);
    if has(Damage::LeadingSpace) {
        out.push(' ');
    }
    for line in &lines {
        out += line;
        out.push('\n');
        if has(Damage::DoubleSpacing) {
            out += " \n";
        }
    }
    if has(Damage::CrLf) {
        out = out.replace('\n', "\r\n");
    }
    let bytes = if has(Damage::Windows1252) {
        let curly = out.replace('\'', "\u{2019}");
        encoding_rs::WINDOWS_1252.encode(&curly).0.into_owned()
    } else if has(Damage::ByteOrderMark) {
        [&b"\xEF\xBB\xBF"[..], out.as_bytes()].concat()
    } else {
        out.into_bytes()
    };
    (bytes, applied)
}

/// Splits the last word of some prose lines across the line end.
fn hyphenate(rng: &mut Rng, lines: &mut [String]) {
    for at in 0..lines.len().saturating_sub(1) {
        let line = &lines[at];
        let next = &lines[at + 1];
        // Prose only: headings and labelled lines keep their words whole.
        if line.len() < 60 || next.is_empty() || line.contains(':') || rng.u8(..4) != 0 {
            continue;
        }
        let Some(space) = line.rfind(' ') else {
            continue;
        };
        let word = &line[space + 1..];
        if word.len() < 8 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        let cut = space + 1 + rng.usize(3..word.len() - 3);
        let tail = line[cut..].to_string();
        let head = format!("{}-", &line[..cut]);
        lines[at + 1] = format!("{tail} {next}");
        lines[at] = head;
    }
}

/// Breaks the text into pages: a run of blank lines (in mid-paragraph as often as
/// not), and with `furniture` a form feed, a `Page N of M` line and the case number.
fn paginate(lines: &[String], letter: &Letter, furniture: bool) -> Vec<String> {
    let pages = lines.len().div_ceil(PAGE_LINES).max(1);
    let mut out = Vec::with_capacity(lines.len() + pages * 6);
    for (n, page) in lines.chunks(PAGE_LINES).enumerate() {
        if n > 0 {
            out.extend(["".to_string(), "".to_string(), "".to_string()]);
            if furniture {
                out.push(format!("\u{c}Page {} of {pages}", n + 1));
                if let Some(case) = &letter.case_number {
                    out.push(case.clone());
                }
                out.push(String::new());
            }
        }
        out.extend(page.iter().cloned());
    }
    out
}
