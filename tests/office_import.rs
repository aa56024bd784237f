//! Office files through the real binary: an XLSX roster made the way a provincial office makes
//! it (title block with merged cells, STT, Vietnamese headers, tiers and parents by name,
//! signature block), a semicolon CSV with a BOM, `--dry-run`, re-imports that change nothing
//! or keep stored values, `--sheet`, and every kind of bad office file refused with its file,
//! row and column named and the database unchanged.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::command::{bin, empty_db, text};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use thidua::store::Store;

fn campaign_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/campaign.toml")
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

fn import(db: &Path, lang: &str, kind: &str, file: &Path, extra: &[&str]) -> Output {
    bin()
        .args(["--lang", lang, "import", kind])
        .arg(file)
        .args(extra)
        .arg("--db")
        .arg(db)
        .output()
        .expect("import")
}

fn checksum(db: &Path) -> u64 {
    open(db).checksum().expect("checksum")
}

/// Opens the database in this process. sled releases its file lock only when the last of its
/// background threads lets go of a dropped database, a moment after the drop; a store just
/// dropped by this test may still hold it, so a lock refusal is retried for up to 2 s.
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

/// The 11 district-level units of An Giang: id, name.
const DISTRICTS: [(&str, &str); 11] = [
    ("883", "Thành phố Long Xuyên"),
    ("884", "Thành phố Châu Đốc"),
    ("886", "Huyện An Phú"),
    ("887", "Thị xã Tân Châu"),
    ("888", "Huyện Phú Tân"),
    ("889", "Huyện Châu Phú"),
    ("890", "Huyện Tịnh Biên"),
    ("891", "Huyện Tri Tôn"),
    ("892", "Huyện Châu Thành"),
    ("893", "Huyện Chợ Mới"),
    ("894", "Huyện Thoại Sơn"),
];

/// One data row of the office roster: STT, Mã ĐVHC, Tên đơn vị, Cấp, Trực thuộc, Ngày đăng
/// ký thi đua, Ghi chú.
type OfficeRow = [String; 7];

/// The province's 11 district-level units and 156 communes, tiers and parents by name.
fn province_rows() -> Vec<OfficeRow> {
    let mut rows = Vec::new();
    let mut stt = 0;
    let mut row = |id: String, name: String, tier: &str, parent: &str, date: &str| {
        stt += 1;
        rows.push([
            stt.to_string(),
            id,
            name,
            tier.to_string(),
            parent.to_string(),
            date.to_string(),
            String::new(),
        ]);
    };
    for (i, (id, name)) in DISTRICTS.iter().enumerate() {
        // Tier names in either language, in any case, with or without diacritics.
        let tier = match i % 3 {
            0 => "UBND huyện, thị xã, thành phố",
            1 => "ubnd huyen, thi xa, thanh pho",
            _ => "District-level People's Committees",
        };
        row(id.to_string(), name.to_string(), tier, "", "26/07/2021");
    }
    for c in 0..156 {
        let (did, dname) = DISTRICTS[c % 11];
        let tier = if c % 2 == 0 {
            "UBND xã, phường, thị trấn"
        } else {
            "Commune-level People's Committees"
        };
        // Parents by name, sometimes without diacritics or in capitals.
        let parent = match c % 4 {
            0 => dname.to_string(),
            1 => dname.to_uppercase(),
            2 => did.to_string(),
            _ => fold_plain(dname),
        };
        row(
            format!("{}{:02}", did, c / 11 + 1),
            format!(
                "Xã {} số {}",
                dname.trim_start_matches("Huyện "),
                c / 11 + 1
            ),
            tier,
            &parent,
            if c % 5 == 0 { "" } else { "2021-08-02" },
        );
    }
    rows
}

/// A name without diacritics, as typed on a keyboard without Vietnamese input.
fn fold_plain(s: &str) -> String {
    thidua::text::fold(s)
}

