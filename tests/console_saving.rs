//! Saving off the key thread. Through `update`: a decision shows "saving…" until the store
//! answers, moving goes on meanwhile, decisions on other rows go out at once and in order, and
//! what depends on an answer (a change of the row still being saved, undo, redo, quitting)
//! waits for it and then runs in the order typed. Through the real binary in a pty with every
//! commit slowed down (`THIDUA_TEST_COMMIT_DELAY_MS`, read only by debug and test builds):
//! "đang lưu…" shows while the disk is slow, the keys typed meanwhile take effect in order, and
//! the database has them all afterwards.

use std::time::Duration;

use thidua::app::{Effect, Model, Msg, SaveState, Saved};
use thidua::domain::{AuditAction, Cause, Lang, Verdict, VerdictValue};
use thidua::store::{Store, VerdictWrite};

use crate::console::{at, run_keys, sample_init};
use crate::pty;

fn model() -> Model {
    Model::new(sample_init(Lang::Vi, "an", vec![]))
}

fn saves(effects: &[Effect]) -> Vec<VerdictWrite> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveVerdict(w) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// The store's answer to `w`: committed as version `version`.
fn saved(m: &mut Model, w: &VerdictWrite, version: u64) -> Vec<Effect> {
    let verdict = Verdict {
        value: w.value,
        note: w.note.clone(),
        reviewer: "an".into(),
        decided_at: at("2021-12-01T03:00:00Z"),
        version,
    };
    thidua::app::update(
        m,
        Msg::Saved(Saved::Verdict {
            write: w.clone(),
            verdict,
        }),
    )
}

fn criterion(m: &Model) -> String {
    m.current_criterion()
        .map(|c| c.id.clone())
        .unwrap_or_default()
}

fn subject(m: &Model) -> String {
    m.current_entry()
        .map(|e| e.subject.id.clone())
        .unwrap_or_default()
}

#[test]
fn a_decision_shows_saving_until_the_store_answers_and_moving_goes_on_meanwhile() {
    let mut m = model();
    let fx = run_keys(&mut m, "<enter>y");
    let w = saves(&fx);
    assert_eq!(w.len(), 1, "{fx:?}");
    assert_eq!(
        (w[0].criterion.as_str(), w[0].value),
        ("TT1", VerdictValue::Met)
    );
    assert_eq!(*m.save_state(), SaveState::Saving);
    assert!(m.is_saving(&w[0].subject, "TT1"));
    // The decision moved on to TT2; moving goes on while TT1 is being saved.
    assert_eq!(criterion(&m), "TT2");
    assert!(run_keys(&mut m, "j").is_empty());
    assert_eq!(criterion(&m), "TT3");
    assert_eq!(m.held_keys(), 0);
    saved(&mut m, &w[0], 1);
    assert_eq!(
        *m.save_state(),
        SaveState::Saved(at("2021-12-01T03:00:00Z"))
    );
    assert!(!m.is_saving(&w[0].subject, "TT1"));
}

#[test]
fn decisions_on_other_rows_go_out_at_once_in_the_order_typed() {
    let mut m = model();
    let fx = run_keys(&mut m, "<enter>yyy");
    let w = saves(&fx);
    let got: Vec<_> = w.iter().map(|w| (w.criterion.as_str(), w.value)).collect();
    assert_eq!(
        got,
        [
            ("TT1", VerdictValue::Met),
            ("TT2", VerdictValue::Met),
            ("TT3", VerdictValue::Met)
        ]
        .iter()
        .map(|(c, v)| (*c, *v))
        .collect::<Vec<_>>()
    );
    assert_eq!(m.held_keys(), 0);
    assert_eq!(*m.save_state(), SaveState::Saving);
    // Answers in commit order: still saving until the last one.
    saved(&mut m, &w[0], 1);
    assert_eq!(*m.save_state(), SaveState::Saving);
    saved(&mut m, &w[1], 1);
    assert_eq!(*m.save_state(), SaveState::Saving);
    saved(&mut m, &w[2], 1);
    assert!(matches!(m.save_state(), SaveState::Saved(_)));
}

