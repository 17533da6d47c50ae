//! An open engine's memory of each segment's codes, numbered among the segment's
//! distinct codes once they have been counted twice.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::index::SegmentId;
use tantivy::SegmentReader;

use super::read::{every_document_column, DistinctCodes, PackedCodes};
use crate::index::schema::FACET_CODES;

/// Each segment's codes, numbered among its distinct codes (see [`DistinctCodes`])
/// the second time a search counts them, for the searches an open engine answers
/// after. Reading an item's codes from the fast field is a dynamic call and bit
/// unpacking, about 30 instructions an item, and each facet's code is then
/// unpacked; from memory, an index and an addition. Numbering a whole segment's
/// codes costs more than counting a rare word's items once, so a process that
/// searches once does not. A segment with more distinct codes than 16 bits number
/// is read from the fast field.
#[derive(Default)]
pub struct DecodedCodes {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentCodes>>>,
}

/// What [`DecodedCodes`] knows of one segment.
#[derive(Default)]
struct SegmentCodes {
    counted: AtomicBool,
    distinct: OnceLock<Option<Arc<DistinctCodes>>>,
}

impl DecodedCodes {
    /// The codes of `reader`'s segment: numbered if they were counted before.
    pub fn of(&self, reader: &SegmentReader) -> tantivy::Result<PackedCodes> {
        let segment = {
            let mut segments = self.segments.lock().unwrap_or_else(|p| p.into_inner());
            segments.entry(reader.segment_id()).or_default().clone()
        };
        if let Some(distinct) = segment.distinct.get() {
            return match distinct {
                Some(distinct) => Ok(PackedCodes::Distinct(distinct.clone())),
                None => PackedCodes::of(reader),
            };
        }
        if !segment.counted.swap(true, Ordering::Relaxed) {
            return PackedCodes::of(reader);
        }
        let column = every_document_column(reader, FACET_CODES)?;
        let distinct = segment
            .distinct
            .get_or_init(|| DistinctCodes::of(&*column, reader.max_doc()).map(Arc::new));
        Ok(match distinct {
            Some(distinct) => PackedCodes::Distinct(distinct.clone()),
            None => PackedCodes::read(column),
        })
    }

    /// Forgets the segments that are not among `live` (merged away, or deleted by
    /// a rebuild).
    pub fn keep_only(&self, live: &[SegmentId]) {
        let mut segments = self.segments.lock().unwrap_or_else(|p| p.into_inner());
        segments.retain(|segment, _| live.contains(segment));
    }
}
