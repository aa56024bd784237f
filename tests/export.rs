//! Verdict exports end to end: a real database built from the sample roster and initiatives,
//! a few units reviewed, then `thidua export` (the real binary) in every format. Each file is
//! parsed back (serde_json, csv, calamine) and compared with the store; the JSON is validated
//! against docs/verdicts.schema.json by a small validator for the keywords that schema uses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use thidua::domain::Points;
use thidua::domain::review;
use thidua::domain::{
    Cause, Initiative, InitiativeStatus, Lang, Outcome, Recognition, Scope, Subject, VerdictValue,
    hint,
};
use thidua::interchange::campaign;
use thidua::store::{Actor, InitiativeWrite, Store, VerdictWrite};

// ---- fixtures ---------------------------------------------------------------------------

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

fn actor(name: &str) -> Actor {
    Actor::new(name, at("2021-09-01T02:00:00Z"))
}

pub(crate) fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(file)
}

pub(crate) fn date(s: &str) -> Option<NaiveDate> {
    (!s.is_empty()).then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date"))
}

pub(crate) fn roster() -> Vec<Subject> {
    let mut r = csv::Reader::from_path(data("roster.csv")).expect("roster");
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            Subject {
                id: rec[0].into(),
                name: rec[1].into(),
                tier: rec[2].into(),
                parent: (!rec[3].is_empty()).then(|| rec[3].into()),
                registered_on: date(&rec[4]),
            }
        })
        .collect()
}

pub(crate) fn initiatives() -> Vec<Initiative> {
    let mut r = csv::Reader::from_path(data("initiatives.csv")).expect("initiatives");
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            let status = InitiativeStatus::parse(&rec[4]).expect("status");
            Initiative {
                id: rec[0].into(),
                title: rec[1].into(),
                owner: rec[2].into(),
                submitted_on: date(&rec[3]),
                status,
                recognition: (status == InitiativeStatus::Recognized).then(|| Recognition {
                    authority: rec[5].into(),
                    decision: rec[6].into(),
                    decided_on: date(&rec[7]).expect("decided_on"),
                    scope: Scope::parse(&rec[8]).expect("scope"),
                }),
                version: 0,
            }
        })
        .collect()
}

fn decide(store: &Store, who: &str, subject: &str, criterion: &str, v: VerdictValue, note: &str) {
    let base = store
        .verdict(subject, criterion)
        .expect("read")
        .map_or(0, |v| v.version);
    store
        .set_verdict(
            &VerdictWrite {
                subject: subject.into(),
                criterion: criterion.into(),
                value: v,
                note: note.into(),
                base_version: base,
                cause: Cause::Edit,
                cell: None,
            },
            &actor(who),
        )
        .expect("verdict");
}

fn all(store: &Store, who: &str, subject: &str, prefix: &str, n: usize) {
    for i in 1..=n {
        decide(
            store,
            who,
            subject,
            &format!("{prefix}{i}"),
            VerdictValue::Met,
            "",
        );
    }
}

/// The sample roster and initiatives with a few units and people reviewed, as a reviewer
/// would have left them after a first session.
fn sample_db(dir: &Path) -> PathBuf {
    let path = dir.join("review.db");
    let store = Store::create(&path, &campaign::sample(), &actor("admin")).expect("create");
    store
        .upsert_subjects(&roster(), "roster.csv", &actor("admin"))
        .expect("roster");
    store
        .upsert_initiatives(&initiatives(), "initiatives.csv", &actor("admin"))
        .expect("initiatives");
    all(&store, "nguyen.van.a", "VPUBND", "TT", 10);
    all(&store, "nguyen.van.a", "VPUBND.P01", "TT", 10);
    decide(
        &store,
        "tran.thi.b",
        "VPUBND.P01",
        "TT3",
        VerdictValue::NotMet,
        "Chưa ban hành kế hoạch tuyên truyền năm 2021",
    );
    all(&store, "tran.thi.b", "CB0001", "CN", 4);
    all(&store, "tran.thi.b", "CB0002", "CN", 4);
    decide(
        &store,
        "tran.thi.b",
        "CB0002",
        "CN2",
        VerdictValue::NotMet,
        "",
    );
    all(&store, "tran.thi.b", "CB0003", "CN", 4);
    decide(
        &store,
        "tran.thi.b",
        "CB0003",
        "CN1",
        VerdictValue::NeedsExplanation,
        "Chờ đơn vị giải trình",
    );
    store
        .set_initiative(
            &InitiativeWrite {
                id: "SK005".into(),
                status: InitiativeStatus::Recognized,
                recognition: Some(Recognition {
                    authority: "Giám đốc Sở Nội vụ".into(),
                    decision: "130/QĐ-SNV".into(),
                    decided_on: NaiveDate::from_ymd_opt(2021, 10, 1).expect("date"),
                    scope: Scope::CoSo,
                }),
                base_version: store
                    .initiative("SK005")
                    .expect("read")
                    .expect("SK005")
                    .version,
                cause: Cause::Edit,
            },
            &actor("le.van.c"),
        )
        .expect("initiative");
    path
}

/// Two subjects, every criterion decided: a review with no gaps.
fn complete_db(dir: &Path, names: &[&str], notes: &[&str]) -> PathBuf {
    let path = dir.join("small.db");
    let store = Store::create(&path, &campaign::sample(), &actor("admin")).expect("create");
    let mut subjects = vec![Subject {
        id: "SNV".into(),
        name: "Sở Nội vụ".into(),
        tier: "province_agency".into(),
        parent: None,
        registered_on: NaiveDate::from_ymd_opt(2021, 8, 15),
    }];
    for (i, name) in names.iter().enumerate() {
        subjects.push(Subject {
            id: format!("CB{i}"),
            name: (*name).into(),
            tier: "individual".into(),
            parent: Some("SNV".into()),
            registered_on: None,
        });
    }
    store
        .upsert_subjects(&subjects, "test", &actor("admin"))
        .expect("subjects");
    all(&store, "an", "SNV", "TT", 10);
    for i in 0..names.len() {
        all(&store, "an", &format!("CB{i}"), "CN", 4);
        let note = notes.get(i).copied().unwrap_or("không rõ");
        decide(
            &store,
            "an",
            &format!("CB{i}"),
            "CN3",
            VerdictValue::NotMet,
            note,
        );
    }
    path
}

fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .arg("--db")
        .arg(db)
        .args(["--reviewer", "thu.ky"])
        .args(args)
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run thidua")
}

fn export(db: &Path, format: &str, out: &Path, allow: bool) -> Output {
    let mut args = vec![
        "export",
        "--format",
        format,
        "--out",
        out.to_str().expect("utf-8"),
    ];
    if allow {
        args.push("--allow-incomplete");
    }
    let o = thidua(db, &args);
    assert!(
        o.status.success(),
        "export {format} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The files in `dir`, but for the log every command writes beside the database.
fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "thidua.log")
        .collect();
    v.sort();
    v
}

// ---- a small JSON Schema (2020-12) validator for the keywords our schema uses ------------

fn validate(schema: &Value, root: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let obj = schema.as_object().expect("schema object");
    if let Some(r) = obj.get("$ref") {
        let name = r
            .as_str()
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .expect("local ref");
        validate(&root["$defs"][name], root, v, at, errors);
        return;
    }
    for (key, want) in obj {
        match key.as_str() {
            "$schema" | "$id" | "title" | "description" | "format" | "$defs" => {}
            "type" => {
                let types: Vec<&str> = match want {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => panic!("bad type keyword"),
                };
                let ok = types.iter().any(|t| match *t {
                    "object" => v.is_object(),
                    "array" => v.is_array(),
                    "string" => v.is_string(),
                    "boolean" => v.is_boolean(),
                    "null" => v.is_null(),
                    "integer" => v.is_u64() || v.is_i64(),
                    "number" => v.is_number(),
                    other => panic!("unknown type {other}"),
                });
                if !ok {
                    errors.push(format!("{at}: {v} is not {types:?}"));
                }
            }
            "const" => {
                if v != want {
                    errors.push(format!("{at}: {v} != {want}"));
                }
            }
            "enum" => {
                if !want.as_array().expect("enum").contains(v) {
                    errors.push(format!("{at}: {v} not in {want}"));
                }
            }
            "minimum" => {
                if let Some(n) = v.as_f64()
                    && n < want.as_f64().expect("minimum")
                {
                    errors.push(format!("{at}: {n} < {want}"));
                }
            }
            "required" => {
                if let Some(o) = v.as_object() {
                    for k in want.as_array().expect("required") {
                        let k = k.as_str().expect("key");
                        if !o.contains_key(k) {
                            errors.push(format!("{at}: missing {k}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(o) = v.as_object() {
                    for (k, sub) in want.as_object().expect("properties") {
                        if let Some(x) = o.get(k) {
                            validate(sub, root, x, &format!("{at}/{k}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(want, &Value::Bool(false), "only false is supported");
                if let Some(o) = v.as_object() {
                    let props = obj["properties"].as_object().expect("properties");
                    for k in o.keys() {
                        if !props.contains_key(k) {
                            errors.push(format!("{at}: unexpected key {k}"));
                        }
                    }
                }
            }
            "items" => {
                if let Some(a) = v.as_array() {
                    for (i, x) in a.iter().enumerate() {
                        validate(want, root, x, &format!("{at}/{i}"), errors);
                    }
                }
            }
            other => panic!("the test validator does not know the keyword {other}"),
        }
    }
}

pub(crate) fn schema_errors(doc: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/verdicts.schema.json"),
    )
    .expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let mut errors = Vec::new();
    validate(&schema, &schema, doc, "", &mut errors);
    errors
}

#[test]
fn the_schema_validator_rejects_what_it_should() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = complete_db(dir.path(), &["Lê Văn Tám"], &[]);
    let out = dir.path().join("v.json");
    export(&db, "json", &out, false);
    let good: Value = serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    assert_eq!(schema_errors(&good), Vec::<String>::new());
    let mut bad = good.clone();
    bad["subjects"][0]["verdicts"][0]["verdict"] = "maybe".into();
    bad["subjects"][0]["extra"] = 1.into();
    bad["campaign"]["groups"][0]
        .as_object_mut()
        .expect("group")
        .remove("criteria");
    bad["version"] = 2.into();
    let errors = schema_errors(&bad);
    assert_eq!(errors.len(), 4, "{errors:#?}");
}

// ---- JSON ------------------------------------------------------------------------------

#[test]
fn json_export_matches_the_store_and_the_documented_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let out = dir.path().join("ket-qua.json");
    export(&db, "json", &out, true);
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    assert_eq!(schema_errors(&doc), Vec::<String>::new());
    assert_eq!(doc["format"], "thidua-verdicts");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["exported_by"], "thu.ky");
    let exported_at = doc["exported_at"].as_str().expect("exported_at");
    assert!(exported_at.ends_with("+07:00"), "{exported_at}");
    DateTime::parse_from_rfc3339(exported_at).expect("RFC 3339");
    assert_eq!(doc["campaign"]["document"]["number"], "443/KH-UBND");

    let store = Store::open(&db).expect("open");
    let c = store.campaign().clone();
    let rows = review::assemble(
        &c,
        store.subjects().expect("s"),
        store.verdicts().expect("v"),
    );
    let outcomes = review::outcomes(&c, &rows);
    let subjects = doc["subjects"].as_array().expect("subjects");
    assert_eq!(subjects.len(), 535);
    let inits = store.initiatives().expect("initiatives");
    let mut initiatives_seen = 0;
    for ((js, row), outcome) in subjects.iter().zip(&rows).zip(&outcomes) {
        let s = &row.subject;
        assert_eq!(js["id"], s.id.as_str());
        assert_eq!(js["name"], s.name.as_str());
        assert_eq!(js["tier"], s.tier.as_str());
        assert_eq!(js["parent"].as_str(), s.parent.as_deref());
        assert_eq!(js["outcome"], outcome.code());
        let group = c.group_of_tier(&s.tier).expect("group");
        let verdicts = js["verdicts"].as_array().expect("verdicts");
        assert_eq!(verdicts.len(), group.criteria.len(), "{}", s.id);
        for (jv, cr) in verdicts.iter().zip(&group.criteria) {
            assert_eq!(jv["criterion"], cr.id.as_str());
            match store.verdict(&s.id, &cr.id).expect("verdict") {
                Some(v) if v.value != VerdictValue::Pending => {
                    assert_eq!(jv["verdict"], v.value.code());
                    assert_eq!(jv["note"], v.note.as_str());
                    assert_eq!(jv["reviewer"], v.reviewer.as_str());
                    let t = jv["decided_at"].as_str().expect("decided_at");
                    assert!(t.ends_with("+07:00"), "{t}");
                    assert_eq!(at(t), v.decided_at);
                }
                _ => {
                    assert_eq!(jv["verdict"], "pending");
                    assert!(jv["reviewer"].is_null() && jv["decided_at"].is_null());
                }
            }
        }
        let owned: Vec<&Initiative> = inits.iter().filter(|i| i.owner == s.id).collect();
        let ji = js["initiatives"].as_array().expect("initiatives");
        assert_eq!(ji.len(), owned.len());
        for (j, i) in ji.iter().zip(owned) {
            initiatives_seen += 1;
            assert_eq!(j["id"], i.id.as_str());
            assert_eq!(j["status"], i.status.code());
            assert_eq!(
                j["decision"].as_str(),
                i.recognition.as_ref().map(|r| r.decision.as_str())
            );
        }
    }
    assert_eq!(initiatives_seen, inits.len());

    // The reviewed units, as the council will read them.
    let by_id = |id: &str| {
        subjects
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(by_id("VPUBND")["outcome"], "qualified");
    assert_eq!(by_id("VPUBND.P01")["outcome"], "not_qualified");
    assert_eq!(
        by_id("VPUBND.P01")["verdicts"][2]["note"],
        "Chưa ban hành kế hoạch tuyên truyền năm 2021"
    );
    assert_eq!(by_id("CB0001")["outcome"], "qualified");
    assert_eq!(by_id("CB0003")["outcome"], "incomplete");
    assert_eq!(doc["incomplete"], true);
    let gaps = doc["gaps"].as_array().expect("gaps");
    assert!(gaps.contains(
        &serde_json::json!({"subject":"CB0002","criterion":"CN2","problem":"missing_reason"})
    ));
    assert!(gaps.contains(
        &serde_json::json!({"subject":"CB0003","criterion":"CN1","problem":"needs_explanation"})
    ));
    assert!(
        gaps.contains(&serde_json::json!({"subject":"SNV","criterion":"TT1","problem":"pending"}))
    );
}

#[test]
fn repeat_exports_are_byte_identical() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let read = |p: &Path| std::fs::read(p).expect("read");
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    export(&db, "json", &a, true);
    export(&db, "json", &b, true);
    let strip = |bytes: Vec<u8>| {
        String::from_utf8(bytes)
            .expect("utf-8")
            .lines()
            .filter(|l| !l.trim_start().starts_with("\"exported_at\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(read(&a)), strip(read(&b)));
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    export(&db, "csv", &a, true);
    export(&db, "csv", &b, true);
    assert_eq!(read(&a), read(&b));
}

// ---- CSV -------------------------------------------------------------------------------

const HOSTILE_NAMES: [&str; 6] = [
    "=HYPERLINK(\"http://x\",\"bấm\")",
    "+84 Nguyễn Văn An",
    "-1+1",
    "@SUM(A1:A9)",
    "\tTrần Thị Tab",
    "\rLê Văn CR",
];
const HOSTILE_NOTES: [&str; 4] = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@A1"];

#[test]
fn csv_round_trips_and_neutralises_formulas() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = complete_db(dir.path(), &HOSTILE_NAMES, &HOSTILE_NOTES);
    let out = dir.path().join("v.csv");
    export(&db, "csv", &out, false);
    let bytes = std::fs::read(&out).expect("read");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM first");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, thidua::interchange::export::csv::HEADER);
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.expect("record")).collect();
    assert_eq!(records.len(), 10 + 4 * HOSTILE_NAMES.len());

    let store = Store::open(&db).expect("open");
    for rec in &records {
        let s = store.subject(&rec[0]).expect("read").expect("subject");
        let v = store
            .verdict(&s.id, &rec[4])
            .expect("read")
            .expect("verdict");
        // Every text cell a spreadsheet could run starts with a quote, and only those.
        let expect = |raw: &str| {
            if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{raw}")
            } else {
                raw.to_string()
            }
        };
        assert_eq!(&rec[1], expect(&s.name));
        assert_eq!(&rec[9], expect(&v.note));
        assert_eq!(&rec[7], v.value.code());
        assert_eq!(&rec[10], v.reviewer.as_str());
        assert_eq!(&rec[11], "01/09/2021 09:00");
        assert_eq!(&rec[13], "");
        assert_eq!(&rec[14], "yes");
        assert!(
            !rec.iter()
                .any(|f| f.starts_with(['=', '+', '-', '@', '\t', '\r']))
        );
    }
    let words: Vec<&str> = records.iter().map(|r| &r[6]).collect();
    assert!(words.contains(&"Đạt") && words.contains(&"Không đạt"));
    for (i, note) in HOSTILE_NOTES.iter().enumerate() {
        let rec = records
            .iter()
            .find(|r| r[0] == *format!("CB{i}") && &r[4] == "CN3")
            .expect("row");
        assert_eq!(&rec[9], format!("'{note}"));
    }
    let tab = records.iter().find(|r| &r[0] == "CB4").expect("CB4");
    assert_eq!(&tab[1], "'\tTrần Thị Tab");
    let cr = records.iter().find(|r| &r[0] == "CB5").expect("CB5");
    assert_eq!(&cr[1], "'\rLê Văn CR");
}

// ---- XLSX ------------------------------------------------------------------------------

fn sheet(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<Data>> {
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
        .rows()
        .map(<[Data]>::to_vec)
        .collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        // A real Excel date: days since 1899-12-30, the fraction the time of day.
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            let day = NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch")
                + chrono::Duration::days(serial.floor() as i64);
            let minutes = ((serial - serial.floor()) * 1440.0).round() as i64;
            if minutes == 0 {
                day.format("%d/%m/%Y").to_string()
            } else {
                format!(
                    "{} {:02}:{:02}",
                    day.format("%d/%m/%Y"),
                    minutes / 60,
                    minutes % 60
                )
            }
        }
        other => format!("{other:?}"),
    }
}

/// The index of a table's (first) header row: the row that starts with "STT" (or "Số TT").
fn header_row(t: &[Vec<Data>]) -> usize {
    t.iter()
        .position(|r| matches!(text(&r[0]).as_str(), "STT" | "Số TT"))
        .expect("a header row")
}

/// The rows of a table that hold a subject: a number in STT and an id in Mã.
fn numbered(t: &[Vec<Data>]) -> Vec<&Vec<Data>> {
    t.iter()
        .filter(|r| matches!(r[0], Data::Float(_)) && !text(&r[1]).is_empty())
        .collect()
}

#[test]
fn xlsx_holds_the_councils_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let out = dir.path().join("ket-qua.xlsx");
    export(&db, "xlsx", &out, true);
    let mut wb: Xlsx<_> = open_workbook(&out).expect("open xlsx");
    assert_eq!(
        wb.sheet_names(),
        [
            "Tập thể",
            "Cá nhân",
            "Đề nghị khen thưởng",
            "Sáng kiến",
            "Giải trình – Không đạt",
            "Nhật ký",
            "Chưa hoàn thành"
        ]
    );
    let store = Store::open(&db).expect("open");
    let c = store.campaign().clone();
    let rows = review::assemble(
        &c,
        store.subjects().expect("s"),
        store.verdicts().expect("v"),
    );
    let outcomes = review::outcomes(&c, &rows);

    // The head of a document, the incomplete notice in it, then the two header rows, one row
    // per collective, and the totals.
    let t = sheet(&mut wb, "Tập thể");
    let cells: Vec<String> = t[..8].iter().flatten().map(text).collect();
    for want in [
        "UBND TỈNH AN GIANG",
        "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        "KẾT QUẢ ĐÁNH GIÁ TIÊU CHÍ THI ĐUA – TẬP THỂ",
    ] {
        assert!(cells.iter().any(|c| c == want), "{want} in {cells:?}");
    }
    assert!(
        cells.iter().any(|c| c.starts_with("An Giang, ngày ")),
        "{cells:?}"
    );
    assert!(
        cells
            .iter()
            .any(|c| c.starts_with("(Kèm theo Tờ trình số ……/TTr-HĐTĐKT ngày …… tháng …… năm ……")),
        "{cells:?}"
    );
    assert!(
        cells.iter().any(|c| c.starts_with("BẢN CHƯA ĐẦY ĐỦ")
            && c.contains("1 đang chờ giải trình, 1 không đạt chưa ghi lý do")),
        "the title block says the export is incomplete: {cells:?}"
    );
    let h = header_row(&t);
    assert_eq!(text(&t[h][2]), "Tên");
    assert_eq!(text(&t[h][5]), "Kết quả đánh giá từng tiêu chí");
    assert_eq!(text(&t[h][15]), "Kết quả");
    assert_eq!(text(&t[h + 1][5]), "TT1");
    assert_eq!(text(&t[h + 1][14]), "TT10");
    let collectives: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].subject.tier != "individual")
        .collect();
    for (n, &i) in collectives.iter().enumerate() {
        let line = &t[h + 2 + n];
        let s = &rows[i].subject;
        assert_eq!(line[0], Data::Float((n + 1) as f64), "STT is a number");
        assert_eq!(text(&line[1]), s.id);
        assert_eq!(text(&line[2]), s.name);
        for (k, v) in rows[i].values().iter().enumerate() {
            let want = match v {
                VerdictValue::Pending => String::new(),
                other => thidua::domain::review::labels::verdict(*other, Lang::Vi),
            };
            assert_eq!(text(&line[5 + k]), want, "{} col {k}", s.id);
        }
        assert_eq!(
            text(&line[15]),
            thidua::domain::review::labels::outcome(outcomes[i], Lang::Vi)
        );
    }
    let agency = t.iter().find(|r| text(&r[1]) == "VPUBND.P01").expect("row");
    assert_eq!(text(&agency[4]), "Văn phòng UBND tỉnh");
    assert_eq!(text(&agency[7]), "Không đạt");
    assert_eq!(text(&agency[15]), "Không đủ điều kiện");
    // Totals: how many met each criterion, then the outcomes per tier and overall.
    let totals = &t[h + 2 + collectives.len()];
    assert_eq!(text(&totals[0]), "Số đối tượng đạt từng tiêu chí");
    let met_tt1 = collectives
        .iter()
        .filter(|&&i| rows[i].values()[0] == VerdictValue::Met)
        .count();
    assert_eq!(totals[5], Data::Float(met_tt1 as f64));
    assert_eq!(totals[15], Data::Float(1.0), "one collective qualifies");
    let overall = t
        .iter()
        .find(|r| text(&r[1]) == "Tổng cộng")
        .expect("overall totals");
    let count = |o: Outcome| collectives.iter().filter(|&&i| outcomes[i] == o).count() as f64;
    assert_eq!(overall[3], Data::Float(collectives.len() as f64));
    assert_eq!(overall[4], Data::Float(count(Outcome::Qualified)));
    assert_eq!(overall[5], Data::Float(count(Outcome::NotQualified)));
    assert_eq!(overall[6], Data::Float(count(Outcome::Incomplete)));
    let agencies = t
        .iter()
        .find(|r| text(&r[1]) == "Sở, ban, ngành tỉnh" && r[3] != Data::Empty)
        .expect("the provincial agencies' totals");
    assert_eq!(agencies[3], Data::Float(21.0));
    assert!(
        t.iter()
            .flatten()
            .any(|c| text(c).starts_with("Ghi chú: TT1: Thực hiện nhiệm vụ CCHC được giao; TT2:"))
    );
    for want in ["NGƯỜI LẬP BIỂU", "TM. HỘI ĐỒNG", "CHỦ TỊCH"] {
        assert!(t.iter().flatten().any(|c| text(c) == want), "{want}");
    }

    // Proposals grouped by award and tier, STT restarting, each group with its count.
    let proposed = sheet(&mut wb, "Đề nghị khen thưởng");
    let ids: Vec<String> = numbered(&proposed).iter().map(|r| text(&r[1])).collect();
    assert_eq!(ids, ["VPUBND", "CB0001"]);
    let all: Vec<String> = proposed.iter().map(|r| text(&r[0])).collect();
    let at = |s: &str| {
        all.iter()
            .position(|x| x == s)
            .unwrap_or_else(|| panic!("{s} in {all:?}"))
    };
    let award = at("I. Bằng khen của Chủ tịch UBND tỉnh: 2 (1 tập thể, 1 cá nhân)");
    assert!(all[award + 1].starts_with("Thành tích: Đã có thành tích xuất sắc"));
    let agencies = at("1. Sở, ban, ngành tỉnh: 1");
    let people = at("2. Cán bộ, công chức, viên chức và người lao động: 1");
    assert!(award < agencies && agencies < people);
    assert_eq!(proposed[agencies + 1][0], Data::Float(1.0));
    assert_eq!(proposed[people + 1][0], Data::Float(1.0), "STT restarts");
    let cb0001 = rows
        .iter()
        .find(|r| r.subject.id == "CB0001")
        .expect("CB0001");
    assert_eq!(text(&proposed[people + 1][2]), cb0001.subject.name);
    assert_eq!(
        text(&proposed[people + 1][3]),
        store
            .subject(cb0001.subject.parent.as_deref().expect("parent"))
            .expect("read")
            .expect("parent")
            .name
    );
    at("Tổng cộng: 2 (1 tập thể, 1 cá nhân)");

    let inits = sheet(&mut wb, "Sáng kiến");
    assert_eq!(numbered(&inits).len(), 34);
    let sk5 = inits
        .iter()
        .find(|r| text(&r[1]) == "SK005")
        .expect("SK005");
    assert_eq!(text(&sk5[6]), "Được công nhận");
    assert_eq!(text(&sk5[8]), "130/QĐ-SNV");
    assert!(
        matches!(sk5[9], Data::DateTime(_)),
        "a real date: {:?}",
        sk5[9]
    );
    assert_eq!(text(&sk5[9]), "01/10/2021");

    // Explanations first, then the reasons for not met, each part numbered from 1.
    let notes = sheet(&mut wb, "Giải trình – Không đạt");
    let parts: Vec<String> = notes.iter().map(|r| text(&r[0])).collect();
    let explain = parts
        .iter()
        .position(|x| x == "I. Cần giải trình: 1")
        .expect("part I");
    let not_met = parts
        .iter()
        .position(|x| x == "II. Không đạt: 2")
        .expect("part II");
    assert_eq!(text(&notes[explain + 1][1]), "CB0003");
    assert_eq!(text(&notes[explain + 1][5]), "Cần giải trình");
    assert_eq!(text(&notes[explain + 1][6]), "Chờ đơn vị giải trình");
    assert_eq!(text(&notes[not_met + 1][1]), "VPUBND.P01");
    assert_eq!(notes[not_met + 1][0], Data::Float(1.0));
    assert_eq!(
        text(&notes[not_met + 1][6]),
        "Chưa ban hành kế hoạch tuyên truyền năm 2021"
    );
    assert_eq!(text(&notes[not_met + 2][1]), "CB0002");
    assert_eq!(text(&notes[not_met + 1][8]), "01/09/2021 09:00");

    let audit = sheet(&mut wb, "Nhật ký");
    assert_eq!(audit.len() - 1, store.audit(None).expect("audit").len());
    assert!(matches!(audit[1][1], Data::DateTime(_)));
    assert!(audit.iter().any(|r| {
        text(&r[4])
            .contains("VPUBND.P01 Trung tâm Phục vụ hành chính công tỉnh · TT3: Đạt → Không đạt")
    }));

    let gaps = sheet(&mut wb, "Chưa hoàn thành");
    let g = review::incompleteness(&c, &rows);
    assert_eq!(gaps.len() - 1, g.gaps.len());
}

#[test]
fn xlsx_keeps_formula_like_text_as_strings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = complete_db(dir.path(), &HOSTILE_NAMES, &HOSTILE_NOTES);
    let out = dir.path().join("v.xlsx");
    export(&db, "xlsx", &out, false);
    let mut wb: Xlsx<_> = open_workbook(&out).expect("open xlsx");
    for name in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&name).expect("formulas");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name} holds a formula"
        );
    }
    let people = sheet(&mut wb, "Cá nhân");
    assert!(
        !people
            .iter()
            .flatten()
            .any(|c| text(c).contains("CHƯA ĐẦY ĐỦ")),
        "no notice on a complete export"
    );
    let h = header_row(&people);
    for (i, name) in HOSTILE_NAMES.iter().enumerate() {
        assert_eq!(people[h + 2 + i][2], Data::String((*name).to_string()));
    }
    let notes = sheet(&mut wb, "Giải trình – Không đạt");
    let rows = numbered(&notes);
    for (i, note) in HOSTILE_NOTES.iter().enumerate() {
        assert_eq!(rows[i][6], Data::String((*note).to_string()));
    }
    let proposed = sheet(&mut wb, "Đề nghị khen thưởng");
    let ids: Vec<String> = numbered(&proposed).iter().map(|r| text(&r[1])).collect();
    assert_eq!(ids, ["SNV"], "the one qualified unit");
    assert!(!wb.sheet_names().iter().any(|n| n == "Chưa hoàn thành"));
}

