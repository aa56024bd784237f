//! Closing a store (and waiting for sled to let go of its lock), opening sled, removing what an
//! interrupted snapshot left, and the checks on a database folder.

use super::*;

impl Drop for Store {
    fn drop(&mut self) {
        self.check.stop.store(true, Ordering::Relaxed);
        if self.read_only.is_some() {
            // A private copy: nothing of the database's folder is touched.
            return;
        }
        // Every acknowledged record into sled, with the applier stopped first.
        let thread = self
            .applier_thread
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        self.applier.stop(thread);
        if let Err(e) = self.apply_now() {
            tracing::error!(
                "{}: closing with records sled could not take ({e}); they are applied at the next open",
                self.path.display()
            );
        }
        let taken = self
            .trees
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(t) = taken {
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
pub(super) fn wait_for_sled_lock(path: &Path) {
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

pub(super) fn open_sled(path: &Path) -> Result<sled::Db> {
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

/// Refuses a database folder in which sled's `conf` or `db` is missing (`conf`, `db`: whether
/// each is there), before sled opens it: sled would create them empty, and the database would
/// then be told "not a thidua database", or, worse, look empty. The message points to the
/// rebuild from the change journal when it is there.
pub(crate) fn sled_files_present(path: &Path, conf: bool, db: bool) -> Result<()> {
    if conf && db {
        return Ok(());
    }
    let missing: Vec<&str> = [("conf", conf), ("db", db)]
        .into_iter()
        .filter(|(_, there)| !there)
        .map(|(name, _)| name)
        .collect();
    let journal = exists(&path.join(journal::DIR))?;
    Err(StoreError::SledMissing {
        path: path.to_path_buf(),
        missing: missing.join(", "),
        journal,
    })
}

/// Removes sled's snapshots that were never finished (`snap.*.generating`) from `path`;
/// returns whether there were any.
pub(super) fn remove_unfinished_snapshots(path: &Path) -> bool {
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
pub(crate) fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

#[cfg(unix)]
pub(super) fn restrict_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)) {
        tracing::warn!("could not restrict {} to 0700: {e}", path.display());
    }
}

#[cfg(not(unix))]
pub(super) fn restrict_permissions(_path: &Path) {}
