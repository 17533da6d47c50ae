//! Timing a child process with its peak memory, and summarising latencies.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// What one process run cost.
pub struct ProcessCost {
    pub wall: Duration,
    /// Peak resident set, bytes.
    pub peak_rss: u64,
    pub stdout: Vec<u8>,
}

/// Runs `command` to its end, measuring wall time and peak resident memory (the
/// child's, from `wait4`). A failing command is an error with its stderr.
///
/// Linux carries the parent's peak resident set into the child at the fork, so the
/// figure is the larger of the two: callers keep their own memory small before
/// measuring a build.
pub fn run(command: &mut Command, expect_codes: &[i32]) -> anyhow::Result<ProcessCost> {
    let started = Instant::now();
    let child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let pid = child.id() as libc::pid_t;
    let mut stdout = Vec::new();
    let stderr = {
        use std::io::Read;
        let mut out = child.stdout.expect("stdout is piped");
        let mut err = child.stderr.expect("stderr is piped");
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = err.read_to_end(&mut buf);
            buf
        });
        out.read_to_end(&mut stdout)?;
        reader.join().unwrap_or_default()
    };
    let mut status = 0;
    // SAFETY: wait4 writes into the zeroed rusage given; the child is ours and
    // has not been waited for.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::wait4(pid, &mut status, 0, &mut usage) < 0 {
            bail!(
                "waiting for {command:?}: {}",
                std::io::Error::last_os_error()
            );
        }
        usage
    };
    let wall = started.elapsed();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    if !expect_codes.contains(&code) {
        bail!(
            "{command:?} exited with {code}: {}",
            String::from_utf8_lossy(&stderr)
        );
    }
    Ok(ProcessCost {
        wall,
        peak_rss: usage.ru_maxrss as u64 * 1024,
        stdout,
    })
}

/// Median, 95th and 99th percentiles, in milliseconds.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct Latency {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub count: usize,
}

pub fn latency(samples: &[Duration]) -> Latency {
    if samples.is_empty() {
        return Latency::default();
    }
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
    Latency {
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        count: ms.len(),
    }
}

/// Total size of the files under `path`, bytes.
pub fn disk_size(path: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

impl std::fmt::Display for Latency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} queries, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
            self.count, self.p50, self.p95, self.p99
        )
    }
}
