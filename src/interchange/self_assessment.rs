//! The self-assessment file (tự đánh giá): what each unit claimed for each criterion before
//! the reviewers appraise it, in one of two shapes, found from the header (see data/README.md):
//!
//! - **wide**, the sheet an office fills in: a row per subject (a column with its id, or with
//!   its name), a column per criterion, named by the criterion's id (`TT1`), its short title in
//!   either language, or an alias from the campaign's `[column_aliases]`; an optional evidence
//!   column (Tài liệu kiểm chứng) applies to every claim of its row;
//! - **long**: a row per claim with the columns subject, criterion, value and, optionally,
//!   evidence.
//!
//! The header is the first of the first 20 rows that is a long header (subject, criterion and
//! value columns) or a wide one (a subject column and at least one criterion column); title
//! rows above it, the table's end and everything `office::locate` checks apply as for the
//! roster. Values: Đạt / Không đạt / x / ✓ / ✗ on pass/fail criteria, a number of points (comma
//! or dot) within the criterion's scale and step on points criteria. The whole file is checked
//! before anything is stored; an empty cell keeps the stored claim unless `--clear-empty`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::office::{self, Field, Matcher, Spec};
use super::plan::{FieldChange, Kept, Options, Report};
use super::table::{self, ImportError, Location, Msg, Row, Sheet, Table};
use crate::domain::{
    Campaign, Claim, ClaimRefusal, Criterion, Scale, Subject, VerdictValue, parse_claim_value,
};

/// What is wrong with one cell. The words are the caller's (`commands::import`), which holds
/// the message catalogue; this layer only says what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// The subject cell is empty.
    SubjectEmpty,
    /// More than one subject has this (folded) name; the first ids.
    SubjectAmbiguous {
        name: String,
        count: usize,
        ids: Vec<String>,
    },
    /// No subject has this id or name.
    SubjectUnknown { name: String },
    /// The criterion is not one of the subject's group; its criteria.
    NotForSubject {
        criterion: String,
        subject: String,
        criteria: Vec<String>,
    },
    /// A second claim for one subject and criterion.
    Duplicate {
        subject: String,
        criterion: String,
        earlier: Location,
    },
    /// A second row for one subject (wide shape).
    DuplicateSubject { subject: String, earlier: Location },
    /// The criterion cell is empty (long shape); the campaign's criteria.
    CriterionEmpty { criteria: Vec<String> },
    /// No criterion has this id, title or alias (long shape).
    CriterionUnknown { name: String, criteria: Vec<String> },
    /// A value the criterion's scale cannot hold (`max`: its points maximum).
    Value {
        criterion: String,
        cell: String,
        why: ClaimRefusal,
        max: Option<u32>,
    },
    /// A text refused by the shared cell checks (already in words).
    Text(Msg),
}

/// One problem found in a file's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub at: Location,
    /// The field (canonical name, or a criterion id in the wide shape).
    pub field: String,
    pub issue: Issue,
}

/// Why a file could not be read as a self-assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The file or its table (as for every import).
    File(ImportError),
    /// No header of either shape in the first 20 rows: the long shape's "no header" error,
    /// and what a wide header would need (subject column names, the criteria ids).
    NoShape {
        error: ImportError,
        by_id: String,
        by_name: String,
        criteria: Vec<String>,
    },
}

impl From<ImportError> for ReadError {
    fn from(e: ImportError) -> Self {
        ReadError::File(e)
    }
}

/// Column names of the subject, by id (either shape).
const SUBJECT_ID: &[&str] = &[
    "Mã",
    "Mã đơn vị",
    "Mã số",
    "Mã ĐVHC",
    "Mã định danh",
    "Mã cá nhân",
    "ID",
    "Subject id",
];
/// Column names of the subject, by name (wide shape).
const SUBJECT_NAME: &[&str] = &[
    "Tên",
    "Tên đơn vị",
    "Họ và tên",
    "Họ tên",
    "Tên cơ quan, đơn vị",
    "Cơ quan, đơn vị",
    "Đơn vị",
    "Name",
];
/// Column names of the evidence note (either shape).
const EVIDENCE: &[&str] = &[
    "Tài liệu kiểm chứng",
    "Tài liệu minh chứng",
    "Minh chứng",
    "Evidence",
];

