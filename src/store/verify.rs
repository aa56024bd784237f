//! `verify`: checks a database's integrity beyond what sled checks itself: every reference
//! resolves, the id indexes agree with the records, the audit trail is gapless, and every
//! stored verdict is the latest value its audit trail records.

use std::collections::HashMap;

use std::sync::PoisonError;

use super::{Result, Store, keys, migrate};
use crate::domain::AuditAction;

/// What `verify` found: counts of what it checked, and every problem in plain words.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub subjects: usize,
    pub verdicts: usize,
    pub initiatives: usize,
    pub audit_events: usize,
    /// Records of the change journal checked (0 from a build without the journal).
    #[serde(default)]
    pub journal_records: u64,
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
        let mut r = self.verify_content()?;
        self.verify_journal(&mut r)?;
        Ok(r)
    }

    /// Every check of `verify` but the journal's: what a database being restored, which has
    /// no journal yet, can be checked for before it is moved into place.
    pub(crate) fn verify_content(&self) -> Result<Report> {
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

    /// Checks the whole change journal (checksums, sequence, hash chain), folds it into the
    /// state it describes, and compares that with sled's, key by key over every journaled
    /// tree: a verdict, initiative or lock that differs is reported by subject and criterion
    /// (or initiative), anything else by tree and count. Commits wait while it runs.
    fn verify_journal(&self, r: &mut Report) -> Result<()> {
        use super::commit::APPLIED;
        use super::journal::{self, tree};
        use std::collections::BTreeMap;

        let mut held = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(j) = held.as_mut() {
            // Every record written is in sled before the two are compared.
            self.settle(j)?;
        }
        let t = self.t()?;
        let mut folded: BTreeMap<(u8, Vec<u8>), Vec<u8>> = BTreeMap::new();
        let mut out_of_step = Vec::new();
        let scanned = journal::scan(&self.path.join(journal::DIR), |rec, at| {
            if rec.kind == journal::KIND_CHECKPOINT {
                // A later checkpoint is the whole state: it must be what the records before
                // it left, and it is where the fold goes on from.
                let state: BTreeMap<(u8, Vec<u8>), Vec<u8>> = rec
                    .ops
                    .into_iter()
                    .filter_map(|op| Some(((op.tree, op.key), op.new?)))
                    .collect();
                if !folded.is_empty() && state != folded && out_of_step.len() < 20 {
                    out_of_step.push(format!(
                        "journal record {} ({}, offset {}): the checkpoint is not the state the records before it left",
                        rec.seq,
                        at.segment.display(),
                        at.offset
                    ));
                }
                folded = state;
                return;
            }
            for op in rec.ops {
                let k = (op.tree, op.key);
                if rec.kind == journal::KIND_CHANGE
                    && folded.get(&k) != op.old.as_ref()
                    && out_of_step.len() < 20
                {
                    out_of_step.push(format!(
                        "journal record {} ({}, offset {}): the value it changed in {} is not the one the records before it left",
                        rec.seq,
                        at.segment.display(),
                        at.offset,
                        tree::NAMES[usize::from(k.0)]
                    ));
                }
                match op.new {
                    Some(v) => folded.insert(k, v),
                    None => folded.remove(&k),
                };
            }
        });
        let tail = match scanned {
            Ok(tail) => tail,
            Err(d) => {
                r.problems.push(d.to_string());
                return Ok(());
            }
        };
        r.journal_records = tail.records;
        r.problems.extend(out_of_step);
        if tail.records == 0 {
            r.problems.push("the database has no change journal".into());
            return Ok(());
        }
        // Keys differing between the journal's state and sled's, by tree.
        let mut differ: Vec<(u8, Vec<u8>)> = Vec::new();
        for id in 0..tree::NAMES.len() as u8 {
            let mut sled_keys = std::collections::BTreeSet::new();
            for kv in t.tree(id).iter() {
                let (k, v) = kv?;
                if id == tree::META && k.as_ref() == APPLIED {
                    continue;
                }
                if folded.get(&(id, k.to_vec())).map(Vec::as_slice) != Some(v.as_ref()) {
                    differ.push((id, k.to_vec()));
                }
                sled_keys.insert(k.to_vec());
            }
            for (tr, k) in folded.range((id, Vec::new())..) {
                if tr.0 != id {
                    break;
                }
                let _ = k;
                if !sled_keys.contains(&tr.1) {
                    differ.push(tr.clone());
                }
            }
        }
        let subject_of = |no: u32| -> Option<crate::domain::Subject> {
            let v = folded.get(&(tree::SUBJECTS, keys::no_key(no).to_vec()))?;
            serde_json::from_slice(v).ok()
        };
        let mut others: BTreeMap<u8, usize> = BTreeMap::new();
        for (id, k) in &differ {
            match *id {
                tree::VERDICTS => {
                    let named = keys::decode_verdict_key(k).and_then(|(no, idx)| {
                        let s = subject_of(no)?;
                        let c = self
                            .campaign
                            .group_of_tier(&s.tier)?
                            .criteria
                            .get(usize::from(idx))?
                            .id
                            .clone();
                        Some((s.id, c))
                    });
                    r.problems.push(match named {
                        Some((s, c)) => format!(
                            "{s} {c}: the verdict in the database is not the one the change journal records"
                        ),
                        None => "a verdict in the database is not in the change journal".into(),
                    });
                }
                tree::INITIATIVES => {
                    let id = folded
                        .get(&(tree::INITIATIVES, k.clone()))
                        .and_then(|v| serde_json::from_slice::<crate::domain::Initiative>(v).ok())
                        .map_or_else(|| "?".to_string(), |i| i.id);
                    r.problems.push(format!(
                        "initiative {id}: the database is not what the change journal records"
                    ));
                }
                tree::LOCKS => r.problems.push(format!(
                    "{}: the lock in the database is not what the change journal records",
                    String::from_utf8_lossy(k)
                )),
                other => *others.entry(other).or_default() += 1,
            }
        }
        for (id, n) in others {
            r.problems.push(format!(
                "{n} key(s) of {} differ from the change journal",
                tree::NAMES[usize::from(id)]
            ));
        }
        Ok(())
    }
}
