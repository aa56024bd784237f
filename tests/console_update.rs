//! The console's `update`, driven by key strings as a reviewer would type them, without a
//! terminal. Pure tests look at the model and the effects; session tests run the same keys
//! through `Session` on a real sled store in a temporary folder and read the store back.

use std::sync::Arc;

use chrono::Utc;
use thidua::app::{
    Effect, Failed, Init, Mode, Model, Msg, Pane, Role, SaveState, Saved, Write, update,
};
use thidua::domain::{Cause, InitiativeStatus, Lang, Scale, Scope, Verdict, VerdictValue};
use thidua::runtime::Session;
use thidua::store::{Actor, Store, VerdictWrite};

use crate::console;
use console::{at, keys, run_keys, sample_store};

fn init(lang: Lang) -> Init {
    console::sample_init(lang, "an", vec![])
}

fn current_name(model: &Model) -> String {
    model
        .current_entry()
        .map(|e| e.subject.name.clone())
        .unwrap_or_default()
}

fn criterion_id(model: &Model) -> String {
    model
        .current_criterion()
        .map(|c| c.id.clone())
        .unwrap_or_default()
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

// ---- pure update ---------------------------------------------------------------------------

#[test]
fn moving_skips_headings_and_follows_home_end_and_pages() {
    let mut m = Model::new(init(Lang::Vi));
    assert_eq!(current_name(&m), "Văn phòng UBND tỉnh");
    run_keys(&mut m, "jj");
    assert_eq!(current_name(&m), "Sở Tư pháp");
    run_keys(&mut m, "k<up>");
    assert_eq!(current_name(&m), "Văn phòng UBND tỉnh");
    run_keys(&mut m, "<end>");
    let last = current_name(&m);
    run_keys(&mut m, "<home>");
    assert_eq!(current_name(&m), "Văn phòng UBND tỉnh");
    run_keys(&mut m, "G");
    assert_eq!(current_name(&m), last);
    run_keys(&mut m, "g<pgdn>");
    assert!(m.selected_row() > 10, "a page moves a screenful");
    run_keys(&mut m, "<pgup>");
    assert_eq!(current_name(&m), "Văn phòng UBND tỉnh");
}

#[test]
fn reading_a_review_stops_when_the_one_waiting_gives_up() {
    use thidua::runtime::session::{LoadProgress, load_init_counting};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let progress = LoadProgress::default();
    let init = load_init_counting(
        &store,
        "an",
        Lang::Vi,
        Role::Reviewer,
        false,
        (80, 24),
        &progress,
    )
    .expect("read");
    assert_eq!(init.index.entries.len(), 535);
    assert_eq!(
        progress.subjects.load(std::sync::atomic::Ordering::Relaxed),
        535
    );
    progress
        .cancelled
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let given_up = load_init_counting(
        &store,
        "an",
        Lang::Vi,
        Role::Reviewer,
        false,
        (80, 24),
        &progress,
    );
    assert!(given_up.is_err(), "a given-up reading returns no console");
}

#[test]
fn t_returns_to_the_subject_each_list_had_selected() {
    let mut m = Model::new(init(Lang::Vi));
    run_keys(&mut m, "jj");
    let unit = current_name(&m);
    run_keys(&mut m, "t");
    let first_person = current_name(&m);
    run_keys(&mut m, "jjj");
    let person = current_name(&m);
    assert_ne!(person, first_person);
    run_keys(&mut m, "t");
    assert_eq!(current_name(&m), unit, "back on the unit");
    run_keys(&mut m, "t");
    assert_eq!(current_name(&m), person, "back on the civil servant");
}

#[test]
fn esc_in_the_criteria_goes_back_to_the_subjects() {
    let mut m = Model::new(init(Lang::Vi));
    run_keys(&mut m, "<enter>");
    assert_eq!(m.focus(), Pane::Criteria);
    run_keys(&mut m, "<esc>");
    assert_eq!(m.focus(), Pane::Subjects);
}

#[test]
fn panes_switch_with_tab_and_h_l_and_enter_opens_criteria() {
    let mut m = Model::new(init(Lang::Vi));
    assert_eq!(m.focus(), Pane::Subjects);
    run_keys(&mut m, "<tab>");
    assert_eq!(m.focus(), Pane::Criteria);
    run_keys(&mut m, "<s-tab>");
    assert_eq!(m.focus(), Pane::Subjects);
    run_keys(&mut m, "l");
    assert_eq!(m.focus(), Pane::Criteria);
    run_keys(&mut m, "jj");
    assert_eq!(criterion_id(&m), "TT3");
    run_keys(&mut m, "h<left>");
    assert_eq!(m.focus(), Pane::Subjects);
    run_keys(&mut m, "<right><left>j<enter>");
    assert_eq!(m.focus(), Pane::Criteria);
    assert_eq!(current_name(&m), "Sở Nội vụ");
    assert_eq!(criterion_id(&m), "TT1");
}

#[test]
fn a_verdict_shows_saving_until_saved_and_then_the_value_and_time() {
    let mut m = Model::new(init(Lang::Vi));
    let fx = run_keys(&mut m, "<enter>y");
    let writes = saves(&fx);
    assert_eq!(writes.len(), 1);
    let w = writes[0].clone();
    assert_eq!(
        (w.subject.as_str(), w.criterion.as_str()),
        ("VPUBND", "TT1")
    );
    assert_eq!(w.value, VerdictValue::Met);
    assert_eq!(w.base_version, 0);
    assert_eq!(*m.save_state(), SaveState::Saving);
    let e = m
        .index()
        .entries
        .iter()
        .find(|e| e.subject.id == "VPUBND")
        .expect("entry");
    assert_eq!(
        m.index()
            .value(m.index().of_id(&e.subject.id).expect("entry"), 0),
        VerdictValue::Pending,
        "old value until saved"
    );
    assert!(m.is_saving("VPUBND", "TT1"));
    assert_eq!(criterion_id(&m), "TT2", "the cursor moves on at once");

    let time = at("2021-12-01T03:04:00Z");
    update(
        &mut m,
        Msg::Saved(Saved::Verdict {
            write: w.clone(),
            verdict: Verdict {
                value: VerdictValue::Met,
                note: String::new(),
                reviewer: "an".into(),
                decided_at: time,
                version: 1,
            },
        }),
    );
    assert_eq!(*m.save_state(), SaveState::Saved(time));
    let e = m
        .index()
        .entries
        .iter()
        .find(|e| e.subject.id == "VPUBND")
        .expect("entry");
    assert_eq!(
        m.index()
            .value(m.index().of_id(&e.subject.id).expect("entry"), 0),
        VerdictValue::Met
    );
    assert_eq!(e.decided, 1);
    assert_eq!(m.index().totals.decided, 1);
    assert!(!m.is_saving("VPUBND", "TT1"));
}

#[test]
fn a_failed_save_keeps_the_old_value_and_says_so() {
    let mut m = Model::new(init(Lang::En));
    let fx = run_keys(&mut m, "<enter>y");
    let w = saves(&fx).remove(0);
    update(
        &mut m,
        Msg::SaveFailed(Failed {
            write: Write::Verdict(w),
            error: "disk full".into(),
        }),
    );
    assert_eq!(*m.save_state(), SaveState::Failed("disk full".into()));
    let e = m.current_entry().expect("entry");
    assert_eq!(
        m.index()
            .value(m.index().of_id(&e.subject.id).expect("entry"), 0),
        VerdictValue::Pending
    );
    assert!(m.pending().is_empty());
}

#[test]
fn n_and_c_open_the_editor_and_esc_leaves_the_reason_empty() {
    let mut m = Model::new(init(Lang::Vi));
    let fx = run_keys(&mut m, "<enter>n");
    assert!(
        saves(&fx).is_empty(),
        "nothing is written before the reason"
    );
    assert!(matches!(m.mode(), Mode::Editor(_)));
    let fx = run_keys(&mut m, "<esc>");
    let w = saves(&fx).remove(0);
    assert_eq!((w.value, w.note.as_str()), (VerdictValue::NotMet, ""));
    assert_eq!(*m.mode(), Mode::Normal);
    assert_eq!(criterion_id(&m), "TT2");

    // The built-in Telex is off until C-t switches it on.
    let fx = run_keys(&mut m, "c<c-t>Thieeus hoof sow<enter>");
    let w = saves(&fx).remove(0);
    assert_eq!(w.value, VerdictValue::NeedsExplanation);
    assert_eq!(w.note, "Thiếu hồ sơ");
    assert_eq!(criterion_id(&m), "TT3");
}

#[test]
fn the_editor_switches_input_method_and_accepts_pastes() {
    let mut m = Model::new(init(Lang::Vi));
    run_keys(&mut m, "<enter>e");
    assert_eq!(
        m.ime(),
        thidua::app::InputMethod::Off,
        "plain input by default"
    );
    run_keys(&mut m, "<c-t>");
    assert_eq!(m.ime(), thidua::app::InputMethod::Telex);
    run_keys(&mut m, "<c-t>Vie65t Nam <c-t>x");
    update(&mut m, Msg::Paste(" — Sở Nội vụ".into()));
    let Mode::Editor(ed) = m.mode() else {
        panic!("editor open")
    };
    assert_eq!(ed.input.value(), "Việt Nam x — Sở Nội vụ");
    run_keys(&mut m, "<bs><bs>");
    let fx = run_keys(&mut m, "<enter>");
    let w = saves(&fx).remove(0);
    assert_eq!(w.note, "Việt Nam x — Sở Nội");
    assert_eq!(w.value, VerdictValue::Pending, "e keeps the verdict");
    assert_eq!(criterion_id(&m), "TT1", "e does not move on");
}

#[test]
fn search_ignores_diacritics_enter_keeps_and_esc_clears() {
    let mut m = Model::new(init(Lang::Vi));
    run_keys(&mut m, "/so noi vu");
    assert_eq!(current_name(&m), "Sở Nội vụ");
    run_keys(&mut m, "<enter>");
    assert_eq!(*m.mode(), Mode::Normal);
    assert_eq!(current_name(&m), "Sở Nội vụ");
    assert!(
        m.list().len() > 100,
        "the full list is back, the subject kept"
    );

    run_keys(&mut m, "/dang");
    let found: Vec<String> = m
        .list()
        .iter()
        .filter_map(|r| match r {
            thidua::app::Row::Subject(i) => Some(m.index().entries[*i].subject.name.clone()),
            _ => None,
        })
        .collect();
    assert!(found.iter().any(|n| n.starts_with("Đặng")), "{found:?}");
    assert!(found.iter().all(|n| thidua::text::fold(n).contains("dang")));
    run_keys(&mut m, "<esc>");
    assert_eq!(current_name(&m), "Sở Nội vụ");

    run_keys(&mut m, "/dang thanh hau<enter>");
    assert_eq!(current_name(&m), "Đặng Thành Hậu");
    assert_eq!(m.kind(), thidua::app::Kind::Individuals);

    run_keys(&mut m, "/VPUBND.P01<enter>");
    assert_eq!(current_name(&m), "Trung tâm Phục vụ hành chính công tỉnh");
}

#[test]
fn filters_cycle_and_t_switches_to_individuals_grouped_by_unit() {
    let mut m = Model::new(init(Lang::Vi));
    let all = m.list().len();
    run_keys(&mut m, "f");
    assert_eq!(m.filter(), thidua::app::Filter::Pending);
    assert_eq!(m.list().len(), all, "everything is pending at first");
    run_keys(&mut m, "f");
    assert_eq!(m.filter(), thidua::app::Filter::Attention);
    assert!(m.list().is_empty());
    run_keys(&mut m, "f");
    assert_eq!(m.filter(), thidua::app::Filter::Waiting);
    assert!(m.list().is_empty());
    run_keys(&mut m, "ff");
    assert_eq!(m.filter(), thidua::app::Filter::All);
    run_keys(&mut m, "t");
    let e = m.current_entry().expect("an individual");
    assert!(e.individual);
    assert!(matches!(m.list()[0], thidua::app::Row::Unit(_)));
    assert_eq!(m.criteria_count(), 4);
}

#[test]
fn t_back_and_forth_reuses_a_list_only_while_it_still_holds() {
    let mut m = Model::new(init(Lang::Vi));
    let collectives = m.list().to_vec();
    run_keys(&mut m, "tjt");
    assert_eq!(
        m.list(),
        collectives,
        "the collectives come back as they were"
    );
    run_keys(&mut m, "ff");
    assert_eq!(m.filter(), thidua::app::Filter::Attention);
    assert!(m.list().is_empty());
    run_keys(&mut m, "t");
    // While the individuals show, a collective gets a "not met": the stashed empty list of
    // collectives needing attention is stale and must not come back.
    let i = m
        .index()
        .entries
        .iter()
        .position(|e| e.subject.id == "VPUBND")
        .expect("entry");
    let verdict = Verdict {
        value: VerdictValue::NotMet,
        note: "thiếu hồ sơ".into(),
        reviewer: "binh".into(),
        decided_at: at("2021-12-01T03:04:00Z"),
        version: 1,
    };
    let criterion = m.group_of(&m.index().entries[i]).expect("a group").criteria[0]
        .id
        .clone();
    update(
        &mut m,
        Msg::External(thidua::domain::Change::Verdict {
            subject: "VPUBND".into(),
            criterion,
            verdict,
        }),
    );
    assert_eq!(m.index().value(i, 0), VerdictValue::NotMet);
    run_keys(&mut m, "t");
    assert_eq!(
        m.list(),
        vec![
            thidua::app::Row::Tier(m.index().entries[i].tier()),
            thidua::app::Row::Subject(i)
        ]
    );
    assert_eq!(current_name(&m), m.index().entries[i].subject.name);
}

#[test]
fn viewers_are_refused_every_change() {
    let mut i = init(Lang::En);
    i.role = Role::Viewer;
    let mut m = Model::new(i);
    let fx = run_keys(&mut m, "<enter>yncu<c-r>");
    assert!(saves(&fx).is_empty());
    assert!(m.notice().is_some_and(|n| n.error));
    assert_eq!(*m.mode(), Mode::Normal);
}

#[test]
fn points_criteria_take_digits_then_enter() {
    let mut i = init(Lang::En);
    for c in &mut i.campaign.groups[1].criteria {
        c.scale = Scale::Points(10);
    }
    i.campaign.groups[1].qualifying_total = Some(30);
    let mut m = Model::new(i);
    let fx = run_keys(&mut m, "t<enter>7<enter>10<enter>11<enter>");
    let w = saves(&fx);
    assert_eq!(w.len(), 2);
    assert_eq!(
        w[0].value,
        VerdictValue::Score(thidua::domain::Points::whole(7))
    );
    assert_eq!(
        w[1].value,
        VerdictValue::Score(thidua::domain::Points::whole(10))
    );
    assert!(
        m.notice().is_some_and(|n| n.error),
        "11 is over the maximum"
    );
}

#[test]
fn help_and_initiatives_overlays_open_and_close_with_esc() {
    let mut m = Model::new(init(Lang::Vi));
    run_keys(&mut m, "?");
    assert!(m.help_open());
    run_keys(&mut m, "<esc>");
    assert!(!m.help_open());
    run_keys(&mut m, "ji");
    assert!(matches!(m.mode(), Mode::Initiatives(_)));
    run_keys(&mut m, "?");
    assert!(m.help_open());
    run_keys(&mut m, "<esc><esc>");
    assert_eq!(*m.mode(), Mode::Normal);
}

#[test]
fn the_screen_follows_resizes() {
    let mut m = Model::new(init(Lang::Vi));
    run_keys(&mut m, "<end>");
    update(
        &mut m,
        Msg::Resize {
            width: 60,
            height: 16,
        },
    );
    assert!(m.selected_row() >= m.list_offset());
    assert!(m.selected_row() < m.list_offset() + thidua::app::geometry::subject_rows(16));
}

// ---- sessions on a real store ---------------------------------------------------------------

fn session(store: &Arc<Store>, who: &str) -> Session {
    Session::new(store.clone(), who, Lang::Vi, Role::Reviewer, false, 80, 24).expect("session")
}

fn press(s: &mut Session, spec: &str) -> bool {
    let mut alive = true;
    for k in keys(spec) {
        alive = s.handle(Msg::Key(k));
    }
    alive
}

fn value(store: &Store, subject: &str, criterion: &str) -> VerdictValue {
    store
        .verdict(subject, criterion)
        .expect("read")
        .map_or(VerdictValue::Pending, |v| v.value)
}

#[test]
fn a_whole_unit_takes_one_key_per_criterion_then_the_next_unit_comes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let mut s = session(&store, "an");
    press(&mut s, "<enter>yyyyyyyyyy");
    for c in 1..=10 {
        assert_eq!(
            value(&store, "VPUBND", &format!("TT{c}")),
            VerdictValue::Met
        );
    }
    let done = s
        .model
        .index()
        .entries
        .iter()
        .find(|e| e.subject.id == "VPUBND")
        .expect("entry");
    assert_eq!(done.outcome, thidua::domain::Outcome::Qualified);
    assert_eq!(current_name(&s.model), "Sở Nội vụ");
    assert_eq!(criterion_id(&s.model), "TT1");
    assert_eq!(s.model.focus(), Pane::Criteria);
    assert!(matches!(s.model.save_state(), SaveState::Saved(_)));
    // `]` skips the finished unit when coming back.
    press(&mut s, "h<home>]");
    assert_eq!(current_name(&s.model), "Sở Nội vụ");
}

