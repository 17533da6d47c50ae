//! What a user would otherwise use: SQLite FTS5 over the same item rows, bare
//! tantivy over the raw letter text, and ripgrep over the files.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use rayon::prelude::*;
use rusqlite::{params_from_iter, Connection};
use tantivy::schema::{Schema, TEXT};
use tantivy::{doc, Index, IndexWriter};

use imr_search::index::writer::{merge_policy, DEFAULT_MEMORY_MB};
use imr_search::input::{files_under, read_file, DEFAULT_MAX_FILE_BYTES};
use imr_search::Parser;

/// The letter files under `corpus`, as `imr index` finds them.
fn letter_files(corpus: &Path) -> Vec<std::path::PathBuf> {
    files_under(&[corpus.to_path_buf()])
        .into_iter()
        .filter_map(Result::ok)
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect()
}

/// Bare tantivy: each file's raw text in one text field, with the writer settings
/// `imr index` uses (tantivy's default threads, the same memory budget and merge
/// policy). The engine's own limit.
pub fn build_bare_tantivy(corpus: &Path, out: &Path) -> anyhow::Result<()> {
    let mut builder = Schema::builder();
    let body = builder.add_text_field("body", TEXT);
    let schema = builder.build();
    std::fs::create_dir_all(out)?;
    let index = Index::create_in_dir(out, schema)?;
    let writer: IndexWriter = index.writer(DEFAULT_MEMORY_MB * 1_000_000)?;
    writer.set_merge_policy(Box::new(merge_policy()));
    letter_files(corpus).par_iter().try_for_each(|path| {
        let bytes = read_file(path, DEFAULT_MAX_FILE_BYTES)?;
        let text = String::from_utf8_lossy(&bytes);
        writer.add_document(doc!(body => text.as_ref()))?;
        anyhow::Ok(())
    })?;
    let mut writer = writer;
    writer.commit()?;
    writer.wait_merging_threads()?;
    let collector: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    collector.garbage_collect_files().wait()?;
    Ok(())
}

/// SQLite FTS5 (porter tokenizer) over the same item rows `imr index` makes, with
/// outcome, category, regions and guideline paths in ordinary columns and tables.
pub fn build_fts5(corpus: &Path, db: &Path) -> anyhow::Result<()> {
    let _ = std::fs::remove_file(db);
    let mut connection = Connection::open(db)?;
    connection.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE items USING fts5(
             treatment, rationale, summary, citations, rest,
             decision UNINDEXED, category UNINDEXED, tokenize = 'porter unicode61');
         CREATE TABLE item_regions(item INTEGER, region TEXT);
         CREATE TABLE item_guidelines(item INTEGER, path TEXT);",
    )?;
    let parser = Parser::default();
    let files = letter_files(corpus);
    let transaction = connection.transaction()?;
    {
        let mut insert = transaction.prepare(
            "INSERT INTO items(treatment, rationale, summary, citations, rest, decision, category)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut region = transaction.prepare("INSERT INTO item_regions VALUES (?1, ?2)")?;
        let mut guideline = transaction.prepare("INSERT INTO item_guidelines VALUES (?1, ?2)")?;
        // Parsing is shared work, done in parallel as `imr index` does; SQLite
        // takes the rows on one thread, as it must.
        for chunk in files.chunks(2000) {
            let letters: Vec<_> = chunk
                .par_iter()
                .filter_map(|p| {
                    let bytes = read_file(p, DEFAULT_MAX_FILE_BYTES).ok()?;
                    Some(parser.parse_bytes(&p.display().to_string(), &bytes))
                })
                .collect();
            for letter in letters {
                for item in &letter.items {
                    let citations: Vec<&str> =
                        item.guidelines.iter().map(|c| c.raw.as_str()).collect();
                    insert.execute((
                        &item.treatment,
                        &item.rationale,
                        &letter.summary,
                        citations.join("; "),
                        &letter.rest,
                        item.decision.map(|d| d.slug()),
                        &item.category,
                    ))?;
                    let id = transaction.last_insert_rowid();
                    for slug in &item.body_regions {
                        region.execute((id, slug))?;
                    }
                    for citation in &item.guidelines {
                        guideline.execute((id, &citation.facet))?;
                    }
                }
            }
        }
    }
    transaction.commit()?;
    connection.execute_batch(
        "CREATE INDEX regions_by_item ON item_regions(item);
         CREATE INDEX items_by_region ON item_regions(region, item);
         CREATE INDEX guidelines_by_item ON item_guidelines(item);
         CREATE INDEX items_by_guideline ON item_guidelines(path, item);
         INSERT INTO items(items) VALUES ('optimize');",
    )?;
    Ok(())
}