/// Writes an office roster: title block (merged), header at row 5, `rows`, an empty row, the
/// signature block (merged). `tweak` may change the sheet before it is saved.
fn office_xlsx(path: &Path, rows: &[OfficeRow], tweak: impl FnOnce(&mut Worksheet)) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh sách").expect("name");
    let bold = Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 2, "UBND TỈNH AN GIANG", &bold)
        .expect("merge");
    sheet
        .merge_range(0, 3, 0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &bold)
        .expect("merge");
    sheet
        .merge_range(1, 0, 1, 2, "SỞ NỘI VỤ", &bold)
        .expect("merge");
    sheet
        .merge_range(1, 3, 1, 6, "Độc lập - Tự do - Hạnh phúc", &bold)
        .expect("merge");
    sheet
        .merge_range(
            3,
            0,
            3,
            6,
            "DANH SÁCH ĐƠN VỊ CẤP HUYỆN, CẤP XÃ THAM GIA THI ĐUA NĂM 2021",
            &bold,
        )
        .expect("merge");
    let header = [
        "STT",
        "Mã ĐVHC",
        "Tên đơn vị",
        "Cấp",
        "Trực thuộc",
        "Ngày đăng ký thi đua",
        "Ghi chú",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(4, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        let r = 5 + r as u32;
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            if c == 0 {
                sheet
                    .write_number(r, 0, v.parse::<f64>().expect("stt"))
                    .expect("stt");
            } else {
                sheet.write_string(r, c as u16, v).expect("cell");
            }
        }
    }
    let foot = 5 + rows.len() as u32 + 1;
    sheet
        .merge_range(foot, 0, foot, 2, "Người lập biểu", &bold)
        .expect("merge");
    sheet
        .merge_range(foot, 4, foot, 6, "Thủ trưởng đơn vị", &bold)
        .expect("merge");
    sheet
        .write_string(foot + 3, 4, "Nguyễn Văn A")
        .expect("name");
    tweak(sheet);
    book.save(path).expect("save");
}

