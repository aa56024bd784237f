//! `ssh … log` streams the trail on the channel as it is read: a large log arrives whole (the
//! same bytes as `thidua log` beside the server) with exit status 0, and a client that stops
//! reading early ends the server's work: the key's one command place is free again at once
//! and the server says the client stopped taking the output.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::ssh_support::*;

/// A database restored from a synthetic body: `collectives` and `individuals`, 60 % of the
/// verdicts decided, each with its audit event.
fn big_db(dir: &Path, collectives: usize, individuals: usize) -> (PathBuf, usize) {
    big_db_decided(dir, collectives, individuals, 60)
}

fn big_db_decided(
    dir: &Path,
    collectives: usize,
    individuals: usize,
    decided: usize,
) -> (PathBuf, usize) {
    let db = dir.join("review.db");
    let body = thidua::synth::database(
        &thidua::interchange::campaign::sample(),
        collectives,
        individuals,
        decided,
        7,
    );
    let events = body.audit.len();
    drop(thidua::store::backup::restore(&db, &body).expect("restore"));
    (db, events)
}

fn reviewers(dir: &Path, public: &str) -> PathBuf {
    let path = dir.join("reviewers.toml");
    std::fs::write(
        &path,
        format!(
            "[[reviewer]]\nname = \"Ann Lee\"\nrole = \"viewer\"\nlang = \"en\"\nkeys = [\"{public}\"]\n"
        ),
    )
    .expect("reviewers");
    path
}

