//! Bytes to Unicode text: BOMs, UTF-16, UTF-8, and Windows-1252 for everything else.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Why a file's bytes are not text worth parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotText {
    #[error("empty file")]
    /// No bytes at all.
    Empty,
    #[error("only white space")]
    /// Nothing but white space.
    Blank,
    /// Mostly control bytes: not text.
    #[error(
        "binary content ({percent}% of the first {sampled} bytes are control bytes), not text"
    )]
    Binary {
        /// Share of control bytes, in percent.
        percent: usize,
        /// Bytes looked at.
        sampled: usize,
    },
}

/// How many leading bytes decide whether a file is binary.
const SAMPLE: usize = 64 * 1024;
/// Share of control bytes (in percent) above which a file is binary.
const BINARY_PERCENT: usize = 10;
/// Share of high bytes outside UTF-8 (in percent) above which a file is binary.
const STRAY_HIGH_PERCENT: usize = 30;

/// Decodes `bytes` to text: by its byte-order mark if it has one, as UTF-16 if it
/// looks like UTF-16 without one, as UTF-8 if valid, else as Windows-1252 (which
/// PDF extractors emit for apostrophes, dashes and degree signs). NUL and other
/// control characters except tab, line feed, carriage return and form feed are
/// dropped.
pub fn decode(bytes: &[u8]) -> Result<String, NotText> {
    if bytes.is_empty() {
        return Err(NotText::Empty);
    }
    let (text, clean_ascii) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_length)) if encoding != UTF_8 => {
            (decode_with(encoding, &bytes[bom_length..]), false)
        }
        // A UTF-8 mark does not make the rest valid UTF-8: extractors that add it
        // can still pass Windows-1252 bytes through.
        Some((_, bom_length)) => utf8_or_1252(&bytes[bom_length..])?,
        None => match sniff_utf16(bytes) {
            Some(encoding) => (decode_with(encoding, bytes), false),
            None => utf8_or_1252(bytes)?,
        },
    };
    let text = if clean_ascii { text } else { plain_text(text) };
    if text.trim().is_empty() {
        return Err(NotText::Blank);
    }
    Ok(text)
}

/// The text of `bytes` as UTF-8, else Windows-1252, and whether it is plain ASCII
/// without control characters (so needs no further cleanup).
fn utf8_or_1252(bytes: &[u8]) -> Result<(String, bool), NotText> {
    if bytes.is_empty() {
        return Err(NotText::Blank);
    }
    let utf8 = std::str::from_utf8(bytes);
    let control = check_not_binary(bytes, utf8.is_ok())?;
    Ok(match utf8 {
        Ok(text) => (text.to_string(), control == 0 && text.is_ascii()),
        Err(_) => (decode_with(WINDOWS_1252, bytes), false),
    })
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// UTF-16 without a BOM: most code units of English text have one zero byte.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    // Half the bytes of UTF-16 English are zero; most files have none.
    if sample.len() < 4 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let zero_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if zero_odd * 10 >= pairs * 7 && zero_even * 10 <= pairs {
        Some(UTF_16LE)
    } else if zero_even * 10 >= pairs * 7 && zero_odd * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Counts the control bytes of `bytes` (but tab, line ends and form feed), and
/// refuses a file whose leading sample holds too many. `valid_utf8` says whether
/// all of `bytes` is UTF-8 (then so is the sample, but for a character cut at its
/// end).
fn check_not_binary(bytes: &[u8], valid_utf8: bool) -> Result<usize, NotText> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let in_sample = count_control_bytes(sample);
    // Outside UTF-8, high bytes are rare in text (a Windows-1252 letter has a few
    // quotes and dashes) and half of random data.
    let high = if valid_utf8 {
        0
    } else {
        match std::str::from_utf8(sample) {
            Err(e) if e.error_len().is_some() => sample.iter().filter(|b| **b >= 0x80).count(),
            _ => 0,
        }
    };
    let percent = in_sample * 100 / sample.len();
    let high_percent = high * 100 / sample.len();
    if percent > BINARY_PERCENT || high_percent > STRAY_HIGH_PERCENT {
        let percent = percent.max(high_percent);
        return Err(NotText::Binary {
            percent,
            sampled: sample.len(),
        });
    }
    Ok(in_sample + count_control_bytes(&bytes[sample.len()..]))
}

/// How many bytes of `bytes` are control bytes other than tab, line ends and form
/// feed. Written without branches and counted in bytes per block of 255, so the
/// compiler can count many bytes per instruction.
fn count_control_bytes(bytes: &[u8]) -> usize {
    let is_control = |b: u8| {
        u8::from(b < 0x20)
            & u8::from(b != b'\t')
            & u8::from(b != b'\n')
            & u8::from(b != b'\r')
            & u8::from(b != 0x0c)
    };
    bytes
        .chunks(255)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &b| n + is_control(b))))
        .sum()
}