/// The long shape's fields.
pub(crate) const LONG_FIELDS: [Field; 4] = [
    Field {
        name: "subject",
        required: true,
        aliases: &[
            "Mã",
            "Mã đơn vị",
            "Mã số",
            "Mã ĐVHC",
            "Đơn vị",
            "Tên đơn vị",
            "Cơ quan, đơn vị",
            "Subject",
            "Unit",
        ],
    },
    Field {
        name: "criterion",
        required: true,
        aliases: &["Tiêu chí", "Mã tiêu chí", "Nội dung tiêu chí", "Criterion"],
    },
    Field {
        name: "value",
        required: true,
        aliases: &[
            "Tự đánh giá",
            "Kết quả tự đánh giá",
            "Điểm tự đánh giá",
            "Điểm tự chấm",
            "Tự chấm",
            "Kết quả",
            "Giá trị",
            "Value",
            "Self-assessment",
            "Claim",
        ],
    },
    Field {
        name: "evidence",
        required: false,
        aliases: EVIDENCE,
    },
];

/// The long shape; a row below the table with a subject and a criterion is a gap.
pub(crate) const LONG_SPEC: Spec = Spec {
    fields: &LONG_FIELDS,
    gap_fields: ["subject", "criterion"],
};

/// The field names `[column_aliases]` may give more column names for here: the long shape's
/// fields, `name` (the wide shape's subject name column) and every criterion id.
pub(crate) fn alias_fields(campaign: &Campaign) -> Vec<String> {
    let mut out: Vec<String> = LONG_FIELDS.iter().map(|f| f.name.to_string()).collect();
    out.push("name".into());
    for g in &campaign.groups {
        for c in &g.criteria {
            if !out.contains(&c.id) {
                out.push(c.id.clone());
            }
        }
    }
    out
}

/// Which shape a file has, and why: the header row and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A row per claim.
    Long { header: Location },
    /// A row per subject; the subject column (`subject` by id or `name`) and the criteria
    /// columns found.
    Wide {
        header: Location,
        by_name: bool,
        criteria: Vec<String>,
    },
}

/// The wide shape's spec for this campaign: subject id (required, or optional when `by_name`),
/// subject name, evidence, then one field per criterion id. Field names and aliases must live
/// as long as a `Spec`; a campaign has tens of criteria and one import builds this once, so
/// they are leaked rather than threading lifetimes through `office`.
fn wide_spec(campaign: &Campaign, by_name: bool) -> Spec {
    let mut fields = vec![
        Field {
            name: "subject",
            required: !by_name,
            aliases: SUBJECT_ID,
        },
        Field {
            name: "name",
            required: by_name,
            aliases: SUBJECT_NAME,
        },
        Field {
            name: "evidence",
            required: false,
            aliases: EVIDENCE,
        },
    ];
    let mut seen = HashSet::new();
    for c in campaign.groups.iter().flat_map(|g| &g.criteria) {
        if !seen.insert(c.id.as_str()) {
            continue;
        }
        let name: &'static str = Box::leak(c.id.clone().into_boxed_str());
        let titles: Vec<&'static str> = [c.title_vi.as_str(), c.title_en.as_str()]
            .into_iter()
            .map(|t| &*Box::leak(t.to_string().into_boxed_str()))
            .collect();
        fields.push(Field {
            name,
            required: false,
            aliases: Box::leak(titles.into_boxed_slice()),
        });
    }
    let fields: &'static [Field] = Box::leak(fields.into_boxed_slice());
    Spec {
        fields,
        gap_fields: if by_name {
            ["name", "evidence"]
        } else {
            ["subject", "name"]
        },
    }
}

/// A self-assessment file's table, with its shape.
pub struct Read {
    pub table: Table,
    pub shape: Shape,
}

