//! Durable commit cost, measured in one run against what it must be compared with:
//! - `thidua_verdict`: `Store::set_verdict` (the change's journal record written, directly
//!   when the commit is alone, and made durable with one `fdatasync`; sled is given the record
//!   by the store's applier thread after the commit returns) on a province-scale database
//!   (2,000 collectives, 30,000 individuals), the write carrying its cell as the console's do.
//!   Commits follow each other at once here; the interleaved loop below has each one after a
//!   pause (the applier asleep), as a reviewer's keys come;
//! - `thidua_verdict_by_ids`: the same write without its cell, looked up by the text ids (as
//!   a write from a test or a script is);
//! - `thidua_verdict_nosync`: `thidua_verdict` with the journal's `fdatasync` made a no-op
//!   and frames written through the page cache (`Store::bench_journal_sync`): the commit's own
//!   work beside the device's round trip (never durable; a measure only);
//! - `cell_lookup/*`: finding the cell alone (no commit), with the cell carried and checked
//!   (one read by number) and by the ids (two reads by id, one by number, the record decoded);
//! - `raw_fsync_4k`: a raw 4 KiB write + fsync on the same disk, the floor for any durable write;
//! - `sqlite_wal_full`: SQLite in WAL mode with synchronous=FULL committing the same record
//!   and its audit row in one transaction: what a user would pick instead;
//! - `raw_fdatasync_written_512`: 512 bytes written into space already written (zeros) +
//!   `fdatasync`, the floor of the journal's own design (its frames go into space written ahead).
//!
//! Then group commit, as plain timed runs (`figure:` lines, not criterion): N threads (1, 4, 8,
//! 30: the sessions of a server) each committing verdicts on subjects of their own as fast as
//! they can; printed: commits per second, commits per `fdatasync` (`Store::journal_syncs`), and
//! each commit's time (p50, p99).

