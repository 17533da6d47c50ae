//! Paraphrase (`--vary`): the ways letters by other reviewers, in other years,
//! word what the plain generator writes one way: section headings, item labels,
//! item numbering and outcome separators, date formats, how a reviewer's specialty
//! is stated, how citations and conclusions are worded, and sentences of a case
//! summary that name a body part without its being injured.
//!
//! These lists are written apart from the parser's vocabularies in `schema/` and
//! are not read from them, so that accuracy on varied letters measures how far the
//! parser generalises, not whether it agrees with itself.

use fastrand::Rng;

use crate::day::Day;

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// Headings of a case-summary letter's sections.
pub struct CaseSummaryHeadings {
    pub how_made: &'static str,
    pub summary: &'static str,
    pub issues: &'static str,
}

impl CaseSummaryHeadings {
    pub fn plain() -> CaseSummaryHeadings {
        CaseSummaryHeadings {
            how_made: "HOW THE IMR FINAL DETERMINATION WAS MADE",
            summary: "CLINICAL CASE SUMMARY",
            issues: "IMR ISSUES, DECISIONS AND RATIONALES",
        }
    }

    pub fn varied(rng: &mut Rng) -> CaseSummaryHeadings {
        CaseSummaryHeadings {
            how_made: pick(
                rng,
                &[
                    "HOW THE IMR FINAL DETERMINATION WAS MADE",
                    "HOW THE FINAL DETERMINATION WAS MADE",
                    "How the IMR Final Determination Was Made",
                ],
            ),
            summary: pick(
                rng,
                &["CLINICAL CASE SUMMARY", "CLINICAL SUMMARY", "CASE SUMMARY"],
            ),
            issues: pick(
                rng,
                &[
                    "IMR ISSUES, DECISIONS AND RATIONALES",
                    "IMR ISSUES, DECISIONS, AND RATIONALES",
                    "ISSUES, DECISIONS AND RATIONALES",
                    "IMR ISSUES AND DECISIONS",
                ],
            ),
        }
    }
}

/// The labels inside an item: the claims administrator's citations, the
/// reviewer's, the rationale.
pub struct ItemLabels {
    pub claims: &'static str,
    pub reviewer: &'static str,
    pub rationale: &'static str,
}

impl ItemLabels {
    pub fn case_summary(rng: &mut Rng) -> ItemLabels {
        ItemLabels {
            claims: pick(
                rng,
                &[
                    "Claims Administrator guideline:",
                    "Claims Administrator's guideline:",
                    "Guideline(s) cited by the Claims Administrator:",
                    "Claims Administrator Guideline(s) Cited:",
                ],
            ),
            reviewer: pick(
                rng,
                &[
                    "MAXIMUS guideline:",
                    "MAXIMUS guideline(s):",
                    "Expert Reviewer's guideline:",
                    "Guidelines relied upon by the Expert Reviewer:",
                    "Expert Reviewer guideline(s) relied upon:",
                ],
            ),
            rationale: pick(
                rng,
                &[
                    "Decision rationale:",
                    "The Expert Reviewer's decision rationale:",
                    "Rationale for the decision:",
                    "Reviewer's rationale:",
                    "Expert Reviewer's Rationale:",
                    "Reason for the decision:",
                ],
            ),
        }
    }

    pub fn notice(rng: &mut Rng) -> ItemLabels {
        ItemLabels {
            claims: pick(
                rng,
                &[
                    "Medical Treatment Guideline(s) Used by the Claims Administrator:",
                    "Guideline(s) Used by the Claims Administrator:",
                    "Claims Administrator's Guidelines:",
                ],
            ),
            reviewer: pick(
                rng,
                &[
                    "Medical Treatment Guideline(s) Used by the Expert Reviewer:",
                    "Expert Reviewer's Guidelines Relied Upon:",
                    "Guidelines Used by the Expert Reviewer:",
                ],
            ),
            rationale: pick(
                rng,
                &[
                    "Rationale Used by the Expert Reviewer:",
                    "The Expert Reviewer's Rationale:",
                    "Reasons for the Decision:",
                    "Rationale for the Decision:",
                ],
            ),
        }
    }
}

