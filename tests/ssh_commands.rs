//! Commands over SSH with the real `ssh` client: `status` and `log --subject` answer from the
//! server's own store (the same as the local command line beside it), and a shell, `sh -c`,
//! `scp` or an unknown command is refused with the list of what runs, exit status ≠ 0, and
//! never runs anything.

use crate::ssh_support;

use std::process::Command;
use std::time::Duration;

use ssh_support::*;

const T: Duration = Duration::from_secs(30);

fn reviewers_file(
    dir: &std::path::Path,
    entries: &[(&str, &str, &str, &str)],
) -> std::path::PathBuf {
    let mut text = String::from("[server]\nidle_timeout_minutes = 5\n\n");
    for (name, role, lang, key) in entries {
        text.push_str(&format!(
            "[[reviewer]]\nname = \"{name}\"\nrole = \"{role}\"\nlang = \"{lang}\"\nkeys = [\"{key}\"]\n\n"
        ));
    }
    let path = dir.join("reviewers.toml");
    std::fs::write(&path, text).expect("write reviewers");
    path
}

/// The local command line beside the running server (it asks the holder).
fn local(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("thidua runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn status_and_log_run_over_ssh_and_nothing_else_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (ann_key, ann_pub) = keygen(dir.path(), "ann");
    let reviewers = reviewers_file(
        dir.path(),
        &[
            ("Nguyễn Văn An", "reviewer", "vi", &an_pub),
            ("Ann Lee", "viewer", "en", &ann_pub),
        ],
    );
    let log = dir.path().join("serve.log");
    let server = start_server(&db, &reviewers, &log);
    let run = |key: &std::path::Path, words: &[&str]| {
        let mut args = ssh_args(server.port, key);
        args.push("x@127.0.0.1".into());
        args.extend(words.iter().map(|w| w.to_string()));
        ssh_run(&args, T)
    };

    // status: the same text as `thidua status` beside the server, in the reviewer's language.
    let (code, out, err) = run(&an_key, &["status"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, local(&db, &["--lang", "vi", "status"]));
    let (code, out, err) = run(&ann_key, &["status"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, local(&db, &["--lang", "en", "status"]));

    // log --subject: the parser is the command line's own.
    let (code, out, err) = run(&ann_key, &["log", "--subject", "SNV"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        local(&db, &["--lang", "en", "log", "--subject", "SNV"])
    );
    let (code, out, err) = run(&an_key, &["log"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, local(&db, &["--lang", "vi", "log"]));
    let (code, out, err) = run(&ann_key, &["log", "--subject", "NOPE"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(err.contains("no subject with id “NOPE”"), "{err}");

    // Everything else is refused, names what runs, and runs nothing.
    let marker = dir.path().join("ran");
    let touch = format!("touch {}", marker.display());
    for words in [
        vec!["sh", "-c", touch.as_str()],
        vec!["bash", "-c", touch.as_str()],
        vec!["scp", "-t", "/tmp"],
        vec!["echo", "hi"],
        vec!["status;", "touch", marker.to_str().expect("path")],
        vec!["status", "--db", "/tmp/other.db"],
        vec!["export", "--out", "/tmp/x.json"],
    ] {
        let (code, out, err) = run(&ann_key, &words);
        assert_ne!(code, Some(0), "{words:?} refused: {out}");
        assert!(out.is_empty(), "{words:?}: {out}");
        assert!(
            err.contains("command refused") && err.contains("status, log [--subject ID]"),
            "{words:?}: {err}"
        );
    }
    let (code, _, err) = run(&an_key, &["bash"]);
    assert_ne!(code, Some(0));
    assert!(err.contains("lệnh bị từ chối"), "{err}");
    assert!(!marker.exists(), "a refused command ran");
    drop(server);
}
