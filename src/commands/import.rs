//! `thidua import roster|initiatives|self-assessment FILE`: the whole file is read and checked against the
//! campaign and the database first; only a file without a single problem is stored, in one
//! transaction with one audit event. Re-importing updates and adds, never deletes, and never
//! touches verdicts. The plan (new rows, changed fields old → new, unchanged, kept, ignored
//! rows and columns) is printed; `--dry-run` prints it and writes nothing.

pub mod holder;
mod self_assessment;
pub mod summary;

use std::collections::HashSet;
use std::path::Path;

use crate::cli::{Global, ImportCommand};
use crate::domain::{Initiative, Subject};
use crate::interchange::plan::{Options, Report};
use crate::interchange::self_assessment as sa;
use crate::interchange::table::{ImportError, ReadOptions};
use crate::interchange::{initiatives, roster};
use crate::paths;
use crate::store::reader::{Action, ImportKind};
use crate::store::{Actor, ImportCounts, Store};

/// `thidua import`. While `thidua serve` holds the database, the server carries the import
/// out on its own store (`holder`), so every open console sees it at once; the summary and
/// the exit status are the same as here.
pub fn run(global: &Global, cmd: &ImportCommand) -> anyhow::Result<()> {
    let path = paths::db_path(global)?;
    let lang = paths::lang(global);
    let reviewer = paths::reviewer(global);
    let store = match Store::open(&path) {
        Ok(store) => store,
        Err(locked @ crate::store::StoreError::Locked { .. }) => {
            let text = holder::carry_out(&path, locked, action_of(cmd, true)?, &reviewer, lang)?;
            return super::print_text(&format!("{text}\n"));
        }
        Err(e) => return Err(e.into()),
    };
    let action = action_of(cmd, false)?;
    let text = import_on(
        &store,
        &action,
        &Actor::new(reviewer, chrono::Utc::now()),
        lang,
    )?;
    super::print_text(&format!("{text}\n"))
}

/// The import `cmd` asks for; its file named by an absolute path when `absolute` (for the
/// server, which does not share this process's current folder).
fn action_of(cmd: &ImportCommand, absolute: bool) -> anyhow::Result<Action> {
    let (kind, file, cli) = match cmd {
        ImportCommand::Roster { file, options } => (ImportKind::Roster, file, options),
        ImportCommand::Initiatives { file, options } => (ImportKind::Initiatives, file, options),
        ImportCommand::SelfAssessment { file, options } => {
            (ImportKind::SelfAssessment, file, options)
        }
    };
    Ok(Action::Import {
        kind,
        file: if absolute {
            std::path::absolute(file)?
        } else {
            file.clone()
        },
        sheet: cli.sheet.clone(),
        clear_empty: cli.clear_empty,
        dry_run: cli.dry_run,
    })
}

/// Carries out an import `action` on `store` for `actor` (the reviewer and how they came in,
/// which its journal record names): the summary to print, in `lang`.
pub fn import_on(
    store: &Store,
    action: &Action,
    actor: &Actor,
    lang: crate::domain::Lang,
) -> anyhow::Result<String> {
    let Action::Import {
        kind,
        file,
        sheet,
        clear_empty,
        dry_run,
    } = action
    else {
        anyhow::bail!("not an import");
    };
    let actor = actor.clone();
    let options = Options {
        read: ReadOptions {
            sheet: sheet.clone(),
        },
        clear_empty: *clear_empty,
    };
    let path = store.path();
    // A refused file is told in the reviewer's language.
    let worded = |e: anyhow::Error| match e.downcast::<ImportError>() {
        Ok(e) => anyhow::anyhow!(summary::refused(&e, lang)),
        Err(e) => e,
    };
    if *kind == ImportKind::SelfAssessment {
        let (report, text) =
            plan_self_assessment(store, file, &options, !dry_run, &actor, lang).map_err(worded)?;
        tracing::info!(
            "self-assessment import of {} into {} ({}): {} added, {} updated, {} unchanged",
            file.display(),
            path.display(),
            if report.written { "written" } else { "dry run" },
            report.added_count,
            report.changed_count,
            report.unchanged
        );
        return Ok(text);
    }
    let result = match kind {
        ImportKind::Roster => plan_roster(store, file, &options, !dry_run, &actor),
        _ => plan_initiatives(store, file, &options, !dry_run, &actor),
    };
    let report = result.map_err(worded)?;
    tracing::info!(
        "import of {} into {} ({}): {} added, {} updated, {} unchanged",
        file.display(),
        path.display(),
        if report.written { "written" } else { "dry run" },
        report.added_count,
        report.changed_count,
        report.unchanged
    );
    Ok(summary::render(&report, lang))
}

