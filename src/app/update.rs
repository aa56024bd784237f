//! `update`: the only place the model changes. Keys are looked up in the keymap for the scope
//! that has the keyboard; decisions become writes (effects) whose answers come back as
//! messages. Every handler here is O(criteria) except rebuilding a list (filter, kind, search),
//! which is one pass over precomputed entries.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::keymap::{self, Command, Scope};
use super::{
    Change, ConflictReport, ConflictView, Editor, Effect, Failed, Form, InitiativesView, Kind,
    Mode, Model, Msg, Notice, Pane, Pending, Role, Row, SaveState, Saved, Search, Snapshot,
    TextInput, Write, geometry, ime::InputMethod,
};
use crate::domain::{Cause, InitiativeStatus, Recognition, Scale, Scope as RecScope, VerdictValue};
use crate::i18n::Key;
use crate::store::{self, InitiativeWrite, VerdictWrite};

/// Applies one message to the model and returns the work the driver must do.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Key(key) => {
            if key.kind != KeyEventKind::Release {
                model.notice = None;
                on_key(model, key, &mut fx);
            }
        }
        Msg::Paste(text) => on_paste(model, &text),
        Msg::Resize { width, height } => {
            model.width = width;
            model.height = height;
            model.scroll();
        }
        Msg::Saved(saved) => on_saved(model, saved, &mut fx),
        Msg::SaveFailed(failed) => on_failed(model, failed),
        Msg::Conflict(report) => on_conflict(model, *report),
        Msg::External(change) => on_external(model, change),
        Msg::Reload(init) => on_reload(model, *init),
        Msg::Presence(present) => model.present = present,
        Msg::Locks(ids) => on_locks(model, ids),
        Msg::LockFailed(text) => notice(model, text, true),
    }
    fx
}

