//! The journal's operations. Read-only use: `status`, `log`, `export` and `verify` work on a
//! database the user may read but not write (a folder owned by another user, sled's `db` file
//! that cannot be opened for writing, a read-only mount), say they read it read-only as of
//! journal record N, and write nothing there. The tests run as root, so the real binary is run
//! as `nobody` (uid 65534) with `setpriv`; where that is impossible the test says why and
//! skips.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::Utc;
use thidua::domain::{Cause, VerdictValue};
use thidua::store::{Actor, Store, VerdictWrite};

fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run thidua")
}

/// The binary run as `nobody`, or `None` (with the reason printed) where it cannot be.
fn as_nobody(db: &Path, args: &[&str]) -> Option<Output> {
    let out = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_thidua"),
        ])
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", "C.UTF-8")
        .env("HOME", "/nonexistent")
        .env_remove("XDG_DATA_HOME")
        .output();
    match out {
        Ok(out) if String::from_utf8_lossy(&out.stderr).contains("setpriv:") => {
            println!(
                "skipped: setpriv cannot change user here: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            None
        }
        Ok(out) => Some(out),
        Err(e) => {
            println!("skipped: setpriv (util-linux) cannot run: {e}");
            None
        }
    }
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Every file under `dir` with its length, modification time and content.
fn listing(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let e = e.expect("entry");
            let meta = e.metadata().expect("metadata");
            if meta.is_dir() {
                todo.push(e.path());
            }
            let content = if meta.is_file() {
                std::fs::read(e.path()).expect("read")
            } else {
                Vec::new()
            };
            out.insert(
                e.path(),
                (meta.len(), meta.modified().expect("mtime"), content),
            );
        }
    }
    out
}

/// A sample database with two verdicts, in a folder everyone may enter, its files readable by
/// everyone (as copied from a server, or on a shared disk).
fn readable_database() -> (tempfile::TempDir, PathBuf, u64) {
    let tmp = tempfile::tempdir().expect("tempdir");
    chmod(tmp.path(), 0o755);
    let db = tmp.path().join("ro.db");
    let init = thidua(&db, &["init", "--sample"]);
    assert!(init.status.success(), "{init:?}");
    let head = {
        let store = Store::open(&db).expect("open");
        for c in ["TT1", "TT2"] {
            store
                .set_verdict(
                    &VerdictWrite {
                        subject: "VPUBND".into(),
                        criterion: c.into(),
                        value: VerdictValue::Met,
                        note: "đủ hồ sơ".into(),
                        base_version: 0,
                        cause: Cause::Edit,
                        cell: None,
                    },
                    &Actor::new("Lê Thị Hoa", Utc::now()),
                )
                .expect("verdict");
        }
        store.head().expect("head").0
    };
    // Opened again once so that sled has let go of its lock before the folder is handed over.
    drop(Store::open_moved(&db).expect("reopen"));
    let _ = std::fs::remove_file(db.join("owner.json"));
    let mut todo = vec![db.clone()];
    while let Some(d) = todo.pop() {
        chmod(&d, 0o755);
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            if e.path().is_dir() {
                todo.push(e.path());
            } else {
                chmod(&e.path(), 0o644);
            }
        }
    }
    (tmp, db, head)
}

