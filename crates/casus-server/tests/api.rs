//! The HTTP API against a server on an ephemeral port: the same answers as the command line,
//! and 4xx problem+json (never 5xx) for what it cannot answer.

mod common;

use common::*;

/// What `casus obligations … --format json` prints: the API's JSON, pretty, with a newline.
fn cli_json(req: &casus_api::obligations::ObligationsRequest) -> String {
    let lib = session().load_library(&[]).unwrap().library;
    let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let answer = casus_api::obligations::obligations(&lib, today, req).unwrap();
    serde_json::to_string_pretty(&answer.json()).unwrap() + "\n"
}

#[test]
fn obligations_rus_est_is_exactly_what_the_command_line_prints() {
    let r = post(
        "/api/obligations",
        r#"{"attacker": "RUS", "target": "EST", "date": "2025-06-01"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let req = casus_api::obligations::ObligationsRequest {
        event: casus_api::event::EventRequest {
            attacker: "RUS".into(),
            target: "EST".into(),
            date: Some("2025-06-01".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let expected = cli_json(&req);
    assert_eq!(r.text(), expected);
    let v = r.json();
    assert_eq!(v["event"]["target"], "EST");
    assert!(v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["obligor"] == "USA"
            && o["commitment"] == "north-atlantic-treaty"
            && o["strength"] == "action_deemed_necessary"));

    // And the binary itself, when the test is told where it is (CI: CASUS_BIN=target/release/casus).
    if let Some(bin) = std::env::var_os("CASUS_BIN") {
        let out = std::process::Command::new(bin)
            .args([
                "obligations",
                "--attacker",
                "RUS",
                "--target",
                "EST",
                "--date",
                "2025-06-01",
            ])
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).unwrap(), r.text());
    }
}

#[test]
fn the_flags_options_have_the_same_names_in_the_body() {
    let r = post(
        "/api/obligations",
        r#"{"attacker": "RUS", "target": "USA", "place": "US-HI", "date": "2025-06-01",
            "kind": "armed_attack", "severity": "major", "against": "territory",
            "obligor": ["GBR"], "show_not_triggered": true}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["event"]["place"], "US-HI");
    assert!(v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["obligor"] == "GBR"));
}

