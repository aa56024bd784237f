//! The words of a self-assessment import (tự đánh giá): what `interchange::self_assessment`
//! found, put into the catalogue's messages in both languages, and the summary with the shape
//! found and why.

use crate::domain::{ClaimRefusal, Lang, VerdictValue};
use crate::i18n::{Key, fill, tr, word_told};
use crate::interchange::plan::Report;
use crate::interchange::self_assessment::{Found, Issue, Read, ReadError, Shape};
use crate::interchange::table::{self, ImportError, Msg, Problem, msg, msgs};

/// A claim value as the summary shows it: Đạt / Không đạt / 8,5 or Met / Not met / 8.5.
pub(crate) fn value_text(value: VerdictValue, lang: Lang) -> String {
    match value {
        VerdictValue::Score(p) => p.show(lang),
        VerdictValue::Met => tr(lang, Key::SaMet).to_string(),
        VerdictValue::NotMet => tr(lang, Key::SaNotMet).to_string(),
        VerdictValue::Pending => tr(lang, Key::PendingShort).to_string(),
        VerdictValue::NeedsExplanation => tr(lang, Key::NeedsExplanationShort).to_string(),
    }
}

/// Why the shape was chosen, as printed under the summary's first line.
pub fn reason(shape: &Shape, lang: Lang) -> String {
    match shape {
        Shape::Long { header } => fill(lang, Key::SaShapeLong, &[&word_told(lang, &header.text())]),
        Shape::Wide {
            header,
            by_name,
            criteria,
        } => {
            let how = tr(lang, if *by_name { Key::SaByName } else { Key::SaById });
            let mut list: Vec<&str> = criteria.iter().map(String::as_str).take(12).collect();
            if criteria.len() > 12 {
                list.push("…");
            }
            fill(
                lang,
                Key::SaShapeWide,
                &[
                    &word_told(lang, &header.text()),
                    how,
                    &criteria.len().to_string(),
                    &list.join(", "),
                ],
            )
        }
    }
}

/// The summary with the shape's reason under its first line.
pub fn render(report: &Report, shape: &Shape, lang: Lang) -> String {
    let text = super::summary::render(report, lang);
    let (head, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let mut out = format!("{head}\n{}", reason(shape, lang));
    if !rest.is_empty() {
        out.push('\n');
        out.push_str(rest);
    }
    out
}

/// A file that could not be read, in words: the "no header" error says what a wide header
/// would need too.
pub(crate) fn read_error(e: ReadError) -> ImportError {
    match e {
        ReadError::File(e) => e,
        ReadError::NoShape {
            mut error,
            by_id,
            by_name,
            criteria,
        } => {
            let wide = msg(
                Key::SaNoWideHeader,
                &[&by_id, &by_name, &criteria.join(", ")],
            );
            if let Some(p) = error.problems.first_mut() {
                p.message = table::cat([p.message.clone().into(), wide.into()]);
            }
            error
        }
    }
}

/// The problems of a file's rows, in words, each naming its row and column.
pub(crate) fn rows_error(read: &Read, found: Vec<Found>) -> ImportError {
    let mut problems: Vec<Problem> = found
        .into_iter()
        .map(|f| Problem::at(&f.at, Some(&f.field), issue(f.issue)))
        .collect();
    read.table.name_columns(&mut problems);
    ImportError {
        file: read.table.file.clone(),
        problems,
    }
}

fn issue(issue: Issue) -> Msg {
    match issue {
        Issue::SubjectEmpty => msg(Key::SaSubjectEmpty, &[]),
        Issue::SubjectAmbiguous { name, count, ids } => msg(
            Key::SaSubjectAmbiguous,
            &[&table::shown(&name), &count.to_string(), &ids.join(", ")],
        ),
        Issue::SubjectUnknown { name } => msg(Key::SaSubjectUnknown, &[&table::shown(&name)]),
        Issue::NotForSubject {
            criterion,
            subject,
            criteria,
        } => msg(
            Key::SaNotForSubject,
            &[&criterion, &subject, &criteria.join(", ")],
        ),
        Issue::Duplicate {
            subject,
            criterion,
            earlier,
        } => msgs(
            Key::SaDuplicate,
            &[&subject.into(), &criterion.into(), &earlier.text()],
        ),
        Issue::DuplicateSubject { subject, earlier } => {
            msgs(Key::SaDuplicateSubject, &[&subject.into(), &earlier.text()])
        }
        Issue::CriterionEmpty { criteria } => msg(Key::SaCriterionEmpty, &[&criteria.join(", ")]),
        Issue::CriterionUnknown { name, criteria } => msg(
            Key::SaCriterionUnknown,
            &[&table::shown(&name), &criteria.join(", ")],
        ),
        Issue::Value {
            criterion,
            cell,
            why,
            max,
        } => {
            let shown = table::shown(&cell);
            match why {
                ClaimRefusal::NotPassFail => msg(Key::SaNotPassFail, &[&shown, &criterion]),
                ClaimRefusal::NotPoints => msg(
                    Key::SaNotPoints,
                    &[&shown, &criterion, &max.unwrap_or(0).to_string()],
                ),
                ClaimRefusal::AboveMax(max) => {
                    msg(Key::SaAboveMax, &[&shown, &max.to_string(), &criterion])
                }
                ClaimRefusal::OffStep(step) => {
                    msg(Key::SaOffStep, &[&shown, &step.to_string(), &criterion])
                }
            }
        }
        Issue::Text(m) => m,
    }
}
