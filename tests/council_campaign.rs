//! The `[council]` section of the campaign file: checked like the rest of the file, optional
//! (an older file without it still exports, with generic words and dotted blanks), and its
//! words are the ones the documents print. Also the `--ref`/`--ref-date` flags and the DOCX
//! letter of an incomplete review. Read back with calamine and by unzipping the letter; the
//! LibreOffice print checks are in council_print.rs.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Reader, Xlsx, open_workbook};
use chrono::{DateTime, Utc};
use thidua::domain::{Cause, Subject, VerdictValue};
use thidua::interchange::campaign;
use thidua::store::{Actor, Store, VerdictWrite};

fn actor() -> Actor {
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339("2021-12-01T02:00:00Z")
        .expect("time")
        .with_timezone(&Utc);
    Actor::new("an", at)
}

/// The sample campaign without its `[council]` section, as a file from before it existed.
fn without_council() -> String {
    let s = campaign::SAMPLE;
    let start = s.find("[council]").expect("[council]");
    let end = s[start..]
        .find("# ---------------------------------------------------------------- tiers")
        .expect("tiers")
        + start;
    format!("{}{}", &s[..start], &s[end..])
}

/// One provincial agency and one person, every criterion met but the person's CN3 (`pending`
/// leaves it undecided).
fn db(dir: &Path, text: &str, pending: bool) -> PathBuf {
    let path = dir.join("review.db");
    let c = campaign::parse(text, "campaign.toml").expect("campaign");
    let store = Store::create(&path, &c, &actor()).expect("create");
    let subjects = vec![
        Subject {
            id: "SNV".into(),
            name: "Sở Nội vụ".into(),
            tier: "province_agency".into(),
            parent: None,
            registered_on: None,
        },
        Subject {
            id: "CB1".into(),
            name: "Phạm Thị Hoa".into(),
            tier: "individual".into(),
            parent: Some("SNV".into()),
            registered_on: None,
        },
    ];
    store
        .upsert_subjects(&subjects, "test", &actor())
        .expect("subjects");
    for s in &subjects {
        let group = c.group_of_tier(&s.tier).expect("group");
        for cr in &group.criteria {
            if pending && cr.id == "CN3" {
                continue;
            }
            store
                .set_verdict(
                    &VerdictWrite {
                        subject: s.id.clone(),
                        criterion: cr.id.clone(),
                        value: VerdictValue::Met,
                        note: String::new(),
                        base_version: 0,
                        cause: Cause::Edit,
                        cell: None,
                    },
                    &actor(),
                )
                .expect("verdict");
        }
    }
    path
}

fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run thidua")
}

fn cells(path: &Path, sheet: &str) -> Vec<String> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open xlsx");
    wb.worksheet_range(sheet)
        .expect("sheet")
        .rows()
        .flatten()
        .map(|d| d.to_string())
        .collect()
}

fn document_xml(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    let mut part = zip.by_name("word/document.xml").expect("document.xml");
    let mut s = String::new();
    part.read_to_string(&mut s).expect("read");
    s
}

