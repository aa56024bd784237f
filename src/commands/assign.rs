//! `thidua assign REVIEWER --tier T | --parent ID | --file F [--dry-run]` and `thidua assign
//! --clear …`: the chair gives subjects to reviewers (phân công). The selection is checked
//! first (the tier exists, the parent exists, every id of the file names a subject, saying
//! file and line otherwise); then the change is one journaled, audited write. While `thidua
//! serve` holds the database, the server carries it out (`import::holder`), so the consoles
//! see it at once.

use std::path::Path;

use crate::cli::{AssignArgs, Global};
use crate::domain::Lang;
use crate::domain::assignment::{self, Selection};
use crate::i18n::{Key, fill, tr};
use crate::paths;
use crate::store::reader::Action;
use crate::store::{Actor, Store, StoreError};
use crate::text::{clean, fold};

/// `thidua assign`.
pub fn run(global: &Global, args: &AssignArgs) -> anyhow::Result<()> {
    let path = paths::db_path(global)?;
    let lang = paths::lang(global);
    owner_only(&path, lang)?;
    let reviewer = paths::reviewer(global);
    let text = match Store::open(&path) {
        Ok(store) => assign_on(
            &store,
            &action_of(args, false)?,
            &Actor::new(reviewer.clone(), chrono::Utc::now()),
            lang,
        )?,
        Err(locked @ StoreError::Locked { .. }) => super::import::holder::carry_out(
            &path,
            locked,
            action_of(args, true)?,
            &reviewer,
            lang,
        )?,
        Err(e) => return Err(e.into()),
    };
    super::print_line(&text)?;
    Ok(())
}

/// `assign` runs only as the OS user who owns the database folder. The command line has no
/// identity of its own (`--reviewer` is only a name), so no role is checked here: whoever
/// can open the folder (0700) or its socket (0600) could change its files directly, and a role
/// check would stop nobody. What is checked is what keeps the record true and the database
/// whole: the journal records the change as `local:LOGIN` of the process that writes it (the
/// server's, beside `serve`), so another user (root included) would be recorded under the
/// owner's login, and on a closed database would leave files in it that its owner cannot
/// open. `docs/ARCHITECTURE.md` ("Who may assign") says the same.
#[cfg(unix)]
fn owner_only(db: &Path, lang: Lang) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt;
    // A missing database is told by opening it, in the usual words.
    let (Ok(meta), Some(me)) = (std::fs::metadata(db), paths::effective_uid()) else {
        return Ok(());
    };
    if meta.uid() == me {
        return Ok(());
    }
    let owner = paths::user_name(meta.uid());
    anyhow::bail!(fill(
        lang,
        Key::AssignNotOwner,
        &[
            &db.display().to_string(),
            &owner,
            &paths::user_name(me),
            &owner
        ]
    ))
}

#[cfg(not(unix))]
fn owner_only(_db: &Path, _lang: Lang) -> anyhow::Result<()> {
    Ok(())
}

/// The action `args` ask for; the list file by an absolute path when `absolute`.
fn action_of(args: &AssignArgs, absolute: bool) -> anyhow::Result<Action> {
    let file = match &args.file {
        Some(f) if absolute => Some(std::path::absolute(f)?),
        other => other.clone(),
    };
    Ok(Action::Assign {
        reviewer: args.reviewer.clone(),
        tier: args.tier.clone(),
        parent: args.parent.clone(),
        file,
        clear: args.clear,
        dry_run: args.dry_run,
    })
}

