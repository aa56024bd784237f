//! The roster file: subjects (đối tượng) with the fields `id,name,tier,parent[,registered_on]`,
//! under any of the column names in `FIELDS` (see data/README.md), in any order, below a
//! title block (see `office`). The whole file is checked before anything is stored, against
//! the campaign's tiers and the subjects already in the database, and every problem is
//! collected so one round of fixes suffices. A tier is given by its id or its name; a parent
//! by its id or by the name of exactly one possible parent. Parents may be defined before or
//! after their members, in the file or in the database; what results must be a forest whose
//! edges the campaign's `tier.parents` allow. An empty cell keeps the stored value unless
//! `--clear-empty` is given.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use super::office::{self, Field, Matcher, Spec};
use super::plan::{FieldChange, Kept, Options, Report, SHOWN, keep_stored};
use super::table::{self, ImportError, Location, Msg, Problem, Table, msg, msgs};
use crate::domain::{Campaign, Subject};
use crate::msg::{Key, Part};

/// The roster's fields and the column names that mean each.
pub(crate) const FIELDS: [Field; 5] = [
    Field {
        name: "id",
        required: true,
        aliases: &["Mã", "Mã đơn vị", "Mã số", "Mã ĐVHC", "Mã định danh", "ID"],
    },
    Field {
        name: "name",
        required: true,
        aliases: &[
            "Tên",
            "Tên đơn vị",
            "Họ và tên",
            "Họ tên",
            "Tên cơ quan, đơn vị",
            "Name",
        ],
    },
    Field {
        name: "tier",
        required: true,
        aliases: &["Cấp", "Loại", "Đối tượng", "Tier"],
    },
    Field {
        name: "parent",
        required: true,
        aliases: &["Đơn vị cấp trên", "Trực thuộc", "Đơn vị", "Parent"],
    },
    Field {
        name: "registered_on",
        required: false,
        aliases: &[
            "Ngày đăng ký thi đua",
            "Ngày đăng ký",
            "Registered on",
            "Registration date",
        ],
    },
];

/// The roster file kind; a row below the table with an id and a tier is a gap, not a footer.
pub const SPEC: Spec = Spec {
    fields: &FIELDS,
    gap_fields: ["id", "tier"],
};

/// The bundled sample roster (535 subjects of An Giang 2021).
pub const SAMPLE: &[u8] = include_bytes!("../../data/roster.csv");

/// The subjects already stored, as the roster's checks read them: one at a time by id, so an
/// import does not hold a copy of the stored roster beside the file's rows (at ten times the
/// province that copy alone is some 80 MB). `Store` gives them from the database; a list in
/// memory is `InMemory`.
pub trait Stored {
    /// The stored subject with this id.
    fn get(&self, id: &str) -> Option<Subject>;
    /// Calls `each` with every stored subject, in roster order.
    fn each(&self, each: &mut dyn FnMut(Subject));
}

/// Stored subjects held in memory.
pub struct InMemory<'a> {
    list: &'a [Subject],
    by_id: HashMap<&'a str, &'a Subject>,
}

impl<'a> InMemory<'a> {
    pub fn new(list: &'a [Subject]) -> Self {
        InMemory {
            list,
            by_id: list.iter().map(|s| (s.id.as_str(), s)).collect(),
        }
    }
}

impl Stored for InMemory<'_> {
    fn get(&self, id: &str) -> Option<Subject> {
        self.by_id.get(id).map(|s| (*s).clone())
    }

    fn each(&self, each: &mut dyn FnMut(Subject)) {
        self.list.iter().cloned().for_each(each);
    }
}

/// Reads a roster file (CSV or XLSX) and finds its table.
pub fn read(path: &Path, campaign: &Campaign, options: &Options) -> Result<Table, ImportError> {
    let matcher = Matcher::new(SPEC, &campaign.column_aliases);
    let sheet = table::read(path, &options.read, &|rows| matcher.finds_header(rows))?;
    office::locate(sheet, &matcher)
}

