//! Hostile clients against the real `thidua serve` on 127.0.0.1: sockets that never send a
//! byte, connection churn, one key opening console after console, and a stream of failed
//! logins from the address a colleague logs in from. A real reviewer (the system `ssh`
//! client) must get in each time, and the server must give back every file descriptor. Every
//! wait is bounded.

use crate::ssh_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use ssh_support::*;

const T: Duration = Duration::from_secs(10);

fn reviewers_file(dir: &Path, lines: &[(&str, &str)]) -> std::path::PathBuf {
    let mut body = String::from("[server]\nidle_timeout_minutes = 10\nmax_sessions = 8\n\n");
    for (name, key) in lines {
        body.push_str(&format!(
            "[[reviewer]]\nname = \"{name}\"\nrole = \"reviewer\"\nkeys = [\"{key}\"]\nlang = \"en\"\n\n"
        ));
    }
    let path = dir.join("reviewers.toml");
    std::fs::write(&path, body).expect("reviewers file");
    path
}

/// Logs in with the system client, waits for the console, quits; returns how long the login
/// took (to the first console screen).
fn login_and_quit(name: &str, port: u16, key: &Path, reviewer: &str) -> Duration {
    let started = Instant::now();
    let mut t = Term::connect(name, port, key, 80, 24, &[("LANG", "en_US.UTF-8")]);
    t.wait_text(&format!("Reviewer: {reviewer}"), T);
    let took = started.elapsed();
    t.send(b"q");
    assert!(t.wait_exit(T), "{name}: ssh exits after q");
    took
}

