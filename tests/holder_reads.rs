//! `status`, `log`, `export` and `verify` beside a running console or `thidua serve`: the
//! process holding the database answers them over its reader socket, so the secretary does
//! not have to ask every reviewer to quit. The real binary in a pty holds the database; the
//! commands are the real binary too.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use chrono::Utc;
use thidua::domain::{Cause, VerdictValue};
use thidua::store::{Actor, Store, VerdictWrite};

use crate::{pty, ssh_support};

fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("THIDUA_LANG")
        .output()
        .expect("run thidua")
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// The sample-like database of the SSH tests, with one verdict given.
fn database(db: &Path) {
    ssh_support::make_db(db);
    let store = reopen(db);
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
            &Actor::new("Lan", Utc::now()),
        )
        .expect("verdict");
}

/// Opens `db` again: sled lets go of its file lock a moment after a store is dropped.
fn reopen(db: &Path) -> Store {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Store::open(db) {
            Ok(s) => return s,
            Err(e) => {
                assert!(Instant::now() < deadline, "reopen: {e}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

fn wait_for_socket(db: &Path) {
    let sock = thidua::store::reader::socket_path(db);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !sock.exists() {
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            sock.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The four read-only commands all work while `db` is held, and say who answered.
fn reads_work_while_held(db: &Path, dir: &Path) {
    let o = thidua(db, &["status"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("Progress by tier"),
        "{}",
        text(&o.stdout)
    );
    assert!(text(&o.stdout).contains("1 / 30"), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("that thidua's answer"),
        "{}",
        text(&o.stderr)
    );

    let o = thidua(db, &["log", "--subject", "SNV"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Lan"), "{}", text(&o.stdout));
    let o = thidua(db, &["log", "--subject", "NOPE"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("NOPE"), "{}", text(&o.stderr));

    let out = dir.join("verdicts.json");
    let o = thidua(
        db,
        &[
            "export",
            "--format",
            "json",
            "--allow-incomplete",
            "--out",
            out.to_str().expect("utf-8 path"),
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("the export")).expect("json");
    assert_eq!(json["subjects"].as_array().map(Vec::len), Some(4));
    let xlsx = dir.join("verdicts.xlsx");
    let o = thidua(
        db,
        &[
            "export",
            "--allow-incomplete",
            "--out",
            xlsx.to_str().expect("utf-8 path"),
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(std::fs::metadata(&xlsx).expect("xlsx").len() > 1000);

    let o = thidua(db, &["verify"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("No problems found"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn a_running_console_answers_status_log_export_and_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    database(&db);
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Tiến độ");
    wait_for_socket(&db);
    let mode = std::fs::metadata(thidua::store::reader::socket_path(&db))
        .expect("socket")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "only the owner may ask");
    reads_work_while_held(&db, dir.path());
    // The console still quits at once after answering, even when its socket file is gone
    // (a deleted folder, say: the reader thread does not wait on it), and leaves none behind.
    std::fs::remove_file(thidua::store::reader::socket_path(&db)).expect("remove the socket");
    c.send("q");
    assert_eq!(c.wait_exit(Duration::from_secs(20)), Some(true));
    assert!(!thidua::store::reader::socket_path(&db).exists());
    let o = thidua(&db, &["status"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        !text(&o.stderr).contains("that thidua's answer"),
        "read directly once nobody holds it"
    );
}

#[test]
fn a_running_server_answers_status_log_export_and_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    database(&db);
    let (_key, public) = ssh_support::keygen(dir.path(), "an");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!("[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{public}\"]\n"),
    )
    .expect("reviewers");
    let _server = ssh_support::start_server(&db, &reviewers, &dir.path().join("serve.log"));
    wait_for_socket(&db);
    reads_work_while_held(&db, dir.path());
}

#[test]
fn a_holder_that_cannot_answer_leaves_the_lock_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    database(&db);
    // This process holds the database and answers nobody; a file left where a killed
    // holder's socket was does not fool the command.
    let _held = reopen(&db);
    std::fs::write(thidua::store::reader::socket_path(&db), b"").expect("stale file");
    let o = thidua(&db, &["status"]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert!(err.contains("review.db"), "{err}");
    assert!(!err.contains("that thidua's answer"), "{err}");
}

#[test]
fn a_reader_that_never_asks_does_not_keep_status_waiting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    database(&db);
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Tiến độ");
    wait_for_socket(&db);
    // Two connections that say nothing: each may hold its answer for the 30 s deadline.
    let sock = thidua::store::reader::socket_path(&db);
    let _silent: Vec<_> = (0..2)
        .map(|_| std::os::unix::net::UnixStream::connect(&sock).expect("connect"))
        .collect();
    let started = Instant::now();
    let o = thidua(&db, &["status"]);
    let took = started.elapsed();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("that thidua's answer"),
        "{}",
        text(&o.stderr)
    );
    assert!(
        took < Duration::from_secs(15),
        "status waited {took:?} behind readers that never asked"
    );
    c.send("q");
    assert_eq!(c.wait_exit(Duration::from_secs(40)), Some(true));
}