/// Reads and checks a roster file (CSV or XLSX) against the campaign and the stored subjects.
pub fn load(
    path: &Path,
    campaign: &Campaign,
    existing: &[Subject],
) -> Result<Vec<Subject>, ImportError> {
    let mut table = read(path, campaign, &Options::default())?;
    parse(&mut table, campaign, &InMemory::new(existing), false).map(|(s, _)| s)
}

/// A CSV roster in memory, found and checked like a file.
pub(crate) fn from_csv(
    file: &str,
    bytes: &[u8],
    campaign: &Campaign,
    existing: &[Subject],
) -> Result<Vec<Subject>, ImportError> {
    let matcher = Matcher::new(SPEC, &campaign.column_aliases);
    let sheet = table::read_csv(file, bytes, &|rows| matcher.finds_header(rows))?;
    let mut table = office::locate(sheet, &matcher)?;
    parse(&mut table, campaign, &InMemory::new(existing), false).map(|(s, _)| s)
}

/// The bundled sample roster, checked against the bundled campaign.
pub fn sample(campaign: &Campaign) -> Result<Vec<Subject>, ImportError> {
    from_csv("data/roster.csv", SAMPLE, campaign, &[])
}

/// The plan of importing `subjects` over the stored ones: new, changed (field by field),
/// unchanged, and stored subjects the file does not have.
pub fn plan(table: &Table, subjects: &[Subject], kept: Vec<Kept>, stored: &dyn Stored) -> Report {
    let mut report = Report {
        file: table.file.clone(),
        layout: table.layout.clone(),
        ..Report::default()
    };
    let (kept, cleared): (Vec<Kept>, Vec<Kept>) =
        kept.into_iter().partition(|k| !k.value.is_empty());
    report.kept = kept;
    report.cleared = cleared;
    // One pass over the stored roster (in roster order) finds which rows are new, unchanged
    // or changed and which stored subjects the file does not have; the old values are read
    // again only for the changed rows the summary shows.
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Unchanged,
        Changed,
    }
    let at: HashMap<&str, usize> = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut state = vec![State::New; subjects.len()];
    stored.each(&mut |old| match at.get(old.id.as_str()) {
        Some(&i) if old == subjects[i] => state[i] = State::Unchanged,
        Some(&i) => state[i] = State::Changed,
        None => report.miss(&old.id),
    });
    for (s, state) in subjects.iter().zip(state) {
        match state {
            State::New => report.add(&s.id, &s.name),
            State::Unchanged => report.unchanged += 1,
            State::Changed if report.changed.len() >= SHOWN => report.changed_count += 1,
            State::Changed => {
                let Some(old) = stored.get(&s.id) else {
                    report.changed_count += 1;
                    continue;
                };
                let date = |d: Option<chrono::NaiveDate>| {
                    d.map(crate::domain::format_date).unwrap_or_default()
                };
                let mut changes = Vec::new();
                let mut diff = |field: &'static str, o: String, n: String| {
                    if o != n {
                        changes.push(FieldChange {
                            field,
                            old: o,
                            new: n,
                        });
                    }
                };
                diff("name", old.name, s.name.clone());
                diff("tier", old.tier, s.tier.clone());
                diff(
                    "parent",
                    old.parent.unwrap_or_default(),
                    s.parent.clone().unwrap_or_default(),
                );
                diff(
                    "registered_on",
                    date(old.registered_on),
                    date(s.registered_on),
                );
                report.change(&s.id, changes);
            }
        }
    }
    report
}

/// One row after its own fields were checked; the cross-row checks use it.
struct Parsed {
    row: usize,
    at: Location,
    id: Option<String>,
    name: Option<String>,
    tier: Option<String>,
    /// The parent cell as written (an id or a name), if not empty.
    parent_raw: Option<String>,
    /// The parent's id once resolved.
    parent: Option<String>,
    registered_on: Option<chrono::NaiveDate>,
    /// Whether the row's own checks passed.
    ok: bool,
}

