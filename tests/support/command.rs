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

/// A database at `db` with the sample campaign and `n` province agencies, `DV000` ("Đơn vị
/// 000") onwards, made through the store.
pub fn units_db(db: &Path, n: usize) {
    use thidua::domain::Subject;
    let actor = thidua::store::Actor::new("test", chrono::Utc::now());
    let store = thidua::store::Store::create(db, &thidua::interchange::campaign::sample(), &actor)
        .expect("create");
    let subjects: Vec<Subject> = (0..n)
        .map(|i| Subject {
            id: format!("DV{i:03}"),
            name: format!("Đơn vị {i:03}"),
            tier: "province_agency".into(),
            parent: None,
            registered_on: None,
        })
        .collect();
    store
        .upsert_subjects(&subjects, "test", &actor)
        .expect("subjects");
}
