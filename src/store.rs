//! The only code that knows sled. `Store` owns typed trees (layouts in `keys`), a schema
//! version with a migration ladder (`migrate`), and durable commits: every change (with its
//! audit event) is one record of the change journal (`journal`), made durable with one
//! `fdatasync` and then applied to sled in one transaction, before the call returns
//! (`commit`). Writes carry the version they were based on; a stale write is refused with
//! `StoreError::Conflict`. Committed changes are broadcast in-process to subscribers (`feed`).

pub mod assignments;
mod audit;
pub mod backup;
pub mod checkpoint;
pub mod claims;
pub(crate) mod codec;
pub mod commit;
pub mod explain;
pub mod feed;
pub mod files;
mod initiatives;
pub mod journal;
pub mod keys;
mod lifecycle;
pub mod locks;
pub(crate) mod migrate;
pub mod owner;
pub mod reader;
pub mod readonly;
pub mod rebuild;
pub(crate) mod staging;
mod subjects;
mod verdicts;
pub mod verify;

pub use lifecycle::exists;
pub(crate) use lifecycle::is_empty_dir;
use lifecycle::{open_sled, restrict_permissions, sled_files_present};

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Utc};
use sled::Tree;

pub use crate::domain::change::{Cell, Conflict, InitiativeWrite, VerdictWrite};
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
    /// sled's own files are not all in the database folder (someone deleted `db` or `conf`);
    /// refused before sled opens, which would create them empty.
    #[error(
        "the database files in {} are missing ({missing}); nothing was opened or created",
        .path.display()
    )]
    SledMissing {
        path: PathBuf,
        /// The files missing, by name.
        missing: String,
        /// Whether the change journal is there (to rebuild from).
        journal: bool,
    },
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
    /// A backup that did not read back whole once written: it was not put in place and no
    /// journal segment was retired (`backup::Unreadable`).
    #[error("{0}")]
    BackupUnreadable(Box<backup::Unreadable>),
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

/// The plain text of a lock refusal (for the log); the user's message is `StoreError::told`.
fn locked_message(path: &Path, owner: Option<&Owner>) -> String {
    match owner {
        Some(o) => format!(
            "the database {} is held by another thidua ({:?}, process {})",
            path.display(),
            o.holder(),
            o.pid
        ),
        None => format!(
            "the database {} is open in another thidua process",
            path.display()
        ),
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who acts and when; the store never reads the clock itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub reviewer: String,
    pub at: DateTime<Utc>,
    /// How the reviewer came in: the SHA-256 fingerprint of the SSH key they logged in with
    /// (`SHA256:…`, as OpenSSH prints it), or `local:LOGIN` (the OS login name) for the local
    /// console and the command line. Kept in every journal record beside the name.
    pub origin: String,
}

impl Actor {
    /// The time is cut to whole milliseconds, the precision a stored verdict keeps (see
    /// `codec`), so the verdict and its audit event record the same instant. The origin is
    /// this process's login (`local:LOGIN`); an SSH session sets its key with `with_origin`.
    pub fn new(reviewer: impl Into<String>, at: DateTime<Utc>) -> Self {
        use chrono::SubsecRound;
        Self {
            reviewer: reviewer.into(),
            at: at.trunc_subsecs(3),
            origin: local_origin().to_string(),
        }
    }

    /// The same actor, come in by `origin` (an SSH key's fingerprint).
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = origin.into();
        self
    }

    /// The actor as a journal record holds it: the name, a line feed, the origin. A name
    /// never holds a line feed (every name is cleaned of control characters), so the two
    /// are told apart again by `journal_actor`.
    pub fn journal_text(&self) -> String {
        format!(
            "{}\n{}",
            crate::text::clean(&self.reviewer),
            crate::text::clean(&self.origin)
        )
    }
}

/// A journal record's actor as (name, origin); records written before the origin was kept
/// have none.
pub fn journal_actor(text: &str) -> (&str, Option<&str>) {
    match text.split_once('\n') {
        Some((name, origin)) => (name, Some(origin)),
        None => (text, None),
    }
}

