//! Subject locks: a chair closes a subject whose review is final, after which its verdicts
//! and initiatives can no longer be changed until a chair unlocks it. The `locked_subjects`
//! tree maps a subject id (UTF-8 bytes) to a `Lock` (JSON: who locked it and when). Writes
//! check the lock inside their own transaction, so a write racing a lock cannot slip past it.

use super::journal::tree;
use super::{
    Actor, Change, Result, Store, StoreError, append_subject_audit, decode_verdict, json, keys,
    unjson,
};
use crate::domain::{AuditAction, Cause, VerdictValue};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The tree's name.
pub(crate) const TREE: &str = "locked_subjects";

/// Who locked a subject, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Inside a change being built: refuses the write if `subject` is locked.
pub(super) fn refuse_if_locked(d: &super::commit::Draft<'_>, subject: &str) -> Result<()> {
    if let Some(v) = d.get(super::journal::tree::LOCKS, subject.as_bytes())? {
        let lock: Lock = unjson("lock", &v)?;
        return Err(StoreError::SubjectLocked {
            subject: subject.to_string(),
            by: lock.by,
            at: lock.at,
        });
    }
    Ok(())
}

impl Store {
    /// Locks a subject whose every criterion is decided (met, not met or a score); refused
    /// while any is pending or needs explanation. Locking a locked subject changes nothing.
    /// The check, the lock and its audit event are one transaction, so a verdict written at
    /// the same moment cannot leave a locked subject that is not final.
    pub fn lock_subject(&self, subject: &str, actor: &Actor) -> Result<Lock> {
        self.guarded(|| {
            let unknown = || StoreError::UnknownSubject(subject.to_string());
            let s = self.subject(subject)?.ok_or_else(unknown)?;
            let no = self.subject_no(subject)?.ok_or_else(unknown)?;
            let group = self.campaign().group_of_tier(&s.tier).ok_or_else(unknown)?;
            let slots: Vec<(&str, [u8; 6])> = group
                .criteria
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), keys::verdict_key(no, i as u16)))
                .collect();
            let lock = Lock {
                by: actor.reviewer.clone(),
                at: actor.at,
            };
            let held = self.commit(actor, |d| {
                if let Some(v) = d.get(tree::LOCKS, subject.as_bytes())? {
                    return Ok(Some(unjson::<Lock>("lock", &v)?));
                }
                let mut open = Vec::new();
                for (criterion, key) in &slots {
                    let value = match d.get(tree::VERDICTS, key)? {
                        Some(v) => Some(decode_verdict(&v)?.value),
                        None => None,
                    };
                    if !matches!(
                        value,
                        Some(VerdictValue::Met | VerdictValue::NotMet | VerdictValue::Score(_))
                    ) {
                        open.push(criterion.to_string());
                    }
                }
                if !open.is_empty() {
                    return Err(StoreError::NotFinal {
                        subject: subject.to_string(),
                        open,
                    });
                }
                d.insert(tree::LOCKS, subject.as_bytes(), json(&lock))?;
                let action = AuditAction::Lock {
                    subject: subject.to_string(),
                };
                append_subject_audit(d, no, actor, Cause::Edit, action)?;
                Ok(None)
            })?;
            if let Some(held) = held {
                return Ok(held);
            }
            self.feed.send(Change::Roster);
            Ok(lock)
        })
    }

    /// Unlocks a subject, recording it in the audit trail; unlocking an unlocked subject
    /// changes nothing.
    pub(crate) fn unlock_subject(&self, subject: &str, actor: &Actor) -> Result<()> {
        self.guarded(|| {
            let Some(no) = self.subject_no(subject)? else {
                return Ok(());
            };
            let removed = self.commit(actor, |d| {
                if d.remove(tree::LOCKS, subject.as_bytes())?.is_none() {
                    return Ok(false);
                }
                let action = AuditAction::Unlock {
                    subject: subject.to_string(),
                };
                append_subject_audit(d, no, actor, Cause::Edit, action)?;
                Ok(true)
            })?;
            if removed {
                self.feed.send(Change::Roster);
            }
            Ok(())
        })
    }

    /// The subject's lock, if it is locked.
    pub fn subject_lock(&self, subject: &str) -> Result<Option<Lock>> {
        match self.t()?.locks.get(subject.as_bytes())? {
            Some(v) => Ok(Some(unjson("lock", &v)?)),
            None => Ok(None),
        }
    }

    /// Every locked subject with its lock, by subject id.
    pub fn locked_subjects(&self) -> Result<Vec<(String, Lock)>> {
        self.t()?
            .locks
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                let id = String::from_utf8(k.to_vec())
                    .map_err(|_| StoreError::Corrupt("lock key".into()))?;
                Ok((id, unjson("lock", &v)?))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Cause, Subject};
    use crate::store::VerdictWrite;

    fn actor(name: &str) -> Actor {
        Actor::new(name, Utc::now())
    }

    fn write(criterion: &str, value: VerdictValue, base: u64) -> VerdictWrite {
        VerdictWrite {
            subject: "CB1".into(),
            criterion: criterion.into(),
            value,
            note: "x".into(),
            base_version: base,
            cause: Cause::Edit,
            cell: None,
        }
    }

    #[test]
    fn a_final_subject_locks_refuses_writes_and_unlocks() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::create(
            &dir.path().join("db"),
            &crate::interchange::campaign::sample(),
            &actor("admin"),
        )
        .expect("create");
        store
            .upsert_subjects(
                &[Subject {
                    id: "CB1".into(),
                    name: "Đặng Thị Ánh".into(),
                    tier: "individual".into(),
                    parent: None,
                    registered_on: None,
                }],
                "test",
                &actor("admin"),
            )
            .expect("subjects");
        let chair = actor("Chủ tịch");
        match store.lock_subject("CB1", &chair) {
            Err(StoreError::NotFinal { open, .. }) => assert_eq!(open.len(), 4),
            other => panic!("expected NotFinal, got {other:?}"),
        }
        for c in ["CN1", "CN2", "CN3", "CN4"] {
            store
                .set_verdict(&write(c, VerdictValue::Met, 0), &actor("An"))
                .expect("verdict");
        }
        let feed = store.subscribe();
        store.lock_subject("CB1", &chair).expect("lock");
        assert_eq!(feed.drain(), vec![Change::Roster]);
        assert_eq!(
            store.subject_lock("CB1").expect("read").map(|l| l.by),
            Some("Chủ tịch".to_string())
        );
        let e = store
            .set_verdict(&write("CN1", VerdictValue::NotMet, 1), &actor("An"))
            .expect_err("refused");
        assert!(matches!(e, StoreError::SubjectLocked { .. }));
        assert!(e.to_string().contains("locked by Chủ tịch"), "{e}");
        assert_eq!(store.locked_subjects().expect("list").len(), 1);
        let before = store.audit_len();
        store.lock_subject("CB1", &chair).expect("locking again");
        assert_eq!(
            store.audit_len(),
            before,
            "locking a locked subject records nothing"
        );
        store.unlock_subject("CB1", &chair).expect("unlock");
        store.unlock_subject("CB1", &chair).expect("unlock again");
        store
            .set_verdict(&write("CN1", VerdictValue::NotMet, 1), &actor("An"))
            .expect("allowed again");
        // The chair's lock and unlock are in the subject's audit trail, in order.
        let trail: Vec<(String, AuditAction)> = store
            .audit(Some("CB1"))
            .expect("audit")
            .into_iter()
            .map(|e| (e.reviewer, e.action))
            .filter(|(_, a)| matches!(a, AuditAction::Lock { .. } | AuditAction::Unlock { .. }))
            .collect();
        assert_eq!(
            trail,
            vec![
                (
                    "Chủ tịch".to_string(),
                    AuditAction::Lock {
                        subject: "CB1".into()
                    }
                ),
                (
                    "Chủ tịch".to_string(),
                    AuditAction::Unlock {
                        subject: "CB1".into()
                    }
                ),
            ]
        );
    }
}
