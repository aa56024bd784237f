//! Nothing is acted on unseen: at random terminal sizes from 60×16 to 200×60, with random list
//! contents (initiatives per subject, verdicts, history lengths and notes) and random keys,
//! resizes, other reviewers' changes and reloads, the selected row of every list is drawn on
//! the screen after every message: the subject list, the search results, the criteria, the
//! initiatives, the history, the help and the subjects of review by criterion. Checked on the
//! TestBackend buffer, not on the model.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{
    Effect, HistoryLoaded, Index, Init, Mode, Model, Msg, Role, Saved, geometry, keymap, update,
};
use thidua::commands::init::Contents;
use thidua::domain::{
    AuditAction, AuditEvent, Cause, Initiative, InitiativeStatus, Lang, Verdict, VerdictValue,
    format_time,
};
use thidua::ui::Words;

fn at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2021-12-01T02:30:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

/// What varies between runs besides the keys.
#[derive(Debug, Clone)]
struct Contents2 {
    /// (subject position in the roster, number of extra initiatives, title length).
    initiatives: Vec<(usize, usize, usize)>,
    /// (subject position, criterion, value 0..4).
    verdicts: Vec<(usize, u16, u8)>,
    /// Events a history read answers with, and the length of their notes.
    history: (usize, usize),
}

fn value(v: u8) -> VerdictValue {
    match v % 4 {
        0 => VerdictValue::Met,
        1 => VerdictValue::NotMet,
        2 => VerdictValue::NeedsExplanation,
        _ => VerdictValue::Pending,
    }
}

fn verdict(value: VerdictValue, note: &str) -> Verdict {
    Verdict {
        value,
        note: note.into(),
        reviewer: "binh".into(),
        decided_at: at(),
        version: 1,
    }
}

fn build(contents: &Contents2, lang: Lang, width: u16, height: u16, reload: bool) -> Init {
    let sample = Contents::sample().expect("sample");
    let subjects: Vec<_> = sample.subjects.clone();
    let mut initiatives = sample.initiatives.clone();
    for (k, &(owner, count, len)) in contents.initiatives.iter().enumerate() {
        // A reload brings fewer initiatives: the list shrinks under the selection.
        let count = if reload { count / 3 } else { count };
        let owner = &subjects[owner % subjects.len()].id;
        for n in 0..count {
            initiatives.push(Initiative {
                id: format!("SKB{k}{n:04}"),
                title: format!("Sáng kiến số {n} {}", "rất dài ".repeat(len)),
                owner: owner.clone(),
                submitted_on: NaiveDate::from_ymd_opt(2021, 8, 1),
                status: if n % 3 == 0 {
                    InitiativeStatus::NotRecognized
                } else {
                    InitiativeStatus::Submitted
                },
                recognition: None,
                version: 1,
            });
        }
    }
    let verdicts: Vec<_> = contents
        .verdicts
        .iter()
        .map(|&(s, c, v)| {
            (
                (s % subjects.len()) as u32 + 1,
                c % 10,
                verdict(value(v), "ghi chú"),
            )
        })
        .collect();
    let numbered = subjects
        .into_iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    Init {
        index: Index::build(&sample.campaign, numbered, verdicts, initiatives),
        campaign: sample.campaign,
        reviewer: "an".into(),
        lang,
        role: Role::Reviewer,
        cursor: None,
        no_color: false,
        today: NaiveDate::from_ymd_opt(2021, 12, 1).expect("date"),
        width,
        height,
    }
}