#[test]
fn an_office_roster_of_the_province_imports_in_one_command_after_a_dry_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let file = dir.path().join("danh-sach-don-vi.xlsx");
    office_xlsx(&file, &province_rows(), |_| {});
    let before = checksum(&db);

    // The plan first: nothing is written.
    let out = import(&db, "en", "roster", &file, &["--dry-run"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for want in [
        "dry run (--dry-run), nothing written: would add 167, update 0, leave 0 unchanged",
        "Sheet: Danh sách",
        "Skipped title rows 1–4",
        "Header row: 5",
        "Ignored columns: column A \"STT\", column G \"Ghi chú\"",
        "Ignored 2 rows below the table (after the empty row):",
        "\"Người lập biểu · Thủ trưởng đơn vị\"",
        "\"Nguyễn Văn A\"",
        "New (167):",
        "+ 883 Thành phố Long Xuyên",
        "and 147 more",
        "Nothing was written. Run the command again without --dry-run to import.",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in:\n{stdout}");
    }
    assert_eq!(checksum(&db), before, "a dry run changed the database");

    // The import itself, in Vietnamese.
    let out = import(&db, "vi", "roster", &file, &[]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("thêm 167, cập nhật 0, không đổi 0")
            && stdout.contains("Bỏ qua các dòng tiêu đề 1–4"),
        "{stdout}"
    );
    {
        let store = open(&db);
        assert_eq!(store.subject_count(), 167);
        let lx = store.subject("883").expect("read").expect("883");
        assert_eq!(lx.tier, "district");
        assert_eq!(lx.parent, None);
        for (i, (did, _)) in DISTRICTS.iter().enumerate() {
            let commune = store
                .subject(&format!("{did}01"))
                .expect("read")
                .expect("commune");
            assert_eq!(commune.tier, "commune", "{i}");
            assert_eq!(commune.parent.as_deref(), Some(*did));
        }
        let all = store.subjects().expect("subjects");
        assert!(
            all.iter()
                .filter(|(_, s)| s.tier == "commune")
                .all(|(_, s)| s.parent.is_some())
        );
    }

    // Again: nothing changes.
    let before = checksum(&db);
    let out = import(&db, "en", "roster", &file, &[]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("0 added, 0 updated, 167 unchanged") && stdout.contains("Nothing changed."),
        "{stdout}"
    );
    assert_eq!(checksum(&db), before, "an unchanged re-import wrote");
}

#[test]
fn a_reimport_shows_changes_keeps_empty_cells_and_lists_missing_subjects() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let file = dir.path().join("r.xlsx");
    let rows = province_rows();
    office_xlsx(&file, &rows, |_| {});
    assert!(import(&db, "en", "roster", &file, &[]).status.success());

    // Rename one unit, empty the date of another, drop the last row.
    let mut edited = rows.clone();
    edited[11][2] = "Phường Mỹ Bình".into();
    edited[1][5] = String::new();
    edited.pop();
    let file2 = dir.path().join("r2.xlsx");
    office_xlsx(&file2, &edited, |_| {});
    let out = import(&db, "en", "roster", &file2, &["--dry-run"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for want in [
        "would add 0, update 1, leave 165 unchanged",
        "~ 88301 name: \"Xã Thành phố Long Xuyên số 1\" → \"Phường Mỹ Bình\"",
        "Kept the stored value of an empty cell (1; --clear-empty clears it):",
        "= 884 registered_on: \"26/07/2021\"",
        "Not in the file, kept (never deleted) (1): 88415",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in:\n{stdout}");
    }
    let out = import(&db, "en", "roster", &file2, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    {
        let store = open(&db);
        let cd = store.subject("884").expect("read").expect("884");
        assert!(cd.registered_on.is_some(), "an empty cell cleared a date");
        assert!(store.subject("88415").expect("read").is_some(), "deleted");
    }
    let out = import(&db, "en", "roster", &file2, &["--clear-empty"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("~ 884 registered_on: \"26/07/2021\" → (empty)")
            && stdout.contains("Cleared 1 stored values of empty cells (--clear-empty)"),
        "{stdout}"
    );
    let store = open(&db);
    let cd = store.subject("884").expect("read").expect("884");
    assert_eq!(cd.registered_on, None);
}

#[test]
fn a_semicolon_csv_with_bom_serial_and_text_dates_imports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let file = dir.path().join("excel-vi.csv");
    let csv = "\u{feff}UBND TỈNH AN GIANG;;;;;\r\n\
               DANH SÁCH ĐƠN VỊ;;;;;\r\n\
               ;;;;;\r\n\
               STT;Mã đơn vị;Tên đơn vị;Cấp;Đơn vị cấp trên;Ngày đăng ký\r\n\
               1;883;Thành phố Long Xuyên;district;;44403\r\n\
               2;88301;\"Phường Mỹ Bình; Long Xuyên\";commune;Thành phố Long Xuyên;02/08/2021\r\n\
               ;;;;;\r\n\
               ;;Người lập biểu;;;\r\n";
    std::fs::write(&file, csv).expect("write");
    let out = import(&db, "en", "roster", &file, &[]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("Separator: semicolon (;)")
            && stdout.contains("Skipped title rows 1–3")
            && stdout.contains("Ignored columns: column 1 \"STT\"")
            && stdout.contains("2 added"),
        "{stdout}"
    );
    let store = open(&db);
    let lx = store.subject("883").expect("read").expect("883");
    assert_eq!(
        lx.registered_on,
        chrono::NaiveDate::from_ymd_opt(2021, 7, 26)
    );
    let p = store.subject("88301").expect("read").expect("88301");
    assert_eq!(p.name, "Phường Mỹ Bình; Long Xuyên");
    assert_eq!(p.parent.as_deref(), Some("883"));
    assert_eq!(p.registered_on, chrono::NaiveDate::from_ymd_opt(2021, 8, 2));
}

#[test]
fn the_first_visible_sheet_is_read_or_the_one_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = empty_db(dir.path());
    let file = dir.path().join("book.xlsx");
    let mut book = Workbook::new();
    let hidden = book.add_worksheet();
    hidden.set_name("Cũ").expect("name");
    for (c, h) in ["Mã", "Tên", "Cấp", "Trực thuộc"].iter().enumerate() {
        hidden.write_string(0, c as u16, *h).expect("h");
    }
    hidden.write_string(1, 0, "OLD").expect("c");
    hidden.write_string(1, 1, "Cũ").expect("c");
    hidden.write_string(1, 2, "district").expect("c");
    hidden.set_hidden(true);
    let second = book.add_worksheet();
    second.set_name("Huyện").expect("name");
    for (c, h) in ["Mã", "Tên", "Cấp", "Trực thuộc"].iter().enumerate() {
        second.write_string(0, c as u16, *h).expect("h");
    }
    second.write_string(1, 0, "883").expect("c");
    second
        .write_string(1, 1, "Thành phố Long Xuyên")
        .expect("c");
    second.write_string(1, 2, "district").expect("c");
    second.set_active(true);
    book.save(&file).expect("save");

    let out = import(&db, "en", "roster", &file, &["--dry-run"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Sheet: Huyện") && stdout.contains("+ 883"),
        "{stdout}"
    );
    let out = import(&db, "en", "roster", &file, &["--dry-run", "--sheet", "cu"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Sheet: Cũ") && stdout.contains("+ OLD"),
        "{stdout}"
    );
    let out = import(&db, "en", "roster", &file, &["--sheet", "Nope"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no sheet named \"Nope\"; its sheets are: \"Cũ\", \"Huyện\""),
        "{stderr}"
    );
}

/// Imports a bad file into the sample database and checks it is refused with every `want`
/// in the message and the database unchanged.
fn refused(kind: &str, file: &Path, wants: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let before = checksum(&db);
    let out = import(&db, "en", kind, file, &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let name = file.file_name().and_then(|n| n.to_str()).expect("name");
    assert!(stderr.contains(name), "names the file: {stderr}");
    for want in wants {
        assert!(stderr.contains(want), "missing {want:?} in:\n{stderr}");
    }
    assert_eq!(
        checksum(&db),
        before,
        "a refused import changed the database"
    );
}

fn small_rows() -> Vec<OfficeRow> {
    province_rows().into_iter().take(14).collect()
}

#[test]
fn no_header_in_the_first_20_rows_lists_what_was_seen_and_what_is_expected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("no-header.csv");
    std::fs::write(
        &file,
        "UBND TỈNH AN GIANG\nDANH SÁCH\nSố;Đơn vị;Loại hình\n1;Long Xuyên;huyện\n",
    )
    .expect("write");
    refused(
        "roster",
        &file,
        &[
            "no header found in rows 1–4",
            "id: \"id\" / \"Mã\" / \"Mã đơn vị\" / \"Mã số\" / \"Mã ĐVHC\"",
            "name: \"name\" / \"Tên\" / \"Tên đơn vị\" / \"Họ và tên\" / \"Họ tên\"",
            "tier: \"tier\" / \"Cấp\" / \"Loại\" / \"Đối tượng\"",
            "Looked at: line 1 \"UBND TỈNH AN GIANG\"; line 2 \"DANH SÁCH\"",
            "comes closest but has no column for id, name, tier",
        ],
    );
}

#[test]
fn two_columns_meaning_the_same_field_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("two-ids.csv");
    std::fs::write(
        &file,
        "Mã;Tên;Cấp;Trực thuộc;Mã số\nX1;Sở X;province_agency;;X1\n",
    )
    .expect("write");
    refused(
        "roster",
        &file,
        &["line 1, field id: column 1 \"Mã\" and column 5 \"Mã số\" both mean the field id"],
    );
}

#[test]
fn an_ambiguous_or_unknown_parent_name_is_refused_with_candidates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("parents.csv");
    std::fs::write(
        &file,
        "id,name,tier,parent\n\
         S1,Sở Thí điểm,province_agency,\n\
         S2,Sở thí điểm,province_agency,\n\
         S1.P01,Phòng A,province_unit,so thi diem\n\
         S1.P02,Phòng B,province_unit,Sở Không Có\n",
    )
    .expect("write");
    refused(
        "roster",
        &file,
        &[
            "line 4, field parent: the name \"so thi diem\" is ambiguous: 2 subjects \
             have it: Sở Thí điểm (S1, province_agency); Sở thí điểm (S2, province_agency); \
             give the parent's id instead",
            "line 5, field parent: no subject has the id or the name \"Sở Không Có\"",
        ],
    );
}

#[test]
fn an_unknown_tier_name_lists_the_campaign_tiers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tier.xlsx");
    let mut rows = small_rows();
    rows[2][3] = "Thôn".into();
    office_xlsx(&file, &rows, |_| {});
    refused(
        "roster",
        &file,
        &[
            "sheet Danh sách, row 8, field tier (column D \"Cấp\"): unknown tier \"Thôn\"",
            "district (\"UBND huyện, thị xã, thành phố\", \"District-level People's Committees\")",
            "commune (\"UBND xã, phường, thị trấn\", \"Commune-level People's Committees\")",
        ],
    );
}

#[test]
fn an_unquoted_separator_inside_a_field_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("sep.csv");
    std::fs::write(
        &file,
        "Mã;Tên;Cấp;Trực thuộc\nX1;Sở X; Y;province_agency;\n",
    )
    .expect("write");
    refused(
        "roster",
        &file,
        &[
            "line 2: has 5 fields but the header has 4; check for a missing or extra semicolon (;) \
             (a text containing semicolon (;) must be in double quotes)",
        ],
    );
}

