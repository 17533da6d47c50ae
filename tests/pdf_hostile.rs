//! PDFs that are not ordinary, each built at test time: encrypted with an owner
//! password only (opened, as every viewer opens it) or with a user password, a
//! scan without a text layer, truncated, without a cross-reference table, a
//! compression bomb, ten thousand pages, garbage after the header, and one read
//! too slowly, each end with a reason; an object nested a hundred thousand deep is
//! passed over. All within the per-file limits, and the good letters beside them
//! are all indexed.

use std::io::Write;
use std::path::Path;

use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
use lopdf::{dictionary, Document, Object, Stream};

use imr_synth::pdf::{render, PdfLayout, LINES_PER_LETTER_PAGE};

use crate::util::{fixtures, imr};

/// A fixture letter drawn as a PDF.
fn letter_pdf(name: &str) -> Vec<u8> {
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    let text = imr_search::text::decode(&bytes).unwrap();
    render(&text, PdfLayout::Lines, LINES_PER_LETTER_PAGE)
}

/// `pdf` encrypted (RC4, 128 bits) with these passwords.
fn encrypted(pdf: &[u8], owner: &str, user: &str) -> Vec<u8> {
    let mut document = Document::load_mem(pdf).unwrap();
    // The file's ID goes into its key, as in every encrypted PDF.
    let id = Object::String(
        b"0123456789abcdef".to_vec(),
        lopdf::StringFormat::Hexadecimal,
    );
    document.trailer.set("ID", vec![id.clone(), id]);
    let version = EncryptionVersion::V2 {
        document: &document,
        owner_password: owner,
        user_password: user,
        key_length: 128,
        permissions: Permissions::default(),
    };
    let state = EncryptionState::try_from(version).unwrap();
    document.encrypt(&state).unwrap();
    saved(&mut document)
}

fn saved(document: &mut Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();
    bytes
}

/// A document of `pages`, each drawing `content`, with `resources`.
fn document_of(pages: usize, content: &[u8], resources: lopdf::Dictionary) -> Document {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let content_id = document.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let kids: Vec<Object> = (0..pages)
        .map(|_| {
            document
                .add_object(dictionary! {
                    "Type" => "Page",
                    "Parent" => pages_id,
                    "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                    "Contents" => content_id,
                })
                .into()
        })
        .collect();
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => pages as i64,
            "Resources" => resources,
        }),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog);
    document
}

/// A page that is one greyscale image: a scan, without a text layer.
fn scan() -> Vec<u8> {
    scan_of(200, 100, vec![255u8; 200 * 100])
}

/// A letter-sized page that is one greyscale image of `width` by `height` samples.
fn scan_of(width: i64, height: i64, samples: Vec<u8>) -> Vec<u8> {
    let mut image = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => width,
            "Height" => height,
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
        },
        samples,
    );
    image.compress().unwrap();
    let mut document = Document::with_version("1.5");
    let image_id = document.add_object(image);
    let mut page = document_of(
        1,
        b"q 612 0 0 792 0 0 cm /Im1 Do Q",
        dictionary! { "XObject" => dictionary! { "Im1" => image_id } },
    );
    // The image lives in the first document's objects: move it over.
    let image_object = document.objects.remove(&image_id).unwrap();
    let moved = page.add_object(image_object);
    let pages_id = page
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    let pages = page
        .get_object_mut(pages_id)
        .unwrap()
        .as_dict_mut()
        .unwrap();
    pages.set(
        "Resources",
        dictionary! { "XObject" => dictionary! { "Im1" => moved } },
    );
    saved(&mut page)
}

/// A page whose content inflates to `size` bytes of spaces.
fn bomb(size: usize) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size / chunk.len() {
        encoder.write_all(&chunk).unwrap();
    }
    let deflated = encoder.finish().unwrap();
    let mut document = document_of(1, b"", dictionary! {});
    let content = document
        .objects
        .values_mut()
        .find_map(|o| o.as_stream_mut().ok())
        .unwrap();
    content.dict.set("Filter", "FlateDecode");
    content.set_content(deflated);
    content.allows_compression = false;
    saved(&mut document)
}

/// Ten thousand pages, each with a line of text.
fn many_pages() -> Vec<u8> {
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier" };
    let mut document = document_of(
        10_000,
        b"BT /F1 10 Tf 72 700 Td (Page text) Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => font } },
    );
    saved(&mut document)
}

