//! The console's views of the review as a whole and of one criterion's past: the summary
//! screen, the export dialog (with its completeness report and progress), the history of a
//! criterion, and the evidence hint of the selected criterion. Plain data here; `update`
//! fills it, the Session performs the exports and audit reads it asks for, the view draws it.
//!
//! Everything is computed from the model's own index (no store access): the summary and the
//! completeness report are one pass over the subjects when the screen opens (measured at
//! province scale, see tests/console_verdict_file.rs), and again when a change arrives while
//! the summary is open.

use std::path::PathBuf;

use crate::domain::hint::{HintResult, hint};
use crate::domain::review::{self, Gap, Incompleteness, Problem, Summary};
use crate::domain::{AuditEvent, Initiative};

use super::{IndexRow, Model, TextInput};

/// The summary screen: a snapshot of `review::summary` over the model's subjects.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryView {
    pub summary: Summary,
    /// Each reviewer's progress (`Model::reviewer_progress`).
    pub reviewers: Vec<crate::domain::assignment::ReviewerProgress>,
}

/// The file formats the export dialog offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileFormat {
    Json,
    Csv,
    /// The council's tables; offered first.
    #[default]
    Xlsx,
}

impl FileFormat {
    /// Every format, in the order the dialog cycles through them.
    pub const ALL: [FileFormat; 3] = [FileFormat::Xlsx, FileFormat::Json, FileFormat::Csv];

    /// The file name extension, which is also the name shown.
    pub fn ext(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The next format in the dialog's cycle.
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// The previous format in the dialog's cycle.
    pub fn prev(self) -> Self {
        let i = Self::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Self::ALL[(i + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}

/// What keeps the review from being complete, as the export dialog reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GapReport {
    pub pending: usize,
    pub needs_explanation: usize,
    pub missing_reason: usize,
    /// The first few gaps: subject id, subject name, criterion id, problem, and the note of
    /// a criterion waiting for an explanation. Those waiting for an explanation come first.
    pub first: Vec<(String, String, String, Problem, String)>,
    /// How many gaps in all.
    pub total: usize,
}

impl GapReport {
    /// How many gaps the dialog lists one per line.
    pub const LISTED: usize = 4;

    pub fn is_complete(&self) -> bool {
        self.total == 0
    }
}

/// The one-line account of a finished export, as a message.
pub fn export_done_message(done: &ExportDone) -> crate::msg::Message {
    crate::msg::Message::new(
        crate::msg::Key::ExportWrote,
        [
            done.path.clone(),
            done.bytes.div_ceil(1024).to_string(),
            done.subjects.to_string(),
            done.qualified.to_string(),
        ],
    )
}

/// The one gap report: the counts of `gaps`, and its first `listed` gaps with the subjects
/// waiting for an explanation first, each with its note (line breaks as spaces), then the rest
/// in roster and criterion order. `name_of` gives a subject's name by id and `note_of` a gap's
/// verdict note; the console reads them from its index, `thidua export` from its snapshot.
pub fn gap_report(
    gaps: &Incompleteness,
    listed: usize,
    name_of: impl Fn(&str) -> Option<String>,
    note_of: impl Fn(&Gap) -> Option<String>,
) -> GapReport {
    let waiting = gaps
        .gaps
        .iter()
        .filter(|g| g.problem == Problem::NeedsExplanation);
    let others = gaps
        .gaps
        .iter()
        .filter(|g| g.problem != Problem::NeedsExplanation);
    let first = waiting
        .chain(others)
        .take(listed)
        .map(|g| {
            let note = match g.problem {
                Problem::NeedsExplanation => note_of(g)
                    .map(|n| n.replace(['\n', '\r'], " "))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            (
                g.subject.clone(),
                name_of(&g.subject).unwrap_or_default(),
                g.criterion.clone(),
                g.problem,
                note,
            )
        })
        .collect();
    GapReport {
        pending: gaps.pending,
        needs_explanation: gaps.needs_explanation,
        missing_reason: gaps.missing_reason,
        first,
        total: gaps.gaps.len(),
    }
}

/// Where the export dialog is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportStage {
    /// Choosing the format and the file.
    Form,
    /// The Session is writing the file.
    Running(ExportProgress),
    Done(ExportDone),
    Failed(String),
}

/// The export dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportView {
    pub format: FileFormat,
    pub path: TextInput,
    /// Ticked by the reviewer to write a file that says it is incomplete.
    pub allow_incomplete: bool,
    /// 0: format, 1: file, 2: "export anyway".
    pub field: usize,
    pub gaps: GapReport,
    pub stage: ExportStage,
    /// Why the last Enter did not export.
    pub error: Option<crate::msg::Message>,
}

impl ExportView {
    pub const FIELDS: usize = 3;
}

/// What `Effect::Export` asks the Session to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub format: FileFormat,
    /// As typed: absolute, or relative to the console's current folder.
    pub path: PathBuf,
    pub allow_incomplete: bool,
}

/// The phase an export is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportPhase {
    /// Reading subjects, verdicts, initiatives (and for XLSX the audit trail).
    Reading,
    /// Writing the file.
    Writing,
}

