//! Letters drawn as PDF files, in the layouts real letters come in: a line at a
//! time or a word at a time (justified, no space characters), the header block in
//! two columns, running headers and "Page N of M" footers, simple fonts or a Type0
//! font with Identity-H encoding (what Word writes). The text of each line is the
//! letter's own, so what an extractor reads back can be compared with the text.

use std::collections::BTreeMap;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

/// How a letter's text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfLayout {
    /// Each line one string, its spaces drawn as space characters.
    Lines,
    /// Each word drawn on its own at its position, prose lines justified with
    /// wider gaps, and no space characters at all.
    Words,
    /// As `Lines`, but the first page's header block (label and value pairs
    /// sharing a line) in two columns, the left column drawn before the right.
    TwoColumnHeader,
    /// As `Lines`, with the case number at the top of every page after the first
    /// and "Page N of M" at the foot of every page.
    RunningHeader,
    /// As `Words`, in a Type0 font with Identity-H encoding: two-byte glyph codes
    /// that only the font's ToUnicode map turns back into text.
    IdentityH,
}

impl PdfLayout {
    /// Every layout.
    pub const ALL: [PdfLayout; 5] = [
        PdfLayout::Lines,
        PdfLayout::Words,
        PdfLayout::TwoColumnHeader,
        PdfLayout::RunningHeader,
        PdfLayout::IdentityH,
    ];

    /// The layout's name, as `imr-synth --pdf` takes it.
    pub fn name(self) -> &'static str {
        match self {
            PdfLayout::Lines => "lines",
            PdfLayout::Words => "words",
            PdfLayout::TwoColumnHeader => "two-column-header",
            PdfLayout::RunningHeader => "running-header",
            PdfLayout::IdentityH => "identity-h",
        }
    }

    /// The layout named `name`.
    pub fn from_name(name: &str) -> Option<PdfLayout> {
        PdfLayout::ALL
            .into_iter()
            .find(|layout| layout.name() == name)
    }

    fn draws_words(self) -> bool {
        matches!(self, PdfLayout::Words | PdfLayout::IdentityH)
    }
}

/// Font size, in points.
const FONT_SIZE: f64 = 10.0;
/// Courier's advance, in thousandths of the font size, for every character.
const ADVANCE: f64 = 600.0;
/// Distance between baselines, in points.
const LEADING: f64 = 12.0;
/// Page margins, in points.
const MARGIN: f64 = 54.0;
/// US Letter width, in points: pages are this wide, or wider for longer lines.
const LETTER_WIDTH: f64 = 612.0;
/// Lines on a US Letter page at this leading.
pub const LINES_PER_LETTER_PAGE: usize = 56;

/// The width of `chars` characters, in points.
fn width_of(chars: usize) -> f64 {
    chars as f64 * ADVANCE / 1000.0 * FONT_SIZE
}

/// Draws `text` as a PDF in `layout`, `lines_per_page` lines to a page (the page
/// as tall as that needs); a form feed in the text also starts a page.
pub fn render(text: &str, layout: PdfLayout, lines_per_page: usize) -> Vec<u8> {
    let pages = paginate(text, lines_per_page.max(1));
    let case_number = case_number_in(text);
    let page_height = 2.0 * MARGIN + (lines_per_page.max(1) + 2) as f64 * LEADING;
    let longest = pages.iter().flatten().map(|l| l.chars().count()).max();
    let page_width = LETTER_WIDTH.max(2.0 * MARGIN + width_of(longest.unwrap_or(0)));
    let mut writer = PdfWriter::new(layout, page_width);
    let count = pages.len();
    for (number, lines) in pages.iter().enumerate() {
        let mut page = PageDrawing::new(page_height);
        if layout == PdfLayout::RunningHeader && number > 0 {
            if let Some(case) = &case_number {
                page.furniture(&writer, case, page_height - MARGIN + LEADING);
            }
        }
        let header_rows = if layout == PdfLayout::TwoColumnHeader && number == 0 {
            header_block_rows(lines)
        } else {
            0
        };
        page.two_column_rows(&writer, &lines[..header_rows]);
        for (row, line) in lines.iter().enumerate().skip(header_rows) {
            let justify = layout.draws_words() && is_prose(line, lines.get(row + 1));
            page.line(&writer, row, line, justify);
        }
        if layout == PdfLayout::RunningHeader {
            let footer = format!("Page {} of {count}", number + 1);
            page.furniture(&writer, &footer, MARGIN - LEADING);
        }
        writer.add_page(page, page_height);
    }
    writer.finish()
}

