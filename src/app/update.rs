//! `update`: the only place the model changes. Keys are looked up in the keymap for the scope
//! that has the keyboard; decisions become writes (effects) whose answers come back as
//! messages. Every handler here is O(criteria) except rebuilding a list (filter, kind, search),
//! which is one pass over precomputed entries, and opening the summary or the export dialog,
//! one pass over the subjects (about 45 ms in release at 32,000 subjects).

use super::key::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::keymap::{self, Command, Scope};
use super::{
    Change, ConflictReport, ConflictView, Editor, Effect, Failed, Form, InitiativesView, Kind,
    Mode, Model, Msg, Notice, Pane, Pending, Role, Row, SaveState, Saved, Search, Snapshot,
    TextInput, Write, geometry, ime::InputMethod,
};
use crate::domain::{
    Cause, InitiativeStatus, Points, Recognition, Scale, Scope as RecScope, VerdictValue,
};
use crate::domain::{Cell, Conflict, InitiativeWrite, VerdictWrite};
use crate::msg::{Key, Message};

mod answers;
mod by_criterion;
mod claims;
mod decisions;
mod description;
mod evidence;
mod export;
mod history;
mod initiatives;
mod search;
mod summary;

use answers::*;
use claims::*;
use decisions::*;
use evidence::*;
use export::*;
use history::*;
use initiatives::*;
use search::*;

/// Applies one message to the model and returns the work the driver must do.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    let data_changed = matches!(
        msg,
        Msg::Saved(_) | Msg::External(_) | Msg::Reload(_) | Msg::Assignments(_)
    );
    let typing = matches!(msg, Msg::Key(_) | Msg::Paste(_));
    match msg {
        Msg::Key(key) => {
            if key.kind != KeyEventKind::Release && !hold(model, key) {
                model.notice = None;
                on_key(model, key, &mut fx);
            }
        }
        Msg::Paste(text) => on_paste(model, &text),
        Msg::ExportProgress(p) => on_export_progress(model, p),
        Msg::ExportDone(done) => on_export_done(model, done),
        Msg::ExportFailed(error) => on_export_failed(model, error),
        Msg::History(loaded) => on_history(model, *loaded),
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
        Msg::Assignments(list) => crate::app::assignments::on_assignments(model, list),
        Msg::Share(index) => {
            model.index.share(&index);
        }
    }
    release_held(model, &mut fx);
    if data_changed {
        summary::refresh(model);
    }
    if typing {
        say_if_full(model);
    }
    // Whatever happened (a key, a resize, another reviewer's change, a reload), every
    // selection is back inside its list and on screen before the next frame is drawn.
    model.scroll();
    fx
}

/// Whether `command` must wait for the writes being saved: undo and redo (the change to undo
/// is known once saved), quitting (which waits for every write to be on disk, and says so),
/// and a change of a row whose own write is still being saved (what it does depends on the
/// value that write gives the row, as it would had the save been instant).
fn waits_for_saves(model: &Model, command: Command) -> bool {
    let subject = model.current_entry().map(|e| e.subject.id.as_str());
    let saving_subject = |criterion: Option<&str>| {
        model.pending.iter().any(|p| match &p.write {
            Write::Verdict(w) => {
                Some(w.subject.as_str()) == subject && criterion.is_none_or(|c| c == w.criterion)
            }
            Write::Initiative(_) => false,
        })
    };
    match command {
        Command::Undo | Command::Redo | Command::Quit => true,
        Command::RestMet | Command::Yes => saving_subject(None),
        c if acts_on_row(c) => match model.scope() {
            Scope::Subjects | Scope::Criteria => saving_subject(Some(
                model.current_criterion().map_or("", |c| c.id.as_str()),
            )),
            Scope::Initiatives => model
                .pending
                .iter()
                .any(|p| matches!(p.write, Write::Initiative(_))),
            _ => false,
        },
        _ => false,
    }
}

