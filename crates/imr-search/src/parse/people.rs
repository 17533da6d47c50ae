//! Who decided and about whom: the reviewer's qualifications and the patient's age
//! and sex.

use std::sync::LazyLock;

use crate::text::Pattern;

use crate::model::{Patient, Reviewer, Sex};
use crate::vocab::Vocabulary;

// The reviewer's qualifications are looked for in the rest of the letter when it
// has no paragraph of them, and the patient's age in the whole case summary: long
// texts, so these patterns keep their prefilter.
static CERTIFIED_IN: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\bboard[ -]certifi(?:ed|cation)\s+(?:in|as\s+an?|by\s+the\s+american\s+board\s+of)\s+",
    )
});

static SUBSPECIALTY_IN: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::scanning(r"(?i)\bsub-?specialty\s+(?:certification\s+)?in\s+"));

/// "is a Doctor of Chiropractic", "as a licensed psychologist": the specialty is
/// the vocabulary's name that follows.
static PROFESSION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\b(?:is|as)\s+an?\s+(?:(?:licensed|practicing|practising|board[ -]certified|certified|registered)\s+)*",
    )
});

/// "specializes in Psychiatry", "practices Chiropractic": a specialty after.
static SPECIALIZES_IN: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\b(?:speciali[sz](?:es|ing|ed)\s+in|practices|practicing|licensed\s+in\s+the\s+practice\s+of)\s+",
    )
});

static SPECIALTY_LABEL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\bcertifications?(?:\s*\(s\))?\s*/\s*specialt(?:y|ies)(?:\s*\(ies\))?\s*:\s*([\x00-\x39\x3B-\x7F]{2,120}?)\s*(?:\bstate|\bthe\b|\bhe\b|\bshe\b|\bthis\b|\bmaximus\b|[.;]|$)",
    )
});

static LICENSED_IN: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\blicensed\s+(?:to\s+practice\s+)?in\s+(?:the\s+state\s+of\s+)?(?-i:([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))",
    )
});

static LICENSURE_LABEL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\bstates?(?:\s*\(s\))?\s+of\s+licensure\s*:\s*([A-Za-z][A-Za-z ,]{1,80}?)\s*(?:\bcertification|[.;]|$)",
    )
});

/// A specialty written without a known alias: capitalised words, "and" between them.
static SPECIALTY_WORDS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^[A-Z][A-Za-z'/-]*(?:\s+(?:and\s+|&\s+|of\s+)?[A-Z][A-Za-z'/-]*){0,4}")
});

static AGE_SEX: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\b([0-9]{1,3})[- ]?(?:years?|yrs?|y/o)(?:[- ]old)?\b(?:[\x00-\x2D\x2F-\x3A\x3C-\x7F]{0,40}?\b(male|female|man|woman|gentleman|lady|boy|girl)\b)?",
    )
});

/// The reviewer's qualifications, from the text that describes them.
pub fn read_reviewer(text: &str, vocab: &Vocabulary) -> Reviewer {
    let mut reviewer = Reviewer::default();
    let labelled = text.contains("pecialt");
    if let Some(c) = labelled.then(|| SPECIALTY_LABEL.captures(text)).flatten() {
        let mut named = c[1]
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty());
        reviewer.specialty = named.next().map(|s| vocab.canonical_specialty(s));
        reviewer.subspecialty = named.next().map(|s| vocab.canonical_specialty(s));
    }
    if reviewer.specialty.is_none() {
        reviewer.specialty = specialty_after(&CERTIFIED_IN, text, vocab)
            .or_else(|| known_specialty_after(&PROFESSION, text, vocab))
            .or_else(|| known_specialty_after(&SPECIALIZES_IN, text, vocab));
    }
    if reviewer.subspecialty.is_none() {
        reviewer.subspecialty = specialty_after(&SUBSPECIALTY_IN, text, vocab);
    }
    let labelled_licence = text.contains("icensure");
    reviewer.licensed_in = labelled_licence
        .then(|| LICENSURE_LABEL.captures(text))
        .flatten()
        .or_else(|| LICENSED_IN.captures(text))
        .map(|c| c[1].trim().to_string());
    reviewer
}

