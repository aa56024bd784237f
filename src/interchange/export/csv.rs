//! The CSV verdict file: one row per subject × criterion, for spreadsheets and scripts. UTF-8
//! with a BOM (so Excel reads Vietnamese right), RFC 4180 quoting, CRLF line ends.
//!
//! A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be taken by a
//! spreadsheet as a formula (quoting does not prevent it), so such a cell gets a leading `'`.
//! CSV has no place for a comment, so completeness travels in two columns on every row: `gap`
//! names what is missing for that row (empty when nothing is) and `export_complete` is `yes` or
//! `no` for the whole file. Byte-identical for the same data: it holds no export time.

use std::borrow::Cow;
use std::io::Write;

use super::Snapshot;
use crate::domain::review::{labels, problem_of};
use crate::domain::{Lang, VerdictValue, format_time};

/// The header row, stable across versions (new columns are only ever appended).
/// `points_total`, `max_total` and `qualifying_total` are empty for pass/fail groups;
/// `points_total` is also empty, never 0, for a subject not fully scored.
/// `self_assessment` is the subject's claim for the criterion (`met`, `not_met` or the points
/// claimed, e.g. `8.5`) and `self_assessment_evidence` its evidence note; both empty when
/// there is no claim. `self_assessment_vi` is the same claim in Vietnamese words, as
/// `verdict_vi` is for `verdict` (`Đạt`, `Không đạt`, or the points, e.g. `8,5 điểm`).
pub const HEADER: [&str; 21] = [
    "subject_id",
    "subject_name",
    "tier",
    "parent",
    "criterion",
    "criterion_title",
    "verdict_vi",
    "verdict",
    "score",
    "note",
    "reviewer",
    "decided_at",
    "outcome",
    "gap",
    "export_complete",
    "points_total",
    "max_total",
    "qualifying_total",
    "self_assessment",
    "self_assessment_evidence",
    "self_assessment_vi",
];

/// Prefixes `'` to text a spreadsheet would otherwise run as a formula.
pub(crate) fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Writes the CSV verdict file.
pub(super) fn write<W: Write>(snap: &Snapshot, file: &mut W) -> std::io::Result<()> {
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, file);
    buf.write_all("\u{feff}".as_bytes())?;
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(&mut buf);
    w.write_record(HEADER)?;
    let complete = if snap.gaps.is_complete() { "yes" } else { "no" };
    for (r, (row, outcome)) in snap.rows.iter().zip(&snap.outcomes).enumerate() {
        let Some(group) = snap.group_of(row) else {
            continue;
        };
        let s = &row.subject;
        let (total, max, need) = if group.is_points() {
            (
                crate::domain::review::points_total(group, row)
                    .map_or(String::new(), |t| t.to_string()),
                crate::domain::outcome::points_max(group).to_string(),
                group
                    .qualifying_total
                    .map_or(String::new(), |q| q.to_string()),
            )
        } else {
            Default::default()
        };
        for (i, (c, v)) in group.criteria.iter().zip(&row.verdicts).enumerate() {
            let value = v.as_ref().map_or(VerdictValue::Pending, |v| v.value);
            let decided = value != VerdictValue::Pending;
            let score = match value {
                VerdictValue::Score(n) => n.to_string(),
                _ => String::new(),
            };
            let (reviewer, time) = match v {
                Some(v) if decided => (v.reviewer.as_str(), format_time(v.decided_at)),
                _ => ("", String::new()),
            };
            let note = v.as_ref().map_or("", |v| v.note.as_str());
            let gap = problem_of(v.as_ref().map(|v| v.as_ref())).map_or("", |p| p.code());
            let claim = snap.claim(r, i);
            let claimed = match claim.map(|c| c.value) {
                Some(VerdictValue::Score(n)) => n.to_string(),
                Some(v) => v.code().to_string(),
                None => String::new(),
            };
            let evidence = claim.map_or("", |c| c.evidence.as_str());
            let claimed_vi = claim.map_or(String::new(), |c| labels::verdict(c.value, Lang::Vi));
            let record: [Cow<'_, str>; 21] = [
                neutralise(&s.id),
                neutralise(&s.name),
                neutralise(&s.tier),
                neutralise(s.parent.as_deref().unwrap_or("")),
                neutralise(&c.id),
                neutralise(&c.title_vi),
                Cow::Owned(labels::verdict(value, Lang::Vi)),
                Cow::Borrowed(value.code()),
                Cow::Owned(score),
                neutralise(note),
                neutralise(reviewer),
                Cow::Owned(time),
                Cow::Borrowed(outcome.code()),
                Cow::Borrowed(gap),
                Cow::Borrowed(complete),
                Cow::Borrowed(&total),
                Cow::Borrowed(&max),
                Cow::Borrowed(&need),
                Cow::Owned(claimed),
                neutralise(evidence),
                Cow::Owned(claimed_vi),
            ];
            w.write_record(record.iter().map(|c| c.as_bytes()))?;
        }
    }
    w.flush()?;
    drop(w);
    buf.flush()
}
