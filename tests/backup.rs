//! Backups and verify on real sled: a backup restores to the same database, and a damaged or
//! truncated backup is refused before anything is written.

use chrono::{DateTime, NaiveDate, Utc};
use thidua::domain::{Cause, Initiative, InitiativeStatus, Subject, VerdictValue};
use thidua::interchange::campaign;
use thidua::store::backup::{self, BackupError};
use thidua::store::{Actor, Store, VerdictWrite};

fn actor(name: &str) -> Actor {
    let at = DateTime::parse_from_rfc3339("2021-09-01T02:00:00Z").expect("time");
    Actor::new(name, at.with_timezone(&Utc))
}

fn filled(path: &std::path::Path) -> Store {
    let store = Store::create(path, &campaign::sample(), &actor("admin")).expect("create");
    let subjects = vec![
        Subject {
            id: "SNV".into(),
            name: "Sở Nội vụ".into(),
            tier: "province_agency".into(),
            parent: None,
            registered_on: NaiveDate::from_ymd_opt(2021, 8, 2),
        },
        Subject {
            id: "CB1".into(),
            name: "Đặng Văn Bình".into(),
            tier: "individual".into(),
            parent: Some("SNV".into()),
            registered_on: None,
        },
    ];
    store
        .upsert_subjects(&subjects, "roster.csv", &actor("admin"))
        .expect("subjects");
    store
        .upsert_initiatives(
            &[Initiative {
                id: "SK1".into(),
                title: "Số hoá hồ sơ".into(),
                owner: "CB1".into(),
                submitted_on: NaiveDate::from_ymd_opt(2021, 9, 1),
                status: InitiativeStatus::Submitted,
                recognition: None,
                version: 0,
            }],
            "initiatives.csv",
            &actor("admin"),
        )
        .expect("initiatives");
    for (i, (s, c, v)) in [
        ("SNV", "TT1", VerdictValue::Met),
        ("SNV", "TT2", VerdictValue::NotMet),
        ("CB1", "CN4", VerdictValue::NeedsExplanation),
    ]
    .into_iter()
    .enumerate()
    {
        let w = VerdictWrite {
            subject: s.into(),
            criterion: c.into(),
            value: v,
            note: format!("ghi chú {i}"),
            base_version: 0,
            cause: Cause::Edit,
            cell: None,
        };
        store
            .set_verdict(&w, &actor("tran.thi.b"))
            .expect("verdict");
    }
    store
}

#[test]
fn a_backup_restores_to_the_same_database_and_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = filled(&dir.path().join("db"));
    let report = store.verify().expect("verify");
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(
        (report.subjects, report.verdicts, report.initiatives),
        (2, 3, 1)
    );
    let file = dir.path().join("backup.json");
    store.write_backup(&file, actor("x").at).expect("backup");
    let original = store.snapshot(actor("x").at).expect("snapshot");
    let checksum = store.checksum().expect("checksum");
    drop(store);

    let body = backup::read(&file).expect("read back");
    let restored = backup::restore(&dir.path().join("restored"), &body).expect("restore");
    assert_eq!(
        restored.snapshot(actor("x").at).expect("snapshot"),
        original
    );
    assert_eq!(
        restored.checksum().expect("checksum"),
        checksum,
        "same trees, same bytes"
    );
    assert!(restored.verify().expect("verify").is_ok());
    let next = restored
        .set_verdict(
            &VerdictWrite {
                subject: "SNV".into(),
                criterion: "TT1".into(),
                value: VerdictValue::NotMet,
                note: "sau khi khôi phục".into(),
                base_version: 1,
                cause: Cause::Edit,
                cell: None,
            },
            &actor("b"),
        )
        .expect("a restored database takes new writes");
    assert_eq!(next.version, 2);
    assert!(restored.verify().expect("verify").is_ok());
    assert_eq!(restored.path(), dir.path().join("restored"));
    // The restore was built in a hidden folder and moved into place: nothing of it is left.
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["backup.json", "db", "restored"].map(String::from));
}

#[test]
fn damaged_or_truncated_backups_are_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = filled(&dir.path().join("db"));
    let file = dir.path().join("backup.json");
    store.write_backup(&file, actor("x").at).expect("backup");
    let good = std::fs::read(&file).expect("read");

    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &good[..good.len() / 2]).expect("write");
    // One digit of the head named in the first line changed.
    let flipped = dir.path().join("flipped.json");
    let at = good
        .windows(11)
        .position(|w| w == b"\"sequence\":")
        .expect("the head's sequence")
        + 11;
    let mut changed = good.clone();
    changed[at] = if changed[at] == b'9' {
        b'8'
    } else {
        changed[at] + 1
    };
    std::fs::write(&flipped, changed).expect("write");
    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"format\":\"something-else\"}").expect("write");

    for (file, want) in [
        (&truncated, "damaged/truncated"),
        (&flipped, "checksum does not match"),
        (&other, "not a thidua backup"),
    ] {
        let err = backup::read(file).expect_err("refused");
        let msg = err.to_string();
        assert!(msg.contains(want), "{msg}");
        assert!(
            msg.contains(&file.display().to_string()),
            "names the file: {msg}"
        );
        if let BackupError::Checksum { .. } = err {
            assert!(msg.contains("not used"));
        }
        assert!(!dir.path().join("restored").exists());
    }
}

