//! `thidua import roster|initiatives FILE`: the whole file is read and checked against the
//! campaign and the database first; only a file without a single problem is stored, in one
//! transaction with one audit event. Re-importing updates and adds, never deletes, and never
//! touches verdicts.

use std::collections::HashSet;
use std::path::Path;

use crate::cli::{Global, ImportCommand};
use crate::domain::{Lang, Subject};
use crate::interchange::{initiatives, roster};
use crate::paths;
use crate::store::{Actor, ImportCounts, Store};

/// `thidua import`.
pub fn run(global: &Global, cmd: &ImportCommand) -> anyhow::Result<()> {
    let path = paths::db_path(global)?;
    let store = Store::open(&path)?;
    let actor = Actor::new(paths::reviewer(global), chrono::Utc::now());
    let (file, counts) = match cmd {
        ImportCommand::Roster { file } => (file, import_roster(&store, file, &actor)?),
        ImportCommand::Initiatives { file } => (file, import_initiatives(&store, file, &actor)?),
    };
    tracing::info!(
        "imported {} into {}: {} added, {} updated, {} unchanged",
        file.display(),
        path.display(),
        counts.added,
        counts.updated,
        counts.unchanged
    );
    println!("{}", summary(file, counts, paths::lang(global)));
    Ok(())
}

/// Checks and stores a roster file.
pub fn import_roster(store: &Store, file: &Path, actor: &Actor) -> anyhow::Result<ImportCounts> {
    let existing: Vec<Subject> = store.subjects()?.into_iter().map(|(_, s)| s).collect();
    let subjects = roster::load(file, store.campaign(), &existing)?;
    Ok(store.upsert_subjects(&subjects, &file.display().to_string(), actor)?)
}

/// Checks and stores an initiatives file.
pub fn import_initiatives(
    store: &Store,
    file: &Path,
    actor: &Actor,
) -> anyhow::Result<ImportCounts> {
    let existing: Vec<Subject> = store.subjects()?.into_iter().map(|(_, s)| s).collect();
    let owners: HashSet<&str> = existing.iter().map(|s| s.id.as_str()).collect();
    let incoming = initiatives::load(file, &owners)?;
    Ok(store.upsert_initiatives(&incoming, &file.display().to_string(), actor)?)
}

fn summary(file: &Path, c: ImportCounts, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{}: {} added, {} updated, {} unchanged",
            file.display(),
            c.added,
            c.updated,
            c.unchanged
        ),
        Lang::Vi => format!(
            "{}: thêm {}, cập nhật {}, không đổi {}",
            file.display(),
            c.added,
            c.updated,
            c.unchanged
        ),
    }
}
