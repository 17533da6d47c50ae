//! `imr serve` under load, side by side with an indexing run: clients on loopback
//! ask the query mix (each search counting three facets) over HTTP for a fixed
//! time, while nothing else runs, while an incremental run adds letters, or while
//! a rebuild swaps generations. Requests per second, latency percentiles and
//! errors (none is the goal).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use imr_search::index::IndexDir;
use imr_search::search::Engine;
use serde::Serialize;

use crate::measure::{latency, Latency};
use crate::queries::BenchQuery;
use crate::{full_mix, sibling};

/// What runs beside the clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum During {
    /// Nothing.
    Idle,
    /// `imr index` adding letters to the served index.
    Incremental,
    /// `imr index --rebuild` of the served index.
    Rebuild,
}

/// One load run's figures.
#[derive(Debug, Serialize)]
pub struct LoadReport {
    index: String,
    during: During,
    clients: usize,
    seconds: f64,
    requests: usize,
    errors: usize,
    requests_per_second: f64,
    latency_ms: Latency,
    /// How long the indexing run beside the clients took.
    indexing_seconds: Option<f64>,
}

/// Runs `clients` clients for `seconds` against a server of `index`, with
/// `during` beside them (`letters`: the folder an incremental run adds to).
pub fn run(
    index: &Path,
    clients: usize,
    seconds: u64,
    during: During,
    letters: Option<&Path>,
) -> anyhow::Result<LoadReport> {
    let mix: Vec<String> = {
        let engine = Engine::open(&IndexDir::new(index))?;
        full_mix(&engine)?
            .iter()
            .map(BenchQuery::api_path)
            .collect()
    };
    let server = ServerProcess::start(index)?;
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (stop, next, mix) = (stop.clone(), next.clone(), mix.clone());
            let address = server.address.clone();
            std::thread::spawn(move || client(&address, &mix, &next, &stop))
        })
        .collect();
    let indexing = std::thread::spawn({
        let index = index.to_path_buf();
        let letters = letters.map(Path::to_path_buf);
        move || beside(during, &index, letters.as_deref())
    });
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut times = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (worker_times, worker_errors) = worker.join().expect("a client thread");
        times.extend(worker_times);
        errors += worker_errors;
    }
    let wall = started.elapsed().as_secs_f64();
    let indexing_seconds = indexing.join().expect("the indexing thread")?;
    drop(server);
    Ok(LoadReport {
        index: index.display().to_string(),
        during,
        clients,
        seconds: wall,
        requests: times.len(),
        errors,
        requests_per_second: times.len() as f64 / wall,
        latency_ms: latency(&times),
        indexing_seconds,
    })
}

/// One client: requests one after another on a kept-alive connection, taking
/// the mix's queries in turn with the other clients.
fn client(
    address: &str,
    mix: &[String],
    next: &AtomicUsize,
    stop: &AtomicBool,
) -> (Vec<Duration>, usize) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut times = Vec::new();
    let mut errors = 0;
    while !stop.load(Ordering::Relaxed) {
        let path = &mix[next.fetch_add(1, Ordering::Relaxed) % mix.len()];
        let started = Instant::now();
        let answered = agent
            .get(&format!("{address}{path}"))
            .call()
            .map(|mut response| {
                (
                    response.status().as_u16(),
                    response.body_mut().read_to_vec(),
                )
            });
        match answered {
            Ok((200, Ok(_))) => times.push(started.elapsed()),
            _ => errors += 1,
        }
    }
    (times, errors)
}

/// The indexing run beside the clients, five seconds in; its duration.
fn beside(during: During, index: &Path, letters: Option<&Path>) -> anyhow::Result<Option<f64>> {
    if during == During::Idle {
        return Ok(None);
    }
    std::thread::sleep(Duration::from_secs(5));
    let imr = sibling("imr")?;
    let mut command = Command::new(imr);
    command.args(["index", "--json", "--index"]).arg(index);
    match during {
        During::Rebuild => {
            command.arg("--rebuild");
        }
        _ => {
            command.arg(letters.context("an incremental run needs --letters")?);
        }
    }
    let started = Instant::now();
    let status = command.stdout(Stdio::null()).status()?;
    anyhow::ensure!(
        matches!(status.code(), Some(0 | 3)),
        "imr index failed: {status}"
    );
    Ok(Some(started.elapsed().as_secs_f64()))
}

/// `imr serve --port 0` of an index, stopped when dropped.
struct ServerProcess {
    child: Child,
    address: String,
}

impl ServerProcess {
    fn start(index: &Path) -> anyhow::Result<ServerProcess> {
        let mut child = Command::new(sibling("imr")?)
            .args(["serve", "--port", "0", "--timeout", "60", "--index"])
            .arg(index)
            .stdout(Stdio::piped())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("the server's output")?).read_line(&mut line)?;
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .with_context(|| format!("the server printed {line:?}"))?
            .trim_end_matches('/')
            .to_string();
        Ok(ServerProcess { child, address })
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
