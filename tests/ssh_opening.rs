//! Over SSH, a large review takes a while to read for each console that opens: the client sees
//! the opening screen with the counts read so far, a key typed meanwhile is carried out once
//! the console is up, and `q` gives up opening and ends the session cleanly.

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
    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));

    let mut an = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    let opening = an.wait_text("Opening", T);
    assert!(opening.contains("/20,400 subjects"), "{opening}");
    assert!(opening.contains("q: quit"), "{opening}");
    an.send(b"j");
    an.wait_text("Progress", T);
    // The first subject is selected on row 2 under the tier heading; the `j` typed while
    // opening moves the selection one row down.
    an.wait_for("the replayed key", T, |s| {
        s.lines().position(|l| l.starts_with("│▶")) == Some(3)
    });
    an.send(b"q");
    assert!(an.wait_exit(T), "the session ends on q");

    let mut again = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    again.wait_text("Opening", T);
    again.send(b"q");
    assert!(
        again.wait_exit(Duration::from_secs(10)),
        "q gives up opening"
    );
    // The client has exited; its last bytes may still be on their way through the
    // pseudo-terminal to the screen emulator, so wait for them rather than look at once.
    again.wait_for("the client's screen to be restored", T, |s| {
        !s.contains("Opening")
    });
}
