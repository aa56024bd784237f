//! Opening a database and loading what the console starts from (subjects, verdicts,
//! initiatives), at province scale (2,000 collectives, 30,000 individuals) and at 10× that,
//! with 60 % of verdict slots decided. The databases are bulk-built once per run from the seeded
//! generator through `store::backup::restore` (whose database gets a change journal starting
//! with a checkpoint of everything at its first open). `open/…` is `Store::open` alone.
//!
//! The console's own start: `index_built/…` is `Store::open` and the index read from every
//! subject and verdict (what a start without a current snapshot costs); `index_snapshot/…` is
//! `Store::open` and the index read from the snapshot beside the database (`SharedIndex`, at
//! the journal's current head), and `snapshot_only/…` the same with the store already open;
//! `usable_snapshot/…` is all a local console does before it
//! can take keys: open, index from the snapshot, `Model::new` (with the reviewer's place and
//! the locks) and the first 80×24 frame.

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::Role;
use thidua::domain::Lang;
use thidua::interchange::campaign;
use thidua::runtime::Session;
use thidua::runtime::session::LoadProgress;
use thidua::runtime::shared_index::{SNAPSHOT_FILE, SharedIndex, Source, build_index};
use thidua::store::{Store, backup};

/// Opens the store and makes its index the way a console does; panics unless it came from
/// `expected`.
fn index_from(path: &std::path::Path, expected: Source) -> usize {
    let store = std::sync::Arc::new(Store::open(path).expect("open"));
    let shared = SharedIndex::new(store);
    let (index, made) = shared
        .current_from(&LoadProgress::default())
        .expect("index");
    assert_eq!(made, Some(expected));
    index.entries.len()
}

/// Waits until the snapshot written after a build is in place.
fn wait_for_snapshot(path: &std::path::Path) {
    let file = path.join(SNAPSHOT_FILE);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while !file.exists() {
        assert!(std::time::Instant::now() < until, "no snapshot at {file:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn startup(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = campaign::sample();
    let mut group = c.benchmark_group("startup");
    group.sample_size(10);
    for (name, collectives, individuals) in [
        ("province", 2_000, 30_000),
        ("province_x10", 20_000, 300_000),
    ] {
        let path = dir.path().join(name);
        let body = thidua::synth::database(&sample, collectives, individuals, 60, 42);
        drop(backup::restore(&path, &body).expect("bulk load"));
        drop(body);
        let journal_bytes: u64 = std::fs::read_dir(path.join(thidua::store::journal::DIR))
            .expect("journal")
            .filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum();
        println!("figure: {name}: change journal {journal_bytes} bytes");
        // `Store::open` alone: sled's open plus the journal's check (every record's checksums
        // and the hash chain) and the replay of what sled has not applied (nothing here).
        group.bench_function(format!("open/{name}"), |b| {
            b.iter(|| Store::open(&path).expect("open").subject_count())
        });
        group.bench_function(format!("open_and_load/{name}"), |b| {
            b.iter(|| {
                let store = Store::open(&path).expect("open");
                let subjects = store.subjects().expect("subjects");
                let verdicts = store.verdicts().expect("verdicts");
                let initiatives = store.initiatives().expect("initiatives");
                (subjects.len(), verdicts.len(), initiatives.len())
            })
        });
        group.bench_function(format!("index_built/{name}"), |b| {
            b.iter(|| {
                let store = Store::open(&path).expect("open");
                build_index(&store, &LoadProgress::default())
                    .expect("index")
                    .entries
                    .len()
            })
        });
        // The first start builds the index and writes the snapshot beside the database.
        index_from(&path, Source::Built);
        wait_for_snapshot(&path);
        let bytes = std::fs::metadata(path.join(SNAPSHOT_FILE)).map_or(0, |m| m.len());
        println!("figure: {name}: index snapshot {bytes} bytes");
        group.bench_function(format!("index_snapshot/{name}"), |b| {
            b.iter(|| index_from(&path, Source::Snapshot))
        });
        // The snapshot's part alone: the store is open already (as the server's is).
        let open = std::sync::Arc::new(Store::open(&path).expect("open"));
        group.bench_function(format!("snapshot_only/{name}"), |b| {
            b.iter(|| {
                let (index, made) = SharedIndex::new(open.clone())
                    .current_from(&LoadProgress::default())
                    .expect("index");
                assert_eq!(made, Some(Source::Snapshot));
                index.entries.len()
            })
        });
        drop(open);
        group.bench_function(format!("usable_snapshot/{name}"), |b| {
            b.iter(|| {
                let store = std::sync::Arc::new(Store::open(&path).expect("open"));
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
                session.model.list().len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
