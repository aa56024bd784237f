//! Self-assessment (tự đánh giá) end to end: a wide XLSX for 20 units made the way an office
//! makes it (title block with merged cells, STT, Vietnamese headers, a criterion named by its
//! short title, a signature block) through the real binary with `--dry-run` first and a
//! re-import that changes nothing; a long semicolon CSV with a BOM; every kind of bad value or
//! reference refused with file, row and column and nothing changed; the claims beside the
//! verdicts in the console (snapshots at 80×24, vi and en; the "differs" filter; `A` in the
//! real binary in a pty and over SSH with the system client) and in the JSON, CSV and XLSX
//! exports.

use std::path::{Path, PathBuf};
use std::process::Output;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use rust_xlsxwriter::{Format, Workbook};
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Filter, Model, Msg, Role, update};
use thidua::commands::init::Contents;
use thidua::domain::{AuditAction, Lang, Points, Subject, VerdictValue};
use thidua::interchange::plan::Options;
use thidua::store::{Actor, Store, VerdictWrite};

use crate::command::{bin, text};
use crate::{console, pty};

/// A database with the sample campaign, roster and initiatives, made by the binary.
fn sample_db(dir: &Path) -> PathBuf {
    let db = dir.join("db");
    let out = bin()
        .args(["init", "--sample", "--db"])
        .arg(&db)
        .output()
        .expect("init");
    assert!(out.status.success(), "{}", text(&out.stderr));
    db
}

fn import(db: &Path, lang: &str, file: &Path, extra: &[&str]) -> Output {
    bin()
        .args(["--lang", lang, "import", "self-assessment"])
        .arg(file)
        .args(extra)
        .arg("--db")
        .arg(db)
        .output()
        .expect("import")
}

/// Opens the database in this process, waiting out sled's lock of a process just ended.
fn open(db: &Path) -> Store {
    for _ in 0..100 {
        match Store::open(db) {
            Err(thidua::store::StoreError::Locked { .. }) => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            other => return other.expect("open"),
        }
    }
    Store::open(db).expect("open")
}

/// The first 20 collectives of the sample roster.
fn twenty_units() -> Vec<Subject> {
    Contents::sample()
        .expect("sample")
        .subjects
        .into_iter()
        .filter(|s| s.tier != "individual")
        .take(20)
        .collect()
}

/// The claim unit `k` makes for criterion `j` (0-based), as an office writes it.
fn office_value(k: usize, j: usize) -> &'static str {
    if (k + j).is_multiple_of(7) {
        "Không đạt"
    } else {
        ["Đạt", "x", "✓", "đạt"][(k + j) % 4]
    }
}

/// Writes the wide self-assessment sheet for `units`: title block (merged), header at row 6
/// (STT, Mã đơn vị, Tên đơn vị, TT1, TT2 by its short title, TT3–TT10, Tài liệu kiểm chứng),
/// a row per unit, an empty row and the signature block (merged).
fn wide_xlsx(path: &Path, units: &[Subject]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Tự đánh giá").expect("name");
    let bold = Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 3, "UBND TỈNH AN GIANG", &bold)
        .expect("merge");
    sheet
        .merge_range(0, 5, 0, 13, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &bold)
        .expect("merge");
    sheet
        .merge_range(1, 0, 1, 3, "SỞ NỘI VỤ", &bold)
        .expect("merge");
    sheet
        .merge_range(
            3,
            0,
            3,
            13,
            "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM THI ĐUA CẢI CÁCH HÀNH CHÍNH NĂM 2021",
            &bold,
        )
        .expect("merge");
    let mut header = vec![
        "STT".to_string(),
        "Mã đơn vị".into(),
        "Tên đơn vị".into(),
        "TT1".into(),
        "Kế hoạch CCHC đúng hạn, đủ lĩnh vực".into(),
    ];
    header.extend((3..=10).map(|n| format!("TT{n}")));
    header.push("Tài liệu kiểm chứng".into());
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(5, c as u16, h).expect("header");
    }
    for (k, u) in units.iter().enumerate() {
        let r = 6 + k as u32;
        sheet.write_number(r, 0, (k + 1) as f64).expect("stt");
        sheet.write_string(r, 1, &u.id).expect("id");
        sheet.write_string(r, 2, &u.name).expect("name");
        for j in 0..10 {
            sheet
                .write_string(r, 3 + j as u16, office_value(k, j))
                .expect("claim");
        }
        sheet
            .write_string(r, 13, format!("Báo cáo số {}/BC-CCHC", k + 1))
            .expect("evidence");
    }
    let foot = 6 + units.len() as u32 + 1;
    sheet
        .merge_range(foot, 0, foot, 3, "Người lập biểu", &bold)
        .expect("merge");
    sheet
        .merge_range(foot, 8, foot, 12, "Thủ trưởng đơn vị", &bold)
        .expect("merge");
    book.save(path).expect("save");
}

