//! The state of a review as a whole, computed from the store's data without touching it: each
//! subject's verdicts in its group's criterion order, its outcome (kết quả), what is still
//! missing before a verdict file can go to the council, and summary statistics. Console
//! screens, `thidua status` and the exports all read these same functions.
//!
//! The input is the store's plain vectors (subjects in roster order with their numbers,
//! verdicts keyed by subject number and criterion index), joined once by `assemble`; every
//! later step is a linear pass, which keeps a province of ~32,000 subjects well under a second.

pub mod labels;

use std::collections::HashMap;

use super::{Campaign, Group, Outcome, Subject, Verdict, VerdictRef, VerdictValue, outcome_of};

/// One subject with its verdicts in its group's criterion order (`None`: never decided).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub subject: Subject,
    pub verdicts: Vec<Option<Verdict>>,
}

impl Reviewed {
    /// The value of each criterion, a never-decided one counting as pending.
    pub fn values(&self) -> Vec<VerdictValue> {
        Row::values(self)
    }
}

/// One subject's row wherever the caller keeps it (the exports' `Reviewed`, the console's
/// compact index): the subject and, per criterion of its group, the verdict if one was ever
/// recorded.
pub trait Row {
    fn subject(&self) -> &Subject;
    /// How many criteria the subject's group has.
    fn width(&self) -> usize;
    /// The verdict of criterion `c`, `None` if never decided.
    fn verdict(&self, c: usize) -> Option<VerdictRef<'_>>;

    /// The value of each criterion, a never-decided one counting as pending.
    fn values(&self) -> Vec<VerdictValue> {
        (0..self.width())
            .map(|c| self.verdict(c).map_or(VerdictValue::Pending, |v| v.value))
            .collect()
    }

    /// The outcome under the campaign's rule (see `outcome`).
    fn outcome(&self, campaign: &Campaign) -> Outcome {
        match campaign.group_of_tier(&self.subject().tier) {
            Some(group) => outcome_of(group, &self.values()),
            None => Outcome::Incomplete,
        }
    }
}

impl Row for Reviewed {
    fn subject(&self) -> &Subject {
        &self.subject
    }

    fn width(&self) -> usize {
        self.verdicts.len()
    }

    fn verdict(&self, c: usize) -> Option<VerdictRef<'_>> {
        self.verdicts.get(c)?.as_ref().map(Verdict::as_ref)
    }
}

impl<R: Row + ?Sized> Row for &R {
    fn subject(&self) -> &Subject {
        (**self).subject()
    }

    fn width(&self) -> usize {
        (**self).width()
    }

    fn verdict(&self, c: usize) -> Option<VerdictRef<'_>> {
        (**self).verdict(c)
    }
}

/// Joins the store's subjects (roster order, with their numbers) and verdicts (subject number,
/// criterion index in the subject's group) into one row per subject. Verdicts of unknown
/// subjects or out-of-range criteria are ignored.
pub fn assemble(
    campaign: &Campaign,
    subjects: Vec<(u32, Subject)>,
    verdicts: Vec<(u32, u16, Verdict)>,
) -> Vec<Reviewed> {
    let mut index: HashMap<u32, usize> = HashMap::with_capacity(subjects.len());
    let mut rows: Vec<Reviewed> = Vec::with_capacity(subjects.len());
    for (no, subject) in subjects {
        let width = campaign
            .group_of_tier(&subject.tier)
            .map_or(0, |g| g.criteria.len());
        index.insert(no, rows.len());
        rows.push(Reviewed {
            subject,
            verdicts: vec![None; width],
        });
    }
    for (no, criterion, verdict) in verdicts {
        if let Some(slot) = index
            .get(&no)
            .and_then(|&i| rows[i].verdicts.get_mut(usize::from(criterion)))
        {
            *slot = Some(verdict);
        }
    }
    rows
}

/// The outcome of one subject under the campaign's rule; a subject whose tier the campaign
/// does not know is incomplete.
pub fn outcome(campaign: &Campaign, row: &Reviewed) -> Outcome {
    row.outcome(campaign)
}

