//! Review by criterion on the real binary in a pseudo-terminal at 80×24: from the criteria pane,
//! `b` takes the selected criterion (TT1) across the provincial agencies, and twenty `y` decide
//! it for twenty agencies, one key each, every one acknowledged on screen only after its
//! commit. The database, read after the console has quit, holds exactly those twenty
//! verdicts and their twenty audit events.

use chrono::Utc;
use thidua::app::Model;
use thidua::commands::init::Contents;
use thidua::domain::{Lang, VerdictValue};
use thidua::interchange::campaign;
use thidua::store::{Actor, Store};

use crate::{console, pty};

#[test]
fn twenty_subjects_take_twenty_keys_in_review_by_criterion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    {
        let sample = Contents::sample().expect("sample");
        let actor = Actor::new("admin", Utc::now());
        let store = Store::create(&db, &campaign::sample(), &actor).expect("create");
        store
            .upsert_subjects(&sample.subjects, "roster", &actor)
            .expect("roster");
        store
            .upsert_initiatives(&sample.initiatives, "initiatives", &actor)
            .expect("initiatives");
    }
    let model = Model::new(console::sample_init(Lang::Vi, "an", Vec::new()));
    let agencies = crate::review_by_criterion::agencies(&model);
    assert_eq!(agencies.len(), 21);
    let last = model
        .index()
        .of_id(&agencies[20])
        .map(|i| model.index().entries[i].subject.name.clone())
        .expect("last agency");

    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Văn phòng UBND tỉnh · 0/10");
    c.wait_for("Tiến độ");
    // Enter opens the first subject on its first pending criterion, TT1; `b` takes it.
    c.send("\r");
    c.wait_for("▶ TT1");
    c.send("b");
    c.wait_for("Theo tiêu chí · TT1 · ");
    c.wait_for("Còn 21/21 chưa đánh giá");
    let mut keys = 0;
    for k in 1..=20 {
        c.send("y");
        keys += 1;
        // The count comes from the saved verdicts: the key's write is committed and flushed.
        c.wait_for(&format!("Còn {}/21 chưa đánh giá", 21 - k));
        c.wait_for(&format!("{k}/3550"));
    }
    assert_eq!(keys, 20, "one key per subject");
    // The twenty-first agency is selected, still pending.
    c.wait_for(&format!(
        "▶ · {}",
        last.chars().take(12).collect::<String>()
    ));
    c.send("\x1b");
    c.wait_for("Văn phòng UBND tỉnh · 1/10");
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "clean exit");

    let store = Store::open(&db).expect("open");
    for (n, id) in agencies.iter().enumerate() {
        let v = store.verdict(id, "TT1").expect("read");
        if n < 20 {
            let v = v.unwrap_or_else(|| panic!("{id}: TT1 decided"));
            assert_eq!(v.value, VerdictValue::Met, "{id}");
            assert_eq!(v.reviewer, "an");
            assert_eq!(store.audit(Some(id)).expect("audit").len(), 1, "{id}");
        } else {
            assert!(v.is_none(), "{id}: not reached");
        }
        for other in 2..=10 {
            assert!(
                store
                    .verdict(id, &format!("TT{other}"))
                    .expect("read")
                    .is_none(),
                "{id} TT{other} untouched"
            );
        }
    }
    assert_eq!(
        store.verdicts().expect("verdicts").len(),
        20,
        "nothing else decided"
    );
}