/// Runs `status`, `log`, `verify` and `export` as `nobody` on `db`, checks each works and says
/// it read read-only as of record `head`, and that nothing under `db` changed.
fn read_only_commands_work(db: &Path, out_dir: &Path, head: u64) -> bool {
    let before = listing(db);
    let said = format!("as of journal record {head}");
    let Some(status) = as_nobody(db, &["--lang", "en", "status"]) else {
        return false;
    };
    let err = String::from_utf8_lossy(&status.stderr);
    assert!(status.status.success(), "status: {err}");
    assert!(
        err.contains("read the database read-only") && err.contains(&said),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&status.stdout).contains("Progress by tier"));

    let log = as_nobody(db, &["--lang", "en", "log"]).expect("log");
    let text = String::from_utf8_lossy(&log.stdout);
    assert!(
        log.status.success(),
        "log: {}",
        String::from_utf8_lossy(&log.stderr)
    );
    assert!(text.contains("Lê Thị Hoa"), "{text}");
    assert!(text.contains(&format!("record {head}")), "{text}");

    let verify = as_nobody(db, &["--lang", "en", "verify"]).expect("verify");
    let text = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success(),
        "verify: {text} {}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(text.contains("No problems found"), "{text}");
    assert!(String::from_utf8_lossy(&verify.stderr).contains(&said));

    let file = out_dir.join("verdicts.json");
    let export = as_nobody(
        db,
        &[
            "--lang",
            "en",
            "export",
            "--out",
            file.to_str().expect("utf-8 path"),
            "--allow-incomplete",
        ],
    )
    .expect("export");
    assert!(
        export.status.success(),
        "export: {}",
        String::from_utf8_lossy(&export.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("the export was written"))
            .expect("json");
    assert_eq!(json["journal"]["sequence"], head);
    let met = json["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .find(|s| s["id"] == "VPUBND")
        .expect("VPUBND")["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .filter(|v| v["verdict"] == "met")
        .count();
    assert_eq!(met, 2, "the two verdicts are in the export");

    assert_eq!(
        listing(db),
        before,
        "a read-only command wrote in the database folder"
    );
    true
}

#[test]
fn read_only_commands_work_in_a_folder_the_user_cannot_write() {
    let (tmp, db, head) = readable_database();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    chmod(&out, 0o777);
    read_only_commands_work(&db, &out, head);
}

#[test]
fn read_only_commands_work_when_sleds_lock_cannot_be_taken() {
    // The user owns the folder and may write in it, but sled's `db` file (which sled opens for
    // writing to lock it) belongs to another user and is read-only for them.
    let (tmp, db, head) = readable_database();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    chmod(&out, 0o777);
    let chown = Command::new("chown")
        .args(["65534:65534"])
        .arg(&db)
        .status()
        .expect("chown");
    assert!(chown.success());
    read_only_commands_work(&db, &out, head);
}

#[test]
fn read_only_commands_work_on_a_read_only_mount() {
    let (tmp, db, head) = readable_database();
    let mnt = tmp.path().join("mnt");
    std::fs::create_dir(&mnt).expect("mkdir");
    chmod(&mnt, 0o755);
    let bind = Command::new("mount")
        .arg("--bind")
        .arg(&db)
        .arg(&mnt)
        .output();
    match bind {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            println!(
                "skipped: a bind mount is not allowed here: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            println!("skipped: mount cannot run: {e}");
            return;
        }
    }
    let unmount = |m: &Path| {
        let _ = Command::new("umount").arg(m).status();
    };
    let ro = Command::new("mount")
        .args(["-o", "remount,ro,bind"])
        .arg(&mnt)
        .output()
        .expect("mount");
    if !ro.status.success() {
        unmount(&mnt);
        println!(
            "skipped: remounting read-only is not allowed here: {}",
            String::from_utf8_lossy(&ro.stderr).trim()
        );
        return;
    }
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    chmod(&out, 0o777);
    // As root too: root may write anywhere but on read-only media.
    let status = thidua(&mnt, &["--lang", "en", "status"]);
    let ok = std::panic::catch_unwind(|| {
        let err = String::from_utf8_lossy(&status.stderr);
        assert!(status.status.success(), "{err}");
        assert!(err.contains("read-only"), "{err}");
        read_only_commands_work(&mnt, &out, head);
    });
    unmount(&mnt);
    if let Err(e) = ok {
        std::panic::resume_unwind(e);
    }
}

/// The journal records who acted and how they came in: over SSH the fingerprint of the key
/// they logged in with, as OpenSSH prints it; on the command line `local:LOGIN`. `thidua log
/// --journal` shows both, locally beside the running server and over SSH.
#[test]
fn the_journal_records_the_ssh_key_or_the_local_login() {
    use crate::ssh_support::*;
    use std::time::Duration;
    const T: Duration = Duration::from_secs(20);

    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!("[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\n"),
    )
    .expect("reviewers file");
    // The fingerprint as OpenSSH prints it.
    let listed = Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(&an_key)
        .output()
        .expect("ssh-keygen");
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    let fingerprint = listed
        .split_whitespace()
        .find(|w| w.starts_with("SHA256:"))
        .unwrap_or_else(|| panic!("no fingerprint in {listed:?}"))
        .to_string();

    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));
    let mut an = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    an.wait_text("Người đánh giá: An", T);
    an.send(b"\r");
    an.wait_for("the criteria pane to have the keyboard", T, |s| {
        s.contains("▶ Sở Nội vụ")
    });
    an.send(b"yq");
    assert!(
        an.wait_exit(T),
        "the console closed once its verdict was saved"
    );

    // Over SSH, from the server's own store.
    let mut args = ssh_args(server.port, &an_key);
    args.extend(["an@127.0.0.1".to_string(), "log".into(), "--journal".into()]);
    let (code, out, err) = ssh_run(&args, T);
    assert_eq!(code, Some(0), "{err}");
    let line = out
        .lines()
        .find(|l| l.contains(" An ") && l.contains(&fingerprint))
        .unwrap_or_else(|| panic!("no record by An with {fingerprint} in:\n{out}"));
    assert!(line.contains("sự kiện"), "{line}");

    // Locally, beside the running server (the journal is only read).
    let local = thidua(&db, &["--lang", "en", "log", "--journal"]);
    assert!(local.status.success(), "{local:?}");
    let text = String::from_utf8_lossy(&local.stdout);
    assert!(text.contains(&fingerprint), "{text}");
    assert!(text.contains("Change journal head: record"), "{text}");
    drop(server);

    // A change from the command line is recorded with this process's login.
    let store = Store::open(&db).expect("open");
    store
        .set_verdict(
            &VerdictWrite {
                subject: "SNV".into(),
                criterion: "TT2".into(),
                value: VerdictValue::Met,
                note: String::new(),
                base_version: 0,
                cause: Cause::Edit,
                cell: None,
            },
            &Actor::new("Bình", Utc::now()),
        )
        .expect("verdict");
    drop(store);
    let local = thidua(&db, &["--lang", "en", "log", "--journal"]);
    let text = String::from_utf8_lossy(&local.stdout);
    let login = thidua::store::local_origin();
    assert!(login.starts_with("local:") && login.len() > 6, "{login}");
    assert!(
        text.lines()
            .any(|l| l.contains(" Bình ") && l.contains(login)),
        "{text}"
    );
}