/// The outcome of every subject, in the same order.
pub fn outcomes(campaign: &Campaign, rows: &[Reviewed]) -> Vec<Outcome> {
    rows.iter().map(|r| outcome(campaign, r)).collect()
}

/// The points total of a subject in a points-scored group (a met pass/fail criterion counts
/// its full points), or `None` for a pass/fail group or a subject not fully scored (a pending
/// or needs-explanation criterion): an incomplete total is no total.
pub fn points_total(group: &Group, row: &Reviewed) -> Option<super::Points> {
    if !group.is_points() {
        return None;
    }
    let values: Vec<VerdictValue> = row.values().into_iter().collect();
    let undecided = (0..group.criteria.len()).any(|i| {
        matches!(
            values.get(i).copied().unwrap_or_default(),
            VerdictValue::Pending | VerdictValue::NeedsExplanation
        )
    });
    (!undecided).then(|| super::outcome::points_sum(group, &values))
}

/// Why a (subject, criterion) keeps a verdict file from being complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// Chưa đánh giá: never decided, or set back to pending.
    Pending,
    /// Cần giải trình: waiting for the subject's explanation.
    NeedsExplanation,
    /// Không đạt without the reason the council needs.
    MissingReason,
}

impl Problem {
    /// The stable code used in exports.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::NeedsExplanation => "needs_explanation",
            Self::MissingReason => "missing_reason",
        }
    }
}

/// One missing piece of the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub subject: String,
    pub criterion: String,
    pub problem: Problem,
}

/// Everything missing before a verdict file is complete, in roster and criterion order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Incompleteness {
    pub gaps: Vec<Gap>,
    pub pending: usize,
    pub needs_explanation: usize,
    pub missing_reason: usize,
}

impl Incompleteness {
    pub fn is_complete(&self) -> bool {
        self.gaps.is_empty()
    }
}

/// The problem of one verdict slot, if it has one.
pub(crate) fn problem_of(verdict: Option<VerdictRef<'_>>) -> Option<Problem> {
    match verdict {
        None => Some(Problem::Pending),
        Some(v) => match v.value {
            VerdictValue::Pending => Some(Problem::Pending),
            VerdictValue::NeedsExplanation => Some(Problem::NeedsExplanation),
            _ if v.missing_reason() => Some(Problem::MissingReason),
            _ => None,
        },
    }
}

/// Lists pending and needs-explanation criteria (which leave an outcome incomplete) and
/// not-met criteria without a reason.
pub fn incompleteness(campaign: &Campaign, rows: &[Reviewed]) -> Incompleteness {
    incompleteness_of(campaign, rows)
}

/// `incompleteness` over borrowed rows (the console keeps its rows in its own index).
pub(crate) fn incompleteness_of<R: Row>(
    campaign: &Campaign,
    rows: impl IntoIterator<Item = R>,
) -> Incompleteness {
    let mut out = Incompleteness::default();
    for row in rows {
        let Some(group) = campaign.group_of_tier(&row.subject().tier) else {
            continue;
        };
        for (c, criterion) in group.criteria.iter().enumerate().take(row.width()) {
            let Some(problem) = problem_of(row.verdict(c)) else {
                continue;
            };
            match problem {
                Problem::Pending => out.pending += 1,
                Problem::NeedsExplanation => out.needs_explanation += 1,
                Problem::MissingReason => out.missing_reason += 1,
            }
            out.gaps.push(Gap {
                subject: row.subject().id.clone(),
                criterion: criterion.id.clone(),
                problem,
            });
        }
    }
    out
}

/// Counts of subjects by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub qualified: usize,
    pub not_qualified: usize,
    pub incomplete: usize,
}

impl OutcomeCounts {
    fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Qualified => self.qualified += 1,
            Outcome::NotQualified => self.not_qualified += 1,
            Outcome::Incomplete => self.incomplete += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.qualified + self.not_qualified + self.incomplete
    }
}