#[test]
fn undo_and_redo_are_audited_and_refuse_to_overwrite_someone_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let mut a = session(&store, "an");
    press(&mut a, "<enter>y");
    assert_eq!(value(&store, "VPUBND", "TT1"), VerdictValue::Met);
    press(&mut a, "u");
    assert_eq!(value(&store, "VPUBND", "TT1"), VerdictValue::Pending);
    press(&mut a, "<c-r>");
    assert_eq!(value(&store, "VPUBND", "TT1"), VerdictValue::Met);
    press(&mut a, "jyy");
    assert_eq!(value(&store, "VPUBND", "TT3"), VerdictValue::Met);
    press(&mut a, "uu");
    assert_eq!(value(&store, "VPUBND", "TT2"), VerdictValue::Pending);
    assert_eq!(value(&store, "VPUBND", "TT3"), VerdictValue::Pending);
    press(&mut a, "<c-r><c-r>uu");
    assert_eq!(value(&store, "VPUBND", "TT1"), VerdictValue::Met);
    assert_eq!(value(&store, "VPUBND", "TT2"), VerdictValue::Pending);
    assert_eq!(value(&store, "VPUBND", "TT3"), VerdictValue::Pending);
    let causes: Vec<Cause> = store
        .audit(Some("VPUBND"))
        .expect("audit")
        .into_iter()
        .map(|e| e.cause)
        .collect();
    assert_eq!(
        causes,
        [
            Cause::Edit,
            Cause::Undo,
            Cause::Redo,
            Cause::Edit,
            Cause::Edit
        ]
        .into_iter()
        .chain([Cause::Undo; 2])
        .chain([Cause::Redo; 2])
        .chain([Cause::Undo; 2])
        .collect::<Vec<_>>()
    );

    // Someone else changes it; the undo is refused and the reviewer chooses.
    let mut b = session(&store, "binh");
    press(&mut b, "<enter><home>n<esc>");
    assert_eq!(value(&store, "VPUBND", "TT1"), VerdictValue::NotMet);
    a.poll_changes();
    press(&mut a, "u");
    assert!(a.model.conflict().is_some(), "the reviewer is told");
    assert_eq!(value(&store, "VPUBND", "TT1"), VerdictValue::NotMet);
    assert!(
        a.model
            .conflict()
            .as_ref()
            .is_some_and(|c| c.text.args.iter().any(|a| a.contains("binh")))
    );
    press(&mut a, "k");
    assert!(a.model.conflict().is_none());
    assert_eq!(
        value(&store, "VPUBND", "TT1"),
        VerdictValue::Pending,
        "kept mine: the undo"
    );
    // The other session hears of it.
    b.poll_changes();
    let e = b
        .model
        .index()
        .entries
        .iter()
        .find(|e| e.subject.id == "VPUBND")
        .expect("entry");
    assert_eq!(
        b.model
            .index()
            .value(b.model.index().of_id(&e.subject.id).expect("entry"), 0),
        VerdictValue::Pending
    );
}

