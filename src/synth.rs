//! A reproducible, seeded generator of province-scale rosters, for benchmarks and load tests.
//! The same `(scale, seed)` always yields the same subjects and verdicts. The random source is
//! SplitMix64, written here (a dozen lines) rather than taken from a crate because its output
//! must never change between dependency versions: benchmark figures name a seed.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{Initiative, InitiativeStatus, Subject, Verdict, VerdictValue};

/// SplitMix64: small, fast, and fixed forever.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đoàn", "Trương", "Lâm", "Châu",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Kim", "Đức", "Hoài", "Thành", "Mỹ",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hạnh", "Hùng", "Khoa", "Lan", "Linh", "Mai", "Nam",
    "Ngân", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Uyên", "Việt", "Xuân", "Yến",
];
const AGENCY: &[&str] = &[
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Y tế",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Giao thông vận tải",
    "Sở Tài nguyên và Môi trường",
    "Sở Kế hoạch và Đầu tư",
];
const OFFICE: &[&str] = &[
    "Phòng Tổ chức",
    "Phòng Cải cách hành chính",
    "Văn phòng",
    "Thanh tra",
    "Phòng Kế hoạch",
    "Trung tâm Dịch vụ",
    "Phòng Pháp chế",
    "Phòng Tài chính",
];
const PLACE: &[&str] = &[
    "Long Xuyên",
    "Châu Đốc",
    "Tân Châu",
    "An Phú",
    "Châu Phú",
    "Châu Thành",
    "Chợ Mới",
    "Phú Tân",
    "Thoại Sơn",
    "Tri Tôn",
    "Tịnh Biên",
    "Mỹ Hòa Hưng",
    "Vĩnh Thạnh",
    "Bình Đức",
    "Đa Phước",
];

/// A generated campaign population.
#[derive(Debug, Clone)]
pub struct Population {
    pub subjects: Vec<Subject>,
    pub initiatives: Vec<Initiative>,
}

/// Generates `collectives` units and `individuals` people in the sample campaign's tiers, in
/// roster order (parents before children).
pub fn population(collectives: usize, individuals: usize, seed: u64) -> Population {
    let mut rng = Rng::new(seed);
    let mut subjects = Vec::with_capacity(collectives + individuals);
    let registered = |rng: &mut Rng| {
        NaiveDate::from_ymd_opt(2021, 7, 26)
            .and_then(|d| d.checked_add_days(chrono::Days::new(rng.below(52) as u64)))
    };
    // Roughly the shape of a province: 1.5% agencies, 15% their units, 0.6% districts,
    // 8% district offices, the rest communes.
    let agencies = (collectives * 15 / 1000).max(1);
    let units = collectives * 15 / 100;
    let districts = (collectives * 6 / 1000).max(1);
    let offices = collectives * 8 / 100;
    let communes = collectives.saturating_sub(agencies + units + districts + offices);
    let mut push = |rng: &mut Rng, id: String, name: String, tier: &str, parent: Option<String>| {
        subjects.push(Subject {
            id,
            name,
            tier: tier.into(),
            parent,
            registered_on: registered(rng),
        });
    };
    for a in 0..agencies {
        let name = format!("{} {}", rng.pick(AGENCY), a + 1);
        push(&mut rng, format!("A{a}"), name, "province_agency", None);
    }
    for u in 0..units {
        let parent = format!("A{}", u % agencies);
        let name = format!("{} {}", rng.pick(OFFICE), u + 1);
        push(
            &mut rng,
            format!("A{}.U{u}", u % agencies),
            name,
            "province_unit",
            Some(parent),
        );
    }
    for d in 0..districts {
        let name = format!("UBND huyện {} {}", rng.pick(PLACE), d + 1);
        push(&mut rng, format!("D{d}"), name, "district", None);
    }
    for o in 0..offices {
        let name = format!("{} huyện {}", rng.pick(OFFICE), o + 1);
        let parent = format!("D{}", o % districts);
        push(
            &mut rng,
            format!("D{}.P{o}", o % districts),
            name,
            "district_unit",
            Some(parent),
        );
    }
    for c in 0..communes {
        let name = format!("UBND xã {} {}", rng.pick(PLACE), c + 1);
        let parent = format!("D{}", c % districts);
        push(
            &mut rng,
            format!("D{}.X{c}", c % districts),
            name,
            "commune",
            Some(parent),
        );
    }
    let units_total = subjects.len();
    for i in 0..individuals {
        let unit = subjects[rng.below(units_total)].id.clone();
        let name = format!(
            "{} {} {}",
            rng.pick(FAMILY),
            rng.pick(MIDDLE),
            rng.pick(GIVEN)
        );
        subjects.push(Subject {
            id: format!("CB{i:06}"),
            name,
            tier: "individual".into(),
            parent: Some(unit),
            registered_on: None,
        });
    }
    let initiatives = (0..collectives / 20)
        .map(|i| Initiative {
            id: format!("SK{i:05}"),
            title: format!("Sáng kiến cải cách hành chính số {}", i + 1),
            owner: subjects[rng.below(subjects.len())].id.clone(),
            submitted_on: NaiveDate::from_ymd_opt(2021, 8, 1),
            status: InitiativeStatus::ALL[rng.below(3)],
            recognition: None,
            version: 0,
        })
        .map(|mut i| {
            if i.status == InitiativeStatus::Recognized {
                i.status = InitiativeStatus::Submitted;
            }
            i
        })
        .collect();
    Population {
        subjects,
        initiatives,
    }
}