/// How far an export has come, as the Session reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportProgress {
    pub phase: ExportPhase,
    /// Subjects in the snapshot being written (0 while reading).
    pub subjects: usize,
    /// Time since the export started, measured by the Session.
    pub elapsed_ms: u64,
}

/// What a finished export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDone {
    pub path: String,
    pub bytes: u64,
    pub subjects: usize,
    pub qualified: usize,
    /// Written with gaps, after the reviewer chose to export anyway.
    pub incomplete: bool,
}

/// The history overlay of one criterion of one subject.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryView {
    pub subject: String,
    pub criterion: String,
    /// `None` until the Session has read the audit trail.
    pub events: Option<Vec<AuditEvent>>,
    pub error: Option<crate::msg::Message>,
    /// The selected event (oldest first); the view keeps it on screen.
    pub selected: usize,
}

/// The Session's answer to `Effect::LoadHistory`: the verdict events of that criterion, in
/// order, or why they could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryLoaded {
    pub subject: String,
    pub criterion: String,
    pub events: Result<Vec<AuditEvent>, String>,
}

impl Model {
    /// The evidence hint of criterion `c` of subject `i` (index entries), computed from the
    /// roster and the subject's own initiatives as the model holds them now, so a recognition
    /// made in this session shows at once.
    pub fn hint_for(&self, i: usize, c: usize) -> Option<HintResult> {
        let e = self.index.entries.get(i)?;
        let criterion = self.group_of(e)?.criteria.get(c)?;
        criterion.hint.as_ref()?;
        let own: Vec<Initiative> = self
            .index
            .initiatives_of(&e.subject.id)
            .iter()
            .map(|&k| self.index.initiatives[k].clone())
            .collect();
        hint(&self.campaign, criterion, &e.subject, &own, self.lang)
    }

    /// The evidence hint of the selected criterion of the current subject.
    pub fn current_hint(&self) -> Option<HintResult> {
        self.hint_for(self.current()?, self.crit_sel)
    }

    /// Every subject's row, borrowed from the index in roster order.
    fn rows(&self) -> impl Iterator<Item = IndexRow<'_>> {
        (0..self.index.entries.len()).map(|i| self.index.row(i))
    }

    /// The summary statistics of the whole review (one pass over the subjects).
    pub fn review_summary(&self) -> Summary {
        review::summary_of(&self.campaign, self.rows())
    }

    /// What still keeps the review from being complete (one pass over the subjects).
    pub fn gap_report(&self) -> GapReport {
        let gaps = review::incompleteness_of(&self.campaign, self.rows());
        gap_report(
            &gaps,
            GapReport::LISTED,
            |id| {
                self.index
                    .of_id(id)
                    .map(|i| self.index.entries[i].subject.name.clone())
            },
            |g| {
                let i = self.index.of_id(&g.subject)?;
                let e = self.index.entries.get(i)?;
                let c = self.group_of(e)?.index_of(&g.criterion)?;
                self.index.verdict(i, c).map(|v| v.note.to_string())
            },
        )
    }
}