fn ssh(port: u16, key: &Path, words: &[&str]) -> Command {
    let mut c = Command::new("ssh");
    c.args(ssh_args(port, key))
        .arg("x@127.0.0.1")
        .args(words)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Runs `ssh … words` reading its output as it comes (a large output never fills the pipe);
/// (exit code, stdout bytes, stderr).
fn run_whole(
    port: u16,
    key: &Path,
    words: &[&str],
    timeout: Duration,
) -> (Option<i32>, Vec<u8>, String) {
    let mut child = ssh(port, key, words).spawn().expect("ssh runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let pid = child.id();
    let watchdog = std::thread::spawn(move || {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if !Path::new(&format!("/proc/{pid}")).exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").arg(pid.to_string()).status();
    });
    let mut out = Vec::new();
    stdout.read_to_end(&mut out).expect("read");
    let status = child.wait().expect("wait");
    let _ = watchdog.join();
    (status.code(), out, err.join().expect("stderr"))
}

fn local_log(db: &Path) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["--lang", "en", "log", "--db"])
        .arg(db)
        .output()
        .expect("thidua log");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn a_large_log_arrives_whole_and_a_client_closing_early_stops_the_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, events) = big_db(dir.path(), 400, 12_000);
    assert!(events > 25_000, "a large trail: {events} events");
    let (key, public) = keygen(dir.path(), "ann");
    let file = reviewers(dir.path(), &public);
    let log_file = dir.path().join("serve.log");
    let server = start_server_with(&db, &file, &log_file, &["--per-source-rate", "1000"]);
    crate::team_import::wait_for_socket(&db);

    // Whole: the same bytes as the local command beside the server, exit status 0.
    let (code, out, err) = run_whole(server.port, &key, &["log"], Duration::from_secs(120));
    assert_eq!(code, Some(0), "{err}");
    let want = local_log(&db);
    assert!(out.len() > 2 << 20, "a log of {} bytes", out.len());
    assert_eq!(out.len(), want.len());
    assert!(out == want, "the streamed log differs from the local one");
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(
        text.lines().count(),
        events + 2,
        "header, every event, head"
    );
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.starts_with("Change journal head"))
    );

    // A client that reads a little and closes: the server stops, gives the key's place
    // back, and says why.
    let mut child = ssh(server.port, &key, &["log"]).spawn().expect("ssh runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = vec![0u8; 64 * 1024];
    stdout.read_exact(&mut first).expect("the first bytes");
    let started = Instant::now();
    drop(stdout);
    let _ = child.kill();
    let _ = child.wait();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let said = std::fs::read_to_string(&log_file).unwrap_or_default();
        if said.contains("the client stopped taking the output") {
            // The reading stopped there: not every event was read and written.
            let line = said
                .lines()
                .find(|l| l.contains("log over SSH stopped after"))
                .unwrap_or_else(|| panic!("where the reading stopped:\n{said}"));
            let sent: usize = line
                .split("stopped after ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("a count in {line}"));
            assert!(sent < events, "stopped after {sent} of {events}: {line}");
            println!("{line}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server never noticed the client had gone:\n{said}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The key runs one command at a time: another one runs now.
    let (code, out, err) = run_whole(server.port, &key, &["status"], Duration::from_secs(30));
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.is_empty());
    assert!(started.elapsed() < Duration::from_secs(20));
    drop(server);
}

/// The peak resident memory (VmHWM) and the resident memory (VmRSS) of process `pid`, in KiB.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The server's memory for `ssh … log` on a province database (2,000 collectives, 30,000
/// individuals, 60 % decided, or `THIDUA_MEASURE_DECIDED` %): VmHWM and VmRSS after the
/// server has started and answered a `status`, then after a whole `log`, then after a second
/// one. `THIDUA_MEASURE_BIN` names another build of thidua to measure (an older one, to
/// compare); `THIDUA_MEASURE_WORDS` another command (`log --subject ID`, `log --journal`).
#[test]
#[ignore = "a measurement: cargo test --release --test it ssh_log_stream::province -- --ignored --nocapture"]
fn province_log_memory() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("tempdir");
    let decided = std::env::var("THIDUA_MEASURE_DECIDED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let (db, events) = big_db_decided(dir.path(), 2_000, 30_000, decided);
    let (key, public) = keygen(dir.path(), "ann");
    let file = reviewers(dir.path(), &public);
    let bin = std::env::var("THIDUA_MEASURE_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_thidua").to_string());
    /// The server, killed however the measurement ends.
    struct Serving(std::process::Child);
    impl Drop for Serving {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(&bin)
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--reviewers"])
        .arg(&file)
        .arg("--log")
        .arg(dir.path().join("serve.log"))
        .env_remove("LC_ALL")
        .env("LANG", "en_US.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let stdout = child.stdout.take().expect("stdout");
    let child = Serving(child);
    let lines = std::io::BufReader::new(stdout).lines();
    let mut port = 0;
    for line in lines.map_while(Result::ok) {
        if let Some(rest) = line.strip_prefix("reviewers connect with: ssh -p ") {
            port = rest
                .split_whitespace()
                .next()
                .expect("port")
                .parse()
                .expect("port");
            break;
        }
    }
    assert_ne!(port, 0, "serve started");
    let (code, _, err) = run_whole(port, &key, &["status"], Duration::from_secs(120));
    assert_eq!(code, Some(0), "{err}");
    let before = memory(child.0.id());
    let started = Instant::now();
    let words = std::env::var("THIDUA_MEASURE_WORDS").unwrap_or_else(|_| "log".into());
    let words: Vec<&str> = words.split_whitespace().collect();
    let (code, out, err) = run_whole(port, &key, &words, Duration::from_secs(600));
    let took = started.elapsed();
    assert_eq!(code, Some(0), "{err}");
    let after = memory(child.0.id());
    println!(
        "{bin}: {events} events, log {} bytes in {took:?}; VmHWM {} -> {} KiB (+{} KiB), VmRSS {} -> {} KiB",
        out.len(),
        before.0,
        after.0,
        after.0 - before.0,
        before.1,
        after.1
    );
    let (code, _, err) = run_whole(port, &key, &["log"], Duration::from_secs(600));
    assert_eq!(code, Some(0), "{err}");
    let again = memory(child.0.id());
    println!(
        "a second log: VmHWM {} KiB (+{} KiB), VmRSS {} KiB",
        again.0,
        again.0 - after.0,
        again.1
    );
    drop(child);
}
