//! `casus serve`: the HTTP API and the web app on this machine (127.0.0.1 unless told otherwise).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use anyhow::Result;

use crate::cx::Cx;

#[derive(clap::Args)]
pub struct Args {
    /// The port to listen on (0: any free port; the address bound is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on. Anything other than a loopback address needs --token.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// A token every API request must send as `Authorization: Bearer TOKEN` (the web app reads it from `#token=`).
    #[arg(long)]
    pub token: Option<String>,
    /// The largest request body accepted, in KiB.
    #[arg(long, default_value_t = 64, value_name = "KIB")]
    pub max_body: usize,
    /// The longest one computation may take, in seconds.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub time_limit: u64,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let limits = casus_server::Limits {
        body_bytes: args.max_body * 1024,
        time: std::time::Duration::from_secs(args.time_limit.max(1)),
    };
    let app = casus_server::app(cx.session.clone(), args.token.clone(), limits)?;
    let server = casus_server::Server::bind(app, SocketAddr::new(args.bind, args.port))?;
    let addr = server.local_addr()?;
    cx.out(&format!(
        "casus serve: listening on http://{addr}/ (API at http://{addr}/api/openapi.json)\n"
    ))?;
    server.run()?;
    Ok(ExitCode::SUCCESS)
}
