//! What the console tests share: key strings as a reviewer types them, the sample roster as
//! an `Init`, and the sample database on real sled.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Effect, Index, Init, Model, Msg, Role, update};
use thidua::commands::init::Contents;
use thidua::domain::{Lang, Verdict};
use thidua::interchange::campaign;
use thidua::store::{Actor, Store};

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

/// The day the tests pretend it is.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 12, 1).expect("date")
}

/// The bundled sample roster and initiatives as a console opens them, at 80×24, with the
/// given decisions as (subject no, criterion index, verdict).
pub fn sample_init(lang: Lang, reviewer: &str, verdicts: Vec<(u32, u16, Verdict)>) -> Init {
    let sample = Contents::sample().expect("sample");
    let subjects = sample
        .subjects
        .into_iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    Init {
        index: Index::build(&sample.campaign, subjects, verdicts, sample.initiatives),
        campaign: sample.campaign,
        reviewer: reviewer.into(),
        lang,
        role: Role::Reviewer,
        cursor: None,
        no_color: false,
        today: today(),
        width: 80,
        height: 24,
    }
}

/// The sample database in `dir`, shared by sessions as a server would share it.
pub fn sample_store(dir: &tempfile::TempDir) -> Arc<Store> {
    let sample = Contents::sample().expect("sample");
    let actor = Actor::new("admin", at("2021-07-21T01:00:00Z"));
    let store = Store::create(&dir.path().join("db"), &campaign::sample(), &actor).expect("create");
    store
        .upsert_subjects(&sample.subjects, "roster", &actor)
        .expect("roster");
    store
        .upsert_initiatives(&sample.initiatives, "initiatives", &actor)
        .expect("initiatives");
    Arc::new(store)
}

/// Turns "jjy n<esc>" into key events: `<name>` for special keys, anything else as typed.
pub fn keys(spec: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' && chars.peek().is_some_and(|n| n.is_ascii_alphabetic()) {
            let name: String = chars.by_ref().take_while(|c| *c != '>').collect();
            let (code, mods) = match name.as_str() {
                "esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "enter" => (KeyCode::Enter, KeyModifiers::NONE),
                "tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "s-tab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "down" => (KeyCode::Down, KeyModifiers::NONE),
                "up" => (KeyCode::Up, KeyModifiers::NONE),
                "left" => (KeyCode::Left, KeyModifiers::NONE),
                "right" => (KeyCode::Right, KeyModifiers::NONE),
                "pgdn" => (KeyCode::PageDown, KeyModifiers::NONE),
                "pgup" => (KeyCode::PageUp, KeyModifiers::NONE),
                "home" => (KeyCode::Home, KeyModifiers::NONE),
                "end" => (KeyCode::End, KeyModifiers::NONE),
                "bs" => (KeyCode::Backspace, KeyModifiers::NONE),
                "space" => (KeyCode::Char(' '), KeyModifiers::NONE),
                "c-r" => (KeyCode::Char('r'), KeyModifiers::CONTROL),
                "c-t" => (KeyCode::Char('t'), KeyModifiers::CONTROL),
                other => panic!("unknown key <{other}>"),
            };
            out.push(KeyEvent::new(code, mods));
        } else {
            let mods = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            out.push(KeyEvent::new(KeyCode::Char(c), mods));
        }
    }
    out
}

/// Feeds keys to `update` and returns every effect asked for.
pub fn run_keys(model: &mut Model, spec: &str) -> Vec<Effect> {
    keys(spec)
        .into_iter()
        .flat_map(|k| update(model, Msg::Key(k)))
        .collect()
}

/// Selects subject `id` as a reviewer would: a search for its id, down to it among the
/// results, and Enter (which also switches to its list and clears a filter that hides it).
pub fn select(model: &mut Model, id: &str) -> Vec<Effect> {
    let mut fx = run_keys(model, "/");
    fx.extend(
        id.chars()
            .flat_map(|c| {
                update(
                    model,
                    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
                )
            })
            .collect::<Vec<_>>(),
    );
    for _ in 0..model.list().len() {
        if model.current_entry().is_some_and(|e| e.subject.id == id) {
            break;
        }
        fx.extend(run_keys(model, "<down>"));
    }
    assert!(
        model.current_entry().is_some_and(|e| e.subject.id == id),
        "a search for {id} finds it"
    );
    fx.extend(run_keys(model, "<enter>"));
    fx
}
