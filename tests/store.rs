//! The store on real sled in temporary directories: round trips, durability across a reopen,
//! conflicts, the lock message and the audit trail.

use chrono::{DateTime, NaiveDate, Utc};
use thidua::domain::{
    AuditAction, Cause, Initiative, InitiativeStatus, Recognition, Scope, Subject, VerdictValue,
};
use thidua::interchange::campaign;
use thidua::store::{Actor, Conflict, InitiativeWrite, Store, StoreError, VerdictWrite};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

fn actor(name: &str) -> Actor {
    Actor::new(name, at("2021-09-01T02:00:00Z"))
}

fn subject(id: &str, name: &str, tier: &str, parent: Option<&str>) -> Subject {
    Subject {
        id: id.into(),
        name: name.into(),
        tier: tier.into(),
        parent: parent.map(Into::into),
        registered_on: NaiveDate::from_ymd_opt(2021, 8, 15),
    }
}

fn new_store(dir: &tempfile::TempDir) -> Store {
    let store = Store::create(&dir.path().join("db"), &campaign::sample(), &actor("admin"))
        .expect("create");
    store
        .upsert_subjects(
            &[
                subject("SNV", "Sở Nội vụ", "province_agency", None),
                subject("CB1", "Đặng Thị Ánh", "individual", Some("SNV")),
            ],
            "test",
            &actor("admin"),
        )
        .expect("subjects");
    store
}

fn write(subject: &str, criterion: &str, value: VerdictValue, base: u64) -> VerdictWrite {
    VerdictWrite {
        subject: subject.into(),
        criterion: criterion.into(),
        value,
        note: String::new(),
        base_version: base,
        cause: Cause::Edit,
        cell: None,
    }
}

#[test]
fn every_entity_round_trips_and_survives_a_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db");
    {
        let store = new_store(&dir);
        let mut w = write("SNV", "TT3", VerdictValue::NotMet, 0);
        w.note = "Chưa ban hành kế hoạch tuyên truyền".into();
        store
            .set_verdict(&w, &actor("nguyen.van.a"))
            .expect("verdict");
        store
            .upsert_initiatives(
                &[Initiative {
                    id: "SK1".into(),
                    title: "Một cửa điện tử".into(),
                    owner: "SNV".into(),
                    submitted_on: NaiveDate::from_ymd_opt(2021, 8, 1),
                    status: InitiativeStatus::Submitted,
                    recognition: None,
                    version: 0,
                }],
                "test",
                &actor("admin"),
            )
            .expect("initiatives");
        let recognition = Recognition {
            authority: "Giám đốc Sở Nội vụ".into(),
            decision: "12/QĐ-SNV".into(),
            decided_on: NaiveDate::from_ymd_opt(2021, 10, 2).expect("date"),
            scope: Scope::Tinh,
        };
        store
            .set_initiative(
                &InitiativeWrite {
                    id: "SK1".into(),
                    status: InitiativeStatus::Recognized,
                    recognition: Some(recognition),
                    base_version: 1,
                    cause: Cause::Edit,
                },
                &actor("nguyen.van.a"),
            )
            .expect("recognise");
        store.put_cursor("nguyen.van.a", b"{}").expect("cursor");
    }
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.campaign().groups.len(), 2);
    let subjects = store.subjects().expect("subjects");
    assert_eq!(subjects.len(), 2);
    assert_eq!(subjects[1].1.name, "Đặng Thị Ánh");
    let v = store.verdict("SNV", "TT3").expect("read").expect("stored");
    assert_eq!(v.value, VerdictValue::NotMet);
    assert_eq!(v.note, "Chưa ban hành kế hoạch tuyên truyền");
    assert_eq!(v.reviewer, "nguyen.van.a");
    assert_eq!(v.version, 1);
    let i = store.initiative("SK1").expect("read").expect("stored");
    assert_eq!(i.status, InitiativeStatus::Recognized);
    assert_eq!(i.recognition.expect("recognition").scope, Scope::Tinh);
    assert_eq!(
        store.cursor("nguyen.van.a").expect("cursor"),
        Some(b"{}".to_vec())
    );
    let trail = store.audit(Some("SNV")).expect("audit");
    assert!(matches!(trail[0].action, AuditAction::Verdict { ref old, .. } if old.is_none()));
    let seqs: Vec<u64> = store
        .audit(None)
        .expect("audit")
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as u64).collect::<Vec<_>>(),
        "gapless trail"
    );
}

#[test]
fn a_stale_write_is_refused_and_names_who_changed_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = new_store(&dir);
    store
        .set_verdict(&write("CB1", "CN1", VerdictValue::Met, 0), &actor("a"))
        .expect("first");
    let err = store
        .set_verdict(&write("CB1", "CN1", VerdictValue::NotMet, 0), &actor("b"))
        .expect_err("stale write must be refused");
    match err {
        StoreError::Conflict(c) => match *c {
            Conflict::Verdict { current, .. } => {
                assert_eq!(current.reviewer, "a");
                assert_eq!(current.value, VerdictValue::Met);
            }
            other => panic!("unexpected conflict {other:?}"),
        },
        other => panic!("unexpected error {other}"),
    }
    let v = store.verdict("CB1", "CN1").expect("read").expect("stored");
    assert_eq!(v.value, VerdictValue::Met, "the first write is untouched");
    let based = store
        .set_verdict(&write("CB1", "CN1", VerdictValue::NotMet, 1), &actor("b"))
        .expect("write based on the current version");
    assert_eq!(based.version, 2);
}

#[test]
fn a_criterion_of_the_other_group_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = new_store(&dir);
    let err = store
        .set_verdict(&write("CB1", "TT1", VerdictValue::Met, 0), &actor("a"))
        .expect_err("TT1 is not an individual criterion");
    assert!(matches!(err, StoreError::UnknownCriterion { .. }), "{err}");
}

#[test]
fn a_second_open_says_who_holds_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = new_store(&dir);
    store.announce_owner(Some("127.0.0.1:2222"));
    let err = match Store::open(store.path()) {
        Err(e) => e,
        Ok(_) => panic!("second open must fail"),
    };
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    // What the user reads: the holder, its process and how to reach it.
    let msg = err.explain(store.path(), thidua::domain::Lang::En);
    assert!(
        msg.contains(&format!("process {}", std::process::id())),
        "{msg}"
    );
    assert!(msg.contains("ssh -p 2222"), "{msg}");
    assert!(
        !err.to_string().contains("could not acquire lock"),
        "no raw sled error in the log either: {err}"
    );
    assert!(
        !msg.contains("could not acquire lock"),
        "no raw sled error: {msg}"
    );
}

#[test]
fn create_refuses_an_existing_path_and_open_refuses_a_missing_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("notes.txt"), "mine").expect("write");
    let err = Store::create(dir.path(), &campaign::sample(), &actor("a"))
        .err()
        .expect("existing path refused");
    assert!(matches!(err, StoreError::Exists(_)), "{err}");
    // An empty folder made ready for it is used.
    let ready = dir.path().join("ready");
    std::fs::create_dir(&ready).expect("mkdir");
    drop(Store::create(&ready, &campaign::sample(), &actor("a")).expect("an empty folder"));
    let err = Store::open(&dir.path().join("nope"))
        .err()
        .expect("missing refused");
    assert!(matches!(err, StoreError::Missing(_)), "{err}");
}
