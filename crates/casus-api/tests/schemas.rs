//! The JSON contract on disk: `docs/schema/NAME.json` must be exactly what the types
//! generate. After changing a result type, run with `CASUS_WRITE_SCHEMAS=1` to rewrite the
//! files, and review the diff.

use std::path::PathBuf;

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema")
}

#[test]
fn committed_schemas_match_the_types() {
    let dir = schema_dir();
    let write = std::env::var_os("CASUS_WRITE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    let mut names = Vec::new();
    for (name, schema) in casus_api::schemas() {
        let text = serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n";
        let path = dir.join(format!("{name}.json"));
        names.push(format!("{name}.json"));
        if write {
            std::fs::create_dir_all(&dir).expect("docs/schema can be created");
            std::fs::write(&path, &text).expect("schema written");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "docs/schema is out of date for {stale:?}: run `CASUS_WRITE_SCHEMAS=1 cargo test -p casus-api --test schemas` and review the diff"
    );
    // No schema file without a type behind it.
    let on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("docs/schema exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    let orphans: Vec<&String> = on_disk.iter().filter(|n| !names.contains(n)).collect();
    assert!(orphans.is_empty() || write, "schemas with no type: {orphans:?}");
}

#[test]
fn every_schema_is_named_once() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, _) in casus_api::schemas() {
        assert!(seen.insert(name), "{name} listed twice");
    }
}
