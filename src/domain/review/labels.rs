//! Words for verdicts, outcomes, gaps, causes and initiative states in Vietnamese and English,
//! and a one-line readable description of an audit event. Shared by the CLI, the exports and
//! the console so the same thing is always called the same. Descriptions pass every piece of
//! user text through `text::clean`, so they are safe to print on a terminal.

use super::Problem;
use crate::domain::{
    AuditAction, AuditEvent, Cause, Initiative, InitiativeStatus, Lang, Outcome, Scope,
    VerdictValue, format_date,
};
use crate::text::clean;

/// Đạt / Không đạt / Cần giải trình / Chưa đánh giá, or a score in points.
pub fn verdict(v: VerdictValue, lang: Lang) -> String {
    let word = match (v, lang) {
        (VerdictValue::Pending, Lang::Vi) => "Chưa đánh giá",
        (VerdictValue::Met, Lang::Vi) => "Đạt",
        (VerdictValue::NotMet, Lang::Vi) => "Không đạt",
        (VerdictValue::NeedsExplanation, Lang::Vi) => "Cần giải trình",
        (VerdictValue::Pending, Lang::En) => "Pending",
        (VerdictValue::Met, Lang::En) => "Met",
        (VerdictValue::NotMet, Lang::En) => "Not met",
        (VerdictValue::NeedsExplanation, Lang::En) => "Needs explanation",
        (VerdictValue::Score(n), Lang::Vi) => return format!("{} điểm", n.show(lang)),
        (VerdictValue::Score(n), Lang::En) => return format!("{} points", n.show(lang)),
    };
    word.to_string()
}

/// Đủ điều kiện / Không đủ điều kiện / Chưa đủ dữ liệu.
pub fn outcome(o: Outcome, lang: Lang) -> &'static str {
    match (o, lang) {
        (Outcome::Qualified, Lang::Vi) => "Đủ điều kiện",
        (Outcome::NotQualified, Lang::Vi) => "Không đủ điều kiện",
        (Outcome::Incomplete, Lang::Vi) => "Chưa đủ dữ liệu",
        (Outcome::Qualified, Lang::En) => "Qualified",
        (Outcome::NotQualified, Lang::En) => "Not qualified",
        (Outcome::Incomplete, Lang::En) => "Incomplete",
    }
}

/// What is missing for one criterion.
pub fn problem(p: Problem, lang: Lang) -> &'static str {
    match (p, lang) {
        (Problem::Pending, Lang::Vi) => "chưa đánh giá",
        (Problem::NeedsExplanation, Lang::Vi) => "đang chờ giải trình",
        (Problem::MissingReason, Lang::Vi) => "không đạt nhưng chưa ghi lý do",
        (Problem::Pending, Lang::En) => "not yet reviewed",
        (Problem::NeedsExplanation, Lang::En) => "waiting for an explanation",
        (Problem::MissingReason, Lang::En) => "not met, but no reason given",
    }
}

/// Why a change was made: sửa / hoàn tác / làm lại / nhập.
pub fn cause(c: Cause, lang: Lang) -> &'static str {
    match (c, lang) {
        (Cause::Edit, Lang::Vi) => "sửa",
        (Cause::Undo, Lang::Vi) => "hoàn tác",
        (Cause::Redo, Lang::Vi) => "làm lại",
        (Cause::Import, Lang::Vi) => "nhập",
        (Cause::Edit, Lang::En) => "edit",
        (Cause::Undo, Lang::En) => "undo",
        (Cause::Redo, Lang::En) => "redo",
        (Cause::Import, Lang::En) => "import",
    }
}

/// Đã nộp / Được công nhận / Không được công nhận.
pub(crate) fn initiative_status(s: InitiativeStatus, lang: Lang) -> &'static str {
    match (s, lang) {
        (InitiativeStatus::Submitted, Lang::Vi) => "Đã nộp",
        (InitiativeStatus::Recognized, Lang::Vi) => "Được công nhận",
        (InitiativeStatus::NotRecognized, Lang::Vi) => "Không được công nhận",
        (InitiativeStatus::Submitted, Lang::En) => "Submitted",
        (InitiativeStatus::Recognized, Lang::En) => "Recognised",
        (InitiativeStatus::NotRecognized, Lang::En) => "Not recognised",
    }
}

/// Cơ sở / Tỉnh / Toàn quốc.
pub fn scope(s: Scope, lang: Lang) -> &'static str {
    match (s, lang) {
        (Scope::CoSo, Lang::Vi) => "Cơ sở",
        (Scope::Tinh, Lang::Vi) => "Tỉnh",
        (Scope::ToanQuoc, Lang::Vi) => "Toàn quốc",
        (Scope::CoSo, Lang::En) => "Grassroots",
        (Scope::Tinh, Lang::En) => "Provincial",
        (Scope::ToanQuoc, Lang::En) => "National",
    }
}

/// The line a received explanation adds to a verdict's note. It is part of the stored record,
/// so it is worded here with the other words that records carry.
pub fn explanation_received(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("Đã nhận giải trình: {text}"),
        Lang::En => format!("Explanation received: {text}"),
    }
}

/// The reason a reviewer starts from when taking a unit's self-assessment of Không đạt (or
/// Cần giải trình): its value in words and, when it gave one, its evidence.
pub fn claim_reason(value: VerdictValue, evidence: &str, lang: Lang) -> String {
    let value = verdict(value, lang);
    let head = match lang {
        Lang::Vi => "Đơn vị tự đánh giá",
        Lang::En => "The unit's self-assessment",
    };
    if evidence.is_empty() {
        format!("{head}: {value}")
    } else {
        format!("{head}: {value} ({})", clean(evidence))
    }
}

