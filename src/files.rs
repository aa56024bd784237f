//! Files written whole or not at all: the one way thidua writes a file a user keeps (a backup,
//! a verdict file, the `.mark` of a rolling backup). It knows nothing of ours, so every layer
//! that writes files uses it.
//!
//! `write_atomically` writes to a temporary file in the target's folder, syncs it, moves it
//! into place and syncs the folder, so the name points to the whole new file even after a
//! power cut, and readers never see a half-written one. With `Mode::CreateNew` the move itself
//! refuses an existing name (`renameat2(RENAME_NOREPLACE)`, or `link(2)` where the file system
//! lacks it, through `tempfile`'s `persist_noclobber`), so two writers racing for one name
//! cannot both succeed and nothing is ever replaced; with `Mode::Replace` the file is renamed
//! over the old one.
//!
//! Temporary names carry the writer's process id (`.thidua-backup-PID-….tmp`,
//! `.thidua-export-PID-….tmp`; see `TEMP_PREFIXES`), so what a killed process left can be told
//! from what a running one is writing (`store::files::sweep_leftovers`).

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

/// Who may read the file; decides its temporary name and its permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A backup (it holds the whole database): mode 0600 on Unix.
    Private,
    /// A file the user hands on (a verdict file): 0666 less the umask, like any file they
    /// create.
    Shared,
}

/// The prefixes of the temporary files `write_atomically` makes (private, shared), each
/// followed by the writer's process id, a dash, a random part and `.tmp`.
pub const TEMP_PREFIXES: [&str; 2] = [".thidua-backup-", ".thidua-export-"];

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Private => TEMP_PREFIXES[0],
            Kind::Shared => TEMP_PREFIXES[1],
        }
    }
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
            // Some file systems refuse fsync on a folder (EINVAL); nothing more can be done.
            if e.raw_os_error() == Some(22) {
                Ok(())
            } else {
                Err(e)
            }
        }),
        Err(_) => Ok(()),
    }
}

/// Writes `path` whole or not at all: `fill` writes the content into a temporary file beside
/// it, which is synced, moved into place (see `Mode`) and the folder synced. Returns the bytes
/// written. On any failure (of `fill`, of the disk, or a name taken with `Mode::CreateNew`) the
/// temporary file is removed and an existing `path` is left as it was.
pub fn write_atomically<E: From<std::io::Error>>(
    path: &Path,
    mode: Mode,
    kind: Kind,
    fill: impl FnOnce(&mut std::fs::File) -> Result<(), E>,
) -> Result<u64, E> {
    write_atomically_checked(path, mode, kind, fill, |_| Ok(()))
}

