//! Typing against the real `thidua serve` on 127.0.0.1, as a hostile or careless client would:
//! a long stream of ordinary keystrokes (no bracketed paste) into a note and into the search
//! box costs the server little CPU (read from /proc for the server process) and stops at each
//! field's maximum; a client that goes away in the middle of such a stream stops costing CPU
//! and gives back its console slot and its "also here"; an exec or sftp request on a console's
//! own channel ends that console; and consoles opened and closed by the hundred leave the
//! server's memory and file descriptors where they were.

use crate::russh_client;
use crate::ssh_support;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use russh::keys::{Algorithm, PrivateKey};
use russh_client::Remote;
use ssh_support::*;

const T: Duration = Duration::from_secs(20);
/// The typed stream: 64 KiB of letters, Telex keys and spaces.
const STREAM: usize = 64 * 1024;
/// Bytes per write: a fast typist over a slow link (keys arrive a few at a time).
const CHUNK: usize = 64;

fn key() -> (Arc<PrivateKey>, String) {
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).expect("ed25519 key");
    let public = key.public_key().to_openssh().expect("public key line");
    (Arc::new(key), public)
}

struct Setup {
    _dir: tempfile::TempDir,
    server: Server,
    an: Arc<PrivateKey>,
    binh: Arc<PrivateKey>,
    viewer: Arc<PrivateKey>,
}

/// The sample database and a server allowing `max_sessions` consoles, for An and Bình
/// (reviewers) and Chi (viewer).
fn serve(max_sessions: usize) -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an, an_pub) = key();
    let (binh, binh_pub) = key();
    let (viewer, viewer_pub) = key();
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!(
            "[server]\nmax_sessions = {max_sessions}\n\n\
             [[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\n\n\
             [[reviewer]]\nname = \"Bình\"\nrole = \"reviewer\"\nkeys = [\"{binh_pub}\"]\n\n\
             [[reviewer]]\nname = \"Chi\"\nrole = \"viewer\"\nkeys = [\"{viewer_pub}\"]\n"
        ),
    )
    .expect("reviewers file");
    // These tests open consoles from one address faster than a person would (hundreds of
    // open/quit cycles); the per-address limits against floods are tested in ssh_hostile.
    let server = start_server_with(
        &db,
        &reviewers,
        &dir.path().join("serve.log"),
        &[
            "--per-source-rate",
            "1000",
            "--per-source-max-startups",
            "1000",
        ],
    );
    Setup {
        _dir: dir,
        server,
        an,
        binh,
        viewer,
    }
}

fn block_on<F: Future<Output = anyhow::Result<()>>>(f: F) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
        .expect("the scenario runs");
}

