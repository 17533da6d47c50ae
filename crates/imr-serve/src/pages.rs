//! The web pages, rendered on the server: they work without JavaScript, and every
//! state (query, filters, page, facet clicked) is a URL to share. Every piece of
//! letter text goes through maud's escaping.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use imr_search::index::codes::NO_VALUE;
use imr_search::model::CitedBy;
use imr_search::search::{Hit, SearchRequest, SearchResponse, ShownLetter, StatsResponse};
use maud::{html, Markup, DOCTYPE};

use crate::params::{Params, PAGE};
use crate::{AppState, ServeError};

/// The stylesheet, the pages' only asset.
const STYLE: &str = include_str!("../assets/style.css");

/// The facets of the search page's sidebar, in its order.
const SIDEBAR: [&str; 6] = [
    "decision",
    "region",
    "category",
    "guideline",
    "specialty",
    "year",
];

/// The facets the statistics page counts by.
const STATS_BY: [&str; 8] = [
    "decision",
    "region",
    "category",
    "guideline",
    "claims_guideline",
    "specialty",
    "family",
    "year",
];

/// Most values a facet shows in the sidebar, per level.
const SIDEBAR_VALUES: usize = 12;
/// Most bars a chart draws.
const CHART_BARS: usize = 25;

/// `GET /assets/style.css`.
pub async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// Any other path.
pub async fn not_found() -> Response {
    page_response(
        StatusCode::NOT_FOUND,
        "Not found",
        html! { p { "There is no page here. " a href="/" { "Search the decisions." } } },
    )
}

/// An HTML answer with `status`.
fn page_response(status: StatusCode, title: &str, body: Markup) -> Response {
    (
        status,
        Html(layout(title, &Params::default(), body).into_string()),
    )
        .into_response()
}

/// A failure, as a page: the message, and the search box to try again.
fn error_page(params: &Params, error: &ServeError) -> Response {
    let body = html! {
        div.error role="alert" {
            h2 { "That search cannot be run" }
            p { (error.to_string()) }
            @if let Some(position) = error.position() {
                p.hint { "The problem is at character " (position) " of the query." }
            }
            p { a href="/help" { "How to write a query" } }
        }
    };
    let status = error.status();
    (status, Html(layout("Error", params, body).into_string())).into_response()
}

