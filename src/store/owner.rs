//! `owner.json` inside the database folder says which process holds the database, so a
//! second thidua can tell the user "the server is running, connect with ssh -p …" instead of
//! sled's raw lock error. It is advisory: sled's own file lock is what excludes.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

const FILE: &str = "owner.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub pid: u32,
    pub since: DateTime<Utc>,
    /// The server's listen address, when the holder is `thidua serve`.
    pub listen: Option<String>,
}

impl Owner {
    pub fn describe(&self) -> String {
        let what = if self.listen.is_some() {
            "thidua serve"
        } else {
            "a thidua console"
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
    };
    let path = db.join(FILE);
    let bytes = serde_json::to_vec(&owner).unwrap_or_default();
    if let Err(e) = std::fs::write(&path, bytes) {
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
