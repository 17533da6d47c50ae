//! Letters written by hand in wordings the generator never uses
//! (`tests/fixtures/variants/letters/`), one test per class of fault that letters
//! by other reviewers showed: a longer rationale label, prose read as citations,
//! citation lists split wrong, dates in other forms, specialties outside the
//! board-certified sentence, regions from incidental words, and items numbered or
//! headed another way, decided only by their conclusion. Each letter's whole
//! record is also compared in `fixture_records`.

use imr_search::model::{CitedBy, Decision, Family, Letter};
use imr_search::{Parser, Vocabulary};

use crate::util::{parse_fixture, variant_fixtures};

fn variant(name: &str) -> Letter {
    parse_fixture(&variant_fixtures().join(name))
}

fn parse_text(text: &str) -> Letter {
    Parser::new(Vocabulary::embedded()).parse_bytes("inline.txt", text.as_bytes())
}

fn facets(letter: &Letter) -> Vec<Vec<String>> {
    letter
        .items
        .iter()
        .map(|i| i.guidelines.iter().map(|c| c.facet.clone()).collect())
        .collect()
}

#[test]
fn a_rationale_under_a_longer_label_is_found() {
    let letter = variant("long_labels_dashed_dates.txt");
    assert_eq!(letter.items.len(), 2);
    for item in &letter.items {
        assert!(
            item.rationale.starts_with("The ") && item.rationale.ends_with("medically necessary."),
            "{:?}",
            item.rationale
        );
    }
    assert!(
        letter.warnings.is_empty(),
        "no label was missed: {:?}",
        letter.warnings
    );
}

#[test]
fn prose_that_names_a_guideline_is_no_citation() {
    let letter = variant("long_labels_dashed_dates.txt");
    let all: Vec<String> = facets(&letter).concat();
    // The rationale says "The ODG likewise recommends MRI of the knee when plain
    // radiographs are nondiagnostic" and "but not knee arthroplasty itself": none
    // of it is a citation.
    assert_eq!(
        facets(&letter)[0],
        [
            "/MTUS/ACOEM/Chapter 13 Knee Complaints",
            "/MTUS/ACOEM/Chapter 13 Knee Complaints",
            "/ODG/Knee & Leg/Meniscectomy"
        ]
    );
    assert!(all
        .iter()
        .all(|f| !f.contains("when") && !f.contains("itself")));

    // Prose on a citation line itself names no topic: the citation stops at its
    // chapter.
    let letter = parse_text(
        "IMR ISSUES, DECISIONS AND RATIONALES\n\nKnee MRI:  Upheld\n\nMAXIMUS guideline: Decision based on Non-MTUS Citation ODG Knee & Leg, when plain radiographs are nondiagnostic and internal derangement is suspected.\n\nDecision rationale: Not supported. The request is not medically necessary.\n",
    );
    assert_eq!(facets(&letter), [["/ODG/Knee & Leg"]]);
    let citation = &letter.items[0].guidelines[0];
    assert_eq!(citation.topic, None);
    assert!(
        citation.raw.contains("when plain radiographs"),
        "the raw text is kept"
    );
}

