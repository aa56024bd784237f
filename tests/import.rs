//! Roster and initiative imports against a real store on a temporary directory, with real
//! CSV and XLSX files: what a good file adds and updates, and for each kind of bad file, the
//! message (file, line or sheet row, field) and a database left exactly as it was.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use thidua::commands::import::{import_initiatives, import_roster};
use thidua::domain::{Campaign, Cause, InitiativeStatus, VerdictValue};
use thidua::interchange::campaign;
use thidua::interchange::table::{ImportError, Location};
use thidua::store::{Actor, ImportCounts, InitiativeWrite, Store, VerdictWrite};

const HEADER: &str = "id,name,tier,parent,registered_on\n";

fn actor() -> Actor {
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339("2021-09-01T02:00:00Z")
        .expect("time")
        .with_timezone(&Utc);
    Actor::new("tester", at)
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// A database with the sample campaign, roster and initiatives, and one verdict.
struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
}

impl Fixture {
    fn new() -> Self {
        Self::with_campaign(&campaign::sample())
    }

    fn with_campaign(c: &Campaign) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::create(&dir.path().join("db"), c, &actor()).expect("create");
        import_roster(&store, &data("roster.csv"), &actor()).expect("sample roster");
        import_initiatives(&store, &data("initiatives.csv"), &actor()).expect("sample initiatives");
        store
            .set_verdict(
                &VerdictWrite {
                    subject: "SNV".into(),
                    criterion: "TT1".into(),
                    value: VerdictValue::Met,
                    note: "Báo cáo số 12".into(),
                    base_version: 0,
                    cause: Cause::Edit,
                    cell: None,
                },
                &actor(),
            )
            .expect("verdict");
        Fixture { dir, store }
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    fn roster(&self, name: &str, bytes: &[u8]) -> anyhow::Result<ImportCounts> {
        import_roster(&self.store, &self.file(name, bytes), &actor())
    }

    /// Imports a roster that must be refused, checks the database did not change, and returns
    /// the error.
    fn refused_roster(&self, name: &str, bytes: &[u8]) -> ImportError {
        let before = self.store.checksum().expect("checksum");
        let err = self
            .roster(name, bytes)
            .expect_err("the file must be refused");
        assert_eq!(
            self.store.checksum().expect("checksum"),
            before,
            "a refused import changed the database"
        );
        err.downcast::<ImportError>().expect("an import error")
    }

    fn refused_initiatives(&self, name: &str, bytes: &[u8]) -> ImportError {
        let before = self.store.checksum().expect("checksum");
        let err = import_initiatives(&self.store, &self.file(name, bytes), &actor())
            .expect_err("the file must be refused");
        assert_eq!(self.store.checksum().expect("checksum"), before);
        err.downcast::<ImportError>().expect("an import error")
    }
}

/// The only problem of an error, as (location, field, message).
fn only(e: &ImportError) -> (String, Option<String>, String) {
    assert_eq!(e.problems.len(), 1, "{e}");
    let p = &e.problems[0];
    (
        p.at.as_ref().map(ToString::to_string).unwrap_or_default(),
        p.field.clone(),
        english(&p.message),
    )
}

/// A problem's message as an English reader sees it.
fn english(m: &thidua::msg::Told) -> String {
    thidua::i18n::word_told(thidua::domain::Lang::En, m)
}

fn roster(rows: &str) -> Vec<u8> {
    format!("{HEADER}{rows}").into_bytes()
}

#[test]
fn the_sample_files_load_whole() {
    let f = Fixture::new();
    assert_eq!(f.store.subject_count(), 535);
    assert_eq!(f.store.initiatives().expect("initiatives").len(), 34);
    let dates = f
        .store
        .subjects()
        .expect("subjects")
        .iter()
        .filter(|(_, s)| s.registered_on.is_some())
        .count();
    assert!(dates > 200, "registration dates were read: {dates}");
}

