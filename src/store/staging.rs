//! Imports at scale: all or nothing without all in memory. One sled transaction over every
//! record of a 320,000-row roster holds all of it, and more, in memory until it commits; here
//! the records go through a staging tree instead, in chunks, and are made visible by a redo
//! log:
//!
//! 1. the staging tree is emptied (a refused or killed import may have left rows in it), then
//!    filled chunk by chunk (`CHUNK` records per batch) with the final subject records and the
//!    id index entries of new subjects, and flushed;
//! 2. the commit point: one small transaction writes the pending-import marker, the next
//!    subject number and the audit event, and is flushed;
//! 3. the staged records are copied into the subject trees chunk by chunk, flushed, and the
//!    marker and the staging tree are cleared.
//!
//! A process killed before step 2 changed nothing readable: the staging tree is ignored and
//! emptied by the next import. Killed after step 2, the import is committed and
//! `finish_pending_import`, run whenever the database is opened, completes step 3 before
//! anything reads the subjects (sled lets one process at a time open the database, so no
//! reader can see a half-copied roster).

use sled::Transactional;

use super::{
    Actor, Cause, ImportCounts, Result, Store, StoreError, append_audit, json, keys, migrate,
    tx_error,
};
use crate::domain::{AuditAction, Subject};
use crate::store::feed::Change;

/// Records per staged batch.
pub const CHUNK: usize = 10_000;

/// The staging tree's name.
pub const TREE: &str = "import_staging";

/// The meta key set between the commit point and the end of the copy.
pub const PENDING: &[u8] = b"import_pending";

/// Staging key prefixes: which tree a staged record goes to.
const TO_SUBJECTS: u8 = 0;
const TO_IDS: u8 = 1;

impl Store {
    /// Adds new subjects and updates existing ones (matched by id), as `upsert_subjects` does,
    /// through the staging tree: memory stays bounded by one chunk on top of `incoming`.
    pub fn upsert_subjects_staged(
        &self,
        incoming: &[Subject],
        source: &str,
        actor: &Actor,
    ) -> Result<ImportCounts> {
        self.guarded(|| {
            let t = self.t()?;
            let staging = t.db.open_tree(TREE)?;
            staging.clear()?;
            let mut next = match t.meta.get(migrate::SUBJECT_NEXT)? {
                Some(v) => keys::decode_no(&v).unwrap_or(1),
                None => 1,
            };
            let mut counts = ImportCounts::default();
            let mut new_ids: std::collections::HashMap<&str, u32> =
                std::collections::HashMap::new();
            for chunk in incoming.chunks(CHUNK) {
                let mut batch = sled::Batch::default();
                for s in chunk {
                    let known = match new_ids.get(s.id.as_str()) {
                        Some(no) => Some(*no),
                        None => self.subject_no(&s.id)?,
                    };
                    let record = json(s);
                    match known {
                        Some(no) => {
                            let old = t.subjects.get(keys::no_key(no))?;
                            if old.as_deref() == Some(record.as_slice()) {
                                counts.unchanged += 1;
                                continue;
                            }
                            counts.updated += 1;
                            batch.insert(staged(TO_SUBJECTS, &keys::no_key(no)), record);
                        }
                        None => {
                            counts.added += 1;
                            batch.insert(staged(TO_SUBJECTS, &keys::no_key(next)), record);
                            batch.insert(staged(TO_IDS, s.id.as_bytes()), &keys::no_key(next));
                            new_ids.insert(&s.id, next);
                            next += 1;
                        }
                    }
                }
                staging.apply_batch(batch)?;
            }
            drop(new_ids);
            self.flush()?;
            let action = AuditAction::Import {
                source: source.to_string(),
                added: counts.added,
                updated: counts.updated,
            };
            (&t.meta, &t.audit)
                .transaction(|(meta, audit)| {
                    meta.insert(PENDING, source.as_bytes())?;
                    meta.insert(migrate::SUBJECT_NEXT, &keys::no_key(next))?;
                    append_audit(meta, audit, actor, Cause::Import, action.clone())?;
                    Ok(())
                })
                .map_err(tx_error)?;
            self.flush()?;
            self.finish_pending_import()?;
            self.feed.send(Change::Roster);
            Ok(counts)
        })
    }

    /// Completes a committed import whose copy was cut short (see the module comment); does
    /// nothing when none is pending. Returns whether one was completed.
    pub fn finish_pending_import(&self) -> Result<bool> {
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
        self.flush()?;
        t.meta.remove(PENDING)?;
        staging.clear()?;
        self.flush()?;
        Ok(true)
    }
}

fn staged(to: u8, key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(key.len() + 1);
    k.push(to);
    k.extend_from_slice(key);
    k
}
