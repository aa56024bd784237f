//! Opening a large review on the real binary in a pseudo-terminal: while tens of thousands of
//! subjects are read, an opening screen says how far the reading has got instead of a blank
//! terminal; a key typed meanwhile is carried out once the console is up, and `q` gives up
//! opening at once, leaving the terminal as it was.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thidua::interchange::campaign;
use thidua::store::backup;

use crate::pty;

/// A generated review large enough that reading it takes well over the moment after which
/// the opening screen is drawn (a debug build reads a few thousand subjects a millisecond at
/// best).
fn large_review(dir: &Path) -> PathBuf {
    let db = dir.join("thidua.db");
    let body = thidua::synth::database(&campaign::sample(), 400, 20_000, 60, 7);
    drop(backup::restore(&db, &body).expect("bulk load"));
    db
}

/// The row of the subject list holding the selection marker.
fn selected_row(screen: &str) -> Option<usize> {
    screen.lines().position(|l| l.starts_with("│▶"))
}

#[test]
fn a_large_review_shows_the_opening_screen_then_replays_keys_typed_meanwhile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = large_review(dir.path());
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, true);
    c.wait_for("Đang mở");
    // First the database opens (its path is shown), then the counts of what has been read.
    c.wait_until("the counts", |c| {
        c.contents().contains("/20.400 đối tượng") || c.contents().contains("Tiến độ")
    });
    let opening = c.contents();
    assert!(opening.contains("thidua"), "{opening}");
    assert!(opening.contains("/20.400 đối tượng"), "{opening}");
    assert!(opening.contains("q: thoát"), "{opening}");
    c.send("j");
    c.wait_for("Tiến độ");
    // The console's first frame has the first subject selected (row 2, under the tier
    // heading); the `j` typed while opening then moves the selection one row down.
    c.wait_until("the replayed key", |c| {
        selected_row(&c.contents()) == Some(3)
    });
    let kept = c.shared.kept.lock().expect("frames").clone();
    assert!(
        kept.iter().any(|f| f.contains("Đang mở")),
        "the opening screen is a complete frame"
    );
    c.send("q");
    assert_eq!(c.wait_exit(Duration::from_secs(20)), Some(true));
}

#[test]
fn q_gives_up_opening_at_once_and_restores_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = large_review(dir.path());
    let mut c = pty::Console::open(&db, &["--lang", "en"], &[], 80, 24, false);
    c.wait_for("Opening");
    assert!(c.contents().contains("q: quit"), "{}", c.contents());
    let asked = Instant::now();
    c.send("q");
    assert_eq!(c.wait_exit(Duration::from_secs(10)), Some(true));
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "took {:?}",
        asked.elapsed()
    );
    assert!(
        !c.screen.lock().expect("screen").screen().alternate_screen(),
        "left the alternate screen"
    );
    // Nothing was opened, so nothing changed and no backup was written on the way out.
    let backups = dir.path().join("backups");
    let written = std::fs::read_dir(&backups).map_or(0, |d| d.count());
    assert_eq!(written, 0, "backups in {}", backups.display());
}
