//! The campaign's vocabulary as plain data and pure rules: no IO, no clock, no terminal.
//! Everything here is serde-serialisable so the store can keep it as JSON values.

pub mod assignment;
pub mod audit;
pub mod campaign;
pub mod change;
pub mod claim;
pub mod hint;
pub mod initiative;
pub mod outcome;
pub mod points;
pub mod review;
pub mod role;
pub mod subject;
pub mod verdict;

pub use audit::{AuditAction, AuditEvent, Cause};
pub use campaign::{Campaign, Criterion, Deadline, Group, Hint, Lang, Scale, Tier};
pub use change::{Cell, Change, Conflict, InitiativeWrite, VerdictWrite};
pub use claim::{Claim, ClaimRefusal, parse_claim_value};
pub use hint::{HintResult, hint};
pub use initiative::{
    DecisionProblem, Initiative, InitiativeStatus, Recognition, Scope, decision_problems,
};
pub use outcome::{Outcome, outcome_of};
pub use points::Points;
pub use role::Role;
pub use subject::Subject;
pub use verdict::{Verdict, VerdictRef, VerdictValue};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Vietnam time (UTC+07:00, no daylight saving), in which every time is shown.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset")
}

/// A date as reviewers write it: DD/MM/YYYY.
pub(crate) fn format_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A moment in Vietnam time: DD/MM/YYYY HH:MM.
pub fn format_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&vietnam())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// Parses YYYY-MM-DD or DD/MM/YYYY; `None` for anything else, including impossible dates.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
        .filter(|_| s.len() >= 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_both_forms_and_refuse_impossible_ones() {
        let d = NaiveDate::from_ymd_opt(2021, 7, 21).expect("date");
        assert_eq!(parse_date("2021-07-21"), Some(d));
        assert_eq!(parse_date("21/07/2021"), Some(d));
        assert_eq!(parse_date("30/02/2021"), None);
        assert_eq!(parse_date("2021-02-30"), None);
        assert_eq!(parse_date("tomorrow"), None);
        assert_eq!(format_date(d), "21/07/2021");
    }

    #[test]
    fn times_show_in_vietnam_time() {
        let t = DateTime::parse_from_rfc3339("2021-08-01T20:30:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(format_time(t), "02/08/2021 03:30");
    }
}
