//! Review by criterion (`b`, "grade by question"): the criterion selected in the criteria pane,
//! decided across every subject of the current subject's tier, one after another. The tier's
//! subjects replace `Model::list` (every row a subject) and `Model::crit_sel` stays on the
//! criterion, so y/n/c/-, scores, `a`, `e`, undo and conflicts take exactly the path they take
//! in the criteria pane; only where a decision moves on differs (`advance`): to the next
//! subject, not the next criterion. Esc puts the list and selections back as they were.

use super::*;
use crate::app::{Back, ByCriterion, CriterionFilter};

/// `b`: starts review by criterion on the selected criterion of the current subject's tier.
pub(super) fn enter(model: &mut Model) {
    if model.by_criterion.is_some() {
        return;
    }
    let Some(i) = model.current() else {
        info(model, Key::ByCriterionNoSubject);
        return;
    };
    let e = &model.index.entries[i];
    let (Some(group), c) = (e.group(), model.crit_sel) else {
        info(model, Key::ByCriterionNoSubject);
        return;
    };
    if c >= usize::from(e.total()) {
        info(model, Key::ByCriterionNoSubject);
        return;
    }
    let tier = e.tier();
    let back = back(model);
    model.by_criterion = Some(ByCriterion {
        tier,
        group,
        criterion: c,
        filter: CriterionFilter::All,
        total: 0,
        pending: 0,
        back,
    });
    fill(model, Some(i));
}

/// Takes the subject list and selections out of the model, to put back on leaving.
fn back(model: &mut Model) -> Back {
    Back {
        list: std::mem::take(&mut model.list),
        sel: model.list_sel,
        offset: model.list_offset,
        crit: model.crit_sel,
        crit_offset: model.crit_offset,
        focus: model.focus,
        listed: model.listed.take(),
    }
}

/// Esc: back to the list, subject and criterion the reviewer left.
pub(super) fn leave(model: &mut Model) {
    if let Some(bc) = model.by_criterion.take() {
        let back = bc.back;
        model.list = back.list;
        model.list_sel = back.sel;
        model.list_offset = back.offset;
        model.crit_sel = back.crit;
        model.crit_offset = back.crit_offset;
        model.focus = back.focus;
        model.listed = back.listed;
        model.scroll();
    }
}

/// The id of the criterion being reviewed.
pub(crate) fn criterion_id(model: &Model) -> Option<String> {
    let bc = model.by_criterion.as_ref()?;
    model
        .campaign
        .groups
        .get(bc.group)?
        .criteria
        .get(bc.criterion)
        .map(|c| c.id.clone())
}

/// Whether subject `i` has no verdict on criterion `c` (whose id is `id`) and none on its way
/// to the store.
fn pending_here(model: &Model, i: usize, c: usize, id: &str) -> bool {
    model.index.value(i, c) == VerdictValue::Pending
        && !model.is_saving(&model.index.entries[i].subject.id, id)
}

/// Lists the tier's subjects for the filter in force and selects `keep` (when listed), else
/// the first row.
fn fill(model: &mut Model, keep: Option<usize>) {
    let Some(bc) = &model.by_criterion else {
        return;
    };
    let (tier, group, c, filter) = (bc.tier, bc.group, bc.criterion, bc.filter);
    let index = &model.index;
    let (mut total, mut pending) = (0, 0);
    let list: Vec<Row> = index
        .order_of(Kind::Collectives)
        .iter()
        .chain(index.order_of(Kind::Individuals))
        .copied()
        .filter(|&i| {
            let e = &index.entries[i];
            if !(e.tier() == tier && e.group() == Some(group) && usize::from(e.total()) > c) {
                return false;
            }
            let open = index.value(i, c) == VerdictValue::Pending;
            total += 1;
            pending += usize::from(open);
            filter == CriterionFilter::All || open
        })
        .map(Row::Subject)
        .collect();
    model.list = list;
    if let Some(bc) = &mut model.by_criterion {
        bc.total = total;
        bc.pending = pending;
    }
    model.list_sel = keep
        .and_then(|k| model.list.iter().position(|r| *r == Row::Subject(k)))
        .unwrap_or(0);
    model.list_offset = model
        .list_sel
        .saturating_sub(geometry::by_criterion_layout(model.height).rows / 2);
    model.crit_sel = c;
    model.crit_offset = 0;
    model.scroll();
}

