//! An indexing run: walk the inputs, compare each file's content hash with what the
//! index holds, parse what is new or changed in parallel, and commit once.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::codes::{tables_for, FacetCoder};
use super::documents::{content_hash, letter_documents, split_version, FileStamp, FileVersion};
use super::lock_patience::patiently;
use super::schema::{self, IndexSchema};
use super::{IndexDir, IndexError, Manifest, Synonyms};
use crate::input::{letter_bytes, read_file, real_files_under, PdfOptions};
use crate::model::Family;
use crate::Parser;

/// The writer's default memory budget, in MB, shared by its indexing threads. Each
/// thread's full budget becomes one segment, which is not merged again (see
/// [`merge_policy`]), so the budget sets how many segments a search visits: a
/// million letters with 256 MB made 26, and searches 8% slower at the median than
/// over 10; with 512 MB, 12 segments, the build's memory peaking at 1.15 GB.
pub const DEFAULT_MEMORY_MB: usize = 512;

/// How to run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Files or directories; empty: the roots the index remembers.
    pub inputs: Vec<PathBuf>,
    /// Build a fresh generation and swap it in, instead of updating in place.
    pub rebuild: bool,
    /// Wait for another writer instead of failing.
    pub wait: bool,
    /// Indexing threads; 0 lets tantivy choose.
    pub threads: usize,
    /// Memory budget of the writer, in bytes.
    pub heap_bytes: usize,
    /// Largest file read; larger ones are skipped with a reason.
    pub max_file_bytes: u64,
    /// Read and hash every file, even one whose size and modification time are
    /// those indexed.
    pub checksum: bool,
    /// How PDF files are read.
    pub pdf: PdfOptions,
    /// Write the index even inside one of its inputs.
    pub force: bool,
}

/// A file that was not indexed as a letter, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    /// The file, as reached.
    pub path: String,
    /// Why it was not indexed as a letter.
    pub reason: String,
}

/// A file indexed with warnings.
#[derive(Debug, Clone, Serialize)]
pub struct WarnedFile {
    /// The letter's file.
    pub path: String,
    /// What could not be read, and why.
    pub warnings: Vec<String>,
}

/// What a run did; `imr index --json` prints it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// The index directory.
    pub index: String,
    /// The generation written.
    pub generation: String,
    /// Whether the generation was built fresh.
    pub rebuild: bool,
    /// Files found under the inputs.
    pub files_seen: usize,
    /// Files parsed this run as letters of a known family.
    pub letters: usize,
    /// Items of the letters parsed this run.
    pub items: usize,
    /// Files new to the index.
    pub added: usize,
    /// Files whose content changed.
    pub updated: usize,
    /// Files gone from the inputs, removed from the index.
    pub removed: usize,
    /// Files already indexed as they are.
    pub unchanged: usize,
    /// Unreadable files, and files that are not letters (indexed for their text only).
    pub skipped: Vec<SkippedFile>,
    /// Letters indexed with warnings.
    pub warnings: Vec<WarnedFile>,
    /// Bytes read this run.
    pub bytes_read: u64,
    /// Wall time of the run.
    pub seconds: f64,
    /// Bytes read per second, in MB.
    pub mb_per_second: f64,
    /// Items in the index after the run.
    pub total_items: u64,
    /// Documents in the index after the run: its items, one for each letter
    /// without items, and one for each file that is not a letter.
    pub total_documents: u64,
    /// Files in the index that are not letters (family `unknown`), searchable by
    /// their text when asked for; all of them are in `skipped` too.
    pub total_unparsed: u64,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Indexed {
        updated: bool,
        family: Family,
        items: usize,
        warnings: Vec<String>,
    },
    Unreadable(String),
}

