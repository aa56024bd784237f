//! `thidua backup`, `restore` and `verify` as a user runs them: a backup of the sample database
//! restores into an identical database that verifies; a damaged backup is refused and leaves
//! nothing behind.

use std::path::Path;
use std::process::{Command, Output};

use thidua::store::Store;

fn thidua(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .env("HOME", dir.join("home"))
        .env_remove("THIDUA_DB")
        .env_remove("LANG")
        .env("USER", "tester")
        .output()
        .expect("run thidua")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn backup_restore_verify_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, file, restored) = (
        dir.path().join("a.db"),
        dir.path().join("backup.json"),
        dir.path().join("b.db"),
    );
    let s = |p: &Path| p.display().to_string();
    assert!(
        thidua(dir.path(), &["init", "--sample", "--db", &s(&db)])
            .status
            .success()
    );
    let out = thidua(dir.path(), &["backup", &s(&file), "--db", &s(&db)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Đã sao lưu 535 đối tượng"),
        "{}",
        text(&out.stdout)
    );
    // The target is an empty folder made ready for it: the restored database takes its place.
    std::fs::create_dir_all(&restored).expect("mkdir");
    let out = thidua(dir.path(), &["restore", &s(&file), "--db", &s(&restored)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = thidua(
        dir.path(),
        &["verify", "--db", &s(&restored), "--lang", "en"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("No problems found."));
    let exported = |db: &Path, name: &str| {
        let out_file = dir.path().join(name);
        let out = thidua(
            dir.path(),
            &[
                "export",
                "--format",
                "json",
                "--out",
                &s(&out_file),
                "--allow-incomplete",
                "--db",
                &s(db),
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&out_file).expect("read")).expect("json");
        v["exported_at"] = serde_json::Value::Null;
        // A restored database starts a change journal of its own: its head differs.
        assert!(v["journal"]["head_sha256"].is_string(), "{}", v["journal"]);
        v["journal"] = serde_json::Value::Null;
        v
    };
    assert_eq!(
        exported(&db, "a.json"),
        exported(&restored, "b.json"),
        "the restored database exports identically"
    );
    let (a, b) = (
        Store::open(&db).expect("a"),
        Store::open(&restored).expect("b"),
    );
    assert_eq!(a.checksum().expect("a"), b.checksum().expect("b"));
    drop((a, b));
    let out = thidua(dir.path(), &["restore", &s(&file), "--db", &s(&db)]);
    assert!(!out.status.success(), "restore never overwrites");
    assert!(
        text(&out.stderr).contains("không bao giờ ghi đè"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_truncated_backup_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/backup/truncated.json");
    let target = dir.path().join("new.db");
    let out = thidua(
        dir.path(),
        &[
            "restore",
            &bad.display().to_string(),
            "--db",
            &target.display().to_string(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("truncated.json") && err.contains("damaged/truncated"),
        "{err}"
    );
    assert!(!target.exists());
}