/// Progress of one tier: how many criteria are decided and how its subjects stand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TierProgress {
    pub tier: String,
    pub subjects: usize,
    /// Criterion slots of this tier's subjects (subjects × criteria of their group).
    pub criteria: usize,
    /// Slots with any verdict other than pending (needs-explanation included).
    pub decided: usize,
    pub needs_explanation: usize,
    pub outcomes: OutcomeCounts,
}

/// How often a criterion was decided not met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionCount {
    pub criterion: String,
    pub not_met: usize,
}

/// How many of the standing verdicts a reviewer decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewerCount {
    pub reviewer: String,
    pub decisions: usize,
}

/// Summary statistics for the console's summary screen and `thidua status`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// In the campaign's tier order; tiers the campaign does not know come last.
    pub tiers: Vec<TierProgress>,
    pub outcomes: OutcomeCounts,
    /// Criteria with at least one not-met verdict, most often first (ties in campaign order).
    pub most_not_met: Vec<CriterionCount>,
    /// Reviewers by the number of standing non-pending verdicts they decided, most first
    /// (ties by name).
    pub reviewers: Vec<ReviewerCount>,
}

/// Computes the summary in one pass over the rows.
pub fn summary(campaign: &Campaign, rows: &[Reviewed]) -> Summary {
    summary_of(campaign, rows)
}

