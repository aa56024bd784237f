//! The real binary as a command, for the tests that run it the way a user does.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `thidua` binary built with the tests.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
}

/// A command's output as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A database at `dir/db` with the sample campaign and no subjects, made by `thidua init`.
pub fn empty_db(dir: &Path) -> PathBuf {
    let db = dir.join("db");
    let campaign = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/campaign.toml");
    let out = bin()
        .args(["init", "--campaign"])
        .arg(campaign)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("init");
    assert!(out.status.success(), "{}", text(&out.stderr));
    db
}
