//! Over SSH, a large review takes a while to read when the server makes its one index: a
//! console that connects meanwhile sees the opening screen with the counts read so far, a key
//! typed meanwhile is carried out once the console is up, and `q` gives up opening and ends
//! the session cleanly. Once the index is made, a console opens at once.

use crate::ssh_support;

use std::path::Path;
use std::time::Duration;

use ssh_support::*;
use thidua::interchange::campaign;
use thidua::store::backup;

const T: Duration = Duration::from_secs(30);

/// A review large enough that a debug build takes a second or so to read it.
fn large_review(db: &Path) {
    let body = thidua::synth::database(&campaign::sample(), 400, 20_000, 60, 7);
    drop(backup::restore(db, &body).expect("bulk load"));
}

#[test]
fn a_remote_console_shows_the_opening_screen_then_replays_keys_and_q_gives_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    large_review(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!(
            "[server]\nlang = \"en\"\n\n\
             [[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\n"
        ),
    )
    .expect("reviewers");
    // The server makes its index only once the gate file exists, so both consoles below
    // connect while it is being made, whatever the machine's speed.
    let gate = dir.path().join("gate");
    let server = start_server_env(
        &db,
        &reviewers,
        &dir.path().join("serve.log"),
        &[],
        &[(
            thidua::runtime::shared_index::GATE_VAR,
            gate.to_str().expect("utf-8 path"),
        )],
    );

    let mut an = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    let mut quitter = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    let opening = an.wait_text("Opening", T);
    assert!(opening.contains("/20,400 subjects"), "{opening}");
    assert!(opening.contains("q: quit"), "{opening}");
    quitter.wait_text("Opening", T);
    quitter.send(b"q");
    assert!(
        quitter.wait_exit(Duration::from_secs(10)),
        "q gives up opening"
    );
    // The client has exited; its last bytes may still be on their way through the
    // pseudo-terminal to the screen emulator, so wait for them rather than look at once.
    quitter.wait_for("the client's screen to be restored", T, |s| {
        !s.contains("Opening")
    });
    an.send(b"j");
    std::fs::write(&gate, b"").expect("open the gate");
    an.wait_text("Progress", T);
    // The first subject is selected on row 2 under the tier heading; the `j` typed while
    // opening moves the selection one row down.
    an.wait_for("the replayed key", T, |s| {
        s.lines().position(|l| l.starts_with("│▶")) == Some(3)
    });
    an.send(b"q");
    assert!(an.wait_exit(T), "the session ends on q");

    // The index is made: the next console opens at once, with no opening screen.
    let mut again = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    let first = again.wait_text("Progress", T);
    assert!(!first.contains("Opening"), "{first}");
    again.send(b"q");
    assert!(again.wait_exit(T), "the session ends on q");
}