/// The page around `body`: the search box, the links to help and statistics.
fn layout(title: &str, params: &Params, body: Markup) -> Markup {
    let query = params.one("q").unwrap_or_default();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · IMR decisions" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                header.top {
                    a.brand href="/" { "IMR decisions" }
                    form.search action="/" method="get" role="search" {
                        input type="search" name="q" value=(query) aria-label="Search the decisions"
                            placeholder="e.g. emg radiculopathy, \"physical therapy\", opioid*";
                        @for (key, value) in params.active_filters() {
                            input type="hidden" name=(key) value=(value);
                        }
                        button type="submit" { "Search" }
                    }
                    nav {
                        a href="/help" { "Query help" }
                        " · "
                        a href=(params.question().url("/stats")) { "Statistics" }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// `GET /`: the search page: hits with snippets, facet counts in a sidebar,
/// active filters as chips, pages.
pub async fn search_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    let facets = SIDEBAR.iter().map(|f| f.to_string()).collect();
    let request = match params.search_request(facets) {
        Ok(request) => request,
        Err(error) => return error_page(&params, &error),
    };
    let asked = request.clone();
    match state.run(move |engine| engine.search(&request)).await {
        Ok(response) => {
            let body = results(&params, &asked, &response);
            let title = if asked.query.is_empty() {
                "Search"
            } else {
                &asked.query
            };
            Html(layout(title, &params, body).into_string()).into_response()
        }
        Err(error) => error_page(&params, &error),
    }
}

fn results(params: &Params, request: &SearchRequest, response: &SearchResponse) -> Markup {
    html! {
        div.columns {
            aside.facets aria-label="Refine" {
                @for facet in SIDEBAR {
                    @if let Some(values) = response.facets.get(facet).filter(|v| !v.is_empty()) {
                        (facet_box(params, facet, values))
                    }
                }
            }
            section.results {
                (chips(params, "/"))
                p.count { (paging_text(response.total, response.hits.len(), request)) }
                @for hit in &response.hits {
                    (hit_card(hit))
                }
                (pager(params, request, response))
            }
        }
    }
}

/// What the page of hits is.
fn paging_text(total: usize, shown: usize, request: &SearchRequest) -> String {
    let first = request.offset + 1;
    let last = request.offset + shown;
    match (total, shown) {
        (0, _) => "No decision matches.".to_string(),
        (_, 0) => format!("{total} matching items; this page is past the last."),
        _ => format!("Showing {first}–{last} of {total} matching items."),
    }
}

/// The active filters, each with a link to `path` without it.
fn chips(params: &Params, path: &str) -> Markup {
    let active = params.active_filters();
    html! {
        @if !active.is_empty() {
            ul.chips aria-label="Active filters" {
                @for (key, value) in &active {
                    li.chip {
                        span { (key.replace('_', " ")) ": " strong { (value) } }
                        a.remove href=(params.without(key, value).url(path))
                            aria-label=(format!("Remove {key} {value}")) { "×" }
                    }
                }
                li { a.clear href=(params.without_filters().url(path)) { "Clear all" } }
            }
        }
    }
}

/// Previous and next page links.
fn pager(params: &Params, request: &SearchRequest, response: &SearchResponse) -> Markup {
    let limit = request.limit.max(1);
    let previous = request
        .offset
        .checked_sub(limit)
        .or((request.offset > 0).then_some(0));
    let next = request.offset + response.hits.len();
    html! {
        nav.pager aria-label="Pages" {
            @if let Some(offset) = previous {
                a rel="prev" href=(params.set("offset", &offset.to_string()).url("/")) { "← Previous" }
            }
            @if next < response.total && !response.hits.is_empty() {
                a rel="next" href=(params.set("offset", &next.to_string()).url("/")) { "Next →" }
            }
        }
    }
}

/// One hit: its treatment (a link to the item), outcome, case and date, regions,
/// citations, and the rationale's passage with the matched words marked.
fn hit_card(hit: &Hit) -> Markup {
    let category = match (&hit.category, &hit.drug_class) {
        (Some(c), Some(d)) => format!("{c}/{d}"),
        (Some(c), None) => c.clone(),
        _ => String::new(),
    };
    let outcome = hit.decision.as_deref().unwrap_or("no outcome");
    html! {
        article.hit {
            h2 { a href=(format!("/items/{}", hit.id)) { (hit.treatment.as_deref().unwrap_or("(a file that is not a letter)")) } }
            p.meta {
                span class=(format!("outcome {outcome}")) { (outcome) }
                @if !category.is_empty() { " · " (category) }
                " · case " (hit.case_number.as_deref().unwrap_or("–"))
                " · decided " (hit.decision_date.as_deref().unwrap_or("–"))
            }
            @if !hit.body_regions.is_empty() {
                p.regions { "Regions: " (hit.body_regions.join(", ")) }
            }
            @if !hit.guidelines.is_empty() {
                p.cites { "Cites: "
                    @for (n, path) in hit.guidelines.iter().enumerate() {
                        @if n > 0 { "; " }
                        a href=(Params::default().with("guideline", path).url("/")) { (path) }
                    }
                }
            }
            p.snippet { (marked(&hit.snippet, &hit.highlights)) }
        }
    }
}

/// `text` with the byte ranges `highlights` in `<mark>`, every part escaped.
fn marked(text: &str, highlights: &[(usize, usize)]) -> Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    for &(start, end) in highlights {
        let valid = start >= at
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !valid {
            continue;
        }
        parts.push((false, &text[at..start]));
        parts.push((true, &text[start..end]));
        at = end;
    }
    parts.push((false, &text[at..]));
    html! {
        @for (mark, part) in parts {
            @if mark { mark { (part) } } @else { (part) }
        }
    }
}

/// One facet's counts in the sidebar: values as links adding the filter; the
/// guideline facet as a tree.
fn facet_box(params: &Params, facet: &str, values: &BTreeMap<String, u64>) -> Markup {
    let title = match facet {
        "guideline" => "Guideline cited",
        "specialty" => "Reviewer specialty",
        other => other,
    };
    html! {
        section.facet {
            h3 { (title) }
            @if facet == "guideline" {
                (guideline_tree(params, values, "", 1))
            } @else {
                ul {
                    @for (value, count) in top_values(facet, values) {
                        li { (facet_value(params, facet, value, value, count)) }
                    }
                }
            }
        }
    }
}

