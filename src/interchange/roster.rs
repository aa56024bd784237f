//! The roster file: subjects (đối tượng) with `id,name,tier,parent[,registered_on]`.
//! The whole file is checked before anything is stored, against the campaign's tiers and the
//! subjects already in the database, and every problem is collected so one round of fixes
//! suffices. Parents may be defined before or after their members, in the file or in the
//! database; what results must be a forest whose edges the campaign's `tier.parents` allow.

use std::collections::HashMap;
use std::path::Path;

use super::table::{self, ImportError, Location, Problem, Table};
use crate::domain::{Campaign, Subject};

/// The columns every roster has, in order.
pub const REQUIRED: [&str; 4] = ["id", "name", "tier", "parent"];
/// The columns a roster may add after the required ones.
pub const OPTIONAL: [&str; 1] = ["registered_on"];

/// The bundled sample roster (535 subjects of An Giang 2021).
pub const SAMPLE: &[u8] = include_bytes!("../../data/roster.csv");

/// Reads and checks a roster file (CSV or XLSX) against the campaign and the stored subjects.
pub fn load(
    path: &Path,
    campaign: &Campaign,
    existing: &[Subject],
) -> Result<Vec<Subject>, ImportError> {
    parse(&table::read(path)?, campaign, existing)
}

/// The bundled sample roster, checked against the bundled campaign.
pub fn sample(campaign: &Campaign) -> Result<Vec<Subject>, ImportError> {
    parse(&table::parse_csv("data/roster.csv", SAMPLE)?, campaign, &[])
}

/// One row after its own fields were checked; the cross-row checks use it.
struct Parsed {
    row: usize,
    at: Location,
    id: Option<String>,
    tier: Option<String>,
    parent: Option<String>,
    subject: Option<Subject>,
}

/// Checks a roster table and returns its subjects in file order, or every problem found.
/// A file without `registered_on` keeps the dates already stored.
pub fn parse(
    table: &Table,
    campaign: &Campaign,
    existing: &[Subject],
) -> Result<Vec<Subject>, ImportError> {
    let has_dates = table::check_header(table, &REQUIRED, &OPTIONAL)?;
    let stored: HashMap<&str, &Subject> = existing.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut problems: Vec<(usize, Problem)> = Vec::new();
    let mut parsed = Vec::with_capacity(table.rows.len());
    for (row, r) in table.rows.iter().enumerate() {
        if let Err(p) = table::check_width(r, &table.header) {
            problems.push((row, p));
            continue;
        }
        let mut bad = |field: &str, message: String| {
            problems.push((row, Problem::at(&r.at, Some(field), message)));
        };
        let id = table::id(&r.cells[0]).map_err(|m| bad("id", m)).ok();
        let name = table::text(&r.cells[1], "name")
            .map_err(|m| bad("name", m))
            .ok();
        let tier = check_tier(campaign, &r.cells[2])
            .map_err(|m| bad("tier", m))
            .ok();
        let parent_raw = r.cells[3].trim();
        let parent = if parent_raw.is_empty() {
            None
        } else {
            table::id(parent_raw).map_err(|m| bad("parent", m)).ok()
        };
        if let Some(t) = tier.as_deref().and_then(|t| campaign.tier(t)) {
            if t.parents.is_empty() && !parent_raw.is_empty() {
                bad(
                    "parent",
                    format!(
                        "a {} ({}) is a top-level unit: leave parent empty (found {})",
                        t.id,
                        t.name_en,
                        table::shown(parent_raw)
                    ),
                );
            } else if !t.parents.is_empty() && parent_raw.is_empty() {
                bad(
                    "parent",
                    format!(
                        "the parent is empty; a {} belongs to a {}: give that unit's id",
                        t.id,
                        t.parents.join(" or a ")
                    ),
                );
            }
        }
        let registered_on = if has_dates {
            table::date(&r.cells[4])
                .map_err(|m| bad("registered_on", m))
                .unwrap_or(None)
        } else {
            id.as_deref()
                .and_then(|i| stored.get(i))
                .and_then(|s| s.registered_on)
        };
        if let (Some(id), Some(tier)) = (&id, &tier)
            && let Some(old) = stored.get(id.as_str())
            && &old.tier != tier
        {
            bad(
                "tier",
                format!(
                    "{} is a {} in the database and a subject's tier cannot change on re-import \
                     (found {})",
                    table::shown(id),
                    old.tier,
                    tier
                ),
            );
        }
        let subject = match (&id, name, &tier) {
            (Some(id), Some(name), Some(tier)) => Some(Subject {
                id: id.clone(),
                name,
                tier: tier.clone(),
                parent: parent.clone(),
                registered_on,
            }),
            _ => None,
        };
        parsed.push(Parsed {
            row,
            at: r.at.clone(),
            id,
            tier,
            parent,
            subject,
        });
    }
    cross_check(campaign, &stored, &parsed, &mut problems);
    if !problems.is_empty() {
        // By row, then by column, whichever check found the problem.
        let column = |p: &Problem| {
            p.field
                .as_deref()
                .and_then(|f| REQUIRED.iter().chain(&OPTIONAL).position(|c| *c == f))
                .map_or(0, |i| i + 1)
        };
        problems.sort_by_key(|(row, p)| (*row, column(p)));
        return Err(ImportError {
            file: table.file.clone(),
            problems: problems.into_iter().map(|(_, p)| p).collect(),
        });
    }
    Ok(parsed.into_iter().filter_map(|p| p.subject).collect())
}

