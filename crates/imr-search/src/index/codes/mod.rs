//! Compact codes of the facets counted on every search. Counting a facet through
//! tantivy's facet column reads a multi-valued column per matching item, which over
//! millions of items is most of a search's time. Instead each item carries one u64
//! packing, for each coded facet, a code (a facet of one value: the value's number)
//! or a bit mask (several values: one bit each), so one read per item counts them
//! all. What the bits mean, a table per facet, is fixed when a generation is
//! created and kept in the index's manifest; a facet whose values outgrow its
//! table is counted from its facet column again.
//!
//! [`write`] codes a run's documents; [`read`] takes the codes back out of a
//! segment and counts them; [`cache`] keeps a segment's codes decoded for an open
//! engine's later searches.

pub mod cache;
pub mod count;
pub mod read;
pub mod write;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::schema::CodeKind;
pub use write::{tables_for, FacetCoder};

/// What the codes of one facet mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeTable {
    /// A code per item, or a mask of bits.
    pub kind: CodeKind,
    /// Where the facet's bits start in the packed number.
    pub shift: u32,
    /// How many bits it has.
    pub bits: u32,
    /// Facet paths without the leading '/', as search responses name them.
    pub paths: Vec<String>,
}

impl CodeTable {
    pub(crate) fn new(kind: CodeKind, shift: u32, paths: Vec<String>) -> CodeTable {
        let bits = match kind {
            CodeKind::Code => u64::BITS - (paths.len() as u64).leading_zeros(),
            CodeKind::Mask => paths.len() as u32,
        };
        CodeTable {
            kind,
            shift,
            bits,
            paths,
        }
    }

    /// What takes this facet's code (or mask) out of a packed number, worked out
    /// once for counting millions.
    pub fn unpacker(&self) -> Unpacker {
        Unpacker {
            shift: self.shift,
            mask: if self.bits >= u64::BITS {
                u64::MAX
            } else {
                (1u64 << self.bits) - 1
            },
        }
    }

    /// How many counters its codes need: one per code (0: no value), or one per
    /// bit and one more, last, for items of no bit.
    pub fn slots(&self) -> usize {
        self.paths.len() + 1
    }
}

/// Takes one facet's code (or mask) out of packed numbers.
#[derive(Debug, Clone, Copy)]
pub struct Unpacker {
    shift: u32,
    mask: u64,
}

impl Unpacker {
    /// The facet's code (or mask) in `packed`.
    pub fn unpack(self, packed: u64) -> u64 {
        (packed >> self.shift) & self.mask
    }
}

/// The path under which facet counts and `stats` count the items without a value.
pub const NO_VALUE: &str = "(none)";

/// Per public facet name, its code table.
pub type CodeTables = BTreeMap<String, CodeTable>;

/// Per coded facet, counts by code (or by bit) turned into counts by path, each
/// path's count also counted for its ancestors in the table (an item coded
/// `pharmaceutical/opioids` is a `pharmaceutical` item too).
pub fn counts_by_path(table: &CodeTable, counts: &[u64]) -> BTreeMap<String, u64> {
    let mut by_path = BTreeMap::new();
    let no_value = match table.kind {
        CodeKind::Code => 0,
        CodeKind::Mask => table.paths.len(),
    };
    for (slot, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        if slot == no_value {
            by_path.insert(NO_VALUE.to_string(), count);
            continue;
        }
        let path = match table.kind {
            CodeKind::Code => table.paths.get(slot - 1),
            CodeKind::Mask => table.paths.get(slot),
        };
        let Some(path) = path else { continue };
        *by_path.entry(path.clone()).or_insert(0) += count;
        if table.kind == CodeKind::Code {
            let mut ancestor = path.as_str();
            while let Some((parent, _)) = ancestor.rsplit_once('/') {
                *by_path.entry(parent.to_string()).or_insert(0) += count;
                ancestor = parent;
            }
        }
    }
    by_path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_count_for_their_ancestors_and_masks_for_each_bit() {
        let table = CodeTable::new(
            CodeKind::Code,
            0,
            vec!["pharmaceutical".into(), "pharmaceutical/opioids".into()],
        );
        let counts = counts_by_path(&table, &[7, 2, 3]);
        assert_eq!(counts["pharmaceutical"], 5);
        assert_eq!(counts["pharmaceutical/opioids"], 3);
        assert_eq!(counts[NO_VALUE], 7);
        assert_eq!(counts.len(), 3);
        let mask = CodeTable::new(
            CodeKind::Mask,
            0,
            vec!["knee".into(), "low-back".into(), "neck".into()],
        );
        let counts = counts_by_path(&mask, &[4, 0, 1, 2]);
        assert_eq!(
            counts.into_iter().collect::<Vec<_>>(),
            [(NO_VALUE.into(), 2), ("knee".into(), 4), ("neck".into(), 1)]
        );
    }

    #[test]
    fn a_packed_number_unpacks_into_each_facet() {
        let decision = CodeTable::new(
            CodeKind::Code,
            0,
            vec!["upheld".into(), "overturned".into()],
        );
        let region = CodeTable::new(
            CodeKind::Mask,
            decision.bits,
            vec!["a".into(), "b".into(), "c".into()],
        );
        assert_eq!(decision.bits, 2);
        assert_eq!(region.bits, 3);
        let packed = 2 | (0b101 << 2);
        assert_eq!(decision.unpacker().unpack(packed), 2);
        assert_eq!(region.unpacker().unpack(packed), 0b101);
    }
}
