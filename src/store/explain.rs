//! Storage errors in the user's words: each names the path, says what happened (disk full,
//! no permission, read-only disk, damaged data, the database held by another process) in
//! Vietnamese or English from the catalogue, and what to do; damage points to the rolling
//! backups and `thidua restore`. sled's and the OS's raw texts (offsets, backtraces, error
//! codes) go to the log only.

use std::io::ErrorKind;
use std::path::Path;

use super::owner::Holder;
use super::{Owner, StoreError};
use crate::domain::Lang;
use crate::i18n::{Key, fill, tr};

/// What kind of storage trouble an I/O error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    DiskFull,
    Denied,
    ReadOnly,
    Other,
}

/// Sorts an I/O error by what the user can do about it. Errors that a library wrapped (an
/// I/O error inside another error, or flattened into text as serde_json does with an error
/// from its writer) are looked through to the OS error they carry.
pub fn trouble(e: &std::io::Error) -> Trouble {
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
pub fn explain_io(path: &Path, e: &std::io::Error, lang: Lang) -> String {
    let p = crate::text::clean(&path.display().to_string());
    match trouble(e) {
        Trouble::DiskFull => fill(lang, Key::StoreDiskFull, &[&p]),
        Trouble::Denied => fill(lang, Key::StoreDenied, &[&p]),
        Trouble::ReadOnly => fill(lang, Key::StoreReadOnly, &[&p]),
        Trouble::Other => fill(lang, Key::StoreIoOther, &[&p, &io_detail(e, lang)]),
    }
}

/// What an I/O error is, in a few words of `lang` (the OS's own text goes to the log).
pub fn io_detail(e: &std::io::Error, lang: Lang) -> String {
    match e.kind() {
        ErrorKind::NotFound => tr(lang, Key::IoNotFound).to_string(),
        ErrorKind::PermissionDenied => tr(lang, Key::IoDenied).to_string(),
        ErrorKind::IsADirectory => tr(lang, Key::IoIsFolder).to_string(),
        ErrorKind::NotADirectory => tr(lang, Key::IoNotFolder).to_string(),
        ErrorKind::AlreadyExists => tr(lang, Key::IoExists).to_string(),
        kind => fill(lang, Key::IoOther, &[&kind.to_string()]),
    }
}

/// Damaged data in the database at `db`, pointing to its rolling backups.
fn damaged(db: &Path, what: &str, lang: Lang) -> String {
    let backups = super::backup::rolling_dir(&std::path::absolute(db).unwrap_or(db.to_path_buf()));
    fill(
        lang,
        Key::StoreDamaged,
        &[
            &crate::text::clean(&db.display().to_string()),
            what,
            &crate::text::clean(&backups.display().to_string()),
        ],
    )
}

/// A damaged change journal: where, that nothing was opened for writing, and what to do.
fn journal_damaged(db: &Path, what: &str, lang: Lang) -> String {
    let backups = super::backup::rolling_dir(&std::path::absolute(db).unwrap_or(db.to_path_buf()));
    let p = crate::text::clean(&db.display().to_string());
    fill(
        lang,
        Key::StoreJournalDamaged,
        &[
            &p,
            &crate::text::clean(what),
            &p,
            &crate::text::clean(&backups.display().to_string()),
        ],
    )
}

/// Who holds a locked database, in the user's words.
pub fn explain_locked(db: &Path, owner: Option<&Owner>, lang: Lang) -> String {
    let p = crate::text::clean(&db.display().to_string());
    let Some(o) = owner else {
        return fill(lang, Key::StoreLockedUnknown, &[&p]);
    };
    let (pid, since) = (
        o.pid.to_string(),
        crate::domain::format_time(o.since).to_string(),
    );
    let busy = |key: Key| {
        fill(
            lang,
            Key::StoreLockedBusy,
            &[&p, tr(lang, key), &pid, &since],
        )
    };
    match o.holder() {
        Holder::Server => {
            let port = o.port().unwrap_or("?");
            fill(
                lang,
                Key::StoreLockedServer,
                &[&p, port, &pid, &since, port],
            )
        }
        Holder::Console => fill(lang, Key::StoreLockedConsole, &[&p, &pid, &since]),
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
    pub fn is_storage(&self) -> bool {
        matches!(
            self,
            StoreError::Locked { .. }
                | StoreError::Corrupt(_)
                | StoreError::Sled(_)
                | StoreError::Io { .. }
                | StoreError::Missing(_)
                | StoreError::Exists(_)
                | StoreError::NotThidua(_)
                | StoreError::TooNew { .. }
                | StoreError::Journal(_)
                | StoreError::JournalShort { .. }
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

    /// The message for the user; `db` is the database the error came from (sled's own
    /// errors do not name it). Errors that are not storage trouble keep their own text.
    pub fn explain(&self, db: &Path, lang: Lang) -> String {
        match self {
            StoreError::Locked { path, owner } => explain_locked(path, owner.as_ref(), lang),
            StoreError::Io { path, source } => explain_io(path, source, lang),
            StoreError::Sled(sled::Error::Io(source)) => explain_io(db, source, lang),
            StoreError::Sled(sled::Error::Corruption { .. }) => damaged(
                db,
                match lang {
                    Lang::Vi => "một khối dữ liệu sai mã kiểm tra",
                    Lang::En => "a block of data fails its checksum",
                },
                lang,
            ),
            StoreError::Corrupt(what) => damaged(db, what, lang),
            StoreError::Missing(p) => {
                let p = crate::text::clean(&p.display().to_string());
                fill(lang, Key::StoreMissing, &[&p, &p])
            }
            StoreError::Exists(p) => fill(
                lang,
                Key::StoreExists,
                &[&crate::text::clean(&p.display().to_string())],
            ),
            StoreError::NotThidua(p) => fill(
                lang,
                Key::StoreNotThidua,
                &[&crate::text::clean(&p.display().to_string())],
            ),
            StoreError::TooNew {
                path,
                found,
                supported,
            } => fill(
                lang,
                Key::StoreTooNew,
                &[
                    &crate::text::clean(&path.display().to_string()),
                    &found.to_string(),
                    &supported.to_string(),
                ],
            ),
            StoreError::Sled(other) => damaged(db, &other.to_string(), lang),
            StoreError::Journal(d) => journal_damaged(db, &d.to_string(), lang),
            StoreError::JournalShort { .. } => journal_damaged(db, &self.to_string(), lang),
            other => other.to_string(),
        }
    }
}