/// A verdict value drawn with the given share of decided criteria (0..=100 %), mostly met.
pub fn verdict_value(rng: &mut Rng, decided_percent: usize) -> VerdictValue {
    if rng.below(100) >= decided_percent {
        return VerdictValue::Pending;
    }
    match rng.below(20) {
        0 => VerdictValue::NotMet,
        1 => VerdictValue::NeedsExplanation,
        _ => VerdictValue::Met,
    }
}

/// A verdict as the store would hold it.
pub fn verdict(value: VerdictValue, reviewer: &str, at: DateTime<Utc>) -> Verdict {
    Verdict {
        value,
        note: if value.wants_reason() {
            "Chưa đủ hồ sơ minh chứng".into()
        } else {
            String::new()
        },
        reviewer: reviewer.into(),
        decided_at: at,
        version: 1,
    }
}

/// Numbers records from 1 in order, as the store numbers them on import.
fn numbered<T>(items: Vec<T>) -> Vec<crate::store::backup::Numbered<T>> {
    items
        .into_iter()
        .zip(1u32..)
        .map(|(value, no)| crate::store::backup::Numbered { no, value })
        .collect()
}

/// A whole database as a backup body: the population, `decided_percent` of all verdict slots
/// decided, and the audit event of each decision, so `store::backup::restore` can bulk-load a
/// province-scale database in seconds (committing each verdict durably would take minutes).
pub fn database(
    campaign: &crate::domain::Campaign,
    collectives: usize,
    individuals: usize,
    decided_percent: usize,
    seed: u64,
) -> crate::store::backup::Body {
    use crate::domain::{AuditAction, AuditEvent, Cause};
    use crate::store::backup::{BackupVerdict, Body};
    let population = population(collectives, individuals, seed);
    let mut rng = Rng::new(seed ^ 0xD1CE);
    let at = DateTime::parse_from_rfc3339("2021-10-01T01:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    let reviewers: [&str; 3] = ["nguyen.van.a", "tran.thi.b", "le.van.c"];
    let mut verdicts = Vec::new();
    let mut audit = Vec::new();
    for (i, s) in population.subjects.iter().enumerate() {
        let Some(group) = campaign.group_of_tier(&s.tier) else {
            continue;
        };
        for (ci, c) in group.criteria.iter().enumerate() {
            let value = verdict_value(&mut rng, decided_percent);
            if value == VerdictValue::Pending {
                continue;
            }
            let reviewer = *rng.pick(&reviewers[..]);
            let v = verdict(value, reviewer, at);
            audit.push(AuditEvent {
                seq: audit.len() as u64 + 1,
                at,
                reviewer: v.reviewer.clone(),
                cause: Cause::Edit,
                action: AuditAction::Verdict {
                    subject: s.id.clone(),
                    criterion: c.id.clone(),
                    old: None,
                    new: v.clone(),
                },
            });
            verdicts.push(BackupVerdict {
                subject_no: i as u32 + 1,
                criterion_index: ci as u16,
                verdict: v,
            });
        }
    }
    Body {
        created_at: at,
        schema_version: crate::store::migrate::CURRENT,
        campaign: campaign.clone(),
        subjects: numbered(population.subjects),
        verdicts,
        initiatives: numbered(population.initiatives),
        audit,
        cursors: Default::default(),
        locks: Default::default(),
        claims: Vec::new(),
        assignments: Default::default(),
        journal: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_province() {
        let a = population(2_000, 30_000, 7);
        let b = population(2_000, 30_000, 7);
        assert_eq!(a.subjects, b.subjects);
        assert_eq!(a.subjects.len(), 32_000);
        let collectives = a.subjects.iter().filter(|s| s.tier != "individual").count();
        assert_eq!(collectives, 2_000);
        assert_ne!(
            population(20, 30, 8).subjects,
            population(20, 30, 7).subjects
        );
    }

    #[test]
    fn parents_come_before_children_and_exist() {
        let p = population(500, 2_000, 1);
        let mut seen = std::collections::HashSet::new();
        for s in &p.subjects {
            if let Some(parent) = &s.parent {
                assert!(seen.contains(parent), "{} before its parent {parent}", s.id);
            }
            seen.insert(s.id.clone());
        }
    }
}
