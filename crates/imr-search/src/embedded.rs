//! The files of the repository's `schema/` folder, compiled into the library, each
//! once: the vocabularies the parser reads and the index definition.

/// The index definition: fields, tokenizers, facets, query scopes, storage.
pub(crate) const INDEX_JSON: &str = include_str!("../../../schema/index.json");

/// Abbreviations and long forms that find each other; part of the index's schema
/// version, since the index holds their tokens.
pub(crate) const SYNONYMS_JSON: &str = include_str!("../../../schema/synonyms.json");

/// The vocabulary files, by name, as `--vocab-dir` may replace them.
pub(crate) const VOCABULARY_FILES: &[(&str, &str)] = &[
    ("regions.json", include_str!("../../../schema/regions.json")),
    (
        "letter_forms.json",
        include_str!("../../../schema/letter_forms.json"),
    ),
    (
        "categories.json",
        include_str!("../../../schema/categories.json"),
    ),
    (
        "drug_classes.json",
        include_str!("../../../schema/drug_classes.json"),
    ),
    (
        "guidelines.json",
        include_str!("../../../schema/guidelines.json"),
    ),
    (
        "specialties.json",
        include_str!("../../../schema/specialties.json"),
    ),
    (
        "outcomes.json",
        include_str!("../../../schema/outcomes.json"),
    ),
];