/// Reports progress: called with the number of files done and the total.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Runs an indexing pass over `options.inputs` into `index_dir`, in five phases:
/// open the generation to write, gather the files, index them in parallel, tally
/// what happened to each, then commit and swap the manifest. A first run that
/// fails leaves no index folder behind.
pub fn run(
    index_dir: &IndexDir,
    schema: &IndexSchema,
    parser: &Parser,
    synonyms: &Synonyms,
    options: &IndexOptions,
    progress: Progress<'_>,
) -> Result<IndexSummary, IndexError> {
    let created = !index_dir.root().exists();
    let result = run_in(index_dir, schema, parser, synonyms, options, progress);
    if result.is_err() && created {
        // Only what this run made: the folder did not exist before it.
        let _ = std::fs::remove_dir_all(index_dir.root());
    }
    result
}

fn run_in(
    index_dir: &IndexDir,
    schema: &IndexSchema,
    parser: &Parser,
    synonyms: &Synonyms,
    options: &IndexOptions,
    progress: Progress<'_>,
) -> Result<IndexSummary, IndexError> {
    let started = Instant::now();
    check_outside_inputs(index_dir, &options.inputs, options.force)?;
    let _lock = index_dir.lock(options.wait)?;
    let mut generation = Generation::open(index_dir, schema, parser, options)?;
    let mut summary = IndexSummary {
        index: index_dir.root().display().to_string(),
        generation: generation.name.clone(),
        rebuild: generation.fresh,
        ..IndexSummary::default()
    };
    let phase = Instant::now();
    let files = gather_files(&generation.roots, &mut summary);
    if generation.fresh && schema.pairs_common_words() {
        generation.choose_common_words(&files, schema, parser, options);
    }
    tracing::info!(
        "walked {} roots: {} files, {} not readable, in {:.2} s",
        generation.roots.len(),
        files.len(),
        summary.skipped.len(),
        phase.elapsed().as_secs_f64()
    );
    let writer = generation.writer(options)?;
    let indexer = FileIndexer {
        known: &generation.known,
        writer: &writer,
        schema,
        parser,
        synonyms,
        coder: &generation.coder,
        bytes_read: AtomicUsize::new(0),
        max_file_bytes: options.max_file_bytes,
        checksum: options.checksum,
        pdf: &options.pdf,
        trusted_before: trusted_before(),
    };
    let phase = Instant::now();
    let outcomes = index_in_parallel(&indexer, &files, progress)?;
    summary.bytes_read = indexer.bytes_read.load(Ordering::Relaxed) as u64;
    let seen = tally(outcomes, &mut summary);
    tracing::info!(
        "read {:.1} MB; parsed and wrote {} letters ({} items), {} unchanged, in {:.2} s",
        summary.bytes_read as f64 / 1e6,
        summary.letters,
        summary.items,
        summary.unchanged,
        phase.elapsed().as_secs_f64()
    );
    summary.removed = generation.remove_vanished(&writer, &seen, schema);
    let phase = Instant::now();
    let totals = generation.commit_and_swap(index_dir, writer, schema)?;
    tracing::info!(
        "committed {} ({} files gone removed) in {:.2} s",
        generation.name,
        summary.removed,
        phase.elapsed().as_secs_f64()
    );
    summary.total_items = totals.items;
    summary.total_documents = totals.documents;
    summary.total_unparsed = totals.unparsed.len() as u64;
    // Files indexed before that are not letters are reported on every run, not
    // only the run that read them.
    for file in totals.unparsed {
        if !summary.skipped.iter().any(|s| s.path == file.path) {
            summary.skipped.push(file);
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    summary.mb_per_second = summary.bytes_read as f64 / 1e6 / summary.seconds.max(1e-9);
    summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    summary.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(summary)
}

/// Refuses an index inside one of its own inputs, where the next run would read
/// the index's files as letters, unless `force`d.
fn check_outside_inputs(
    index_dir: &IndexDir,
    inputs: &[PathBuf],
    force: bool,
) -> Result<(), IndexError> {
    if force {
        return Ok(());
    }
    let index = absolute(index_dir.root());
    for input in inputs {
        let input = absolute(input);
        if input.is_dir() && index.starts_with(&input) {
            return Err(IndexError::InsideInputs {
                index: index_dir.root().to_path_buf(),
                input,
            });
        }
    }
    Ok(())
}

/// `path` made absolute and its links resolved as far as it exists.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let whole = std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path));
    match (whole.parent(), whole.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => whole,
    }
}

/// What the index holds after a run.
struct Totals {
    items: u64,
    documents: u64,
    /// Its files that are not letters, with the reason each is not.
    unparsed: Vec<SkippedFile>,
}

/// The generation a run writes: the live one, updated in place, or a fresh one
/// beside it (a rebuild, or the first run).
struct Generation {
    /// The manifest before the run, if an index was ever committed.
    previous: Option<Manifest>,
    /// The input roots walked, absolute.
    roots: Vec<PathBuf>,
    fresh: bool,
    name: String,
    index: tantivy::Index,
    /// Source path and version of every letter the generation holds.
    known: HashMap<String, FileVersion>,
    coder: FacetCoder,
    /// The stems whose pairs `"common"` pairs fields hold.
    common_words: Vec<String>,
}

impl Generation {
    /// Checks the schema, resolves the roots, clears the leftovers of killed runs,
    /// and opens (or creates) the generation's tantivy index.
    fn open(
        index_dir: &IndexDir,
        schema: &IndexSchema,
        parser: &Parser,
        options: &IndexOptions,
    ) -> Result<Generation, IndexError> {
        let previous = index_dir.read_manifest()?;
        if let Some(manifest) = &previous {
            if manifest.schema_version != schema.version && !options.rebuild {
                return Err(IndexError::SchemaMismatch {
                    path: index_dir.root().to_path_buf(),
                    found: manifest.schema_version.clone(),
                    expected: schema.version.clone(),
                });
            }
        }
        let roots = resolve_roots(&options.inputs, previous.as_ref())?;
        let live = previous.as_ref().filter(|_| !options.rebuild);
        // Leftovers of killed rebuilds, and generations replaced before, go first.
        index_dir
            .remove_generations_except(previous.as_ref().map_or("", |m| m.generation.as_str()))?;
        let name = match live {
            Some(manifest) => manifest.generation.clone(),
            None => index_dir.next_generation()?,
        };
        let dir = index_dir.generation_dir(&name);
        let index = match live {
            Some(_) => tantivy::Index::open_in_dir(&dir)?,
            None => {
                std::fs::create_dir_all(&dir).map_err(|e| IndexError::io(&dir, e))?;
                tantivy::Index::builder()
                    .schema(schema.schema.clone())
                    .settings(schema.store.settings())
                    .create_in_dir(&dir)?
            }
        };
        let common_words = live.map(|m| m.common_words.clone()).unwrap_or_default();
        schema::register_tokenizers(&index, &schema.pair_words(&common_words));
        let (known, tables) = match live {
            Some(manifest) => (
                indexed_versions(&index, schema)?,
                manifest.facet_codes.clone(),
            ),
            None => (HashMap::new(), tables_for(schema, parser.vocabulary())),
        };
        Ok(Generation {
            common_words,
            fresh: live.is_none(),
            coder: FacetCoder::new(schema, &tables),
            previous,
            roots,
            name,
            index,
            known,
        })
    }

    /// Chooses a fresh generation's common words from a sample of `files`, and
    /// has its pairs tokenizer pair them only.
    fn choose_common_words(
        &mut self,
        files: &[FoundFile],
        schema: &IndexSchema,
        parser: &Parser,
        options: &IndexOptions,
    ) {
        let started = Instant::now();
        let paths: Vec<PathBuf> = files.iter().map(|f| f.real.clone()).collect();
        self.common_words = super::common_words::choose(&paths, |path| {
            let bytes = read_file(path, options.max_file_bytes).ok()?;
            let text = letter_bytes(&bytes, &options.pdf).ok()?;
            Some(parser.parse_bytes(&path.display().to_string(), &text))
        });
        schema::register_tokenizers(&self.index, &schema.pair_words(&self.common_words));
        tracing::info!(
            "chose {} common words in {:.2} s",
            self.common_words.len(),
            started.elapsed().as_secs_f64()
        );
    }

    /// The generation's writer, merging only small segments.
    fn writer(&self, options: &IndexOptions) -> Result<IndexWriter<TantivyDocument>, IndexError> {
        let writer: IndexWriter<TantivyDocument> = if options.threads == 0 {
            with_writer_lock(|| self.index.writer(options.heap_bytes))?
        } else {
            with_writer_lock(|| {
                self.index
                    .writer_with_num_threads(options.threads, options.heap_bytes)
            })?
        };
        writer.set_merge_policy(Box::new(merge_policy()));
        if !self.fresh {
            // A run killed before its commit leaves files that this run's identical
            // operations would write again (tantivy names a deletion file by its
            // segment and operation number), so they go first.
            writer.garbage_collect_files().wait()?;
        }
        Ok(writer)
    }

    /// Deletes the letters of files gone from under the roots walked; returns how
    /// many.
    fn remove_vanished(
        &self,
        writer: &IndexWriter<TantivyDocument>,
        seen: &HashSet<String>,
        schema: &IndexSchema,
    ) -> usize {
        let mut removed = 0;
        for source in self.known.keys() {
            if !seen.contains(source) && under_any(source, &self.roots) {
                writer.delete_term(Term::from_field_text(schema.fields.source, source));
                removed += 1;
            }
        }
        removed
    }

    /// Commits, collects the files of merged-away segments, and makes the
    /// generation live by replacing the manifest; says what it then holds.
    fn commit_and_swap(
        &self,
        index_dir: &IndexDir,
        mut writer: IndexWriter<TantivyDocument>,
        schema: &IndexSchema,
    ) -> Result<Totals, IndexError> {
        writer.commit()?;
        writer.wait_merging_threads()?;
        // The segments merged away stay on disk until a writer collects them.
        let collector: IndexWriter<TantivyDocument> =
            with_writer_lock(|| self.index.writer_with_num_threads(1, 15_000_000))?;
        collector.garbage_collect_files().wait()?;
        drop(collector);
        Manifest {
            schema_version: schema.version.clone(),
            generation: self.name.clone(),
            roots: self.remembered_roots(),
            facet_codes: self.coder.complete_tables(),
            common_words: self.common_words.clone(),
        }
        .write(index_dir.root())?;
        // Searches already open keep reading the replaced generation's files; new
        // ones read the manifest, which names the new generation.
        if self.fresh {
            if let Err(error) = index_dir.remove_generations_except(&self.name) {
                tracing::warn!(%error, "could not remove the replaced generation; the next run will");
            }
        }
        totals(&self.index.reader()?.searcher(), schema)
    }

    /// The roots the manifest remembers after the run: a fresh generation's own,
    /// or the live one's with this run's added.
    fn remembered_roots(&self) -> Vec<PathBuf> {
        let mut remembered = match (&self.previous, self.fresh) {
            (Some(manifest), false) => manifest.roots.clone(),
            _ => Vec::new(),
        };
        for root in &self.roots {
            if !remembered.contains(root) {
                remembered.push(root.clone());
            }
        }
        remembered
    }
}

/// Counts the index's items and documents, and lists its files that are not
/// letters, with the first warning of each (why it is not).
fn totals(searcher: &tantivy::Searcher, schema: &IndexSchema) -> Result<Totals, IndexError> {
    let fields = &schema.fields;
    // Counted, not looked up: a term's document frequency counts deleted
    // documents too.
    let items = searcher.search(
        &tantivy::query::TermQuery::new(
            Term::from_field_u64(fields.has_item, 1),
            tantivy::schema::IndexRecordOption::Basic,
        ),
        &tantivy::collector::Count,
    )? as u64;
    let unknown = tantivy::schema::Facet::from_text(&format!("/{}", Family::Unknown.slug()))
        .map_err(|e| IndexError::Schema(e.to_string()))?;
    let query = tantivy::query::TermQuery::new(
        Term::from_facet(fields.family, &unknown),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let mut unparsed = Vec::new();
    for address in searcher.search(&query, &tantivy::collector::DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| tantivy::schema::Value::as_str(&v).map(str::to_string))
        };
        let reason = text(fields.record)
            .and_then(|record| serde_json::from_str::<crate::Letter>(&record).ok())
            .and_then(|letter| letter.warnings.into_iter().next())
            .unwrap_or_else(|| "not a letter".into());
        if let Some(path) = text(fields.source) {
            unparsed.push(SkippedFile { path, reason });
        }
    }
    Ok(Totals {
        items,
        documents: searcher.num_docs(),
        unparsed,
    })
}