fn typed(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

fn notice(model: &mut Model, text: String, error: bool) {
    model.notice = Some(Notice { text, error });
}

fn info(model: &mut Model, key: Key) {
    let text = model.tr(key).to_string();
    notice(model, text, false);
}

/// True (and says so) when the person may not change anything, or the subject is locked.
fn refused(model: &mut Model) -> bool {
    if model.role == Role::Viewer {
        let text = model.tr(Key::ViewerRefused).to_string();
        notice(model, text, true);
        true
    } else if let Some(name) = model
        .current_entry()
        .filter(|e| model.locked.contains(&e.subject.id))
        .map(|e| e.subject.name.clone())
    {
        let text = model.fill(Key::SubjectLocked, &[&name]);
        notice(model, text, true);
        true
    } else {
        false
    }
}

/// A chair locks or unlocks the current subject; anyone else is told they cannot.
fn toggle_lock(model: &mut Model, fx: &mut Vec<Effect>) {
    if model.role == Role::Viewer {
        let text = model.tr(Key::ViewerRefused).to_string();
        notice(model, text, true);
    } else if model.role != Role::Chair {
        let text = model.tr(Key::ChairOnly).to_string();
        notice(model, text, true);
    } else if let Some(e) = model.current_entry() {
        let subject = e.subject.id.clone();
        let lock = !model.locked.contains(&subject);
        fx.push(Effect::SetLock { subject, lock });
    }
}

/// The set of locked subjects changed (here or in another session): tell the reviewer if
/// the subject in front of them changed state.
fn on_locks(model: &mut Model, ids: Vec<String>) {
    let new: std::collections::BTreeSet<String> = ids.into_iter().collect();
    let current = model
        .current_entry()
        .map(|e| (e.subject.id.clone(), e.subject.name.clone()));
    if let Some((id, name)) = current {
        match (model.locked.contains(&id), new.contains(&id)) {
            (false, true) => {
                let text = model.fill(Key::LockedNotice, &[&name]);
                notice(model, text, false);
            }
            (true, false) => {
                let text = model.fill(Key::UnlockedNotice, &[&name]);
                notice(model, text, false);
            }
            _ => {}
        }
    }
    model.locked = new;
}

fn cursor_effect(model: &Model, fx: &mut Vec<Effect>) {
    if let Some(p) = model.position() {
        fx.push(Effect::SaveCursor(p.encode()));
    }
}

fn on_key(model: &mut Model, key: KeyEvent, fx: &mut Vec<Effect>) {
    let scope = model.scope();
    let command = keymap::lookup(scope, &key);
    match scope {
        Scope::Conflict => conflict_key(model, command, fx),
        Scope::Help => help_key(model, command),
        Scope::Subjects | Scope::Criteria => {
            if let Some(c) = command {
                normal(model, c, &key, fx);
            }
        }
        Scope::Search => search_key(model, command, &key, fx),
        Scope::Editor => editor_key(model, command, &key, fx),
        Scope::Score => score_key(model, command, &key, fx),
        Scope::Initiatives => initiatives_key(model, command, fx),
        Scope::Form => form_key(model, command, &key, fx),
    }
}

// ---- normal mode ---------------------------------------------------------------------------

fn is_points(model: &Model) -> Option<u32> {
    match model.current_criterion().map(|c| c.scale) {
        Some(Scale::Points(max)) => Some(max),
        _ => None,
    }
}

fn normal(model: &mut Model, command: Command, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let page = match model.focus {
        Pane::Subjects => geometry::subject_rows(model.height),
        Pane::Criteria => {
            geometry::criteria_rows(model.height, model.criteria_count(), model.detail_min())
        }
    } as isize;
    match command {
        Command::Down => move_focused(model, 1),
        Command::Up => move_focused(model, -1),
        Command::PageDown => move_focused(model, page),
        Command::PageUp => move_focused(model, -page),
        Command::Top => move_focused(model, isize::MIN / 2),
        Command::Bottom => move_focused(model, isize::MAX / 2),
        Command::NextPane | Command::PrevPane => {
            model.focus = match model.focus {
                Pane::Subjects => Pane::Criteria,
                Pane::Criteria => Pane::Subjects,
            }
        }
        Command::FocusSubjects => model.focus = Pane::Subjects,
        Command::FocusCriteria => model.focus = Pane::Criteria,
        Command::Open => {
            if model.current().is_some() {
                model.focus = Pane::Criteria;
                model.crit_sel = model.first_pending_criterion();
                model.scroll();
                cursor_effect(model, fx);
            }
        }
        Command::Met | Command::NotMet | Command::Score if is_points(model).is_some() => {
            if let Some(c) = typed(key).filter(char::is_ascii_digit) {
                if !refused(model) {
                    model.mode = Mode::Score(c.to_string());
                }
            } else if command == Command::Met {
                decide_selected(model, VerdictValue::Met, fx);
            } else if command == Command::NotMet {
                open_editor(model, VerdictValue::NotMet, true);
            }
        }
        Command::Met => decide_selected(model, VerdictValue::Met, fx),
        Command::NotMet => open_editor(model, VerdictValue::NotMet, true),
        Command::NeedsExplanation => open_editor(model, VerdictValue::NeedsExplanation, true),
        Command::Pending => decide_selected(model, VerdictValue::Pending, fx),
        Command::Score => info(model, Key::NotPoints),
        Command::EditNote => {
            if let Some(e) = model.current_entry() {
                let value = e.value(model.crit_sel);
                open_editor(model, value, false);
            }
        }
        Command::NextPending => jump_pending(model, true, fx),
        Command::PrevPending => jump_pending(model, false, fx),
        Command::Search => start_search(model),
        Command::CycleFilter => {
            model.filter = model.filter.next();
            model.rebuild_list();
            model.crit_sel = model.first_pending_criterion();
            model.scroll();
        }
        Command::ToggleKind => {
            model.kind = match model.kind {
                Kind::Collectives => Kind::Individuals,
                Kind::Individuals => Kind::Collectives,
            };
            model.rebuild_list();
            model.crit_sel = model.first_pending_criterion();
            model.crit_offset = 0;
            model.scroll();
        }
        Command::Initiatives => {
            if model.current().is_some() {
                model.mode = Mode::Initiatives(InitiativesView {
                    selected: 0,
                    form: None,
                });
            }
        }
        Command::Undo => undo(model, fx),
        Command::Redo => redo(model, fx),
        Command::Help => {
            model.help = true;
            model.help_scroll = 0;
        }
        Command::Quit => {
            cursor_effect(model, fx);
            fx.push(Effect::Quit);
            model.quit = true;
        }
        Command::ToggleLock => toggle_lock(model, fx),
        _ => {}
    }
}

fn move_focused(model: &mut Model, delta: isize) {
    match model.focus {
        Pane::Subjects => move_list(model, delta),
        Pane::Criteria => {
            let n = model.criteria_count() as isize;
            if n > 0 {
                model.crit_sel = (model.crit_sel as isize + delta).clamp(0, n - 1) as usize;
            }
            model.scroll();
        }
    }
}

fn is_subject_row(model: &Model, row: isize) -> bool {
    row >= 0 && matches!(model.list.get(row as usize), Some(Row::Subject(_)))
}

/// Moves the list selection by `delta` rows, skipping headings.
fn move_list(model: &mut Model, delta: isize) {
    if model.list.is_empty() {
        return;
    }
    let len = model.list.len() as isize;
    let target = (model.list_sel as isize)
        .saturating_add(delta)
        .clamp(0, len - 1);
    let dir = if delta >= 0 { 1 } else { -1 };
    let mut probe = target;
    while (0..len).contains(&probe) && !is_subject_row(model, probe) {
        probe += dir;
    }
    if !(0..len).contains(&probe) {
        probe = target;
        while (0..len).contains(&probe) && !is_subject_row(model, probe) {
            probe -= dir;
        }
    }
    if (0..len).contains(&probe) && probe as usize != model.list_sel {
        model.list_sel = probe as usize;
        model.crit_sel = model.first_pending_criterion();
        model.crit_offset = 0;
    }
    model.scroll();
}

/// The list row of the next (or previous) subject with pending criteria, other than the
/// current one; with `wrap`, searching round from the other end.
fn find_pending(model: &Model, forward: bool, wrap: bool) -> Option<usize> {
    let len = model.list.len();
    let current = model.current();
    let ok = |r: usize| match model.list[r] {
        Row::Subject(i) => Some(i) != current && model.index.entries[i].has_pending(),
        _ => false,
    };
    let from = model.list_sel;
    let found = if forward {
        (from + 1..len).find(|&r| ok(r))
    } else {
        (0..from).rev().find(|&r| ok(r))
    };
    match found {
        Some(r) => Some(r),
        None if wrap => {
            if forward {
                (0..from).find(|&r| ok(r))
            } else {
                (from + 1..len).rev().find(|&r| ok(r))
            }
        }
        None => None,
    }
}

fn select_row(model: &mut Model, row: usize, fx: &mut Vec<Effect>) {
    model.list_sel = row;
    model.crit_sel = model.first_pending_criterion();
    model.crit_offset = 0;
    model.scroll();
    cursor_effect(model, fx);
}

fn jump_pending(model: &mut Model, forward: bool, fx: &mut Vec<Effect>) {
    match find_pending(model, forward, false) {
        Some(row) => select_row(model, row, fx),
        None => info(model, Key::NoMorePending),
    }
}

/// After a verdict: the next criterion, or after the last one the next subject that still has
/// pending criteria.
fn advance(model: &mut Model, fx: &mut Vec<Effect>) {
    let n = model.criteria_count();
    if model.crit_sel + 1 < n {
        model.crit_sel += 1;
        model.scroll();
        return;
    }
    match find_pending(model, true, true) {
        Some(row) => {
            select_row(model, row, fx);
            model.focus = Pane::Criteria;
        }
        None => info(model, Key::AllReviewed),
    }
}

// ---- decisions ------------------------------------------------------------------------------

fn issue(
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
    model.pending.push(Pending {
        write,
        before,
        origin,
    });
    model.save = SaveState::Saving;
}

/// Writes a verdict for subject `i`, criterion `c`; `note: None` keeps the note as it is.
/// Returns false when nothing needed writing.
fn decide(
    model: &mut Model,
    i: usize,
    c: usize,
    value: VerdictValue,
    note: Option<String>,
    fx: &mut Vec<Effect>,
) -> bool {
    let e = &model.index.entries[i];
    let Some(criterion) = model.group_of(e).and_then(|g| g.criteria.get(c)) else {
        return false;
    };
    let old = e.verdicts.get(c).cloned().flatten();
    let old_note = old.as_ref().map(|v| v.note.clone()).unwrap_or_default();
    let old_value = old.as_ref().map_or(VerdictValue::Pending, |v| v.value);
    let note = note.unwrap_or_else(|| old_note.clone());
    if value == old_value && note == old_note {
        return false;
    }
    let write = VerdictWrite {
        subject: e.subject.id.clone(),
        criterion: criterion.id.clone(),
        value,
        note,
        base_version: e.version(c),
        cause: Cause::Edit,
    };
    let before = Snapshot::Verdict {
        value: old_value,
        note: old_note,
    };
    issue(model, Write::Verdict(write), before, None, fx);
    true
}

fn decide_selected(model: &mut Model, value: VerdictValue, fx: &mut Vec<Effect>) {
    if refused(model) {
        return;
    }
    let Some(i) = model.current() else {
        return;
    };
    let c = model.crit_sel;
    decide(model, i, c, value, None, fx);
    advance(model, fx);
}

fn open_editor(model: &mut Model, value: VerdictValue, reason: bool) {
    if refused(model) {
        return;
    }
    let Some(i) = model.current() else {
        return;
    };
    let c = model.crit_sel;
    let Some(slot) = model.index.entries[i].verdicts.get(c) else {
        return;
    };
    let note = slot.as_ref().map(|v| v.note.as_str()).unwrap_or("");
    model.mode = Mode::Editor(Editor {
        subject: i,
        criterion: c,
        value,
        input: TextInput::new(note),
        reason,
    });
}

fn editor_key(model: &mut Model, command: Option<Command>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Mode::Editor(editor) = &mut model.mode else {
        return;
    };
    match command {
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
                    fx,
                );
                advance(model, fx);
            } else if let Some(note) = note {
                let value = model.index.entries[editor.subject].value(editor.criterion);
                decide(
                    model,
                    editor.subject,
                    editor.criterion,
                    value,
                    Some(note),
                    fx,
                );
            }
        }
        Some(Command::ToggleIme) => model.ime = model.ime.next(),
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

