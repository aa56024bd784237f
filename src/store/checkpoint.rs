//! Keeping the change journal bounded. After a backup, once the kept journal holds more than
//! `AFTER_BYTES`, a new segment is started whose first record is a checkpoint of every
//! journaled tree, and every segment before it is moved into `backups/<db>-journal/` beside
//! the rolling backups. The journal then starts at that checkpoint: opening, `verify`,
//! read-only use, backups and `restore --from-journal` check the chain from it
//! (`journal::scan` takes a first record that is a checkpoint numbered past 1 as the start).
//! A backup carries the journal from its own first checkpoint, so no restore needs the
//! retired segments: those older than the oldest kept rolling backup are deleted after each
//! rolling backup (`Store::prune_retired`), and `verify` checks the rest as one chain with the
//! kept journal (`check_retired`).

use std::path::{Path, PathBuf};
use std::sync::PoisonError;

use super::journal::{self, Journal};
use super::{Result, Store, StoreError, io_err};

/// A checkpoint follows a backup once the kept journal holds this many bytes.
pub const AFTER_BYTES: u64 = journal::SEGMENT_BYTES;

/// In debug and test builds only, this environment variable sets `AFTER_BYTES` (to checkpoint
/// after every backup in a test without writing 64 MiB); release builds do not read it.
pub const AFTER_VAR: &str = "THIDUA_TEST_CHECKPOINT_BYTES";

fn after_bytes() -> u64 {
    #[cfg(debug_assertions)]
    if let Some(n) = std::env::var(AFTER_VAR).ok().and_then(|v| v.parse().ok()) {
        return n;
    }
    AFTER_BYTES
}

/// The actor of a checkpoint record: thidua itself, come in as the login this process runs as
/// (`thidua` and `local:LOGIN`, as `Actor::journal_text` writes an actor), so that every
/// record names who made it, a checkpoint too.
pub(crate) fn actor() -> String {
    super::Actor::new("thidua", chrono::DateTime::<chrono::Utc>::UNIX_EPOCH).journal_text()
}

/// Where the segments of the database at `db` are retired to.
pub fn retired_dir(db: &Path) -> PathBuf {
    let stem = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "thidua".into());
    super::backup::rolling_dir(db).join(format!("{stem}-journal"))
}

impl Store {
    /// Called after a backup was written: when the kept journal holds more than `AFTER_BYTES`,
    /// checkpoints and retires the older segments (`checkpoint`). Returns how many segments
    /// were retired.
    pub fn checkpoint_after_backup(&self, at_ms: i64) -> Result<usize> {
        if !self.journal_outgrown()? {
            return Ok(0);
        }
        self.checkpoint(at_ms)
    }

    /// Whether the kept journal holds more than `AFTER_BYTES` past the checkpoint it starts
    /// with: what makes a backup followed by a checkpoint.
    pub(crate) fn journal_outgrown(&self) -> Result<bool> {
        let dir = self.path.join(journal::DIR);
        let segments = journal::segments(&dir).map_err(io_err(&dir))?;
        // The segment being written counts up to its last record, not the zeros written
        // ahead of it.
        let current = {
            let held = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
            held.as_ref().map(|j| (j.segment_path(), j.used()))
        };
        let kept: u64 = segments
            .iter()
            .filter_map(|(_, p)| match &current {
                Some((path, used)) if path == p => Some(*used),
                _ => std::fs::metadata(p).ok().map(|m| m.len()),
            })
            .sum();
        // The checkpoint the journal starts with is not counted: it is the state, not growth,
        // and at ×10 it alone is larger than the bound.
        let start = segments
            .first()
            .map_or(0, |(_, p)| first_checkpoint_bytes(p));
        Ok(kept.saturating_sub(start) > after_bytes())
    }