/// `write_atomically`, with `check` run on the temporary file (by its path) once it is written
/// and synced, before it is moved into place: when `check` fails, nothing is moved, an existing
/// `path` is left as it was, and the temporary file is deleted (by `check` itself when it must
/// know whether that worked, else on return).
pub fn write_atomically_checked<E: From<std::io::Error>>(
    path: &Path,
    mode: Mode,
    kind: Kind,
    fill: impl FnOnce(&mut std::fs::File) -> Result<(), E>,
    check: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<u64, E> {
    let taken = || std::io::Error::from(std::io::ErrorKind::AlreadyExists);
    // A taken name is refused before the content is built; the move below checks again.
    if mode == Mode::CreateNew && std::fs::symlink_metadata(path).is_ok() {
        return Err(taken().into());
    }
    let dir = folder_of(path);
    let prefix = format!("{}{}-", kind.prefix(), std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let bits = match kind {
            Kind::Private => 0o600,
            Kind::Shared => 0o666,
        };
        builder.permissions(std::fs::Permissions::from_mode(bits));
    }
    // The temporary file is owned by `tmp` until it is placed: every early return removes it.
    let mut tmp = builder.tempfile_in(&dir)?;
    fill(tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    tmp.as_file().sync_all()?;
    let bytes = tmp.as_file().metadata()?.len();
    check(tmp.path())?;
    match mode {
        Mode::Replace => tmp.persist(path).map_err(|e| e.error)?,
        Mode::CreateNew => tmp.persist_noclobber(path).map_err(|e| e.error)?,
    };
    sync_dir(&dir)?;
    Ok(bytes)
}

/// `write_atomically` of bytes already in memory.
pub fn write_bytes_atomically(
    path: &Path,
    bytes: &[u8],
    mode: Mode,
    kind: Kind,
) -> std::io::Result<u64> {
    write_atomically(path, mode, kind, |f| f.write_all(bytes))
}

/// This process's effective user id (Linux: /proc/self/status), the one its files belong to.
pub fn effective_uid() -> Option<u32> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The login name of user `uid` as /etc/passwd writes it (not cleaned: callers clean it before
/// it is shown or stored); `None` when the file cannot be read or has no such user. The one
/// place thidua reads /etc/passwd.
pub fn passwd_name(uid: u32) -> Option<String> {
    let uid = uid.to_string();
    std::fs::read_to_string("/etc/passwd")
        .ok()?
        .lines()
        .find_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            (f.nth(1)? == uid).then(|| name.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn create_new_never_replaces_and_replace_does() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.json");
        write_bytes_atomically(&p, b"one", Mode::CreateNew, Kind::Private).expect("first write");
        let e = write_bytes_atomically(&p, b"two", Mode::CreateNew, Kind::Shared)
            .expect_err("second write");
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&p).expect("read"), b"one");
        let n =
            write_bytes_atomically(&p, b"three", Mode::Replace, Kind::Private).expect("replace");
        assert_eq!(n, 5);
        assert_eq!(std::fs::read(&p).expect("read"), b"three");
        assert_eq!(names(dir.path()), ["a.json"]);
    }

    /// Writers of one process racing for one name, as the server's consoles are: exactly one
    /// wins each round, the others are told the name is taken, the file is the winner's whole
    /// content, and no temporary file is left.
    #[test]
    fn exclusive_writers_racing_for_one_name_let_exactly_one_win() {
        let dir = tempfile::tempdir().expect("tempdir");
        for round in 0..20 {
            let target = dir.path().join(format!("v{round}.json"));
            let start = std::sync::Barrier::new(6);
            let results: Vec<Result<u8, std::io::Error>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..6u8)
                    .map(|i| {
                        let (target, start) = (&target, &start);
                        scope.spawn(move || {
                            let body = vec![b'a' + i; 64 * 1024];
                            start.wait();
                            write_bytes_atomically(target, &body, Mode::CreateNew, Kind::Shared)
                                .map(|_| i)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("thread"))
                    .collect()
            });
            let winners: Vec<u8> = results
                .iter()
                .filter_map(|r| r.as_ref().ok())
                .copied()
                .collect();
            assert_eq!(winners.len(), 1, "round {round}: {results:?}");
            for e in results.iter().filter_map(|r| r.as_ref().err()) {
                assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists, "{e}");
            }
            assert_eq!(
                std::fs::read(&target).expect("read"),
                vec![b'a' + winners[0]; 64 * 1024]
            );
        }
        assert!(
            names(dir.path()).iter().all(|n| !n.starts_with('.')),
            "temporary files left: {:?}",
            names(dir.path())
        );
    }

    /// The name is taken while the content is being written (after the first check): the
    /// move refuses it, the other file stays, and the temporary file is gone.
    #[test]
    fn a_name_taken_while_writing_is_refused_at_the_move() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("v.csv");
        let e = write_atomically(&p, Mode::CreateNew, Kind::Shared, |f| {
            std::fs::write(&p, b"theirs")?;
            f.write_all(b"ours")
        })
        .expect_err("taken meanwhile");
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&p).expect("read"), b"theirs");
        assert_eq!(names(dir.path()), ["v.csv"]);
    }

    #[derive(Debug)]
    enum Failed {
        Io(std::io::Error),
        Content(&'static str),
    }
    impl From<std::io::Error> for Failed {
        fn from(e: std::io::Error) -> Self {
            Failed::Io(e)
        }
    }

    /// A writer that fails half-way leaves nothing behind and the old file as it was, in
    /// both modes.
    #[test]
    fn a_failed_write_leaves_no_temporary_file_and_the_old_file_unchanged() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("b.json");
        for mode in [Mode::CreateNew, Mode::Replace] {
            let e = write_atomically(&p, mode, Kind::Private, |f| {
                f.write_all(&[b'x'; 10_000])?;
                Err(Failed::Content("the sheet could not be built"))
            })
            .expect_err("fails");
            assert!(
                matches!(e, Failed::Content(m) if m.contains("sheet")),
                "{e:?}"
            );
            assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
        }
        std::fs::write(&p, b"old").expect("old file");
        let e = write_atomically(&p, Mode::Replace, Kind::Shared, |f| {
            f.write_all(b"new, but")?;
            Err(Failed::Io(std::io::Error::other("disk full")))
        })
        .expect_err("fails");
        assert!(
            matches!(&e, Failed::Io(io) if io.to_string() == "disk full"),
            "{e:?}"
        );
        assert_eq!(std::fs::read(&p).expect("read"), b"old");
        assert_eq!(names(dir.path()), ["b.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_private_and_shared_ones_follow_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let private = dir.path().join("backup.json");
        let shared = dir.path().join("verdicts.csv");
        write_bytes_atomically(&private, b"{}", Mode::CreateNew, Kind::Private).expect("private");
        write_bytes_atomically(&shared, b"a,b", Mode::CreateNew, Kind::Shared).expect("shared");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&private), 0o600);
        // A shared file gets what any file the user creates gets.
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, b"x").expect("plain");
        assert_eq!(mode(&shared), mode(&plain));
    }
}