/// How items are numbered: `{n}` is the item's place, from 1.
pub fn case_summary_numbering(rng: &mut Rng) -> &'static str {
    pick(
        rng,
        &["", "", "{n}. ", "{n}) ", "({n}) ", "Item {n}: ", "#{n} "],
    )
}

/// How a notice letter numbers its items.
pub fn notice_numbering(rng: &mut Rng) -> &'static str {
    pick(
        rng,
        &["{n}) ", "{n}. ", "Item {n}: ", "({n}) ", "Issue {n}: "],
    )
}

/// What stands between an item's name and its outcome word.
pub fn outcome_separator(rng: &mut Rng) -> &'static str {
    pick(rng, &[":  ", ":  ", ": ", " - ", " -- ", " \u{2014} "])
}

/// A date written as one of the forms letters use.
pub fn date(rng: &mut Rng, day: Day) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const SHORT: [&str; 12] = [
        "Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sept.", "Oct.", "Nov.",
        "Dec.",
    ];
    let month = (day.month - 1) as usize;
    match rng.u8(..7) {
        0 => format!("{:02}/{:02}/{}", day.month, day.day, day.year),
        1 => format!("{}/{}/{}", day.month, day.day, day.year),
        2 => format!("{:02}-{:02}-{}", day.month, day.day, day.year),
        3 => format!("{:02}/{:02}/{:02}", day.month, day.day, day.year % 100),
        4 => format!("{} {}, {}", MONTHS[month], day.day, day.year),
        5 => format!("{} {}, {}", SHORT[month], day.day, day.year),
        _ => format!("{} {} {}", day.day, MONTHS[month], day.year),
    }
}

/// Reviewers who are not physicians: how a letter names their profession, and
/// the specialty a record gives them.
pub const PROFESSIONS: &[(&str, &str)] = &[
    ("a Doctor of Chiropractic", "Chiropractic"),
    ("a licensed chiropractor", "Chiropractic"),
    ("a Licensed Psychologist", "Psychology"),
    ("a clinical psychologist", "Psychology"),
    ("a Doctor of Podiatric Medicine", "Podiatry"),
    ("a licensed acupuncturist", "Acupuncture"),
    ("a dentist", "Dentistry"),
    ("a Doctor of Optometry", "Optometry"),
];

/// The specialties of [`PROFESSIONS`] as a certification line writes them.
pub fn certified_as(canonical: &str) -> &'static str {
    match canonical {
        "Chiropractic" => "Chiropractic",
        "Psychology" => "Clinical Psychology",
        "Podiatry" => "Podiatric Surgery",
        "Acupuncture" => "Acupuncture",
        "Dentistry" => "Dentistry",
        "Optometry" => "Optometry",
        _ => "Family Medicine",
    }
}

/// How a reviewer's qualifications are stated: `written` is the specialty as the
/// letter spells it, `profession` the phrase for a reviewer who is not a physician.
pub fn qualifications(
    rng: &mut Rng,
    written: &str,
    subspecialty: Option<&str>,
    profession: Option<&str>,
) -> String {
    if let Some(profession) = profession.filter(|_| rng.bool()) {
        return format!(
            "The expert reviewer is {profession} and is licensed to practice in California."
        );
    }
    let certification = match subspecialty {
        Some(sub) => format!("{written}, {sub}"),
        None => written.to_string(),
    };
    match (rng.u8(..3), subspecialty) {
        (0, _) => format!(
            "The expert reviewer is licensed to practice in California.\nState(s) of Licensure: California\nCertification(s)/Specialty: {certification}\n"
        ),
        (1, Some(sub)) => format!(
            "The expert reviewer holds a board certification in {written} with a subspecialty in {sub}, and is licensed to practice in California."
        ),
        (1, None) => format!(
            "The expert reviewer is Board-certified in {written} and is licensed to practice in California."
        ),
        (_, Some(sub)) => format!(
            "The expert reviewer is Board Certified in {written}, has a subspecialty in {sub} and is licensed to practice in California."
        ),
        (_, None) => format!(
            "The expert reviewer is Board Certified in {written} and is licensed to practice in California."
        ),
    }
}