fn check_tier(campaign: &Campaign, raw: &str) -> Result<String, String> {
    let t = raw.trim();
    if campaign.tier(t).is_some() {
        return Ok(t.to_string());
    }
    let valid: Vec<&str> = campaign.tiers.iter().map(|t| t.id.as_str()).collect();
    if t.is_empty() {
        Err(format!(
            "the tier is empty; use one of: {}",
            valid.join(", ")
        ))
    } else {
        Err(format!(
            "unknown tier {}; the campaign's tiers are: {}",
            table::shown(t),
            valid.join(", ")
        ))
    }
}

/// Duplicate ids, parents that do not exist or have the wrong tier, and cycles.
fn cross_check(
    campaign: &Campaign,
    stored: &HashMap<&str, &Subject>,
    parsed: &[Parsed],
    problems: &mut Vec<(usize, Problem)>,
) {
    let mut first: HashMap<&str, &Parsed> = HashMap::new();
    for p in parsed {
        let Some(id) = p.id.as_deref() else { continue };
        match first.get(id) {
            Some(earlier) => problems.push((
                p.row,
                Problem::at(
                    &p.at,
                    Some("id"),
                    format!(
                        "the id {} is already used on {}; each id may appear only once",
                        table::shown(id),
                        earlier.at
                    ),
                ),
            )),
            None => {
                first.insert(id, p);
            }
        }
    }
    // The tier of any known id: the file wins over the database.
    let tier_of = |id: &str| -> Option<Option<&str>> {
        match first.get(id) {
            Some(p) => Some(p.tier.as_deref()),
            None => stored.get(id).map(|s| Some(s.tier.as_str())),
        }
    };
    for p in parsed {
        let Some(parent) = p.parent.as_deref() else {
            continue;
        };
        match tier_of(parent) {
            None => problems.push((
                p.row,
                Problem::at(
                    &p.at,
                    Some("parent"),
                    format!(
                        "no subject has the id {}, neither in this file nor in the database",
                        table::shown(parent)
                    ),
                ),
            )),
            Some(Some(parent_tier)) => {
                let Some(tier) = p.tier.as_deref().and_then(|t| campaign.tier(t)) else {
                    continue;
                };
                if !tier.parents.is_empty() && !tier.parents.iter().any(|t| t == parent_tier) {
                    problems.push((
                        p.row,
                        Problem::at(
                            &p.at,
                            Some("parent"),
                            format!(
                                "{} is a {}, but a {} belongs to a {}",
                                table::shown(parent),
                                parent_tier,
                                tier.id,
                                tier.parents.join(" or a ")
                            ),
                        ),
                    ));
                }
            }
            Some(None) => {}
        }
    }
    let parent_of = |id: &str| -> Option<&str> {
        match first.get(id) {
            Some(p) => p.parent.as_deref(),
            None => stored.get(id).and_then(|s| s.parent.as_deref()),
        }
    };
    for cycle in cycles(parsed.iter().filter_map(|p| p.id.as_deref()), parent_of) {
        let Some(p) = cycle
            .iter()
            .filter_map(|id| first.get(id))
            .min_by_key(|p| p.row)
        else {
            continue;
        };
        let mut path = cycle.clone();
        let start = path
            .iter()
            .position(|id| *id == p.id.as_deref().unwrap_or(""))
            .unwrap_or(0);
        path.rotate_left(start);
        path.push(path[0]);
        problems.push((
            p.row,
            Problem::at(
                &p.at,
                Some("parent"),
                format!(
                    "the parents go round in a circle: {}; a unit cannot belong to itself",
                    path.join(" → ")
                ),
            ),
        ));
    }
}

/// Every cycle reachable from `starts` when following `parent_of`, each once, in the order
/// walked (child first). Linear in the number of ids.
fn cycles<'a>(
    starts: impl Iterator<Item = &'a str>,
    parent_of: impl Fn(&str) -> Option<&'a str>,
) -> Vec<Vec<&'a str>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        OnPath,
        Done,
    }
    let mut state: HashMap<&str, State> = HashMap::new();
    let mut found = Vec::new();
    for start in starts {
        let mut path: Vec<&str> = Vec::new();
        let mut at = Some(start);
        while let Some(id) = at {
            match state.get(id) {
                Some(State::Done) => break,
                Some(State::OnPath) => {
                    if let Some(i) = path.iter().position(|p| *p == id) {
                        found.push(path[i..].to_vec());
                    }
                    break;
                }
                None => {
                    state.insert(id, State::OnPath);
                    path.push(id);
                    at = parent_of(id);
                }
            }
        }
        for id in path {
            state.insert(id, State::Done);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_roster_is_valid() {
        let campaign = crate::interchange::campaign::sample();
        let subjects = sample(&campaign).expect("sample roster");
        assert_eq!(subjects.len(), 535);
        let individuals = subjects.iter().filter(|s| s.tier == "individual").count();
        assert_eq!(individuals, 300);
    }

    #[test]
    fn cycles_are_found_once_each() {
        let parents: HashMap<&str, &str> =
            [("A", "B"), ("B", "A"), ("C", "A"), ("D", "E"), ("E", "F")].into();
        let found = cycles(["C", "A", "B", "D"].into_iter(), |id| {
            parents.get(id).copied()
        });
        assert_eq!(found, vec![vec!["A", "B"]]);
        let selfish: HashMap<&str, &str> = [("X", "X")].into();
        assert_eq!(
            cycles(["X"].into_iter(), |id| selfish.get(id).copied()),
            vec![vec!["X"]]
        );
    }
}
