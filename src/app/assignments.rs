//! What the console knows of the assignments (phân công): every subject's reviewer, as the
//! session read them from the store (`Msg::Assignments`, again after each change). A
//! reviewer's `]` walks their own assigned subjects that still need work first, across both
//! lists (switching to the other list as `t` does once none is left in the one shown; then
//! the rest, saying so), the status line shows how many of theirs are left, and the summary shows
//! each reviewer's progress.

use std::collections::HashMap;

use super::{Kind, Model, Row};
use crate::domain::assignment::{ReviewerProgress, progress};
use crate::domain::review::Row as _;

/// Every assignment, by subject id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assignments {
    by_subject: HashMap<String, String>,
    /// The subject ids assigned to this console's reviewer.
    mine: Vec<String>,
}

impl Assignments {
    /// The assignments `list` gives (subject id, reviewer), seen by `reviewer`.
    pub fn new(list: Vec<(String, String)>, reviewer: &str) -> Assignments {
        let mine = list
            .iter()
            .filter(|(_, r)| r == reviewer)
            .map(|(id, _)| id.clone())
            .collect();
        Assignments {
            by_subject: list.into_iter().collect(),
            mine,
        }
    }

    /// The reviewer of subject `id`, if it is assigned.
    pub fn of(&self, id: &str) -> Option<&str> {
        self.by_subject.get(id).map(String::as_str)
    }

    /// Whether this console's reviewer has an assignment.
    pub fn has_mine(&self) -> bool {
        !self.mine.is_empty()
    }
}

impl Model {
    /// This reviewer's own assignment: (subjects still needing work, subjects assigned), or
    /// `None` without one.
    pub fn own_remaining(&self) -> Option<(usize, usize)> {
        if !self.assignments.has_mine() {
            return None;
        }
        let mine = &self.assignments.mine;
        let left = mine
            .iter()
            .filter_map(|id| self.index.of_id(id))
            .filter(|&i| self.index.entries[i].needs_work())
            .count();
        Some((left, mine.len()))
    }

    /// Each reviewer's progress (decided today in Vietnam time, decided in all, left in their
    /// assignment, waiting for an explanation), one pass over the index.
    pub fn reviewer_progress(&self) -> Vec<ReviewerProgress> {
        let index = &self.index;
        progress(
            (0..index.entries.len()).map(|i| index.row(i)),
            self.today,
            |r| self.assignments.of(&r.subject().id).map(str::to_string),
            |r| {
                index
                    .of_id(&r.subject().id)
                    .is_some_and(|i| index.entries[i].needs_work())
            },
        )
    }
}

/// The session's reading of the assignments.
pub(crate) fn on_assignments(model: &mut Model, list: Vec<(String, String)>) {
    model.assignments = Assignments::new(list, &model.reviewer);
}

/// The list row of the next (or previous) subject of this reviewer's own assignment that
/// still needs work, other than the one selected; with `wrap`, going round the list. `None`
/// when there is none in the list shown (that way, without `wrap`).
pub(crate) fn next_own(model: &Model, forward: bool, wrap: bool) -> Option<usize> {
    if !model.assignments.has_mine() {
        return None;
    }
    let len = model.list.len();
    let current = model.current();
    let ok = |r: usize| match model.list[r] {
        Row::Subject(i) => {
            let e = &model.index.entries[i];
            Some(i) != current
                && e.needs_work()
                && model.assignments.of(&e.subject.id) == Some(model.reviewer.as_str())
        }
        _ => false,
    };
    let from = model.list_sel.min(len);
    let found = if forward {
        (from + 1..len).find(|&r| ok(r))
    } else {
        (0..from).rev().find(|&r| ok(r))
    };
    match found {
        None if wrap && forward => (0..from).find(|&r| ok(r)),
        None if wrap => (from + 1..len).rev().find(|&r| ok(r)),
        found => found,
    }
}

/// The index entry of this reviewer's next own subject still needing work in the other list
/// (collectives or individuals, the one not shown), as the current filter would list it: the
/// first in that list going forward, the last going back. `None` without an assignment or
/// when none is left there.
pub(crate) fn own_in_other_list(model: &Model, forward: bool) -> Option<usize> {
    if !model.assignments.has_mine() {
        return None;
    }
    let other = match model.kind {
        Kind::Collectives => Kind::Individuals,
        Kind::Individuals => Kind::Collectives,
    };
    let ok = |i: &usize| {
        let e = &model.index.entries[*i];
        e.needs_work()
            && model.assignments.of(&e.subject.id) == Some(model.reviewer.as_str())
            && model.filter.keeps(&model.index, *i)
    };
    let order = model.index.order_of(other);
    if forward {
        order.iter().copied().find(ok)
    } else {
        order.iter().rev().copied().find(ok)
    }
}
