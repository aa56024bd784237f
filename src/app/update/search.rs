//! Search as you type: one pass over the precomputed folded names per keystroke; Enter keeps
//! the chosen subject (in its own list), Esc puts everything back as it was.

use super::*;

pub(super) fn start_search(model: &mut Model) {
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
pub(super) fn refilter(model: &mut Model) {
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

pub(super) fn search_key(
    model: &mut Model,
    command: Option<Command>,
    key: &KeyEvent,
    fx: &mut Vec<Effect>,
) {
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

pub(super) fn clear_search(model: &mut Model) {
    if let Mode::Search(search) = std::mem::replace(&mut model.mode, Mode::Normal) {
        model.kind = search.back_kind;
        model.list = search.back_list;
        model.list_sel = search.back_sel;
        model.list_offset = search.back_offset;
        model.crit_sel = search.back_crit;
        model.scroll();
    }
}