#[test]
fn reimport_updates_and_adds_but_never_deletes_or_touches_verdicts() {
    let f = Fixture::new();
    let verdicts_before = f.store.verdicts().expect("verdicts");
    // A decomposed name with an escape sequence and a tab; an id with spaces around it; a
    // member listed before its new parent; dates in both forms.
    let decomposed = "Sở Nội vụ tỉnh \u{1b}[31mAn Giang\t";
    let decomposed: String = unicode_normalization::UnicodeNormalization::nfd(decomposed).collect();
    let file = format!(
        "\u{feff}{}SNV,{decomposed},province_agency,,25/08/2021\r\n \
         NEW.P01 ,Phòng mới,province_unit,NEW,\r\n\
         NEW,\"Sở Mới, tỉnh An Giang\",province_agency,,2021-08-30\r\n",
        HEADER.replace('\n', "\r\n")
    );
    let counts = f.roster("re.csv", file.as_bytes()).expect("imports");
    assert_eq!(
        counts,
        ImportCounts {
            added: 2,
            updated: 1,
            unchanged: 0
        }
    );
    assert_eq!(f.store.subject_count(), 537);
    let snv = f.store.subject("SNV").expect("read").expect("SNV");
    assert_eq!(snv.name, "Sở Nội vụ tỉnh An Giang");
    assert_eq!(snv.registered_on, NaiveDate::from_ymd_opt(2021, 8, 25));
    let unit = f.store.subject("NEW.P01").expect("read").expect("new unit");
    assert_eq!(unit.parent.as_deref(), Some("NEW"));
    assert_eq!(
        f.store.subject("NEW").expect("read").expect("new").name,
        "Sở Mới, tỉnh An Giang"
    );
    assert_eq!(f.store.verdicts().expect("verdicts"), verdicts_before);

    // The same file again changes nothing.
    let again = f.roster("re.csv", file.as_bytes()).expect("imports");
    assert_eq!(again.unchanged, 3);
    assert_eq!(again.added + again.updated, 0);
}

#[test]
fn a_roster_without_dates_keeps_the_stored_ones() {
    let f = Fixture::new();
    let before = f.store.subject("SNV").expect("read").expect("SNV");
    assert!(before.registered_on.is_some());
    f.roster(
        "nodates.csv",
        b"id,name,tier,parent\nSNV,S\xe1\xbb\x9f N\xe1\xbb\x99i v\xe1\xbb\xa5 (m\xe1\xbb\x9bi),province_agency,\n",
    )
    .expect("imports");
    let after = f.store.subject("SNV").expect("read").expect("SNV");
    assert_eq!(after.name, "Sở Nội vụ (mới)");
    assert_eq!(after.registered_on, before.registered_on);
}

#[test]
fn unknown_parent() {
    let f = Fixture::new();
    let e = f.refused_roster("r.csv", &roster("SNV.P99,Phòng X,province_unit,NOPE,\n"));
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field.as_deref()), ("line 2", Some("parent")));
    assert!(message.contains("\"NOPE\""), "{message}");
    assert!(
        e.to_string()
            .contains("r.csv, line 2, field parent: no subject has the id or the name"),
        "{e}"
    );
}

#[test]
fn duplicate_id_names_both_lines() {
    let f = Fixture::new();
    let e = f.refused_roster(
        "r.csv",
        &roster(
            "X1,Sở A,province_agency,,\nX2,Sở B,province_agency,,\nX1,Sở C,province_agency,,\n",
        ),
    );
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field.as_deref()), ("line 4", Some("id")));
    assert!(
        message.contains("\"X1\"") && message.contains("line 2"),
        "{message}"
    );
}

#[test]
fn unknown_tier_lists_the_valid_ones() {
    let f = Fixture::new();
    let e = f.refused_roster("r.csv", &roster("X1,Sở A,department,,\n"));
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field.as_deref()), ("line 2", Some("tier")));
    assert!(message.contains("\"department\""), "{message}");
    for tier in f.store.campaign().tiers.iter() {
        assert!(
            message.contains(&format!(
                "{} (\"{}\", \"{}\")",
                tier.id, tier.name_vi, tier.name_en
            )),
            "{message}"
        );
    }
}