/// Reads a self-assessment file (CSV or XLSX), finds its shape and its table.
pub fn read(path: &Path, campaign: &Campaign, options: &Options) -> Result<Read, ReadError> {
    let aliases = &campaign.column_aliases;
    let long = Matcher::new(LONG_SPEC, aliases);
    let by_id = Matcher::new(wide_spec(campaign, false), aliases);
    let by_name = Matcher::new(wide_spec(campaign, true), aliases);
    let criteria = criterion_keys(campaign, aliases);
    let wide_header = |m: &Matcher, r: &Row| {
        m.is_header(r) && r.cells.iter().any(|c| criteria.contains(&office::key(c)))
    };
    let sheet = table::read(path, &options.read, &|rows| {
        rows.iter()
            .take(office::HEADER_SEARCH_ROWS)
            .any(|r| long.is_header(r) || wide_header(&by_id, r) || wide_header(&by_name, r))
    })?;
    let found = sheet
        .rows
        .iter()
        .take(office::HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(h, r)| {
            if long.is_header(r) {
                Some((h, 0))
            } else if wide_header(&by_id, r) {
                Some((h, 1))
            } else if wide_header(&by_name, r) {
                Some((h, 2))
            } else {
                None
            }
        });
    let Some((h, kind)) = found else {
        // The long shape's "no header" message lists what was looked at; the wide shape is
        // explained after it.
        let error = match office::locate(sheet, &long) {
            Err(e) => e,
            Ok(_) => unreachable!("no row is a long header"),
        };
        return Err(ReadError::NoShape {
            error,
            by_id: by_id.expected(),
            by_name: by_name.expected(),
            criteria: criterion_ids(campaign),
        });
    };
    let matcher = match kind {
        0 => &long,
        1 => &by_id,
        _ => &by_name,
    };
    let mut sheet: Sheet = sheet;
    // A row above the chosen header that the wide matcher alone would take (a subject column
    // with no criterion) is a title row.
    for r in sheet.rows.iter_mut().take(h) {
        if matcher.is_header(r) {
            r.cells.iter_mut().for_each(String::clear);
        }
    }
    let header_at = sheet.rows[h].at.clone();
    let table = office::locate(sheet, matcher)?;
    let shape = if kind == 0 {
        Shape::Long { header: header_at }
    } else {
        let criteria = table
            .header
            .cells
            .iter()
            .zip(&table.present)
            .skip(3)
            .filter(|(_, p)| **p)
            .map(|(c, _)| c.clone())
            .collect();
        Shape::Wide {
            header: header_at,
            by_name: kind == 2,
            criteria,
        }
    };
    Ok(Read { table, shape })
}

/// Every criterion id of the campaign, in order, once each.
fn criterion_ids(campaign: &Campaign) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in campaign.groups.iter().flat_map(|g| &g.criteria) {
        if !out.contains(&c.id) {
            out.push(c.id.clone());
        }
    }
    out
}

/// Every column name meaning a criterion, as compared (`office::key`).
fn criterion_keys(campaign: &Campaign, aliases: &BTreeMap<String, Vec<String>>) -> HashSet<String> {
    let mut out = HashSet::new();
    for c in campaign.groups.iter().flat_map(|g| &g.criteria) {
        out.insert(office::key(&c.id));
        out.insert(office::key(&c.title_vi));
        out.insert(office::key(&c.title_en));
        for a in aliases.get(&c.id).into_iter().flatten() {
            out.insert(office::key(a));
        }
    }
    out
}

/// One claim to store or remove, as planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub subject_no: u32,
    pub criterion: u16,
    pub subject: String,
    pub criterion_id: String,
    /// The stored claim.
    pub old: Option<Claim>,
    /// What is stored after the import (`None`: removed by `--clear-empty`).
    pub new: Option<Claim>,
}

/// A checked file: the claims it gives (and the stored ones it keeps or clears).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub planned: Vec<Planned>,
    pub kept: Vec<Kept>,
    /// Subjects the file names, by id.
    pub subjects: HashSet<String>,
}

