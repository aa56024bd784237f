//! Rebuilding a database from its change journal alone, for when sled's own files cannot be
//! opened or are damaged beyond sled's recovery (`thidua restore --from-journal OLD --db NEW`).
//! The journal starts with a checkpoint of every journaled tree and holds every change after
//! it, so folding it gives the whole state but the reviewers' saved positions (not journaled).
//! The old database's folder is only read. The new one is built in a hidden folder beside the
//! target, as a restore is: every record applied in order, the journal copied in and marked
//! applied, then the whole of `verify` (the chain, and the journal's state against the trees
//! built from it, key by key), and only then moved into place.

use std::path::Path;

use super::journal::{self, tree};
use super::verify::Report;
use super::{Result, Store, StoreError, io_err, open_sled};

/// What a rebuild made: the database, and the journal's last record (sequence, SHA-256 hex).
pub struct Rebuilt {
    pub store: Store,
    pub seq: u64,
    pub head: String,
}

/// Builds a new database at `to` from the change journal of the database at `from`; refuses
/// an existing `to` (but for an empty folder). A damaged journal is refused with
/// `StoreError::Journal` (segment, offset, record) and nothing is written at `to`; a rebuilt
/// database that does not check is returned as the report, and nothing is left at `to`.
pub fn from_journal(from: &Path, to: &Path) -> Result<std::result::Result<Rebuilt, Report>> {
    if to.exists() && !super::is_empty_dir(to) {
        return Err(StoreError::Exists(to.to_path_buf()));
    }
    let dir = from.join(journal::DIR);
    let segments = journal::segments(&dir).map_err(io_err(&dir))?;
    if segments.is_empty() {
        return Err(StoreError::Io {
            path: dir,
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "there is no change journal there",
            ),
        });
    }
    let name = to
        .file_name()
        .map_or_else(|| "thidua".into(), |n| n.to_string_lossy().into_owned());
    let building = to.with_file_name(format!(".{name}.restoring-{}", std::process::id()));
    if building.exists() {
        std::fs::remove_dir_all(&building).map_err(io_err(&building))?;
    }
    std::fs::create_dir_all(&building).map_err(io_err(&building))?;
    super::restrict_permissions(&building);
    let result = build(&dir, &building);
    match result {
        Err(e) => {
            let _ = std::fs::remove_dir_all(&building);
            Err(e)
        }
        Ok(Err(report)) => {
            let _ = std::fs::remove_dir_all(&building);
            Ok(Err(report))
        }
        Ok(Ok((seq, head))) => {
            if let Err(source) = std::fs::rename(&building, to) {
                let _ = std::fs::remove_dir_all(&building);
                return Err(StoreError::Io {
                    path: to.to_path_buf(),
                    source,
                });
            }
            let _ = crate::files::sync_dir(&crate::files::folder_of(to));
            let store = Store::open_moved(to)?;
            Ok(Ok(Rebuilt { store, seq, head }))
        }
    }
}

/// Folds the journal in `dir` into a new sled at `building`, copies the journal in, and
/// checks the result; the database is closed again on return.
pub(super) fn build(
    dir: &Path,
    building: &Path,
) -> Result<std::result::Result<(u64, String), Report>> {
    let db = open_sled(building)?;
    let trees = tree::NAMES
        .iter()
        .map(|n| db.open_tree(n))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut failed = None;
    let tail = journal::scan(dir, |record, _| {
        if failed.is_some() {
            return;
        }
        if record.kind == journal::KIND_CHECKPOINT {
            // The whole state: what was there before it is replaced.
            for t in &trees {
                if let Err(e) = t.clear() {
                    failed = Some(e);
                    return;
                }
            }
        }
        for op in record.ops {
            let t = &trees[usize::from(op.tree)];
            let done = match op.new {
                Some(v) => t.insert(op.key, v),
                None => t.remove(op.key),
            };
            if let Err(e) = done {
                failed = Some(e);
                return;
            }
        }
    })
    .map_err(|d| StoreError::Journal(Box::new(d)))?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    // The journal goes with the database, cut after its last whole record.
    let into = building.join(journal::DIR);
    std::fs::create_dir_all(&into).map_err(io_err(&into))?;
    for (no, path) in journal::segments(dir).map_err(io_err(dir))? {
        let copy = into.join(journal::segment_name(no));
        std::fs::copy(&path, &copy).map_err(io_err(&path))?;
        if let Some((last, _, good)) = &tail.segment
            && *last == no
        {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(&copy)
                .map_err(io_err(&copy))?;
            f.set_len(*good).map_err(io_err(&copy))?;
        }
        std::fs::File::open(&copy)
            .and_then(|f| f.sync_all())
            .map_err(io_err(&copy))?;
    }
    crate::files::sync_dir(&into).map_err(io_err(&into))?;
    // Where the last record is, so the first open checks only what follows it.
    let applied = match tail.mark() {
        Some(mark) => mark.encode(),
        None => tail.seq.to_be_bytes().to_vec(),
    };
    trees[usize::from(tree::META)].insert(super::commit::APPLIED, applied)?;
    db.flush()?;
    drop(trees);
    let store = Store::from_db(db, building)?;
    let report = store.verify()?;
    if !report.is_ok() {
        return Ok(Err(report));
    }
    Ok(Ok((tail.seq, journal::hex(&tail.head))))
}
