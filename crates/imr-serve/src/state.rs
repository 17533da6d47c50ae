//! The engine the server answers from, following the index's live generation, and
//! how a request runs against it: on a blocking thread, one of a bounded few,
//! within the request's time budget.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use imr_search::index::{IndexDir, MANIFEST};
use imr_search::search::{Engine, SearchError};
use tokio::sync::Semaphore;

use crate::ServeError;

/// How often the manifest is checked for a new generation or a new run.
const FOLLOW_EVERY: Duration = Duration::from_millis(200);

/// What the server shares between requests.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

struct Shared {
    index: IndexDir,
    engine: RwLock<Arc<Engine>>,
    /// What the manifest was when the engine was opened: its bytes and time.
    seen: RwLock<Option<(Vec<u8>, Option<std::time::SystemTime>)>>,
    /// Searches running at once: as many as the machine has cores, twice over.
    running: Arc<Semaphore>,
    budget: Duration,
}

impl AppState {
    /// Opens the index's live generation.
    pub async fn open(index: IndexDir, budget: Duration) -> Result<AppState, ServeError> {
        let opening = index.clone();
        let engine = tokio::task::spawn_blocking(move || Engine::open(&opening))
            .await
            .map_err(|e| ServeError::Io(std::io::Error::other(e)))??;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let state = AppState {
            inner: Arc::new(Shared {
                seen: RwLock::new(manifest_state(&index)),
                index,
                engine: RwLock::new(Arc::new(engine)),
                running: Arc::new(Semaphore::new(2 * cores)),
                budget,
            }),
        };
        Ok(state)
    }

    /// The engine of the live generation.
    pub fn engine(&self) -> Arc<Engine> {
        self.inner
            .engine
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Reopens the engine whenever `imr index` writes the manifest (a rebuild's
    /// swap, or an incremental run's commit). Requests under way keep the engine
    /// they started with, so a swap never fails one.
    pub async fn follow_generations(self) {
        loop {
            tokio::time::sleep(FOLLOW_EVERY).await;
            let now = manifest_state(&self.inner.index);
            let changed = *self.inner.seen.read().unwrap_or_else(|p| p.into_inner()) != now;
            if !changed {
                continue;
            }
            let index = self.inner.index.clone();
            match tokio::task::spawn_blocking(move || Engine::open(&index)).await {
                Ok(Ok(engine)) => {
                    tracing::info!(generation = engine.generation(), "following the index");
                    *self.inner.engine.write().unwrap_or_else(|p| p.into_inner()) =
                        Arc::new(engine);
                    *self.inner.seen.write().unwrap_or_else(|p| p.into_inner()) = now;
                }
                // A rebuild between reading the manifest and opening its
                // generation: the next check opens the new one.
                Ok(Err(error)) => tracing::warn!(%error, "cannot open the index yet"),
                Err(error) => tracing::warn!(%error, "opening the index failed"),
            }
        }
    }

    /// Runs `work` with the live engine on a blocking thread, within the time
    /// budget: past it, the request is answered 503 (the work finishes on its
    /// thread, but no longer holds the request).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Engine) -> Result<T, SearchError> + Send + 'static,
    ) -> Result<T, ServeError> {
        let budget = self.inner.budget;
        let permit = tokio::time::timeout(budget, self.inner.running.clone().acquire_owned())
            .await
            .map_err(|_| ServeError::Busy(budget))?
            .map_err(|_| ServeError::Busy(budget))?;
        let engine = self.engine();
        let task = tokio::task::spawn_blocking(move || {
            let result = work(&engine);
            drop(permit);
            result
        });
        match tokio::time::timeout(budget, task).await {
            Err(_) => Err(ServeError::Busy(budget)),
            Ok(Err(join)) => Err(ServeError::Io(std::io::Error::other(join))),
            Ok(Ok(result)) => result.map_err(ServeError::from),
        }
    }
}

/// The manifest's bytes and modification time, which change with every run.
fn manifest_state(index: &IndexDir) -> Option<(Vec<u8>, Option<std::time::SystemTime>)> {
    let path = index.root().join(MANIFEST);
    let bytes = std::fs::read(&path).ok()?;
    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
    Some((bytes, modified))
}
