//! Cần giải trình as a state with a follow-up, on the pure core and its screen: its own mark
//! (a symbol, so it survives NO_COLOR; magenta in colour), settled counts (9/10, not 10/10), the
//! count in the status bar, the "waiting for an explanation" filter, `]` stopping there, and
//! closing one from the criteria pane in two keys with both steps written.

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use thidua::app::{Effect, Filter, Model, Msg, Saved, update};
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

/// VPUBND (no 1) fully decided except TT4, waiting for an explanation; Sở Tư pháp (no 10)
/// waiting on TT2; everything else untouched.
fn model(lang: Lang, no_color: bool) -> Model {
    let mut verdicts: Vec<(u32, u16, Verdict)> = (0..10)
        .filter(|c| *c != 3)
        .map(|c| (1, c, verdict(VerdictValue::Met, "")))
        .collect();
    verdicts.push((
        1,
        3,
        verdict(VerdictValue::NeedsExplanation, "Chờ báo cáo bổ sung"),
    ));
    verdicts.push((
        10,
        1,
        verdict(VerdictValue::NeedsExplanation, "Thiếu kế hoạch"),
    ));
    let mut init = sample_init(lang, "an", verdicts);
    init.no_color = no_color;
    Model::new(init)
}

fn draw(model: &Model) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(model.size().0, model.size().1)).expect("terminal");
    t.draw(|f| thidua::ui::view(model, f)).expect("draw");
    t.backend().buffer().clone()
}

