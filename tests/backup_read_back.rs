//! A backup that does not read back whole once written is never left where a good backup
//! would be: `thidua backup FILE` and the console's rolling backup read it back from its
//! temporary file before it is put in place (once the change journal has outgrown its bound,
//! here at once through `AFTER_VAR`), and one that does not read back is deleted, nothing is
//! retired, and the user is told where, what happened and what to do, in Vietnamese and
//! English. A disk that gives back other bytes than were written cannot be made in a test, so
//! the damage comes from `backup::DAMAGE_VAR`, read by debug builds only: the backup loses its
//! last byte between being written and being read back.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use thidua::store::backup::DAMAGE_VAR;
use thidua::store::checkpoint::{self, AFTER_VAR};
use thidua::store::{Store, journal};

use crate::pty;

fn database(db: &Path) {
    crate::command::units_db(db, 5);
}

/// The binary with a checkpoint after every backup, and the backup damaged before it is read
/// back when `damage`.
fn thidua(db: &Path, damage: bool, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thidua"));
    cmd.env(AFTER_VAR, "0").env_remove(DAMAGE_VAR);
    if damage {
        cmd.env(DAMAGE_VAR, "1");
    }
    cmd.args(args).arg("--db").arg(db).output().expect("run")
}

fn segments(dir: &Path) -> Vec<u32> {
    if !dir.exists() {
        return Vec::new();
    }
    journal::segments(dir)
        .expect("segments")
        .into_iter()
        .map(|(no, _)| no)
        .collect()
}

/// Every name in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_backup_that_does_not_read_back_is_deleted_told_and_retires_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    database(&db);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("out");
    let before = segments(&db.join(journal::DIR));
    let state = Store::open(&db).expect("open").checksum().expect("sum");
    for (lang, said) in [
        (
            "en",
            [
                "did not read back whole",
                "so it was deleted and not put in place",
                "No journal segment was retired",
                "then make the backup again",
            ],
        ),
        (
            "vi",
            [
                "không đọc lại được nguyên vẹn",
                "nên đã bị xoá và không được đặt vào chỗ",
                "Không đoạn nhật ký nào bị chuyển đi",
                "rồi sao lưu lại",
            ],
        ),
    ] {
        let file = out_dir.join(format!("ban-sao-{lang}.thidua"));
        let out = thidua(
            &db,
            true,
            &["--lang", lang, "backup", file.to_str().expect("utf-8")],
        );
        assert!(!out.status.success(), "{out:?}");
        let text = stderr(&out);
        for s in said {
            assert!(text.contains(s), "{lang}: {s:?} not in {text}");
        }
        assert!(text.contains(&file.display().to_string()), "{text}");
        // Nothing that looks like a backup is left: not the file, not its temporary file.
        assert!(!file.exists(), "{text}");
        assert!(names(&out_dir).is_empty(), "{:?}", names(&out_dir));
    }
    // Nothing was retired: the journal is as it was and the database opens with its state.
    assert_eq!(segments(&db.join(journal::DIR)), before);
    assert!(segments(&checkpoint::retired_dir(&db)).is_empty());
    assert_eq!(
        Store::open(&db).expect("open").checksum().expect("sum"),
        state
    );

    // With --force, a file already there stays as it was.
    let kept = out_dir.join("old.thidua");
    std::fs::write(&kept, b"an older file").expect("write");
    let out = thidua(
        &db,
        true,
        &[
            "--lang",
            "en",
            "backup",
            "--force",
            kept.to_str().expect("utf-8"),
        ],
    );
    assert!(!out.status.success(), "{out:?}");
    assert_eq!(std::fs::read(&kept).expect("read"), b"an older file");
    assert_eq!(names(&out_dir), ["old.thidua"]);

    // Undamaged, the same backup is written, read back, and retires what it covers.
    let file = out_dir.join("good.thidua");
    let out = thidua(
        &db,
        false,
        &["--lang", "en", "backup", file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(file.exists());
    assert_eq!(segments(&checkpoint::retired_dir(&db)), before);
}

fn rolling(db: &Path) -> Vec<PathBuf> {
    Store::open(db)
        .expect("open")
        .rolling_backups()
        .expect("rolling")
}

#[test]
fn a_rolling_backup_that_does_not_read_back_fails_the_quit_and_is_never_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("r.db");
    database(&db);
    let backups = thidua::store::backup::rolling_dir(&db);
    let before = segments(&db.join(journal::DIR));
    let mut c = pty::Console::open(
        &db,
        &["--lang", "en"],
        &[(AFTER_VAR, "0"), (DAMAGE_VAR, "1")],
        80,
        24,
        false,
    );
    c.wait_for("Progress");
    c.send("\ry");
    c.wait_for("saved ");
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(false), "quit must fail");
    let all = String::from_utf8_lossy(&c.shared.raw.lock().expect("raw")).into_owned();
    assert!(
        all.contains("the backup on quitting could not be written")
            && all.contains("did not read back whole")
            && all.contains("so it was deleted and not put in place"),
        "{all}"
    );
    // No backup, no temporary file, no mark: nothing the pruning rule could count.
    let left: Vec<String> = names(&backups)
        .into_iter()
        .filter(|n| n != "r.db-journal")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(rolling(&db).is_empty());
    assert_eq!(segments(&db.join(journal::DIR)), before);
    assert!(segments(&checkpoint::retired_dir(&db)).is_empty());

    // Undamaged, the next quit writes the rolling backup, which is then the one kept.
    let mut c = pty::Console::open(&db, &["--lang", "en"], &[(AFTER_VAR, "0")], 80, 24, false);
    c.wait_for("Progress");
    c.send("\ry");
    c.wait_for("saved ");
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "quit");
    let kept = rolling(&db);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(thidua::store::backup::open(&kept[0]).is_ok());
    assert_eq!(segments(&checkpoint::retired_dir(&db)), before);
    assert!(
        Store::open(&db)
            .expect("open")
            .verify()
            .expect("verify")
            .is_ok()
    );
}

