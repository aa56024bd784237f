//! An office's files walked through the real binary the way a reviewer does it at a shell:
//! the import's plan read through a pager or `head` that stops early, and the council's XLSX
//! read where the self-assessment sits beside the verdict.

use crate::command::{bin, text};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

/// A database with the sample campaign, roster and initiatives.
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

/// Runs `args` on `db` with stdout a pipe whose reader is already gone (`| head` that has
/// stopped reading).
fn into_closed_pipe(db: &Path, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    bin()
        .args(args)
        .arg("--db")
        .arg(db)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("run")
}

/// A semicolon CSV with a BOM, as Excel saves it under Vietnamese regional settings: STT,
/// Vietnamese headers, tiers and parents by name.
fn semicolon_roster(path: &Path) {
    let mut csv = String::from("\u{feff}STT;Mã đơn vị;Tên đơn vị;Cấp;Trực thuộc;Ngày đăng ký\r\n");
    for n in 1..=40 {
        csv.push_str(&format!(
            "{n};AP.Q{n:02};UBND xã Thử Nghiệm {n};UBND xã, phường, thị trấn;UBND huyện An Phú;0{}/08/2021\r\n",
            1 + n % 9
        ));
    }
    std::fs::write(path, csv).expect("write");
}

#[test]
fn an_import_read_through_a_closed_pipe_is_stored_and_not_a_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let file = dir.path().join("ds-xa.csv");
    semicolon_roster(&file);
    for lang in ["vi", "en"] {
        // `thidua import roster FILE | head -3`: the reader stops before the plan ends.
        let out = into_closed_pipe(&db, &["--lang", lang, "import", "roster", file_str(&file)]);
        let err = text(&out.stderr);
        assert!(out.status.success(), "{lang}: {:?}\n{err}", out.status);
        assert!(!err.contains("panicked"), "{lang}: {err}");
        assert!(!err.contains("Broken pipe"), "{lang}: {err}");
    }
    // The import was stored all the same: a second one, read whole, changes nothing.
    let out = bin()
        .args(["--lang", "en", "import", "roster"])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("import");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("0 added, 0 updated, 40 unchanged"), "{said}");
    // `thidua status | head -5` and `thidua log | head` likewise.
    for args in [["--lang", "vi", "status"], ["--lang", "en", "log"]] {
        let out = into_closed_pipe(&db, &args);
        let err = text(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?}\n{err}", out.status);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

fn file_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The XML of the sheet named `name` in the XLSX at `path`.
fn sheet_xml(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("open xlsx");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut read = |entry: &str| {
        let mut s = String::new();
        zip.by_name(entry)
            .expect(entry)
            .read_to_string(&mut s)
            .expect("read");
        s
    };
    let book = read("xl/workbook.xml");
    let rels = read("xl/_rels/workbook.xml.rels");
    let at = book
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no sheet {name} in {book}"));
    let rid = attr(&book[at..], "r:id");
    let rel = rels.find(&format!("Id=\"{rid}\"")).expect("relationship");
    let start = rels[..rel].rfind('<').expect("tag");
    let target = attr(&rels[start..], "Target");
    read(&format!("xl/{}", target.trim_start_matches("/xl/")))
}

/// The value of attribute `name` in the first tag of `xml`.
fn attr(xml: &str, name: &str) -> String {
    let end = xml.find('>').expect("tag end");
    let tag = &xml[..end];
    let at = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {tag}"));
    let rest = &tag[at + name.len() + 3..];
    rest[..rest.find('"').expect("quote")].to_string()
}

/// The width (in characters) the sheet's XML gives column `col` (1-based).
fn column_width(xml: &str, col: u32) -> f64 {
    let mut from = 0;
    while let Some(at) = xml[from..].find("<col ") {
        let tag = &xml[from + at..];
        let min: u32 = attr(tag, "min").parse().expect("min");
        let max: u32 = attr(tag, "max").parse().expect("max");
        if (min..=max).contains(&col) {
            return attr(tag, "width").parse().expect("width");
        }
        from += at + 5;
    }
    panic!("no width for column {col}")
}

#[test]
fn the_council_xlsx_compares_claim_and_verdict_on_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    // Long rows, as a unit fills them in: a pending verdict compares as "Chưa thẩm định".
    let file = dir.path().join("tu-danh-gia.csv");
    std::fs::write(
        &file,
        "\u{feff}Mã đơn vị;Tiêu chí;Tự đánh giá;Tài liệu kiểm chứng\r\n\
         SNV;TT1;Đạt;Báo cáo số 12/BC-SNV\r\n\
         SNV;Kế hoạch tuyên truyền CCHC;x;\r\n",
    )
    .expect("write");
    let out = bin()
        .args(["import", "self-assessment"])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("import");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let xlsx = dir.path().join("ket-qua.xlsx");
    let out = bin()
        .args(["export", "--allow-incomplete", "--out"])
        .arg(&xlsx)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("export");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let xml = sheet_xml(&xlsx, "Tự đánh giá");
    // Column H ("So sánh") holds its longest word, "Chưa thẩm định" (14 characters), on one
    // line: the rows are sized for one line there, so a wrapped word ran into the next row
    // when LibreOffice printed the sheet.
    let width = column_width(&xml, 8);
    assert!(
        width >= "Chưa thẩm định".chars().count() as f64 + 1.0,
        "column H is {width} characters wide"
    );
}