/// Waits until the server holds `baseline` descriptors again (or fewer); panics with the count
/// after `timeout`.
fn wait_fds(pid: u32, baseline: usize, timeout: Duration, what: &str) {
    let deadline = Instant::now() + timeout;
    loop {
        let now = open_fds(pid);
        if now <= baseline {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: the server still holds {now} descriptors (baseline {baseline})"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// True once the server has closed `s` (end of stream or reset), reading whatever it sent.
fn closed_by_server(s: &mut TcpStream) -> bool {
    let _ = s.set_read_timeout(Some(Duration::from_millis(50)));
    let mut buf = [0u8; 512];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn two_hundred_silent_sockets_keep_nobody_out_and_are_closed_at_the_deadline() {
    let log = silent_sockets(&[]);
    assert!(log.contains("no login within 3s"), "{log}");
}

#[test]
fn a_silent_socket_makes_room_when_its_address_is_at_its_limit() {
    let log = silent_sockets(&["--per-source-max-startups", "4"]);
    assert!(log.contains("to make room"), "{log}");
}

/// 200 silent sockets, then a real login beside them, then the deadline closes them all and
/// the server's descriptors come back to where they were; returns the server's log.
fn silent_sockets(extra: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let reviewers = reviewers_file(dir.path(), &[("Nguyễn Văn An", &an_pub)]);
    let server = start_server_with(
        &db,
        &reviewers,
        &dir.path().join("serve.log"),
        &[&["--login-grace-time", "3"], extra].concat(),
    );
    let pid = server.child.id();
    // One login first, so that everything opened once (the database, the log) is counted.
    login_and_quit("warm-up", server.port, &an_key, "Nguyễn Văn An");
    std::thread::sleep(Duration::from_millis(300));
    let baseline = open_fds(pid);

    // 200 connections that never send a byte, held open by this process.
    let mut idle: Vec<TcpStream> = (0..200)
        .map(|_| {
            TcpStream::connect_timeout(&([127, 0, 0, 1], server.port).into(), T).expect("connect")
        })
        .collect();
    // They stay silent past the moment a silent connection may be closed to make room.
    std::thread::sleep(Duration::from_millis(1500));
    let took = login_and_quit("an", server.port, &an_key, "Nguyễn Văn An");
    assert!(
        took < Duration::from_secs(5),
        "a real login took {took:?} beside 200 silent sockets"
    );

    // The deadline (3 s from each accept) closes every one of them, from the server's side.
    let deadline = Instant::now() + Duration::from_secs(3) + T;
    loop {
        idle.retain_mut(|s| !closed_by_server(s));
        let open = idle.len();
        if open == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{open} of 200 silent sockets are still open past the login deadline"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    wait_fds(pid, baseline, T, "after the silent sockets");
    drop(idle);

    std::fs::read_to_string(dir.path().join("serve.log")).expect("log")
}

#[test]
fn churn_leaves_no_descriptor_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let reviewers = reviewers_file(dir.path(), &[("Nguyễn Văn An", &an_pub)]);
    // Generous limits, so the churn reaches the SSH code rather than being turned away.
    let server = start_server_with(
        &db,
        &reviewers,
        &dir.path().join("serve.log"),
        &[
            "--login-grace-time",
            "2",
            "--per-source-rate",
            "1000",
            "--per-source-max-startups",
            "1000",
            "--max-startups",
            "1000:30:2000",
        ],
    );
    let pid = server.child.id();
    login_and_quit("warm-up", server.port, &an_key, "Nguyễn Văn An");
    std::thread::sleep(Duration::from_millis(300));
    let baseline = open_fds(pid);

    let addr = ([127, 0, 0, 1], server.port).into();
    for round in 0..300 {
        let mut s = TcpStream::connect_timeout(&addr, T).expect("connect");
        match round % 3 {
            // Hangs up at once.
            0 => {}
            // Sends a version line and hangs up after the server's.
            1 => {
                let _ = s.write_all(b"SSH-2.0-churn\r\n");
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = [0u8; 64];
                let _ = s.read(&mut buf);
            }
            // Sends garbage.
            _ => {
                let _ = s.write_all(&[0xff; 300]);
            }
        }
        drop(s);
    }
    for i in 0..3 {
        login_and_quit(&format!("an-{i}"), server.port, &an_key, "Nguyễn Văn An");
    }
    wait_fds(pid, baseline, T, "after 300 connections came and went");
}

#[test]
fn one_key_cannot_take_every_console() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (binh_key, binh_pub) = keygen(dir.path(), "binh");
    let reviewers = reviewers_file(
        dir.path(),
        &[("Nguyễn Văn An", &an_pub), ("Trần Thị Bình", &binh_pub)],
    );
    let server = start_server_with(
        &db,
        &reviewers,
        &dir.path().join("serve.log"),
        &["--max-consoles-per-key", "2"],
    );
    let env = [("LANG", "en_US.UTF-8")];
    let mut first = Term::connect("an-1", server.port, &an_key, 80, 24, &env);
    first.wait_text("Reviewer: Nguyễn Văn An", T);
    let second = Term::connect("an-2", server.port, &an_key, 80, 24, &env);
    second.wait_text("Reviewer: Nguyễn Văn An", T);
    let mut third = Term::connect("an-3", server.port, &an_key, 80, 24, &env);
    third.wait_text("this key already has 2 consoles open", T);
    assert!(third.wait_exit(T), "the third console's client is closed");
    // Another key still gets a console (the server holds 8).
    let binh = Term::connect("binh", server.port, &binh_key, 80, 24, &env);
    binh.wait_text("Reviewer: Trần Thị Bình", T);
    // Closing one of An's consoles gives the key its slot back.
    first.send(b"q");
    assert!(first.wait_exit(T));
    let deadline = Instant::now() + T;
    loop {
        let mut again = Term::connect("an-4", server.port, &an_key, 80, 24, &env);
        let s = again.wait_for("a console or a refusal", T, |s| {
            s.contains("Reviewer: Nguyễn Văn An") || s.contains("consoles open")
        });
        if s.contains("Reviewer: Nguyễn Văn An") {
            again.send(b"q");
            assert!(again.wait_exit(T));
            break;
        }
        // The first console's slot is freed a moment after its client exits.
        assert!(Instant::now() < deadline, "the slot never came back: {s}");
        let _ = again.wait_exit(T);
        std::thread::sleep(Duration::from_millis(200));
    }
    drop((second, binh));
}

/// Runs `ssh -l USER` with `key` and no command or terminal; returns (stderr, time taken).
fn ssh_attempt(port: u16, key: &Path, user: &str) -> (String, Duration) {
    let mut args = ssh_args(port, key);
    args.extend(["-T".into(), format!("{user}@127.0.0.1")]);
    let started = Instant::now();
    let (_, _, err) = ssh_run(&args, Duration::from_secs(60));
    (err, started.elapsed())
}

#[test]
fn failed_logins_slow_down_that_user_name_only_not_a_colleague_at_the_same_address() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (stranger, _) = keygen(dir.path(), "stranger");
    let reviewers = reviewers_file(dir.path(), &[("Nguyễn Văn An", &an_pub)]);
    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));

    // Five refusals for "mallory": three are free, then 1 s and 2 s.
    for _ in 0..5 {
        let (err, _) = ssh_attempt(server.port, &stranger, "mallory");
        assert!(err.contains("Permission denied"), "{err}");
    }
    // The next one for "mallory" is held back 4 s.
    let (_, slow) = ssh_attempt(server.port, &stranger, "mallory");
    assert!(
        slow >= Duration::from_millis(3500),
        "the sixth failure was answered in {slow:?}"
    );
    // Another user name from the same address is not held back by mallory's record…
    let (err, fast) = ssh_attempt(server.port, &stranger, "eve");
    assert!(err.contains("Permission denied"), "{err}");
    assert!(fast < Duration::from_secs(2), "eve waited {fast:?}");
    // …and a reviewer at the same address (an office behind one router) gets in at once.
    let (err, took) = ssh_attempt(server.port, &an_key, "an");
    assert!(err.contains("the console needs a terminal"), "{err}");
    assert!(
        took < Duration::from_secs(2),
        "the reviewer waited {took:?}"
    );
    let took = login_and_quit("an", server.port, &an_key, "Nguyễn Văn An");
    assert!(
        took < Duration::from_secs(5),
        "the reviewer waited {took:?}"
    );
}

