//! The initiatives file: sáng kiến with `id,title,owner,submitted_on`, optionally followed by
//! `status,authority,decision,decided_on,scope`. Checked whole before anything is stored; an
//! owner must be a subject the database (or the roster being created with it) already has.
//! A recognised initiative carries its recognition (who, which decision, when, what scope);
//! any other status must leave those four cells empty.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::table::{self, ImportError, Problem, Table};
use crate::domain::{Initiative, InitiativeStatus, Recognition, Scope};

/// The columns every initiatives file has, in order.
pub const REQUIRED: [&str; 4] = ["id", "title", "owner", "submitted_on"];
/// The columns an initiatives file may add after the required ones.
pub const OPTIONAL: [&str; 5] = ["status", "authority", "decision", "decided_on", "scope"];

/// The bundled sample initiatives (34, owned by subjects of the sample roster).
pub const SAMPLE: &[u8] = include_bytes!("../../data/initiatives.csv");

/// Reads and checks an initiatives file (CSV or XLSX); `owners` are the known subject ids.
pub fn load(path: &Path, owners: &HashSet<&str>) -> Result<Vec<Initiative>, ImportError> {
    parse(&table::read(path)?, owners)
}

/// The bundled sample initiatives, checked against the given owners.
pub fn sample(owners: &HashSet<&str>) -> Result<Vec<Initiative>, ImportError> {
    parse(&table::parse_csv("data/initiatives.csv", SAMPLE)?, owners)
}

/// Checks an initiatives table and returns its initiatives in file order (version 0), or every
/// problem found.
pub fn parse(table: &Table, owners: &HashSet<&str>) -> Result<Vec<Initiative>, ImportError> {
    let has_status = table::check_header(table, &REQUIRED, &OPTIONAL)?;
    let mut problems: Vec<Problem> = Vec::new();
    let mut out = Vec::with_capacity(table.rows.len());
    let mut first: HashMap<String, &table::Location> = HashMap::new();
    for r in &table.rows {
        if let Err(p) = table::check_width(r, &table.header) {
            problems.push(p);
            continue;
        }
        let before = problems.len();
        let mut bad = |field: &str, message: String| {
            problems.push(Problem::at(&r.at, Some(field), message));
        };
        let id = table::id(&r.cells[0]).map_err(|m| bad("id", m)).ok();
        if let Some(id) = &id {
            match first.get(id) {
                Some(earlier) => bad(
                    "id",
                    format!(
                        "the id {} is already used on {earlier}; each id may appear only once",
                        table::shown(id)
                    ),
                ),
                None => {
                    first.insert(id.clone(), &r.at);
                }
            }
        }
        let title = table::text(&r.cells[1], "title")
            .map_err(|m| bad("title", m))
            .ok();
        let owner = match table::id(&r.cells[2]) {
            Ok(o) if owners.contains(o.as_str()) => Some(o),
            Ok(o) => {
                bad(
                    "owner",
                    format!(
                        "no subject has the id {}; import the roster first, or fix the id",
                        table::shown(&o)
                    ),
                );
                None
            }
            Err(m) => {
                bad("owner", m.replace("the id", "the owner"));
                None
            }
        };
        let submitted_on = table::date(&r.cells[3])
            .map_err(|m| bad("submitted_on", m))
            .unwrap_or(None);
        let (status, recognition) = if has_status {
            status_and_recognition(&r.cells[4..9], submitted_on, &mut bad)
        } else {
            (Some(InitiativeStatus::Submitted), None)
        };
        if problems.len() > before {
            continue;
        }
        if let (Some(id), Some(title), Some(owner), Some(status)) = (id, title, owner, status) {
            out.push(Initiative {
                id,
                title,
                owner,
                submitted_on,
                status,
                recognition,
                version: 0,
            });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ImportError {
            file: table.file.clone(),
            problems,
        })
    }
}