fn score_key(model: &mut Model, command: Option<Command>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Mode::Score(buffer) = &mut model.mode else {
        return;
    };
    match command {
        Some(Command::SaveScore) => {
            let text = std::mem::take(buffer);
            model.mode = Mode::Normal;
            let max = is_points(model).unwrap_or(0);
            match text.parse::<u32>() {
                Ok(n) if n <= max => decide_selected(model, VerdictValue::Score(n), fx),
                Ok(_) => {
                    let text = model.fill(Key::ScoreTooHigh, &[&max.to_string()]);
                    notice(model, text, true);
                }
                Err(_) => {}
            }
        }
        Some(Command::Close) => model.mode = Mode::Normal,
        Some(Command::DeleteBack) => {
            buffer.pop();
        }
        _ => {
            if let Some(c) = typed(key).filter(char::is_ascii_digit)
                && buffer.len() < 4
            {
                buffer.push(c);
            }
        }
    }
}

// ---- search ---------------------------------------------------------------------------------

fn start_search(model: &mut Model) {
    model.mode = Mode::Search(Search {
        query: TextInput::default(),
        back_kind: model.kind,
        back_list: model.list.clone(),
        back_sel: model.list_sel,
        back_offset: model.list_offset,
        back_crit: model.crit_sel,
    });
}

