//! Where things are and who is asking: the database path, the reviewer's name and the
//! language, each from the command line first, then the environment, then a default. Pure
//! helpers take the environment as arguments so they can be tested without touching it.

use std::path::{Path, PathBuf};

use crate::cli::{Global, LangArg};
use crate::domain::Lang;

/// The database file name inside the data folder.
pub const DB_NAME: &str = "thidua.db";

/// The database folder: --db (or $THIDUA_DB, through clap), else thidua.db in the user's data
/// folder (e.g. ~/.local/share/thidua/thidua.db).
pub fn db_path(global: &Global) -> anyhow::Result<PathBuf> {
    if let Some(p) = &global.db {
        return Ok(p.clone());
    }
    let dirs = directories::ProjectDirs::from("", "", "thidua").ok_or_else(|| {
        anyhow::anyhow!(crate::i18n::tr(lang(global), crate::i18n::Key::CliNoHome))
    })?;
    Ok(dirs.data_dir().join(DB_NAME))
}

/// The folder the log goes to: the one holding the database.
pub fn data_dir(db: &Path) -> PathBuf {
    match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The reviewer's name: --reviewer, else $USER, else $LOGNAME, else the login name of the
/// user this process runs as (from its user id), else "uid N".
pub fn reviewer(global: &Global) -> String {
    reviewer_from(
        global.reviewer.as_deref(),
        std::env::var("USER").ok().as_deref(),
        std::env::var("LOGNAME").ok().as_deref(),
        os_user,
    )
}

fn reviewer_from(
    flag: Option<&str>,
    user: Option<&str>,
    logname: Option<&str>,
    os: impl FnOnce() -> String,
) -> String {
    [flag, user, logname]
        .into_iter()
        .flatten()
        .map(crate::text::clean)
        .find(|s| !s.is_empty())
        .unwrap_or_else(os)
}

/// The login name of the user this process runs as, else "uid N", else "?" where the user
/// id cannot be read.
fn os_user() -> String {
    effective_uid().map_or_else(|| "?".to_string(), user_name)
}

/// This process's effective user id (Linux: /proc/self/status).
pub fn effective_uid() -> Option<u32> {
    crate::files::effective_uid()
}

/// The login name of user `uid` in /etc/passwd, else "uid N".
pub fn user_name(uid: u32) -> String {
    crate::files::passwd_name(uid)
        .map(|n| crate::text::clean(&n))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("uid {uid}"))
}

/// The language: --lang, else the locale (LC_ALL, then LANG, as POSIX orders them) when it is
/// English or Vietnamese, else Vietnamese.
pub fn lang(global: &Global) -> Lang {
    lang_from_env(global.lang)
}

/// The language for the flag `flag` (if any), else from the locale as `lang` chooses it.
pub fn lang_from_env(flag: Option<LangArg>) -> Lang {
    let locale = std::env::var("LC_ALL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("LANG").ok());
    lang_from(flag, locale.as_deref())
}

fn lang_from(flag: Option<LangArg>, locale: Option<&str>) -> Lang {
    match flag {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Vi) => Lang::Vi,
        None => locale.and_then(Lang::from_locale).unwrap_or(Lang::Vi),
    }
}

/// Removes what a killed thidua left beside the database `db` (a half-built database from
/// `init` or `restore`, a temporary backup or export file) when the process that made it is
/// no longer running, and tells the user on stderr.
pub fn clean_leftovers(db: &Path, lang: Lang) {
    clean_leftovers_in(&data_dir(db), lang);
}

/// `clean_leftovers` for the folder `dir` (where an export or backup is about to be written).
pub fn clean_leftovers_in(dir: &Path, lang: Lang) {
    for gone in crate::store::files::sweep_leftovers(dir) {
        eprintln!(
            "{}",
            crate::i18n::fill(
                lang,
                crate::i18n::Key::LeftoverRemoved,
                &[
                    &crate::text::clean(&gone.path.display().to_string()),
                    &gone.pid.to_string()
                ],
            )
        );
    }
}

