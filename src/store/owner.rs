//! `owner.json` inside the database folder says which process holds the database and what it
//! is doing (a console, the server with its address, an import, an export, a backup…), so a
//! second thidua can tell the user "the server is running, connect with ssh -p …" or "an
//! import is running" instead of sled's raw lock error. It is advisory: sled's own file lock
//! is what excludes.

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

const FILE: &str = "owner.json";

/// What a process holding the database is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Holder {
    Console,
    Server,
    Import,
    Export,
    Backup,
    Restore,
    Verify,
    Status,
    Log,
    Init,
}

/// What this process does, set once by `main` from the command line; a console by default.
static ROLE: Mutex<Holder> = Mutex::new(Holder::Console);

/// Says what this process is doing; written into `owner.json` by every later open.
pub fn set_role(holder: Holder) {
    if let Ok(mut role) = ROLE.lock() {
        *role = holder;
    }
}

fn role() -> Holder {
    ROLE.lock().map_or(Holder::Console, |r| *r)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub pid: u32,
    pub since: DateTime<Utc>,
    /// The server's listen address, when the holder is `thidua serve`.
    pub listen: Option<String>,
    /// What the holder is doing (absent in files written by older versions).
    #[serde(default)]
    pub holder: Option<Holder>,
}

impl Owner {
    /// What holds the database: the server when it listens, else what it said it does.
    pub fn holder(&self) -> Holder {
        if self.listen.is_some() {
            Holder::Server
        } else {
            self.holder.unwrap_or(Holder::Console)
        }
    }

    /// The server's port, when the holder is `thidua serve`.
    pub fn port(&self) -> Option<&str> {
        let listen = self.listen.as_deref()?;
        Some(listen.rsplit(':').next().unwrap_or(listen))
    }

    pub fn describe(&self) -> String {
        let what = match self.holder() {
            Holder::Server => "thidua serve",
            Holder::Console => "a thidua console",
            Holder::Import => "thidua import",
            Holder::Export => "thidua export",
            Holder::Backup => "thidua backup",
            Holder::Restore => "thidua restore",
            Holder::Verify => "thidua verify",
            Holder::Status => "thidua status",
            Holder::Log => "thidua log",
            Holder::Init => "thidua init",
        };
        format!(
            "{what}, process {}, since {}",
            self.pid,
            crate::domain::format_time(self.since)
        )
    }
}

pub fn write(db: &Path, listen: Option<&str>) {
    let owner = Owner {
        pid: std::process::id(),
        since: Utc::now(),
        listen: listen.map(str::to_string),
        holder: Some(if listen.is_some() {
            Holder::Server
        } else {
            role()
        }),
    };
    let path = db.join(FILE);
    let bytes = serde_json::to_vec(&owner).unwrap_or_default();
    // What an earlier holder killed mid-write left (its temporary file) goes first.
    super::files::sweep_leftovers(db);
    // Written whole, so a reader naming the holder never sees half a file.
    if let Err(e) = crate::files::write_bytes_atomically(
        &path,
        &bytes,
        crate::files::Mode::Replace,
        crate::files::Kind::Private,
    ) {
        tracing::warn!("could not write {}: {e}", path.display());
    }
}

pub fn read(db: &Path) -> Option<Owner> {
    let bytes = std::fs::read(db.join(FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub fn remove(db: &Path) {
    if read(db).is_some_and(|o| o.pid == std::process::id()) {
        let _ = std::fs::remove_file(db.join(FILE));
    }
}
