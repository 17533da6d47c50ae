//! The tantivy schema, built from its description in `schema/index.json`.

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TextAnalyzerBuilder,
    Tokenizer,
};

use super::pairs::CommonWords;
use super::IndexError;

use crate::embedded::{INDEX_JSON, SYNONYMS_JSON};

/// How a facet's values are coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeKind {
    /// At most one value per item: its number in the table, from 1; 0 for none.
    Code,
    /// Any number of values per item: bit `n` set for the table's `n`th path.
    Mask,
}

/// Suffix of the companion field that holds a text field's synonym tokens.
pub const SYNONYM_SUFFIX: &str = "_syn";

/// Which word pairs a text field's pairs companion holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "PairsJson", into = "PairsJson")]
pub enum Pairs {
    /// No companion.
    #[default]
    None,
    /// Every two consecutive words.
    All,
    /// Two consecutive words both among the corpus's common words, chosen when a
    /// generation is created (see `index::pairs::CommonWords`).
    Common,
}

/// How `pairs` is written in `index.json`: `false`, `true` or `"common"`.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum PairsJson {
    Flag(bool),
    Mode(String),
}

impl TryFrom<PairsJson> for Pairs {
    type Error = String;

    fn try_from(json: PairsJson) -> Result<Pairs, String> {
        match json {
            PairsJson::Flag(false) => Ok(Pairs::None),
            PairsJson::Flag(true) => Ok(Pairs::All),
            PairsJson::Mode(mode) if mode == "common" => Ok(Pairs::Common),
            PairsJson::Mode(mode) => {
                Err(format!("pairs is true, false or \"common\", not {mode:?}"))
            }
        }
    }
}

impl From<Pairs> for PairsJson {
    fn from(pairs: Pairs) -> PairsJson {
        match pairs {
            Pairs::None => PairsJson::Flag(false),
            Pairs::All => PairsJson::Flag(true),
            Pairs::Common => PairsJson::Mode("common".into()),
        }
    }
}

impl Pairs {
    /// Whether the field has a pairs companion.
    pub fn any(self) -> bool {
        self != Pairs::None
    }
}

/// Suffix of the companion field that holds a text field's word pairs.
pub const PAIRS_SUFFIX: &str = "_pairs";

/// The field holding every coded facet's code of an item, packed in one number.
pub const FACET_CODES: &str = "facet_codes";

/// The tokenizer of `string` fields that match ignoring case.
pub const RAW_LOWERCASE: &str = "raw_lowercase";

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Analysed text, searchable by words.
    Text,
    /// One token, matched whole.
    String,
    /// Hierarchical paths, counted and filtered by.
    Facet,
    /// A number.
    U64,
    /// A date.
    Date,
    /// Stored only, never searched.
    Stored,
}

/// One field of `schema/index.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldSpec {
    /// The index field's name.
    pub name: String,
    #[serde(rename = "type")]
    /// What the field holds.
    pub kind: FieldKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The tokenizer of a text or string field.
    pub tokenizer: Option<String>,
    #[serde(default)]
    /// Whether the value is stored, to show.
    pub stored: bool,
    #[serde(default)]
    /// Whether the value is searchable.
    pub indexed: bool,
    #[serde(default)]
    /// Whether the value is a fast (columnar) field.
    pub fast: bool,
    /// The name a query uses for the field (`treatment:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The facet's public name (`--facet`, `--by`, JSON `facets`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facet: Option<String>,
    #[serde(default)]
    /// Whether a companion field holds the text's synonym tokens.
    pub synonyms: bool,
    /// A companion field of the text's word pairs (see `index::pairs`), which
    /// answers its two-word phrases without reading positions: of every two
    /// words (`true`), or of two of the corpus's common words (`"common"`).
    #[serde(default)]
    pub pairs: Pairs,
    /// Text a letter's items share, indexed once, on the letter's first document;
    /// every item of the letter matches it.
    #[serde(default)]
    pub letter_level: bool,
    /// A facet counted from a companion field of codes (see `index::codes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted: Option<CodeKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// What the field is, as `imr schema` says.
    pub about: Option<String>,
}

#[derive(Deserialize)]
struct IndexFile {
    fields: Vec<FieldSpec>,
    #[serde(default)]
    store: StoreSpec,
}

