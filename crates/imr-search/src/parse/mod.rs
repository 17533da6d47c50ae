//! Letters into records. The flow is one way: bytes are decoded and cleaned
//! ([`crate::text`]), the family is recognised by its headings, the family's module
//! cuts the letter into its summary and raw items, and this module enriches those
//! with citations, categories and regions from the vocabularies.

mod case_summary;
mod citations;
mod header;
mod notice;
mod outcome;
mod people;
mod professional_review;
mod sections;

use std::sync::{Arc, LazyLock};

use crate::text::Pattern;

use crate::model::{Citation, CitedBy, Decision, Family, Item, Letter};
use crate::text::{clean, decode, fold_whitespace, Document};
use crate::vocab::{LetterForms, SectionRole, Vocabulary};

pub use citations::split_citations;
pub use header::parse_date;
pub use outcome::concluded_outcome;
use sections::HeadingSet;

/// An item as a family module reads it, before enrichment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct RawItem {
    treatment: String,
    decision: Option<Decision>,
    claims_citations: String,
    reviewer_citations: String,
    rationale: String,
}

/// What a family module makes of a letter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct FamilyParse {
    summary: String,
    items: Vec<RawItem>,
    /// The text that states the reviewer's qualifications.
    qualifications: String,
    rest: String,
    warnings: Vec<String>,
}

/// Headings that tell the families apart, and the family each tells.
const FAMILY_HEADINGS: [(SectionRole, Family); 4] = [
    (
        SectionRole::ProfessionalReviewTitle,
        Family::ProfessionalReview,
    ),
    (SectionRole::CaseSummaryIssues, Family::CaseSummary),
    (SectionRole::NoticeTitle, Family::Notice),
    (SectionRole::NoticeDecisions, Family::Notice),
];

/// Looked for in the whole case summary, hence a prefilter.
static INJURY_DATE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\b(?:date\s+of\s+injury|injur(?:y|ed|ies)|accident|incident)\b[\x00-\x2D\x2F-\x7F]{0,80}?\b(?:on|of|dated)\s+([0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}|[0-9]{1,2}-[0-9]{1,2}-(?:[0-9]{4}|[0-9]{2}\b)|[A-Z][a-z]{2,8}\.?\s+[0-9]{1,2},?\s+[0-9]{4}|[0-9]{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+[0-9]{4})",
    )
});

/// Parses letters with a vocabulary.
#[derive(Debug, Clone)]
pub struct Parser {
    vocab: Arc<Vocabulary>,
    headings: FamilyHeadings,
}

/// The headings each step looks for, from the vocabulary's letter forms.
#[derive(Debug, Clone)]
struct FamilyHeadings {
    family: HeadingSet,
    case_summary: HeadingSet,
    notice: HeadingSet,
    professional_review: HeadingSet,
}

impl FamilyHeadings {
    fn new(forms: &LetterForms) -> FamilyHeadings {
        let set = |roles: &[SectionRole]| HeadingSet::new(&forms.headings(roles));
        FamilyHeadings {
            family: set(&FAMILY_HEADINGS.map(|(role, _)| role)),
            case_summary: set(&case_summary::ROLES),
            notice: set(&notice::ROLES),
            professional_review: set(&professional_review::ROLES),
        }
    }
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new(Vocabulary::embedded())
    }
}

impl Parser {
    /// A parser over `vocab`.
    pub fn new(vocab: Arc<Vocabulary>) -> Self {
        let headings = FamilyHeadings::new(&vocab.forms);
        Parser { vocab, headings }
    }