/// Checks a roster table and returns its subjects in file order, with the stored values kept
/// (or cleared, with `clear_empty`) for empty cells, or every problem found. A file without a
/// registered_on column keeps the dates already stored.
pub fn parse(
    table: &mut Table,
    campaign: &Campaign,
    stored: &dyn Stored,
    clear_empty: bool,
) -> Result<(Vec<Subject>, Vec<Kept>), ImportError> {
    let has_dates = table.has("registered_on");
    let mut problems: Vec<(usize, Problem)> = Vec::new();
    let mut kept: Vec<Kept> = Vec::new();
    let mut parsed = Vec::with_capacity(table.rows.len());
    for (row, r) in table.rows.iter_mut().enumerate() {
        let before = problems.len();
        let mut bad = |field: &str, message: Msg| {
            problems.push((row, Problem::at(&r.at, Some(field), message)));
        };
        let id = table::id(&r.cells[0]).map_err(|m| bad("id", m)).ok();
        let old = id.as_deref().and_then(|i| stored.get(i));
        let old = old.as_ref();
        let mut keep = |field: &'static str, cell: &str, value: String| -> bool {
            keep_stored(&mut kept, id.as_deref(), field, cell, value, clear_empty)
        };
        let name = match old {
            Some(o) if keep("name", &r.cells[1], o.name.clone()) => Some(o.name.clone()),
            _ => table::text(&r.cells[1], "name")
                .map_err(|m| bad("name", m))
                .ok(),
        };
        let tier = match old {
            Some(o) if r.cells[2].trim().is_empty() && !clear_empty => Some(o.tier.clone()),
            _ => check_tier(campaign, &r.cells[2])
                .map_err(|m| bad("tier", m))
                .ok(),
        };
        let mut parent_raw = Some(crate::text::clean(r.cells[3].trim())).filter(|p| !p.is_empty());
        let mut parent = None;
        if parent_raw.is_none()
            && let Some(o) = old
            && let Some(p) = &o.parent
            && keep("parent", &r.cells[3], p.clone())
        {
            parent_raw = Some(p.clone());
            parent = Some(p.clone());
        }
        if let Some(t) = tier.as_deref().and_then(|t| campaign.tier(t)) {
            if t.parents.is_empty() && parent_raw.is_some() {
                bad(
                    "parent",
                    Msg::new(
                        Key::ImpTopLevel,
                        [
                            t.id.as_str().into(),
                            Part::Each {
                                vi: t.name_vi.clone(),
                                en: t.name_en.clone(),
                            },
                            table::shown(parent_raw.as_deref().unwrap_or("")).into(),
                        ],
                    ),
                );
            } else if !t.parents.is_empty() && parent_raw.is_none() {
                bad(
                    "parent",
                    msgs(
                        Key::ImpParentEmpty,
                        &[&t.id.as_str().into(), &or_list(&t.parents)],
                    ),
                );
            }
        }
        let registered_on = if has_dates {
            let date = table::date(&r.cells[4])
                .map_err(|m| bad("registered_on", m))
                .unwrap_or(None);
            match old.and_then(|o| o.registered_on) {
                Some(d)
                    if date.is_none()
                        && keep("registered_on", &r.cells[4], crate::domain::format_date(d)) =>
                {
                    Some(d)
                }
                _ => date,
            }
        } else {
            old.and_then(|s| s.registered_on)
        };
        if let (Some(id), Some(tier), Some(old)) = (&id, &tier, old)
            && &old.tier != tier
        {
            bad(
                "tier",
                msg(Key::ImpTierChange, &[&table::shown(id), &old.tier, tier]),
            );
        }
        let ok = problems.len() == before;
        // The row's text is no longer needed: freeing it as we go keeps one copy of the
        // roster in memory, not two.
        r.cells = Vec::new();
        parsed.push(Parsed {
            row,
            at: r.at.clone(),
            id,
            name,
            tier,
            parent_raw,
            parent,
            registered_on,
            ok,
        });
    }
    resolve_parents(campaign, stored, &mut parsed, &mut problems);
    cross_check(campaign, stored, &parsed, &mut problems);
    if !problems.is_empty() {
        // By row, then by column, whichever check found the problem.
        let column = |p: &Problem| {
            p.field
                .as_deref()
                .and_then(|f| FIELDS.iter().position(|c| c.name == f))
                .map_or(0, |i| i + 1)
        };
        problems.sort_by_key(|(row, p)| (*row, column(p)));
        let mut problems: Vec<Problem> = problems.into_iter().map(|(_, p)| p).collect();
        table.name_columns(&mut problems);
        return Err(ImportError {
            file: table.file.clone(),
            problems,
        });
    }
    // Collected in place into the checked rows' buffer, which is larger (about 60 MB at
    // 320,000 rows for 33 MB of subjects): shrunk so the rest is given back before the write.
    let mut subjects: Vec<Subject> = parsed
        .into_iter()
        .filter_map(|p| match (p.id, p.name, p.tier) {
            (Some(id), Some(name), Some(tier)) => Some(Subject {
                id,
                name,
                tier,
                parent: p.parent,
                registered_on: p.registered_on,
            }),
            _ => None,
        })
        .collect();
    subjects.shrink_to_fit();
    Ok((subjects, kept))
}

