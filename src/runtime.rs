//! Drivers: they own the terminal (or channel), turn input into `Msg`s, perform the `Effect`s
//! `update` returns against the store, and draw `view`. `session` is the part every driver
//! shares (one reviewer's console bound to the shared store); `local` drives this tty.

pub mod commits;
pub mod jobs;
pub mod keys;
pub mod local;
pub mod session;

pub use session::Session;

/// How often a rolling backup is written while a console or the server runs.
pub const BACKUP_EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Writes a rolling backup beside the database; a failure is logged, never fatal.
pub fn rolling_backup(store: &crate::store::Store) {
    match store.write_rolling_backup(chrono::Utc::now()) {
        Ok(Some(file)) => tracing::info!("rolling backup written to {}", file.display()),
        Ok(None) => tracing::debug!("no change since the last rolling backup"),
        Err(e) => tracing::error!("writing a rolling backup failed: {e}"),
    }
}
