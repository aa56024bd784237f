//! Initiatives (sáng kiến) and their recognition.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An initiative submitted by a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Initiative {
    pub id: String,
    pub title: String,
    /// The subject that owns the initiative.
    pub owner: String,
    pub submitted_on: Option<NaiveDate>,
    pub status: InitiativeStatus,
    /// Present exactly when the status is recognised.
    pub recognition: Option<Recognition>,
    /// Counts writes, like a verdict's version.
    #[serde(default)]
    pub version: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitiativeStatus {
    /// Đã nộp.
    #[default]
    Submitted,
    /// Được công nhận.
    Recognized,
    /// Không được công nhận.
    NotRecognized,
}

impl InitiativeStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Recognized => "recognized",
            Self::NotRecognized => "not_recognized",
        }
    }

    pub const ALL: [InitiativeStatus; 3] = [Self::Submitted, Self::Recognized, Self::NotRecognized];
}

/// Who recognised an initiative, by which decision, when, and at what scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognition {
    pub authority: String,
    pub decision: String,
    pub decided_on: NaiveDate,
    pub scope: Scope,
}

/// The scope of a recognition (phạm vi ảnh hưởng).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Cơ sở.
    #[default]
    CoSo,
    /// Tỉnh.
    Tinh,
    /// Toàn quốc.
    ToanQuoc,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Self::CoSo, Self::Tinh, Self::ToanQuoc];

    pub fn code(self) -> &'static str {
        match self {
            Self::CoSo => "co_so",
            Self::Tinh => "tinh",
            Self::ToanQuoc => "toan_quoc",
        }
    }

    /// Reads a code (`co_so`) or the Vietnamese words with or without diacritics ("cơ sở").
    pub fn parse(s: &str) -> Option<Scope> {
        let folded = crate::text::fold(s).replace([' ', '-'], "_");
        match folded.as_str() {
            "co_so" | "grassroots" | "base" => Some(Self::CoSo),
            "tinh" | "province" | "provincial" => Some(Self::Tinh),
            "toan_quoc" | "national" => Some(Self::ToanQuoc),
            _ => None,
        }
    }
}

impl InitiativeStatus {
    /// Reads a code (`recognized`) or the Vietnamese words with or without diacritics.
    pub fn parse(s: &str) -> Option<InitiativeStatus> {
        let folded = crate::text::fold(s).replace([' ', '-'], "_");
        match folded.as_str() {
            "" | "submitted" | "da_nop" => Some(Self::Submitted),
            "recognized" | "recognised" | "duoc_cong_nhan" | "cong_nhan" => Some(Self::Recognized),
            "not_recognized" | "not_recognised" | "khong_cong_nhan" | "khong_duoc_cong_nhan" => {
                Some(Self::NotRecognized)
            }
            _ => None,
        }
    }
}

/// A rule about an initiative decision that a decision breaks. Every caller that accepts a
/// decision (the console's recognition form, the initiatives importer, `verify`) asks
/// [`decision_problems`] and words the answer from the same catalogue entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionProblem {
    /// A recognised initiative without its recognition (authority, decision, date, scope).
    RecognitionMissing,
    /// A recognition on an initiative that is not recognised.
    RecognitionNotRecognized { status: InitiativeStatus },
    /// A recognition without the authority that decided it.
    AuthorityMissing,
    /// A recognition without its decision number.
    DecisionNumberMissing,
    /// The decision is dated before the initiative was submitted.
    DecidedBeforeSubmission {
        decided_on: NaiveDate,
        submitted_on: NaiveDate,
    },
    /// The decision is dated after today.
    DecidedInFuture {
        decided_on: NaiveDate,
        today: NaiveDate,
    },
}

impl DecisionProblem {
    /// The field of the recognition the problem is in (`decided_on`), as the import file names it.
    pub fn field(&self) -> &'static str {
        match self {
            Self::RecognitionMissing | Self::RecognitionNotRecognized { .. } => "status",
            Self::AuthorityMissing => "authority",
            Self::DecisionNumberMissing => "decision",
            Self::DecidedBeforeSubmission { .. } | Self::DecidedInFuture { .. } => "decided_on",
        }
    }
}

