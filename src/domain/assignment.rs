//! Assignments (phân công): which reviewer is to review which subject. The chair assigns by
//! tier, by parent (a unit and everything under it), or by a list of ids; each subject has at
//! most one reviewer, and assigning it again moves it. Pure rules: which subjects a selection
//! names, what assigning or clearing them would change, and each reviewer's progress.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::review::Row;
use super::{Subject, VerdictValue};

/// Which subjects an assignment (or a clearing) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every subject of a tier (by tier id).
    Tier(String),
    /// A subject and everything under it, however deep (by subject id).
    Parent(String),
    /// The subjects with these ids.
    Ids(Vec<String>),
    /// Everything assigned to this reviewer now.
    Reviewer(String),
}

/// The numbers of the subjects `selection` names, in roster order. `assigned` is the
/// current assignment (subject number → reviewer), read only for `Selection::Reviewer`.
/// Ids that name no subject are left out (callers check them first, to say where they are).
pub fn select(
    subjects: &[(u32, Subject)],
    assigned: &HashMap<u32, String>,
    selection: &Selection,
) -> Vec<u32> {
    match selection {
        Selection::Tier(tier) => subjects
            .iter()
            .filter(|(_, s)| &s.tier == tier)
            .map(|(no, _)| *no)
            .collect(),
        Selection::Parent(root) => {
            // Breadth-first from the root over "is part of" links; a cycle in the roster
            // cannot loop, since each id is taken once.
            let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
            for (_, s) in subjects {
                if let Some(p) = &s.parent {
                    children.entry(p.as_str()).or_default().push(s.id.as_str());
                }
            }
            let mut under: HashSet<&str> = HashSet::new();
            let mut queue = vec![root.as_str()];
            while let Some(id) = queue.pop() {
                if under.insert(id)
                    && let Some(kids) = children.get(id)
                {
                    queue.extend(kids.iter().copied());
                }
            }
            subjects
                .iter()
                .filter(|(_, s)| under.contains(s.id.as_str()))
                .map(|(no, _)| *no)
                .collect()
        }
        Selection::Ids(ids) => {
            let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
            subjects
                .iter()
                .filter(|(_, s)| wanted.contains(s.id.as_str()))
                .map(|(no, _)| *no)
                .collect()
        }
        Selection::Reviewer(name) => subjects
            .iter()
            .filter(|(no, _)| assigned.get(no).is_some_and(|r| r == name))
            .map(|(no, _)| *no)
            .collect(),
    }
}

/// What assigning the selected subjects to a reviewer (or clearing them) changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// (subject number, new reviewer or `None` to clear) for each subject that changes.
    pub writes: Vec<(u32, Option<String>)>,
    pub selected: usize,
    /// Assigning: subjects that had no reviewer.
    pub added: usize,
    /// Assigning: subjects taken from another reviewer.
    pub moved: usize,
    /// Assigning: already this reviewer's. Clearing: not assigned to anyone.
    pub unchanged: usize,
    /// Clearing: assignments removed.
    pub cleared: usize,
}

/// Plans assigning `selected` to `reviewer`, or clearing them when `reviewer` is `None`.
pub fn plan(selected: &[u32], assigned: &HashMap<u32, String>, reviewer: Option<&str>) -> Plan {
    let mut p = Plan {
        selected: selected.len(),
        ..Plan::default()
    };
    for no in selected {
        let now = assigned.get(no).map(String::as_str);
        match (reviewer, now) {
            (Some(r), Some(n)) if r == n => p.unchanged += 1,
            (Some(r), Some(_)) => {
                p.moved += 1;
                p.writes.push((*no, Some(r.to_string())));
            }
            (Some(r), None) => {
                p.added += 1;
                p.writes.push((*no, Some(r.to_string())));
            }
            (None, Some(_)) => {
                p.cleared += 1;
                p.writes.push((*no, None));
            }
            (None, None) => p.unchanged += 1,
        }
    }
    p
}

/// Why a reviewer name cannot be used: empty, or holding an invisible or control character
/// (which would make a different person of the same visible name).
pub fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("the name is empty".to_string());
    }
    let (position, c) = name.chars().enumerate().find(|&(_, c)| {
        c.is_control()
            || matches!(c as u32, 0x00AD | 0x061C | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
                | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0x115F | 0x1160 | 0x3164 | 0xFFA0)
    })?;
    Some(format!(
        "it holds an invisible character U+{:04X} (character {})",
        c as u32,
        position + 1
    ))
}