/// A facet's top values: most items first (years newest first), the items of no
/// value last; sub-paths left to the tree.
fn top_values<'a>(facet: &str, values: &'a BTreeMap<String, u64>) -> Vec<(&'a str, u64)> {
    let mut rows: Vec<(&str, u64)> = values
        .iter()
        .filter(|(value, _)| facet == "category" || !value.contains('/'))
        .map(|(value, count)| (value.as_str(), *count))
        .collect();
    rows.sort_by(|a, b| {
        let none = (a.0 == NO_VALUE).cmp(&(b.0 == NO_VALUE));
        let order = if facet == "year" {
            b.0.cmp(a.0)
        } else {
            b.1.cmp(&a.1).then(a.0.cmp(b.0))
        };
        none.then(order)
    });
    rows.truncate(if facet == "year" { 30 } else { SIDEBAR_VALUES });
    rows
}

/// A facet value: a link adding it as a filter (marked when active), its count.
fn facet_value(params: &Params, facet: &str, value: &str, label: &str, count: u64) -> Markup {
    let (key, filter) = filter_of(facet, value);
    let active = filter.as_ref().is_some_and(|f| params.has(key, f));
    html! {
        @match filter {
            Some(filter) if value != NO_VALUE => {
                a href=(filter_link(params, facet, value, &filter).url("/")) class=[active.then_some("active")] { (label) }
            }
            _ => span.none { (label) },
        }
        " " span.n { (count) }
    }
}

/// The filter parameter and value a facet value stands for: a path for the
/// guideline facets (a prefix of the paths below it), the decision date's range
/// for a year.
fn filter_of(facet: &str, value: &str) -> (&'static str, Option<String>) {
    match facet {
        "decision" => ("decision", Some(value.to_string())),
        "region" => ("region", Some(value.to_string())),
        "category" => ("category", Some(value.to_string())),
        "specialty" => ("specialty", Some(value.to_string())),
        "family" => ("family", Some(value.to_string())),
        "guideline" => ("guideline", Some(format!("/{value}"))),
        "claims_guideline" => ("claims_guideline", Some(format!("/{value}"))),
        "year" => ("since", Some(format!("{value}-01-01"))),
        _ => ("", None),
    }
}

/// The search with a facet value's filter added.
fn filter_link(params: &Params, facet: &str, value: &str, filter: &str) -> Params {
    match facet {
        "year" => params
            .set("since", filter)
            .set("until", &format!("{value}-12-31")),
        _ => params.with(filter_of(facet, value).0, filter),
    }
}

/// The guideline paths under `parent` as nested lists, a level at a time.
fn guideline_tree(
    params: &Params,
    values: &BTreeMap<String, u64>,
    parent: &str,
    depth: usize,
) -> Markup {
    let mut children: Vec<(&String, u64)> = values
        .iter()
        .filter(|(path, _)| path.as_str() != NO_VALUE && path.matches('/').count() + 1 == depth)
        .filter(|(path, _)| parent.is_empty() || path.starts_with(&format!("{parent}/")))
        .map(|(path, count)| (path, *count))
        .collect();
    children.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    children.truncate(SIDEBAR_VALUES);
    html! {
        @if !children.is_empty() {
            ul.tree {
                @for (path, count) in children {
                    @let label = path.rsplit('/').next().unwrap_or(path);
                    @let deeper = values.keys().any(|p| p.starts_with(&format!("{path}/")));
                    li {
                        @if deeper && depth < 3 {
                            details open[depth == 1] {
                                summary { (facet_value(params, "guideline", path, label, count)) }
                                (guideline_tree(params, values, path, depth + 1))
                            }
                        } @else {
                            (facet_value(params, "guideline", path, label, count))
                        }
                    }
                }
            }
        }
    }
}

/// `GET /items/{id}`: the whole item, its citations as links to their filter,
/// its letter's other items and text, and similar decisions.
pub async fn item_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let params = Params::default();
    let wanted = id.clone();
    let found = state
        .run(move |engine| {
            let letters = engine.show(&wanted)?;
            let similar = engine.similar(
                &wanted,
                &SearchRequest {
                    limit: PAGE,
                    ..SearchRequest::default()
                },
            );
            Ok((letters, similar.ok()))
        })
        .await;
    match found {
        Ok((letters, similar)) => match letters.first() {
            Some(shown) => {
                let title = shown
                    .item
                    .and_then(|i| shown.letter.items.get(i))
                    .map_or("Letter".to_string(), |item| item.treatment.clone());
                let body = item_body(shown, similar.as_ref());
                Html(layout(&title, &params, body).into_string()).into_response()
            }
            None => error_page(&params, &ServeError::BadParameter(format!("no item {id}"))),
        },
        Err(error) => error_page(&params, &error),
    }
}

