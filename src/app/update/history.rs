//! The history of the selected criterion (`H`): the overlay opens at once saying "loading",
//! asks the Session for the audit events (`Effect::LoadHistory`) and shows them when
//! `Msg::History` answers; an answer for another criterion (the overlay was closed and opened
//! elsewhere meanwhile) is ignored.

use super::*;
use crate::app::{HistoryLoaded, HistoryView};

pub(super) fn open_history(model: &mut Model, fx: &mut Vec<Effect>) {
    let (Some(e), Some(c)) = (model.current_entry(), model.current_criterion()) else {
        return;
    };
    let subject = e.subject.id.clone();
    let criterion = c.id.clone();
    fx.push(Effect::LoadHistory {
        subject: subject.clone(),
        criterion: criterion.clone(),
    });
    model.mode = Mode::History(HistoryView {
        subject,
        criterion,
        events: None,
        error: None,
        selected: 0,
    });
}

pub(super) fn on_history(model: &mut Model, loaded: HistoryLoaded) {
    let Mode::History(view) = &mut model.mode else {
        return;
    };
    if view.subject != loaded.subject || view.criterion != loaded.criterion {
        return;
    }
    match loaded.events {
        Ok(events) => view.events = Some(events),
        Err(e) => {
            view.events = Some(Vec::new());
            view.error = Some(Message::new(Key::HistoryFailed, [e]));
        }
    }
}

pub(super) fn history_key(model: &mut Model, command: Option<Command>) {
    let Mode::History(view) = &mut model.mode else {
        return;
    };
    match command {
        Some(Command::Close) => model.mode = Mode::Normal,
        Some(Command::Down) => view.selected += 1,
        Some(Command::Up) => view.selected = view.selected.saturating_sub(1),
        Some(Command::Top) => view.selected = 0,
        Some(Command::Bottom) => view.selected = usize::MAX,
        _ => {}
    }
}