#[test]
fn taking_theirs_in_a_conflict_leaves_their_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let mut a = session(&store, "an");
    let mut b = session(&store, "binh");
    press(&mut b, "<enter>y");
    press(&mut a, "<enter>n<esc>");
    assert!(a.model.conflict().is_some(), "a stale write is refused");
    press(&mut a, "t");
    assert!(a.model.conflict().is_none());
    assert_eq!(value(&store, "VPUBND", "TT1"), VerdictValue::Met);
    let e = a.model.current_entry().expect("entry");
    assert_eq!(
        a.model
            .index()
            .value(a.model.index().of_id(&e.subject.id).expect("entry"), 0),
        VerdictValue::Met,
        "their value is on screen"
    );
}

#[test]
fn initiatives_are_recognised_with_authority_decision_date_and_scope_and_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let mut s = session(&store, "an");
    press(&mut s, "/ke hoach va dau tu<enter>i");
    assert!(matches!(s.model.mode(), Mode::Initiatives(_)));
    press(&mut s, "r");
    press(&mut s, "<enter>");
    let Mode::Initiatives(view) = s.model.mode() else {
        panic!("initiatives")
    };
    assert!(
        view.form.as_ref().is_some_and(|f| f.error.is_some()),
        "authority is required"
    );
    press(
        &mut s,
        "<c-t>Giams ddoocs Sowr<tab>12/QDD-SKHDT<tab><tab> <enter>",
    );
    let init = store.initiative("SK015").expect("read").expect("SK015");
    assert_eq!(init.status, InitiativeStatus::Recognized);
    let r = init.recognition.expect("recognition");
    assert_eq!(r.authority, "Giám đốc Sở");
    assert_eq!(r.decision, "12/QĐ-SKHDT");
    assert_eq!(r.scope, Scope::Tinh);
    // The date defaults to a day of the campaign's period: today while it runs, else its
    // last day (the sample's ended on 31/12/2021).
    let period = store.campaign().period.clone();
    let today = Utc::now()
        .with_timezone(&thidua::domain::vietnam())
        .date_naive();
    assert_eq!(
        r.decided_on,
        today.min(period.end).max(period.start).min(today),
        "the date defaults to a day of the campaign's period"
    );
    press(&mut s, "x");
    assert_eq!(
        store
            .initiative("SK015")
            .expect("read")
            .expect("SK015")
            .status,
        InitiativeStatus::NotRecognized
    );
    press(&mut s, "-");
    assert_eq!(
        store
            .initiative("SK015")
            .expect("read")
            .expect("SK015")
            .status,
        InitiativeStatus::Submitted
    );
    press(&mut s, "uu");
    let back = store.initiative("SK015").expect("read").expect("SK015");
    assert_eq!(back.status, InitiativeStatus::Recognized);
    let last = store.audit(Some("SKHDT")).expect("audit");
    assert_eq!(last.last().map(|e| e.cause), Some(Cause::Undo));
}

