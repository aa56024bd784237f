//! The console's side of serving several reviewers, without a terminal: the chair's lock key,
//! refusals on a locked subject, and presence, through `update` and through `Session` on a
//! real store.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Effect, Index, Init, Model, Msg, Role, update};
use thidua::domain::{Cause, Lang, Subject, VerdictValue};
use thidua::interchange::campaign;
use thidua::runtime::Session;
use thidua::store::{Actor, Store, VerdictWrite};

fn subjects() -> Vec<(u32, Subject)> {
    ["SNV:Sở Nội vụ", "STC:Sở Tài chính"]
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (id, name) = s.split_once(':').expect("id:name");
            (
                i as u32 + 1,
                Subject {
                    id: id.into(),
                    name: name.into(),
                    tier: "province_agency".into(),
                    parent: None,
                    registered_on: None,
                },
            )
        })
        .collect()
}

fn model(role: Role) -> Model {
    let campaign = campaign::sample();
    Model::new(Init {
        index: Index::build(&campaign, subjects(), vec![], vec![]),
        campaign,
        reviewer: "An".into(),
        lang: Lang::En,
        role,
        cursor: None,
        no_color: false,
        today: NaiveDate::from_ymd_opt(2021, 12, 1).expect("date"),
        width: 80,
        height: 24,
    })
}

fn key(m: &mut Model, c: char) -> Vec<Effect> {
    let code = if c == '\r' {
        KeyCode::Enter
    } else {
        KeyCode::Char(c)
    };
    update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn notice(m: &Model) -> String {
    thidua::ui::notice_text(m).unwrap_or_default()
}

#[test]
fn only_a_chair_asks_for_a_lock() {
    let mut reviewer = model(Role::Reviewer);
    assert!(key(&mut reviewer, 'L').is_empty());
    assert_eq!(notice(&reviewer), "Only the chair can lock or unlock.");

    let mut viewer = model(Role::Viewer);
    assert!(key(&mut viewer, 'L').is_empty());
    assert!(notice(&viewer).contains("only view"), "{}", notice(&viewer));

    let mut chair = model(Role::Chair);
    let id = chair.current_entry().expect("a subject").subject.id.clone();
    assert_eq!(
        key(&mut chair, 'L'),
        vec![Effect::SetLock {
            subject: id.clone(),
            lock: true
        }]
    );
    update(&mut chair, Msg::Locks(vec![id.clone()]));
    assert!(notice(&chair).ends_with("locked: nobody can change it now."));
    assert_eq!(
        key(&mut chair, 'L'),
        vec![Effect::SetLock {
            subject: id,
            lock: false
        }]
    );
}

#[test]
fn a_locked_subject_refuses_changes_before_any_write() {
    let mut m = model(Role::Reviewer);
    let id = m.current_entry().expect("a subject").subject.id.clone();
    update(&mut m, Msg::Locks(vec![id]));
    key(&mut m, '\r');
    assert!(key(&mut m, 'y').is_empty(), "no write asked for");
    assert!(
        notice(&m).ends_with("is locked: it cannot be changed."),
        "{}",
        notice(&m)
    );
    update(&mut m, Msg::Locks(vec![]));
    assert!(notice(&m).ends_with("unlocked."));
    assert!(
        key(&mut m, 'y')
            .iter()
            .any(|e| matches!(e, Effect::SaveVerdict(_))),
        "writes again once unlocked"
    );
}

#[test]
fn presence_is_kept_in_the_model() {
    let mut m = model(Role::Reviewer);
    update(
        &mut m,
        Msg::Presence(vec![
            ("Bình".into(), Some("SNV".into())),
            ("Cường".into(), None),
        ]),
    );
    assert_eq!(m.present().len(), 2);
    update(&mut m, Msg::Presence(vec![]));
    assert!(m.present().is_empty());
}

#[test]
fn a_chair_session_locks_in_the_store_and_another_session_is_told() {
    let dir = tempfile::tempdir().expect("tempdir");
    let actor = Actor::new("admin", Utc::now());
    let store =
        Arc::new(Store::create(&dir.path().join("db"), &campaign::sample(), &actor).expect("db"));
    let list: Vec<Subject> = subjects().into_iter().map(|(_, s)| s).collect();
    store
        .upsert_subjects(&list, "test", &actor)
        .expect("subjects");
    let mut chair = Session::new(
        store.clone(),
        "Chủ tịch",
        Lang::En,
        Role::Chair,
        false,
        80,
        24,
    )
    .expect("chair");
    let mut other = Session::new(
        store.clone(),
        "Bình",
        Lang::En,
        Role::Reviewer,
        false,
        80,
        24,
    )
    .expect("other");
    let id = chair
        .model
        .current_entry()
        .expect("subject")
        .subject
        .id
        .clone();

    // Not final yet: the store refuses and the chair is told which criteria are open.
    chair.handle(Msg::Key(KeyEvent::new(
        KeyCode::Char('L'),
        KeyModifiers::NONE,
    )));
    let told = thidua::ui::notice_text(&chair.model).unwrap_or_default();
    assert!(
        told.contains("cannot be locked yet") && told.contains("TT1"),
        "{told}"
    );

    let group = store
        .campaign()
        .group_of_tier("province_agency")
        .expect("group")
        .clone();
    for c in &group.criteria {
        store
            .set_verdict(
                &VerdictWrite {
                    subject: id.clone(),
                    criterion: c.id.clone(),
                    value: VerdictValue::NotMet,
                    note: "thiếu hồ sơ".into(),
                    base_version: 0,
                    cause: Cause::Edit,
                    cell: None,
                },
                &Actor::new("Bình", Utc::now()),
            )
            .expect("verdict");
    }
    chair.poll_changes();
    other.poll_changes();
    chair.handle(Msg::Key(KeyEvent::new(
        KeyCode::Char('L'),
        KeyModifiers::NONE,
    )));
    assert!(
        store.subject_lock(&id).expect("read").is_some(),
        "locked in the store"
    );
    assert!(other.poll_changes());
    assert!(other.model.is_locked(&id), "the other session knows");
    chair.handle(Msg::Key(KeyEvent::new(
        KeyCode::Char('L'),
        KeyModifiers::NONE,
    )));
    assert!(store.subject_lock(&id).expect("read").is_none(), "unlocked");
    assert!(other.poll_changes());
    assert!(!other.model.is_locked(&id));
}
