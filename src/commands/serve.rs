//! `thidua serve`: opens the database, reads the reviewers file and host key, sends the log to
//! a file (never to a terminal: the terminal is the operator's, the consoles are the clients'),
//! and runs the SSH server until stopped.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::{Global, ServeArgs};
use crate::ssh::{ServeOptions, host_key, serve};

pub fn run(global: &Global, args: &ServeArgs) -> anyhow::Result<()> {
    let db = match &global.db {
        Some(p) => p.clone(),
        None => default_db()?,
    };
    let host_key = args
        .host_key
        .clone()
        .unwrap_or_else(|| host_key::default_path(&db));
    let log = args
        .log
        .clone()
        .unwrap_or_else(|| sibling(&db, ".serve.log"));
    init_log(&log)?;
    let opts = ServeOptions {
        db,
        listen: args.listen.clone(),
        reviewers: args.reviewers.clone(),
        host_key,
        log,
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    };
    serve(&opts)
}

fn default_db() -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "thidua")
        .context("cannot tell where your data folder is: pass --db PATH")?;
    Ok(dirs.data_dir().join("thidua.db"))
}

/// `<db><suffix>` beside the database folder.
fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    db.with_file_name(name)
}

fn init_log(path: &Path) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open the log file {}", path.display()))?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("THIDUA_LOG_LEVEL")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,russh=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))
}
