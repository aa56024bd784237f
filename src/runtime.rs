//! Drivers: they own the terminal (or channel), turn input into `Msg`s, perform the `Effect`s
//! `update` returns against the store, and draw `view`. `session` is the part every driver
//! shares (one reviewer's console bound to the shared store); `local` drives this tty.

pub mod local;
pub mod session;
pub mod ssh;

pub use session::Session;

use std::path::PathBuf;

/// Where the console writes its log: $THIDUA_LOG, else thidua.log in the user's data folder.
pub fn log_path() -> PathBuf {
    if let Some(p) = std::env::var_os("THIDUA_LOG").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    directories::ProjectDirs::from("", "", "thidua")
        .map(|d| d.data_local_dir().join("thidua.log"))
        .unwrap_or_else(|| std::env::temp_dir().join("thidua.log"))
}

/// Sends `tracing` output to `path` (never to the screen). Returns the guard that flushes the
/// log on drop; `None` if logging was already set up or the file cannot be opened.
pub fn init_logging(path: &std::path::Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    std::fs::create_dir_all(dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("THIDUA_LOG_LEVEL")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