/// The keys of review by criterion.
pub(super) fn key(
    model: &mut Model,
    command: Option<Command>,
    key: &KeyEvent,
    fx: &mut Vec<Effect>,
) {
    let Some(command) = command else {
        return;
    };
    let page = geometry::by_criterion_layout(model.height).rows as isize;
    match command {
        Command::Close => leave(model),
        Command::Down => move_by(model, 1, fx),
        Command::Up => move_by(model, -1, fx),
        Command::PageDown => move_by(model, page, fx),
        Command::PageUp => move_by(model, -page, fx),
        Command::Top => move_by(model, isize::MIN / 2, fx),
        Command::Bottom => move_by(model, isize::MAX / 2, fx),
        Command::NextPending => jump(model, true, fx),
        Command::PrevPending => jump(model, false, fx),
        Command::CycleFilter => {
            if let Some(bc) = &mut model.by_criterion {
                bc.filter = match bc.filter {
                    CriterionFilter::All => CriterionFilter::Pending,
                    CriterionFilter::Pending => CriterionFilter::All,
                };
            }
            let keep = model.current();
            fill(model, keep);
        }
        Command::Met
        | Command::NotMet
        | Command::NeedsExplanation
        | Command::Pending
        | Command::Score
        | Command::EditNote
        | Command::AcceptHint
        | Command::AcceptClaim
        | Command::Initiatives
        | Command::History
        | Command::Describe
        | Command::Undo
        | Command::Redo
        | Command::Help
        | Command::Quit => normal(model, command, key, fx),
        _ => {}
    }
}

fn move_by(model: &mut Model, delta: isize, fx: &mut Vec<Effect>) {
    let len = model.list.len() as isize;
    if len == 0 {
        return;
    }
    let row = (model.list_sel as isize)
        .saturating_add(delta)
        .clamp(0, len - 1) as usize;
    if row != model.list_sel {
        model.list_sel = row;
        model.scroll();
        cursor_effect(model, fx);
    }
}

