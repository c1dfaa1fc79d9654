//! `GET /api/openapi.json`: the OpenAPI 3.1 description of the API, its schemas generated
//! from the same types as `casus_api::schemas()` (the JSON contract of the command line), so
//! the spec cannot drift from what the server returns.

use casus_api::list::{ActorRow, CommitmentRow, OrgRow, ParameterRow, PlaceRow};
use schemars::{schema_for, Schema};
use serde_json::{json, Map, Value};

use crate::models::{bounds, AccessionBody, AssessBody, NegotiateBody, SimulateBody};
use crate::problem::Problem;

/// Schemas by component name; their `$defs` are lifted into `components/schemas`.
pub(crate) struct Components(Map<String, Value>);

impl Components {
    pub(crate) fn add(&mut self, name: &str, schema: Schema) -> Value {
        let mut v = schema.to_value();
        if let Some(obj) = v.as_object_mut() {
            obj.remove("$schema");
            if let Some(Value::Object(defs)) = obj.remove("$defs") {
                for (k, mut d) in defs {
                    rewrite_refs(&mut d);
                    self.0.entry(k).or_insert(d);
                }
            }
        }
        rewrite_refs(&mut v);
        self.0.insert(name.to_string(), v);
        reference(name)
    }
}

pub(crate) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref") {
                if let Some(name) = r.strip_prefix("#/$defs/") {
                    *r = format!("#/components/schemas/{name}");
                }
            }
            m.values_mut().for_each(rewrite_refs);
        }
        Value::Array(a) => a.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

fn api_schema(name: &str) -> Schema {
    casus_api::schemas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| s)
        .unwrap_or_default()
}

pub(crate) fn problems(codes: &[&str]) -> Map<String, Value> {
    let mut m = Map::new();
    for code in codes {
        let what = match *code {
            "400" => "The body or query is not what the path takes (not JSON, a bad query string).",
            "401" => "The server has a token and the request did not send it.",
            "404" => "No such id (with \"did you mean\" hints).",
            "409" => "The job has not finished, or was cancelled.",
            "413" => "The body is larger than the server accepts.",
            "429" => "Every job this server keeps is still running.",
            "422" => {
                "The request is well-formed but names unknown ids, bad dates or words, or takes too long."
            }
            _ => "Error.",
        };
        m.insert(
            code.to_string(),
            json!({
                "description": what,
                "content": { "application/problem+json": { "schema": reference("Problem") } }
            }),
        );
    }
    m
}