use std::io::{Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use thidua::domain::{Cause, VerdictValue};
use thidua::interchange::campaign;
use thidua::store::{Actor, Cell, Store, VerdictWrite};

/// Commits the `n`th verdict of the bench on `subject` (its id and number): met or not met in
/// turn, on the individuals' first criterion, from the version last committed, with the cell
/// as the console's writes carry it or by the ids.
fn commit_one(
    store: &Store,
    actor: &Actor,
    (subject, no): &(String, u32),
    n: usize,
    with_cell: bool,
    versions: &mut std::collections::HashMap<String, u64>,
) {
    let w = VerdictWrite {
        subject: subject.clone(),
        criterion: "CN1".into(),
        value: if n.is_multiple_of(2) {
            VerdictValue::Met
        } else {
            VerdictValue::NotMet
        },
        note: "Đã kiểm tra hồ sơ minh chứng".into(),
        base_version: versions.get(subject).copied().unwrap_or(0),
        cause: Cause::Edit,
        // CN1 is the first criterion of the individuals' group.
        cell: with_cell.then_some(Cell {
            subject_no: *no,
            criterion: 0,
        }),
    };
    let v = store.set_verdict(&w, actor).expect("commit");
    versions.insert(subject.clone(), v.version);
}

fn commit(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let actor = Actor::new("bench", Utc::now());
    let store = Store::create(&dir.path().join("db"), &campaign::sample(), &actor).expect("create");
    let population = thidua::synth::population(2_000, 30_000, 42);
    store
        .upsert_subjects(&population.subjects, "synth", &actor)
        .expect("roster");
    let ids: Vec<(String, u32)> = population
        .subjects
        .iter()
        .filter(|s| s.tier == "individual")
        .map(|s| {
            let no = store.subject_no(&s.id).expect("read").expect("number");
            (s.id.clone(), no)
        })
        .collect();

    let mut group = c.benchmark_group("durable_commit");
    group.sample_size(200);
    let mut n = 0usize;
    let mut versions = std::collections::HashMap::new();
    for (name, with_cell, sync) in [
        ("thidua_verdict", true, true),
        ("thidua_verdict_by_ids", false, true),
        ("thidua_verdict_nosync", true, false),
    ] {
        store.bench_journal_sync(sync);
        group.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                commit_one(
                    &store,
                    &actor,
                    &ids[n % ids.len()],
                    n,
                    with_cell,
                    &mut versions,
                );
            })
        });
    }
    store.bench_journal_sync(true);

    let raw_path = dir.path().join("raw.bin");
    let mut raw = std::fs::File::create(&raw_path).expect("raw file");
    let block = [0x5au8; 4096];
    let mut k = 0u64;
    group.bench_function("raw_fsync_4k", |b| {
        b.iter(|| {
            k = (k + 1) % 1024;
            raw.seek(SeekFrom::Start(k * 4096)).expect("seek");
            raw.write_all(&block).expect("write");
            raw.sync_all().expect("fsync");
        })
    });

    let sqlite = rusqlite::Connection::open(dir.path().join("sqlite.db")).expect("sqlite");
    sqlite
        .execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
             CREATE TABLE verdict(subject TEXT, criterion TEXT, value TEXT, note TEXT,
                                  reviewer TEXT, decided_at TEXT, version INTEGER,
                                  PRIMARY KEY(subject, criterion));
             CREATE TABLE audit(seq INTEGER PRIMARY KEY, event TEXT);",
        )
        .expect("schema");
    let mut m = 0usize;
    group.bench_function("sqlite_wal_full", |b| {
        b.iter(|| {
            m += 1;
            let (subject, _) = &ids[m % ids.len()];
            let tx = sqlite.unchecked_transaction().expect("tx");
            tx.execute(
                "INSERT INTO verdict VALUES (?1, 'CN1', ?2, 'Đã kiểm tra hồ sơ minh chứng', 'bench', ?3, 1)
                 ON CONFLICT(subject, criterion) DO UPDATE SET value = excluded.value,
                 decided_at = excluded.decided_at, version = version + 1",
                rusqlite::params![subject, if m.is_multiple_of(2) { "met" } else { "not_met" }, Utc::now().to_rfc3339()],
            )
            .expect("verdict");
            tx.execute(
                "INSERT INTO audit(event) VALUES (?1)",
                rusqlite::params![format!("{{\"subject\":\"{subject}\",\"criterion\":\"CN1\"}}")],
            )
            .expect("audit");
            tx.commit().expect("commit");
        })
    });
    let written_path = dir.path().join("written.bin");
    let written = std::fs::File::create(&written_path).expect("written file");
    written.write_all_at(&vec![0u8; 1 << 20], 0).expect("zeros");
    written.sync_all().expect("fsync");
    let sector = [0x5au8; 512];
    let mut w = 0u64;
    group.bench_function("raw_fdatasync_written_512", |b| {
        b.iter(|| {
            w = (w + 1) % 2048;
            written.write_all_at(&sector, w * 512).expect("write");
            written.sync_data().expect("fdatasync");
        })
    });
    group.finish();

    let mut lookup = c.benchmark_group("cell_lookup");
    for (name, with_cell) in [("carried", true), ("by_ids", false)] {
        let mut k = 0usize;
        lookup.bench_function(name, |b| {
            b.iter(|| {
                k += 1;
                let (subject, no) = &ids[k % ids.len()];
                let w = VerdictWrite {
                    subject: subject.clone(),
                    criterion: "CN4".into(),
                    value: VerdictValue::Met,
                    note: String::new(),
                    base_version: 0,
                    cause: Cause::Edit,
                    cell: with_cell.then_some(Cell {
                        subject_no: *no,
                        criterion: 3,
                    }),
                };
                let cell = store.resolve_verdict_cell(&w).expect("cell");
                assert_eq!(cell, (*no, 3));
            })
        });
    }
    lookup.finish();
    // The same four, interleaved (one of each per round), so that a change in the disk's load
    // (other work on the machine) falls on all four alike: medians and p90 per kind. The
    // verdict is committed with its cell in even rounds and by the ids in odd ones
    // (`thidua_verdict_by_ids`), so each kind of commit has half the rounds.
    let rounds: usize = std::env::var("THIDUA_INTERLEAVED_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let mut times: [Vec<Duration>; 5] = Default::default();
    for round in 0..rounds {
        // As the console commits (the cell carried), and in every other round as a script
        // does (by the ids): each commit comes after the three others, as a reviewer's key
        // does after a pause, never straight after another commit.
        let (kind, with_cell) = if round % 2 == 1 {
            (4, false)
        } else {
            (0, true)
        };
        let at = Instant::now();
        n += 1;
        commit_one(
            &store,
            &actor,
            &ids[n % ids.len()],
            n,
            with_cell,
            &mut versions,
        );
        times[kind].push(at.elapsed());

        let at = Instant::now();
        k = (k + 1) % 1024;
        raw.seek(SeekFrom::Start(k * 4096)).expect("seek");
        raw.write_all(&block).expect("write");
        raw.sync_all().expect("fsync");
        times[1].push(at.elapsed());

        let at = Instant::now();
        m += 1;
        let (subject, _) = &ids[m % ids.len()];
        let tx = sqlite.unchecked_transaction().expect("tx");
        tx.execute(
            "INSERT INTO verdict VALUES (?1, 'CN1', ?2, 'Đã kiểm tra hồ sơ minh chứng', 'bench', ?3, 1)
             ON CONFLICT(subject, criterion) DO UPDATE SET value = excluded.value,
             decided_at = excluded.decided_at, version = version + 1",
            rusqlite::params![subject, if m.is_multiple_of(2) { "met" } else { "not_met" }, Utc::now().to_rfc3339()],
        )
        .expect("verdict");
        tx.execute(
            "INSERT INTO audit(event) VALUES (?1)",
            rusqlite::params![format!(
                "{{\"subject\":\"{subject}\",\"criterion\":\"CN1\"}}"
            )],
        )
        .expect("audit");
        tx.commit().expect("commit");
        times[2].push(at.elapsed());

        let at = Instant::now();
        w = (w + 1) % 2048;
        written.write_all_at(&sector, w * 512).expect("write");
        written.sync_data().expect("fdatasync");
        times[3].push(at.elapsed());
    }
    // The free-space check a commit makes before writing (`Journal::room`): one `fstatvfs`.
    let statvfs_calls = 20_000u32;
    let journal_file =
        std::fs::File::open(dir.path().join("db").join("journal")).expect("journal folder");
    let at = Instant::now();
    for _ in 0..statvfs_calls {
        std::hint::black_box(rustix::fs::fstatvfs(&journal_file).expect("fstatvfs"));
    }
    println!(
        "figure: fstatvfs (the free-space check of a commit): {:.2?} per call",
        at.elapsed() / statvfs_calls
    );
    let names = [
        "thidua_verdict",
        "raw_fsync_4k",
        "sqlite_wal_full",
        "raw_fdatasync_written_512",
        "thidua_verdict_by_ids",
    ];
    let mut medians = [0f64; 5];
    for (i, t) in times.iter_mut().enumerate() {
        t.sort();
        let q = |q: f64| t[((t.len() as f64 * q) as usize).min(t.len() - 1)];
        medians[i] = q(0.5).as_secs_f64() * 1e6;
        println!(
            "figure: interleaved, {rounds} rounds: {}: median {:.2?}, p90 {:.2?}",
            names[i],
            q(0.5),
            q(0.9)
        );
    }
    println!(
        "figure: interleaved: thidua_verdict / raw_fsync_4k = {:.2}, thidua_verdict / sqlite_wal_full = {:.2} (medians)",
        medians[0] / medians[1],
        medians[0] / medians[2]
    );
    println!(
        "figure: interleaved: thidua_verdict_by_ids / raw_fsync_4k = {:.2}, thidua_verdict_by_ids / sqlite_wal_full = {:.2} (medians)",
        medians[4] / medians[1],
        medians[4] / medians[2]
    );
    drop(store);

    // How much of the journal a verdict's record takes (frame, padding included).
    let mut offsets = Vec::new();
    thidua::store::journal::scan(&dir.path().join("db").join("journal"), |r, at| {
        if r.kind == thidua::store::journal::KIND_CHANGE {
            offsets.push((at.no, at.offset));
        }
    })
    .expect("a sound journal");
    let steps: Vec<u64> = offsets
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| w[1].1 - w[0].1)
        .collect();
    // The last records are the verdicts committed above.
    let mut last: Vec<u64> = steps.iter().rev().take(1000).copied().collect();
    last.sort();
    if let (Some(min), Some(max)) = (last.first(), last.last()) {
        println!(
            "figure: a verdict's journal frame takes {min}–{max} bytes (median {}, last {} records)",
            last[last.len() / 2],
            last.len()
        );
    }

    let names: Vec<String> = ids.into_iter().map(|(id, _)| id).collect();
    group_commit(&dir.path().join("db"), &names);
}