#[test]
fn a_wide_office_sheet_for_twenty_units_imports_after_a_dry_run_and_again_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let units = twenty_units();
    let file = dir.path().join("tu-danh-gia.xlsx");
    wide_xlsx(&file, &units);
    let before = open(&db).checksum().expect("checksum");

    let dry = import(&db, "vi", &file, &["--dry-run"]);
    let out = text(&dry.stdout);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(
        out.contains("không ghi gì: sẽ thêm 200, cập nhật 0"),
        "{out}"
    );
    assert!(out.contains("Dạng ngang"), "{out}");
    assert!(out.contains("10 cột tiêu chí"), "{out}");
    assert!(out.contains("Bỏ qua các dòng tiêu đề 1–5"), "{out}");
    assert!(out.contains("Người lập biểu"), "{out}");
    assert!(out.contains("cột A \"STT\""), "{out}");
    assert_eq!(open(&db).checksum().expect("checksum"), before, "dry run");
    assert!(open(&db).claims().expect("claims").is_empty(), "dry run");

    let real = import(&db, "en", &file, &[]);
    let out = text(&real.stdout);
    assert!(real.status.success(), "{}", text(&real.stderr));
    assert!(out.contains(": 200 added, 0 updated, 0 unchanged"), "{out}");
    assert!(
        out.contains("Wide shape (a row per subject): sheet Tự đánh giá, row 6 has a subject column (by id) and 10 criterion columns: TT1, TT2, TT3"),
        "{out}"
    );
    let again = import(&db, "en", &file, &[]);
    let out = text(&again.stdout);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(out.contains(": 0 added, 0 updated, 200 unchanged"), "{out}");
    assert!(out.contains("Nothing changed."), "{out}");

    let store = open(&db);
    let claims = store.claims().expect("claims");
    assert_eq!(claims.len(), 200);
    let first = &claims[0];
    assert_eq!(
        first.2.value,
        VerdictValue::NotMet,
        "unit 0, TT1: Không đạt"
    );
    assert_eq!(first.2.evidence, "Báo cáo số 1/BC-CCHC");
    assert_eq!(claims[1].2.value, VerdictValue::Met);
    // One audit event for the import that wrote, none for the one that changed nothing.
    let events: Vec<_> = store
        .audit(None)
        .expect("audit")
        .into_iter()
        .filter(|e| matches!(e.action, AuditAction::SelfAssessment { .. }))
        .collect();
    assert_eq!(events.len(), 1);
    match &events[0].action {
        AuditAction::SelfAssessment {
            source,
            added,
            updated,
            ..
        } => {
            assert!(source.ends_with("tu-danh-gia.xlsx"), "{source}");
            assert_eq!((*added, *updated), (200, 0));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(events[0].reviewer, whoami());
}

/// The reviewer name the binary records when none is given.
fn whoami() -> String {
    thidua::paths::reviewer(&thidua::cli::Global {
        db: None,
        reviewer: None,
        lang: None,
    })
}

#[test]
fn a_long_semicolon_csv_with_a_bom_keeps_and_clears_only_as_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let file = dir.path().join("tdg.csv");
    let csv = "\u{feff}BẢNG TỰ ĐÁNH GIÁ;;;\r\n;;;\r\n\
               Mã đơn vị;Tiêu chí;Tự đánh giá;Tài liệu kiểm chứng\r\n\
               SNV;TT1;Đạt;\"Báo cáo 12/BC-SNV; phụ lục\"\r\n\
               Sở Tư pháp;Kế hoạch tuyên truyền CCHC;Khong dat;\r\n\
               SNV;tt2;✓;Ba\u{301}o ca\u{301}o\u{7}\r\n";
    std::fs::write(&file, csv).expect("write");
    let out = import(&db, "en", &file, &[]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("Long shape (a row per claim): line 3"),
        "{stdout}"
    );
    assert!(stdout.contains("Separator: semicolon (;)"), "{stdout}");
    assert!(stdout.contains("3 added"), "{stdout}");
    {
        let store = open(&db);
        let claims = store.claims().expect("claims");
        let evidence: Vec<&str> = claims.iter().map(|c| c.2.evidence.as_str()).collect();
        // Quoted separators stay in the cell; NFC, control characters stripped.
        assert!(
            evidence.contains(&"Báo cáo 12/BC-SNV; phụ lục"),
            "{evidence:?}"
        );
        assert!(evidence.contains(&"Báo cáo"), "{evidence:?}");
        assert_eq!(claims.len(), 3);
    }

    // An empty value keeps the stored claim, and the summary says so.
    let again =
        "Mã đơn vị;Tiêu chí;Tự đánh giá;Tài liệu kiểm chứng\nSNV;TT1;;\nSNV;TT2;Không đạt;\n";
    std::fs::write(&file, again).expect("write");
    let out = import(&db, "en", &file, &[]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("~ SNV · TT2 value: \"Met\" → \"Not met\""),
        "{stdout}"
    );
    assert!(stdout.contains("= SNV · TT1 value: \"Met\""), "{stdout}");
    assert!(
        stdout.contains("= SNV · TT2 evidence: \"Báo cáo\""),
        "{stdout}"
    );
    assert_eq!(open(&db).claims().expect("claims").len(), 3);

    // --clear-empty clears it.
    let out = import(&db, "en", &file, &["--clear-empty"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = open(&db);
    let claims = store.claims().expect("claims");
    assert_eq!(claims.len(), 2, "{claims:?}");
    assert!(
        claims.iter().all(|c| c.2.evidence != "Báo cáo"),
        "{claims:?}"
    );
}

/// A store with the points campaign (10 criteria of 10 points, step 0.5) and the sample
/// roster, in this process.
fn points_store(dir: &Path) -> Store {
    let campaign = thidua::interchange::campaign::parse(
        &crate::review_points::points_campaign_text(),
        "points.toml",
    )
    .expect("campaign");
    let actor = Actor::new("admin", console::at("2021-07-21T01:00:00Z"));
    let store = Store::create(&dir.join("db"), &campaign, &actor).expect("create");
    let sample = Contents::sample().expect("sample");
    store
        .upsert_subjects(&sample.subjects, "roster", &actor)
        .expect("roster");
    store
}

fn try_import(store: &Store, file: &Path, lang: Lang) -> Result<String, String> {
    let actor = Actor::new("an", console::at("2021-09-01T01:00:00Z"));
    thidua::commands::import::plan_self_assessment(
        store,
        file,
        &Options::default(),
        true,
        &actor,
        lang,
    )
    .map(|(_, text)| text)
    .map_err(
        |e| match e.downcast::<thidua::interchange::table::ImportError>() {
            Ok(e) => thidua::commands::import::summary::refused(&e, lang),
            Err(e) => e.to_string(),
        },
    )
}

#[test]
fn bad_values_and_references_are_refused_with_file_row_and_column_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = points_store(dir.path());
    let audit = store.audit_len();
    let long = "Mã đơn vị,Tiêu chí,Điểm tự chấm\n";
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "text on a points criterion",
            format!("{long}SNV,TT1,Đạt\n"),
            vec![
                "line 2",
                "field value",
                "\"Đạt\" is not a number of points",
                "0 to 10",
            ],
        ),
        (
            "above the maximum",
            format!("{long}SNV,TT1,12\n"),
            vec!["line 2", "\"12\" is above the maximum 10 of criterion TT1"],
        ),
        (
            "off the step",
            format!("{long}SNV,TT1,\"7,25\"\n"),
            vec!["line 2", "not a multiple of the step 0.5"],
        ),
        (
            "unknown subject",
            format!("{long}SNV,TT1,8\nXYZ,TT1,8\n"),
            vec![
                "line 3",
                "field subject (column 1 \"Mã đơn vị\")",
                "\"XYZ\"",
            ],
        ),
        (
            "unknown criterion",
            format!("{long}SNV,TT99,8\n"),
            vec![
                "line 2",
                "field criterion (column 2 \"Tiêu chí\")",
                "no criterion \"TT99\"",
            ],
        ),
        (
            "duplicate subject and criterion",
            format!("{long}SNV,TT1,8\nSở Nội vụ,tt1,9\n"),
            vec!["line 3", "SNV already assessed criterion TT1 on line 2"],
        ),
        (
            "two columns meaning one criterion",
            "STT,Mã,TT1,Thực hiện nhiệm vụ CCHC được giao\n1,SNV,8,9\n".to_string(),
            vec![
                "line 1",
                "column 3 \"TT1\" and column 4 \"Thực hiện nhiệm vụ CCHC được giao\" both mean the field TT1",
            ],
        ),
        (
            "a criterion of another group",
            "Mã,TT1,CN1\nCB0001,x,\n".to_string(),
            vec![
                "line 2",
                "field TT1",
                "criterion TT1 does not apply to CB0001",
                "CN1, CN2",
            ],
        ),
    ];
    for (what, csv, wanted) in cases {
        let file = dir.path().join("bad.csv");
        std::fs::write(&file, &csv).expect("write");
        let e = try_import(&store, &file, Lang::En).expect_err(what);
        assert!(e.contains("bad.csv"), "{what}: {e}");
        for w in wanted {
            assert!(e.contains(w), "{what}: {w:?} not in {e}");
        }
        assert!(store.claims().expect("claims").is_empty(), "{what}");
        assert_eq!(store.audit_len(), audit, "{what}");
    }
    // Vietnamese too.
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, format!("{long}SNV,TT1,12\n")).expect("write");
    let e = try_import(&store, &file, Lang::Vi).expect_err("vi");
    assert!(
        e.contains("dòng 2") && e.contains("vượt quá điểm tối đa 10"),
        "{e}"
    );
    // A good points file: decimals with a comma or a dot.
    std::fs::write(&file, format!("{long}SNV,TT1,\"8,5\"\nSNV,TT2,9.5\n")).expect("write");
    try_import(&store, &file, Lang::En).expect("good");
    let claims = store.claims().expect("claims");
    assert_eq!(
        claims.iter().map(|c| c.2.value).collect::<Vec<_>>(),
        [
            VerdictValue::Score(Points::from_hundredths(850)),
            VerdictValue::Score(Points::from_hundredths(950))
        ]
    );
}

