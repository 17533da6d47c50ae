//! The HTTP API: the command line's `--json` shapes, over HTTP. Errors are JSON
//! too: `{"error": message, "position": n or null}` with the status of
//! [`ServeError::status`].

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use imr_search::index::IndexSchema;
use imr_search::search::{CsvHit, ExportedHit, Hit, StatsResponse};
use serde_json::json;

use crate::params::Params;
use crate::{AppState, ServeError};

impl IntoResponse for ServeError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.to_string(), "position": self.position()});
        (self.status(), Json(body)).into_response()
    }
}

/// `format=csv` or JSON.
fn wants_csv(params: &Params) -> Result<bool, ServeError> {
    match params.one("format").as_deref() {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(other) => Err(ServeError::BadParameter(format!(
            "format={other:?}: formats are json and csv"
        ))),
    }
}

/// `GET /api/search`: the query `q`, every filter under its flag's name,
/// `facet` (repeatable), `limit`, `offset`, `sort`; `format=csv` for the hits as
/// CSV.
pub async fn search(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ServeError> {
    let params = Params::parse(query.as_deref());
    let request = params.search_request(params.facets())?;
    let csv = wants_csv(&params)?;
    let response = state.run(move |engine| engine.search(&request)).await?;
    if csv {
        return csv_response(hits_csv(&response.hits)?);
    }
    Ok(Json(response).into_response())
}

/// `GET /api/stats?by=FACET`, with the query and filters of a search;
/// `format=csv` for the rows as CSV.
pub async fn stats(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ServeError> {
    let params = Params::parse(query.as_deref());
    let by = params
        .one("by")
        .ok_or_else(|| ServeError::BadParameter("by= names the facet to count by".into()))?;
    let (text, filters) = (params.query()?, params.filters());
    let csv = wants_csv(&params)?;
    let stats = state
        .run(move |engine| engine.stats(&text, &filters, &by))
        .await?;
    if csv {
        return csv_response(stats_csv(&stats)?);
    }
    Ok(Json(stats).into_response())
}

/// `GET /api/similar/{id}`, with the filters and paging of a search.
pub async fn similar(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ServeError> {
    let params = Params::parse(query.as_deref());
    let request = params.search_request(params.facets())?;
    let response = state
        .run(move |engine| engine.similar(&id, &request))
        .await?;
    Ok(Json(response).into_response())
}

/// `GET /api/items/{id}`: the item, with its id, file, case number and decision
/// date, as `imr show --json ID` prints it.
pub async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ServeError> {
    let shown = state.run(move |engine| engine.show(&id)).await?;
    let record = shown.first().and_then(|letter| {
        letter
            .item_record()
            .map(|item| serde_json::to_value(item).unwrap_or_default())
    });
    match record {
        Some(record) => Ok(Json(record).into_response()),
        None => Err(ServeError::Search(
            imr_search::search::SearchError::NotFound("an item".into()),
        )),
    }
}

/// `GET /api/letters/{id}`: the letter of a letter's or an item's id, as `imr
/// show --letter --json` prints it.
pub async fn letter(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ServeError> {
    let shown = state.run(move |engine| engine.show(&id)).await?;
    let letter = shown
        .first()
        .map(|letter| serde_json::to_value(letter.letter_record()).unwrap_or_default());
    Ok(Json(letter).into_response())
}

/// `GET /api/schema`: the index's fields, as `imr schema --json` prints them.
pub async fn schema() -> Response {
    let schema = IndexSchema::embedded();
    Json(json!({"version": schema.version, "fields": schema.specs})).into_response()
}

/// `GET /healthz`: 200 and the generation served, while the index answers.
pub async fn health(State(state): State<AppState>) -> Result<Response, ServeError> {
    let engine = state.engine();
    let documents = engine.searcher().num_docs();
    Ok(
        Json(json!({"status": "ok", "generation": engine.generation(), "documents": documents}))
            .into_response(),
    )
}

/// A CSV answer, to be saved as a file.
fn csv_response(body: Vec<u8>) -> Result<Response, ServeError> {
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"imr.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// The hits as CSV: the columns of `imr search --format csv`, and the header even
/// for no hits.
fn hits_csv(hits: &[Hit]) -> Result<Vec<u8>, ServeError> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let failed = |e: csv::Error| ServeError::Io(std::io::Error::other(e));
    writer.write_record(CsvHit::COLUMNS).map_err(failed)?;
    for hit in hits {
        writer
            .serialize(ExportedHit::from(hit).csv())
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| ServeError::Io(std::io::Error::other(e.to_string())))
}

/// The rows of `stats` as CSV: the columns of `imr stats --format csv`.
pub fn stats_csv(stats: &StatsResponse) -> Result<Vec<u8>, ServeError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in &stats.rows {
        writer
            .serialize(row)
            .map_err(|e| ServeError::Io(std::io::Error::other(e)))?;
    }
    writer
        .into_inner()
        .map_err(|e| ServeError::Io(std::io::Error::other(e.to_string())))
}