/// The user's message for a storage error or a refused file anywhere in `e`'s chain (see
/// `store::explain`), or `None` when `e` is neither; `db` is the database the
/// command used.
pub fn explain_error(e: &anyhow::Error, db: &Path, lang: Lang) -> Option<String> {
    use crate::i18n::word_told;
    use crate::interchange::export::ExportError;
    use crate::store::StoreError;
    use crate::store::backup::BackupError;
    use crate::store::explain::{Trouble, explain_io, trouble};
    for cause in e.chain() {
        // A refused file (at init, say) is told in the user's language too.
        if let Some(refused) = cause.downcast_ref::<crate::interchange::table::ImportError>() {
            return Some(word_told(lang, &refused.told()));
        }
        if let Some(crate::interchange::campaign::CampaignError { file, told }) =
            cause.downcast_ref()
        {
            return Some(format!(
                "{}: {}",
                crate::text::clean(file),
                crate::i18n::word_told(lang, told)
            ));
        }
        if let Some(s) = cause.downcast_ref::<StoreError>()
            && s.is_storage()
        {
            return Some(s.explain(db, lang));
        }
        match cause.downcast_ref::<BackupError>() {
            Some(BackupError::Store(s)) if s.is_storage() => return Some(s.explain(db, lang)),
            Some(BackupError::Read { path, source }) if trouble(source) != Trouble::Other => {
                return Some(word_told(lang, &explain_io(path, source)));
            }
            Some(b) => return backup_error(b, lang),
            None => {}
        }
        if let Some(ExportError::Io { path, source }) = cause.downcast_ref::<ExportError>()
            && trouble(source) != Trouble::Other
        {
            return Some(word_told(lang, &explain_io(path, source)));
        }
    }
    None
}

impl crate::store::StoreError {
    /// The user's message for this error in `lang` (`told` words it): what the command line
    /// prints and the console shows. `db` is the database the error came from.
    pub fn explain(&self, db: &Path, lang: Lang) -> String {
        crate::i18n::word_told(lang, &self.told(db))
    }
}

