//! A client that stops reading (a frozen terminal, a dead link) must not make the server
//! buffer without bound nor slow anyone else: its console waits for the SSH window, redraws
//! coalesce, and when it reads again it gets the latest screen. Repeated failed logins from
//! one address are answered more and more slowly.

use crate::ssh_support;

use std::time::{Duration, Instant};

use ssh_support::*;

const T: Duration = Duration::from_secs(15);

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

#[test]
fn a_stalled_client_neither_grows_the_server_nor_slows_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (binh_key, binh_pub) = keygen(dir.path(), "binh");
    let (cuong_key, cuong_pub) = keygen(dir.path(), "cuong");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!(
            "[server]\nlang = \"en\"\n\n\
             [[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\n\n\
             [[reviewer]]\nname = \"Bình\"\nrole = \"reviewer\"\nkeys = [\"{binh_pub}\"]\n\n\
             [[reviewer]]\nname = \"Cường\"\nrole = \"reviewer\"\nkeys = [\"{cuong_pub}\"]\n"
        ),
    )
    .expect("reviewers");
    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));
    let pid = server.child.id();

    let mut an = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    let binh = Term::connect("binh", server.port, &binh_key, 80, 24, &[]);
    let mut cuong = Term::connect("cuong", server.port, &cuong_key, 80, 24, &[]);
    for t in [&an, &binh, &cuong] {
        t.wait_text("Sở Nội vụ", T);
    }
    let rss_before = rss_kib(pid);

    // Cường's terminal freezes; his window keeps changing size, each change a full redraw.
    cuong.pause(true);
    let stalled_at = cuong.received.load(std::sync::atomic::Ordering::SeqCst);
    for i in 0..400u16 {
        let (w, h) = if i % 2 == 0 { (200, 60) } else { (190, 58) };
        cuong.resize(w, h);
        if i % 50 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    cuong.resize(120, 40);

    // Meanwhile An's verdicts still reach Bình at once.
    an.send(b"\r");
    an.wait_for("criteria focus", T, |s| s.contains("▶ Sở Nội vụ"));
    let sent = Instant::now();
    an.send(b"y");
    binh.wait_text("✓ Met", T);
    let live = sent.elapsed();
    eprintln!("live update with a stalled client connected: {live:?}");
    assert!(live < Duration::from_secs(2), "{live:?}");

    let rss_after = rss_kib(pid);
    eprintln!("server RSS {rss_before} KiB -> {rss_after} KiB while a client is stalled");
    assert!(
        rss_after < rss_before + 64 * 1024,
        "the server grew from {rss_before} to {rss_after} KiB"
    );

    // Cường reads again: his screen ends at the latest size with the latest content.
    cuong.pause(false);
    cuong.wait_for("the latest frame at 120×40", T, |s| {
        let lines: Vec<&str> = s.lines().collect();
        lines.len() == 40
            && lines[0].chars().count() == 120
            && lines[0].ends_with('┐')
            && s.contains("✓ Met")
    });
    let total = cuong.received.load(std::sync::atomic::Ordering::SeqCst) - stalled_at;
    eprintln!("bytes sent to the stalled client for 401 resizes: {total}");
    an.send(b"q");
    assert!(an.wait_exit(T));
}

#[test]
fn repeated_failures_from_one_address_are_slowed_down() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (_, an_pub) = keygen(dir.path(), "an");
    let (stranger, _) = keygen(dir.path(), "stranger");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!("[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\n"),
    )
    .expect("reviewers");
    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));
    let mut args = ssh_args(server.port, &stranger);
    args.extend(["stranger@127.0.0.1".into(), "true".into()]);
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let (code, _, _) = ssh_run(&args, T);
        assert_eq!(code, Some(255));
        times.push(t.elapsed());
    }
    eprintln!("refusal times: {times:?}");
    // The first three are answered at once; the 4th waits ≥1 s, the 5th ≥2 s.
    assert!(times[0] < Duration::from_millis(900), "{times:?}");
    assert!(times[3] >= Duration::from_secs(1), "{times:?}");
    assert!(times[4] >= Duration::from_secs(2), "{times:?}");
}
