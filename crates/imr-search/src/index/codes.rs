//! Compact codes of the facets counted on every search. Counting a facet through
//! tantivy's facet column reads a multi-valued column per matching item, which over
//! millions of items is most of a search's time. Instead each item carries one u64
//! packing, for each coded facet, a code (a facet of one value: the value's number)
//! or a bit mask (several values: one bit each), so one read per item counts them
//! all. What the bits mean, a table per facet, is fixed when a generation is
//! created and kept in the index's pointer file; a facet whose values outgrow its
//! table is counted from its facet column again.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use tantivy::schema::{Facet, Field, Value};
use tantivy::TantivyDocument;

use super::schema::IndexSchema;
use crate::model::Decision;
use crate::vocab::Vocabulary;

/// How a facet's values are coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeKind {
    /// At most one value per item: its number in the table, from 1; 0 for none.
    Code,
    /// Any number of values per item: bit `n` set for the table's `n`th path.
    Mask,
}

/// What the codes of one facet mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeTable {
    pub kind: CodeKind,
    /// Where the facet's bits start in the packed number.
    pub shift: u32,
    /// How many bits it has.
    pub bits: u32,
    /// Facet paths without the leading '/', as search responses name them.
    pub paths: Vec<String>,
}

impl CodeTable {
    fn new(kind: CodeKind, shift: u32, paths: Vec<String>) -> CodeTable {
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

    /// How many counters its codes need: one per code, or one per bit.
    pub fn slots(&self) -> usize {
        match self.kind {
            CodeKind::Code => self.paths.len() + 1,
            CodeKind::Mask => self.paths.len(),
        }
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

/// Per public facet name, its code table.
pub type CodeTables = BTreeMap<String, CodeTable>;

/// The tables of a new generation: every value the vocabulary can give each coded
/// facet of the schema, packed in schema order; a facet that does not fit in what
/// is left of the 64 bits is left uncoded.
pub fn tables_for(schema: &IndexSchema, vocab: &Vocabulary) -> CodeTables {
    let mut tables = CodeTables::new();
    let mut shift = 0;
    for (spec, kind) in schema.coded_specs() {
        let Some(facet) = spec.facet.as_deref() else {
            continue;
        };
        let paths = vocabulary_paths(&spec.name, vocab);
        let table = CodeTable::new(kind, shift, paths);
        if table.paths.is_empty() || shift + table.bits > u64::BITS {
            tracing::warn!(
                facet,
                "facet values cannot be coded; counted from the facet column"
            );
            continue;
        }
        shift += table.bits;
        tables.insert(facet.to_string(), table);
    }
    tables
}

/// Every path the vocabulary can give the facet field `field`, or none for a field
/// whose values the vocabulary does not list.
fn vocabulary_paths(field: &str, vocab: &Vocabulary) -> Vec<String> {
    let slug = |s: &String| s.replace('/', "-");
    match field {
        "decision" => [Decision::Upheld, Decision::Overturned]
            .iter()
            .map(|d| d.slug().to_string())
            .collect(),
        "region" => vocab.region_slugs().iter().map(slug).collect(),
        "category" => {
            let mut paths = Vec::new();
            for category in vocab.category_slugs() {
                paths.push(slug(category));
                for class in vocab.drug_class_slugs() {
                    paths.push(format!("{}/{}", slug(category), slug(class)));
                }
            }
            paths
        }
        _ => Vec::new(),
    }
}

/// Writes the codes of a run's documents, and notices values its tables lack.
pub struct FacetCoder {
    codes_field: Option<Field>,
    facets: Vec<FacetCodes>,
}

struct FacetCodes {
    facet: String,
    field: Field,
    table: CodeTable,
    /// Facet, in tantivy's encoding (as documents hold it), to code, or to bit for
    /// a mask: documents are coded without decoding their facets.
    lookup: HashMap<String, u64>,
    /// False once a document held a value the table cannot code.
    complete: AtomicBool,
}

impl FacetCoder {
    /// A coder for the facets of `tables` that `schema` codes.
    pub fn new(schema: &IndexSchema, tables: &CodeTables) -> FacetCoder {
        let facets = schema
            .coded_specs()
            .filter_map(|(spec, kind)| {
                let facet = spec.facet.clone()?;
                let table = tables.get(&facet).filter(|t| t.kind == kind)?.clone();
                let lookup = table
                    .paths
                    .iter()
                    .enumerate()
                    .filter_map(|(n, path)| {
                        let code = match kind {
                            CodeKind::Code => n as u64 + 1,
                            CodeKind::Mask => n as u64,
                        };
                        let facet = Facet::from_text(&format!("/{path}")).ok()?;
                        Some((facet.encoded_str().to_string(), code))
                    })
                    .collect();
                Some(FacetCodes {
                    facet,
                    field: schema.schema.get_field(&spec.name).ok()?,
                    table,
                    lookup,
                    complete: AtomicBool::new(true),
                })
            })
            .collect();
        FacetCoder {
            codes_field: schema.codes_field(),
            facets,
        }
    }

    /// Adds to `doc` its coded facets' codes, from the facet values it holds.
    pub fn add_codes(&self, doc: &mut TantivyDocument) {
        let Some(codes_field) = self.codes_field else {
            return;
        };
        let packed = self.facets.iter().fold(0, |packed, facet| {
            packed | (facet.code_of(doc) << facet.table.shift)
        });
        doc.add_u64(codes_field, packed);
    }

    /// The tables every document of the run could be coded with.
    pub fn complete_tables(&self) -> CodeTables {
        self.facets
            .iter()
            .filter(|c| c.complete.load(Ordering::Relaxed))
            .map(|c| (c.facet.clone(), c.table.clone()))
            .collect()
    }
}

impl FacetCodes {
    fn code_of(&self, doc: &TantivyDocument) -> u64 {
        let mut code = 0u64;
        let mut values = 0;
        for encoded in doc.get_all(self.field).filter_map(|value| value.as_facet()) {
            values += 1;
            match (self.table.kind, self.lookup.get(encoded)) {
                (CodeKind::Code, Some(&n)) if values == 1 => code = n,
                (CodeKind::Mask, Some(&bit)) => code |= 1 << bit,
                _ => self.complete.store(false, Ordering::Relaxed),
            }
        }
        code
    }
}

/// Per coded facet, counts by code (or by bit) turned into counts by path, each
/// path's count also counted for its ancestors in the table (an item coded
/// `pharmaceutical/opioids` is a `pharmaceutical` item too).
pub fn counts_by_path(table: &CodeTable, counts: &[u64]) -> BTreeMap<String, u64> {
    let mut by_path = BTreeMap::new();
    for (slot, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let path = match table.kind {
            CodeKind::Code if slot == 0 => continue,
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
        assert_eq!(counts.len(), 2);
        let mask = CodeTable::new(
            CodeKind::Mask,
            0,
            vec!["knee".into(), "low-back".into(), "neck".into()],
        );
        let counts = counts_by_path(&mask, &[4, 0, 1]);
        assert_eq!(
            counts.into_iter().collect::<Vec<_>>(),
            [("knee".into(), 4), ("neck".into(), 1)]
        );
    }

    #[test]
    fn the_embedded_vocabulary_codes_decision_category_and_region() {
        let schema = IndexSchema::embedded();
        let tables = tables_for(&schema, &Vocabulary::embedded());
        assert_eq!(tables["decision"].paths, ["upheld", "overturned"]);
        assert_eq!(tables["region"].kind, CodeKind::Mask);
        assert!(tables["category"]
            .paths
            .iter()
            .any(|p| p == "pharmaceutical"));
        // Packed side by side, without overlap, in 64 bits.
        let mut used = 0u64;
        for table in tables.values() {
            let bits = ((1u128 << table.bits) - 1) as u64;
            assert_eq!(used & (bits << table.shift), 0, "{table:?}");
            used |= bits << table.shift;
        }
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