fn item_body(shown: &ShownLetter, similar: Option<&SearchResponse>) -> Markup {
    let letter = &shown.letter;
    let item = shown.item.and_then(|i| letter.items.get(i));
    html! {
        @if let Some(item) = item {
            article.item {
                h1 { (item.treatment) }
                @let outcome = item.decision.map_or("no outcome", |d| d.slug());
                p.meta {
                    span class=(format!("outcome {outcome}")) { (outcome) }
                    " · " (item.category) @if let Some(class) = &item.drug_class { "/" (class) }
                    " · case " (letter.case_number.as_deref().unwrap_or("–"))
                    " · decided " (letter.dates.decision.as_deref().unwrap_or("–"))
                    @if let Some(specialty) = &letter.reviewer.specialty { " · reviewer: " (specialty) }
                }
                @if !item.body_regions.is_empty() {
                    p.regions { "Regions: " (item.body_regions.join(", ")) }
                }
                @if !item.guidelines.is_empty() {
                    h2 { "Guidelines cited" }
                    ul.citations {
                        @for citation in &item.guidelines {
                            @let (who, key) = match citation.cited_by {
                                CitedBy::Reviewer => ("Reviewer", "guideline"),
                                CitedBy::ClaimsAdministrator => ("Claims administrator", "claims_guideline"),
                            };
                            li {
                                span.who { (who) ": " }
                                a href=(Params::default().with(key, &citation.facet).url("/")) { (citation.facet) }
                                br;
                                span.raw { (citation.raw) }
                            }
                        }
                    }
                }
                h2 { "Decision rationale" }
                @for paragraph in item.rationale.split("\n\n") {
                    p { (paragraph) }
                }
            }
        }
        @let others: Vec<_> = letter.items.iter().filter(|i| Some(i.index) != shown.item).collect();
        @if !others.is_empty() {
            section.others {
                h2 { "The letter's other items" }
                ul {
                    @for other in others {
                        li {
                            a href=(format!("/items/{}-{}", shown.id, other.index)) { (other.treatment) }
                            " — " (other.decision.map_or("no outcome", |d| d.slug()))
                        }
                    }
                }
            }
        }
        @if let Some(similar) = similar {
            section.similar {
                h2 { "Similar decisions" }
                @if similar.hits.is_empty() { p { "None found." } }
                @for hit in &similar.hits { (hit_card(hit)) }
            }
        }
        section.letter {
            h2 { "The letter" }
            p.meta { (letter.family.slug()) " · file " (letter.source) }
            @if !letter.rest.is_empty() {
                @for paragraph in letter.rest.split("\n\n") { p { (paragraph) } }
            }
            @if !letter.summary.is_empty() {
                h3 { "Clinical case summary" }
                @for paragraph in letter.summary.split("\n\n") { p { (paragraph) } }
            }
        }
    }
}

/// `GET /stats`: the overturn rate by a facet's values for the current question,
/// as a bar chart and a table, with the CSV to download.
pub async fn stats_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    let by = params.one("by").unwrap_or_else(|| "region".to_string());
    let (text, filters) = match params.query() {
        Ok(text) => (text, params.filters()),
        Err(error) => return error_page(&params, &error),
    };
    let facet = by.clone();
    match state
        .run(move |engine| engine.stats(&text, &filters, &facet))
        .await
    {
        Ok(stats) => {
            let body = stats_body(&params, &by, &stats);
            Html(layout("Statistics", &params, body).into_string()).into_response()
        }
        Err(error) => error_page(&params, &error),
    }
}

