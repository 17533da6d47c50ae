//! Reading the codes back: a segment's packed codes, from the fast field or
//! numbered among its distinct codes, tallied per code and counted per facet.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::columnar::{Cardinality, ColumnValues};
use tantivy::{DocId, SegmentReader};

use super::CodeKind;
use crate::index::schema::FACET_CODES;

/// A segment's packed codes, by document number: read from the fast field, or from
/// memory once decoded (see [`DecodedCodes`]).
pub enum PackedCodes {
    /// Read from the fast field, item by item or a block at a time.
    Column {
        /// The column of packed codes.
        column: Arc<dyn ColumnValues<u64>>,
        /// The codes of a block of items (tantivy hands over up to 64 at once when
        /// nothing needs scores), read with one call to the column.
        block: Vec<u64>,
    },
    /// Numbered among the segment's distinct codes, in memory.
    Distinct(Arc<DistinctCodes>),
}

impl PackedCodes {
    /// The codes of `reader`'s segment, read from its fast field.
    pub fn of(reader: &SegmentReader) -> tantivy::Result<PackedCodes> {
        // Every item has its codes.
        let column = every_document_column(reader, FACET_CODES)?;
        Ok(PackedCodes::read(column))
    }

    /// The codes of a column already open.
    pub fn read(column: Arc<dyn ColumnValues<u64>>) -> PackedCodes {
        PackedCodes::Column {
            column,
            block: Vec::new(),
        }
    }
}

/// A segment's codes as each item's number among the segment's distinct codes.
/// Items share a few thousand combinations of decision, category and regions, so
/// a number takes 16 bits: the numbers of a 1M-letter index (4.7 MB) stay in the
/// processor's cache where its packed codes (9.4 MB in 32 bits) did not, and an
/// item is counted by adding one to its number's tally, its code unpacked once per
/// distinct code instead of once per item.
pub struct DistinctCodes {
    /// Per document, the number of its code in `codes`.
    numbers: Box<[u16]>,
    codes: Box<[u64]>,
}

impl DistinctCodes {
    /// The distinct codes of `column`; none if there are more than 16 bits can
    /// number.
    pub fn of(column: &dyn ColumnValues<u64>, documents: u32) -> Option<DistinctCodes> {
        let mut packed = vec![0; documents as usize];
        column.get_range(0, &mut packed);
        let mut number_of: FxHashMap<u64, u16> = FxHashMap::default();
        let mut codes = Vec::new();
        let mut numbers = Vec::with_capacity(packed.len());
        for code in packed {
            let number = match number_of.get(&code) {
                Some(&number) => number,
                None => {
                    let number = u16::try_from(codes.len()).ok()?;
                    codes.push(code);
                    number_of.insert(code, number);
                    number
                }
            };
            numbers.push(number);
        }
        Some(DistinctCodes {
            numbers: numbers.into(),
            codes: codes.into(),
        })
    }
}

/// Counts a segment's items by code: handing each item's code on as it comes when
/// read from the fast field, or tallying the items of each distinct code and
/// handing each code on once, with its number of items, at the end.
pub struct CodeTally {
    codes: PackedCodes,
    /// Per distinct code, the items counted.
    tally: Vec<u32>,
}

impl CodeTally {
    /// A tally over `codes`, nothing counted yet.
    pub fn new(codes: PackedCodes) -> CodeTally {
        let tally = match &codes {
            PackedCodes::Distinct(distinct) => vec![0; distinct.codes.len()],
            PackedCodes::Column { .. } => Vec::new(),
        };
        CodeTally { codes, tally }
    }

    /// Counts item `doc`, whose code may be handed on to `each` with its number of
    /// items (1).
    #[inline]
    pub fn item(&mut self, doc: DocId, mut each: impl FnMut(u64, u64)) {
        match &self.codes {
            PackedCodes::Column { column, .. } => each(column.get_val(doc), 1),
            PackedCodes::Distinct(distinct) => {
                // A document number is below the segment's, the length of its
                // numbers.
                if let Some(&number) = distinct.numbers.get(doc as usize) {
                    self.tally[number as usize] += 1;
                }
            }
        }
    }

    /// Counts the items `docs`.
    pub fn block(&mut self, docs: &[DocId], mut each: impl FnMut(u64, u64)) {
        match &mut self.codes {
            PackedCodes::Column { column, block } => {
                block.resize(docs.len(), 0);
                column.get_vals(docs, block);
                for &packed in block.iter() {
                    each(packed, 1);
                }
            }
            PackedCodes::Distinct(distinct) => {
                for &doc in docs {
                    if let Some(&number) = distinct.numbers.get(doc as usize) {
                        self.tally[number as usize] += 1;
                    }
                }
            }
        }
    }