fn no_leftovers(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring"))
        .collect();
    assert!(left.is_empty(), "no building folder left: {left:?}");
}

/// A backup carries the change journal: a restore rebuilds the database, replays and checks
/// the journal, and the restored database has the same head and goes on from it.
#[test]
fn a_backup_carries_the_journal_and_a_resealed_edit_is_caught_by_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let init = thidua(&db, &["init", "--sample"]);
    assert!(init.status.success(), "{init:?}");
    {
        let store = Store::open(&db).expect("open");
        store
            .set_verdict(
                &VerdictWrite {
                    subject: "SNV".into(),
                    criterion: "TT1".into(),
                    value: VerdictValue::Met,
                    note: String::new(),
                    base_version: 0,
                    cause: Cause::Edit,
                    cell: None,
                },
                &Actor::new("An", Utc::now()),
            )
            .expect("verdict");
    }
    let file = dir.path().join("backup.json");
    let out = thidua(&db, &["backup", file.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{out:?}");
    let head_of = |db: &Path| {
        let out = thidua(db, &["--lang", "en", "log"]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.starts_with("Change journal head"))
            .map(str::to_string)
            .expect("a head line")
    };
    let head = head_of(&db);

    // A faithful restore has the same head, and the journal goes on from it.
    let restored = dir.path().join("restored.db");
    let out = thidua(
        &restored,
        &["--lang", "en", "restore", file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(head_of(&restored), head);
    {
        let store = Store::open(&restored).expect("open");
        let before = store.head().expect("head").0;
        store
            .set_verdict(
                &VerdictWrite {
                    subject: "SNV".into(),
                    criterion: "TT2".into(),
                    value: VerdictValue::Met,
                    note: String::new(),
                    base_version: 0,
                    cause: Cause::Edit,
                    cell: None,
                },
                &Actor::new("An", Utc::now()),
            )
            .expect("verdict");
        assert_eq!(store.head().expect("head").0, before + 1);
    }
    let verify = thidua(&restored, &["--lang", "en", "verify"]);
    assert!(
        String::from_utf8_lossy(&verify.stdout).contains("No problems found"),
        "{verify:?}"
    );

    // Backups edited and resealed, in format 3 and in format 2, are refused:
    // `backups_journal::a_damaged_cut_or_resealed_backup_is_refused_and_nothing_is_left` and
    // `backups_journal::backups_of_formats_1_and_2_still_restore_and_an_edited_one_is_refused`.
}

/// A sample database with verdicts on SNV TT1..TT3 by An; returns the journal's head line of
/// `thidua log`.
fn scored_database(db: &Path) -> String {
    let init = thidua(db, &["init", "--sample"]);
    assert!(init.status.success(), "{init:?}");
    {
        let store = Store::open(db).expect("open");
        for c in ["TT1", "TT2", "TT3"] {
            store
                .set_verdict(
                    &VerdictWrite {
                        subject: "SNV".into(),
                        criterion: c.into(),
                        value: VerdictValue::Met,
                        note: format!("ghi chú {c}"),
                        base_version: 0,
                        cause: Cause::Edit,
                        cell: None,
                    },
                    &Actor::new("An", Utc::now()),
                )
                .expect("verdict");
        }
    }
    head_line(db)
}

fn head_line(db: &Path) -> String {
    let out = thidua(db, &["--lang", "en", "log", "--journal"]);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with("Change journal head"))
        .map(str::to_string)
        .expect("a head line")
}

/// sled's files deleted, or its log overwritten with garbage: `restore --from-journal`
/// builds a new database from the journal alone, with every verdict, the same head, and
/// `verify` clean; the old folder is only read.
#[test]
fn a_database_is_rebuilt_from_its_journal_when_sleds_files_are_lost_or_damaged() {
    for damage in ["deleted", "garbage"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("old.db");
        let head = scored_database(&db);
        match damage {
            "deleted" => {
                for e in std::fs::read_dir(&db).expect("dir").flatten() {
                    let n = e.file_name().to_string_lossy().into_owned();
                    if n == "db" || n == "conf" || n.starts_with("snap.") {
                        std::fs::remove_file(e.path()).expect("remove");
                    }
                }
            }
            _ => {
                let log = db.join("db");
                let mut bytes = std::fs::read(&log).expect("read");
                for b in bytes.iter_mut().step_by(7) {
                    *b ^= 0x5a;
                }
                std::fs::write(&log, bytes).expect("write");
                for e in std::fs::read_dir(&db).expect("dir").flatten() {
                    if e.file_name().to_string_lossy().starts_with("snap.") {
                        std::fs::remove_file(e.path()).expect("remove");
                    }
                }
            }
        }
        let journal_before = listing(&db.join("journal"));
        let new = dir.path().join("new.db");
        let out = thidua(
            &new,
            &[
                "--lang",
                "en",
                "restore",
                "--from-journal",
                db.to_str().expect("utf-8"),
            ],
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{damage}: {out:?}");
        assert!(
            said.contains("Rebuilt") && said.contains("No problems found"),
            "{said}"
        );
        assert_eq!(head_line(&new), head, "{damage}: the same head");
        assert_eq!(
            listing(&db.join("journal")),
            journal_before,
            "the old journal only read"
        );
        let store = Store::open(&new).expect("open");
        for c in ["TT1", "TT2", "TT3"] {
            let v = store.verdict("SNV", c).expect("read").expect("kept");
            assert_eq!(v.value, VerdictValue::Met, "{damage} {c}");
            assert_eq!(v.note, format!("ghi chú {c}"));
        }
        assert!(store.verify().expect("verify").is_ok());
        drop(store);
        no_leftovers(dir.path());
    }
}

/// Where the records of a journal segment end: after its last byte that is not zero (a
/// segment is written ahead with zeros).
fn records_end(bytes: &[u8]) -> usize {
    bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1)
}

/// A damaged journal is not rebuilt from: the damage is named and nothing is made.
#[test]
fn a_damaged_journal_is_not_rebuilt_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("old.db");
    scored_database(&db);
    let seg = db
        .join(thidua::store::journal::DIR)
        .join(thidua::store::journal::segment_name(1));
    let mut bytes = std::fs::read(&seg).expect("read");
    let at = records_end(&bytes) - 40;
    bytes[at] ^= 0x01;
    std::fs::write(&seg, bytes).expect("write");
    let new = dir.path().join("new.db");
    let out = thidua(
        &new,
        &[
            "--lang",
            "en",
            "restore",
            "--from-journal",
            db.to_str().expect("utf-8"),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("000001.log") && err.contains("damaged"),
        "{err}"
    );
    assert!(!new.exists(), "nothing made");
    no_leftovers(dir.path());
}

/// A tool, not a check: builds the ×10 synthetic database (20,000 collectives, 300,000
/// individuals, 60 % decided) in $THIDUA_X10_DIR and writes its backup (`x10.json`, with the
/// journal) there, for measuring `thidua restore` (docs/PERFORMANCE.md, "Backup and restore
/// at ×10").
#[test]
#[ignore = "a tool: makes the x10 backup that docs/PERFORMANCE.md measures restore with"]
fn make_x10_backup() {
    let Some(out) = std::env::var_os("THIDUA_X10_DIR") else {
        println!("set THIDUA_X10_DIR to the folder to write into");
        return;
    };
    let out = PathBuf::from(out);
    let sample = thidua::interchange::campaign::sample();
    let body = thidua::synth::database(&sample, 20_000, 300_000, 60, 42);
    let store = thidua::store::backup::restore(&out.join("x10.db"), &body).expect("restore");
    store
        .write_backup(&out.join("x10.json"), Utc::now())
        .expect("backup");
}

/// After a backup, once the kept journal is over its bound (set to 0 bytes here through the
/// debug-only THIDUA_TEST_CHECKPOINT_BYTES), a new segment starts with a checkpoint and the
/// older ones move to `backups/<db>-journal/`: the journal stops growing. Opening, `verify`,
/// `log --journal`, a restore of a later backup and `restore --from-journal` all go on from
/// the checkpoint, with the chain unbroken (the same head).
#[test]
fn backups_checkpoint_the_journal_and_retire_older_segments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("old.db");
    scored_database(&db);
    let journal_dir = db.join(thidua::store::journal::DIR);
    let retired = thidua::store::checkpoint::retired_dir(&db);
    let backup = |name: &str| {
        let file = dir.path().join(name);
        let out = Command::new(env!("CARGO_BIN_EXE_thidua"))
            .args(["--lang", "en", "backup"])
            .arg(&file)
            .arg("--db")
            .arg(&db)
            .env(thidua::store::checkpoint::AFTER_VAR, "0")
            .output()
            .expect("run thidua");
        assert!(out.status.success(), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains("moved 1 older journal segment(s)"), "{err}");
        file
    };
    let names = |d: &Path| -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(d)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };

    backup("one.json");
    assert_eq!(names(&journal_dir), ["000002.log"]);
    assert_eq!(names(&retired), ["000001.log"]);
    {
        let store = Store::open(&db).expect("opens from the checkpoint");
        store
            .set_verdict(
                &VerdictWrite {
                    subject: "SNV".into(),
                    criterion: "TT4".into(),
                    value: VerdictValue::NotMet,
                    note: "thiếu báo cáo".into(),
                    base_version: 0,
                    cause: Cause::Edit,
                    cell: None,
                },
                &Actor::new("An", Utc::now()),
            )
            .expect("verdict");
    }
    let verify = thidua(&db, &["--lang", "en", "verify"]);
    assert!(
        String::from_utf8_lossy(&verify.stdout).contains("No problems found"),
        "{verify:?}"
    );
    let listed = thidua(&db, &["--lang", "en", "log", "--journal"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    let first = text.lines().nth(1).expect("a first record");
    assert!(first.contains("checkpoint"), "{text}");

    // The backup is the state at this head; the checkpoint after it is the next record.
    let head = head_line(&db);
    let two = backup("two.json");
    assert_eq!(names(&journal_dir), ["000003.log"]);
    assert_eq!(names(&retired), ["000001.log", "000002.log"]);
    // Nothing changed since the checkpoint: the next backup does not make another.
    let out = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["--lang", "en", "backup"])
        .arg(dir.path().join("three.json"))
        .arg("--db")
        .arg(&db)
        .env(thidua::store::checkpoint::AFTER_VAR, "0")
        .output()
        .expect("run thidua");
    assert!(out.status.success(), "{out:?}");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("moved"),
        "{out:?}"
    );
    assert_eq!(names(&journal_dir), ["000003.log"]);

    let restored = dir.path().join("restored.db");
    let out = thidua(
        &restored,
        &["--lang", "en", "restore", two.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(head_line(&restored), head);

    let rebuilt = dir.path().join("rebuilt.db");
    let out = thidua(
        &rebuilt,
        &[
            "--lang",
            "en",
            "restore",
            "--from-journal",
            db.to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(head_line(&rebuilt), head_line(&db));
    let store = Store::open(&rebuilt).expect("open");
    let v = store.verdict("SNV", "TT4").expect("read").expect("kept");
    assert_eq!(v.value, VerdictValue::NotMet);
}
