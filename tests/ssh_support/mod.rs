//! Shared pieces of the SSH tests: a database with a few subjects, generated client keys, the
//! real `thidua serve` binary on 127.0.0.1, and the system `ssh` client in a pseudo-terminal
//! whose screen is emulated with vt100. Every wait is bounded and polls the screen.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};
use thidua::domain::Subject;
use thidua::interchange::campaign;
use thidua::store::{Actor, Store};

pub const BIN: &str = env!("CARGO_BIN_EXE_thidua");

fn subject(id: &str, name: &str, tier: &str, parent: Option<&str>) -> Subject {
    Subject {
        id: id.into(),
        name: name.into(),
        tier: tier.into(),
        parent: parent.map(Into::into),
        registered_on: NaiveDate::from_ymd_opt(2021, 8, 15),
    }
}

/// A database with the sample campaign and a handful of subjects.
pub fn make_db(path: &Path) {
    let actor = Actor::new("admin", Utc::now());
    let store = Store::create(path, &campaign::sample(), &actor).expect("create db");
    store
        .upsert_subjects(
            &[
                subject("SNV", "Sở Nội vụ", "province_agency", None),
                subject("STC", "Sở Tài chính", "province_agency", None),
                subject("SYT", "Sở Y tế", "province_agency", None),
                subject("CB1", "Đặng Thị Ngọc Ánh", "individual", Some("SNV")),
            ],
            "test",
            &actor,
        )
        .expect("subjects");
}

/// Generates an Ed25519 key pair with ssh-keygen; returns the private key path and the
/// public key line.
pub fn keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen runs (install openssh-client)");
    assert!(status.success(), "ssh-keygen failed");
    let public = std::fs::read_to_string(path.with_extension("pub"))
        .or_else(|_| std::fs::read_to_string(format!("{}.pub", path.display())))
        .expect("public key");
    (path, public.trim().to_string())
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a terminal has at least one row and column")
}

/// The running server; killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub stdout: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `thidua serve` on 127.0.0.1 with a free port and waits until it listens.
pub fn start_server(db: &Path, reviewers: &Path, log: &Path) -> Server {
    start_server_with(db, reviewers, log, &[])
}

/// The same, with more `serve` flags (limits).
pub fn start_server_with(db: &Path, reviewers: &Path, log: &Path, extra: &[&str]) -> Server {
    start_server_env(db, reviewers, log, extra, &[])
}

/// The same, with variables set in the server's environment.
pub fn start_server_env(
    db: &Path,
    reviewers: &Path,
    log: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Server {
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", "127.0.0.1:0", "--reviewers"])
        .arg(reviewers)
        .arg("--log")
        .arg(log)
        .args(extra)
        // The start lines are read in English (a test may still choose another LANG).
        .env_remove("LC_ALL")
        .env("LANG", "en_US.UTF-8")
        .envs(env.iter().copied())
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start thidua serve");
    let stdout = child.stdout.take().expect("stdout");
    let text = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let text = text.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(mut t) = text.lock() {
                    t.push_str(&line);
                    t.push('\n');
                }
                // The last of the start lines: everything before it is in `text`.
                if let Some(rest) = line.strip_prefix("reviewers connect with: ssh -p ") {
                    let _ = tx.send(rest.split_whitespace().next().unwrap_or("").to_string());
                }
            }
        });
    }
    let port = match rx.recv_timeout(Duration::from_secs(15)) {
        Ok(a) => a,
        Err(_) => {
            let _ = child.kill();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("the server did not start: {err}");
        }
    };
    let port = port.parse().expect("port");
    Server {
        child,
        port,
        stdout: text,
    }
}

/// ssh options for a non-interactive, key-only client that trusts any host key.
pub fn ssh_args(port: u16, key: &Path) -> Vec<String> {
    vec![
        "-p".into(),
        port.to_string(),
        "-i".into(),
        key.display().to_string(),
        "-F".into(),
        "/dev/null".into(),
        "-o".into(),
        "StrictHostKeyChecking=no".into(),
        "-o".into(),
        "UserKnownHostsFile=/dev/null".into(),
        "-o".into(),
        "IdentitiesOnly=yes".into(),
        "-o".into(),
        "IdentityAgent=none".into(),
        "-o".into(),
        "BatchMode=yes".into(),
        "-o".into(),
        "ConnectTimeout=10".into(),
        "-o".into(),
        "LogLevel=ERROR".into(),
    ]
}