/// How stored fields are kept on disk.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct StoreSpec {
    /// The compression of a block of stored documents.
    #[serde(default)]
    pub codec: StoreCodec,
    /// zstd level, when the codec is zstd.
    #[serde(default = "default_zstd_level")]
    pub zstd_level: i32,
    /// Bytes per compressed block: larger is smaller on disk, slower to read one
    /// document from (a block is decompressed whole).
    pub block_bytes: usize,
}

/// How a block of stored documents is compressed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreCodec {
    /// Smaller on disk.
    #[default]
    Zstd,
    /// Quicker to compress, as every build does, and to decompress, as every hit
    /// shown does.
    Lz4,
}

fn default_zstd_level() -> i32 {
    1
}

impl Default for StoreSpec {
    fn default() -> Self {
        StoreSpec {
            codec: StoreCodec::default(),
            zstd_level: default_zstd_level(),
            block_bytes: 16_384,
        }
    }
}

impl StoreSpec {
    /// The tantivy settings of a new index.
    pub fn settings(&self) -> tantivy::IndexSettings {
        let docstore_compression = match self.codec {
            StoreCodec::Zstd => tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
                compression_level: Some(self.zstd_level),
            }),
            StoreCodec::Lz4 => tantivy::store::Compressor::Lz4,
        };
        tantivy::IndexSettings {
            docstore_compression,
            docstore_blocksize: self.block_bytes,
            ..tantivy::IndexSettings::default()
        }
    }
}

/// Handles of the fields the code reads and writes.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The item's id (the letter's for a letter without items).
    pub id: Field,
    /// The letter's id.
    pub letter_id: Field,
    /// The letter's file.
    pub source: Field,
    /// Source, content hash and stamp, which incremental runs compare.
    pub version: Field,
    /// The case number, lowercased.
    pub case: Field,
    /// The item's index in its letter.
    pub item: Field,
    /// 1 for an item, 0 for a letter without items.
    pub has_item: Field,
    /// The document's position among its letter's documents.
    pub letter_position: Field,
    /// How many documents the letter has.
    pub letter_size: Field,
    /// The treatment's name.
    pub treatment: Field,
    /// The decision rationale.
    pub rationale: Field,
    /// The case summary (on the letter's first document).
    pub summary: Field,
    /// The citations as written.
    pub citations: Field,
    /// The rest of the letter (on the letter's first document).
    pub rest: Field,
    /// The outcome facet.
    pub decision: Field,
    /// The body regions facet.
    pub region: Field,
    /// The category (and drug class) facet.
    pub category: Field,
    /// The reviewer's citations facet.
    pub guideline_path: Field,
    /// The claims administrator's citations facet.
    pub claims_guideline: Field,
    /// The reviewer's specialty facet.
    pub specialty: Field,
    /// The letter family facet.
    pub family: Field,
    /// The decision year facet.
    pub year: Field,
    /// The decision date.
    pub decision_date: Field,
    /// The letter's record, as JSON (on the letter's first document).
    pub record: Field,
}

/// The index schema: its description, the tantivy schema and its version.
#[derive(Debug, Clone)]
pub struct IndexSchema {
    /// The fields as described.
    pub specs: Vec<FieldSpec>,
    /// How stored documents are compressed.
    pub store: StoreSpec,
    /// The tantivy schema built from the description.
    pub schema: Schema,
    /// The fields the code names.
    pub fields: Fields,
    /// Changes whenever the description or the synonyms change.
    pub version: String,
}

impl IndexSchema {
    /// The schema compiled into the program.
    pub fn embedded() -> IndexSchema {
        IndexSchema::from_json(INDEX_JSON, SYNONYMS_JSON)
            .expect("the index schema compiled into the program is valid")
    }

