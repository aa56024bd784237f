//! Commands over SSH with the real `ssh` client: `status`, `log --subject` and `export` answer from the
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
    // Many short connections from one address in a row: above the default rate limit.
    let server = start_server_with(&db, &reviewers, &log, &["--per-source-rate", "1000"]);
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

    // export: the file arrives on stdout; chair and viewer only.
    let (code, out, err) = run(
        &an_key,
        &["export", "--format", "json", "--allow-incomplete"],
    );
    assert_eq!(code, Some(1), "a reviewer's export is refused: {out}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("vai trò của bạn là người đánh giá"), "{err}");
    let (code, _, err) = run(&ann_key, &["export", "--format", "json"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("--allow-incomplete"),
        "an unfinished review: {err}"
    );
    let (code, out, err) = run(
        &ann_key,
        &["export", "--format", "json", "--allow-incomplete"],
    );
    assert_eq!(code, Some(0), "{err}");
    let local_json = dir.path().join("local.json");
    local(
        &db,
        &[
            "--reviewer",
            "Ann Lee",
            "export",
            "--format",
            "json",
            "--allow-incomplete",
            "--out",
            local_json.to_str().expect("path"),
        ],
    );
    let local_text = std::fs::read_to_string(&local_json).expect("local json");
    assert_eq!(
        without_time(serde_json::from_str(&out).expect("json over ssh")),
        without_time(serde_json::from_str(&local_text).expect("local json")),
        "the same file as the local export, but for the time it was made"
    );
    let (code, out, err) = run(
        &ann_key,
        &["export", "--format", "csv", "--allow-incomplete"],
    );
    assert_eq!(code, Some(0), "{err}");
    let local_csv = dir.path().join("local.csv");
    local(
        &db,
        &[
            "--reviewer",
            "Ann Lee",
            "export",
            "--format",
            "csv",
            "--allow-incomplete",
            "--out",
            local_csv.to_str().expect("path"),
        ],
    );
    assert_eq!(out, std::fs::read_to_string(&local_csv).expect("local csv"));
    // XLSX: binary over the pipe, read back with calamine.
    let mut args = ssh_args(server.port, &ann_key);
    args.extend(
        [
            "x@127.0.0.1",
            "export",
            "--format",
            "xlsx",
            "--allow-incomplete",
        ]
        .map(String::from),
    );
    let got = Command::new("ssh")
        .args(&args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("ssh");
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    let xlsx = dir.path().join("ket-qua.xlsx");
    std::fs::write(&xlsx, &got.stdout).expect("write xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("a valid workbook");
    use calamine::Reader;
    let names = wb.sheet_names();
    assert!(!names.is_empty());
    let range = wb.worksheet_range(&names[0]).expect("first sheet");
    let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c.contains("Sở Nội vụ")), "{cells:?}");

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

/// `v` without its `exported_at` fields (the moment the file was made).
fn without_time(mut v: serde_json::Value) -> serde_json::Value {
    match &mut v {
        serde_json::Value::Object(map) => {
            map.remove("exported_at");
            for (_, x) in map.iter_mut() {
                *x = without_time(x.take());
            }
        }
        serde_json::Value::Array(items) => {
            for x in items.iter_mut() {
                *x = without_time(x.take());
            }
        }
        _ => {}
    }
    v
}
