//! Self-assessment claims (tự đánh giá): one per (subject, criterion), in their own tree
//! (`keys::CLAIMS_TREE`; a database made before claims existed reads as having none).
//!
//! An import is one change through the journal like any other (`Store::commit`): every claim
//! it adds, changes or removes, with the audit event naming the file and the counts, in one
//! record, made durable by one `fdatasync` before the import is acknowledged. A process killed
//! before that leaves the old claims; after it, the new ones, replayed from the journal if sled
//! had not kept them. Large imports are applied to sled key by key (see `store::commit`).

use std::ops::ControlFlow;

use super::journal::tree;
use super::{Actor, Cause, Result, Store, StoreError, append_audit, codec, keys};
use crate::domain::{AuditAction, Claim};
use crate::store::feed::Change;

/// One claim to store (`Some`) or remove (`None`), at a subject's number and the criterion's
/// index in its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimWrite {
    pub subject_no: u32,
    pub criterion: u16,
    pub claim: Option<Claim>,
}

/// Counts of a claims import, for the audit event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaimCounts {
    pub added: u64,
    pub updated: u64,
    pub cleared: u64,
}

impl Store {
    fn claims_tree(&self) -> Result<sled::Tree> {
        Ok(self.t()?.claims.clone())
    }

    /// Calls `each` with every stored claim as (subject no, criterion index, claim), in key
    /// order, until `each` breaks.
    pub(crate) fn for_each_claim(
        &self,
        mut each: impl FnMut(u32, u16, Claim) -> ControlFlow<()>,
    ) -> Result<()> {
        for kv in self.claims_tree()?.iter() {
            let (k, v) = kv?;
            let (no, idx) = keys::decode_verdict_key(&k)
                .ok_or_else(|| StoreError::Corrupt("claim key".into()))?;
            let claim = codec::decode_claim(&v)
                .ok_or_else(|| StoreError::Corrupt("a self-assessment claim".into()))?;
            if each(no, idx, claim).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// The stored claim of a subject (by number) on a criterion (by index in its group).
    pub fn claim(&self, subject_no: u32, criterion: u16) -> Result<Option<Claim>> {
        match self
            .claims_tree()?
            .get(keys::verdict_key(subject_no, criterion))?
        {
            Some(v) => Ok(Some(codec::decode_claim(&v).ok_or_else(|| {
                StoreError::Corrupt("a self-assessment claim".into())
            })?)),
            None => Ok(None),
        }
    }

    /// Calls `each` with the subject number of every stored claim, in key order (a subject
    /// with several claims comes once for each), without decoding the claims.
    pub fn each_claimed_subject(&self, each: &mut dyn FnMut(u32)) -> Result<()> {
        for k in self.claims_tree()?.iter().keys() {
            let k = k?;
            let (no, _) = keys::decode_verdict_key(&k)
                .ok_or_else(|| StoreError::Corrupt("claim key".into()))?;
            each(no);
        }
        Ok(())
    }

    /// Every stored claim as (subject no, criterion index, claim), in key order.
    pub fn claims(&self) -> Result<Vec<(u32, u16, Claim)>> {
        let mut out = Vec::new();
        self.for_each_claim(|no, idx, c| {
            out.push((no, idx, c));
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Stores and removes claims, with one audit event naming the file and the counts, as one
    /// journaled change (see the module comment). Callers check the claims first
    /// (`interchange::self_assessment`).
    pub fn write_claims(
        &self,
        writes: &[ClaimWrite],
        source: &str,
        counts: ClaimCounts,
        actor: &Actor,
    ) -> Result<()> {
        self.write_claims_from(
            writes
                .iter()
                .map(|w| (w.subject_no, w.criterion, w.claim.as_ref())),
            source,
            counts,
            actor,
        )
    }

    /// `write_claims` from (subject no, criterion index, claim or none to remove), each slot
    /// at most once: every claim goes straight into the change's journal record
    /// (`Store::commit_stream`), so an import of a million claims holds no second copy of them.
    pub fn write_claims_from<'c>(
        &self,
        writes: impl IntoIterator<Item = (u32, u16, Option<&'c Claim>)>,
        source: &str,
        counts: ClaimCounts,
        actor: &Actor,
    ) -> Result<()> {
        let action = AuditAction::SelfAssessment {
            source: source.to_string(),
            added: counts.added,
            updated: counts.updated,
            cleared: counts.cleared,
        };
        self.guarded(|| {
            self.commit_stream(actor, |st| {
                let mut any = false;
                for (no, criterion, claim) in writes {
                    let key = keys::verdict_key(no, criterion);
                    let value = claim.map(codec::encode_claim);
                    any |= st.set(tree::CLAIMS, &key, value.as_deref())?;
                }
                if any {
                    st.draft(|d| append_audit(d, actor, Cause::Import, action.clone()))?;
                }
                Ok(())
            })
        })?;
        self.feed.send(Change::Roster);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Points, VerdictValue};

    #[test]
    fn claims_are_written_with_one_audit_event_and_read_back_after_reopening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db");
        let campaign = crate::interchange::campaign::sample();
        let actor = Actor::new("an", chrono::Utc::now());
        let store = Store::create(&path, &campaign, &actor).expect("create");
        let roster = crate::interchange::roster::sample(&campaign).expect("roster");
        store
            .upsert_subjects(&roster, "roster", &actor)
            .expect("subjects");
        assert!(store.claims().expect("none yet").is_empty());
        let before = store.audit_len();
        let claim = |value, evidence: &str| Claim {
            value,
            evidence: evidence.into(),
        };
        let writes = vec![
            ClaimWrite {
                subject_no: 1,
                criterion: 0,
                claim: Some(claim(VerdictValue::Met, "Báo cáo số 12")),
            },
            ClaimWrite {
                subject_no: 1,
                criterion: 3,
                claim: Some(claim(VerdictValue::Score(Points::from_hundredths(850)), "")),
            },
        ];
        let counts = ClaimCounts {
            added: 2,
            ..ClaimCounts::default()
        };
        store
            .write_claims(&writes, "tdg.xlsx", counts, &actor)
            .expect("write");
        assert_eq!(store.audit_len(), before + 1);
        drop(store);
        let store = Store::open_moved(&path).expect("reopen");
        let all = store.claims().expect("claims");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], (1, 0, claim(VerdictValue::Met, "Báo cáo số 12")));
        let removal = [ClaimWrite {
            subject_no: 1,
            criterion: 0,
            claim: None,
        }];
        store
            .write_claims(&removal, "tdg.xlsx", ClaimCounts::default(), &actor)
            .expect("remove");
        assert_eq!(store.claims().expect("claims").len(), 1);
        let last = store.audit(None).expect("audit").pop().expect("event");
        assert!(matches!(last.action, AuditAction::SelfAssessment { .. }));

        // A backup carries the claims and a restore brings them back.
        let file = dir.path().join("backup.json");
        store
            .write_backup(&file, chrono::Utc::now())
            .expect("backup");
        let body = super::super::backup::read(&file).expect("read backup");
        assert_eq!(body.claims.len(), 1);
        let restored =
            super::super::backup::restore(&dir.path().join("restored"), &body).expect("restore");
        assert_eq!(
            restored.claims().expect("claims"),
            store.claims().expect("claims")
        );
    }
}
