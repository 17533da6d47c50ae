//! Scans read with `tesseract`, where it is installed and OCR is asked for: each
//! page's images are handed to it as they are stored (JPEG) or as a plain
//! greyscale or colour bitmap (PNM) made from their inflated samples.

use std::process::{Command, Stdio};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::sync::OnceLock;

use super::process::{find_on_path, run_with_deadline};
use super::{PdfError, PdfLimits};

/// The program.
const TESSERACT: &str = "tesseract";

fn program() -> Option<&'static std::path::PathBuf> {
    static PROGRAM: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();
    PROGRAM.get_or_init(|| find_on_path(TESSERACT)).as_ref()
}

/// What would read a scan, as the refusal says.
pub(super) fn hint() -> String {
    if program().is_some() {
        "pass --ocr to read it with tesseract".into()
    } else {
        "install tesseract (Debian: apt-get install tesseract-ocr) and pass --ocr to read it".into()
    }
}

/// The text of a scanned PDF's page images, pages separated by form feeds.
pub(super) fn read(bytes: &[u8], limits: &PdfLimits) -> Result<String, PdfError> {
    let program = program().ok_or_else(|| PdfError::NoTextLayer { hint: hint() })?;
    let document = Document::load_mem_with_options(bytes, lopdf::LoadOptions::with_password(""))
        .map_err(|e| PdfError::Unreadable(e.to_string()))?;
    let mut pages = Vec::new();
    for page_id in document.get_pages().into_values() {
        let mut text = String::new();
        for image in page_images(&document, page_id) {
            if let Some(picture) = picture_of(image) {
                text.push_str(&recognise(program, &picture, limits)?);
                text.push('\n');
            }
        }
        pages.push(text);
    }
    if pages.iter().all(|page| page.trim().is_empty()) {
        return Err(PdfError::NoTextLayer {
            hint: "tesseract found no text in its images".into(),
        });
    }
    Ok(pages.join("\x0c"))
}

/// How far up the page tree a page's resources are looked for.
const MOST_ANCESTORS: usize = 64;

/// The image streams a page draws with: its own resources' or, where it has none,
/// the nearest ancestor's (a page tree may hold them once for all its pages).
fn page_images(document: &Document, page_id: ObjectId) -> Vec<&Stream> {
    let mut node = document.get_dictionary(page_id).ok();
    for _ in 0..MOST_ANCESTORS {
        let Some(dictionary) = node else { break };
        if let Ok(resources) = dictionary.get(b"Resources") {
            return dictionary_of(document, resources)
                .and_then(|resources| resources.get(b"XObject").ok())
                .and_then(|xobjects| dictionary_of(document, xobjects))
                .map(|xobjects| images_among(document, xobjects))
                .unwrap_or_default();
        }
        node = dictionary
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|parent| document.get_dictionary(parent))
            .ok();
    }
    Vec::new()
}

/// The image streams of a page's `XObject` resources.
fn images_among<'d>(document: &'d Document, xobjects: &'d Dictionary) -> Vec<&'d Stream> {
    xobjects
        .iter()
        .filter_map(|(_, object)| object.as_reference().ok())
        .filter_map(|id| document.get_object(id).ok()?.as_stream().ok())
        .filter(|stream| {
            stream
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|subtype| subtype == b"Image")
        })
        .collect()
}

/// A dictionary written in place or referred to.
fn dictionary_of<'d>(document: &'d Document, object: &'d Object) -> Option<&'d Dictionary> {
    match object {
        Object::Dictionary(dictionary) => Some(dictionary),
        Object::Reference(id) => document.get_dictionary(*id).ok(),
        _ => None,
    }
}

/// The image in a form tesseract reads: a JPEG as stored, or a PNM made from
/// 8-bit grey or RGB samples; none for other kinds.
fn picture_of(image: &Stream) -> Option<Vec<u8>> {
    let filters = image.filters().unwrap_or_default();
    if filters.iter().any(|f| *f == b"DCTDecode") {
        return Some(image.content.clone());
    }
    let samples = if filters.iter().any(|f| *f == b"FlateDecode") {
        let mut inflated = Vec::new();
        let mut decoder = flate2::read::ZlibDecoder::new(image.content.as_slice());
        std::io::Read::read_to_end(&mut decoder, &mut inflated).ok()?;
        inflated
    } else if filters.is_empty() {
        image.content.clone()
    } else {
        return None;
    };
    let dictionary = &image.dict;
    let color_space = match dictionary.get(b"ColorSpace").ok()? {
        Object::Name(name) => name.as_slice(),
        Object::Array(array) => array.first()?.as_name().ok()?,
        _ => return None,
    };
    let (magic, channels) = match color_space {
        b"DeviceGray" => ("P5", 1),
        b"DeviceRGB" => ("P6", 3),
        _ => return None,
    };
    let number = |key: &[u8]| {
        dictionary
            .get(key)
            .and_then(Object::as_i64)
            .ok()
            .and_then(|n| usize::try_from(n).ok())
    };
    let (width, height) = (number(b"Width")?, number(b"Height")?);
    let needed = width.checked_mul(height)?.checked_mul(channels)?;
    if number(b"BitsPerComponent") != Some(8) || samples.len() < needed {
        return None;
    }
    let mut pnm = format!("{magic}\n{width} {height}\n255\n").into_bytes();
    pnm.extend_from_slice(&samples[..needed]);
    Some(pnm)
}

/// What tesseract reads in `picture`.
fn recognise(
    program: &std::path::Path,
    picture: &[u8],
    limits: &PdfLimits,
) -> Result<String, PdfError> {
    let mut command = Command::new(program);
    command
        .args(["stdin", "stdout", "--psm", "4"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let output = run_with_deadline(command, picture, limits)
        .map_err(|e| e.for_program("tesseract", limits))?;
    if !output.status.success() {
        return Err(PdfError::Program(format!(
            "tesseract failed: {}",
            output.status
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