/// Every rule about deciding an initiative, in one place: a recognised initiative has a
/// recognition and nothing else has one; a recognition names its authority and its decision
/// number; the decision is dated neither before the submission nor after `today` (Vietnam
/// time, given by the caller). Problems come in the order of the form's fields.
pub fn decision_problems(
    submitted_on: Option<NaiveDate>,
    status: InitiativeStatus,
    recognition: Option<&Recognition>,
    today: NaiveDate,
) -> Vec<DecisionProblem> {
    let mut out = Vec::new();
    let Some(r) = recognition else {
        if status == InitiativeStatus::Recognized {
            out.push(DecisionProblem::RecognitionMissing);
        }
        return out;
    };
    if status != InitiativeStatus::Recognized {
        out.push(DecisionProblem::RecognitionNotRecognized { status });
    }
    if r.authority.trim().is_empty() {
        out.push(DecisionProblem::AuthorityMissing);
    }
    if r.decision.trim().is_empty() {
        out.push(DecisionProblem::DecisionNumberMissing);
    }
    if let Some(s) = submitted_on.filter(|s| r.decided_on < *s) {
        out.push(DecisionProblem::DecidedBeforeSubmission {
            decided_on: r.decided_on,
            submitted_on: s,
        });
    }
    if r.decided_on > today {
        out.push(DecisionProblem::DecidedInFuture {
            decided_on: r.decided_on,
            today,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn rec(authority: &str, decision: &str, decided_on: NaiveDate) -> Recognition {
        Recognition {
            authority: authority.into(),
            decision: decision.into(),
            decided_on,
            scope: Scope::Tinh,
        }
    }

    #[test]
    fn a_complete_decision_within_its_dates_is_accepted() {
        let r = rec("Sở Nội vụ", "12/QĐ-SNV", day(2021, 9, 1));
        let today = day(2021, 12, 31);
        let got = decision_problems(
            Some(day(2021, 8, 1)),
            InitiativeStatus::Recognized,
            Some(&r),
            today,
        );
        assert_eq!(got, []);
        // Decided on the day of submission, or today, is allowed.
        let same = rec("Sở Nội vụ", "1", day(2021, 8, 1));
        assert_eq!(
            decision_problems(
                Some(day(2021, 8, 1)),
                InitiativeStatus::Recognized,
                Some(&same),
                day(2021, 8, 1)
            ),
            []
        );
    }

    #[test]
    fn each_rule_is_reported() {
        let today = day(2021, 12, 31);
        let before = rec("Sở Nội vụ", "1", day(2021, 7, 31));
        assert_eq!(
            decision_problems(
                Some(day(2021, 8, 1)),
                InitiativeStatus::Recognized,
                Some(&before),
                today
            ),
            [DecisionProblem::DecidedBeforeSubmission {
                decided_on: day(2021, 7, 31),
                submitted_on: day(2021, 8, 1)
            }]
        );
        let future = rec("Sở Nội vụ", "1", day(2022, 1, 1));
        assert_eq!(
            decision_problems(None, InitiativeStatus::Recognized, Some(&future), today),
            [DecisionProblem::DecidedInFuture {
                decided_on: day(2022, 1, 1),
                today
            }]
        );
        let blank = rec(" ", "", day(2021, 9, 1));
        assert_eq!(
            decision_problems(None, InitiativeStatus::Recognized, Some(&blank), today),
            [
                DecisionProblem::AuthorityMissing,
                DecisionProblem::DecisionNumberMissing
            ]
        );
        assert_eq!(
            decision_problems(None, InitiativeStatus::Recognized, None, today),
            [DecisionProblem::RecognitionMissing]
        );
        let r = rec("Sở Nội vụ", "1", day(2021, 9, 1));
        assert_eq!(
            decision_problems(None, InitiativeStatus::Submitted, Some(&r), today),
            [DecisionProblem::RecognitionNotRecognized {
                status: InitiativeStatus::Submitted
            }]
        );
        assert_eq!(
            decision_problems(None, InitiativeStatus::NotRecognized, None, today),
            []
        );
    }
}
