//! The initiatives file: sáng kiến with the fields `id,title,owner,submitted_on`, optionally
//! `status,authority,decision,decided_on,scope`, under any of the column names in `FIELDS`
//! (see data/README.md), in any order, below a title block (see `office`). Checked whole
//! before anything is stored; an owner must be a subject the database (or the roster being
//! created with it) already has. A recognised initiative carries its recognition (who, which
//! decision, when, what scope); any other status must leave those four cells empty. On
//! re-import an empty title, owner or submission date keeps the stored value unless
//! `--clear-empty` is given.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::office::{self, Field, Matcher, Spec};
use super::plan::{FieldChange, Kept, Options, Report, keep_stored};
use super::table::{self, ImportError, Msg, Problem, Table, msg, msgs};
use crate::domain::{Campaign, Initiative, InitiativeStatus, Recognition, Scope};
use crate::msg::{Key, Part};

/// The initiatives file's fields and the column names that mean each.
pub(crate) const FIELDS: [Field; 9] = [
    Field {
        name: "id",
        required: true,
        aliases: &["Mã", "Mã sáng kiến", "Mã số", "ID"],
    },
    Field {
        name: "title",
        required: true,
        aliases: &["Tên sáng kiến", "Tên", "Tên đề tài", "Title"],
    },
    Field {
        name: "owner",
        required: true,
        aliases: &["Mã đơn vị", "Đơn vị", "Chủ sở hữu", "Owner"],
    },
    Field {
        name: "submitted_on",
        required: true,
        aliases: &["Ngày nộp", "Ngày đăng ký", "Submitted on"],
    },
    Field {
        name: "status",
        required: false,
        aliases: &["Trạng thái", "Kết quả", "Status"],
    },
    Field {
        name: "authority",
        required: false,
        aliases: &["Cấp công nhận", "Cơ quan công nhận", "Authority"],
    },
    Field {
        name: "decision",
        required: false,
        aliases: &["Số quyết định", "Quyết định", "Decision"],
    },
    Field {
        name: "decided_on",
        required: false,
        aliases: &["Ngày quyết định", "Ngày công nhận", "Decided on"],
    },
    Field {
        name: "scope",
        required: false,
        aliases: &["Phạm vi", "Phạm vi ảnh hưởng", "Scope"],
    },
];

/// The initiatives file kind; a row below the table with an id and an owner is a gap.
pub const SPEC: Spec = Spec {
    fields: &FIELDS,
    gap_fields: ["id", "owner"],
};

/// The bundled sample initiatives (34, owned by subjects of the sample roster).
pub const SAMPLE: &[u8] = include_bytes!("../../data/initiatives.csv");

/// Reads an initiatives file (CSV or XLSX) and finds its table.
pub fn read(path: &Path, campaign: &Campaign, options: &Options) -> Result<Table, ImportError> {
    let matcher = Matcher::new(SPEC, &campaign.column_aliases);
    let sheet = table::read(path, &options.read, &|rows| matcher.finds_header(rows))?;
    office::locate(sheet, &matcher)
}

/// Reads and checks an initiatives file (CSV or XLSX); `owners` are the known subject ids.
pub fn load(path: &Path, owners: &HashSet<&str>) -> Result<Vec<Initiative>, ImportError> {
    let matcher = Matcher::new(SPEC, &Default::default());
    let sheet = table::read(path, &Default::default(), &|rows| {
        matcher.finds_header(rows)
    })?;
    let table = office::locate(sheet, &matcher)?;
    parse(&table, owners, &[], false).map(|(i, _)| i)
}

/// The bundled sample initiatives, checked against the given owners.
pub fn sample(owners: &HashSet<&str>) -> Result<Vec<Initiative>, ImportError> {
    let matcher = Matcher::new(SPEC, &Default::default());
    let sheet = table::read_csv("data/initiatives.csv", SAMPLE, &|rows| {
        matcher.finds_header(rows)
    })?;
    let table = office::locate(sheet, &matcher)?;
    parse(&table, owners, &[], false).map(|(i, _)| i)
}

