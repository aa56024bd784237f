//! Around the files written beside a database (backups, verdict files): never inside a
//! database folder, and the leftovers of a thidua that was killed while building something.
//! The writing itself is `crate::files::write_atomically`.
//!
//! Temporary names carry the writer's process id (`crate::files::TEMP_PREFIXES`,
//! `.NAME.restoring-PID`, `.NAME.creating-PID`), so `sweep_leftovers` removes only what a dead
//! process left.

use std::path::{Path, PathBuf};

/// The database folder `path` would be written into, if any: `path` itself or one of the
/// folders above it holds a sled database (`conf` and `db`) or a thidua owner file. Relative
/// paths are resolved against the current folder; folders that do not exist yet are skipped.
pub(crate) fn database_folder_around(path: &Path) -> Option<PathBuf> {
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
pub(crate) fn is_database_folder(dir: &Path) -> bool {
    (dir.join("conf").is_file() && dir.join("db").is_file()) || dir.join("owner.json").is_file()
}

/// Something a killed thidua left behind and that was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Leftover {
    pub path: PathBuf,
    pub pid: u32,
}

/// The process id in a temporary name of ours, if `name` is one.
fn owner_pid(name: &str) -> Option<u32> {
    let digits = |s: &str| -> Option<u32> {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        if d.is_empty() { None } else { d.parse().ok() }
    };
    for prefix in crate::files::TEMP_PREFIXES {
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
pub(crate) fn process_alive(pid: u32) -> bool {
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
pub(crate) fn sweep_leftovers(dir: &Path) -> Vec<Leftover> {
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
    fn a_dead_process_is_not_alive() {
        assert!(process_alive(std::process::id()));
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let pid = child.id();
        child.wait().expect("wait");
        assert!(!process_alive(pid));
    }
}
