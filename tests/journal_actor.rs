//! Every change journal record names its actor fully: the reviewer and how they came in
//! (`local:LOGIN` for the command line and the local console, the SSH key's fingerprint over
//! SSH). An import run locally, an import carried out by a running `serve` for the command
//! beside it, an assignment, and the checkpoints thidua writes itself; `thidua log --journal`
//! shows it.

use std::path::Path;
use std::process::{Command, Output};

use crate::ssh_support;
use thidua::store::journal::{self, KIND_CHANGE, KIND_CHECKPOINT};

fn thidua(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env("USER", "Chị Lan")
        .envs(env.iter().copied())
        .output()
        .expect("run thidua")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// This test process's login, as the records of the commands it starts must name it.
fn login() -> String {
    let uid = thidua::files::effective_uid().expect("uid");
    let name = thidua::files::passwd_name(uid).unwrap_or_else(|| format!("uid {uid}"));
    format!("local:{name}")
}

/// Every record of the kept journal: (kind, sequence, actor).
fn records(db: &Path) -> Vec<(u8, u64, String)> {
    let mut out = Vec::new();
    journal::scan(&db.join(journal::DIR), |r, _| {
        out.push((r.kind, r.seq, r.actor.clone()))
    })
    .expect("the journal checks");
    out
}

fn write_roster(dir: &Path) -> std::path::PathBuf {
    let roster = dir.join("roster.csv");
    std::fs::write(
        &roster,
        "id,name,tier,parent\nSTP,Sở Tư pháp,province_agency,\nSGD,Sở Giáo dục,province_agency,\n",
    )
    .expect("roster");
    roster
}

#[test]
fn a_local_import_assignment_and_checkpoint_name_their_actor_fully() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    ssh_support::make_db(&db);
    let roster = write_roster(dir.path());
    let before = records(&db).len();
    let out = thidua(
        &db,
        &["import", "roster", roster.to_str().expect("utf-8")],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = thidua(&db, &["assign", "Bình", "--tier", "province_agency"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let me = login();
    let all = records(&db);
    let changes: Vec<&(u8, u64, String)> = all[before..]
        .iter()
        .filter(|(k, _, _)| *k == KIND_CHANGE)
        .collect();
    assert_eq!(changes.len(), 2, "the import and the assignment: {all:?}");
    for (_, seq, actor) in &changes {
        assert_eq!(actor, &format!("Chị Lan\n{me}"), "record {seq}");
    }
    // The checkpoint after a backup (which starts the kept journal again).
    let file = dir.path().join("b.thidua");
    let out = thidua(
        &db,
        &["backup", file.to_str().expect("utf-8")],
        &[(thidua::store::checkpoint::AFTER_VAR, "0")],
    );
    assert!(out.status.success(), "{}", text(&out));
    let all = records(&db);
    let checkpoint = all.last().expect("a record");
    assert_eq!(checkpoint.0, KIND_CHECKPOINT);
    assert_eq!(
        checkpoint.2,
        format!("thidua\n{me}"),
        "the checkpoint's record"
    );
    let out = thidua(&db, &["log", "--journal"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = shown
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{} ", checkpoint.1)))
        .unwrap_or_else(|| panic!("record {} in:\n{shown}", checkpoint.1));
    assert!(line.contains("thidua") && line.contains(&me), "{line}");
    assert!(
        !shown.lines().skip(1).any(|l| l.contains("  -  ")),
        "{shown}"
    );
}

#[test]
fn an_import_carried_out_by_serve_names_the_command_line_user_who_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    ssh_support::make_db(&db);
    let roster = write_roster(dir.path());
    let (_key, public) = ssh_support::keygen(dir.path(), "an");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!("[[reviewer]]\nname = \"An\"\nrole = \"chair\"\nkeys = [\"{public}\"]\n"),
    )
    .expect("reviewers");
    let server = ssh_support::start_server(&db, &reviewers, &dir.path().join("serve.log"));
    crate::team_import::wait_for_socket(&db);
    let before = records(&db).len();
    let out = thidua(
        &db,
        &["import", "roster", roster.to_str().expect("utf-8")],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("carried out"), "{}", text(&out));
    let all = records(&db);
    let new: Vec<&(u8, u64, String)> = all[before..]
        .iter()
        .filter(|(k, _, _)| *k == KIND_CHANGE)
        .collect();
    let [(_, seq, actor)] = new.as_slice() else {
        panic!("one record for the import: {all:?}");
    };
    assert_eq!(actor, &format!("Chị Lan\n{}", login()), "record {seq}");
    // `thidua log --journal` beside the server shows it.
    let out = thidua(&db, &["log", "--journal"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = shown
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{seq} ")))
        .unwrap_or_else(|| panic!("record {seq} in:\n{shown}"));
    assert!(
        line.contains("Chị Lan") && line.contains(&login()),
        "{line}"
    );
    drop(server);
}
