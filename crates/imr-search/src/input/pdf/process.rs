//! Helper programs (pdftotext, tesseract) run as processes: found on the PATH,
//! fed on their standard input, their memory capped, killed when time is up.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::mpsc;

use super::{PdfError, PdfLimits};

/// The executable file `name` in a directory of the PATH.
pub(super) fn find_on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| {
            candidate
                .metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// What the process gave back.
pub(super) struct Finished {
    pub status: std::process::ExitStatus,
    pub stdout: Vec<u8>,
    /// What it said on its standard error, if that was piped.
    pub stderr: Vec<u8>,
}

/// Why a helper program gave no output.
pub(super) enum RunError {
    /// It could not be started, or waited for.
    Failed(std::io::Error),
    /// Its time was up, and it was killed.
    TimedOut,
}

impl RunError {
    /// The error of a PDF read with `program`.
    pub(super) fn for_program(self, program: &str, limits: &PdfLimits) -> PdfError {
        match self {
            RunError::Failed(e) => PdfError::Program(format!("{program} failed: {e}")),
            RunError::TimedOut => PdfError::TimedOut {
                seconds: limits.time.as_secs_f64(),
            },
        }
    }
}

/// Runs `command` with `input` on its standard input, its memory capped, killing
/// it when its time is up.
pub(super) fn run_with_deadline(
    mut command: Command,
    input: &[u8],
    limits: &PdfLimits,
) -> Result<Finished, RunError> {
    let mut child = command.spawn().map_err(RunError::Failed)?;
    let pid = child.id();
    cap_memory(pid, limits.max_process_bytes);
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let (done, finished) = mpsc::channel();
    std::thread::scope(|scope| {
        let said = scope.spawn(move || {
            // A broken pipe means the program stopped reading: its status says why.
            if let Some(stdin) = stdin.as_mut() {
                let _ = stdin.write_all(input);
            }
            drop(stdin);
            let mut said = Vec::new();
            if let Some(stderr) = stderr.as_mut() {
                let _ = stderr.read_to_end(&mut said);
            }
            said
        });
        scope.spawn(move || {
            let mut text = Vec::new();
            if let Some(stdout) = stdout.as_mut() {
                let _ = stdout.read_to_end(&mut text);
            }
            let status = child.wait();
            let stderr = said.join().unwrap_or_default();
            let _ = done.send(status.map(|status| Finished {
                status,
                stdout: text,
                stderr,
            }));
        });
        match finished.recv_timeout(limits.time) {
            Ok(Ok(output)) => Ok(output),
            Ok(Err(e)) => Err(RunError::Failed(e)),
            Err(_) => {
                // SAFETY: kill only sends a signal. The child's waiter has not
                // reported, so the child has not been reaped and its pid is still
                // its own.
                unsafe {
                    libc::kill(pid as libc::pid_t, libc::SIGKILL);
                }
                let _ = finished.recv();
                Err(RunError::TimedOut)
            }
        }
    })
}

/// Caps the address space of the running process `pid`. Set on the child just
/// started, before it is given its input: a program reading its standard input
/// has done nothing large yet. (Setting it between fork and exec would keep
/// std from spawning with posix_spawn, and a fork of a process the size of an
/// indexing run took longer than the program's whole run.)
pub(super) fn cap_memory(pid: u32, bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: prlimit reads the limit given and writes nothing (no old limit is
    // asked for); pid is a child of this process that has not been waited for.
    let set = unsafe {
        libc::prlimit(
            pid as libc::pid_t,
            libc::RLIMIT_AS,
            &limit,
            std::ptr::null_mut(),
        )
    };
    if set != 0 {
        tracing::debug!(
            "cannot cap the memory of process {pid}: {}",
            std::io::Error::last_os_error()
        );
    }
}
