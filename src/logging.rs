//! Tracing to a file, never to the screen: the console owns the terminal and a stray line
//! would tear its frame, and a server's terminal is the operator's. Commands log to
//! `thidua.log` in the data folder; `thidua serve` to its own file. The filter comes from
//! $THIDUA_LOG (e.g. `debug`), default `info` (russh's own chatter at `warn`).

use std::path::Path;

use anyhow::Context;
use tracing_appender::non_blocking::WorkerGuard;

/// The log file's name inside the data folder.
pub const FILE: &str = "thidua.log";

/// Starts logging to `dir/thidua.log`, best effort: if the folder cannot be written, thidua
/// runs without a log rather than refusing to start. Keep the guard alive until exit so the
/// last lines are written.
pub fn init(dir: &Path) -> Option<WorkerGuard> {
    init_file(&dir.join(FILE)).ok()
}

/// Starts logging to `path` (appending), or says why it cannot.
pub fn init_file(path: &Path) -> anyhow::Result<WorkerGuard> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        // The log names reviewers, key fingerprints and addresses: for the owner only.
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options
        .open(path)
        .with_context(|| format!("cannot open the log file {}", path.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("THIDUA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,russh=warn"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))?;
    Ok(guard)
}
