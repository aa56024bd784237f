//! Tracing to `thidua.log` in the data folder, never to the screen: the console owns the
//! terminal and a stray line would tear its frame. The filter comes from $THIDUA_LOG
//! (e.g. `debug`), default `info`. Logging is best effort: if the folder cannot be written,
//! thidua runs without a log rather than refusing to start.

use std::path::Path;

/// The log file's name inside the data folder.
pub const FILE: &str = "thidua.log";

/// Starts logging to `dir/thidua.log`; keep the guard alive until exit so the last lines are
/// written. `None` when the folder cannot be created or a logger is already installed.
pub fn init(dir: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    std::fs::create_dir_all(dir).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::NEVER)
        .filename_prefix(FILE)
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("THIDUA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