#[test]
fn no_header_explains_both_shapes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = points_store(dir.path());
    let file = dir.path().join("none.csv");
    std::fs::write(&file, "BÁO CÁO\nĐơn vị,Ghi chú\nSNV,x\n").expect("write");
    let e = try_import(&store, &file, Lang::En).expect_err("no header");
    assert!(e.contains("no header found in rows 1–3"), "{e}");
    assert!(e.contains("A self-assessment may also be wide"), "{e}");
    assert!(e.contains("TT1, TT2"), "{e}");
}

// ---- the console ------------------------------------------------------------------------

/// The sample database with claims on VPUBND (subject 1) for TT1–TT4 and verdicts on TT1
/// (as claimed) and TT2 (not as claimed).
fn console_store(dir: &tempfile::TempDir) -> std::sync::Arc<Store> {
    use thidua::store::claims::{ClaimCounts, ClaimWrite};
    let store = console::sample_store(dir);
    let actor = Actor::new("an", console::at("2021-12-01T02:30:00Z"));
    let claim = |c: u16, value, evidence: &str| ClaimWrite {
        subject_no: 1,
        criterion: c,
        claim: Some(thidua::domain::Claim {
            value,
            evidence: evidence.into(),
        }),
    };
    store
        .write_claims(
            &[
                claim(0, VerdictValue::Met, "Báo cáo 12/BC-VP"),
                claim(1, VerdictValue::Met, ""),
                claim(2, VerdictValue::NotMet, "Chưa có kế hoạch"),
                claim(3, VerdictValue::Met, ""),
            ],
            "tdg.xlsx",
            ClaimCounts::default(),
            &actor,
        )
        .expect("claims");
    for (criterion, value, note) in [
        ("TT1", VerdictValue::Met, ""),
        ("TT2", VerdictValue::NotMet, "Kế hoạch ban hành trễ"),
    ] {
        store
            .set_verdict(
                &VerdictWrite {
                    subject: "VPUBND".into(),
                    criterion: criterion.into(),
                    value,
                    note: note.into(),
                    base_version: 0,
                    cause: Default::default(),
                    cell: None,
                },
                &actor,
            )
            .expect("verdict");
    }
    store
}