/// A tier word as compared: folded like a column name (case, diacritics, spacing and
/// punctuation ignored), with a leading "cấp" or "level" dropped ("Cấp xã" → "xa").
pub(crate) fn tier_key(raw: &str) -> String {
    let folded = crate::text::fold(raw);
    let mut words = folded.split_whitespace().peekable();
    let first = words.peek().copied();
    let rest: Vec<&str> = words.collect();
    let words = match first {
        Some("cap" | "level") if rest.len() > 1 => &rest[1..],
        _ => &rest[..],
    };
    office::key(&words.join(" "))
}

/// A tier by its id, by its Vietnamese or English name or by one of the campaign's aliases
/// for it, compared by `tier_key`.
fn check_tier(campaign: &Campaign, raw: &str) -> Result<String, Msg> {
    let t = raw.trim();
    if campaign.tier(t).is_some() {
        return Ok(t.to_string());
    }
    let k = tier_key(t);
    if let Some(tier) = campaign.tiers.iter().find(|tier| {
        !k.is_empty()
            && [&tier.id, &tier.name_vi, &tier.name_en]
                .into_iter()
                .chain(&tier.aliases)
                .any(|w| tier_key(w) == k)
    }) {
        return Ok(tier.id.clone());
    }
    let valid: Vec<String> = campaign
        .tiers
        .iter()
        .map(|t| format!("{} (\"{}\", \"{}\")", t.id, t.name_vi, t.name_en))
        .collect();
    if t.is_empty() {
        Err(msg(Key::ImpTierEmpty, &[&valid.join("; ")]))
    } else {
        Err(msg(
            Key::ImpTierUnknown,
            &[&table::shown(t), &valid.join("; ")],
        ))
    }
}

/// Subjects by folded name: id, name, tier (the file's borrowed, the stored ones owned).
type NameIndex<'a> = HashMap<String, Vec<(Cow<'a, str>, Cow<'a, str>, Cow<'a, str>)>>;

/// Stored subjects the file also has, by folded stored name: id and stored name.
type Renamed = HashMap<String, Vec<(String, String)>>;

