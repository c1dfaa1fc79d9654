//! The OpenAPI spec against the running server: every path and method it lists, called with
//! bodies and parameters generated from its schemas (valid, edge and wrong values, from a
//! fixed seed), answers without a 5xx; every error is problem+json; every 200 is JSON.
//! (A property test over the schemas, in Rust, so `cargo test` needs no Python.)

mod common;

use common::*;
use serde_json::{json, Map, Value};

/// A small deterministic generator (xorshift64*): the same requests on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const STRINGS: &[&str] = &[
    "RUS",
    "EST",
    "USA",
    "UKR",
    "cow:365",
    "Estonia",
    "north-atlantic-treaty",
    "NATO",
    "EE",
    "UA-43",
    "US-HI",
    "2025-06-01",
    "1815-01-01",
    "1960-06-01",
    "2100-01-01",
    "2022-09",
    "9999-99-99",
    "armed_attack",
    "nuclear_use",
    "threat",
    "major",
    "limited",
    "forces",
    "territory",
    "assist",
    "consult",
    "",
    " ",
    "ü\u{0}ñ",
    "../../etc/passwd",
    "%00",
    "RUS\nEST",
];

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            resolve(spec, &spec["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn generate(spec: &Value, schema: &Value, rng: &mut Rng, depth: usize) -> Value {
    let schema = resolve(spec, schema);
    // One time in twelve, a value of the wrong kind.
    if rng.below(12) == 0 || depth > 6 {
        return rng
            .pick(&[
                json!(null),
                json!(7),
                json!("x"),
                json!([]),
                json!({}),
                json!(true),
            ])
            .clone();
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(xs)) = schema.get(key) {
            let choice = rng.pick(xs).clone();
            return generate(spec, &choice, rng, depth + 1);
        }
    }
    if let Some(Value::Array(xs)) = schema.get("enum") {
        return rng.pick(xs).clone();
    }
    let ty = match schema.get("type") {
        Some(Value::Array(ts)) => rng.pick(ts).as_str().unwrap_or("null").to_string(),
        Some(Value::String(t)) => t.clone(),
        _ if schema.get("properties").is_some() => "object".into(),
        _ => "string".into(),
    };
    match ty.as_str() {
        "object" => {
            let mut m = Map::new();
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(Value::Object(props)) = schema.get("properties") {
                for (k, s) in props {
                    // Required fields almost always; optional ones half the time.
                    let p = if required.contains(&k.as_str()) { 20 } else { 2 };
                    if rng.below(p) != 0 {
                        m.insert(k.clone(), generate(spec, s, rng, depth + 1));
                    }
                }
            }
            if rng.below(10) == 0 {
                m.insert("unexpected_field".into(), json!(1));
            }
            Value::Object(m)
        }
        "array" => {
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            let n = rng.below(4);
            Value::Array((0..n).map(|_| generate(spec, &items, rng, depth + 1)).collect())
        }
        "integer" => json!(*rng.pick(&[0i64, 1, 2, 3, 10, 300, 301, 100_000, -1, i64::MAX])),
        "number" => json!(*rng.pick(&[0.0, 0.5, 1.0, -1.0, 1e300])),
        "boolean" => json!(rng.below(2) == 0),
        "null" => Value::Null,
        _ => json!(*rng.pick(STRINGS)),
    }
}

/// Characters a path segment or query value must escape.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn check(method: &str, path: &str, r: &Reply) {
    assert!(r.status < 500, "{method} {path} gave {}: {}", r.status, r.text());
    let ct = r.header("content-type").unwrap_or("");
    if r.status >= 400 {
        assert_eq!(ct, "application/problem+json", "{method} {path}: {}", r.text());
        r.json();
    } else {
        assert_eq!(r.status, 200, "{method} {path}");
        assert_eq!(ct, "application/json", "{method} {path}");
        r.json();
    }
}

#[test]
fn every_path_of_the_spec_answers_without_a_5xx() {
    let spec_reply = get("/api/openapi.json");
    assert_eq!(spec_reply.status, 200);
    let spec = spec_reply.json();
    assert_eq!(spec, casus_server::spec());
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    for required in [
        "/api/obligations",
        "/api/cascade",
        "/api/compare",
        "/api/commitments/{id}",
        "/api/orgs",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(required), "{required} missing from the spec");
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut calls = 0;
    let mut ok = 0;
    for (template, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            let method = method.to_uppercase();
            let rounds = if method == "POST" { 60 } else { 12 };
            for round in 0..rounds {
                let mut path = template.clone();
                let mut query = Vec::new();
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let name = p["name"].as_str().unwrap();
                    let value = encode(*rng.pick(STRINGS));
                    if p["in"] == "path" {
                        path = path.replace(&format!("{{{name}}}"), &value);
                    } else if rng.below(2) == 0 {
                        query.push(format!("{name}={value}"));
                    }
                }
                if !query.is_empty() {
                    path = format!("{path}?{}", query.join("&"));
                }
                let body = match op["requestBody"]["content"]["application/json"]["schema"].clone() {
                    Value::Null => Vec::new(),
                    schema => match round {
                        0 => b"{".to_vec(),
                        1 => Vec::new(),
                        _ => serde_json::to_vec(&generate(&spec, &schema, &mut rng, 0)).unwrap(),
                    },
                };
                let headers = [("Content-Type", "application/json")];
                let r = request(server(), &method, &path, &headers, &body);
                check(&method, &path, &r);
                calls += 1;
                ok += usize::from(r.status == 200);
            }
        }
    }
    // The generator reaches real answers, not only errors.
    assert!(ok * 10 >= calls, "only {ok} of {calls} calls answered 200");
}

#[test]
fn the_spec_describes_the_api_types() {
    let spec = casus_server::spec();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    for name in [
        "ObligationsRequest",
        "Obligations",
        "CascadeRequest",
        "Cascade",
        "CompareRequest",
        "Comparison",
        "CommitmentView",
        "Problem",
        "Explanation",
    ] {
        assert!(schemas.contains_key(name), "{name} missing");
    }
    // Every reference resolves.
    let text = spec.to_string();
    for r in text.split("\"$ref\":\"").skip(1) {
        let target = &r[..r.find('"').unwrap()];
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{target}"));
        assert!(schemas.contains_key(name), "dangling $ref {target}");
    }
    assert_eq!(
        schemas["ObligationsRequest"]["properties"]["attacker"]["type"],
        "string"
    );
}