#[test]
fn verify_finds_a_verdict_without_its_audit_trail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = filled(&dir.path().join("db"));
    let file = dir.path().join("backup.json");
    store.write_backup(&file, actor("x").at).expect("backup");
    let mut body = backup::read(&file).expect("read");
    // A database whose verdict was changed behind the audit trail's back.
    body.verdicts[0].verdict.note = "sửa lén".into();
    let restored = backup::restore(&dir.path().join("restored"), &body).expect("restore");
    let report = restored.verify().expect("verify");
    // Told twice: against the audit trail, and against the change journal the backup carries.
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    assert!(
        report.problems.iter().all(|p| p.contains("SNV TT1")),
        "{:?}",
        report.problems
    );
    assert!(
        report.problems.iter().any(|p| p.contains("change journal")),
        "{:?}",
        report.problems
    );
}

#[test]
fn the_backup_corpus_is_refused_with_clear_messages() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/backup");
    let good = backup::read(&dir.join("good.json")).expect("the good backup reads");
    assert_eq!(good.subjects.len(), 3);
    let cases = [
        ("truncated.json", "damaged/truncated"),
        ("latin1.json", "not UTF-8"),
        ("wrong_format.json", "format is \"thidua-verdicts\""),
        ("bad_checksum.json", "checksum does not match"),
        ("duplicate_id.json", "subject SNV is listed twice"),
        ("cycle.json", "form a cycle"),
        ("escape_in_name.json", "control or escape characters"),
        ("huge_field.json", "too long"),
        ("audit_gap.json", "gap"),
    ];
    let target = tempfile::tempdir().expect("tempdir");
    for (file, want) in cases {
        let path = dir.join(file);
        let msg = backup::read(&path).expect_err(file).to_string();
        assert!(msg.contains(file), "{file}: names the file: {msg}");
        assert!(msg.contains(want), "{file}: expected {want:?} in {msg}");
        assert!(
            !msg.contains('\u{1b}'),
            "{file}: no raw escape in the message"
        );
    }
    assert_eq!(std::fs::read_dir(target.path()).expect("dir").count(), 0);
}

#[test]
fn rolling_backups_are_written_only_after_changes_and_pruned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = filled(&dir.path().join("db"));
    let t0 = actor("x").at;
    let first = store
        .write_rolling_backup(t0)
        .expect("backup")
        .expect("written");
    assert!(first.starts_with(dir.path().join("backups")));
    assert!(backup::read(&first).is_ok());
    let again = store
        .write_rolling_backup(t0 + chrono::Duration::minutes(10))
        .expect("backup");
    assert_eq!(again, None, "nothing changed, nothing written");
    for i in 0..(backup::KEEP + 3) {
        let w = VerdictWrite {
            subject: "SNV".into(),
            criterion: "TT5".into(),
            value: VerdictValue::Met,
            note: String::new(),
            base_version: i as u64,
            cause: Cause::Edit,
            cell: None,
        };
        store.set_verdict(&w, &actor("a")).expect("verdict");
        let at = t0 + chrono::Duration::minutes(20 + i as i64);
        assert!(store.write_rolling_backup(at).expect("backup").is_some());
    }
    let kept = std::fs::read_dir(dir.path().join("backups"))
        .expect("dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .count();
    assert_eq!(kept, backup::KEEP);
}

#[test]
fn a_chairs_locks_survive_a_backup_and_restore() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = filled(&dir.path().join("db"));
    for (c, base) in [("CN1", 0), ("CN2", 0), ("CN3", 0), ("CN4", 1)] {
        let w = VerdictWrite {
            subject: "CB1".into(),
            criterion: c.into(),
            value: VerdictValue::Met,
            note: String::new(),
            base_version: base,
            cause: Cause::Edit,
            cell: None,
        };
        store.set_verdict(&w, &actor("b")).expect("verdict");
    }
    store.lock_subject("CB1", &actor("chair")).expect("lock");
    let file = dir.path().join("backup.json");
    store.write_backup(&file, actor("x").at).expect("backup");
    let checksum = store.checksum().expect("checksum");
    drop(store);
    let restored = backup::restore(&dir.path().join("r"), &backup::read(&file).expect("read"))
        .expect("restore");
    assert_eq!(restored.checksum().expect("checksum"), checksum);
    let locked: Vec<String> = restored
        .locked_subjects()
        .expect("locks")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(locked, ["CB1"]);
}
