//! Review by criterion (`b`) on the pure core and its screen: one criterion across the subjects
//! of a tier, a decision moving on to the next subject, the criteria pane's keys and write path
//! (reasons, scores, hints), the pending filter, undo and redo, conflicts, locks, reloads, Esc
//! back to where the reviewer was; and `Y` giving full points on a points campaign. Snapshots
//! at 80×24 in Vietnamese and English, with the colours of the verdicts checked on cells.

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use thidua::app::{
    ConflictReport, CriterionFilter, Effect, Index, Init, Mode, Model, Msg, Pane, Role, Row, Saved,
    Write, update,
};
use thidua::commands::init::Contents;
use thidua::domain::{Cause, Lang, Points, Verdict, VerdictValue};
use thidua::store::{self, VerdictWrite};
use thidua::ui::Words;

use crate::console::{self, run_keys, sample_init};

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

/// Keys, with every write answered as saved.
fn press(model: &mut Model, keys: &str) -> Vec<VerdictWrite> {
    let w = writes(&run_keys(model, keys));
    save_all(model, w.clone());
    w
}

/// The subject `id` selected, with criterion `c` selected in the criteria pane.
fn on(model: &mut Model, id: &str, c: usize) {
    console::select(model, id);
    run_keys(model, "<enter>g");
    run_keys(model, &"j".repeat(c));
    assert_eq!(model.selected_criterion(), c);
}

/// The ids of the subjects listed in review by criterion.
fn listed(model: &Model) -> Vec<String> {
    model
        .list()
        .iter()
        .map(|r| match r {
            Row::Subject(i) => model.index().entries[*i].subject.id.clone(),
            other => panic!("a heading in review by criterion: {other:?}"),
        })
        .collect()
}

fn current_id(model: &Model) -> String {
    model
        .current_entry()
        .map(|e| e.subject.id.clone())
        .unwrap_or_default()
}

fn draw(model: &Model) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(model.size().0, model.size().1)).expect("terminal");
    t.draw(|f| thidua::ui::view(model, f)).expect("draw");
    t.backend().buffer().clone()
}

