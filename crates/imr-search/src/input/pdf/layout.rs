//! Positioned glyphs into lines of text, as a reader sees the page. PDF producers
//! draw text in any order (a header block column by column, footers before the
//! body) and often without space characters (a word processor's justified lines
//! place each word on its own), so the text is rebuilt from where each glyph
//! stands: glyphs sharing a baseline are one line, read left to right, with a
//! space wherever a gap is wider than the letters around it; lines are read top to
//! bottom, with a blank line for each empty line's height between them.

/// One glyph drawn on a page, in page coordinates with y growing downwards.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Where the glyph starts.
    pub x: f64,
    /// Its baseline.
    pub y: f64,
    /// How far it advances.
    pub width: f64,
    /// Its size (the height of an em).
    pub size: f64,
    /// The text it draws (one character, or a ligature's several).
    pub text: String,
}

/// A gap narrower than this share of an em is kerning, not a space.
const SPACE_GAP_EM: f64 = 0.15;
/// Glyphs whose baselines differ by less than this share of an em share a line.
const SAME_LINE_EM: f64 = 0.5;
/// A gap between words up to this many letters wide is one space, however wide:
/// word processors justify lines by widening their spaces.
const WORD_GAP_LETTERS: f64 = 4.0;
/// A wider gap is a column gap, kept as the spaces that fill it, when it is also
/// this many times the line's usual gap: a justified line's gaps are all alike.
const COLUMN_GAP_TIMES: f64 = 2.5;
/// Most blank lines kept between two lines of text.
const MOST_BLANK_LINES: usize = 3;

/// The text of one page's glyphs.
pub fn page_text(glyphs: &[Glyph]) -> String {
    let lines = lines_of(glyphs);
    let pitch = line_pitch(&lines);
    let left = glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty())
        .map(|g| g.x)
        .fold(f64::INFINITY, f64::min);
    let mut text = String::new();
    let mut previous_y: Option<f64> = None;
    for line in &lines {
        if let (Some(previous), Some(pitch)) = (previous_y, pitch) {
            let rows = ((line.y - previous) / pitch).round() as usize;
            for _ in 1..rows.min(MOST_BLANK_LINES + 1) {
                text.push('\n');
            }
        }
        previous_y = Some(line.y);
        text.push_str(&line_text(&line.glyphs, left));
        text.push('\n');
    }
    text
}

/// Glyphs sharing a baseline.
struct Line<'a> {
    y: f64,
    glyphs: Vec<&'a Glyph>,
}