#[test]
fn a_campaign_file_without_council_still_exports_with_generic_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = without_council();
    assert!(
        campaign::parse(&text, "old.toml")
            .expect("an older file loads")
            .council
            .is_none()
    );
    let db = db(dir.path(), &text, false);
    let xlsx = dir.path().join("v.xlsx");
    let o = thidua(&db, &["export", "--out", xlsx.to_str().expect("p")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("[council]"),
        "the export says what it used: {err}"
    );
    let head = cells(&xlsx, "Đề nghị khen thưởng");
    for want in [
        "ỦY BAN NHÂN DÂN TỈNH AN GIANG",
        "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TM. HỘI ĐỒNG",
        "NGƯỜI LẬP BIỂU",
    ] {
        assert!(head.iter().any(|c| c == want), "{want} in {head:?}");
    }
    assert!(
        head.iter().any(|c| c.starts_with("……………, ngày ")),
        "the place is left blank: {head:?}"
    );
    assert!(
        head.iter()
            .any(|c| c.starts_with("I. Hình thức khen thưởng ……: ")),
        "no award name is invented: {head:?}"
    );
    let docx = dir.path().join("v.docx");
    let o = thidua(&db, &["export", "--out", docx.to_str().expect("p")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = document_xml(&docx);
    assert!(xml.contains("Kính gửi: ……………………………."), "blank recipient");
    assert!(xml.contains("Số: ……/TTr-HĐTĐKT"));
}

#[test]
fn the_council_words_and_the_reference_are_printed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = campaign::SAMPLE
        .replace("signer_name = \"\"", "signer_name = \"Nguyễn Văn Bình\"")
        .replace(
            "groups = [\"collective\", \"individual\"]",
            "groups = [\"collective\"]\n\n[[council.award]]\nname = \"Giấy khen của Giám đốc Sở Nội vụ\"\ntiers = [\"individual\"]\nreason = \"Có thành tích trong công tác cải cách hành chính năm 2021\"",
        );
    let db = db(dir.path(), &text, false);
    let xlsx = dir.path().join("v.xlsx");
    let docx = dir.path().join("v.docx");
    for out in [&xlsx, &docx] {
        let o = thidua(
            &db,
            &[
                "export",
                "--out",
                out.to_str().expect("p"),
                "--ref",
                "27/TTr-HĐTĐKT",
                "--ref-date",
                "2026-12-02",
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let list = cells(&xlsx, "Đề nghị khen thưởng");
    for want in [
        "An Giang, ngày 02 tháng 12 năm 2026",
        "(Kèm theo Tờ trình số 27/TTr-HĐTĐKT ngày 02/12/2026 của Hội đồng Thi đua – Khen thưởng tỉnh An Giang)",
        "I. Bằng khen của Chủ tịch UBND tỉnh: 1 tập thể",
        "II. Giấy khen của Giám đốc Sở Nội vụ: 1 cá nhân",
        "Thành tích: Có thành tích trong công tác cải cách hành chính năm 2021.",
        "Nguyễn Văn Bình",
        "Tổng cộng: 2 (1 tập thể, 1 cá nhân)",
    ] {
        assert!(list.iter().any(|c| c == want), "{want} in {list:?}");
    }
    let xml = document_xml(&docx);
    for want in [
        "Số: 27/TTr-HĐTĐKT",
        "An Giang, ngày 02 tháng 12 năm 2026",
        "II. Giấy khen của Giám đốc Sở Nội vụ cho 1 cá nhân, gồm:",
        "Nguyễn Văn Bình",
        "- Lưu: VT, HĐTĐKT.",
    ] {
        assert!(xml.contains(want), "{want} in the letter");
    }

    // A bare number gets the campaign's symbol; a date that is not one is refused.
    let o = thidua(
        &db,
        &[
            "export",
            "--force",
            "--out",
            docx.to_str().expect("p"),
            "--ref",
            "9",
        ],
    );
    assert!(o.status.success());
    assert!(document_xml(&docx).contains("Số: 9/TTr-HĐTĐKT"));
    let o = thidua(
        &db,
        &[
            "export",
            "--out",
            docx.to_str().expect("p"),
            "--ref-date",
            "31/02/2026",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("DD/MM/YYYY"));
}

#[test]
fn an_incomplete_letter_says_so_and_is_refused_without_the_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path(), campaign::SAMPLE, true);
    let docx = dir.path().join("v.docx");
    let o = thidua(&db, &["export", "--out", docx.to_str().expect("p")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!docx.exists(), "nothing written");
    let o = thidua(
        &db,
        &[
            "export",
            "--out",
            docx.to_str().expect("p"),
            "--allow-incomplete",
        ],
    );
    assert!(o.status.success());
    let xml = document_xml(&docx);
    assert!(
        xml.contains("BẢN CHƯA ĐẦY ĐỦ"),
        "the letter says it is incomplete"
    );
    assert!(xml.contains("1 chưa đủ dữ liệu"));
}

#[test]
fn a_broken_council_section_is_refused_with_the_key() {
    let cases = [
        (
            campaign::SAMPLE.replace("place = \"An Giang\"", "place = \"\""),
            "[council], key `place` must not be empty",
        ),
        (
            campaign::SAMPLE.replace(
                "issuer = [\"UBND TỈNH AN GIANG\", \"HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG\"]",
                "issuer = []",
            ),
            "[council], key `issuer`: give 1 to 3 lines",
        ),
        (
            campaign::SAMPLE.replace(
                "groups = [\"collective\", \"individual\"]",
                "tiers = [\"communes\"]",
            ),
            "[[council.award]] number 1, key `tiers`: no [[tier]] has id \"communes\"",
        ),
        (
            campaign::SAMPLE.replace(
                "groups = [\"collective\", \"individual\"]",
                "groups = [\"collective\"]\n\n[[council.award]]\nname = \"Giấy khen\"\ntiers = [\"commune\"]",
            ),
            "tier \"commune\" is already proposed for award number 1",
        ),
        (
            campaign::SAMPLE.replace("letter_symbol", "letter_sign"),
            "letter_sign",
        ),
    ];
    for (text, want) in cases {
        let err = campaign::parse(&text, "c.toml")
            .expect_err(want)
            .to_string();
        assert!(err.starts_with("c.toml: "), "{err}");
        assert!(err.contains(want), "expected {want:?} in {err}");
    }
    let c = campaign::sample();
    let k = c.council.as_ref().expect("the sample has [council]");
    assert_eq!(
        k.issuer,
        ["UBND TỈNH AN GIANG", "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"]
    );
    assert_eq!(k.signer, ["TM. HỘI ĐỒNG", "CHỦ TỊCH"]);
    assert_eq!(
        k.award_for("commune", "collective")
            .map(|a| a.name.as_str()),
        Some("Bằng khen của Chủ tịch UBND tỉnh")
    );
}
