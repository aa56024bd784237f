//! Durable commit cost, measured in one run against what it must be compared with:
//! - `thidua_verdict`: `Store::set_verdict` (the change's journal record appended and made
//!   durable with one `fdatasync`, then applied to sled) on a province-scale database (2,000
//!   collectives, 30,000 individuals), the write carrying its cell as the console's do;
//! - `thidua_verdict_by_ids`: the same write without its cell, looked up by the text ids (as
//!   a write from a test or a script is);
//! - `cell_lookup/*`: finding the cell alone (no commit), with the cell carried and checked
//!   (one read by number) and by the ids (two reads by id, one by number, the record decoded);
//! - `raw_fsync_4k`: a raw 4 KiB write + fsync on the same disk, the floor for any durable write;
//! - `sqlite_wal_full`: SQLite in WAL mode with synchronous=FULL committing the same record
//!   and its audit row in one transaction: what a user would pick instead.

use std::io::{Seek, SeekFrom, Write};

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use thidua::domain::{Cause, VerdictValue};
use thidua::interchange::campaign;
use thidua::store::{Actor, Cell, Store, VerdictWrite};

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
    for (name, with_cell) in [("thidua_verdict", true), ("thidua_verdict_by_ids", false)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                let (subject, no) = &ids[n % ids.len()];
                let base = versions.get(subject).copied().unwrap_or(0);
                let w = VerdictWrite {
                    subject: subject.clone(),
                    criterion: "CN1".into(),
                    value: if n.is_multiple_of(2) {
                        VerdictValue::Met
                    } else {
                        VerdictValue::NotMet
                    },
                    note: "Đã kiểm tra hồ sơ minh chứng".into(),
                    base_version: base,
                    cause: Cause::Edit,
                    // CN1 is the first criterion of the individuals' group.
                    cell: with_cell.then_some(Cell {
                        subject_no: *no,
                        criterion: 0,
                    }),
                };
                let v = store.set_verdict(&w, &actor).expect("commit");
                versions.insert(subject.clone(), v.version);
            })
        });
    }

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
}

criterion_group!(benches, commit);
criterion_main!(benches);
