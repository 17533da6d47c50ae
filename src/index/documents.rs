//! Letter records into index documents: one per disputed item, each carrying its
//! letter's fields; one for a letter without items, so its text stays searchable.

use tantivy::schema::{Facet, Field};
use tantivy::{DateTime, TantivyDocument};

use super::schema::IndexSchema;
use super::synonyms::Synonyms;
use crate::model::{CitedBy, Item, Letter};

/// The id of a letter: 12 hex digits of the hash of its source path.
pub fn letter_id(source: &str) -> String {
    blake3::hash(source.as_bytes()).to_hex()[..12].to_string()
}

/// The id of an item.
pub fn item_id(letter_id: &str, item: usize) -> String {
    format!("{letter_id}-{item}")
}

/// The `version` of a letter: its source and content hash, which an incremental run
/// compares.
pub fn version_key(source: &str, hash: &str) -> String {
    format!("{source}\u{1f}{hash}")
}

/// Splits a `version` back into source and hash.
pub fn split_version(version: &str) -> Option<(&str, &str)> {
    version.rsplit_once('\u{1f}')
}

/// The documents of one letter.
pub fn letter_documents(
    letter: &Letter,
    hash: &str,
    schema: &IndexSchema,
    synonyms: &Synonyms,
) -> Vec<TantivyDocument> {
    let f = &schema.fields;
    let id = letter_id(&letter.source);
    let record = serde_json::to_string(letter).expect("records serialise");
    let base = letter_base(letter, hash, &id, schema, synonyms);
    if letter.items.is_empty() {
        let mut doc = base;
        doc.add_text(f.id, &id);
        doc.add_u64(f.has_item, 0);
        doc.add_text(f.record, &record);
        return vec![doc];
    }
    letter
        .items
        .iter()
        .map(|item| {
            let mut doc = base.clone();
            add_item(&mut doc, item, &id, schema, synonyms);
            if item.index == 0 {
                doc.add_text(f.record, &record);
            }
            doc
        })
        .collect()
}

fn letter_base(
    letter: &Letter,
    hash: &str,
    id: &str,
    schema: &IndexSchema,
    synonyms: &Synonyms,
) -> TantivyDocument {
    let f = &schema.fields;
    let mut doc = TantivyDocument::new();
    doc.add_text(f.letter_id, id);
    doc.add_text(f.source, &letter.source);
    doc.add_text(f.version, version_key(&letter.source, hash));
    if let Some(case) = &letter.case_number {
        doc.add_text(f.case, case);
    }
    add_text_with_synonyms(&mut doc, schema, f.summary, &letter.summary, synonyms);
    add_text_with_synonyms(&mut doc, schema, f.rest, &letter.rest, synonyms);
    add_facet(&mut doc, f.family, &[letter.family.slug()]);
    if let Some(specialty) = &letter.reviewer.specialty {
        add_facet(&mut doc, f.specialty, &[specialty]);
    }
    if let Some(date) = letter.dates.decision.as_deref().and_then(timestamp) {
        doc.add_date(f.decision_date, date);
        add_facet(
            &mut doc,
            f.year,
            &[&letter.dates.decision.as_deref().unwrap_or("")[..4]],
        );
    }
    doc
}

fn add_item(
    doc: &mut TantivyDocument,
    item: &Item,
    id: &str,
    schema: &IndexSchema,
    synonyms: &Synonyms,
) {
    let f = &schema.fields;
    doc.add_text(f.id, item_id(id, item.index));
    doc.add_u64(f.item, item.index as u64);
    doc.add_u64(f.has_item, 1);
    add_text_with_synonyms(doc, schema, f.treatment, &item.treatment, synonyms);
    add_text_with_synonyms(doc, schema, f.rationale, &item.rationale, synonyms);
    let citations: Vec<&str> = item.guidelines.iter().map(|c| c.raw.as_str()).collect();
    add_text_with_synonyms(doc, schema, f.citations, &citations.join("; "), synonyms);
    if let Some(decision) = item.decision {
        add_facet(doc, f.decision, &[decision.slug()]);
    }
    for region in &item.body_regions {
        add_facet(doc, f.region, &[region]);
    }
    match &item.drug_class {
        Some(class) => add_facet(doc, f.category, &[&item.category, class]),
        None => add_facet(doc, f.category, &[&item.category]),
    }
    for citation in &item.guidelines {
        let field = match citation.cited_by {
            CitedBy::Reviewer => f.guideline_path,
            CitedBy::ClaimsAdministrator => f.claims_guideline,
        };
        if let Ok(facet) = Facet::from_text(&citation.facet) {
            doc.add_facet(field, facet);
        }
    }
}

/// Adds `text` to `field`, and the synonym tokens it names to the field's companion.
fn add_text_with_synonyms(
    doc: &mut TantivyDocument,
    schema: &IndexSchema,
    field: Field,
    text: &str,
    synonyms: &Synonyms,
) {
    if text.is_empty() {
        return;
    }
    doc.add_text(field, text);
    let name = schema.schema.get_field_name(field);
    if let Ok(companion) = schema
        .schema
        .get_field(&format!("{name}{}", super::schema::SYNONYM_SUFFIX))
    {
        for token in synonyms.tokens_in(text) {
            doc.add_text(companion, token);
        }
    }
}

fn add_facet(doc: &mut TantivyDocument, field: Field, parts: &[&str]) {
    let parts: Vec<String> = parts.iter().map(|p| p.replace('/', "-")).collect();
    doc.add_facet(field, Facet::from_path(parts));
}

/// A `YYYY-MM-DD` date as a tantivy date at midnight UTC.
pub fn timestamp(date: &str) -> Option<DateTime> {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let seconds = day.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
    Some(DateTime::from_timestamp_secs(seconds))
}
