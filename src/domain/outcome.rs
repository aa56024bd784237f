//! The campaign's rule for a subject's outcome (kết quả).

use serde::{Deserialize, Serialize};

use super::{Group, Scale, VerdictValue};

/// Whether a subject qualifies to be proposed for commendation (đủ điều kiện đề nghị khen thưởng).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Đủ điều kiện.
    Qualified,
    /// Không đủ điều kiện.
    NotQualified,
    /// Chưa đủ dữ liệu: some criterion is pending or needs explanation.
    Incomplete,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Self::Qualified => "qualified",
            Self::NotQualified => "not_qualified",
            Self::Incomplete => "incomplete",
        }
    }
}

/// The outcome of a subject whose verdicts, in the group's criterion order, are `values`
/// (missing entries count as pending).
///
/// Pass/fail groups qualify when every criterion is met; points groups when the total reaches
/// `qualifying_total` (a met verdict counts full points, not met zero). In both, a pending or
/// needs-explanation criterion makes the outcome incomplete.
pub fn outcome_of(group: &Group, values: &[VerdictValue]) -> Outcome {
    let value = |i: usize| values.get(i).copied().unwrap_or_default();
    let undecided = (0..group.criteria.len()).any(|i| {
        matches!(
            value(i),
            VerdictValue::Pending | VerdictValue::NeedsExplanation
        )
    });
    if undecided {
        return Outcome::Incomplete;
    }
    if group.is_points() {
        let total: u32 = group
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| match (value(i), c.scale) {
                (VerdictValue::Score(s), Scale::Points(max)) => s.min(max),
                (VerdictValue::Score(s), Scale::PassFail) => s,
                (VerdictValue::Met, Scale::Points(max)) => max,
                _ => 0,
            })
            .sum();
        let threshold = group.qualifying_total.unwrap_or(u32::MAX);
        if total >= threshold {
            Outcome::Qualified
        } else {
            Outcome::NotQualified
        }
    } else if (0..group.criteria.len()).all(|i| value(i) == VerdictValue::Met) {
        Outcome::Qualified
    } else {
        Outcome::NotQualified
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Criterion;
    use VerdictValue::*;

    fn group(scales: &[Scale], qualifying_total: Option<u32>) -> Group {
        Group {
            id: "g".into(),
            name_vi: "g".into(),
            name_en: "g".into(),
            qualifying_total,
            criteria: scales
                .iter()
                .enumerate()
                .map(|(i, s)| Criterion {
                    id: format!("C{i}"),
                    title_vi: String::new(),
                    title_en: String::new(),
                    description_vi: String::new(),
                    description_en: String::new(),
                    scale: *s,
                    areas_vi: vec![],
                    areas_en: vec![],
                    hint: None,
                })
                .collect(),
        }
    }

    #[test]
    fn outcomes_across_the_rules() {
        let pf = group(&[Scale::PassFail; 3], None);
        let pts = group(&[Scale::Points(10); 3], Some(20));
        let cases: &[(&Group, &[VerdictValue], Outcome)] = &[
            (&pf, &[Met, Met, Met], Outcome::Qualified),
            (&pf, &[Met, NotMet, Met], Outcome::NotQualified),
            (&pf, &[Met, Met], Outcome::Incomplete),
            (&pf, &[Met, Pending, NotMet], Outcome::Incomplete),
            (&pf, &[Met, NeedsExplanation, Met], Outcome::Incomplete),
            (&pf, &[], Outcome::Incomplete),
            (&pts, &[Score(7), Score(7), Score(6)], Outcome::Qualified),
            (&pts, &[Score(7), Score(7), Score(5)], Outcome::NotQualified),
            (&pts, &[Score(10), Score(10), Pending], Outcome::Incomplete),
            (
                &pts,
                &[Score(99), Score(0), Score(0)],
                Outcome::NotQualified,
            ),
            (&pts, &[Met, Met, NotMet], Outcome::Qualified),
            (
                &pts,
                &[Score(10), NeedsExplanation, Score(10)],
                Outcome::Incomplete,
            ),
        ];
        for (g, values, want) in cases {
            assert_eq!(outcome_of(g, values), *want, "{values:?}");
        }
    }
}
