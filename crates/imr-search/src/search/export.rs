//! A hit as the exports write it: every matching item of `imr search --format
//! jsonl|csv`, and the hits of the web API's `format=csv`. The fields of the
//! record, without score or snippet; their names are a public interface.

use serde::Serialize;

use super::response::Hit;

/// One exported item, its lists as lists (JSON lines).
#[derive(Debug, Serialize)]
pub struct ExportedHit<'a> {
    /// The item's id.
    pub id: &'a str,
    /// The letter's case number.
    pub case_number: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub decision_date: Option<&'a str>,
    /// 0-based item index in its letter.
    pub item: Option<u64>,
    /// The treatment decided.
    pub treatment: Option<&'a str>,
    /// `upheld` or `overturned`.
    pub decision: Option<&'a str>,
    /// The treatment's category slug.
    pub category: Option<&'a str>,
    /// The drug class slug of a pharmaceutical item.
    pub drug_class: Option<&'a str>,
    /// Body region slugs.
    pub body_regions: &'a [String],
    /// The reviewer's citations, as facet paths.
    pub guidelines: &'a [String],
    /// The claims administrator's citations, as facet paths.
    pub claims_guidelines: &'a [String],
    /// The reviewer's specialty.
    pub specialty: Option<&'a str>,
    /// The letter's file.
    pub source: &'a str,
}

/// One exported item as a CSV row: the same columns, lists joined by `; `.
#[derive(Debug, Serialize)]
pub struct CsvHit<'a> {
    id: &'a str,
    case_number: Option<&'a str>,
    decision_date: Option<&'a str>,
    item: Option<u64>,
    treatment: Option<&'a str>,
    decision: Option<&'a str>,
    category: Option<&'a str>,
    drug_class: Option<&'a str>,
    body_regions: String,
    guidelines: String,
    claims_guidelines: String,
    specialty: Option<&'a str>,
    source: &'a str,
}

impl CsvHit<'_> {
    /// The columns, in order: the header of a CSV of hits, even of none.
    pub const COLUMNS: [&'static str; 13] = [
        "id",
        "case_number",
        "decision_date",
        "item",
        "treatment",
        "decision",
        "category",
        "drug_class",
        "body_regions",
        "guidelines",
        "claims_guidelines",
        "specialty",
        "source",
    ];
}

impl<'a> From<&'a Hit> for ExportedHit<'a> {
    fn from(hit: &'a Hit) -> Self {
        ExportedHit {
            id: &hit.id,
            case_number: hit.case_number.as_deref(),
            decision_date: hit.decision_date.as_deref(),
            item: hit.item,
            treatment: hit.treatment.as_deref(),
            decision: hit.decision.as_deref(),
            category: hit.category.as_deref(),
            drug_class: hit.drug_class.as_deref(),
            body_regions: &hit.body_regions,
            guidelines: &hit.guidelines,
            claims_guidelines: &hit.claims_guidelines,
            specialty: hit.specialty.as_deref(),
            source: &hit.source,
        }
    }
}

impl<'a> ExportedHit<'a> {
    /// The row of a CSV.
    pub fn csv(&self) -> CsvHit<'a> {
        CsvHit {
            id: self.id,
            case_number: self.case_number,
            decision_date: self.decision_date,
            item: self.item,
            treatment: self.treatment,
            decision: self.decision,
            category: self.category,
            drug_class: self.drug_class,
            body_regions: self.body_regions.join("; "),
            guidelines: self.guidelines.join("; "),
            claims_guidelines: self.claims_guidelines.join("; "),
            specialty: self.specialty,
            source: self.source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header written for no hits is the one a row's field names make.
    #[test]
    fn the_columns_are_the_row_s_fields() {
        let hit = Hit {
            id: "a-0".into(),
            source: "a.txt".into(),
            case_number: None,
            item: Some(0),
            treatment: None,
            decision: None,
            category: None,
            drug_class: None,
            body_regions: vec!["knee".into(), "neck".into()],
            guidelines: Vec::new(),
            claims_guidelines: Vec::new(),
            specialty: None,
            decision_date: None,
            score: 0.0,
            snippet: String::new(),
            highlights: Vec::new(),
        };
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.serialize(ExportedHit::from(&hit).csv()).unwrap();
        let written = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let mut lines = written.lines();
        assert_eq!(lines.next(), Some(CsvHit::COLUMNS.join(",").as_str()));
        assert_eq!(lines.next(), Some("a-0,,,0,,,,,knee; neck,,,,a.txt"));
    }
}
