//! Files written beside a database (backups, verdict files, the `.mark` of a rolling backup):
//! written whole or not at all, never over an existing file unless asked, never inside a
//! database folder; and the leftovers of a thidua that was killed while building something.
//!
//! - `write_atomically` writes to a temporary file in the target's folder, syncs it, moves it
//!   into place and syncs the folder, so the name points to the whole new file even after a
//!   power cut, and readers never see a half-written one.
//! - `place` is the last step alone. With `Mode::CreateNew` the file is linked into place
//!   (`link(2)` fails when the name exists), so two writers racing for one name cannot both
//!   succeed and nothing is replaced; with `Mode::Replace` it is renamed over the old file.
//! - Temporary names carry the writer's process id (`.thidua-backup-PID-….tmp`,
//!   `.thidua-export-PID-….tmp`, `.NAME.restoring-PID`, `.NAME.creating-PID`), so
//!   `sweep_leftovers` removes only what a dead process left.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether a write may replace an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Refuse (`AlreadyExists`) when the name is taken, atomically.
    CreateNew,
    /// Replace the old file atomically.
    Replace,
}

/// The folder a path's file lives in ("." for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Syncs a folder, so a rename or link in it survives a power cut. A folder that cannot be
/// opened for sync (some platforms) is not an error.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::File::open(dir) {
        Ok(d) => d.sync_all().or_else(|e| {
            // Some file systems refuse fsync on a folder; nothing more can be done there.
            if e.raw_os_error() == Some(22) {
                Ok(())
            } else {
                Err(e)
            }
        }),
        Err(_) => Ok(()),
    }
}

/// Moves the finished temporary file `tmp` to `dest` (same folder), then syncs the folder.
/// `Mode::CreateNew` links it into place, failing with `AlreadyExists` if `dest` exists (also
/// when another writer takes the name at the same moment); `tmp` is removed either way.
pub fn place(tmp: &Path, dest: &Path, mode: Mode) -> std::io::Result<()> {
    match mode {
        Mode::Replace => std::fs::rename(tmp, dest)?,
        Mode::CreateNew => {
            let linked = std::fs::hard_link(tmp, dest);
            let _ = std::fs::remove_file(tmp);
            linked?;
        }
    }
    sync_dir(&folder_of(dest))
}

/// Writes `bytes` to `path` through a temporary file beside it (mode 0600 on Unix, as
/// backups hold everything), synced, then `place`d. On failure nothing is left behind and an
/// existing `path` is unchanged. Returns the bytes written.
pub fn write_atomically(path: &Path, bytes: &[u8], mode: Mode) -> std::io::Result<u64> {
    if mode == Mode::CreateNew && std::fs::symlink_metadata(path).is_ok() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    let dir = folder_of(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".thidua-backup-{}-", std::process::id()))
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    tmp.as_file_mut().write_all(bytes)?;
    tmp.as_file_mut().flush()?;
    tmp.as_file().sync_all()?;
    // The temporary file stays owned by `tmp` until placed, so an error removes it.
    let (file, tmp_path) = tmp.keep().map_err(|e| e.error)?;
    drop(file);
    if let Err(e) = place(&tmp_path, path, mode) {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(e);
    }
    Ok(bytes.len() as u64)
}

/// The database folder `path` would be written into, if any: `path` itself or one of the
/// folders above it holds a sled database (`conf` and `db`) or a thidua owner file. Relative
/// paths are resolved against the current folder; folders that do not exist yet are skipped.
pub fn database_folder_around(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut at = Some(absolute.as_path());
    while let Some(dir) = at {
        if is_database_folder(dir) {
            return Some(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()));
        }
        at = dir.parent();
    }
    None
}

/// Whether `dir` looks like a thidua (sled) database folder.
pub fn is_database_folder(dir: &Path) -> bool {
    (dir.join("conf").is_file() && dir.join("db").is_file()) || dir.join("owner.json").is_file()
}

/// Something a killed thidua left behind and that was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    pub path: PathBuf,
    pub pid: u32,
}

/// The process id in a temporary name of ours, if `name` is one.
fn owner_pid(name: &str) -> Option<u32> {
    let digits = |s: &str| -> Option<u32> {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        if d.is_empty() { None } else { d.parse().ok() }
    };
    for prefix in [".thidua-export-", ".thidua-backup-"] {
        if let Some(rest) = name.strip_prefix(prefix)
            && name.ends_with(".tmp")
        {
            // PID, a dash, then the random part: a name without the dash is not ours.
            let (pid, random) = rest.split_once('-')?;
            return digits(pid).filter(|p| p.to_string() == pid && random.len() > 4);
        }
    }
    if name.starts_with('.') {
        for marker in [".restoring-", ".creating-"] {
            if let Some(i) = name.rfind(marker) {
                let rest = &name[i + marker.len()..];
                return digits(rest).filter(|p| p.to_string() == rest);
            }
        }
    }
    None
}

/// Whether process `pid` is still running. Where this cannot be told, it counts as running.
pub fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc_dir = Path::new("/proc");
    if !proc_dir.join("self").exists() {
        return true;
    }
    match std::fs::read_to_string(proc_dir.join(pid.to_string()).join("stat")) {
        // The state follows the command name in parentheses; Z is a zombie (dead, not reaped).
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}

/// Removes from `dir` the temporary files and half-built database folders that thidua
/// processes which are no longer running left behind; returns what was removed.
pub fn sweep_leftovers(dir: &Path) -> Vec<Leftover> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = owner_pid(&name) else {
            continue;
        };
        if process_alive(pid) {
            continue;
        }
        let path = entry.path();
        let gone = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
        match gone {
            Ok(()) => {
                tracing::warn!(
                    "removed {}, left behind by thidua process {pid}, which was stopped",
                    path.display()
                );
                removed.push(Leftover { path, pid });
            }
            Err(e) => tracing::warn!("could not remove the leftover {}: {e}", path.display()),
        }
    }
    removed.sort_by(|a, b| a.path.cmp(&b.path));
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_temporary_names_carry_an_owner() {
        assert_eq!(owner_pid(".thidua-export-123-abcDEF.tmp"), Some(123));
        assert_eq!(owner_pid(".thidua-backup-77-x1.tmp"), Some(77));
        assert_eq!(owner_pid(".review.db.restoring-4242"), Some(4242));
        assert_eq!(owner_pid(".thidua.db.creating-9"), Some(9));
        assert_eq!(owner_pid(".thidua-export-abcDEF.tmp"), None);
        assert_eq!(owner_pid("review.db.restoring-4242"), None);
        assert_eq!(owner_pid(".x.restoring-42a"), None);
        assert_eq!(owner_pid("verdicts.xlsx"), None);
    }

    #[test]
    fn create_new_never_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.json");
        write_atomically(&p, b"one", Mode::CreateNew).expect("first write");
        let e = write_atomically(&p, b"two", Mode::CreateNew).expect_err("second write");
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&p).expect("read"), b"one");
        write_atomically(&p, b"three", Mode::Replace).expect("replace");
        assert_eq!(std::fs::read(&p).expect("read"), b"three");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.json")]);
    }

    #[test]
    fn a_dead_process_is_not_alive() {
        assert!(process_alive(std::process::id()));
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let pid = child.id();
        child.wait().expect("wait");
        assert!(!process_alive(pid));
    }
}
