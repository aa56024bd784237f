//! Office files as offices really write them, through the real binary: a column-number row
//! under the header, tier words ("Cấp xã", "Huyện", "Phường"), dates with dashes or dots,
//! initiatives with the owner by name and the status in Vietnamese, a missing file, field names
//! in Vietnamese messages and English plurals.

use std::path::Path;
use std::process::Output;

use crate::command::{bin, empty_db, text};
use thidua::store::Store;

fn import(db: &Path, lang: &str, kind: &str, file: &Path) -> Output {
    bin()
        .args(["--lang", lang, "import", kind])
        .arg(file)
        .arg("--db")
        .arg(db)
        .output()
        .expect("import")
}

/// Opens the database in this process, retrying while sled still holds the lock of a store
/// just dropped by the binary.
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

#[test]
fn a_column_number_row_under_the_header_is_skipped_and_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let file = dir.path().join("numbered.csv");
    std::fs::write(
        &file,
        "DANH SÁCH;;;;\n\
         STT;Mã đơn vị;Tên đơn vị;Cấp;Trực thuộc\n\
         (1);(2);(3);(4);(5)\n\
         1;883;Thành phố Long Xuyên;district;\n\
         2;88301;Phường Mỹ Bình;commune;883\n\
         ;;;;\n\
         ;;Người lập biểu;;\n",
    )
    .expect("write");
    let out = import(&db, "en", "roster", &file);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("Skipped the column-number row 3")
            && stdout.contains("2 added")
            && stdout.contains("Ignored 1 row below the table"),
        "{stdout}"
    );
    let store = open(&db);
    assert!(store.subject("883").expect("read").is_some());
    drop(store);

    // Plain numbers, each its own column's number, under a Vietnamese reader.
    let file = dir.path().join("numbered-plain.csv");
    std::fs::write(
        &file,
        "STT,Mã đơn vị,Tên đơn vị,Cấp,Trực thuộc\n\
         1,2,3,4,5\n\
         1,884,Thành phố Châu Đốc,district,\n",
    )
    .expect("write");
    let out = import(&db, "vi", "roster", &file);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("Bỏ qua dòng đánh số cột 2") && !stdout.contains("+ 1 "),
        "{stdout}"
    );
}

#[test]
fn tier_words_offices_use_and_dates_with_dashes_or_dots_are_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let file = dir.path().join("words.csv");
    std::fs::write(
        &file,
        "STT;Mã;Tên đơn vị;Cấp;Trực thuộc;Ngày đăng ký\n\
         1;883;Thành phố Long Xuyên;Cấp huyện;;02-08-2021\n\
         2;886;Huyện An Phú;Huyện;;02.08.2021\n\
         3;88301;Phường Mỹ Bình;Phường;Thành phố Long Xuyên;3/8/2021\n\
         4;88302;Xã Mỹ Khánh;cap xa;883;\n\
         5;88601;Thị trấn An Phú;Thị trấn;886;\n\
         6;88602;Xã Khánh An;Level commune;886;\n",
    )
    .expect("write");
    let out = import(&db, "en", "roster", &file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = open(&db);
    let tier = |id: &str| store.subject(id).expect("read").expect(id).tier;
    assert_eq!(tier("883"), "district");
    assert_eq!(tier("886"), "district");
    for id in ["88301", "88302", "88601", "88602"] {
        assert_eq!(tier(id), "commune", "{id}");
    }
    let aug2 = chrono::NaiveDate::from_ymd_opt(2021, 8, 2);
    let on = |id: &str| store.subject(id).expect("read").expect(id).registered_on;
    assert_eq!(on("883"), aug2);
    assert_eq!(on("886"), aug2);
    assert_eq!(on("88301"), chrono::NaiveDate::from_ymd_opt(2021, 8, 3));
}

#[test]
fn a_missing_file_is_said_to_not_exist_in_either_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    for (lang, name, want) in [
        (
            "vi",
            "nonexist.xlsx",
            "nonexist.xlsx: không đọc được tệp: tệp không tồn tại",
        ),
        (
            "en",
            "nonexist.xlsx",
            "nonexist.xlsx: cannot read the file: it does not exist",
        ),
        (
            "en",
            "nonexist.csv",
            "nonexist.csv: cannot read the file: it does not exist",
        ),
    ] {
        let out = import(&db, lang, "roster", &dir.path().join(name));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(want) && !stderr.contains("I/O error") && !stderr.contains("Excel"),
            "{stderr}"
        );
    }
}

#[test]
fn initiatives_take_the_owner_by_name_and_the_status_in_vietnamese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "Mã;Tên đơn vị;Cấp;Trực thuộc\n\
         883;Thành phố Long Xuyên;district;\n\
         886;Huyện An Phú;district;\n\
         88301;Xã Mỹ Hòa;commune;883\n\
         88601;Xã Mỹ Hòa;commune;886\n",
    )
    .expect("write");
    let out = import(&db, "en", "roster", &roster);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let file = dir.path().join("sang-kien.csv");
    std::fs::write(
        &file,
        "Mã sáng kiến;Tên sáng kiến;Đơn vị;Ngày nộp;Trạng thái\n\
         SK1;Một cửa điện tử;thanh pho long xuyen;02-08-2021;Chờ\n\
         SK2;Số hóa hồ sơ;Huyện An Phú;02.08.2021;Đã nộp\n\
         SK3;Chữ ký số;886;02/08/2021;Không được công nhận\n",
    )
    .expect("write");
    let out = import(&db, "en", "initiatives", &file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = open(&db);
    let all = store.initiatives().expect("read");
    let owner = |id: &str| {
        let i = all.iter().find(|i| i.id == id).expect(id);
        (i.owner.clone(), i.status.code())
    };
    assert_eq!(owner("SK1"), ("883".into(), "submitted"));
    assert_eq!(owner("SK2"), ("886".into(), "submitted"));
    assert_eq!(owner("SK3"), ("886".into(), "not_recognized"));
    drop(store);

    // An ambiguous name lists the candidates with their ids; an unknown one says so.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Mã sáng kiến;Tên sáng kiến;Đơn vị;Ngày nộp;Trạng thái\n\
         SK4;Hồ sơ;Xã Mỹ Hòa;02-08-2021;Đã nộp\n\
         SK5;Hồ sơ;Xã Không Có;02-08-2021;Hoàn thành\n",
    )
    .expect("write");
    let out = import(&db, "en", "initiatives", &bad);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "the name \"Xã Mỹ Hòa\" is ambiguous: 2 subjects have it: \
             Xã Mỹ Hòa (88301); Xã Mỹ Hòa (88601)"
        ) && stderr.contains("no subject has the id or the name \"Xã Không Có\"")
            && stderr.contains("unknown status \"Hoàn thành\""),
        "{stderr}"
    );
}

#[test]
fn vietnamese_messages_name_fields_by_their_vietnamese_column_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let file = dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "Mã;Tên đơn vị;Cấp;Trực thuộc\n\
         883;;district;\n\
         88301;Xã A;commune;Không Có\n",
    )
    .expect("write");
    let out = import(&db, "vi", "roster", &file);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("dòng 2, trường Tên")
            && stderr.contains("dòng 3, trường Trực thuộc")
            && !stderr.contains("trường name")
            && !stderr.contains("trường parent"),
        "{stderr}"
    );
    let out = import(&db, "en", "roster", &file);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("line 2, field name") && stderr.contains("line 3, field parent"),
        "{stderr}"
    );
}
