//! Unicode text to clean lines: line endings unified, page furniture ("Page 2 of 5",
//! the case number repeated at the top of a page) removed, blank lines reduced to a
//! paragraph-break flag that double-spaced extracts do not fool.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::Pattern;

/// One non-blank line of a letter, trimmed; borrowed from the letter's text unless
/// cleaning had to change it (line ends, form feeds, tabs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// The line's text, trailing space removed.
    pub text: Cow<'a, str>,
    /// Whether a paragraph break (or a page break) stands before this line.
    pub break_before: bool,
    /// Whether a page break stands before this line: a form feed, page furniture,
    /// or a longer run of blank lines than a paragraph leaves.
    pub page_break_before: bool,
}

/// A letter's clean lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document<'a> {
    /// The lines, page furniture removed.
    pub lines: Vec<Line<'a>>,
}

impl Document<'_> {
    /// The text of lines `range`, joined as running text (see [`join_lines`]).
    pub fn text_of(&self, range: std::ops::Range<usize>) -> String {
        join_lines(self.lines[range].iter().map(|l| l.text.as_ref()))
    }
}

/// Page furniture: page numbers and the case number alone on a line, or both.
static FURNITURE: LazyLock<Pattern> = LazyLock::new(|| {
    let case = r"(?:(?:(?:imr|maximus)\s+)?case\s*(?:number|no\.?|#)?\s*:?\s*)?[a-z]{2,4}[0-9]{2}-[0-9]{4,8}";
    let page = r"(?:page\s*[0-9]+(?:\s*(?:of|/)\s*[0-9]+)?|[0-9]+\s+of\s+[0-9]+|-\s*[0-9]+\s*-)";
    Pattern::new(&format!(
        r"(?i)^(?:{case}(?:\s*[-|,]?\s*{page})?|{page}(?:\s*[-|,]?\s*{case})?)$"
    ))
});

/// Furniture lines are short; longer lines skip the pattern.
const FURNITURE_MAX_LEN: usize = 64;

/// Splits `text` into clean lines.
pub fn clean(text: &str) -> Document<'_> {
    // Every line end as '\n', and a form feed, which ends a page wherever it
    // stands, on a line of its own: splitting on one byte is much faster. Lines of
    // a text that needed this are copies; most letters' lines are borrowed.
    if memchr::memchr3(b'\r', b'\x0c', b'\t', text.as_bytes()).is_some() {
        let unified = unify_line_ends(text);
        let lines = lines_of(&unified, |line| Cow::Owned(line.to_string()));
        Document { lines }
    } else {
        Document {
            lines: lines_of(text, Cow::Borrowed),
        }
    }
}

/// `text` with every line end ("\r\n", "\r") as "\n", each form feed on a line of
/// its own, and tabs as spaces.
fn unify_line_ends(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    for at in memchr::memchr3_iter(b'\r', b'\x0c', b'\t', bytes) {
        // All three are ASCII, so every cut is at a character boundary.
        out.push_str(&text[copied..at]);
        copied = at + 1;
        match bytes[at] {
            b'\r' => {
                out.push('\n');
                if bytes.get(at + 1) == Some(&b'\n') {
                    copied += 1;
                }
            }
            b'\t' => out.push(' '),
            _ => out.push_str("\n\x0c\n"),
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The clean lines of `text`, whose line ends are all '\n', each line's text made
/// by `keep`.
fn lines_of<'t, 'a>(text: &'t str, keep: impl Fn(&'t str) -> Cow<'a, str>) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut blank_run = 0usize;
    let mut furniture_in_run = false;
    let mut gaps = Vec::new();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in ends {
        // Line feeds are ASCII, so both ends are character boundaries.
        let raw = &text[start..end];
        start = end + 1;
        let line = raw.trim_ascii();
        // Form feeds stand on lines of their own (see `clean`).
        if raw == "\x0c" {
            furniture_in_run = true;
        }
        if line.is_empty() || is_furniture(line) {
            furniture_in_run |= !line.is_empty();
            blank_run += 1;
            continue;
        }
        if !lines.is_empty() {
            gaps.push(blank_run);
        }
        lines.push((line, blank_run, furniture_in_run));
        blank_run = 0;
        furniture_in_run = false;
    }
    let double_spaced = is_double_spaced(&gaps);
    let (paragraph_gap, page_gap) = if double_spaced { (2, 4) } else { (1, 3) };
    lines
        .into_iter()
        .enumerate()
        .map(|(index, (text, gap, furniture))| {
            let page_break = index > 0 && (furniture || gap >= page_gap);
            Line {
                text: keep(text),
                break_before: index > 0 && (gap >= paragraph_gap || page_break),
                page_break_before: page_break,
            }
        })
        .collect()
}

fn is_furniture(line: &str) -> bool {
    line.len() <= FURNITURE_MAX_LEN
        && line.bytes().any(|b| b.is_ascii_digit())
        && FURNITURE.is_match(line)
}

/// Whether the extract put a blank line after every line: half the gaps between
/// lines or more are exactly one blank line, and hardly any line follows another
/// without one. (Short paragraphs, as of a letter of many items, leave many wider
/// gaps, so the single blank lines need not be two in three.)
fn is_double_spaced(gaps: &[usize]) -> bool {
    let one_blank = gaps.iter().filter(|g| **g == 1).count();
    let none = gaps.iter().filter(|g| **g == 0).count();
    !gaps.is_empty() && one_blank * 2 >= gaps.len() && none * 20 <= gaps.len()
}

/// Joins lines into running text: one space between lines, whitespace folded, and a
/// word hyphenated across a line end ("radicu-" / "lopathy") made whole again.
///
/// ```
/// use imr_search::text::join_lines;
/// assert_eq!(join_lines(["nerve  radicu-", "lopathy at L4-", "5"]), "nerve radiculopathy at L4- 5");
/// ```
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        if is_simple_line(line) {
            if out.is_empty() {
            } else if rejoins_hyphenated(&out, line) {
                out.pop();
            } else {
                out.push(' ');
            }
            out.push_str(line);
            continue;
        }
        for (i, word) in line.split_ascii_whitespace().enumerate() {
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

/// Whether `line` holds single spaces only (as most lines do), so it can be
/// copied whole.
fn is_simple_line(line: &str) -> bool {
    static DOUBLE_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("  "));
    let bytes = line.as_bytes();
    !line.is_empty()
        && !line.starts_with(' ')
        && !line.ends_with(' ')
        && memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_none()
        && DOUBLE_SPACE.find(bytes).is_none()
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

    fn texts<'d>(doc: &'d Document) -> Vec<(&'d str, bool)> {
        doc.lines
            .iter()
            .map(|l| (l.text.as_ref(), l.break_before))
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
        let doc = clean("end of a\x0cPage 2 of 5\nCM14-0123456\nsentence\nCase Number: CM14-0123456  Date: 1/2/2014\nCM14-0123456 Page 3 of 5\nend");
        assert_eq!(
            texts(&doc),
            vec![
                ("end of a", false),
                ("sentence", true),
                ("Case Number: CM14-0123456  Date: 1/2/2014", false),
                ("end", true)
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn line_ends_unify_as_the_plain_replacements_do(text in "[a\r\n\t\x0c ]{0,40}") {
            let replaced = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .replace('\x0c', "\n\x0c\n")
                .replace('\t', " ");
            proptest::prop_assert_eq!(unify_line_ends(&text), replaced);
        }
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
