//! A verdict write carries the cell it was made from (the subject's number and the criterion's
//! index in its group): the store commits it there when that cell still holds the write's
//! subject and criterion, and looks the cell up by the ids when it does not (no cell, a wrong
//! one, or a subject a roster import moved to another tier). The console's writes, undo and
//! redo included, carry the store's own cell.

use chrono::{DateTime, NaiveDate, Utc};
use thidua::app::{Effect, Model, Msg, Saved, Write, update};
use thidua::domain::{Cause, Lang, Subject, VerdictValue};
use thidua::interchange::campaign;
use thidua::store::{Actor, Cell, Store, StoreError, VerdictWrite};

use crate::console::{run_keys, sample_store};

fn actor() -> Actor {
    Actor::new("an", at("2021-09-01T02:00:00Z"))
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

fn subject(id: &str, tier: &str, parent: Option<&str>) -> Subject {
    Subject {
        id: id.into(),
        name: format!("Đơn vị {id}"),
        tier: tier.into(),
        parent: parent.map(Into::into),
        registered_on: NaiveDate::from_ymd_opt(2021, 8, 15),
    }
}

/// SNV (a province agency: the collective group, TT1…) and CB1 (an individual: CN1…).
fn store(dir: &tempfile::TempDir) -> Store {
    let store =
        Store::create(&dir.path().join("db"), &campaign::sample(), &actor()).expect("create");
    store
        .upsert_subjects(
            &[
                subject("SNV", "province_agency", None),
                subject("CB1", "individual", Some("SNV")),
            ],
            "roster",
            &actor(),
        )
        .expect("roster");
    store
}

fn no(store: &Store, id: &str) -> u32 {
    store.subject_no(id).expect("read").expect("known subject")
}

fn write(subject: &str, criterion: &str, cell: Option<Cell>) -> VerdictWrite {
    VerdictWrite {
        subject: subject.into(),
        criterion: criterion.into(),
        value: VerdictValue::Met,
        note: String::new(),
        base_version: 0,
        cause: Cause::Edit,
        cell,
    }
}

/// Every recorded verdict as (subject no, criterion index).
fn cells(store: &Store) -> Vec<(u32, u16)> {
    let mut all: Vec<_> = store
        .verdicts()
        .expect("verdicts")
        .into_iter()
        .map(|(no, c, _)| (no, c))
        .collect();
    all.sort_unstable();
    all
}

#[test]
fn a_write_carrying_its_cell_is_kept_in_that_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store(&dir);
    let cb1 = no(&store, "CB1");
    let cell = Cell {
        subject_no: cb1,
        criterion: 2,
    };
    let v = store
        .set_verdict(&write("CB1", "CN3", Some(cell)), &actor())
        .expect("commit");
    assert_eq!(v.version, 1);
    assert_eq!(cells(&store), [(cb1, 2)]);
    let read = store.verdict("CB1", "CN3").expect("read").expect("there");
    assert_eq!(read.value, VerdictValue::Met);
    // The same write by ids alone is the same cell: now a second version on top of it.
    let mut again = write("CB1", "CN3", None);
    again.base_version = 1;
    again.value = VerdictValue::NotMet;
    assert_eq!(
        store.set_verdict(&again, &actor()).expect("commit").version,
        2
    );
    assert_eq!(cells(&store), [(cb1, 2)]);
}

#[test]
fn a_cell_that_does_not_hold_the_write_is_not_trusted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store(&dir);
    let (snv, cb1) = (no(&store, "SNV"), no(&store, "CB1"));
    // Another subject's number: the write goes to CB1, SNV is untouched.
    store
        .set_verdict(
            &write(
                "CB1",
                "CN3",
                Some(Cell {
                    subject_no: snv,
                    criterion: 2,
                }),
            ),
            &actor(),
        )
        .expect("commit");
    // Another criterion's index: the write goes to CN1 (index 0).
    store
        .set_verdict(
            &write(
                "CB1",
                "CN1",
                Some(Cell {
                    subject_no: cb1,
                    criterion: 3,
                }),
            ),
            &actor(),
        )
        .expect("commit");
    // A number no subject has, and an index past the group's end.
    for cell in [
        Cell {
            subject_no: 9_999,
            criterion: 1,
        },
        Cell {
            subject_no: cb1,
            criterion: 400,
        },
    ] {
        store
            .set_verdict(&write("CB1", "CN2", Some(cell)), &actor())
            .map(|_| ())
            .or_else(|e| match e {
                // The second write of CN2 is based on version 0: a conflict, as by ids.
                StoreError::Conflict(_) => Ok(()),
                e => Err(e),
            })
            .expect("commit");
    }
    assert_eq!(cells(&store), [(cb1, 0), (cb1, 1), (cb1, 2)]);
    // A subject that does not exist is refused, whatever cell the write carries.
    let e = store
        .set_verdict(
            &write(
                "NOPE",
                "CN1",
                Some(Cell {
                    subject_no: cb1,
                    criterion: 0,
                }),
            ),
            &actor(),
        )
        .expect_err("unknown subject");
    assert!(
        matches!(e, StoreError::UnknownSubject(ref id) if id == "NOPE"),
        "{e}"
    );
}

