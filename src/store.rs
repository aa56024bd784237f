//! The only code that knows sled. `Store` owns typed trees (layouts in `keys`), a schema
//! version with a migration ladder (`migrate`), and durable commits: every change (with its
//! audit event) is one record of the change journal (`journal`), made durable with one
//! `fdatasync` and then applied to sled in one transaction, before the call returns
//! (`commit`). Writes carry the version they were based on; a stale write is refused with
//! `StoreError::Conflict`. Committed changes are broadcast in-process to subscribers (`feed`).

pub mod backup;
pub mod claims;
pub mod codec;
pub mod commit;
pub mod explain;
pub mod feed;
pub mod files;
pub mod journal;
pub mod keys;
pub mod locks;
pub mod migrate;
pub mod owner;
pub mod reader;
pub mod staging;
pub mod verify;

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Utc};
use sled::Tree;
use sled::transaction::TransactionError;

pub use crate::domain::change::{Conflict, InitiativeWrite, VerdictWrite};
use crate::domain::{
    AuditAction, AuditEvent, Campaign, Cause, Initiative, InitiativeStatus, Subject, Verdict,
    VerdictRef,
};
pub use feed::{Change, ChangeFeed};
pub use owner::Owner;

/// sled's page cache, in on-disk bytes. The default (1 GiB) is far more than a campaign needs,
/// and sled's accounting undercounts what the cache really holds. At 320,000 subjects the
/// console's resident memory after opening was 420 MB with 64 MiB, 283 MB with 16 MiB,
/// 264 MB with 8 MiB and 257 MB with 4 MiB, for no faster start (everything is read once);
/// a durable commit's median was about 7 % slower at 8 MiB than at 16 MiB and 20 % at 4 MiB.
const CACHE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", locked_message(path, owner.as_ref()))]
    Locked { path: PathBuf, owner: Option<Owner> },
    #[error(
        "there is no thidua database at {}; create one with `thidua init --sample --db {}`",
        .0.display(),
        .0.display()
    )]
    Missing(PathBuf),
    #[error(
        "{} already exists; thidua never overwrites a database: choose another --db path or move the old one away",
        .0.display()
    )]
    Exists(PathBuf),
    #[error("{} is not a thidua database (no schema version in it)", .0.display())]
    NotThidua(PathBuf),
    #[error(
        "{} was written by a newer thidua (schema {found}); this build reads schema {supported} at most: update thidua",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("{0}")]
    Conflict(Box<Conflict>),
    #[error("no subject with id {0:?}")]
    UnknownSubject(String),
    #[error("criterion {criterion:?} does not apply to subject {subject:?}")]
    UnknownCriterion { subject: String, criterion: String },
    #[error("no initiative with id {0:?}")]
    UnknownInitiative(String),
    #[error(
        "{subject} is locked by {by} since {}: its review is final; ask a chair to unlock it",
        crate::domain::format_time(*at)
    )]
    SubjectLocked {
        subject: String,
        by: String,
        at: DateTime<Utc>,
    },
    #[error("{subject} cannot be locked yet: {} still open", open.join(", "))]
    NotFinal { subject: String, open: Vec<String> },
    #[error("the database holds damaged data: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    #[error("{0}")]
    Journal(Box<journal::Damage>),
    #[error(
        "the journal in {} ends at record {last} but the database has applied record {applied}: records are missing from the journal",
        path.display()
    )]
    JournalShort {
        path: PathBuf,
        applied: u64,
        last: u64,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn locked_message(path: &Path, owner: Option<&Owner>) -> String {
    explain::explain_locked(path, owner, crate::domain::Lang::En)
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who acts and when; the store never reads the clock itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub reviewer: String,
    pub at: DateTime<Utc>,
}

impl Actor {
    /// The time is cut to whole milliseconds, the precision a stored verdict keeps (see
    /// `codec`), so the verdict and its audit event record the same instant.
    pub fn new(reviewer: impl Into<String>, at: DateTime<Utc>) -> Self {
        use chrono::SubsecRound;
        Self {
            reviewer: reviewer.into(),
            at: at.trunc_subsecs(3),
        }
    }
}

/// Counts of an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// An opened thidua database.
pub struct Store {
    path: PathBuf,
    campaign: Campaign,
    feed: feed::Broadcast,
    /// sled and its trees. sled fails every write after one failed on I/O (a full disk) until
    /// it is opened again, so after such a failure they are replaced by a fresh open
    /// (`recover`), which also drops what the failed write left in memory only.
    trees: RwLock<Option<Arc<Trees>>>,
    /// A write failed on I/O and sled has not been opened again yet.
    broken: AtomicBool,
    /// Why opening sled again failed (kind and text), while it stays closed.
    closed_by: std::sync::Mutex<Option<(std::io::ErrorKind, String)>>,
    /// The change journal, open for appending; its lock is the writer lock every commit takes.
    journal: std::sync::Mutex<Option<journal::Journal>>,
    /// How many journal records opening applied because sled had not kept them.
    replayed: std::sync::atomic::AtomicU64,
    /// The check of the whole journal beside the console, after an open that checked only
    /// what sled had not applied (`commit::Check`).
    check: Arc<commit::Check>,
}

/// The open sled database and its trees.
pub(crate) struct Trees {
    db: sled::Db,
    meta: Tree,
    subjects: Tree,
    subject_ids: Tree,
    verdicts: Tree,
    initiatives: Tree,
    initiative_ids: Tree,
    audit: Tree,
    /// Each subject's audit events: subject no ++ seq, no value.
    subject_audit: Tree,
    cursors: Tree,
    locks: Tree,
    /// Self-assessment claims, keyed like verdicts (`store::claims`).
    claims: Tree,
    /// sled's log file, fsynced after every flush: sled 0.34 makes its log stable with
    /// `sync_file_range`, which neither persists file metadata nor flushes the disk's cache.
    log_file: Option<std::fs::File>,
}

impl Trees {
    /// A journaled tree by its number (`journal::tree`).
    pub(crate) fn tree(&self, id: u8) -> &Tree {
        match id {
            journal::tree::META => &self.meta,
            journal::tree::SUBJECTS => &self.subjects,
            journal::tree::SUBJECT_IDS => &self.subject_ids,
            journal::tree::VERDICTS => &self.verdicts,
            journal::tree::INITIATIVES => &self.initiatives,
            journal::tree::INITIATIVE_IDS => &self.initiative_ids,
            journal::tree::AUDIT => &self.audit,
            journal::tree::SUBJECT_AUDIT => &self.subject_audit,
            journal::tree::LOCKS => &self.locks,
            _ => &self.claims,
        }
    }

    fn open(db: sled::Db, path: &Path) -> Result<Trees> {
        let log_file = std::fs::File::open(path.join("db")).ok();
        if log_file.is_none() {
            tracing::warn!("{}: cannot open sled's log to fsync it", path.display());
        }
        Ok(Trees {
            meta: db.open_tree("meta")?,
            subjects: db.open_tree("subjectno_subject")?,
            subject_ids: db.open_tree("subjectid_subjectno")?,
            verdicts: db.open_tree("subjectcriterion_verdict")?,
            initiatives: db.open_tree("initiativeno_initiative")?,
            initiative_ids: db.open_tree("initiativeid_initiativeno")?,
            audit: db.open_tree("seq_audit")?,
            subject_audit: db.open_tree(migrate::SUBJECT_AUDIT_TREE)?,
            cursors: db.open_tree("reviewer_cursor")?,
            locks: db.open_tree(locks::TREE)?,
            claims: db.open_tree(keys::CLAIMS_TREE)?,
            db,
            log_file,
        })
    }
}

fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("domain values always serialise")
}

