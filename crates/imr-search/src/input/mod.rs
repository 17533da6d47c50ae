//! Bytes in: the files under the paths given ([`files`]), and the text of each,
//! read from a PDF ([`pdf`]) or taken as it is.

mod files;
pub mod pdf;

use std::borrow::Cow;

pub use files::{
    files_under, is_index_folder, read_file, real_files_under, InputError, WalkedFile,
    DEFAULT_MAX_FILE_BYTES, INDEX_MARKERS,
};
pub use pdf::{PdfEngine, PdfError, PdfLimits, PdfOptions};

/// The bytes the parser reads of a file: a PDF's extracted text, or the file's
/// own bytes.
pub fn letter_bytes<'a>(bytes: &'a [u8], pdf: &PdfOptions) -> Result<Cow<'a, [u8]>, PdfError> {
    if pdf::is_pdf(bytes) {
        Ok(Cow::Owned(pdf::extract_text(bytes, pdf)?.into_bytes()))
    } else {
        Ok(Cow::Borrowed(bytes))
    }
}
