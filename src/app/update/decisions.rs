//! Decisions: a verdict, a score, a reason or an explanation for the selected criterion, and
//! `Y` for every pending criterion of a subject. Each becomes a write the driver commits; the
//! model shows it as being saved until the answer comes back.

use super::*;

pub(super) fn issue(
    model: &mut Model,
    write: Write,
    before: Snapshot,
    origin: Option<Change>,
    fx: &mut Vec<Effect>,
) {
    fx.push(match &write {
        Write::Verdict(w) => Effect::SaveVerdict(w.clone()),
        Write::Initiative(w) => Effect::SaveInitiative(w.clone()),
    });
    // Made on top of a write of the same cell still being saved: that write's value is what
    // this one replaces (and what undoing it brings back).
    let before = model.pending_value(&write).unwrap_or(before);
    let batch = origin.as_ref().and_then(|c| c.batch);
    model.pending.push(Pending {
        write,
        before,
        origin,
        batch,
    });
    model.save = SaveState::Saving;
}

/// Writes a verdict for subject `i`, criterion `c`; `note: None` keeps the note as it is.
/// `base: None` bases the write on the version on screen now. Returns false when nothing
/// needed writing.
pub(super) fn decide(
    model: &mut Model,
    i: usize,
    c: usize,
    value: VerdictValue,
    note: Option<String>,
    base: Option<u64>,
    fx: &mut Vec<Effect>,
) -> bool {
    let e = &model.index.entries[i];
    let Some(criterion) = model.group_of(e).and_then(|g| g.criteria.get(c)) else {
        return false;
    };
    let old = model.index.verdict(i, c);
    let mut old_note = old.map(|v| v.note.to_string()).unwrap_or_default();
    let mut old_value = old.map_or(VerdictValue::Pending, |v| v.value);
    // A write of this cell still being saved is what the reviewer sees as its value.
    let saving = model.pending.iter().rev().find_map(|p| match &p.write {
        Write::Verdict(w) if w.subject == e.subject.id && w.criterion == criterion.id => {
            Some((w.value, w.note.clone()))
        }
        _ => None,
    });
    if let Some((value, note)) = saving {
        (old_value, old_note) = (value, note);
    }
    let note = note.unwrap_or_else(|| old_note.clone());
    if value == old_value && note == old_note {
        return false;
    }
    let write = VerdictWrite {
        subject: e.subject.id.clone(),
        criterion: criterion.id.clone(),
        value,
        note,
        base_version: base.unwrap_or_else(|| model.index.version(i, c)),
        cause: Cause::Edit,
        cell: u16::try_from(c).ok().map(|criterion| Cell {
            subject_no: e.no,
            criterion,
        }),
    };
    let before = Snapshot::Verdict {
        value: old_value,
        note: old_note,
    };
    issue(model, Write::Verdict(write), before, None, fx);
    true
}

pub(super) fn decide_selected(model: &mut Model, value: VerdictValue, fx: &mut Vec<Effect>) {
    if refused(model) {
        return;
    }
    let Some(i) = model.current() else {
        return;
    };
    let c = model.crit_sel;
    decide(model, i, c, value, None, None, fx);
    advance(model, fx);
}

/// `Y`: asks whether to mark every pending criterion of the current subject Đạt, a points
/// criterion getting its full points (as `y` gives them). Criteria that already have a
/// verdict (any verdict) are never touched.
pub(super) fn ask_rest_met(model: &mut Model) {
    if refused(model) {
        return;
    }
    let Some(i) = model.current() else {
        return;
    };
    let e = &model.index.entries[i];
    let name = e.subject.name.clone();
    let id = e.subject.id.clone();
    let criteria: Vec<usize> = match model.group_of(e) {
        Some(g) => g
            .criteria
            .iter()
            .enumerate()
            .filter(|(c, criterion)| {
                model.index.value(i, *c) == VerdictValue::Pending
                    && !model.is_saving(&id, &criterion.id)
            })
            .map(|(c, _)| c)
            .collect(),
        None => Vec::new(),
    };
    if criteria.is_empty() {
        say(model, Key::RestMetNone, &[&name], false);
        return;
    }
    let points = criteria
        .iter()
        .filter(|&&c| full_points(model, i, c).is_some())
        .count();
    let met = criteria.len() - points;
    let text = match (met, points) {
        (_, 0) => Message::new(Key::RestMetAsk, [met.to_string(), name]),
        (0, _) => Message::new(Key::RestFullAsk, [points.to_string(), name]),
        _ => Message::new(
            Key::RestBothAsk,
            [met.to_string(), points.to_string(), name],
        ),
    };
    model.confirm = Some(crate::app::Confirm {
        subject: i,
        criteria,
        text,
    });
}

