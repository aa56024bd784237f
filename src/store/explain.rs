//! Storage errors for the user: each names the path, says what happened (disk full, no
//! permission, read-only disk, damaged data, the database held by another process) and what to
//! do, as catalogue ids with arguments (`msg::Told`) that the command line and the console word; damage points to the rolling
//! backups and `thidua restore`. sled's and the OS's raw texts (offsets, backtraces, error
//! codes) go to the log only.

use std::io::ErrorKind;
use std::path::Path;

use super::journal::{Damage, Problem};
use super::owner::Holder;
use super::{Owner, StoreError};
use crate::msg::{Key, Part, Told};

/// What kind of storage trouble an I/O error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trouble {
    DiskFull,
    Denied,
    ReadOnly,
    Other,
}

/// Sorts an I/O error by what the user can do about it. Errors that a library wrapped (an
/// I/O error inside another error, or flattened into text as serde_json does with an error
/// from its writer) are looked through to the OS error they carry.
pub(crate) fn trouble(e: &std::io::Error) -> Trouble {
    let direct = trouble_of(e.kind(), e.raw_os_error());
    if direct != Trouble::Other {
        return direct;
    }
    let mut inner: Option<&(dyn std::error::Error + 'static)> =
        e.get_ref().map(|i| i as &(dyn std::error::Error + 'static));
    while let Some(i) = inner {
        if let Some(io) = i.downcast_ref::<std::io::Error>() {
            return trouble(io);
        }
        inner = i.source();
    }
    // "… (os error 28)" as text.
    let text = e.to_string();
    let code = text
        .rsplit_once("(os error ")
        .and_then(|(_, rest)| rest.split_once(')'))
        .and_then(|(n, _)| n.parse::<i32>().ok());
    trouble_of(ErrorKind::Other, code)
}

fn trouble_of(kind: ErrorKind, raw: Option<i32>) -> Trouble {
    match (kind, raw) {
        (ErrorKind::StorageFull | ErrorKind::QuotaExceeded, _) | (_, Some(28 | 122)) => {
            Trouble::DiskFull
        }
        (ErrorKind::PermissionDenied, _) | (_, Some(1 | 13)) => Trouble::Denied,
        (ErrorKind::ReadOnlyFilesystem, _) | (_, Some(30)) => Trouble::ReadOnly,
        _ => Trouble::Other,
    }
}

/// An I/O error on `path` in plain words, with what to do.
pub(crate) fn explain_io(path: &Path, e: &std::io::Error) -> Told {
    let p = Part::Text(crate::text::clean(&path.display().to_string()));
    match trouble(e) {
        Trouble::DiskFull => Told::new(Key::StoreDiskFull, [p]),
        Trouble::Denied => Told::new(Key::StoreDenied, [p]),
        Trouble::ReadOnly => Told::new(Key::StoreReadOnly, [p]),
        Trouble::Other => Told::new(Key::StoreIoOther, [p, io_detail(e).into()]),
    }
}

/// What an I/O error is, in a few words (the OS's own text goes to the log).
pub fn io_detail(e: &std::io::Error) -> Told {
    crate::msg::io_detail(e)
}

/// Where a change journal is damaged and what is wrong there.
pub fn journal_detail(d: &Damage) -> Told {
    let what = match &d.what {
        Problem::Checksum => Told::plain(Key::JournalChecksum),
        Problem::Chain => Told::plain(Key::JournalChain),
        Problem::Sequence { found } => Told::new(Key::JournalSequence, [found.to_string().into()]),
        Problem::Format => Told::plain(Key::JournalFormat),
        Problem::Unreadable(e) => Told::new(Key::JournalUnreadable, [crate::text::clean(e).into()]),
        Problem::MissingSegment => Told::plain(Key::JournalMissingSegment),
    };
    Told::new(
        Key::JournalAt,
        [
            crate::text::clean(&d.segment.display().to_string()).into(),
            d.offset.to_string().into(),
            d.seq.to_string().into(),
            what.into(),
        ],
    )
}

fn backups_of(db: &Path) -> Part {
    let backups = super::backup::rolling_dir(&std::path::absolute(db).unwrap_or(db.to_path_buf()));
    crate::text::clean(&backups.display().to_string()).into()
}

/// Damaged data in the database at `db`, pointing to its rolling backups.
fn damaged(db: &Path, what: Part) -> Told {
    Told::new(
        Key::StoreDamaged,
        [
            crate::text::clean(&db.display().to_string()).into(),
            what,
            backups_of(db),
            crate::text::clean(&db.display().to_string()).into(),
        ],
    )
}

/// A damaged change journal: where, that nothing was opened for writing, and what to do.
fn journal_damaged(db: &Path, what: Told) -> Told {
    let p = crate::text::clean(&db.display().to_string());
    Told::new(
        Key::StoreJournalDamaged,
        [p.clone().into(), what.into(), p.into(), backups_of(db)],
    )
}

/// Who holds a locked database, in the user's words.
pub(crate) fn explain_locked(db: &Path, owner: Option<&Owner>) -> Told {
    let p = crate::text::clean(&db.display().to_string());
    let Some(o) = owner else {
        return Told::new(Key::StoreLockedUnknown, [p.into()]);
    };
    let (pid, since) = (
        o.pid.to_string(),
        crate::domain::format_time(o.since).to_string(),
    );
    let busy = |key: Key| {
        Told::new(
            Key::StoreLockedBusy,
            [
                p.clone().into(),
                Told::plain(key).into(),
                pid.clone().into(),
                since.clone().into(),
            ],
        )
    };
    match o.holder() {
        Holder::Server => {
            let port = o.port().unwrap_or("?");
            Told::new(
                Key::StoreLockedServer,
                [
                    p.clone().into(),
                    port.into(),
                    pid.clone().into(),
                    since.clone().into(),
                    port.into(),
                ],
            )
        }
        Holder::Console => Told::new(
            Key::StoreLockedConsole,
            [p.clone().into(), pid.clone().into(), since.clone().into()],
        ),
        Holder::Import => busy(Key::HolderImport),
        Holder::Export => busy(Key::HolderExport),
        Holder::Backup => busy(Key::HolderBackup),
        Holder::Restore => busy(Key::HolderRestore),
        Holder::Init => busy(Key::HolderInit),
        Holder::Verify | Holder::Status | Holder::Log => busy(Key::HolderCheck),
    }
}

impl StoreError {
    /// Whether this is trouble with the storage itself (disk, permissions, damage, a lock),
    /// as opposed to a refused change.
    pub(crate) fn is_storage(&self) -> bool {
        matches!(
            self,
            StoreError::Locked { .. }
                | StoreError::Corrupt(_)
                | StoreError::Sled(_)
                | StoreError::Io { .. }
                | StoreError::Missing(_)
                | StoreError::Exists(_)
                | StoreError::NotThidua(_)
                | StoreError::SledMissing { .. }
                | StoreError::TooNew { .. }
                | StoreError::Journal(_)
                | StoreError::JournalShort { .. }
                | StoreError::BackupUnreadable(_)
        )
    }

    /// Whether the disk was full: nothing of the change was saved.
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::Io { source, .. } | StoreError::Sled(sled::Error::Io(source)) => {
                trouble(source) == Trouble::DiskFull
            }
            _ => false,
        }
    }

    /// The message for the user, as ids and arguments (worded by the command line and the
    /// console); `db` is the database the error came from (sled's own errors do not name it).
    /// Errors that are not storage trouble keep their own text.
    pub fn told(&self, db: &Path) -> Told {
        let shown = |p: &Path| Part::Text(crate::text::clean(&p.display().to_string()));
        match self {
            StoreError::Locked { path, owner } => explain_locked(path, owner.as_ref()),
            StoreError::Io { path, source } => explain_io(path, source),
            StoreError::Sled(sled::Error::Io(source)) => explain_io(db, source),
            StoreError::Sled(sled::Error::Corruption { .. }) => {
                damaged(db, Told::plain(Key::SledChecksum).into())
            }
            StoreError::Corrupt(what) => damaged(db, what.as_str().into()),
            StoreError::Missing(p) => Told::new(Key::StoreMissing, [shown(p), shown(p)]),
            StoreError::Exists(p) => Told::new(Key::StoreExists, [shown(p)]),
            StoreError::NotThidua(p) => Told::new(Key::StoreNotThidua, [shown(p)]),
            StoreError::SledMissing {
                path,
                missing,
                journal: true,
            } => Told::new(
                Key::StoreSledMissing,
                [shown(path), missing.as_str().into(), shown(path)],
            ),
            StoreError::SledMissing {
                path,
                missing,
                journal: false,
            } => Told::new(
                Key::StoreSledMissingNoJournal,
                [shown(path), missing.as_str().into(), backups_of(path)],
            ),
            StoreError::TooNew {
                path,
                found,
                supported,
            } => Told::new(
                Key::StoreTooNew,
                [
                    shown(path),
                    found.to_string().into(),
                    supported.to_string().into(),
                ],
            ),
            StoreError::Sled(other) => damaged(db, other.to_string().into()),
            StoreError::Journal(d) => journal_damaged(db, journal_detail(d)),
            StoreError::JournalShort {
                path,
                applied,
                last,
            } => journal_damaged(
                db,
                Told::new(
                    Key::JournalShort,
                    [
                        shown(path),
                        last.to_string().into(),
                        applied.to_string().into(),
                    ],
                ),
            ),
            StoreError::BackupUnreadable(b) => b.told(),
            other => Told::new(Key::Said, [other.to_string().into()]),
        }
    }
}
