//! A chair and a reviewer over SSH: each sees the other connected and on which subject; the
//! chair locks a finished subject and the reviewer can no longer change it, then unlocks it.
//! The session cap turns a third console away with a message; an edit of the reviewers file
//! (and SIGHUP) takes effect without dropping anyone, and a bad edit keeps the old list.

use crate::ssh_support;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use thidua::domain::{Cause, VerdictValue};
use thidua::store::{Actor, Store, VerdictWrite};

use ssh_support::*;

const T: Duration = Duration::from_secs(10);

fn reviewers_text(an: &str, binh: &str, cuong: &str, max_sessions: u32) -> String {
    format!(
        "[server]\nmax_sessions = {max_sessions}\nlang = \"en\"\n\n\
         [[reviewer]]\nname = \"Nguyễn Văn An\"\nrole = \"chair\"\nkeys = [\"{an}\"]\n\n\
         [[reviewer]]\nname = \"Trần Thị Bình\"\nrole = \"reviewer\"\nkeys = [\"{binh}\"]\n\n\
         [[reviewer]]\nname = \"Lê Văn Cường\"\nrole = \"viewer\"\nkeys = [\"{cuong}\"]\n"
    )
}

/// Decides every criterion of Sở Nội vụ so its review is final.
fn finish_snv(db: &Path) {
    let store = Store::open(db).expect("open");
    let actor = Actor::new("Trần Thị Bình", Utc::now());
    let group = store
        .campaign()
        .group_of_tier("province_agency")
        .expect("group")
        .clone();
    for c in &group.criteria {
        store
            .set_verdict(
                &VerdictWrite {
                    subject: "SNV".into(),
                    criterion: c.id.clone(),
                    value: VerdictValue::Met,
                    note: String::new(),
                    base_version: 0,
                    cause: Cause::Edit,
                    cell: None,
                },
                &actor,
            )
            .expect("verdict");
    }
}

fn wait_log(log: &Path, text: &str) -> String {
    let deadline = Instant::now() + T;
    loop {
        let s = std::fs::read_to_string(log).unwrap_or_default();
        if s.contains(text) {
            return s;
        }
        assert!(Instant::now() < deadline, "log never said {text:?}:\n{s}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_chair_locks_a_finished_subject_and_the_server_keeps_its_limits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    finish_snv(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (binh_key, binh_pub) = keygen(dir.path(), "binh");
    let (cuong_key, cuong_pub) = keygen(dir.path(), "cuong");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        reviewers_text(&an_pub, &binh_pub, &cuong_pub, 2),
    )
    .expect("write");
    let log = dir.path().join("serve.log");
    let server = start_server(&db, &reviewers, &log);

    let mut an = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    let mut binh = Term::connect("binh", server.port, &binh_key, 80, 24, &[]);
    // Presence: each sees the other, and that they are on the same subject.
    an.wait_text("also here: Trần Thị Bình", T);
    an.wait_text("· Trần Thị Bình also", T);
    binh.wait_text("also here: Nguyễn Văn An", T);

    // A third console is over the cap: told so, and closed.
    let mut args = ssh_args(server.port, &cuong_key);
    args.extend(["-tt".into(), "cuong@127.0.0.1".into()]);
    let (code, out, err) = ssh_run(&args, T);
    assert_ne!(code, Some(0));
    assert!(
        format!("{out}{err}").contains("the server is full"),
        "{out}\n{err}"
    );

    // A reviewer cannot lock; the chair can.
    binh.send(b"L");
    binh.wait_text("Only the chair can lock or unlock.", T);
    an.send(b"L");
    an.wait_text("Sở Nội vụ locked: nobody can change it now.", T);
    binh.wait_text("Sở Nội vụ locked", T);
    binh.wait_text("· locked", T);
    binh.send(b"\r");
    binh.send(b"n");
    binh.wait_text("Sở Nội vụ is locked: it cannot be changed.", T);
    assert!(binh.screen().contains("✓ Met"), "nothing changed");

    // The chair unlocks: the reviewer can decide again.
    an.send(b"L");
    an.wait_text("Sở Nội vụ unlocked.", T);
    binh.wait_text("Sở Nội vụ unlocked.", T);

    // Raising the cap in the file lets a third console in, without dropping the others.
    std::fs::write(
        &reviewers,
        reviewers_text(&an_pub, &binh_pub, &cuong_pub, 3),
    )
    .expect("write");
    wait_log(&log, "reviewers file reloaded");
    let cuong = Term::connect("cuong", server.port, &cuong_key, 80, 24, &[]);
    cuong.wait_text("Lê Văn Cường (read-only)", T);
    an.wait_text("Lê Văn Cường", T);

    // A bad edit is logged and the list in force kept; SIGHUP reads the file again.
    std::fs::write(&reviewers, "[[reviewer]]\nname = \"x\"\nrole = \"boss\"\n").expect("write");
    wait_log(&log, "not reloaded, the previous list stays");
    std::fs::write(
        &reviewers,
        reviewers_text(&an_pub, &binh_pub, &cuong_pub, 3),
    )
    .expect("write");
    wait_log(&log, "reviewers=3");
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .expect("kill -HUP");
    assert!(hup.success());
    wait_log(&log, "reviewers file reloaded (SIGHUP)");
    // Everyone is still connected and working.
    binh.send(b"-");
    binh.wait_text("saved", T);
    an.wait_text("9/10", T);
    assert!(
        !an.wait_exit(Duration::from_millis(10)),
        "the chair is still connected"
    );
    an.send(b"q");
    binh.send(b"q");
    assert!(an.wait_exit(T) && binh.wait_exit(T));
    drop(cuong);
}
