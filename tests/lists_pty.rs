//! The real binary in a pseudo-terminal at 80×24: lists keep the selected row on screen. With
//! twenty initiatives on one subject, walking to the last one scrolls the initiatives list, the
//! selected SKB00020 row is on screen, and `-` changes exactly the row shown (on disk too).

use std::path::Path;

use chrono::{NaiveDate, Utc};
use thidua::commands::init::Contents;
use thidua::domain::{Initiative, InitiativeStatus};
use thidua::interchange::campaign;
use thidua::store::{Actor, Store};

use crate::pty;

/// The sample database with twenty more initiatives on the first subject (VPUBND), all
/// submitted except SKB00020, not recognised.
fn database(db: &Path) {
    let sample = Contents::sample().expect("sample");
    let actor = Actor::new("admin", Utc::now());
    let store = Store::create(db, &campaign::sample(), &actor).expect("create");
    store
        .upsert_subjects(&sample.subjects, "roster", &actor)
        .expect("roster");
    let mut initiatives = sample.initiatives;
    for n in 1..=20 {
        initiatives.push(Initiative {
            id: format!("SKB{n:05}"),
            title: format!("Sáng kiến cải tiến số {n}"),
            owner: "VPUBND".into(),
            submitted_on: NaiveDate::from_ymd_opt(2021, 8, 2),
            status: if n == 20 {
                InitiativeStatus::NotRecognized
            } else {
                InitiativeStatus::Submitted
            },
            recognition: None,
            version: 0,
        });
    }
    store
        .upsert_initiatives(&initiatives, "initiatives", &actor)
        .expect("initiatives");
}

/// The screen row that holds `text`.
fn row_with(screen: &str, text: &str) -> Option<String> {
    screen
        .lines()
        .find(|l| l.contains(text))
        .map(str::to_string)
}

#[test]
fn the_initiatives_list_scrolls_and_minus_changes_the_row_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Văn phòng UBND tỉnh");
    c.send("i");
    c.wait_for("▶ SKB00001");
    for _ in 0..19 {
        c.send("j");
    }
    // The selection went down to the twentieth initiative and the list scrolled with it.
    c.wait_for("▶ SKB00020");
    let screen = c.contents();
    assert!(
        !screen.contains("SKB00001 "),
        "the list did not scroll:\n{screen}"
    );
    let row = row_with(&screen, "▶ SKB00020").expect("selected row");
    assert!(row.contains("Không được công nhận"), "{row}");
    assert!(screen.contains("20/20"), "position in the title:\n{screen}");

    // `-` puts the selected, visible initiative back to submitted: the row shown changes.
    c.send("-");
    c.wait_until("SKB00020 submitted and saved", |c| {
        let s = c.contents();
        row_with(&s, "▶ SKB00020").is_some_and(|r| r.contains("Đã nộp") && !r.contains('…'))
            && s.contains("đã lưu")
    });
    c.send("\x1b");
    c.wait_until("the overlay closed", |c| !c.contents().contains("SKB000"));
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "clean exit");

    let store = Store::open(&db).expect("open");
    let changed = store.initiative("SKB00020").expect("read").expect("there");
    assert_eq!(changed.status, InitiativeStatus::Submitted);
    for n in 1..=19 {
        let other = store
            .initiative(&format!("SKB{n:05}"))
            .expect("read")
            .expect("there");
        assert_eq!(other.status, InitiativeStatus::Submitted, "SKB{n:05}");
    }
}

/// The sample database with nothing decided.
fn sample(db: &Path) {
    let sample = Contents::sample().expect("sample");
    let actor = Actor::new("admin", Utc::now());
    let store = Store::create(db, &campaign::sample(), &actor).expect("create");
    store
        .upsert_subjects(&sample.subjects, "roster", &actor)
        .expect("roster");
    store
        .upsert_initiatives(&sample.initiatives, "initiatives", &actor)
        .expect("initiatives");
}

#[test]
fn a_fully_met_collective_takes_two_keys_from_the_subject_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    sample(&db);
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Văn phòng UBND tỉnh · 0/10");
    c.wait_for("Tiến độ");
    let mut keys = 0;
    // Three collectives in a row, from the subject list: `Y`, then `y` to the question.
    let names = ["Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp"];
    for (n, name) in names.iter().enumerate() {
        c.wait_for(&format!("{name} · 0/10"));
        c.send("Y");
        keys += 1;
        c.wait_for("Đánh dấu Đạt 10 tiêu chí còn lại? y/n");
        c.send("y");
        keys += 1;
        c.wait_for(&format!("Đã đánh dấu Đạt 10 tiêu chí của {name}."));
        c.wait_for(&format!("{}/3550", 10 * (n + 1)));
    }
    assert_eq!(keys, 6, "two keys per collective");
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "clean exit");

    let store = Store::open(&db).expect("open");
    for id in ["VPUBND", "SNV", "STP"] {
        let events = store.audit(Some(id)).expect("audit");
        assert_eq!(events.len(), 10, "one audit event per criterion of {id}");
        for c in 1..=10 {
            let v = store
                .verdict(id, &format!("TT{c}"))
                .expect("read")
                .expect("decided");
            assert_eq!(v.value, thidua::domain::VerdictValue::Met, "{id} TT{c}");
        }
    }
}

