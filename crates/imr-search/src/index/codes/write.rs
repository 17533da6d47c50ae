//! Coding a run's documents: the tables of a new generation, and each document's
//! packed codes from the facet values it holds.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use tantivy::schema::{Facet, Field, Value};
use tantivy::TantivyDocument;

use super::{CodeKind, CodeTable, CodeTables};
use crate::index::schema::IndexSchema;
use crate::model::Decision;
use crate::vocab::Vocabulary;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::IndexSchema;
    use crate::vocab::Vocabulary;

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
}
