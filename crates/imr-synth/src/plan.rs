//! Choosing what a letter says, recorded as its truth.

use fastrand::Rng;

use super::day::Day;
use super::tables::{
    DrugClass, Region, Treatment, DRUG_CLASSES, FINDINGS, MECHANISMS, OCCUPATIONS, OTHER_SOURCES,
    REGIONS, SPECIALTIES, SUBSPECIALTIES, SYLLABLES, TREATMENTS,
};
use super::variants;
use imr_search::model::{
    Citation, CitedBy, Dates, Decision, Family, GuidelineSource, Item, Letter, Patient, Priority,
    Reviewer, Sex,
};

/// The regions' slugs in the order records list them.
const REGION_ORDER: &[&str] = &[
    "head",
    "eye",
    "neck",
    "upper-back",
    "low-back",
    "shoulder",
    "elbow",
    "wrist-hand",
    "hip",
    "knee",
    "ankle-foot",
    "upper-extremity",
    "lower-extremity",
    "chest",
    "abdomen",
    "psyche",
];

fn ordered(regions: impl IntoIterator<Item = &'static str>) -> Vec<String> {
    let set: Vec<&str> = regions.into_iter().collect();
    REGION_ORDER
        .iter()
        .filter(|slug| set.contains(slug))
        .map(|slug| slug.to_string())
        .collect()
}

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

fn pick_ref<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn weighted<'a, T>(rng: &mut Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut at = rng.u32(..total);
    for item in items {
        if at < weight(item) {
            return item;
        }
        at -= weight(item);
    }
    &items[items.len() - 1]
}

/// A made-up word from syllables: names of drugs, clinics and people that differ
/// from letter to letter.
pub fn coined(rng: &mut Rng, syllables: usize) -> String {
    let mut word: String = (0..syllables).map(|_| pick(rng, SYLLABLES)).collect();
    if let Some(first) = word.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    word
}

/// Plans letter `n`; with `vary`, its wording is drawn from [`crate::variants`].
pub fn plan_letter(rng: &mut Rng, n: u64, vary: bool) -> Letter {
    let family = match rng.u8(..100) {
        0..=79 => Family::CaseSummary,
        80..=87 => Family::Notice,
        _ => Family::ProfessionalReview,
    };
    let decision_day = match family {
        Family::Notice => Day::random(rng, 2013..=2013),
        Family::ProfessionalReview => Day::random(rng, 2016..=2024),
        _ => Day::random(rng, 2013..=2019),
    };
    let injury = Day::random(rng, decision_day.year - 12..=decision_day.year - 1);
    let ur_denial = Day::random(rng, decision_day.year - 1..=decision_day.year - 1);
    let received = ur_denial.after(rng.u32(5..40));
    let assigned = received.after(rng.u32(3..20));
    let has_header = family != Family::CaseSummary || rng.u8(..100) < 85;
    let case_number = format!("CM{:02}-{:07}", decision_day.year % 100, n % 10_000_000);
    let dates = match (family, has_header) {
        (_, false) => Dates {
            injury: Some(injury.iso()),
            ..Dates::default()
        },
        (Family::CaseSummary, true) => Dates {
            decision: Some(decision_day.iso()),
            assigned: Some(assigned.iso()),
            injury: Some(injury.iso()),
            ur_denial: Some(ur_denial.iso()),
            application_received: Some(received.iso()),
        },
        (Family::Notice, true) => Dates {
            decision: Some(decision_day.iso()),
            injury: Some(injury.iso()),
            ur_denial: Some(ur_denial.iso()),
            application_received: Some(received.iso()),
            assigned: None,
        },
        _ => Dates {
            decision: Some(decision_day.iso()),
            injury: Some(injury.iso()),
            ..Dates::default()
        },
    };
    let priority = has_header.then(|| {
        if rng.u8(..10) == 0 {
            Priority::Expedited
        } else {
            Priority::Standard
        }
    });
    let mut reviewer = Reviewer {
        specialty: Some(pick(rng, SPECIALTIES).1.to_string()),
        subspecialty: (rng.u8(..5) == 0).then(|| pick(rng, SUBSPECIALTIES).to_string()),
        licensed_in: Some("California".to_string()),
    };
    if vary && rng.u8(..100) < 15 {
        reviewer.specialty = Some(pick(rng, variants::PROFESSIONS).1.to_string());
        reviewer.subspecialty = None;
    }
    let patient = Patient {
        age: Some(rng.u32(22..=72)),
        sex: Some(if rng.bool() { Sex::Male } else { Sex::Female }),
    };

    let mut complaint_regions: Vec<&'static Region> = Vec::new();
    for _ in 0..rng.usize(1..=3) {
        let region = pick_ref(rng, REGIONS);
        if !complaint_regions.iter().any(|r| r.slug == region.slug) {
            complaint_regions.push(region);
        }
    }
    let summary = summary(rng, &patient, injury, &complaint_regions, vary);
    let summary_regions = ordered(complaint_regions.iter().map(|r| r.slug));

    let item_count = match family {
        Family::ProfessionalReview => 1,
        Family::Notice => rng.usize(1..=3),
        _ => pick(rng, &[1, 1, 2, 2, 2, 3, 3, 3, 4, 5]),
    };
    let items: Vec<Item> = (0..item_count)
        .map(|index| {
            item(
                rng,
                family,
                index,
                (&complaint_regions, &summary_regions),
                vary,
            )
        })
        .collect();
    let mut letter_regions: Vec<&'static str> = Vec::new();
    for region in summary_regions
        .iter()
        .chain(items.iter().flat_map(|i| &i.body_regions))
    {
        if let Some(slug) = REGION_ORDER.iter().find(|s| **s == region) {
            letter_regions.push(slug);
        }
    }

    Letter {
        source: String::new(),
        family,
        case_number: has_header.then_some(case_number),
        dates,
        priority,
        reviewer,
        patient,
        body_regions: ordered(letter_regions),
        summary,
        items,
        warnings: Vec::new(),
        rest: String::new(),
    }
}