    /// Starts a new journal segment with a checkpoint of every journaled tree, then moves
    /// every segment before it into `retired_dir`. Commits wait meanwhile. Returns how many
    /// segments were moved.
    pub fn checkpoint(&self, at_ms: i64) -> Result<usize> {
        let mut held = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(j) = held.as_mut() else {
            return Err(StoreError::Corrupt(
                "the database's journal is not open for writing".into(),
            ));
        };
        // The checkpoint reads sled: every record written is applied first.
        self.settle(j)?;
        let t = self.t()?;
        let dir = self.path.join(journal::DIR);
        let io = |source| StoreError::Io {
            path: dir.clone(),
            source,
        };
        // In a segment of its own, refused before anything is written when the disk would keep
        // less than the reserve (`Journal::append_with`).
        let seq = write_checkpoint(j, &t, at_ms).map_err(|e| match e {
            Ok(io_error) => io(io_error),
            Err(store_error) => store_error,
        })?;
        match j.last_mark() {
            Some(mark) => t.meta.insert(super::commit::APPLIED, mark.encode())?,
            None => t.meta.insert(super::commit::APPLIED, &seq.to_be_bytes())?,
        };
        let current = j.segment_path();
        drop(held);
        let to = retired_dir(&self.path);
        let mut moved = 0;
        for (_, path) in journal::segments(&dir).map_err(io_err(&dir))? {
            if path == current {
                break;
            }
            if moved == 0 {
                std::fs::create_dir_all(&to).map_err(io_err(&to))?;
                super::restrict_permissions(&to);
            }
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            let target = to.join(&name);
            if std::fs::rename(&path, &target).is_err() {
                // Another file system: copied, made durable, then removed.
                std::fs::copy(&path, &target).map_err(io_err(&target))?;
                std::fs::File::open(&target)
                    .and_then(|f| f.sync_all())
                    .map_err(io_err(&target))?;
                std::fs::remove_file(&path).map_err(io_err(&path))?;
            }
            moved += 1;
        }
        if moved > 0 {
            crate::files::sync_dir(&to).map_err(io_err(&to))?;
            crate::files::sync_dir(&dir).map_err(io_err(&dir))?;
            tracing::info!(
                "{}: checkpoint at journal record {seq}; {moved} older segment(s) moved to {}",
                self.path.display(),
                to.display()
            );
        }
        Ok(moved)
    }
}

/// The size of the first frame of the segment at `path` when it is a checkpoint, else 0 (read
/// from its header and the payload's kind byte).
fn first_checkpoint_bytes(path: &Path) -> u64 {
    use std::io::Read;
    let mut head = [0u8; 18];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head));
    if read.is_err() || head[17] != journal::KIND_CHECKPOINT {
        return 0;
    }
    let len = u64::from(u32::from_be_bytes([head[4], head[5], head[6], head[7]]));
    journal::frame_extent(&head[..4], len)
}

/// Appends a checkpoint record of `t` to `j`; the error is the journal's (`Ok`) or reading
/// sled's (`Err`).
fn write_checkpoint(
    j: &mut Journal,
    t: &super::Trees,
    at_ms: i64,
) -> std::result::Result<u64, std::result::Result<std::io::Error, StoreError>> {
    let mut read_error = None;
    let appended = j.append_with(journal::KIND_CHECKPOINT, at_ms, &actor(), true, |w| {
        if let Err(e) = super::commit::checkpoint_ops(t, w) {
            let text = e.to_string();
            read_error = Some(e);
            return Err(std::io::Error::other(text));
        }
        Ok(())
    });
    appended.map_err(|e| match read_error.take() {
        Some(store_error) => Err(store_error),
        None => Ok(e),
    })
}

/// What `Store::check_retired` found in `backups/<db>-journal/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetiredCheck {
    /// The folder checked.
    pub dir: PathBuf,
    /// How many retired segments there are.
    pub segments: usize,
    /// The first and last record of the retired chain (with the kept journal after it).
    pub records: Option<(u64, u64)>,
    /// Damage, a missing segment, or a chain that does not lead into the kept journal: the
    /// segment, offset and record, as `journal::Damage` words it.
    pub problem: Option<String>,
}