fn model(store: &Store, lang: Lang) -> Model {
    let mut init =
        thidua::runtime::session::load_init(store, "an", lang, Role::Reviewer, false, 80, 24)
            .expect("load");
    init.today = console::today();
    Model::new(init)
}

fn press(model: &mut Model, keys: &str) -> Vec<thidua::app::Effect> {
    let mut fx = Vec::new();
    for c in keys.chars() {
        let key = match c {
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        };
        fx.extend(update(model, Msg::Key(key)));
    }
    fx
}

fn draw(model: &Model) -> ratatui::buffer::Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(model.size().0, model.size().1)).expect("term");
    terminal.draw(|f| thidua::ui::view(model, f)).expect("draw");
    terminal.backend().buffer().clone()
}

fn screen(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Where `text` starts on the screen, as (x, y) in cells.
fn find(buf: &ratatui::buffer::Buffer, text: &str) -> Option<(u16, u16)> {
    find_from(buf, (0, 0), text)
}

/// Where `text` first starts on row `from.1` at or right of `from.0`, or on a later row.
fn find_from(buf: &ratatui::buffer::Buffer, from: (u16, u16), text: &str) -> Option<(u16, u16)> {
    let first = text.chars().next()?.to_string();
    for y in from.1..buf.area.height {
        let start = if y == from.1 { from.0 } else { 0 };
        for x in start..buf.area.width {
            if buf[(x, y)].symbol() == first {
                let mut got = String::new();
                let mut cx = x;
                while cx < buf.area.width && got.chars().count() < text.chars().count() {
                    got.push_str(buf[(cx, y)].symbol());
                    cx += 1;
                }
                if got == text {
                    return Some((x, y));
                }
            }
        }
    }
    None
}

#[test]
fn the_criteria_pane_shows_each_claim_beside_the_verdict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = console_store(&dir);
    for (lang, suffix, tag) in [(Lang::Vi, "vi", "TĐG: "), (Lang::En, "en", "self: ")] {
        let mut m = model(&store, lang);
        press(&mut m, "\n");
        // TT3: claimed not met with its evidence, undecided.
        press(&mut m, "gjj");
        assert_eq!(m.selected_criterion(), 2);
        let buf = draw(&m);
        insta::assert_snapshot!(format!("criteria_{suffix}"), screen(&buf));
        // A claim the verdict matches is quiet; one it does not match (TT2, and TT3 still
        // undecided) stands out in the warning colour.
        let agrees = find(
            &buf,
            &format!("{tag}{}", if lang == Lang::Vi { "Đạt" } else { "Met" }),
        )
        .expect("TT1's claim");
        assert_ne!(buf[agrees].fg, Color::Red, "{agrees:?}");
        let tt2 = find(&buf, "TT2").expect("TT2's row");
        let claim = find_from(&buf, tt2, tag).expect("TT2's claim");
        assert_eq!(
            buf[claim].fg,
            Color::Red,
            "TT2's claim differs from its verdict"
        );
    }
}