/// A reviewer's conclusion, worded one of the ways reviewers word it. `request`
/// names what was asked for ("the request for lumbar MRI").
pub fn conclusion(rng: &mut Rng, upheld: bool) -> &'static str {
    if upheld {
        pick(
            rng,
            &[
                "Therefore, this request is not medically necessary.",
                "The request is not medically necessary.",
                "Medical necessity for the requested treatment has not been established.",
                "As such, the request is not medically necessary.",
                "Accordingly, the requested treatment is not medically necessary at this time.",
                "Thus, the request is not supported and is not medically necessary.",
            ],
        )
    } else {
        pick(
            rng,
            &[
                "Therefore, this request is medically necessary.",
                "The request is medically necessary.",
                "Medical necessity for the requested treatment has been established.",
                "As such, the request is medically necessary.",
                "Accordingly, the requested treatment is medically necessary and appropriate.",
            ],
        )
    }
}

/// A sentence reporting an earlier finding, which decides nothing.
pub fn reported_finding(rng: &mut Rng) -> &'static str {
    pick(
        rng,
        &[
            "The utilization review determination found the request not medically necessary.",
            "The prior reviewer noncertified the request, finding it not medically necessary.",
            "Utilization review modified the request, stating that it was not medically necessary as written.",
        ],
    )
}

/// A sentence of a case summary that names a body part, or a mood, that is not
/// injured: `{he}`, `{his}` are the patient's pronouns.
pub fn incidental_sentence(rng: &mut Rng) -> &'static str {
    pick(
        rng,
        &[
            "{He} mentioned that {he} turned {his} head while driving to the visit and felt a brief dizziness, which passed.",
            "A history of depression, treated by {his} primary care physician, is noted.",
            "{He} injured {his} hand years ago playing baseball, without current symptoms.",
            "{He} denies any headaches.",
        ],
    )
}

/// How a citation of an ACOEM chapter is written: `{n}`, `{title}`, `{pages}`.
pub fn acoem_form(rng: &mut Rng) -> &'static str {
    pick(
        rng,
        &[
            "MTUS ACOEM Chapter {n} {title} Page(s): {pages}",
            "ACOEM Practice Guidelines, 2nd Edition (2004), Chapter {n}, {title}, pages {pages}",
            "MTUS/ACOEM, Chapter {n} ({title}), p. {pages}",
            "ACOEM Guidelines Chapter {n}, {title}, pp. {pages}",
            "CA MTUS ACOEM {title}, Chapter {n}, page {pages}",
        ],
    )
}

/// How a citation of the Chronic Pain guidelines is written: `{topic}`, `{pages}`.
pub fn chronic_pain_form(rng: &mut Rng) -> &'static str {
    pick(
        rng,
        &[
            "MTUS Chronic Pain Medical Treatment Guidelines {topic} Page(s): {pages}",
            "MTUS Chronic Pain Medical Treatment Guidelines, {topic}, pages {pages}",
            "CA MTUS Chronic Pain Guidelines: {topic}, page {pages}",
            "California MTUS (2009) Chronic Pain Medical Treatment Guidelines, section on {topic}, pp. {pages}",
        ],
    )
}

/// How an ODG citation is written: `{chapter}`, `{topic}`.
pub fn odg_form(rng: &mut Rng) -> &'static str {
    pick(
        rng,
        &[
            "Official Disability Guidelines (ODG), {chapter} Chapter, {topic}",
            "ODG {chapter}, {topic}",
            "Official Disability Guidelines, {chapter} (updated), {topic}",
            "ODG-TWC {chapter} Procedure Summary, {topic}",
        ],
    )
}

