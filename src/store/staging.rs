//! Imports at scale. A roster import is one journal record (every subject record it writes,
//! with the value before), made durable with one sync; the record is then applied to sled key
//! by key (`commit::apply` for a large record), not in one sled transaction, which would hold
//! all of it in memory. The applied sequence is written last, so an import killed half-way
//! into sled is applied again from the journal at the next open: nothing readable is ever
//! half an import once the database is open.
//!
//! Databases from before the journal may hold an import committed through the staging tree
//! that was then used (a pending-import marker in `meta` and the records in
//! `import_staging`); `finish_pending_import`, run at every open before the journal is
//! attached, completes its copy.

use super::journal::tree;
use super::{
    Actor, Cause, ImportCounts, Result, Store, StoreError, append_audit, json, keys, migrate,
};
use crate::domain::{AuditAction, Subject};
use crate::store::feed::Change;

/// Records per staged batch.
pub const CHUNK: usize = 10_000;

/// The staging tree's name.
pub(crate) const TREE: &str = "import_staging";

/// The meta key set between the commit point and the end of the copy.
pub(crate) const PENDING: &[u8] = b"import_pending";

/// Staging key prefixes: which tree a staged record goes to.
const TO_SUBJECTS: u8 = 0;
const TO_IDS: u8 = 1;

impl Store {
    /// Adds new subjects and updates existing ones (matched by id), as `upsert_subjects` does,
    /// through the staging tree: memory stays bounded by one chunk on top of `incoming`.
    pub(crate) fn upsert_subjects_staged(
        &self,
        incoming: &[Subject],
        source: &str,
        actor: &Actor,
    ) -> Result<ImportCounts> {
        self.guarded(|| {
            let counts = self.commit(actor, |d| {
                let mut next = match d.get(tree::META, migrate::SUBJECT_NEXT)? {
                    Some(v) => keys::decode_no(&v).unwrap_or(1),
                    None => 1,
                };
                let mut counts = ImportCounts::default();
                for s in incoming {
                    let known = d
                        .get(tree::SUBJECT_IDS, s.id.as_bytes())?
                        .and_then(|v| keys::decode_no(&v));
                    let record = json(s);
                    match known {
                        Some(no) => {
                            let old = d.get(tree::SUBJECTS, &keys::no_key(no))?;
                            if old.as_deref() == Some(record.as_slice()) {
                                counts.unchanged += 1;
                                continue;
                            }
                            counts.updated += 1;
                            d.insert(tree::SUBJECTS, &keys::no_key(no), record)?;
                        }
                        None => {
                            counts.added += 1;
                            d.insert(tree::SUBJECTS, &keys::no_key(next), record)?;
                            d.insert(tree::SUBJECT_IDS, s.id.as_bytes(), keys::no_key(next))?;
                            next += 1;
                        }
                    }
                }
                d.insert(tree::META, migrate::SUBJECT_NEXT, keys::no_key(next))?;
                let action = AuditAction::Import {
                    source: source.to_string(),
                    added: counts.added,
                    updated: counts.updated,
                };
                append_audit(d, actor, Cause::Import, action)?;
                Ok(counts)
            })?;
            self.feed.send(Change::Roster);
            Ok(counts)
        })
    }

    /// Completes a committed import whose copy was cut short (see the module comment); does
    /// nothing when none is pending. Returns whether one was completed.
    pub(crate) fn finish_pending_import(&self) -> Result<bool> {
        let t = self.t()?;
        if t.meta.get(PENDING)?.is_none() {
            return Ok(false);
        }
        let staging = t.db.open_tree(TREE)?;
        let mut subjects = sled::Batch::default();
        let mut ids = sled::Batch::default();
        let mut n = 0;
        for kv in staging.iter() {
            let (k, v) = kv?;
            match k.split_first() {
                Some((&TO_SUBJECTS, key)) => subjects.insert(key, v),
                Some((&TO_IDS, key)) => ids.insert(key, v),
                _ => return Err(StoreError::Corrupt("a staged import record".into())),
            }
            n += 1;
            if n % CHUNK == 0 {
                t.subjects.apply_batch(std::mem::take(&mut subjects))?;
                t.subject_ids.apply_batch(std::mem::take(&mut ids))?;
            }
        }
        t.subjects.apply_batch(subjects)?;
        t.subject_ids.apply_batch(ids)?;
        t.db.flush()?;
        t.meta.remove(PENDING)?;
        staging.clear()?;
        t.db.flush()?;
        Ok(true)
    }
}
