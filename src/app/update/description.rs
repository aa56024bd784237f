//! The description overlay (key d, from the criteria pane and from review by criterion): the
//! selected criterion's whole description and areas, scrolled line by line or a box at a time,
//! with the lines shown and their count in the border.

use super::*;
use crate::app::DescriptionView;

/// Opens the overlay on the criterion under review: the one of review by criterion, else the
/// selected criterion of the current subject.
pub(super) fn open(model: &mut Model) {
    let at = match &model.by_criterion {
        Some(bc) => Some((bc.group, bc.criterion)),
        None => model
            .current_entry()
            .and_then(|e| e.group())
            .filter(|&g| model.crit_sel < model.campaign.groups[g].criteria.len())
            .map(|g| (g, model.crit_sel)),
    };
    if let Some((group, criterion)) = at {
        model.mode = Mode::Description(DescriptionView {
            group,
            criterion,
            scroll: 0,
        });
    }
}

pub(super) fn key(model: &mut Model, command: Option<Command>) {
    let Mode::Description(view) = &model.mode else {
        return;
    };
    let max = model.description_scroll_max(view);
    let (_, h) = geometry::description_box(model.width, model.height);
    let page = usize::from(h.saturating_sub(3)).max(1);
    let Mode::Description(view) = &mut model.mode else {
        return;
    };
    match command {
        Some(Command::Close) => model.mode = Mode::Normal,
        Some(Command::Down) => view.scroll = (view.scroll + 1).min(max),
        Some(Command::Up) => view.scroll = view.scroll.saturating_sub(1),
        Some(Command::PageDown) => view.scroll = (view.scroll + page).min(max),
        Some(Command::PageUp) => view.scroll = view.scroll.saturating_sub(page),
        Some(Command::Top) => view.scroll = 0,
        Some(Command::Bottom) => view.scroll = max,
        _ => {}
    }
}
