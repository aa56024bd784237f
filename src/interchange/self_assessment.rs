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

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::office::{self, Field, Matcher, Spec};
use super::plan::{FieldChange, Kept, Options, Report, SHOWN};
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

/// One claim the import changes: the subject's number, the criterion's index in its group,
/// and what is stored after it (`None`: removed by `--clear-empty`).
pub type Write = (u32, u16, Option<Claim>);

/// How many claims one chunk of `Writes` holds.
const WRITES_CHUNK: usize = 1 << 15;

/// The claims that change, in chunks: a list of a million grows without copying itself into
/// a buffer twice its size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Writes {
    chunks: Vec<Vec<Write>>,
}

impl Writes {
    fn push(&mut self, write: Write) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < WRITES_CHUNK => chunk.push(write),
            _ => {
                let mut chunk = Vec::with_capacity(WRITES_CHUNK);
                chunk.push(write);
                self.chunks.push(chunk);
            }
        }
    }

    /// The claims, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Write> {
        self.chunks.iter().flatten()
    }

    pub fn len(&self) -> usize {
        self.chunks.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A checked file, planned as it was read: only the claims that change are held (a claim the
/// file gives unchanged is counted, not kept), with the summary's counts and first entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The claims that change, in file order, each (subject, criterion) once.
    pub writes: Writes,
    /// New claims, changed ones and removed ones among `writes`, for the audit event.
    pub added: u64,
    pub updated: u64,
    pub cleared: u64,
    /// The summary's new, changed and unchanged claims (the first `plan::SHOWN` of each list).
    pub report: Report,
    pub kept: Vec<Kept>,
    /// Which subjects (positions in the subject list) the file names.
    named: Vec<bool>,
}

/// A stored subject as the checks need it: its number, its id and its tier (the tier's
/// position in the campaign's list). At ten times the province a list of these is a fifth of
/// the subjects themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub no: u32,
    pub id: Box<str>,
    pub tier: u16,
}

impl Known {
    /// `subject` as the checks need it.
    pub fn new(campaign: &Campaign, no: u32, subject: &Subject) -> Self {
        Known {
            no,
            id: subject.id.as_str().into(),
            tier: campaign
                .tiers
                .iter()
                .position(|t| t.id == subject.tier)
                .map_or(u16::MAX, |t| t as u16),
        }
    }
}

/// What the database holds, as the checks read it: the stored claims one at a time, not a
/// copy of them all (1.3 million at ten times the province), and the subjects' names only
/// when a cell names a subject by name.
pub trait Stored {
    /// Every stored subject's number and name, in number order.
    fn names(&self, each: &mut dyn FnMut(u32, String));
    /// The stored claim of a subject (by number) on a criterion (by index in its group).
    fn claim(&self, no: u32, criterion: u16) -> Option<Claim>;
    /// The numbers of the subjects with stored claims, in order (a number may repeat).
    fn claimed(&self, each: &mut dyn FnMut(u32));
}

/// The database's subjects, found by id or by (folded) name; the names are read and folded
/// only when a cell is not an id.
struct Subjects<'a> {
    list: &'a [Known],
    stored: &'a dyn Stored,
    by_id: HashMap<&'a str, usize>,
    by_name: OnceCell<HashMap<String, Vec<usize>>>,
}

