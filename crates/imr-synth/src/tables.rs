//! What generated letters are made of: regions with the words and guideline chapters
//! that name them, treatments by category, drugs by class, reviewers, and the filler
//! vocabulary that makes every letter's text differ.
//!
//! These tables describe the corpus, not the parser: the truth written next to each
//! letter comes from here, so a parser that reads the letters right agrees with it.

/// A body region as a generated letter names it.
pub struct Region {
    /// Its slug in the record model.
    pub slug: &'static str,
    /// Phrases naming it in a treatment ("of the lumbar spine").
    pub sites: &'static [&'static str],
    /// Phrases naming it in a case summary.
    pub complaints: &'static [&'static str],
    /// The MTUS ACOEM chapter for it, if there is one: (number, title).
    pub acoem: Option<(u8, &'static str)>,
    /// The ODG chapter for it.
    pub odg: &'static str,
    /// Every region the chapters above stand for.
    pub chapter_regions: &'static [&'static str],
}

/// Regions items are about (the upper/lower-extremity and trunk regions come only
/// through these chapters' words).
pub const REGIONS: &[Region] = &[
    Region {
        slug: "low-back",
        sites: &[
            "of the lumbar spine",
            "for the lumbar spine",
            "at L4-5 and L5-S1",
            "of the lumbosacral spine",
        ],
        complaints: &[
            "chronic low back pain",
            "lumbar disc protrusion at L5-S1",
            "lumbar spondylosis",
        ],
        acoem: Some((12, "Low Back Complaints")),
        odg: "Low Back",
        chapter_regions: &["low-back"],
    },
    Region {
        slug: "neck",
        sites: &[
            "of the cervical spine",
            "at C5-6",
            "for the cervical spine",
            "at C6-7",
        ],
        complaints: &[
            "chronic neck pain",
            "cervical radiculopathy",
            "cervical disc disease at C5-6",
        ],
        acoem: Some((8, "Neck and Upper Back Complaints")),
        odg: "Neck and Upper Back",
        chapter_regions: &["neck", "upper-back"],
    },
    Region {
        slug: "shoulder",
        sites: &[
            "of the right shoulder",
            "of the left shoulder",
            "for the shoulder",
        ],
        complaints: &[
            "right shoulder impingement",
            "a partial rotator cuff tear of the left shoulder",
            "adhesive capsulitis of the shoulder",
        ],
        acoem: Some((9, "Shoulder Complaints")),
        odg: "Shoulder",
        chapter_regions: &["shoulder"],
    },
    Region {
        slug: "knee",
        sites: &["of the right knee", "of the left knee", "for the knee"],
        complaints: &[
            "a medial meniscus tear of the right knee",
            "patellofemoral pain of the left knee",
            "knee osteoarthritis",
        ],
        acoem: Some((13, "Knee Complaints")),
        odg: "Knee & Leg",
        chapter_regions: &["knee"],
    },
    Region {
        slug: "wrist-hand",
        sites: &["of the right wrist", "of the left hand", "for the wrist"],
        complaints: &[
            "carpal tunnel syndrome on the right",
            "de Quervain's tenosynovitis of the left wrist",
            "a healed fracture of the right wrist",
        ],
        acoem: Some((11, "Forearm, Wrist, and Hand Complaints")),
        odg: "Forearm, Wrist & Hand",
        chapter_regions: &["wrist-hand"],
    },
    Region {
        slug: "ankle-foot",
        sites: &["of the right ankle", "of the left foot", "for the ankle"],
        complaints: &[
            "a right ankle sprain with instability",
            "plantar fasciitis of the left foot",
        ],
        acoem: Some((14, "Ankle and Foot Complaints")),
        odg: "Ankle & Foot",
        chapter_regions: &["ankle-foot"],
    },
    Region {
        slug: "elbow",
        sites: &["of the right elbow", "of the left elbow"],
        complaints: &[
            "lateral epicondylitis of the right elbow",
            "cubital tunnel syndrome at the left elbow",
        ],
        acoem: Some((10, "Elbow Disorders")),
        odg: "Elbow",
        chapter_regions: &["elbow"],
    },
    Region {
        slug: "hip",
        sites: &["of the right hip", "of the left hip"],
        complaints: &[
            "right hip osteoarthritis",
            "greater trochanteric bursitis of the left hip",
        ],
        acoem: None,
        odg: "Hip & Pelvis",
        chapter_regions: &["hip"],
    },
];