/// A file to index: its real path (the letter's source) and the path it was
/// reached by.
struct FoundFile {
    real: PathBuf,
    walked: PathBuf,
}

/// The files under `roots`, each once; what cannot be walked goes to the summary.
fn gather_files(roots: &[PathBuf], summary: &mut IndexSummary) -> Vec<FoundFile> {
    let walked = real_files_under(roots);
    let mut files = Vec::with_capacity(walked.len());
    let mut reals_seen = HashSet::new();
    for entry in walked {
        match entry {
            // A file reached twice (through a symbolic link) is one letter, indexed
            // under its real path.
            Ok(file) => {
                if reals_seen.insert(file.real.clone()) {
                    files.push(FoundFile {
                        real: file.real,
                        walked: file.path,
                    });
                }
            }
            Err(error) => summary.skipped.push(SkippedFile {
                path: error.path.display().to_string(),
                reason: error.reason,
            }),
        }
    }
    summary.files_seen = files.len() + summary.skipped.len();
    files
}

/// What happened to one file, with its source and the path it was reached by.
struct FileOutcome<'a> {
    source: String,
    walked: &'a Path,
    outcome: Outcome,
}

/// Indexes `files` on every core; the first error of the index stops the run.
fn index_in_parallel<'a>(
    indexer: &FileIndexer<'_>,
    files: &'a [FoundFile],
    progress: Progress<'_>,
) -> Result<Vec<FileOutcome<'a>>, IndexError> {
    let done = AtomicUsize::new(0);
    let failure: Mutex<Option<IndexError>> = Mutex::new(None);
    let outcomes = files
        .par_iter()
        .map(|file| {
            let source = file.real.display().to_string();
            let outcome = indexer.index(&file.real, &source).unwrap_or_else(|error| {
                let mut slot = failure.lock().unwrap_or_else(|p| p.into_inner());
                slot.get_or_insert(error);
                Outcome::Unchanged
            });
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, files.len());
            FileOutcome {
                source,
                walked: &file.walked,
                outcome,
            }
        })
        .collect();
    match failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(error) => Err(error),
        None => Ok(outcomes),
    }
}