/// Keeps a key back while writes are being saved, when its meaning depends on their answers
/// (`waits_for_saves`); every key after a held one waits behind it, in order.
fn hold(model: &mut Model, key: KeyEvent) -> bool {
    if model.held.is_empty() {
        if model.pending.is_empty() {
            return false;
        }
        let command = keymap::lookup(model.scope(), &key);
        if !command.is_some_and(|c| waits_for_saves(model, c)) {
            return false;
        }
    }
    if keymap::lookup(model.scope(), &key) == Some(Command::Quit) {
        info(model, Key::QuitWhenSaved);
    }
    model.held.push_back(key);
    true
}

/// Handles the keys held back, in order, as far as none of them must still wait (a held
/// undo that writes again holds the keys after it until its own answer, but a move after a
/// released change runs at once).
fn release_held(model: &mut Model, fx: &mut Vec<Effect>) {
    if model.held.is_empty() {
        return;
    }
    while let Some(&key) = model.held.front() {
        if !model.pending.is_empty()
            && keymap::lookup(model.scope(), &key).is_some_and(|c| waits_for_saves(model, c))
        {
            break;
        }
        model.held.pop_front();
        model.notice = None;
        on_key(model, key, fx);
    }
    let quitting = model
        .held
        .iter()
        .any(|k| keymap::lookup(model.scope(), k) == Some(Command::Quit));
    if quitting {
        info(model, Key::QuitWhenSaved);
    }
}

/// Commands that change the row they act on (a criterion or an initiative).
fn acts_on_row(command: Command) -> bool {
    matches!(
        command,
        Command::Met
            | Command::NotMet
            | Command::NeedsExplanation
            | Command::Pending
            | Command::Score
            | Command::EditNote
            | Command::AcceptHint
            | Command::AcceptClaim
            | Command::Recognise
            | Command::NotRecognised
            | Command::Resubmit
            | Command::RestMet
    )
}

/// Commands that write something, in any scope (a verdict, a note, a score, a recognition,
/// an answer to a question, an undo or redo).
fn writes(command: Command) -> bool {
    acts_on_row(command)
        || matches!(
            command,
            Command::SaveNote
                | Command::CancelNote
                | Command::SaveScore
                | Command::SubmitForm
                | Command::Yes
                | Command::KeepMine
                | Command::Undo
                | Command::Redo
        )
}