fn unjson<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn decode_verdict(bytes: &[u8]) -> Result<Verdict> {
    codec::decode_verdict(bytes).ok_or_else(|| StoreError::Corrupt("a verdict record".into()))
}

fn tx_error(e: TransactionError<StoreError>) -> StoreError {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => StoreError::Sled(e),
    }
}

/// Appends one audit event to a change, taking the next gapless sequence number.
fn append_audit(
    d: &mut commit::Draft<'_>,
    actor: &Actor,
    cause: Cause,
    action: AuditAction,
) -> Result<u64> {
    let seq = match d.get(journal::tree::META, migrate::AUDIT_NEXT)? {
        Some(v) => keys::decode_seq(&v).unwrap_or(1),
        None => 1,
    };
    let event = AuditEvent {
        seq,
        at: actor.at,
        reviewer: actor.reviewer.clone(),
        cause,
        action,
    };
    d.insert(journal::tree::AUDIT, &keys::seq_key(seq), json(&event))?;
    d.insert(
        journal::tree::META,
        migrate::AUDIT_NEXT,
        keys::seq_key(seq + 1),
    )?;
    Ok(seq)
}

/// `append_audit` for an event about one subject (number `no`), also listed in the subject's
/// index of events (`subjectseq_audit`), so a subject's history is read without the whole
/// trail.
fn append_subject_audit(
    d: &mut commit::Draft<'_>,
    no: u32,
    actor: &Actor,
    cause: Cause,
    action: AuditAction,
) -> Result<u64> {
    let seq = append_audit(d, actor, cause, action)?;
    d.insert(
        journal::tree::SUBJECT_AUDIT,
        &keys::subject_seq_key(no, seq),
        [],
    )?;
    Ok(seq)
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Store {
    /// Creates a new database for `campaign`; refuses a path that already exists.
    /// An existing empty folder is used as it is (a folder made ready for the database).
    pub fn create(path: &Path, campaign: &Campaign, actor: &Actor) -> Result<Store> {
        if is_empty_dir(path) {
            // Made ready by hand: used as it is.
        } else if path.exists() {
            return Err(StoreError::Exists(path.to_path_buf()));
        } else {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(io_err(parent))?;
            }
            std::fs::create_dir(path).map_err(io_err(path))?;
        }
        restrict_permissions(path);
        let db = open_sled(path)?;
        let meta = db.open_tree("meta")?;
        migrate::initialise(&db, &meta, campaign)?;
        let store = Self::from_db(db, path)?;
        store.attach_journal(actor.at.timestamp_millis())?;
        store.record_import("init", ImportCounts::default(), actor)?;
        Ok(store)
    }

    /// Opens an existing database, upgrading its schema if it is older than this build's.
    pub fn open(path: &Path) -> Result<Store> {
        let inside = |name: &str| {
            exists(&path.join(name)).map_err(|e| match e {
                StoreError::Io { source, .. } => StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                },
                other => other,
            })
        };
        if !inside("conf")? && !inside("db")? {
            // A folder that cannot be read is not a missing database.
            std::fs::read_dir(path).map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => StoreError::Missing(path.to_path_buf()),
                _ => StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                },
            })?;
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let db = open_sled(path)?;
        let meta = db.open_tree("meta")?;
        migrate::upgrade(&db, &meta, path)?;
        let store = Self::from_db(db, path)?;
        // An import committed but not yet copied out of its staging tree is completed first.
        store.finish_pending_import()?;
        store.attach_journal(Utc::now().timestamp_millis())?;
        Ok(store)
    }

    /// Opens a database just built in a hidden folder and moved to `path`. sled lets go of
    /// its file lock only when its background flusher has stopped, a moment after the
    /// database is dropped, so a lock is waited out for up to ten seconds.
    pub fn open_moved(path: &Path) -> Result<Store> {
        let since = std::time::Instant::now();
        loop {
            match Store::open(path) {
                Err(StoreError::Locked { .. })
                    if since.elapsed() < std::time::Duration::from_secs(10) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => return opened,
            }
        }
    }

    fn from_db(db: sled::Db, path: &Path) -> Result<Store> {
        let meta = db.open_tree("meta")?;
        let campaign = match meta.get(migrate::CAMPAIGN)? {
            Some(v) => unjson("campaign", &v)?,
            None => return Err(StoreError::NotThidua(path.to_path_buf())),
        };
        let store = Store {
            path: path.to_path_buf(),
            campaign,
            feed: feed::Broadcast::default(),
            trees: RwLock::new(Some(Arc::new(Trees::open(db, path)?))),
            broken: AtomicBool::new(false),
            closed_by: std::sync::Mutex::new(None),
            journal: std::sync::Mutex::new(None),
            replayed: std::sync::atomic::AtomicU64::new(0),
            check: Arc::default(),
        };
        owner::write(&store.path, None);
        Ok(store)
    }

    /// sled and its trees now, or the error that keeps them closed (a reopen after a failed
    /// write that has not succeeded yet).
    fn t(&self) -> Result<Arc<Trees>> {
        let slot = self.trees.read().unwrap_or_else(PoisonError::into_inner);
        slot.clone().ok_or_else(|| {
            let why = self
                .closed_by
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let (kind, text) = why.unwrap_or((
                std::io::ErrorKind::Other,
                "the database could not be opened again".into(),
            ));
            StoreError::Io {
                path: self.path.clone(),
                source: std::io::Error::new(kind, text),
            }
        })
    }

    /// Runs a write. If an earlier write failed on I/O, sled is opened again first (so the
    /// console works again once space is freed, with no restart); if this one fails on I/O,
    /// sled is opened again at once, which drops what the failed write left in memory, and the
    /// error is returned.
    fn guarded<T>(&self, write: impl FnOnce() -> Result<T>) -> Result<T> {
        if self.broken.load(Ordering::Acquire) {
            self.recover()?;
        }
        let result = write();
        if let Err(e) = &result
            && matches!(
                e,
                StoreError::Io { .. } | StoreError::Sled(sled::Error::Io(_))
            )
        {
            tracing::error!(
                "a write to {} failed: {e}; opening it again",
                self.path.display()
            );
            self.broken.store(true, Ordering::Release);
            if let Err(again) = self.recover() {
                tracing::error!("opening {} again failed: {again}", self.path.display());
            }
        }
        result
    }

    /// Closes sled and opens it again from disk. Waits (up to five seconds) for other threads
    /// to let go of the old handles, and for sled's flusher to let go of its file lock.
    fn recover(&self) -> Result<()> {
        let mut slot = self.trees.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(mut old) = slot.take() {
            let since = std::time::Instant::now();
            loop {
                match Arc::try_unwrap(old) {
                    Ok(trees) => {
                        drop(trees);
                        break;
                    }
                    Err(still_shared) if since.elapsed() < std::time::Duration::from_secs(5) => {
                        old = still_shared;
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    Err(still_shared) => {
                        *slot = Some(still_shared);
                        return Err(StoreError::Io {
                            path: self.path.clone(),
                            source: std::io::Error::other("the database is still in use"),
                        });
                    }
                }
            }
        }
        let since = std::time::Instant::now();
        let opened = loop {
            match open_sled(&self.path) {
                Err(StoreError::Locked { .. })
                    if since.elapsed() < std::time::Duration::from_secs(10) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => break opened.and_then(|db| Trees::open(db, &self.path)),
            }
        };
        // What sled lost of the journal's records (a write that failed after its record was
        // made durable) is applied again.
        let opened = opened.and_then(|trees| self.replay(&trees).map(|_| trees));
        let mut closed_by = self
            .closed_by
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let trees = match opened {
            Ok(trees) => trees,
            Err(e) => {
                *closed_by = Some(match &e {
                    StoreError::Io { source, .. } | StoreError::Sled(sled::Error::Io(source)) => {
                        (source.kind(), source.to_string())
                    }
                    other => (std::io::ErrorKind::Other, other.to_string()),
                });
                return Err(e);
            }
        };
        *closed_by = None;
        *slot = Some(Arc::new(trees));
        self.broken.store(false, Ordering::Release);
        tracing::info!("{} opened again", self.path.display());
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn campaign(&self) -> &Campaign {
        &self.campaign
    }

    /// Records who holds the database, so another process can say so instead of a raw lock
    /// error (a server passes its listen address).
    pub fn announce_owner(&self, listen: Option<&str>) {
        owner::write(&self.path, listen);
    }

    /// Subscribes to committed changes from any session of this process.
    pub fn subscribe(&self) -> ChangeFeed {
        self.feed.subscribe()
    }

    /// Makes everything committed so far durable: sled's own flush, then a real fsync of its
    /// log, so an acknowledged change survives a power cut and not only a crash.
    fn flush(&self) -> Result<()> {
        self.t()?.db.flush()?;
        if let Some(f) = &self.t()?.log_file {
            f.sync_all().map_err(io_err(&self.path))?;
        }
        Ok(())
    }

    // ---- subjects -------------------------------------------------------------------------

    /// Every subject in roster order, with its number.
    pub fn subjects(&self) -> Result<Vec<(u32, Subject)>> {
        let mut out = Vec::with_capacity(self.subject_count());
        self.for_each_subject(|no, s| {
            out.push((no, s));
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Calls `each` with every subject in roster order, with its number, without collecting
    /// them (the console's index is built from this stream), until `each` breaks.
    pub fn for_each_subject(
        &self,
        mut each: impl FnMut(u32, Subject) -> ControlFlow<()>,
    ) -> Result<()> {
        for kv in self.t()?.subjects.iter() {
            let (k, v) = kv?;
            let no =
                keys::decode_no(&k).ok_or_else(|| StoreError::Corrupt("subject key".into()))?;
            if each(no, unjson("subject", &v)?).is_break() {
                break;
            }
        }
        Ok(())
    }

    pub fn subject_no(&self, id: &str) -> Result<Option<u32>> {
        Ok(self
            .t()?
            .subject_ids
            .get(id.as_bytes())?
            .and_then(|v| keys::decode_no(&v)))
    }

    pub fn subject(&self, id: &str) -> Result<Option<Subject>> {
        let Some(no) = self.subject_no(id)? else {
            return Ok(None);
        };
        match self.t()?.subjects.get(keys::no_key(no))? {
            Some(v) => Ok(Some(unjson("subject", &v)?)),
            None => Ok(None),
        }
    }

    /// How many subjects there are, without a scan (subjects are never deleted).
    pub fn subject_count(&self) -> usize {
        self.counter(migrate::SUBJECT_NEXT).saturating_sub(1) as usize
    }

    fn counter(&self, key: &[u8]) -> u64 {
        let Ok(t) = self.t() else {
            return 1;
        };
        match t.meta.get(key) {
            Ok(Some(v)) if v.len() == 8 => keys::decode_seq(&v).unwrap_or(0),
            Ok(Some(v)) => keys::decode_no(&v).map_or(0, u64::from),
            _ => 1,
        }
    }

    /// Adds new subjects and updates existing ones (matched by id), all in one transaction with
    /// one audit event. Callers validate first (`interchange::roster`); nothing is ever deleted.
    pub fn upsert_subjects(
        &self,
        incoming: &[Subject],
        source: &str,
        actor: &Actor,
    ) -> Result<ImportCounts> {
        self.guarded(|| {
            let mut existing: HashMap<String, (u32, Subject)> = HashMap::new();
            for (no, s) in self.subjects()? {
                existing.insert(s.id.clone(), (no, s));
            }
            let mut next = match self.t()?.meta.get(migrate::SUBJECT_NEXT)? {
                Some(v) => keys::decode_no(&v).unwrap_or(1),
                None => 1,
            };
            let mut counts = ImportCounts::default();
            let mut by_no: Vec<(u32, Vec<u8>)> = Vec::new();
            let mut by_id: Vec<(&str, u32)> = Vec::new();
            for s in incoming {
                match existing.get(&s.id) {
                    Some((_, old)) if old == s => counts.unchanged += 1,
                    Some((no, _)) => {
                        counts.updated += 1;
                        by_no.push((*no, json(s)));
                    }
                    None => {
                        counts.added += 1;
                        by_no.push((next, json(s)));
                        by_id.push((s.id.as_str(), next));
                        existing.insert(s.id.clone(), (next, s.clone()));
                        next += 1;
                    }
                }
            }
            let action = AuditAction::Import {
                source: source.to_string(),
                added: counts.added,
                updated: counts.updated,
            };
            self.commit(actor, |d| {
                for (no, record) in &by_no {
                    d.insert(journal::tree::SUBJECTS, &keys::no_key(*no), record)?;
                }
                for (id, no) in &by_id {
                    d.insert(journal::tree::SUBJECT_IDS, id.as_bytes(), keys::no_key(*no))?;
                }
                d.insert(
                    journal::tree::META,
                    migrate::SUBJECT_NEXT,
                    keys::no_key(next),
                )?;
                append_audit(d, actor, Cause::Import, action)?;
                Ok(())
            })?;
            self.feed.send(Change::Roster);
            Ok(counts)
        })
    }

    fn record_import(&self, source: &str, counts: ImportCounts, actor: &Actor) -> Result<()> {
        let action = AuditAction::Import {
            source: source.to_string(),
            added: counts.added,
            updated: counts.updated,
        };
        self.commit(actor, |d| append_audit(d, actor, Cause::Import, action))
            .map(|_| ())
    }

    // ---- verdicts -------------------------------------------------------------------------

    /// The subject's number and the criterion's index in the subject's group.
    fn verdict_slot(&self, subject: &str, criterion: &str) -> Result<(u32, u16)> {
        let no = self
            .subject_no(subject)?
            .ok_or_else(|| StoreError::UnknownSubject(subject.to_string()))?;
        let s = self
            .subject(subject)?
            .ok_or_else(|| StoreError::UnknownSubject(subject.to_string()))?;
        let index = self
            .campaign
            .group_of_tier(&s.tier)
            .and_then(|g| g.index_of(criterion))
            .ok_or_else(|| StoreError::UnknownCriterion {
                subject: subject.to_string(),
                criterion: criterion.to_string(),
            })?;
        Ok((no, index as u16))
    }

    pub fn verdict(&self, subject: &str, criterion: &str) -> Result<Option<Verdict>> {
        let (no, idx) = self.verdict_slot(subject, criterion)?;
        match self.t()?.verdicts.get(keys::verdict_key(no, idx))? {
            Some(v) => Ok(Some(decode_verdict(&v)?)),
            None => Ok(None),
        }
    }

    /// Every recorded verdict as (subject no, criterion index, verdict), in key order.
    pub fn verdicts(&self) -> Result<Vec<(u32, u16, Verdict)>> {
        let mut out = Vec::new();
        self.for_each_verdict(|no, idx, v| {
            out.push((no, idx, v.to_verdict()));
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Calls `each` with every recorded verdict as (subject no, criterion index, verdict), in
    /// key order, without collecting them (the console's index is built from this stream),
    /// until `each` breaks.
    pub fn for_each_verdict(
        &self,
        mut each: impl FnMut(u32, u16, VerdictRef<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        for kv in self.t()?.verdicts.iter() {
            let (k, v) = kv?;
            let (no, idx) = keys::decode_verdict_key(&k)
                .ok_or_else(|| StoreError::Corrupt("verdict key".into()))?;
            let verdict = codec::decode_verdict_ref(&v)
                .ok_or_else(|| StoreError::Corrupt("a verdict record".into()))?;
            if each(no, idx, verdict).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// Commits one verdict with its audit event and flushes; returns the new verdict.
    /// Refused with `Conflict` when `base_version` is not the stored version.
    pub fn set_verdict(&self, w: &VerdictWrite, actor: &Actor) -> Result<Verdict> {
        self.guarded(|| {
            let (no, idx) = self.verdict_slot(&w.subject, &w.criterion)?;
            let key = keys::verdict_key(no, idx);
            let note = crate::text::clean_multiline(&w.note);
            let new = self.commit(actor, |d| {
                locks::refuse_if_locked(d, &w.subject)?;
                let old: Option<Verdict> = match d.get(journal::tree::VERDICTS, &key)? {
                    Some(v) => Some(decode_verdict(&v)?),
                    None => None,
                };
                let current_version = old.as_ref().map_or(0, |v| v.version);
                if current_version != w.base_version
                    && let Some(current) = old
                {
                    return Err(StoreError::Conflict(Box::new(Conflict::Verdict {
                        subject: w.subject.clone(),
                        criterion: w.criterion.clone(),
                        current,
                    })));
                }
                let new = Verdict {
                    value: w.value,
                    note: note.clone(),
                    reviewer: actor.reviewer.clone(),
                    decided_at: actor.at,
                    version: current_version + 1,
                };
                d.insert(journal::tree::VERDICTS, &key, codec::encode_verdict(&new))?;
                let action = AuditAction::Verdict {
                    subject: w.subject.clone(),
                    criterion: w.criterion.clone(),
                    old,
                    new: new.clone(),
                };
                append_subject_audit(d, no, actor, w.cause, action)?;
                Ok(new)
            })?;
            self.feed.send(Change::Verdict {
                subject: w.subject.clone(),
                criterion: w.criterion.clone(),
                verdict: new.clone(),
            });
            Ok(new)
        })
    }

    // ---- initiatives ----------------------------------------------------------------------

    pub fn initiatives(&self) -> Result<Vec<Initiative>> {
        self.t()?
            .initiatives
            .iter()
            .map(|kv| {
                let (_, v) = kv?;
                unjson("initiative", &v)
            })
            .collect()
    }

    pub fn initiative(&self, id: &str) -> Result<Option<Initiative>> {
        let Some(no) = self
            .t()?
            .initiative_ids
            .get(id.as_bytes())?
            .and_then(|v| keys::decode_no(&v))
        else {
            return Ok(None);
        };
        match self.t()?.initiatives.get(keys::no_key(no))? {
            Some(v) => Ok(Some(unjson("initiative", &v)?)),
            None => Ok(None),
        }
    }

    /// Adds new initiatives (with the status the file gives) and updates the title, owner and
    /// submission date of existing ones, keeping any status decided here. One transaction.
    pub fn upsert_initiatives(
        &self,
        incoming: &[Initiative],
        source: &str,
        actor: &Actor,
    ) -> Result<ImportCounts> {
        self.guarded(|| {
            let mut next = match self.t()?.meta.get(migrate::INITIATIVE_NEXT)? {
                Some(v) => keys::decode_no(&v).unwrap_or(1),
                None => 1,
            };
            let mut counts = ImportCounts::default();
            let mut by_no: Vec<(u32, Vec<u8>)> = Vec::new();
            let mut by_id: Vec<(String, u32)> = Vec::new();
            let mut seen: HashMap<String, u32> = HashMap::new();
            for i in incoming {
                let existing_no = match seen.get(&i.id) {
                    Some(no) => Some(*no),
                    None => self
                        .t()?
                        .initiative_ids
                        .get(i.id.as_bytes())?
                        .and_then(|v| keys::decode_no(&v)),
                };
                match existing_no {
                    Some(no) => {
                        let old = self.initiative(&i.id)?;
                        let mut merged = old.clone().unwrap_or_else(|| i.clone());
                        merged.title = i.title.clone();
                        merged.owner = i.owner.clone();
                        merged.submitted_on = i.submitted_on;
                        if old.as_ref() == Some(&merged) {
                            counts.unchanged += 1;
                        } else {
                            counts.updated += 1;
                            merged.version += 1;
                            by_no.push((no, json(&merged)));
                        }
                    }
                    None => {
                        counts.added += 1;
                        let mut new = i.clone();
                        new.version = 1;
                        by_no.push((next, json(&new)));
                        by_id.push((i.id.clone(), next));
                        seen.insert(i.id.clone(), next);
                        next += 1;
                    }
                }
            }
            let action = AuditAction::Import {
                source: source.to_string(),
                added: counts.added,
                updated: counts.updated,
            };
            self.commit(actor, |d| {
                for (no, record) in &by_no {
                    d.insert(journal::tree::INITIATIVES, &keys::no_key(*no), record)?;
                }
                for (id, no) in &by_id {
                    d.insert(
                        journal::tree::INITIATIVE_IDS,
                        id.as_bytes(),
                        keys::no_key(*no),
                    )?;
                }
                d.insert(
                    journal::tree::META,
                    migrate::INITIATIVE_NEXT,
                    keys::no_key(next),
                )?;
                append_audit(d, actor, Cause::Import, action)?;
                Ok(())
            })?;
            self.feed.send(Change::Roster);
            Ok(counts)
        })
    }

    /// Commits an initiative's status (and recognition) with its audit event, and flushes.
    pub fn set_initiative(&self, w: &InitiativeWrite, actor: &Actor) -> Result<Initiative> {
        self.guarded(|| {
            let no = self
                .t()?
                .initiative_ids
                .get(w.id.as_bytes())?
                .and_then(|v| keys::decode_no(&v))
                .ok_or_else(|| StoreError::UnknownInitiative(w.id.clone()))?;
            let key = keys::no_key(no);
            let recognition = match w.status {
                InitiativeStatus::Recognized => w.recognition.clone().map(|mut r| {
                    r.authority = crate::text::clean(&r.authority);
                    r.decision = crate::text::clean(&r.decision);
                    r
                }),
                _ => None,
            };
            let new = self.commit(actor, |d| {
                let old: Initiative = match d.get(journal::tree::INITIATIVES, &key)? {
                    Some(v) => unjson("initiative", &v)?,
                    None => return Err(StoreError::UnknownInitiative(w.id.clone())),
                };
                locks::refuse_if_locked(d, &old.owner)?;
                if old.version != w.base_version {
                    return Err(StoreError::Conflict(Box::new(Conflict::Initiative {
                        current: old,
                    })));
                }
                let mut new = old.clone();
                new.status = w.status;
                new.recognition = recognition.clone();
                new.version = old.version + 1;
                d.insert(journal::tree::INITIATIVES, &key, json(&new))?;
                let owner = d
                    .get(journal::tree::SUBJECT_IDS, new.owner.as_bytes())?
                    .and_then(|v| keys::decode_no(&v));
                let action = AuditAction::Initiative {
                    old: Some(old),
                    new: new.clone(),
                };
                match owner {
                    Some(no) => append_subject_audit(d, no, actor, w.cause, action)?,
                    None => append_audit(d, actor, w.cause, action)?,
                };
                Ok(new)
            })?;
            self.feed.send(Change::Initiative(new.clone()));
            Ok(new)
        })
    }

    // ---- audit and cursors ----------------------------------------------------------------

    /// The audit trail in order, optionally only the events about one subject.
    /// A subject's events are read through its index of events, not by decoding the trail.
    pub fn audit(&self, subject: Option<&str>) -> Result<Vec<AuditEvent>> {
        let Some(subject) = subject else {
            return self
                .t()?
                .audit
                .iter()
                .map(|kv| unjson("audit event", &kv?.1))
                .collect();
        };
        let Some(no) = self.subject_no(subject)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for kv in self.t()?.subject_audit.scan_prefix(keys::no_key(no)) {
            let (k, _) = kv?;
            let seq = keys::decode_subject_seq_key(&k)
                .ok_or_else(|| StoreError::Corrupt("subject audit key".into()))?
                .1;
            let v = self
                .t()?
                .audit
                .get(keys::seq_key(seq))?
                .ok_or_else(|| StoreError::Corrupt(format!("audit event {seq} is missing")))?;
            let e: AuditEvent = unjson("audit event", &v)?;
            // Only the events about this subject (an initiative moved to another owner by an
            // import stays listed under the owner it had).
            if e.action.subject() == Some(subject) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// How many audit events there are, without a scan.
    pub fn audit_len(&self) -> usize {
        self.counter(migrate::AUDIT_NEXT).saturating_sub(1) as usize
    }

    /// Remembers where a reviewer was (an opaque value of the console's), so they resume there.
    /// Remembers a reviewer's place. A convenience, not a decision: it is not made durable on
    /// its own (no disk sync in the way of the key that moved), sled writes it out within half
    /// a second, any later commit's flush carries it, and so does closing the store.
    pub fn put_cursor(&self, reviewer: &str, value: &[u8]) -> Result<()> {
        self.guarded(|| {
            self.t()?.cursors.insert(reviewer.as_bytes(), value)?;
            Ok(())
        })
    }

    pub fn cursor(&self, reviewer: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .t()?
            .cursors
            .get(reviewer.as_bytes())?
            .map(|v| v.to_vec()))
    }

    /// Every (tree name, key, value) of the database, for integrity checks and exports
    /// compared byte by byte in tests.
    pub fn checksum(&self) -> Result<u64> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for tree in [
            &self.t()?.meta,
            &self.t()?.subjects,
            &self.t()?.subject_ids,
            &self.t()?.verdicts,
            &self.t()?.initiatives,
            &self.t()?.initiative_ids,
            &self.t()?.audit,
            &self.t()?.subject_audit,
            &self.t()?.locks,
        ] {
            tree.name().hash(&mut h);
            for kv in tree.iter() {
                let (k, v) = kv?;
                // Bookkeeping of the journal, not content: a restored copy starts its own.
                if k.as_ref() == commit::APPLIED && tree.name() == self.t()?.meta.name() {
                    continue;
                }
                k.hash(&mut h);
                v.hash(&mut h);
            }
        }
        Ok(h.finish())
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.check.stop.store(true, Ordering::Relaxed);
        let trees = self.trees.get_mut().unwrap_or_else(PoisonError::into_inner);
        if let Some(t) = trees.take() {
            if let Err(e) = t.db.flush() {
                tracing::error!("final flush of {} failed: {e}", self.path.display());
            }
            drop(t);
            wait_for_sled_lock(&self.path);
        }
        owner::remove(&self.path);
    }
}

/// Waits (at most two seconds) until sled has let go of its file lock on `path`. sled's
/// background I/O threads hold the locked file a moment after the last handle is dropped, so
/// without this a dropped store could not be opened again at once in the same process (a
/// command run right after a console, a test reopening what it just wrote).
fn wait_for_sled_lock(path: &Path) {
    let Ok(file) = std::fs::File::open(path.join("db")) else {
        return;
    };
    let since = std::time::Instant::now();
    loop {
        // The same kind of lock as sled's (flock on Unix), so it is granted once sled's is gone.
        if file.try_lock().is_ok() {
            let _ = file.unlock();
            return;
        }
        if since.elapsed() > std::time::Duration::from_secs(2) {
            tracing::warn!(
                "{}: sled still holds its lock after closing",
                path.display()
            );
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

fn open_sled(path: &Path) -> Result<sled::Db> {
    let open = || {
        sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            .flush_every_ms(Some(500))
            .open()
    };
    let mut result = open();
    // sled writes a snapshot while opening, as `snap.N.generating`, renamed to `snap.N` once
    // whole. One cut short (a full disk, a crash) stays behind, and sled 0.34 then reads it as
    // the newest snapshot and refuses every later open as corrupt. It was never complete, so
    // it is removed and the open tried again (a process generating one holds sled's lock, so
    // an open failing as corrupt is not racing it).
    if matches!(result, Err(sled::Error::Corruption { .. })) && remove_unfinished_snapshots(path) {
        result = open();
    }
    match result {
        Ok(db) => Ok(db),
        Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
            Err(StoreError::Locked {
                path: path.to_path_buf(),
                owner: owner::read(path),
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Removes sled's snapshots that were never finished (`snap.*.generating`) from `path`;
/// returns whether there were any.
fn remove_unfinished_snapshots(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    let mut removed = false;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => {
                    tracing::warn!(
                        "removed {}, a snapshot sled never finished",
                        entry.path().display()
                    );
                    removed = true;
                }
                Err(e) => tracing::warn!("could not remove {}: {e}", entry.path().display()),
            }
        }
    }
    removed
}

/// Whether `path` exists; unlike `Path::exists`, a folder on the way that cannot be read is
/// an error (naming `path`), not "missing".
pub fn exists(path: &Path) -> Result<bool> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(StoreError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Whether `path` is a folder with nothing in it.
pub fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)) {
        tracing::warn!("could not restrict {} to 0700: {e}", path.display());
    }
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) {}