/// A search as FTS5 can express it.
#[derive(Debug, Clone, Default)]
pub struct FtsQuery {
    /// An FTS5 MATCH expression; none matches every row.
    pub matching: Option<String>,
    pub decision: Option<String>,
    pub region: Option<String>,
    pub category: Option<String>,
    /// A guideline path prefix.
    pub guideline: Option<String>,
}

impl FtsQuery {
    fn conditions(&self) -> (String, Vec<String>) {
        let mut clauses = Vec::new();
        let mut values = Vec::new();
        if let Some(m) = &self.matching {
            clauses.push("items MATCH ?".to_string());
            values.push(m.clone());
        }
        if let Some(d) = &self.decision {
            clauses.push("items.decision = ?".to_string());
            values.push(d.clone());
        }
        if let Some(c) = &self.category {
            clauses.push("items.category = ?".to_string());
            values.push(c.clone());
        }
        if let Some(r) = &self.region {
            clauses.push("items.rowid IN (SELECT item FROM item_regions WHERE region = ?)".into());
            values.push(r.clone());
        }
        if let Some(g) = &self.guideline {
            clauses
                .push("items.rowid IN (SELECT item FROM item_guidelines WHERE path GLOB ?)".into());
            values.push(format!("{g}*"));
        }
        let sql = if clauses.is_empty() {
            "1".to_string()
        } else {
            clauses.join(" AND ")
        };
        (sql, values)
    }

    /// What `imr search --limit 10 --facet decision --facet category --facet region`
    /// answers: the ten best rows, the total, and three facets' counts; `None` when
    /// that takes longer than `cap` (SQLite interrupts the statement).
    pub fn run(&self, connection: &Connection, cap: Duration) -> anyhow::Result<Option<Duration>> {
        let started = Instant::now();
        connection.progress_handler(10_000, Some(move || started.elapsed() > cap));
        let answered = self.answer(connection);
        connection.progress_handler(0, None::<fn() -> bool>);
        match answered {
            Ok(()) => Ok(Some(started.elapsed())),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn answer(&self, connection: &Connection) -> rusqlite::Result<()> {
        let (condition, values) = self.conditions();
        let order = if self.matching.is_some() {
            "ORDER BY rank"
        } else {
            ""
        };
        let mut top = connection.prepare_cached(&format!(
            "SELECT rowid FROM items WHERE {condition} {order} LIMIT 10"
        ))?;
        let ids: Vec<i64> = top
            .query_map(params_from_iter(&values), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let total: u64 = connection
            .prepare_cached(&format!("SELECT count(*) FROM items WHERE {condition}"))?
            .query_row(params_from_iter(&values), |r| r.get(0))?;
        for sql in [
            format!("SELECT decision, count(*) FROM items WHERE {condition} GROUP BY decision"),
            format!("SELECT category, count(*) FROM items WHERE {condition} GROUP BY category"),
            format!(
                "SELECT r.region, count(*) FROM items JOIN item_regions r ON r.item = items.rowid
                 WHERE {condition} GROUP BY r.region"
            ),
        ] {
            let mut statement = connection.prepare_cached(&sql)?;
            let rows = statement.query_map(params_from_iter(&values), |r| r.get::<_, i64>(1))?;
            for row in rows {
                row?;
            }
        }
        std::hint::black_box((ids, total));
        Ok(())
    }
}

/// ripgrep over the letter files (`*.txt`, as for the other peers; not the truth
/// file beside them): the letters containing a word or a phrase, ignoring case.
/// `None` when `rg` is not installed.
pub fn ripgrep(corpus: &Path, text: &str, word: bool) -> anyhow::Result<Option<(Duration, u64)>> {
    let mut command = std::process::Command::new("rg");
    command.args([
        "--files-with-matches",
        "--ignore-case",
        "--fixed-strings",
        "--no-messages",
        "--glob=*.txt",
    ]);
    if word {
        command.arg("--word-regexp");
    }
    command.arg("--").arg(text).arg(corpus);
    let started = Instant::now();
    let output = match command.output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).context("running rg"),
    };
    let elapsed = started.elapsed();
    let files = output.stdout.iter().filter(|b| **b == b'\n').count() as u64;
    Ok(Some((elapsed, files)))
}

/// `rg --version`'s first line.
pub fn ripgrep_version() -> Option<String> {
    let output = std::process::Command::new("rg")
        .arg("--version")
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .map(str::to_string)
}
