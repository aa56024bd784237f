//! Work a Session does for the console beyond single commits, each on its own thread so the
//! screen keeps answering: the verdict file export (a province-scale XLSX takes seconds) and
//! the audit history of one criterion (a scan of the whole audit trail, about half a second at
//! province scale). Both answer with `Msg`s collected by `Session::poll_changes`, which every
//! driver already calls, so the local terminal and SSH channels show them alike. The export reads and writes exactly as `thidua export` does
//! (`commands::export::snapshot`, `interchange::export::export`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Instant;

use chrono::Utc;

use crate::app::{
    ExportDone, ExportPhase, ExportProgress, ExportRequest, FileFormat, HistoryLoaded, Msg,
};
use crate::domain::{AuditAction, Lang};
use crate::i18n::{Key, fill};
use crate::interchange::export::{self, ExportError, ExportMeta, Format, Snapshot};
use crate::store::Store;

/// What the export thread reports.
enum Event {
    Writing { subjects: usize },
    Done(ExportDone),
    Failed(String),
}

/// An export running on its own thread.
pub(crate) struct ExportJob {
    rx: Receiver<Event>,
    started: Instant,
    phase: ExportPhase,
    subjects: usize,
}

fn format_of(f: FileFormat) -> Format {
    match f {
        FileFormat::Json => Format::Json,
        FileFormat::Csv => Format::Csv,
        FileFormat::Xlsx => Format::Xlsx,
    }
}

/// An export error in the UI language, naming the file.
fn describe(e: &ExportError, lang: Lang) -> String {
    match e {
        ExportError::Incomplete(gaps) => fill(
            lang,
            Key::ExportIncompleteNow,
            &[&gaps.gaps.len().to_string()],
        ),
        ExportError::IsFolder(p) => fill(lang, Key::ExportIsFolder, &[&p.display().to_string()]),
        ExportError::Io { path, source } if source.kind() == std::io::ErrorKind::AlreadyExists => {
            fill(lang, Key::ExportExists, &[&path.display().to_string()])
        }
        ExportError::Io { path, source } => fill(
            lang,
            Key::ExportCannotWrite,
            &[&path.display().to_string(), &source.to_string()],
        ),
        ExportError::Xlsx { path, message } => fill(
            lang,
            Key::ExportCannotWrite,
            &[&path.display().to_string(), message],
        ),
    }
}

/// Accepts only a plain file name that does not exist yet in the current folder.
fn confined(path: &Path, lang: Lang) -> Result<(), String> {
    use std::path::Component;
    let plain = matches!(
        path.components().collect::<Vec<_>>().as_slice(),
        [Component::Normal(name)] if !name.to_string_lossy().starts_with('.')
    );
    if !plain {
        return Err(fill(
            lang,
            Key::ExportPlainName,
            &[&path.display().to_string()],
        ));
    }
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(fill(
            lang,
            Key::ExportExists,
            &[&path.display().to_string()],
        ));
    }
    Ok(())
}

/// One consistent snapshot of the store for an export; the audit trail is read only when the
/// format shows it (XLSX).
pub fn snapshot(store: &Store, format: Format) -> crate::store::Result<Snapshot> {
    // Read with commits held back, so the journal head names exactly this state.
    let ((mut snap, claims, ids), head) = store.at_head(|| {
        let audit = match format {
            Format::Xlsx => store.audit(None)?,
            Format::Json | Format::Csv | Format::Docx => Vec::new(),
        };
        let subjects = store.subjects()?;
        let ids: std::collections::HashMap<u32, String> =
            subjects.iter().map(|(no, s)| (*no, s.id.clone())).collect();
        let claims = store.claims()?;
        let snap = Snapshot::new(
            store.campaign().clone(),
            subjects,
            store.verdicts()?,
            store.initiatives()?,
            audit,
        );
        Ok((snap, claims, ids))
    })?;
    snap.journal = head.map(|(sequence, sha256)| export::JournalHead { sequence, sha256 });
    snap.set_claims(
        claims
            .into_iter()
            .filter_map(|(no, c, claim)| Some((ids.get(&no)?.clone(), c, claim))),
    );
    Ok(snap)
}

/// Reads the snapshot and writes the file; every outcome is sent as an `Event`.
fn run(
    store: &Store,
    request: &ExportRequest,
    path: &Path,
    reviewer: String,
    lang: Lang,
    tx: &mpsc::Sender<Event>,
) -> Event {
    let format = format_of(request.format);
    let snap = match snapshot(store, format) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("reading the store for an export failed: {e}");
            return Event::Failed(e.to_string());
        }
    };
    let _ = tx.send(Event::Writing {
        subjects: snap.rows.len(),
    });
    let meta = ExportMeta {
        exported_at: Utc::now(),
        exported_by: reviewer,
        allow_incomplete: request.allow_incomplete,
    };
    // Never replaces a file: another console (or `thidua export`) may have taken the name
    // since the dialog checked it.
    let written = export::export_with(
        &snap,
        format,
        path,
        &meta,
        &export::Submission::default(),
        crate::files::Mode::CreateNew,
    );
    match written {
        Ok(report) => {
            tracing::info!(
                "{} exported {} ({} bytes, {}{})",
                meta.exported_by,
                report.path.display(),
                report.bytes,
                format.name(),
                if report.incomplete {
                    ", incomplete"
                } else {
                    ""
                }
            );
            Event::Done(ExportDone {
                path: report.path.display().to_string(),
                bytes: report.bytes,
                subjects: report.subjects,
                qualified: report.qualified,
                incomplete: report.incomplete,
            })
        }
        Err(e) => {
            tracing::warn!("export to {} failed: {e}", path.display());
            Event::Failed(describe(&e, lang))
        }
    }
}