/// `local:LOGIN`, the login name of the user this process runs as: the name `/etc/passwd`
/// gives its user id, else $USER or $LOGNAME, else the number.
pub fn local_origin() -> &'static str {
    static ORIGIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(|| {
        let uid = crate::files::effective_uid();
        let from_passwd = uid.and_then(crate::files::passwd_name);
        let name = from_passwd
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("LOGNAME").ok())
            .or(uid.map(|u| format!("uid {u}")))
            .map(|n| crate::text::clean(&n))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "?".into());
        format!("local:{name}")
    })
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
    trees: commit::TreeSlot,
    /// A write failed on I/O and sled has not been opened again yet.
    broken: Arc<AtomicBool>,
    /// Why opening sled again failed (kind and text), while it stays closed.
    closed_by: std::sync::Mutex<Option<(std::io::ErrorKind, String)>>,
    /// The change journal, open for appending; its lock is the writer lock every commit takes.
    journal: std::sync::Mutex<Option<journal::Journal>>,
    /// How many journal records opening applied because sled had not kept them.
    replayed: std::sync::atomic::AtomicU64,
    /// Set when opened read-only (`readonly`): sled is a private copy, nothing is written.
    read_only: Option<readonly::ReadOnly>,
    /// The check of the whole journal beside the console, after an open that checked only
    /// what sled had not applied (`commit::Check`).
    check: Arc<commit::Check>,
    /// Applies acknowledged records to sled beside the writer (`commit::Applier`).
    applier: Arc<commit::Applier>,
    applier_thread: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
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
    /// Assignments: subject no → reviewer (`store::assignments`).
    assignments: Tree,
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
            journal::tree::ASSIGNMENTS => &self.assignments,
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
            assignments: db
                .open_tree(journal::tree::NAMES[usize::from(journal::tree::ASSIGNMENTS)])?,
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
    d.insert_new(journal::tree::AUDIT, &keys::seq_key(seq), json(&event))?;
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
    d.insert_new(
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
        let (conf, db) = (inside("conf")?, inside("db")?);
        if !conf && !db && !inside(journal::DIR)? {
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
        sled_files_present(path, conf, db)?;
        let started = std::time::Instant::now();
        let db = open_sled(path)?;
        let sled_opened = started.elapsed();
        let meta = db.open_tree("meta")?;
        migrate::upgrade(&db, &meta, path)?;
        let store = Self::from_db(db, path)?;
        let trees_opened = started.elapsed();
        // An import committed but not yet copied out of its staging tree is completed first.
        store.finish_pending_import()?;
        store.attach_journal(Utc::now().timestamp_millis())?;
        tracing::debug!(
            "{} opened in {:?} (sled {sled_opened:?}, its trees by {trees_opened:?})",
            path.display(),
            started.elapsed()
        );
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
            trees: Arc::new(RwLock::new(Some(Arc::new(Trees::open(db, path)?)))),
            broken: Arc::new(AtomicBool::new(false)),
            closed_by: std::sync::Mutex::new(None),
            journal: std::sync::Mutex::new(None),
            replayed: std::sync::atomic::AtomicU64::new(0),
            read_only: None,
            check: Arc::default(),
            applier: Arc::default(),
            applier_thread: std::sync::Mutex::new(None),
        };
        owner::write(&store.path, None);
        Ok(store)
    }

    /// sled and its trees, holding every acknowledged change, or the error that keeps them
    /// closed (a reopen after a failed write that has not succeeded yet). When the applier has
    /// not applied every acknowledged record yet, they are applied first (one atomic check
    /// when nothing waits).
    fn t(&self) -> Result<Arc<Trees>> {
        if !self.applier.current() {
            self.wait_applied()?;
        }
        self.t_now()
    }

    /// Applies the acknowledged records sled lacks, for a reader. If sled cannot take them,
    /// it is opened again and given them from the journal when the writer lock is free;
    /// when it is not (the reader runs inside a commit, or beside one), the read is refused
    /// rather than shown without them, and the next commit opens sled again first.
    fn wait_applied(&self) -> Result<()> {
        loop {
            if self.applier.current() {
                return Ok(());
            }
            if self.broken.load(Ordering::Acquire) {
                return match self.journal.try_lock() {
                    Ok(mut held) => self.recover_locked(held.as_mut()),
                    Err(_) => Err(StoreError::Io {
                        path: self.path.clone(),
                        source: std::io::Error::other(
                            "changes stored in the journal could not be written to the database yet",
                        ),
                    }),
                };
            }
            match self.applier.step(&self.trees, &self.broken) {
                Ok(_) if !self.broken.load(Ordering::Acquire) => {
                    if self.applier.current() {
                        return Ok(());
                    }
                }
                Ok(_) => {}
                Err(e) => self.stored_not_applied(&e),
            }
        }
    }

    /// sled and its trees as they are now (a draft's reads, which see what is not applied
    /// yet through the journal's pending records).
    fn t_now(&self) -> Result<Arc<Trees>> {
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
        let refused =
            matches!(&result, Err(StoreError::Io { source, .. }) if journal::NoRoom::is(source));
        if let Err(e) = &result
            && !refused
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
        } else if self.broken.load(Ordering::Acquire) {
            // The change is stored (its record is durable) but sled could not take it: sled is
            // opened again at once and given it from the journal, so reads show it. If that
            // fails too, the next write tries again first.
            if let Err(again) = self.recover() {
                tracing::error!("opening {} again failed: {again}", self.path.display());
            }
        }
        result
    }

    /// Closes sled and opens it again from disk. Waits (up to five seconds) for other threads
    /// to let go of the old handles, and for sled's flusher to let go of its file lock.
    fn recover(&self) -> Result<()> {
        let mut held = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        self.recover_locked(held.as_mut())
    }

    /// `recover` with the writer lock held (`j`, when the journal is open): every record
    /// written is made durable first, and the reopened sled is given, from the journal, every
    /// record it lacks (those sled could not take, and those not applied yet).
    fn recover_locked(&self, j: Option<&mut journal::Journal>) -> Result<()> {
        if let Some(j) = j {
            if j.has_unapplied() {
                j.syncer().wait(j.head().0).map_err(io_err(&self.path))?;
            }
            // The replay below applies them from the journal's files.
            drop(j.take_durable());
            self.applier.reset(j.head().0);
        }
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
    pub(crate) fn subscribe(&self) -> ChangeFeed {
        self.feed.subscribe()
    }

    /// Makes everything committed so far durable: sled's own flush, then a real fsync of its
    /// log, so an acknowledged change survives a power cut and not only a crash.
    /// sled's own flush and a real fsync of its log, as closing does: what sled's background
    /// flush writes, at once (for measuring the space sled takes).
    pub fn flush_sled(&self) -> Result<()> {
        self.flush()
    }

    fn flush(&self) -> Result<()> {
        self.t()?.db.flush()?;
        if let Some(f) = &self.t()?.log_file {
            f.sync_all().map_err(io_err(&self.path))?;
        }
        Ok(())
    }

    // ---- subjects -------------------------------------------------------------------------
}
