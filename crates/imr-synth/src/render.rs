//! Writing a planned letter out in its family's layout, with the verbatim
//! boilerplate real letters repeat, wrapped the way PDF extraction wraps it.

use fastrand::Rng;

use super::day::Day;
use super::plan::coined;
use super::tables::SPECIALTIES;
use super::variants::{self, CaseSummaryHeadings, ItemLabels, ReviewHeadings};
use imr_search::model::{Citation, CitedBy, Decision, Family, Item, Letter, Priority};

/// Lines are wrapped at about this many columns, as extracted PDF text is.
const WIDTH: usize = 95;

/// Wraps `text` at spaces into lines of at most [`WIDTH`] columns (a longer word
/// stands alone).
pub fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / WIDTH + 1);
    let mut line_len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if line_len > 0 && line_len + 1 + word.len() > WIDTH {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.len();
    }
    out
}

fn us_date(iso: &Option<String>) -> String {
    match iso {
        Some(iso) if iso.len() == 10 => format!("{}/{}/{}", &iso[5..7], &iso[8..10], &iso[..4]),
        _ => String::new(),
    }
}

/// A date as this letter writes it: `MM/DD/YYYY`, or with `vary` any form letters use.
fn written_date(rng: &mut Rng, iso: &Option<String>, vary: bool) -> String {
    match iso.as_deref().and_then(Day::from_iso) {
        Some(day) if vary => variants::date(rng, day),
        _ => us_date(iso),
    }
}

fn priority(letter: &Letter) -> &'static str {
    match letter.priority {
        Some(Priority::Expedited) => "Expedited",
        _ => "Standard",
    }
}

/// The reviewer's board certification as this letter spells it.
fn written_specialty(rng: &mut Rng, letter: &Letter) -> &'static str {
    let canonical = letter
        .reviewer
        .specialty
        .as_deref()
        .unwrap_or("Family Medicine");
    let spellings: Vec<&'static str> = SPECIALTIES
        .iter()
        .filter(|(_, name)| *name == canonical)
        .map(|(written, _)| *written)
        .collect();
    if spellings.is_empty() {
        variants::certified_as(canonical)
    } else {
        spellings[rng.usize(..spellings.len())]
    }
}

fn qualification_sentence(rng: &mut Rng, letter: &Letter, vary: bool) -> String {
    let specialty = written_specialty(rng, letter);
    if vary {
        return varied_qualifications(rng, letter, specialty);
    }
    match &letter.reviewer.subspecialty {
        Some(sub) => format!(
            "The expert reviewer is Board Certified in {specialty}, has a subspecialty in {sub} and is licensed to practice in California."
        ),
        None => format!(
            "The expert reviewer is Board Certified in {specialty} and is licensed to practice in California."
        ),
    }
}

/// The reviewer's qualifications in one of the ways letters state them.
fn varied_qualifications(rng: &mut Rng, letter: &Letter, specialty: &str) -> String {
    let canonical = letter.reviewer.specialty.as_deref().unwrap_or_default();
    let professions: Vec<&str> = variants::PROFESSIONS
        .iter()
        .filter(|(_, name)| *name == canonical)
        .map(|(phrase, _)| *phrase)
        .collect();
    let profession = (!professions.is_empty()).then(|| professions[rng.usize(..professions.len())]);
    variants::qualifications(
        rng,
        specialty,
        letter.reviewer.subspecialty.as_deref(),
        profession,
    )
}

const SELECTION: &str = "MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no affiliation with the employer, employee, providers or the claims administrator.";
const EXPERIENCE: &str = "He/she has been in active clinical practice for more than five years and is currently working at least 24 hours a week in active practice. The expert reviewer was selected based on his/her clinical experience, education, background, and expertise in the same or similar specialties that evaluate and/or treat the medical condition and disputed items/services. He/she is familiar with governing laws and regulations, including the strength of evidence hierarchy that applies to Independent Medical Review determinations.";

/// The text of a letter, before any damage.
pub fn render(rng: &mut Rng, letter: &Letter, vary: bool) -> String {
    match letter.family {
        Family::Notice => notice(rng, letter, vary),
        Family::ProfessionalReview => professional_review(rng, letter, vary),
        _ => case_summary(rng, letter, vary),
    }
}

fn how_it_was_made(rng: &mut Rng, letter: &Letter, heading: &str, vary: bool) -> String {
    format!(
        "{heading}\n\n{}\n\n",
        wrap(&format!(
            "{SELECTION} {} {EXPERIENCE}",
            qualification_sentence(rng, letter, vary)
        ))
    )
}

fn citations_of(item: &Item, by: CitedBy) -> Vec<&Citation> {
    item.guidelines
        .iter()
        .filter(|c| c.cited_by == by)
        .collect()
}