/// `summary` over borrowed rows (the console keeps its rows in its own index).
pub(crate) fn summary_of<R: Row>(
    campaign: &Campaign,
    rows: impl IntoIterator<Item = R>,
) -> Summary {
    let mut tiers: Vec<TierProgress> = campaign
        .tiers
        .iter()
        .map(|t| TierProgress {
            tier: t.id.clone(),
            ..TierProgress::default()
        })
        .collect();
    let mut not_met: Vec<CriterionCount> = campaign
        .groups
        .iter()
        .flat_map(|g| &g.criteria)
        .map(|c| CriterionCount {
            criterion: c.id.clone(),
            not_met: 0,
        })
        .collect();
    let criterion_pos: HashMap<&str, usize> = campaign
        .groups
        .iter()
        .flat_map(|g| &g.criteria)
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut reviewers: HashMap<String, usize> = HashMap::new();
    let mut outcomes = OutcomeCounts::default();
    for row in rows {
        let subject = row.subject();
        let pos = match tiers.iter().position(|t| t.tier == subject.tier) {
            Some(p) => p,
            None => {
                tiers.push(TierProgress {
                    tier: subject.tier.clone(),
                    ..TierProgress::default()
                });
                tiers.len() - 1
            }
        };
        let o = row.outcome(campaign);
        outcomes.add(o);
        let tier = &mut tiers[pos];
        tier.subjects += 1;
        tier.outcomes.add(o);
        tier.criteria += row.width();
        let group = campaign.group_of_tier(&subject.tier);
        for i in 0..row.width() {
            let Some(v) = row.verdict(i) else { continue };
            if v.value == VerdictValue::Pending {
                continue;
            }
            tier.decided += 1;
            match reviewers.get_mut(v.reviewer) {
                Some(n) => *n += 1,
                None => {
                    reviewers.insert(v.reviewer.to_string(), 1);
                }
            }
            match v.value {
                VerdictValue::NeedsExplanation => tier.needs_explanation += 1,
                VerdictValue::NotMet => {
                    if let Some(p) = group
                        .and_then(|g| g.criteria.get(i))
                        .and_then(|c| criterion_pos.get(c.id.as_str()))
                    {
                        not_met[*p].not_met += 1;
                    }
                }
                _ => {}
            }
        }
    }
    not_met.retain(|c| c.not_met > 0);
    // A stable sort keeps campaign order among equal counts.
    not_met.sort_by_key(|c| std::cmp::Reverse(c.not_met));
    let mut reviewers: Vec<ReviewerCount> = reviewers
        .into_iter()
        .map(|(r, n)| ReviewerCount {
            reviewer: r,
            decisions: n,
        })
        .collect();
    reviewers.sort_by(|a, b| {
        b.decisions
            .cmp(&a.decisions)
            .then_with(|| a.reviewer.cmp(&b.reviewer))
    });
    Summary {
        tiers,
        outcomes,
        most_not_met: not_met,
        reviewers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn subject(id: &str, tier: &str) -> Subject {
        Subject {
            id: id.into(),
            name: id.into(),
            tier: tier.into(),
            parent: None,
            registered_on: None,
        }
    }

    fn verdict(value: VerdictValue, note: &str, reviewer: &str) -> Verdict {
        Verdict {
            value,
            note: note.into(),
            reviewer: reviewer.into(),
            decided_at: DateTime::<Utc>::UNIX_EPOCH,
            version: 1,
        }
    }

    #[test]
    fn assembly_outcomes_gaps_and_summary_agree() {
        use VerdictValue::*;
        let c = crate::interchange::campaign::sample();
        let subjects = vec![
            (1, subject("A", "province_agency")),
            (2, subject("P", "individual")),
            (3, subject("Q", "individual")),
        ];
        let mut verdicts = Vec::new();
        for i in 0..10u16 {
            verdicts.push((1, i, verdict(Met, "", "an")));
        }
        verdicts.push((2, 0, verdict(NotMet, "", "binh")));
        verdicts.push((2, 1, verdict(NeedsExplanation, "hỏi lại", "binh")));
        verdicts.push((2, 2, verdict(NotMet, "vắng họp", "an")));
        verdicts.push((3, 0, verdict(NotMet, "lý do", "binh")));
        verdicts.push((3, 1, verdict(Met, "", "binh")));
        verdicts.push((3, 2, verdict(Met, "", "binh")));
        verdicts.push((3, 3, verdict(Pending, "", "binh")));
        verdicts.push((9, 0, verdict(Met, "", "ghost")));
        verdicts.push((3, 99, verdict(Met, "", "ghost")));
        let rows = assemble(&c, subjects, verdicts);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].verdicts.len(), 4);
        assert_eq!(
            outcomes(&c, &rows),
            vec![Outcome::Qualified, Outcome::Incomplete, Outcome::Incomplete]
        );
        let gaps = incompleteness(&c, &rows);
        let listed: Vec<(&str, &str, Problem)> = gaps
            .gaps
            .iter()
            .map(|g| (g.subject.as_str(), g.criterion.as_str(), g.problem))
            .collect();
        assert_eq!(
            listed,
            vec![
                ("P", "CN1", Problem::MissingReason),
                ("P", "CN2", Problem::NeedsExplanation),
                ("P", "CN4", Problem::Pending),
                ("Q", "CN4", Problem::Pending),
            ]
        );
        assert_eq!(
            (gaps.pending, gaps.needs_explanation, gaps.missing_reason),
            (2, 1, 1)
        );

        let s = summary(&c, &rows);
        assert_eq!(s.outcomes.qualified, 1);
        assert_eq!(s.outcomes.incomplete, 2);
        let individuals = s
            .tiers
            .iter()
            .find(|t| t.tier == "individual")
            .expect("tier");
        assert_eq!(
            (
                individuals.subjects,
                individuals.criteria,
                individuals.decided
            ),
            (2, 8, 6)
        );
        assert_eq!(individuals.needs_explanation, 1);
        assert_eq!(
            s.most_not_met,
            vec![
                CriterionCount {
                    criterion: "CN1".into(),
                    not_met: 2
                },
                CriterionCount {
                    criterion: "CN3".into(),
                    not_met: 1
                },
            ]
        );
        assert_eq!(
            s.reviewers,
            vec![
                ReviewerCount {
                    reviewer: "an".into(),
                    decisions: 11
                },
                ReviewerCount {
                    reviewer: "binh".into(),
                    decisions: 5
                },
            ]
        );
    }
}