/// The full points of criterion `c` of subject `i`, when it is scored in points.
pub(super) fn full_points(model: &Model, i: usize, c: usize) -> Option<Points> {
    let e = &model.index.entries[i];
    match model.group_of(e)?.criteria.get(c)?.scale {
        Scale::Points(max) => Some(Points::whole(max)),
        Scale::PassFail => None,
    }
}

/// The answer to the `Y` question: y writes Đạt (full points on a points criterion) on each
/// listed criterion (one audit event each, one undo step for all), then moves on to the next
/// subject with pending criteria.
pub(super) fn confirm_key(model: &mut Model, command: Option<Command>, fx: &mut Vec<Effect>) {
    let Some(confirm) = model.confirm.take() else {
        return;
    };
    if command != Some(Command::Yes) {
        info(model, Key::RestMetCancelled);
        return;
    }
    if refused(model) {
        return;
    }
    model.batches += 1;
    let batch = model.batches;
    let (mut marked, mut full) = (0, 0);
    for &c in &confirm.criteria {
        // Decided meanwhile (by someone else): left as it is.
        if model.index.value(confirm.subject, c) != VerdictValue::Pending {
            continue;
        }
        let points = full_points(model, confirm.subject, c);
        let value = points.map_or(VerdictValue::Met, VerdictValue::Score);
        if decide(model, confirm.subject, c, value, None, None, fx) {
            if let Some(p) = model.pending.last_mut() {
                p.batch = Some(batch);
            }
            marked += 1;
            full += usize::from(points.is_some());
        }
    }
    let name = model.index.entries[confirm.subject].subject.name.clone();
    let text = if full == 0 {
        Message::new(Key::RestMetDone, [marked.to_string(), name])
    } else {
        Message::new(
            Key::RestFullDone,
            [marked.to_string(), name, full.to_string()],
        )
    };
    if model.current() == Some(confirm.subject)
        && let Some(row) = find_pending(model, true, true)
    {
        let focus = model.focus;
        select_row(model, row, fx);
        model.focus = focus;
    }
    tell(model, text, false);
}

pub(super) fn open_editor(model: &mut Model, value: VerdictValue, reason: bool) {
    if refused(model) {
        return;
    }
    let Some(i) = model.current() else {
        return;
    };
    let c = model.crit_sel;
    if c >= model.criteria_count() {
        return;
    }
    let note = model.index.verdict(i, c).map_or("", |v| v.note);
    let base_version = model.index.version(i, c);
    model.mode = Mode::Editor(Editor {
        subject: i,
        criterion: c,
        value,
        input: TextInput::new(note).with_max(crate::app::input::NOTE_MAX),
        reason,
        base_version,
        explain: false,
    });
}

/// y or n on a criterion waiting for an explanation: an editor for the explanation received,
/// whose Enter records it (a first write, the verdict still Cần giải trình) and then resolves
/// the criterion (a second write), so the history keeps both steps.
pub(super) fn open_explanation(model: &mut Model, value: VerdictValue) {
    if refused(model) {
        return;
    }
    let Some(i) = model.current() else {
        return;
    };
    let c = model.crit_sel;
    if c >= model.criteria_count() {
        return;
    }
    let base_version = model.index.version(i, c);
    model.mode = Mode::Editor(Editor {
        subject: i,
        criterion: c,
        value,
        input: TextInput::new(""),
        reason: false,
        base_version,
        explain: true,
    });
}

/// Whether the selected criterion waits for an explanation (y and n then close it).
pub(super) fn waiting_selected(model: &Model) -> bool {
    model
        .current()
        .is_some_and(|i| model.index.value(i, model.crit_sel) == VerdictValue::NeedsExplanation)
}

/// Records the explanation received (when one was typed) and resolves the criterion.
pub(super) fn close_explanation(model: &mut Model, editor: Editor, fx: &mut Vec<Effect>) {
    let (i, c) = (editor.subject, editor.criterion);
    let text = editor.input.value();
    let mut base = editor.base_version;
    if !text.trim().is_empty() {
        let old = model.index.verdict(i, c).map(|v| v.note.to_string());
        let received = crate::domain::review::labels::explanation_received(text.trim(), model.lang);
        let note = match old {
            Some(old) if !old.trim().is_empty() => format!("{old}\n{received}"),
            _ => received,
        };
        if decide(
            model,
            i,
            c,
            VerdictValue::NeedsExplanation,
            Some(note.clone()),
            Some(base),
            fx,
        ) {
            base += 1;
            if decide(
                model,
                i,
                c,
                editor.value,
                Some(note.clone()),
                Some(base),
                fx,
            ) && let Some(p) = model.pending.last_mut()
            {
                // Undo of the resolution goes back to the explanation just recorded.
                p.before = Snapshot::Verdict {
                    value: VerdictValue::NeedsExplanation,
                    note,
                };
            }
            advance(model, fx);
            return;
        }
    }
    decide(model, i, c, editor.value, None, Some(base), fx);
    advance(model, fx);
}