#[test]
fn the_differs_filter_and_a_take_the_claim_through_the_write_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = console_store(&dir);
    let mut m = model(&store, Lang::En);
    assert_eq!(
        m.index().differs(0),
        3,
        "TT2 differs, TT3 and TT4 undecided"
    );
    // f cycles: pending, attention, waiting, qualified, differs.
    press(&mut m, "fffff");
    assert_eq!(m.filter(), Filter::Differs);
    let listed: Vec<&str> = m
        .list()
        .iter()
        .filter_map(|r| match r {
            thidua::app::Row::Subject(i) => Some(m.index().entries[*i].subject.id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(listed, ["VPUBND"]);
    let text = screen(&draw(&m));
    assert!(text.contains("filter: diff"), "{text}");
    // On TT4 (claimed met, undecided), A writes Met as y would.
    press(&mut m, "\n");
    press(&mut m, "gjjj");
    assert_eq!(m.selected_criterion(), 3);
    let fx = press(&mut m, "A");
    let writes: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            thidua::app::Effect::SaveVerdict(w) => Some(w),
            _ => None,
        })
        .collect();
    assert_eq!(writes.len(), 1, "{fx:?}");
    let shown = format!("{:?}", writes[0]);
    assert!(shown.contains("TT4") && shown.contains("Met"), "{shown}");
    // On TT3 (claimed not met), A opens the reason editor with the claim's evidence.
    let mut m = model(&store, Lang::En);
    press(&mut m, "\n");
    press(&mut m, "gjj");
    assert_eq!(m.selected_criterion(), 2);
    press(&mut m, "A");
    let text = screen(&draw(&m));
    assert!(
        text.contains("The unit's self-assessment: Not met (Chưa có kế hoạch)"),
        "{text}"
    );
    // Without a claim, A says so and writes nothing.
    let mut m = model(&store, Lang::Vi);
    let fx = press(&mut m, "j\nA");
    assert!(
        fx.iter()
            .all(|e| !matches!(e, thidua::app::Effect::SaveVerdict(_)))
    );
    let text = screen(&draw(&m));
    assert!(text.contains("không tự đánh giá tiêu chí này"), "{text}");
}