#[test]
fn merged_cells_inside_the_table_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("merged.xlsx");
    office_xlsx(&file, &small_rows(), |sheet| {
        sheet
            .merge_range(7, 4, 8, 4, "Thành phố Long Xuyên", &Format::new())
            .expect("merge");
    });
    refused(
        "roster",
        &file,
        &["sheet Danh sách, row 8: cells E8:E9 are merged inside the table"],
    );
}

#[test]
fn hidden_rows_inside_the_table_are_refused_by_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("hidden.xlsx");
    office_xlsx(&file, &small_rows(), |sheet| {
        sheet.set_row_hidden(9).expect("hide");
        // A hidden row in the title block is fine.
        sheet.set_row_hidden(2).expect("hide");
    });
    refused(
        "roster",
        &file,
        &["sheet Danh sách, row 10: this row is hidden"],
    );
    let out = std::fs::read(&file).expect("read");
    assert!(!out.is_empty());
}

#[test]
fn a_row_with_id_and_tier_below_the_gap_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("gap.xlsx");
    let rows = small_rows();
    office_xlsx(&file, &rows, |sheet| {
        // Below the empty row 20 (and the signature block), a forgotten unit.
        sheet.write_string(25, 1, "899").expect("c");
        sheet.write_string(25, 2, "Huyện Mới").expect("c");
        sheet.write_string(25, 3, "district").expect("c");
    });
    refused(
        "roster",
        &file,
        &[
            "sheet Danh sách, row 26: this row has values in the columns id and tier but comes \
           after the empty sheet Danh sách, row 20",
        ],
    );
}