/// The text with control characters dropped but tab and line ends (see
/// [`plain_char`]), and typographic punctuation and spaces made plain. Runs of
/// printable ASCII, most of a letter, are copied whole.
fn plain_text(text: String) -> String {
    let Some(mut run) = first_needing_care(text.as_bytes()) else {
        return text;
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    loop {
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let Some(c) = rest.chars().next() else {
            return out;
        };
        out.extend(plain_char(c));
        rest = &rest[c.len_utf8()..];
        run = first_needing_care(rest.as_bytes()).unwrap_or(rest.len());
    }
}

/// Whether [`plain_char`] may change the character that starts with byte `b`.
fn needs_care(b: u8) -> bool {
    care_flag(b) != 0
}

/// [`needs_care`] as 0 or 1, computed without branches.
fn care_flag(b: u8) -> u8 {
    u8::from(b >= 0x7f)
        | (u8::from(b < 0x20) & u8::from(b != b'\n') & u8::from(b != b'\r') & u8::from(b != 0x0c))
}

/// Where the first byte that [`needs_care`] is. Blocks of 32 bytes are tested
/// without branches, which the compiler turns into vector instructions: a byte at
/// a time, this scan was a thirtieth of `imr parse`.
fn first_needing_care(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 32;
    let blocks = bytes.chunks_exact(BLOCK);
    let tail = blocks.remainder();
    for (n, block) in blocks.enumerate() {
        if block.iter().fold(0, |any, &b| any | care_flag(b)) != 0 {
            return block
                .iter()
                .position(|&b| needs_care(b))
                .map(|i| n * BLOCK + i);
        }
    }
    let tail_start = bytes.len() - tail.len();
    tail.iter()
        .position(|&b| needs_care(b))
        .map(|i| tail_start + i)
}

/// A character as the parser wants it: none for control characters but line ends
/// and form feeds, and for the zero-width characters (a second byte-order mark,
/// zero-width spaces) that would hide a heading; quotes, dashes and every other
/// space in their plain forms, so that "L4–5" from a Windows-1252 extract reads as
/// "L4-5" and later steps can split on ASCII white space alone.
fn plain_char(c: char) -> Option<char> {
    let invisible = (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
        || matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}');
    (!invisible).then_some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' => '\'',
        '\u{201C}' | '\u{201D}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        c if c.is_whitespace() && !matches!(c, '\n' | '\r' | '\x0c') => ' ',
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn plain_text_is_plain_char_on_every_char(text in "(?s)[ -~\t\n\r\x0c\x00-\x1f\x7f\u{80}-\u{a0}\u{2000}-\u{2030}\u{feff}é°]{0,80}") {
            let char_by_char: String = text.chars().filter_map(plain_char).collect();
            proptest::prop_assert_eq!(plain_text(text), char_by_char);
        }

        #[test]
        fn first_needing_care_is_the_first_such_byte(bytes in proptest::collection::vec(proptest::prop_oneof![0x20u8..0x7f, proptest::num::u8::ANY], 0..300)) {
            proptest::prop_assert_eq!(first_needing_care(&bytes), bytes.iter().position(|&b| needs_care(b)));
        }

        #[test]
        fn control_bytes_are_counted(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..700)) {
            let expected = bytes
                .iter()
                .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0c))
                .count();
            proptest::prop_assert_eq!(count_control_bytes(&bytes), expected);
        }
    }

    #[test]
    fn windows_1252_punctuation_decodes() {
        let text = decode(b"patient\x92s pain 5\x966 at 90\xb0").unwrap();
        assert_eq!(text, "patient's pain 5-6 at 90\u{b0}");
    }

    #[test]
    fn boms_are_honoured() {
        assert_eq!(decode(b"\xef\xbb\xbfDecision").unwrap(), "Decision");
        assert_eq!(decode(b"\xff\xfeO\x00K\x00").unwrap(), "OK");
        assert_eq!(decode(b"O\x00K\x00!\x00?\x00").unwrap(), "OK!?");
    }

    #[test]
    fn non_text_is_refused_with_a_reason() {
        assert_eq!(decode(b""), Err(NotText::Empty));
        assert_eq!(decode(b"  \n\n "), Err(NotText::Blank));
        assert!(matches!(
            decode(&[1u8, 2, 3, 4, 5, 0x41]),
            Err(NotText::Binary { .. })
        ));
        assert_eq!(decode(b"Upheld\x00 text").unwrap(), "Upheld text");
        assert_eq!(decode(b"\xef\xbb\xbf"), Err(NotText::Blank));
        assert_eq!(decode(b"\xef\xbb\xbf\xef\xbb\xbfCASE").unwrap(), "CASE");
    }
}