    /// A schema from its description: the texts of an `index.json` and of the
    /// `synonyms.json` its version depends on.
    pub fn from_json(index_json: &str, synonyms_json: &str) -> Result<IndexSchema, IndexError> {
        let file: IndexFile = serde_json::from_str(index_json)
            .map_err(|e| IndexError::Schema(format!("schema/index.json: {e}")))?;
        let mut builder = Schema::builder();
        for spec in &file.fields {
            add_field(&mut builder, spec);
            if spec.synonyms {
                builder.add_text_field(&format!("{}{SYNONYM_SUFFIX}", spec.name), raw_text(false));
            }
            if spec.pairs.any() {
                // The pairs are `en_stem`'s tokens, so they match its phrases only.
                if spec.kind != FieldKind::Text
                    || spec.tokenizer.as_deref().is_some_and(|t| t != "en_stem")
                {
                    return Err(IndexError::Schema(format!(
                        "schema/index.json: field {:?} has pairs but is not an en_stem text field",
                        spec.name
                    )));
                }
                builder.add_text_field(&format!("{}{PAIRS_SUFFIX}", spec.name), pairs_text());
            }
            if spec.counted.is_some() && spec.kind != FieldKind::Facet {
                return Err(IndexError::Schema(format!(
                    "schema/index.json: field {:?} is counted by codes but is not a facet",
                    spec.name
                )));
            }
        }
        if file.fields.iter().any(|spec| spec.counted.is_some()) {
            builder.add_u64_field(FACET_CODES, NumericOptions::default().set_fast());
        }
        let schema = builder.build();
        let field = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| IndexError::Schema(format!("schema/index.json has no field {name:?}")))
        };
        let fields = Fields {
            id: field("id")?,
            letter_id: field("letter_id")?,
            source: field("source")?,
            version: field("version")?,
            case: field("case")?,
            item: field("item")?,
            has_item: field("has_item")?,
            letter_position: field("letter_position")?,
            letter_size: field("letter_size")?,
            treatment: field("treatment")?,
            rationale: field("rationale")?,
            summary: field("summary")?,
            citations: field("citations")?,
            rest: field("rest")?,
            decision: field("decision")?,
            region: field("region")?,
            category: field("category")?,
            guideline_path: field("guideline_path")?,
            claims_guideline: field("claims_guideline")?,
            specialty: field("specialty")?,
            family: field("family")?,
            year: field("year")?,
            decision_date: field("decision_date")?,
            record: field("record")?,
        };
        let version = blake3::hash(format!("{index_json}\u{0}{synonyms_json}").as_bytes()).to_hex()
            [..16]
            .to_string();
        Ok(IndexSchema {
            specs: file.fields,
            store: file.store,
            schema,
            fields,
            version,
        })
    }

    /// The spec of the facet named `name` publicly (`region`, `guideline`...).
    pub fn facet(&self, name: &str) -> Option<&FieldSpec> {
        self.specs.iter().find(|s| s.facet.as_deref() == Some(name))
    }

    /// The facet fields counted by codes, with how.
    pub fn coded_specs(&self) -> impl Iterator<Item = (&FieldSpec, CodeKind)> {
        self.specs
            .iter()
            .filter_map(|s| s.counted.map(|kind| (s, kind)))
    }

    /// The field of the coded facets' codes, if any facet is coded.
    pub fn codes_field(&self) -> Option<Field> {
        self.schema.get_field(FACET_CODES).ok()
    }

    /// Public facet names, in schema order.
    pub fn facet_names(&self) -> Vec<&str> {
        self.specs
            .iter()
            .filter_map(|s| s.facet.as_deref())
            .collect()
    }

    /// The text field a query scope names, with its synonym companion if any.
    pub fn scoped(&self, scope: &str) -> Option<(Field, Option<Field>)> {
        let spec = self
            .specs
            .iter()
            .find(|s| s.scope.as_deref() == Some(scope))?;
        Some(self.text_field(&spec.name))
    }

    /// The text fields searched when a query names no scope.
    pub fn default_fields(&self) -> Vec<(Field, Option<Field>)> {
        self.specs
            .iter()
            .filter(|s| s.kind == FieldKind::Text && s.indexed)
            .map(|s| self.text_field(&s.name))
            .collect()
    }

    /// The companion field of `field`'s synonym tokens, if it has one.
    pub fn synonyms_of(&self, field: Field) -> Option<Field> {
        self.companion(field, SYNONYM_SUFFIX)
    }

    /// The companion field of `field`'s word pairs, if it has one.
    pub fn pairs_of(&self, field: Field) -> Option<Field> {
        self.companion(field, PAIRS_SUFFIX)
    }

    /// Which pairs `field`'s companion holds.
    pub fn pairs_mode(&self, field: Field) -> Pairs {
        let name = self.schema.get_field_name(field);
        self.specs
            .iter()
            .find(|s| s.name == name)
            .map_or(Pairs::None, |s| s.pairs)
    }

    /// Whether a field's pairs are of the corpus's common words, which a new
    /// generation then chooses.
    pub fn pairs_common_words(&self) -> bool {
        self.specs.iter().any(|s| s.pairs == Pairs::Common)
    }

    /// The words whose pairs the pairs fields hold: `common` (a generation's
    /// choice) where they are of common words, every word otherwise.
    pub fn pair_words(&self, common: &[String]) -> CommonWords {
        if self.pairs_common_words() {
            CommonWords::of(common.iter().cloned())
        } else {
            CommonWords::all()
        }
    }

    fn companion(&self, field: Field, suffix: &str) -> Option<Field> {
        let name = self.schema.get_field_name(field);
        self.schema.get_field(&format!("{name}{suffix}")).ok()
    }

    /// Whether `field` is indexed once per letter (see `FieldSpec::letter_level`).
    pub fn is_letter_level(&self, field: Field) -> bool {
        let name = self.schema.get_field_name(field);
        self.specs.iter().any(|s| s.name == name && s.letter_level)
    }

    fn text_field(&self, name: &str) -> (Field, Option<Field>) {
        let field = self
            .schema
            .get_field(name)
            .expect("specs name schema fields");
        (field, self.synonyms_of(field))
    }
}

