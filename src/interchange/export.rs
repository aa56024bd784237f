//! The verdict file for the council: one snapshot of the review written as JSON (for scripts,
//! schema in docs/verdicts.schema.json), CSV (one row per subject × criterion, for spreadsheets)
//! or XLSX (the council's tables, laid out as administrative documents), and the draft
//! submission letter (tờ trình) as DOCX. The formats are documented in docs/EXPORT.md.
//!
//! All three writers read the same `Snapshot`, built from the store's data by the caller, so
//! this module never touches sled. Order is deterministic: roster order, criteria in campaign
//! order, initiatives in import order. Before writing, the snapshot's gaps (pending,
//! needs-explanation, not met without reason) are checked: an incomplete export is refused
//! unless explicitly allowed, and then the file says so itself. The file is written with
//! `crate::files::write_atomically` (a temporary file in the same folder, synced, moved into
//! place, the folder synced), so a reader never sees a half-written file, a failed export
//! leaves nothing behind, and with `Mode::CreateNew` an existing file is never replaced.

pub mod council;
pub mod csv;
pub mod docx;
pub mod json;
pub mod xlsx;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use crate::domain::review::{self, Incompleteness, Reviewed};
use crate::domain::{
    AuditEvent, Campaign, Claim, Group, Initiative, Outcome, Subject, Verdict, vietnam,
};
use crate::files::{Kind, Mode};

/// The `format` value of a JSON verdict file.
pub(crate) const FORMAT: &str = "thidua-verdicts";
/// The version of the verdict file layout; bumped only on an incompatible change.
pub(crate) const VERSION: u32 = 1;

/// The file formats a verdict file can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
    /// The draft submission letter (tờ trình) to the council.
    Docx,
}

impl Format {
    /// Guesses the format from a file name's extension (case-insensitive).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            "docx" => Some(Self::Docx),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Docx => "docx",
        }
    }
}

/// Everything an export reads: the review joined into rows, outcomes, gaps, initiatives and
/// (for XLSX) the audit trail.
pub struct Snapshot {
    pub campaign: Campaign,
    pub rows: Vec<Reviewed>,
    pub outcomes: Vec<Outcome>,
    pub gaps: Incompleteness,
    pub initiatives: Vec<Initiative>,
    /// The audit trail in order; may be empty when the format does not show it.
    pub audit: Vec<AuditEvent>,
    /// The change journal's head the data was read at, so the file names the exact state
    /// behind it; set by the reader (`Snapshot::new` leaves it unset).
    pub journal: Option<JournalHead>,
    by_id: HashMap<String, usize>,
    owned: HashMap<String, Vec<usize>>,
    /// The self-assessment claims (tự đánh giá) by (row, criterion index); empty unless
    /// `set_claims` is called.
    claims: HashMap<(usize, u16), Claim>,
}

