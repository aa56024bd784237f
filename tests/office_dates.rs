//! A date with a two-digit year in an office file (`02-08-21`) is refused, naming the file,
//! the line and the field, in Vietnamese and in English, and nothing is imported: it is never
//! read as the year 21 (or 2021 by a guess).

use crate::command::{bin, empty_db, text};
use std::path::Path;
use std::process::Output;

fn run(db: &Path, args: &[&str], file: &Path) -> Output {
    bin()
        .args(args)
        .arg(file)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run")
}

#[test]
fn a_two_digit_year_in_an_office_roster_is_refused_by_file_line_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let file = dir.path().join("danh-sach.csv");
    std::fs::write(
        &file,
        "UBND TỈNH AN GIANG;;;;;\n\
         DANH SÁCH ĐƠN VỊ ĐĂNG KÝ THI ĐUA NĂM 2021;;;;;\n\
         ;;;;;\n\
         STT;Mã;Tên đơn vị;Cấp;Trực thuộc;Ngày đăng ký\n\
         1;883;Thành phố Long Xuyên;Cấp huyện;;02/08/2021\n\
         2;886;Huyện An Phú;Huyện;;02-08-21\n\
         3;88301;Phường Mỹ Bình;Phường;883;3/8/21\n",
    )
    .expect("write");
    let out = run(&db, &["--lang", "en", "import", "roster"], &file);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("danh-sach.csv"), "{stderr}");
    assert!(
        stderr.contains("line 6, field registered_on")
            && stderr.contains("\"02-08-21\" has a two-digit year")
            && stderr.contains("line 7, field registered_on")
            && stderr.contains("\"3/8/21\" has a two-digit year")
            && stderr.contains("write the year with all four digits"),
        "{stderr}"
    );
    let out = run(&db, &["--lang", "vi", "import", "roster"], &file);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("dòng 6, trường Ngày đăng ký")
            && stderr.contains("\"02-08-21\" có năm chỉ viết hai chữ số"),
        "{stderr}"
    );
    // Nothing was imported: the good first row is not there either.
    let out = bin()
        .args(["--lang", "en", "status", "--db"])
        .arg(&db)
        .output()
        .expect("status");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!stdout.contains("Long Xuyên"), "{stdout}");
    let store = thidua::store::Store::open(&db).expect("open");
    assert!(store.subject("883").expect("read").is_none());
}

#[test]
fn four_digit_years_in_the_same_form_are_read_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let file = dir.path().join("danh-sach.csv");
    std::fs::write(
        &file,
        "STT;Mã;Tên đơn vị;Cấp;Trực thuộc;Ngày đăng ký\n\
         1;883;Thành phố Long Xuyên;Cấp huyện;;02-08-2021\n\
         2;886;Huyện An Phú;Huyện;;2021-8-3\n",
    )
    .expect("write");
    let out = run(&db, &["--lang", "en", "import", "roster"], &file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = thidua::store::Store::open(&db).expect("open");
    let on = |id: &str| store.subject(id).expect("read").expect(id).registered_on;
    assert_eq!(on("883"), chrono::NaiveDate::from_ymd_opt(2021, 8, 2));
    assert_eq!(on("886"), chrono::NaiveDate::from_ymd_opt(2021, 8, 3));
}