/// Counts each file's outcome into `summary`; returns the sources seen.
fn tally(outcomes: Vec<FileOutcome<'_>>, summary: &mut IndexSummary) -> HashSet<String> {
    let mut seen = HashSet::with_capacity(outcomes.len());
    for FileOutcome {
        source,
        walked,
        outcome,
    } in outcomes
    {
        match outcome {
            Outcome::Unchanged => summary.unchanged += 1,
            Outcome::Indexed {
                updated,
                family,
                items,
                warnings,
            } => {
                if updated {
                    summary.updated += 1;
                } else {
                    summary.added += 1;
                }
                if family == Family::Unknown {
                    summary.skipped.push(SkippedFile {
                        path: source.clone(),
                        reason: warnings.first().cloned().unwrap_or_default(),
                    });
                } else {
                    summary.letters += 1;
                    summary.items += items;
                    if !warnings.is_empty() {
                        summary.warnings.push(WarnedFile {
                            path: source.clone(),
                            warnings,
                        });
                    }
                }
            }
            // Named as the user reached it: a link's target may mean nothing to them.
            Outcome::Unreadable(reason) => summary.skipped.push(SkippedFile {
                path: walked.display().to_string(),
                reason,
            }),
        }
        seen.insert(source);
    }
    seen
}

/// What indexing one file needs.
struct FileIndexer<'a> {
    known: &'a HashMap<String, FileVersion>,
    writer: &'a IndexWriter<TantivyDocument>,
    schema: &'a IndexSchema,
    parser: &'a Parser,
    synonyms: &'a Synonyms,
    coder: &'a FacetCoder,
    bytes_read: AtomicUsize,
    max_file_bytes: u64,
    checksum: bool,
    pdf: &'a PdfOptions,
    /// Modification times from this one on are too recent to vouch for a file's
    /// content: a file rewritten within the clock's granularity keeps its time.
    trusted_before: i128,
}

