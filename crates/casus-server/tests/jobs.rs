//! Jobs: a computation started with `POST /api/jobs` answers at once with an id; its status,
//! its progress as server-sent events, its result (the same bytes as the direct endpoint);
//! `DELETE` stops it promptly; only a bounded number are kept.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use casus_server::Limits;
use common::*;

fn start_job(addr: std::net::SocketAddr, kind: &str, request: &str) -> Reply {
    let body = format!(r#"{{"kind": "{kind}", "request": {request}}}"#);
    request_to(addr, "POST", "/api/jobs", body.as_bytes())
}

fn request_to(addr: std::net::SocketAddr, method: &str, path: &str, body: &[u8]) -> Reply {
    request(addr, method, path, &[("Content-Type", "application/json")], body)
}

fn wait_for(addr: std::net::SocketAddr, id: &str, want: &str, within: Duration) -> serde_json::Value {
    let until = Instant::now() + within;
    loop {
        let s = request_to(addr, "GET", &format!("/api/jobs/{id}"), b"").json();
        if s["status"] == want {
            return s;
        }
        assert!(Instant::now() < until, "job {id} not {want} in time: {s}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_job_answers_what_the_endpoint_answers_with_progress_events() {
    let addr = server();
    let request = r#"{"which": "ukraine", "trials": 4096, "draws": 4, "draw_trials": 128}"#;
    let r = start_job(addr, "assess", request);
    assert_eq!(r.status, 202, "{}", r.text());
    let s = r.json();
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(r.header("location"), Some(format!("/api/jobs/{id}").as_str()));
    assert_eq!(s["kind"], "assess");

    // The events: progress, then one `end` with the final status; the stream closes.
    let mut sock = TcpStream::connect(addr).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        sock,
        "GET /api/jobs/{id}/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let lines: Vec<String> = BufReader::new(sock).lines().map_while(Result::ok).collect();
    let text = lines.join("\n");
    assert!(text.contains("content-type: text/event-stream"), "{text}");
    let ends: Vec<&String> = lines.iter().filter(|l| *l == "event: end").collect();
    assert_eq!(ends.len(), 1, "{text}");
    assert!(text.contains("\"status\":\"done\""), "{text}");

    let done = wait_for(addr, &id, "done", Duration::from_secs(5));
    assert_eq!(
        done["progress"]["planned"].as_u64().map(|n| n > 0),
        Some(true),
        "{done}"
    );
    let result = request_to(addr, "GET", &format!("/api/jobs/{id}/result"), b"");
    assert_eq!(result.status, 200);
    let direct = post("/api/assess", request);
    assert_eq!(
        result.text(),
        direct.text(),
        "a job's result is the endpoint's answer"
    );
    let listed = request_to(addr, "GET", "/api/jobs", b"").json();
    assert!(listed.as_array().unwrap().iter().any(|j| j["id"] == id.as_str()));
}

#[test]
fn delete_stops_a_running_job_promptly() {
    let addr = server();
    // Large enough to run for minutes: about 40 million trials of five designs.
    let r = start_job(
        addr,
        "assess",
        r#"{"which": "ukraine", "trials": 1000000, "draws": 0, "threads": 1}"#,
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    // Wait until it is simulating.
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let s = request_to(addr, "GET", &format!("/api/jobs/{id}"), b"").json();
        if s["progress"]["stage"] == "simulating" {
            break;
        }
        assert!(Instant::now() < until, "never started: {s}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let t = Instant::now();
    let r = request_to(addr, "DELETE", &format!("/api/jobs/{id}"), b"");
    assert_eq!(r.status, 202, "{}", r.text());
    let s = wait_for(addr, &id, "cancelled", Duration::from_secs(10));
    assert!(t.elapsed() < Duration::from_secs(10));
    assert!(s["progress"]["done"].as_u64().unwrap() < 1_000_000, "{s}");
    request_to(addr, "GET", &format!("/api/jobs/{id}/result"), b"").assert_problem(409);
    // Its core is free again: a quick computation answers.
    let r = post(
        "/api/obligations",
        r#"{"attacker": "RUS", "target": "EST", "date": "2025-06-01"}"#,
    );
    assert_eq!(r.status, 200);
}

#[test]
fn jobs_are_bounded_and_errors_are_problems() {
    let addr = start(app(
        None,
        Limits {
            jobs: 2,
            ..Limits::default()
        },
    ));
    let slow = r#"{"which": "ukraine", "trials": 1000000, "draws": 0, "threads": 1}"#;
    let a = start_job(addr, "assess", slow).json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b = start_job(addr, "assess", slow).json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Both kept jobs are running: no room.
    start_job(addr, "negotiate", r#"{"which": "ukraine"}"#).assert_problem(429);
    request_to(addr, "DELETE", &format!("/api/jobs/{a}"), b"");
    wait_for(addr, &a, "cancelled", Duration::from_secs(20));
    // A finished job makes room: the new one replaces it.
    let c = start_job(addr, "negotiate", r#"{"which": "ukraine"}"#);
    assert_eq!(c.status, 202, "{}", c.text());
    request_to(addr, "GET", &format!("/api/jobs/{a}"), b"").assert_problem(404);
    request_to(addr, "DELETE", &format!("/api/jobs/{b}"), b"");
    wait_for(addr, &b, "cancelled", Duration::from_secs(20));

    // Bad requests fail at once, as the endpoint would.
    let p = start_job(addr, "assess", r#"{"which": "ukraine", "draws": 100000}"#).assert_problem(422);
    assert_eq!(p["field"], "draws");
    let p = start_job(addr, "obligation", "{}").assert_problem(422);
    assert_eq!(p["field"], "kind");
    request_to(addr, "GET", "/api/jobs/nope", b"").assert_problem(404);
    request_to(addr, "GET", "/api/jobs/nope/events", b"").assert_problem(404);
    // A job whose computation fails: failed, with the problem, also as its result.
    let f = start_job(addr, "accession", r#"{"candidate": "XXX"}"#).json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let s = wait_for(addr, &f, "failed", Duration::from_secs(20));
    assert_eq!(s["error"]["status"], 422);
    request_to(addr, "GET", &format!("/api/jobs/{f}/result"), b"").assert_problem(422);
}

#[test]
fn a_client_that_hangs_up_stops_its_computation() {
    // A long time limit, so that only the hang-up can stop the runs.
    let addr = start(app(
        None,
        Limits {
            time: Duration::from_secs(300),
            ..Limits::default()
        },
    ));
    // As many minutes-long assessments as the server has cores, each abandoned at once.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let body = r#"{"which": "ukraine", "trials": 1000000, "draws": 0, "threads": 1}"#;
    for _ in 0..cores {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "POST /api/assess HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        drop(s);
    }
    // Their cores come free within a batch: a quick computation answers, not minutes later.
    let t = Instant::now();
    let r = request_to(
        addr,
        "POST",
        "/api/obligations",
        br#"{"attacker": "RUS", "target": "EST", "date": "2025-06-01"}"#,
    );
    assert_eq!(r.status, 200);
    assert!(t.elapsed() < Duration::from_secs(20), "took {:?}", t.elapsed());
}