    /// Hands on each tallied code with its number of items.
    pub fn finish(self, mut each: impl FnMut(u64, u64)) {
        if let PackedCodes::Distinct(distinct) = &self.codes {
            for (&code, &items) in distinct.codes.iter().zip(&self.tally) {
                if items > 0 {
                    each(code, u64::from(items));
                }
            }
        }
    }
}

/// The column `name` of a field every document has a value in, read by document
/// number, past the column's index of which documents have values.
pub fn every_document_column(
    reader: &SegmentReader,
    name: &str,
) -> tantivy::Result<Arc<dyn ColumnValues<u64>>> {
    let column = reader.fast_fields().u64(name)?;
    Ok(match column.get_cardinality() {
        Cardinality::Full => column.values,
        _ => column.first_or_default_col(0),
    })
}

/// Counts `items` items of one code (or each bit of its mask).
pub fn count_code(kind: CodeKind, code: u64, items: u64, counts: &mut [u64]) {
    match kind {
        CodeKind::Code => {
            if let Some(count) = counts.get_mut(code as usize) {
                *count += items;
            }
        }
        CodeKind::Mask => {
            // The last counter counts the items of no bit.
            if code == 0 {
                if let Some(count) = counts.last_mut() {
                    *count += items;
                }
                return;
            }
            let mut bits = code;
            while bits != 0 {
                if let Some(count) = counts.get_mut(bits.trailing_zeros() as usize) {
                    *count += items;
                }
                bits &= bits - 1;
            }
        }
    }
}

/// Segments' counters added up, counter by counter.
pub fn sum_counters(segments: Vec<Vec<Vec<u64>>>) -> Vec<Vec<u64>> {
    let mut total: Vec<Vec<u64>> = Vec::new();
    for segment in segments {
        if total.is_empty() {
            total = segment;
            continue;
        }
        for (sums, counts) in total.iter_mut().zip(segment) {
            for (sum, count) in sums.iter_mut().zip(counts) {
                *sum += count;
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// A column of the given codes, by document number.
    struct Codes(Vec<u64>);

    impl ColumnValues<u64> for Codes {
        fn get_val(&self, doc: u32) -> u64 {
            self.0[doc as usize]
        }
        fn min_value(&self) -> u64 {
            self.0.iter().copied().min().unwrap_or(0)
        }
        fn max_value(&self) -> u64 {
            self.0.iter().copied().max().unwrap_or(0)
        }
        fn num_vals(&self) -> u32 {
            self.0.len() as u32
        }
    }

    /// Every code handed on by `tally` after counting `docs`, with its items, sorted.
    fn counted(mut tally: CodeTally, docs: &[DocId], in_blocks: bool) -> Vec<(u64, u64)> {
        let mut seen = Vec::new();
        if in_blocks {
            for block in docs.chunks(3) {
                tally.block(block, |code, items| seen.push((code, items)));
            }
        } else {
            for &doc in docs {
                tally.item(doc, |code, items| seen.push((code, items)));
            }
        }
        tally.finish(|code, items| seen.push((code, items)));
        let mut by_code: BTreeMap<u64, u64> = BTreeMap::new();
        for (code, items) in seen {
            *by_code.entry(code).or_default() += items;
        }
        by_code.into_iter().collect()
    }

    #[test]
    fn numbered_codes_count_what_the_column_counts() {
        let codes = vec![7, 1 << 40, 7, 3, 3, 7, 0, 1 << 40, 3, 9];
        let column = Codes(codes.clone());
        let distinct = Arc::new(DistinctCodes::of(&column, codes.len() as u32).unwrap());
        assert_eq!(distinct.codes.len(), 5);
        for (doc, &code) in codes.iter().enumerate() {
            assert_eq!(distinct.codes[distinct.numbers[doc] as usize], code);
        }
        let docs: Vec<DocId> = vec![0, 1, 2, 4, 5, 7, 9];
        for in_blocks in [false, true] {
            let from_column = counted(
                CodeTally::new(PackedCodes::read(Arc::new(Codes(codes.clone())))),
                &docs,
                in_blocks,
            );
            let numbered = counted(
                CodeTally::new(PackedCodes::Distinct(distinct.clone())),
                &docs,
                in_blocks,
            );
            assert_eq!(from_column, vec![(3, 1), (7, 3), (9, 1), (1 << 40, 2)]);
            assert_eq!(numbered, from_column);
        }
    }

    #[test]
    fn more_distinct_codes_than_16_bits_number_stay_in_the_column() {
        let fits: Vec<u64> = (0..1 << 16).collect();
        assert!(DistinctCodes::of(&Codes(fits.clone()), fits.len() as u32).is_some());
        let too_many: Vec<u64> = (0..(1 << 16) + 1).collect();
        assert!(DistinctCodes::of(&Codes(too_many.clone()), too_many.len() as u32).is_none());
    }
}