/// The plan of importing `incoming` over `existing`: the store keeps any status decided here
/// and updates the title, owner and submission date.
pub fn plan(
    table: &Table,
    incoming: &[Initiative],
    kept: Vec<Kept>,
    existing: &[Initiative],
) -> Report {
    let stored: HashMap<&str, &Initiative> = existing.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut report = Report {
        file: table.file.clone(),
        layout: table.layout.clone(),
        ..Report::default()
    };
    let (kept, cleared): (Vec<Kept>, Vec<Kept>) =
        kept.into_iter().partition(|k| !k.value.is_empty());
    report.kept = kept;
    report.cleared = cleared;
    let mut seen = HashSet::new();
    for i in incoming {
        seen.insert(i.id.as_str());
        match stored.get(i.id.as_str()) {
            None => report.add(&i.id, &i.title),
            Some(old) => {
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
                diff("title", old.title.clone(), i.title.clone());
                diff("owner", old.owner.clone(), i.owner.clone());
                diff("submitted_on", date(old.submitted_on), date(i.submitted_on));
                if changes.is_empty() {
                    report.unchanged += 1;
                } else {
                    report.change(&i.id, changes);
                }
            }
        }
    }
    for i in existing.iter().filter(|i| !seen.contains(i.id.as_str())) {
        report.miss(&i.id);
    }
    report
}

/// Checks an initiatives table and returns its initiatives in file order (version 0), with the
/// stored values kept (or cleared) for empty cells, or every problem found.
pub fn parse(
    table: &Table,
    owners: &HashSet<&str>,
    existing: &[Initiative],
    clear_empty: bool,
) -> Result<(Vec<Initiative>, Vec<Kept>), ImportError> {
    parse_on(
        table,
        owners,
        &OwnerNames::default(),
        existing,
        clear_empty,
        today(),
    )
}

/// Subjects by the name an initiatives file may give as an owner: folded name (as column names
/// are compared) → id and name of each subject that has it. Built only for the names the file
/// uses (`owner_keys`), so a province's whole roster is never held.
#[derive(Debug, Clone, Default)]
pub struct OwnerNames(pub HashMap<String, Vec<(String, String)>>);

impl OwnerNames {
    /// Records `id`'s `name` when the file gives it as an owner.
    pub fn offer(&mut self, wanted: &HashSet<String>, id: &str, name: &str) {
        let k = office::key(name);
        if wanted.contains(&k) {
            self.0
                .entry(k)
                .or_default()
                .push((id.to_string(), name.to_string()));
        }
    }
}

/// The folded owner cells of a table, for `OwnerNames::offer`.
pub fn owner_keys(table: &Table) -> HashSet<String> {
    table
        .rows
        .iter()
        .filter_map(|r| r.cells.get(2))
        .map(|c| office::key(c))
        .filter(|k| !k.is_empty())
        .collect()
}

/// [`parse`] with owners also given by name.
pub fn parse_named(
    table: &Table,
    owners: &HashSet<&str>,
    names: &OwnerNames,
    existing: &[Initiative],
    clear_empty: bool,
) -> Result<(Vec<Initiative>, Vec<Kept>), ImportError> {
    parse_on(table, owners, names, existing, clear_empty, today())
}

/// An owner by id, or by the name of exactly one subject.
fn owner(raw: &str, owners: &HashSet<&str>, names: &OwnerNames) -> Result<String, Msg> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(msg(Key::ImpOwnerEmpty, &[]));
    }
    if owners.contains(t) {
        return Ok(t.to_string());
    }
    match names.0.get(&office::key(t)).map(Vec::as_slice) {
        Some([(id, _)]) => Ok(id.clone()),
        Some(many) if many.len() > 1 => {
            let list: Vec<String> = many
                .iter()
                .map(|(id, name)| format!("{} ({id})", crate::text::clean(name)))
                .collect();
            Err(msg(
                Key::ImpOwnerAmbiguous,
                &[&table::shown(t), &many.len().to_string(), &list.join("; ")],
            ))
        }
        _ => match table::id(t) {
            Ok(id) => Err(msg(Key::ImpOwnerUnknown, &[&table::shown(&id)])),
            Err(_) => Err(msg(Key::ImpOwnerNoName, &[&table::shown(t)])),
        },
    }
}