/// The letter's lines, page by page.
fn paginate(text: &str, lines_per_page: usize) -> Vec<Vec<String>> {
    let mut pages = vec![Vec::new()];
    for line in text.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        for (part, piece) in line.split('\x0c').enumerate() {
            let current = pages.last_mut().expect("a page");
            if part > 0 || current.len() == lines_per_page {
                pages.push(Vec::new());
            }
            pages
                .last_mut()
                .expect("a page")
                .push(piece.replace('\t', " "));
        }
    }
    pages
}

/// The first case number in `text` (`CM14-0123456`).
fn case_number_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .find(|word| {
            let (letters, rest) =
                word.split_at(word.find(|c: char| c.is_ascii_digit()).unwrap_or(0));
            (2..=4).contains(&letters.len())
                && letters.chars().all(|c| c.is_ascii_uppercase())
                && rest.len() >= 7
                && rest.as_bytes().get(2) == Some(&b'-')
                && rest.bytes().filter(|b| b.is_ascii_digit()).count() == rest.len() - 1
        })
        .map(str::to_string)
}

/// How many lines at the top of a page are a header block: lines holding two
/// "Label:  value" pairs, or one, before the first blank line.
fn header_block_rows(lines: &[String]) -> usize {
    lines
        .iter()
        .take_while(|line| !line.trim().is_empty() && split_pairs(line).is_some())
        .count()
}

/// A header line cut before its second label: "Case Number:  X  Date Assigned:  Y"
/// into its two cells.
fn split_pairs(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    (2..bytes.len()).find_map(|at| {
        let after_gap = bytes[at - 2] == b' ' && bytes[at - 1] == b' ' && bytes[at] != b' ';
        let rest = &line[at..];
        let label_end = rest.find(':')?;
        let label = &rest[..label_end];
        (after_gap
            && line[..at].contains(':')
            && label
                .split(' ')
                .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase())))
        .then(|| (line[..at].trim_end(), rest))
    })
}

/// Whether `line` is prose a word processor justifies: long, and followed by more
/// of its paragraph.
fn is_prose(line: &str, next: Option<&String>) -> bool {
    line.trim().len() > 60 && next.is_some_and(|next| !next.trim().is_empty())
}

/// One page's content stream.
struct PageDrawing {
    operations: Vec<Operation>,
    top: f64,
}

impl PageDrawing {
    fn new(page_height: f64) -> PageDrawing {
        PageDrawing {
            operations: Vec::new(),
            top: page_height - MARGIN,
        }
    }

    fn baseline(&self, row: usize) -> f64 {
        self.top - row as f64 * LEADING
    }

    /// A line of furniture (running header or footer) at height `y`.
    fn furniture(&mut self, writer: &PdfWriter, text: &str, y: f64) {
        self.text_at(writer, MARGIN, y, text);
    }

    /// The header block's rows as two columns: every left cell, then every right.
    fn two_column_rows(&mut self, writer: &PdfWriter, rows: &[String]) {
        let cells: Vec<(&str, Option<&str>)> = rows
            .iter()
            .map(|row| match split_pairs(row) {
                Some((left, right)) => (left, Some(right)),
                None => (row.as_str(), None),
            })
            .collect();
        for (row, (left, _)) in cells.iter().enumerate() {
            self.text_at(writer, MARGIN, self.baseline(row), left);
        }
        let right_column = MARGIN + (writer.page_width - 2.0 * MARGIN) / 2.0;
        for (row, (_, right)) in cells.iter().enumerate() {
            if let Some(right) = right {
                self.text_at(writer, right_column, self.baseline(row), right);
            }
        }
    }