impl Snapshot {
    /// Builds a snapshot from the store's vectors (`Store::subjects`, `Store::verdicts`,
    /// `Store::initiatives`, `Store::audit`).
    pub fn new(
        campaign: Campaign,
        subjects: Vec<(u32, Subject)>,
        verdicts: Vec<(u32, u16, Verdict)>,
        initiatives: Vec<Initiative>,
        audit: Vec<AuditEvent>,
    ) -> Snapshot {
        let rows = review::assemble(&campaign, subjects, verdicts);
        let outcomes = review::outcomes(&campaign, &rows);
        let gaps = review::incompleteness(&campaign, &rows);
        let by_id = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.subject.id.clone(), i))
            .collect();
        let mut owned: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, init) in initiatives.iter().enumerate() {
            owned.entry(init.owner.clone()).or_default().push(i);
        }
        Snapshot {
            campaign,
            rows,
            outcomes,
            gaps,
            initiatives,
            audit,
            journal: None,
            by_id,
            owned,
            claims: HashMap::new(),
        }
    }

    /// Adds the self-assessment claims, as (subject id, criterion index in its group, claim);
    /// claims of subjects not in the snapshot are ignored.
    pub(crate) fn set_claims(&mut self, claims: impl IntoIterator<Item = (String, u16, Claim)>) {
        for (id, c, claim) in claims {
            if let Some(&row) = self.by_id.get(&id) {
                self.claims.insert((row, c), claim);
            }
        }
    }

    /// What the subject of row `row` claimed for its criterion `c`.
    pub fn claim(&self, row: usize, c: usize) -> Option<&Claim> {
        self.claims.get(&(row, u16::try_from(c).ok()?))
    }

    /// Whether any subject has a claim.
    pub(crate) fn has_claims(&self) -> bool {
        !self.claims.is_empty()
    }

    /// The subject with this id.
    pub fn subject(&self, id: &str) -> Option<&Subject> {
        self.by_id.get(id).map(|&i| &self.rows[i].subject)
    }

    /// The name of the subject with this id.
    pub(crate) fn name_of(&self, id: &str) -> Option<&str> {
        self.subject(id).map(|s| s.name.as_str())
    }

    /// The initiatives a subject owns, in import order.
    pub(crate) fn initiatives_of<'a>(
        &'a self,
        id: &str,
    ) -> impl Iterator<Item = &'a Initiative> + 'a {
        self.owned
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.initiatives[i])
    }

    /// The criteria group of a row, if its tier is known.
    pub(crate) fn group_of(&self, row: &Reviewed) -> Option<&Group> {
        self.campaign.group_of_tier(&row.subject.tier)
    }
}

/// The last record of the database's change journal: its sequence number and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalHead {
    pub sequence: u64,
    pub sha256: String,
}

/// Who exports, when, and whether gaps are allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportMeta {
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    /// Write even when the review has gaps; the file then says it is incomplete.
    pub allow_incomplete: bool,
}

/// The submission letter (tờ trình) the documents belong to: its number and date, printed in
/// the letter's head and in the lists' "(Kèm theo Tờ trình số … ngày …)". Unset parts are
/// printed as dotted blanks for the secretary to fill in by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Submission {
    /// "15/TTr-HĐTĐKT", or "15" (the campaign file's `letter_symbol` is added).
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub subjects: usize,
    pub qualified: usize,
    /// Whether the file was written with gaps (only with `allow_incomplete`).
    pub incomplete: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The review has gaps and they were not allowed; nothing was written.
    #[error("the review is incomplete ({} gaps); nothing was written", .0.gaps.len())]
    Incomplete(Box<Incompleteness>),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: is a folder; give a file name such as verdicts.xlsx", .0.display())]
    IsFolder(PathBuf),
    #[error("{}: could not build the spreadsheet: {message}", path.display())]
    Xlsx { path: PathBuf, message: String },
}

/// Checks the gaps, then writes the snapshot to `out` atomically, replacing an existing file;
/// the council's documents get dotted blanks for the submission letter's number and date.
pub fn export(
    snapshot: &Snapshot,
    format: Format,
    out: &Path,
    meta: &ExportMeta,
) -> Result<ExportReport, ExportError> {
    export_with(
        snapshot,
        format,
        out,
        meta,
        &Submission::default(),
        Mode::Replace,
    )
}

