//! Letter records into index documents: one per disputed item, each carrying its
//! letter's facets and dates; one for a letter without items, so its text stays
//! searchable. The text the items share (summary, rest of the letter) is on the
//! first document only: see `search::letter_wide`.

use tantivy::schema::{Facet, Field};
use tantivy::{DateTime, TantivyDocument};

use super::schema::IndexSchema;
use super::synonyms::Synonyms;
use crate::model::{CitedBy, Item, Letter};

/// The hash of a file's content (BLAKE3, in hex): what an incremental run
/// compares, and what a letter's id is made from.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The id of a letter: the first 16 hex digits of its file's content hash, so it
/// stays the same when the folder moves or is cloned elsewhere (a file's path
/// would not). With 12 digits, two letters of a 2-million-letter archive would
/// share an id with a chance of 0.7%; with 16, of one in ten million. Two files of
/// the same bytes are one letter, and share its id.
pub fn letter_id(content_hash: &str) -> String {
    content_hash.chars().take(16).collect()
}

/// The id of an item.
pub fn item_id(letter_id: &str, item: usize) -> String {
    format!("{letter_id}-{item}")
}

/// What an incremental run knows of a file it indexed: its content hash, and its
/// size and modification time when they can be trusted to tell a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileVersion {
    /// The content's BLAKE3 hash, in hex.
    pub hash: String,
    /// Size and modification time, when trusted to tell a change.
    pub stamp: Option<FileStamp>,
}

/// A file's size and modification time (nanoseconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// Bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified_ns: i128,
}

impl FileStamp {
    /// The stamp of a file's metadata; none where the system keeps no times.
    pub fn of(metadata: &std::fs::Metadata) -> Option<FileStamp> {
        let modified = metadata.modified().ok()?;
        let modified_ns = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).ok()?,
            Err(before) => -i128::try_from(before.duration().as_nanos()).ok()?,
        };
        Some(FileStamp {
            size: metadata.len(),
            modified_ns,
        })
    }

    fn parse(text: &str) -> Option<FileStamp> {
        let (size, modified_ns) = text.split_once(':')?;
        Some(FileStamp {
            size: size.parse().ok()?,
            modified_ns: modified_ns.parse().ok()?,
        })
    }
}

/// The `version` of a letter, which an incremental run compares: its source, its
/// content hash and, if any, its stamp ("size:mtime").
pub fn version_key(source: &str, version: &FileVersion) -> String {
    match &version.stamp {
        Some(stamp) => format!(
            "{source}\u{1f}{}\u{1f}{}:{}",
            version.hash, stamp.size, stamp.modified_ns
        ),
        None => format!("{source}\u{1f}{}", version.hash),
    }
}

/// Splits a `version` back into source and file version.
pub fn split_version(version: &str) -> Option<(&str, FileVersion)> {
    let (rest, last) = version.rsplit_once('\u{1f}')?;
    if let Some(stamp) = FileStamp::parse(last) {
        if let Some((source, hash)) = rest.rsplit_once('\u{1f}') {
            let stamp = Some(stamp);
            let hash = hash.to_string();
            return Some((source, FileVersion { hash, stamp }));
        }
    }
    let hash = last.to_string();
    Some((rest, FileVersion { hash, stamp: None }))
}

/// The documents of one letter.
pub fn letter_documents(
    letter: &Letter,
    version: &FileVersion,
    schema: &IndexSchema,
    synonyms: &Synonyms,
) -> Vec<TantivyDocument> {
    let f = &schema.fields;
    let id = letter_id(&version.hash);
    let record = letter.to_json();
    let mut base = letter_base(letter, &id, schema);
    if letter.items.is_empty() {
        let mut doc = base;
        doc.add_text(f.id, &id);
        doc.add_u64(f.has_item, 0);
        doc.add_u64(f.letter_position, 0);
        doc.add_u64(f.letter_size, 1);
        add_letter_text(&mut doc, letter, version, &record, schema, synonyms);
        return vec![doc];
    }
    base.add_u64(f.letter_size, letter.items.len() as u64);
    letter
        .items
        .iter()
        .enumerate()
        .map(|(position, item)| {
            let mut doc = base.clone();
            doc.add_u64(f.letter_position, position as u64);
            add_item(&mut doc, item, &id, schema, synonyms);
            if position == 0 {
                add_letter_text(&mut doc, letter, version, &record, schema, synonyms);
            }
            doc
        })
        .collect()
}

/// What the first document of a letter carries for the whole letter: its shared
/// text, its record and the version an incremental run compares.
fn add_letter_text(
    doc: &mut TantivyDocument,
    letter: &Letter,
    version: &FileVersion,
    record: &str,
    schema: &IndexSchema,
    synonyms: &Synonyms,
) {
    let f = &schema.fields;
    doc.add_text(f.version, version_key(&letter.source, version));
    add_text_with_companions(doc, schema, f.summary, &letter.summary, synonyms);
    add_text_with_companions(doc, schema, f.rest, &letter.rest, synonyms);
    doc.add_text(f.record, record);
}

fn letter_base(letter: &Letter, id: &str, schema: &IndexSchema) -> TantivyDocument {
    let f = &schema.fields;
    let mut doc = TantivyDocument::new();
    doc.add_text(f.letter_id, id);
    doc.add_text(f.source, &letter.source);
    if let Some(case) = &letter.case_number {
        doc.add_text(f.case, case);
    }
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
    add_text_with_companions(doc, schema, f.treatment, &item.treatment, synonyms);
    add_text_with_companions(doc, schema, f.rationale, &item.rationale, synonyms);
    let citations: Vec<&str> = item.guidelines.iter().map(|c| c.raw.as_str()).collect();
    add_text_with_companions(doc, schema, f.citations, &citations.join("; "), synonyms);
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

/// Adds `text` to `field`, the synonym tokens it names to the field's synonym
/// companion, and the text again to its pairs companion, if it has one.
fn add_text_with_companions(
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
    if let Some(companion) = schema.synonyms_of(field) {
        for token in synonyms.tokens_in(text) {
            doc.add_text(companion, token);
        }
    }
    if let Some(pairs) = schema.pairs_of(field) {
        doc.add_text(pairs, text);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_round_trip_with_and_without_stamps() {
        let stamped = FileVersion {
            hash: "ab12".into(),
            stamp: Some(FileStamp {
                size: 4_096,
                modified_ns: 1_700_000_000_123_456_789,
            }),
        };
        let key = version_key("/letters/a\u{1f}b.txt", &stamped);
        assert_eq!(
            split_version(&key),
            Some(("/letters/a\u{1f}b.txt", stamped))
        );
        let bare = FileVersion {
            hash: "ab12".into(),
            stamp: None,
        };
        let key = version_key("/letters/c.txt", &bare);
        assert_eq!(split_version(&key), Some(("/letters/c.txt", bare)));
    }

    #[test]
    fn letter_ids_are_64_bits_of_the_content_and_items_number_from_them() {
        let hash = blake3::hash(b"a letter").to_hex().to_string();
        let id = letter_id(&hash);
        assert_eq!(id.len(), 16);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(hash.starts_with(&id));
        let other = blake3::hash(b"another letter").to_hex().to_string();
        assert_ne!(id, letter_id(&other));
        assert_eq!(item_id(&id, 2), format!("{id}-2"));
    }
}