/// One reviewer's progress, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewerProgress {
    pub reviewer: String,
    /// Standing decisions (anything but pending) made by them on `today` (Vietnam time).
    pub today: usize,
    /// Standing decisions made by them.
    pub decided: usize,
    /// Subjects assigned to them that still need work.
    pub remaining: usize,
    /// Subjects assigned to them.
    pub assigned: usize,
    /// Standing "needs explanation" verdicts of theirs: waiting for the unit's explanation.
    pub waiting: usize,
}

/// Each reviewer's progress over `rows`, where `assigned_to` gives a row's reviewer (if any)
/// and `needs_work` whether it still needs work. Reviewers with neither a decision nor an
/// assignment are not listed; the most decisions first, then by name.
pub fn progress<R: Row>(
    rows: impl IntoIterator<Item = R>,
    today: NaiveDate,
    assigned_to: impl Fn(&R) -> Option<String>,
    needs_work: impl Fn(&R) -> bool,
) -> Vec<ReviewerProgress> {
    let mut by: HashMap<String, ReviewerProgress> = HashMap::new();
    for row in rows {
        if let Some(r) = assigned_to(&row) {
            let p = by.entry(r.clone()).or_insert_with(|| ReviewerProgress {
                reviewer: r.clone(),
                ..ReviewerProgress::default()
            });
            p.assigned += 1;
            if needs_work(&row) {
                p.remaining += 1;
            }
        }
        for c in 0..row.width() {
            let Some(v) = row.verdict(c) else { continue };
            if v.value == VerdictValue::Pending {
                continue;
            }
            let p = match by.get_mut(v.reviewer) {
                Some(p) => p,
                None => by
                    .entry(v.reviewer.to_string())
                    .or_insert_with(|| ReviewerProgress {
                        reviewer: v.reviewer.to_string(),
                        ..ReviewerProgress::default()
                    }),
            };
            p.decided += 1;
            if v.decided_at.with_timezone(&super::vietnam()).date_naive() == today {
                p.today += 1;
            }
            if v.value == VerdictValue::NeedsExplanation {
                p.waiting += 1;
            }
        }
    }
    let mut out: Vec<ReviewerProgress> = by.into_values().collect();
    out.sort_by(|a, b| {
        b.decided
            .cmp(&a.decided)
            .then(b.assigned.cmp(&a.assigned))
            .then_with(|| a.reviewer.cmp(&b.reviewer))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: &str, tier: &str, parent: Option<&str>) -> Subject {
        Subject {
            id: id.into(),
            name: id.into(),
            tier: tier.into(),
            parent: parent.map(Into::into),
            registered_on: None,
        }
    }

    #[test]
    fn a_parent_selects_itself_and_everything_under_it_however_deep() {
        let subjects = vec![
            (1, s("H1", "district", None)),
            (2, s("X1", "commune", Some("H1"))),
            (3, s("CB1", "individual", Some("X1"))),
            (4, s("H2", "district", None)),
            (5, s("CB2", "individual", Some("H2"))),
        ];
        let none = HashMap::new();
        assert_eq!(
            select(&subjects, &none, &Selection::Parent("H1".into())),
            vec![1, 2, 3]
        );
        assert_eq!(
            select(&subjects, &none, &Selection::Tier("district".into())),
            vec![1, 4]
        );
        assert_eq!(
            select(
                &subjects,
                &none,
                &Selection::Ids(vec!["CB2".into(), "H1".into()])
            ),
            vec![1, 5]
        );
        let assigned: HashMap<u32, String> =
            [(2, "An".to_string()), (5, "Bình".to_string())].into();
        assert_eq!(
            select(&subjects, &assigned, &Selection::Reviewer("An".into())),
            vec![2]
        );
    }

    #[test]
    fn a_plan_counts_new_moved_and_unchanged_and_writes_only_changes() {
        let assigned: HashMap<u32, String> =
            [(1, "An".to_string()), (2, "Bình".to_string())].into();
        let p = plan(&[1, 2, 3], &assigned, Some("An"));
        assert_eq!((p.selected, p.added, p.moved, p.unchanged), (3, 1, 1, 1));
        assert_eq!(
            p.writes,
            vec![(2, Some("An".to_string())), (3, Some("An".to_string()))]
        );
        let p = plan(&[1, 3], &assigned, None);
        assert_eq!((p.cleared, p.unchanged), (1, 1));
        assert_eq!(p.writes, vec![(1, None)]);
    }

    #[test]
    fn invisible_characters_in_a_name_are_refused() {
        assert!(name_problem("An").is_none());
        assert!(name_problem("Nguyễn Văn An").is_none());
        assert!(
            name_problem("A\u{200B}n")
                .expect("refused")
                .contains("U+200B")
        );
        assert!(name_problem(" ").is_some());
    }
}