#[test]
fn the_real_binary_takes_a_claim_with_a_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let file = dir.path().join("tdg.csv");
    std::fs::write(
        &file,
        "Mã;Tiêu chí;Tự đánh giá;Tài liệu kiểm chứng\nVPUBND;TT1;Đạt;Báo cáo 3/BC\nVPUBND;TT2;x;\n",
    )
    .expect("write");
    let out = import(&db, "vi", &file, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut c = pty::Console::open(&db, &["--lang", "vi"], &[], 80, 24, false);
    c.wait_for("Văn phòng UBND tỉnh");
    c.send("\r");
    c.wait_for("TĐG: Đạt");
    c.send("A");
    c.wait_until("TT1 decided as claimed", |c| {
        c.contents()
            .lines()
            .any(|l| l.contains("TT1") && l.contains("✓ Đạt") && l.contains("TĐG: Đạt"))
    });
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "{}", c.contents());
    let store = open(&db);
    let v = store
        .verdict("VPUBND", "TT1")
        .expect("read")
        .expect("decided");
    assert_eq!((v.value, v.reviewer.as_str()), (VerdictValue::Met, "an"));
    assert!(store.verdict("VPUBND", "TT2").expect("read").is_none());
    let last = store
        .audit(Some("VPUBND"))
        .expect("audit")
        .pop()
        .expect("event");
    assert!(
        matches!(last.action, AuditAction::Verdict { .. }),
        "{last:?}"
    );
}

// ---- exports ----------------------------------------------------------------------------

