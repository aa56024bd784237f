//! The campaign's rule for a subject's outcome (kết quả).

use serde::{Deserialize, Serialize};

use super::{Group, Points, Scale, VerdictValue};

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
/// needs-explanation criterion makes the outcome incomplete, and an unmet knock-out criterion
/// (`required`) makes it not qualified whatever the total.
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
    let knocked_out = group
        .criteria
        .iter()
        .enumerate()
        .any(|(i, c)| !c.knock_out_met(value(i)));
    if group.is_points() {
        let total = points_sum(group, values);
        let threshold = group
            .qualifying_total
            .map_or(Points::from_hundredths(u32::MAX), Points::whole);
        if total >= threshold && !knocked_out {
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

/// The sum of the points of `values` in `group` (a met verdict counts full points, not met
/// zero; a score above its maximum counts the maximum).
pub(crate) fn points_sum(group: &Group, values: &[VerdictValue]) -> Points {
    group
        .criteria
        .iter()
        .enumerate()
        .map(
            |(i, c)| match (values.get(i).copied().unwrap_or_default(), c.scale) {
                (VerdictValue::Score(s), Scale::Points(max)) => s.min(Points::whole(max)),
                (VerdictValue::Score(s), Scale::PassFail) => s,
                (VerdictValue::Met, Scale::Points(max)) => Points::whole(max),
                _ => Points::ZERO,
            },
        )
        .fold(Points::ZERO, Points::saturating_add)
}

/// The most points a subject of `group` can score.
pub(crate) fn points_max(group: &Group) -> Points {
    group
        .criteria
        .iter()
        .map(|c| match c.scale {
            Scale::Points(max) => Points::whole(max),
            Scale::PassFail => Points::ZERO,
        })
        .fold(Points::ZERO, Points::saturating_add)
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
                    step: None,
                    required: false,
                    min: None,
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
            (
                &pts,
                &[
                    Score(Points::whole(7)),
                    Score(Points::whole(7)),
                    Score(Points::whole(6)),
                ],
                Outcome::Qualified,
            ),
            (
                &pts,
                &[
                    Score(Points::whole(7)),
                    Score(Points::whole(7)),
                    Score(Points::whole(5)),
                ],
                Outcome::NotQualified,
            ),
            (
                &pts,
                &[Score(Points::whole(10)), Score(Points::whole(10)), Pending],
                Outcome::Incomplete,
            ),
            (
                &pts,
                &[
                    Score(Points::whole(99)),
                    Score(Points::whole(0)),
                    Score(Points::whole(0)),
                ],
                Outcome::NotQualified,
            ),
            (&pts, &[Met, Met, NotMet], Outcome::Qualified),
            (
                &pts,
                &[
                    Score(Points::whole(10)),
                    NeedsExplanation,
                    Score(Points::whole(10)),
                ],
                Outcome::Incomplete,
            ),
        ];
        for (g, values, want) in cases {
            assert_eq!(outcome_of(g, values), *want, "{values:?}");
        }
    }

    #[test]
    fn knock_out_criteria_stop_a_high_total() {
        let mut pf = group(&[Scale::PassFail; 2], None);
        pf.criteria[1].required = true;
        assert_eq!(outcome_of(&pf, &[Met, NotMet]), Outcome::NotQualified);
        let mut pts = group(&[Scale::Points(10); 3], Some(15));
        pts.criteria[0].required = true;
        pts.criteria[0].min = Some(Points::from_hundredths(500));
        let h = Points::from_hundredths;
        assert_eq!(
            outcome_of(&pts, &[Score(h(450)), Score(h(1000)), Score(h(1000))]),
            Outcome::NotQualified
        );
        assert_eq!(
            outcome_of(&pts, &[Score(h(500)), Score(h(1000)), Score(h(0))]),
            Outcome::Qualified
        );
        assert_eq!(
            outcome_of(&pts, &[NotMet, Score(h(1000)), Score(h(1000))]),
            Outcome::NotQualified
        );
        pts.criteria[0].min = None;
        assert_eq!(
            outcome_of(&pts, &[Score(h(0)), Score(h(1000)), Score(h(1000))]),
            Outcome::NotQualified
        );
        assert_eq!(
            outcome_of(&pts, &[Score(h(50)), Score(h(1000)), Score(h(750))]),
            Outcome::Qualified
        );
        assert_eq!(
            points_sum(&pts, &[Score(h(50)), Score(h(1000)), Score(h(750))]),
            h(1800)
        );
        assert_eq!(points_max(&pts), h(3000));
    }
}
