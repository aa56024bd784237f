//! The console's cost per keystroke and at start, at province scale (2,000 collectives, 30,000
//! individuals) and at 10× that: `update` plus a full 80×24 `view` on ratatui's TestBackend for
//! representative keys (j, PgDn, y with the store's answer fed back, switching to individuals,
//! opening help), search as you type ("so noi vu" one key at a time), `Model::new`, and the
//! whole start to the first frame (open the store, load, build the model, draw).
//!
//! Criterion gives the distributions; because the targets are stated as a median and a 99th
//! percentile, each case is also timed in a plain loop and its median, p99 and maximum printed
//! (lines starting `figure:`), together with the parts of the start.
//!
//! Typing is measured apart (`typing/…`): one key typed and taken back in a note already
//! 1 K, 4 K (the most a note holds), 16 K and 64 K characters long, through the Telex input
//! method, the cursor at the end and in the middle; the cost must not grow with the length
//! (in the middle, the bytes after the cursor are moved, a `memmove` of at most the note).
//!
//! `t` that has to build its list (`lists/…`): the first switch to the individuals, with no
//! list kept from before (what every console's first `t` costs).
//!
//! `THIDUA_BENCH=keys` runs only the keystroke cases, `THIDUA_BENCH=start` only the start,
//! `THIDUA_BENCH=typing` only typing, `THIDUA_BENCH=lists` only the list builds;
//! `THIDUA_SCALE=province` or `province_x10` only one scale.

use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Effect, Index, Init, Model, Msg, Role, Saved, update};
use thidua::domain::{Lang, Verdict};
use thidua::interchange::campaign;
use thidua::store::{Store, backup};

const SCALES: [(&str, usize, usize); 2] = [
    ("province", 2_000, 30_000),
    ("province_x10", 20_000, 300_000),
];

/// Whether the part `name` and the scale `scale` were asked for (both by default).
fn wanted(name: &str, scale: &str) -> bool {
    let part = std::env::var("THIDUA_BENCH").map_or(true, |v| v == name);
    let size = std::env::var("THIDUA_SCALE").map_or(true, |v| v == scale);
    part && size
}

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
    let initiatives: Vec<_> = body.initiatives.iter().map(|n| n.value.clone()).collect();
    Init {
        index: Index::build(&body.campaign, subjects, verdicts, initiatives),
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

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// One keystroke as the driver handles it: update, the store's answers fed back (a save is
/// acknowledged at once, as a durable commit would be), then a frame.
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
    terminal_draw(model, term);
}

fn terminal_draw(model: &Model, term: &mut Terminal<TestBackend>) {
    term.draw(|f| thidua::ui::view(model, f)).expect("draw");
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(80, 24)).expect("terminal")
}