#[test]
fn today_is_the_default_date() {
    let v = post("/api/obligations", r#"{"attacker": "RUS", "target": "EST"}"#).json();
    assert_eq!(v["event"]["date"], TODAY);
}

#[test]
fn malformed_bodies_are_400_or_422_problems() {
    post("/api/obligations", "not json").assert_problem(400);
    post("/api/obligations", "").assert_problem(400);
    post("/api/obligations", r#"{"attacker": "RUS", "#).assert_problem(400);
    let p = post("/api/obligations", r#"{"attacker": 5, "target": "EST"}"#).assert_problem(422);
    assert!(p["detail"].as_str().unwrap().contains("invalid type"), "{p}");
    post("/api/obligations", r#"{"target": "EST"}"#).assert_problem(422);
    post("/api/obligations", "[1, 2]").assert_problem(422);
    post(
        "/api/cascade",
        r#"{"attacker": "RUS", "target": "EST", "depth": -1}"#,
    )
    .assert_problem(422);
    post("/api/compare", r#"{"ids": "north-atlantic-treaty"}"#).assert_problem(422);
}

#[test]
fn unknown_ids_name_the_field_and_suggest() {
    let p = post("/api/obligations", r#"{"attacker": "RUX", "target": "EST"}"#).assert_problem(422);
    assert_eq!(p["field"], "attacker");
    assert!(
        p["hints"].to_string().contains("RUS") || p["detail"].as_str().unwrap().contains("RUS"),
        "{p}"
    );
    let p = post(
        "/api/obligations",
        r#"{"attacker": "RUS", "target": "EST", "date": "2025-13-40"}"#,
    )
    .assert_problem(422);
    assert_eq!(p["field"], "date");
    let p = post(
        "/api/obligations",
        r#"{"attacker": "RUS", "target": "EST", "kind": "armed_atack"}"#,
    )
    .assert_problem(422);
    assert_eq!(p["field"], "kind");
    assert!(p["hints"][0].as_str().unwrap().contains("armed_attack"), "{p}");
    post("/api/obligations", r#"{"attacker": "RUS", "target": "RUS"}"#).assert_problem(422);
    post("/api/compare", r#"{"ids": ["no-such-treaty"]}"#).assert_problem(422);

    let p = get("/api/commitments/north-atlantic-treatyy").assert_problem(404);
    assert!(p.to_string().contains("north-atlantic-treaty"), "{p}");
    let p = get("/api/actors/ESR").assert_problem(404);
    assert!(p["hints"].to_string().contains("EST"), "{p}");
    get("/api/orgs/NOPE").assert_problem(404);
    get("/api/orgs?date=yesterday").assert_problem(422);
    get("/api/nothing-here").assert_problem(404);
}

#[test]
fn oversized_bodies_are_413() {
    let big = format!(
        r#"{{"attacker": "RUS", "target": "EST", "commitment": ["{}"]}}"#,
        "x".repeat(200 * 1024)
    );
    post("/api/obligations", &big).assert_problem(413);
}

#[test]
fn a_path_with_the_wrong_method_is_405() {
    request(server(), "GET", "/api/obligations", &[], b"").assert_problem(405);
    request(server(), "DELETE", "/api/actors", &[], b"").assert_problem(405);
}

#[test]
fn resources_are_the_list_and_show_results() {
    let lib = session().load_library(&[]).unwrap().library;
    let show = casus_api::show::show(
        &lib,
        &casus_api::show::ShowRequest {
            id: "north-atlantic-treaty".into(),
        },
    )
    .unwrap();
    let r = get("/api/commitments/north-atlantic-treaty");
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), show.json());
    assert!(r.json()["clauses"][0]["citation"]["quote"].is_string());

    let actors = get("/api/actors").json();
    assert!(actors.as_array().unwrap().iter().any(|a| a["id"] == "EST"));
    assert_eq!(get("/api/actors/EST").json()["name"], "Estonia");
    let found = get("/api/commitments?search=atlantic").json();
    assert!(found
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"].as_str().unwrap().contains("atlantic")
            || c["title"].as_str().unwrap().to_lowercase().contains("atlantic")));

    let members = |date: &str| get(&format!("/api/orgs/NATO?date={date}")).json()["members_today"].clone();
    assert!(members("2025-06-01")
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "EST"));
    assert!(!members("1960-01-01")
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "EST"));
    assert!(!get("/api/parameters").json().as_array().unwrap().is_empty());
    assert!(!get("/api/places?search=hawaii")
        .json()
        .as_array()
        .unwrap()
        .is_empty());
    // `ids` picks rows, each with its sovereign on the date (the map colours places by it).
    let sovereign = |date: &str| -> Vec<(String, String)> {
        get(&format!("/api/places?ids=HK,UA-43,GF&date={date}"))
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().unwrap().into(),
                    p["sovereign"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let mut now = sovereign("2025-06-01");
    now.sort();
    assert_eq!(
        now,
        [
            ("GF".into(), "FRA".into()),
            ("HK".into(), "CHN".into()),
            ("UA-43".into(), "UKR".into())
        ]
    );
    assert!(sovereign("1990-06-01").contains(&("HK".into(), "GBR".into())));
}

#[test]
fn the_web_app_is_served_with_a_strict_content_security_policy() {
    let r = get("/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("<svg id=\"map\""));
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'self'"));
    assert_eq!(get("/vendor/d3.min.js").status, 200);
    assert!(get("/data/iso-numeric.json").json()["numeric"]["233"] == "EST");
    assert_eq!(get("/data/places.json").json()["type"], "Topology");
    // No page, script or style names another host.
    for path in ["/", "/app.js", "/style.css"] {
        let t = get(path).text();
        assert!(
            !t.contains("http://") && !t.contains("//cdn"),
            "{path} names another host"
        );
    }
    assert_eq!(get("/no-such-file.js").status, 404);
}

#[test]
fn a_token_is_needed_beyond_loopback_and_checked_when_set() {
    let app = app(None, casus_server::Limits::default());
    let err = casus_server::Server::bind(app, "0.0.0.0:0".parse().unwrap())
        .err()
        .expect("a non-loopback bind without a token is refused");
    assert!(err.to_string().contains("token"), "{err}");

    let addr = start(app_with_token());
    let body = br#"{"attacker": "RUS", "target": "EST"}"#;
    let json = ("Content-Type", "application/json");
    request(addr, "POST", "/api/obligations", &[json], body).assert_problem(401);
    request(
        addr,
        "POST",
        "/api/obligations",
        &[json, ("Authorization", "Bearer wrong")],
        body,
    )
    .assert_problem(401);
    let ok = request(
        addr,
        "POST",
        "/api/obligations",
        &[json, ("Authorization", "Bearer s3cret")],
        body,
    );
    assert_eq!(ok.status, 200);
}

fn app_with_token() -> casus_server::App {
    app(Some("s3cret"), casus_server::Limits::default())
}
