//! Review by criterion at province scale (2,000 collectives, 30,000 individuals) and at 10×:
//! `b` on the individuals (one tier holding every individual: the largest list it can build),
//! and `y` there with the store's answer fed back, in the "pending" filter (so every `y` decides
//! a pending subject and moves on to the next, as when the work is being done; the synthetic
//! review has 60 % decided, some waiting for an explanation, where `y` would open an editor),
//! each followed by a full 80×24 frame on ratatui's TestBackend. Each case is also timed in a plain loop and its median, p99 and
//! maximum printed (lines starting `figure:`).
//!
//! `THIDUA_SCALE=province` or `province_x10` runs only one scale.

use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Effect, Index, Init, Mode, Model, Msg, Role, Saved, update};
use thidua::domain::{Lang, Verdict};
use thidua::interchange::campaign;
use thidua::store::backup;

const SCALES: [(&str, usize, usize); 2] = [
    ("province", 2_000, 30_000),
    ("province_x10", 20_000, 300_000),
];

fn init(body: &backup::Body) -> Init {
    let subjects = body
        .subjects
        .iter()
        .map(|n| (n.no, n.value.clone()))
        .collect();
    let verdicts = body
        .verdicts
        .iter()
        .map(|v| (v.subject_no, v.criterion_index, v.verdict.clone()));
    Init {
        index: Index::build(&body.campaign, subjects, verdicts, Vec::new()),
        campaign: body.campaign.clone(),
        reviewer: "nguyen.van.a".into(),
        lang: Lang::Vi,
        role: Role::Reviewer,
        cursor: None,
        no_color: false,
        today: chrono::NaiveDate::from_ymd_opt(2021, 12, 1).expect("date"),
        width: 80,
        height: 24,
    }
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// One keystroke as the driver handles it: update, saves acknowledged at once, then a frame.
fn press(model: &mut Model, term: &mut Terminal<TestBackend>, msg: Msg) {
    let mut queue = vec![msg];
    while let Some(msg) = queue.pop() {
        for effect in update(model, msg) {
            if let Effect::SaveVerdict(w) = effect {
                let verdict = Verdict {
                    value: w.value,
                    note: w.note.clone(),
                    reviewer: model.reviewer().to_string(),
                    decided_at: Utc::now(),
                    version: w.base_version + 1,
                };
                queue.push(Msg::Saved(Saved::Verdict { write: w, verdict }));
            }
        }
    }
    term.draw(|f| thidua::ui::view(model, f)).expect("draw");
}

fn figure(name: &str, mut d: Vec<Duration>) {
    d.sort();
    let at = |q: f64| d[((d.len() - 1) as f64 * q).round() as usize];
    println!(
        "figure: {name}: median {:?}, p99 {:?}, max {:?} (n = {})",
        at(0.5),
        at(0.99),
        d[d.len() - 1],
        d.len()
    );
}

fn by_criterion(c: &mut Criterion) {
    let sample = campaign::sample();
    for (scale, collectives, individuals) in SCALES {
        if std::env::var("THIDUA_SCALE").is_ok_and(|v| v != scale) {
            continue;
        }
        let body = thidua::synth::database(&sample, collectives, individuals, 60, 42);
        let mut model = Model::new(init(&body));
        let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        // The individuals, their first subject's criteria.
        press(&mut model, &mut term, key('t'));
        press(
            &mut model,
            &mut term,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let mut enter = Vec::new();
        for _ in 0..30 {
            let t = Instant::now();
            press(&mut model, &mut term, key('b'));
            enter.push(t.elapsed());
            assert!(model.by_criterion().is_some());
            press(
                &mut model,
                &mut term,
                Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
            );
        }
        press(&mut model, &mut term, key('b'));
        press(&mut model, &mut term, key('f'));
        println!(
            "figure: {scale}: {} subjects of the tier, {} pending listed by criterion",
            model.by_criterion().map_or(0, |b| b.total),
            model.list().len()
        );
        figure(&format!("{scale}: b (list the tier + 80x24 frame)"), enter);
        let fresh = model.clone();
        let mut y = Vec::new();
        for _ in 0..2000 {
            let t = Instant::now();
            press(&mut model, &mut term, key('y'));
            y.push(t.elapsed());
            assert!(matches!(model.mode(), Mode::Normal) && model.by_criterion().is_some());
        }
        figure(
            &format!("{scale}: y + Saved by criterion (+ 80x24 frame)"),
            y,
        );

        let mut group = c.benchmark_group(format!("by_criterion/{scale}"));
        group.sample_size(20);
        group.bench_function("key_y_saved", |b| {
            let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
            b.iter_custom(|iters| {
                let mut m = fresh.clone();
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    // Every `y` decides a pending subject: a fresh copy (not timed) when few
                    // are left.
                    if m.by_criterion().map_or(0, |b| b.pending) < 2 {
                        m = fresh.clone();
                    }
                    let started = Instant::now();
                    press(&mut m, &mut t, key('y'));
                    total += started.elapsed();
                }
                total
            })
        });
        group.bench_function("enter_and_leave", |b| {
            let mut m = model.clone();
            let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
            press(
                &mut m,
                &mut t,
                Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
            );
            b.iter(|| {
                press(&mut m, &mut t, key('b'));
                assert!(m.by_criterion().is_some());
                press(
                    &mut m,
                    &mut t,
                    Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
                );
            })
        });
        group.finish();
    }
}

criterion_group!(benches, by_criterion);
criterion_main!(benches);
