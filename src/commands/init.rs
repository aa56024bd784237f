//! `thidua init`: a new database from the bundled sample or from real files, and the first-run
//! creation of the default database. Every file is read and checked before the database folder
//! is made, and if storing still fails the folder is removed, so a failed init leaves nothing
//! behind and can simply be run again.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context;

use crate::cli::{Global, InitArgs};
use crate::domain::Lang;
use crate::domain::{Campaign, Initiative, Subject};
use crate::interchange::{campaign, initiatives, roster};
use crate::paths;
use crate::store::{Actor, Store, StoreError};

/// What a new database starts with, already checked.
pub struct Contents {
    pub campaign: Campaign,
    pub subjects: Vec<Subject>,
    pub initiatives: Vec<Initiative>,
    /// Where each part came from, for the audit trail.
    pub roster_source: String,
    pub initiatives_source: String,
}

impl Contents {
    /// The bundled sample: An Giang 2021 campaign, roster and initiatives.
    pub fn sample() -> anyhow::Result<Contents> {
        let campaign = campaign::sample();
        let subjects = roster::sample(&campaign)?;
        let owners: HashSet<&str> = subjects.iter().map(|s| s.id.as_str()).collect();
        let initiatives = initiatives::sample(&owners)?;
        Ok(Contents {
            campaign,
            subjects,
            initiatives,
            roster_source: "sample data/roster.csv".into(),
            initiatives_source: "sample data/initiatives.csv".into(),
        })
    }

    /// Reads and checks the given files; the roster is checked before the initiatives, whose
    /// owners must be in it.
    pub fn load(
        campaign_file: &Path,
        roster_file: Option<&Path>,
        initiatives_file: Option<&Path>,
    ) -> anyhow::Result<Contents> {
        let campaign = campaign::load(campaign_file)?;
        let subjects = match roster_file {
            Some(f) => roster::load(f, &campaign, &[])?,
            None => Vec::new(),
        };
        let owners: HashSet<&str> = subjects.iter().map(|s| s.id.as_str()).collect();
        let initiatives = match initiatives_file {
            Some(f) => initiatives::load(f, &owners)?,
            None => Vec::new(),
        };
        let name = |f: Option<&Path>| f.map(|p| p.display().to_string()).unwrap_or_default();
        Ok(Contents {
            campaign,
            subjects,
            initiatives,
            roster_source: name(roster_file),
            initiatives_source: name(initiatives_file),
        })
    }
}

/// `thidua init`.
pub fn run(global: &Global, args: &InitArgs) -> anyhow::Result<()> {
    let path = paths::db_path(global)?;
    if path.exists() && !crate::store::is_empty_dir(&path) {
        return Err(StoreError::Exists(path).into());
    }
    let contents = match (&args.campaign, args.sample) {
        (Some(c), false) => Contents::load(c, args.roster.as_deref(), args.initiatives.as_deref())?,
        _ => Contents::sample()?,
    };
    let store = create(&path, &contents, &actor(global))?;
    let lang = paths::lang(global);
    let (at, title) = (store.path().display(), contents.campaign.title(lang));
    let (subjects, initiatives) = (store.subject_count(), contents.initiatives.len());
    match lang {
        Lang::Vi => {
            println!("Đã tạo {at} cho {title}: {subjects} đối tượng, {initiatives} sáng kiến.")
        }
        Lang::En => {
            println!("Created {at} for {title}: {subjects} subjects, {initiatives} initiatives.")
        }
    }
    Ok(())
}

/// Opens the default database (or --db / $THIDUA_DB), creating it with the bundled sample on
/// first use and saying where on stderr.
pub fn open_or_create_default(global: &Global) -> anyhow::Result<Store> {
    let path = paths::db_path(global)?;
    if path.exists() && !crate::store::is_empty_dir(&path) {
        tracing::info!("opening {}", path.display());
        return Ok(Store::open(&path)?);
    }
    let store = create(&path, &Contents::sample()?, &actor(global))?;
    match paths::lang(global) {
        Lang::Vi => eprintln!(
            "thidua: đã tạo cơ sở dữ liệu mới với phong trào mẫu (An Giang 2021) tại {}",
            path.display()
        ),
        Lang::En => eprintln!(
            "thidua: created a new database with the sample campaign (An Giang 2021) at {}",
            path.display()
        ),
    }
    Ok(store)
}

fn actor(global: &Global) -> Actor {
    Actor::new(paths::reviewer(global), chrono::Utc::now())
}

/// Creates the database and stores the contents; on failure removes what it created.
pub fn create(path: &Path, contents: &Contents, actor: &Actor) -> anyhow::Result<Store> {
    // An empty folder made ready for the database is kept on failure; only what was put in
    // it is removed.
    let kept = crate::store::is_empty_dir(path);
    let remove_created = |path: &Path| {
        if kept {
            empty_folder(path)
        } else {
            remove_created(path)
        }
    };
    let store = match Store::create(path, &contents.campaign, actor) {
        Ok(s) => s,
        Err(e) => {
            // Store::create refuses an existing path, so what is there now is its own work,
            // unless another process created or opened it at the same moment.
            let raced = match &e {
                StoreError::Exists(_) | StoreError::Locked { .. } => true,
                StoreError::Io { source, .. } => source.kind() == std::io::ErrorKind::AlreadyExists,
                _ => false,
            };
            if !raced && path.exists() {
                remove_created(path);
            }
            return Err(e.into());
        }
    };
    match fill(&store, contents, actor) {
        Ok(()) => {
            tracing::info!(
                "created {} with {} subjects and {} initiatives",
                path.display(),
                contents.subjects.len(),
                contents.initiatives.len()
            );
            Ok(store)
        }
        Err(e) => {
            drop(store);
            remove_created(path);
            Err(e)
        }
    }
}

fn fill(store: &Store, contents: &Contents, actor: &Actor) -> anyhow::Result<()> {
    if !contents.subjects.is_empty() {
        store
            .upsert_subjects(&contents.subjects, &contents.roster_source, actor)
            .context("storing the roster")?;
    }
    if !contents.initiatives.is_empty() {
        store
            .upsert_initiatives(&contents.initiatives, &contents.initiatives_source, actor)
            .context("storing the initiatives")?;
    }
    Ok(())
}

/// Removes everything inside `path`, keeping the folder.
fn empty_folder(path: &Path) {
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => {
            tracing::error!("could not empty {}: {e}", path.display());
            return;
        }
    };
    for entry in entries.flatten() {
        let p = entry.path();
        let removed = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        if let Err(e) = removed {
            tracing::error!("could not remove {}: {e}", p.display());
            eprintln!(
                "thidua: could not remove {} from the unfinished database: {e}; delete it by hand",
                p.display()
            );
        }
    }
}

fn remove_created(path: &Path) {
    if let Err(e) = std::fs::remove_dir_all(path) {
        tracing::error!("could not remove the half-created {}: {e}", path.display());
        eprintln!(
            "thidua: could not remove the unfinished database {}: {e}; delete it by hand",
            path.display()
        );
    }
}