#[test]
fn impossible_date() {
    let f = Fixture::new();
    let e = f.refused_roster("r.csv", &roster("X1,Sở A,province_agency,,30/02/2021\n"));
    let (at, field, message) = only(&e);
    assert_eq!(
        (at.as_str(), field.as_deref()),
        ("line 2", Some("registered_on"))
    );
    assert!(
        message.contains("\"30/02/2021\" is not a date"),
        "{message}"
    );
}

#[test]
fn empty_name() {
    let f = Fixture::new();
    let e = f.refused_roster("r.csv", &roster("X1,  \u{7},province_agency,,\n"));
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field.as_deref()), ("line 2", Some("name")));
    assert_eq!(message, "the name is empty");
}

#[test]
fn wrong_header_says_what_was_expected_and_found() {
    let f = Fixture::new();
    let e = f.refused_roster(
        "r.csv",
        "code,label,level,ten\nX1,Sở A,province_agency,\n".as_bytes(),
    );
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field), ("", None));
    assert!(
        message.contains("no header found in rows 1–2")
            && message.contains("id: \"id\" / \"Mã\" / \"Mã đơn vị\"")
            && message.contains("parent: \"parent\" / \"Đơn vị cấp trên\"")
            && message.contains("line 1 comes closest but has no column for id, tier, parent")
            && message.contains("Looked at: line 1 \"code · label · level · ten\""),
        "{message}"
    );
}

#[test]
fn latin1_text_is_refused_with_advice() {
    let f = Fixture::new();
    // "Sở Nội vụ" cannot be written in Latin-1; "Phòng Tài chính" can: ò is 0xF2 there.
    let e = f.refused_roster(
        "r.csv",
        b"id,name,tier,parent\nX1,Ph\xf2ng T\xe0i ch\xednh,province_agency,\n",
    );
    let (at, _, message) = only(&e);
    assert_eq!(at, "line 2");
    assert!(
        message.contains("not UTF-8") && message.contains("Save it as UTF-8"),
        "{message}"
    );
}

#[test]
fn truncated_quoted_field() {
    let f = Fixture::new();
    let e = f.refused_roster(
        "r.csv",
        &roster("X1,Sở A,province_agency,,\nX2,\"Sở B, tỉnh An Giang,province_agency,,\n"),
    );
    let (at, _, message) = only(&e);
    assert_eq!(at, "line 3");
    assert!(
        message.contains("closing quote is missing") && message.contains("column 2"),
        "{message}"
    );
}

#[test]
fn a_cycle_of_parents_is_named() {
    // A campaign where units may nest, so the cycle is the only problem.
    let text = campaign::SAMPLE.replace(
        "parents = [\"province_agency\"]",
        "parents = [\"province_agency\", \"province_unit\"]",
    );
    let nested = campaign::parse(&text, "nested.toml").expect("campaign");
    let f = Fixture::with_campaign(&nested);
    let e = f.refused_roster(
        "r.csv",
        &roster("U.A,Phòng A,province_unit,U.B,\nU.B,Phòng B,province_unit,U.A,\n"),
    );
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field.as_deref()), ("line 2", Some("parent")));
    assert!(message.contains("U.A → U.B → U.A"), "{message}");

    // In the sample campaign the same rows are also of the wrong tier; the cycle is still named.
    let f = Fixture::new();
    let e = f.refused_roster(
        "r.csv",
        &roster("U.A,Phòng A,province_unit,U.B,\nU.B,Phòng B,province_unit,U.A,\n"),
    );
    assert!(e.to_string().contains("U.A → U.B → U.A"), "{e}");
}

#[test]
fn a_cycle_through_the_database_is_found() {
    let text = campaign::SAMPLE.replace(
        "parents = [\"province_agency\"]",
        "parents = [\"province_agency\", \"province_unit\"]",
    );
    let nested = campaign::parse(&text, "nested.toml").expect("campaign");
    let f = Fixture::with_campaign(&nested);
    f.roster(
        "a.csv",
        &roster("U.A,Phòng A,province_unit,SNV,\nU.B,Phòng B,province_unit,U.A,\n"),
    )
    .expect("imports");
    let e = f.refused_roster("b.csv", &roster("U.A,Phòng A,province_unit,U.B,\n"));
    assert!(only(&e).2.contains("U.A → U.B → U.A"), "{e}");
}

