//! The summary screen (`s`): computed from the model's index when it opens, and again when a
//! change arrives while it is open, so the numbers on screen are always the current ones.

use super::*;
use crate::app::SummaryView;

pub(super) fn open(model: &mut Model) {
    model.mode = Mode::Summary(SummaryView {
        summary: model.review_summary(),
        reviewers: model.reviewer_progress(),
    });
}

/// Recomputes an open summary after the data changed.
pub(super) fn refresh(model: &mut Model) {
    if matches!(model.mode, Mode::Summary(_)) {
        open(model);
    }
}

pub(super) fn summary_key(model: &mut Model, command: Option<Command>) {
    if command == Some(Command::Close) {
        model.mode = Mode::Normal;
    }
}