impl ExportJob {
    /// Starts the export on a new thread. A relative path is made absolute against the
    /// current folder first, so the result names the file in full.
    pub fn start(
        store: Arc<Store>,
        request: ExportRequest,
        reviewer: String,
        lang: Lang,
    ) -> Result<ExportJob, String> {
        let path: PathBuf = std::path::absolute(&request.path).map_err(|e| {
            fill(
                lang,
                Key::ExportCannotWrite,
                &[&request.path.display().to_string(), &e.to_string()],
            )
        })?;
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let last = run(&store, &request, &path, reviewer, lang, &tx);
                let _ = tx.send(last);
            })
            .map_err(|e| e.to_string())?;
        Ok(ExportJob {
            rx,
            started: Instant::now(),
            phase: ExportPhase::Reading,
            subjects: 0,
        })
    }

    /// The messages for the model since the last poll: the progress now, or the result; and
    /// whether the export has finished.
    pub(crate) fn poll(&mut self) -> (Vec<Msg>, bool) {
        loop {
            match self.rx.try_recv() {
                Ok(Event::Writing { subjects }) => {
                    self.phase = ExportPhase::Writing;
                    self.subjects = subjects;
                }
                Ok(Event::Done(done)) => return (vec![Msg::ExportDone(done)], true),
                Ok(Event::Failed(e)) => return (vec![Msg::ExportFailed(e)], true),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    tracing::error!("the export thread ended without a result");
                    return (
                        vec![Msg::ExportFailed("the export stopped unexpectedly".into())],
                        true,
                    );
                }
            }
        }
        let elapsed_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let progress = ExportProgress {
            phase: self.phase,
            subjects: self.subjects,
            elapsed_ms,
        };
        (vec![Msg::ExportProgress(progress)], false)
    }
}

/// The Session's background work: at most one export, and any number of history reads.
pub(crate) struct Jobs {
    export: Option<ExportJob>,
    /// Whether an export may go to any path (the local terminal, whose user owns the files
    /// anyway). Otherwise (SSH sessions, the default) only a plain new file name in the
    /// server's current folder is accepted: a remote reviewer must not be able to write or
    /// replace arbitrary files on the server.
    pub anywhere: bool,
    tx: mpsc::Sender<Msg>,
    rx: Receiver<Msg>,
    /// History reads started and not yet answered.
    reading: usize,
}

impl Default for Jobs {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        Jobs {
            export: None,
            anywhere: false,
            tx,
            rx,
            reading: 0,
        }
    }
}

impl Jobs {
    /// Whether an export is running.
    pub fn exporting(&self) -> bool {
        self.export.is_some()
    }

    /// Whether anything is still running.
    pub fn busy(&self) -> bool {
        self.export.is_some() || self.reading > 0
    }

    /// Starts an export; the answer is a message when it cannot start.
    pub(crate) fn start_export(
        &mut self,
        store: Arc<Store>,
        request: ExportRequest,
        reviewer: String,
        lang: Lang,
    ) -> Option<Msg> {
        if self.export.is_some() {
            return Some(Msg::ExportFailed(
                crate::i18n::tr(lang, Key::ExportBusy).to_string(),
            ));
        }
        if !self.anywhere
            && let Err(e) = confined(&request.path, lang)
        {
            return Some(Msg::ExportFailed(e));
        }
        match ExportJob::start(store, request, reviewer, lang) {
            Ok(job) => {
                self.export = Some(job);
                None
            }
            Err(e) => Some(Msg::ExportFailed(e)),
        }
    }

    /// Reads a criterion's history on its own thread (or here, if no thread can start).
    pub(crate) fn start_history(&mut self, store: Arc<Store>, subject: String, criterion: String) {
        let tx = self.tx.clone();
        let spawned = std::thread::Builder::new()
            .name("history".into())
            .spawn(move || {
                let _ = tx.send(history(&store, subject, criterion));
            });
        match spawned {
            Ok(_) => self.reading += 1,
            Err(e) => {
                tracing::error!("cannot start a thread to read the history: {e}");
            }
        }
    }

    /// Everything that arrived since the last poll, for the model.
    pub(crate) fn poll(&mut self) -> Vec<Msg> {
        let mut out: Vec<Msg> = Vec::new();
        while let Ok(msg) = self.rx.try_recv() {
            self.reading = self.reading.saturating_sub(1);
            out.push(msg);
        }
        if let Some(job) = &mut self.export {
            let (msgs, finished) = job.poll();
            if finished {
                self.export = None;
            }
            out.extend(msgs);
        }
        out
    }
}

/// The verdict events of one criterion of one subject, oldest first, as `Msg::History`.
pub fn history(store: &Store, subject: String, criterion: String) -> Msg {
    let events = match store.audit(Some(&subject)) {
        Ok(all) => Ok(all
            .into_iter()
            .filter(|e| {
                matches!(&e.action, AuditAction::Verdict { criterion: c, .. } if *c == criterion)
            })
            .collect()),
        Err(e) => {
            tracing::error!("reading the audit trail of {subject} failed: {e}");
            Err(e.to_string())
        }
    };
    Msg::History(Box::new(HistoryLoaded {
        subject,
        criterion,
        events,
    }))
}