fn row(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

fn find(buf: &Buffer, text: &str) -> Option<(u16, u16)> {
    (0..buf.area.height).find_map(|y| {
        let r = row(buf, y);
        r.find(text).map(|at| (r[..at].chars().count() as u16, y))
    })
}

fn writes(fx: &[Effect]) -> Vec<VerdictWrite> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::SaveVerdict(w) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_subject_waiting_for_an_explanation_has_its_own_mark_and_count() {
    for no_color in [false, true] {
        let m = model(Lang::Vi, no_color);
        let buf = draw(&m);
        // The first subject is not "10/10": one criterion is still waiting.
        let (x, y) = find(&buf, "? Văn phòng UBND tỉnh   9/10").expect("marked row");
        let cell = &buf[(x, y)];
        assert_eq!(cell.symbol(), "?");
        let (x, y) = find(&buf, "? Sở Tư pháp").expect("second waiting subject");
        let cell = &buf[(x, y)];
        if no_color {
            assert_eq!(cell.fg, Color::Reset, "no colour at all");
            assert!(cell.modifier.contains(Modifier::BOLD));
        } else {
            assert_eq!(cell.fg, Color::Magenta);
        }
        // An untouched subject keeps ○.
        assert!(find(&buf, "○ Sở Nội vụ").is_some());
        // The status bar counts the subjects waiting.
        let status = row(&buf, 22);
        assert!(status.contains("?2 chờ giải trình"), "{status}");
        // The criteria header says what is waiting.
        assert!(
            row(&buf, 0).contains("9/10 · ?1 chờ giải t"),
            "{}",
            row(&buf, 0)
        );
    }
}

#[test]
fn the_filter_and_the_brackets_find_them() {
    let mut m = model(Lang::En, false);
    run_keys(&mut m, "fff");
    assert_eq!(m.filter(), Filter::Waiting);
    let names: Vec<String> = m
        .list()
        .iter()
        .filter_map(|r| match r {
            thidua::app::Row::Subject(i) => Some(m.index().entries[*i].subject.id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["VPUBND", "STP"]);
    let buf = draw(&m);
    assert!(row(&buf, 0).contains("filter: wait"), "{}", row(&buf, 0));
    // Opening a subject in this filter lands on the criterion waiting.
    run_keys(&mut m, "<enter>");
    assert_eq!(m.current_criterion().expect("criterion").id, "TT4");

    // `]` and `[` stop at a subject that has nothing pending but a criterion waiting.
    let mut m = model(Lang::En, false);
    let vpubnd = m.index().of_id("VPUBND").expect("subject");
    let stp = m.index().of_id("STP").expect("subject");
    console::select(&mut m, "SNV");
    assert!(!m.index().entries[vpubnd].has_pending());
    run_keys(&mut m, "[");
    assert_eq!(m.current(), Some(vpubnd), "[ stops at a subject waiting");
    assert_eq!(m.current_criterion().expect("criterion").id, "TT4");
    // STP has pending criteria too; `]` from VPUBND reaches SNV first (pending), then more.
    run_keys(&mut m, "]");
    assert_ne!(m.current(), Some(vpubnd));
    let _ = stp;
}

#[test]
fn y_closes_one_in_two_keys_recording_the_explanation_then_the_verdict() {
    let mut m = model(Lang::Vi, false);
    run_keys(&mut m, "fff<enter>");
    assert_eq!(m.current_criterion().expect("criterion").id, "TT4");
    // Key 1: y opens the explanation; the text typed is the explanation received.
    let fx = run_keys(&mut m, "y");
    assert!(writes(&fx).is_empty());
    let buf = draw(&m);
    assert!(find(&buf, "Kết thúc giải trình · TT4").is_some());
    assert!(find(&buf, "Giải trình đã nhận").is_some());
    update(&mut m, Msg::Paste("Đã nộp báo cáo ngày 20/11".into()));
    // Key 2: Enter.
    let w = writes(&run_keys(&mut m, "<enter>"));
    assert_eq!(w.len(), 2, "{w:?}");
    let note = "Chờ báo cáo bổ sung\nĐã nhận giải trình: Đã nộp báo cáo ngày 20/11";
    assert_eq!(w[0].value, VerdictValue::NeedsExplanation);
    assert_eq!(w[0].note, note);
    assert_eq!(w[0].base_version, 1);
    assert_eq!(w[1].value, VerdictValue::Met);
    assert_eq!(w[1].note, note);
    assert_eq!(w[1].base_version, 2, "based on the first step");
    assert!(
        w.iter()
            .all(|w| w.cause == Cause::Edit && w.criterion == "TT4")
    );
    for w in w {
        let v = Verdict {
            value: w.value,
            note: w.note.clone(),
            reviewer: "an".into(),
            decided_at: at(),
            version: w.base_version + 1,
        };
        update(
            &mut m,
            Msg::Saved(Saved::Verdict {
                write: w,
                verdict: v,
            }),
        );
    }
    let i = m.index().of_id("VPUBND").expect("subject");
    assert_eq!(m.index().value(i, 3), VerdictValue::Met);
    assert!(!m.index().entries[i].is_waiting());
    assert_eq!(m.index().totals.waiting, 1);
    // Undo goes back one step: to the explanation recorded, still waiting.
    let undo = writes(&run_keys(&mut m, "u"));
    assert_eq!(undo.len(), 1);
    assert_eq!(undo[0].value, VerdictValue::NeedsExplanation);
    assert_eq!(undo[0].note, note);
}

#[test]
fn n_closes_as_not_met_and_esc_writes_nothing() {
    let mut m = model(Lang::En, false);
    run_keys(&mut m, "fff<enter>");
    let fx = run_keys(&mut m, "nno reply<esc>");
    assert!(writes(&fx).is_empty(), "Esc leaves it waiting");
    // n with nothing typed: only the verdict, the note kept.
    let w = writes(&run_keys(&mut m, "n<enter>"));
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].value, VerdictValue::NotMet);
    assert_eq!(w[0].note, "Chờ báo cáo bổ sung");
}

#[test]
fn the_export_dialog_lists_them_first_with_their_notes() {
    let mut m = model(Lang::En, false);
    run_keys(&mut m, "x");
    let buf = draw(&m);
    let first = find(&buf, "VPUBND Văn phòng UBND tỉnh · TT4").expect("listed");
    let second = find(&buf, "STP Sở Tư pháp · TT2").expect("listed");
    assert!(first.1 < second.1);
    assert!(row(&buf, first.1 + 1).contains("    Chờ báo cáo bổ sung"));
    assert!(row(&buf, second.1 + 1).contains("    Thiếu kế hoạch"));
    let pending = find(&buf, "TT1: not yet").expect("then the pending ones");
    assert!(pending.1 > second.1);
}
