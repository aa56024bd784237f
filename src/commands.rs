//! One module per command of the CLI. Each turns parsed arguments into calls on the store,
//! interchange and runtime layers, and returns an error whose text is the user's message.

pub mod export;
pub mod import;
pub mod init;
pub mod log;
pub mod status;

/// The language for messages: --lang, else English when $LANG starts with "en", else Vietnamese.
pub fn message_lang(global: &crate::cli::Global) -> crate::domain::Lang {
    use crate::cli::LangArg;
    use crate::domain::Lang;
    match global.lang {
        Some(LangArg::Vi) => Lang::Vi,
        Some(LangArg::En) => Lang::En,
        None => match std::env::var("LANG") {
            Ok(l) if l.starts_with("en") => Lang::En,
            _ => Lang::Vi,
        },
    }
}

/// The database folder: --db (or $THIDUA_DB), else thidua.db in the user's data folder.
pub fn database_path(global: &crate::cli::Global) -> anyhow::Result<std::path::PathBuf> {
    if let Some(p) = &global.db {
        return Ok(p.clone());
    }
    directories::ProjectDirs::from("", "", "thidua")
        .map(|d| d.data_dir().join("thidua.db"))
        .ok_or_else(|| anyhow::anyhow!("no home folder found; give the database with --db PATH"))
}

/// The reviewer's name: --reviewer, else the login name.
pub fn reviewer_name(global: &crate::cli::Global) -> String {
    let raw = global
        .reviewer
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .unwrap_or_default();
    let name = crate::text::clean(&raw);
    if name.is_empty() {
        "unknown".to_string()
    } else {
        name
    }
}