/// A treatment pattern of one category: `{site}` is a region phrase, `{n}` a count.
pub struct Treatment {
    pub category: &'static str,
    pub patterns: &'static [&'static str],
    /// Whether the pattern names a body region (`{site}`).
    pub sited: bool,
    /// Regions the treatment's own words name, whatever the site.
    pub regions: &'static [&'static str],
    /// Chronic Pain guideline topics cited for it, when no chapter is.
    pub topics: &'static [&'static str],
    /// Share of items of this category the reviewer overturns.
    pub overturn_rate: f64,
    /// Relative frequency among non-drug items.
    pub weight: u32,
}

pub const TREATMENTS: &[Treatment] = &[
    Treatment {
        category: "diagnostic-imaging",
        patterns: &[
            "MRI {site}",
            "Magnetic resonance imaging {site}",
            "CT scan {site}",
            "X-rays {site}",
        ],
        sited: true,
        regions: &[],
        topics: &[],
        overturn_rate: 0.10,
        weight: 12,
    },
    Treatment {
        category: "electrodiagnostic",
        patterns: &[
            "EMG {site}",
            "Nerve conduction studies {site}",
            "Electromyography {site}",
            "NCV {site}",
        ],
        sited: true,
        regions: &[],
        topics: &[],
        overturn_rate: 0.08,
        weight: 7,
    },
    Treatment {
        category: "physical-medicine",
        patterns: &[
            "Physical therapy {n} sessions {site}",
            "Chiropractic manipulation {n} visits {site}",
            "Acupuncture {n} sessions {site}",
            "Aquatic therapy {n} sessions {site}",
        ],
        sited: true,
        regions: &[],
        topics: &["Physical Medicine"],
        overturn_rate: 0.12,
        weight: 16,
    },
    Treatment {
        category: "injection",
        patterns: &[
            "Epidural steroid injection {site}",
            "Medial branch block {site}",
            "Trigger point injections {site}",
            "Cortisone injection {site}",
        ],
        sited: true,
        regions: &[],
        topics: &["Epidural steroid injections (ESIs)"],
        overturn_rate: 0.11,
        weight: 10,
    },
    Treatment {
        category: "surgery",
        patterns: &[
            "Arthroscopic surgery {site}",
            "Decompression surgery {site}",
            "Surgical repair {site}",
        ],
        sited: true,
        regions: &[],
        topics: &[],
        overturn_rate: 0.14,
        weight: 6,
    },
    Treatment {
        category: "dme",
        patterns: &[
            "TENS unit for home use",
            "Interferential unit rental for {n} days",
            "Durable medical equipment: cold therapy unit",
            "H-wave device purchase",
        ],
        sited: false,
        regions: &[],
        topics: &["TENS, chronic pain (transcutaneous electrical nerve stimulation)"],
        overturn_rate: 0.09,
        weight: 7,
    },
    Treatment {
        category: "lab-test",
        patterns: &[
            "Urine drug screen",
            "Urine drug screening x{n}",
            "Urine toxicology screen",
        ],
        sited: false,
        regions: &[],
        topics: &["Drug testing"],
        overturn_rate: 0.15,
        weight: 5,
    },
    Treatment {
        category: "evaluation-management",
        patterns: &[
            "Follow-up visit with pain management",
            "Orthopedic consultation",
            "Office visits x{n}",
            "Consultation with a pain specialist",
        ],
        sited: false,
        regions: &[],
        topics: &[],
        overturn_rate: 0.35,
        weight: 6,
    },
    Treatment {
        category: "program",
        patterns: &[
            "Functional restoration program {n} hours",
            "Work hardening program {n} sessions",
            "Weight loss program",
        ],
        sited: false,
        regions: &[],
        topics: &["Functional restoration programs (FRPs)"],
        overturn_rate: 0.30,
        weight: 3,
    },
    Treatment {
        category: "behavioral-health",
        patterns: &[
            "Cognitive behavioral therapy {n} sessions",
            "Psychotherapy {n} sessions",
            "Biofeedback {n} sessions",
        ],
        sited: false,
        regions: &["psyche"],
        topics: &["Behavioral interventions"],
        overturn_rate: 0.28,
        weight: 4,
    },
    Treatment {
        category: "home-health",
        patterns: &[
            "Home health care {n} hours per week",
            "Home health aide {n} hours per day",
        ],
        sited: false,
        regions: &[],
        topics: &["Home health services"],
        overturn_rate: 0.10,
        weight: 2,
    },
    Treatment {
        category: "transportation",
        patterns: &[
            "Transportation to and from medical appointments",
            "Medical transportation x{n}",
        ],
        sited: false,
        regions: &[],
        topics: &[],
        overturn_rate: 0.10,
        weight: 1,
    },
];

