//! `thidua import roster|initiatives|self-assessment FILE`: the whole file is read and checked against the
//! campaign and the database first; only a file without a single problem is stored, in one
//! transaction with one audit event. Re-importing updates and adds, never deletes, and never
//! touches verdicts. The plan (new rows, changed fields old → new, unchanged, kept, ignored
//! rows and columns) is printed; `--dry-run` prints it and writes nothing.

mod self_assessment;

use std::collections::HashSet;
use std::path::Path;

use crate::cli::{Global, ImportCommand, ImportOptions};
use crate::domain::{Initiative, Subject};
use crate::interchange::plan::{Options, Report};
use crate::interchange::self_assessment as sa;
use crate::interchange::table::{ImportError, ReadOptions};
use crate::interchange::{initiatives, roster};
use crate::paths;
use crate::store::{Actor, ImportCounts, Store};

/// `thidua import`.
pub fn run(global: &Global, cmd: &ImportCommand) -> anyhow::Result<()> {
    let path = paths::db_path(global)?;
    let store = Store::open(&path)?;
    let actor = Actor::new(paths::reviewer(global), chrono::Utc::now());
    let (file, cli) = match cmd {
        ImportCommand::Roster { file, options } => (file, options),
        ImportCommand::Initiatives { file, options } => (file, options),
        ImportCommand::SelfAssessment { file, options } => (file, options),
    };
    let options = options_of(cli);
    let lang = paths::lang(global);
    if let ImportCommand::SelfAssessment { .. } = cmd {
        let (report, text) =
            plan_self_assessment(&store, file, &options, !cli.dry_run, &actor, lang).map_err(
                |e| match e.downcast::<ImportError>() {
                    Ok(e) => anyhow::anyhow!(e.render(lang)),
                    Err(e) => e,
                },
            )?;
        tracing::info!(
            "self-assessment import of {} into {} ({}): {} added, {} updated, {} unchanged",
            file.display(),
            path.display(),
            if report.written { "written" } else { "dry run" },
            report.added_count,
            report.changed_count,
            report.unchanged
        );
        println!("{text}");
        return Ok(());
    }
    let result = match cmd {
        ImportCommand::Roster { .. } => plan_roster(&store, file, &options, !cli.dry_run, &actor),
        ImportCommand::Initiatives { .. } => {
            plan_initiatives(&store, file, &options, !cli.dry_run, &actor)
        }
        ImportCommand::SelfAssessment { .. } => unreachable!("imported above"),
    };
    // A refused file is told in the reviewer's language.
    let report = result.map_err(|e| match e.downcast::<ImportError>() {
        Ok(e) => anyhow::anyhow!(e.render(lang)),
        Err(e) => e,
    })?;
    tracing::info!(
        "import of {} into {} ({}): {} added, {} updated, {} unchanged",
        file.display(),
        path.display(),
        if report.written { "written" } else { "dry run" },
        report.added_count,
        report.changed_count,
        report.unchanged
    );
    println!("{}", report.render(lang));
    Ok(())
}

fn options_of(cli: &ImportOptions) -> Options {
    Options {
        read: ReadOptions {
            sheet: cli.sheet.clone(),
        },
        clear_empty: cli.clear_empty,
    }
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
    let existing: Vec<Subject> = store.subjects()?.into_iter().map(|(_, s)| s).collect();
    let mut table = roster::read(file, store.campaign(), options)?;
    let (subjects, kept) =
        roster::parse(&mut table, store.campaign(), &existing, options.clear_empty)?;
    let mut report = roster::plan(&table, &subjects, kept, &existing);
    tracing::debug!(
        "roster {}: {} rows read, checked and planned in {:?}",
        file.display(),
        subjects.len(),
        started.elapsed()
    );
    // Only the subjects are needed to write: the file's cells and the stored roster go first.
    drop(table);
    drop(existing);
    if write && !report.is_noop() {
        store.upsert_subjects_staged(&subjects, &file.display().to_string(), actor)?;
        report.written = true;
    } else if write {
        report.written = true;
    }
    Ok(report)
}

/// Reads, checks and plans an initiatives import; stores it when `write`.
pub fn plan_initiatives(
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
    let (incoming, kept) = initiatives::parse(&table, &owners, &existing, options.clear_empty)?;
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
    let subjects = store.subjects()?;
    let stored = store.claims()?;
    let show = |v| self_assessment::value_text(v, lang);
    let read = sa::read(file, store.campaign(), options).map_err(self_assessment::read_error)?;
    let parsed = sa::parse(
        &read,
        store.campaign(),
        &subjects,
        &stored,
        options.clear_empty,
        &show,
    )
    .map_err(|found| self_assessment::rows_error(&read, found))?;
    let mut report = sa::plan(&read, &parsed, &subjects, &stored, &show);
    tracing::debug!(
        "self-assessment {}: {} claims read, checked and planned in {:?}",
        file.display(),
        parsed.planned.len(),
        started.elapsed()
    );
    if write && !report.is_noop() {
        let mut counts = ClaimCounts::default();
        for p in parsed.planned.iter().filter(|p| p.old != p.new) {
            match (&p.old, &p.new) {
                (None, Some(_)) => counts.added += 1,
                (Some(_), Some(_)) => counts.updated += 1,
                _ => counts.cleared += 1,
            }
        }
        let writes = parsed
            .planned
            .iter()
            .filter(|p| p.old != p.new)
            .map(|p| (p.subject_no, p.criterion, p.new.as_ref()));
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
