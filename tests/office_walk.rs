//! An office's files walked through the real binary the way a reviewer does it at a shell:
//! the import's plan read through a pager or `head` that stops early, and the council's XLSX
//! read where the self-assessment sits beside the verdict.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

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
