//! `thidua backup`, `thidua restore` and `thidua verify`: a checksummed JSON snapshot of the
//! whole database, a rebuild of a new database from one, and an integrity check.

use std::path::Path;

use crate::cli::Global;
use crate::domain::Lang;
use crate::files::Mode;
use crate::i18n::{Key, fill, tr};
use crate::store::files;
use crate::store::{Store, StoreError, backup};

fn shown(path: &Path) -> String {
    crate::text::clean(&path.display().to_string())
}

/// Checks where a backup or verdict file may be written, before anything is read: never a
/// folder, never inside a database folder (a typing mistake such as `backup ow.db/db` would
/// destroy the database), and an existing file only with `--force`. Returns how the file is
/// to be placed: `Mode::CreateNew` makes "never replaces" hold even against a writer racing
/// for the same name.
pub(crate) fn check_target(path: &Path, force: bool, lang: Lang) -> anyhow::Result<Mode> {
    if path.is_dir() {
        anyhow::bail!(fill(lang, Key::TargetIsFolder, &[&shown(path)]));
    }
    if let Some(db) = files::database_folder_around(path) {
        anyhow::bail!(fill(
            lang,
            Key::TargetInDatabase,
            &[&shown(path), &shown(&db)]
        ));
    }
    if std::fs::symlink_metadata(path).is_ok() && !force {
        anyhow::bail!(fill(lang, Key::TargetExists, &[&shown(path)]));
    }
    Ok(if force {
        Mode::Replace
    } else {
        Mode::CreateNew
    })
}

/// The message for a target taken meanwhile by another writer.
pub(crate) fn taken_meanwhile(path: &Path, lang: Lang) -> anyhow::Error {
    anyhow::anyhow!(fill(lang, Key::TargetExists, &[&shown(path)]))
}