#[test]
fn an_office_initiatives_sheet_imports_and_reimports_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let file = dir.path().join("sang-kien.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .merge_range(
            0,
            0,
            0,
            4,
            "DANH SÁCH SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2021",
            &Format::new(),
        )
        .expect("merge");
    for (c, h) in [
        "STT",
        "Mã sáng kiến",
        "Tên sáng kiến",
        "Mã đơn vị",
        "Ngày nộp",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, c as u16, *h).expect("h");
    }
    let rows = [
        ["1", "SK901", "Số hoá hồ sơ một cửa", "SNV", "05/08/2021"],
        [
            "2",
            "SK902",
            "Tổ tư vấn thủ tục, lưu động",
            "LX",
            "2021-08-09",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(3 + r as u32, c as u16, *v).expect("c");
        }
    }
    sheet.write_string(6, 3, "Người lập biểu").expect("c");
    book.save(&file).expect("save");

    let out = import(&db, "en", "initiatives", &file, &[]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("2 added, 0 updated, 0 unchanged")
            && stdout.contains("Skipped title rows 1–2")
            && stdout.contains("Not in the file, kept (never deleted) (34)"),
        "{stdout}"
    );
    let store = open(&db);
    let sk = store.initiative("SK902").expect("read").expect("SK902");
    assert_eq!(sk.owner, "LX");
    assert_eq!(sk.submitted_on, chrono::NaiveDate::from_ymd_opt(2021, 8, 9));
    drop(store);
    let out = import(&db, "vi", "initiatives", &file, &[]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("thêm 0, cập nhật 0, không đổi 2")
            && stdout.contains("Không có gì thay đổi."),
        "{stdout}"
    );
}

