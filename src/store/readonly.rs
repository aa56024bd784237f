//! Reading a database this process may not write: on read-only media, in a folder the user
//! cannot write to, or where sled's lock (it locks its own `db` file, opened for writing)
//! cannot be taken. sled 0.34 has no read-only open, so sled's files (`conf`, `db`, `snap.*`,
//! `blobs/`) are copied into a private temporary folder, sled is opened there, and every
//! journal record past what that copy has applied is replayed into it, exactly as a normal
//! open does, except that the journal is only read. The result is the state as of the
//! journal's last record; nothing is written in the database's folder: no lock, no
//! `owner.json`, no journal segment, no replay into the real sled. The copy is removed when
//! the store is dropped.

use std::path::Path;

use super::journal::{self, Hash};
use super::{Result, Store, StoreError, Trees, io_err, migrate, open_sled, unjson};

/// What a store opened read-only keeps: its private copy of sled's files and the journal's
/// head it was read at.
pub(crate) struct ReadOnly {
    /// Removed with the store.
    _copy: tempfile::TempDir,
    pub(crate) seq: u64,
    pub(crate) head: Hash,
}

/// Why the database could not be opened, when it is because this process may not write
/// there (no permission, a read-only file system): the case `Store::open_read_only` serves.
pub fn cannot_write(e: &StoreError) -> Option<std::io::ErrorKind> {
    let kind = match e {
        StoreError::Io { source, .. } => source.kind(),
        StoreError::Sled(sled::Error::Io(source)) => source.kind(),
        _ => return None,
    };
    matches!(
        kind,
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
    .then_some(kind)
}

/// Copies sled's own files of the database at `from` into `to` (an empty folder).
fn copy_sled_files(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).map_err(io_err(from))? {
        let entry = entry.map_err(io_err(from))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let src = entry.path();
        if name == "conf"
            || name == "db"
            || (name.starts_with("snap.") && !name.ends_with(".generating"))
        {
            std::fs::copy(&src, to.join(&name)).map_err(io_err(&src))?;
        } else if name == "blobs" {
            let dst = to.join("blobs");
            std::fs::create_dir(&dst).map_err(io_err(&dst))?;
            for blob in std::fs::read_dir(&src).map_err(io_err(&src))? {
                let blob = blob.map_err(io_err(&src))?;
                let path = blob.path();
                std::fs::copy(&path, dst.join(blob.file_name())).map_err(io_err(&path))?;
            }
        }
    }
    Ok(())
}

impl Store {
    /// Opens the database at `path` for reading only (see the module comment). The journal's
    /// head it was read at is `Store::head`; every write is refused.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let (conf, db) = (
            super::exists(&path.join("conf"))?,
            super::exists(&path.join("db"))?,
        );
        if !conf && !db && !super::exists(&path.join(journal::DIR))? {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        super::sled_files_present(path, conf, db)?;
        let copy = tempfile::Builder::new()
            .prefix("thidua-read-")
            .tempdir()
            .map_err(io_err(&std::env::temp_dir()))?;
        copy_sled_files(path, copy.path())?;
        let db = open_sled(copy.path())?;
        let meta = db.open_tree("meta")?;
        migrate::upgrade(&db, &meta, path)?;
        let campaign = match meta.get(migrate::CAMPAIGN)? {
            Some(v) => unjson("campaign", &v)?,
            None => return Err(StoreError::NotThidua(path.to_path_buf())),
        };
        let trees = Trees::open(db, copy.path())?;
        let mut store = Store {
            path: path.to_path_buf(),
            campaign,
            feed: super::feed::Broadcast::default(),
            trees: std::sync::Arc::new(std::sync::RwLock::new(None)),
            broken: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
            closed_by: std::sync::Mutex::new(None),
            journal: std::sync::Mutex::new(None),
            replayed: std::sync::atomic::AtomicU64::new(0),
            read_only: None,
            check: std::sync::Arc::default(),
            applier: std::sync::Arc::default(),
            applier_thread: std::sync::Mutex::new(None),
        };
        let tail = store.replay(&trees)?;
        *store
            .trees
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(std::sync::Arc::new(trees));
        store.read_only = Some(ReadOnly {
            _copy: copy,
            seq: tail.seq,
            head: tail.head,
        });
        Ok(store)
    }

    /// Whether this store was opened with `open_read_only`.
    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    /// The journal's head a read-only store was read at.
    pub(crate) fn read_only_head(&self) -> Option<(u64, String)> {
        self.read_only
            .as_ref()
            .map(|r| (r.seq, journal::hex(&r.head)))
    }
}
