//! Imports at scale. A roster import is one journal record (every subject record it writes,
//! with the value before), written op by op straight into the record's payload
//! (`Store::commit_stream`, no list of ops beside it) and made durable with one sync; the
//! record is then applied to sled key by key from that payload, not in one sled transaction,
//! which would hold all of it in memory. The applied sequence is written last, so an import
//! killed half-way into sled is applied again from the journal at the next open: nothing
//! readable is ever half an import once the database is open.
//!
//! Databases from before the journal may hold an import committed through the staging tree
//! that was then used (a pending-import marker in `meta` and the records in
//! `import_staging`); `finish_pending_import`, run at every open before the journal is
//! attached, completes its copy.

use super::journal::tree;
use super::{Actor, Cause, ImportCounts, Result, Store, StoreError, append_audit, keys, migrate};
use crate::domain::{AuditAction, Initiative, Subject};
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
    /// as one journal record written op by op (`Store::commit_stream`): memory is `incoming`
    /// and the record, not a list of ops beside them.
    pub(crate) fn upsert_subjects_staged(
        &self,
        incoming: &[Subject],
        source: &str,
        actor: &Actor,
    ) -> Result<ImportCounts> {
        self.guarded(|| {
            let counts = self.commit_stream(actor, |st| {
                let mut next = match st.get(tree::META, migrate::SUBJECT_NEXT)? {
                    Some(v) => keys::decode_no(&v).unwrap_or(1),
                    None => 1,
                };
                let mut counts = ImportCounts::default();
                let mut record = Vec::new();
                for s in incoming {
                    let known = st
                        .get(tree::SUBJECT_IDS, s.id.as_bytes())?
                        .and_then(|v| keys::decode_no(&v));
                    record.clear();
                    serde_json::to_writer(&mut record, s)
                        .map_err(|e| StoreError::Corrupt(format!("a subject: {e}")))?;
                    match known {
                        Some(no) => {
                            if st.set(tree::SUBJECTS, &keys::no_key(no), Some(&record))? {
                                counts.updated += 1;
                            } else {
                                counts.unchanged += 1;
                            }
                        }
                        None => {
                            counts.added += 1;
                            st.set(tree::SUBJECTS, &keys::no_key(next), Some(&record))?;
                            st.set(
                                tree::SUBJECT_IDS,
                                s.id.as_bytes(),
                                Some(&keys::no_key(next)),
                            )?;
                            next += 1;
                        }
                    }
                }
                close_import(st, &counts, migrate::SUBJECT_NEXT, next, source, actor)?;
                Ok(counts)
            })?;
            self.feed.send(Change::Roster);
            Ok(counts)
        })
    }

    /// Calls `each` with every subject in roster order, for an import's checks (which read
    /// the stored roster as a stream, not as a list beside the file's rows).
    pub fn each_subject(&self, each: &mut dyn FnMut(Subject)) -> Result<()> {
        self.each_subject_numbered(&mut |_, s| each(s))
    }

    /// `each_subject` with each subject's number.
    pub fn each_subject_numbered(&self, each: &mut dyn FnMut(u32, Subject)) -> Result<()> {
        self.for_each_subject(|no, s| {
            each(no, s);
            std::ops::ControlFlow::Continue(())
        })
    }

    /// Adds new initiatives and updates existing ones, as `upsert_initiatives` does (the
    /// title, owner and submission date; a status decided here is kept), as one journal
    /// record written op by op (`Store::commit_stream`). A list naming an id twice (which the
    /// importer refuses before) goes through `upsert_initiatives`.
    pub fn upsert_initiatives_staged(
        &self,
        incoming: &[Initiative],
        source: &str,
        actor: &Actor,
    ) -> Result<ImportCounts> {
        let mut ids = std::collections::HashSet::with_capacity(incoming.len());
        if !incoming.iter().all(|i| ids.insert(i.id.as_str())) {
            return self.upsert_initiatives(incoming, source, actor);
        }
        drop(ids);
        self.guarded(|| {
            let counts = self.commit_stream(actor, |st| {
                let mut next = match st.get(tree::META, migrate::INITIATIVE_NEXT)? {
                    Some(v) => keys::decode_no(&v).unwrap_or(1),
                    None => 1,
                };
                let mut counts = ImportCounts::default();
                for i in incoming {
                    let known = st
                        .get(tree::INITIATIVE_IDS, i.id.as_bytes())?
                        .and_then(|v| keys::decode_no(&v));
                    let stored = match known {
                        Some(no) => st.get(tree::INITIATIVES, &keys::no_key(no))?,
                        None => None,
                    };
                    match (known, stored) {
                        (Some(no), Some(bytes)) => {
                            let old: Initiative = serde_json::from_slice(&bytes)
                                .map_err(|e| StoreError::Corrupt(format!("initiative: {e}")))?;
                            let mut merged = old.clone();
                            merged.title = i.title.clone();
                            merged.owner = i.owner.clone();
                            merged.submitted_on = i.submitted_on;
                            if merged == old {
                                counts.unchanged += 1;
                            } else {
                                counts.updated += 1;
                                merged.version += 1;
                                let record = serde_json::to_vec(&merged)
                                    .map_err(|e| StoreError::Corrupt(format!("initiative: {e}")))?;
                                st.set(tree::INITIATIVES, &keys::no_key(no), Some(&record))?;
                            }
                        }
                        (Some(no), None) => {
                            // An id whose record is gone: stored again as given.
                            counts.updated += 1;
                            let mut again = i.clone();
                            again.version += 1;
                            let record = serde_json::to_vec(&again)
                                .map_err(|e| StoreError::Corrupt(format!("initiative: {e}")))?;
                            st.set(tree::INITIATIVES, &keys::no_key(no), Some(&record))?;
                        }
                        (None, _) => {
                            counts.added += 1;
                            let mut new = i.clone();
                            new.version = 1;
                            let record = serde_json::to_vec(&new)
                                .map_err(|e| StoreError::Corrupt(format!("initiative: {e}")))?;
                            st.set(tree::INITIATIVES, &keys::no_key(next), Some(&record))?;
                            st.set(
                                tree::INITIATIVE_IDS,
                                i.id.as_bytes(),
                                Some(&keys::no_key(next)),
                            )?;
                            next += 1;
                        }
                    }
                }
                close_import(st, &counts, migrate::INITIATIVE_NEXT, next, source, actor)?;
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

/// The end of a streamed import: nothing more when nothing changed; else the next free number
/// (under `next_key`) and the one audit event naming the file and the counts, in the same record.
fn close_import(
    st: &mut super::commit::Stream<'_>,
    counts: &ImportCounts,
    next_key: &[u8],
    next: u32,
    source: &str,
    actor: &Actor,
) -> Result<()> {
    if counts.added == 0 && counts.updated == 0 {
        return Ok(());
    }
    let action = AuditAction::Import {
        source: source.to_string(),
        added: counts.added,
        updated: counts.updated,
    };
    st.draft(|d| {
        d.insert(tree::META, next_key, keys::no_key(next))?;
        append_audit(d, actor, Cause::Import, action)
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::journal;
    use super::*;

    fn subject(k: usize, name: &str) -> Subject {
        Subject {
            id: format!("CB{k:05}"),
            name: name.into(),
            tier: "individual".into(),
            parent: Some("D01".into()),
            registered_on: None,
        }
    }

    #[test]
    fn a_streamed_import_is_one_record_with_the_values_before_and_verifies() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db");
        let campaign = crate::interchange::campaign::sample();
        let actor = Actor::new("an", chrono::Utc::now());
        let store = Store::create(&path, &campaign, &actor).expect("create");
        let district = Subject {
            id: "D01".into(),
            name: "Huyện 1".into(),
            tier: "district".into(),
            parent: None,
            registered_on: None,
        };
        let mut rows = vec![district];
        rows.extend((0..6_000).map(|k| subject(k, &format!("Nguyễn Văn {k}"))));
        let counts = store
            .upsert_subjects_staged(&rows, "a.csv", &actor)
            .expect("first import");
        assert_eq!((counts.added, counts.updated), (6_001, 0));
        assert_eq!(store.subject_count(), 6_001);

        // Again with one name changed: one op for that subject, with its value before.
        rows[42] = subject(41, "Trần Thị Đổi");
        let counts = store
            .upsert_subjects_staged(&rows, "b.csv", &actor)
            .expect("second import");
        assert_eq!(
            (counts.added, counts.updated, counts.unchanged),
            (0, 1, 6_000)
        );
        assert_eq!(
            store.subject("CB00041").expect("read").expect("kept").name,
            "Trần Thị Đổi"
        );
        // Nothing changed: nothing recorded.
        let head = store.head();
        let counts = store
            .upsert_subjects_staged(&rows, "b.csv", &actor)
            .expect("third import");
        assert_eq!(counts.unchanged, 6_001);
        assert_eq!(store.head(), head);

        let mut records = Vec::new();
        journal::scan(&path.join(journal::DIR), |r, _| records.push(r)).expect("scan");
        let last = records.last().expect("a record");
        let subjects: Vec<&journal::Op> = last
            .ops
            .iter()
            .filter(|o| o.tree == tree::SUBJECTS)
            .collect();
        assert_eq!(subjects.len(), 1);
        let old: Subject =
            serde_json::from_slice(subjects[0].old.as_deref().expect("old")).expect("old subject");
        assert_eq!(old.name, "Nguyễn Văn 41");
        // The borrowed reader sees the same ops as the decoder.
        let first_import = &records[records.len() - 2];
        let payload = journal::encode(
            first_import.kind,
            first_import.seq,
            first_import.at_ms,
            &first_import.prev,
            &first_import.actor,
            &first_import.ops,
        );
        let mut seen = Vec::new();
        journal::for_each_op(&payload, |op| {
            seen.push(journal::Op {
                tree: op.tree,
                key: op.key.to_vec(),
                old: op.old.map(<[u8]>::to_vec),
                new: op.new.map(<[u8]>::to_vec),
            })
        })
        .expect("readable");
        assert_eq!(seen, first_import.ops);
        assert!(journal::for_each_op(&payload[..payload.len() - 1], |_| {}).is_none());
        assert!(store.verify().expect("verify").is_ok());
    }

    #[test]
    fn a_streamed_initiatives_import_stores_what_the_transactional_one_stores() {
        let dir = tempfile::tempdir().expect("tempdir");
        let campaign = crate::interchange::campaign::sample();
        let actor = Actor::new("an", chrono::Utc::now());
        let roster = crate::interchange::roster::sample(&campaign).expect("roster");
        let owners: std::collections::HashSet<&str> =
            roster.iter().map(|s| s.id.as_str()).collect();
        let first = crate::interchange::initiatives::sample(&owners).expect("initiatives");
        let mut second = first.clone();
        second[0].title = "Tên mới".into();
        second[1].owner = second[2].owner.clone();
        second.push(Initiative {
            id: "SK999".into(),
            ..second[3].clone()
        });
        let stores: Vec<Store> = ["a", "b"]
            .iter()
            .map(|n| {
                let s = Store::create(&dir.path().join(n), &campaign, &actor).expect("create");
                s.upsert_subjects(&roster, "roster", &actor)
                    .expect("roster");
                s
            })
            .collect();
        let mut counts = Vec::new();
        for list in [&first, &second, &second] {
            let a = stores[0]
                .upsert_initiatives(list, "sk.csv", &actor)
                .expect("transactional");
            let b = stores[1]
                .upsert_initiatives_staged(list, "sk.csv", &actor)
                .expect("streamed");
            assert_eq!(a, b);
            counts.push(b);
        }
        assert_eq!((counts[1].added, counts[1].updated), (1, 2));
        assert_eq!(
            stores[0].initiatives().expect("a"),
            stores[1].initiatives().expect("b")
        );
        assert!(stores[1].verify().expect("verify").is_ok());
    }
}