/// A one-page letter written by hand, its catalog holding an array nested
/// `depth` deep (as no PDF library would write one).
fn deep_nesting(depth: usize) -> Vec<u8> {
    let content = b"BT /F1 10 Tf 72 700 Td (Lumbar MRI:  Upheld) Tj ET";
    let mut nested = Vec::new();
    nested.extend(std::iter::repeat_n(b'[', depth));
    nested.extend(std::iter::repeat_n(b']', depth));
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Nested 6 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>".to_vec(),
        nested,
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", n + 1).as_bytes());
        pdf.extend(object);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A good letter without its cross-reference table and trailer.
fn without_xref(pdf: &[u8]) -> Vec<u8> {
    let at = pdf.windows(4).rposition(|w| w == b"xref").unwrap();
    pdf[..at].to_vec()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn hostile_pdfs_end_with_a_reason_and_lose_nothing_else() {
    hostile_pdfs_read_by("builtin");
}

/// poppler is installed by CI (`.ci/run`); a machine without it skips this test,
/// unless IMR_REQUIRE_POPPLER says it must be there.
#[test]
fn hostile_pdfs_read_by_poppler_end_with_a_reason_too() {
    if !crate::pdf_input::poppler_is_installed() {
        assert!(std::env::var_os("IMR_REQUIRE_POPPLER").is_none());
        eprintln!("pdftotext is not installed: skipped");
        return;
    }
    hostile_pdfs_read_by("poppler");
}

/// Indexes the hostile PDFs beside good letters with PDF engine `engine`.
fn hostile_pdfs_read_by(engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    let good = [
        "case_summary_header.txt",
        "notice.txt",
        "professional_review.txt",
    ];
    for name in good {
        write(&letters, &name.replace(".txt", ".pdf"), &letter_pdf(name));
    }
    let seed = letter_pdf("seed_case_summary.txt");
    write(
        &letters,
        "owner_password_only.pdf",
        &encrypted(&seed, "owner-secret", ""),
    );
    write(
        &letters,
        "user_password.pdf",
        &encrypted(&seed, "owner-secret", "user-secret"),
    );
    write(&letters, "scan.pdf", &scan());
    write(&letters, "truncated.pdf", &seed[..seed.len() / 3]);
    write(&letters, "bomb.pdf", &bomb(300 << 20));
    write(&letters, "ten_thousand_pages.pdf", &many_pages());
    write(&letters, "deep_nesting.pdf", &deep_nesting(100_000));
    write(
        &letters,
        "no_xref.pdf",
        &without_xref(&letter_pdf("case_summary_variants.txt")),
    );
    let mut garbage = b"%PDF-1.7\n".to_vec();
    garbage.extend((0..50_000u32).map(|n| (n.wrapping_mul(2_654_435_761) >> 13) as u8));
    write(&letters, "garbage.pdf", &garbage);

    let index = dir.path().join("index");
    let output = imr()
        .args(["index", "--json", "--pdf-engine", engine, "--index"])
        .arg(&index)
        .arg(&letters)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reason_of = |name: &str| -> String {
        summary["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"].as_str().unwrap().ends_with(name))
            .map(|s| s["reason"].as_str().unwrap().to_string())
            .unwrap_or_else(|| format!("(not skipped) {summary}"))
    };
    for (name, reason) in [
        ("user_password.pdf", "PDF is encrypted with a password"),
        ("scan.pdf", "PDF has no text layer (scanned image?)"),
        ("bomb.pdf", "a compression bomb?"),
        (
            "ten_thousand_pages.pdf",
            "PDF has 10000 pages, more than the 500",
        ),
        ("garbage.pdf", "not a readable PDF"),
        ("truncated.pdf", "not a readable PDF"),
        ("no_xref.pdf", "not a readable PDF"),
    ] {
        let said = reason_of(name);
        assert!(said.contains(reason), "{name}: {said}");
    }
    assert!(
        reason_of("scan.pdf").contains("--ocr"),
        "the scan's reason says how to read it"
    );
    // The owner-password-only letter opens as any viewer opens it, and the
    // deeply nested object is passed over: its letter's one item is read.
    let parsed_items = |name: &str| -> usize {
        let bytes = std::fs::read(fixtures().join(name)).unwrap();
        imr_search::Parser::default()
            .parse_bytes(name, &bytes)
            .items
            .len()
    };
    let expected_items: usize = good
        .iter()
        .chain(&["seed_case_summary.txt"])
        .map(|name| parsed_items(name))
        .sum::<usize>()
        + 1;
    assert_eq!(summary["letters"], 5, "{summary}");
    assert_eq!(summary["items"], expected_items, "{summary}");
    assert!(
        crate::hostile::peak_child_rss_bytes() < 1_500_000_000,
        "a hostile PDF made imr use {} bytes",
        crate::hostile::peak_child_rss_bytes()
    );
}

#[test]
fn a_pdf_slower_than_its_time_budget_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "letter.pdf", &letter_pdf("damage_all.txt"));
    let output = imr()
        .args(["parse", "--json", "--pdf-timeout", "0.000001"])
        .arg(dir.path().join("letter.pdf"))
        .output()
        .unwrap();
    let record: imr_search::Letter = serde_json::from_slice(&output.stdout).unwrap();
    assert!(record.items.is_empty());
    assert!(
        record.warnings[0].contains("took longer than"),
        "{:?}",
        record.warnings
    );
}

