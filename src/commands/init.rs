//! `thidua init`: a new database from the bundled sample or from real files, and the first-run
//! creation of the default database. Every file is read and checked before anything is made;
//! the database is built in a hidden folder and renamed into place once complete, so a failed
//! or killed init leaves nothing where thidua would open it and can simply be run again.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context;

use crate::cli::{Global, InitArgs};
use crate::domain::Lang;
use crate::domain::{Campaign, Initiative, Subject};
use crate::interchange::{campaign, initiatives, roster};
use crate::paths;
use crate::store::{Actor, Store, StoreError};

/// A refused campaign file in English, for logs and tests; the command line words it in the
/// reader's language (`paths::explain_error`).
impl std::fmt::Display for campaign::CampaignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            crate::text::clean(&self.file),
            crate::i18n::word_told(Lang::En, &self.told)
        )
    }
}

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
    if crate::store::exists(&path)? && !crate::store::is_empty_dir(&path) {
        return Err(StoreError::Exists(path).into());
    }
    let contents = match (&args.campaign, args.sample) {
        (Some(c), false) => Contents::load(c, args.roster.as_deref(), args.initiatives.as_deref())?,
        _ => Contents::sample()?,
    };
    let lang = paths::lang(global);
    let store = create(&path, &contents, &actor(global), lang)?;
    let (at, title) = (store.path().display(), contents.campaign.title(lang));
    let (subjects, initiatives) = (store.subject_count(), contents.initiatives.len());
    match lang {
        Lang::Vi => super::print_line(&format!(
            "Đã tạo {at} cho {title}: {subjects} đối tượng, {initiatives} sáng kiến."
        ))?,
        Lang::En => super::print_line(&format!(
            "Created {at} for {title}: {subjects} subjects, {initiatives} initiatives."
        ))?,
    }
    Ok(())
}

/// Opens the default database (or --db / $THIDUA_DB), creating it with the bundled sample on
/// first use and saying where on stderr.
pub(crate) fn open_or_create_default(global: &Global) -> anyhow::Result<Store> {
    let path = paths::db_path(global)?;
    if crate::store::exists(&path)? && !crate::store::is_empty_dir(&path) {
        tracing::info!("opening {}", path.display());
        return Ok(Store::open(&path)?);
    }
    let store = create(
        &path,
        &Contents::sample()?,
        &actor(global),
        paths::lang(global),
    )?;
    match paths::lang(global) {
        Lang::Vi => super::eprint_line(&format!(
            "thidua: đã tạo cơ sở dữ liệu mới với phong trào mẫu (An Giang 2021) tại {}",
            path.display()
        )),
        Lang::En => super::eprint_line(&format!(
            "thidua: created a new database with the sample campaign (An Giang 2021) at {}",
            path.display()
        )),
    }
    Ok(store)
}

fn actor(global: &Global) -> Actor {
    Actor::new(paths::reviewer(global), chrono::Utc::now())
}

/// Creates the database and stores the contents. It is built in a hidden folder beside
/// `path` (`.NAME.creating-PID`) and renamed into place only when complete, as `restore`
/// does: a failed or killed init never leaves a database at `path` (a killed one leaves the
/// hidden folder, removed at the next start). An empty folder made ready for the database is
/// replaced by the new one.
pub fn create(
    path: &Path,
    contents: &Contents,
    actor: &Actor,
    lang: Lang,
) -> anyhow::Result<Store> {
    if crate::store::exists(path)? && !crate::store::is_empty_dir(path) {
        return Err(StoreError::Exists(path.to_path_buf()).into());
    }
    let io = |at: &Path| {
        let at = at.to_path_buf();
        move |source| StoreError::Io { path: at, source }
    };
    let parent = crate::files::folder_of(path);
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = path
        .file_name()
        .map_or_else(|| "thidua".into(), |n| n.to_string_lossy().into_owned());
    let building = parent.join(format!(".{name}.creating-{}", std::process::id()));
    if building.exists() {
        std::fs::remove_dir_all(&building).map_err(io(&building))?;
    }
    let built = Store::create(&building, &contents.campaign, actor)
        .map_err(anyhow::Error::from)
        .and_then(|store| fill(&store, contents, actor, lang));
    // The store is closed here, before it moves into place.
    if let Err(e) = built {
        remove_created(&building, lang);
        return Err(e);
    }
    if let Err(source) = std::fs::rename(&building, path) {
        remove_created(&building, lang);
        // Another process made the database meanwhile.
        if path.exists() && !crate::store::is_empty_dir(path) {
            return Err(StoreError::Exists(path.to_path_buf()).into());
        }
        return Err(StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
        .into());
    }
    crate::files::sync_dir(&parent).map_err(io(&parent))?;
    let store = Store::open_moved(path)?;
    tracing::info!(
        "created {} with {} subjects and {} initiatives",
        path.display(),
        contents.subjects.len(),
        contents.initiatives.len()
    );
    Ok(store)
}

fn fill(store: &Store, contents: &Contents, actor: &Actor, lang: Lang) -> anyhow::Result<()> {
    if !contents.subjects.is_empty() {
        store
            .upsert_subjects(&contents.subjects, &contents.roster_source, actor)
            .with_context(|| crate::i18n::tr(lang, crate::i18n::Key::InitStoringRoster))?;
    }
    if !contents.initiatives.is_empty() {
        store
            .upsert_initiatives(&contents.initiatives, &contents.initiatives_source, actor)
            .with_context(|| crate::i18n::tr(lang, crate::i18n::Key::InitStoringInitiatives))?;
    }
    Ok(())
}

fn remove_created(path: &Path, lang: Lang) {
    if let Err(e) = std::fs::remove_dir_all(path) {
        tracing::error!("could not remove the half-created {}: {e}", path.display());
        super::eprint_line(&crate::i18n::fill(
            lang,
            crate::i18n::Key::CliNotRemoved,
            &[
                &crate::text::clean(&path.display().to_string()),
                &crate::i18n::word_told(lang, &crate::msg::io_detail(&e)),
            ],
        ));
    }
}
