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

/// Parses YYYY-MM-DD or DD/MM/YYYY, the year always written with four digits; `None` for
/// anything else, including impossible dates and a two-digit year (`02/08/21` is not read as
/// the year 21: see `two_digit_year`).
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (y, m, d) = if let Some([y, m, d]) = date_parts(s, '-') {
        (y, m, d)
    } else {
        let [d, m, y] = date_parts(s, '/')?;
        (y, m, d)
    };
    let num = |p: &str, n: std::ops::RangeInclusive<usize>| {
        (n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let year = i32::try_from(num(y, 4..=4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(m, 1..=2)?, num(d, 1..=2)?)
}

/// The three parts of `s` split at `sep`, if it has exactly three.
fn date_parts(s: &str, sep: char) -> Option<[&str; 3]> {
    let mut it = s.split(sep);
    let parts = [it.next()?, it.next()?, it.next()?];
    it.next().is_none().then_some(parts)
}

/// Whether `s` looks like a date whose year has only two digits (`02/08/21`, `2-8-21`,
/// `02.08.21`): three groups of one or two digits split by one of `/`, `-`, `.`. Such a date
/// is refused rather than guessed: `21` could be 1921 or 2021.
pub(crate) fn two_digit_year(s: &str) -> bool {
    let s = s.trim();
    ['/', '-', '.'].into_iter().any(|sep| {
        date_parts(s, sep).is_some_and(|parts| {
            parts
                .iter()
                .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
        })
    })
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
        assert_eq!(parse_date("2021-7-21"), Some(d));
        assert_eq!(parse_date("21/7/2021"), Some(d));
        assert_eq!(format_date(d), "21/07/2021");
    }

    #[test]
    fn a_two_digit_year_is_refused_not_read_as_year_21() {
        for s in ["02-08-21", "02/08/21", "21-08-02", "2/8/21", "02/08/0021x"] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        assert_eq!(parse_date("02/08/20210"), None);
        assert_eq!(parse_date("+2021-08-02"), None);
        assert!(two_digit_year("02-08-21"));
        assert!(two_digit_year(" 2/8/21 "));
        assert!(two_digit_year("02.08.21"));
        assert!(!two_digit_year("02/08/2021"));
        assert!(!two_digit_year("2021-08-02"));
        assert!(!two_digit_year("02/08-21"));
    }

    #[test]
    fn times_show_in_vietnam_time() {
        let t = DateTime::parse_from_rfc3339("2021-08-01T20:30:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(format_time(t), "02/08/2021 03:30");
    }
}
