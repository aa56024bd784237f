//! `thidua log`: the audit trail as a reviewer reads it, from the real binary on a real
//! database: numbering, Vietnam time, reviewer, kind of change, readable descriptions in both
//! languages, `--subject` filtering, and hostile text kept off the terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, NaiveDate, Utc};
use thidua::domain::{
    Cause, Initiative, InitiativeStatus, Recognition, Scope, Subject, VerdictValue,
};
use thidua::interchange::campaign;
use thidua::store::{Actor, InitiativeWrite, Store, VerdictWrite};

fn actor(name: &str, at: &str) -> Actor {
    Actor::new(
        name,
        DateTime::parse_from_rfc3339(at)
            .expect("time")
            .with_timezone(&Utc),
    )
}

fn subject(id: &str, name: &str, tier: &str, parent: Option<&str>) -> Subject {
    Subject {
        id: id.into(),
        name: name.into(),
        tier: tier.into(),
        parent: parent.map(Into::into),
        registered_on: None,
    }
}

fn decide(store: &Store, who: &Actor, subject: &str, criterion: &str, v: VerdictValue, note: &str) {
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
            who,
        )
        .expect("verdict");
}

/// A day of work: an import, two reviewers, a change of mind, an initiative recognised.
fn reviewed_db(dir: &Path) -> PathBuf {
    let path = dir.join("review.db");
    let admin = actor("admin", "2021-09-01T01:00:00Z");
    let store = Store::create(&path, &campaign::sample(), &admin).expect("create");
    store
        .upsert_subjects(
            &[
                subject("SNV", "Sở Nội vụ", "province_agency", None),
                subject("CB0001", "Nguyễn Thị Lan", "individual", Some("SNV")),
                subject("CB0002", "Evil\u{1b}[31m Name", "individual", Some("SNV")),
            ],
            "roster.csv",
            &admin,
        )
        .expect("subjects");
    store
        .upsert_initiatives(
            &[Initiative {
                id: "SK001".into(),
                title: "Một cửa điện tử".into(),
                owner: "SNV".into(),
                submitted_on: NaiveDate::from_ymd_opt(2021, 8, 1),
                status: InitiativeStatus::Submitted,
                recognition: None,
                version: 0,
            }],
            "initiatives.csv",
            &admin,
        )
        .expect("initiatives");
    let a = actor("nguyen.van.a", "2021-09-01T02:00:00Z");
    let b = actor("tran.thi.b", "2021-09-02T10:30:00Z");
    decide(
        &store,
        &a,
        "SNV",
        "TT3",
        VerdictValue::NotMet,
        "Chưa ban hành kế hoạch",
    );
    decide(&store, &a, "CB0001", "CN1", VerdictValue::Met, "");
    decide(
        &store,
        &b,
        "SNV",
        "TT3",
        VerdictValue::Met,
        "Đã bổ sung kế hoạch số 12/KH",
    );
    decide(
        &store,
        &b,
        "CB0002",
        "CN2",
        VerdictValue::NotMet,
        "bad\u{7}note\u{1b}]0;x",
    );
    store
        .set_initiative(
            &InitiativeWrite {
                id: "SK001".into(),
                status: InitiativeStatus::Recognized,
                recognition: Some(Recognition {
                    authority: "Giám đốc Sở Nội vụ".into(),
                    decision: "125/QĐ-SNV".into(),
                    decided_on: NaiveDate::from_ymd_opt(2021, 9, 20).expect("date"),
                    scope: Scope::CoSo,
                }),
                base_version: 1,
                cause: Cause::Edit,
            },
            &b,
        )
        .expect("initiative");
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

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "thidua failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

#[test]
fn the_whole_trail_in_vietnamese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = reviewed_db(dir.path());
    let out = stdout(&thidua(&db, &["log"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 8 + 1, "{out}");
    // The last line names the change journal's head.
    let head = lines[9]
        .strip_prefix("Đầu nhật ký thay đổi: bản ghi ")
        .unwrap_or_else(|| panic!("{out}"));
    let (seq, hash) = head.split_once(", SHA-256 ").expect("head");
    assert!(seq.parse::<u64>().expect("sequence") >= 9, "{out}");
    assert!(
        hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()),
        "{out}"
    );
    let squeeze = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(squeeze(lines[0]), "Số Thời gian Người Thao tác Nội dung");
    assert_eq!(
        squeeze(lines[1]),
        "1 01/09/2021 08:00 admin nhập Tạo cơ sở dữ liệu"
    );
    assert_eq!(
        squeeze(lines[2]),
        "2 01/09/2021 08:00 admin nhập Nhập roster.csv: thêm 3, cập nhật 0"
    );
    assert_eq!(
        squeeze(lines[4]),
        "4 01/09/2021 09:00 nguyen.van.a sửa SNV Sở Nội vụ · TT3: Chưa đánh giá → Không đạt; ghi chú: “Chưa ban hành kế hoạch”"
    );
    assert_eq!(
        squeeze(lines[6]),
        "6 02/09/2021 17:30 tran.thi.b sửa SNV Sở Nội vụ · TT3: Không đạt → Đạt; ghi chú: “Đã bổ sung kế hoạch số 12/KH”"
    );
    assert_eq!(
        squeeze(lines[8]),
        "8 02/09/2021 17:30 tran.thi.b sửa Sáng kiến SK001 “Một cửa điện tử” (SNV Sở Nội vụ): Đã nộp → Được công nhận, quyết định số 125/QĐ-SNV ngày 20/09/2021 của Giám đốc Sở Nội vụ (phạm vi cơ sở)"
    );
    // Columns line up: every description starts at the display column of the header's.
    let header_at = lines[0].find("Nội dung").expect("header");
    let column = unicode_width::UnicodeWidthStr::width(&lines[0][..header_at]);
    for l in &lines[1..lines.len() - 1] {
        let mut width = 0;
        let mut chars = l.chars().peekable();
        let mut before = ' ';
        while width < column {
            let c = chars.next().expect("line long enough");
            width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            before = c;
        }
        assert_eq!(before, ' ', "{l}");
        assert!(chars.peek().is_some_and(|c| *c != ' '), "{l}");
    }
    // Nothing but text reaches the terminal.
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(
        out.contains("CB0002 Evil Name · CN2: Chưa đánh giá → Không đạt; ghi chú: “badnote”"),
        "{out}"
    );
}

#[test]
fn the_trail_in_english_and_for_one_subject() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = reviewed_db(dir.path());
    let out = stdout(&thidua(&db, &["--lang", "en", "log", "--subject", "SNV"]));
    let lines: Vec<&str> = out.lines().collect();
    let squeeze = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(squeeze(lines[0]), "No. Time Reviewer Change What");
    assert_eq!(lines.len(), 1 + 3 + 1, "{out}");
    assert!(
        lines[4].starts_with("Change journal head: record "),
        "{out}"
    );
    assert_eq!(
        squeeze(lines[1]),
        "4 01/09/2021 09:00 nguyen.van.a edit SNV Sở Nội vụ · TT3: Pending → Not met; note: “Chưa ban hành kế hoạch”"
    );
    assert_eq!(
        squeeze(lines[2]),
        "6 02/09/2021 17:30 tran.thi.b edit SNV Sở Nội vụ · TT3: Not met → Met; note: “Đã bổ sung kế hoạch số 12/KH”"
    );
    assert_eq!(
        squeeze(lines[3]),
        "8 02/09/2021 17:30 tran.thi.b edit Initiative SK001 “Một cửa điện tử” (SNV Sở Nội vụ): Submitted → Recognised, decision 125/QĐ-SNV of 20/09/2021 by Giám đốc Sở Nội vụ (grassroots scope)"
    );

    let one = stdout(&thidua(&db, &["log", "--subject", "CB0001"]));
    let lines: Vec<&str> = one.lines().skip(1).collect();
    assert_eq!(lines.len(), 2, "{one}");
    assert!(lines[0].contains("CB0001 Nguyễn Thị Lan · CN1: Chưa đánh giá → Đạt"));
    assert!(
        !lines[0].contains("ghi chú"),
        "an unchanged empty note is not mentioned"
    );
}

#[test]
fn unknown_subjects_and_empty_trails_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = reviewed_db(dir.path());
    let o = thidua(&db, &["log", "--subject", "NOPE"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).expect("utf-8");
    assert!(err.contains("không có đối tượng mã \"NOPE\""), "{err}");

    let path = dir.path().join("fresh.db");
    let admin = actor("admin", "2021-09-01T01:00:00Z");
    let store = Store::create(&path, &campaign::sample(), &admin).expect("create");
    store
        .upsert_subjects(
            &[subject("SNV", "Sở Nội vụ", "province_agency", None)],
            "roster.csv",
            &admin,
        )
        .expect("subjects");
    drop(store);
    let out = stdout(&thidua(&path, &["--lang", "en", "log", "--subject", "SNV"]));
    assert!(
        out.starts_with("No changes yet.\nChange journal head: record 3, SHA-256 "),
        "{out}"
    );

    let o = thidua(&dir.path().join("missing.db"), &["log"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Không có cơ sở dữ liệu thidua nào"));
}