    /// Line `row` of the page, as the layout draws it.
    fn line(&mut self, writer: &PdfWriter, row: usize, line: &str, justify: bool) {
        let y = self.baseline(row);
        if !writer.layout.draws_words() {
            if !line.trim().is_empty() {
                self.text_at(writer, MARGIN, y, line);
            }
            return;
        }
        let words = words_with_columns(line);
        let extra = if justify && words.len() > 1 {
            let (last_column, last_word) = words[words.len() - 1];
            let used = width_of(last_column + last_word.chars().count());
            ((writer.page_width - 2.0 * MARGIN) - used).max(0.0) / (words.len() - 1) as f64
        } else {
            0.0
        };
        for (n, (column, word)) in words.into_iter().enumerate() {
            let x = MARGIN + width_of(column) + extra * n as f64;
            self.text_at(writer, x, y, word);
        }
    }

    fn text_at(&mut self, writer: &PdfWriter, x: f64, y: f64, text: &str) {
        self.operations.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), FONT_SIZE.into()]),
            Operation::new(
                "Tm",
                vec![
                    1.into(),
                    0.into(),
                    0.into(),
                    1.into(),
                    (x as f32).into(),
                    (y as f32).into(),
                ],
            ),
            Operation::new("Tj", vec![writer.string(text)]),
            Operation::new("ET", vec![]),
        ]);
    }
}

/// The words of `line` with the columns (characters from the line's start) they
/// start at.
fn words_with_columns(line: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    let mut start_column = 0;
    for (column, (at, c)) in line.char_indices().enumerate() {
        match (c == ' ', start) {
            (false, None) => {
                start = Some(at);
                start_column = column;
            }
            (true, Some(from)) => {
                words.push((start_column, &line[from..at]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push((start_column, &line[from..]));
    }
    words
}

/// The document being written, and how its text is encoded.
struct PdfWriter {
    layout: PdfLayout,
    page_width: f64,
    document: Document,
    pages_id: lopdf::ObjectId,
    page_ids: Vec<lopdf::ObjectId>,
    /// For Identity-H: each character's glyph code, in order of first use.
    glyphs: std::cell::RefCell<BTreeMap<char, u16>>,
}

impl PdfWriter {
    fn new(layout: PdfLayout, page_width: f64) -> PdfWriter {
        let mut document = Document::with_version("1.5");
        let pages_id = document.new_object_id();
        PdfWriter {
            layout,
            page_width,
            document,
            pages_id,
            page_ids: Vec::new(),
            glyphs: Default::default(),
        }
    }

    /// `text` as a string operand of the layout's font.
    fn string(&self, text: &str) -> Object {
        if self.layout == PdfLayout::IdentityH {
            let mut glyphs = self.glyphs.borrow_mut();
            let mut bytes = Vec::new();
            for c in text.chars() {
                let next = glyphs.len() as u16 + 1;
                let code = *glyphs.entry(c).or_insert(next);
                bytes.extend(code.to_be_bytes());
            }
            return Object::String(bytes, StringFormat::Hexadecimal);
        }
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        Object::String(bytes.into_owned(), StringFormat::Literal)
    }

    fn add_page(&mut self, page: PageDrawing, height: f64) {
        let content = Content {
            operations: page.operations,
        };
        let bytes = content.encode().expect("content operations encode");
        let mut stream = Stream::new(dictionary! {}, bytes);
        // Compressed, as every real letter's streams are.
        let _ = stream.compress();
        let content_id = self.document.add_object(stream);
        let page_id = self.document.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => self.pages_id,
            "MediaBox" => vec![0.into(), 0.into(), self.page_width.into(), height.into()],
            "Contents" => content_id,
        });
        self.page_ids.push(page_id);
    }

    fn finish(mut self) -> Vec<u8> {
        let font_id = match self.layout {
            PdfLayout::IdentityH => self.identity_h_font(),
            _ => self.simple_font(),
        };
        let kids: Vec<Object> = self.page_ids.iter().map(|&id| id.into()).collect();
        let count = kids.len() as i64;
        self.document.objects.insert(
            self.pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids,
                "Count" => count,
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            }),
        );
        let catalog_id = self.document.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => self.pages_id,
        });
        self.document.trailer.set("Root", catalog_id);
        let mut bytes = Vec::new();
        self.document
            .save_to(&mut bytes)
            .expect("a PDF writes to memory");
        bytes
    }

    /// Courier in WinAnsiEncoding, its widths given.
    fn simple_font(&mut self) -> lopdf::ObjectId {
        let widths: Vec<Object> = (32..=255).map(|_| ADVANCE.into()).collect();
        self.document.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Courier",
            "Encoding" => "WinAnsiEncoding",
            "FirstChar" => 32,
            "LastChar" => 255,
            "Widths" => widths,
        })
    }

    /// A Type0 font with Identity-H encoding over a CIDFontType2, its glyph codes
    /// mapped back to text by a ToUnicode CMap.
    fn identity_h_font(&mut self) -> lopdf::ObjectId {
        let glyphs = self.glyphs.borrow().clone();
        let descriptor = self.document.add_object(dictionary! {
            "Type" => "FontDescriptor",
            "FontName" => "CourierNewPSMT",
            "Flags" => 32,
            "FontBBox" => vec![(-21).into(), (-680).into(), 638.into(), 1021.into()],
            "ItalicAngle" => 0,
            "Ascent" => 833,
            "Descent" => -300,
            "CapHeight" => 571,
            "StemV" => 80,
        });
        let descendant = self.document.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => "CourierNewPSMT",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"),
                "Supplement" => 0,
            },
            "FontDescriptor" => descriptor,
            "DW" => ADVANCE,
            "CIDToGIDMap" => "Identity",
        });
        let to_unicode = self
            .document
            .add_object(Stream::new(dictionary! {}, to_unicode_cmap(&glyphs)));
        self.document.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => "CourierNewPSMT",
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()],
            "ToUnicode" => to_unicode,
        })
    }
}

