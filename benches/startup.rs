//! Opening a database and loading what the console starts from (subjects, verdicts,
//! initiatives), at province scale (2,000 collectives, 30,000 individuals) and at 10× that,
//! with 60 % of verdict slots decided. The databases are bulk-built once per run from the seeded
//! generator through `store::backup::restore` (whose database gets a change journal starting
//! with a checkpoint of everything at its first open).
//!
//! The console's own start: `index_built/…` is `Store::open` and the index read from every
//! subject and verdict (what a start without a current snapshot costs); `index_snapshot/…` is
//! `Store::open` and the index read from the snapshot beside the database (`SharedIndex`, at
//! the journal's current head), and `snapshot_only/…` the same with the store already open;
//! `usable_snapshot/…` is all a local console does before it
//! can take keys: open, index from the snapshot, `Model::new` (with the reviewer's place and
//! the locks) and the first 80×24 frame; `usable_early/…` the same as the local console does
//! it, the snapshot read and decoded on a thread of its own while the store opens.
//!
//! `open/…` is `Store::open` alone: sled's
//! open and the journal's check of what follows the last record sled applied (its mark). The
//! check of the whole chain runs beside it on a thread of its own; a `figure:` line gives how
//! long it takes after an open (`Store::journal_check`). `THIDUA_SCALE=province` (or
//! `province_x10`) builds and measures one scale only; `THIDUA_BENCH_DB=DIR` keeps the
//! databases in `DIR` between runs (made on the first), so a run does not restore them again.

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::Role;
use thidua::domain::Lang;
use thidua::interchange::campaign;
use thidua::runtime::Session;
use thidua::runtime::session::LoadProgress;
use thidua::runtime::shared_index::{Early, SNAPSHOT_FILE, SharedIndex, Source, build_index};
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

/// Draws a started console's first frame at 80×24, as a start ends; returns the console.
fn first_frame(session: Session) -> Session {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    term.draw(|f| thidua::ui::view(&session.model, f))
        .expect("draw");
    session
}

fn startup(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let kept = std::env::var_os("THIDUA_BENCH_DB").map(std::path::PathBuf::from);
    let root = kept.unwrap_or_else(|| dir.path().to_path_buf());
    let sample = campaign::sample();
    let mut group = c.benchmark_group("startup");
    group.sample_size(10);
    // `THIDUA_SCALE=province` builds and measures that scale only.
    let only = std::env::var("THIDUA_SCALE").ok();
    for (name, collectives, individuals) in [
        ("province", 2_000, 30_000),
        ("province_x10", 20_000, 300_000),
    ] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let path = root.join(format!("startup-{name}"));
        if !path.join("made").exists() {
            let _ = std::fs::remove_dir_all(&path);
            let body = thidua::synth::database(&sample, collectives, individuals, 60, 42);
            drop(backup::restore(&path, &body).expect("bulk load"));
            drop(body);
            std::fs::write(path.join("made"), b"").expect("mark");
        }
        // A kept database may carry a snapshot from an earlier run; the build below makes
        // this build's own.
        let _ = std::fs::remove_file(path.join(SNAPSHOT_FILE));
        let journal_bytes: u64 = std::fs::read_dir(path.join(thidua::store::journal::DIR))
            .expect("journal")
            .filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum();
        println!("figure: {name}: change journal {journal_bytes} bytes");
        // The first open after the bulk load writes the checkpoint; then, the whole chain's
        // check beside the console.
        drop(Store::open(&path).expect("open"));
        for _ in 0..3 {
            let at = std::time::Instant::now();
            let store = Store::open(&path).expect("open");
            let opened = at.elapsed();
            store.journal_check().expect("a clean journal");
            println!(
                "figure: {name}: Store::open {opened:.2?}; the whole chain checked beside it {:.2?} after the open began",
                at.elapsed()
            );
        }
        // `Store::open` alone: sled's open plus the journal's check from sled's mark (the
        // record there and every record after it) and the replay of what sled has not applied
        // (nothing here).
        group.bench_function(format!("open/{name}"), |b| {
            b.iter(|| Store::open(&path).expect("open").subject_count())
        });
        // sled's open alone, with the store's settings: what `Store::open` cost before the
        // journal (its other work, reading the campaign, is a few keys), in the same run.
        group.bench_function(format!("sled_open/{name}"), |b| {
            b.iter(|| {
                let db = sled::Config::new()
                    .path(&path)
                    .cache_capacity(8 << 20)
                    .flush_every_ms(Some(500))
                    .open()
                    .expect("sled");
                let mut n = 0;
                for tree in thidua::store::journal::tree::NAMES {
                    n += usize::from(db.open_tree(tree).expect("tree").is_empty());
                }
                drop(db);
                // sled lets go of its lock a moment after the last handle; a dropped `Store`
                // waits for that too.
                let file = std::fs::File::open(path.join("db")).expect("sled's file");
                while file.try_lock().is_err() {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                let _ = file.unlock();
                n
            })
        });
        // The journal's part of an open alone: the record at sled's mark and what follows.
        let mark = {
            let db = sled::Config::new().path(&path).open().expect("sled");
            let v = db
                .open_tree("meta")
                .expect("meta")
                .get(thidua::store::commit::APPLIED)
                .expect("read")
                .expect("a mark");
            thidua::store::journal::Mark::decode(&v).expect("a whole mark")
        };
        let file = std::fs::File::open(path.join("db")).expect("sled's file");
        while file.try_lock().is_err() {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let _ = file.unlock();
        let dir = path.join(thidua::store::journal::DIR);
        group.bench_function(format!("journal_tail_check/{name}"), |b| {
            b.iter(|| {
                thidua::store::journal::scan_after(&dir, &mark, |_| false, |_, _| {})
                    .expect("sound")
                    .expect("the mark's record")
                    .seq
            })
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
            b.iter_batched(
                || (),
                |()| {
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
                    first_frame(session)
                },
                // What a start made is dropped outside the measurement (a start drops nothing).
                criterion::BatchSize::PerIteration,
            )
        });
        // The local console's own start: the snapshot read and decoded on a thread of its own
        // while the store opens (`Early`), then checked against the store; the model and the
        // first frame as above. `usable_snapshot` is the same done one after the other.
        group.bench_function(format!("usable_early/{name}"), |b| {
            b.iter_batched(
                || (),
                |()| {
                    let early = Early::start(&path);
                    let store = std::sync::Arc::new(Store::open(&path).expect("open"));
                    let index = SharedIndex::with_early(store, early);
                    let session = Session::open_shared(
                        &index,
                        "an",
                        Lang::Vi,
                        Role::Reviewer,
                        false,
                        (80, 24),
                        &LoadProgress::default(),
                    )
                    .expect("session");
                    first_frame(session)
                },
                // What a start made is dropped outside the measurement (a start drops nothing).
                criterion::BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
