//! End to end: the real `thidua serve` on 127.0.0.1, reviewers connecting with the system
//! `ssh` client in pseudo-terminals (screens emulated with vt100). One reviewer's verdict
//! shows on another's screen, a resized window reflows, a viewer cannot change anything, and
//! wrong keys, passwords and commands are refused. Every wait polls the screen with a bound.

use crate::ssh_support;

use std::time::{Duration, Instant};

use ssh_support::*;

const T: Duration = Duration::from_secs(10);

#[test]
fn three_reviewers_over_ssh_see_each_other_work_and_nobody_gets_a_shell() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (binh_key, binh_pub) = keygen(dir.path(), "binh");
    let (cuong_key, cuong_pub) = keygen(dir.path(), "cuong");
    let (stranger_key, _) = keygen(dir.path(), "stranger");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!(
            "[server]\nidle_timeout_minutes = 10\nmax_sessions = 5\n\n\
             [[reviewer]]\nname = \"Nguyễn Văn An\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\nlang = \"vi\"\n\n\
             [[reviewer]]\nname = \"Trần Thị Bình\"\nrole = \"reviewer\"\nkeys = [\"{binh_pub}\"]\n\n\
             [[reviewer]]\nname = \"Lê Văn Cường\"\nrole = \"viewer\"\nkeys = [\"{cuong_pub}\"]\n"
        ),
    )
    .expect("reviewers file");
    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));

    // Two reviewers: An's client sends LANG=en (it wins over the file's "vi"); Bình's sends
    // nothing, so the server default (Vietnamese) applies.
    let mut an = Term::connect(
        "an",
        server.port,
        &an_key,
        80,
        24,
        &[("LANG", "en_US.UTF-8")],
    );
    let mut binh = Term::connect("binh", server.port, &binh_key, 80, 24, &[]);
    an.wait_text("Reviewer: Nguyễn Văn An", T);
    an.wait_text("Sở Nội vụ", T);
    binh.wait_text("Người đánh giá: Trần Thị Bình", T);

    // An opens the first subject and marks its first criterion met.
    an.send(b"\r");
    an.wait_for("the criteria pane to have the keyboard", T, |s| {
        s.contains("▶ Sở Nội vụ")
    });
    let sent = Instant::now();
    an.send(b"y");
    an.wait_text("✓ Met", T);
    // Bình sees it arrive, with An's name, without pressing anything.
    binh.wait_text("✓ Đạt", T);
    let live = sent.elapsed();
    binh.wait_text("Nguyễn Văn An ·", T);
    eprintln!("verdict visible on the other screen after {live:?}");
    assert!(live < Duration::from_secs(3), "live update took {live:?}");

    // Bình's window grows: the console reflows to 100×30.
    binh.resize(100, 30);
    let screen = binh.wait_for("the screen to fill 100×30", T, |s| {
        let lines: Vec<&str> = s.lines().collect();
        lines.len() == 30
            && lines[0].chars().count() == 100
            && lines[0].ends_with('┐')
            && lines[26].chars().count() == 100
            && lines[26].ends_with('┘')
            && lines[27].contains("Người đánh giá: Trần Thị Bình")
    });
    assert!(
        screen.contains("Thực hiện nhiệm vụ CCHC đư"),
        "wider titles: {screen}"
    );
    assert_eq!(binh.size(), (100, 30));

    // PuTTY's End and Home (ESC[4~, ESC[1~), then xterm's (ESC OF, ESC[H), as raw bytes.
    binh.send(b"\x1b[4~");
    binh.wait_for("End: the last subject selected", T, |s| {
        s.contains("▶ ○ Sở Y tế")
    });
    binh.send(b"\x1b[1~");
    binh.wait_for("Home: the first subject", T, |s| {
        s.contains("▶ ✓ Sở Nội vụ") || s.contains("▶ ○ Sở Nội vụ")
    });
    binh.send(b"\x1bOF");
    binh.wait_for("End again", T, |s| s.contains("▶ ○ Sở Y tế"));
    binh.send(b"\x1b[H");
    binh.wait_for("Home again", T, |s| !s.contains("▶ ○ Sở Y tế"));

    // A viewer can look but not change.
    let mut cuong = Term::connect("cuong", server.port, &cuong_key, 80, 24, &[]);
    cuong.wait_text("Lê Văn Cường (chỉ xem)", T);
    cuong.wait_text("✓ Đạt", T);
    cuong.send(b"\r");
    cuong.wait_for("the criteria pane to have the keyboard", T, |s| {
        s.contains("▶ Sở Nội vụ")
    });
    cuong.send(b"j");
    cuong.send(b"n");
    cuong.wait_text("Bạn chỉ có quyền xem", T);
    // Nothing reached the others: TT2 is still pending on An's screen.
    let an_screen = an.screen();
    assert!(
        an_screen
            .lines()
            .any(|l| l.contains("TT2") && l.contains("Pending")),
        "{an_screen}"
    );

    // Refusals: an unknown key, a password, a command.
    let host = "an@127.0.0.1".to_string();
    let mut args = ssh_args(server.port, &stranger_key);
    args.extend([
        "-o".into(),
        "PreferredAuthentications=publickey".into(),
        host.clone(),
    ]);
    let (code, _, err) = ssh_run(&args, T);
    assert_eq!(code, Some(255), "unknown key refused: {err}");
    assert!(err.contains("Permission denied"), "{err}");

    let mut args = ssh_args(server.port, &an_key);
    args.extend([
        "-o".into(),
        "PreferredAuthentications=password".into(),
        host.clone(),
    ]);
    let (code, _, err) = ssh_run(&args, T);
    assert_eq!(code, Some(255), "password refused: {err}");
    assert!(err.contains("Permission denied (publickey)"), "{err}");

    let mut args = ssh_args(server.port, &an_key);
    args.extend([host.clone(), "echo".into(), "hi".into()]);
    let (code, out, err) = ssh_run(&args, T);
    assert_ne!(code, Some(0), "exec refused");
    assert!(!out.contains("hi"), "{out}");
    assert!(err.contains("lệnh bị từ chối: «echo hi»"), "{err}");

    // Quitting closes the connection and gives the terminal back.
    an.send(b"q");
    assert!(an.wait_exit(T), "ssh exits after q");
    // Stopping the server gives every terminal back with a word, and the clients exit.
    let term = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(term.success());
    for t in [&binh, &cuong] {
        t.wait_text("the server is stopping", T);
    }
    assert!(binh.wait_exit(T) && cuong.wait_exit(T));
    // The server leaves a rolling backup of its final state beside the database.
    let mut server = server;
    let deadline = Instant::now() + T;
    while server.child.try_wait().expect("wait").is_none() {
        assert!(Instant::now() < deadline, "the server stops after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .expect("a backups folder beside the database")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let body = thidua::store::backup::read(&backups[0]).expect("a valid backup");
    assert!(
        !body.verdicts.is_empty(),
        "it holds the verdicts given over ssh"
    );
    drop(server);
    let total = started.elapsed();
    eprintln!("whole test: {total:?}");
    assert!(total < Duration::from_secs(60));
}