/// Recomputes the results: one pass over the precomputed folded names.
fn refilter(model: &mut Model) {
    let Mode::Search(search) = &model.mode else {
        return;
    };
    let query = crate::text::fold(&search.query.text);
    if query.is_empty() {
        model.list = search.back_list.clone();
        model.list_sel = search.back_sel;
        model.list_offset = search.back_offset;
    } else {
        let index = &model.index;
        model.list = index
            .collectives
            .iter()
            .chain(index.individuals.iter())
            .filter(|&&i| crate::text::matches_folded(&index.entries[i].folded, &query))
            .map(|&i| Row::Subject(i))
            .collect();
        model.list_sel = 0;
        model.list_offset = 0;
    }
    model.crit_sel = model.first_pending_criterion();
    model.crit_offset = 0;
    model.scroll();
}

fn search_key(model: &mut Model, command: Option<Command>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Mode::Search(search) = &mut model.mode else {
        return;
    };
    match command {
        Some(Command::Accept) => {
            let chosen = model.current();
            match chosen {
                Some(i) => {
                    model.mode = Mode::Normal;
                    model.list.clear();
                    model.select_subject(i);
                    model.crit_sel = model.first_pending_criterion();
                    model.scroll();
                    cursor_effect(model, fx);
                }
                None => clear_search(model),
            }
        }
        Some(Command::ClearSearch) => clear_search(model),
        Some(Command::Down) => move_list(model, 1),
        Some(Command::Up) => move_list(model, -1),
        Some(Command::PageDown) => move_list(model, geometry::subject_rows(model.height) as isize),
        Some(Command::PageUp) => move_list(model, -(geometry::subject_rows(model.height) as isize)),
        Some(Command::DeleteBack) => {
            search.query.backspace();
            refilter(model);
        }
        _ => {
            if let Some(c) = typed(key) {
                search.query.type_char(c, InputMethod::Off);
                refilter(model);
            }
        }
    }
}

