//! Every command whose output can be piped, run by the real binary into a pipe whose reader
//! has already gone (`thidua … | head` after head stopped): the command ends quietly with the
//! status its work had, never a panic (exit 101, "failed printing to stdout").

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("data").join("thidua.db")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_thidua"));
        c.args(args)
            .env("HOME", self.dir.path().join("home"))
            .env("USER", "tester")
            .env("THIDUA_DB", self.db())
            .env_remove("XDG_DATA_HOME")
            .env_remove("LANG")
            .env_remove("THIDUA_LOG")
            .stdin(Stdio::null());
        c
    }

    /// Runs thidua with stdout a pipe whose read end is closed before it starts, so every
    /// write to stdout fails with a broken pipe. Returns the status and stderr.
    fn run_closed_stdout(&self, args: &[&str]) -> (ExitStatus, String) {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = self
            .command(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("run thidua");
        (
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs thidua with both stdout and stderr closed pipes (`thidua … 2>&1 | head`).
    fn run_closed_both(&self, args: &[&str]) -> ExitStatus {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let err = writer.try_clone().expect("clone pipe");
        self.command(args)
            .stdout(writer)
            .stderr(err)
            .status()
            .expect("run thidua")
    }

    fn init_sample(&self) {
        let out = self.command(&["init", "--sample"]).output().expect("init");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn assert_quiet_success(env: &Env, args: &[&str]) {
    let (status, err) = env.run_closed_stdout(args);
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(status.code(), Some(0), "{args:?}: {err}");
    let status = env.run_closed_both(args);
    assert!(
        status.code() == Some(0) || status.code() == Some(1),
        "{args:?} with stderr closed too: {status:?}"
    );
    assert_ne!(status.code(), Some(101), "{args:?}");
}

#[test]
fn help_and_version_into_a_closed_pipe_end_quietly() {
    let env = Env::new();
    for args in [
        vec!["--help"],
        vec!["--version"],
        vec!["--lang", "en", "--help"],
        vec!["--lang", "en", "assign", "--help"],
        vec!["export", "--help"],
        vec!["help", "backup"],
    ] {
        let (status, err) = env.run_closed_stdout(&args);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        let status = env.run_closed_both(&args);
        assert_eq!(status.code(), Some(0), "{args:?} with stderr closed too");
    }
}

#[test]
fn a_usage_error_into_a_closed_stderr_keeps_its_status() {
    let env = Env::new();
    let status = env.run_closed_both(&["--no-such-flag"]);
    assert_eq!(status.code(), Some(2));
}

#[test]
fn every_command_into_a_closed_pipe_does_its_work_and_succeeds() {
    let env = Env::new();
    // init: the database is made even though its report cannot be shown.
    assert_quiet_success(&env, &["init", "--sample"]);
    assert!(env.db().join("conf").exists() || env.db().exists());
    let second = Env::new();
    let status = second.run_closed_both(&["init", "--sample"]);
    assert_eq!(status.code(), Some(0));
    assert!(
        second.db().exists(),
        "init with both pipes closed made nothing"
    );

    assert_quiet_success(&env, &["status"]);
    assert_quiet_success(&env, &["--lang", "en", "status"]);
    assert_quiet_success(&env, &["log"]);
    assert_quiet_success(&env, &["verify"]);

    let backup = env.path("backup.json");
    let (status, err) = env.run_closed_stdout(&["backup", s(&backup)]);
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(backup.exists(), "the backup was not written");
    let backup2 = env.path("backup2.json");
    assert_eq!(
        env.run_closed_both(&["backup", s(&backup2)]).code(),
        Some(0)
    );
    assert!(backup2.exists());

    let restored = env.path("restored.db");
    let (status, err) = env.run_closed_stdout(&["restore", s(&backup), "--db", s(&restored)]);
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(restored.exists(), "the restore built nothing");

    let verdicts = env.path("verdicts.json");
    let (status, err) =
        env.run_closed_stdout(&["export", "--out", s(&verdicts), "--allow-incomplete"]);
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(verdicts.exists(), "the export wrote nothing");

    let roster = env.path("more.csv");
    std::fs::write(
        &roster,
        "id,name,tier,parent\nSNV.P09,Phòng Mới,province_unit,SNV\n",
    )
    .expect("write roster");
    assert_quiet_success(&env, &["import", "roster", s(&roster)]);
    let out = env.command(&["status"]).output().expect("status");
    assert!(out.status.success());
}

#[test]
fn a_failing_command_into_a_closed_pipe_keeps_its_failure() {
    let env = Env::new();
    env.init_sample();
    // A usage error and a missing backup: failures stay failures.
    let (status, err) = env.run_closed_stdout(&["restore"]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("<TỆP>"), "{err}");
    assert_eq!(env.run_closed_both(&["restore"]).code(), Some(2));
    let missing = env.path("nope.json");
    let (status, err) =
        env.run_closed_stdout(&["restore", s(&missing), "--db", s(&env.path("new.db"))]);
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