/// Tells the reviewer when the field being typed in refused a key or cut a paste at its most
/// characters (`TextInput::full`, cleared here so it is said once).
fn say_if_full(model: &mut Model) {
    let input = match &mut model.mode {
        Mode::Editor(editor) => Some(&mut editor.input),
        Mode::Search(search) => Some(&mut search.query),
        Mode::Initiatives(InitiativesView {
            form: Some(form), ..
        }) => [&mut form.authority, &mut form.decision, &mut form.date]
            .into_iter()
            .find(|i| i.full),
        Mode::Export(view) => Some(&mut view.path),
        _ => None,
    };
    let max = input.filter(|i| i.full).map(|i| {
        i.full = false;
        i.max()
    });
    if let Some(max) = max {
        say(model, Key::FieldFull, &[&max.to_string()], true);
    }
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

/// A notice worded before it reached the model (a store's or an export's message).
fn notice(model: &mut Model, text: String, error: bool) {
    say(model, Key::Said, &[&text], error);
}

/// A notice that is a message (an id with its arguments).
fn tell(model: &mut Model, message: Message, error: bool) {
    model.notice = Some(Notice {
        key: message.key,
        args: message.args,
        error,
    });
}

/// A notice from the catalogue, its slots filled with `args` when the view words it.
fn say(model: &mut Model, key: Key, args: &[&str], error: bool) {
    model.notice = Some(Notice {
        key,
        args: args.iter().map(|a| a.to_string()).collect(),
        error,
    });
}

fn info(model: &mut Model, key: Key) {
    say(model, key, &[], false);
}

/// True (and says so) when the person may not change anything, or the subject is locked.
fn refused(model: &mut Model) -> bool {
    if model.role == Role::Viewer {
        say(model, Key::ViewerRefused, &[], true);
        true
    } else if let Some(name) = model
        .current_entry()
        .filter(|e| model.locked.contains(&e.subject.id))
        .map(|e| e.subject.name.clone())
    {
        say(model, Key::SubjectLocked, &[&name], true);
        true
    } else {
        false
    }
}

/// A chair locks or unlocks the current subject; anyone else is told they cannot.
fn toggle_lock(model: &mut Model, fx: &mut Vec<Effect>) {
    if model.role == Role::Viewer {
        say(model, Key::ViewerRefused, &[], true);
    } else if model.role != Role::Chair {
        say(model, Key::ChairOnly, &[], true);
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
    // The note editor's subject comes first: a lock that arrives while a reason is being
    // typed keeps the text (saving waits for the unlock), and the reviewer is told.
    let editing = match &model.mode {
        Mode::Editor(e) => model
            .index
            .entries
            .get(e.subject)
            .map(|entry| (entry.subject.id.clone(), entry.subject.name.clone())),
        _ => None,
    };
    if let Some((id, name)) = editing {
        match (model.locked.contains(&id), new.contains(&id)) {
            (false, true) => {
                say(model, Key::LockedWhileTyping, &[&name], true);
            }
            (true, false) => {
                say(model, Key::UnlockedWhileTyping, &[&name], false);
            }
            _ => {}
        }
    } else if let Some((id, name)) = current {
        match (model.locked.contains(&id), new.contains(&id)) {
            (false, true) => {
                say(model, Key::LockedNotice, &[&name], false);
            }
            (true, false) => {
                say(model, Key::UnlockedNotice, &[&name], false);
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
    if geometry::too_small(model.width, model.height) && command.is_some_and(writes) {
        // Nothing but "terminal too small" is drawn: nothing is written unseen.
        info(model, Key::NotOnScreen);
        return;
    }
    if matches!(
        scope,
        Scope::Subjects | Scope::Criteria | Scope::Initiatives | Scope::ByCriterion
    ) && command.is_some_and(acts_on_row)
    {
        // A key never acts on a row that is not drawn: bring it into view first, and refuse
        // when the screen cannot show it (a terminal below the minimum size).
        model.scroll();
        if !model.target_drawn() {
            info(model, Key::NotOnScreen);
            return;
        }
    }
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
        Scope::Summary => summary::summary_key(model, command),
        Scope::Export | Scope::ExportStatus => export_key(model, command, &key, fx),
        Scope::History => history_key(model, command),
        Scope::Confirm => confirm_key(model, command, fx),
        Scope::ByCriterion => by_criterion::key(model, command, &key, fx),
        Scope::Description => description::key(model, command),
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
        Command::Open if model.current().is_some() => {
            model.focus = Pane::Criteria;
            model.crit_sel = model.first_pending_criterion();
            model.scroll();
            cursor_effect(model, fx);
        }
        Command::Met | Command::NotMet | Command::Score if is_points(model).is_some() => {
            if let Some(c) = typed(key).filter(char::is_ascii_digit) {
                if !refused(model) {
                    model.mode = Mode::Score(c.to_string());
                }
            } else if command == Command::Met {
                let full = Points::whole(is_points(model).unwrap_or(0));
                decide_selected(model, VerdictValue::Score(full), fx);
            } else if command == Command::NotMet {
                open_editor(model, VerdictValue::Score(Points::ZERO), true);
            }
        }
        Command::Met | Command::NotMet if waiting_selected(model) => {
            let value = if command == Command::Met {
                VerdictValue::Met
            } else {
                VerdictValue::NotMet
            };
            open_explanation(model, value);
        }
        Command::Met => decide_selected(model, VerdictValue::Met, fx),
        Command::NotMet => open_editor(model, VerdictValue::NotMet, true),
        Command::NeedsExplanation => open_editor(model, VerdictValue::NeedsExplanation, true),
        Command::Pending => decide_selected(model, VerdictValue::Pending, fx),
        Command::Score => info(model, Key::NotPoints),
        Command::EditNote => {
            if let Some(i) = model.current() {
                let value = model.index.value(i, model.crit_sel);
                open_editor(model, value, false);
            }
        }
        Command::NextPending => jump_pending(model, true, fx),
        Command::PrevPending => jump_pending(model, false, fx),
        Command::Search => start_search(model),
        Command::CycleFilter => {
            model.filter = model.filter.next();
            // "Differs from the self-assessment" is offered only once some unit has one.
            if model.filter == super::Filter::Differs && !model.index.has_claims() {
                model.filter = model.filter.next();
            }
            model.rebuild_list();
            model.crit_sel = model.first_pending_criterion();
            model.scroll();
        }
        Command::ToggleKind => toggle_kind(model),
        Command::Initiatives if model.current().is_some() => {
            model.mode = Mode::Initiatives(InitiativesView {
                selected: 0,
                offset: 0,
                form: None,
            });
        }
        Command::AcceptHint => accept_hint(model, fx),
        Command::AcceptClaim => accept_claim(model, fx),
        Command::Summary => summary::open(model),
        Command::Export => open_export(model),
        Command::History => open_history(model, fx),
        Command::Describe => description::open(model),
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
        Command::RestMet => ask_rest_met(model),
        Command::ByCriterion => by_criterion::enter(model),
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
        Row::Subject(i) => Some(i) != current && model.index.entries[i].needs_work(),
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

/// Switches between the collectives and the individuals (`t`), back to the subject the other
/// list had selected when it is still listed.
fn toggle_kind(model: &mut Model) {
    let slot = |kind| match kind {
        Kind::Collectives => 0,
        Kind::Individuals => 1,
    };
    model.places[slot(model.kind)] = model.current();
    model.kind = match model.kind {
        Kind::Collectives => Kind::Individuals,
        Kind::Individuals => Kind::Collectives,
    };
    model.rebuild_list();
    // Back to the subject this list had selected, when it is still listed.
    if let Some(row) = model.places[slot(model.kind)]
        .and_then(|i| model.list.iter().position(|r| *r == Row::Subject(i)))
    {
        model.list_sel = row;
    }
    model.crit_sel = model.first_pending_criterion();
    model.crit_offset = 0;
    model.scroll();
}

fn jump_pending(model: &mut Model, forward: bool, fx: &mut Vec<Effect>) {
    // A reviewer's own assignment first, across both lists; once it is done, the rest, saying
    // so.
    // Both lists make one round: this list to its end, then the other list from its start
    // (switching as `t` does), then round.
    if let Some(row) = crate::app::assignments::next_own(model, forward, false) {
        return select_row(model, row, fx);
    }
    if let Some(i) = crate::app::assignments::own_in_other_list(model, forward) {
        toggle_kind(model);
        if let Some(row) = model.list.iter().position(|r| *r == Row::Subject(i)) {
            select_row(model, row, fx);
        }
        let key = match model.kind {
            Kind::Individuals => Key::OwnOnToIndividuals,
            Kind::Collectives => Key::OwnOnToCollectives,
        };
        return info(model, key);
    }
    if let Some(row) = crate::app::assignments::next_own(model, forward, true) {
        return select_row(model, row, fx);
    }
    match find_pending(model, forward, false) {
        Some(row) => {
            select_row(model, row, fx);
            if model.own_remaining().is_some_and(|(left, _)| left == 0) {
                info(model, Key::OwnAssignmentDone);
            }
        }
        None => info(model, Key::NoMorePending),
    }
}

/// After a verdict: the next criterion, or after the last one the next subject that still has
/// pending criteria.
fn advance(model: &mut Model, fx: &mut Vec<Effect>) {
    // Reviewing by criterion, a decision moves on to the next subject instead.
    if by_criterion::advance(model, fx) {
        return;
    }
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