fn clear_search(model: &mut Model) {
    if let Mode::Search(search) = std::mem::replace(&mut model.mode, Mode::Normal) {
        model.kind = search.back_kind;
        model.list = search.back_list;
        model.list_sel = search.back_sel;
        model.list_offset = search.back_offset;
        model.crit_sel = search.back_crit;
        model.scroll();
    }
}

// ---- initiatives ----------------------------------------------------------------------------

fn selected_initiative(model: &Model) -> Option<usize> {
    let Mode::Initiatives(view) = &model.mode else {
        return None;
    };
    model.current_initiatives().get(view.selected).copied()
}

fn set_initiative(
    model: &mut Model,
    at: usize,
    status: InitiativeStatus,
    recognition: Option<Recognition>,
    fx: &mut Vec<Effect>,
) {
    if refused(model) {
        return;
    }
    let init = &model.index.initiatives[at];
    if init.status == status && init.recognition == recognition {
        return;
    }
    let write = InitiativeWrite {
        id: init.id.clone(),
        status,
        recognition,
        base_version: init.version,
        cause: Cause::Edit,
    };
    let before = Snapshot::Initiative {
        status: init.status,
        recognition: init.recognition.clone(),
    };
    issue(model, Write::Initiative(write), before, None, fx);
}

fn initiatives_key(model: &mut Model, command: Option<Command>, fx: &mut Vec<Effect>) {
    let count = model.current_initiatives().len();
    let Some(command) = command else {
        return;
    };
    let Mode::Initiatives(view) = &mut model.mode else {
        return;
    };
    match command {
        Command::Down => view.selected = (view.selected + 1).min(count.saturating_sub(1)),
        Command::Up => view.selected = view.selected.saturating_sub(1),
        Command::Top => view.selected = 0,
        Command::Bottom => view.selected = count.saturating_sub(1),
        Command::Close => model.mode = Mode::Normal,
        Command::Help => {
            model.help = true;
            model.help_scroll = 0;
        }
        Command::Undo => undo(model, fx),
        Command::Redo => redo(model, fx),
        Command::Recognise => {
            if refused(model) {
                return;
            }
            if let Some(at) = selected_initiative(model) {
                let init = &model.index.initiatives[at];
                let r = init.recognition.as_ref();
                let form = Form {
                    initiative: init.id.clone(),
                    field: 0,
                    authority: TextInput::new(r.map_or("", |r| r.authority.as_str())),
                    decision: TextInput::new(r.map_or("", |r| r.decision.as_str())),
                    date: TextInput::new(&crate::domain::format_date(
                        r.map_or(model.today, |r| r.decided_on),
                    )),
                    scope: r.map_or(RecScope::CoSo, |r| r.scope),
                    error: None,
                };
                if let Mode::Initiatives(view) = &mut model.mode {
                    view.form = Some(form);
                }
            }
        }
        Command::NotRecognised | Command::Resubmit => {
            if let Some(at) = selected_initiative(model) {
                let status = if command == Command::NotRecognised {
                    InitiativeStatus::NotRecognized
                } else {
                    InitiativeStatus::Submitted
                };
                set_initiative(model, at, status, None, fx);
            }
        }
        _ => {}
    }
}

