//! Schema versions and the migration ladder. `meta/schema_version` holds the version as a
//! u32 BE; `upgrade` runs one step per version until the database is at `CURRENT`, setting
//! the version after each step (a step interrupted half-way runs again whole at the next
//! open, so every step must be safe to repeat).
//!
//! - Version 1: the first schema.
//! - Version 2: adds `subjectseq_audit`, each subject's index of audit events, so a
//!   subject's history is read without decoding the whole trail. `v1_to_v2` builds it from
//!   the trail.

use std::path::Path;

use sled::Tree;

use super::{Result, StoreError, json, keys, unjson};
use crate::domain::{AuditEvent, Campaign};

/// The schema this build writes.
pub(crate) const CURRENT: u32 = 2;

/// The tree of each subject's audit events (version 2).
pub(crate) const SUBJECT_AUDIT_TREE: &str = "subjectseq_audit";

pub(crate) const SCHEMA_VERSION: &[u8] = b"schema_version";
pub const CAMPAIGN: &[u8] = b"campaign";
pub(crate) const AUDIT_NEXT: &[u8] = b"audit_next";
pub(crate) const SUBJECT_NEXT: &[u8] = b"subject_next";
pub(crate) const INITIATIVE_NEXT: &[u8] = b"initiative_next";

/// One step of the ladder: upgrades a database from version `n` to `n + 1`.
type Step = fn(&sled::Db, &Tree) -> Result<()>;

/// `STEPS[i]` upgrades version `i + 1` to `i + 2`.
const STEPS: &[Step] = &[v1_to_v2];

/// Version 1 → 2: builds each subject's index of audit events from the trail.
fn v1_to_v2(db: &sled::Db, _meta: &Tree) -> Result<()> {
    index_subject_audit(
        &db.open_tree("seq_audit")?,
        &db.open_tree("subjectid_subjectno")?,
        &db.open_tree(SUBJECT_AUDIT_TREE)?,
    )
}

/// Lists every event of `audit` that is about a subject under that subject's number in
/// `index` (plain inserts: repeating it changes nothing).
pub(crate) fn index_subject_audit(audit: &Tree, ids: &Tree, index: &Tree) -> Result<()> {
    for kv in audit.iter() {
        let (_, v) = kv?;
        let event: AuditEvent = unjson("audit event", &v)?;
        let Some(subject) = event.action.subject() else {
            continue;
        };
        if let Some(no) = ids
            .get(subject.as_bytes())?
            .and_then(|v| keys::decode_no(&v))
        {
            index.insert(keys::subject_seq_key(no, event.seq), &[])?;
        }
    }
    Ok(())
}

/// Writes the meta of a brand-new database.
pub(crate) fn initialise(db: &sled::Db, meta: &Tree, campaign: &Campaign) -> Result<()> {
    meta.insert(CAMPAIGN, json(campaign))?;
    meta.insert(SCHEMA_VERSION, &CURRENT.to_be_bytes())?;
    db.flush()?;
    Ok(())
}

pub fn version(meta: &Tree) -> Result<Option<u32>> {
    Ok(meta
        .get(SCHEMA_VERSION)?
        .and_then(|v| <[u8; 4]>::try_from(v.as_ref()).ok())
        .map(u32::from_be_bytes))
}

/// Brings an opened database up to `CURRENT`, or explains why it cannot.
pub(crate) fn upgrade(db: &sled::Db, meta: &Tree, path: &Path) -> Result<()> {
    let Some(mut found) = version(meta)? else {
        return Err(StoreError::NotThidua(path.to_path_buf()));
    };
    if found > CURRENT {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: CURRENT,
        });
    }
    while found < CURRENT {
        let step = STEPS
            .get(found as usize - 1)
            .ok_or_else(|| StoreError::Corrupt(format!("no migration from schema {found}")))?;
        step(db, meta)?;
        found += 1;
        meta.insert(SCHEMA_VERSION, &found.to_be_bytes())?;
        db.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Cause, Subject, VerdictValue};
    use crate::store::{Actor, Store, VerdictWrite};

    fn actor(name: &str) -> Actor {
        Actor::new(name, chrono::Utc::now())
    }

    /// A version-1 database (no index of each subject's events) opens as version 2 with the
    /// index built, and each subject's history reads the same as a filter of the whole trail.
    #[test]
    fn a_version_1_database_gets_each_subjects_index_of_events() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db");
        let store = Store::create(
            &path,
            &crate::interchange::campaign::sample(),
            &actor("admin"),
        )
        .expect("create");
        let subject = |id: &str| Subject {
            id: id.into(),
            name: format!("Sở {id}"),
            tier: "province_agency".into(),
            parent: None,
            registered_on: None,
        };
        store
            .upsert_subjects(&[subject("SNV"), subject("STC")], "test", &actor("admin"))
            .expect("subjects");
        for (id, criterion, base) in [("SNV", "TT1", 0), ("STC", "TT1", 0), ("SNV", "TT1", 1)] {
            store
                .set_verdict(
                    &VerdictWrite {
                        subject: id.into(),
                        criterion: criterion.into(),
                        value: VerdictValue::Met,
                        note: String::new(),
                        base_version: base,
                        cause: Cause::Edit,
                        cell: None,
                    },
                    &actor("An"),
                )
                .expect("verdict");
        }
        let expected: Vec<_> = store
            .audit(None)
            .expect("trail")
            .into_iter()
            .filter(|e| e.action.subject() == Some("SNV"))
            .collect();
        assert_eq!(expected.len(), 2);
        assert_eq!(store.audit(Some("SNV")).expect("history"), expected);
        // Back to version 1: no index, schema 1.
        store
            .t()
            .expect("trees")
            .db
            .drop_tree(SUBJECT_AUDIT_TREE)
            .expect("drop the index");
        store
            .t()
            .expect("trees")
            .meta
            .insert(SCHEMA_VERSION, &1u32.to_be_bytes())
            .expect("version 1");
        drop(store);
        let store = loop {
            match Store::open(&path) {
                Err(StoreError::Locked { .. }) => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                opened => break opened.expect("open and upgrade"),
            }
        };
        assert_eq!(
            version(&store.t().expect("trees").meta).expect("version"),
            Some(CURRENT)
        );
        assert_eq!(store.audit(Some("SNV")).expect("history"), expected);
        assert_eq!(store.audit(Some("STC")).expect("history").len(), 1);
        assert!(store.audit(Some("NOPE")).expect("history").is_empty());
        let report = store.verify().expect("verify");
        assert!(report.is_ok(), "{:?}", report.problems);
        // An event missing from the index is reported.
        let (k, _) = store
            .t()
            .expect("trees")
            .subject_audit
            .first()
            .expect("read")
            .expect("an entry");
        store
            .t()
            .expect("trees")
            .subject_audit
            .remove(k)
            .expect("remove");
        let report = store.verify().expect("verify");
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.contains("missing from its history index")),
            "{:?}",
            report.problems
        );
    }
}