fn outcome_word(rng: &mut Rng, decision: Option<Decision>) -> &'static str {
    let upheld = decision == Some(Decision::Upheld);
    match (upheld, rng.u8(..10)) {
        (true, 0) => "UPHELD",
        (true, 1) => "upheld",
        (true, _) => "Upheld",
        (false, 0) => "OVERTURNED",
        (false, 1) => "overturned",
        (false, _) => "Overturned",
    }
}

fn case_summary(rng: &mut Rng, letter: &Letter, vary: bool) -> String {
    let mut out = String::with_capacity(6000);
    if let Some(case) = &letter.case_number {
        out += &format!(
            "Case Number:  {case}  Date Assigned:  {}\nDate of Injury:  {}  Decision Date:  {}\nUR Denial Date:  {}  Priority:  {}\nApplication Received:  {}\n\n",
            written_date(rng, &letter.dates.assigned, vary),
            written_date(rng, &letter.dates.injury, vary),
            written_date(rng, &letter.dates.decision, vary),
            written_date(rng, &letter.dates.ur_denial, vary),
            priority(letter),
            written_date(rng, &letter.dates.application_received, vary),
        );
    }
    let (headings, labels, numbering, separator) = if vary {
        (
            CaseSummaryHeadings::varied(rng),
            ItemLabels::case_summary(rng),
            variants::case_summary_numbering(rng),
            variants::outcome_separator(rng),
        )
    } else {
        (
            CaseSummaryHeadings::plain(),
            ItemLabels {
                claims: "Claims Administrator guideline:",
                reviewer: "MAXIMUS guideline:",
                rationale: "Decision rationale:",
            },
            "",
            ":  ",
        )
    };
    out += &how_it_was_made(rng, letter, headings.how_made, vary);
    out += headings.summary;
    out += "\n\n";
    out += &wrap("The expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:");
    out += "\n\n";
    out += &wrap(&letter.summary);
    out += "\n\n";
    out += headings.issues;
    out += "\n\n";
    out += &wrap("The Final Determination was based on decisions for the disputed items/services set forth below:");
    out += "\n\n";
    for (n, item) in letter.items.iter().enumerate() {
        let number = numbering.replace("{n}", &(n + 1).to_string());
        // The outcome word stays on the item's last line, its separator's spaces
        // kept. Some letters state the outcome only in the rationale.
        let heading = if vary && rng.u8(..100) < 15 {
            format!("{number}{}", item.treatment)
        } else {
            format!(
                "{number}{}{}{}",
                item.treatment,
                separator.replace(' ', "\u{1}"),
                outcome_word(rng, item.decision)
            )
        };
        out += &wrap(&heading).replace('\u{1}', " ");
        out += "\n\n";
        let claims = citations_of(item, CitedBy::ClaimsAdministrator);
        out += &wrap(&if claims.is_empty() {
            format!(
                "{} The Claims Administrator did not cite any medical evidence for its decision.",
                labels.claims
            )
        } else {
            format!("{} {}", labels.claims, decision_based(&claims))
        });
        out += "\n\n";
        out += &wrap(&format!(
            "{} {}",
            labels.reviewer,
            decision_based(&citations_of(item, CitedBy::Reviewer))
        ));
        out += "\n\n";
        out += &wrap(&format!("{} {}", labels.rationale, item.rationale));
        out += "\n\n";
    }
    out
}

fn decision_based(citations: &[&Citation]) -> String {
    citations
        .iter()
        .map(|c| format!("Decision based on {}.", c.raw))
        .collect::<Vec<_>>()
        .join(" ")
}