fn pronoun(patient: &Patient) -> (&'static str, &'static str) {
    match patient.sex {
        Some(Sex::Female) => ("She", "Her"),
        _ => ("He", "His"),
    }
}

fn summary(
    rng: &mut Rng,
    patient: &Patient,
    injury: Day,
    regions: &[&'static Region],
    vary: bool,
) -> String {
    let written = |rng: &mut Rng, day: Day| {
        if vary {
            variants::date(rng, day)
        } else {
            day.written(rng)
        }
    };
    let (he, his) = pronoun(patient);
    let she = he.to_lowercase();
    let female = patient.sex == Some(Sex::Female);
    let age = patient.age.unwrap_or(40);
    let person = match (rng.u8(..3), female) {
        (0, false) => format!("{age}-year-old male {}", pick(rng, OCCUPATIONS)),
        (0, true) => format!("{age}-year-old female {}", pick(rng, OCCUPATIONS)),
        (1, false) => format!(
            "{age} year old man employed as a {}",
            pick(rng, OCCUPATIONS)
        ),
        (1, true) => format!(
            "{age} year old woman employed as a {}",
            pick(rng, OCCUPATIONS)
        ),
        (_, false) => format!("{age} year old male {}", pick(rng, OCCUPATIONS)),
        (_, true) => format!("{age} year old female {}", pick(rng, OCCUPATIONS)),
    };
    let complaints: Vec<&str> = regions.iter().map(|r| pick(rng, r.complaints)).collect();
    let mut text = format!(
        "This is a {person} who sustained an industrial injury on {} from {}. {he} has {}.",
        written(rng, injury),
        pick(rng, MECHANISMS),
        join_and(&complaints),
    );
    let exam = injury.after(rng.u32(200..900));
    text += &format!(
        " Examination on {} showed {}, {} and {}, with pain rated {}/10.",
        written(rng, exam),
        pick(rng, FINDINGS),
        pick(rng, FINDINGS),
        pick(rng, FINDINGS),
        rng.u8(3..=9),
    );
    let class = pick_ref(rng, DRUG_CLASSES);
    text +=
        &format!(
        " Current medications include {} {}mg and {} {}mg, and a trial of {} was stopped for {}.",
        pick(rng, class.drugs),
        5 * rng.u32(1..=60),
        coined(rng, 3),
        5 * rng.u32(1..=40),
        coined(rng, 3),
        pick(rng, &["nausea", "dizziness", "lack of benefit", "drowsiness", "a rash"]),
    );
    let imaged = pick(rng, regions);
    let site = pick(rng, imaged.sites);
    let imaged_on = exam.after(rng.u32(10..200));
    let imaged_on = written(rng, imaged_on);
    text += &format!(
        " An MRI {site} dated {imaged_on} was read by Dr. {} as showing {} changes.",
        coined(rng, 2),
        pick(
            rng,
            &[
                "mild degenerative",
                "moderate",
                "post-traumatic",
                "chronic",
                "nonspecific"
            ]
        ),
    );
    text += &format!(
        " {his} treating physician at the {} clinic reports that {she} has completed {} sessions of therapy with {} benefit and is working {}.",
        coined(rng, 2),
        rng.u8(4..=24),
        pick(rng, &["temporary", "little", "some", "no lasting"]),
        pick(rng, &["modified duty", "full duty", "no duty", "part time"]),
    );
    if vary && rng.u8(..100) < 40 {
        let sentence = variants::incidental_sentence(rng)
            .replace("{He}", he)
            .replace("{he}", &she)
            .replace("{his}", &his.to_lowercase());
        text += " ";
        text += &sentence;
    }
    text
}

fn join_and(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What a reader records of a citation: who cited what, where.
struct Cited<'a> {
    by: CitedBy,
    source: GuidelineSource,
    document: &'a str,
    chapter: Option<String>,
    topic: Option<&'a str>,
    pages: Option<&'a str>,
}

impl Cited<'_> {
    /// The record of this citation, written as `raw`, found under `facet`.
    fn record(self, facet: String, raw: String) -> Citation {
        Citation {
            cited_by: self.by,
            source: self.source,
            document: Some(self.document.to_string()),
            chapter: self.chapter,
            topic: self.topic.map(str::to_string),
            pages: self.pages.filter(|p| !p.is_empty()).map(str::to_string),
            facet,
            raw,
        }
    }
}

