//! `thidua backup FILE` keeps the change journal bounded as a rolling backup does: once the
//! backup reads back whole, the journal segments it covers move to `backups/<db>-journal/`
//! (a checkpoint starts the journal again), and retired segments older than every kept
//! rolling backup are deleted. The backup restores the full state and `verify` is clean.

use std::path::Path;
use std::process::{Command, Output};

use chrono::Utc;
use thidua::domain::{Cause, VerdictValue};
use thidua::store::backup::{self, Backup};
use thidua::store::checkpoint::{self, AFTER_VAR};
use thidua::store::{Actor, Store, VerdictWrite};

/// The binary, with a checkpoint after every backup (`AFTER_VAR`, read by debug builds).
fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .env(AFTER_VAR, "0")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run thidua")
}

fn segments(dir: &Path) -> Vec<u32> {
    if !dir.exists() {
        return Vec::new();
    }
    thidua::store::journal::segments(dir)
        .expect("segments")
        .into_iter()
        .map(|(no, _)| no)
        .collect()
}

fn verdict(store: &Store, criterion: &str, value: VerdictValue) {
    let base_version = store
        .verdict("SNV", criterion)
        .expect("read")
        .map_or(0, |v| v.version);
    store
        .set_verdict(
            &VerdictWrite {
                subject: "SNV".into(),
                criterion: criterion.into(),
                value,
                note: format!("{criterion} {value:?}"),
                base_version,
                cause: Cause::Edit,
                cell: None,
            },
            &Actor::new("An", Utc::now()),
        )
        .expect("verdict");
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn an_explicit_backup_retires_what_it_covers_and_prunes_like_a_rolling_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let init = thidua(&db, &["init", "--sample"]);
    assert!(init.status.success(), "{init:?}");
    let journal = db.join("journal");
    let retired = checkpoint::retired_dir(&db);
    let state;
    {
        let store = Store::open(&db).expect("open");
        verdict(&store, "TT1", VerdictValue::Met);
        // A rolling backup A starting at segment 1; segment 1 is then retired, and a rolling
        // backup B starts at segment 2. A still needs segment 1, so B's run kept it.
        let t0 = Utc::now();
        let a = store.write_rolling_backup(t0).expect("A").expect("written");
        assert_eq!(store.checkpoint(t0.timestamp_millis()).expect("cp"), 1);
        verdict(&store, "TT2", VerdictValue::NotMet);
        let t1 = t0 + chrono::Duration::minutes(10);
        let rolling = store.write_rolling_backup(t1).expect("B").expect("written");
        let Backup::Journal(b) = backup::open(&rolling).expect("open") else {
            panic!("a journal backup");
        };
        assert_eq!(b.header.segments[0].no, 2);
        assert_eq!(segments(&retired), [1]);
        // A is cleared away: segment 1 is now older than every kept rolling backup.
        std::fs::remove_file(&a).expect("remove A");
        // The rolling backup (with AFTER_BYTES in force here) retired nothing more.
        verdict(&store, "TT3", VerdictValue::Met);
        state = store.checksum().expect("sum");
    }
    assert_eq!(segments(&retired), [1]);
    let before = segments(&journal);
    assert_eq!(before, [2]);

    let file = dir.path().join("ban-sao.thidua");
    let out = thidua(
        &db,
        &["--lang", "en", "backup", file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("moved 1 older journal segment(s)")
            && said.contains(
                "deleted 1 retired journal segment(s) older than every kept rolling backup"
            ),
        "{said}"
    );
    // The journal folder holds only what comes after the backup's point.
    let Backup::Journal(b) = backup::open(&file).expect("open") else {
        panic!("a journal backup");
    };
    let covered: Vec<u32> = b.header.segments.iter().map(|s| s.no).collect();
    assert_eq!(covered, before);
    let now = segments(&journal);
    assert_eq!(now, [3], "journal after the backup: {now:?}");
    // Segment 2 went to the retired folder (a kept rolling backup needs it); segment 1,
    // older than every kept rolling backup, was deleted.
    assert_eq!(segments(&retired), [2]);

    // The backup restores the full state, to the head it names.
    let restored = dir.path().join("restored.db");
    let out = thidua(
        &restored,
        &["--lang", "en", "restore", file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", text(&out));
    {
        let r = Store::open(&restored).expect("open");
        assert_eq!(r.checksum().expect("sum"), state);
        assert_eq!(r.head().expect("head").0, b.header.sequence);
        assert_eq!(
            r.verdict("SNV", "TT3").expect("read").expect("TT3").value,
            VerdictValue::Met
        );
    }
    for target in [&db, &restored] {
        let out = thidua(target, &["--lang", "en", "verify"]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("No problems found"), "{}", text(&out));
    }
    // The original still opens with the same state, its journal starting at the checkpoint.
    let store = Store::open(&db).expect("open");
    assert_eq!(store.checksum().expect("sum"), state);
}

#[test]
fn nothing_is_retired_when_the_backup_does_not_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let init = thidua(&db, &["init", "--sample"]);
    assert!(init.status.success(), "{init:?}");
    let store = Store::open(&db).expect("open");
    verdict(&store, "TT1", VerdictValue::Met);
    let file = dir.path().join("b.thidua");
    store.write_backup(&file, Utc::now()).expect("backup");
    store
        .check_backup_covers(&file)
        .expect("journal folder")
        .expect("a sound backup checks");
    // Damaged after it was written (a bad disk, a copy cut short): the last byte is lost.
    let mut bytes = std::fs::read(&file).expect("read");
    bytes.truncate(bytes.len() - 1);
    std::fs::write(&file, &bytes).expect("write");
    // What a backup is checked for before it is put in place and anything is retired (only
    // once the journal has outgrown its bound: a rolling backup at ×10 is not read back every
    // ten minutes; see tests/backup_read_back.rs for what the user then sees).
    let detail = store
        .check_backup_covers(&file)
        .expect("journal folder")
        .expect_err("refused");
    assert!(detail.contains("unexpected end of file"), "{detail}");
    // Below the bound a backup is not read back and nothing is retired.
    let journal = db.join("journal");
    let before = segments(&journal);
    let again = dir.path().join("c.thidua");
    let (_, after) = store
        .backup_and_retire(&again, Utc::now(), thidua::files::Mode::CreateNew)
        .expect("nothing to retire");
    assert_eq!(after.retired, 0);
    assert_eq!(segments(&journal), before);
    assert!(segments(&checkpoint::retired_dir(&db)).is_empty());
}