/// Ways letters write a guideline topic, by its canonical name.
pub fn topic_as_written(rng: &mut Rng, canonical: &str) -> String {
    let forms: &[&str] = match canonical {
        "MRIs (magnetic resonance imaging)" => &[
            "MRIs (magnetic resonance imaging)",
            "MRI",
            "Magnetic resonance imaging (MRI)",
        ],
        "Electrodiagnostic studies (EDS)" => &[
            "EMG and NCS",
            "EMG/NCS",
            "Electrodiagnostic testing (EMG/NCS)",
            "EMG/NCV",
        ],
        "Physical therapy" => &["Physical therapy", "Physical therapy (PT)"],
        "Epidural steroid injections (ESIs)" => &[
            "Epidural steroid injections (ESIs)",
            "ESIs",
            "Epidural steroid injection (ESI)",
        ],
        "Indications for surgery" => &["Surgery", "Indications for surgery"],
        "Office visits" => &["Office visits", "Office visit"],
        "Opioids" => &["Opioids", "Opioid"],
        "NSAIDs (non-steroidal anti-inflammatory drugs)" => &[
            "NSAIDs (non-steroidal anti-inflammatory drugs)",
            "NSAIDs",
            "Non-steroidal anti-inflammatory drugs",
        ],
        "Muscle relaxants (for pain)" => &["Muscle relaxants (for pain)", "Muscle relaxants"],
        "Antiepilepsy drugs (AEDs)" => {
            &["Antiepilepsy drugs (AEDs)", "Anti-epilepsy drugs", "AEDs"]
        }
        "Antidepressants for chronic pain" => {
            &["Antidepressants for chronic pain", "Antidepressants"]
        }
        "Insomnia treatment" => &["Insomnia treatment", "Insomnia"],
        "NSAIDs, GI symptoms & cardiovascular risk" => &[
            "NSAIDs, GI symptoms & cardiovascular risk",
            "NSAIDs, GI symptoms and cardiovascular risk",
        ],
        "Topical Analgesics" => &["Topical Analgesics", "Topical analgesics"],
        "Physical Medicine" => &["Physical Medicine", "Physical medicine guidelines"],
        "TENS, chronic pain (transcutaneous electrical nerve stimulation)" => &[
            "TENS, chronic pain (transcutaneous electrical nerve stimulation)",
            "TENS",
            "Transcutaneous electrical nerve stimulation (TENS)",
        ],
        "Drug testing" => &["Drug testing", "Urine drug testing"],
        "Functional restoration programs (FRPs)" => &[
            "Functional restoration programs (FRPs)",
            "Functional restoration programs",
        ],
        "Behavioral interventions" => &["Behavioral interventions", "Behavioural interventions"],
        "Home health services" => &["Home health services", "Home health"],
        _ => &[],
    };
    if forms.is_empty() {
        canonical.to_string()
    } else {
        pick(rng, forms).to_string()
    }
}

/// Headings of a professional review's sections, each with its colon.
pub struct ReviewHeadings {
    pub issue: &'static str,
    pub summary: &'static str,
    pub documents: &'static str,
    pub guidelines: &'static str,
    pub rationale: &'static str,
    pub qualifications: &'static str,
}

impl ReviewHeadings {
    pub fn plain() -> ReviewHeadings {
        ReviewHeadings {
            issue: "ISSUE AT DISPUTE:",
            summary: "CASE SUMMARY:",
            documents: "DOCUMENTS REVIEWED FOR DETERMINATION:",
            guidelines:
                "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:",
            rationale:
                "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:",
            qualifications: "MEDICAL REVIEWER QUALIFICATIONS:",
        }
    }

    pub fn varied(rng: &mut Rng) -> ReviewHeadings {
        ReviewHeadings {
            issue: pick(
                rng,
                &[
                    "ISSUE AT DISPUTE:",
                    "ISSUE(S) AT DISPUTE:",
                    "ISSUE IN DISPUTE:",
                    "DISPUTED ISSUE:",
                ],
            ),
            summary: pick(rng, &["CASE SUMMARY:", "CLINICAL CASE SUMMARY:", "CLINICAL SUMMARY:"]),
            documents: pick(
                rng,
                &[
                    "DOCUMENTS REVIEWED FOR DETERMINATION:",
                    "DOCUMENTS REVIEWED:",
                    "RECORDS REVIEWED:",
                ],
            ),
            guidelines: pick(
                rng,
                &[
                    "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:",
                    "MEDICAL TREATMENT GUIDELINES RELIED UPON BY THE PROFESSIONAL REVIEWER, AND WHY:",
                    "GUIDELINES RELIED UPON:",
                ],
            ),
            rationale: pick(
                rng,
                &[
                    "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:",
                    "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS OR IS NOT MEDICALLY NECESSARY:",
                    "RATIONALE FOR THE DECISION:",
                ],
            ),
            qualifications: pick(
                rng,
                &[
                    "MEDICAL REVIEWER QUALIFICATIONS:",
                    "REVIEWER QUALIFICATIONS:",
                    "QUALIFICATIONS OF THE REVIEWER:",
                ],
            ),
        }
    }
}
