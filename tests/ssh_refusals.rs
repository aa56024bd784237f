//! `thidua serve` refuses what it must, with the real binary and the system ssh client: a bad
//! reviewers file at start, unknown keys, passwords, commands, subsystems and a shell without
//! a terminal; the host key is kept across restarts; the log records who came and how it
//! ended.

use crate::ssh_support;

use std::time::Duration;

use ssh_support::*;

const T: Duration = Duration::from_secs(20);

fn reviewers_file(dir: &std::path::Path, entries: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let mut text = String::from("[server]\nidle_timeout_minutes = 5\n\n");
    for (name, role, key) in entries {
        text.push_str(&format!(
            "[[reviewer]]\nname = \"{name}\"\nrole = \"{role}\"\nkeys = [\"{key}\"]\n\n"
        ));
    }
    let path = dir.join("reviewers.toml");
    std::fs::write(&path, text).expect("write reviewers");
    path
}

#[test]
fn a_bad_reviewers_file_stops_the_start_naming_file_line_and_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let path = dir.path().join("reviewers.toml");
    std::fs::write(
        &path,
        "[[reviewer]]\nname = \"An\"\nrole = \"boss\"\nkeys = [\"ssh-ed25519 AAAA\"]\n",
    )
    .expect("write");
    let out = std::process::Command::new(BIN)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--reviewers"])
        .arg(&path)
        .arg("--log")
        .arg(dir.path().join("serve.log"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("reviewers.toml: line 3, key `reviewer.role`"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing started");

    // Options that mean nothing to the server are refused rather than ignored.
    for (flag, value) in [("--reviewer", "an"), ("--lang", "en")] {
        let out = std::process::Command::new(BIN)
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .arg("--db")
            .arg(&db)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                flag,
                value,
                "--reviewers",
            ])
            .arg(&path)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("{flag} does not apply to serve")),
            "{err}"
        );
        assert!(out.stdout.is_empty(), "nothing started");
    }
}

#[test]
fn everything_but_a_known_key_with_a_terminal_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (stranger_key, _) = keygen(dir.path(), "stranger");
    let reviewers = reviewers_file(dir.path(), &[("Nguyễn Văn An", "reviewer", &an_pub)]);
    let log = dir.path().join("serve.log");
    let server = start_server(&db, &reviewers, &log);
    let first_fingerprint = server.stdout.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(
        first_fingerprint.contains("(new): SHA256:"),
        "{first_fingerprint}"
    );
    let host = "an@127.0.0.1".to_string();

    // An unknown key.
    let mut args = ssh_args(server.port, &stranger_key);
    args.extend([
        "-o".into(),
        "PreferredAuthentications=publickey".into(),
        host.clone(),
        "true".into(),
    ]);
    let (code, _, err) = ssh_run(&args, T);
    assert_eq!(code, Some(255), "unknown key refused: {err}");
    assert!(err.contains("Permission denied"), "{err}");

    // A password attempt: the server offers public keys only.
    let mut args = ssh_args(server.port, &an_key);
    args.extend([
        "-o".into(),
        "PreferredAuthentications=password".into(),
        "-o".into(),
        "PubkeyAuthentication=no".into(),
        host.clone(),
        "true".into(),
    ]);
    let (code, _, err) = ssh_run(&args, T);
    assert_eq!(code, Some(255), "password refused: {err}");
    assert!(err.contains("Permission denied (publickey)"), "{err}");

    // A command (exec) with a good key.
    let mut args = ssh_args(server.port, &an_key);
    args.extend([host.clone(), "echo".into(), "hi".into()]);
    let (code, out, err) = ssh_run(&args, T);
    assert_ne!(code, Some(0), "exec refused");
    assert!(!out.contains("hi"), "the command never ran: {out}");
    assert!(err.contains("thidua: lệnh bị từ chối: «echo hi»"), "{err}");

    // The sftp subsystem.
    let mut args = ssh_args(server.port, &an_key);
    args.extend(["-s".into(), host.clone(), "sftp".into()]);
    let (code, _, err) = ssh_run(&args, T);
    assert_ne!(code, Some(0), "sftp refused: {err}");

    // A shell without a terminal.
    let mut args = ssh_args(server.port, &an_key);
    args.extend(["-T".into(), host.clone()]);
    let (code, _, err) = ssh_run(&args, T);
    assert_ne!(code, Some(0), "no pty refused");
    assert!(err.contains("the console needs a terminal"), "{err}");

    // Forwarding: ssh reports the refusal and exits when asked to fail on it.
    let mut args = ssh_args(server.port, &an_key);
    args.extend([
        "-o".into(),
        "ExitOnForwardFailure=yes".into(),
        "-N".into(),
        "-R".into(),
        "0:127.0.0.1:9".into(),
        host.clone(),
    ]);
    let (code, _, err) = ssh_run(&args, T);
    assert_eq!(code, Some(255), "remote forwarding refused: {err}");

    let text = std::fs::read_to_string(&log).expect("log");
    if std::env::var_os("SHOW_LOG").is_some() {
        eprintln!("{text}");
    }
    assert!(text.contains("connection opened"), "{text}");
    assert!(text.contains("authenticated"), "{text}");
    assert!(text.contains("Nguyễn Văn An"), "{text}");
    assert!(text.contains("unknown key SHA256:"), "{text}");
    assert!(text.contains("exec refused"), "{text}");
    assert!(text.contains("connection closed"), "{text}");
    drop(server);

    // The host key is kept across restarts.
    let again = start_server(&db, &reviewers, &log);
    let second = again.stdout.lock().map(|s| s.clone()).unwrap_or_default();
    let fp = |s: &str| {
        s.lines()
            .find_map(|l| l.split_once("SHA256:").map(|(_, f)| f.to_string()))
            .unwrap_or_default()
    };
    assert!(second.contains("(kept): SHA256:"), "{second}");
    assert_eq!(fp(&second), fp(&first_fingerprint));
}

/// Under a Vietnamese `LANG` the start lines are Vietnamese.
#[test]
fn the_start_lines_follow_the_servers_language() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let path = dir.path().join("reviewers.toml");
    std::fs::write(
        &path,
        "[[reviewer]]\nname = \"An\"\nrole = \"chair\"\nkeys = [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKgl3ri9QJSI4Hon5GHLRR1FMVraEG+adnfTu2UhOV7G an@laptop\"]\n",
    )
    .expect("write");
    let mut child = std::process::Command::new(BIN)
        .env("LANG", "vi_VN.UTF-8")
        .env_remove("LC_ALL")
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--reviewers"])
        .arg(&path)
        .arg("--log")
        .arg(dir.path().join("serve.log"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            text.push_str(&line);
            text.push('\n');
            if line.starts_with("người đánh giá kết nối bằng: ssh -p ") {
                break;
            }
        }
        let _ = tx.send(text);
    });
    let text = rx.recv_timeout(Duration::from_secs(15));
    let _ = child.kill();
    let _ = child.wait();
    let text = text.expect("the server printed its start lines");
    for want in [
        "thidua serve: đang lắng nghe trên 127.0.0.1:",
        "(mới): SHA256:",
        "1 người đánh giá từ ",
        "tối đa 32 bảng điều khiển; nhật ký ở ",
        "người đánh giá kết nối bằng: ssh -p ",
    ] {
        assert!(text.contains(want), "no {want:?} in\n{text}");
    }
    for english in ["listening", "host key", "reviewers from", "connect with"] {
        assert!(!text.contains(english), "{english:?} in\n{text}");
    }
}
