//! The data store under damage and contention (#16 items 1 and 8).

use std::path::{Path, PathBuf};

use casus_history::atop::Release;
use casus_history::cow::CowRelease;
use casus_session::store::{Damaged, Store};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d.join("store.redb")
}

fn release(v: &str) -> Release {
    Release {
        version: v.into(),
        memberships: vec![],
        last_year: 2018,
        fingerprint: 42,
    }
}

fn cow() -> CowRelease {
    CowRelease {
        states: vec![],
        majors: vec![casus_history::cow::MajorSpell {
            ccode: 2,
            from: 1898,
            until: None,
        }],
        capabilities: vec![],
        versions: vec![],
    }
}

fn filled(name: &str) -> PathBuf {
    let p = scratch(name);
    let s = Store::open(&p).unwrap();
    s.put_cow(&cow()).unwrap();
    s.put_atop(&release("5.1"), &[]).unwrap();
    p
}

/// Every read of a damaged file: an error naming the file, never a panic.
fn reads_fail_clearly(p: &Path) -> Vec<String> {
    let s = Store::open(p).expect("open does not touch the file");
    let mut msgs = Vec::new();
    for r in [
        s.current_atop().map(|_| ()),
        s.cow().map(|_| ()),
        s.list().map(|_| ()),
    ] {
        if let Err(e) = r {
            let m = format!("{e:#}");
            assert!(m.contains(&p.display().to_string()), "names the file: {m}");
            assert!(m.contains("import"), "says the fix: {m}");
            msgs.push(m);
        }
    }
    msgs
}

#[test]
fn truncated_and_garbled_files_give_a_message_not_a_panic() {
    let p = filled("trunc");
    let bytes = std::fs::read(&p).unwrap();
    for cut in [0usize, 17, 512, 4096, bytes.len() / 2, bytes.len() - 1] {
        std::fs::write(&p, &bytes[..cut.min(bytes.len())]).unwrap();
        let r = std::panic::catch_unwind(|| reads_fail_clearly(&p));
        assert!(r.is_ok(), "a panic escaped at cut {cut}");
    }
    std::fs::write(&p, vec![0xA5; 8192]).unwrap();
    let msgs = reads_fail_clearly(&p);
    assert!(!msgs.is_empty());
    assert!(msgs[0].contains("damaged"), "{msgs:?}");
}

#[test]
fn a_flipped_bit_in_a_dataset_is_caught_by_its_checksum() {
    let p = filled("flip");
    let mut bytes = std::fs::read(&p).unwrap();
    // The ATOP value is sealed `CS1` + SHA-256 + postcard bytes; flip the last byte of the
    // version string "5.1" in the stored body, which redb itself does not check.
    let sealed = Store::open(&p).unwrap();
    drop(sealed);
    let at = bytes
        .windows(3)
        .rposition(|w| w == b"CS1")
        .expect("a sealed value");
    let body = at + 3 + 32;
    bytes[body + 1] ^= 0x01;
    std::fs::write(&p, &bytes).unwrap();
    let s = Store::open(&p).unwrap();
    let got = [s.current_atop().map(|_| ()), s.cow().map(|_| ())];
    let errs: Vec<String> = got
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| format!("{e:#}")))
        .collect();
    assert_eq!(errs.len(), 1, "exactly the flipped dataset fails: {errs:?}");
    assert!(errs[0].contains("checksum"), "{errs:?}");
    assert_eq!(s.damaged().unwrap().len(), 1);
}

#[test]
fn import_into_a_damaged_store_rebuilds_it_and_keeps_the_other_datasets() {
    let p = filled("repair");
    // Corrupt the ATOP dataset only: the COW data must survive the rebuild.
    let mut bytes = std::fs::read(&p).unwrap();
    let at = bytes.windows(3).rposition(|w| w == b"CS1").unwrap();
    bytes[at + 3 + 32 + 1] ^= 0x01;
    std::fs::write(&p, &bytes).unwrap();
    let s = Store::open(&p).unwrap();
    let which = s.damaged().unwrap();
    let r = Store::repair(&p).unwrap();
    assert!(!r.healthy);
    assert_eq!(r.lost.len(), 1, "{r:?}");
    assert!(r.damaged_copy.as_ref().unwrap().exists());
    assert!(which[0].contains(&r.lost[0]), "{which:?} {r:?}");
    let s = Store::open(&p).unwrap();
    let kept_cow = s.cow().unwrap().is_some();
    let kept_atop = s.current_atop().unwrap().is_some();
    assert!(kept_cow != kept_atop, "one dataset lost, the other kept");
    s.put_atop(&release("5.1"), &[]).unwrap();
    assert_eq!(s.current_atop().unwrap().unwrap().version, "5.1");
    // A file that does not open at all: the import itself rebuilds it.
    std::fs::write(&p, vec![0x5A; 10_000]).unwrap();
    let s = Store::open(&p).unwrap();
    let err = s.current_atop().unwrap_err();
    assert!(err.downcast_ref::<Damaged>().is_some(), "{err:#}");
    s.put_atop(&release("5.1"), &[]).unwrap();
    assert_eq!(s.current_atop().unwrap().unwrap().version, "5.1");
    assert!(Store::repair(&p).unwrap().healthy);
}

#[test]
fn many_readers_at_once_all_succeed() {
    // #16 item 8: 7 of 10 parallel `casus dyads` failed on the lock.
    let p = filled("readers");
    let handles: Vec<_> = (0..10)
        .map(|_| {
            let p = p.clone();
            std::thread::spawn(move || {
                let s = Store::open(&p).unwrap();
                for _ in 0..20 {
                    assert_eq!(s.current_atop().unwrap().unwrap().version, "5.1");
                    assert!(s.cow().unwrap().is_some());
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a reader failed");
    }
}