impl FileIndexer<'_> {
    /// Reads, hashes and (when new or changed) parses and indexes one file. A file
    /// whose size and modification time are those indexed is not read again.
    fn index(&self, path: &Path, source: &str) -> Result<Outcome, IndexError> {
        let previous = self.known.get(source);
        let stamp = std::fs::metadata(path)
            .ok()
            .as_ref()
            .and_then(FileStamp::of);
        if !self.checksum && stamp.is_some() && previous.and_then(|p| p.stamp) == stamp {
            return Ok(Outcome::Unchanged);
        }
        let bytes = match read_file(path, self.max_file_bytes) {
            Ok(bytes) => bytes,
            Err(error) => return Ok(Outcome::Unreadable(error.reason)),
        };
        self.bytes_read.fetch_add(bytes.len(), Ordering::Relaxed);
        let version = FileVersion {
            hash: content_hash(&bytes),
            // The size read vouches for the stamp taken before the read.
            stamp: stamp
                .filter(|s| s.size == bytes.len() as u64 && s.modified_ns < self.trusted_before),
        };
        let same_content = previous.is_some_and(|p| p.hash == version.hash);
        // Same content under a new trustworthy stamp: indexed again once, to keep
        // the stamp, so the next run need not read the file.
        let restamp = same_content
            && version.stamp.is_some()
            && previous.and_then(|p| p.stamp) != version.stamp;
        if same_content && !restamp {
            return Ok(Outcome::Unchanged);
        }
        if previous.is_some() {
            self.writer
                .delete_term(Term::from_field_text(self.schema.fields.source, source));
        }
        // A PDF without readable text is not a letter, and nothing of it is indexed.
        let text = match letter_bytes(&bytes, self.pdf) {
            Ok(text) => text,
            Err(error) => return Ok(Outcome::Unreadable(error.to_string())),
        };
        let letter = self.parser.parse_bytes(source, &text);
        let mut documents = letter_documents(&letter, &version, self.schema, self.synonyms);
        for doc in &mut documents {
            self.coder.add_codes(doc);
        }
        // One batch keeps a letter's documents consecutive in one segment, which
        // letter-level text relies on (see `search::letter_wide`).
        self.writer
            .run(documents.into_iter().map(UserOperation::Add))?;
        if restamp {
            return Ok(Outcome::Unchanged);
        }
        Ok(Outcome::Indexed {
            updated: previous.is_some(),
            family: letter.family,
            items: letter.items.len(),
            warnings: letter.warnings,
        })
    }
}

