//! `imr schema`: the index schema.

use std::process::ExitCode;

use clap::Args;
use imr_search::index::IndexSchema;

use super::common::{print_json, say};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the fields as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run_schema(args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    let schema = IndexSchema::embedded();
    if args.json {
        print_json(&serde_json::json!({"version": schema.version, "fields": schema.specs}))?;
        return Ok(ExitCode::SUCCESS);
    }
    say!("schema version {}", schema.version);
    say!("field             type    tokenizer      stored  indexed  fast  facet             scope      synonyms  pairs");
    let flag = |on: bool| if on { "yes" } else { "" };
    for spec in &schema.specs {
        let kind = serde_json::to_value(spec.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        say!(
            "{:<17} {:<7} {:<14} {:<7} {:<8} {:<5} {:<17} {:<10} {:<9} {}",
            spec.name,
            kind,
            spec.tokenizer.as_deref().unwrap_or(match spec.kind {
                imr_search::index::schema::FieldKind::Text => "en_stem",
                imr_search::index::schema::FieldKind::String => "raw",
                _ => "",
            }),
            flag(spec.stored),
            flag(spec.indexed || matches!(spec.kind, imr_search::index::schema::FieldKind::Facet)),
            flag(spec.fast),
            spec.facet.as_deref().unwrap_or(""),
            spec.scope.as_deref().unwrap_or(""),
            flag(spec.synonyms),
            flag(spec.pairs)
        );
    }
    Ok(ExitCode::SUCCESS)
}