/// The database's subjects, found by id or by (folded) name.
struct Subjects<'a> {
    list: &'a [(u32, Subject)],
    by_id: HashMap<&'a str, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

impl<'a> Subjects<'a> {
    fn new(list: &'a [(u32, Subject)]) -> Self {
        let mut by_id = HashMap::with_capacity(list.len());
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, s)) in list.iter().enumerate() {
            by_id.insert(s.id.as_str(), i);
            by_name.entry(office::key(&s.name)).or_default().push(i);
        }
        Subjects {
            list,
            by_id,
            by_name,
        }
    }

    /// The subject a cell names, by id, else by name when exactly one subject has it.
    fn find(&self, cell: &str) -> Result<usize, Issue> {
        let t = cell.trim();
        if t.is_empty() {
            return Err(Issue::SubjectEmpty);
        }
        if let Some(i) = self.by_id.get(t) {
            return Ok(*i);
        }
        match self.by_name.get(&office::key(t)).map(Vec::as_slice) {
            Some([i]) => Ok(*i),
            Some(many) if !many.is_empty() => {
                let ids: Vec<String> = many
                    .iter()
                    .take(10)
                    .map(|i| self.list[*i].1.id.clone())
                    .collect();
                Err(Issue::SubjectAmbiguous {
                    name: t.to_string(),
                    count: many.len(),
                    ids,
                })
            }
            _ => Err(Issue::SubjectUnknown {
                name: t.to_string(),
            }),
        }
    }
}

/// The criterion a long row's cell names: by id, short title or campaign alias.
fn find_criterion<'c>(campaign: &'c Campaign, cell: &str) -> Option<&'c Criterion> {
    let k = office::key(cell);
    if k.is_empty() {
        return None;
    }
    let all = campaign.groups.iter().flat_map(|g| &g.criteria);
    let mut by_alias = None;
    for c in all {
        if office::key(&c.id) == k || office::key(&c.title_vi) == k || office::key(&c.title_en) == k
        {
            return Some(c);
        }
        if by_alias.is_none()
            && campaign
                .column_aliases
                .get(&c.id)
                .is_some_and(|a| a.iter().any(|a| office::key(a) == k))
        {
            by_alias = Some(c);
        }
    }
    by_alias
}

fn refusal(criterion: &Criterion, cell: &str, why: ClaimRefusal) -> Issue {
    Issue::Value {
        criterion: criterion.id.clone(),
        cell: cell.to_string(),
        why,
        max: match criterion.scale {
            Scale::Points(m) => Some(m),
            Scale::PassFail => None,
        },
    }
}