/// The page's lines, top to bottom, each's glyphs left to right.
fn lines_of(glyphs: &[Glyph]) -> Vec<Line<'_>> {
    let mut sorted: Vec<&Glyph> = glyphs.iter().filter(|g| g.y.is_finite()).collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut lines: Vec<Line> = Vec::new();
    for glyph in sorted {
        match lines.last_mut() {
            Some(line) if glyph.y - line.y < SAME_LINE_EM * glyph.size.max(1.0) => {
                line.glyphs.push(glyph)
            }
            _ => lines.push(Line {
                y: glyph.y,
                glyphs: vec![glyph],
            }),
        }
    }
    for line in &mut lines {
        // Stable, so glyphs drawn at one place (bold by overprinting) keep their order.
        line.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// The usual distance between consecutive lines' baselines: the shortest that
/// separates at least a fifth of the line pairs, so that blank lines (twice the
/// distance or more) stand out from it.
fn line_pitch(lines: &[Line]) -> Option<f64> {
    let mut gaps: Vec<f64> = lines
        .windows(2)
        .map(|pair| pair[1].y - pair[0].y)
        .filter(|gap| *gap > 0.0)
        .collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_by(f64::total_cmp);
    let shortest = gaps[0];
    // Gaps within a tenth of each other are the same pitch.
    let common = gaps
        .iter()
        .copied()
        .find(|&gap| {
            let alike = gaps
                .iter()
                .filter(|g| (**g - gap).abs() <= 0.1 * gap)
                .count();
            alike * 5 >= gaps.len()
        })
        .unwrap_or(shortest);
    Some(common)
}

/// A line of laid-out text (`pdftotext -layout`'s, where spaces stand for the
/// distances on the page) with the gaps read as [`line_text`] reads them: word gaps
/// one space, column gaps kept, indentation kept.
pub fn collapse_word_gaps(line: &str) -> String {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
    let mut gaps = Vec::new();
    let mut rest = line.trim_start_matches(' ');
    for word in &words {
        rest = &rest[word.len()..];
        let gap = rest.len() - rest.trim_start_matches(' ').len();
        rest = rest.trim_start_matches(' ');
        if !rest.is_empty() {
            gaps.push(gap as f64);
        }
    }
    let usual_gap = median(gaps.clone());
    let mut text = " ".repeat(indent);
    for (n, word) in words.iter().enumerate() {
        if n > 0 {
            let gap = gaps[n - 1];
            let column_gap = gap > WORD_GAP_LETTERS
                && usual_gap.is_some_and(|usual| gap > COLUMN_GAP_TIMES * usual);
            text.push_str(&" ".repeat(if column_gap { gap as usize } else { 1 }));
        }
        text.push_str(word);
    }
    text
}

/// One line's text: its glyphs left to right, indented from the page's left edge
/// `left`, with spaces where the gaps between glyphs are wide.
fn line_text(glyphs: &[&Glyph], left: f64) -> String {
    let advance = typical_advance(glyphs);
    let gaps = gaps_before(glyphs);
    let usual_gap = median(gaps.iter().flatten().copied().collect());
    let mut text = String::new();
    for (n, glyph) in glyphs.iter().enumerate() {
        let spaces = match gaps[n] {
            // The line's indentation.
            None if n == 0 => ((glyph.x - left) / advance).round().clamp(0.0, 200.0) as usize,
            None => 0,
            Some(gap) => {
                let letters = gap / advance;
                let column_gap = letters > WORD_GAP_LETTERS
                    && usual_gap.is_some_and(|usual| gap > COLUMN_GAP_TIMES * usual);
                if column_gap {
                    (letters.round() as usize).clamp(1, 200)
                } else {
                    1
                }
            }
        };
        if !text.ends_with(' ') {
            text.extend(std::iter::repeat_n(' ', spaces));
        }
        text.push_str(&glyph.text);
    }
    text.trim_end().to_string()
}

/// Before each glyph, the gap that separates it from the text before it, where it
/// is wide enough to be a space; none for the first glyph.
fn gaps_before(glyphs: &[&Glyph]) -> Vec<Option<f64>> {
    let mut end: Option<f64> = None;
    glyphs
        .iter()
        .map(|glyph| {
            let gap = end
                .map(|end| glyph.x - end)
                .filter(|gap| *gap > SPACE_GAP_EM * glyph.size)
                // A drawn space is a gap already.
                .filter(|_| !glyph.text.trim().is_empty());
            end = Some(end.map_or(glyph.x + glyph.width, |e| e.max(glyph.x + glyph.width)));
            gap
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(values[values.len() / 2])
}

/// The median advance of a line's visible glyphs: a space is about that wide in a
/// fixed-pitch font and a little less in a proportional one.
fn typical_advance(glyphs: &[&Glyph]) -> f64 {
    let mut widths: Vec<f64> = glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty() && g.width > 0.0)
        .map(|g| g.width / g.text.chars().count().max(1) as f64)
        .collect();
    if widths.is_empty() {
        return glyphs.first().map_or(1.0, |g| 0.5 * g.size.max(1.0));
    }
    widths.sort_by(f64::total_cmp);
    widths[widths.len() / 2].max(0.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The glyphs of `words`, each at (column, row) in a fixed-pitch font of 6 pt
    /// advance on a 12 pt leading, drawn in the order given.
    fn drawn(words: &[(&str, usize, usize)]) -> Vec<Glyph> {
        words
            .iter()
            .flat_map(|(word, column, row)| {
                word.chars().enumerate().map(move |(n, c)| Glyph {
                    x: 54.0 + (column + n) as f64 * 6.0,
                    y: 100.0 + *row as f64 * 12.0,
                    width: 6.0,
                    size: 10.0,
                    text: c.to_string(),
                })
            })
            .collect()
    }

    #[test]
    fn lines_are_read_top_to_bottom_whatever_the_drawing_order() {
        let glyphs = drawn(&[("second", 0, 1), ("first", 0, 0), ("third", 0, 2)]);
        assert_eq!(page_text(&glyphs), "first\nsecond\nthird\n");
    }

    #[test]
    fn words_drawn_apart_get_spaces_and_justified_gaps_one_each() {
        let glyphs = drawn(&[
            ("words", 0, 0),
            ("apart", 6, 0),
            ("justified", 0, 1),
            ("wide", 13, 1),
            ("widely", 0, 2),
            ("justified", 12, 2),
            ("heading", 26, 2),
            ("two", 0, 3),
            ("columns", 4, 3),
            ("right", 24, 3),
            ("column", 30, 3),
        ]);
        assert_eq!(
            page_text(&glyphs),
            "words apart\njustified wide\nwidely justified heading\ntwo columns             right column\n"
        );
    }

    #[test]
    fn columns_drawn_one_after_the_other_share_their_rows() {
        let glyphs = drawn(&[
            ("Case:", 0, 0),
            ("Injury:", 0, 1),
            ("Assigned:", 20, 0),
            ("Decided:", 20, 1),
        ]);
        let text = page_text(&glyphs);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Case:") && lines[0].ends_with("Assigned:"));
        assert!(lines[1].starts_with("Injury:") && lines[1].ends_with("Decided:"));
    }

    #[test]
    fn laid_out_text_has_its_gaps_read_as_glyph_gaps_are() {
        assert_eq!(
            collapse_word_gaps("  widely     justified     heading"),
            "  widely justified heading"
        );
        assert_eq!(
            collapse_word_gaps("two columns             right column"),
            "two columns             right column"
        );
        assert_eq!(
            collapse_word_gaps("Priority:  Standard"),
            "Priority: Standard"
        );
    }

    #[test]
    fn empty_lines_between_text_are_kept() {
        let glyphs = drawn(&[
            ("one", 0, 0),
            ("two", 0, 1),
            ("three", 0, 3),
            ("four", 2, 4),
        ]);
        assert_eq!(page_text(&glyphs), "one\ntwo\n\nthree\n  four\n");
    }
}