/// Reads, checks and plans a roster import; stores it when `write`.
pub fn plan_roster(
    store: &Store,
    file: &Path,
    options: &Options,
    write: bool,
    actor: &Actor,
) -> anyhow::Result<Report> {
    let started = std::time::Instant::now();
    let stored = StoredRoster {
        store,
        failed: std::cell::RefCell::new(None),
    };
    let mut table = roster::read(file, store.campaign(), options)?;
    let parsed = roster::parse(&mut table, store.campaign(), &stored, options.clear_empty);
    stored.ok()?;
    let (subjects, kept) = parsed?;
    let mut report = roster::plan(&table, &subjects, kept, &stored);
    stored.ok()?;
    tracing::debug!(
        "roster {}: {} rows read, checked and planned in {:?}",
        file.display(),
        subjects.len(),
        started.elapsed()
    );
    // Only the subjects are needed to write: the file's cells go first.
    drop(table);
    if write && !report.is_noop() {
        store.upsert_subjects_staged(&subjects, &file.display().to_string(), actor)?;
        report.written = true;
    } else if write {
        report.written = true;
    }
    Ok(report)
}

/// The stored roster as the roster's checks read it: each subject from the database when
/// asked for, not a copy of them all. The first storage error is kept, and the import stops
/// with it once the checks return.
struct StoredRoster<'s> {
    store: &'s Store,
    failed: std::cell::RefCell<Option<crate::store::StoreError>>,
}

/// The stored claims (and subjects' names) as the self-assessment's checks read them, from
/// the database when asked for; the first storage error is kept as for the roster.
struct StoredClaims<'s> {
    store: &'s Store,
    failed: std::cell::RefCell<Option<crate::store::StoreError>>,
}

impl StoredClaims<'_> {
    fn fail(&self, e: crate::store::StoreError) {
        self.failed.borrow_mut().get_or_insert(e);
    }

    fn ok(&self) -> Result<(), crate::store::StoreError> {
        match self.failed.borrow_mut().take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl sa::Stored for StoredClaims<'_> {
    fn names(&self, each: &mut dyn FnMut(u32, String)) {
        if let Err(e) = self
            .store
            .each_subject_numbered(&mut |no, s| each(no, s.name))
        {
            self.fail(e);
        }
    }

    fn claim(&self, no: u32, criterion: u16) -> Option<crate::domain::Claim> {
        self.store.claim(no, criterion).unwrap_or_else(|e| {
            self.fail(e);
            None
        })
    }

    fn claimed(&self, each: &mut dyn FnMut(u32)) {
        if let Err(e) = self.store.each_claimed_subject(&mut |no| each(no)) {
            self.fail(e);
        }
    }
}

impl StoredRoster<'_> {
    fn fail(&self, e: crate::store::StoreError) {
        self.failed.borrow_mut().get_or_insert(e);
    }

    fn ok(&self) -> Result<(), crate::store::StoreError> {
        match self.failed.borrow_mut().take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl roster::Stored for StoredRoster<'_> {
    fn get(&self, id: &str) -> Option<Subject> {
        self.store.subject(id).unwrap_or_else(|e| {
            self.fail(e);
            None
        })
    }

    fn each(&self, each: &mut dyn FnMut(Subject)) {
        if let Err(e) = self.store.each_subject(&mut |s| each(s)) {
            self.fail(e);
        }
    }
}

