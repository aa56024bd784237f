//! Random sessions on the pure core: sequences of every key the keymap knows, printable
//! characters (Vietnamese included), Esc, Enter, Backspace, arrows, PgUp/PgDn, Tab, Home/End,
//! Ctrl chords and resizes between 20×5 and 200×60, with the store's answers fed back as a
//! driver would (mostly saved, sometimes failed). `update` never panics, the selection stays in
//! bounds and in view, the selected subject exists, and the view draws at every size.

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{
    Effect, Failed, Index, Init, Mode, Model, Msg, Role, Saved, Write, geometry, update,
};
use thidua::domain::{Lang, Verdict, VerdictValue};

fn at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2021-12-01T02:30:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

/// The sample roster and initiatives with a few decisions, built once.
fn base(lang: Lang) -> Model {
    static VI: OnceLock<Model> = OnceLock::new();
    static EN: OnceLock<Model> = OnceLock::new();
    let cell = if lang == Lang::Vi { &VI } else { &EN };
    cell.get_or_init(|| {
        let contents = thidua::commands::init::Contents::sample().expect("sample");
        let verdict = |value| Verdict {
            value,
            note: String::new(),
            reviewer: "an".into(),
            decided_at: at(),
            version: 1,
        };
        let campaign = thidua::interchange::campaign::sample();
        let subjects = contents
            .subjects
            .into_iter()
            .enumerate()
            .map(|(i, s)| (i as u32 + 1, s))
            .collect();
        let verdicts = vec![
            (1, 0, verdict(VerdictValue::Met)),
            (1, 2, verdict(VerdictValue::NotMet)),
            (3, 1, verdict(VerdictValue::NeedsExplanation)),
        ];
        Model::new(Init {
            index: Index::build(&campaign, subjects, verdicts, contents.initiatives),
            campaign,
            reviewer: "an".into(),
            lang,
            role: Role::Reviewer,
            cursor: None,
            no_color: false,
            today: NaiveDate::from_ymd_opt(2021, 12, 1).expect("date"),
            width: 80,
            height: 24,
        })
    })
    .clone()
}

#[derive(Debug, Clone)]
enum Event {
    Key(KeyCode, KeyModifiers),
    Resize(u16, u16),
    Paste(String),
}

fn events() -> impl Strategy<Value = Event> {
    let named = prop::sample::select(vec![
        KeyCode::Esc,
        KeyCode::Enter,
        KeyCode::Backspace,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::F(2),
    ]);
    // Every character the keymap binds, plus letters, digits and Vietnamese.
    let bound = prop::sample::select(
        "jkgGhlync-e0123456789]/[ftiuq?rx ksdwaoz"
            .chars()
            .collect::<Vec<_>>(),
    );
    let printable = prop::sample::select(
        "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệ"
            .chars()
            .collect::<Vec<_>>(),
    );
    prop_oneof![
        6 => bound.prop_map(|c| Event::Key(KeyCode::Char(c), KeyModifiers::NONE)),
        2 => printable.prop_map(|c| Event::Key(KeyCode::Char(c), KeyModifiers::NONE)),
        3 => named.prop_map(|k| Event::Key(k, KeyModifiers::NONE)),
        1 => prop::sample::select(vec!['r', 't'])
            .prop_map(|c| Event::Key(KeyCode::Char(c), KeyModifiers::CONTROL)),
        1 => (20u16..=200, 5u16..=60).prop_map(|(w, h)| Event::Resize(w, h)),
        1 => "[a-zđ ]{0,12}".prop_map(Event::Paste),
    ]
}

/// Performs the effects as the driver would: every save answered (saved, or failed when
/// `fail` says so); cursor saves, exports, history reads and locks left unanswered.
fn answer(model: &mut Model, fx: Vec<Effect>, fail: bool) {
    let mut queue = fx;
    while let Some(effect) = queue.pop() {
        let msg = match effect {
            Effect::SaveVerdict(w) if fail => Msg::SaveFailed(Failed {
                write: Write::Verdict(w),
                error: "disk full".into(),
            }),
            Effect::SaveVerdict(w) => {
                let verdict = Verdict {
                    value: w.value,
                    note: w.note.clone(),
                    reviewer: "an".into(),
                    decided_at: at(),
                    version: w.base_version + 1,
                };
                Msg::Saved(Saved::Verdict { write: w, verdict })
            }
            Effect::SaveInitiative(w) => {
                let Some(mut initiative) = model
                    .index()
                    .initiatives
                    .iter()
                    .find(|i| i.id == w.id)
                    .cloned()
                else {
                    continue;
                };
                initiative.status = w.status;
                initiative.recognition = w.recognition.clone();
                initiative.version = w.base_version + 1;
                Msg::Saved(Saved::Initiative {
                    write: w,
                    initiative,
                    at: at(),
                })
            }
            // Exports, history reads and locks answer asynchronously in a session; leaving
            // them unanswered is a state the model must also survive.
            Effect::SaveCursor(_)
            | Effect::Quit
            | Effect::Export(_)
            | Effect::LoadHistory { .. }
            | Effect::SetLock { .. } => continue,
        };
        queue.extend(update(model, msg));
    }
}

fn check(model: &Model) -> Result<(), TestCaseError> {
    let len = model.list().len();
    if len == 0 {
        prop_assert_eq!(model.selected_row(), 0);
    } else {
        prop_assert!(
            model.selected_row() < len,
            "selection {} of {len}",
            model.selected_row()
        );
        if !geometry::too_small(model.size().0, model.size().1)
            && !matches!(model.mode(), Mode::Initiatives(_))
        {
            let rows = geometry::subject_rows(model.size().1);
            prop_assert!(
                model.selected_row() >= model.list_offset()
                    && model.selected_row() < model.list_offset() + rows,
                "row {} outside the window {}+{rows}",
                model.selected_row(),
                model.list_offset()
            );
        }
    }
    if let Some(i) = model.current() {
        prop_assert!(i < model.index().entries.len());
        let n = model.criteria_count();
        prop_assert!(
            n == 0 || model.selected_criterion() < n,
            "criterion {} of {n}",
            model.selected_criterion()
        );
    }
    let mut t = Terminal::new(TestBackend::new(model.size().0, model.size().1)).expect("terminal");
    t.draw(|f| thidua::ui::view(model, f)).expect("draw");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_sessions_keep_the_model_sound(
        vi in any::<bool>(),
        steps in prop::collection::vec((events(), 0u8..10), 1..120),
    ) {
        let mut model = base(if vi { Lang::Vi } else { Lang::En });
        for (event, roll) in steps {
            let msg = match event {
                Event::Key(code, mods) => Msg::Key(KeyEvent::new(code, mods)),
                Event::Resize(width, height) => Msg::Resize { width, height },
                Event::Paste(text) => Msg::Paste(text),
            };
            let fx = update(&mut model, msg);
            answer(&mut model, fx, roll == 0);
            check(&model)?;
            if model.has_quit() {
                break;
            }
        }
    }
}