pub(crate) fn ok(schema: Value, description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn query_params(date: bool) -> Value {
    let mut ps = vec![
        json!({
            "name": "search", "in": "query", "required": false,
            "description": "Only entries whose id or name contains this text (any case).",
            "schema": { "type": "string" }
        }),
        json!({
            "name": "ids", "in": "query", "required": false,
            "description": "Only entries with these ids (comma-separated).",
            "schema": { "type": "string" }
        }),
    ];
    if date {
        ps.push(json!({
            "name": "date", "in": "query", "required": false,
            "description": "The date to read rosters, sovereignty and memberships on (YYYY-MM-DD; default today).",
            "schema": { "type": "string", "format": "date" }
        }));
    }
    Value::Array(ps)
}

fn id_param(date: bool) -> Value {
    let mut ps = vec![json!({
        "name": "id", "in": "path", "required": true, "schema": { "type": "string" }
    })];
    if date {
        ps.push(json!({
            "name": "date", "in": "query", "required": false,
            "schema": { "type": "string", "format": "date" }
        }));
    }
    Value::Array(ps)
}

/// The whole spec.
pub fn spec() -> Value {
    let mut c = Components(Map::new());
    let problem = c.add("Problem", schema_for!(Problem));
    let _ = problem;
    let mut paths = Map::new();

    let resource =
        |c: &mut Components, paths: &mut Map<String, Value>, what: &str, row: Schema, name: &str| {
            let row_ref = c.add(name, row);
            let date = what != "actors" && what != "parameters";
            let mut responses = problems(&["400", "401", "422"]);
            responses.insert(
                "200".into(),
                ok(
                    json!({ "type": "array", "items": row_ref }),
                    &format!("The {what}."),
                ),
            );
            paths.insert(
                format!("/api/{what}"),
                json!({ "get": {
                    "operationId": format!("list_{what}"),
                    "summary": format!("List {what} (`casus list {what}`)."),
                    "parameters": query_params(date),
                    "responses": responses
                }}),
            );
            let mut responses = problems(&["401", "404", "422"]);
            responses.insert("200".into(), ok(row_ref, "One entry."));
            paths.insert(
                format!("/api/{what}/{{id}}"),
                json!({ "get": {
                    "operationId": format!("get_{}", what.trim_end_matches('s')),
                    "summary": format!("One of the {what}, by id."),
                    "parameters": id_param(date),
                    "responses": responses
                }}),
            );
        };
    resource(&mut c, &mut paths, "actors", schema_for!(ActorRow), "ActorRow");
    resource(&mut c, &mut paths, "places", schema_for!(PlaceRow), "PlaceRow");
    resource(&mut c, &mut paths, "orgs", schema_for!(OrgRow), "OrgRow");
    resource(
        &mut c,
        &mut paths,
        "parameters",
        schema_for!(ParameterRow),
        "ParameterRow",
    );

    let row = c.add("CommitmentRow", schema_for!(CommitmentRow));
    let mut responses = problems(&["400", "401"]);
    responses.insert(
        "200".into(),
        ok(json!({ "type": "array", "items": row }), "The commitments."),
    );
    paths.insert(
        "/api/commitments".into(),
        json!({ "get": {
            "operationId": "list_commitments",
            "summary": "List commitments (`casus list commitments`).",
            "parameters": query_params(false),
            "responses": responses
        }}),
    );
    let view = c.add("CommitmentView", api_schema("show"));
    let mut responses = problems(&["401", "404"]);
    responses.insert(
        "200".into(),
        ok(view, "Its quoted text beside its encoding (`casus show ID`)."),
    );
    paths.insert(
        "/api/commitments/{id}".into(),
        json!({ "get": {
            "operationId": "show_commitment",
            "summary": "A commitment: quoted text beside the encoding, citations, uncertain facts.",
            "parameters": id_param(false),
            "responses": responses
        }}),
    );

    for (path, command, request, result, summary) in [
        (
            "obligations",
            "obligations",
            "ObligationsRequest",
            "Obligations",
            "Who owes what to whom for an attack, and why (`casus obligations`).",
        ),
        (
            "cascade",
            "cascade",
            "CascadeRequest",
            "Cascade",
            "Who is drawn in on each side through chains of commitments (`casus cascade`).",
        ),
        (
            "compare",
            "compare",
            "CompareRequest",
            "Comparison",
            "Commitments side by side on the design dimensions (`casus compare`).",
        ),
    ] {
        let req = c.add(request, api_schema(&format!("{command}.request")));
        let res = c.add(result, api_schema(command));
        let mut responses = problems(&["400", "401", "413", "422"]);
        responses.insert(
            "200".into(),
            ok(res, &format!("What `casus {command} … --format json` prints.")),
        );
        paths.insert(
            format!("/api/{path}"),
            json!({ "post": {
                "operationId": path,
                "summary": summary,
                "requestBody": {
                    "required": true,
                    "content": { "application/json": { "schema": req } }
                },
                "responses": responses
            }}),
        );
    }
    models(&mut c, &mut paths);
    crate::jobs::describe(&mut c, &mut paths);
    paths.insert(
        "/api/openapi.json".into(),
        json!({ "get": {
            "operationId": "openapi",
            "summary": "This description.",
            "responses": { "200": ok(json!({ "type": "object" }), "The OpenAPI document.") }
        }}),
    );

    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "casus",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Security commitments as code. Every computation returns what the command line prints with --format json; errors are application/problem+json."
        },
        "components": {
            "schemas": c.0,
            "securitySchemes": { "token": { "type": "http", "scheme": "bearer" } }
        },
        "security": [{}, { "token": [] }],
        "paths": paths
    })
}

/// The model computations: their bodies (the command line's flags, the server's bounds in
/// the description) and the command line's results.
fn models(c: &mut Components, paths: &mut Map<String, Value>) {
    let b = format!(
        "Bounds: trials at most {} per option, precision at least {}, threads at most the server's cores; assess: draws at most {}, draw_trials at most {}, draws × draw_trials at most {}; accession: worlds at most {}; negotiate: rounds at most {} (and rounds × Σ over issues of actors² at most {}), steps at most {}; answers at most {} MiB. Beyond them: 422 naming the field. A computation over the time limit is a 422 too; run it as a job (POST /api/jobs).",
        bounds::TRIALS,
        bounds::PRECISION,
        bounds::DRAWS,
        bounds::DRAW_TRIALS,
        bounds::DRAW_BUDGET,
        bounds::WORLDS,
        bounds::ROUNDS,
        bounds::ROUND_ENTRIES,
        bounds::STEPS,
        bounds::ANSWER_BYTES >> 20
    );
    for (path, body, result, summary) in [
        (
            "simulate",
            c.add("SimulateBody", schema_for!(SimulateBody)),
            "Simulation",
            "How surely, how fast and how strongly the library answers an attack (`casus simulate`).",
        ),
        (
            "assess",
            c.add("AssessBody", schema_for!(AssessBody)),
            "Assessed",
            "Guarantee designs side by side, with bands (`casus assess`); an assessment id or a posted file, prior overrides.",
        ),
        (
            "accession",
            c.add("AccessionBody", schema_for!(AccessionBody)),
            "Accession",
            "When a candidate would join, who could veto (`casus accession`).",
        ),
        (
            "negotiate",
            c.add("NegotiateBody", schema_for!(NegotiateBody)),
            "NegotiateResult",
            "The bargaining space and where talks would drift (`casus negotiate`).",
        ),
    ] {
        let res = c.add(result, api_schema(path));
        let mut responses = problems(&["400", "401", "413", "422"]);
        responses.insert(
            "200".into(),
            ok(res, &format!("What `casus {path} … --format json` prints.")),
        );
        paths.insert(
            format!("/api/{path}"),
            json!({ "post": {
                "operationId": path,
                "summary": summary,
                "description": b,
                "requestBody": {
                    "required": true,
                    "content": { "application/json": { "schema": body } }
                },
                "responses": responses
            }}),
        );
    }
}