/// Where an item's citations point: a chapter for its region, or a Chronic Pain topic.
enum Basis {
    Chapter(&'static Region, &'static str),
    Topic(&'static str, &'static str, &'static str),
    Consultations,
}

fn acoem(by: CitedBy, family: Family, number: u8, title: &str, pages: &str) -> Citation {
    let raw = match family {
        Family::Notice => format!(
            "ACOEM Practice Guidelines, 2nd Edition (2004), Chapter {number}, {title}, page {pages}, which is part of the MTUS"
        ),
        _ => format!("MTUS ACOEM Chapter {number} {title} Page(s): {pages}"),
    };
    let chapter = format!("Chapter {number} {title}");
    let facet = format!("/MTUS/ACOEM/{chapter}");
    Cited {
        by,
        source: GuidelineSource::Mtus,
        document: "ACOEM",
        chapter: Some(chapter),
        topic: None,
        pages: Some(pages),
    }
    .record(facet, raw)
}

fn chronic_pain(by: CitedBy, family: Family, topic: &str, pages: &str) -> Citation {
    let document = "Chronic Pain Medical Treatment Guidelines";
    let raw = match (family, pages.is_empty()) {
        (Family::Notice, false) => {
            format!("MTUS {document}, {topic}, pages {pages}, which is part of the MTUS")
        }
        (Family::Notice, true) => format!("MTUS {document}, {topic}, which is part of the MTUS"),
        (Family::ProfessionalReview, _) => format!("MTUS {document}, {topic}"),
        (_, false) => format!("MTUS {document} {topic} Page(s): {pages}"),
        (_, true) => format!("MTUS {document} {topic}"),
    };
    let pages = (!pages.is_empty() && family != Family::ProfessionalReview).then_some(pages);
    Cited {
        by,
        source: GuidelineSource::Mtus,
        document,
        chapter: None,
        topic: Some(topic),
        pages,
    }
    .record(format!("/MTUS/{document}/{topic}"), raw)
}

/// An ODG citation of `topic`: as written and by its canonical name.
fn odg(by: CitedBy, family: Family, chapter: &str, topic: (&str, &str)) -> Citation {
    let (written, canonical) = topic;
    let raw = match family {
        Family::CaseSummary => format!(
            "Non-MTUS Citation Official Disability Guidelines (ODG) {chapter} Chapter, {written}"
        ),
        _ => format!("Official Disability Guidelines (ODG), {chapter} Chapter, {written}"),
    };
    Cited {
        by,
        source: GuidelineSource::Odg,
        document: "Official Disability Guidelines",
        chapter: Some(chapter.to_string()),
        topic: Some(canonical),
        pages: None,
    }
    .record(format!("/ODG/{chapter}/{canonical}"), raw)
}

fn other(by: CitedBy, written: &str, name: &str) -> Citation {
    Cited {
        by,
        source: GuidelineSource::Other,
        document: name,
        chapter: None,
        topic: None,
        pages: None,
    }
    .record(
        format!("/Other/{name}"),
        format!("Non-MTUS Citation {written}"),
    )
}

/// The ODG topic for a category's treatments: as letters write it, and its
/// canonical name in the ODG's table of contents.
fn odg_topic(category: &str) -> (&'static str, &'static str) {
    const TOPICS: &[(&str, &str, &str)] = &[
        (
            "diagnostic-imaging",
            "MRIs (magnetic resonance imaging)",
            "MRIs (magnetic resonance imaging)",
        ),
        (
            "electrodiagnostic",
            "EMG and NCS",
            "Electrodiagnostic studies (EDS)",
        ),
        ("physical-medicine", "Physical therapy", "Physical therapy"),
        (
            "injection",
            "Epidural steroid injections (ESIs)",
            "Epidural steroid injections (ESIs)",
        ),
        ("surgery", "Surgery", "Indications for surgery"),
    ];
    TOPICS.iter().find(|(c, _, _)| *c == category).map_or(
        ("Office visits", "Office visits"),
        |(_, written, canonical)| (written, canonical),
    )
}

fn cite(
    rng: &mut Rng,
    by: CitedBy,
    family: Family,
    basis: &Basis,
    category: &str,
) -> Vec<Citation> {
    let mut cited = match basis {
        Basis::Chapter(region, pages) => match region.acoem {
            Some((number, title)) => vec![acoem(by, family, number, title, pages)],
            None => vec![odg(by, family, region.odg, odg_topic(category))],
        },
        Basis::Topic(topic, pages, _) => vec![chronic_pain(by, family, topic, pages)],
        Basis::Consultations => vec![acoem(
            by,
            family,
            7,
            "Independent Medical Examinations and Consultations",
            "127",
        )],
    };
    if by == CitedBy::Reviewer && family != Family::ProfessionalReview {
        if rng.u8(..100) < 40 {
            match basis {
                Basis::Chapter(region, _) if region.acoem.is_some() => {
                    cited.push(odg(by, family, region.odg, odg_topic(category)))
                }
                Basis::Topic(_, _, odg_topic) if !odg_topic.is_empty() => {
                    cited.push(odg(by, family, "Pain (Chronic)", (odg_topic, odg_topic)))
                }
                _ => {}
            }
        }
        if family == Family::CaseSummary && rng.u8(..100) < 6 {
            let (written, name) = pick(rng, OTHER_SOURCES);
            cited.push(other(by, written, name));
        }
    }
    cited
}

fn item(
    rng: &mut Rng,
    family: Family,
    index: usize,
    (complaint_regions, summary_regions): (&[&'static Region], &[String]),
    vary: bool,
) -> Item {
    let drug = rng.u8(..100) < 45;
    let mut inherent_regions: &[&str] = &[];
    let (treatment, category, drug_class, basis, overturn_rate, sited_region) = if drug {
        let class: &DrugClass = weighted(rng, DRUG_CLASSES, |c| c.weight);
        let mut name = format!(
            "{} {}mg #{}",
            pick(rng, class.drugs),
            pick(
                rng,
                &[2, 5, 10, 20, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 800]
            ),
            pick(rng, &[10, 15, 30, 60, 90, 120, 180]),
        );
        if rng.u8(..10) == 0 {
            name = format!("Retrospective request for {name}");
        }
        if rng.u8(..10) == 0 {
            name += &format!(
                " (DOS: {}/{}/{})",
                rng.u8(1..=12),
                rng.u8(1..=28),
                rng.u8(13..=19)
            );
        }
        let basis = Basis::Topic(class.topic, class.pages, class.odg_topic);
        (
            name,
            "pharmaceutical",
            Some(class.slug),
            basis,
            class.overturn_rate,
            None,
        )
    } else {
        let kind: &Treatment = weighted(rng, TREATMENTS, |t| t.weight);
        inherent_regions = kind.regions;
        let region = pick(rng, complaint_regions);
        let pattern = pick(rng, kind.patterns);
        let name = pattern
            .replace("{site}", pick(rng, region.sites))
            .replace("{n}", &rng.u8(2..=24).to_string());
        let basis = if kind.sited {
            Basis::Chapter(
                region,
                pick(
                    rng,
                    &["303", "174-175", "207-209", "343", "46", "33", "268-270"],
                ),
            )
        } else if let Some(topic) = kind.topics.first() {
            Basis::Topic(
                topic,
                pick(rng, &["114-116", "49", "30-34", "98-99", "23", "51"]),
                "",
            )
        } else {
            Basis::Consultations
        };
        (
            name,
            kind.category,
            None,
            basis,
            kind.overturn_rate,
            kind.sited.then_some(region),
        )
    };
    let decision = if rng.f64() < overturn_rate {
        Decision::Overturned
    } else {
        Decision::Upheld
    };
    let mut guidelines = Vec::new();
    if family != Family::ProfessionalReview && rng.u8(..100) >= 25 {
        guidelines.extend(cite(
            rng,
            CitedBy::ClaimsAdministrator,
            family,
            &basis,
            category,
        ));
    }
    guidelines.extend(cite(rng, CitedBy::Reviewer, family, &basis, category));
    dedupe(&mut guidelines);
    if vary {
        for citation in &mut guidelines {
            paraphrase(rng, citation, family);
        }
    }

    let body_regions = match sited_region {
        _ if !inherent_regions.is_empty() => ordered(inherent_regions.iter().copied()),
        Some(region) => ordered(std::iter::once(region.slug).chain(match basis {
            Basis::Chapter(r, _) => r.chapter_regions.iter().copied(),
            _ => [].iter().copied(),
        })),
        None => summary_regions.to_vec(),
    };
    let rationale = rationale(rng, family, &treatment, category, decision, vary);
    Item {
        index,
        treatment,
        decision: Some(decision),
        category: category.to_string(),
        drug_class: drug_class.map(str::to_string),
        body_regions,
        guidelines,
        rationale,
    }
}

/// Rewrites a citation's text in one of the ways other letters word it; what it
/// cites stays.
fn paraphrase(rng: &mut Rng, citation: &mut Citation, family: Family) {
    let pages = citation.pages.clone().unwrap_or_default();
    let raw = match (citation.source, citation.document.as_deref()) {
        (GuidelineSource::Mtus, Some("ACOEM")) => {
            let Some((number, title)) = citation
                .chapter
                .as_deref()
                .and_then(|c| c.strip_prefix("Chapter "))
                .and_then(|c| c.split_once(' '))
                .filter(|_| !pages.is_empty())
            else {
                return;
            };
            variants::acoem_form(rng)
                .replace("{pages}", &pages)
                .replace("{n}", number)
                .replace("{title}", title)
        }
        (GuidelineSource::Mtus, Some(_)) => {
            let Some(topic) = citation.topic.as_deref() else {
                return;
            };
            let form = variants::chronic_pain_form(rng);
            let written = variants::topic_as_written(rng, topic);
            if pages.is_empty() {
                format!("MTUS Chronic Pain Medical Treatment Guidelines, {written}")
            } else {
                form.replace("{pages}", &pages).replace("{topic}", &written)
            }
        }
        (GuidelineSource::Odg, _) => {
            let (Some(chapter), Some(topic)) =
                (citation.chapter.as_deref(), citation.topic.as_deref())
            else {
                return;
            };
            let written = variants::topic_as_written(rng, topic);
            variants::odg_form(rng)
                .replace("{chapter}", chapter)
                .replace("{topic}", &written)
        }
        _ => return,
    };
    citation.raw = match (family, citation.source) {
        (Family::CaseSummary, GuidelineSource::Odg) if rng.bool() => {
            format!("Non-MTUS Citation {raw}")
        }
        _ => raw,
    };
}

/// A citation repeated by the same party is one citation.
fn dedupe(citations: &mut Vec<Citation>) {
    let mut seen = std::collections::HashSet::new();
    citations.retain(|c| seen.insert((c.cited_by, c.facet.clone(), c.pages.clone())));
}

fn rationale(
    rng: &mut Rng,
    family: Family,
    treatment: &str,
    category: &str,
    decision: Decision,
    vary: bool,
) -> String {
    let upheld = decision == Decision::Upheld;
    let mut text = String::new();
    text += pick(
        rng,
        &[
            "The guidelines support this treatment when there is documented functional improvement and a clear plan with measurable goals.",
            "The cited guidelines recommend this only after a failure of conservative care and with objective findings that correlate with the complaints.",
            "Guideline criteria call for a specific clinical indication, a documented response to prior treatment and a defined duration.",
            "Evidence-based guidelines state that continued treatment depends on objective gains in function and a reduction in medication use.",
        ],
    );
    text += &format!(
        " The records from {} through {} describe {}, {} and pain of {}/10.",
        pick(
            rng,
            &["January", "March", "May", "July", "September", "November"]
        ),
        pick(
            rng,
            &["February", "April", "June", "August", "October", "December"]
        ),
        pick(rng, FINDINGS),
        pick(rng, FINDINGS),
        rng.u8(3..=9),
    );
    if upheld {
        text += pick(
            rng,
            &[
                " The documentation does not show functional improvement from prior treatment, and no specific goals are given.",
                " There is no objective evidence of a change in condition since the last evaluation, and the quantity requested exceeds what is recommended.",
                " The submitted reports do not explain why further treatment is expected to help when the prior course gave no lasting benefit.",
            ],
        );
    } else {
        text += pick(
            rng,
            &[
                " The reports document a measurable improvement with the prior course and objective findings that meet the criteria.",
                " Conservative care has failed, the findings correlate with the imaging, and the request stays within the recommended limits.",
                " The treating physician gives specific goals and a plan for monitoring, as the guidelines require.",
            ],
        );
    }
    text += &format!(
        " Dr. {} noted on {}/{}/{} that the {} {} was {}.",
        coined(rng, 3),
        rng.u8(1..=12),
        rng.u8(1..=28),
        rng.u16(2012..=2024),
        pick(rng, &["patient", "injured worker", "claimant"]),
        pick(rng, &["progress", "response", "status", "tolerance"]),
        pick(rng, &["unchanged", "improved", "worse", "variable"]),
    );
    if vary {
        if rng.u8(..100) < 30 {
            text += " ";
            text += variants::reported_finding(rng);
        }
        text += " ";
        text += variants::conclusion(rng, upheld);
        return text;
    }
    let not = if upheld { "not " } else { "" };
    let subject = category.replace('-', " ");
    text += &match family {
        Family::CaseSummary => format!(" Therefore, this request is {not}medically necessary."),
        Family::Notice => {
            format!(
                " The request for {} is {not}medically necessary and appropriate.",
                lowercase_first(treatment)
            )
        }
        _ => format!(" The requested {subject} is {not}medically necessary."),
    };
    text
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first)
            if !text.starts_with("MRI")
                && !text.starts_with("EMG")
                && !text.starts_with("NCV")
                && !text.starts_with("CT ")
                && !text.starts_with("TENS") =>
        {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    }
}
