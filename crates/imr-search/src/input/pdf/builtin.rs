//! The in-process extractor: lopdf reads the file, pdf-extract interprets each
//! page's content and decodes its fonts (simple encodings, ToUnicode maps,
//! Identity-H), and every glyph it draws is kept with its position, to be laid
//! out as lines by [`layout`](super::layout).
//!
//! pdf-extract panics on some malformed files, and a file can be slow to read.
//! Each file is read on a thread of its own, with a stack deep enough for the
//! reader's recursion, behind a panic guard (a panic is that file's reason, not
//! the run's end), and checks its time budget at every glyph and page.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;
use std::time::Instant;

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::layout::{page_text, Glyph};
use super::{PdfError, PdfLimits, PdfText};

/// Stack of the thread a file is read on: lopdf and pdf-extract recurse through
/// nested objects, page trees and fonts.
const READER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Reads the text of `bytes`, a PDF, within `limits`.
pub(super) fn extract(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, PdfError> {
    let deadline = Instant::now() + limits.time;
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("pdf-reader".into())
            .stack_size(READER_STACK_BYTES)
            .spawn_scoped(scope, || guarded(|| read(bytes, limits, deadline)));
        match reader {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|_| Err(PdfError::Crashed("the reader thread failed".into()))),
            // No thread to spare: read on this one.
            Err(_) => guarded(|| read(bytes, limits, deadline)),
        }
    })
}

/// Loads the document and collects every page's glyphs.
fn read(bytes: &[u8], limits: &PdfLimits, deadline: Instant) -> Result<PdfText, PdfError> {
    let options = lopdf::LoadOptions::with_password("");
    let document = lopdf::Document::load_mem_with_options(bytes, options).map_err(load_error)?;
    let pages = document.get_pages().len();
    if pages == 0 {
        return Err(PdfError::Unreadable("it has no pages".into()));
    }
    if pages > limits.max_pages {
        return Err(PdfError::TooManyPages {
            pages,
            limit: limits.max_pages,
        });
    }
    let mut collector = GlyphCollector {
        deadline: Some(deadline),
        ..GlyphCollector::default()
    };
    let drawn = pdf_extract::output_doc(&document, &mut collector);
    if collector.timed_out {
        return Err(PdfError::TimedOut {
            seconds: limits.time.as_secs_f64(),
        });
    }
    drawn.map_err(|e| PdfError::Unreadable(e.to_string()))?;
    Ok(PdfText {
        pages: collector
            .pages
            .iter()
            .map(|glyphs| page_text(glyphs))
            .collect(),
    })
}

/// Why lopdf could not load a file.
fn load_error(error: lopdf::Error) -> PdfError {
    match error {
        lopdf::Error::Decryption(_)
        | lopdf::Error::AlreadyEncrypted
        | lopdf::Error::InvalidPassword => PdfError::Encrypted,
        other => PdfError::Unreadable(other.to_string()),
    }
}

/// The glyphs of each page, in page coordinates with y growing downwards.
#[derive(Default)]
struct GlyphCollector {
    pages: Vec<Vec<Glyph>>,
    page_top: f64,
    page_left: f64,
    deadline: Option<Instant>,
    timed_out: bool,
}

impl GlyphCollector {
    /// Fails once the time budget is spent, which stops pdf-extract.
    fn in_time(&mut self) -> Result<(), OutputError> {
        if self
            .deadline
            .is_some_and(|deadline| Instant::now() > deadline)
        {
            self.timed_out = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        Ok(())
    }
}

impl OutputDev for GlyphCollector {
    fn begin_page(
        &mut self,
        _page: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.in_time()?;
        self.pages.push(Vec::new());
        self.page_top = media_box.ury;
        self.page_left = media_box.llx;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        self.in_time()?;
        // The rendering matrix's scale along each axis gives the glyph's size on
        // the page; its translation, where the glyph starts.
        let scale = (trm.m11.hypot(trm.m12) * trm.m21.hypot(trm.m22)).sqrt();
        let size = (font_size * scale).abs();
        let glyph = Glyph {
            x: trm.m31 - self.page_left,
            y: self.page_top - trm.m32,
            width: width * size,
            size,
            text: text.to_string(),
        };
        if let Some(page) = self.pages.last_mut() {
            page.push(glyph);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

thread_local! {
    /// Set while this thread reads a PDF: the message of a panic in the reader.
    static PANIC_MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
    static GUARDED: RefCell<bool> = const { RefCell::new(false) };
}

/// Runs `read`, turning a panic into that file's reason. The panic's message is
/// kept for the reason instead of being printed: a malformed file is the user's
/// input, not a bug of this program.
fn guarded(read: impl FnOnce() -> Result<PdfText, PdfError>) -> Result<PdfText, PdfError> {
    install_quiet_hook();
    GUARDED.with(|g| *g.borrow_mut() = true);
    let result = catch_unwind(AssertUnwindSafe(read));
    GUARDED.with(|g| *g.borrow_mut() = false);
    match result {
        Ok(result) => result,
        Err(_) => {
            let message = PANIC_MESSAGE
                .with(|m| m.borrow_mut().take())
                .unwrap_or_else(|| "unknown failure".into());
            Err(PdfError::Crashed(message))
        }
    }
}

/// A panic hook that keeps the message of panics in guarded reads and passes
/// every other panic to the hook before it.
fn install_quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(|g| *g.borrow()) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".into());
                let at = info
                    .location()
                    .map(|l| format!(" ({}:{})", l.file(), l.line()))
                    .unwrap_or_default();
                PANIC_MESSAGE.with(|m| *m.borrow_mut() = Some(format!("{message}{at}")));
            } else {
                previous(info);
            }
        }));
    });
}