#[test]
fn a_file_neither_text_nor_pdf_never_reaches_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    let binary: Vec<u8> = (0..20_000u32).map(|n| (n * 7 % 251) as u8).collect();
    write(&letters, "image.jpg", &binary);
    let index = dir.path().join("index");
    imr()
        .args(["index", "--index"])
        .arg(&index)
        .arg(&letters)
        .assert()
        .code(3);
    let shown = imr()
        .args(["search", "--json", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let found: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    for hit in found["hits"].as_array().unwrap() {
        let id = hit["id"].as_str().unwrap();
        let show = imr()
            .args(["show", "--letter", "--index"])
            .arg(&index)
            .arg(id)
            .output()
            .unwrap();
        assert!(
            std::str::from_utf8(&show.stdout).is_ok_and(|s| !s.contains('\u{fffd}')),
            "imr show prints the binary file's bytes"
        );
    }
}

/// The samples of a binary greyscale PNM (`P5`, 8 bits) and its size.
fn pgm_samples(pnm: &[u8]) -> (i64, i64, Vec<u8>) {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pnm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pnm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pnm[start..at]).into_owned());
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P5", "255"));
    let (width, height): (i64, i64) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let samples = pnm[at + 1..].to_vec();
    assert_eq!(samples.len() as i64, width * height);
    (width, height, samples)
}

/// A scan is read with `--ocr` where tesseract is installed: the first page of the
/// seed letter, drawn as a PDF, rasterised at 200 dpi by poppler's `pdftoppm` and
/// put back as the only image of a page. OCR of a typewriter face is not exact
/// ("Medi cal"), so the test asks for the words of the text, not the record. CI
/// installs tesseract and poppler (`.ci/run`); a machine without them skips the
/// test, unless IMR_REQUIRE_TESSERACT says they must be there.
#[test]
fn a_scan_is_read_with_ocr_where_tesseract_is_installed() {
    let installed = |program: &str| {
        std::process::Command::new(program)
            .arg("-v")
            .output()
            .is_ok_and(|output| output.status.success())
    };
    if !installed("tesseract") || !installed("pdftoppm") {
        assert!(
            std::env::var_os("IMR_REQUIRE_TESSERACT").is_none(),
            "tesseract or pdftoppm is not installed"
        );
        eprintln!("tesseract or pdftoppm is not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let drawn = fixtures().join("../pdf/seed_case_summary_identity_h.pdf");
    let raster = dir.path().join("page");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&drawn)
        .arg(&raster)
        .status()
        .unwrap();
    assert!(status.success());
    let (width, height, samples) =
        pgm_samples(&std::fs::read(raster.with_extension("pgm")).unwrap());
    let scanned = dir.path().join("scanned.pdf");
    std::fs::write(&scanned, scan_of(width, height, samples)).unwrap();

    let without = imr()
        .args(["parse", "--json"])
        .arg(&scanned)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&without.stdout).to_string()
        + &String::from_utf8_lossy(&without.stderr);
    assert!(said.contains("no text layer"), "{said}");

    let read = imr()
        // Recognising a page takes seconds: more than the default budget on a slow
        // machine.
        .args(["parse", "--text", "--ocr", "--pdf-timeout", "120"])
        .arg(&scanned)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&read.stdout);
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    for words in ["Federal Services", "Board Certified", "California"] {
        assert!(
            text.contains(words),
            "{words:?} not in the scan's text:\n{text}"
        );
    }
}