fn cycle_scope(scope: RecScope, forward: bool) -> RecScope {
    let all = RecScope::ALL;
    let i = all.iter().position(|s| *s == scope).unwrap_or(0);
    let n = all.len();
    all[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

fn form_key(model: &mut Model, command: Option<Command>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let lang = model.lang;
    let ime = model.ime;
    let Mode::Initiatives(view) = &mut model.mode else {
        return;
    };
    let Some(form) = view.form.as_mut() else {
        return;
    };
    let on_scope = form.field == 3;
    let input = match form.field {
        0 => Some(&mut form.authority),
        1 => Some(&mut form.decision),
        2 => Some(&mut form.date),
        _ => None,
    };
    match command {
        Some(Command::Close) => view.form = None,
        Some(Command::NextField) => form.field = (form.field + 1) % Form::FIELDS,
        Some(Command::PrevField) => form.field = (form.field + Form::FIELDS - 1) % Form::FIELDS,
        Some(Command::ToggleIme) => model.ime = model.ime.next(),
        Some(Command::CycleScope) | Some(Command::CursorRight) if on_scope => {
            form.scope = cycle_scope(form.scope, true)
        }
        Some(Command::CursorLeft) if on_scope => form.scope = cycle_scope(form.scope, false),
        Some(Command::CursorLeft) => {
            if let Some(i) = input {
                i.left();
            }
        }
        Some(Command::CursorRight) => {
            if let Some(i) = input {
                i.right();
            }
        }
        Some(Command::DeleteBack) => {
            if let Some(i) = input {
                i.backspace();
            }
        }
        Some(Command::SubmitForm) => {
            let authority = form.authority.value();
            let decision = form.decision.value();
            let date_text = form.date.value();
            let mut missing = Vec::new();
            if authority.is_empty() {
                missing.push(crate::i18n::tr(lang, Key::FormAuthority));
            }
            if decision.is_empty() {
                missing.push(crate::i18n::tr(lang, Key::FormDecision));
            }
            if !missing.is_empty() {
                form.error = Some(crate::i18n::fill(
                    lang,
                    Key::FormMissing,
                    &[&missing.join(", ")],
                ));
                return;
            }
            let Some(date) = crate::domain::parse_date(&date_text) else {
                form.error = Some(crate::i18n::fill(lang, Key::FormBadDate, &[&date_text]));
                form.field = 2;
                return;
            };
            let recognition = Recognition {
                authority,
                decision,
                decided_on: date,
                scope: form.scope,
            };
            let id = form.initiative.clone();
            view.form = None;
            if let Some(at) = model.index.initiative_index(&id) {
                set_initiative(
                    model,
                    at,
                    InitiativeStatus::Recognized,
                    Some(recognition),
                    fx,
                );
            }
        }
        _ => {
            if let (Some(c), Some(input)) = (typed(key), input) {
                let method = if form.field == 2 {
                    InputMethod::Off
                } else {
                    ime
                };
                input.type_char(c, method);
                form.error = None;
            } else if on_scope && typed(key) == Some(' ') {
                form.scope = cycle_scope(form.scope, true);
            }
        }
    }
}

// ---- undo and redo --------------------------------------------------------------------------

fn write_for(change: &Change, value: &Snapshot, cause: Cause) -> Write {
    match value {
        Snapshot::Verdict { value, note } => Write::Verdict(VerdictWrite {
            subject: change.target.0.clone(),
            criterion: change.target.1.clone(),
            value: *value,
            note: note.clone(),
            base_version: change.version,
            cause,
        }),
        Snapshot::Initiative {
            status,
            recognition,
        } => Write::Initiative(InitiativeWrite {
            id: change.target.0.clone(),
            status: *status,
            recognition: recognition.clone(),
            base_version: change.version,
            cause,
        }),
    }
}

/// Shows the subject and criterion an undo or redo touches.
fn reveal(model: &mut Model, change: &Change) {
    if let Snapshot::Verdict { .. } = change.before
        && let Some(i) = model.index.of_id(&change.target.0)
    {
        if matches!(model.mode, Mode::Search(_)) {
            clear_search(model);
        }
        model.select_subject(i);
        let e = &model.index.entries[i];
        if let Some(c) = model.group_of(e).and_then(|g| g.index_of(&change.target.1)) {
            model.crit_sel = c;
        }
        model.scroll();
    }
}

fn undo(model: &mut Model, fx: &mut Vec<Effect>) {
    if refused(model) {
        return;
    }
    let Some(change) = model.undo.pop() else {
        info(model, Key::NothingToUndo);
        return;
    };
    reveal(model, &change);
    let write = write_for(&change, &change.before, Cause::Undo);
    issue(model, write, change.after.clone(), Some(change), fx);
}

fn redo(model: &mut Model, fx: &mut Vec<Effect>) {
    if refused(model) {
        return;
    }
    let Some(change) = model.redo.pop() else {
        info(model, Key::NothingToRedo);
        return;
    };
    reveal(model, &change);
    let write = write_for(&change, &change.after, Cause::Redo);
    issue(model, write, change.before.clone(), Some(change), fx);
}

// ---- answers from the driver ----------------------------------------------------------------

fn take_pending(model: &mut Model, write: &Write) -> Option<Pending> {
    let at = model.pending.iter().position(|p| &p.write == write)?;
    Some(model.pending.remove(at))
}

fn describe_target(model: &Model, target: &(String, String)) -> String {
    let name = model.index.of_id(&target.0).map_or(target.0.clone(), |i| {
        model.index.entries[i].subject.name.clone()
    });
    if target.1.is_empty() {
        target.0.clone()
    } else {
        format!("{} · {}", target.1, name)
    }
}

fn record(
    model: &mut Model,
    cause: Cause,
    pending: Option<Pending>,
    target: (String, String),
    after: Snapshot,
    version: u64,
) {
    let Some(p) = pending else {
        return;
    };
    let change = Change {
        target,
        before: p.before,
        after,
        version,
    };
    // The entry now on top for the same target continues from the version just written.
    let stack = if cause == Cause::Undo {
        &mut model.undo
    } else {
        &mut model.redo
    };
    if let Some(next) = stack.iter_mut().rev().find(|c| c.target == change.target) {
        next.version = version;
    }
    match cause {
        Cause::Undo => {
            let what = describe_target(model, &change.target);
            model.redo.push(Change {
                target: change.target,
                before: change.after,
                after: change.before,
                version,
            });
            let text = model.fill(Key::Undone, &[&what]);
            notice(model, text, false);
        }
        Cause::Redo => {
            let what = describe_target(model, &change.target);
            model.undo.push(change);
            let text = model.fill(Key::Redone, &[&what]);
            notice(model, text, false);
        }
        Cause::Edit | Cause::Import => {
            model.undo.push(change);
            model.redo.clear();
        }
    }
}

fn put_verdict(
    model: &mut Model,
    subject: &str,
    criterion: &str,
    verdict: crate::domain::Verdict,
) -> bool {
    let Some(i) = model.index.of_id(subject) else {
        return false;
    };
    let Some(c) = model.index.entries[i]
        .group
        .and_then(|g| model.campaign.groups[g].index_of(criterion))
    else {
        return false;
    };
    model.index.put_verdict(&model.campaign, i, c, verdict)
}

fn on_saved(model: &mut Model, saved: Saved, fx: &mut Vec<Effect>) {
    match saved {
        Saved::Verdict { write, verdict } => {
            let pending = take_pending(model, &Write::Verdict(write.clone()));
            model.save = SaveState::Saved(verdict.decided_at);
            let after = Snapshot::Verdict {
                value: verdict.value,
                note: verdict.note.clone(),
            };
            let version = verdict.version;
            put_verdict(model, &write.subject, &write.criterion, verdict);
            record(
                model,
                write.cause,
                pending,
                (write.subject.clone(), write.criterion.clone()),
                after,
                version,
            );
            cursor_effect(model, fx);
        }
        Saved::Initiative { write, initiative } => {
            let pending = take_pending(model, &Write::Initiative(write.clone()));
            let after = Snapshot::Initiative {
                status: initiative.status,
                recognition: initiative.recognition.clone(),
            };
            let version = initiative.version;
            model.index.put_initiative(initiative);
            model.save = if model.pending.is_empty() {
                match &model.save {
                    SaveState::Saved(t) => SaveState::Saved(*t),
                    _ => SaveState::Idle,
                }
            } else {
                SaveState::Saving
            };
            record(
                model,
                write.cause,
                pending,
                (write.id.clone(), String::new()),
                after,
                version,
            );
        }
    }
    if !model.pending.is_empty() {
        model.save = SaveState::Saving;
    }
}

fn restore_origin(model: &mut Model, write: &Write, origin: Option<Change>) {
    let cause = match write {
        Write::Verdict(w) => w.cause,
        Write::Initiative(w) => w.cause,
    };
    match (cause, origin) {
        (Cause::Undo, Some(c)) => model.undo.push(c),
        (Cause::Redo, Some(c)) => model.redo.push(c),
        _ => {}
    }
}

fn on_failed(model: &mut Model, failed: Failed) {
    if let Some(p) = take_pending(model, &failed.write) {
        restore_origin(model, &failed.write, p.origin);
    }
    model.save = SaveState::Failed(failed.error);
}

fn on_conflict(model: &mut Model, report: ConflictReport) {
    let pending = take_pending(model, &report.write).unwrap_or(Pending {
        write: report.write.clone(),
        before: Snapshot::Verdict {
            value: VerdictValue::Pending,
            note: String::new(),
        },
        origin: None,
    });
    let (text, mine) = match (&report.conflict, &report.write) {
        (
            store::Conflict::Verdict {
                subject,
                criterion,
                current,
            },
            write,
        ) => {
            put_verdict(model, subject, criterion, current.clone());
            let name = model.index.of_id(subject).map_or(subject.clone(), |i| {
                model.index.entries[i].subject.name.clone()
            });
            let text = model.fill(
                Key::ConflictVerdict,
                &[
                    criterion,
                    &name,
                    &current.reviewer,
                    &crate::domain::format_time(current.decided_at),
                    &model.value_label(current.value),
                ],
            );
            let mine = match write {
                Write::Verdict(w) => model.value_label(w.value),
                Write::Initiative(w) => model.status_label(w.status).to_string(),
            };
            (text, mine)
        }
        (store::Conflict::Initiative { current }, write) => {
            model.index.put_initiative(current.clone());
            let text = model.fill(
                Key::ConflictInitiative,
                &[&current.id, "?", model.status_label(current.status)],
            );
            let mine = match write {
                Write::Initiative(w) => model.status_label(w.status).to_string(),
                Write::Verdict(w) => model.value_label(w.value),
            };
            (text, mine)
        }
    };
    model.save = if model.pending.is_empty() {
        SaveState::Idle
    } else {
        SaveState::Saving
    };
    model.conflict = Some(ConflictView {
        report,
        pending,
        text,
        mine,
    });
}

fn conflict_key(model: &mut Model, command: Option<Command>, fx: &mut Vec<Effect>) {
    match command {
        Some(Command::KeepMine) => {
            let Some(view) = model.conflict.take() else {
                return;
            };
            let (write, before) = match (&view.report.write, &view.report.conflict) {
                (Write::Verdict(w), store::Conflict::Verdict { current, .. }) => {
                    let mut w = w.clone();
                    w.base_version = current.version;
                    let before = Snapshot::Verdict {
                        value: current.value,
                        note: current.note.clone(),
                    };
                    (Write::Verdict(w), before)
                }
                (Write::Initiative(w), store::Conflict::Initiative { current }) => {
                    let mut w = w.clone();
                    w.base_version = current.version;
                    let before = Snapshot::Initiative {
                        status: current.status,
                        recognition: current.recognition.clone(),
                    };
                    (Write::Initiative(w), before)
                }
                _ => return,
            };
            if !refused(model) {
                issue(model, write, before, view.pending.origin, fx);
            }
        }
        Some(Command::TakeTheirs) => model.conflict = None,
        _ => {}
    }
}

fn help_key(model: &mut Model, command: Option<Command>) {
    match command {
        Some(Command::Close) => model.help = false,
        Some(Command::Down) => model.help_scroll += 1,
        Some(Command::Up) => model.help_scroll = model.help_scroll.saturating_sub(1),
        _ => {}
    }
}

fn on_paste(model: &mut Model, text: &str) {
    match &mut model.mode {
        Mode::Editor(editor) => editor.input.paste(text),
        Mode::Search(search) => {
            search.query.paste(&text.replace('\n', " "));
            refilter(model);
        }
        Mode::Initiatives(InitiativesView {
            form: Some(form), ..
        }) => {
            let one_line = text.replace('\n', " ");
            match form.field {
                0 => form.authority.paste(&one_line),
                1 => form.decision.paste(&one_line),
                2 => form.date.paste(&one_line),
                _ => {}
            }
        }
        Mode::Score(buffer) => {
            buffer.extend(
                text.chars()
                    .filter(char::is_ascii_digit)
                    .take(4 - buffer.len().min(4)),
            );
        }
        _ => {}
    }
}

fn on_external(model: &mut Model, change: store::Change) {
    match change {
        store::Change::Verdict {
            subject,
            criterion,
            verdict,
        } => {
            let who = verdict.reviewer.clone();
            let changed = put_verdict(model, &subject, &criterion, verdict);
            let shown = model
                .current_entry()
                .is_some_and(|e| e.subject.id == subject);
            if changed && shown && who != model.reviewer {
                let name = model
                    .current_entry()
                    .map(|e| e.subject.name.clone())
                    .unwrap_or_default();
                let text = model.fill(Key::TheyChanged, &[&who, &criterion, &name]);
                notice(model, text, false);
            }
        }
        store::Change::Initiative(initiative) => {
            model.index.put_initiative(initiative);
        }
        store::Change::Roster | store::Change::Resync => {}
    }
}

fn on_reload(model: &mut Model, init: super::Init) {
    let position = model.position();
    model.index = super::Index::build(
        &init.campaign,
        init.subjects,
        init.verdicts,
        init.initiatives,
    );
    model.campaign = init.campaign;
    if matches!(model.mode, Mode::Search(_)) {
        model.mode = Mode::Normal;
    }
    model.list.clear();
    model.rebuild_list();
    let restored = position.is_some_and(|p| model.restore(&p));
    if !restored {
        model.select_first_subject();
    }
    model.scroll();
}