#[test]
fn a_change_of_a_row_still_saving_waits_behind_it_and_keeps_the_order() {
    let mut m = model();
    let first = saves(&run_keys(&mut m, "<enter>y"));
    // Back up to TT1 (moving is not held), then "-" on TT1, still being saved: held, and
    // so is the "j" after it.
    assert!(run_keys(&mut m, "k").is_empty());
    assert_eq!(criterion(&m), "TT1");
    assert!(run_keys(&mut m, "-j").is_empty());
    assert_eq!(m.held_keys(), 2);
    assert_eq!(criterion(&m), "TT1", "the j waits behind the held key");
    // The answer releases them in order: "-" is based on the version just saved.
    let fx = saved(&mut m, &first[0], 1);
    let second = saves(&fx);
    assert_eq!(second.len(), 1, "{fx:?}");
    assert_eq!(second[0].criterion, "TT1");
    assert_eq!(second[0].value, VerdictValue::Pending);
    assert_eq!(second[0].base_version, 1);
    assert_eq!(m.held_keys(), 0);
    assert_eq!(*m.save_state(), SaveState::Saving);
    // "-" moved on to TT2 as a decision does, then "j" went down, at once: a move does not
    // wait for the save of the "-".
    assert_eq!(criterion(&m), "TT3");
}

#[test]
fn undo_and_quit_wait_for_the_saves_and_quitting_says_so() {
    let mut m = model();
    let first = saves(&run_keys(&mut m, "<enter>y"));
    let who = subject(&m);
    assert!(
        run_keys(&mut m, "u").is_empty(),
        "undo waits for the answer"
    );
    assert!(run_keys(&mut m, "q").is_empty(), "quit waits behind it");
    assert_eq!(m.held_keys(), 2);
    assert!(!m.has_quit());
    // TT1 saved: the undo runs (a write of its own), the quit waits for that one too.
    let fx = saved(&mut m, &first[0], 1);
    let undo = saves(&fx);
    assert_eq!(undo.len(), 1, "{fx:?}");
    assert_eq!(
        (undo[0].subject.as_str(), undo[0].criterion.as_str()),
        (who.as_str(), "TT1")
    );
    assert_eq!(undo[0].cause, Cause::Undo);
    assert_eq!(undo[0].value, VerdictValue::Pending);
    assert!(!fx.contains(&Effect::Quit));
    assert!(!m.has_quit());
    let fx = saved(&mut m, &undo[0], 2);
    assert!(fx.contains(&Effect::Quit), "{fx:?}");
    assert!(m.has_quit());

    // Quitting first thing while a save runs says it waits.
    let mut m = model();
    run_keys(&mut m, "<enter>y");
    assert!(run_keys(&mut m, "q").is_empty());
    let notice = thidua::ui::notice_text(&m).unwrap_or_default();
    assert!(
        notice.contains("sẽ thoát khi mọi quyết định đã lưu xong"),
        "{notice}"
    );
}

// ---- the real binary with a slow disk ----------------------------------------------------

fn database(db: &std::path::Path) {
    crate::command::units_db(db, 5);
}