/// [`parse`] as on `today`, the last day a decision may be dated.
pub(crate) fn parse_on(
    table: &Table,
    owners: &HashSet<&str>,
    names: &OwnerNames,
    existing: &[Initiative],
    clear_empty: bool,
    today: chrono::NaiveDate,
) -> Result<(Vec<Initiative>, Vec<Kept>), ImportError> {
    let has_status = table.has("status");
    let stored: HashMap<&str, &Initiative> = existing.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut problems: Vec<Problem> = Vec::new();
    let mut kept: Vec<Kept> = Vec::new();
    let mut out = Vec::with_capacity(table.rows.len());
    let mut first: HashMap<String, &table::Location> = HashMap::new();
    for r in &table.rows {
        let before = problems.len();
        let mut bad = |field: &str, message: Msg| {
            problems.push(Problem::at(&r.at, Some(field), message));
        };
        let id = table::id(&r.cells[0]).map_err(|m| bad("id", m)).ok();
        if let Some(id) = &id {
            match first.get(id) {
                Some(earlier) => bad(
                    "id",
                    msgs(
                        Key::ImpDuplicateId,
                        &[&table::shown(id).into(), &earlier.text()],
                    ),
                ),
                None => {
                    first.insert(id.clone(), &r.at);
                }
            }
        }
        let old = id.as_deref().and_then(|i| stored.get(i)).copied();
        let mut keep = |field: &'static str, cell: &str, value: String| -> bool {
            keep_stored(&mut kept, id.as_deref(), field, cell, value, clear_empty)
        };
        let title = match old {
            Some(o) if keep("title", &r.cells[1], o.title.clone()) => Some(o.title.clone()),
            _ => table::text(&r.cells[1], "title")
                .map_err(|m| bad("title", m))
                .ok(),
        };
        let owner = match old {
            Some(o) if keep("owner", &r.cells[2], o.owner.clone()) => Some(o.owner.clone()),
            _ => owner(&r.cells[2], owners, names)
                .map_err(|m| bad("owner", m))
                .ok(),
        };
        let mut submitted_on = table::date(&r.cells[3])
            .map_err(|m| bad("submitted_on", m))
            .unwrap_or(None);
        if let Some(d) = old.and_then(|o| o.submitted_on)
            && submitted_on.is_none()
            && keep("submitted_on", &r.cells[3], crate::domain::format_date(d))
        {
            submitted_on = Some(d);
        }
        let (status, recognition) = if has_status {
            status_and_recognition(&r.cells[4..9], submitted_on, today, &mut bad)
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
        Ok((out, kept))
    } else {
        table.name_columns(&mut problems);
        Err(ImportError {
            file: table.file.clone(),
            problems,
        })
    }
}

/// A status as offices write it: a code (`recognized`) or Vietnamese words ("Đã công nhận",
/// "Được công nhận", "Không được công nhận", "Chờ", "Đã nộp"), compared like column names
/// (case, diacritics, spacing and punctuation ignored).
fn status_word(raw: &str) -> Option<InitiativeStatus> {
    let k = office::key(raw);
    match k.as_str() {
        "dacongnhan" | "duoccongnhan" | "daduoccongnhan" | "congnhan" => {
            Some(InitiativeStatus::Recognized)
        }
        "khongduoccongnhan" | "khongcongnhan" | "khongdat" => Some(InitiativeStatus::NotRecognized),
        "cho" | "choxet" | "chocongnhan" | "choxetcongnhan" | "danop" | "nop" => {
            Some(InitiativeStatus::Submitted)
        }
        _ => InitiativeStatus::parse(raw),
    }
}