#[test]
fn exports_carry_the_claims() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let units = twenty_units();
    let file = dir.path().join("tu-danh-gia.xlsx");
    wide_xlsx(&file, &units);
    let out = import(&db, "en", &file, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let export = |name: &str| {
        let path = dir.path().join(name);
        let out = bin()
            .args(["export", "--allow-incomplete", "--out"])
            .arg(&path)
            .arg("--db")
            .arg(&db)
            .output()
            .expect("export");
        assert!(out.status.success(), "{}", text(&out.stderr));
        path
    };

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(export("v.json")).expect("read")).expect("json");
    let errors = crate::export::schema_errors(&json);
    assert!(
        errors.is_empty(),
        "against docs/verdicts.schema.json: {errors:?}"
    );
    let subjects = json["subjects"].as_array().expect("subjects");
    let first = subjects
        .iter()
        .find(|s| s["id"] == units[0].id.as_str())
        .expect("first unit");
    assert_eq!(
        first["verdicts"][0]["self_assessment"],
        serde_json::json!({"value": "not_met", "score": null, "evidence": "Báo cáo số 1/BC-CCHC"})
    );
    assert_eq!(first["verdicts"][1]["self_assessment"]["value"], "met");
    // A subject without claims has no field at all: older readers see what they always did.
    let other = subjects
        .iter()
        .find(|s| s["tier"] == "individual")
        .expect("an individual");
    assert!(other["verdicts"][0].get("self_assessment").is_none());

    let csv = std::fs::read_to_string(export("v.csv")).expect("csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    assert_eq!(
        &header[header.len() - 3..],
        [
            "self_assessment",
            "self_assessment_evidence",
            "self_assessment_vi"
        ]
    );
    assert_eq!(header[4], "criterion", "existing columns keep their places");
    let row = lines
        .find(|l| l.starts_with(&format!("{},", units[0].id)))
        .expect("first unit's row");
    assert!(
        row.ends_with(",not_met,Báo cáo số 1/BC-CCHC,Không đạt"),
        "{row}"
    );

    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(export("v.xlsx")).expect("xlsx");
    let range = book.worksheet_range("Tự đánh giá").expect("sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(
        rows[0],
        thidua::interchange::export::xlsx::claims::COLUMNS.map(String::from)
    );
    assert_eq!(rows.len(), 201, "a row per claim under the header");
    assert_eq!(
        rows[1][1..8],
        [
            units[0].id.clone(),
            units[0].name.clone(),
            "TT1".into(),
            "Thực hiện nhiệm vụ CCHC được giao".into(),
            "Không đạt".into(),
            "Chưa đánh giá".into(),
            "Chưa thẩm định".into()
        ]
    );
    assert_eq!(rows[1][8], "Báo cáo số 1/BC-CCHC");
}

// ---- over SSH ---------------------------------------------------------------------------

#[test]
fn over_ssh_the_claim_shows_and_a_takes_it() {
    use crate::ssh_support::{Term, keygen, make_db, start_server};
    let t = std::time::Duration::from_secs(10);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let file = dir.path().join("tdg.csv");
    std::fs::write(
        &file,
        "Mã;Tiêu chí;Tự đánh giá;Tài liệu kiểm chứng\nSNV;TT1;Đạt;Báo cáo 7/BC-SNV\n",
    )
    .expect("write");
    let out = import(&db, "en", &file, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (key, public) = keygen(dir.path(), "an");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!("[[reviewer]]\nname = \"an\"\nrole = \"reviewer\"\nkeys = [\"{public}\"]\n"),
    )
    .expect("reviewers");
    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));
    let mut an = Term::connect("an", server.port, &key, 80, 24, &[("LANG", "en_US.UTF-8")]);
    an.wait_text("Sở Nội vụ", t);
    an.send(b"\r");
    an.wait_text("self: Met", t);
    an.send(b"A");
    an.wait_for("TT1 decided as claimed", t, |s| {
        s.lines()
            .any(|l| l.contains("TT1") && l.contains("✓ Met") && l.contains("self: Met"))
    });
    an.send(b"q");
    assert!(an.wait_exit(t), "{}", an.screen());
    drop(server);
    let store = open(&db);
    let v = store.verdict("SNV", "TT1").expect("read").expect("decided");
    assert_eq!((v.value, v.reviewer.as_str()), (VerdictValue::Met, "an"));
}

