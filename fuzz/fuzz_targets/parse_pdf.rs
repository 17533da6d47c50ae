//! Any bytes read as a PDF by the built-in extractor (the `%PDF-` header added
//! when missing, so every input takes the PDF path), then parsed as a letter.
#![no_main]

use std::sync::OnceLock;

use imr_search::input::{letter_bytes, PdfEngine, PdfOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static PARSER: OnceLock<imr_search::Parser> = OnceLock::new();
    let options = PdfOptions {
        engine: PdfEngine::Builtin,
        ..PdfOptions::default()
    };
    let mut bytes = data.to_vec();
    if !imr_search::input::pdf::is_pdf(&bytes) {
        bytes.splice(0..0, b"%PDF-1.4\n".iter().copied());
    }
    if let Ok(text) = letter_bytes(&bytes, &options) {
        let letter = PARSER.get_or_init(imr_search::Parser::default).parse_bytes("fuzz", &text);
        serde_json::to_string(&letter).expect("records serialise");
    }
});
