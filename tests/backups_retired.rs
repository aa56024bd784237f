//! Retired journal segments (`backups/<db>-journal/`): kept only while a kept rolling backup
//! may need them, and checked by `verify` as one chain with the kept journal, damage named by
//! segment, offset and record.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, Duration, Utc};
use thidua::domain::{Cause, VerdictValue};
use thidua::store::backup::{self, Backup, KEEP};
use thidua::store::checkpoint::{self, check_retired};
use thidua::store::{Actor, Store, VerdictWrite};

fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run thidua")
}

fn names(dir: &Path) -> Vec<u32> {
    thidua::store::journal::segments(dir)
        .expect("segments")
        .into_iter()
        .map(|(no, _)| no)
        .collect()
}

fn rolling(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("backups")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn first_segment(file: &Path) -> u32 {
    match backup::open(file).expect("open") {
        Backup::Journal(j) => j.header.segments[0].no,
        Backup::Snapshot(_) => panic!("a format-3 backup"),
    }
}

/// Many rolling backups, each followed by a checkpoint that retires the segment before it:
/// once more than `KEEP` backups were written, the retired segments older than the oldest
/// kept backup are deleted, and the ones kept chain from that backup's first record into the
/// kept journal. The oldest kept backup still restores.
#[test]
fn retired_segments_older_than_every_kept_backup_are_deleted_and_the_rest_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let init = thidua(&db, &["init", "--sample"]);
    assert!(init.status.success(), "{init:?}");
    let store = Store::open(&db).expect("open");
    let t0: DateTime<Utc> = "2026-11-28T01:00:00Z".parse().expect("time");
    let rounds = KEEP + 4;
    for i in 0..rounds {
        let base_version = store
            .verdict("SNV", "TT1")
            .expect("read")
            .map_or(0, |v| v.version);
        store
            .set_verdict(
                &VerdictWrite {
                    subject: "SNV".into(),
                    criterion: "TT1".into(),
                    value: if i.is_multiple_of(2) {
                        VerdictValue::Met
                    } else {
                        VerdictValue::NotMet
                    },
                    note: format!("lần {i}"),
                    base_version,
                    cause: Cause::Edit,
                    cell: None,
                },
                &Actor::new("An", Utc::now()),
            )
            .expect("verdict");
        let at = t0 + Duration::minutes(10 * i as i64);
        store
            .write_rolling_backup(at)
            .expect("backup")
            .expect("written");
        // What a large journal makes `checkpoint_after_backup` do.
        assert_eq!(
            store.checkpoint(at.timestamp_millis()).expect("checkpoint"),
            1
        );
    }
    let backups = rolling(&backup::rolling_dir(&db));
    assert_eq!(backups.len(), KEEP);
    let oldest = first_segment(&backups[0]);
    let retired = checkpoint::retired_dir(&db);
    let kept = names(&retired);
    // Rolling backups pruned 4 times; the last of those runs deleted up to the oldest
    // backup's segment as it was then.
    assert!(
        kept.first().is_some_and(|first| *first >= oldest - 1) && kept.len() <= KEEP + 1,
        "retired {kept:?}, oldest kept backup starts at {oldest}"
    );
    assert!(
        !kept.contains(&1),
        "the oldest retired segments went: {kept:?}"
    );
    let check = check_retired(&db).expect("check");
    assert_eq!(check.problem, None);
    let (first, last) = check.records.expect("records");
    assert_eq!(last, store.head().expect("head").0);
    assert!(first > 1, "starts at a checkpoint: {first}");
    drop(store);

    let verify = thidua(&db, &["--lang", "en", "verify"]);
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{verify:?}");
    assert!(
        out.contains(&format!(
            "Retired journal segments in {}: {} segment(s), records {first} to {last}, chained to the kept journal.",
            retired.display(),
            kept.len()
        )) && out.contains("No problems found"),
        "{out}"
    );
    let restored = dir.path().join("restored.db");
    let out = thidua(
        &restored,
        &[
            "--lang",
            "en",
            "restore",
            backups[0].to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{out:?}");

    // A backup of format 2 as the oldest: its first segment is not known, nothing is deleted.
    let v2 = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/backup/v2_journal.json");
    let store = Store::open(&db).expect("open");
    assert!(store.prune_retired(Some(&v2)).expect("prune").is_empty());
    assert!(store.prune_retired(None).expect("prune").is_empty());
    assert_eq!(names(&retired), kept);
}

/// A flipped bit in a retired segment, or a retired segment gone from the middle, is reported
/// by `verify` with the segment, the offset and the record, and verify fails.
#[test]
fn verify_names_damage_in_the_retired_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let init = thidua(&db, &["init", "--sample"]);
    assert!(init.status.success(), "{init:?}");
    {
        let store = Store::open(&db).expect("open");
        for at in [1_000, 2_000, 3_000] {
            assert_eq!(store.checkpoint(at).expect("checkpoint"), 1);
        }
    }
    let retired = checkpoint::retired_dir(&db);
    assert_eq!(names(&retired), [1, 2, 3]);
    let check = check_retired(&db).expect("check");
    assert_eq!(check.problem, None, "{check:?}");

    let second = retired.join("000002.log");
    let good = std::fs::read(&second).expect("read");
    let mut bad = good.clone();
    // Inside the segment's first record (the checkpoint), not in the zeros written ahead
    // after the records.
    let used = good.iter().rposition(|&b| b != 0).expect("records") + 1;
    bad[used / 4] ^= 0x04;
    std::fs::write(&second, &bad).expect("write");
    let verify = thidua(&db, &["--lang", "en", "verify"]);
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(!verify.status.success(), "{out}");
    assert!(
        out.contains(&format!(
            "the retired journal segments in {} do not chain to the kept journal: journal segment {}, offset 0,",
            retired.display(),
            second.display()
        )) && out.contains("record "),
        "{out}"
    );
    assert!(!out.contains("No problems found"), "{out}");

    std::fs::remove_file(&second).expect("remove");
    let check = check_retired(&db).expect("check");
    let problem = check.problem.expect("a gap");
    assert!(
        problem.contains("000003.log") && problem.contains("the segment before it is missing"),
        "{problem}"
    );
}