/// A backup that cannot be used, in `lang`; `None` for a store error that is not storage
/// trouble (it keeps its own text).
fn backup_error(e: &crate::store::backup::BackupError, lang: Lang) -> Option<String> {
    use crate::i18n::{Key, fill};
    use crate::store::backup::BackupError;
    let shown = |p: &Path| crate::text::clean(&p.display().to_string());
    Some(match e {
        BackupError::Read { path, source } => fill(
            lang,
            Key::CliBackupUnreadable,
            &[
                &shown(path),
                &crate::i18n::word_told(lang, &crate::store::explain::io_detail(source)),
            ],
        ),
        BackupError::Malformed { path, detail } => fill(
            lang,
            Key::CliBackupMalformed,
            &[&shown(path), &crate::text::clean(detail)],
        ),
        BackupError::Checksum { path } => fill(lang, Key::CliBackupChecksum, &[&shown(path)]),
        BackupError::Inconsistent { path, detail } => fill(
            lang,
            Key::CliBackupInconsistent,
            &[&shown(path), &crate::text::clean(detail)],
        ),
        BackupError::Store(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_prefers_the_flag_then_lang() {
        assert_eq!(lang_from(Some(LangArg::Vi), Some("en_US.UTF-8")), Lang::Vi);
        assert_eq!(lang_from(Some(LangArg::En), None), Lang::En);
        assert_eq!(lang_from(None, Some("en_GB.UTF-8")), Lang::En);
        assert_eq!(lang_from(None, Some("vi_VN.UTF-8")), Lang::Vi);
        assert_eq!(lang_from(None, Some("C.UTF-8")), Lang::Vi);
        assert_eq!(lang_from(None, None), Lang::Vi);
    }

    #[test]
    fn reviewer_falls_back_in_order() {
        let os = || "os".to_string();
        assert_eq!(reviewer_from(Some("Lan"), Some("u"), None, os), "Lan");
        assert_eq!(reviewer_from(None, Some("u"), Some("l"), os), "u");
        assert_eq!(reviewer_from(None, Some(" "), Some("l"), os), "l");
        assert_eq!(reviewer_from(None, None, None, os), "os");
        assert_eq!(reviewer_from(None, Some(""), Some(""), os), "os");
        assert_eq!(reviewer_from(Some("a\u{1b}[1mb"), None, None, os), "ab");
    }

    #[test]
    fn the_os_user_is_named_from_the_user_id() {
        let uid = effective_uid().expect("uid");
        let name = user_name(uid);
        assert!(!name.is_empty());
        if uid == 0 {
            assert_eq!(name, "root");
        }
        assert_eq!(user_name(u32::MAX - 7), format!("uid {}", u32::MAX - 7));
    }

    #[test]
    fn storage_errors_are_explained_wherever_they_are_in_the_chain() {
        use crate::interchange::export::ExportError;
        let db = Path::new("/x/review.db");
        let full = || std::io::Error::from_raw_os_error(28);
        let e = anyhow::Error::from(ExportError::Io {
            path: PathBuf::from("/y/v.json"),
            source: full(),
        });
        let told = explain_error(&e, db, Lang::En).expect("explained");
        assert!(
            told.contains("/y/v.json") && told.contains("is full"),
            "{told}"
        );
        let e = anyhow::Error::from(crate::store::StoreError::Sled(sled::Error::Io(full())))
            .context("storing the roster");
        let told = explain_error(&e, db, Lang::Vi).expect("explained");
        assert!(
            told.contains("/x/review.db") && told.contains("đã đầy"),
            "{told}"
        );
        let e = anyhow::anyhow!("something else");
        assert_eq!(explain_error(&e, db, Lang::En), None);
    }

    #[test]
    fn a_damaged_journal_is_told_wholly_in_the_chosen_language() {
        use crate::store::StoreError;
        use crate::store::journal::{Damage, Problem};
        let db = Path::new("/x/review.db");
        for what in [
            Problem::Checksum,
            Problem::Chain,
            Problem::Sequence { found: 9 },
            Problem::Format,
            Problem::MissingSegment,
        ] {
            let e = StoreError::Journal(Box::new(Damage {
                segment: PathBuf::from("/x/review.db/journal/00000001.log"),
                offset: 128,
                seq: 7,
                what,
            }));
            let vi = e.explain(db, Lang::Vi);
            assert!(
                vi.contains(
                    "đoạn nhật ký /x/review.db/journal/00000001.log, vị trí 128, bản ghi 7"
                ),
                "{vi}"
            );
            for english in ["journal segment", "the record", "offset", "segment before"] {
                assert!(!vi.contains(english), "{english:?} in {vi}");
            }
            let en = e.explain(db, Lang::En);
            assert!(
                en.contains(
                    "journal segment /x/review.db/journal/00000001.log, offset 128, record 7"
                ),
                "{en}"
            );
        }
        let short = StoreError::JournalShort {
            path: PathBuf::from("/x/review.db/journal"),
            applied: 12,
            last: 10,
        };
        let vi = short.explain(db, Lang::Vi);
        assert!(
            vi.contains("kết thúc ở bản ghi 10") && vi.contains("bản ghi 12"),
            "{vi}"
        );
        assert!(!vi.contains("records are missing"), "{vi}");
    }

    #[test]
    fn the_log_goes_beside_the_database() {
        assert_eq!(data_dir(Path::new("/x/y/thidua.db")), PathBuf::from("/x/y"));
        assert_eq!(data_dir(Path::new("review.db")), PathBuf::from("."));
    }
}