    /// The parser's vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// Parses the bytes of one file. Never fails: what cannot be read is said in the
    /// record's `warnings`, and a file that is not a letter is of family `unknown`.
    ///
    /// ```
    /// use imr_search::{Decision, Family, Parser};
    ///
    /// let letter = Parser::default().parse_bytes(
    ///     "letter.txt",
    ///     b"IMR ISSUES, DECISIONS AND RATIONALES\n\
    ///       Lumbar MRI:  Overturned\n\
    ///       MAXIMUS guideline: Decision based on MTUS ACOEM Chapter 12 Page(s): 303\n\
    ///       Decision rationale: Red flags are present. The request is medically necessary.\n",
    /// );
    /// assert_eq!(letter.family, Family::CaseSummary);
    /// assert_eq!(letter.items[0].decision, Some(Decision::Overturned));
    /// assert_eq!(letter.items[0].category, "diagnostic-imaging");
    /// assert_eq!(letter.items[0].guidelines[0].facet, "/MTUS/ACOEM/Chapter 12 Low Back Complaints");
    ///
    /// let not_a_letter = Parser::default().parse_bytes("x.bin", &[0, 1, 2, 3]);
    /// assert_eq!(not_a_letter.family, Family::Unknown);
    /// assert!(not_a_letter.warnings[0].contains("binary"));
    /// ```
    pub fn parse_bytes(&self, source: &str, bytes: &[u8]) -> Letter {
        let text = match decode(bytes) {
            Ok(text) => text,
            Err(reason) => return Letter::not_a_letter(source, &reason.to_string()),
        };
        let mut letter = Letter::empty(source);
        let header = header::read_header(&text);
        let doc = clean(&text);
        let family = detect_family(&doc, &self.headings.family, &self.vocab);
        let headings = &self.headings;
        let parsed = match family {
            Family::CaseSummary => case_summary::parse(&doc, &headings.case_summary, &self.vocab),
            Family::Notice => notice::parse(&doc, &headings.notice, &self.vocab),
            Family::ProfessionalReview => {
                professional_review::parse(&doc, &headings.professional_review, &self.vocab)
            }
            Family::Unknown => unknown_layout(&doc),
        };

        letter.family = family;
        letter.case_number = header.case_number;
        letter.dates = header.dates;
        letter.priority = header.priority;
        letter.warnings = header.warnings;
        letter.warnings.extend(parsed.warnings);
        if family != Family::Unknown {
            let qualifications = if parsed.qualifications.is_empty() {
                &parsed.rest
            } else {
                &parsed.qualifications
            };
            letter.reviewer = people::read_reviewer(qualifications, &self.vocab);
            letter.patient = people::read_patient(&parsed.summary);
            if letter.dates.injury.is_none() {
                if let Some(c) = INJURY_DATE.captures(&parsed.summary) {
                    letter.dates.injury = parse_date(&c[1]);
                    if letter.dates.injury.is_none() {
                        letter.warnings.push(format!(
                            "case summary: the injury date {:?} is not a date",
                            &c[1]
                        ));
                    }
                }
            }
        }
        let summary_regions = self.vocab.summary_regions(&parsed.summary);
        letter.items = parsed
            .items
            .into_iter()
            .enumerate()
            .map(|(index, raw)| self.build_item(index, raw, &summary_regions))
            .collect();
        for item in &letter.items {
            if item.decision.is_none() {
                letter.warnings.push(format!(
                    "item {} ({}): the letter states no outcome",
                    item.index, item.treatment
                ));
            }
        }
        let mut regions = summary_regions;
        regions.extend(
            letter
                .items
                .iter()
                .flat_map(|i| i.body_regions.iter().cloned()),
        );
        letter.body_regions = self.in_vocabulary_order(regions);
        letter.summary = parsed.summary;
        letter.rest = parsed.rest;
        letter
    }

    fn build_item(&self, index: usize, raw: RawItem, summary_regions: &[String]) -> Item {
        let treatment = fold_whitespace(&raw.treatment);
        let mut guidelines = split_citations(
            &raw.claims_citations,
            CitedBy::ClaimsAdministrator,
            &self.vocab,
        );
        guidelines.extend(split_citations(
            &raw.reviewer_citations,
            CitedBy::Reviewer,
            &self.vocab,
        ));
        dedupe_citations(&mut guidelines);

        let topics: String = guidelines
            .iter()
            .filter_map(|c| c.topic.as_deref())
            .collect::<Vec<_>>()
            .join("; ");
        let category = self
            .vocab
            .category_of(&treatment)
            .or_else(|| self.vocab.category_of(&topics))
            .unwrap_or(self.vocab.default_category())
            .to_string();
        let drug_class = (category == "pharmaceutical")
            .then(|| {
                self.vocab
                    .drug_class_of(&treatment)
                    .or_else(|| self.vocab.drug_class_of(&topics))
            })
            .flatten()
            .map(str::to_string);

        let mut regions = self.vocab.regions_in(&treatment);
        for citation in &guidelines {
            regions.extend(
                self.vocab
                    .guidelines
                    .regions_of_facet(&citation.facet)
                    .iter()
                    .cloned(),
            );
        }
        if regions.is_empty() {
            regions = summary_regions.to_vec();
        }
        Item {
            index,
            treatment,
            decision: raw.decision,
            category,
            drug_class,
            body_regions: self.in_vocabulary_order(regions),
            guidelines,
            // Family modules join their texts with `join_lines`, which folds them.
            rationale: raw.rationale,
        }
    }