/// A console loaded before a roster import moved CB1 from the individuals to the province
/// agencies still holds CB1's old cells: a write by them is looked up by its ids in the new
/// group, as a write without a cell is.
#[test]
fn a_subject_moved_to_another_tier_is_looked_up_by_its_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store(&dir);
    let cb1 = no(&store, "CB1");
    store
        .upsert_subjects(
            &[subject("CB1", "province_agency", None)],
            "roster",
            &actor(),
        )
        .expect("re-import");
    let old = Cell {
        subject_no: cb1,
        criterion: 0,
    };
    let e = store
        .set_verdict(&write("CB1", "CN1", Some(old)), &actor())
        .expect_err("CN1 is not a province agency's criterion");
    assert!(
        matches!(e, StoreError::UnknownCriterion { ref criterion, .. } if criterion == "CN1"),
        "{e}"
    );
    assert!(cells(&store).is_empty());
    store
        .set_verdict(
            &write(
                "CB1",
                "TT3",
                Some(Cell {
                    subject_no: cb1,
                    criterion: 0,
                }),
            ),
            &actor(),
        )
        .expect("commit");
    assert_eq!(
        cells(&store),
        [(cb1, 2)],
        "TT3 is the third collective criterion"
    );
}

fn saves(effects: &[Effect]) -> Vec<VerdictWrite> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveVerdict(w) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// The cell the store keeps the write's verdict in, told by the store and the campaign.
fn store_cell(store: &Store, w: &VerdictWrite) -> Cell {
    let s = store.subject(&w.subject).expect("read").expect("subject");
    let group = store.campaign().group_of_tier(&s.tier).expect("group");
    Cell {
        subject_no: no(store, &w.subject),
        criterion: u16::try_from(group.index_of(&w.criterion).expect("criterion")).expect("u16"),
    }
}

#[test]
fn the_console_s_writes_carry_the_store_s_cell_undo_and_redo_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let init = thidua::runtime::session::load_init(
        &store,
        "an",
        Lang::Vi,
        thidua::app::Role::Reviewer,
        false,
        80,
        24,
    )
    .expect("load");
    let mut m = Model::new(init);
    // The last subject of the roster, its second criterion.
    let fx = run_keys(&mut m, "G<enter>jy");
    let written = saves(&fx);
    assert_eq!(written.len(), 1, "{fx:?}");
    let w = &written[0];
    assert_eq!(w.cell, Some(store_cell(&store, w)), "{w:?}");
    let answer = |m: &mut Model, w: &VerdictWrite| {
        let verdict = store.set_verdict(w, &actor()).expect("commit");
        update(
            m,
            Msg::Saved(Saved::Verdict {
                write: w.clone(),
                verdict,
            }),
        )
    };
    answer(&mut m, w);
    for key in ["u", "<c-r>"] {
        let fx = run_keys(&mut m, key);
        let again = saves(&fx);
        assert_eq!(again.len(), 1, "{key}: {fx:?}");
        let a = &again[0];
        assert_eq!((&a.subject, &a.criterion), (&w.subject, &w.criterion));
        assert_eq!(a.cell, w.cell, "{key}");
        answer(&mut m, a);
    }
    assert!(
        !m.pending()
            .iter()
            .any(|p| matches!(&p.write, Write::Verdict(_))),
        "every write was answered"
    );
    assert_eq!(
        store
            .verdict(&w.subject, &w.criterion)
            .expect("read")
            .map(|v| (v.value, v.version)),
        Some((w.value, 3))
    );
}
