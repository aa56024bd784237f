//! The real binary in a pseudo-terminal at 80×24 on a points campaign: decimals typed with a
//! comma and a dot, the running total against the threshold, a refusal with the allowed
//! range, and the exact scores on disk.

use chrono::Utc;
use thidua::commands::init::Contents;
use thidua::domain::{Points, VerdictValue};
use thidua::interchange::campaign;
use thidua::store::{Actor, Store};

use crate::pty;

#[test]
fn a_points_campaign_scored_with_decimals_shows_its_total_against_the_threshold() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let points = campaign::parse(&crate::review_points::points_campaign_text(), "points.toml")
        .expect("valid");
    {
        let sample = Contents::sample().expect("sample");
        let actor = Actor::new("admin", Utc::now());
        let store = Store::create(&db, &points, &actor).expect("create");
        store
            .upsert_subjects(&sample.subjects, "roster", &actor)
            .expect("roster");
    }
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("0/100 · cần 80");
    c.send("\r");
    c.send("7,5\r");
    c.wait_for("7,5/100 · cần 80");
    c.send("8.5\r");
    c.wait_for("16/100 · cần 80");
    // Off the step: refused on screen with the range, nothing saved.
    c.send("7,3\r");
    c.wait_for("từ 0 đến 10, bước 0,5");
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "clean exit");

    let store = Store::open(&db).expect("open");
    let rows = thidua::domain::review::assemble(
        store.campaign(),
        store.subjects().expect("subjects"),
        store.verdicts().expect("verdicts"),
    );
    let first = rows.first().expect("a subject").values();
    assert_eq!(first[0], VerdictValue::Score(Points::from_hundredths(750)));
    assert_eq!(first[1], VerdictValue::Score(Points::from_hundredths(850)));
    assert_eq!(first[2], VerdictValue::Pending);
}