#[test]
fn a_slow_disk_shows_saving_while_the_keys_typed_meanwhile_take_effect_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("r.db");
    database(&db);
    let mut c = pty::Console::open(
        &db,
        &[],
        &[("THIDUA_TEST_COMMIT_DELAY_MS", "700")],
        80,
        24,
        false,
    );
    c.wait_for("Tiến độ");
    // TT1, TT2, TT3 met, then back up to TT3 and set it pending again (that waits for TT3's
    // own save), then down: all typed at once, while the first commit still sleeps.
    let sent = std::time::Instant::now();
    c.send("\ryyyk-j");
    c.wait_for("đang lưu…");
    // The moves took effect while the saves were still running: the selection is back on TT3.
    c.wait_until("the selection on TT3 while saving", |c| {
        let s = c.contents();
        s.contains("▶ TT3") && s.contains("đang lưu…")
    });
    let moved = sent.elapsed();
    eprintln!("the moves were on screen after {moved:?}, with 3 commits of 700 ms queued");
    assert!(
        moved < Duration::from_millis(2100),
        "the keys waited for the commits: {moved:?}"
    );
    // Every save answered: the held "-" moved on to TT4 as a decision does, and "j" to TT5.
    c.wait_until("every save answered", |c| {
        let s = c.contents();
        s.contains("đã lưu") && !s.contains("đang lưu…") && s.contains("▶ TT5")
    });
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "quit");

    let store = Store::open(&db).expect("open");
    let value = |cr: &str| {
        store
            .verdict("DV000", cr)
            .expect("read")
            .map_or(VerdictValue::Pending, |v| v.value)
    };
    assert_eq!(value("TT1"), VerdictValue::Met);
    assert_eq!(value("TT2"), VerdictValue::Met);
    assert_eq!(value("TT3"), VerdictValue::Pending);
    // In the order typed, each on top of the one before.
    let order: Vec<(String, VerdictValue)> = store
        .audit(Some("DV000"))
        .expect("audit")
        .into_iter()
        .filter_map(|e| match e.action {
            AuditAction::Verdict { criterion, new, .. } => Some((criterion, new.value)),
            _ => None,
        })
        .collect();
    let want: Vec<(String, VerdictValue)> = [
        ("TT1", VerdictValue::Met),
        ("TT2", VerdictValue::Met),
        ("TT3", VerdictValue::Met),
        ("TT3", VerdictValue::Pending),
    ]
    .into_iter()
    .map(|(c, v)| (c.to_string(), v))
    .collect();
    assert_eq!(order, want);
}

#[test]
fn quitting_while_the_disk_is_slow_waits_for_every_save_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("r.db");
    database(&db);
    let mut c = pty::Console::open(
        &db,
        &["--lang", "en"],
        &[("THIDUA_TEST_COMMIT_DELAY_MS", "800")],
        80,
        24,
        false,
    );
    c.wait_for("Progress");
    c.send("\ryyq");
    c.wait_for("the console closes once every decision is saved");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "quit");
    let store = Store::open(&db).expect("open");
    for cr in ["TT1", "TT2"] {
        let v = store.verdict("DV000", cr).expect("read");
        assert_eq!(v.map(|v| v.value), Some(VerdictValue::Met), "{cr}");
    }
}

#[test]
fn a_session_with_a_commit_worker_commits_in_order_and_settles_before_it_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = crate::console::sample_store(&dir);
    let mut s = thidua::runtime::Session::new(
        store.clone(),
        "an",
        Lang::Vi,
        thidua::app::Role::Reviewer,
        false,
        80,
        24,
    )
    .expect("session");
    s.commit_on_worker().expect("worker");
    let who = s
        .model
        .current_entry()
        .map(|e| e.subject.id.clone())
        .expect("a subject");
    for k in crate::console::keys("<enter>yyk-u") {
        assert!(s.handle(Msg::Key(k)), "still open");
    }
    assert!(
        s.settle(std::time::Duration::from_secs(30)),
        "every write answered"
    );
    assert!(!s.saving());
    assert_eq!(s.model.held_keys(), 0);
    let value = |cr: &str| {
        store
            .verdict(&who, cr)
            .expect("read")
            .map_or(VerdictValue::Pending, |v| v.value)
    };
    // TT1 met; TT2 met, set pending again, and that undone: met.
    assert_eq!(value("TT1"), VerdictValue::Met);
    assert_eq!(value("TT2"), VerdictValue::Met);
    let causes: Vec<Cause> = store
        .audit(Some(&who))
        .expect("audit")
        .into_iter()
        .filter(|e| matches!(e.action, AuditAction::Verdict { .. }))
        .map(|e| e.cause)
        .collect();
    assert_eq!(causes, [Cause::Edit, Cause::Edit, Cause::Edit, Cause::Undo]);
}