#[test]
fn ids_with_bad_characters_or_too_long() {
    let f = Fixture::new();
    let long = "A".repeat(65);
    let e = f.refused_roster(
        "r.csv",
        &roster(&format!(
            "SNV P01,Phòng A,province_unit,SNV,\nSỞ,Sở B,province_agency,,\n{long},Sở C,province_agency,,\n{},Sở D,province_agency,,\n",
            "B".repeat(64)
        )),
    );
    let got: Vec<(String, Option<String>)> = e
        .problems
        .iter()
        .map(|p| {
            (
                p.at.as_ref().map(ToString::to_string).unwrap_or_default(),
                p.field.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("line 2".to_string(), Some("id".to_string())),
            ("line 3".to_string(), Some("id".to_string())),
            ("line 4".to_string(), Some("id".to_string())),
        ],
        "{e}"
    );
    assert!(english(&e.problems[0].message).contains("U+0020"), "{e}");
    assert!(english(&e.problems[1].message).contains("'Ở'"), "{e}");
    assert!(
        english(&e.problems[2].message).contains("65 characters"),
        "{e}"
    );
}

#[test]
fn parent_of_the_wrong_tier() {
    let f = Fixture::new();
    let e = f.refused_roster("r.csv", &roster("LX.P99,Phòng X,district_unit,SNV,\n"));
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field.as_deref()), ("line 2", Some("parent")));
    assert_eq!(
        message,
        "\"SNV\" is a province_agency, but a district_unit belongs to a district"
    );
    let e = f.refused_roster(
        "r.csv",
        &roster("X1,Sở X,province_agency,SNV,\nX2,Phòng Y,province_unit,,\n"),
    );
    assert_eq!(e.problems.len(), 2, "{e}");
    assert!(
        english(&e.problems[0].message).contains("top-level unit"),
        "{e}"
    );
    assert!(
        english(&e.problems[1].message).contains("the parent is empty"),
        "{e}"
    );
}

#[test]
fn huge_field() {
    let f = Fixture::new();
    let ok = format!("X1,{},province_agency,,\n", "ở".repeat(1000));
    f.roster("ok.csv", &roster(&ok))
        .expect("1,000 characters are accepted");
    let e = f.refused_roster(
        "r.csv",
        &roster(&format!("X2,{},province_agency,,\n", "ở".repeat(1001))),
    );
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field.as_deref()), ("line 2", Some("name")));
    assert!(message.contains("1001 characters"), "{message}");
    assert!(
        e.to_string().len() < 300,
        "the message does not repeat the field: {e}"
    );
}

#[test]
fn row_with_the_wrong_number_of_fields() {
    let f = Fixture::new();
    let e = f.refused_roster(
        "r.csv",
        &roster("X1,Sở A,province_agency,,\nX2,Sở B, tỉnh An Giang,province_agency,,\nX3,Sở C\n"),
    );
    assert_eq!(e.problems.len(), 2, "{e}");
    assert_eq!(e.problems[0].at, Some(Location::Line(3)));
    assert!(
        english(&e.problems[0].message).contains("has 6 fields but the header has 5"),
        "{e}"
    );
    assert_eq!(e.problems[1].at, Some(Location::Line(4)));
}

#[test]
fn a_tier_cannot_change_on_reimport() {
    let f = Fixture::new();
    let e = f.refused_roster("r.csv", &roster("SNV,Sở Nội vụ,district,,\n"));
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field.as_deref()), ("line 2", Some("tier")));
    assert!(
        message.contains("is a province_agency in the database"),
        "{message}"
    );
}

