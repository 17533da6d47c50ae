//! What a PDF may cost before it is read: its compressed streams are inflated here
//! first, counting bytes and keeping none, so that a compression bomb (a few
//! kilobytes that inflate to gigabytes) is refused before the PDF reader, which
//! inflates whole streams into memory, ever sees it.

use std::io::Read;

use flate2::read::ZlibDecoder;
use memchr::memmem;

use super::PdfError;

/// Checks that no stream of `bytes` inflates past `per_stream` bytes and that all
/// of them together stay within `per_file`.
pub(super) fn check_inflation(
    bytes: &[u8],
    per_stream: u64,
    per_file: u64,
) -> Result<(), PdfError> {
    let mut total = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    for data in stream_data(bytes) {
        let inflated = inflated_size(data, per_stream.saturating_add(1), &mut buffer);
        total = total.saturating_add(inflated);
        if inflated > per_stream || total > per_file {
            return Err(PdfError::Bomb {
                limit_mb: per_stream.min(per_file) / 1_000_000,
            });
        }
    }
    Ok(())
}

/// The data of each stream: from after the `stream` keyword's line end. A stream's
/// end is not needed, as inflating stops where its data does.
fn stream_data(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    memmem::find_iter(bytes, b"stream").filter_map(move |at| {
        // `endstream` holds the word too.
        if bytes[..at].ends_with(b"end") {
            return None;
        }
        let rest = &bytes[at + b"stream".len()..];
        let data = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .or_else(|| rest.strip_prefix(b"\r"))?;
        Some(data)
    })
}

/// How many bytes `data` inflates to, counting no further than `cap`; 0 for data
/// that is not zlib at all (other filters, or none).
fn inflated_size(data: &[u8], cap: u64, buffer: &mut [u8]) -> u64 {
    let mut decoder = ZlibDecoder::new(data).take(cap);
    let mut size = 0u64;
    loop {
        match decoder.read(buffer) {
            Ok(0) | Err(_) => return size,
            Ok(read) => size += read as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::ZlibEncoder;
    use flate2::Compression;

    use super::*;

    fn deflated(size: usize) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&vec![b'0'; size]).unwrap();
        encoder.finish().unwrap()
    }

    fn pdf_with_stream(data: &[u8]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.5\n1 0 obj << /Filter /FlateDecode >> stream\n".to_vec();
        pdf.extend_from_slice(data);
        pdf.extend_from_slice(b"\nendstream endobj\n");
        pdf
    }

    #[test]
    fn a_stream_inflating_past_the_limit_is_a_bomb() {
        let pdf = pdf_with_stream(&deflated(2_000_000));
        assert!(check_inflation(&pdf, 10_000_000, 50_000_000).is_ok());
        assert!(matches!(
            check_inflation(&pdf, 1_000_000, 50_000_000),
            Err(PdfError::Bomb { .. })
        ));
    }

    #[test]
    fn streams_are_added_up_against_the_file_limit() {
        let mut pdf = pdf_with_stream(&deflated(600_000));
        pdf.extend(pdf_with_stream(&deflated(600_000)));
        assert!(check_inflation(&pdf, 1_000_000, 2_000_000).is_ok());
        assert!(check_inflation(&pdf, 1_000_000, 1_000_000).is_err());
    }

    #[test]
    fn data_that_is_not_zlib_counts_nothing() {
        let pdf = pdf_with_stream(b"BT /F1 12 Tf (plain) Tj ET");
        assert!(check_inflation(&pdf, 1, 1).is_ok());
    }
}