fn stats_body(params: &Params, by: &str, stats: &StatsResponse) -> Markup {
    let question = params.question();
    let csv = question
        .set("by", by)
        .set("format", "csv")
        .url("/api/stats");
    html! {
        h1 { "Overturn rate by " (by.replace('_', " ")) }
        (chips(&params.question().set("by", by), "/stats"))
        p.count {
            (stats.total) " matching items"
            @if !question.active_filters().is_empty() || question.one("q").is_some() {
                " (" a href=(question.url("/")) { "see them" } ")"
            }
        }
        nav.by aria-label="Count by" {
            @for facet in STATS_BY {
                @if facet == by { strong { (facet.replace('_', " ")) } }
                @else { a href=(question.set("by", facet).url("/stats")) { (facet.replace('_', " ")) } }
                " "
            }
        }
        (chart(stats))
        table.stats {
            thead { tr { th { (by.replace('_', " ")) } th.n { "items" } th.n { "upheld" } th.n { "overturned" } th.n { "overturn rate" } } }
            tbody {
                @for row in &stats.rows {
                    tr {
                        td { (row.value) }
                        td.n { (row.count) }
                        td.n { (row.upheld) }
                        td.n { (row.overturned) }
                        td.n { (row.overturn_rate.map_or("–".to_string(), |r| format!("{:.1}%", r * 100.0))) }
                    }
                }
            }
        }
        p { a.download href=(csv) download="imr-stats.csv" { "Download as CSV" } }
    }
}

/// The overturn rate of the most common values as horizontal bars (SVG, drawn
/// here: nothing runs in the browser).
fn chart(stats: &StatsResponse) -> Markup {
    let rows: Vec<_> = stats
        .rows
        .iter()
        .filter(|row| row.overturn_rate.is_some())
        .take(CHART_BARS)
        .collect();
    let (label_width, bar_width, row_height) = (260.0, 400.0, 22.0);
    let height = row_height * rows.len() as f64 + 30.0;
    let width = label_width + bar_width + 70.0;
    html! {
        @if !rows.is_empty() {
            figure.chart {
                svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {height}"))
                    role="img" aria-label="Overturn rate by value" {
                    @for (n, row) in rows.iter().enumerate() {
                        @let y = 20.0 + n as f64 * row_height;
                        @let rate = row.overturn_rate.unwrap_or(0.0);
                        @let label: String = if row.value.chars().count() > 38 {
                            format!("{}…", row.value.chars().take(37).collect::<String>())
                        } else { row.value.clone() };
                        text x=(label_width - 8.0) y=(y + 14.0) text-anchor="end" { (label) }
                        rect x=(label_width) y=(y + 3.0) width=(format!("{:.1}", rate * bar_width)) height=(row_height - 6.0) class="bar" {}
                        text x=(label_width + rate * bar_width + 6.0) y=(y + 14.0) class="value" {
                            (format!("{:.1}% of {}", rate * 100.0, row.upheld + row.overturned))
                        }
                    }
                    text x=(label_width) y="12" class="axis" { "overturn rate (overturned ÷ decided)" }
                }
            }
        }
    }
}

/// `GET /help`: the query language and the filters.
pub async fn help_page(RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    let rows: [(&str, &str); 10] = [
        ("emg radiculopathy", "both words (all words must match)"),
        ("\"nerve conduction\"", "the phrase"),
        (
            "\"diagnostic blocks\"~2",
            "the words at most 2 positions out of place",
        ),
        ("radicul*", "words starting so"),
        (
            "radiculopahty~",
            "words within 1 edit (~2: two), for damaged text",
        ),
        ("a OR b, a AND b, NOT a, -a, ( )", "boolean logic"),
        (
            "treatment:, rationale:, summary:, guideline:, letter:, case:",
            "a text field",
        ),
        (
            "decision:upheld, region:knee, category:pharmaceutical/opioid",
            "a facet value and everything below it",
        ),
        (
            "guideline:/MTUS/ACOEM/Chapter 12",
            "a guideline path and everything below it",
        ),
        ("* or nothing", "every item"),
    ];
    let body = html! {
        h1 { "Writing a query" }
        table.help {
            thead { tr { th { "type" } th { "to find" } } }
            tbody { @for (form, means) in rows { tr { td { code { (form) } } td { (means) } } } }
        }
        p { "Words are stemmed (English), and abbreviations find their long forms both ways (EMG, NCV, ESI, PT, TENS, MRI...)." }
        p { "Filter with the sidebar's values: each adds a filter, shown as a chip above the results, which its × removes. Every page is a link you can share." }
        p { "The same questions over HTTP, for scripts: " code { "/api/search?q=...&region=knee&facet=decision" } ", " code { "/api/stats?by=region" } ", " code { "/api/items/ID" } "." }
    };
    Html(layout("Help", &params, body).into_string()).into_response()
}