#[test]
fn many_problems_are_listed_up_to_twenty() {
    let f = Fixture::new();
    let rows: String = (0..25)
        .map(|i| format!("X{i},,province_agency,,\n"))
        .collect();
    let e = f.refused_roster("r.csv", &roster(&rows));
    assert_eq!(e.problems.len(), 25);
    let text = e.to_string();
    assert!(
        text.contains("r.csv: 25 problems; nothing was imported"),
        "{text}"
    );
    assert!(
        text.contains("r.csv, line 21, field name: the name is empty"),
        "{text}"
    );
    assert!(!text.contains("line 23,"), "{text}");
    assert!(text.ends_with("and 5 more"), "{text}");
}

#[test]
fn unknown_extension_is_refused() {
    let f = Fixture::new();
    let e = f.refused_roster("roster.txt", &roster("X1,Sở A,province_agency,,\n"));
    assert!(only(&e).2.contains(".csv (UTF-8) and .xlsx"), "{e}");
}

fn write_xlsx(path: &Path, rows: &[[&str; 5]], date_row: Option<(u32, NaiveDate)>) {
    use chrono::Datelike;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh sách").expect("sheet name");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, *cell).expect("cell");
            }
        }
    }
    if let Some((r, d)) = date_row {
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
            d.year() as u16,
            d.month() as u8,
            d.day() as u8,
        )
        .expect("date");
        let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        sheet
            .write_datetime_with_format(r, 4, &date, &format)
            .expect("date cell");
    }
    book.save(path).expect("save xlsx");
}

#[test]
fn xlsx_good_file_and_one_bad_row() {
    let f = Fixture::new();
    let header = ["id", "name", "tier", "parent", "registered_on"];
    let good = [
        header,
        ["XL", "Sở Xây lắp", "province_agency", "", ""],
        ["XL.P01", "Phòng Một", "province_unit", "XL", "2021-08-20"],
    ];
    let path = f.dir.path().join("good.xlsx");
    write_xlsx(
        &path,
        &good,
        Some((1, NaiveDate::from_ymd_opt(2021, 8, 15).expect("date"))),
    );
    let counts = import_roster(&f.store, &path, &actor()).expect("imports");
    assert_eq!(counts.added, 2);
    let xl = f.store.subject("XL").expect("read").expect("XL");
    assert_eq!(xl.registered_on, NaiveDate::from_ymd_opt(2021, 8, 15));

    let bad = [
        header,
        ["XL2", "Sở Hai", "province_agency", "", ""],
        ["XL2.P01", "Phòng Hai", "province_unit", "XL2", ""],
        ["XL2.P02", "Phòng Ba", "province_unit", "NOPE", ""],
    ];
    let path = f.dir.path().join("bad.xlsx");
    write_xlsx(&path, &bad, None);
    let before = f.store.checksum().expect("checksum");
    let e = import_roster(&f.store, &path, &actor())
        .expect_err("refused")
        .downcast::<ImportError>()
        .expect("import error");
    assert_eq!(f.store.checksum().expect("checksum"), before);
    assert_eq!(f.store.subject("XL2").expect("read"), None);
    let (at, field, _) = only(&e);
    assert_eq!(
        (at.as_str(), field.as_deref()),
        ("sheet Danh sách, row 4", Some("parent"))
    );
    assert!(
        e.to_string()
            .contains("bad.xlsx, sheet Danh sách, row 4, field parent:"),
        "{e}"
    );
}

#[test]
fn a_broken_xlsx_is_refused() {
    let f = Fixture::new();
    let e = f.refused_roster("r.xlsx", b"id,name,tier,parent\n");
    assert!(
        only(&e)
            .2
            .contains("cannot read the file as an Excel workbook"),
        "{e}"
    );
}

const INIT_HEADER: &str =
    "id,title,owner,submitted_on,status,authority,decision,decided_on,scope\n";