// ---- completeness ----------------------------------------------------------------------

#[test]
fn an_incomplete_review_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let existing = dir.path().join("old.xlsx");
    std::fs::write(&existing, b"the previous file").expect("write");
    // --force (allowed to replace old.xlsx) does not let an incomplete review through.
    for (format, out) in [
        ("json", dir.path().join("v.json")),
        ("csv", dir.path().join("v.csv")),
        ("xlsx", existing.clone()),
    ] {
        let o = thidua(
            &db,
            &[
                "export",
                "--format",
                format,
                "--force",
                "--out",
                out.to_str().expect("p"),
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{format}");
        let err = String::from_utf8(o.stderr).expect("utf-8");
        assert!(err.contains("không ghi tệp nào"), "{err}");
        assert!(
            err.contains("tiêu chí chưa đánh giá, 1 chờ giải trình, 1 không đạt chưa ghi lý do"),
            "{err}"
        );
        assert!(err.contains("--allow-incomplete"), "{err}");
        let listed: Vec<&str> = err.lines().filter(|l| l.contains(" · ")).collect();
        assert_eq!(listed.len(), 20, "{err}");
        // The subject waiting for an explanation comes first, with its note on the next line,
        // exactly as the console's export dialog lists it.
        assert!(
            listed[0].starts_with("  CB0003 ") && listed[0].ends_with("CN1: đang chờ giải trình"),
            "{err}"
        );
        let lines: Vec<&str> = err.lines().collect();
        let at = lines.iter().position(|l| *l == listed[0]).expect("listed");
        assert_eq!(lines[at + 1], "    Chờ đơn vị giải trình", "{err}");
        assert!(err.contains("… và "), "{err}");
        assert!(o.stdout.is_empty());
    }
    assert_eq!(files_in(dir.path()), ["old.xlsx", "review.db"]);
    assert_eq!(
        std::fs::read(&existing).expect("read"),
        b"the previous file"
    );

    let o = thidua(
        &db,
        &[
            "--lang",
            "en",
            "export",
            "--out",
            dir.path().join("v.json").to_str().expect("p"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).expect("utf-8");
    assert!(err.contains("not written"), "{err}");
    assert!(err.contains("VPUBND.P02 "), "{err}");
    assert!(err.contains("not yet reviewed"), "{err}");
}

#[test]
fn allow_incomplete_says_so_inside_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let json = dir.path().join("v.json");
    let o = export(&db, "json", &json, true);
    let err = String::from_utf8(o.stderr).expect("utf-8");
    assert!(err.contains("CHƯA ĐẦY ĐỦ"), "{err}");
    let stdout = String::from_utf8(o.stdout).expect("utf-8");
    assert!(stdout.contains("535 đối tượng, 2 đủ điều kiện"), "{stdout}");
    let doc: Value = serde_json::from_slice(&std::fs::read(&json).expect("read")).expect("json");
    assert_eq!(doc["incomplete"], true);

    let csv_path = dir.path().join("v.csv");
    export(&db, "csv", &csv_path, true);
    let bytes = std::fs::read(&csv_path).expect("read");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let recs: Vec<csv::StringRecord> = r.records().map(|x| x.expect("rec")).collect();
    assert!(recs.iter().all(|r| &r[14] == "no"));
    let gap = |id: &str, c: &str| {
        recs.iter()
            .find(|r| &r[0] == id && &r[4] == c)
            .map(|r| r[13].to_string())
            .expect("row")
    };
    assert_eq!(gap("CB0002", "CN2"), "missing_reason");
    assert_eq!(gap("CB0003", "CN1"), "needs_explanation");
    assert_eq!(gap("SNV", "TT1"), "pending");
    assert_eq!(gap("CB0001", "CN1"), "");
    let gaps_in_csv = recs.iter().filter(|r| !r[13].is_empty()).count();
    assert_eq!(gaps_in_csv, doc["gaps"].as_array().expect("gaps").len());

    let xlsx = dir.path().join("v.xlsx");
    export(&db, "xlsx", &xlsx, true);
    let mut wb: Xlsx<_> = open_workbook(&xlsx).expect("open");
    for name in ["Tập thể", "Đề nghị khen thưởng", "Giải trình – Không đạt"] {
        let first = sheet(&mut wb, name);
        assert!(
            first[..header_row(&first)]
                .iter()
                .flatten()
                .any(|c| text(c).starts_with("BẢN CHƯA ĐẦY ĐỦ")),
            "{name}: the title block says the export is incomplete"
        );
    }
}

#[test]
fn a_complete_review_exports_without_the_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = complete_db(
        dir.path(),
        &["Phạm Thị Hoa"],
        &["Vắng nhiều buổi sinh hoạt"],
    );
    let out = dir.path().join("v.json");
    export(&db, "json", &out, false);
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    assert_eq!(doc["incomplete"], false);
    assert_eq!(doc["gaps"], serde_json::json!([]));
    assert_eq!(doc["subjects"][0]["outcome"], "qualified");
    assert_eq!(doc["subjects"][1]["outcome"], "not_qualified");
    // The format can also come from the file name.
    let o = thidua(
        &db,
        &[
            "export",
            "--out",
            dir.path().join("x.CSV").to_str().expect("p"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = thidua(
        &db,
        &[
            "export",
            "--out",
            dir.path().join("x.txt").to_str().expect("p"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    // An existing file is kept unless --force is given, then replaced whole; a folder that
    // does not exist is named in the error.
    std::fs::write(&out, b"old").expect("write");
    let out_s = out.to_str().expect("p");
    let o = thidua(&db, &["export", "--format", "json", "--out", out_s]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&out).expect("read"), b"old");
    let o = thidua(
        &db,
        &["export", "--format", "json", "--force", "--out", out_s],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(&out).expect("read").starts_with(b"{\n"));
    let missing = dir.path().join("no-such-folder").join("v.json");
    let o = thidua(&db, &["export", "--out", missing.to_str().expect("p")]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).expect("utf-8");
    assert!(err.contains("no-such-folder"), "{err}");
    let o = thidua(
        &db,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            dir.path().to_str().expect("p"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("là một thư mục"));
    assert_eq!(files_in(dir.path()), ["small.db", "v.json", "x.CSV"]);
}

// ---- outcomes across the rules ---------------------------------------------------------

fn points_campaign() -> thidua::domain::Campaign {
    let text = campaign::SAMPLE
        .replace("scale = \"pass_fail\"", "scale = { points = 10 }")
        .replace(
            "name_en = \"Individuals\"\n",
            "name_en = \"Individuals\"\nqualifying_total = 30\n",
        )
        .replace(
            "name_en = \"Collectives\"\n",
            "name_en = \"Collectives\"\nqualifying_total = 80\n",
        );
    campaign::parse(&text, "points.toml").expect("points campaign")
}

#[test]
fn outcomes_follow_each_campaigns_rule() {
    use VerdictValue::*;
    let cases: Vec<(&str, Vec<VerdictValue>, Outcome, Option<Points>)> = vec![
        (
            "pass_fail",
            vec![Met, Met, Met, Met],
            Outcome::Qualified,
            None,
        ),
        (
            "pass_fail",
            vec![Met, NotMet, Met, Met],
            Outcome::NotQualified,
            None,
        ),
        ("pass_fail", vec![Met, Met, Met], Outcome::Incomplete, None),
        (
            "pass_fail",
            vec![Met, NeedsExplanation, Met, Met],
            Outcome::Incomplete,
            None,
        ),
        (
            "pass_fail",
            vec![NotMet, Pending, Met, Met],
            Outcome::Incomplete,
            None,
        ),
        (
            "points",
            vec![
                Score(Points::whole(8)),
                Score(Points::whole(8)),
                Score(Points::whole(7)),
                Score(Points::whole(7)),
            ],
            Outcome::Qualified,
            Some(Points::whole(30)),
        ),
        (
            "points",
            vec![
                Score(Points::whole(8)),
                Score(Points::whole(8)),
                Score(Points::whole(7)),
                Score(Points::whole(6)),
            ],
            Outcome::NotQualified,
            Some(Points::whole(29)),
        ),
        (
            "points",
            vec![
                Score(Points::whole(10)),
                Score(Points::whole(10)),
                Score(Points::whole(10)),
            ],
            Outcome::Incomplete,
            None,
        ),
        (
            "points",
            vec![
                Score(Points::whole(10)),
                Score(Points::whole(9)),
                Met,
                NotMet,
            ],
            Outcome::NotQualified,
            Some(Points::whole(29)),
        ),
        (
            "points",
            vec![
                Score(Points::whole(10)),
                Score(Points::whole(10)),
                Met,
                NotMet,
            ],
            Outcome::Qualified,
            Some(Points::whole(30)),
        ),
        (
            "points",
            vec![
                Score(Points::whole(10)),
                Score(Points::whole(10)),
                Score(Points::whole(10)),
                NeedsExplanation,
            ],
            Outcome::Incomplete,
            None,
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    for (kind, campaign) in [
        ("pass_fail", campaign::sample()),
        ("points", points_campaign()),
    ] {
        let path = dir.path().join(kind);
        let store = Store::create(&path, &campaign, &actor("admin")).expect("create");
        let mine: Vec<_> = cases.iter().filter(|c| c.0 == kind).collect();
        let subjects: Vec<Subject> = (0..mine.len())
            .map(|i| Subject {
                id: format!("P{i}"),
                name: format!("Người {i}"),
                tier: "individual".into(),
                parent: None,
                registered_on: None,
            })
            .collect();
        store
            .upsert_subjects(&subjects, "test", &actor("admin"))
            .expect("subjects");
        for (i, (_, values, _, _)) in mine.iter().enumerate() {
            for (k, v) in values.iter().enumerate() {
                let note = if v.wants_reason() { "lý do" } else { "" };
                decide(
                    &store,
                    "an",
                    &format!("P{i}"),
                    &format!("CN{}", k + 1),
                    *v,
                    note,
                );
            }
        }
        let c = store.campaign().clone();
        let rows = review::assemble(
            &c,
            store.subjects().expect("s"),
            store.verdicts().expect("v"),
        );
        let got = review::outcomes(&c, &rows);
        let group = c.group("individual").expect("group");
        for (i, (_, values, want, total)) in mine.iter().enumerate() {
            assert_eq!(got[i], *want, "{kind} {values:?}");
            assert_eq!(
                review::points_total(group, &rows[i]),
                *total,
                "{kind} {values:?}"
            );
        }
        drop(store);
        let out = dir.path().join(format!("{kind}.json"));
        export(&path, "json", &out, true);
        let doc: Value = serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
        assert_eq!(schema_errors(&doc), Vec::<String>::new());
        for (i, (_, _, want, total)) in mine.iter().enumerate() {
            let js = &doc["subjects"][i];
            assert_eq!(js["outcome"], want.code());
            assert_eq!(js["points_total"].as_f64(), total.map(f64::from));
        }
        if kind == "points" {
            // CSV: numbers, the threshold on every row, an incomplete subject's total empty.
            let csv_out = dir.path().join("points.csv");
            export(&path, "csv", &csv_out, true);
            let csv_text = std::fs::read_to_string(&csv_out).expect("csv");
            let mut r =
                ::csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
            let head = r.headers().expect("header").clone();
            let col = |name: &str| head.iter().position(|h| h == name).expect(name);
            let (id, total_c, max_c, need_c) = (
                col("subject_id"),
                col("points_total"),
                col("max_total"),
                col("qualifying_total"),
            );
            for rec in r.records() {
                let rec = rec.expect("record");
                let i: usize = rec[id][1..].parse().expect("P<n>");
                let want = mine[i].3.map_or(String::new(), |t| t.to_string());
                assert_eq!(&rec[total_c], want, "{rec:?}");
                assert_eq!(&rec[need_c], "30");
                assert!(rec[max_c].parse::<f64>().is_ok(), "{rec:?}");
            }
            assert_eq!(doc["subjects"][0]["verdicts"][0]["verdict"], "score");
            assert_eq!(doc["subjects"][0]["verdicts"][0]["score"], 8);
            assert_eq!(doc["campaign"]["groups"][1]["qualifying_total"], 30);
            let xlsx = dir.path().join("points.xlsx");
            export(&path, "xlsx", &xlsx, true);
            let mut wb: Xlsx<_> = open_workbook(&xlsx).expect("open");
            let people = sheet(&mut wb, "Cá nhân");
            let h = header_row(&people);
            assert_eq!(text(&people[h][9]), "Tổng điểm\n(tối đa 40, cần 30)");
            assert_eq!(people[h + 2][5], Data::Float(8.0));
            assert_eq!(people[h + 2][9], Data::Float(30.0));
            assert_eq!(text(&people[h + 2][10]), "Đủ điều kiện");
        }
    }
}

// ---- hints on the sample roster --------------------------------------------------------

#[test]
fn hints_read_the_sample_roster_and_initiatives_in_both_languages() {
    let c = campaign::sample();
    let tt8 = c.criterion("TT8").expect("TT8").clone();
    let tt9 = c.criterion("TT9").expect("TT9").clone();
    let cn4 = c.criterion("CN4").expect("CN4").clone();
    let subjects = roster();
    let inits = initiatives();
    let deadline = NaiveDate::from_ymd_opt(2021, 8, 31).expect("date");
    let (mut on_time, mut late, mut none) = (0, 0, 0);
    for s in subjects.iter().filter(|s| s.tier != "individual") {
        let h = hint(&c, &tt9, s, &inits, Lang::Vi).expect("TT9 hint");
        match s.registered_on {
            Some(d) if d <= deadline => {
                on_time += 1;
                assert!(h.text.ends_with("hạn 31/08/2021: đúng hạn"), "{}", h.text);
                assert_eq!(h.suggested, Some(VerdictValue::Met));
            }
            Some(_) => {
                late += 1;
                assert!(h.text.ends_with(": trễ hạn"), "{}", h.text);
                assert_eq!(h.suggested, Some(VerdictValue::NotMet));
            }
            None => {
                none += 1;
                assert_eq!(h.text, "Chưa đăng ký thi đua (hạn 31/08/2021)");
            }
        }
        let en = hint(&c, &tt9, s, &inits, Lang::En).expect("TT9 hint");
        assert!(en.text.starts_with("Registered") || en.text.starts_with("Not registered"));
        let h8 = hint(&c, &tt8, s, &inits, Lang::En).expect("TT8 hint");
        let recognised = inits
            .iter()
            .any(|i| i.owner == s.id && i.status == InitiativeStatus::Recognized);
        assert_eq!(h8.suggested.is_some(), recognised, "{}", s.id);
    }
    assert!(
        on_time > 0 && late > 0 && none > 0,
        "{on_time} {late} {none}"
    );
    let vpubnd_p01 = subjects
        .iter()
        .find(|s| s.id == "VPUBND.P01")
        .expect("unit");
    let h = hint(&c, &tt8, vpubnd_p01, &inits, Lang::Vi).expect("hint");
    assert_eq!(
        h.text,
        "Có sáng kiến được công nhận: Ứng dụng Zalo OA tra cứu hồ sơ thủ tục hành chính, quyết định số 2841/QĐ-UBND ngày 18/11/2021"
    );
    let h = hint(&c, &tt8, vpubnd_p01, &inits, Lang::En).expect("hint");
    assert_eq!(
        h.text,
        "Has a recognised initiative: Ứng dụng Zalo OA tra cứu hồ sơ thủ tục hành chính, decision 2841/QĐ-UBND of 18/11/2021"
    );
    let person = subjects
        .iter()
        .find(|s| s.tier == "individual")
        .expect("person");
    assert!(hint(&c, &cn4, person, &inits, Lang::Vi).is_some());
}

/// The points campaign with CN1 required (at least 5 points) and scored in halves.
fn points_campaign_required() -> thidua::domain::Campaign {
    let text = campaign::SAMPLE
        .replace("scale = \"pass_fail\"", "scale = { points = 10 }")
        .replace(
            "name_en = \"Individuals\"\n",
            "name_en = \"Individuals\"\nqualifying_total = 30\n",
        )
        .replace(
            "name_en = \"Collectives\"\n",
            "name_en = \"Collectives\"\nqualifying_total = 80\n",
        )
        .replace(
            "id = \"CN1\"\n",
            "id = \"CN1\"\nrequired = true\nmin = 5\nstep = 0.5\n",
        );
    campaign::parse(&text, "points.toml").expect("points campaign")
}

#[test]
fn xlsx_of_a_points_campaign_shows_maxima_threshold_numbers_and_required_marks() {
    use VerdictValue::*;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db");
    let store = Store::create(&path, &points_campaign_required(), &actor("admin")).expect("create");
    let subjects: Vec<Subject> = (0..3)
        .map(|i| Subject {
            id: format!("P{i}"),
            name: format!("Người {i}"),
            tier: "individual".into(),
            parent: None,
            registered_on: None,
        })
        .collect();
    store
        .upsert_subjects(&subjects, "test", &actor("admin"))
        .expect("subjects");
    let p = Points::from_hundredths;
    let scores = [
        // 37,5: qualifies.
        vec![
            Score(p(750)),
            Score(p(1000)),
            Score(p(1000)),
            Score(p(1000)),
        ],
        // 34, but the required CN1 is below its minimum of 5.
        vec![
            Score(p(400)),
            Score(p(1000)),
            Score(p(1000)),
            Score(p(1000)),
        ],
        // Not fully scored: no total.
        vec![Pending, Score(p(1000)), Score(p(950)), Score(p(1000))],
    ];
    for (i, values) in scores.iter().enumerate() {
        for (k, v) in values.iter().enumerate() {
            if *v != Pending {
                decide(
                    &store,
                    "an",
                    &format!("P{i}"),
                    &format!("CN{}", k + 1),
                    *v,
                    "",
                );
            }
        }
    }
    drop(store);
    let xlsx = dir.path().join("points.xlsx");
    export(&path, "xlsx", &xlsx, true);
    let mut wb: Xlsx<_> = open_workbook(&xlsx).expect("open");
    let people = sheet(&mut wb, "Cá nhân");
    let h = header_row(&people);
    // The header: each criterion's maximum, the required one marked; the total's maximum
    // and the group's threshold.
    assert_eq!(text(&people[h + 1][5]), "CN1 (*)\ntối đa 10");
    assert_eq!(text(&people[h + 1][6]), "CN2\ntối đa 10");
    assert_eq!(text(&people[h][9]), "Tổng điểm\n(tối đa 40, cần 30)");
    let rows: Vec<_> = numbered(&people)
        .into_iter()
        .filter(|r| ["P0", "P1", "P2"].contains(&text(&r[1]).as_str()))
        .collect();
    assert_eq!(rows.len(), 3);
    // Scores and totals are numbers; decimals kept.
    assert_eq!(rows[0][5], Data::Float(7.5));
    assert_eq!(rows[0][9], Data::Float(37.5));
    assert_eq!(text(&rows[0][10]), "Đủ điều kiện");
    assert_eq!(rows[1][9], Data::Float(34.0));
    assert_eq!(text(&rows[1][10]), "Không đủ điều kiện");
    // Not fully scored: the total is empty, not 0.
    assert_eq!(rows[2][5], Data::Empty);
    assert_eq!(rows[2][7], Data::Float(9.5));
    assert_eq!(rows[2][9], Data::Empty);
    // The legend says what the mark means.
    let all: Vec<String> = people.iter().flatten().map(text).collect();
    assert!(
        all.iter()
            .any(|t| t.starts_with("(*) Tiêu chí bắt buộc: CN1 (ít nhất 5)")
                && t.contains("dù tổng điểm cao")),
        "{all:?}"
    );
    // The score cells use the `0.##` format, whole ones `0`.
    let styles = {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).expect("open")).expect("zip");
        let mut s = String::new();
        zip.by_name("xl/styles.xml")
            .expect("styles")
            .read_to_string(&mut s)
            .expect("read");
        s
    };
    assert!(styles.contains("formatCode=\"0.##\""), "{styles}");
}