pub fn backup(global: &Global, file: &Path, force: bool) -> anyhow::Result<()> {
    let lang = crate::paths::lang(global);
    let mode = check_target(file, force, lang)?;
    crate::paths::clean_leftovers_in(&crate::files::folder_of(file), lang);
    let store = Store::open(&crate::paths::db_path(global)?)?;
    // Once the journal has outgrown its bound, the backup is read back before it is put in
    // place; then the journal segments it covers are retired, and retired segments older than
    // every kept rolling backup deleted, as after a rolling backup. One that does not read
    // back is deleted, never put in place, and nothing is retired.
    let (bytes, after) = match store.backup_and_retire(file, chrono::Utc::now(), mode) {
        Err(StoreError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::AlreadyExists =>
        {
            return Err(taken_meanwhile(file, lang));
        }
        other => other?,
    };
    let retired = after.retired;
    if retired > 0 {
        super::eprint_line(&match lang {
            Lang::Vi => format!(
                "thidua: đã ghi điểm mốc vào nhật ký thay đổi và chuyển {retired} đoạn nhật ký cũ vào {}.",
                crate::store::checkpoint::retired_dir(store.path()).display()
            ),
            Lang::En => format!(
                "thidua: wrote a checkpoint to the change journal and moved {retired} older journal segment(s) to {}.",
                crate::store::checkpoint::retired_dir(store.path()).display()
            ),
        });
    }
    if !after.deleted.is_empty() {
        let n = after.deleted.len();
        let dir = crate::store::checkpoint::retired_dir(store.path());
        super::eprint_line(&match lang {
            Lang::Vi => format!(
                "thidua: đã xoá {n} đoạn nhật ký đã chuyển đi cũ hơn mọi bản sao lưu định kỳ còn giữ, trong {}.",
                dir.display()
            ),
            Lang::En => format!(
                "thidua: deleted {n} retired journal segment(s) older than every kept rolling backup, in {}.",
                dir.display()
            ),
        });
    }
    super::print_line(&match lang {
        Lang::Vi => format!(
            "Đã sao lưu {} đối tượng vào {} ({bytes} byte).",
            store.subject_count(),
            file.display()
        ),
        Lang::En => format!(
            "Backed up {} subjects to {} ({bytes} bytes).",
            store.subject_count(),
            file.display()
        ),
    })?;
    Ok(())
}

pub fn restore(global: &Global, file: &Path) -> anyhow::Result<()> {
    let lang = crate::paths::lang(global);
    let Some(db) = global.db.as_deref() else {
        anyhow::bail!(tr(lang, Key::CliRestoreNeedsDb));
    };
    let opened = backup::open(file)?;
    // Checked before it is moved into place: a refused backup leaves nothing at `db`.
    let store = match backup::restore_file(db, &opened)? {
        Ok(store) => store,
        Err(report) => {
            let problems = all_problems(&report, lang).join("; ");
            anyhow::bail!(fill(
                lang,
                Key::RestoreRefused,
                &[&shown(file), &shown(db), &problems]
            ));
        }
    };
    let report = store.verify()?;
    super::print_line(&fill(
        lang,
        Key::RestoreDone,
        &[
            &report.subjects.to_string(),
            &report.verdicts.to_string(),
            &report.audit_events.to_string(),
            &shown(db),
        ],
    ))?;
    Ok(())
}

/// `thidua restore --from-journal OLD --db NEW`: a new database built from OLD's change
/// journal alone (see `store::rebuild`).
pub fn restore_from_journal(global: &Global, old: &Path) -> anyhow::Result<()> {
    let Some(db) = global.db.as_deref() else {
        anyhow::bail!(
            "say where to build the new database: thidua restore --from-journal OLD --db NEW"
        );
    };
    let lang = crate::paths::lang(global);
    let rebuilt = match crate::store::rebuild::from_journal(old, db)? {
        Ok(rebuilt) => rebuilt,
        Err(report) => {
            let problems = all_problems(&report, lang).join("; ");
            anyhow::bail!(fill(
                lang,
                Key::RebuildRefused,
                &[&shown(old), &shown(db), &problems]
            ));
        }
    };
    let report = rebuilt.store.verify()?;
    super::print_line(&fill(
        lang,
        Key::RebuildDone,
        &[
            &shown(db),
            &shown(old),
            &report.subjects.to_string(),
            &report.verdicts.to_string(),
            &report.initiatives.to_string(),
            &report.audit_events.to_string(),
            &rebuilt.seq.to_string(),
            &rebuilt.head,
        ],
    ))?;
    Ok(())
}

pub fn verify(global: &Global) -> anyhow::Result<()> {
    let path = crate::paths::db_path(global)?;
    let lang = crate::paths::lang(global);
    let request = crate::store::reader::Request {
        verify: true,
        ..Default::default()
    };
    let mut source = match super::source::Source::open(&path, &request, lang) {
        Ok(source) => source,
        // A damaged change journal keeps the database from opening; that is what verify is
        // asked to find, so it is reported as its finding rather than as a failure to open.
        Err(e) => match e.downcast_ref::<crate::store::StoreError>() {
            Some(crate::store::StoreError::Journal(damage)) => {
                super::print_line(&match lang {
                    Lang::Vi => format!(
                        "Đã kiểm tra {}: nhật ký thay đổi bị hỏng, cơ sở dữ liệu không được mở để ghi.",
                        path.display()
                    ),
                    Lang::En => format!(
                        "Checked {}: the change journal is damaged; the database was not opened for writing.",
                        path.display()
                    ),
                })?;
                let detail = crate::store::explain::journal_detail(damage);
                super::print_line(&format!("- {}", crate::i18n::word_told(lang, &detail)))?;
                anyhow::bail!(
                    "{}",
                    e.downcast_ref::<crate::store::StoreError>()
                        .map(|s| s.explain(&path, lang))
                        .unwrap_or_default()
                );
            }
            _ => return Err(e),
        },
    };
    let report = source.verify(lang)?;
    let checked = match lang {
        Lang::Vi => format!(
            "Đã kiểm tra {}: {} đối tượng, {} kết quả, {} sáng kiến, {} sự kiện nhật ký.",
            path.display(),
            report.subjects,
            report.verdicts,
            report.initiatives,
            report.audit_events
        ),
        Lang::En => format!(
            "Checked {}: {} subjects, {} verdicts, {} initiatives, {} audit events.",
            path.display(),
            report.subjects,
            report.verdicts,
            report.initiatives,
            report.audit_events
        ),
    };
    super::print_line(&checked)?;
    // The retired segments in `backups/<db>-journal/`, as one chain with the kept journal.
    let mut retired_problems = Vec::new();
    match crate::store::checkpoint::check_retired(&path) {
        Ok(check) => match (check.problem, check.records) {
            (Some(problem), _) => retired_problems.push(fill(
                lang,
                Key::VerifyRetiredDamaged,
                &[&shown(&check.dir), &crate::text::clean(&problem)],
            )),
            (None, Some((first, last))) => super::print_line(&fill(
                lang,
                Key::VerifyRetiredChained,
                &[
                    &shown(&check.dir),
                    &check.segments.to_string(),
                    &first.to_string(),
                    &last.to_string(),
                ],
            ))?,
            (None, None) => {}
        },
        Err(e) => retired_problems.push(crate::text::clean(&e.to_string())),
    }
    if report.is_ok() && retired_problems.is_empty() {
        super::print_line(match lang {
            Lang::Vi => "Không phát hiện lỗi.",
            Lang::En => "No problems found.",
        })?;
        Ok(())
    } else {
        let mut problems = all_problems(&report, lang);
        problems.extend(retired_problems);
        for p in &problems {
            super::print_line(&format!("- {p}"))?;
        }
        anyhow::bail!(fill(
            lang,
            Key::CliVerifyProblems,
            &[&problems.len().to_string(), &shown(&path)]
        ))
    }
}

/// Every problem of a `verify` report in words: the store's own, then each initiative decision
/// that breaks a rule, worded as the console and the importer word it.
fn all_problems(report: &crate::store::verify::Report, lang: Lang) -> Vec<String> {
    let mut out = report.problems.clone();
    for (id, p) in &report.decisions {
        let what = match lang {
            Lang::Vi => "sáng kiến",
            Lang::En => "initiative",
        };
        out.push(format!(
            "{what} {id}: {}",
            crate::i18n::decision_problem_text(lang, p)
        ));
    }
    out
}
