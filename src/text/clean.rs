//! Unicode text to clean lines: line endings unified, page furniture ("Page 2 of 5",
//! the case number repeated at the top of a page) removed, blank lines reduced to a
//! paragraph-break flag that double-spaced extracts do not fool.

use std::sync::LazyLock;

use regex::Regex;

/// One non-blank line of a letter, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// Whether a paragraph break (or a page break) stands before this line.
    pub break_before: bool,
}

/// A letter's clean lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub lines: Vec<Line>,
}

impl Document {
    /// The text of lines `range`, joined as running text (see [`join_lines`]).
    pub fn text_of(&self, range: std::ops::Range<usize>) -> String {
        join_lines(self.lines[range].iter().map(|l| l.text.as_str()))
    }
}

/// Page furniture: page numbers and the case number alone on a line.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:page\s*\d+(?:\s*(?:of|/)\s*\d+)?|-\s*\d+\s*-|(?:(?:imr|maximus)\s+)?case\s*(?:number|no\.?|#)?\s*:?\s*[a-z]{2,4}\d{2}-\d{4,8}|[a-z]{2,4}\d{2}-\d{4,8})$",
    )
    .expect("furniture pattern is valid")
});

/// Furniture lines are short; longer lines skip the pattern.
const FURNITURE_MAX_LEN: usize = 48;

/// Splits `text` into clean lines.
pub fn clean(text: &str) -> Document {
    let mut lines = Vec::new();
    let mut blank_run = 0usize;
    let mut gaps = Vec::new();
    let mut first = true;
    let unified: std::borrow::Cow<str> = if text.contains("\r\n") {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    };
    for raw in unified.split(['\n', '\r', '\x0c']) {
        let line = raw.trim();
        if line.is_empty() || is_furniture(line) {
            blank_run += 1;
            continue;
        }
        if !first {
            gaps.push(blank_run);
        }
        lines.push((line, if first { 0 } else { blank_run }));
        first = false;
        blank_run = 0;
    }
    let break_gap = if is_double_spaced(&gaps) { 2 } else { 1 };
    Document {
        lines: lines
            .into_iter()
            .map(|(text, gap)| Line {
                text: text.split('\t').collect::<Vec<_>>().join(" "),
                break_before: gap >= break_gap,
            })
            .collect(),
    }
}

fn is_furniture(line: &str) -> bool {
    line.len() <= FURNITURE_MAX_LEN && FURNITURE.is_match(line)
}

/// Whether the extract put a blank line after every line: two gaps in three or more
/// between lines are exactly one blank line.
fn is_double_spaced(gaps: &[usize]) -> bool {
    let one_blank = gaps.iter().filter(|g| **g == 1).count();
    !gaps.is_empty() && one_blank * 3 >= gaps.len() * 2
}

/// Joins lines into running text: one space between lines, whitespace folded, and a
/// word hyphenated across a line end ("radicu-" / "lopathy") made whole again.
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        for (i, word) in line.split_whitespace().enumerate() {
            if out.is_empty() {
            } else if i == 0 && rejoins_hyphenated(&out, word) {
                out.pop();
            } else {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// `before` ends in a lowercase word broken by a hyphen, and `next` goes on in
/// lowercase: "radicu-" + "lopathy". Hyphens after capitals or digits ("L4-") stay.
fn rejoins_hyphenated(before: &str, next: &str) -> bool {
    let mut tail = before.chars().rev();
    tail.next() == Some('-')
        && tail.next().is_some_and(|c| c.is_lowercase())
        && tail.next().is_some_and(|c| c.is_alphabetic())
        && next.chars().next().is_some_and(|c| c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<(&str, bool)> {
        doc.lines
            .iter()
            .map(|l| (l.text.as_str(), l.break_before))
            .collect()
    }

    #[test]
    fn double_spacing_and_paragraphs() {
        let doc = clean(" A one \n\ntwo\n\n \n\nB three\n\nfour\n");
        assert_eq!(
            texts(&doc),
            vec![
                ("A one", false),
                ("two", false),
                ("B three", true),
                ("four", false)
            ]
        );
    }

    #[test]
    fn single_spacing_and_crlf() {
        let doc = clean("A\r\nb\r\n\r\nC\r\n");
        assert_eq!(texts(&doc), vec![("A", false), ("b", false), ("C", true)]);
    }

    #[test]
    fn furniture_is_dropped() {
        let doc = clean("end of a\x0cPage 2 of 5\nCM14-0123456\nsentence\nCase Number: CM14-0123456  Date: 1/2/2014");
        assert_eq!(
            texts(&doc),
            vec![
                ("end of a", false),
                ("sentence", true),
                ("Case Number: CM14-0123456  Date: 1/2/2014", false)
            ]
        );
    }

    #[test]
    fn hyphenated_words_rejoin() {
        assert_eq!(
            join_lines(["nerve radicu-", "lopathy at L4-", "5 level"]),
            "nerve radiculopathy at L4- 5 level"
        );
        assert_eq!(join_lines(["a  b ", " c"]), "a b c");
    }
}