/// A folder made append-only (`chattr +a`: files can be made in it, none removed, root
/// included), made writable again on drop.
struct AppendOnly(PathBuf);

impl AppendOnly {
    fn make(dir: &Path) -> Result<AppendOnly, String> {
        let out = Command::new("chattr")
            .arg("+a")
            .arg(dir)
            .output()
            .map_err(|e| format!("chattr cannot be run: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "chattr +a was refused: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(AppendOnly(dir.to_path_buf()))
    }
}

impl Drop for AppendOnly {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-a").arg(&self.0).status();
    }
}

/// When the temporary file of a backup that did not read back cannot be deleted, the message
/// names it and says to delete it; it never has the backup's name. The folder is made
/// append-only (where `chattr` works; skipped, with the reason printed, elsewhere), so the
/// deletion really fails.
#[test]
fn a_temporary_file_that_cannot_be_deleted_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    database(&db);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("out");
    let file = out_dir.join("b.thidua");
    let out = {
        let _guard = match AppendOnly::make(&out_dir) {
            Ok(g) => g,
            Err(why) => {
                println!("skipped: {why}");
                return;
            }
        };
        thidua(
            &db,
            true,
            &["--lang", "en", "backup", file.to_str().expect("utf-8")],
        )
    };
    assert!(!out.status.success(), "{out:?}");
    let text = stderr(&out);
    let left = names(&out_dir);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".thidua-backup-") && left[0].ends_with(".tmp"));
    assert!(!file.exists());
    let tmp = out_dir.join(&left[0]);
    assert!(
        text.contains("did not read back whole")
            && text.contains(&format!(
                "its temporary file {} could not be deleted",
                tmp.display()
            ))
            && text.contains("delete it by hand"),
        "{text}"
    );
    assert!(segments(&checkpoint::retired_dir(&db)).is_empty());
}