/// Runs ssh without a terminal (for refusals); returns (exit code, stdout, stderr).
pub fn ssh_run(args: &[String], timeout: Duration) -> (Option<i32>, String, String) {
    let mut child = Command::new("ssh")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssh runs (install openssh-client)");
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait().expect("wait ssh") {
            Some(status) => {
                let mut out = String::new();
                let mut err = String::new();
                if let Some(mut o) = child.stdout.take() {
                    let _ = o.read_to_string(&mut out);
                }
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                return (status.code(), out, err);
            }
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("ssh {args:?} did not finish within {timeout:?}");
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// The system ssh client in a pseudo-terminal, with its screen emulated.
pub struct Term {
    pub name: String,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// While set, the screen is not read: the client stalls like a frozen terminal.
    paused: Arc<std::sync::atomic::AtomicBool>,
    /// Bytes read from the client so far.
    pub received: Arc<std::sync::atomic::AtomicUsize>,
    /// Set when the reader has seen the end of the client's output (the client exited and its
    /// last bytes are on the emulated screen).
    drained: Arc<std::sync::atomic::AtomicBool>,
}

impl Term {
    /// Connects with `ssh -tt` (pty-req + shell) at `cols`×`rows`.
    pub fn connect(
        name: &str,
        port: u16,
        key: &Path,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Term {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new("ssh");
        for a in ssh_args(port, key) {
            cmd.arg(a);
        }
        cmd.args(["-o", "PreferredAuthentications=publickey", "-tt"]);
        let mut send_env = Vec::new();
        for (k, v) in env {
            cmd.env(k, v);
            send_env.push(*k);
        }
        if !send_env.is_empty() {
            cmd.args(["-o", &format!("SendEnv={}", send_env.join(" "))]);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.arg(format!("{name}@127.0.0.1"));
        let child = pty.slave.spawn_command(cmd).expect("spawn ssh");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let paused = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let received = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let drained = Arc::new(std::sync::atomic::AtomicBool::new(false));
        {
            let parser = parser.clone();
            let paused = paused.clone();
            let received = received.clone();
            let drained = drained.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    while paused.load(std::sync::atomic::Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    let Ok(n) = reader.read(&mut buf) else { break };
                    received.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
                    if n == 0 {
                        break;
                    }
                    if let Ok(mut p) = parser.lock() {
                        p.process(&buf[..n]);
                    }
                }
                drained.store(true, std::sync::atomic::Ordering::SeqCst);
            });
        }
        Term {
            name: name.into(),
            master: pty.master,
            writer,
            child,
            parser,
            paused,
            received,
            drained,
        }
    }

    /// Stops (or resumes) reading the client's output, as a frozen terminal would.
    pub fn pause(&self, paused: bool) {
        self.paused
            .store(paused, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    pub fn size(&self) -> (u16, u16) {
        self.parser
            .lock()
            .map(|p| {
                let (rows, cols) = p.screen().size();
                (cols.get(), rows.get())
            })
            .unwrap_or((0, 0))
    }

    /// Waits until the screen satisfies `pred`; panics with the screen after `timeout`.
    pub fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("{}: timed out waiting for {what}; screen:\n{s}", self.name);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until `text` is on screen.
    pub fn wait_text(&self, text: &str, timeout: Duration) -> String {
        self.wait_for(&format!("{text:?}"), timeout, |s| s.contains(text))
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Resizes the pseudo-terminal: ssh sends a window-change.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        if let Ok(mut p) = self.parser.lock() {
            p.screen_mut().set_size(nz(rows), nz(cols));
        }
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
    }

    /// Waits for ssh to exit and for everything it wrote to reach the emulated screen;
    /// returns whether both happened within `timeout`. (The child can exit before the reader
    /// thread has read its last bytes from the pty: a screen read right after the exit alone
    /// may miss them.)
    pub fn wait_exit(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut exited = false;
        while Instant::now() < deadline {
            exited = exited || matches!(self.child.try_wait(), Ok(Some(_)));
            if exited && self.drained.load(std::sync::atomic::Ordering::SeqCst) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// File descriptors the process `pid` has open now (Linux: /proc/PID/fd).
pub fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .expect("/proc/PID/fd is readable")
}