#[test]
fn citation_lists_split_into_their_topics() {
    let letter = variant("item_numbering_and_dates.txt");
    // "Drug testing, , and Opioids, steps to avoid misuse/addiction": two topics,
    // no empty one.
    let drug_screen = &letter.items[1];
    let claims: Vec<(&str, Option<&str>)> = drug_screen
        .guidelines
        .iter()
        .filter(|c| c.cited_by == CitedBy::ClaimsAdministrator)
        .map(|c| (c.facet.as_str(), c.pages.as_deref()))
        .collect();
    assert_eq!(
        claims,
        [
            ("/MTUS/Chronic Pain Medical Treatment Guidelines/Drug testing", None),
            (
                "/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids, steps to avoid misuse-addiction",
                None
            )
        ]
    );
    // Each topic keeps its own pages.
    let reviewer: Vec<(&str, Option<&str>)> = drug_screen
        .guidelines
        .iter()
        .filter(|c| c.cited_by == CitedBy::Reviewer)
        .map(|c| (c.topic.as_deref().unwrap_or(""), c.pages.as_deref()))
        .collect();
    assert_eq!(
        reviewer,
        [("Drug testing", Some("43")), ("Opioids", Some("76-80"))]
    );

    // "Chapter 10, Elbow Complaints" is chapter 10, whatever the next citation.
    let letter = parse_text(
        "IMR ISSUES, DECISIONS AND RATIONALES\n\nElbow MRI:  Upheld\n\nClaims Administrator guideline: Decision based on MTUS ACOEM Practice Guidelines, Chapter 10, Elbow Complaints, pages 22-24; ACOEM Chapter 11 Forearm, Wrist, and Hand Complaints, page 270.\n\nDecision rationale: The request is not medically necessary.\n",
    );
    assert_eq!(
        facets(&letter),
        [[
            "/MTUS/ACOEM/Chapter 10 Elbow Disorders",
            "/MTUS/ACOEM/Chapter 11 Forearm, Wrist, and Hand Complaints"
        ]]
    );
}

#[test]
fn dates_in_other_forms_are_read() {
    let letter = variant("long_labels_dashed_dates.txt");
    assert_eq!(letter.dates.assigned.as_deref(), Some("2016-03-14"));
    assert_eq!(letter.dates.injury.as_deref(), Some("2014-06-11"));
    assert_eq!(
        letter.dates.decision.as_deref(),
        Some("2016-04-22"),
        "MM/DD/YY"
    );
    let letter = variant("item_numbering_and_dates.txt");
    assert_eq!(
        letter.dates.decision.as_deref(),
        Some("2014-01-05"),
        "Jan. 5, 2014"
    );
    assert_eq!(
        letter.dates.injury.as_deref(),
        Some("2011-03-05"),
        "5 March 2011"
    );
    assert_eq!(
        letter.dates.application_received.as_deref(),
        Some("2013-12-02"),
        "December 2, 2013"
    );

    // A date no calendar has is refused, and said.
    let letter = parse_text("Case Number: CM14-0000001\nDecision Date: 02/30/2014\nDate of Injury: 13-01-2012\n\nIMR ISSUES, DECISIONS AND RATIONALES\n\nMRI:  Upheld\n");
    assert_eq!(letter.dates.decision, None);
    assert_eq!(letter.dates.injury, None);
    let said: Vec<&String> = letter
        .warnings
        .iter()
        .filter(|w| w.contains("not a date"))
        .collect();
    assert_eq!(said.len(), 2, "{:?}", letter.warnings);
    assert!(said[0].contains("02/30/2014"), "{said:?}");
}

#[test]
fn specialties_outside_the_board_certified_sentence() {
    let cases = [
        ("long_labels_dashed_dates.txt", "Chiropractic"), // Certification(s)/Specialty: Chiropractic
        ("professional_review_headings.txt", "Chiropractic"), // a Doctor of Chiropractic
        ("item_numbering_and_dates.txt", "Psychology"),   // a Licensed Psychologist
        ("reworded_sections.txt", "Podiatry"),            // Board Certified in Podiatric Surgery
    ];
    for (name, specialty) in cases {
        let letter = variant(name);
        assert_eq!(
            letter.reviewer.specialty.as_deref(),
            Some(specialty),
            "{name}"
        );
        assert_eq!(
            letter.reviewer.licensed_in.as_deref(),
            Some("California"),
            "{name}"
        );
    }
    // A specialty the vocabulary does not know is kept as written.
    let letter = parse_text("MEDICAL PROFESSIONAL REVIEW\n\nISSUE AT DISPUTE: Hyperbaric oxygen\n\nRATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY: The request is not medically necessary.\n\nMEDICAL REVIEWER QUALIFICATIONS: Certification(s)/Specialty: Undersea and Hyperbaric Medicine\n");
    assert_eq!(
        letter.reviewer.specialty.as_deref(),
        Some("Undersea and Hyperbaric Medicine")
    );
}

