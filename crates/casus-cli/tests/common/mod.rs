//! What the command-line tests share: the binary with a fixed terminal width, its JSON,
//! scratch folders, and the shared datasets beside the repository.

#![allow(dead_code)] // each test file uses its own subset

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

/// The `casus` binary of this build, 120 columns wide, with no capabilities file from the
/// caller's environment (the built-in table is what the tests expect).
pub fn casus() -> Command {
    let mut c = Command::cargo_bin("casus").expect("binary built");
    c.env("COLUMNS", "120").env_remove("CASUS_NMC");
    c
}

/// What `cmd … --format json` prints, as text and parsed; fails the test (with stderr) if
/// the command fails.
pub fn json_text_of(mut cmd: Command, args: &[&str]) -> (String, Value) {
    let out = cmd.args(args).args(["--format", "json"]).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let value = serde_json::from_str(&text).expect("valid JSON");
    (text, value)
}

/// What `casus … --format json` prints, parsed.
pub fn json(args: &[&str]) -> Value {
    json_text_of(casus(), args).1
}

/// What `casus …` prints on stdout; fails the test if the command fails.
pub fn stdout(args: &[&str]) -> String {
    let out = casus().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A new empty folder for one test (unique per process and call).
pub fn scratch(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "casus-cli-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A file of the shared datasets beside the repository (`../shared/data`), if present.
/// Tests that need one print "skipped: … not found" and pass where it is absent.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    p.exists().then_some(p)
}