/// The status and, for a recognised initiative, its recognition, from the five optional cells.
fn status_and_recognition(
    cells: &[String],
    submitted_on: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
    bad: &mut impl FnMut(&str, Msg),
) -> (Option<InitiativeStatus>, Option<Recognition>) {
    let status = status_word(&cells[0]);
    if status.is_none() {
        bad(
            "status",
            msg(Key::ImpStatusUnknown, &[&table::shown(&cells[0])]),
        );
    }
    let names: Vec<&str> = FIELDS[5..].iter().map(|f| f.name).collect();
    if status != Some(InitiativeStatus::Recognized) {
        for (name, cell) in names.iter().zip(&cells[1..]) {
            if !cell.trim().is_empty() {
                bad(
                    name,
                    msg(
                        Key::ImpOnlyRecognized,
                        &[name, status.map_or("?", |s| s.code())],
                    ),
                );
            }
        }
        return (status, None);
    }
    let authority = table::optional_text(&cells[1], "authority")
        .map_err(|m| bad("authority", m))
        .ok();
    let decision = table::optional_text(&cells[2], "decision")
        .map_err(|m| bad("decision", m))
        .ok();
    let decided_on = match table::date(&cells[3]) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            bad("decided_on", msg(Key::ImpDecisionDateEmpty, &[]));
            None
        }
        Err(m) => {
            bad("decided_on", m);
            None
        }
    };
    let scope = Scope::parse(&cells[4]);
    // The domain's rules run on whatever parsed, so a bad scope does not hide a bad date.
    let mut broken = false;
    if let (Some(authority), Some(decision), Some(decided_on)) = (authority, decision, decided_on) {
        let recognition = Recognition {
            authority,
            decision,
            decided_on,
            scope: scope.unwrap_or_default(),
        };
        for p in crate::domain::decision_problems(
            submitted_on,
            InitiativeStatus::Recognized,
            Some(&recognition),
            today,
        ) {
            let m = crate::msg::decision_problem(&p);
            bad(
                p.field(),
                Msg::new(m.key, m.args.into_iter().map(Part::Text)),
            );
            broken = true;
        }
        if scope.is_some() && !broken {
            return (status, Some(recognition));
        }
    }
    if scope.is_none() {
        bad(
            "scope",
            msg(Key::ImpScopeUnknown, &[&table::shown(&cells[4])]),
        );
    }
    (status, None)
}

/// Today in Vietnam time, which no decision date may pass.
fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&crate::domain::vietnam())
        .date_naive()
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
        let matcher = Matcher::new(SPEC, &Default::default());
        let sheet =
            table::read_csv("i.csv", csv.as_bytes(), &|r| matcher.finds_header(r)).expect("csv");
        let t = office::locate(sheet, &matcher).expect("table");
        let e = parse(&t, &owners, &[], false).expect_err("refused");
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

    #[test]
    fn decision_rules_come_from_the_domain() {
        let owners: HashSet<&str> = ["SNV"].into();
        let csv = "id,title,owner,submitted_on,status,authority,decision,decided_on,scope\n\
                   SK1,A,SNV,2021-08-01,recognized,Sở Nội vụ,1/QĐ,2021-07-01,tinh\n\
                   SK2,B,SNV,2021-08-01,recognized,Sở Nội vụ,,2021-09-01,tinh\n\
                   SK3,C,SNV,2021-08-01,recognized,Sở Nội vụ,3/QĐ,2022-01-02,tinh\n\
                   SK4,D,SNV,2021-08-01,recognized,Sở Nội vụ,4/QĐ,2021-08-01,tinh\n";
        let matcher = Matcher::new(SPEC, &Default::default());
        let sheet =
            table::read_csv("i.csv", csv.as_bytes(), &|r| matcher.finds_header(r)).expect("csv");
        let t = office::locate(sheet, &matcher).expect("table");
        let today = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).expect("date");
        let e =
            parse_on(&t, &owners, &OwnerNames::default(), &[], false, today).expect_err("refused");
        let got: Vec<_> = e
            .problems
            .iter()
            .map(|p| {
                (
                    p.at.as_ref().map(|a| a.to_string()),
                    p.field.clone(),
                    p.message.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some("line 2".into()),
                    Some("decided_on".into()),
                    msg(Key::DecBeforeSubmission, &["01/07/2021", "01/08/2021"])
                ),
                (
                    Some("line 3".into()),
                    Some("decision".into()),
                    msg(Key::DecNumberMissing, &[])
                ),
                (
                    Some("line 4".into()),
                    Some("decided_on".into()),
                    msg(Key::DecInFuture, &["02/01/2022", "01/01/2022"])
                ),
            ]
        );
    }
}