/// N threads committing at once: commits per second, per `fdatasync`, and each commit's time.
fn group_commit(db: &std::path::Path, ids: &[String]) {
    let per_thread: usize = std::env::var("THIDUA_GROUP_COMMITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    for threads in [1usize, 4, 8, 30] {
        let store = Arc::new(Store::open(db).expect("open"));
        let syncs_before = store.journal_syncs();
        let head_before = store.head().map_or(0, |h| h.0);
        let started = Instant::now();
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let store = store.clone();
                // Subjects of this thread only, so no commit meets a conflict.
                let mine: Vec<String> = ids
                    .iter()
                    .skip(t)
                    .step_by(threads)
                    .take(per_thread)
                    .cloned()
                    .collect();
                std::thread::spawn(move || {
                    let actor = Actor::new(format!("bench{t}"), Utc::now());
                    let mut times = Vec::with_capacity(mine.len());
                    for subject in mine {
                        let base = store
                            .verdict(&subject, "CN2")
                            .expect("read")
                            .map_or(0, |v| v.version);
                        let w = VerdictWrite {
                            subject,
                            criterion: "CN2".into(),
                            value: VerdictValue::Met,
                            note: "Đã kiểm tra hồ sơ minh chứng".into(),
                            base_version: base,
                            cause: Cause::Edit,
                            cell: None,
                        };
                        let at = Instant::now();
                        store.set_verdict(&w, &actor).expect("commit");
                        times.push(at.elapsed());
                    }
                    times
                })
            })
            .collect();
        let mut times: Vec<Duration> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("thread"))
            .collect();
        let took = started.elapsed();
        let commits = store.head().map_or(0, |h| h.0) - head_before;
        let syncs = store.journal_syncs() - syncs_before;
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "figure: group commit, {threads} thread(s): {commits} commits in {took:.2?} ({:.0}/s), {syncs} fdatasyncs ({:.2} commits per sync), commit time p50 {:.2?}, p99 {:.2?}",
            commits as f64 / took.as_secs_f64(),
            commits as f64 / syncs.max(1) as f64,
            at(0.5),
            at(0.99),
        );
        drop(store);
    }
}

criterion_group!(benches, commit);
criterion_main!(benches);
