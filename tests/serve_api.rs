//! `imr serve`: every endpoint answered in process and by a started server, in
//! the command line's `--json` shapes; errors as 400 with the command line's
//! message; CSV; letter text escaped on every page; security headers; a live
//! index followed without a restart.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use imr_search::index::IndexDir;
use imr_serve::{router, AppState};
use serde_json::Value;
use tower::ServiceExt;

use crate::cli_search::{indexed, Indexed};
use crate::util::imr;

/// An answer: status, headers and body.
struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Asks the in-process server for `uri`.
async fn get(state: &AppState, uri: &str) -> Answer {
    let response = router(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn state_of(index: &Path) -> AppState {
    AppState::open(IndexDir::new(index), Duration::from_secs(10))
        .await
        .unwrap()
}

/// What `imr ARGS --index INDEX` prints, as JSON (one object, or one per line).
fn cli_json(index: &Path, args: &[&str]) -> Value {
    let output = imr().args(args).arg("--index").arg(index).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `answer` with every hit's score rounded: a score summed in another order may
/// differ in its last bits.
fn rounded(mut answer: Value) -> Value {
    if let Some(hits) = answer["hits"].as_array_mut() {
        for hit in hits {
            let score = hit["score"].as_f64().unwrap_or(0.0);
            hit["score"] = serde_json::json!((score * 1e3).round() / 1e3);
        }
    }
    answer
}

/// `uri`'s query string, made of pairs.
fn uri(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{path}?{query}")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_answers_as_the_command_line_does() {
    let ix = indexed();
    let state = state_of(&ix.index).await;
    let health = get(&state, "/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["status"], "ok");

    let searched = get(
        &state,
        &uri(
            "/api/search",
            &[
                ("q", "therapy"),
                ("region", "knee"),
                ("facet", "decision"),
                ("facet", "category"),
                ("limit", "5"),
            ],
        ),
    )
    .await;
    assert_eq!(searched.status, StatusCode::OK);
    let cli = cli_json(
        &ix.index,
        &[
            "search", "--json", "therapy", "--region", "knee", "--facet", "decision", "--facet",
            "category", "--limit", "5",
        ],
    );
    assert_eq!(rounded(searched.json()), rounded(cli.clone()));

    let stats = get(
        &state,
        &uri("/api/stats", &[("by", "region"), ("decision", "upheld")]),
    )
    .await;
    assert_eq!(
        stats.json(),
        cli_json(
            &ix.index,
            &["stats", "--json", "--by", "region", "--decision", "upheld"]
        )
    );

    let id = cli["hits"][0]["id"].as_str().unwrap().to_string();
    let similar = get(&state, &format!("/api/similar/{id}")).await;
    assert_eq!(
        rounded(similar.json()),
        rounded(cli_json(&ix.index, &["similar", "--json", &id]))
    );
    let item = get(&state, &format!("/api/items/{id}")).await;
    assert_eq!(item.json(), cli_json(&ix.index, &["show", "--json", &id]));
    let letter = get(&state, &format!("/api/letters/{id}")).await;
    assert_eq!(
        letter.json(),
        cli_json(&ix.index, &["show", "--letter", "--json", &id])
    );
    let schema = get(&state, "/api/schema").await;
    let output = imr().args(["schema", "--json"]).output().unwrap();
    assert_eq!(
        schema.json(),
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    );

    let missing = get(&state, "/api/items/0000000000000000-9").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_questions_are_400_with_the_command_line_s_message() {
    let ix = indexed();
    let state = state_of(&ix.index).await;
    let malformed = get(&state, &uri("/api/search", &[("q", "emg AND")])).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let output = imr()
        .args(["search", "emg AND", "--index"])
        .arg(&ix.index)
        .output()
        .unwrap();
    let cli_message = String::from_utf8(output.stderr).unwrap();
    let body = malformed.json();
    assert_eq!(
        format!("imr: {}\n", body["error"].as_str().unwrap()),
        cli_message
    );
    assert_eq!(body["position"], 5);
    for (pairs, said) in [
        (vec![("region", "lowback")], "did you mean low-back?"),
        (vec![("limit", "1000")], "more than the 100 allowed"),
        (vec![("sort", "sideways")], "sorts are relevance and date"),
        (vec![("facet", "colour")], "unknown facet"),
    ] {
        let answer = get(&state, &uri("/api/search", &pairs)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{pairs:?}");
        assert!(
            answer.json()["error"].as_str().unwrap().contains(said),
            "{}",
            answer.body
        );
    }
    let too_long = "a ".repeat(6_000);
    let answer = get(&state, &uri("/api/search", &[("q", &too_long)])).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let page = get(&state, &uri("/", &[("q", "emg AND")])).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("AND has nothing after it"),
        "{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_answers_read_back_as_their_json() {
    let ix = indexed();
    let state = state_of(&ix.index).await;
    let json = get(&state, &uri("/api/search", &[("limit", "100")]))
        .await
        .json();
    let csv = get(
        &state,
        &uri("/api/search", &[("limit", "100"), ("format", "csv")]),
    )
    .await;
    assert!(csv.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    let json_ids: Vec<String> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, json_ids);
    let stats = get(
        &state,
        &uri("/api/stats", &[("by", "decision"), ("format", "csv")]),
    )
    .await;
    let mut reader = csv::Reader::from_reader(stats.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let stats_json = get(&state, &uri("/api/stats", &[("by", "decision")]))
        .await
        .json();
    assert_eq!(rows.len(), stats_json["rows"].as_array().unwrap().len());
}

/// A letter whose text tries to run script in a page.
const HOSTILE: &str = "Case Number:  CM14-0999999  Decision Date:  07/15/2014

IMR ISSUES, DECISIONS AND RATIONALES

<script>alert('treatment')</script> \"><img src=x onerror=alert(1)>:  Upheld

MAXIMUS guideline: Decision based on MTUS <b>ACOEM</b>

Decision rationale: The request <script>alert('rationale')</script> and \"><img src=x onerror=alert(2)> is not medically necessary.
";

#[tokio::test(flavor = "multi_thread")]
async fn letter_text_is_escaped_on_every_page_and_headers_are_set() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    std::fs::write(letters.join("hostile.txt"), HOSTILE).unwrap();
    let index = dir.path().join("index");
    imr()
        .arg("index")
        .arg("--index")
        .arg(&index)
        .arg(&letters)
        .assert()
        .success();
    let state = state_of(&index).await;
    let api = get(&state, &uri("/api/search", &[("q", "rationale")]))
        .await
        .json();
    let hit = &api["hits"][0];
    assert!(
        hit["treatment"].as_str().unwrap().contains("<script>"),
        "the API gives the text as it is"
    );
    let id = hit["id"].as_str().unwrap().to_string();
    for (page, escaped) in [
        (
            uri("/", &[("q", "alert")]),
            &["&lt;script&gt;", "&lt;img"][..],
        ),
        (format!("/items/{id}"), &["&lt;script&gt;", "&lt;img"]),
        (uri("/stats", &[("by", "guideline"), ("q", "alert")]), &[]),
        (
            uri("/", &[("q", "<script>alert(3)</script>")]),
            &["&lt;script&gt;alert(3)"],
        ),
    ] {
        let answer = get(&state, &page).await;
        assert!(
            answer.status.is_success() || answer.status == StatusCode::BAD_REQUEST,
            "{page}"
        );
        for raw in ["<script>", "<img", "<b>"] {
            assert!(
                !answer.body.contains(raw),
                "{page} holds {raw}: {}",
                answer.body
            );
        }
        for shown in escaped {
            assert!(answer.body.contains(shown), "{page}: {}", answer.body);
        }
        let csp = answer.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"));
        assert_eq!(answer.headers["x-content-type-options"], "nosniff");
        assert_eq!(answer.headers["referrer-policy"], "no-referrer");
    }
    let json = get(&state, "/api/schema").await;
    assert!(json.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(json.headers["x-content-type-options"], "nosniff");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pages_show_hits_facets_items_and_statistics() {
    let ix = indexed();
    let state = state_of(&ix.index).await;
    let page = get(&state, &uri("/", &[("q", "therapy"), ("region", "knee")])).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Showing 1–",
        "region: <strong>knee</strong>",
        "Guideline cited",
        "decided 20",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    let json = get(
        &state,
        &uri("/api/search", &[("q", "therapy"), ("region", "knee")]),
    )
    .await
    .json();
    let id = json["hits"][0]["id"].as_str().unwrap();
    let item = get(&state, &format!("/items/{id}")).await;
    for expected in [
        "Decision rationale",
        "Similar decisions",
        "The letter",
        "Guidelines cited",
    ] {
        assert!(item.body.contains(expected), "{expected}");
    }
    let stats = get(&state, &uri("/stats", &[("by", "category")])).await;
    assert!(stats.body.contains("<svg"), "a chart");
    assert!(stats.body.contains("Download as CSV"));
    let help = get(&state, "/help").await;
    assert!(help.body.contains("Writing a query"));
    let style = get(&state, "/assets/style.css").await;
    assert!(style.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert_eq!(get(&state, "/nowhere").await.status, StatusCode::NOT_FOUND);
}

/// A started `imr serve --port 0`, and the address it printed.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Server {
    pub fn start(index: &Path) -> Server {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_imr"))
            .args(["serve", "--port", "0", "--index"])
            .arg(index)
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("printed {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Server { child, address }
    }

    pub fn get_json(&self, path: &str) -> Value {
        let body = ureq::get(&format!("{}{path}", self.address))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }

    /// Stops the server as SIGTERM does; its exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        // SAFETY: kill only sends a signal to the child this test started.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_letter(ix: &Indexed, name: &str, to: &str) {
    std::fs::copy(crate::util::fixtures().join(name), ix.letters.join(to)).unwrap();
}

#[test]
fn a_started_server_follows_the_index_without_a_restart_and_stops_cleanly() {
    let ix = indexed();
    let server = Server::start(&ix.index);
    assert_eq!(server.get_json("/healthz")["status"], "ok");
    let before = server.get_json("/api/search?limit=0")["total"]
        .as_u64()
        .unwrap();

    // An incremental run: the new letter's two items are found, with no restart.
    copy_letter(&ix, "notice.txt", "notice-copy-with-other-bytes.txt");
    let copy = ix.letters.join("notice-copy-with-other-bytes.txt");
    let text = std::fs::read_to_string(&copy)
        .unwrap()
        .replace("CM13-0012345", "CM13-0099999");
    std::fs::write(&copy, text).unwrap();
    imr()
        .arg("index")
        .arg("--index")
        .arg(&ix.index)
        .assert()
        .code(3);
    let waited = Instant::now();
    let after = loop {
        let total = server.get_json("/api/search?limit=0")["total"]
            .as_u64()
            .unwrap();
        if total != before || waited.elapsed() > Duration::from_secs(10) {
            break total;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(after, before + 2);

    // A rebuild while searches run: every one answered, the new generation served.
    let generation = server.get_json("/healthz")["generation"].clone();
    let address = server.address.clone();
    let searching = std::thread::spawn(move || {
        let mut failures = 0;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(3) {
            let answered =
                ureq::get(&format!("{address}/api/search?q=therapy&facet=region")).call();
            if answered.is_err() {
                failures += 1;
            }
        }
        failures
    });
    imr()
        .args(["index", "--rebuild", "--index"])
        .arg(&ix.index)
        .assert()
        .code(3);
    assert_eq!(
        searching.join().unwrap(),
        0,
        "a search failed during the rebuild"
    );
    let waited = Instant::now();
    while server.get_json("/healthz")["generation"] == generation
        && waited.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_ne!(server.get_json("/healthz")["generation"], generation);
    assert_eq!(
        server.get_json("/api/search?limit=0")["total"]
            .as_u64()
            .unwrap(),
        after
    );
    assert!(server.stop().success(), "SIGTERM stops the server cleanly");
}

#[test]
fn a_server_on_another_address_warns_there_is_no_authentication() {
    let ix = indexed();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(["serve", "--bind", "0.0.0.0", "--port", "0", "--index"])
        .arg(&ix.index)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("no authentication"), "{line}");
}
