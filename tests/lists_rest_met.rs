//! `Y`, "the rest are met", on the pure core: a one-line question first, then Đạt on every
//! pending criterion of the subject and nothing else, one write (one audit event) per
//! criterion, undone and redone as one step; `n` or any other key asks nothing of the store.

use chrono::{DateTime, Utc};
use thidua::app::{Effect, Model, Msg, Role, Saved, update};
use thidua::domain::{Cause, Lang, Verdict, VerdictValue};
use thidua::store::VerdictWrite;

use crate::console;
use console::{run_keys, sample_init};

fn at() -> DateTime<Utc> {
    console::at("2021-12-01T02:30:00Z")
}

fn verdict(value: VerdictValue, note: &str) -> Verdict {
    Verdict {
        value,
        note: note.into(),
        reviewer: "binh".into(),
        decided_at: at(),
        version: 1,
    }
}

/// The first subject (VPUBND) with TT1 met, TT3 not met and TT4 waiting for an explanation.
fn model(lang: Lang) -> Model {
    Model::new(sample_init(
        lang,
        "an",
        vec![
            (1, 0, verdict(VerdictValue::Met, "")),
            (1, 2, verdict(VerdictValue::NotMet, "thiếu kế hoạch")),
            (1, 3, verdict(VerdictValue::NeedsExplanation, "chờ báo cáo")),
        ],
    ))
}

fn writes(fx: &[Effect]) -> Vec<VerdictWrite> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::SaveVerdict(w) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// Answers every write as the store would.
fn save_all(model: &mut Model, writes: Vec<VerdictWrite>) {
    for w in writes {
        let verdict = Verdict {
            value: w.value,
            note: w.note.clone(),
            reviewer: "an".into(),
            decided_at: at(),
            version: w.base_version + 1,
        };
        update(model, Msg::Saved(Saved::Verdict { write: w, verdict }));
    }
}

fn status_line(model: &Model) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("t");
    t.draw(|f| thidua::ui::view(model, f)).expect("draw");
    let buf = t.backend().buffer();
    (0..80).map(|x| buf[(x, 23)].symbol()).collect()
}

#[test]
fn y_asks_then_marks_only_the_pending_criteria() {
    let mut m = model(Lang::Vi);
    let fx = run_keys(&mut m, "Y");
    assert!(writes(&fx).is_empty(), "nothing written before the answer");
    let line = status_line(&m);
    assert!(
        line.contains("Đánh dấu Đạt 7 tiêu chí còn lại? y/n · Văn phòng UBND tỉnh"),
        "{line}"
    );
    let fx = run_keys(&mut m, "y");
    let w = writes(&fx);
    let ids: Vec<&str> = w.iter().map(|w| w.criterion.as_str()).collect();
    assert_eq!(
        ids,
        ["TT2", "TT5", "TT6", "TT7", "TT8", "TT9", "TT10"],
        "pending ones only, in order"
    );
    assert!(w.iter().all(|w| w.subject == "VPUBND"
        && w.value == VerdictValue::Met
        && w.cause == Cause::Edit
        && w.base_version == 0));
    save_all(&mut m, w);
    let i = m.index().of_id("VPUBND").expect("subject");
    let values: Vec<VerdictValue> = (0..10).map(|c| m.index().value(i, c)).collect();
    assert_eq!(
        values[2],
        VerdictValue::NotMet,
        "a verdict is never changed"
    );
    assert_eq!(values[3], VerdictValue::NeedsExplanation);
    assert_eq!(
        values.iter().filter(|v| **v == VerdictValue::Met).count(),
        8
    );
    // It moved on to the next subject with pending criteria.
    assert_ne!(m.current(), Some(i));

    // One undo step takes all seven back, each as its own write with cause Undo.
    let undo = writes(&run_keys(&mut m, "u"));
    assert_eq!(undo.len(), 7);
    assert!(
        undo.iter()
            .all(|w| w.cause == Cause::Undo && w.value == VerdictValue::Pending)
    );
    save_all(&mut m, undo);
    assert_eq!(m.current(), Some(i), "the undo shows the subject");
    assert_eq!(m.index().entries[i].decided, 3);
    assert_eq!(m.undo_steps(), 0);
    // And one redo puts them back.
    let redo = writes(&run_keys(&mut m, "<c-r>"));
    assert_eq!(redo.len(), 7);
    assert!(
        redo.iter()
            .all(|w| w.cause == Cause::Redo && w.value == VerdictValue::Met)
    );
    save_all(&mut m, redo);
    assert_eq!(m.index().entries[i].decided, 10);
}

#[test]
fn n_or_any_other_key_marks_nothing() {
    for answer in ["n", "<esc>", "j", "Y"] {
        let mut m = model(Lang::En);
        run_keys(&mut m, "Y");
        assert!(status_line(&m).contains("Mark the remaining 7 criteria met? y/n"));
        let fx = run_keys(&mut m, answer);
        assert!(writes(&fx).is_empty(), "{answer}");
        assert!(m.confirm().is_none());
        assert!(status_line(&m).contains("Nothing marked."), "{answer}");
    }
}

#[test]
fn a_subject_with_nothing_pending_is_left_alone() {
    let mut m = model(Lang::En);
    run_keys(&mut m, "Yy");
    console::select(&mut m, "VPUBND");
    // Nothing saved yet is still pending on screen: nothing is asked twice for a write in flight.
    let fx = run_keys(&mut m, "Y");
    assert!(writes(&fx).is_empty());
    assert!(m.confirm().is_none());
}

#[test]
fn a_viewer_is_refused() {
    let mut init = sample_init(Lang::En, "an", Vec::new());
    init.role = Role::Viewer;
    let mut m = Model::new(init);
    let fx = run_keys(&mut m, "Yy");
    assert!(writes(&fx).is_empty());
    assert!(m.confirm().is_none());
}
