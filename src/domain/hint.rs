//! Evidence hints (gợi ý): what the campaign file says the console can show next to a criterion,
//! computed from the roster and the initiatives. A hint states a fact and may suggest a verdict;
//! the reviewer always decides. Pure: the text comes back in the language asked for.
//!
//! Suggestions are deliberately conservative:
//! - `Initiative`: a recognised initiative suggests Met. Without one the hint says so but
//!   suggests nothing: the initiatives list may simply not be complete yet, and for criteria
//!   such as CN4 an initiative is only one way to meet them.
//! - `Deadline`: a date on or before the deadline suggests Met; a later date, or no date at all
//!   (the roster's way of saying "never registered"), suggests NotMet. The hint text is worded to
//!   serve as the reason a not-met verdict needs.

use chrono::NaiveDate;

use super::{
    Campaign, Criterion, Hint, Initiative, InitiativeStatus, Lang, Subject, VerdictValue,
    format_date,
};

/// A hint's text and the verdict it suggests, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HintResult {
    pub text: String,
    pub suggested: Option<VerdictValue>,
}

/// The hint for `criterion` on `subject`, or `None` when the criterion declares no hint (or one
/// that refers to a field or deadline this campaign does not have). `initiatives` may hold
/// everyone's initiatives; only the subject's own are considered.
pub fn hint(
    campaign: &Campaign,
    criterion: &Criterion,
    subject: &Subject,
    initiatives: &[Initiative],
    lang: Lang,
) -> Option<HintResult> {
    match criterion.hint.as_ref()? {
        Hint::Initiative => Some(initiative_hint(subject, initiatives, lang)),
        Hint::Deadline { field, deadline } => {
            let deadline = campaign.deadline(deadline)?;
            let date = date_field(subject, field)?;
            Some(deadline_hint(date, deadline.date, lang))
        }
    }
}

/// The roster date a deadline hint may compare: `Some(None)` when the field is known but empty.
fn date_field(subject: &Subject, field: &str) -> Option<Option<NaiveDate>> {
    match field {
        "registered_on" => Some(subject.registered_on),
        _ => None,
    }
}

fn initiative_hint(subject: &Subject, initiatives: &[Initiative], lang: Lang) -> HintResult {
    let own: Vec<&Initiative> = initiatives
        .iter()
        .filter(|i| i.owner == subject.id)
        .collect();
    let recognised: Vec<&Initiative> = own
        .iter()
        .copied()
        .filter(|i| i.status == InitiativeStatus::Recognized)
        .collect();
    if let Some(first) = recognised.first() {
        let (decision, date) = match &first.recognition {
            Some(r) => (r.decision.as_str(), format_date(r.decided_on)),
            None => ("?", "?".to_string()),
        };
        let more = recognised.len() - 1;
        let text = match lang {
            Lang::Vi => {
                let mut t = format!(
                    "Có sáng kiến được công nhận: {}, quyết định số {decision} ngày {date}",
                    first.title
                );
                if more > 0 {
                    t.push_str(&format!(" (và {more} sáng kiến khác)"));
                }
                t
            }
            Lang::En => {
                let mut t = format!(
                    "Has a recognised initiative: {}, decision {decision} of {date}",
                    first.title
                );
                if more > 0 {
                    t.push_str(&format!(" (and {more} more)"));
                }
                t
            }
        };
        return HintResult {
            text,
            suggested: Some(VerdictValue::Met),
        };
    }
    let waiting = own
        .iter()
        .filter(|i| i.status == InitiativeStatus::Submitted)
        .count();
    let refused = own
        .iter()
        .filter(|i| i.status == InitiativeStatus::NotRecognized)
        .count();
    let text = match (lang, waiting, refused) {
        (Lang::Vi, 0, 0) => "Không có sáng kiến nào trong danh sách".to_string(),
        (Lang::Vi, w, r) => {
            format!("Chưa có sáng kiến được công nhận ({w} đang chờ xét, {r} không được công nhận)")
        }
        (Lang::En, 0, 0) => "No initiative on record".to_string(),
        (Lang::En, w, r) => {
            format!("No recognised initiative ({w} awaiting decision, {r} not recognised)")
        }
    };
    HintResult {
        text,
        suggested: None,
    }
}

