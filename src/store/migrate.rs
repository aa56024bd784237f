//! Schema versions and the migration ladder. `meta/schema_version` holds the version as a
//! u32 BE; `upgrade` runs one step per version, each in its own transaction, until the
//! database is at `CURRENT`. Version 1 is the first schema, so the ladder has no step yet:
//! when version 2 comes, add `fn v1_to_v2` in a file of its own, list it in `STEPS`, and keep
//! a version-1 database under tests/fixtures.

use std::path::Path;

use sled::Tree;

use super::{Result, StoreError, json};
use crate::domain::Campaign;

/// The schema this build writes.
pub const CURRENT: u32 = 1;

pub const SCHEMA_VERSION: &[u8] = b"schema_version";
pub const CAMPAIGN: &[u8] = b"campaign";
pub const AUDIT_NEXT: &[u8] = b"audit_next";
pub const SUBJECT_NEXT: &[u8] = b"subject_next";
pub const INITIATIVE_NEXT: &[u8] = b"initiative_next";

/// One step of the ladder: upgrades a database from version `n` to `n + 1`.
type Step = fn(&sled::Db, &Tree) -> Result<()>;

/// `STEPS[i]` upgrades version `i + 1` to `i + 2`.
const STEPS: &[Step] = &[];

/// Writes the meta of a brand-new database.
pub fn initialise(db: &sled::Db, meta: &Tree, campaign: &Campaign) -> Result<()> {
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
pub fn upgrade(db: &sled::Db, meta: &Tree, path: &Path) -> Result<()> {
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