fn history(subject: &str, criterion: &str, (count, note): (usize, usize)) -> Vec<AuditEvent> {
    (0..count)
        .map(|n| {
            let new = verdict(value(n as u8), &"lý do ".repeat(note * (n % 3)));
            AuditEvent {
                seq: n as u64 + 1,
                at: at() + Duration::minutes(n as i64 * 7),
                reviewer: "binh".into(),
                cause: Cause::Edit,
                action: AuditAction::Verdict {
                    subject: subject.into(),
                    criterion: criterion.into(),
                    old: None,
                    new,
                },
            }
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Event {
    Key(KeyCode),
    Resize(u16, u16),
    /// Another reviewer decides (subject position, criterion, value).
    Theirs(usize, u16, u8),
    Reload,
}

fn events() -> impl Strategy<Value = Event> {
    let named = prop::sample::select(vec![
        KeyCode::Esc,
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Backspace,
    ]);
    // Moves weigh most, so long lists are walked to their ends.
    let moves = prop::sample::select("jjjjkkGg]".chars().collect::<Vec<_>>());
    let others = prop::sample::select("hlync-e/[ftiHu?sxrvnaoYbb".chars().collect::<Vec<_>>());
    prop_oneof![
        8 => moves.prop_map(|c| Event::Key(KeyCode::Char(c))),
        4 => others.prop_map(|c| Event::Key(KeyCode::Char(c))),
        3 => named.prop_map(Event::Key),
        1 => (60u16..=200, 16u16..=60).prop_map(|(w, h)| Event::Resize(w, h)),
        1 => (0usize..600, 0u16..10, 0u8..4).prop_map(|(s, c, v)| Event::Theirs(s, c, v)),
        1 => Just(Event::Reload),
    ]
}

/// Answers the effects as a driver would: saves succeed, history reads bring `history`.
fn answer(model: &mut Model, fx: Vec<Effect>, contents: &Contents2) {
    let mut queue = fx;
    while let Some(effect) = queue.pop() {
        let msg = match effect {
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
            Effect::LoadHistory { subject, criterion } => {
                let events = history(&subject, &criterion, contents.history);
                Msg::History(Box::new(HistoryLoaded {
                    subject,
                    criterion,
                    events: Ok(events),
                }))
            }
            _ => continue,
        };
        queue.extend(update(model, msg));
    }
}

fn draw(model: &Model) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(model.size().0, model.size().1)).expect("terminal");
    t.draw(|f| thidua::ui::view(model, f)).expect("draw");
    t.backend().buffer().clone()
}

/// Row `y` of the buffer from column `x` on, as text.
fn text(buf: &Buffer, x: u16, y: u16) -> String {
    (x..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

/// The rows between `top` and `bottom` (exclusive) whose column `x` holds the selection
/// marker, as text from `x`.
fn marked(buf: &Buffer, x: u16, top: u16, bottom: u16) -> Vec<String> {
    (top..bottom)
        .filter(|&y| buf[(x, y)].symbol() == "▶")
        .map(|y| text(buf, x, y))
        .collect()
}

/// The first `n` characters of `s`.
fn head(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn centered(width: u16, height: u16, w: u16, h: u16) -> (u16, u16, u16, u16) {
    let (w, h) = (w.min(width), h.min(height));
    ((width - w) / 2, (height - h) / 2, w, h)
}

/// The selected row of every list on screen now is drawn, marked, with its own text.
fn check(model: &Model) -> Result<(), TestCaseError> {
    let buf = draw(model);
    let (width, height) = (model.size().0, model.size().1);
    prop_assert!(!geometry::too_small(width, height));
    let body = geometry::body_rows(height);
    let left = geometry::left_width(width);
    let covered = model.help_open() || model.conflict().is_some();
    let by_criterion = model.by_criterion().is_some();
    let panes_shown =
        !covered && !by_criterion && matches!(model.mode(), Mode::Normal | Mode::Search(_));
    if panes_shown && let Some(e) = model.current_entry() {
        // The subject list, or the search results.
        let rows = marked(&buf, 1, 1, body - 1);
        // Look-alike names keep at least their first three characters (then "…" and what
        // tells them apart), so those three are what every drawing of the row has.
        let name = head(&e.subject.name, 3);
        prop_assert!(
            rows.iter().any(|r| r.contains(&name)),
            "subject {:?} not drawn at {width}×{height}: {rows:?}",
            e.subject.name
        );
        // The criteria of the current subject.
        if let Some(c) = model.current_criterion() {
            let block =
                geometry::criteria_block(height, model.criteria_count(), model.detail_min());
            let rows = marked(&buf, left + 1, 1, block.saturating_sub(1));
            prop_assert!(
                rows.iter().any(|r| r.contains(&format!("▶ {}", c.id))),
                "criterion {} not drawn at {width}×{height}: {rows:?}",
                c.id
            );
        }
    }
    if !covered
        && by_criterion
        && matches!(model.mode(), Mode::Normal)
        && let Some(e) = model.current_entry()
    {
        // Review by criterion: the subject list between the criterion and the detail.
        let layout = geometry::by_criterion_layout(height);
        let top = layout.criterion + 1;
        let rows = marked(&buf, 1, top, top + layout.list - 2);
        // Look-alike names keep at least their first three characters (then "…" and what
        // tells them apart), so those three are what every drawing of the row has.
        let name = head(&e.subject.name, 3);
        prop_assert!(
            rows.iter().any(|r| r.contains(&name)),
            "by criterion: subject {:?} not drawn at {width}×{height}: {rows:?}",
            e.subject.name
        );
    }
    if !covered && let Mode::Initiatives(view) = model.mode() {
        let own = model.current_initiatives();
        if let Some(&at) = own.get(view.selected) {
            let id = &model.index().initiatives[at].id;
            let (bw, bh) = geometry::initiatives_box(width, height);
            let (x, y, _, h) = centered(width, height, bw, bh);
            let rows = marked(&buf, x + 1, y + 1, y + h - 1);
            prop_assert!(
                rows.iter().any(|r| r.contains(&format!("▶ {id} "))),
                "initiative {id} ({} of {}) not drawn at {width}×{height}: {rows:?}",
                view.selected,
                own.len()
            );
        } else {
            prop_assert!(
                own.is_empty(),
                "selection {} of {}",
                view.selected,
                own.len()
            );
        }
    }
    if !covered
        && let Mode::History(view) = model.mode()
        && let Some(events) = &view.events
        && let Some(e) = events.get(view.selected)
    {
        let rows = marked(&buf, 1, 1, body - 1);
        let when = format_time(e.at);
        prop_assert!(
            rows.iter().any(|r| r.contains(&when)),
            "history event {} ({when}) not drawn at {width}×{height}: {rows:?}",
            view.selected
        );
    }
    if model.help_open() && model.conflict().is_none() {
        // The help's first visible line is the one the model scrolled to.
        let scope = model.base_scope();
        let entries: Vec<_> = keymap::bindings(scope).collect();
        let (bw, bh) = geometry::help_box(width, height);
        let (x, y, _, _) = centered(width, height, bw, bh);
        let (_, per_col, _) = geometry::help_layout(width, height, entries.len());
        prop_assert!(model.help_scroll() <= model.help_scroll_max());
        let r = model.help_scroll();
        let expected = if r < per_col {
            format!(" {}", keymap::keys_label(entries[r]))
        } else if r == per_col {
            " ".repeat(4)
        } else if r == per_col + 1 {
            format!(" {}", model.tr(thidua::i18n::Key::LegendTitle))
        } else {
            format!(" {}", keymap::LEGEND[r - per_col - 2].0)
        };
        let first = text(&buf, x + 1, y + 1);
        prop_assert!(
            first.starts_with(&expected),
            "help line {r} ({expected:?}) not first at {width}×{height}: {first:?}"
        );
    }
    Ok(())
}

fn contents() -> impl Strategy<Value = Contents2> {
    (
        prop::collection::vec((0usize..600, 0usize..45, 0usize..12), 0..4),
        prop::collection::vec((0usize..600, 0u16..10, 0u8..4), 0..40),
        (0usize..30, 0usize..30),
    )
        .prop_map(|(initiatives, verdicts, history)| Contents2 {
            initiatives,
            verdicts,
            history,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_selected_row_of_every_list_is_always_drawn(
        vi in any::<bool>(),
        size in (60u16..=200, 16u16..=60),
        contents in contents(),
        // Some runs start on a subject with many initiatives, so its list is walked.
        start_on_initiatives in any::<bool>(),
        // Some start in review by criterion, on a subject further down the roster.
        start_by_criterion in prop::option::of((0usize..600, 0usize..10)),
        steps in prop::collection::vec(events(), 1..150),
    ) {
        let lang = if vi { Lang::Vi } else { Lang::En };
        let mut model = Model::new(build(&contents, lang, size.0, size.1, false));
        if start_on_initiatives && let Some(&(owner, _, _)) = contents.initiatives.first() {
            let sample = Contents::sample().expect("sample");
            let id = &sample.subjects[owner % sample.subjects.len()].id;
            if model.index().of_id(id).is_some() {
                crate::console::select(&mut model, id);
                let fx = update(&mut model, Msg::Key(KeyEvent::new(KeyCode::Char('i'), KeyModifiers::NONE)));
                answer(&mut model, fx, &contents);
            }
        }
        // Review by criterion starts from the subject list (not over the initiatives).
        if let Some((subject, criterion)) = start_by_criterion
            && !matches!(model.mode(), Mode::Initiatives(_))
        {
            let i = subject % model.index().entries.len();
            let id = model.index().entries[i].subject.id.clone();
            crate::console::select(&mut model, &id);
            let mut keys = vec![KeyCode::Enter, KeyCode::Char('g')];
            keys.extend(std::iter::repeat_n(KeyCode::Char('j'), criterion));
            keys.push(KeyCode::Char('b'));
            for code in keys {
                let fx = update(&mut model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
                answer(&mut model, fx, &contents);
            }
        }
        check(&model)?;
        for event in steps {
            let msg = match event {
                Event::Key(code) => {
                    let mods = match code {
                        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
                        _ => KeyModifiers::NONE,
                    };
                    Msg::Key(KeyEvent::new(code, mods))
                }
                Event::Resize(w, h) => Msg::Resize { width: w, height: h },
                Event::Theirs(s, c, v) => {
                    let e = &model.index().entries[s % model.index().entries.len()];
                    let Some(criterion) = e
                        .group()
                        .and_then(|g| model.campaign().groups[g].criteria.get(usize::from(c) % usize::from(e.total().max(1))))
                    else {
                        continue;
                    };
                    let mut v = verdict(value(v), "của người khác");
                    v.version = model.index().version(s % model.index().entries.len(), usize::from(c) % usize::from(e.total().max(1))) + 1;
                    Msg::External(thidua::store::Change::Verdict {
                        subject: e.subject.id.clone(),
                        criterion: criterion.id.clone(),
                        verdict: v,
                    })
                }
                Event::Reload => Msg::Reload(Box::new(build(&contents, lang, model.size().0, model.size().1, true))),
            };
            let fx = update(&mut model, msg);
            answer(&mut model, fx, &contents);
            check(&model)?;
        }
    }
}

/// Below the minimum size only "terminal too small" is drawn: no key writes anything there,
/// and the same keys work again once the terminal is large enough.
#[test]
fn nothing_is_written_on_a_terminal_too_small_to_show_it() {
    let contents = Contents2 {
        initiatives: vec![(0, 20, 1)],
        verdicts: Vec::new(),
        history: (0, 0),
    };
    let mut model = Model::new(build(&contents, Lang::En, 80, 24, false));
    let key = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let enter = Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let saves = |fx: &[Effect]| {
        fx.iter()
            .filter(|e| matches!(e, Effect::SaveVerdict(_) | Effect::SaveInitiative(_)))
            .count()
    };
    update(&mut model, enter.clone());
    update(
        &mut model,
        Msg::Resize {
            width: 50,
            height: 12,
        },
    );
    for c in ['y', 'n', 'c', '-', 'e', 'a', 'Y', 'u'] {
        let fx = update(&mut model, key(c));
        assert_eq!(saves(&fx), 0, "{c} wrote on a screen too small");
        update(
            &mut model,
            Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
        );
        update(&mut model, key('l'));
    }
    // The initiatives overlay too.
    update(&mut model, key('i'));
    for c in ['x', '-'] {
        assert_eq!(saves(&update(&mut model, key(c))), 0, "{c}");
    }
    update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    update(
        &mut model,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    check(&model).expect("drawn");
    assert_eq!(saves(&update(&mut model, key('y'))), 1, "works again");
}
