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
        err.contains("truncated.json") && err.contains("bị cắt cụt"),
        "{err}"
    );
    assert!(!target.exists());
}

/// A backup whose content was edited and whose checksum was made again (resealed) passes the
/// checksum, but not the check of what it holds: `restore` refuses it before anything is at
/// the target, and says so.
#[test]
fn a_resealed_edited_backup_is_refused_and_leaves_nothing() {
    use sha2::{Digest, Sha256};
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
    // A format-2 backup (a snapshot beside the journal) of the sample, as the previous
    // release wrote it: the snapshot is what can be edited without touching the journal. A
    // format-3 backup carries the journal alone (`backups_journal::`).
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/backup/v2_journal.json");
    let raw = std::fs::read_to_string(&fixture).expect("read");
    let mut envelope: serde_json::Value = serde_json::from_str(&raw).expect("json");
    // Edit: a unit now belongs to another unit of its own tier (a reader of the file alone
    // cannot tell; the campaign's tiers can); then reseal.
    let subjects = envelope["body"]["subjects"]
        .as_array_mut()
        .expect("subjects");
    let tier_of = |s: &serde_json::Value| s["tier"].as_str().unwrap_or_default().to_string();
    let (i, j) = (0..subjects.len())
        .flat_map(|i| (0..subjects.len()).map(move |j| (i, j)))
        .find(|&(i, j)| {
            i != j
                && subjects[i]["parent"].is_string()
                && tier_of(&subjects[i]) == tier_of(&subjects[j])
        })
        .expect("two units of one tier");
    let id = subjects[i]["id"].as_str().expect("id").to_string();
    let other = subjects[j]["id"].as_str().expect("id").to_string();
    subjects[i]["parent"] = serde_json::Value::from(other.clone());
    let body = serde_json::to_string(&envelope["body"]).expect("body");
    let sha: String = Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let resealed = format!(
        "{{\"format\":{},\"version\":{},\"sha256\":\"{sha}\",\"body\":{body}}}\n",
        envelope["format"], envelope["version"]
    );
    std::fs::write(&file, resealed).expect("write");
    let out = thidua(
        dir.path(),
        &["restore", &s(&file), "--db", &s(&restored), "--lang", "en"],
    );
    assert!(!out.status.success(), "refused");
    let err = text(&out.stderr);
    assert!(
        err.contains("failed its check, so nothing was restored")
            && err.contains(&format!("subject {id}: parent {other} is of tier")),
        "{err}"
    );
    assert!(!restored.exists(), "nothing at the target");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no building folder left: {leftovers:?}"
    );
}
