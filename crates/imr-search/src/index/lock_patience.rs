//! Locks released an instant ago. A file lock belongs to the open file, and a
//! process that another thread of the program starts holds a copy of every open
//! file's handle between its fork and its exec: for that instant, a lock its holder
//! has released is still held. A test suite starts processes beside its indexing
//! runs, and so may a program that uses the library.

use std::time::{Duration, Instant};

/// How long a lock that is busy may stay so before it counts as held by another.
pub(crate) const LOCK_PATIENCE: Duration = Duration::from_secs(1);

/// How often a busy lock is tried again.
const RETRY_EVERY: Duration = Duration::from_millis(10);

/// The first answer of `attempt` that `is_busy` does not call busy, or the last
/// busy one after [`LOCK_PATIENCE`].
pub(crate) fn patiently<T, E>(
    mut attempt: impl FnMut() -> Result<T, E>,
    is_busy: impl Fn(&E) -> bool,
) -> Result<T, E> {
    let started = Instant::now();
    loop {
        match attempt() {
            Err(error) if is_busy(&error) && started.elapsed() < LOCK_PATIENCE => {
                tracing::debug!("a lock is busy; trying it again");
                std::thread::sleep(RETRY_EVERY);
            }
            answer => return answer,
        }
    }
}