/// Checks a self-assessment table against the campaign, the subjects (with their numbers)
/// and the stored claims, and returns the plan, or every problem found. `show` writes a
/// claim value as the summary shows it (a kept value).
pub fn parse(
    read: &Read,
    campaign: &Campaign,
    subjects: &[(u32, Subject)],
    stored: &[(u32, u16, Claim)],
    clear_empty: bool,
    show: &dyn Fn(VerdictValue) -> String,
) -> Result<Parsed, Vec<Found>> {
    let table = &read.table;
    let index = Subjects::new(subjects);
    let stored_map: HashMap<(u32, u16), &Claim> =
        stored.iter().map(|(n, c, cl)| ((*n, *c), cl)).collect();
    let mut problems: Vec<Found> = Vec::new();
    let mut out = Parsed::default();
    // Where each (subject, criterion index) was first given.
    let mut first: HashMap<(usize, u16), Location> = HashMap::new();
    // One claim cell: subject (position in `subjects`), criterion, value cell, evidence cell,
    // the field the value came from.
    let found = |at: &Location, field: &str, issue: Issue| Found {
        at: at.clone(),
        field: field.to_string(),
        issue,
    };
    let mut give = |problems: &mut Vec<Found>,
                    out: &mut Parsed,
                    at: &Location,
                    field: &str,
                    s: usize,
                    criterion: &Criterion,
                    cell: &str,
                    evidence: &str| {
        let (no, subject) = &subjects[s];
        let Some(idx) = campaign
            .group_of_tier(&subject.tier)
            .and_then(|g| g.index_of(&criterion.id))
        else {
            let group = campaign.group_of_tier(&subject.tier);
            let criteria = group
                .map(|g| g.criteria.iter().map(|c| c.id.clone()).collect())
                .unwrap_or_default();
            problems.push(found(
                at,
                field,
                Issue::NotForSubject {
                    criterion: criterion.id.clone(),
                    subject: subject.id.clone(),
                    criteria,
                },
            ));
            return;
        };
        let idx = idx as u16;
        match first.get(&(s, idx)) {
            Some(earlier) => {
                problems.push(found(
                    at,
                    field,
                    Issue::Duplicate {
                        subject: subject.id.clone(),
                        criterion: criterion.id.clone(),
                        earlier: earlier.clone(),
                    },
                ));
                return;
            }
            None => {
                first.insert((s, idx), at.clone());
            }
        }
        let old = stored_map.get(&(*no, idx)).copied();
        let key_id = format!("{} · {}", subject.id, criterion.id);
        if cell.trim().is_empty() {
            if let Some(old) = old {
                out.kept.push(Kept {
                    id: key_id,
                    field: "value",
                    value: if clear_empty {
                        String::new()
                    } else {
                        show(old.value)
                    },
                });
                if clear_empty {
                    out.planned.push(Planned {
                        subject_no: *no,
                        criterion: idx,
                        subject: subject.id.clone(),
                        criterion_id: criterion.id.clone(),
                        old: Some(old.clone()),
                        new: None,
                    });
                }
            }
            return;
        }
        let value = match parse_claim_value(criterion, cell) {
            Ok(v) => v,
            Err(why) => {
                problems.push(found(at, field, refusal(criterion, cell, why)));
                return;
            }
        };
        let mut evidence = match table::optional_text(evidence, "evidence") {
            Ok(e) => e,
            Err(m) => {
                problems.push(found(at, "evidence", Issue::Text(m)));
                return;
            }
        };
        if evidence.is_empty()
            && let Some(old) = old.filter(|o| !o.evidence.is_empty())
        {
            out.kept.push(Kept {
                id: key_id,
                field: "evidence",
                value: if clear_empty {
                    String::new()
                } else {
                    old.evidence.clone()
                },
            });
            if !clear_empty {
                evidence = old.evidence.clone();
            }
        }
        out.planned.push(Planned {
            subject_no: *no,
            criterion: idx,
            subject: subject.id.clone(),
            criterion_id: criterion.id.clone(),
            old: old.cloned(),
            new: Some(Claim { value, evidence }),
        });
    };
    match &read.shape {
        Shape::Long { .. } => {
            for r in &table.rows {
                let s = match index.find(&r.cells[0]) {
                    Ok(s) => s,
                    Err(issue) => {
                        problems.push(found(&r.at, "subject", issue));
                        continue;
                    }
                };
                out.subjects.insert(subjects[s].1.id.clone());
                let Some(criterion) = find_criterion(campaign, &r.cells[1]) else {
                    let criteria = criterion_ids(campaign);
                    let issue = if r.cells[1].trim().is_empty() {
                        Issue::CriterionEmpty { criteria }
                    } else {
                        Issue::CriterionUnknown {
                            name: r.cells[1].clone(),
                            criteria,
                        }
                    };
                    problems.push(found(&r.at, "criterion", issue));
                    continue;
                };
                give(
                    &mut problems,
                    &mut out,
                    &r.at,
                    "value",
                    s,
                    criterion,
                    &r.cells[2],
                    &r.cells[3],
                );
            }
        }
        Shape::Wide { by_name, .. } => {
            let by_name = *by_name;
            let mut rows_of: HashMap<usize, Location> = HashMap::new();
            let criteria: Vec<(usize, &Criterion)> = table
                .header
                .cells
                .iter()
                .enumerate()
                .skip(3)
                .filter(|(i, _)| table.present[*i])
                .filter_map(|(i, id)| campaign.criterion(id).map(|c| (i, c)))
                .collect();
            for r in &table.rows {
                // By id, or by name when the id cell is empty and the file has names.
                let by_name = by_name || (r.cells[0].trim().is_empty() && table.has("name"));
                let cell = if by_name { &r.cells[1] } else { &r.cells[0] };
                let field = if by_name { "name" } else { "subject" };
                let s = match index.find(cell) {
                    Ok(s) => s,
                    Err(issue) => {
                        problems.push(found(&r.at, field, issue));
                        continue;
                    }
                };
                if let Some(earlier) = rows_of.get(&s) {
                    problems.push(found(
                        &r.at,
                        field,
                        Issue::DuplicateSubject {
                            subject: subjects[s].1.id.clone(),
                            earlier: earlier.clone(),
                        },
                    ));
                    continue;
                }
                rows_of.insert(s, r.at.clone());
                out.subjects.insert(subjects[s].1.id.clone());
                let group = campaign.group_of_tier(&subjects[s].1.tier);
                for (i, criterion) in &criteria {
                    let applies = group.is_some_and(|g| g.index_of(&criterion.id).is_some());
                    // A column of another group's criterion left empty is no claim.
                    if !applies && r.cells[*i].trim().is_empty() {
                        continue;
                    }
                    give(
                        &mut problems,
                        &mut out,
                        &r.at,
                        &criterion.id,
                        s,
                        criterion,
                        &r.cells[*i],
                        &r.cells[2],
                    );
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The plan as the import summary shows it: new claims, changed ones (old → new),
/// unchanged, kept, cleared, and subjects with stored claims the file does not name; `show`
/// writes a claim value.
pub fn plan(
    read: &Read,
    parsed: &Parsed,
    subjects: &[(u32, Subject)],
    stored: &[(u32, u16, Claim)],
    show: &dyn Fn(VerdictValue) -> String,
) -> Report {
    let mut report = Report {
        file: read.table.file.clone(),
        layout: read.table.layout.clone(),
        ..Report::default()
    };
    let (kept, cleared): (Vec<Kept>, Vec<Kept>) = parsed
        .kept
        .iter()
        .cloned()
        .partition(|k| !k.value.is_empty());
    report.kept = kept;
    report.cleared = cleared;
    for p in &parsed.planned {
        let id = format!("{} · {}", p.subject, p.criterion_id);
        match (&p.old, &p.new) {
            (None, Some(new)) => report.add(&id, &claim_text(new, show)),
            (Some(old), Some(new)) if old == new => report.unchanged += 1,
            (Some(old), Some(new)) => {
                let mut changes = Vec::new();
                if old.value != new.value {
                    changes.push(FieldChange {
                        field: "value",
                        old: show(old.value),
                        new: show(new.value),
                    });
                }
                if old.evidence != new.evidence {
                    changes.push(FieldChange {
                        field: "evidence",
                        old: old.evidence.clone(),
                        new: new.evidence.clone(),
                    });
                }
                report.change(&id, changes);
            }
            (Some(old), None) => report.change(
                &id,
                vec![FieldChange {
                    field: "value",
                    old: show(old.value),
                    new: String::new(),
                }],
            ),
            (None, None) => {}
        }
    }
    let ids: HashMap<u32, &str> = subjects.iter().map(|(n, s)| (*n, s.id.as_str())).collect();
    let mut missing: Vec<&str> = stored
        .iter()
        .filter_map(|(no, _, _)| ids.get(no).copied())
        .filter(|id| !parsed.subjects.contains(*id))
        .collect();
    missing.dedup();
    for id in missing {
        report.miss(id);
    }
    report
}

fn claim_text(c: &Claim, show: &dyn Fn(VerdictValue) -> String) -> String {
    let v = show(c.value);
    if c.evidence.is_empty() {
        v
    } else {
        format!("{v} ({})", c.evidence)
    }
}