/// Reads, checks and plans an initiatives import; stores it when `write`.
pub(crate) fn plan_initiatives(
    store: &Store,
    file: &Path,
    options: &Options,
    write: bool,
    actor: &Actor,
) -> anyhow::Result<Report> {
    // Only the subjects' ids are needed: not every subject held at once.
    let mut ids: Vec<String> = Vec::with_capacity(store.subject_count());
    store.for_each_subject(|_, s| {
        ids.push(s.id);
        std::ops::ControlFlow::Continue(())
    })?;
    let owners: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let existing: Vec<Initiative> = store.initiatives()?;
    let table = initiatives::read(file, store.campaign(), options)?;
    // Owners given by name: only the subjects whose name the file uses are remembered.
    let wanted = initiatives::owner_keys(&table);
    let mut names = initiatives::OwnerNames::default();
    store.for_each_subject(|_, s| {
        names.offer(&wanted, &s.id, &s.name);
        std::ops::ControlFlow::Continue(())
    })?;
    let (incoming, kept) =
        initiatives::parse_named(&table, &owners, &names, &existing, options.clear_empty)?;
    let mut report = initiatives::plan(&table, &incoming, kept, &existing);
    if write && !report.is_noop() {
        store.upsert_initiatives_staged(&incoming, &file.display().to_string(), actor)?;
    }
    report.written = write;
    Ok(report)
}

/// Reads, checks and plans a self-assessment import; stores it when `write`. Returns the plan
/// and its summary in `lang` (with the shape found and why).
pub fn plan_self_assessment(
    store: &Store,
    file: &Path,
    options: &Options,
    write: bool,
    actor: &Actor,
    lang: crate::domain::Lang,
) -> anyhow::Result<(Report, String)> {
    use crate::store::claims::ClaimCounts;
    let started = std::time::Instant::now();
    // The subjects as the checks need them (number, id, tier); names and stored claims are
    // read from the database when asked for.
    let mut subjects: Vec<sa::Known> = Vec::with_capacity(store.subject_count());
    store.each_subject_numbered(&mut |no, s| {
        subjects.push(sa::Known::new(store.campaign(), no, &s))
    })?;
    let stored = StoredClaims {
        store,
        failed: std::cell::RefCell::new(None),
    };
    let show = |v| self_assessment::value_text(v, lang);
    let mut read =
        sa::read(file, store.campaign(), options).map_err(self_assessment::read_error)?;
    let parsed = sa::parse(
        &mut read,
        store.campaign(),
        &subjects,
        &stored,
        options.clear_empty,
        &show,
    );
    stored.ok()?;
    let parsed = parsed.map_err(|found| self_assessment::rows_error(&read, found))?;
    let mut report = sa::plan(&read, &parsed, &subjects, &stored);
    stored.ok()?;
    tracing::debug!(
        "self-assessment {}: {} claims read, checked and planned in {:?}",
        file.display(),
        parsed.added + parsed.updated + parsed.cleared + report.unchanged,
        started.elapsed()
    );
    // Only the claims that change are needed to write.
    drop(subjects);
    if write && !report.is_noop() {
        let counts = ClaimCounts {
            added: parsed.added,
            updated: parsed.updated,
            cleared: parsed.cleared,
        };
        let writes = parsed
            .writes
            .iter()
            .map(|(no, criterion, claim)| (*no, *criterion, claim.as_ref()));
        store.write_claims_from(writes, &file.display().to_string(), counts, actor)?;
    }
    report.written = write;
    let text = self_assessment::render(&report, &read.shape, lang);
    Ok((report, text))
}

/// Checks and stores a roster file.
pub fn import_roster(store: &Store, file: &Path, actor: &Actor) -> anyhow::Result<ImportCounts> {
    let r = plan_roster(store, file, &Options::default(), true, actor)?;
    Ok(counts(&r))
}

/// Checks and stores an initiatives file.
pub fn import_initiatives(
    store: &Store,
    file: &Path,
    actor: &Actor,
) -> anyhow::Result<ImportCounts> {
    let r = plan_initiatives(store, file, &Options::default(), true, actor)?;
    Ok(counts(&r))
}

fn counts(r: &Report) -> ImportCounts {
    ImportCounts {
        added: r.added_count,
        updated: r.changed_count,
        unchanged: r.unchanged,
    }
}