/// Segments holding this many documents or more are not merged.
const LARGEST_MERGED_SEGMENT: usize = 50_000;

/// Segments merged at once.
const SEGMENTS_PER_MERGE: usize = 4;

/// How segments are merged: only the small ones, which each run's commit leaves
/// (the last documents of each indexing thread), four at a time. The writer's full
/// segments (about 208,000 items each with the default memory budget) stay as
/// written. Merging those too, four at a time up to a quarter of a million items,
/// rewrote nearly every item of a million-letter build once more: that build took
/// 312.9 s with it (and 256 MB) against 271.7 s without it (and 512 MB), for 10
/// segments instead of 12 and a served median 2.7% quicker (6.19 against 6.36 ms).
/// A search runs one segment per thread, so segments of like size also keep both
/// threads equally busy.
pub fn merge_policy() -> tantivy::merge_policy::LogMergePolicy {
    let mut policy = tantivy::merge_policy::LogMergePolicy::default();
    policy.set_min_num_segments(SEGMENTS_PER_MERGE);
    policy.set_max_docs_before_merge(LARGEST_MERGED_SEGMENT);
    policy
}

/// Modification times at or after this (nanoseconds since the epoch) are not trusted
/// to tell a change: two seconds before now, well over any file system's time
/// granularity, so a file rewritten during or just before a run is read again by
/// the next.
fn trusted_before() -> i128 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    i128::try_from(now).unwrap_or(i128::MAX) - 2_000_000_000
}

