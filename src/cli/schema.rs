//! `imr schema`: the index schema.

use std::process::ExitCode;

use clap::Args;
use imr_search::index::schema::FieldKind;
use imr_search::index::IndexSchema;

use super::common::print_json;
use super::output::{wrap, Paged, Ui};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the fields as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run_schema(ui: &Ui, args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    let schema = IndexSchema::embedded();
    if args.json {
        print_json(&serde_json::json!({"version": schema.version, "fields": schema.specs}))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut page = Paged::default();
    page.line(format!("schema version {}", schema.version));
    for spec in &schema.specs {
        let kind = serde_json::to_value(spec.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let tokenizer = spec.tokenizer.as_deref().unwrap_or(match spec.kind {
            FieldKind::Text => "en_stem",
            FieldKind::String => "raw",
            _ => "",
        });
        let mut traits: Vec<String> = Vec::new();
        if !tokenizer.is_empty() {
            traits.push(format!("tokenizer {tokenizer}"));
        }
        for (on, name) in [
            (spec.stored, "stored"),
            (spec.indexed || spec.kind == FieldKind::Facet, "indexed"),
            (spec.fast, "fast"),
            (spec.synonyms, "synonyms"),
            (spec.pairs.any(), "pairs"),
        ] {
            if on {
                traits.push(name.to_string());
            }
        }
        if let Some(facet) = &spec.facet {
            traits.push(format!("facet {facet}"));
        }
        if let Some(scope) = &spec.scope {
            traits.push(format!("query {scope}:"));
        }
        let head = format!("{:<17} {:<7} ", spec.name, kind);
        page.line(wrap(
            &traits.join(", "),
            ui.width,
            &ui.style.bold(&head),
            &" ".repeat(26),
        ));
        if let Some(about) = &spec.about {
            page.line(wrap(about, ui.width, &" ".repeat(26), &" ".repeat(26)));
        }
    }
    page.show(false)?;
    Ok(ExitCode::SUCCESS)
}