/// Checks the retired segments in `retired_dir` with the kept journal after them as one
/// journal of the database at `db` (`journal::scan_some`, nothing decoded): every frame's
/// checksums, the sequence and the hash chain, from the oldest retired record into the kept
/// journal's first checkpoint. The folders are only read: the check runs over symbolic links
/// to the segments in a temporary folder, and damage is named by the segment's own path.
pub fn check_retired(db: &Path) -> Result<RetiredCheck> {
    let retired = retired_dir(db);
    let kept_dir = db.join(journal::DIR);
    let old = journal::segments(&retired).map_err(io_err(&retired))?;
    let mut out = RetiredCheck {
        dir: retired.clone(),
        segments: old.len(),
        ..RetiredCheck::default()
    };
    if old.is_empty() {
        return Ok(out);
    }
    let kept = journal::segments(&kept_dir).map_err(io_err(&kept_dir))?;
    let first_kept = kept.first().map_or(u32::MAX, |(no, _)| *no);
    if let Some((no, path)) = old.iter().find(|(no, _)| *no >= first_kept) {
        out.problem = Some(format!(
            "journal segment {}: numbered {no}, not before the kept journal's first segment ({first_kept}); it is not part of this database's history",
            path.display()
        ));
        return Ok(out);
    }
    let links = tempfile::Builder::new()
        .prefix("thidua-retired-")
        .tempdir()
        .map_err(io_err(&std::env::temp_dir()))?;
    for (no, path) in old.iter().chain(kept.iter()) {
        let link = links.path().join(journal::segment_name(*no));
        let target = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        std::os::unix::fs::symlink(&target, &link).map_err(io_err(&link))?;
    }
    let mut first = None;
    match journal::scan_some(
        links.path(),
        |seq| {
            first.get_or_insert(seq);
            false
        },
        |_, _| {},
    ) {
        Ok(tail) => out.records = Some((first.unwrap_or(0), tail.seq)),
        Err(mut damage) => {
            // Named by the segment's own path, not the link's.
            let name = damage.segment.file_name().map(PathBuf::from);
            if let Some((_, real)) = old
                .iter()
                .chain(kept.iter())
                .find(|(_, p)| p.file_name().map(PathBuf::from) == name)
            {
                damage.segment = real.clone();
            } else {
                damage.segment = retired.clone();
            }
            out.problem = Some(damage.to_string());
        }
    }
    Ok(out)
}

impl Store {
    /// The retention rule for retired segments, applied after a rolling backup: a retired
    /// segment numbered below the first segment the oldest kept rolling backup carries holds
    /// only records from before every kept backup, and is deleted; the rest stay, as the chain
    /// from the oldest kept backup to the kept journal (`check_retired`). Nothing is deleted
    /// while the oldest kept rolling backup is of format 1 or 2 (which segment it starts from
    /// is not in its first line), nor when there is none. Returns the segments deleted.
    pub fn prune_retired(&self, oldest_backup: Option<&Path>) -> Result<Vec<PathBuf>> {
        let Some(oldest) = oldest_backup else {
            return Ok(Vec::new());
        };
        let Ok(super::backup::Backup::Journal(b)) = super::backup::open(oldest) else {
            return Ok(Vec::new());
        };
        let Some(first) = b.header.segments.first().map(|s| s.no) else {
            return Ok(Vec::new());
        };
        let dir = retired_dir(&self.path);
        let mut gone = Vec::new();
        for (no, path) in journal::segments(&dir).map_err(io_err(&dir))? {
            if no >= first {
                break;
            }
            std::fs::remove_file(&path).map_err(io_err(&path))?;
            gone.push(path);
        }
        if !gone.is_empty() {
            crate::files::sync_dir(&dir).map_err(io_err(&dir))?;
            tracing::info!(
                "{}: deleted {} retired journal segment(s) older than the oldest kept backup {} (which starts at segment {first})",
                dir.display(),
                gone.len(),
                oldest.display()
            );
        }
        Ok(gone)
    }
}