/// Resolves each parent cell to an id: an id of this file or the database as it is, else the
/// name of exactly one subject of a tier this row's tier may belong to (the file wins over the
/// database for an id in both).
fn resolve_parents(
    campaign: &Campaign,
    stored: &dyn Stored,
    parsed: &mut [Parsed],
    problems: &mut Vec<(usize, Problem)>,
) {
    /// A parent cell resolved: the id as written (moved, not copied: at 320,000 rows a copy
    /// of every parent id is some 10 MB), another id (found by name), or none.
    enum Resolved {
        AsWritten,
        Id(String),
        Unresolved,
    }
    let resolved: Vec<Resolved> = {
        let in_file: HashMap<&str, &Parsed> = parsed
            .iter()
            .filter_map(|p| p.id.as_deref().map(|id| (id, p)))
            .collect();
        // Built at the first parent given by name.
        let mut names: Option<(NameIndex, Renamed)> = None;
        parsed
            .iter()
            .map(|p| {
                let Some(raw) = p.parent_raw.as_deref() else {
                    return Resolved::Unresolved;
                };
                if in_file.contains_key(raw) || stored.get(raw).is_some() {
                    return Resolved::AsWritten;
                }
                if !p.ok {
                    return Resolved::Unresolved;
                }
                let (by_name, renamed) = names.get_or_insert_with(|| {
                    let mut m: NameIndex = HashMap::new();
                    for q in parsed.iter() {
                        if let (Some(id), Some(name), Some(tier)) = (&q.id, &q.name, &q.tier) {
                            m.entry(crate::text::fold(name)).or_default().push((
                                Cow::Borrowed(id),
                                Cow::Borrowed(name),
                                Cow::Borrowed(tier),
                            ));
                        }
                    }
                    let mut renamed = Renamed::new();
                    stored.each(&mut |s| {
                        let folded = crate::text::fold(&s.name);
                        if in_file.contains_key(s.id.as_str()) {
                            renamed.entry(folded).or_default().push((s.id, s.name));
                        } else {
                            m.entry(folded).or_default().push((
                                Cow::Owned(s.id),
                                Cow::Owned(s.name),
                                Cow::Owned(s.tier),
                            ));
                        }
                    });
                    (m, renamed)
                });
                let allowed = p
                    .tier
                    .as_deref()
                    .and_then(|t| campaign.tier(t))
                    .map(|t| t.parents.as_slice())
                    .unwrap_or(&[]);
                let folded = crate::text::fold(raw);
                let mut all: Vec<(&str, &str, &str)> = by_name
                    .get(&folded)
                    .map(|v| {
                        v.iter()
                            .map(|(id, name, tier)| (id.as_ref(), name.as_ref(), tier.as_ref()))
                            .collect()
                    })
                    .unwrap_or_default();
                if all.is_empty() {
                    // A unit this file renames is still found by its stored name.
                    all = renamed
                        .get(&folded)
                        .into_iter()
                        .flatten()
                        .filter_map(|(id, name)| {
                            let q = in_file.get(id.as_str())?;
                            Some((id.as_str(), name.as_str(), q.tier.as_deref()?))
                        })
                        .collect();
                }
                let fitting: Vec<&(&str, &str, &str)> = all
                    .iter()
                    .filter(|(_, _, tier)| allowed.is_empty() || allowed.iter().any(|a| a == tier))
                    .collect();
                let message = match fitting.as_slice() {
                    [(id, _, _)] => return Resolved::Id(id.to_string()),
                    [] if all.is_empty() => msg(Key::ImpParentUnknownName, &[&table::shown(raw)]),
                    [] => msgs(
                        Key::ImpParentWrongTierName,
                        &[
                            &table::shown(raw).into(),
                            &all.iter()
                                .map(|(id, _, tier)| format!("{id} ({tier})"))
                                .collect::<Vec<_>>()
                                .join(", ")
                                .into(),
                            &p.tier.as_deref().unwrap_or("?").into(),
                            &or_list(allowed),
                        ],
                    ),
                    many => msg(
                        Key::ImpParentAmbiguous,
                        &[
                            &table::shown(raw),
                            &many.len().to_string(),
                            &many
                                .iter()
                                .map(|(id, name, tier)| {
                                    format!("{} ({id}, {tier})", crate::text::clean(name))
                                })
                                .collect::<Vec<_>>()
                                .join("; "),
                        ],
                    ),
                };
                problems.push((p.row, Problem::at(&p.at, Some("parent"), message)));
                Resolved::Unresolved
            })
            .collect()
    };
    for (p, r) in parsed.iter_mut().zip(resolved) {
        p.parent = match r {
            Resolved::AsWritten => p.parent_raw.take(),
            Resolved::Id(id) => Some(id),
            Resolved::Unresolved => None,
        };
    }
}