/// The district-level units of An Giang with their administrative codes (mã ĐVHC), as an
/// office types them: numbers, not text.
const DISTRICTS: [(u32, &str); 11] = [
    (883, "UBND thành phố Long Xuyên"),
    (884, "UBND thành phố Châu Đốc"),
    (886, "UBND huyện An Phú"),
    (887, "UBND thị xã Tân Châu"),
    (888, "UBND huyện Phú Tân"),
    (889, "UBND huyện Châu Phú"),
    (890, "UBND huyện Tịnh Biên"),
    (891, "UBND huyện Tri Tôn"),
    (892, "UBND huyện Châu Thành"),
    (893, "UBND huyện Chợ Mới"),
    (894, "UBND huyện Thoại Sơn"),
];

/// An office roster whose codes are number cells and whose registration dates are date cells
/// shown DD/MM/YYYY: title block, STT, tiers and parents by name, signature block.
fn numeric_roster(path: &Path) -> Vec<u32> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh sách").expect("name");
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .merge_range(0, 0, 0, 2, "UBND TỈNH AN GIANG", &bold)
        .expect("merge");
    sheet
        .merge_range(
            2,
            0,
            2,
            5,
            "DANH SÁCH ĐƠN VỊ ĐĂNG KÝ THI ĐUA NĂM 2021",
            &bold,
        )
        .expect("merge");
    let header = [
        "STT",
        "Mã ĐVHC",
        "Tên đơn vị",
        "Cấp",
        "Trực thuộc",
        "Ngày đăng ký",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(4, c as u16, *h).expect("header");
    }
    let mut codes = Vec::new();
    let mut r = 5u32;
    let mut put = |code: u32, name: &str, tier: &str, parent: &str, d: u16| {
        sheet.write_number(r, 0, f64::from(r - 4)).expect("stt");
        sheet.write_number(r, 1, f64::from(code)).expect("code");
        sheet.write_string(r, 2, name).expect("name");
        sheet.write_string(r, 3, tier).expect("tier");
        if !parent.is_empty() {
            sheet.write_string(r, 4, parent).expect("parent");
        }
        let date = ExcelDateTime::from_ymd(2021, 8, d as u8).expect("date");
        sheet
            .write_datetime_with_format(r, 5, &date, &day)
            .expect("date");
        codes.push(code);
        r += 1;
    };
    let mut commune = 30280;
    for (k, (code, name)) in DISTRICTS.iter().enumerate() {
        put(
            *code,
            name,
            "UBND huyện, thị xã, thành phố",
            "",
            1 + k as u16,
        );
        for n in 1..=3 {
            let c = format!("UBND xã Thử Nghiệm {n} ({})", &name[5..]);
            put(commune, &c, "UBND xã, phường, thị trấn", name, 10 + n);
            commune += 3;
        }
    }
    sheet
        .write_string(r + 1, 1, "Người lập biểu")
        .expect("footer");
    sheet
        .write_string(r + 1, 4, "Thủ trưởng đơn vị")
        .expect("footer");
    book.save(path).expect("save");
    codes
}

#[test]
fn codes_typed_as_numbers_and_date_cells_import_once_and_claims_follow_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let campaign = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/campaign.toml");
    let out = bin()
        .args(["init", "--campaign"])
        .arg(&campaign)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("init");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = dir.path().join("danh-sach.xlsx");
    let codes = numeric_roster(&file);
    let run = |args: &[&str], f: &Path| {
        let out = bin()
            .args(["--lang", "en", "import"])
            .args(args)
            .arg(f)
            .arg("--db")
            .arg(&db)
            .output()
            .expect("import");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let plan = run(&["roster", "--dry-run"], &file);
    assert!(plan.contains("would add 44"), "{plan}");
    let done = run(&["roster"], &file);
    assert!(done.contains("44 added, 0 updated, 0 unchanged"), "{done}");
    // The codes are stored as typed ("883", not "883.0"), so the same file changes nothing.
    let again = run(&["roster"], &file);
    assert!(
        again.contains("0 added, 0 updated, 44 unchanged"),
        "{again}"
    );
    assert!(again.contains("Nothing changed."), "{again}");

    // A wide self-assessment naming the units by their number codes, with 1/0 typed as numbers.
    let sheet_file = dir.path().join("tu-danh-gia.xlsx");
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let s = book.add_worksheet();
        for (c, h) in ["STT", "Mã đơn vị", "TT1", "Kế hoạch tuyên truyền CCHC"]
            .iter()
            .enumerate()
        {
            s.write_string(1, c as u16, *h).expect("header");
        }
        s.write_string(0, 0, "BẢNG TỰ ĐÁNH GIÁ").expect("title");
        for (k, code) in codes.iter().take(20).enumerate() {
            let r = 2 + k as u32;
            s.write_number(r, 0, (k + 1) as f64).expect("stt");
            s.write_number(r, 1, f64::from(*code)).expect("code");
            s.write_number(r, 2, (k % 2) as f64).expect("TT1");
            s.write_string(r, 3, "✓").expect("TT3");
        }
        book.save(&sheet_file).expect("save");
    }
    let done = run(&["self-assessment"], &sheet_file);
    assert!(done.contains("40 added"), "{done}");
    let json = dir.path().join("ket-qua.json");
    let out = bin()
        .args(["export", "--allow-incomplete", "--out"])
        .arg(&json)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("export");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("json");
    let subject = v["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .find(|s| s["id"] == "30283")
        .expect("30283 exported by its code");
    let verdicts = subject["verdicts"].as_array().expect("verdicts");
    let claim = |id: &str| {
        verdicts.iter().find(|v| v["criterion"] == id).expect(id)["self_assessment"]["value"]
            .clone()
    };
    // 30283 is the third row: 0 in TT1 (not met), ✓ in TT3 (met).
    assert_eq!(claim("TT1"), "not_met");
    assert_eq!(claim("TT3"), "met");
    assert_eq!(subject["parent"], "883");
    assert_eq!(subject["registered_on"], "2021-08-12");
}
