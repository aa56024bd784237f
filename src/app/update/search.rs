//! Search as you type over `Index::search` (one buffer of every folded name and id): a key that
//! only extends the query narrows the previous results, any other rescans the buffer; Enter
//! keeps the chosen subject (in its own list), Esc puts everything back as it was.

use super::*;

pub(super) fn start_search(model: &mut Model) {
    model.mode = Mode::Search(Search {
        query: TextInput::default().with_max(crate::app::input::SEARCH_MAX),
        back_kind: model.kind,
        back_list: model.list.clone(),
        back_sel: model.list_sel,
        back_offset: model.list_offset,
        back_crit: model.crit_sel,
        back_listed: model.listed.take(),
        folded: String::new(),
        hits: Vec::new(),
    });
}

/// Recomputes the results after the query was edited: nothing when its folded form is the
/// same (a space, a refused key), narrowing the previous results when it only grew. The query
/// holds at most `input::SEARCH_MAX` characters, so folding it costs little on every key.
pub(super) fn refilter(model: &mut Model) {
    let Mode::Search(search) = &mut model.mode else {
        return;
    };
    let query = crate::text::fold(&search.query.text);
    if query == search.folded {
        return;
    }
    if query.is_empty() {
        search.folded.clear();
        search.hits.clear();
        model.list = search.back_list.clone();
        model.list_sel = search.back_sel;
        model.list_offset = search.back_offset;
    } else {
        let index = &model.index;
        search.hits = if !search.folded.is_empty() && query.starts_with(search.folded.as_str()) {
            index.search.narrow(&search.hits, &query)
        } else {
            index.search.find(&query)
        };
        search.folded = query;
        model.list = search
            .hits
            .iter()
            .map(|&slot| Row::Subject(index.search.entry(slot)))
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
                    model.drop_list();
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
                // A key refused at the query's maximum changes nothing: no search.
                if !search.query.full {
                    refilter(model);
                }
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
        model.listed = search.back_listed;
        model.scroll();
    }
}
