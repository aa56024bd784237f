//! How far the review has come: per tier and per criteria group, how many criteria are decided
//! out of how many, and how many subjects qualify, do not, or are still incomplete. Pure
//! functions over the campaign, the subjects and the verdicts as the store lists them
//! (by subject number and criterion index), so the status command and the console agree.

use std::collections::HashMap;

use super::{Campaign, Outcome, Subject, Verdict, VerdictValue, outcome_of};

/// Criteria decided out of those that apply, over some subjects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub subjects: usize,
    /// Criteria with a verdict other than pending (chưa đánh giá).
    pub decided: usize,
    /// Criteria that apply: subjects × criteria of their group.
    pub total: usize,
}

impl Tally {
    /// Tenths of a percent decided, rounded down (so 100.0% means everything); 0 when empty.
    pub fn permille(&self) -> usize {
        (self.decided * 1000).checked_div(self.total).unwrap_or(0)
    }

    fn add(&mut self, other: Tally) {
        self.subjects += other.subjects;
        self.decided += other.decided;
        self.total += other.total;
    }
}

/// Subjects by outcome (kết quả).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    /// Đủ điều kiện.
    pub qualified: usize,
    /// Không đủ điều kiện.
    pub not_qualified: usize,
    /// Chưa hoàn thành.
    pub incomplete: usize,
}

impl OutcomeCounts {
    fn count(&mut self, o: Outcome) {
        match o {
            Outcome::Qualified => self.qualified += 1,
            Outcome::NotQualified => self.not_qualified += 1,
            Outcome::Incomplete => self.incomplete += 1,
        }
    }

    fn add(&mut self, other: OutcomeCounts) {
        self.qualified += other.qualified;
        self.not_qualified += other.not_qualified;
        self.incomplete += other.incomplete;
    }
}

/// Progress of one tier, in campaign order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierProgress {
    pub tier: String,
    pub tally: Tally,
    pub outcomes: OutcomeCounts,
}

/// Progress of one criteria group, in campaign order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupProgress {
    pub group: String,
    pub tally: Tally,
    pub outcomes: OutcomeCounts,
}

/// The whole picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub tiers: Vec<TierProgress>,
    pub groups: Vec<GroupProgress>,
    pub total: Tally,
    pub outcomes: OutcomeCounts,
}

