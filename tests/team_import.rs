//! `thidua import` beside a running `thidua serve`: the server carries the import out on its
//! own store, a console connected with the real `ssh` client sees the new subject live, and
//! the command prints what a local import prints (compared with a local import into a twin
//! database). A dry run changes nothing; a bad file is refused naming file, line and field,
//! and nothing changes. Beside a local console, the import is refused naming the holder.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::ssh_support::{self, Term};

fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("LANG", "en_US.UTF-8")
        .env("USER", "chair")
        .env_remove("LC_ALL")
        .env_remove("THIDUA_LANG")
        .output()
        .expect("run thidua")
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

pub(crate) fn wait_for_socket(db: &Path) {
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

/// A server on `db` with one chair, An, and a console of An's over real `ssh`.
pub(crate) fn serve_with_console(dir: &Path, db: &Path) -> (ssh_support::Server, Term) {
    let (key, public) = ssh_support::keygen(dir, "an");
    let reviewers = dir.join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!("[[reviewer]]\nname = \"An\"\nrole = \"chair\"\nkeys = [\"{public}\"]\n"),
    )
    .expect("reviewers");
    let server = ssh_support::start_server(db, &reviewers, &dir.join("serve.log"));
    wait_for_socket(db);
    let term = Term::connect("an", server.port, &key, 80, 24, &[("LANG", "en_US.UTF-8")]);
    term.wait_text("Sở Nội vụ", Duration::from_secs(30));
    (server, term)
}

#[test]
fn an_import_beside_the_server_is_carried_out_by_it_and_seen_live_over_ssh() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let twin = dir.path().join("twin.db");
    ssh_support::make_db(&db);
    ssh_support::make_db(&twin);
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "id,name,tier,parent\nSTP,Sở Tư pháp,province_agency,\nSNV,Sở Nội vụ,province_agency,\n",
    )
    .expect("roster");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "id,name,tier,parent\nSGD,Sở Giáo dục,province_agency,\nSXD,Sở Xây dựng,no_such_tier,\n",
    )
    .expect("bad roster");
    let roster_arg = roster.to_str().expect("utf-8 path");
    let bad_arg = bad.to_str().expect("utf-8 path");
    let (_server, mut term) = serve_with_console(dir.path(), &db);

    // A dry run: the same summary as a local dry run, and nothing changes.
    let held = thidua(&db, &["import", "roster", roster_arg, "--dry-run"]);
    let local = thidua(&twin, &["import", "roster", roster_arg, "--dry-run"]);
    assert!(held.status.success(), "{}", text(&held.stderr));
    assert_eq!(text(&held.stdout), text(&local.stdout));
    assert!(
        text(&held.stderr).contains("carried out by the server"),
        "{}",
        text(&held.stderr)
    );

    // A bad file: refused with file, line and field, exit status 1, nothing written.
    let held_bad = thidua(&db, &["import", "roster", bad_arg]);
    let local_bad = thidua(&twin, &["import", "roster", bad_arg]);
    assert_eq!(held_bad.status.code(), Some(1));
    assert_eq!(held_bad.status.code(), local_bad.status.code());
    let err = text(&held_bad.stderr);
    assert!(err.contains("bad.csv"), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("tier"), "{err}");
    assert!(
        err.contains(text(&local_bad.stderr).trim()),
        "the local words:\n{}\nthe server's:\n{err}",
        text(&local_bad.stderr)
    );
    std::thread::sleep(Duration::from_millis(500));
    let screen = term.screen();
    assert!(!screen.contains("Sở Tư pháp"), "{screen}");
    assert!(!screen.contains("Sở Giáo dục"), "{screen}");

    // The import: the same summary as a local one, and the console shows the new unit.
    let held = thidua(&db, &["import", "roster", roster_arg]);
    let local = thidua(&twin, &["import", "roster", roster_arg]);
    assert!(held.status.success(), "{}", text(&held.stderr));
    assert_eq!(text(&held.stdout), text(&local.stdout));
    term.wait_text("Sở Tư pháp", Duration::from_secs(20));
    // One audit event, named by the command's reviewer.
    let log = thidua(&db, &["log"]);
    assert!(
        text(&log.stdout).contains("roster.csv"),
        "{}",
        text(&log.stdout)
    );
    assert!(text(&log.stdout).contains("chair"), "{}", text(&log.stdout));
    term.send(b"q");
    assert!(term.wait_exit(Duration::from_secs(20)));
}

#[test]
fn an_import_beside_a_local_console_is_refused_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    ssh_support::make_db(&db);
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "id,name,tier,parent\nSTP,Sở Tư pháp,province_agency,\n",
    )
    .expect("roster");
    let mut c = crate::pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Tiến độ");
    wait_for_socket(&db);
    let o = thidua(&db, &["import", "roster", roster.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("open in another thidua console"), "{err}");
    assert!(err.contains("thidua serve"), "{err}");
    assert!(err.contains("Quit it"), "{err}");
    c.send("q");
    assert_eq!(c.wait_exit(Duration::from_secs(20)), Some(true));
    // Nothing was imported.
    let o = thidua(&db, &["log"]);
    assert!(
        !text(&o.stdout).contains("roster.csv"),
        "{}",
        text(&o.stdout)
    );
}
