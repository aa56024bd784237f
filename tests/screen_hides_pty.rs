//! What the screen used to hide at 80×24, on the real binary in a pty: look-alike names in the
//! search results read differently, and a criterion's whole description (TT2's funding
//! requirement) can be read.

use std::collections::HashSet;
use std::path::Path;

use chrono::Utc;
use thidua::commands::init::Contents;
use thidua::interchange::campaign;
use thidua::store::{Actor, Store};

use crate::pty;

fn database(db: &Path) {
    let sample = Contents::sample().expect("sample");
    let actor = Actor::new("admin", Utc::now());
    let store = Store::create(db, &campaign::sample(), &actor).expect("create");
    store
        .upsert_subjects(&sample.subjects, "roster", &actor)
        .expect("roster");
}

#[test]
fn look_alike_names_differ_and_the_whole_description_reads_at_80_by_24() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Văn phòng UBND tỉnh");
    c.send("/");
    c.send("phong noi vu");
    // Eleven district offices of home affairs, all typed.
    c.wait_for("phong noi vu▏ 11");
    let screen = c.contents();
    // The rows of the results pane (its 30 columns left of the criteria pane).
    let rows: Vec<String> = screen
        .lines()
        .map(|l| l.chars().skip(1).take(29).collect::<String>())
        .filter(|l| l.contains("○ Phòng"))
        .map(|l| l.trim_start_matches(['▶', ' ']).to_string())
        .collect();
    assert!(
        rows.len() >= 8,
        "the district offices fill the pane:\n{screen}"
    );
    let distinct: HashSet<&String> = rows.iter().collect();
    assert_eq!(
        distinct.len(),
        rows.len(),
        "no two rows read the same:\n{screen}"
    );
    c.send("\x1b");
    c.wait_until("search closed", |c| !c.contents().contains("phong noi vu"));
    // The criteria pane of the first subject, TT2, and its whole text.
    c.send("l");
    c.wait_for("TT2");
    c.send("j");
    c.send("d");
    c.wait_for("có bố trí kinh phí");
    c.wait_for("Các lĩnh vực");
    c.send("\x1b");
    c.wait_until("overlay closed", |c| !c.contents().contains("Các lĩnh vực"));
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "clean exit");
}
