//! Undo and redo of the reviewer's own saved changes, the driver's answers to writes
//! (saved, failed, conflict), changes from other sessions, reloads, and the keys of the help
//! and conflict overlays.

use super::*;

// ---- undo and redo --------------------------------------------------------------------------

pub(super) fn write_for(model: &Model, change: &Change, value: &Snapshot, cause: Cause) -> Write {
    match value {
        Snapshot::Verdict { value, note } => Write::Verdict(VerdictWrite {
            subject: change.target.0.clone(),
            criterion: change.target.1.clone(),
            value: *value,
            note: note.clone(),
            base_version: change.version,
            cause,
            cell: cell_of(model, &change.target.0, &change.target.1),
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

/// Where the console's index keeps a subject's criterion, for a write to carry.
fn cell_of(model: &Model, subject: &str, criterion: &str) -> Option<Cell> {
    let e = &model.index.entries[model.index.of_id(subject)?];
    let c = model.group_of(e)?.index_of(criterion)?;
    Some(Cell {
        subject_no: e.no,
        criterion: u16::try_from(c).ok()?,
    })
}

/// Shows the subject and criterion an undo or redo touches.
pub(super) fn reveal(model: &mut Model, change: &Change) {
    if super::by_criterion::reveal(model, change) {
        return;
    }
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

pub(super) fn undo(model: &mut Model, fx: &mut Vec<Effect>) {
    if refused(model) {
        return;
    }
    let Some(change) = model.undo.pop() else {
        info(model, Key::NothingToUndo);
        return;
    };
    reveal(model, &change);
    // The changes one key made (`Y`) are undone together.
    let mut changes = vec![change];
    while let Some(b) = changes[0].batch
        && model.undo.last().is_some_and(|c| c.batch == Some(b))
    {
        changes.extend(model.undo.pop());
    }
    for change in changes {
        let write = write_for(model, &change, &change.before, Cause::Undo);
        issue(model, write, change.after.clone(), Some(change), fx);
    }
}

pub(super) fn redo(model: &mut Model, fx: &mut Vec<Effect>) {
    if refused(model) {
        return;
    }
    let Some(change) = model.redo.pop() else {
        info(model, Key::NothingToRedo);
        return;
    };
    reveal(model, &change);
    let mut changes = vec![change];
    while let Some(b) = changes[0].batch
        && model.redo.last().is_some_and(|c| c.batch == Some(b))
    {
        changes.extend(model.redo.pop());
    }
    for change in changes {
        let write = write_for(model, &change, &change.after, Cause::Redo);
        issue(model, write, change.before.clone(), Some(change), fx);
    }
}

// ---- answers from the driver ----------------------------------------------------------------

pub(super) fn take_pending(model: &mut Model, write: &Write) -> Option<Pending> {
    let at = model.pending.iter().position(|p| &p.write == write)?;
    Some(model.pending.remove(at))
}

pub(super) fn describe_target(model: &Model, target: &(String, String)) -> String {
    let name = model.index.of_id(&target.0).map_or(target.0.clone(), |i| {
        model.index.entries[i].subject.name.clone()
    });
    if target.1.is_empty() {
        target.0.clone()
    } else {
        format!("{} · {}", target.1, name)
    }
}

pub(super) fn record(
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
        batch: p.batch,
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
                batch: change.batch,
            });
            say(model, Key::Undone, &[&what], false);
        }
        Cause::Redo => {
            let what = describe_target(model, &change.target);
            model.undo.push(change);
            say(model, Key::Redone, &[&what], false);
        }
        Cause::Edit | Cause::Import => {
            model.undo.push(change);
            model.redo.clear();
        }
    }
}

pub(super) fn put_verdict(
    model: &mut Model,
    subject: &str,
    criterion: &str,
    verdict: crate::domain::Verdict,
) -> bool {
    let Some(i) = model.index.of_id(subject) else {
        return false;
    };
    let Some(c) = model.index.entries[i]
        .group()
        .and_then(|g| model.campaign.groups[g].index_of(criterion))
    else {
        return false;
    };
    let before = model.index.value(i, c);
    let changed = model.index.put_verdict(&model.campaign, i, c, &verdict);
    super::by_criterion::recount(model, i, c, before, model.index.value(i, c));
    changed
}

pub(super) fn on_saved(model: &mut Model, saved: Saved, fx: &mut Vec<Effect>) {
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
        Saved::Initiative {
            write,
            initiative,
            at,
        } => {
            let pending = take_pending(model, &Write::Initiative(write.clone()));
            let after = Snapshot::Initiative {
                status: initiative.status,
                recognition: initiative.recognition.clone(),
            };
            let version = initiative.version;
            model.index.put_initiative(initiative);
            model.save = SaveState::Saved(at);
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

pub(super) fn restore_origin(model: &mut Model, write: &Write, origin: Option<Change>) {
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

pub(super) fn on_failed(model: &mut Model, failed: Failed) {
    if let Some(p) = take_pending(model, &failed.write) {
        restore_origin(model, &failed.write, p.origin);
    }
    model.save = SaveState::Failed(failed.error);
}

pub(super) fn on_conflict(model: &mut Model, report: ConflictReport) {
    let pending = take_pending(model, &report.write).unwrap_or(Pending {
        write: report.write.clone(),
        before: Snapshot::Verdict {
            value: VerdictValue::Pending,
            note: String::new(),
        },
        origin: None,
        batch: None,
    });
    let (text, mine) = match (&report.conflict, &report.write) {
        (
            Conflict::Verdict {
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
            let text = Message::new(
                Key::ConflictVerdict,
                [
                    criterion.clone(),
                    name,
                    current.reviewer.clone(),
                    crate::domain::format_time(current.decided_at),
                    model.value_label(current.value),
                ],
            );
            let mine = match write {
                Write::Verdict(w) => model.value_label(w.value),
                Write::Initiative(w) => model.status_label(w.status).to_string(),
            };
            (text, mine)
        }
        (Conflict::Initiative { current }, write) => {
            model.index.put_initiative(current.clone());
            let text = Message::new(
                Key::ConflictInitiative,
                [
                    current.id.clone(),
                    model.status_label(current.status).to_string(),
                ],
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
    let lost_note = match (&report.conflict, &report.write) {
        (Conflict::Verdict { current, .. }, Write::Verdict(w))
            if !current.note.trim().is_empty() && current.note != w.note =>
        {
            Some((current.reviewer.clone(), current.note.clone()))
        }
        _ => None,
    };
    model.conflict = Some(ConflictView {
        report,
        pending,
        text,
        mine,
        lost_note,
    });
}

pub(super) fn conflict_key(model: &mut Model, command: Option<Command>, fx: &mut Vec<Effect>) {
    match command {
        Some(Command::KeepMine) => {
            let Some(view) = model.conflict.take() else {
                return;
            };
            let (write, before) = match (&view.report.write, &view.report.conflict) {
                (Write::Verdict(w), Conflict::Verdict { current, .. }) => {
                    let mut w = w.clone();
                    w.base_version = current.version;
                    let before = Snapshot::Verdict {
                        value: current.value,
                        note: current.note.clone(),
                    };
                    (Write::Verdict(w), before)
                }
                (Write::Initiative(w), Conflict::Initiative { current }) => {
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

pub(super) fn help_key(model: &mut Model, command: Option<Command>) {
    match command {
        Some(Command::Close) => model.help = false,
        Some(Command::Down) => model.help_scroll += 1,
        Some(Command::Up) => model.help_scroll = model.help_scroll.saturating_sub(1),
        _ => {}
    }
}

pub(super) fn on_paste(model: &mut Model, text: &str) {
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
        Mode::Export(view) if view.field == 1 && view.stage == crate::app::ExportStage::Form => {
            view.path.paste(&text.replace('\n', " "));
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

pub(super) fn on_external(model: &mut Model, change: crate::domain::Change) {
    match change {
        crate::domain::Change::Verdict {
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
                say(model, Key::TheyChanged, &[&who, &criterion, &name], false);
            }
        }
        crate::domain::Change::Initiative(initiative) => {
            model.index.put_initiative(initiative);
        }
        crate::domain::Change::Roster
        | crate::domain::Change::Resync
        | crate::domain::Change::Assignments => {}
    }
}

pub(super) fn on_reload(model: &mut Model, init: crate::app::Init) {
    let reviewing = super::by_criterion::suspend(model);
    let position = model.position();
    model.index = init.index;
    model.campaign = init.campaign;
    if matches!(model.mode, Mode::Search(_)) {
        model.mode = Mode::Normal;
    }
    model.drop_list();
    model.stash = None;
    model.places = [None; 2];
    model.rebuild_list();
    let restored = position.is_some_and(|p| model.restore(&p));
    if !restored {
        model.select_first_subject();
    }
    super::by_criterion::resume(model, reviewing);
    model.scroll();
}