#[test]
fn a_subject_waiting_for_an_explanation_is_found_and_closed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    sample(&db);
    {
        let store = Store::open(&db).expect("open");
        let actor = Actor::new("binh", Utc::now());
        let write =
            |subject: &str, criterion: &str, value, note: &str| thidua::store::VerdictWrite {
                subject: subject.into(),
                criterion: criterion.into(),
                value,
                note: note.into(),
                base_version: 0,
                cause: thidua::domain::Cause::Edit,
                cell: None,
            };
        use thidua::domain::VerdictValue::{Met, NeedsExplanation};
        for c in 1..=10 {
            let (value, note) = if c == 4 {
                (NeedsExplanation, "Chờ báo cáo bổ sung")
            } else {
                (Met, "")
            };
            store
                .set_verdict(&write("VPUBND", &format!("TT{c}"), value, note), &actor)
                .expect("verdict");
        }
        store
            .set_verdict(
                &write("STP", "TT2", NeedsExplanation, "Thiếu kế hoạch"),
                &actor,
            )
            .expect("verdict");
    }
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    // Its own mark, 9/10 rather than 10/10, and the count in the status bar.
    c.wait_for("▶ ? Văn phòng UBND tỉnh   9/10");
    c.wait_for("? Sở Tư pháp");
    c.wait_for("?2 chờ giải trình");
    // The filter, three presses of `f`: only those two are listed.
    c.send("fff");
    c.wait_for("lọc: chờ");
    let screen = c.contents();
    assert!(!screen.contains("Sở Nội vụ"), "{screen}");
    // Enter opens on the criterion waiting; `y`, the explanation, Enter closes it.
    c.send("\r");
    c.wait_for("▶ TT4");
    c.send("y");
    c.wait_for("Kết thúc giải trình · TT4");
    c.send("Đã nhận báo cáo");
    c.wait_for("Đã nhận báo cáo");
    c.send("\r");
    c.wait_for("?1 chờ giải trình");
    c.wait_for("đã lưu");
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "clean exit");

    let store = Store::open(&db).expect("open");
    let v = store
        .verdict("VPUBND", "TT4")
        .expect("read")
        .expect("there");
    assert_eq!(v.value, thidua::domain::VerdictValue::Met);
    assert_eq!(
        v.note,
        "Chờ báo cáo bổ sung\nĐã nhận giải trình: Đã nhận báo cáo"
    );
    // The history keeps both steps: the explanation recorded, then the verdict.
    let events: Vec<_> = store
        .audit(Some("VPUBND"))
        .expect("audit")
        .into_iter()
        .filter_map(|e| match e.action {
            thidua::domain::AuditAction::Verdict {
                criterion,
                old,
                new,
                ..
            } if criterion == "TT4" => Some((old.map(|o| o.value), new.value, new.note)),
            _ => None,
        })
        .collect();
    use thidua::domain::VerdictValue::{Met, NeedsExplanation};
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[1].0, Some(NeedsExplanation));
    assert_eq!(events[1].1, NeedsExplanation);
    assert!(events[1].2.ends_with("Đã nhận giải trình: Đã nhận báo cáo"));
    assert_eq!(events[2].0, Some(NeedsExplanation));
    assert_eq!(events[2].1, Met);
}

#[test]
fn at_60_by_20_the_form_error_shows_and_help_has_the_legend() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let mut c = pty::Console::open(&db, &[], &[], 60, 20, false);
    c.wait_for("Văn phòng UBND tỉnh");
    c.send("i");
    c.wait_for("▶ SKB00001");
    c.send("jjjjjjjjjjr");
    c.wait_for("Công nhận sáng kiến SKB00011");
    // Enter with the authority and decision empty: the error is on screen.
    c.send("\r");
    c.wait_for("thiếu cơ quan công nhận");
    assert!(c.contents().contains("▶ SKB00011"), "{}", c.contents());
    c.send("\x1b");
    c.wait_until("the form closed", |c| {
        !c.contents().contains("thiếu cơ quan công nhận")
    });
    c.send("\x1b");
    c.wait_until("the overlay closed", |c| !c.contents().contains("SKB000"));
    // The help ends with the legend of the symbols, reached with j.
    c.send("?");
    c.wait_for("Phím tắt");
    for _ in 0..40 {
        c.send("j");
    }
    c.wait_for("Ký hiệu");
    c.wait_for("Cần giải trình, đang chờ");
    c.wait_for("có gợi ý minh chứng");
    c.send("\x1b");
    c.wait_until("help closed", |c| !c.contents().contains("Ký hiệu"));
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "clean exit");
}