#[test]
fn initiatives_need_known_owners_and_consistent_recognition() {
    let f = Fixture::new();
    let file = format!(
        "{INIT_HEADER}SK100,Sáng kiến A,NOPE,2021-08-01,,,,,\n\
         SK101,Sáng kiến B,SNV,2021-08-01,recognized,Giám đốc Sở Nội vụ,12/QĐ-SNV,,tinh\n\
         SK102,Sáng kiến C,SNV,2021-08-01,not_recognized,Giám đốc Sở Nội vụ,,,\n\
         SK103,Sáng kiến D,SNV,2021-08-01,recognized,Giám đốc Sở Nội vụ,12/QĐ-SNV,2021-07-01,huyện\n"
    );
    let e = f.refused_initiatives("i.csv", file.as_bytes());
    let got: Vec<(String, String)> = e
        .problems
        .iter()
        .map(|p| {
            (
                p.at.as_ref().map(ToString::to_string).unwrap_or_default(),
                p.field.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("line 2".to_string(), "owner".to_string()),
            ("line 3".into(), "decided_on".into()),
            ("line 4".into(), "authority".into()),
            ("line 5".into(), "decided_on".into()),
            ("line 5".into(), "scope".into()),
        ],
        "{e}"
    );
}

#[test]
fn initiatives_reimport_keeps_the_status_decided_here() {
    let f = Fixture::new();
    let sk = f.store.initiative("SK005").expect("read").expect("SK005");
    let decided = f
        .store
        .set_initiative(
            &InitiativeWrite {
                id: sk.id.clone(),
                status: InitiativeStatus::NotRecognized,
                recognition: None,
                base_version: sk.version,
                cause: Cause::Edit,
            },
            &actor(),
        )
        .expect("decide");
    let file = format!(
        "id,title,owner,submitted_on\n{},Tên mới,{},{}\nSK900,Sáng kiến mới,SNV,15/09/2021\n",
        sk.id,
        sk.owner,
        sk.submitted_on.map(|d| d.to_string()).unwrap_or_default()
    );
    let counts =
        import_initiatives(&f.store, &f.file("i.csv", file.as_bytes()), &actor()).expect("imports");
    assert_eq!((counts.added, counts.updated), (1, 1));
    let after = f.store.initiative("SK005").expect("read").expect("SK005");
    assert_eq!(after.title, "Tên mới");
    assert_eq!(after.status, decided.status);
    let new = f.store.initiative("SK900").expect("read").expect("SK900");
    assert_eq!(new.status, InitiativeStatus::Submitted);
    assert_eq!(new.submitted_on, NaiveDate::from_ymd_opt(2021, 9, 15));
}

#[test]
fn xlsx_extra_cells_past_the_header_are_refused_and_blank_rows_skipped() {
    let f = Fixture::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["id", "name", "tier", "parent"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    // Row 2 is good; row 3 has a stray cell in column F; rows 4 and 5 are left blank and
    // row 6 is a footer.
    for (c, v) in ["YY", "Sở Y", "province_agency"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).expect("cell");
        sheet.write_string(2, c as u16, *v).expect("cell");
    }
    sheet.write_string(2, 0, "YZ").expect("cell");
    sheet.write_string(2, 5, "ghi chú").expect("cell");
    sheet.write_string(5, 2, "Người lập biểu").expect("cell");
    let path = f.dir.path().join("extra.xlsx");
    book.save(&path).expect("save");
    let before = f.store.checksum().expect("checksum");
    let e = import_roster(&f.store, &path, &actor())
        .expect_err("refused")
        .downcast::<ImportError>()
        .expect("import error");
    assert_eq!(f.store.checksum().expect("checksum"), before);
    let (at, _, message) = only(&e);
    assert_eq!(at, "sheet Sheet1, row 3");
    assert!(
        message.contains("has 6 fields but the header has 4"),
        "{message}"
    );
}

#[test]
fn csv_a_gap_inside_the_table_is_refused_and_lines_still_counted() {
    let f = Fixture::new();
    let e = f.refused_roster(
        "r.csv",
        &roster("X1,Sở A,province_agency,,\n,,,,\n\nX2,Sở B,nowhere,,\n"),
    );
    let (at, field, message) = only(&e);
    assert_eq!((at.as_str(), field), ("line 5", None));
    assert!(
        message.contains("has values in the columns id and tier but comes after the empty line 3"),
        "{message}"
    );
    assert_eq!(f.store.subject("X1").expect("read"), None);
}
