//! `imr show ID`: one item, or its whole letter, in full.

use std::process::ExitCode;

use clap::Args;
use imr_search::model::{Item, Letter};
use imr_search::search::Engine;

use super::common::{print_json, say, IndexArg, Style};

#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 shown; 2 no such id, or no usable index.")]
pub struct ShowArgs {
    #[command(flatten)]
    pub index: IndexArg,

    /// An item's id, as search prints it.
    pub id: String,

    /// Show the whole letter the item belongs to.
    #[arg(long)]
    pub letter: bool,

    /// Print the parse record (the letter's, or the item's) as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run_show(args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&args.index.index_dir())?;
    let (letter, item) = engine.show(&args.id)?;
    let item = item.and_then(|i| letter.items.get(i));
    match (args.letter || item.is_none(), args.json) {
        (true, true) => print_json(&letter)?,
        (true, false) => print_letter(&letter)?,
        (false, true) => print_json(&item)?,
        (false, false) => {
            print_heading(&letter)?;
            if let Some(item) = item {
                print_item(item)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_heading(letter: &Letter) -> anyhow::Result<()> {
    let style = Style::for_stdout();
    say!("{}", style.bold(&letter.source));
    say!(
        "  {}  case {}  decided {}  reviewer {}",
        letter.family.slug(),
        letter.case_number.as_deref().unwrap_or("-"),
        letter.dates.decision.as_deref().unwrap_or("-"),
        letter.reviewer.specialty.as_deref().unwrap_or("-")
    );
    Ok(())
}

fn print_letter(letter: &Letter) -> anyhow::Result<()> {
    print_heading(letter)?;
    if !letter.summary.is_empty() {
        say!("\nCase summary\n  {}", letter.summary);
    }
    for item in &letter.items {
        print_item(item)?;
    }
    if letter.items.is_empty() && !letter.rest.is_empty() {
        say!("\n{}", letter.rest);
    }
    for warning in &letter.warnings {
        say!("warning: {warning}");
    }
    Ok(())
}

fn print_item(item: &Item) -> anyhow::Result<()> {
    let style = Style::for_stdout();
    say!(
        "\n[{}] {}: {}",
        item.index,
        style.bold(&item.treatment),
        style.outcome(item.decision.map_or("no outcome", |d| d.slug()))
    );
    let category = match &item.drug_class {
        Some(class) => format!("{}/{}", item.category, class),
        None => item.category.clone(),
    };
    say!(
        "  category {}; regions {}",
        category,
        item.body_regions.join(", ")
    );
    for citation in &item.guidelines {
        say!(
            "  {} cites {} ({})",
            citation.cited_by_label(),
            citation.facet,
            citation.raw
        );
    }
    say!("  {}", item.rationale);
    Ok(())
}

trait CitedByLabel {
    fn cited_by_label(&self) -> &'static str;
}

impl CitedByLabel for imr_search::Citation {
    fn cited_by_label(&self) -> &'static str {
        match self.cited_by {
            imr_search::model::CitedBy::Reviewer => "reviewer",
            imr_search::model::CitedBy::ClaimsAdministrator => "claims administrator",
        }
    }
}