/// A readable one-line description of an event: subject, criterion, old → new value and note
/// for a verdict; status and recognition for an initiative; counts for an import; the subject
/// for a chair's lock or unlock.
/// `subject_name` looks up a subject's name by id.
pub fn describe<'a>(
    event: &AuditEvent,
    subject_name: impl Fn(&str) -> Option<&'a str>,
    lang: Lang,
) -> String {
    let who = |id: &str| match subject_name(id) {
        Some(name) => format!("{} {}", clean(id), clean(name)),
        None => clean(id),
    };
    match &event.action {
        AuditAction::Verdict {
            subject,
            criterion,
            old,
            new,
        } => {
            let before = old.as_ref().map_or(VerdictValue::Pending, |v| v.value);
            let mut line = format!(
                "{} · {}: {} → {}",
                who(subject),
                clean(criterion),
                verdict(before, lang),
                verdict(new.value, lang)
            );
            let old_note = old.as_ref().map_or("", |v| v.note.as_str());
            if new.note != old_note {
                let label = match lang {
                    Lang::Vi => "ghi chú",
                    Lang::En => "note",
                };
                if new.note.trim().is_empty() {
                    let cleared = match lang {
                        Lang::Vi => "đã xoá",
                        Lang::En => "cleared",
                    };
                    line.push_str(&format!("; {label} {cleared}"));
                } else {
                    line.push_str(&format!("; {label}: “{}”", clean(&new.note)));
                }
            }
            line
        }
        AuditAction::Initiative { old, new } => {
            let word = match lang {
                Lang::Vi => "Sáng kiến",
                Lang::En => "Initiative",
            };
            let mut line = format!(
                "{word} {} “{}” ({}): ",
                clean(&new.id),
                clean(&new.title),
                who(&new.owner)
            );
            match old {
                Some(o) if o.status != new.status => line.push_str(&format!(
                    "{} → {}",
                    initiative_status(o.status, lang),
                    initiative_status(new.status, lang)
                )),
                _ => line.push_str(initiative_status(new.status, lang)),
            }
            line.push_str(&recognition(new, lang));
            line
        }
        AuditAction::Import {
            source,
            added,
            updated,
        } => match (source.as_str(), lang) {
            ("init", Lang::Vi) => "Tạo cơ sở dữ liệu".to_string(),
            ("init", Lang::En) => "Database created".to_string(),
            (s, Lang::Vi) => format!("Nhập {}: thêm {added}, cập nhật {updated}", clean(s)),
            (s, Lang::En) => format!("Imported {}: {added} added, {updated} updated", clean(s)),
        },
        AuditAction::SelfAssessment {
            source,
            added,
            updated,
            cleared,
        } => match lang {
            Lang::Vi => format!(
                "Nhập tự đánh giá {}: thêm {added}, cập nhật {updated}, xóa {cleared}",
                clean(source)
            ),
            Lang::En => format!(
                "Imported self-assessment {}: {added} added, {updated} updated, {cleared} cleared",
                clean(source)
            ),
        },
        AuditAction::Lock { subject } => match lang {
            Lang::Vi => format!("Khóa hồ sơ {}", who(subject)),
            Lang::En => format!("Locked {}", who(subject)),
        },
        AuditAction::Unlock { subject } => match lang {
            Lang::Vi => format!("Mở khóa hồ sơ {}", who(subject)),
            Lang::En => format!("Unlocked {}", who(subject)),
        },
        AuditAction::Assign {
            reviewer,
            selection,
            changed,
        } => match (reviewer, lang) {
            (Some(r), Lang::Vi) => format!(
                "Giao cho {} ({}): {changed} đối tượng thay đổi",
                clean(r),
                clean(selection)
            ),
            (Some(r), Lang::En) => format!(
                "Assigned to {} ({}): {changed} subjects changed",
                clean(r),
                clean(selection)
            ),
            (None, Lang::Vi) => format!("Bỏ giao ({}): {changed} đối tượng", clean(selection)),
            (None, Lang::En) => format!(
                "Cleared assignments ({}): {changed} subjects",
                clean(selection)
            ),
        },
    }
}

fn recognition(i: &Initiative, lang: Lang) -> String {
    match &i.recognition {
        Some(r) => match lang {
            Lang::Vi => format!(
                ", quyết định số {} ngày {} của {} (phạm vi {})",
                clean(&r.decision),
                format_date(r.decided_on),
                clean(&r.authority),
                scope(r.scope, lang).to_lowercase()
            ),
            Lang::En => format!(
                ", decision {} of {} by {} ({} scope)",
                clean(&r.decision),
                format_date(r.decided_on),
                clean(&r.authority),
                scope(r.scope, lang).to_lowercase()
            ),
        },
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chairs_lock_and_unlock_read_as_sentences() {
        let event = |action| AuditEvent {
            seq: 7,
            at: chrono::DateTime::<chrono::Utc>::from_timestamp(1_630_000_000, 0).expect("time"),
            reviewer: "Chủ tịch".into(),
            cause: crate::domain::Cause::Edit,
            action,
        };
        let name = |id: &str| (id == "SNV").then_some("Sở Nội vụ");
        let lock = event(AuditAction::Lock {
            subject: "SNV".into(),
        });
        assert_eq!(describe(&lock, name, Lang::Vi), "Khóa hồ sơ SNV Sở Nội vụ");
        assert_eq!(describe(&lock, name, Lang::En), "Locked SNV Sở Nội vụ");
        let unlock = event(AuditAction::Unlock {
            subject: "SNV".into(),
        });
        assert_eq!(
            describe(&unlock, name, Lang::Vi),
            "Mở khóa hồ sơ SNV Sở Nội vụ"
        );
        assert_eq!(describe(&unlock, name, Lang::En), "Unlocked SNV Sở Nội vụ");
    }
}