/// Carries out an assignment `action` on `store` for `chair` (the name and how they came in,
/// which the journal record names): the summary to print.
pub fn assign_on(
    store: &Store,
    action: &Action,
    chair: &Actor,
    lang: Lang,
) -> anyhow::Result<String> {
    let Action::Assign {
        reviewer,
        tier,
        parent,
        file,
        clear,
        dry_run,
    } = action
    else {
        anyhow::bail!("not an assignment");
    };
    let reviewer = match reviewer {
        Some(r) => {
            if let Some(why) = assignment::name_problem(r) {
                anyhow::bail!(fill(lang, Key::AssignNameInvalid, &[&clean(r), &why]));
            }
            Some(clean(r))
        }
        None if *clear => None,
        None => anyhow::bail!(tr(lang, Key::AssignNeedReviewer)),
    };
    let campaign = store.campaign();
    let subjects = store.subjects()?;
    let (selection, shown, audit) = if let Some(t) = tier {
        let Some(found) = campaign.tier(t) else {
            let tiers: Vec<&str> = campaign.tiers.iter().map(|t| t.id.as_str()).collect();
            anyhow::bail!(fill(
                lang,
                Key::AssignNoTier,
                &[&clean(t), &tiers.join(", ")]
            ));
        };
        (
            Selection::Tier(found.id.clone()),
            fill(lang, Key::AssignByTier, &[found.name(lang)]),
            format!("--tier {}", found.id),
        )
    } else if let Some(p) = parent {
        let Some((_, unit)) = subjects.iter().find(|(_, s)| &s.id == p) else {
            anyhow::bail!(fill(lang, Key::AssignNoParent, &[&clean(p)]));
        };
        (
            Selection::Parent(unit.id.clone()),
            fill(
                lang,
                Key::AssignByParent,
                &[&format!("{} ({})", unit.name, unit.id)],
            ),
            format!("--parent {}", unit.id),
        )
    } else if let Some(f) = file {
        let ids = read_ids(f, &subjects, lang)?;
        (
            Selection::Ids(ids),
            fill(lang, Key::AssignByFile, &[&f.display().to_string()]),
            format!("--file {}", f.display()),
        )
    } else if let (true, Some(r)) = (*clear, &reviewer) {
        (
            Selection::Reviewer(r.clone()),
            fill(lang, Key::AssignByReviewer, &[r]),
            format!("--clear {r}"),
        )
    } else {
        anyhow::bail!(tr(lang, Key::AssignNeedSelection));
    };
    let assigned = store.assignments()?;
    let mut selected = assignment::select(&subjects, &assigned, &selection);
    let plan = if *clear {
        // Clearing with a name clears only what is that reviewer's.
        if let Some(r) = &reviewer {
            selected.retain(|no| assigned.get(no) == Some(r));
        }
        assignment::plan(&selected, &assigned, None)
    } else {
        assignment::plan(&selected, &assigned, reviewer.as_deref())
    };
    if !dry_run {
        let action = crate::domain::AuditAction::Assign {
            reviewer: if *clear { None } else { reviewer.clone() },
            selection: audit,
            changed: plan.writes.len() as u64,
        };
        store.write_assignments(&plan.writes, action, chair)?;
        tracing::info!(
            "{} assigned {} subjects ({} changed) in {}",
            chair.reviewer,
            plan.selected,
            plan.writes.len(),
            store.path().display()
        );
    }
    let summary = if *clear {
        fill(
            lang,
            Key::AssignClearSummary,
            &[
                &plan.selected.to_string(),
                &shown,
                &plan.cleared.to_string(),
                &plan.unchanged.to_string(),
            ],
        )
    } else {
        fill(
            lang,
            Key::AssignSummary,
            &[
                reviewer.as_deref().unwrap_or_default(),
                &plan.selected.to_string(),
                &shown,
                &plan.added.to_string(),
                &plan.moved.to_string(),
                &plan.unchanged.to_string(),
            ],
        )
    };
    Ok(if *dry_run {
        format!("{}\n{summary}", tr(lang, Key::AssignDryRun))
    } else {
        summary
    })
}

/// The subject ids a list file names: one a line, or a CSV (comma, semicolon or tab) with the
/// id in its first column; blank lines are skipped, and so is a first line that is a header
/// ("id", "Mã", "Mã đơn vị", …). Every id must name a subject, or the file is refused naming
/// its line.
fn read_ids(
    file: &Path,
    subjects: &[(u32, crate::domain::Subject)],
    lang: Lang,
) -> anyhow::Result<Vec<String>> {
    let shown = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| {
        anyhow::anyhow!(fill(
            lang,
            Key::AssignFileRead,
            &[&shown, "1", &e.to_string()]
        ))
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.iter().filter(|b| *b == d).count())
        .filter(|d| first.contains(d))
        .unwrap_or(b',');
    let known: std::collections::HashSet<&str> =
        subjects.iter().map(|(_, s)| s.id.as_str()).collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut ids = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            anyhow::anyhow!(fill(
                lang,
                Key::AssignFileRead,
                &[&shown, &line.to_string(), &e.to_string()]
            ))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let Some(cell) = record.get(0) else { continue };
        let Ok(cell) = std::str::from_utf8(cell) else {
            anyhow::bail!(fill(
                lang,
                Key::AssignFileRead,
                &[&shown, &line.to_string(), "not UTF-8"]
            ));
        };
        let id = clean(cell.trim());
        if id.is_empty() {
            continue;
        }
        if !known.contains(id.as_str()) {
            let header = matches!(
                fold(&id).as_str(),
                "id" | "ma" | "ma so" | "ma don vi" | "ma doi tuong" | "subject" | "subject id"
            );
            if ids.is_empty() && header {
                continue;
            }
            anyhow::bail!(fill(
                lang,
                Key::AssignFileUnknown,
                &[
                    &shown,
                    &line.to_string(),
                    &crate::interchange::table::shown(&id)
                ]
            ));
        }
        ids.push(id);
    }
    if ids.is_empty() {
        anyhow::bail!(fill(lang, Key::AssignFileEmpty, &[&shown]));
    }
    Ok(ids)
}
