//! One set of rules for an initiative decision (`domain::decision_problems`), called by all three
//! places that accept one: the console's recognition form (real binary in a pty), the importer
//! (see `interchange::initiatives` unit tests and the CLI import below) and `verify`.

use std::path::Path;

use chrono::{NaiveDate, Utc};
use thidua::commands::init::Contents;
use thidua::domain::{Cause, DecisionProblem, Initiative, InitiativeStatus, Recognition, Scope};
use thidua::interchange::campaign;
use thidua::store::{Actor, InitiativeWrite, Store};

use crate::pty;

/// The sample database with one more initiative on the first subject (VPUBND), submitted on
/// 02/08/2021.
fn database(db: &Path) {
    let sample = Contents::sample().expect("sample");
    let actor = Actor::new("admin", Utc::now());
    let store = Store::create(db, &campaign::sample(), &actor).expect("create");
    store
        .upsert_subjects(&sample.subjects, "roster", &actor)
        .expect("roster");
    let mut initiatives = sample.initiatives;
    initiatives.push(Initiative {
        id: "SKR00001".into(),
        title: "Sáng kiến số hoá hồ sơ".into(),
        owner: "VPUBND".into(),
        submitted_on: NaiveDate::from_ymd_opt(2021, 8, 2),
        status: InitiativeStatus::Submitted,
        recognition: None,
        version: 0,
    });
    store
        .upsert_initiatives(&initiatives, "initiatives", &actor)
        .expect("initiatives");
}

#[test]
fn the_console_form_refuses_a_decision_dated_before_the_submission() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Văn phòng UBND tỉnh");
    c.send("i");
    c.wait_for("▶ SKR00001");
    c.send("r");
    c.wait_for("Công nhận sáng kiến SKR00001");
    // The date starts inside the campaign's period (it ended on 31/12/2021), not on today.
    c.wait_for("31/12/2021");
    c.send("So Noi vu\t15/QD-SNV\t");
    for _ in 0..10 {
        c.send("\x7f");
    }
    c.send("01/07/2021\r");
    c.wait_for("ngày quyết định 01/07/2021 trước ngày nộp 02/08/2021");
    // The same form, corrected, is accepted and saved.
    for _ in 0..10 {
        c.send("\x7f");
    }
    c.send("03/08/2021\r");
    c.wait_until("recognised and saved", |c| {
        let s = c.contents();
        s.contains("đã lưu") && !s.contains("Công nhận sáng kiến SKR00001")
    });
    c.send("\x1b");
    c.wait_until("the overlay closed", |c| !c.contents().contains("SKR000"));
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "clean exit");
    let store = Store::open(&db).expect("open");
    let i = store.initiative("SKR00001").expect("read").expect("there");
    assert_eq!(i.status, InitiativeStatus::Recognized);
    assert_eq!(
        i.recognition.map(|r| r.decided_on),
        NaiveDate::from_ymd_opt(2021, 8, 3)
    );
}

#[test]
fn verify_reports_a_decision_that_breaks_the_rules_in_the_catalogue_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let store = Store::open(&db).expect("open");
    let before = NaiveDate::from_ymd_opt(2021, 7, 1).expect("date");
    store
        .set_initiative(
            &InitiativeWrite {
                id: "SKR00001".into(),
                status: InitiativeStatus::Recognized,
                recognition: Some(Recognition {
                    authority: "Sở Nội vụ".into(),
                    decision: String::new(),
                    decided_on: before,
                    scope: Scope::Tinh,
                }),
                base_version: 1,
                cause: Cause::Edit,
            },
            &Actor::new("admin", Utc::now()),
        )
        .expect("written as the store is told");
    let report = store.verify().expect("verify");
    assert!(!report.is_ok());
    assert_eq!(
        report.decisions,
        [
            (
                "SKR00001".to_string(),
                DecisionProblem::DecisionNumberMissing
            ),
            (
                "SKR00001".to_string(),
                DecisionProblem::DecidedBeforeSubmission {
                    decided_on: before,
                    submitted_on: NaiveDate::from_ymd_opt(2021, 8, 2).expect("date"),
                }
            ),
        ]
    );
    drop(store);
    // `thidua verify` words them as the console and the importer do.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["verify", "--db"])
        .arg(&db)
        .args(["--lang", "en"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains(
            "initiative SKR00001: the decision date 01/07/2021 is before the submission date 02/08/2021"
        ),
        "{text}"
    );
    assert!(
        text.contains("initiative SKR00001: the decision number is missing"),
        "{text}"
    );
}
