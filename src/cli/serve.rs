//! `imr serve`: the web page and the HTTP API over an index.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use imr_serve::{serve, ServeOptions};

use super::common::IndexArg;

#[derive(Debug, Args)]
#[command(
    after_help = "Prints `listening on http://ADDR:PORT/` once it listens; Ctrl-C or SIGTERM stops it. The page is at that address; the API (the --json shapes of search, stats, similar and show) under /api/. It follows the index: after `imr index`, new searches are answered from the new generation within a second.\n\nExit codes: 0 stopped; 2 no usable index, or the address cannot be listened on."
)]
pub struct ServeArgs {
    #[command(flatten)]
    pub index: IndexArg,

    /// The address to listen on; anything but loopback is reachable from other
    /// machines, and there is no authentication.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: IpAddr,

    /// The port; 0 picks a free one.
    #[arg(long, default_value_t = 7171)]
    pub port: u16,

    /// Seconds one request may take before it is answered 503.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
}

pub fn run_serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.timeout.is_finite() && args.timeout > 0.0,
        "--timeout must be a positive number of seconds, not {}",
        args.timeout
    );
    let options = ServeOptions {
        index: args.index.index_dir(),
        address: SocketAddr::new(args.bind, args.port),
        budget: Duration::from_secs_f64(args.timeout),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(serve(options))?;
    Ok(ExitCode::SUCCESS)
}