pub(super) fn editor_key(
    model: &mut Model,
    command: Option<Command>,
    key: &KeyEvent,
    fx: &mut Vec<Effect>,
) {
    if command == Some(Command::SaveNote) && editor_locked(model) {
        // Saving would be refused: keep the editor and its text open until the subject is
        // unlocked, rather than throwing the reviewer's words away.
        if let Mode::Editor(e) = &model.mode {
            let name = model.index.entries[e.subject].subject.name.clone();
            say(model, Key::LockedWhileTyping, &[&name], true);
        }
        return;
    }
    let Mode::Editor(editor) = &mut model.mode else {
        return;
    };
    match command {
        Some(Command::SaveNote) | Some(Command::CancelNote) if editor.explain => {
            let editor = editor.clone();
            model.mode = Mode::Normal;
            if command == Some(Command::SaveNote) {
                close_explanation(model, editor, fx);
            }
        }
        Some(Command::SaveNote) | Some(Command::CancelNote) => {
            let editor = editor.clone();
            model.mode = Mode::Normal;
            let note = (command == Some(Command::SaveNote)).then(|| editor.input.value());
            if editor.reason {
                decide(
                    model,
                    editor.subject,
                    editor.criterion,
                    editor.value,
                    note,
                    Some(editor.base_version),
                    fx,
                );
                advance(model, fx);
            } else if let Some(note) = note {
                let value = model.index.value(editor.subject, editor.criterion);
                decide(
                    model,
                    editor.subject,
                    editor.criterion,
                    value,
                    Some(note),
                    Some(editor.base_version),
                    fx,
                );
            }
        }
        Some(Command::ToggleIme) => {
            // Kept with the reviewer's position: the choice holds in their next session.
            model.ime = model.ime.next();
            cursor_effect(model, fx);
        }
        Some(Command::NewLine) => editor.input.paste("\n"),
        Some(Command::DeleteBack) => editor.input.backspace(),
        Some(Command::CursorLeft) => editor.input.left(),
        Some(Command::CursorRight) => editor.input.right(),
        Some(Command::Top) => editor.input.home(),
        Some(Command::Bottom) => editor.input.end(),
        _ if key.code == KeyCode::Delete => editor.input.delete(),
        _ => {
            if let Some(c) = typed(key) {
                editor.input.type_char(c, model.ime);
            }
        }
    }
}

/// True when the note editor is open on a subject that is locked now.
pub(super) fn editor_locked(model: &Model) -> bool {
    match &model.mode {
        Mode::Editor(e) => model
            .index
            .entries
            .get(e.subject)
            .is_some_and(|entry| model.locked.contains(&entry.subject.id)),
        _ => false,
    }
}

pub(super) fn score_key(
    model: &mut Model,
    command: Option<Command>,
    key: &KeyEvent,
    fx: &mut Vec<Effect>,
) {
    let Mode::Score(buffer) = &mut model.mode else {
        return;
    };
    match command {
        Some(Command::SaveScore) => {
            let text = std::mem::take(buffer);
            model.mode = Mode::Normal;
            let Some(criterion) = model.current_criterion() else {
                return;
            };
            if text.is_empty() {
                return;
            }
            let lang = model.lang;
            let refusal = match Points::parse(&text) {
                None => Some(Message::new(Key::ScoreNotNumber, [text.clone()])),
                Some(n) => criterion.refuses_score(n).map(|(max, step)| match step {
                    Some(step) => Message::new(
                        Key::ScoreOffStep,
                        [n.show(lang), max.show(lang), step.show(lang)],
                    ),
                    None => Message::new(Key::ScoreOutOfRange, [n.show(lang), max.show(lang)]),
                }),
            };
            match (refusal, Points::parse(&text)) {
                (None, Some(n)) => decide_selected(model, VerdictValue::Score(n), fx),
                (Some(message), _) => tell(model, message, true),
                (None, None) => {}
            }
        }
        Some(Command::Close) => model.mode = Mode::Normal,
        Some(Command::DeleteBack) => {
            buffer.pop();
        }
        _ => {
            if let Some(c) = typed(key).filter(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
                && buffer.len() < 7
            {
                buffer.push(c);
            }
        }
    }
}