    fn in_vocabulary_order(&self, regions: Vec<String>) -> Vec<String> {
        let known = self.vocab.region_slugs();
        let mut ordered: Vec<String> = known
            .iter()
            .filter(|slug| regions.contains(slug))
            .cloned()
            .collect();
        for region in regions {
            if !ordered.contains(&region) {
                ordered.push(region);
            }
        }
        ordered
    }
}

/// Drops a citation that repeats an earlier one of the same party and path.
fn dedupe_citations(citations: &mut Vec<Citation>) {
    let mut seen: Vec<(CitedBy, String)> = Vec::new();
    citations.retain(|c| {
        let key = (c.cited_by, c.facet.clone());
        let fresh = !seen.contains(&key);
        seen.push(key);
        fresh
    });
}

/// `headings` are those of [`FAMILY_HEADINGS`].
fn detect_family(doc: &Document, headings: &HeadingSet, vocab: &Vocabulary) -> Family {
    let found = headings.find(doc);
    let families: Vec<Family> = found.iter().map(|h| FAMILY_HEADINGS[h.spec].1).collect();
    for family in [
        Family::ProfessionalReview,
        Family::CaseSummary,
        Family::Notice,
    ] {
        if families.contains(&family) {
            return family;
        }
    }
    if case_summary::has_outcome_lines(doc, &vocab.forms) {
        return Family::CaseSummary;
    }
    Family::Unknown
}

fn unknown_layout(doc: &Document) -> FamilyParse {
    let rest = doc.text_of(0..doc.lines.len());
    let looks_like_imr = rest.contains("Independent Medical Review") || rest.contains("IMR");
    let reason = if looks_like_imr {
        "unknown layout: it mentions Independent Medical Review, but none of the headings 'IMR ISSUES, DECISIONS AND RATIONALES', 'IMR DECISION(S) AND RATIONALE(S)', 'MEDICAL PROFESSIONAL REVIEW' nor any '<item>: Upheld/Overturned' line was found, so its text is kept whole and not split into items"
    } else {
        "not an IMR letter: none of the headings 'IMR ISSUES, DECISIONS AND RATIONALES', 'IMR DECISION(S) AND RATIONALE(S)', 'MEDICAL PROFESSIONAL REVIEW' nor any '<item>: Upheld/Overturned' line was found"
    };
    FamilyParse {
        rest,
        warnings: vec![reason.to_string()],
        ..FamilyParse::default()
    }
}

/// The text of the sections between `headings`: for heading `i`, its rest and the
/// lines up to the next heading (or `end`).
fn section_text(
    doc: &Document,
    headings: &[sections::FoundHeading],
    i: usize,
    end: usize,
) -> String {
    let heading = &headings[i];
    let stop = headings
        .get(i + 1)
        .map_or(end, |h| h.line)
        .max(heading.next_line);
    let body = doc.lines[heading.next_line.min(stop)..stop]
        .iter()
        .map(|l| l.text.as_ref());
    crate::text::join_lines(std::iter::once(heading.rest.as_str()).chain(body))
}

/// Joins the lines of `doc` not covered by `taken` (sorted, non-overlapping ranges).
fn lines_outside(doc: &Document, taken: &[std::ops::Range<usize>]) -> String {
    let mut kept = Vec::new();
    let mut next = 0;
    for range in taken {
        kept.extend(
            doc.lines[next.min(range.start)..range.start]
                .iter()
                .map(|l| l.text.as_ref()),
        );
        next = next.max(range.end);
    }
    kept.extend(
        doc.lines[next.min(doc.lines.len())..]
            .iter()
            .map(|l| l.text.as_ref()),
    );
    crate::text::join_lines(kept)
}

/// Strips list numbering (the forms' numberings, and bullets) and a trailing colon
/// from an item name.
fn tidy_treatment(name: &str, forms: &LetterForms) -> String {
    static BULLET: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(r"^\s*(?:[\-*]|•)\s+"));
    let name = fold_whitespace(name);
    let name = match forms.numbering(&name) {
        Some((_, after)) => &name[after..],
        None => &name[BULLET.find(&name).map_or(0, |m| m.end())..],
    };
    name.trim().trim_end_matches(':').trim().to_string()
}