/// A drug class with the drugs that belong to it.
pub struct DrugClass {
    pub slug: &'static str,
    pub drugs: &'static [&'static str],
    /// The Chronic Pain guideline topic the reviewer cites for it.
    pub topic: &'static str,
    /// The topic of the ODG's Pain chapter cited beside it.
    pub odg_topic: &'static str,
    pub pages: &'static str,
    pub overturn_rate: f64,
    pub weight: u32,
}

pub const DRUG_CLASSES: &[DrugClass] = &[
    DrugClass {
        slug: "opioid",
        drugs: &[
            "Tramadol",
            "Tramadol ER",
            "Norco",
            "Hydrocodone/APAP",
            "Oxycodone",
            "Percocet",
            "OxyContin",
            "Tapentadol",
            "Nucynta",
            "Morphine sulfate ER",
            "Methadone",
            "Hydromorphone",
            "Ultram",
            "Ultracet",
            "Buprenorphine",
        ],
        topic: "Opioids",
        odg_topic: "Opioids",
        pages: "74-96",
        overturn_rate: 0.10,
        weight: 30,
    },
    DrugClass {
        slug: "nsaid",
        drugs: &[
            "Naproxen",
            "Naproxen sodium",
            "Ibuprofen",
            "Meloxicam",
            "Diclofenac",
            "Celecoxib",
            "Celebrex",
            "Nabumetone",
            "Etodolac",
            "Ketoprofen",
            "Anaprox DS",
            "Mobic",
        ],
        topic: "NSAIDs (non-steroidal anti-inflammatory drugs)",
        odg_topic: "NSAIDs (non-steroidal anti-inflammatory drugs)",
        pages: "67-73",
        overturn_rate: 0.18,
        weight: 14,
    },
    DrugClass {
        slug: "muscle-relaxant",
        drugs: &[
            "Cyclobenzaprine",
            "Flexeril",
            "Tizanidine",
            "Zanaflex",
            "Methocarbamol",
            "Baclofen",
            "Carisoprodol",
            "Soma",
            "Orphenadrine",
            "Metaxalone",
            "Skelaxin",
        ],
        topic: "Muscle relaxants (for pain)",
        odg_topic: "Muscle relaxants (for pain)",
        pages: "63-66",
        overturn_rate: 0.05,
        weight: 14,
    },
    DrugClass {
        slug: "anticonvulsant",
        drugs: &[
            "Gabapentin",
            "Neurontin",
            "Pregabalin",
            "Lyrica",
            "Topiramate",
            "Topamax",
        ],
        topic: "Antiepilepsy drugs (AEDs)",
        odg_topic: "Antiepilepsy drugs (AEDs)",
        pages: "16-22",
        overturn_rate: 0.16,
        weight: 8,
    },
    DrugClass {
        slug: "antidepressant",
        drugs: &[
            "Duloxetine",
            "Cymbalta",
            "Amitriptyline",
            "Nortriptyline",
            "Venlafaxine",
            "Sertraline",
        ],
        topic: "Antidepressants for chronic pain",
        odg_topic: "Antidepressants for chronic pain",
        pages: "13-16",
        overturn_rate: 0.22,
        weight: 6,
    },
    DrugClass {
        slug: "sleep-aid",
        drugs: &["Zolpidem", "Ambien", "Eszopiclone", "Lunesta", "Temazepam"],
        topic: "Medications for chronic pain",
        odg_topic: "Insomnia treatment",
        pages: "",
        overturn_rate: 0.06,
        weight: 5,
    },
    DrugClass {
        slug: "gastro-protective",
        drugs: &[
            "Omeprazole",
            "Pantoprazole",
            "Prilosec",
            "Protonix",
            "Ranitidine",
            "Lansoprazole",
        ],
        topic: "NSAIDs, GI symptoms & cardiovascular risk",
        odg_topic: "NSAIDs, GI symptoms & cardiovascular risk",
        pages: "68-69",
        overturn_rate: 0.15,
        weight: 8,
    },
    DrugClass {
        slug: "topical-compound",
        drugs: &[
            "Lidoderm patch",
            "Terocin patch",
            "Flurbiprofen/Lidocaine cream",
            "Ketoprofen/Gabapentin/Lidocaine compound cream",
            "Methoderm gel",
            "Capsaicin cream",
        ],
        topic: "Topical Analgesics",
        odg_topic: "Topical Analgesics",
        pages: "111-113",
        overturn_rate: 0.04,
        weight: 10,
    },
];

