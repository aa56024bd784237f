//! `thidua import` beside a running `thidua serve`, with the file given by a relative path:
//! the summary and the refusal name the file as the user typed it, word for word what a local
//! import prints, not the absolute path the server was sent.

use std::path::Path;
use std::process::{Command, Output};

use crate::ssh_support;
use crate::team_import::serve_with_console;

fn thidua(cwd: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .arg("--db")
        .arg(db)
        .current_dir(cwd)
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

#[test]
fn an_import_through_the_server_names_the_file_as_typed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let twin = dir.path().join("twin.db");
    ssh_support::make_db(&db);
    ssh_support::make_db(&twin);
    let files = dir.path().join("files");
    std::fs::create_dir(&files).expect("folder");
    std::fs::write(
        files.join("roster.csv"),
        "id,name,tier,parent\nSTP,Sở Tư pháp,province_agency,\n",
    )
    .expect("roster");
    std::fs::write(
        files.join("bad.csv"),
        "id,name,tier,parent\nSXD,Sở Xây dựng,no_such_tier,\n",
    )
    .expect("bad");
    let (_server, mut term) = serve_with_console(dir.path(), &db);

    for typed in ["files/roster.csv", "./files/roster.csv"] {
        let held = thidua(dir.path(), &db, &["import", "roster", typed, "--dry-run"]);
        let local = thidua(dir.path(), &twin, &["import", "roster", typed, "--dry-run"]);
        assert!(held.status.success(), "{}", text(&held.stderr));
        let out = text(&held.stdout);
        assert!(out.starts_with(&format!("{typed}: ")), "{out}");
        assert!(!out.contains(dir.path().to_str().expect("path")), "{out}");
        assert_eq!(out, text(&local.stdout));
    }
    let held = thidua(dir.path(), &db, &["import", "roster", "files/bad.csv"]);
    assert_eq!(held.status.code(), Some(1));
    let err = text(&held.stderr);
    assert!(err.contains("files/bad.csv"), "{err}");
    assert!(!err.contains(dir.path().to_str().expect("path")), "{err}");
    term.send(b"q");
    assert!(term.wait_exit(std::time::Duration::from_secs(20)));
}
