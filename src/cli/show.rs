//! `imr show REF`: one item, a letter, or every letter of a case, in full.

use std::process::ExitCode;

use clap::Args;
use imr_search::model::{CitedBy, Item};
use imr_search::search::{Engine, ShownLetter};

use super::common::{print_json, IndexArg};
use super::output::{wrap, Paged, Ui};

#[derive(Debug, Args)]
#[command(
    after_help = "REF is an item's id (as search prints it), a letter's id, a case number (every letter of the case), or a letter's file.\n\nExit codes: 0 shown; 2 nothing in the index is REF, or no usable index."
)]
pub struct ShowArgs {
    #[command(flatten)]
    pub index: IndexArg,

    /// An item's or letter's id, a case number, or a letter's file.
    #[arg(value_name = "REF")]
    pub reference: String,

    /// Show the whole letter an item belongs to, its text too.
    #[arg(long)]
    pub letter: bool,

    /// Print JSON: the item (with its id, file, case number and decision date), or
    /// with --letter (or a case or letter asked for) one letter record per line.
    #[arg(long)]
    pub json: bool,
}

pub fn run_show(ui: &Ui, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&args.index.index_dir())?;
    let letters = engine.show(&args.reference)?;
    let mut page = Paged::default();
    for shown in &letters {
        let item = shown.item.and_then(|i| shown.letter.items.get(i));
        match (item.filter(|_| !args.letter), args.json) {
            (Some(_), true) => print_json(&shown.item_record())?,
            (None, true) => print_json(&shown.letter_record())?,
            (Some(item), false) => {
                heading(ui, &mut page, shown);
                item_block(ui, &mut page, &shown.id, item);
            }
            (None, false) => letter_text(ui, &mut page, shown),
        }
    }
    page.show(ui.pager)?;
    Ok(ExitCode::SUCCESS)
}

/// The letter's file and what it is.
fn heading(ui: &Ui, page: &mut Paged, shown: &ShownLetter) {
    let letter = &shown.letter;
    page.line(wrap(&ui.style.bold(&letter.source), ui.width, "", "  "));
    let about = format!(
        "{}  case {}  decided {}  reviewer {}  letter id {}",
        letter.family.slug(),
        letter.case_number.as_deref().unwrap_or("-"),
        letter.dates.decision.as_deref().unwrap_or("-"),
        letter.reviewer.specialty.as_deref().unwrap_or("-"),
        shown.id
    );
    page.line(wrap(&about, ui.width, "  ", "  "));
}

/// A whole letter: heading, its text outside the items, the case summary, every
/// item, and what could not be read.
fn letter_text(ui: &Ui, page: &mut Paged, shown: &ShownLetter) {
    heading(ui, page, shown);
    let letter = &shown.letter;
    if !letter.rest.is_empty() {
        page.line("");
        page.line(ui.style.bold("Letter"));
        paragraphs(ui, page, &letter.rest);
    }
    if !letter.summary.is_empty() {
        page.line("");
        page.line(ui.style.bold("Case summary"));
        paragraphs(ui, page, &letter.summary);
    }
    for item in &letter.items {
        item_block(ui, page, &shown.id, item);
    }
    for warning in &letter.warnings {
        page.line(wrap(warning, ui.width, "warning: ", "  "));
    }
    page.line("");
}

/// Text wrapped as paragraphs (its blank-line breaks kept), indented.
fn paragraphs(ui: &Ui, page: &mut Paged, text: &str) {
    for (n, paragraph) in text.split("\n\n").enumerate() {
        if n > 0 {
            page.line("");
        }
        page.line(wrap(&paragraph.replace('\n', " "), ui.width, "  ", "  "));
    }
}

/// One item: treatment and outcome, category and regions, citations, rationale.
fn item_block(ui: &Ui, page: &mut Paged, letter_id: &str, item: &Item) {
    let style = &ui.style;
    page.line("");
    let title = format!(
        "[{}] {}: {}",
        item.index,
        style.bold(&item.treatment),
        style.outcome(item.decision.map_or("no outcome", |d| d.slug()))
    );
    page.line(wrap(&title, ui.width, "", "    "));
    let category = match &item.drug_class {
        Some(class) => format!("{}/{}", item.category, class),
        None => item.category.clone(),
    };
    let about = format!(
        "id {letter_id}-{}; category {category}; regions {}",
        item.index,
        if item.body_regions.is_empty() {
            "-".to_string()
        } else {
            item.body_regions.join(", ")
        }
    );
    page.line(wrap(&about, ui.width, "  ", "    "));
    for citation in &item.guidelines {
        let who = match citation.cited_by {
            CitedBy::Reviewer => "reviewer",
            CitedBy::ClaimsAdministrator => "claims administrator",
        };
        let cited = format!("{who} cites {} ({})", citation.facet, citation.raw);
        page.line(wrap(&cited, ui.width, "  ", "    "));
    }
    paragraphs(ui, page, &item.rationale);
}
