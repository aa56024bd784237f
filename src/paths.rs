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
        anyhow::anyhow!(
            "cannot find your home folder to keep the database in; give one with --db PATH \
             or the THIDUA_DB environment variable"
        )
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

/// The reviewer's name: --reviewer, else $USER, else $LOGNAME, else "reviewer".
pub fn reviewer(global: &Global) -> String {
    reviewer_from(
        global.reviewer.as_deref(),
        std::env::var("USER").ok().as_deref(),
        std::env::var("LOGNAME").ok().as_deref(),
    )
}

fn reviewer_from(flag: Option<&str>, user: Option<&str>, logname: Option<&str>) -> String {
    [flag, user, logname]
        .into_iter()
        .flatten()
        .map(crate::text::clean)
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "reviewer".to_string())
}

/// The language: --lang, else the locale (LC_ALL, then LANG, as POSIX orders them) when it is
/// English or Vietnamese, else Vietnamese.
pub fn lang(global: &Global) -> Lang {
    let locale = std::env::var("LC_ALL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("LANG").ok());
    lang_from(global.lang, locale.as_deref())
}

fn lang_from(flag: Option<LangArg>, locale: Option<&str>) -> Lang {
    match flag {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Vi) => Lang::Vi,
        None => locale.and_then(Lang::from_locale).unwrap_or(Lang::Vi),
    }
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
        assert_eq!(reviewer_from(Some("Lan"), Some("u"), None), "Lan");
        assert_eq!(reviewer_from(None, Some("u"), Some("l")), "u");
        assert_eq!(reviewer_from(None, Some(" "), Some("l")), "l");
        assert_eq!(reviewer_from(None, None, None), "reviewer");
        assert_eq!(reviewer_from(Some("a\u{1b}[1mb"), None, None), "ab");
    }

    #[test]
    fn the_log_goes_beside_the_database() {
        assert_eq!(data_dir(Path::new("/x/y/thidua.db")), PathBuf::from("/x/y"));
        assert_eq!(data_dir(Path::new("review.db")), PathBuf::from("."));
    }
}
