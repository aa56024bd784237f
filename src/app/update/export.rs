//! The export dialog (`x`). It opens on a completeness report computed from the model (counts
//! and the first few gaps), the format (XLSX first) and the file name, prefilled as
//! `ket-qua-YYYYMMDD.<ext>` with today's date, relative, so it is written in the console's
//! current folder (where `thidua` was started; the result shows the full path). Enter on an incomplete review is refused and moves to the "export anyway" box: only
//! after the reviewer ticks it does Enter export, and the file then says it is incomplete (as
//! the CLI's --allow-incomplete). The export itself is an effect; progress and the result come
//! back as messages, and the dialog stays until the result is shown.

use std::path::PathBuf;

use super::*;
use crate::app::{ExportDone, ExportProgress, ExportRequest, ExportStage, ExportView, FileFormat};

/// The default file name for a format on a day.
pub(super) fn default_name(today: chrono::NaiveDate, format: FileFormat) -> String {
    format!("ket-qua-{}.{}", today.format("%Y%m%d"), format.ext())
}

pub(super) fn open_export(model: &mut Model) {
    if matches!(
        &model.mode,
        Mode::Export(ExportView {
            stage: ExportStage::Running(_),
            ..
        })
    ) {
        return;
    }
    let format = FileFormat::default();
    let path = default_name(model.today, format);
    model.mode = Mode::Export(ExportView {
        format,
        path: TextInput::new(&path).with_max(crate::app::input::PATH_MAX),
        allow_incomplete: false,
        field: 0,
        gaps: model.gap_report(),
        stage: ExportStage::Form,
        error: None,
    });
}

/// Swaps a known extension at the end of `path` for the format's.
fn with_extension(path: &str, format: FileFormat) -> String {
    for f in FileFormat::ALL {
        let ext = format!(".{}", f.ext());
        if path.len() > ext.len() && path.to_ascii_lowercase().ends_with(&ext) {
            return format!("{}.{}", &path[..path.len() - ext.len()], format.ext());
        }
    }
    path.to_string()
}

pub(super) fn export_key(
    model: &mut Model,
    command: Option<Command>,
    key: &KeyEvent,
    fx: &mut Vec<Effect>,
) {
    let Mode::Export(view) = &mut model.mode else {
        return;
    };
    match &view.stage {
        ExportStage::Running(_) => {
            if command == Some(Command::Close) {
                view.error = Some(Message::plain(Key::ExportBusy));
            }
            return;
        }
        ExportStage::Done(_) => {
            if matches!(command, Some(Command::Close) | Some(Command::RunExport)) {
                model.mode = Mode::Normal;
            }
            return;
        }
        ExportStage::Failed(_) => {
            match command {
                Some(Command::Close) => model.mode = Mode::Normal,
                Some(Command::RunExport) => view.stage = ExportStage::Form,
                _ => {}
            }
            return;
        }
        ExportStage::Form => {}
    }
    view.error = None;
    let on_path = view.field == 1;
    match command {
        Some(Command::Close) => model.mode = Mode::Normal,
        Some(Command::NextField) => view.field = (view.field + 1) % ExportView::FIELDS,
        Some(Command::PrevField) => {
            view.field = (view.field + ExportView::FIELDS - 1) % ExportView::FIELDS
        }
        Some(Command::Toggle) | Some(Command::CursorRight) if view.field == 0 => {
            view.format = view.format.next();
            view.path = TextInput::new(&with_extension(&view.path.value(), view.format))
                .with_max(crate::app::input::PATH_MAX);
        }
        Some(Command::CursorLeft) if view.field == 0 => {
            view.format = view.format.prev();
            view.path = TextInput::new(&with_extension(&view.path.value(), view.format))
                .with_max(crate::app::input::PATH_MAX);
        }
        Some(Command::Toggle) if view.field == 2 => view.allow_incomplete = !view.allow_incomplete,
        Some(Command::CursorLeft) if on_path => view.path.left(),
        Some(Command::CursorRight) if on_path => view.path.right(),
        Some(Command::DeleteBack) if on_path => view.path.backspace(),
        Some(Command::RunExport) => {
            let path = view.path.value().trim().to_string();
            if path.is_empty() {
                view.error = Some(Message::plain(Key::ExportNoPath));
                view.field = 1;
            } else if !view.gaps.is_complete() && !view.allow_incomplete {
                view.error = Some(Message::plain(Key::ExportRefused));
                view.field = 2;
            } else {
                fx.push(Effect::Export(ExportRequest {
                    format: view.format,
                    path: PathBuf::from(path),
                    allow_incomplete: view.allow_incomplete,
                }));
                view.stage = ExportStage::Running(ExportProgress {
                    phase: crate::app::ExportPhase::Reading,
                    subjects: 0,
                    elapsed_ms: 0,
                });
            }
        }
        _ if on_path && key.code == KeyCode::Delete => view.path.delete(),
        _ if on_path => {
            if let Some(c) = typed(key) {
                // A file name is typed as is: Telex would turn "dd" or "s" into marks.
                view.path.type_char(c, InputMethod::Off);
            }
        }
        _ => {}
    }
}

fn running(model: &mut Model) -> Option<&mut ExportView> {
    match &mut model.mode {
        Mode::Export(view) if matches!(view.stage, ExportStage::Running(_)) => Some(view),
        _ => None,
    }
}

pub(super) fn on_export_progress(model: &mut Model, progress: ExportProgress) {
    if let Some(view) = running(model) {
        view.stage = ExportStage::Running(progress);
    }
}

pub(super) fn on_export_done(model: &mut Model, done: ExportDone) {
    match running(model) {
        Some(view) => view.stage = ExportStage::Done(done),
        None => {
            let message = super::super::reports::export_done_message(&done);
            tell(model, message, false);
        }
    }
}

pub(super) fn on_export_failed(model: &mut Model, error: String) {
    match running(model) {
        Some(view) => view.stage = ExportStage::Failed(error),
        None => {
            say(model, Key::ExportFailed, &[&error], true);
        }
    }
}
