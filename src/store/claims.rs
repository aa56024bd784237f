//! Self-assessment claims (tự đánh giá): one per (subject, criterion), in their own tree
//! (`keys::CLAIMS_TREE`, opened on first use, so a database made before claims existed reads
//! as having none).
//!
//! An import is all or nothing without holding every claim in one sled transaction (which
//! kept about 600 MB in memory for the 138,000 claims of a province and would not fit at ten
//! times that): the whole new set of claims (the stored ones merged with the file's changes,
//! in key order) is written in chunks into a fresh tree `subjectcriterion_claim.N` and flushed;
//! then one small transaction points `meta/claims_tree` at it and appends the audit event, and
//! is flushed: that is the commit point. Readers always open the tree `meta/claims_tree`
//! names (`keys::CLAIMS_TREE` when unset), so a process killed before the commit point leaves
//! the old claims in force and an unused tree, which the next import drops; after it, the new
//! claims. The replaced tree is dropped once the commit is durable.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use sled::Transactional;

use super::{
    Actor, Cause, Result, Store, StoreError, append_audit, codec, keys, migrate, tx_error,
};
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

/// The meta key naming the tree that holds the claims; unset: `keys::CLAIMS_TREE`.
pub const CURRENT: &[u8] = b"claims_tree";

/// Claims per batch while a new claims tree is written.
const CHUNK: usize = 10_000;

impl Store {
    /// The name of the tree holding the claims now.
    fn claims_tree_name(&self) -> Result<String> {
        Ok(match self.t()?.meta.get(CURRENT)? {
            Some(v) => String::from_utf8_lossy(&v).into_owned(),
            None => keys::CLAIMS_TREE.to_string(),
        })
    }

    fn claims_tree(&self) -> Result<sled::Tree> {
        let name = self.claims_tree_name()?;
        Ok(self.t()?.db.open_tree(name)?)
    }

    /// Calls `each` with every stored claim as (subject no, criterion index, claim), in key
    /// order, until `each` breaks.
    pub fn for_each_claim(
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

    /// Every stored claim as (subject no, criterion index, claim), in key order.
    pub fn claims(&self) -> Result<Vec<(u32, u16, Claim)>> {
        let mut out = Vec::new();
        self.for_each_claim(|no, idx, c| {
            out.push((no, idx, c));
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Stores and removes claims, with one audit event naming the file and the counts, all or
    /// nothing (see the module comment), and flushes before returning. Callers check the
    /// claims first (`interchange::self_assessment`).
    pub fn write_claims(
        &self,
        writes: &[ClaimWrite],
        source: &str,
        counts: ClaimCounts,
        actor: &Actor,
    ) -> Result<()> {
        self.guarded(|| {
            let t = self.t()?;
            let old_name = self.claims_tree_name()?;
            let old = t.db.open_tree(&old_name)?;
            // Trees of imports that never reached their commit point.
            let prefix = format!("{}.", keys::CLAIMS_TREE);
            for name in t.db.tree_names() {
                if name.starts_with(prefix.as_bytes()) && name != old_name.as_bytes() {
                    t.db.drop_tree(&name)?;
                }
            }
            let seq = match t.meta.get(migrate::AUDIT_NEXT)? {
                Some(v) => keys::decode_seq(&v).unwrap_or(1),
                None => 1,
            };
            let new_name = format!("{prefix}{seq}");
            let new = t.db.open_tree(&new_name)?;
            let changes: BTreeMap<[u8; 6], Option<&Claim>> = writes
                .iter()
                .map(|w| {
                    (
                        keys::verdict_key(w.subject_no, w.criterion),
                        w.claim.as_ref(),
                    )
                })
                .collect();
            let mut changes = changes.into_iter().peekable();
            let mut batch = sled::Batch::default();
            let mut n = 0usize;
            let mut put = |batch: &mut sled::Batch, k: &[u8], v: Vec<u8>| -> Result<()> {
                batch.insert(k, v);
                n += 1;
                if n.is_multiple_of(CHUNK) {
                    new.apply_batch(std::mem::take(batch))?;
                }
                Ok(())
            };
            for kv in old.iter() {
                let (k, v) = kv?;
                while let Some((ck, c)) = changes.next_if(|(ck, _)| ck.as_slice() < &k[..]) {
                    if let Some(c) = c {
                        put(&mut batch, &ck, codec::encode_claim(c))?;
                    }
                }
                match changes.next_if(|(ck, _)| ck.as_slice() == &k[..]) {
                    Some((ck, Some(c))) => put(&mut batch, &ck, codec::encode_claim(c))?,
                    Some((_, None)) => {}
                    None => put(&mut batch, &k, v.to_vec())?,
                }
            }
            for (ck, c) in changes {
                if let Some(c) = c {
                    put(&mut batch, &ck, codec::encode_claim(c))?;
                }
            }
            new.apply_batch(batch)?;
            self.flush()?;
            let action = AuditAction::SelfAssessment {
                source: source.to_string(),
                added: counts.added,
                updated: counts.updated,
                cleared: counts.cleared,
            };
            (&t.meta, &t.audit)
                .transaction(|(meta, audit)| {
                    meta.insert(CURRENT, new_name.as_bytes())?;
                    append_audit(meta, audit, actor, Cause::Import, action.clone())?;
                    Ok(())
                })
                .map_err(tx_error)?;
            self.flush()?;
            // The import is committed: the replaced tree is no longer read. Should dropping it
            // fail, the next import drops it.
            drop(old);
            if let Err(e) = t.db.drop_tree(old_name.as_bytes()) {
                tracing::warn!("dropping the replaced claims tree {old_name} failed: {e}");
            }
            drop(t);
            self.feed.send(Change::Roster);
            Ok(())
        })
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
        // An import killed before its commit point leaves a tree nobody reads; the next import
        // drops it.
        let orphan = store
            .t()
            .expect("trees")
            .db
            .open_tree(format!("{}.999", keys::CLAIMS_TREE))
            .expect("orphan");
        orphan
            .insert(
                keys::verdict_key(1, 5),
                codec::encode_claim(&claim(VerdictValue::Met, "")),
            )
            .expect("insert");
        drop(orphan);
        assert_eq!(
            store.claims().expect("claims").len(),
            1,
            "the orphan is not read"
        );
        store
            .write_claims(&[], "again.xlsx", ClaimCounts::default(), &actor)
            .expect("again");
        let names = store.t().expect("trees").db.tree_names();
        let claim_trees: Vec<_> = names
            .iter()
            .filter(|n| n.starts_with(keys::CLAIMS_TREE.as_bytes()))
            .collect();
        assert_eq!(claim_trees.len(), 1, "only the current claims tree is left");
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