impl<'a> Subjects<'a> {
    fn new(list: &'a [Known], stored: &'a dyn Stored) -> Self {
        let by_id = list.iter().enumerate().map(|(i, s)| (&*s.id, i)).collect();
        Subjects {
            list,
            stored,
            by_id,
            by_name: OnceCell::new(),
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
        let by_name = self.by_name.get_or_init(|| {
            let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
            self.stored.names(&mut |no, name| {
                if let Ok(i) = self.list.binary_search_by_key(&no, |s| s.no) {
                    by_name.entry(office::key(&name)).or_default().push(i);
                }
            });
            by_name
        });
        match by_name.get(&office::key(t)).map(Vec::as_slice) {
            Some([i]) => Ok(*i),
            Some(many) if !many.is_empty() => {
                let ids: Vec<String> = many
                    .iter()
                    .take(10)
                    .map(|i| self.list[*i].id.to_string())
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

/// The row (index in the table) where each (subject position, criterion index) was first given.
type FirstRows = HashMap<(u32, u16), u32>;

/// Checks a self-assessment table against the campaign, the subjects (in number order) and
/// the stored claims, and returns the plan, or every problem found. Each row is compared with the stored claims as
/// it is checked and its cells are freed once checked: what stays is the claims that change
/// and the counts. `show` writes a claim value as the summary shows it.
pub fn parse(
    read: &mut Read,
    campaign: &Campaign,
    subjects: &[Known],
    stored: &dyn Stored,
    clear_empty: bool,
    show: &dyn Fn(VerdictValue) -> String,
) -> Result<Parsed, Vec<Found>> {
    let table = &mut read.table;
    let index = Subjects::new(subjects, stored);
    let tier_of = |s: &Known| {
        campaign
            .tiers
            .get(usize::from(s.tier))
            .map(|t| t.id.as_str())
    };
    let group_of = |s: &Known| tier_of(s).and_then(|t| campaign.group_of_tier(t));
    let mut problems: Vec<Found> = Vec::new();
    let mut out = Parsed {
        named: vec![false; subjects.len()],
        ..Parsed::default()
    };
    // Long shape: the row (index in the table) where each (subject, criterion index) was
    // first given. A wide row gives each of its subject's criteria once, and a subject has
    // one row, so the wide shape needs no such map.
    let mut first = FirstRows::new();
    let found = |at: &Location, field: &str, issue: Issue| Found {
        at: at.clone(),
        field: field.to_string(),
        issue,
    };
    // One claim cell: the row (its index and place), the field the value came from, the
    // subject (position in `subjects`), the criterion, the value and evidence cells.
    let give = |problems: &mut Vec<Found>,
                out: &mut Parsed,
                first: Option<(&mut FirstRows, &[Row])>,
                (row, at): (usize, &Location),
                field: &str,
                s: usize,
                criterion: &Criterion,
                cell: &str,
                evidence: &str| {
        let subject = &subjects[s];
        let no = &subject.no;
        let Some(idx) = group_of(subject).and_then(|g| g.index_of(&criterion.id)) else {
            let group = group_of(subject);
            let criteria = group
                .map(|g| g.criteria.iter().map(|c| c.id.clone()).collect())
                .unwrap_or_default();
            problems.push(found(
                at,
                field,
                Issue::NotForSubject {
                    criterion: criterion.id.clone(),
                    subject: subject.id.to_string(),
                    criteria,
                },
            ));
            return;
        };
        let idx = idx as u16;
        if let Some((first, rows)) = first {
            match first.get(&(s as u32, idx)) {
                Some(earlier) => {
                    problems.push(found(
                        at,
                        field,
                        Issue::Duplicate {
                            subject: subject.id.to_string(),
                            criterion: criterion.id.clone(),
                            earlier: rows[*earlier as usize].at.clone(),
                        },
                    ));
                    return;
                }
                None => {
                    first.insert((s as u32, idx), row as u32);
                }
            }
        }
        let old = stored.claim(*no, idx);
        let old = old.as_ref();
        let key_id = || format!("{} · {}", subject.id, criterion.id);
        if cell.trim().is_empty() {
            if let Some(old) = old {
                out.kept.push(Kept {
                    id: key_id(),
                    field: "value",
                    value: if clear_empty {
                        String::new()
                    } else {
                        show(old.value)
                    },
                });
                if clear_empty {
                    out.cleared += 1;
                    out.writes.push((*no, idx, None));
                    if out.report.changed.len() < SHOWN {
                        out.report.change(
                            &key_id(),
                            vec![FieldChange {
                                field: "value",
                                old: show(old.value),
                                new: String::new(),
                            }],
                        );
                    } else {
                        out.report.changed_count += 1;
                    }
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
                id: key_id(),
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
        let new = Claim { value, evidence };
        match old {
            Some(old) if *old == new => out.report.unchanged += 1,
            Some(old) => {
                out.updated += 1;
                if out.report.changed.len() < SHOWN {
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
                    out.report.change(&key_id(), changes);
                } else {
                    out.report.changed_count += 1;
                }
                out.writes.push((*no, idx, Some(new)));
            }
            None => {
                out.added += 1;
                if out.report.added.len() < SHOWN {
                    out.report.add(&key_id(), &claim_text(&new, show));
                } else {
                    out.report.added_count += 1;
                }
                out.writes.push((*no, idx, Some(new)));
            }
        }
    };
    match &read.shape {
        Shape::Long { .. } => {
            for row in 0..table.rows.len() {
                let r = &table.rows[row];
                let s = match index.find(&r.cells[0]) {
                    Ok(s) => s,
                    Err(issue) => {
                        problems.push(found(&r.at, "subject", issue));
                        continue;
                    }
                };
                out.named[s] = true;
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
                    Some((&mut first, &table.rows)),
                    (row, &r.at),
                    "value",
                    s,
                    criterion,
                    &r.cells[2],
                    &r.cells[3],
                );
                table.rows[row].cells = Vec::new();
            }
        }
        Shape::Wide { by_name, .. } => {
            let by_name = *by_name;
            let has_names = table.has("name");
            // The row (index in the table) of each subject named.
            let mut rows_of: HashMap<usize, u32> = HashMap::new();
            let criteria: Vec<(usize, &Criterion)> = table
                .header
                .cells
                .iter()
                .enumerate()
                .skip(3)
                .filter(|(i, _)| table.present[*i])
                .filter_map(|(i, id)| campaign.criterion(id).map(|c| (i, c)))
                .collect();
            for row in 0..table.rows.len() {
                let r = &table.rows[row];
                // By id, or by name when the id cell is empty and the file has names.
                let by_name = by_name || (r.cells[0].trim().is_empty() && has_names);
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
                            subject: subjects[s].id.to_string(),
                            earlier: table.rows[*earlier as usize].at.clone(),
                        },
                    ));
                    continue;
                }
                rows_of.insert(s, row as u32);
                out.named[s] = true;
                let group = group_of(&subjects[s]);
                for (i, criterion) in &criteria {
                    let applies = group.is_some_and(|g| g.index_of(&criterion.id).is_some());
                    // A column of another group's criterion left empty is no claim.
                    if !applies && r.cells[*i].trim().is_empty() {
                        continue;
                    }
                    give(
                        &mut problems,
                        &mut out,
                        None,
                        (row, &r.at),
                        &criterion.id,
                        s,
                        criterion,
                        &r.cells[*i],
                        &r.cells[2],
                    );
                }
                table.rows[row].cells = Vec::new();
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
/// unchanged, kept, cleared, and subjects with stored claims the file does not name.
pub fn plan(read: &Read, parsed: &Parsed, subjects: &[Known], stored: &dyn Stored) -> Report {
    let mut report = Report {
        file: read.table.file.clone(),
        layout: read.table.layout.clone(),
        ..parsed.report.clone()
    };
    let (kept, cleared): (Vec<Kept>, Vec<Kept>) = parsed
        .kept
        .iter()
        .cloned()
        .partition(|k| !k.value.is_empty());
    report.kept = kept;
    report.cleared = cleared;
    let mut last = None;
    stored.claimed(&mut |no| {
        if last == Some(no) {
            return;
        }
        last = Some(no);
        if let Ok(s) = subjects.binary_search_by_key(&no, |k| k.no)
            && !parsed.named.get(s).copied().unwrap_or(false)
        {
            report.miss(&subjects[s].id);
        }
    });
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