/// Median, 99th percentile and maximum of a sample.
fn summary(mut d: Vec<Duration>) -> (Duration, Duration, Duration) {
    d.sort();
    let at = |q: f64| d[((d.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99), d[d.len() - 1])
}

fn print_figure(name: &str, d: Vec<Duration>) {
    let n = d.len();
    let (median, p99, max) = summary(d);
    println!("figure: {name}: median {median:?}, p99 {p99:?}, max {max:?} (n = {n})");
}

/// The keys measured, each with what undoes its effect on the position so a loop can repeat it.
fn cases() -> Vec<(&'static str, Vec<Msg>)> {
    vec![
        ("j", vec![key(KeyCode::Char('j'))]),
        ("k", vec![key(KeyCode::Char('k'))]),
        ("pgdn", vec![key(KeyCode::PageDown)]),
        ("pgup", vec![key(KeyCode::PageUp)]),
        ("toggle_kind", vec![key(KeyCode::Char('t'))]),
        ("help_open", vec![key(KeyCode::Char('?'))]),
        ("help_close", vec![key(KeyCode::Esc)]),
    ]
}

fn keystrokes(c: &mut Criterion) {
    let sample = campaign::sample();
    for (scale, collectives, individuals) in SCALES {
        if !wanted("keys", scale) {
            continue;
        }
        let body = thidua::synth::database(&sample, collectives, individuals, 60, 42);
        let started = Instant::now();
        let mut model = Model::new(init(&body));
        println!(
            "figure: {scale}: Model::new {:?} ({} subjects)",
            started.elapsed(),
            body.subjects.len()
        );
        let mut term = terminal();
        terminal_draw(&model, &mut term);

        // Plain timed loops for the percentiles.
        let mut times: Vec<(&str, Vec<Duration>)> =
            cases().iter().map(|(n, _)| (*n, Vec::new())).collect();
        for round in 0..400 {
            for (k, (_, msgs)) in cases().into_iter().enumerate() {
                // Move down for half the rounds and back up for the other half.
                if (k == 1 || k == 3) && round % 2 == 0 {
                    continue;
                }
                let t = Instant::now();
                for m in msgs {
                    press(&mut model, &mut term, m);
                }
                times[k].1.push(t.elapsed());
            }
        }
        for (name, d) in times {
            print_figure(&format!("{scale}: key {name} (update + 80x24 frame)"), d);
        }
        // Scoring: y on a criterion, the Saved answer fed back, then the frame.
        let mut model_y = model.clone();
        press(&mut model_y, &mut term, key(KeyCode::Enter));
        let mut d = Vec::new();
        for _ in 0..2000 {
            let t = Instant::now();
            press(&mut model_y, &mut term, key(KeyCode::Char('y')));
            d.push(t.elapsed());
        }
        print_figure(&format!("{scale}: key y + Saved (update + 80x24 frame)"), d);

        // Search as you type over every subject.
        let mut per_key: Vec<Vec<Duration>> = vec![Vec::new(); 10];
        for _ in 0..30 {
            let t = Instant::now();
            press(&mut model, &mut term, key(KeyCode::Char('/')));
            per_key[0].push(t.elapsed());
            for (i, ch) in "so noi vu".chars().enumerate() {
                let t = Instant::now();
                press(&mut model, &mut term, key(KeyCode::Char(ch)));
                per_key[i + 1].push(t.elapsed());
            }
            press(&mut model, &mut term, key(KeyCode::Esc));
        }
        let all: Vec<Duration> = per_key.iter().flatten().copied().collect();
        for (i, d) in per_key.into_iter().enumerate() {
            let label = if i == 0 {
                "/".to_string()
            } else {
                format!("{:?}", "so noi vu".chars().nth(i - 1).unwrap_or(' '))
            };
            print_figure(&format!("{scale}: search key {label}"), d);
        }
        print_figure(&format!("{scale}: search, every key"), all);
        // The same keys without drawing: how much of a search key is the filtering itself.
        let mut d = Vec::new();
        for _ in 0..10 {
            update(&mut model, key(KeyCode::Char('/')));
            for ch in "so noi vu".chars() {
                let t = Instant::now();
                update(&mut model, key(KeyCode::Char(ch)));
                d.push(t.elapsed());
            }
            update(&mut model, key(KeyCode::Esc));
        }
        print_figure(&format!("{scale}: search, every key, update only"), d);

        let mut group = c.benchmark_group(format!("console/{scale}"));
        group.sample_size(50);
        for (name, msgs) in cases() {
            if name == "help_close" {
                continue;
            }
            group.bench_function(format!("key_{name}"), |b| {
                let mut m = model.clone();
                let mut t = terminal();
                b.iter(|| {
                    for msg in msgs.iter().cloned() {
                        press(&mut m, &mut t, msg);
                    }
                    if name == "help_open" {
                        press(&mut m, &mut t, key(KeyCode::Esc));
                    }
                })
            });
        }
        group.bench_function("key_y_saved", |b| {
            let mut m = model_y.clone();
            let mut t = terminal();
            b.iter(|| press(&mut m, &mut t, key(KeyCode::Char('y'))))
        });
        group.bench_function("search_so_noi_vu_whole_word", |b| {
            let mut m = model.clone();
            let mut t = terminal();
            b.iter(|| {
                press(&mut m, &mut t, key(KeyCode::Char('/')));
                for ch in "so noi vu".chars() {
                    press(&mut m, &mut t, key(KeyCode::Char(ch)));
                }
                press(&mut m, &mut t, key(KeyCode::Esc));
            })
        });
        group.sample_size(10);
        group.bench_function("model_new", |b| {
            b.iter_batched(|| init(&body), Model::new, BatchSize::LargeInput)
        });
        group.finish();
    }
}

/// From an existing database to the first frame: open, load, build the model, draw.
fn start_to_first_frame(c: &mut Criterion) {
    let sample = campaign::sample();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut group = c.benchmark_group("console_start");
    group.sample_size(10);
    for (scale, collectives, individuals) in SCALES {
        if !wanted("start", scale) {
            continue;
        }
        let path = dir.path().join(scale);
        let body = thidua::synth::database(&sample, collectives, individuals, 60, 42);
        drop(backup::restore(&path, &body).expect("bulk load"));
        drop(body);
        let first_frame = || {
            let t0 = Instant::now();
            let store = Store::open(&path).expect("open");
            let t1 = Instant::now();
            let init = thidua::runtime::session::load_init(
                &store,
                "nguyen.van.a",
                Lang::Vi,
                Role::Reviewer,
                false,
                80,
                24,
            )
            .expect("load");
            let t2 = Instant::now();
            let model = Model::new(init);
            let t3 = Instant::now();
            let mut term = terminal();
            terminal_draw(&model, &mut term);
            let t4 = Instant::now();
            (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0)
        };
        let mut parts = Vec::new();
        for _ in 0..5 {
            parts.push(first_frame());
        }
        let pick = |f: fn(&(Duration, Duration, Duration, Duration, Duration)) -> Duration| {
            summary(parts.iter().map(f).collect()).0
        };
        println!(
            "figure: {scale}: start to the console's first frame median {:?} = open {:?} + load and index {:?} + Model::new {:?} + first frame {:?} (n = 5)",
            pick(|p| p.4),
            pick(|p| p.0),
            pick(|p| p.1),
            pick(|p| p.2),
            pick(|p| p.3),
        );
        // The load split by what it reads.
        {
            let store = Store::open(&path).expect("open");
            let t = Instant::now();
            let subjects = store.subjects().expect("subjects");
            let ts = t.elapsed();
            let t = Instant::now();
            let verdicts = store.verdicts().expect("verdicts");
            let tv = t.elapsed();
            let t = Instant::now();
            let initiatives = store.initiatives().expect("initiatives");
            let ti = t.elapsed();
            println!(
                "figure: {scale}: load parts: {} subjects {ts:?}, {} verdicts {tv:?}, {} initiatives {ti:?}",
                subjects.len(),
                verdicts.len(),
                initiatives.len()
            );
        }
        group.bench_function(format!("open_load_model_frame/{scale}"), |b| {
            b.iter(first_frame)
        });
    }
    group.finish();
}

/// One key typed and taken back in a note of each length (the field's maximum lifted for the
/// longer ones, to show the cost does not depend on the length). `k` is no Telex mark, so the
/// input method looks at the word and types it as itself, and the backspace restores the text.
fn typing(c: &mut Criterion) {
    use thidua::app::{InputMethod, TextInput};
    if std::env::var("THIDUA_BENCH").is_ok_and(|v| v != "typing") {
        return;
    }
    let mut group = c.benchmark_group("typing");
    for len in [1_000usize, 4_000, 16_000, 64_000] {
        let text: String = "Hồ sơ thiếu biên bản họp xét. "
            .chars()
            .cycle()
            .take(len)
            .collect();
        for (place, middle) in [("end", false), ("middle", true)] {
            let mut input = TextInput::new(&text).with_max(usize::MAX);
            if middle {
                input.home();
                for _ in 0..len / 2 {
                    input.right();
                }
            }
            group.bench_function(format!("key_and_backspace/{len}/{place}"), |b| {
                b.iter(|| {
                    input.type_char('k', InputMethod::Telex);
                    input.backspace();
                })
            });
            let mut times = Vec::with_capacity(2000);
            for _ in 0..2000 {
                let t = Instant::now();
                input.type_char('k', InputMethod::Telex);
                input.backspace();
                times.push(t.elapsed());
            }
            print_figure(&format!("typing/key_and_backspace/{len}/{place}"), times);
        }
    }
    group.finish();
}

/// `t` with no list kept: the model as a console holds it after its first frame (the
/// collectives listed, nothing stashed), then `t` builds the individuals' list (300,000 rows at
/// ×10) and draws.
fn list_builds(c: &mut Criterion) {
    let sample = campaign::sample();
    for (scale, collectives, individuals) in SCALES {
        if !wanted("lists", scale) {
            continue;
        }
        let body = thidua::synth::database(&sample, collectives, individuals, 60, 42);
        let model = Model::new(init(&body));
        drop(body);
        let mut term = terminal();
        terminal_draw(&model, &mut term);
        let mut to_individuals = Vec::new();
        for _ in 0..100 {
            let mut m = model.clone();
            let t = Instant::now();
            press(&mut m, &mut term, key(KeyCode::Char('t')));
            to_individuals.push(t.elapsed());
        }
        print_figure(
            &format!("{scale}: key t building the individuals' list"),
            to_individuals,
        );
        let mut group = c.benchmark_group(format!("lists/{scale}"));
        group.sample_size(20);
        group.bench_function("key_t_build_individuals", |b| {
            let mut t = terminal();
            b.iter_batched(
                || model.clone(),
                |mut m| {
                    press(&mut m, &mut t, key(KeyCode::Char('t')));
                    m
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

criterion_group!(
    benches,
    keystrokes,
    start_to_first_frame,
    typing,
    list_builds
);
criterion_main!(benches);