/// The row of the next (or previous) subject still pending on the criterion, other than the
/// current one; with `wrap`, searching round from the other end.
fn find(model: &Model, forward: bool, wrap: bool) -> Option<usize> {
    let (Some(bc), Some(id)) = (&model.by_criterion, criterion_id(model)) else {
        return None;
    };
    let c = bc.criterion;
    let len = model.list.len();
    let from = model.list_sel.min(len);
    let ok = |r: usize| match model.list[r] {
        Row::Subject(i) => r != model.list_sel && pending_here(model, i, c, &id),
        _ => false,
    };
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

fn jump(model: &mut Model, forward: bool, fx: &mut Vec<Effect>) {
    match find(model, forward, false) {
        Some(row) => {
            model.list_sel = row;
            model.scroll();
            cursor_effect(model, fx);
        }
        None => say_where(model),
    }
}

/// Tells the reviewer how many subjects are still pending on the criterion (none: done).
fn say_where(model: &mut Model) {
    let (Some(bc), Some(id)) = (&model.by_criterion, criterion_id(model)) else {
        return;
    };
    let c = bc.criterion;
    let left = model
        .list
        .iter()
        .filter(|r| matches!(r, Row::Subject(i) if pending_here(model, *i, c, &id)))
        .count();
    if left == 0 {
        say(model, Key::ByCriterionDone, &[&id], false);
    } else {
        say(model, Key::ByCriterionEnd, &[&left.to_string(), &id], false);
    }
}

/// After a decision in review by criterion: the next subject (all), or the next one still
/// pending on the criterion (pending), round from the top. Returns false when review by
/// criterion is off, for the criteria pane's own moves.
pub(super) fn advance(model: &mut Model, fx: &mut Vec<Effect>) -> bool {
    let Some(bc) = &model.by_criterion else {
        return false;
    };
    let next = match bc.filter {
        CriterionFilter::All => {
            (model.list_sel + 1 < model.list.len()).then_some(model.list_sel + 1)
        }
        CriterionFilter::Pending => find(model, true, true),
    };
    match next {
        Some(row) => {
            model.list_sel = row;
            model.scroll();
            cursor_effect(model, fx);
        }
        None => say_where(model),
    }
    true
}

/// Keeps the count of subjects pending on the criterion true when the verdict of subject `i`
/// on criterion `c` went from `before` to `after` (saved here, or arrived from elsewhere).
pub(super) fn recount(
    model: &mut Model,
    i: usize,
    c: usize,
    before: VerdictValue,
    after: VerdictValue,
) {
    let tier = model.index.entries[i].tier();
    if let Some(bc) = &mut model.by_criterion
        && bc.criterion == c
        && bc.tier == tier
    {
        match (
            before == VerdictValue::Pending,
            after == VerdictValue::Pending,
        ) {
            (true, false) => bc.pending = bc.pending.saturating_sub(1),
            (false, true) => bc.pending = (bc.pending + 1).min(bc.total),
            _ => {}
        }
    }
}

/// An undo or redo while reviewing by criterion: a change to this criterion of a subject of
/// the tier is shown in the list (all subjects listed if it was filtered out); any other
/// change ends review by criterion first, so the criteria pane can show it. Returns true
/// when the change is shown.
pub(super) fn reveal(model: &mut Model, change: &Change) -> bool {
    let Some(bc) = &model.by_criterion else {
        return false;
    };
    if !matches!(change.before, Snapshot::Verdict { .. }) {
        return true;
    }
    let tier = bc.tier;
    let ours = criterion_id(model).is_some_and(|id| id == change.target.1);
    let subject = model
        .index
        .of_id(&change.target.0)
        .filter(|&i| model.index.entries[i].tier() == tier);
    match subject {
        Some(i) if ours => {
            if !model.list.contains(&Row::Subject(i))
                && let Some(bc) = &mut model.by_criterion
            {
                bc.filter = CriterionFilter::All;
            }
            fill(model, Some(i));
            true
        }
        _ => {
            leave(model);
            false
        }
    }
}

/// What review by criterion was on before a reload, to take it up again after.
pub(super) struct Resume {
    tier: String,
    criterion: String,
    subject: Option<String>,
    filter: CriterionFilter,
}

/// Before a reload: ends review by criterion (the entries are about to change), keeping
/// what it was on by id.
pub(super) fn suspend(model: &mut Model) -> Option<Resume> {
    let bc = model.by_criterion.as_ref()?;
    let resume = Resume {
        tier: model.campaign.tiers.get(bc.tier)?.id.clone(),
        criterion: criterion_id(model)?,
        subject: model.current_entry().map(|e| e.subject.id.clone()),
        filter: bc.filter,
    };
    leave(model);
    Some(resume)
}

/// After a reload: review by criterion again on the same tier, criterion and subject, if
/// they are still there; else the reviewer is told it ended.
pub(super) fn resume(model: &mut Model, resume: Option<Resume>) {
    let Some(r) = resume else {
        return;
    };
    let tier = model.campaign.tiers.iter().position(|t| t.id == r.tier);
    let group = tier.and_then(|t| {
        let name = &model.campaign.tiers[t].group;
        model.campaign.groups.iter().position(|g| &g.id == name)
    });
    let criterion = group.and_then(|g| model.campaign.groups[g].index_of(&r.criterion));
    let (Some(tier), Some(group), Some(criterion)) = (tier, group, criterion) else {
        say(model, Key::ByCriterionLeft, &[&r.criterion], false);
        return;
    };
    let back = back(model);
    model.by_criterion = Some(ByCriterion {
        tier,
        group,
        criterion,
        filter: r.filter,
        total: 0,
        pending: 0,
        back,
    });
    let keep = r.subject.and_then(|id| model.index.of_id(&id));
    fill(model, keep);
}
