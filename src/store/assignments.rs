//! Assignments (phân công) in their own journaled tree, `subjectno_reviewer` (journal tree
//! 10): subject number (u32 BE) → the reviewer's name (UTF-8). A database made before it
//! reads as having none. Assigning or clearing any number of subjects is one change through
//! the journal (`Store::commit`) with one audit event naming the reviewer, the selection and
//! how many changed, made durable by one `fdatasync` before it is acknowledged; every console
//! then hears `Change::Assignments`.

use std::collections::HashMap;

use super::journal::tree;
use super::{Actor, Cause, Result, Store, StoreError, append_audit, keys};
use crate::domain::AuditAction;
use crate::store::feed::Change;

impl Store {
    /// Every assignment: subject number → reviewer.
    pub fn assignments(&self) -> Result<HashMap<u32, String>> {
        let mut out = HashMap::new();
        for kv in self.t()?.assignments.iter() {
            let (k, v) = kv?;
            let no =
                keys::decode_no(&k).ok_or_else(|| StoreError::Corrupt("assignment key".into()))?;
            let name = String::from_utf8(v.to_vec())
                .map_err(|_| StoreError::Corrupt("an assignment's reviewer".into()))?;
            out.insert(no, name);
        }
        Ok(out)
    }

    /// Every assignment by subject id: (subject id, reviewer), in roster order.
    pub fn assignments_by_id(&self) -> Result<Vec<(String, String)>> {
        let mut by_no = self.assignments()?;
        if by_no.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::with_capacity(by_no.len());
        self.for_each_subject(|no, subject| {
            if let Some(r) = by_no.remove(&no) {
                out.push((subject.id, r));
            }
            std::ops::ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Sets (`Some`) or clears (`None`) the reviewer of each subject number in `writes`, with
    /// one audit event, as one journaled change. Nothing is written when `writes` is empty.
    pub fn write_assignments(
        &self,
        writes: &[(u32, Option<String>)],
        action: AuditAction,
        actor: &Actor,
    ) -> Result<()> {
        if writes.is_empty() {
            return Ok(());
        }
        self.guarded(|| {
            self.commit(actor, |d| {
                for (no, reviewer) in writes {
                    if d.get(tree::SUBJECTS, &keys::no_key(*no))?.is_none() {
                        return Err(StoreError::Corrupt(format!(
                            "an assignment of subject number {no}, which does not exist"
                        )));
                    }
                    match reviewer {
                        Some(r) => d.insert(tree::ASSIGNMENTS, &keys::no_key(*no), r.as_bytes())?,
                        None => d.remove(tree::ASSIGNMENTS, &keys::no_key(*no))?,
                    };
                }
                append_audit(d, actor, Cause::Edit, action.clone())
            })
        })?;
        self.feed.send(Change::Assignments);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_are_one_audited_change_and_survive_reopening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db");
        let campaign = crate::interchange::campaign::sample();
        let actor = Actor::new("chair", chrono::Utc::now());
        let store = Store::create(&path, &campaign, &actor).expect("create");
        let roster = crate::interchange::roster::sample(&campaign).expect("roster");
        store
            .upsert_subjects(&roster, "roster", &actor)
            .expect("subjects");
        assert!(store.assignments().expect("none yet").is_empty());
        let feed = store.subscribe();
        let before = store.audit_len();
        let action = AuditAction::Assign {
            reviewer: Some("An".into()),
            selection: "tier x".into(),
            changed: 2,
        };
        store
            .write_assignments(
                &[(1, Some("An".into())), (2, Some("An".into()))],
                action,
                &actor,
            )
            .expect("assign");
        assert_eq!(store.audit_len(), before + 1);
        assert_eq!(feed.drain(), vec![Change::Assignments]);
        // A subject number that does not exist is refused, and nothing is written.
        let bad = AuditAction::Assign {
            reviewer: Some("An".into()),
            selection: "x".into(),
            changed: 1,
        };
        assert!(
            store
                .write_assignments(
                    &[(3, Some("Bình".into())), (999_999, Some("An".into()))],
                    bad,
                    &actor
                )
                .is_err()
        );
        assert_eq!(store.audit_len(), before + 1);
        drop(store);
        let store = Store::open_moved(&path).expect("reopen");
        let all = store.assignments().expect("assignments");
        assert_eq!(all.len(), 2);
        assert_eq!(all.get(&1).map(String::as_str), Some("An"));
        let ids = store.assignments_by_id().expect("by id");
        assert_eq!(ids.len(), 2);
        assert_eq!(ids[0].0, roster[0].id);
        let clear = AuditAction::Assign {
            reviewer: None,
            selection: "x".into(),
            changed: 1,
        };
        store
            .write_assignments(&[(1, None)], clear, &actor)
            .expect("clear");
        assert_eq!(store.assignments().expect("assignments").len(), 1);
        let report = store.verify().expect("verify");
        assert!(report.problems.is_empty(), "{:?}", report.problems);

        // A backup carries the assignments and a restore brings them back.
        let file = dir.path().join("backup.json");
        store
            .write_backup(&file, chrono::Utc::now())
            .expect("backup");
        let body = super::super::backup::read(&file).expect("read backup");
        assert_eq!(body.assignments.len(), 1);
        let restored =
            super::super::backup::restore(&dir.path().join("restored"), &body).expect("restore");
        assert_eq!(
            restored.assignments().expect("assignments"),
            store.assignments().expect("assignments")
        );
    }
}