/// Board certifications: as letters write them, and as the record names them.
pub const SPECIALTIES: &[(&str, &str)] = &[
    ("Family Medicine", "Family Medicine"),
    ("Internal Medicine", "Internal Medicine"),
    ("Orthopaedic Surgery", "Orthopedic Surgery"),
    ("Orthopedic Surgery", "Orthopedic Surgery"),
    (
        "Physical Medicine and Rehabilitation",
        "Physical Medicine and Rehabilitation",
    ),
    ("Anesthesiology", "Anesthesiology"),
    ("Neurology", "Neurology"),
    ("Psychiatry", "Psychiatry"),
    ("Occupational Medicine", "Occupational Medicine"),
    ("Emergency Medicine", "Emergency Medicine"),
    ("Neurological Surgery", "Neurological Surgery"),
];

pub const SUBSPECIALTIES: &[&str] = &["Pain Medicine", "Sports Medicine", "Addiction Medicine"];

/// Other sources reviewers cite: (as written, canonical name).
pub const OTHER_SOURCES: &[(&str, &str)] = &[
    ("UpToDate, Treatment of chronic pain", "UpToDate"),
    ("Medscape, Low back pain workup", "Medscape"),
    ("FDA.gov, prescribing information", "FDA"),
];

/// Words for the varied parts of summaries and rationales.
pub const OCCUPATIONS: &[&str] = &[
    "warehouse worker",
    "truck driver",
    "nurse",
    "cashier",
    "carpenter",
    "office clerk",
    "correctional officer",
    "housekeeper",
    "mechanic",
    "teacher",
    "farm laborer",
    "cook",
    "electrician",
    "firefighter",
    "bus driver",
    "custodian",
    "plumber",
    "security guard",
];

pub const MECHANISMS: &[&str] = &[
    "lifting a heavy box",
    "a fall from a ladder",
    "a slip on a wet floor",
    "repetitive overhead work",
    "a motor vehicle accident",
    "pushing a loaded cart",
    "restraining a patient",
    "stepping off a truck",
    "twisting while carrying supplies",
    "cumulative trauma at a keyboard",
];

pub const FINDINGS: &[&str] = &[
    "tenderness to palpation",
    "decreased range of motion",
    "muscle spasm",
    "painful motion",
    "diminished sensation in a dermatomal pattern",
    "normal motor strength",
    "guarding with movement",
    "mild weakness",
    "crepitus",
    "a positive provocative test",
    "swelling",
    "intact reflexes",
];

/// Syllables for drug-like and place-like names that differ in every letter, so the
/// corpus has the large vocabulary of real ones.
pub const SYLLABLES: &[&str] = &[
    "ar", "bel", "cor", "dan", "el", "fa", "gor", "hal", "is", "jun", "ka", "lom", "mer", "nor",
    "ol", "pra", "quin", "ros", "sal", "tor", "ul", "ven", "wes", "xan", "yor", "zel", "ta", "mi",
];
