//! The local console's start past `Store::open` (which `benches/startup.rs` measures with the
//! rest), at province scale (2,000 collectives, 30,000 individuals) and at 10× that, with 60 %
//! of verdict slots decided: what reading the index's snapshot and making the console cost
//! once the database is open.

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::Role;
use thidua::domain::Lang;
use thidua::interchange::campaign;
use thidua::runtime::Session;
use thidua::runtime::session::LoadProgress;
use thidua::runtime::shared_index::{SNAPSHOT_FILE, SharedIndex, Source};
use thidua::store::{Store, backup};

/// When the snapshot beside the database at `path` was last written, if it is there.
fn written_at(path: &std::path::Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path.join(SNAPSHOT_FILE))
        .and_then(|m| m.modified())
        .ok()
}

/// Waits until the snapshot written after a build replaced the one written at `before`.
fn wait_for_snapshot(path: &std::path::Path, before: Option<std::time::SystemTime>) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while written_at(path).is_none() || written_at(path) == before {
        assert!(
            std::time::Instant::now() < until,
            "no new snapshot in {path:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The local console's start past `Store::open`, part by part: the snapshot read and checked
/// (`snapshot_read/…`: the file read, its head and campaign checked, decoded into an index),
/// and all of it (`usable_after_open/…`: the shared index from the snapshot, `Model::new`
/// with the locks and assignments, the first 80×24 frame). The store is opened before each
/// sample, outside the measurement, and what a sample made is dropped outside it too (a start
/// drops nothing). `THIDUA_SCALE` picks one scale; `THIDUA_BENCH_DB` names a folder where the
/// databases are kept between runs (made on the first), so a run does not restore them again.
fn after_open(c: &mut Criterion) {
    use criterion::BatchSize;
    let kept = std::env::var_os("THIDUA_BENCH_DB").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().expect("tempdir");
    let root = kept.unwrap_or_else(|| temp.path().to_path_buf());
    let sample = campaign::sample();
    let mut group = c.benchmark_group("startup");
    group.sample_size(10);
    for (name, collectives, individuals) in [
        ("province", 2_000, 30_000),
        ("province_x10", 20_000, 300_000),
    ] {
        if std::env::var("THIDUA_SCALE").is_ok_and(|s| s != name) {
            continue;
        }
        let path = root.join(format!("after_open-{name}"));
        if !path.join("made").exists() {
            let _ = std::fs::remove_dir_all(&path);
            let body = thidua::synth::database(&sample, collectives, individuals, 60, 42);
            drop(backup::restore(&path, &body).expect("bulk load"));
            std::fs::write(path.join("made"), b"").expect("mark");
        }
        // A snapshot of this build's format at the current head (made now if there is none
        // or it is of another format).
        let before = written_at(&path);
        let store = std::sync::Arc::new(Store::open(&path).expect("open"));
        let (_, made) = SharedIndex::new(store.clone())
            .current_from(&LoadProgress::default())
            .expect("index");
        drop(store);
        if made == Some(Source::Built) {
            wait_for_snapshot(&path, before);
        }
        let bytes = std::fs::metadata(path.join(SNAPSHOT_FILE)).map_or(0, |m| m.len());
        println!("figure: {name}: index snapshot {bytes} bytes");
        let open = || std::sync::Arc::new(Store::open(&path).expect("open"));
        group.bench_function(format!("snapshot_read/{name}"), |b| {
            b.iter_batched(
                open,
                |store| {
                    let (index, made) = SharedIndex::new(store)
                        .current_from(&LoadProgress::default())
                        .expect("index");
                    assert_eq!(made, Some(Source::Snapshot));
                    index
                },
                BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("usable_after_open/{name}"), |b| {
            b.iter_batched(
                open,
                |store| {
                    let session = Session::open(
                        store,
                        "an",
                        Lang::Vi,
                        Role::Reviewer,
                        false,
                        (80, 24),
                        &LoadProgress::default(),
                    )
                    .expect("session");
                    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
                    term.draw(|f| thidua::ui::view(&session.model, f))
                        .expect("draw");
                    session
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, after_open);
criterion_main!(benches);