// ---- all or nothing under SIGKILL ----------------------------------------------------------

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn a_killed_claims_import_leaves_the_old_claims_or_all_the_new_ones() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let individuals = 6_000;
    let roster = dir.path().join("roster.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&roster).expect("create"));
        writeln!(out, "id,name,tier,parent").expect("w");
        writeln!(out, "D00,Huyện 0,district,").expect("w");
        for k in 0..individuals {
            writeln!(out, "CB{k:06},Nguyễn Văn Thử {k},individual,D00").expect("w");
        }
    }
    let claims = |value: &str| {
        let path = dir.path().join(format!("tdg-{}.csv", value.len()));
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        writeln!(out, "Mã,CN1,CN2,CN3,CN4").expect("w");
        for k in 0..individuals {
            writeln!(out, "CB{k:06},{value},{value},{value},{value}").expect("w");
        }
        path
    };
    let (old, new) = (claims("Đạt"), claims("Không đạt"));
    let base = dir.path().join("base");
    let run = |args: &[&str], db: &Path| {
        let out = bin().args(args).arg("--db").arg(db).output().expect("run");
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    run(
        &[
            "init",
            "--campaign",
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data/campaign.toml")
                .display()
                .to_string(),
        ],
        &base,
    );
    run(&["import", "roster", &roster.display().to_string()], &base);
    run(
        &["import", "self-assessment", &old.display().to_string()],
        &base,
    );
    // How long a whole import takes here, to kill it at fractions of that.
    let whole_db = dir.path().join("whole");
    copy_dir(&base, &whole_db);
    let started = std::time::Instant::now();
    run(
        &["import", "self-assessment", &new.display().to_string()],
        &whole_db,
    );
    let whole = started.elapsed().as_millis() as u64;
    let total = individuals * 4;
    let mut outcomes = Vec::new();
    for (i, p) in [20u64, 50, 75, 90, 98].iter().enumerate() {
        let db = dir.path().join(format!("db{i}"));
        copy_dir(&base, &db);
        let mut child = bin()
            .args(["import", "self-assessment"])
            .arg(&new)
            .arg("--db")
            .arg(&db)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(whole * p / 100));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let store = open(&db);
        let stored = store.claims().expect("claims");
        let not_met = stored
            .iter()
            .filter(|c| c.2.value == VerdictValue::NotMet)
            .count();
        assert_eq!(stored.len(), total, "killed at {p} % ({status})");
        assert!(
            not_met == 0 || not_met == total,
            "killed at {p} % ({status}): {not_met} of {total} claims replaced"
        );
        let events = store
            .audit(None)
            .expect("audit")
            .iter()
            .filter(|e| matches!(e.action, AuditAction::SelfAssessment { .. }))
            .count();
        assert_eq!(events, 1 + usize::from(not_met == total), "killed at {p} %");
        outcomes.push(not_met == total);
    }
    eprintln!(
        "whole claims import {whole} ms; replaced after a kill at 20/50/75/90/98 %: {outcomes:?}"
    );
}

/// Review by criterion shows the unit's claim for the criterion beside the verdict, with its
/// evidence, and `A` takes it there as in the criteria pane.
#[test]
fn review_by_criterion_shows_the_claim_and_a_takes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = console_store(&dir);
    let mut m = model(&store, Lang::En);
    // Enter lands on the first pending criterion, TT3 (claimed not met, undecided): the claim
    // and its evidence are shown; A opens the reason editor with them, and Enter writes Not
    // met through the same path as n.
    press(&mut m, "\nb");
    assert!(m.by_criterion().is_some(), "in review by criterion");
    let text = screen(&draw(&m));
    assert!(
        text.contains("By criterion · TT3")
            && text.contains("Self-assessment: Not met · press A")
            && text.contains("Evidence: Chưa có kế hoạch"),
        "{text}"
    );
    press(&mut m, "A");
    let text = screen(&draw(&m));
    assert!(
        text.contains("The unit's self-assessment: Not met (Chưa có kế hoạch)"),
        "{text}"
    );
    let fx = press(&mut m, "\n");
    let writes: Vec<String> = fx
        .iter()
        .filter_map(|e| match e {
            thidua::app::Effect::SaveVerdict(w) => Some(format!("{w:?}")),
            _ => None,
        })
        .collect();
    assert_eq!(writes.len(), 1, "{fx:?}");
    assert!(
        writes[0].contains("VPUBND") && writes[0].contains("TT3") && writes[0].contains("NotMet"),
        "{}",
        writes[0]
    );
    // TT1 (claimed met with evidence, decided met): quiet, "as decided".
    let mut m = model(&store, Lang::En);
    press(&mut m, "\nkkb");
    let text = screen(&draw(&m));
    assert!(
        text.contains("By criterion · TT1")
            && text.contains("Self-assessment: Met (as decided)")
            && text.contains("Evidence: Báo cáo 12/BC-VP"),
        "{text}"
    );
}