/// `export`, naming the submission letter the documents belong to. With `Mode::CreateNew` an
/// existing `out`, even one made by another export at the same moment, is never replaced
/// (the error is then an `Io` error of kind `AlreadyExists`).
pub fn export_with(
    snapshot: &Snapshot,
    format: Format,
    out: &Path,
    meta: &ExportMeta,
    submission: &Submission,
    mode: Mode,
) -> Result<ExportReport, ExportError> {
    if !snapshot.gaps.is_complete() && !meta.allow_incomplete {
        return Err(ExportError::Incomplete(Box::new(snapshot.gaps.clone())));
    }
    if out.is_dir() || out.file_name().is_none() {
        return Err(ExportError::IsFolder(out.to_path_buf()));
    }
    let written = crate::files::write_atomically(out, mode, Kind::Shared, |file| match format {
        Format::Json => json::write(snapshot, meta, file).map_err(Failure::Io),
        Format::Csv => csv::write(snapshot, file).map_err(Failure::Io),
        Format::Xlsx => xlsx::write(snapshot, meta, submission, file),
        Format::Docx => docx::write(snapshot, meta, submission, file),
    });
    let bytes = written.map_err(|f| f.naming(out))?;
    Ok(ExportReport {
        path: out.to_path_buf(),
        bytes,
        subjects: snapshot.rows.len(),
        qualified: snapshot
            .outcomes
            .iter()
            .filter(|o| **o == Outcome::Qualified)
            .count(),
        incomplete: !snapshot.gaps.is_complete(),
    })
}

/// Writes the snapshot to `sink`, a stream such as an SSH channel, rather than to a file:
/// the gaps are checked first, so a refused export writes nothing at all. JSON and CSV go to
/// `sink` as they are produced (a slow `sink` holds the writer back; nothing grows). XLSX and
/// DOCX are zip archives, whose writers need to seek: they are built in a private temporary
/// file (unlinked at once, so nothing is left behind and nobody else can open it), then copied
/// to `sink` in chunks. `shown` names the target in errors. Returns the bytes written.
pub fn stream(
    snapshot: &Snapshot,
    format: Format,
    sink: &mut dyn std::io::Write,
    meta: &ExportMeta,
    submission: &Submission,
    shown: &Path,
) -> Result<u64, ExportError> {
    if !snapshot.gaps.is_complete() && !meta.allow_incomplete {
        return Err(ExportError::Incomplete(Box::new(snapshot.gaps.clone())));
    }
    let mut counted = Counted {
        inner: sink,
        bytes: 0,
    };
    let written = match format {
        Format::Json => json::write(snapshot, meta, &mut counted).map_err(Failure::Io),
        Format::Csv => csv::write(snapshot, &mut counted).map_err(Failure::Io),
        Format::Xlsx | Format::Docx => (|| -> Result<(), Failure> {
            let mut file = tempfile::tempfile()?;
            match format {
                Format::Xlsx => xlsx::write(snapshot, meta, submission, &mut file)?,
                _ => docx::write(snapshot, meta, submission, &mut file)?,
            }
            use std::io::Seek;
            file.rewind()?;
            std::io::copy(&mut file, &mut counted)?;
            Ok(())
        })(),
    };
    written.map_err(|f| f.naming(shown))?;
    std::io::Write::flush(&mut counted).map_err(|e| Failure::Io(e).naming(shown))?;
    Ok(counted.bytes)
}

/// A writer that counts what goes through it.
struct Counted<'a> {
    inner: &'a mut dyn std::io::Write,
    bytes: u64,
}

impl std::io::Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Why a writer failed; turned into an `ExportError` naming the target file.
#[derive(Debug)]
pub(crate) enum Failure {
    Io(std::io::Error),
    Xlsx(String),
    Docx(String),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e)
    }
}

impl Failure {
    /// The error of writing `out`.
    fn naming(self, out: &Path) -> ExportError {
        let io = |source| ExportError::Io {
            path: out.to_path_buf(),
            source,
        };
        match self {
            Failure::Io(e) => io(e),
            Failure::Xlsx(message) => ExportError::Xlsx {
                path: out.to_path_buf(),
                message,
            },
            // A letter that cannot be packed is a write failure of that file (zip or IO).
            Failure::Docx(message) => io(std::io::Error::other(format!(
                "could not build the letter: {message}"
            ))),
        }
    }
}

/// A moment as RFC 3339 in Vietnam time, e.g. 2021-09-01T09:00:00+07:00.
pub(crate) fn rfc3339_vietnam(t: DateTime<Utc>) -> String {
    t.with_timezone(&vietnam())
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}