fn notice(rng: &mut Rng, letter: &Letter, vary: bool) -> String {
    let mut out = String::with_capacity(7000);
    out += "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nP.O. Box 138009\nSacramento, CA 95813-8009\nFax: (916) 605-4270\n\n";
    out += "Notice of Independent Medical Review Determination\n\n";
    out += &format!(
        "Dated: {}\n\n",
        written_date(rng, &letter.dates.decision, vary)
    );
    out += &format!(
        "IMR Case Number:  {}  Date of Injury:  {}\nUR Denial Date:  {}  Priority:  {}\nApplication Received:  {}\nEmployee:  [redacted]\nClaims Number:  [redacted]\n\n",
        letter.case_number.as_deref().unwrap_or(""),
        written_date(rng, &letter.dates.injury, vary),
        written_date(rng, &letter.dates.ur_denial, vary),
        priority(letter),
        written_date(rng, &letter.dates.application_received, vary),
    );
    out += &format!(
        "Dear {} [redacted],\n\n",
        if rng.bool() { "Mr." } else { "Ms." }
    );
    out += &wrap("MAXIMUS Federal Services has completed the Independent Medical Review (IMR) of the above workers' compensation case. This letter provides you with the IMR Final Determination and explains how the determination was made.");
    let overturned = letter
        .items
        .iter()
        .filter(|i| i.decision == Some(Decision::Overturned))
        .count();
    let (word, meaning) = match overturned {
        0 => (
            "UPHOLD",
            "none of the disputed items/services are medically necessary and appropriate",
        ),
        n if n == letter.items.len() => (
            "OVERTURN",
            "the disputed items/services are medically necessary and appropriate",
        ),
        _ => (
            "OVERTURN IN PART",
            "some of the disputed items/services are medically necessary and appropriate",
        ),
    };
    out += "\n\n";
    out += &wrap(&format!("Final Determination: {word}. This means we decided that {meaning}. A full explanation of our decision is attached."));
    out += "\n\nSincerely,\nPaul Manchester, MD\nChief Medical Officer\n\n";
    out += &how_it_was_made(
        rng,
        letter,
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        vary,
    );
    out += &format!(
        "DOCUMENTS REVIEWED\n\n- Application of Independent Medical Review\n- Utilization Review Determination dated {}\n- Medical records from the {} Medical Group\n\n",
        us_date(&letter.dates.ur_denial),
        coined(rng, 2),
    );
    out += "CLINICAL CASE SUMMARY\n\n";
    out += &wrap(&letter.summary);
    out += "\n\nIMR DECISION(S) AND RATIONALE(S)\n\n";
    let (labels, numbering) = if vary {
        (ItemLabels::notice(rng), variants::notice_numbering(rng))
    } else {
        (
            ItemLabels {
                claims: "Medical Treatment Guideline(s) Used by the Claims Administrator:",
                reviewer: "Medical Treatment Guideline(s) Used by the Expert Reviewer:",
                rationale: "Rationale Used by the Expert Reviewer:",
            },
            "{n}) ",
        )
    };
    for (n, item) in letter.items.iter().enumerate() {
        let number = numbering.replace("{n}", &(n + 1).to_string());
        let regarding = if vary && rng.u8(..100) < 30 {
            ""
        } else {
            "Regarding the request for "
        };
        out += &wrap(&format!("{number}{regarding}{}:", item.treatment));
        out += "\n\n";
        out += labels.claims;
        out += "\n";
        let claims = citations_of(item, CitedBy::ClaimsAdministrator);
        out += &wrap(&if claims.is_empty() {
            "The Claims Administrator did not cite any evidence-based guidelines for its decision."
                .to_string()
        } else {
            format!(
                "The Claims Administrator based its decision on the {}.",
                joined_raw(&claims)
            )
        });
        out += "\n\n";
        out += labels.reviewer;
        out += "\n";
        out += &wrap(&format!(
            "The Expert Reviewer based his/her decision on the {}.",
            joined_raw(&citations_of(item, CitedBy::Reviewer))
        ));
        out += "\n\n";
        out += labels.rationale;
        out += "\n";
        out += &wrap(&item.rationale);
        out += "\n\n";
    }
    out
}

fn joined_raw(citations: &[&Citation]) -> String {
    citations
        .iter()
        .map(|c| c.raw.as_str())
        .collect::<Vec<_>>()
        .join(", and the ")
}

fn professional_review(rng: &mut Rng, letter: &Letter, vary: bool) -> String {
    let mut out = String::with_capacity(5000);
    out += "MEDICAL PROFESSIONAL REVIEW\n\n";
    out += &format!(
        "Case Number: {}\nDate of Injury: {}\nDecision Date: {}\nPriority: {}\n\n",
        letter.case_number.as_deref().unwrap_or(""),
        written_date(rng, &letter.dates.injury, vary),
        written_date(rng, &letter.dates.decision, vary),
        priority(letter),
    );
    let headings = if vary {
        ReviewHeadings::varied(rng)
    } else {
        ReviewHeadings::plain()
    };
    let Some(item) = letter.items.first() else {
        return out;
    };
    out += &wrap(&format!(
        "{} Is the requested {} medically necessary?",
        headings.issue, item.treatment
    ));
    out += "\n\n";
    out += &wrap(&format!("{} {}", headings.summary, letter.summary));
    out += "\n\n";
    out += &wrap(&format!(
        "{} Utilization review determination dated {}; progress notes from the {} clinic.",
        headings.documents,
        us_date(&letter.dates.ur_denial),
        coined(rng, 2),
    ));
    out += "\n\n";
    out += &wrap(&format!(
        "{} The reviewer relied on the {}, because it addresses the requested treatment.",
        headings.guidelines,
        joined_raw(&citations_of(item, CitedBy::Reviewer))
    ));
    out += "\n\n";
    out += &wrap(&format!("{} {}", headings.rationale, item.rationale));
    out += "\n\n";
    let specialty = written_specialty(rng, letter);
    let qualification = match &letter.reviewer.subspecialty {
        _ if vary => varied_qualifications(rng, letter, specialty),
        Some(sub) => format!("The physician reviewer is board certified in {specialty} with a subspecialty in {sub}, and is licensed to practice in California."),
        None => format!("The physician reviewer is board certified in {specialty}, and is licensed to practice in California."),
    };
    out += &wrap(&format!("{} {qualification}", headings.qualifications));
    out += "\n";
    out
}