/// The roots to walk, absolute: the inputs, or those the index remembers.
fn resolve_roots(
    inputs: &[PathBuf],
    manifest: Option<&Manifest>,
) -> Result<Vec<PathBuf>, IndexError> {
    if inputs.is_empty() {
        return match manifest {
            Some(manifest) if !manifest.roots.is_empty() => Ok(manifest.roots.clone()),
            _ => Err(IndexError::NoInputs),
        };
    }
    inputs
        .iter()
        .map(|input| std::fs::canonicalize(input).map_err(|e| IndexError::io(input, e)))
        .collect()
}

fn under_any(source: &str, roots: &[PathBuf]) -> bool {
    roots.iter().any(|root| Path::new(source).starts_with(root))
}

/// Source path and content hash of every letter the index holds, read from the
/// `version` fast field of live documents. The versions are read in dictionary
/// order, so each compressed block of the dictionary is decompressed once.
fn indexed_versions(
    index: &tantivy::Index,
    schema: &IndexSchema,
) -> Result<HashMap<String, FileVersion>, IndexError> {
    let name = schema.schema.get_field_name(schema.fields.version);
    let searcher = index.reader()?.searcher();
    let mut versions = HashMap::new();
    for segment in searcher.segment_readers() {
        let Some(column) = segment.fast_fields().str(name)? else {
            continue;
        };
        // A segment without deletions holds only its live documents' versions.
        let mut used = vec![segment.num_deleted_docs() == 0; column.num_terms()];
        if segment.num_deleted_docs() > 0 {
            for doc in segment.doc_ids_alive() {
                for ord in column.term_ords(doc) {
                    if let Some(slot) = used.get_mut(ord as usize) {
                        *slot = true;
                    }
                }
            }
        }
        let live = (0..used.len() as u64).filter(|&ord| used[ord as usize]);
        column
            .dictionary()
            .sorted_ords_to_term_cb(live, |bytes| {
                if let Some((source, version)) =
                    std::str::from_utf8(bytes).ok().and_then(split_version)
                {
                    versions.insert(source.to_string(), version);
                }
                Ok(())
            })
            .map_err(|e| IndexError::Tantivy(e.into()))?;
    }
    Ok(versions)
}

/// Opens a tantivy writer with `open`, waiting a moment while its lock is busy (see
/// [`super::lock_patience`]): only one `imr index` writes an index at a time (the
/// index folder's own lock), so tantivy's lock is never held by another writer.
fn with_writer_lock(
    open: impl Fn() -> tantivy::Result<IndexWriter<TantivyDocument>>,
) -> tantivy::Result<IndexWriter<TantivyDocument>> {
    patiently(open, |error| {
        matches!(
            error,
            tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _)
        )
    })
}
