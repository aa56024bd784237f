//! A checkpoint on a nearly full disk: a checkpoint of a large database is many MB, so writing
//! one is refused before anything is written when the disk would keep less than the reserve
//! (`journal::RESERVE`). The refusal names the path, the journal stays as it was (no new
//! segment, the chain whole), commits go on, and the checkpoint works once space is freed. On
//! a small tmpfs mounted inside the test (skipped, with the reason printed, where mounting is
//! not allowed).

use std::path::Path;

use chrono::Utc;
use thidua::domain::{Cause, Lang, Subject, VerdictValue};
use thidua::interchange::campaign;
use thidua::store::{Actor, Store, VerdictWrite, journal};

use crate::safety_disk_full::SmallDisk;

fn segments(db: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(db.join(journal::DIR))
        .expect("journal folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn verdict(store: &Store, subject: &str, note: &str) -> thidua::store::Result<u64> {
    let base = store
        .verdict(subject, "TT1")
        .expect("read")
        .map_or(0, |v| v.version);
    store
        .set_verdict(
            &VerdictWrite {
                subject: subject.into(),
                criterion: "TT1".into(),
                value: VerdictValue::Met,
                note: note.into(),
                base_version: base,
                cause: Cause::Edit,
                cell: None,
            },
            &Actor::new("t", Utc::now()),
        )
        .map(|v| v.version)
}

#[test]
fn a_checkpoint_that_would_eat_the_reserve_is_refused_whole_and_works_once_space_is_freed() {
    let disk = match SmallDisk::mount("32m") {
        Ok(d) => d,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    let db = disk.root.join("review.db");
    let actor = Actor::new("test", Utc::now());
    let store = Store::create(&db, &campaign::sample(), &actor).expect("create");
    let units: Vec<Subject> = (0..50)
        .map(|i| Subject {
            id: format!("DV{i:03}"),
            name: format!("Đơn vị {i:03}"),
            tier: "province_agency".into(),
            parent: None,
            registered_on: None,
        })
        .collect();
    store
        .upsert_subjects(&units, "test", &actor)
        .expect("units");
    for i in 0..50 {
        verdict(&store, &format!("DV{i:03}"), &"x".repeat(1000)).expect("verdict");
    }
    let before = segments(&db);
    let head = store.head().expect("head");

    // Fill the disk, then free a little less than the reserve and one write-ahead step: a
    // commit (its frame goes into space written ahead) still fits, a checkpoint (a new
    // segment, a step of it written ahead) would leave less than the reserve.
    let filler = disk.fill();
    let len = std::fs::metadata(&filler).expect("filler").len();
    let leave = journal::RESERVE + journal::ALLOC_STEP / 2;
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .expect("filler");
    f.set_len(len.saturating_sub(leave)).expect("free a little");
    f.sync_all().expect("sync");
    drop(f);

    let refused = store
        .checkpoint(Utc::now().timestamp_millis())
        .expect_err("a checkpoint on a nearly full disk is refused");
    assert!(refused.is_disk_full(), "{refused:?}");
    let told = refused.explain(store.path(), Lang::En);
    assert!(
        told.contains("is full") && told.contains(&db.display().to_string()),
        "{told}"
    );
    let told_vi = refused.explain(store.path(), Lang::Vi);
    assert!(told_vi.contains(&db.display().to_string()), "{told_vi}");
    // Nothing was written: no new segment, the same head, the chain whole.
    assert_eq!(segments(&db), before, "no segment was started");
    assert_eq!(store.head().expect("head"), head);
    assert!(store.verify().expect("verify").is_ok());
    // Commits go on: a verdict's record goes into space already written ahead.
    verdict(&store, "DV000", "còn chỗ cho một quyết định").expect("a commit still fits");

    // Space freed: the checkpoint works, without a restart, and retires the older segments.
    std::fs::remove_file(&filler).expect("free space");
    let moved = store
        .checkpoint(Utc::now().timestamp_millis())
        .expect("works once space is freed");
    assert_eq!(moved, before.len(), "the older segments are retired");
    verdict(&store, "DV001", "sau điểm kiểm").expect("a commit after the checkpoint");
    assert!(store.verify().expect("verify").is_ok());
    drop(store);
    let reopened = Store::open_moved(&db).expect("reopen");
    assert_eq!(
        reopened
            .verdict("DV001", "TT1")
            .expect("read")
            .map(|v| v.note),
        Some("sau điểm kiểm".to_string())
    );
    assert!(reopened.verify().expect("verify").is_ok());
}