#[test]
fn reopening_returns_to_the_same_subject_criterion_and_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    {
        let mut s = session(&store, "an");
        press(&mut s, "/dang thanh hau<enter><enter>jj");
        assert!(!press(&mut s, "q"), "q quits");
    }
    let s = session(&store, "an");
    assert_eq!(current_name(&s.model), "Đặng Thành Hậu");
    assert_eq!(criterion_id(&s.model), "CN3");
    assert_eq!(s.model.kind(), thidua::app::Kind::Individuals);
    assert_eq!(s.model.focus(), Pane::Criteria);
    let other = session(&store, "binh");
    assert_eq!(
        current_name(&other.model),
        "Văn phòng UBND tỉnh",
        "positions are per reviewer"
    );
}

#[test]
fn notes_are_stored_nfc_and_a_missing_reason_is_flagged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let mut s = session(&store, "an");
    press(&mut s, "<enter>n<esc>");
    let v = store
        .verdict("VPUBND", "TT1")
        .expect("read")
        .expect("verdict");
    assert!(v.missing_reason());
    press(&mut s, "k");
    press(&mut s, "e");
    s.handle(Msg::Paste(
        "Thie\u{0302}\u{0301}u ba\u{0301}o ca\u{0301}o".into(),
    ));
    press(&mut s, "<enter>");
    let v = store
        .verdict("VPUBND", "TT1")
        .expect("read")
        .expect("verdict");
    assert_eq!(v.note, "Thiếu báo cáo");
    assert!(!v.missing_reason());
    assert_eq!(v.value, VerdictValue::NotMet);
}