fn screen(model: &Model) -> String {
    let buf = draw(model);
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The twenty-one provincial agencies (sở, ban, ngành) of the sample roster, in list order.
pub fn agencies(model: &Model) -> Vec<String> {
    let tier = model
        .campaign()
        .tiers
        .iter()
        .position(|t| t.id == "province_agency")
        .expect("tier");
    model
        .index()
        .order_of(thidua::app::Kind::Collectives)
        .iter()
        .filter(|&&i| model.index().entries[i].tier() == tier)
        .map(|&i| model.index().entries[i].subject.id.clone())
        .collect()
}

#[test]
fn every_subject_takes_one_key_on_one_criterion() {
    let mut m = Model::new(sample_init(Lang::Vi, "an", Vec::new()));
    let all = agencies(&m);
    assert_eq!(all.len(), 21);
    on(&mut m, "VPUBND", 8);
    let back = (
        m.list().to_vec(),
        m.selected_row(),
        m.selected_criterion(),
        m.focus(),
    );
    assert!(run_keys(&mut m, "b").is_empty(), "entering writes nothing");
    assert_eq!(listed(&m), all, "every subject of the tier, in list order");
    assert_eq!(current_id(&m), "VPUBND");
    let mut written = Vec::new();
    for (k, id) in all.iter().enumerate() {
        assert_eq!(current_id(&m), *id, "key {k} acts on the subject shown");
        let w = press(&mut m, "y");
        assert_eq!(w.len(), 1, "one write per key");
        written.extend(w);
    }
    let ids: Vec<&str> = written.iter().map(|w| w.subject.as_str()).collect();
    assert_eq!(ids, all.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(written.iter().all(|w| w.criterion == "TT9"
        && w.value == VerdictValue::Met
        && w.cause == Cause::Edit
        && w.base_version == 0));
    for id in &all {
        let i = m.index().of_id(id).expect("subject");
        let decided: Vec<usize> = (0..10)
            .filter(|&c| m.index().value(i, c).is_decided())
            .collect();
        assert_eq!(decided, [8], "{id}: only TT9 decided");
    }
    // At the end of the list it stays on the last subject and says so.
    assert_eq!(current_id(&m), all[20]);
    assert!(
        thidua::ui::notice_text(&m).is_some_and(
            |n| n.contains("Mọi đối tượng trong danh sách đã có kết luận tiêu chí TT9")
        ),
        "{:?}",
        m.notice()
    );
    // Esc: back to where the reviewer was.
    run_keys(&mut m, "<esc>");
    assert!(m.by_criterion().is_none());
    assert_eq!(
        (
            m.list().to_vec(),
            m.selected_row(),
            m.selected_criterion(),
            m.focus()
        ),
        back
    );
    assert_eq!(current_id(&m), "VPUBND");
}

#[test]
fn the_decision_keys_work_as_in_the_criteria_pane() {
    let mut m = Model::new(sample_init(Lang::En, "an", Vec::new()));
    on(&mut m, "VPUBND", 2);
    run_keys(&mut m, "b");
    // n asks for the reason; Enter records it and moves on.
    assert!(run_keys(&mut m, "n").is_empty());
    assert!(matches!(m.mode(), Mode::Editor(e) if e.reason && e.value == VerdictValue::NotMet));
    let w = press(&mut m, "no plan<enter>");
    assert_eq!(w.len(), 1);
    assert_eq!(
        (
            w[0].subject.as_str(),
            w[0].criterion.as_str(),
            w[0].value,
            w[0].note.as_str()
        ),
        ("VPUBND", "TT3", VerdictValue::NotMet, "no plan")
    );
    assert!(m.by_criterion().is_some(), "still reviewing by criterion");
    assert_eq!(current_id(&m), "SNV");
    // c and Esc: the verdict is kept without a reason, and it moves on.
    let w = press(&mut m, "c<esc>");
    assert_eq!(w[0].value, VerdictValue::NeedsExplanation);
    assert_eq!(w[0].subject, "SNV");
    assert_eq!(current_id(&m), "STP");
    // j and k move without writing; - clears a verdict.
    assert!(press(&mut m, "kk").is_empty());
    assert_eq!(current_id(&m), "VPUBND");
    let w = press(&mut m, "-");
    assert_eq!(w[0].value, VerdictValue::Pending);
    assert_eq!(w[0].subject, "VPUBND");
    // y on a criterion waiting for an explanation: the explanation, then the resolution.
    assert_eq!(current_id(&m), "SNV");
    let w = press(&mut m, "yreport received<enter>");
    assert_eq!(w.len(), 2, "{w:?}");
    assert_eq!(w[0].value, VerdictValue::NeedsExplanation);
    assert_eq!(w[1].value, VerdictValue::Met);
    assert!(w[1].note.contains("report received"));
    assert_eq!(current_id(&m), "STP");
}

#[test]
fn a_takes_the_hint_and_the_hint_is_on_screen() {
    // TT9: registered on time or not, from the roster's registration date.
    let mut m = Model::new(sample_init(Lang::Vi, "an", Vec::new()));
    on(&mut m, "VPUBND", 8);
    run_keys(&mut m, "b");
    let hint = m.hint_for(m.current().expect("subject"), 8).expect("hint");
    let text = screen(&m);
    let head: String = hint.text.chars().take(30).collect();
    assert!(text.contains(&head), "the evidence is on screen:\n{text}");
    let w = press(&mut m, "a");
    match hint.suggested {
        Some(VerdictValue::Met) => {
            assert_eq!(w.len(), 1);
            assert_eq!(w[0].value, VerdictValue::Met);
        }
        Some(VerdictValue::NotMet) => {
            assert!(matches!(m.mode(), Mode::Editor(_)));
        }
        other => panic!("TT9 suggests a verdict: {other:?}"),
    }
}

#[test]
fn the_pending_filter_lists_and_visits_only_the_undecided() {
    let mut m = Model::new(sample_init(
        Lang::En,
        "an",
        vec![
            (5, 0, verdict(VerdictValue::Met, "")),
            (10, 0, verdict(VerdictValue::NotMet, "late")),
        ],
    ));
    let all = agencies(&m);
    on(&mut m, "VPUBND", 0);
    run_keys(&mut m, "b");
    assert_eq!(listed(&m).len(), 21);
    run_keys(&mut m, "f");
    assert_eq!(
        m.by_criterion().map(|b| b.filter),
        Some(CriterionFilter::Pending)
    );
    let ids = listed(&m);
    assert_eq!(ids.len(), 19);
    assert!(!ids.contains(&"SNV".to_string()) && !ids.contains(&"STP".to_string()));
    assert_eq!(current_id(&m), "VPUBND", "the subject shown stays selected");
    // Deciding skips nothing pending and never revisits a decided one.
    let w = press(&mut m, "yy");
    assert_eq!(w[1].subject, ids[1]);
    // ] jumps to the next pending one; after the last, round from the top.
    press(&mut m, "G");
    assert_eq!(current_id(&m), *ids.last().expect("last"));
    let w = press(&mut m, "y");
    assert_eq!(w[0].subject, *ids.last().expect("last"));
    assert_eq!(current_id(&m), ids[2], "round to the first still pending");
    // Back to all: every agency, the current one still selected.
    run_keys(&mut m, "f");
    assert_eq!(listed(&m), all);
    assert_eq!(current_id(&m), ids[2]);
}

#[test]
fn undo_and_redo_stay_in_review_by_criterion() {
    let mut m = Model::new(sample_init(Lang::En, "an", Vec::new()));
    on(&mut m, "VPUBND", 0);
    run_keys(&mut m, "b");
    press(&mut m, "yy");
    assert_eq!(current_id(&m), "STP");
    let w = press(&mut m, "u");
    assert_eq!(w.len(), 1);
    assert_eq!(
        (
            w[0].subject.as_str(),
            w[0].criterion.as_str(),
            w[0].value,
            w[0].cause
        ),
        ("SNV", "TT1", VerdictValue::Pending, Cause::Undo)
    );
    assert!(m.by_criterion().is_some());
    assert_eq!(current_id(&m), "SNV", "the undo shows its subject");
    let w = press(&mut m, "<c-r>");
    assert_eq!((w[0].value, w[0].cause), (VerdictValue::Met, Cause::Redo));
    assert_eq!(current_id(&m), "SNV");
    // An undo of a subject filtered out brings the whole list back to show it.
    run_keys(&mut m, "f");
    assert!(!listed(&m).contains(&"SNV".to_string()));
    press(&mut m, "u");
    assert_eq!(
        m.by_criterion().map(|b| b.filter),
        Some(CriterionFilter::All)
    );
    assert_eq!(current_id(&m), "SNV");
}

#[test]
fn an_undo_of_another_criterion_leaves_for_the_criteria_pane() {
    let mut m = Model::new(sample_init(Lang::En, "an", Vec::new()));
    on(&mut m, "VPUBND", 3);
    press(&mut m, "y");
    on(&mut m, "VPUBND", 0);
    run_keys(&mut m, "b");
    press(&mut m, "j");
    let w = press(&mut m, "u");
    assert_eq!(
        (w[0].subject.as_str(), w[0].criterion.as_str()),
        ("VPUBND", "TT4")
    );
    assert!(m.by_criterion().is_none(), "left to show TT4");
    assert_eq!(current_id(&m), "VPUBND");
    assert_eq!(m.selected_criterion(), 3);
    assert!(
        m.list().iter().any(|r| matches!(r, Row::Tier(_))),
        "the subject list is back"
    );
}

#[test]
fn a_conflict_is_shown_and_keep_mine_rewrites_on_their_version() {
    let mut m = Model::new(sample_init(Lang::En, "an", Vec::new()));
    on(&mut m, "VPUBND", 0);
    run_keys(&mut m, "b");
    let w = writes(&run_keys(&mut m, "y"));
    assert_eq!(
        current_id(&m),
        "SNV",
        "moved on while the write is in flight"
    );
    let mut theirs = verdict(VerdictValue::NotMet, "thiếu hồ sơ");
    theirs.version = 4;
    update(
        &mut m,
        Msg::Conflict(Box::new(ConflictReport {
            write: Write::Verdict(w[0].clone()),
            conflict: store::Conflict::Verdict {
                subject: "VPUBND".into(),
                criterion: "TT1".into(),
                current: theirs,
            },
        })),
    );
    assert!(m.conflict().is_some());
    let i = m.index().of_id("VPUBND").expect("subject");
    assert_eq!(
        m.index().value(i, 0),
        VerdictValue::NotMet,
        "their value shown"
    );
    let text = screen(&m);
    assert!(text.contains("binh"), "{text}");
    let again = writes(&run_keys(&mut m, "k"));
    assert_eq!(again.len(), 1);
    assert_eq!(
        (again[0].value, again[0].base_version),
        (VerdictValue::Met, 4)
    );
    assert!(m.conflict().is_none());
    assert!(m.by_criterion().is_some(), "still reviewing by criterion");
}

#[test]
fn a_locked_subject_and_a_viewer_are_refused() {
    let mut m = Model::new(sample_init(Lang::En, "an", Vec::new()));
    update(&mut m, Msg::Locks(vec!["SNV".into()]));
    on(&mut m, "VPUBND", 0);
    run_keys(&mut m, "b");
    press(&mut m, "y");
    assert_eq!(current_id(&m), "SNV");
    assert!(press(&mut m, "y").is_empty(), "locked");
    assert_eq!(current_id(&m), "SNV", "a refusal does not move on");
    assert!(m.notice().is_some_and(|n| n.error));
    let tag = m.tr(thidua::i18n::Key::LockedTag);
    assert!(
        screen(&m).contains(&format!("{tag} · Sở Nội vụ")),
        "{}",
        screen(&m)
    );

    let mut init = sample_init(Lang::En, "an", Vec::new());
    init.role = Role::Viewer;
    let mut m = Model::new(init);
    run_keys(&mut m, "b");
    assert!(
        m.by_criterion().is_none(),
        "b is a key of the criteria pane"
    );
    run_keys(&mut m, "<enter>b");
    assert!(m.by_criterion().is_some(), "a viewer may look");
    assert!(press(&mut m, "yyn").is_empty());
}

#[test]
fn a_reload_keeps_review_by_criterion_on_the_same_subject() {
    let mut m = Model::new(sample_init(Lang::En, "an", Vec::new()));
    on(&mut m, "VPUBND", 7);
    run_keys(&mut m, "b");
    press(&mut m, "jjj");
    let before = current_id(&m);
    update(
        &mut m,
        Msg::Reload(Box::new(sample_init(Lang::En, "an", Vec::new()))),
    );
    assert!(m.by_criterion().is_some());
    assert_eq!(m.selected_criterion(), 7);
    assert_eq!(current_id(&m), before);
    // Esc still goes back to the subject list.
    run_keys(&mut m, "<esc>");
    assert!(m.by_criterion().is_none());
    assert_eq!(m.focus(), Pane::Criteria);
}

#[test]
fn points_criteria_take_scores_and_y_gives_full_points() {
    let mut m = Model::new(points_init(Lang::Vi));
    on(&mut m, "VPUBND", 1);
    run_keys(&mut m, "b");
    let w = press(&mut m, "y");
    assert_eq!(w[0].value, VerdictValue::Score(Points::whole(10)));
    let w = press(&mut m, "7,5<enter>");
    assert_eq!(
        w[0].value,
        VerdictValue::Score(Points::from_hundredths(750))
    );
    assert_eq!(w[0].subject, "SNV");
    // Off the step: refused with the allowed range, nothing written, no move.
    let w = press(&mut m, "7,3<enter>");
    assert!(w.is_empty());
    assert!(thidua::ui::notice_text(&m).is_some_and(|n| n.contains("bước 0,5")));
    assert_eq!(current_id(&m), "STP");
    let text = screen(&m);
    assert!(text.contains("TT2"), "{text}");
    assert!(text.contains("0–10"), "{text}");
}

/// The sample roster on a campaign whose collective criteria are scored 0–10 in steps of 0.5.
fn points_init(lang: Lang) -> Init {
    let sample = Contents::sample().expect("sample");
    let campaign = thidua::interchange::campaign::parse(
        &crate::review_points::points_campaign_text(),
        "points.toml",
    )
    .expect("valid");
    let subjects = sample
        .subjects
        .into_iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    let mut init = sample_init(lang, "an", Vec::new());
    init.index = Index::build(&campaign, subjects, Vec::new(), Vec::new());
    init.campaign = campaign;
    init
}

#[test]
fn y_gives_full_points_to_the_remaining_points_criteria() {
    let mut m = Model::new(points_init(Lang::Vi));
    on(&mut m, "VPUBND", 0);
    press(&mut m, "6<enter>");
    on(&mut m, "VPUBND", 0);
    let status = |m: &Model| -> String {
        let buf = draw(m);
        (0..80).map(|x| buf[(x, 23)].symbol()).collect()
    };
    assert!(run_keys(&mut m, "Y").is_empty());
    let line = status(&m);
    assert!(
        line.contains("Cho đủ điểm 9 tiêu chí còn lại? y/n · Văn phòng UBND tỉnh"),
        "{line}"
    );
    let w = writes(&run_keys(&mut m, "y"));
    assert_eq!(w.len(), 9, "one write (one audit event) per criterion");
    assert!(
        w.iter()
            .all(|w| w.value == VerdictValue::Score(Points::whole(10)))
    );
    assert!(
        w.iter().all(|w| w.criterion != "TT1"),
        "a decided one is never touched"
    );
    assert!(status(&m).contains("Đã ghi 9 tiêu chí của Văn phòng UBND tỉnh (cho đủ điểm: 9)."));
    save_all(&mut m, w);
    let i = m.index().of_id("VPUBND").expect("subject");
    assert_eq!(m.index().value(i, 0), VerdictValue::Score(Points::whole(6)));
    assert!(m.points_line(i).is_some_and(|p| p.starts_with("96/100")));
    // One undo step takes all nine back.
    let undo = writes(&run_keys(&mut m, "u"));
    assert_eq!(undo.len(), 9);
    assert!(undo.iter().all(|w| w.value == VerdictValue::Pending));

    // English, on the sample campaign's individuals (pass/fail) nothing changes in wording.
    let mut m = Model::new(points_init(Lang::En));
    run_keys(&mut m, "t");
    run_keys(&mut m, "Y");
    assert!(
        status(&m).contains("Mark the remaining 4 criteria met? y/n"),
        "{}",
        status(&m)
    );
}

/// The snapshot screen: the province units' TT8 (recognised initiative), some decided.
fn snapshot_model(lang: Lang, no_color: bool) -> Model {
    let mut init = sample_init(
        lang,
        "nguyen.van.an",
        vec![
            (2, 7, verdict(VerdictValue::Met, "")),
            (
                3,
                7,
                verdict(
                    VerdictValue::NotMet,
                    "Quyết định công nhận ngoài thời gian xét",
                ),
            ),
            (
                4,
                7,
                verdict(VerdictValue::NeedsExplanation, "Chờ bản sao quyết định"),
            ),
        ],
    );
    init.no_color = no_color;
    let mut m = Model::new(init);
    on(&mut m, "VPUBND.P01", 7);
    run_keys(&mut m, "b");
    // SNV.P02: a recognised initiative suggests Đạt.
    run_keys(&mut m, "jjjj");
    assert_eq!(current_id(&m), "SNV.P02");
    m
}

#[test]
fn review_by_criterion_screens() {
    for (lang, suffix) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
        let m = snapshot_model(lang, false);
        insta::assert_snapshot!(format!("by_criterion_{suffix}"), screen(&m));
    }
}

/// Finds the first cell of `text` on row `y`.
fn find(buf: &Buffer, y: u16, text: &str) -> Option<u16> {
    let row: Vec<String> = (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect();
    let first = text.chars().next()?.to_string();
    (0..buf.area.width).find(|&x| {
        row[usize::from(x)] == first
            && text.chars().enumerate().all(|(k, c)| {
                row.get(usize::from(x) + k)
                    .is_some_and(|s| *s == c.to_string())
            })
    })
}

fn row_of(buf: &Buffer, text: &str) -> u16 {
    (0..buf.area.height)
        .find(|&y| find(buf, y, text).is_some())
        .unwrap_or_else(|| panic!("{text} not on screen"))
}

#[test]
fn verdicts_are_coloured_and_marked_and_the_selection_is_reversed() {
    let m = snapshot_model(Lang::Vi, false);
    let buf = draw(&m);
    let checks = [
        ("Trung tâm Phục vụ hành chính công tỉnh", "✓", Color::Green),
        ("Phòng Kiểm soát thủ tục hành chính", "✗", Color::Red),
        ("Trung tâm Công báo – Tin học tỉnh", "?", Color::Magenta),
    ];
    for (name, symbol, colour) in checks {
        let y = row_of(&buf, name);
        let x = find(&buf, y, symbol).expect("symbol");
        assert!(x < 4, "{name}: symbol at the start of its row");
        assert_eq!(buf[(x, y)].fg, colour, "{name}");
    }
    let selected = row_of(&buf, "▶ · ");
    assert!(buf[(3, selected)].modifier.contains(Modifier::REVERSED));
    // Without colour the symbols alone tell the verdicts apart.
    let m = snapshot_model(Lang::Vi, true);
    let buf = draw(&m);
    for (name, symbol, _) in checks {
        let y = row_of(&buf, name);
        let x = find(&buf, y, symbol).expect("symbol");
        assert_eq!(buf[(x, y)].fg, Color::Reset, "{name}");
    }
}

/// The tier's subjects with no verdict on the criterion, counted the slow way.
fn pending_now(model: &Model) -> usize {
    let bc = model.by_criterion().expect("reviewing by criterion");
    (0..model.index().entries.len())
        .filter(|&i| {
            model.index().entries[i].tier() == bc.tier
                && model.index().value(i, bc.criterion) == VerdictValue::Pending
        })
        .count()
}

#[test]
fn the_pending_count_follows_every_change() {
    let mut m = Model::new(sample_init(Lang::Vi, "an", Vec::new()));
    on(&mut m, "VPUBND", 0);
    run_keys(&mut m, "b");
    let count = |m: &Model| m.by_criterion().map(|b| (b.pending, b.total));
    assert_eq!(count(&m), Some((21, 21)));
    press(&mut m, "yy");
    assert_eq!(count(&m), Some((19, 21)));
    // Another reviewer decides one, then clears it again.
    let mut theirs = verdict(VerdictValue::Met, "");
    for (value, version, expected) in [(VerdictValue::Met, 1, 18), (VerdictValue::Pending, 2, 19)] {
        theirs.value = value;
        theirs.version = version;
        update(
            &mut m,
            Msg::External(store::Change::Verdict {
                subject: "SCT".into(),
                criterion: "TT1".into(),
                verdict: theirs.clone(),
            }),
        );
        assert_eq!(count(&m), Some((expected, 21)));
        assert_eq!(pending_now(&m), expected);
    }
    // A change to another criterion or another tier counts for nothing here.
    update(
        &mut m,
        Msg::External(store::Change::Verdict {
            subject: "VPUBND.P01".into(),
            criterion: "TT1".into(),
            verdict: verdict(VerdictValue::Met, ""),
        }),
    );
    assert_eq!(count(&m), Some((19, 21)));
    press(&mut m, "u");
    assert_eq!(count(&m), Some((20, 21)));
    assert_eq!(pending_now(&m), 20);
    assert!(screen(&m).contains("Còn 20/21 chưa đánh giá"));
}

#[test]
fn a_reload_without_the_criterion_ends_review_by_criterion_and_says_so() {
    let mut m = Model::new(sample_init(Lang::En, "an", Vec::new()));
    on(&mut m, "SNV", 7);
    run_keys(&mut m, "b");
    let sample = Contents::sample().expect("sample");
    let mut campaign = sample.campaign.clone();
    let group = campaign
        .groups
        .iter_mut()
        .find(|g| g.id == "collective")
        .expect("group");
    group.criteria.retain(|c| c.id != "TT8");
    let subjects = sample
        .subjects
        .into_iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    let mut init = sample_init(Lang::En, "an", Vec::new());
    init.index = Index::build(&campaign, subjects, Vec::new(), Vec::new());
    init.campaign = campaign;
    update(&mut m, Msg::Reload(Box::new(init)));
    assert!(m.by_criterion().is_none());
    assert!(
        thidua::ui::notice_text(&m)
            .is_some_and(|n| n.contains("Review by criterion closed: criterion TT8")),
        "{:?}",
        m.notice()
    );
    assert_eq!(current_id(&m), "SNV");
    assert!(m.list().iter().any(|r| matches!(r, Row::Tier(_))));
}