/// A ToUnicode CMap from two-byte codes to the characters they draw.
fn to_unicode_cmap(glyphs: &BTreeMap<char, u16>) -> Vec<u8> {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let by_code: Vec<(u16, char)> = {
        let mut pairs: Vec<(u16, char)> = glyphs.iter().map(|(&c, &code)| (code, c)).collect();
        pairs.sort();
        pairs
    };
    // At most 100 mappings to a block, as the CMap format asks.
    for block in by_code.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for (code, c) in block {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|unit| format!("{unit:04X}"))
                .collect();
            cmap.push_str(&format!("<{code:04X}> <{hex}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_split_before_their_second_label() {
        assert_eq!(
            split_pairs("Case Number:  CM14-0123457  Date Assigned:  06/02/2014"),
            Some(("Case Number:  CM14-0123457", "Date Assigned:  06/02/2014"))
        );
        assert_eq!(split_pairs("Application Received:  05/20/2014"), None);
        assert_eq!(
            header_block_rows(&[
                "Case Number:  CM14-0123457  Date Assigned:  06/02/2014".into(),
                "UR Denial Date:  05/13/2014  Priority:  Standard".into(),
                String::new(),
            ]),
            2
        );
    }

    #[test]
    fn words_keep_their_columns() {
        assert_eq!(
            words_with_columns(" Case  Number: X"),
            vec![(1, "Case"), (7, "Number:"), (15, "X")]
        );
    }

    #[test]
    fn the_case_number_is_found() {
        assert_eq!(
            case_number_in("Case Number:  CM14-0123457  Date"),
            Some("CM14-0123457".to_string())
        );
    }

    #[test]
    fn pages_hold_their_lines_and_break_at_form_feeds() {
        let pages = paginate("a\nb\nc\x0cd\ne", 2);
        assert_eq!(pages, vec![vec!["a", "b"], vec!["c"], vec!["d", "e"]]);
    }
}