#[test]
fn sessions_can_move_between_threads() {
    fn assert_send<T: Send + 'static>() {}
    assert_send::<Session>();
    assert_send::<Model>();
}

#[test]
fn an_import_elsewhere_reloads_the_console_and_keeps_its_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let mut s = session(&store, "an");
    press(&mut s, "/so noi vu<enter><enter>jj");
    let new = thidua::domain::Subject {
        id: "SNV.P99".into(),
        name: "Phòng Thử nghiệm".into(),
        tier: "province_unit".into(),
        parent: Some("SNV".into()),
        registered_on: None,
    };
    store
        .upsert_subjects(&[new], "more.csv", &Actor::new("admin", Utc::now()))
        .expect("import");
    assert!(s.poll_changes(), "the change is noticed");
    assert!(s.model.index().of_id("SNV.P99").is_some());
    assert_eq!(current_name(&s.model), "Sở Nội vụ");
    assert_eq!(criterion_id(&s.model), "TT3");
    assert!(!s.poll_changes(), "nothing more");
}

#[test]
fn a_change_made_while_the_note_editor_is_open_comes_back_as_a_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let mut a = session(&store, "an");
    let mut b = session(&store, "binh");
    press(&mut a, "<enter>n");
    assert!(
        matches!(a.model.mode(), Mode::Editor(_)),
        "n opens the editor"
    );
    press(&mut b, "<enter>y");
    assert!(a.poll_changes(), "a sees b's verdict arrive while typing");
    press(&mut a, "Chuaw cos<enter>");
    assert!(
        a.model.conflict().is_some(),
        "the note was begun on the old value: the reviewer is asked, nothing is overwritten"
    );
    assert_eq!(value(&store, "VPUBND", "TT1"), VerdictValue::Met);
}