/// Registers the tokenizers the schema names that tantivy does not know.
pub fn register_tokenizers(index: &tantivy::Index, common: &CommonWords) {
    index.tokenizers().register("en_stem", en_stem().build());
    // The pairs of the very tokens `en_stem` makes, so they are its phrases.
    index.tokenizers().register(
        super::pairs::PAIRS_TOKENIZER,
        en_stem()
            .filter(super::pairs::WordPairs::of(common.clone()))
            .build(),
    );
    index.tokenizers().register(
        RAW_LOWERCASE,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// The analyzer of `en_stem` text fields.
pub(crate) fn en_stem_analyzer() -> TextAnalyzer {
    en_stem().build()
}

/// tantivy's own `en_stem`, with a stemmer that remembers.
fn en_stem() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(super::stem::MemoStemmer)
}

fn add_field(builder: &mut tantivy::schema::SchemaBuilder, spec: &FieldSpec) {
    let name = spec.name.as_str();
    match spec.kind {
        FieldKind::Text => {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(spec.tokenizer.as_deref().unwrap_or("en_stem"))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let mut options = TextOptions::default().set_indexing_options(indexing);
            if spec.stored {
                options = options.set_stored();
            }
            builder.add_text_field(name, options);
        }
        FieldKind::String => {
            let tokenizer = spec.tokenizer.as_deref().unwrap_or("raw");
            let mut options = TextOptions::default();
            if spec.indexed {
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::Basic);
                options = options.set_indexing_options(indexing);
            }
            if spec.stored {
                options = options.set_stored();
            }
            if spec.fast {
                options = options.set_fast(Some(tokenizer));
            }
            builder.add_text_field(name, options);
        }
        FieldKind::Facet => {
            let mut options = FacetOptions::default();
            if spec.stored {
                options = options.set_stored();
            }
            builder.add_facet_field(name, options);
        }
        FieldKind::U64 => {
            let mut options = NumericOptions::default();
            if spec.indexed {
                options = options.set_indexed();
            }
            if spec.stored {
                options = options.set_stored();
            }
            if spec.fast {
                options = options.set_fast();
            }
            builder.add_u64_field(name, options);
        }
        FieldKind::Date => {
            let mut options = DateOptions::default()
                .set_indexed()
                .set_precision(DateTimePrecision::Seconds);
            if spec.stored {
                options = options.set_stored();
            }
            if spec.fast {
                options = options.set_fast();
            }
            builder.add_date_field(name, options);
        }
        FieldKind::Stored => {
            builder.add_text_field(name, TextOptions::default().set_stored());
        }
    }
}

