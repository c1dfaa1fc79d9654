//! `casus data repair` (#16 item 1): a damaged store is rebuilt from the release folders it
//! was imported from, keeping what still verifies; the error message names the command.
//! Uses the release files in ../shared/data; passes with "skipped" when they are absent.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    p.exists().then_some(p)
}

fn casus(store: &Path) -> Command {
    let mut c = Command::cargo_bin("casus").expect("binary built");
    c.env("COLUMNS", "120").env("CASUS_DATA_DIR", store);
    c
}

fn json(store: &Path, args: &[&str]) -> Value {
    let out = casus(store)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn repair_rebuilds_a_damaged_store_from_the_release_folders() {
    let (Some(atop), Some(cow)) = (shared("atop-5.1"), shared("cow-state-system-2016")) else {
        println!("skipped: data not found");
        return;
    };
    let store = std::env::temp_dir().join(format!("casus-repair-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    json(&store, &["data", "import", "atop", atop.to_str().unwrap()]);
    json(&store, &["data", "import", "cow", cow.to_str().unwrap()]);
    // A healthy store: nothing to do.
    let v = json(&store, &["data", "repair"]);
    assert_eq!(v["healthy"], true, "{v}");
    assert!(v["reimported"].as_array().unwrap().is_empty());

    // A truncated store (a full disk, a bad copy): the error names the remedy.
    let file = store.join("store.redb");
    let len = std::fs::metadata(&file).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    f.set_len(len / 3).unwrap();
    drop(f);
    let out = casus(&store).args(["data", "list"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("casus data repair") && err.contains("store.redb"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    // Repair imports both again from where they came.
    let v = json(&store, &["data", "repair"]);
    assert_eq!(v["healthy"], false);
    // Its JSON is what docs/schema/data.repair.json says.
    let (_, schema) = casus_api::schemas()
        .into_iter()
        .find(|(n, _)| *n == "data.repair")
        .expect("a schema for data repair");
    let schema = serde_json::to_value(&schema).unwrap();
    let errors: Vec<String> = jsonschema::validator_for(&schema)
        .unwrap()
        .iter_errors(&v)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let again: Vec<&str> = v["reimported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect();
    assert_eq!(again, ["atop", "cow"], "{v}");
    assert!(v["missing"].as_array().unwrap().is_empty());
    assert!(Path::new(v["damaged_copy"].as_str().unwrap()).exists());
    let list = json(&store, &["data", "list"]);
    assert_eq!(list["datasets"].as_array().unwrap().len(), 2, "{list}");

    // Damaged again, with no record of the folders: it says what to run.
    std::fs::remove_file(store.join("store-sources.json")).unwrap();
    let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    f.set_len(len / 3).unwrap();
    drop(f);
    let out = casus(&store).args(["data", "repair"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("casus data import atop DIR"), "{text}");
    // And a folder given on the command line is imported.
    let v = json(&store, &["data", "repair", "--cow", cow.to_str().unwrap()]);
    assert_eq!(v["reimported"][0][0], "cow", "{v}");
    let _ = std::fs::remove_dir_all(&store);
}