fn deadline_hint(date: Option<NaiveDate>, deadline: NaiveDate, lang: Lang) -> HintResult {
    let due = format_date(deadline);
    match date {
        Some(d) => {
            let on_time = d <= deadline;
            let day = format_date(d);
            let text = match (lang, on_time) {
                (Lang::Vi, true) => format!("Đăng ký ngày {day}, hạn {due}: đúng hạn"),
                (Lang::Vi, false) => format!("Đăng ký ngày {day}, hạn {due}: trễ hạn"),
                (Lang::En, true) => format!("Registered {day}, deadline {due}: on time"),
                (Lang::En, false) => format!("Registered {day}, deadline {due}: late"),
            };
            HintResult {
                text,
                suggested: Some(if on_time {
                    VerdictValue::Met
                } else {
                    VerdictValue::NotMet
                }),
            }
        }
        None => HintResult {
            text: match lang {
                Lang::Vi => format!("Chưa đăng ký thi đua (hạn {due})"),
                Lang::En => format!("Not registered (deadline {due})"),
            },
            suggested: Some(VerdictValue::NotMet),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Recognition, Scope};

    fn campaign() -> Campaign {
        crate::interchange::campaign::sample()
    }

    fn unit(registered: Option<NaiveDate>) -> Subject {
        Subject {
            id: "SNV".into(),
            name: "Sở Nội vụ".into(),
            tier: "province_agency".into(),
            parent: None,
            registered_on: registered,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn initiative(id: &str, owner: &str, status: InitiativeStatus) -> Initiative {
        Initiative {
            id: id.into(),
            title: format!("Sáng kiến {id}"),
            owner: owner.into(),
            submitted_on: Some(day(2021, 8, 1)),
            status,
            recognition: (status == InitiativeStatus::Recognized).then(|| Recognition {
                authority: "Giám đốc Sở Nội vụ".into(),
                decision: "125/QĐ-SNV".into(),
                decided_on: day(2021, 9, 20),
                scope: Scope::CoSo,
            }),
            version: 1,
        }
    }

    fn run(criterion: &str, s: &Subject, is: &[Initiative], lang: Lang) -> Option<HintResult> {
        let c = campaign();
        let cr = c.criterion(criterion).expect("criterion").clone();
        hint(&c, &cr, s, is, lang)
    }

    #[test]
    fn deadline_hints_in_both_languages() {
        let cases = [
            (
                Some(day(2021, 8, 15)),
                Lang::Vi,
                "Đăng ký ngày 15/08/2021, hạn 31/08/2021: đúng hạn",
                Some(VerdictValue::Met),
            ),
            (
                Some(day(2021, 8, 31)),
                Lang::En,
                "Registered 31/08/2021, deadline 31/08/2021: on time",
                Some(VerdictValue::Met),
            ),
            (
                Some(day(2021, 9, 1)),
                Lang::Vi,
                "Đăng ký ngày 01/09/2021, hạn 31/08/2021: trễ hạn",
                Some(VerdictValue::NotMet),
            ),
            (
                Some(day(2021, 9, 1)),
                Lang::En,
                "Registered 01/09/2021, deadline 31/08/2021: late",
                Some(VerdictValue::NotMet),
            ),
            (
                None,
                Lang::Vi,
                "Chưa đăng ký thi đua (hạn 31/08/2021)",
                Some(VerdictValue::NotMet),
            ),
            (
                None,
                Lang::En,
                "Not registered (deadline 31/08/2021)",
                Some(VerdictValue::NotMet),
            ),
        ];
        for (registered, lang, text, suggested) in cases {
            let h = run("TT9", &unit(registered), &[], lang).expect("TT9 has a hint");
            assert_eq!(h.text, text);
            assert_eq!(h.suggested, suggested);
        }
    }

    #[test]
    fn initiative_hints_consider_only_the_subjects_own_recognised_ones() {
        let s = unit(None);
        let others = [initiative("SK9", "STP", InitiativeStatus::Recognized)];
        let h = run("TT8", &s, &others, Lang::En).expect("hint");
        assert_eq!(h.text, "No initiative on record");
        assert_eq!(h.suggested, None);

        let mine = [
            initiative("SK1", "SNV", InitiativeStatus::Submitted),
            initiative("SK2", "SNV", InitiativeStatus::NotRecognized),
        ];
        let h = run("TT8", &s, &mine, Lang::Vi).expect("hint");
        assert_eq!(
            h.text,
            "Chưa có sáng kiến được công nhận (1 đang chờ xét, 1 không được công nhận)"
        );
        assert_eq!(h.suggested, None);

        let recognised = [
            initiative("SK1", "SNV", InitiativeStatus::Submitted),
            initiative("SK3", "SNV", InitiativeStatus::Recognized),
            initiative("SK4", "SNV", InitiativeStatus::Recognized),
        ];
        let h = run("TT8", &s, &recognised, Lang::Vi).expect("hint");
        assert_eq!(
            h.text,
            "Có sáng kiến được công nhận: Sáng kiến SK3, quyết định số 125/QĐ-SNV ngày 20/09/2021 (và 1 sáng kiến khác)"
        );
        assert_eq!(h.suggested, Some(VerdictValue::Met));
        let h = run("TT8", &s, &recognised[..2], Lang::En).expect("hint");
        assert_eq!(
            h.text,
            "Has a recognised initiative: Sáng kiến SK3, decision 125/QĐ-SNV of 20/09/2021"
        );
    }

    #[test]
    fn criteria_without_a_hint_give_none() {
        assert_eq!(run("TT1", &unit(None), &[], Lang::Vi), None);
    }
}
