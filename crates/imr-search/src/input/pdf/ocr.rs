//! Scans read with `tesseract`, where it is installed and OCR is asked for: each
//! page's images are handed to it as they are stored (JPEG) or as a plain
//! greyscale or colour bitmap (PNM) made from their inflated samples.

use std::process::{Command, Stdio};
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
    let document =
        lopdf::Document::load_mem_with_options(bytes, lopdf::LoadOptions::with_password(""))
            .map_err(|e| PdfError::Unreadable(e.to_string()))?;
    let mut pages = Vec::new();
    for page_id in document.get_pages().into_values() {
        let mut text = String::new();
        for image in document.get_page_images(page_id).unwrap_or_default() {
            if let Some(picture) = picture_of(&image) {
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

/// The image in a form tesseract reads: a JPEG as stored, or a PNM made from
/// 8-bit grey or RGB samples; none for other kinds.
fn picture_of(image: &lopdf::xobject::PdfImage) -> Option<Vec<u8>> {
    let filters = image.filters.clone().unwrap_or_default();
    if filters.iter().any(|f| f == "DCTDecode") {
        return Some(image.content.to_vec());
    }
    let samples = if filters.iter().any(|f| f == "FlateDecode") {
        let mut inflated = Vec::new();
        let mut decoder = flate2::read::ZlibDecoder::new(image.content);
        std::io::Read::read_to_end(&mut decoder, &mut inflated).ok()?;
        inflated
    } else if filters.is_empty() {
        image.content.to_vec()
    } else {
        return None;
    };
    let (magic, channels) = match image.color_space.as_deref() {
        Some("DeviceGray") => ("P5", 1),
        Some("DeviceRGB") => ("P6", 3),
        _ => return None,
    };
    let (width, height) = (
        usize::try_from(image.width).ok()?,
        usize::try_from(image.height).ok()?,
    );
    if image.bits_per_component != Some(8) || samples.len() < width * height * channels {
        return None;
    }
    let mut pnm = format!("{magic}\n{width} {height}\n255\n").into_bytes();
    pnm.extend_from_slice(&samples[..width * height * channels]);
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