/// A field of word pairs: counts for scoring, no positions (a pair is already the
/// phrase), not stored.
fn pairs_text() -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(super::pairs::PAIRS_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqs);
    TextOptions::default().set_indexing_options(indexing)
}

/// A field of exact tokens, one per value.
fn raw_text(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("raw")
        .set_index_option(IndexRecordOption::Basic);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_schema_builds() {
        let schema = IndexSchema::embedded();
        assert!(schema.facet_names().contains(&"guideline"));
        assert!(schema.scoped("treatment").unwrap().1.is_some());
        assert_eq!(schema.version.len(), 16);
    }

    #[test]
    fn summary_and_rest_are_the_letter_level_fields() {
        // documents.rs writes these two on a letter's first document only.
        let schema = IndexSchema::embedded();
        let f = schema.fields;
        let letter_level: Vec<Field> = schema
            .default_fields()
            .into_iter()
            .map(|(field, _)| field)
            .filter(|&field| schema.is_letter_level(field))
            .collect();
        assert_eq!(letter_level, vec![f.summary, f.rest]);
    }

    #[test]
    fn the_store_codec_is_read_and_an_unknown_one_named() {
        let store = |json: &str| {
            IndexSchema::from_json(&format!(r#"{{"fields": [], "store": {json}}}"#), "{}")
                .map(|schema| schema.store)
        };
        // Fails on the missing fields, after the store is read.
        let err = store(r#"{"codec": "brotli", "block_bytes": 16384}"#).unwrap_err();
        assert!(err.to_string().contains("brotli"), "{err}");
        assert!(err.to_string().contains("schema/index.json"), "{err}");
        let settings = StoreSpec {
            codec: StoreCodec::Lz4,
            zstd_level: 1,
            block_bytes: 4_096,
        }
        .settings();
        assert_eq!(
            settings.docstore_compression,
            tantivy::store::Compressor::Lz4
        );
        assert_eq!(settings.docstore_blocksize, 4_096);
        let spec: StoreSpec = serde_json::from_str(r#"{"block_bytes": 8192}"#).unwrap();
        assert_eq!((spec.codec, spec.zstd_level), (StoreCodec::Zstd, 1));
    }

    #[test]
    fn a_missing_field_is_named() {
        let err = IndexSchema::from_json(r#"{"fields": []}"#, "{}").unwrap_err();
        assert!(err.to_string().contains("\"id\""), "{err}");
    }

    #[test]
    fn pairs_are_a_companion_of_en_stem_text_only() {
        let embedded = IndexSchema::embedded();
        let pairs = embedded.pairs_of(embedded.fields.rationale).unwrap();
        assert_eq!(embedded.schema.get_field_name(pairs), "rationale_pairs");
        assert_eq!(
            embedded.pairs_mode(embedded.fields.rationale),
            Pairs::Common
        );
        assert!(embedded.pairs_common_words());
        assert!(embedded.pairs_of(embedded.fields.treatment).is_none());
        let rationale = r#"{"name": "rationale", "type": "text", "pairs": "common","#;
        for (mode, expected) in [("true", Pairs::All), ("false", Pairs::None)] {
            let changed = INDEX_JSON.replace(
                rationale,
                &format!(r#"{{"name": "rationale", "type": "text", "pairs": {mode},"#),
            );
            let schema = IndexSchema::from_json(&changed, SYNONYMS_JSON).unwrap();
            assert_eq!(schema.pairs_mode(schema.fields.rationale), expected);
            assert_eq!(
                schema.pairs_of(schema.fields.rationale).is_some(),
                expected.any()
            );
        }
        let odd = INDEX_JSON.replace(
            rationale,
            r#"{"name": "rationale", "type": "text", "pairs": "rare","#,
        );
        let err = IndexSchema::from_json(&odd, SYNONYMS_JSON).unwrap_err();
        assert!(err.to_string().contains("not \"rare\""), "{err}");

        let on_a_string = INDEX_JSON.replace(
            r#"{"name": "case", "type": "string","#,
            r#"{"name": "case", "type": "string", "pairs": true,"#,
        );
        let err = IndexSchema::from_json(&on_a_string, SYNONYMS_JSON).unwrap_err();
        assert!(err.to_string().contains("\"case\" has pairs"), "{err}");
    }
}