/// The status and, for a recognised initiative, its recognition, from the five optional cells.
fn status_and_recognition(
    cells: &[String],
    submitted_on: Option<chrono::NaiveDate>,
    bad: &mut impl FnMut(&str, String),
) -> (Option<InitiativeStatus>, Option<Recognition>) {
    let status = InitiativeStatus::parse(&cells[0]);
    if status.is_none() {
        bad(
            "status",
            format!(
                "unknown status {}; use submitted, recognized or not_recognized",
                table::shown(&cells[0])
            ),
        );
    }
    let names = &OPTIONAL[1..];
    if status != Some(InitiativeStatus::Recognized) {
        for (name, cell) in names.iter().zip(&cells[1..]) {
            if !cell.trim().is_empty() {
                bad(
                    name,
                    format!(
                        "only a recognized initiative has a {name}; leave it empty for status {}",
                        status.map_or("other than recognized", |s| s.code())
                    ),
                );
            }
        }
        return (status, None);
    }
    let authority = table::text(&cells[1], "authority")
        .map_err(|m| {
            bad(
                "authority",
                format!("{m}; a recognized initiative needs it"),
            )
        })
        .ok();
    let decision = table::text(&cells[2], "decision")
        .map_err(|m| bad("decision", format!("{m}; a recognized initiative needs it")))
        .ok();
    let decided_on = match table::date(&cells[3]) {
        Ok(Some(d)) => {
            if let Some(s) = submitted_on.filter(|s| d < *s) {
                bad(
                    "decided_on",
                    format!(
                        "{} is before the submission date {}",
                        crate::domain::format_date(d),
                        crate::domain::format_date(s)
                    ),
                );
            }
            Some(d)
        }
        Ok(None) => {
            bad(
                "decided_on",
                "the decision date is empty; a recognized initiative needs it".into(),
            );
            None
        }
        Err(m) => {
            bad("decided_on", m);
            None
        }
    };
    let scope = Scope::parse(&cells[4]);
    if scope.is_none() {
        bad(
            "scope",
            format!(
                "{} is not a scope; use co_so (cơ sở), tinh (tỉnh) or toan_quoc (toàn quốc)",
                table::shown(&cells[4])
            ),
        );
    }
    match (authority, decision, decided_on, scope) {
        (Some(authority), Some(decision), Some(decided_on), Some(scope)) => (
            status,
            Some(Recognition {
                authority,
                decision,
                decided_on,
                scope,
            }),
        ),
        _ => (status, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_initiatives_are_valid() {
        let campaign = crate::interchange::campaign::sample();
        let roster = crate::interchange::roster::sample(&campaign).expect("roster");
        let owners: HashSet<&str> = roster.iter().map(|s| s.id.as_str()).collect();
        let all = sample(&owners).expect("initiatives");
        assert_eq!(all.len(), 34);
        assert!(
            all.iter()
                .all(|i| (i.status == InitiativeStatus::Recognized) == i.recognition.is_some())
        );
    }

    #[test]
    fn recognition_fields_are_required_and_exclusive() {
        let owners: HashSet<&str> = ["SNV"].into();
        let csv = "id,title,owner,submitted_on,status,authority,decision,decided_on,scope\n\
                   SK1,A,SNV,2021-08-01,recognized,,1/QĐ,2021-09-01,tinh\n\
                   SK2,B,SNV,2021-08-01,submitted,Sở Nội vụ,,,\n\
                   SK3,C,SNV,2021-08-01,approved,,,,\n";
        let t = table::parse_csv("i.csv", csv.as_bytes()).expect("csv");
        let e = parse(&t, &owners).expect_err("refused");
        let fields: Vec<_> = e
            .problems
            .iter()
            .map(|p| (p.at.as_ref().map(|a| a.to_string()), p.field.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                (Some("line 2".into()), Some("authority".into())),
                (Some("line 3".into()), Some("authority".into())),
                (Some("line 4".into()), Some("status".into())),
            ]
        );
    }
}
