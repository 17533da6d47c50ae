//! Any bytes through the letter parser and out as JSON.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static PARSER: OnceLock<imr_search::Parser> = OnceLock::new();
    let letter = PARSER.get_or_init(imr_search::Parser::default).parse_bytes("fuzz", data);
    serde_json::to_string(&letter).expect("records serialise");
});