/// A flood of connections from 127.0.0.2 (another loopback address: another machine, as far
/// as the server can tell) while a reviewer logs in from 127.0.0.1.
#[test]
fn a_flood_from_one_address_keeps_nobody_at_another_out() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let reviewers = reviewers_file(dir.path(), &[("Nguyễn Văn An", &an_pub)]);
    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], server.port).into();

    let stop = Arc::new(AtomicBool::new(false));
    let tried = Arc::new(AtomicUsize::new(0));
    let flood = {
        let (stop, tried) = (stop.clone(), tried.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let mut held = std::collections::VecDeque::new();
                while !stop.load(Ordering::SeqCst) {
                    let Ok(socket) = tokio::net::TcpSocket::new_v4() else {
                        continue;
                    };
                    if socket.bind(([127, 0, 0, 2], 0).into()).is_err() {
                        continue;
                    }
                    let connect =
                        tokio::time::timeout(Duration::from_secs(1), socket.connect(addr));
                    if let Ok(Ok(mut s)) = connect.await {
                        tried.fetch_add(1, Ordering::SeqCst);
                        use tokio::io::AsyncWriteExt;
                        let _ = s.write_all(b"SSH-2.0-flood\r\n").await;
                        held.push_back(s);
                        if held.len() > 100 {
                            held.pop_front();
                        }
                    }
                }
            });
        })
    };
    // The flood is under way…
    let deadline = Instant::now() + T;
    while tried.load(Ordering::SeqCst) < 200 {
        assert!(Instant::now() < deadline, "the flood did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    // …and a reviewer at another address logs in, three times over.
    for i in 0..3 {
        let took = login_and_quit(&format!("an-{i}"), server.port, &an_key, "Nguyễn Văn An");
        assert!(
            took < Duration::from_secs(5),
            "a login during a flood took {took:?}"
        );
    }
    stop.store(true, Ordering::SeqCst);
    flood.join().expect("flood thread");
    assert!(tried.load(Ordering::SeqCst) > 200);
}