/// Counts progress and outcomes. Subjects whose tier the campaign does not know, and verdicts
/// for unknown subjects or criteria, are ignored.
pub fn progress(
    campaign: &Campaign,
    subjects: &[(u32, Subject)],
    verdicts: &[(u32, u16, Verdict)],
) -> Progress {
    let mut values: HashMap<u32, Vec<(u16, VerdictValue)>> = HashMap::new();
    for (no, idx, v) in verdicts {
        values.entry(*no).or_default().push((*idx, v.value));
    }
    let mut tiers: Vec<TierProgress> = campaign
        .tiers
        .iter()
        .map(|t| TierProgress {
            tier: t.id.clone(),
            tally: Tally::default(),
            outcomes: OutcomeCounts::default(),
        })
        .collect();
    for (no, s) in subjects {
        let Some(ti) = campaign.tiers.iter().position(|t| t.id == s.tier) else {
            continue;
        };
        let Some(group) = campaign.group(&campaign.tiers[ti].group) else {
            continue;
        };
        let mut row = vec![VerdictValue::Pending; group.criteria.len()];
        for (idx, v) in values.get(no).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(slot) = row.get_mut(usize::from(*idx)) {
                *slot = *v;
            }
        }
        let t = &mut tiers[ti];
        t.tally.add(Tally {
            subjects: 1,
            decided: row.iter().filter(|v| v.is_decided()).count(),
            total: row.len(),
        });
        t.outcomes.count(outcome_of(group, &row));
    }
    let groups: Vec<GroupProgress> = campaign
        .groups
        .iter()
        .map(|g| {
            let mut gp = GroupProgress {
                group: g.id.clone(),
                tally: Tally::default(),
                outcomes: OutcomeCounts::default(),
            };
            for (t, tp) in campaign.tiers.iter().zip(&tiers) {
                if t.group == g.id {
                    gp.tally.add(tp.tally);
                    gp.outcomes.add(tp.outcomes);
                }
            }
            gp
        })
        .collect();
    let mut total = Tally::default();
    let mut outcomes = OutcomeCounts::default();
    for g in &groups {
        total.add(g.tally);
        outcomes.add(g.outcomes);
    }
    Progress {
        tiers,
        groups,
        total,
        outcomes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn campaign() -> Campaign {
        crate::interchange::campaign::sample()
    }

    fn subject(id: &str, tier: &str, parent: Option<&str>) -> Subject {
        Subject {
            id: id.into(),
            name: id.into(),
            tier: tier.into(),
            parent: parent.map(Into::into),
            registered_on: None,
        }
    }

    fn verdict(value: VerdictValue) -> Verdict {
        Verdict {
            value,
            note: String::new(),
            reviewer: "r".into(),
            decided_at: Utc
                .with_ymd_and_hms(2021, 9, 1, 0, 0, 0)
                .single()
                .expect("time"),
            version: 1,
        }
    }

    #[test]
    fn an_empty_review_is_all_incomplete() {
        let c = campaign();
        let subjects = vec![
            (1, subject("SNV", "province_agency", None)),
            (2, subject("CB1", "individual", Some("SNV"))),
        ];
        let p = progress(&c, &subjects, &[]);
        assert_eq!(
            p.total,
            Tally {
                subjects: 2,
                decided: 0,
                total: 14
            }
        );
        assert_eq!(p.outcomes.incomplete, 2);
        assert_eq!(p.total.permille(), 0);
        assert_eq!(p.tiers.len(), c.tiers.len());
        assert_eq!(p.groups.len(), 2);
    }

    #[test]
    fn verdicts_count_per_tier_group_and_outcome() {
        use VerdictValue::*;
        let c = campaign();
        let subjects = vec![
            (1, subject("SNV", "province_agency", None)),
            (2, subject("CB1", "individual", Some("SNV"))),
            (3, subject("CB2", "individual", Some("SNV"))),
            (4, subject("LX", "district", None)),
            (9, subject("X", "no_such_tier", None)),
        ];
        let mut verdicts: Vec<(u32, u16, Verdict)> =
            (0..10).map(|i| (1, i, verdict(Met))).collect();
        verdicts.extend((0..4).map(|i| (2, i, verdict(if i == 3 { NotMet } else { Met }))));
        verdicts.push((3, 0, verdict(NeedsExplanation)));
        verdicts.push((3, 1, verdict(Pending)));
        verdicts.push((3, 99, verdict(Met)));
        verdicts.push((42, 0, verdict(Met)));
        let p = progress(&c, &subjects, &verdicts);

        let tier = |id: &str| p.tiers.iter().find(|t| t.tier == id).expect("tier");
        assert_eq!(
            tier("province_agency").tally,
            Tally {
                subjects: 1,
                decided: 10,
                total: 10
            }
        );
        assert_eq!(tier("province_agency").outcomes.qualified, 1);
        assert_eq!(
            tier("individual").tally,
            Tally {
                subjects: 2,
                decided: 5,
                total: 8
            }
        );
        assert_eq!(
            tier("individual").outcomes,
            OutcomeCounts {
                qualified: 0,
                not_qualified: 1,
                incomplete: 1
            }
        );
        let collective = &p.groups[0];
        assert_eq!(collective.group, "collective");
        assert_eq!(
            collective.tally,
            Tally {
                subjects: 2,
                decided: 10,
                total: 20
            }
        );
        assert_eq!(collective.tally.permille(), 500);
        assert_eq!(
            p.outcomes,
            OutcomeCounts {
                qualified: 1,
                not_qualified: 1,
                incomplete: 2
            }
        );
        assert_eq!(p.total.subjects, 4);
    }

    #[test]
    fn percent_rounds_down() {
        let t = Tally {
            subjects: 1,
            decided: 2,
            total: 3,
        };
        assert_eq!(t.permille(), 666);
        let almost = Tally {
            subjects: 1,
            decided: 9999,
            total: 10000,
        };
        assert_eq!(almost.permille(), 999);
    }
}
