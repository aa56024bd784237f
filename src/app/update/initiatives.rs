//! The initiatives overlay (sáng kiến): marking initiatives recognised, not recognised or
//! submitted, and the recognition form (authority, decision, date defaulting to a day of the campaign's
//! period, scope). Its rules are the domain's (`domain::decision_problems`).

use super::*;

pub(super) fn selected_initiative(model: &Model) -> Option<usize> {
    let Mode::Initiatives(view) = &model.mode else {
        return None;
    };
    model.current_initiatives().get(view.selected).copied()
}

pub(super) fn set_initiative(
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

pub(super) fn initiatives_key(model: &mut Model, command: Option<Command>, fx: &mut Vec<Effect>) {
    let count = model.current_initiatives().len();
    let page = geometry::initiative_rows(model.width, model.height, false);
    let Some(command) = command else {
        return;
    };
    let Mode::Initiatives(view) = &mut model.mode else {
        return;
    };
    match command {
        Command::Down => view.selected = (view.selected + 1).min(count.saturating_sub(1)),
        Command::Up => view.selected = view.selected.saturating_sub(1),
        Command::PageDown => view.selected = (view.selected + page).min(count.saturating_sub(1)),
        Command::PageUp => view.selected = view.selected.saturating_sub(page),
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
                    decision: TextInput::new(r.map_or("", |r| r.decision.as_str()))
                        .with_max(crate::app::input::DECISION_MAX),
                    date: TextInput::new(&crate::domain::format_date(r.map_or_else(
                        || default_decision_date(model, init.submitted_on),
                        |r| r.decided_on,
                    )))
                    .with_max(crate::app::input::DATE_MAX),
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

/// The date a new recognition starts from: within the campaign's period (today while the period
/// runs, its last day once it is over), never before the initiative's submission nor after today.
pub(super) fn default_decision_date(
    model: &Model,
    submitted_on: Option<chrono::NaiveDate>,
) -> chrono::NaiveDate {
    let period = &model.campaign.period;
    let today = model.today;
    let mut date = today.min(period.end).max(period.start).min(today);
    if let Some(s) = submitted_on.filter(|s| *s > date && *s <= today) {
        date = s;
    }
    date
}

pub(super) fn cycle_scope(scope: RecScope, forward: bool) -> RecScope {
    let all = RecScope::ALL;
    let i = all.iter().position(|s| *s == scope).unwrap_or(0);
    let n = all.len();
    all[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

pub(super) fn form_key(
    model: &mut Model,
    command: Option<Command>,
    key: &KeyEvent,
    fx: &mut Vec<Effect>,
) {
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
            let Some(date) = crate::domain::parse_date(&date_text) else {
                form.error = Some(Message::new(Key::FormBadDate, [date_text]));
                form.field = 2;
                return;
            };
            let recognition = Recognition {
                authority,
                decision,
                decided_on: date,
                scope: form.scope,
            };
            let submitted_on = model
                .index
                .initiative_index(&form.initiative)
                .and_then(|at| model.index.initiatives[at].submitted_on);
            let problems = crate::domain::decision_problems(
                submitted_on,
                InitiativeStatus::Recognized,
                Some(&recognition),
                model.today,
            );
            if let Some(first) = problems.first() {
                form.field = match first.field() {
                    "authority" => 0,
                    "decision" => 1,
                    _ => 2,
                };
                // One problem at a time, at the field it is about: the form's error has two lines.
                form.error = Some(crate::msg::decision_problem(first));
                return;
            }
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
