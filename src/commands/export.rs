//! `thidua export`: writes the verdict file. Reads one snapshot of the review through
//! `Source` (the store itself with `runtime::jobs::snapshot` when the database is free, or the
//! running console that holds it, through its reader), refuses (listing what is missing,
//! writing nothing) when the review has gaps unless --allow-incomplete is given, then writes
//! the file atomically with `export::export_with`, as the console's export job does. The
//! refusal's list of gaps is `app::reports::gap_report`, the console export dialog's own:
//! subjects waiting for an explanation first, with their notes.

use anyhow::Context;
use chrono::Utc;

use super::source::Source;
use crate::cli::{ExportArgs, ExportFormat, Global};
use crate::domain::Lang;
use crate::domain::review::Incompleteness;
use crate::interchange::export::{self, ExportError, ExportMeta, Format, Snapshot, Submission};
use crate::ui::export::{GapText, gap_lines};

/// How many gaps a refusal lists before summarising the rest.
pub(crate) const LISTED_GAPS: usize = 20;

/// The gap report of `app::reports::gap_report` (the console's export dialog shows the same
/// lines): counts, then the first `LISTED_GAPS` gaps one per line, those waiting for an
/// explanation first with their notes, then how many more.
pub(crate) fn gap_report(snap: &Snapshot, gaps: &Incompleteness, lang: Lang) -> String {
    let report = crate::app::reports::gap_report(
        gaps,
        LISTED_GAPS,
        |id| snap.name_of(id).map(str::to_string),
        |g| {
            let row = snap.rows.iter().find(|r| r.subject.id == g.subject)?;
            let c = snap
                .campaign
                .group_of_tier(&row.subject.tier)?
                .index_of(&g.criterion)?;
            row.verdicts.get(c)?.as_ref().map(|v| v.note.clone())
        },
    );
    let mut out = String::new();
    for (kind, line) in gap_lines(&report, lang) {
        match kind {
            GapText::Head => out.push_str("  "),
            GapText::Gap | GapText::Note | GapText::More => {}
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

pub fn run(global: &Global, args: &ExportArgs) -> anyhow::Result<()> {
    let lang = crate::paths::lang(global);
    let format = match args.format {
        Some(ExportFormat::Json) => Format::Json,
        Some(ExportFormat::Csv) => Format::Csv,
        Some(ExportFormat::Xlsx) => Format::Xlsx,
        Some(ExportFormat::Docx) => Format::Docx,
        None => Format::from_path(&args.out).ok_or_else(|| {
            anyhow::anyhow!(match lang {
                Lang::Vi => format!(
                    "{}: không đoán được định dạng từ đuôi tệp; thêm --format json, csv, xlsx hoặc docx",
                    args.out.display()
                ),
                Lang::En => format!(
                    "{}: cannot tell the format from the file name; add --format json, csv, xlsx or docx",
                    args.out.display()
                ),
            })
        })?,
    };
    let mode = super::backup::check_target(&args.out, args.force, lang)?;
    let path = crate::paths::db_path(global)?;
    let mut source = Source::open(&path, &super::source::export_request(format), lang)?;
    let snap = source
        .snapshot(format)
        .with_context(|| format!("{}", path.display()))?;
    drop(source);
    let meta = ExportMeta {
        exported_at: Utc::now(),
        exported_by: crate::paths::reviewer(global),
        allow_incomplete: args.allow_incomplete,
    };
    let submission = Submission {
        number: args.reference.as_deref().map(crate::text::clean),
        date: args.ref_date,
    };
    if snap.campaign.council.is_none() && matches!(format, Format::Xlsx | Format::Docx) {
        super::eprint_line(match lang {
            Lang::Vi => {
                "Lưu ý: tệp phong trào không có mục [council]; phần đầu và chữ ký dùng lời chung, \
                     địa danh để trống (xem data/README.md)."
            }
            Lang::En => {
                "Note: the campaign file has no [council] section; the head and the signature \
                     block use generic words and a blank place (see data/README.md)."
            }
        });
    }
    match export_new(&snap, format, &args.out, &meta, &submission, mode, lang)? {
        Ok(report) => {
            if report.incomplete {
                let head = match lang {
                    Lang::Vi => "Cảnh báo: việc đánh giá chưa xong; tệp đã ghi rõ là CHƯA ĐẦY ĐỦ.",
                    Lang::En => {
                        "Warning: the review is not finished; the file says it is INCOMPLETE."
                    }
                };
                super::eprint_text(&format!("{head}\n{}", gap_report(&snap, &snap.gaps, lang)));
            }
            let kb = report.bytes.div_ceil(1024);
            match lang {
                Lang::Vi => super::print_line(&format!(
                    "Đã ghi {} ({} KB, {}): {} đối tượng, {} đủ điều kiện đề nghị khen thưởng.",
                    report.path.display(),
                    kb,
                    format.name(),
                    report.subjects,
                    report.qualified
                ))?,
                Lang::En => super::print_line(&format!(
                    "Wrote {} ({} KB, {}): {} subjects, {} qualified to be proposed for commendation.",
                    report.path.display(),
                    kb,
                    format.name(),
                    report.subjects,
                    report.qualified
                ))?,
            }
            Ok(())
        }
        Err(ExportError::Incomplete(gaps)) => {
            let (head, tail) = match lang {
                Lang::Vi => (
                    format!(
                        "chưa xuất {}: việc đánh giá chưa xong, không ghi tệp nào.",
                        args.out.display()
                    ),
                    "Đánh giá nốt các mục còn thiếu, hoặc thêm --allow-incomplete để vẫn xuất \
                     (tệp sẽ ghi rõ là chưa đầy đủ).",
                ),
                Lang::En => (
                    format!(
                        "{} not written: the review is not finished.",
                        args.out.display()
                    ),
                    "Finish the missing items, or add --allow-incomplete to export anyway \
                     (the file will say it is incomplete).",
                ),
            };
            anyhow::bail!("{head}\n{}{tail}", gap_report(&snap, &gaps, lang))
        }
        Err(e) => Err(e.into()),
    }
}

/// Sweeps the target folder of a killed export's leftovers (told on stderr), then writes the
/// file with `export::export_with`. The outer error is a target taken meanwhile.
fn export_new(
    snap: &Snapshot,
    format: Format,
    out: &std::path::Path,
    meta: &ExportMeta,
    submission: &Submission,
    mode: crate::files::Mode,
    lang: Lang,
) -> anyhow::Result<Result<export::ExportReport, ExportError>> {
    crate::paths::clean_leftovers_in(&crate::files::folder_of(out), lang);
    match export::export_with(snap, format, out, meta, submission, mode) {
        Err(ExportError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::AlreadyExists =>
        {
            Err(super::backup::taken_meanwhile(out, lang))
        }
        other => Ok(other),
    }
}