#[test]
fn a_campaign_file_may_add_column_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut toml = std::fs::read_to_string(campaign_file()).expect("campaign");
    toml.push_str(
        "\n[column_aliases]\nparent = [\"Cơ quan chủ quản\"]\nid = [\"Mã định danh điện tử\"]\n",
    );
    let campaign = thidua::interchange::campaign::parse(&toml, "c.toml").expect("campaign parses");
    assert_eq!(campaign.column_aliases["parent"], ["Cơ quan chủ quản"]);
    let actor = thidua::store::Actor::new("tester", chrono::Utc::now());
    let store = Store::create(&dir.path().join("db"), &campaign, &actor).expect("create");
    let file = dir.path().join("r.csv");
    std::fs::write(
        &file,
        "Mã định danh điện tử,Tên,Cấp,Cơ quan chủ quản\n883,Thành phố Long Xuyên,district,\n\
         88301,Phường Mỹ Bình,commune,thanh pho long xuyen\n",
    )
    .expect("write");
    let counts = thidua::commands::import::import_roster(&store, &file, &actor).expect("imports");
    assert_eq!(counts.added, 2);
    let p = store.subject("88301").expect("read").expect("88301");
    assert_eq!(p.parent.as_deref(), Some("883"));
}

#[test]
fn refusals_and_summaries_are_vietnamese_under_lang_vi_or_a_vietnamese_lang() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path());
    let before = checksum(&db);
    let merged = dir.path().join("merged.xlsx");
    office_xlsx(&merged, &small_rows(), |sheet| {
        sheet
            .merge_range(7, 4, 8, 4, "Thành phố Long Xuyên", &Format::new())
            .expect("merge");
    });
    let ambiguous = dir.path().join("parents.csv");
    std::fs::write(
        &ambiguous,
        "Mã;Tên;Cấp;Trực thuộc\nS1;Sở Thí điểm;province_agency;\nS2;Sở thí điểm;province_agency;\n\
         S1.P01;Phòng A;province_unit;so thi diem\nS1.P02;Phòng B;Thôn;S1\n",
    )
    .expect("write");
    let no_header = dir.path().join("none.csv");
    std::fs::write(&no_header, "UBND TỈNH AN GIANG\nSố;Tên\n").expect("write");
    let cases: [(&Path, &[&str]); 3] = [
        (
            &merged,
            &["trang tính Danh sách, dòng 8: các ô E8:E9 được gộp bên trong bảng"],
        ),
        (
            &ambiguous,
            &[
                "2 lỗi; không nhập gì, hãy sửa rồi nhập lại tệp:",
                "dòng 4, trường Trực thuộc (cột 4 \"Trực thuộc\"): tên \"so thi diem\" không rõ là ai",
                "dòng 5, trường Cấp (cột 3 \"Cấp\"): không có cấp \"Thôn\"",
            ],
        ),
        (
            &no_header,
            &[
                "không tìm thấy dòng tên cột trong các dòng 1–2",
                "Đã xem: dòng 1",
            ],
        ),
    ];
    for (file, wants) in cases {
        for env_lang in [None, Some("vi_VN.UTF-8")] {
            let mut cmd = bin();
            match env_lang {
                Some(l) => cmd.env("LANG", l).args(["import", "roster"]),
                None => cmd
                    .env("LANG", "en_US.UTF-8")
                    .args(["--lang", "vi", "import", "roster"]),
            };
            let out = cmd.arg(file).arg("--db").arg(&db).output().expect("import");
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{stderr}");
            for want in wants {
                assert!(stderr.contains(want), "missing {want:?} in:\n{stderr}");
            }
            for english in ["field ", "line ", "Nothing was", " problems", "column "] {
                assert!(
                    !stderr.contains(english),
                    "English {english:?} in:\n{stderr}"
                );
            }
        }
    }
    assert_eq!(checksum(&db), before);
}