/// Duplicate ids, parents that do not exist or have the wrong tier, and cycles.
fn cross_check(
    campaign: &Campaign,
    stored: &dyn Stored,
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
                    msgs(
                        Key::ImpDuplicateId,
                        &[&table::shown(id).into(), &earlier.at.text()],
                    ),
                ),
            )),
            None => {
                first.insert(id, p);
            }
        }
    }
    // The tier of any known id: the file wins over the database.
    let tier_of = |id: &str| -> Option<Option<Cow<str>>> {
        match first.get(id) {
            Some(p) => Some(p.tier.as_deref().map(Cow::Borrowed)),
            None => stored.get(id).map(|s| Some(Cow::Owned(s.tier))),
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
                    msg(Key::ImpParentUnknownId, &[&table::shown(parent)]),
                ),
            )),
            Some(Some(parent_tier)) => {
                let Some(tier) = p.tier.as_deref().and_then(|t| campaign.tier(t)) else {
                    continue;
                };
                if !tier.parents.is_empty() && !tier.parents.iter().any(|t| *t == parent_tier) {
                    problems.push((
                        p.row,
                        Problem::at(
                            &p.at,
                            Some("parent"),
                            msgs(
                                Key::ImpParentWrongTier,
                                &[
                                    &table::shown(parent).into(),
                                    &parent_tier.as_ref().into(),
                                    &tier.id.as_str().into(),
                                    &or_list(&tier.parents),
                                ],
                            ),
                        ),
                    ));
                }
            }
            Some(None) => {}
        }
    }
    let parent_of = |id: &str| -> Option<Cow<str>> {
        match first.get(id) {
            Some(p) => p.parent.as_deref().map(Cow::Borrowed),
            None => stored.get(id).and_then(|s| s.parent).map(Cow::Owned),
        }
    };
    for cycle in cycles(parsed.iter().filter_map(|p| p.id.as_deref()), parent_of) {
        let Some(p) = cycle
            .iter()
            .filter_map(|id| first.get(id.as_ref()))
            .min_by_key(|p| p.row)
        else {
            continue;
        };
        let mut path = cycle.clone();
        let start = path
            .iter()
            .position(|id| id.as_ref() == p.id.as_deref().unwrap_or(""))
            .unwrap_or(0);
        path.rotate_left(start);
        path.push(path[0].clone());
        problems.push((
            p.row,
            Problem::at(
                &p.at,
                Some("parent"),
                msg(Key::ImpCycle, &[&path.join(" → ")]),
            ),
        ));
    }
}

/// Tier ids joined as alternatives: `district or a commune` / `district hoặc commune`.
fn or_list(tiers: &[String]) -> Msg {
    let mut tiers = tiers.iter().rev();
    let last = Msg::from(tiers.next().map_or("", String::as_str));
    tiers.fold(last, |rest, tier| {
        msgs(Key::ImpOr, &[&tier.as_str().into(), &rest])
    })
}

/// Every cycle reachable from `starts` when following `parent_of`, each once, in the order
/// walked (child first). Linear in the number of ids. An id of the file is borrowed; one
/// only stored (an ancestor outside the file) is owned.
fn cycles<'a>(
    starts: impl Iterator<Item = &'a str>,
    parent_of: impl Fn(&str) -> Option<Cow<'a, str>>,
) -> Vec<Vec<Cow<'a, str>>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        OnPath,
        Done,
    }
    let mut state: HashMap<Cow<'a, str>, State> = HashMap::new();
    let mut found = Vec::new();
    for start in starts {
        let mut path: Vec<Cow<'a, str>> = Vec::new();
        let mut at = Some(Cow::Borrowed(start));
        while let Some(id) = at {
            match state.get(id.as_ref()) {
                Some(State::Done) => break,
                Some(State::OnPath) => {
                    if let Some(i) = path.iter().position(|p| *p == id) {
                        found.push(path[i..].to_vec());
                    }
                    break;
                }
                None => {
                    state.insert(id.clone(), State::OnPath);
                    at = parent_of(&id);
                    path.push(id);
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
            parents.get(id).copied().map(Cow::Borrowed)
        });
        assert_eq!(found, vec![vec!["A", "B"]]);
        let selfish: HashMap<&str, &str> = [("X", "X")].into();
        assert_eq!(
            cycles(["X"].into_iter(), |id| selfish
                .get(id)
                .copied()
                .map(Cow::Borrowed)),
            vec![vec!["X"]]
        );
    }
}
