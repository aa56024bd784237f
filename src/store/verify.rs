//! `verify`: checks a database's integrity beyond what sled checks itself: every reference
//! resolves, the id indexes agree with the records, the audit trail is gapless, and every
//! stored verdict is the latest value its audit trail records.

use std::collections::HashMap;

use super::{Result, Store, keys, migrate};
use crate::domain::AuditAction;

/// What `verify` found: counts of what it checked, and every problem in plain words.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub subjects: usize,
    pub verdicts: usize,
    pub initiatives: usize,
    pub audit_events: usize,
    pub problems: Vec<String>,
    /// Initiatives whose decision breaks a rule of `domain::decision_problems`, by id; worded
    /// from the catalogue by whoever shows the report.
    #[serde(default)]
    pub decisions: Vec<(String, crate::domain::DecisionProblem)>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty() && self.decisions.is_empty()
    }
}

impl Store {
    pub fn verify(&self) -> Result<Report> {
        let mut r = Report::default();
        let c = &self.campaign;
        if migrate::version(&self.t()?.meta)? != Some(migrate::CURRENT) {
            r.problems.push("the schema version is not current".into());
        }
        let subjects = self.subjects()?;
        r.subjects = subjects.len();
        let by_id: HashMap<&str, &crate::domain::Subject> =
            subjects.iter().map(|(_, s)| (s.id.as_str(), s)).collect();
        let by_no: HashMap<u32, &crate::domain::Subject> =
            subjects.iter().map(|(no, s)| (*no, s)).collect();
        for (no, s) in &subjects {
            if self.subject_no(&s.id)? != Some(*no) {
                r.problems.push(format!(
                    "subject {}: the id index does not point to it",
                    s.id
                ));
            }
            let Some(tier) = c.tier(&s.tier) else {
                r.problems
                    .push(format!("subject {}: unknown tier {:?}", s.id, s.tier));
                continue;
            };
            match &s.parent {
                None if !tier.parents.is_empty() => r
                    .problems
                    .push(format!("subject {}: has no parent unit", s.id)),
                Some(p) => match by_id.get(p.as_str()) {
                    None => r
                        .problems
                        .push(format!("subject {}: parent {p} does not exist", s.id)),
                    Some(parent) if !tier.parents.contains(&parent.tier) => r.problems.push(
                        format!("subject {}: parent {p} is of tier {}", s.id, parent.tier),
                    ),
                    Some(_) => {}
                },
                None => {}
            }
        }
        if self.t()?.subject_ids.len() != subjects.len() {
            r.problems.push(format!(
                "the subject id index has {} entries for {} subjects",
                self.t()?.subject_ids.len(),
                subjects.len()
            ));
        }

        let audit = self.audit(None)?;
        r.audit_events = audit.len();
        for (n, e) in audit.iter().enumerate() {
            if e.seq != n as u64 + 1 {
                r.problems
                    .push(format!("the audit trail has a gap before event {}", e.seq));
                break;
            }
        }
        let next = self
            .t()?
            .meta
            .get(migrate::AUDIT_NEXT)?
            .and_then(|v| keys::decode_seq(&v))
            .unwrap_or(1);
        if next != audit.len() as u64 + 1 {
            r.problems.push(format!(
                "the audit counter is {next} but the trail holds {} events",
                audit.len()
            ));
        }
        // Every event about a subject is in that subject's index of events (the history reads
        // only the index), and the index lists nothing else.
        let mut indexed = 0usize;
        for e in &audit {
            let Some(subject) = e.action.subject() else {
                continue;
            };
            let Some(no) = self.subject_no(subject)? else {
                continue;
            };
            indexed += 1;
            if !self
                .t()?
                .subject_audit
                .contains_key(keys::subject_seq_key(no, e.seq))?
            {
                r.problems.push(format!(
                    "audit event {} about {subject} is missing from its history index",
                    e.seq
                ));
            }
        }
        if self.t()?.subject_audit.len() != indexed {
            r.problems.push(format!(
                "the history index has {} entries for {indexed} events about subjects",
                self.t()?.subject_audit.len()
            ));
        }
        let mut last_verdict = HashMap::new();
        for e in &audit {
            if let AuditAction::Verdict {
                subject,
                criterion,
                new,
                ..
            } = &e.action
            {
                last_verdict.insert((subject.as_str(), criterion.as_str()), new);
            }
        }

        let verdicts = self.verdicts()?;
        r.verdicts = verdicts.len();
        for (no, idx, v) in &verdicts {
            let Some(s) = by_no.get(no) else {
                r.problems
                    .push(format!("a verdict belongs to missing subject number {no}"));
                continue;
            };
            let Some(criterion) = c
                .group_of_tier(&s.tier)
                .and_then(|g| g.criteria.get(usize::from(*idx)))
            else {
                r.problems
                    .push(format!("subject {}: a verdict names no criterion", s.id));
                continue;
            };
            match last_verdict.get(&(s.id.as_str(), criterion.id.as_str())) {
                Some(logged) if *logged == v => {}
                Some(_) => r.problems.push(format!(
                    "{} {}: the stored verdict differs from the last one in the audit trail",
                    s.id, criterion.id
                )),
                None => r.problems.push(format!(
                    "{} {}: the verdict has no audit trail",
                    s.id, criterion.id
                )),
            }
        }

        let today = chrono::Utc::now()
            .with_timezone(&crate::domain::vietnam())
            .date_naive();
        let initiatives = self.initiatives()?;
        r.initiatives = initiatives.len();
        for i in &initiatives {
            if !by_id.contains_key(i.owner.as_str()) {
                r.problems.push(format!(
                    "initiative {}: owner {} does not exist",
                    i.id, i.owner
                ));
            }
            for p in crate::domain::decision_problems(
                i.submitted_on,
                i.status,
                i.recognition.as_ref(),
                today,
            ) {
                r.decisions.push((i.id.clone(), p));
            }
        }
        Ok(r)
    }
}