fn specialty_after(lead: &Pattern, text: &str, vocab: &Vocabulary) -> Option<String> {
    let after = &text[lead.find(text)?.end()..];
    if let Some(known) = vocab.specialty_at_start(after) {
        return Some(known.to_string());
    }
    let words = SPECIALTY_WORDS.find(after)?.as_str();
    let words = words
        .split(" and is")
        .next()
        .unwrap_or(words)
        .trim_end_matches(" and")
        .trim();
    (!words.is_empty()).then(|| words.to_string())
}

/// The first specialty the vocabulary knows right after a match of `lead`.
fn known_specialty_after(lead: &Pattern, text: &str, vocab: &Vocabulary) -> Option<String> {
    lead.find_iter(text)
        .find_map(|m| vocab.specialty_at_start(&text[m.end()..]))
        .map(str::to_string)
}

/// The patient's age and sex as the case summary first states them.
pub fn read_patient(summary: &str) -> Patient {
    let Some(c) = AGE_SEX.captures(summary) else {
        return Patient::default();
    };
    let age = c[1].parse().ok().filter(|a| (10..=110).contains(a));
    let sex = c
        .get(2)
        .map(|word| match word.as_str().to_lowercase().as_str() {
            "male" | "man" | "gentleman" | "boy" => Sex::Male,
            _ => Sex::Female,
        });
    Patient { age, sex }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_qualifications() {
        let vocab = Vocabulary::embedded();
        let r = read_reviewer("The expert reviewer is Board Certified in Physical Medicine and Rehabilitation, has a subspecialty in Pain Medicine and is licensed to practice in California.", &vocab);
        assert_eq!(
            r.specialty.as_deref(),
            Some("Physical Medicine and Rehabilitation")
        );
        assert_eq!(r.subspecialty.as_deref(), Some("Pain Medicine"));
        assert_eq!(r.licensed_in.as_deref(), Some("California"));
    }

    #[test]
    fn labelled_qualifications() {
        let vocab = Vocabulary::embedded();
        let r = read_reviewer(
            "State(s) of Licensure: California Certification(s)/Specialty: Orthopaedic Surgery",
            &vocab,
        );
        assert_eq!(r.specialty.as_deref(), Some("Orthopedic Surgery"));
        assert_eq!(r.licensed_in.as_deref(), Some("California"));
    }

    #[test]
    fn specialties_however_written() {
        let vocab = Vocabulary::embedded();
        let specialty = |text: &str| read_reviewer(text, &vocab).specialty;
        for (text, expected) in [
            (
                "Certification(s)/Specialty: Chiropractic The expert reviewer is familiar",
                "Chiropractic",
            ),
            (
                "The reviewer is a Doctor of Chiropractic who is licensed in California and",
                "Chiropractic",
            ),
            (
                "The expert reviewer is a Licensed Psychologist and is licensed",
                "Psychology",
            ),
            (
                "is Board Certified in Podiatric Surgery and is licensed",
                "Podiatry",
            ),
            ("The reviewer is a licensed acupuncturist.", "Acupuncture"),
            ("The reviewer is a Doctor of Optometry.", "Optometry"),
            (
                "The reviewer is a dentist licensed in California.",
                "Dentistry",
            ),
            (
                "Certification(s)/Specialty: Undersea and Hyperbaric Medicine",
                "Undersea and Hyperbaric Medicine",
            ),
        ] {
            assert_eq!(specialty(text).as_deref(), Some(expected), "{text}");
        }
        let r = read_reviewer("who is licensed in California and has practised", &vocab);
        assert_eq!(r.licensed_in.as_deref(), Some("California"));
    }

    #[test]
    fn patient_age_and_sex() {
        let p = read_patient("This is a 54 year old right-hand dominant female who");
        assert_eq!((p.age, p.sex), (Some(54), Some(Sex::Female)));
        assert_eq!(read_patient("no age here"), Patient::default());
    }
}
