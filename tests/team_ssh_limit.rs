//! One running command per key over SSH, with the real `ssh` client: while a viewer's export
//! is still being sent (its client does not read), a second command with the same key is told
//! to try again, another key's command runs, and once the first client is gone the key's place
//! is given back.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::ssh_support::{self, keygen, ssh_args, ssh_run};

#[test]
fn a_key_runs_one_command_at_a_time_over_ssh() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    // An export of a few megabytes: more than the SSH window and the pipes hold, so a client
    // that does not read keeps it running.
    let body =
        thidua::synth::database(&thidua::interchange::campaign::sample(), 100, 4_000, 100, 7);
    drop(thidua::store::backup::restore(&db, &body).expect("restore"));
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (binh_key, binh_pub) = keygen(dir.path(), "binh");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!(
            "[[reviewer]]\nname = \"An\"\nrole = \"viewer\"\nlang = \"en\"\nkeys = [\"{an_pub}\"]\n\n\
             [[reviewer]]\nname = \"Binh\"\nrole = \"viewer\"\nlang = \"en\"\nkeys = [\"{binh_pub}\"]\n"
        ),
    )
    .expect("reviewers");
    let log = dir.path().join("serve.log");
    let server = ssh_support::start_server(&db, &reviewers, &log);

    let mut first = Command::new("ssh")
        .args(ssh_args(server.port, &an_key))
        .args([
            "x@127.0.0.1",
            "export",
            "--format",
            "json",
            "--allow-incomplete",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ssh");
    // Wait until the server has taken the first command.
    let deadline = Instant::now() + Duration::from_secs(30);
    let started = |l: &str| {
        l.lines()
            .any(|line| line.contains("exec") && line.contains("export"))
    };
    while !std::fs::read_to_string(&log).is_ok_and(|l| started(&l)) {
        assert!(
            Instant::now() < deadline,
            "the export never started: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));

    let (code, out, err) = ssh_run(
        &[
            ssh_args(server.port, &an_key),
            vec!["x@127.0.0.1".into(), "status".into()],
        ]
        .concat(),
        Duration::from_secs(30),
    );
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("already running a command"), "{err}");

    // Another key has its own place.
    let (code, out, err) = ssh_run(
        &[
            ssh_args(server.port, &binh_key),
            vec!["x@127.0.0.1".into(), "status".into()],
        ]
        .concat(),
        Duration::from_secs(30),
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.is_empty());

    // The first client goes away: its place is given back.
    let _ = first.kill();
    let _ = first.wait();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (code, _, err) = ssh_run(
            &[
                ssh_args(server.port, &an_key),
                vec!["x@127.0.0.1".into(), "status".into()],
            ]
            .concat(),
            Duration::from_secs(30),
        );
        if code == Some(0) {
            break;
        }
        assert!(err.contains("already running"), "{err}");
        assert!(
            Instant::now() < deadline,
            "the key's place was never given back"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
