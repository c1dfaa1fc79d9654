//! The in-process baseline for the server benchmark (tools/web/bench.sh): the same
//! `obligations` call `POST /api/obligations` makes, including rendering its JSON, on 1 and
//! `threads` threads for `seconds` each, with throughput and p50/p99 latency.
//!   cargo run --release -p casus-server --example inprocess -- [seconds] [threads]
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use casus_api::event::EventRequest;
use casus_api::obligations::{obligations, ObligationsRequest};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().map_or(Ok(5), |s| s.parse())?;
    let threads: usize = args.next().map_or(Ok(2), |s| s.parse())?;
    let session = casus_session::Session::new(casus_session::Env::from_process(), true, Vec::new());
    let lib = session.load_library(&[])?.library;
    let today = session.today()?;
    let req = ObligationsRequest {
        event: EventRequest {
            attacker: "RUS".into(),
            target: "EST".into(),
            date: Some("2025-06-01".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    for n in [1, threads] {
        let until = Instant::now() + Duration::from_secs(seconds);
        let mut lat: Vec<Duration> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..n)
                .map(|_| {
                    s.spawn(|| {
                        let mut v = Vec::new();
                        while Instant::now() < until {
                            let t = Instant::now();
                            let a = obligations(&lib, today, &req).expect("answers");
                            let text = serde_json::to_string_pretty(&a.json()).expect("serialises");
                            std::hint::black_box(text);
                            v.push(t.elapsed());
                        }
                        v
                    })
                })
                .collect();
            hs.into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        lat.sort();
        let q = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)].as_secs_f64() * 1e3;
        println!(
            "in-process, {n} thread(s): {:.0} calls/s, p50 {:.2} ms, p99 {:.2} ms ({} calls)",
            lat.len() as f64 / seconds as f64,
            q(0.50),
            q(0.99),
            lat.len()
        );
    }
    Ok(())
}