#[test]
fn regions_come_from_what_is_injured_not_every_word() {
    // A head turned while driving, a history of depression: the knee is injured.
    assert_eq!(
        variant("long_labels_dashed_dates.txt").body_regions,
        ["knee"]
    );
    // Headaches and anxiety mentioned in passing: the low back is injured.
    assert_eq!(
        variant("professional_review_headings.txt").body_regions,
        ["low-back"]
    );
    // A hand injured years ago: the foot is injured now.
    assert_eq!(
        variant("reworded_sections.txt").body_regions,
        ["ankle-foot"]
    );
    // A depressive disorder diagnosed as part of the claim is a region.
    let notice = variant("item_numbering_and_dates.txt");
    assert!(notice.body_regions.contains(&"psyche".to_string()));
}

#[test]
fn items_numbered_and_headed_another_way_are_found_and_decided() {
    // Sections worded a little differently, items numbered, an outcome after a
    // dash, and an item whose line states no outcome: its conclusion decides it.
    let letter = variant("reworded_sections.txt");
    assert_eq!(letter.family, Family::CaseSummary);
    let items: Vec<(&str, Option<Decision>)> = letter
        .items
        .iter()
        .map(|i| (i.treatment.as_str(), i.decision))
        .collect();
    assert_eq!(
        items,
        [
            ("Custom orthotics for the left foot", Some(Decision::Upheld)),
            (
                "Extracorporeal shockwave therapy, left foot, 3 sessions",
                Some(Decision::Overturned)
            )
        ]
    );
    // "Item 1:" numbering of a notice letter, and "ISSUE(S) AT DISPUTE" of a
    // professional review.
    let notice = variant("item_numbering_and_dates.txt");
    assert_eq!(notice.items.len(), 2);
    assert_eq!(
        notice.items[0].treatment,
        "12 sessions of cognitive behavioral therapy"
    );
    let review = variant("professional_review_headings.txt");
    assert_eq!(review.items.len(), 1);
    assert_eq!(review.items[0].decision, Some(Decision::Overturned));
}

#[test]
fn a_quoted_finding_does_not_decide_and_disagreement_is_said() {
    // Both notice items quote utilization review's "not medically necessary"; the
    // second concludes the opposite.
    let notice = variant("item_numbering_and_dates.txt");
    let decisions: Vec<Option<Decision>> = notice.items.iter().map(|i| i.decision).collect();
    assert_eq!(
        decisions,
        [Some(Decision::Upheld), Some(Decision::Overturned)]
    );
    // A rationale whose only statement is a quoted finding decides nothing.
    let letter = parse_text("IMR ISSUES, DECISIONS AND RATIONALES\n\n1. Lumbar MRI\n\nClaims Administrator guideline: Decision based on MTUS ACOEM Chapter 12.\n\nDecision rationale: The prior reviewer found the MRI not medically necessary. Red flags are documented.\n");
    assert_eq!(letter.items.len(), 1);
    assert_eq!(letter.items[0].decision, None);
    assert!(
        letter
            .warnings
            .iter()
            .any(|w| w.contains("states no outcome")),
        "{:?}",
        letter.warnings
    );
    // An item line and a conclusion that disagree: the line's outcome, and a
    // warning.
    let letter = parse_text("IMR ISSUES, DECISIONS AND RATIONALES\n\nLumbar MRI:  Upheld\n\nClaims Administrator guideline: Decision based on MTUS ACOEM Chapter 12.\n\nDecision rationale: Red flags are documented. The request is medically necessary.\n");
    assert_eq!(letter.items[0].decision, Some(Decision::Upheld));
    assert!(
        letter
            .warnings
            .iter()
            .any(|w| w.contains("says upheld, but its rationale concludes overturned")),
        "{:?}",
        letter.warnings
    );
}