/// The CPU time (user + system) the process has used so far.
fn cpu(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15, in USER_HZ (100 per second on Linux).
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    Duration::from_millis(ticks * 10)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

/// 64 KiB of ordinary typing: words with Telex keys, spaces, no control characters.
fn stream() -> Vec<u8> {
    b"thieeus hoof sow vaf website ISO ddaays ddur "
        .iter()
        .copied()
        .cycle()
        .take(STREAM)
        .collect()
}

async fn type_stream(remote: &mut Remote, bytes: &[u8]) -> anyhow::Result<()> {
    for chunk in bytes.chunks(CHUNK) {
        remote.type_raw(chunk).await?;
    }
    Ok(())
}

/// Waits until the server has used no more than `most` CPU over `span`; the CPU it used in
/// the last span, or the last measured one after `limit`.
async fn settles(pid: u32, span: Duration, most: Duration, limit: Duration) -> Duration {
    let deadline = Instant::now() + limit;
    loop {
        let before = cpu(pid);
        tokio::time::sleep(span).await;
        let used = cpu(pid).saturating_sub(before);
        if used <= most || Instant::now() > deadline {
            return used;
        }
    }
}

#[test]
fn a_long_typed_stream_costs_little_cpu_and_stops_at_the_field_maximum() {
    let s = serve(4);
    let (port, pid) = (s.server.port, s.server.child.id());
    block_on(async {
        let (mut an, _) = Remote::open(port, "an".into(), s.an.clone(), T).await?;
        // A note on the first criterion of Sở Nội vụ: Enter, then `e`.
        an.press(b"\r").await?;
        an.wait_until("the criteria", T, |t| t.contains("▶ Sở Nội vụ"))
            .await?;
        an.press(b"e").await?;
        an.wait_until("the note editor", T, |t| t.contains("Kiểu gõ"))
            .await?;
        // The built-in Telex on (C-t), so every letter goes through the input method.
        an.press(b"\x14").await?;
        an.wait_until("Telex on", T, |t| t.contains("Kiểu gõ: Telex"))
            .await?;
        let idle = settles(
            pid,
            Duration::from_millis(500),
            Duration::from_millis(60),
            T,
        )
        .await;
        eprintln!("server CPU while idle: {idle:?} per 500 ms");

        let before = cpu(pid);
        let started = Instant::now();
        type_stream(&mut an, &stream()).await?;
        an.wait_until("the note's maximum", T, |t| t.contains("tối đa 4000 ký tự"))
            .await?;
        settles(
            pid,
            Duration::from_millis(300),
            Duration::from_millis(30),
            T,
        )
        .await;
        let note_cpu = cpu(pid).saturating_sub(before);
        eprintln!(
            "64 KiB typed into a note: {note_cpu:?} of server CPU, {:?} wall",
            started.elapsed()
        );
        assert!(note_cpu < Duration::from_secs(1), "{note_cpu:?}");

        // Leave the note unsaved, then the same stream into the search box.
        an.press(b"\x1b").await?;
        an.read_for(Duration::from_millis(200)).await;
        // The editor is closed; the status bar still says the built-in Telex is on.
        anyhow::ensure!(
            !an.text().contains("(C-t)") && an.text().contains("Kiểu gõ: Telex"),
            "the input method on the status bar:\n{}",
            an.text()
        );
        an.press(b"\x1b").await?;
        an.read_for(Duration::from_millis(200)).await;
        an.press(b"/").await?;
        an.wait_until("the search box", T, |t| t.contains("Tìm:"))
            .await?;
        let before = cpu(pid);
        let started = Instant::now();
        type_stream(&mut an, &stream()).await?;
        an.wait_until("the search's maximum", T, |t| {
            t.contains("tối đa 100 ký tự")
        })
        .await?;
        settles(
            pid,
            Duration::from_millis(300),
            Duration::from_millis(30),
            T,
        )
        .await;
        let search_cpu = cpu(pid).saturating_sub(before);
        eprintln!(
            "64 KiB typed into the search box: {search_cpu:?} of server CPU, {:?} wall",
            started.elapsed()
        );
        assert!(search_cpu < Duration::from_secs(1), "{search_cpu:?}");
        an.quit(T).await;
        Ok(())
    });
}

#[test]
fn a_client_that_goes_away_mid_stream_stops_costing_and_gives_back_its_slot() {
    // Two consoles at most: Bình's, and one for An.
    let s = serve(2);
    let (port, pid) = (s.server.port, s.server.child.id());
    block_on(async {
        let (mut binh, _) = Remote::open(port, "binh".into(), s.binh.clone(), T).await?;
        let (mut an, _) = Remote::open(port, "an".into(), s.an.clone(), T).await?;
        binh.wait_until("An here", T, |t| t.contains("cùng làm: An"))
            .await?;
        an.press(b"\r").await?;
        an.press(b"e").await?;
        an.wait_until("the note editor", T, |t| t.contains("Kiểu gõ"))
            .await?;
        // Over 200 KB typed, then the client is gone without a word.
        let flood: Vec<u8> = stream().repeat(4);
        type_stream(&mut an, &flood).await?;
        let gone = Instant::now();
        an.hang_up().await;

        // The console's work stops: the server goes quiet within a few seconds.
        let used = settles(
            pid,
            Duration::from_millis(500),
            Duration::from_millis(60),
            T,
        )
        .await;
        eprintln!(
            "server quiet {:?} after the client left ({used:?} per 500 ms)",
            gone.elapsed()
        );
        assert!(used <= Duration::from_millis(60), "still busy: {used:?}");
        assert!(
            gone.elapsed() < Duration::from_secs(10),
            "{:?}",
            gone.elapsed()
        );

        // Its "also here" is gone from Bình's screen …
        binh.wait_until("An gone from Bình's status line", T, |t| {
            !t.contains("cùng làm: An")
        })
        .await?;
        // … and its slot is free: An gets a console again (the server allows two).
        let (again, _) = Remote::open(port, "an".into(), s.an.clone(), T).await?;
        again.quit(T).await;
        binh.quit(T).await;
        Ok(())
    });
}

#[test]
fn an_exec_or_sftp_request_on_a_console_channel_ends_that_console() {
    let s = serve(2);
    let port = s.server.port;
    block_on(async {
        let (mut binh, _) = Remote::open(port, "binh".into(), s.binh.clone(), T).await?;
        // The connections stay open: only the console channels are closed by the server.
        let mut kept = Vec::new();
        for round in 0..4 {
            let (mut an, _) = Remote::open(port, "an".into(), s.an.clone(), T).await?;
            binh.wait_until("An here", T, |t| t.contains("cùng làm: An"))
                .await?;
            if round % 2 == 0 {
                an.exec_on_console("ls").await?;
            } else {
                an.subsystem_on_console("sftp").await?;
            }
            assert!(an.closed_within(T).await, "the channel is closed");
            // The console ended with its channel: Bình no longer sees An, and the one slot
            // left is free for the next round (a zombie would fill the server).
            binh.wait_until("An gone", T, |t| !t.contains("cùng làm: An"))
                .await?;
            kept.push(an.into_handle());
        }
        binh.quit(T).await;
        drop(kept);
        Ok(())
    });
}

#[test]
fn consoles_opened_and_closed_by_the_hundred_leave_memory_and_descriptors_as_they_were() {
    let s = serve(4);
    let (port, pid) = (s.server.port, s.server.child.id());
    block_on(async {
        let cycle = || async {
            let (remote, _) = Remote::open(port, "chi".into(), s.viewer.clone(), T).await?;
            anyhow::ensure!(remote.quit(T).await, "the console closed on q");
            anyhow::Ok(())
        };
        // Warm up: allocator arenas, sled's cache and the runtime's threads settle.
        for _ in 0..30 {
            cycle().await?;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (rss_before, fds_before) = (rss_kib(pid), open_fds(pid));
        let started = Instant::now();
        for _ in 0..200 {
            cycle().await?;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (rss_after, fds_after) = (rss_kib(pid), open_fds(pid));
        eprintln!(
            "200 open/quit cycles in {:?}: RSS {rss_before} → {rss_after} KiB, fds {fds_before} → {fds_after}",
            started.elapsed()
        );
        assert!(
            rss_after < rss_before + 8 * 1024,
            "the server grew from {rss_before} to {rss_after} KiB"
        );
        assert!(fds_after <= fds_before + 2, "{fds_before} → {fds_after}");
        Ok(())
    });
}

#[test]
fn notes_are_plain_by_default_take_line_breaks_and_esc_on_a_reason_keeps_the_verdict() {
    let s = serve(4);
    let port = s.server.port;
    block_on(async {
        let (mut an, _) = Remote::open(port, "an".into(), s.an.clone(), T).await?;
        an.press(b"\r").await?;
        an.press(b"e").await?;
        an.wait_until("the note editor, plain", T, |t| {
            t.contains("Kiểu gõ: gõ thường")
        })
        .await?;
        // Plain input: an OS input method's finished letters and English words stay as typed.
        an.type_raw("website ISO Nguyễn".as_bytes()).await?;
        an.wait_until("the words as typed", T, |t| {
            t.contains("website ISO Nguyễn")
        })
        .await?;
        // Alt-Enter starts a new line; C-t turns Telex on for the second line.
        an.type_raw(b"\x1b\r").await?;
        an.type_raw(b"\x14").await?;
        an.wait_until("Telex on", T, |t| t.contains("Kiểu gõ: Telex"))
            .await?;
        an.type_raw(b"Vieetj Nam website").await?;
        an.wait_until("Telex applied to Vietnamese only", T, |t| {
            t.contains("Việt Nam website")
        })
        .await?;
        let screen = an.text();
        let first = screen
            .lines()
            .position(|l| l.contains("website ISO Nguyễn"));
        let second = screen.lines().position(|l| l.contains("Việt Nam website"));
        anyhow::ensure!(
            matches!((first, second), (Some(a), Some(b)) if b == a + 1),
            "two lines in the editor:\n{screen}"
        );
        an.type_raw(b"\r").await?;
        an.wait_until("the note saved", T, |t| !t.contains("Kiểu gõ: Telex (C-t)"))
            .await?;

        // n on the next criterion opens the reason; the editor says what Esc does, and Esc
        // keeps "not met" flagged as given without a reason.
        an.press(b"j").await?;
        an.press(b"n").await?;
        an.wait_until("the reason editor", T, |t| {
            t.contains("Esc: giữ kết quả, chưa ghi lý do") && t.contains("Esc giữ, chưa ghi lý do")
        })
        .await?;
        an.press(b"\x1b").await?;
        an.wait_until("not met, no reason given", T, |t| {
            t.lines()
                .any(|l| l.contains("TT2") && l.contains("K.đạt") && l.contains("! chưa"))
        })
        .await?;
        an.quit(T).await;

        // The choice is kept for the reviewer: the next session starts with Telex on.
        let (again, _) = Remote::open(port, "an".into(), s.an.clone(), T).await?;
        anyhow::ensure!(
            again.text().contains("Kiểu gõ: Telex"),
            "Telex still on:\n{}",
            again.text()
        );
        again.quit(T).await;
        Ok(())
    });
}
