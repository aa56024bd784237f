//! Roster import at province scale and ten times that: a CSV of 32,000 and 320,000 subjects
//! (province agencies and their units, districts and communes, then individuals) read, checked
//! and written into a fresh database, the way `thidua import roster FILE` does it
//! (`plan_roster` with `write`). Peak memory is measured on the release binary with
//! `/usr/bin/time -v` (docs/PERFORMANCE.md); criterion measures the time.
//!
//! `cargo bench --features bench --bench import -- --warm-up-time 1 --measurement-time 3 roster_import`

use std::io::Write;
use std::path::Path;

use chrono::Utc;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use thidua::commands::import::plan_roster;
use thidua::interchange::campaign;
use thidua::interchange::plan::Options;
use thidua::store::{Actor, Store};

/// Writes a roster CSV of `rows` subjects: 40 agencies with 25 units each, 11 districts with 60
/// communes each, the rest individuals spread over those collectives.
pub fn write_roster(path: &Path, rows: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(out, "id,name,tier,parent,registered_on").expect("write");
    let mut n = 0;
    let mut collectives = Vec::new();
    for a in 0..40 {
        writeln!(
            out,
            "PA{a:03},Sở thử {a},province_agency,,2021-08-0{}",
            1 + a % 9
        )
        .expect("w");
        collectives.push(format!("PA{a:03}"));
        n += 1;
        for u in 0..25 {
            let id = format!("PA{a:03}.U{u:02}");
            writeln!(out, "{id},Phòng {u} của sở {a},province_unit,PA{a:03},").expect("w");
            collectives.push(id);
            n += 1;
        }
    }
    for d in 0..11 {
        writeln!(out, "D{d:02},Huyện {d},district,,2021-08-1{}", d % 9).expect("w");
        collectives.push(format!("D{d:02}"));
        n += 1;
        for c in 0..60 {
            let id = format!("D{d:02}.X{c:02}");
            writeln!(out, "{id},Xã {c} huyện {d},commune,D{d:02},2021-08-20").expect("w");
            collectives.push(id);
            n += 1;
        }
    }
    let mut k = 0;
    while n < rows {
        k += 1;
        let parent = &collectives[k % collectives.len()];
        writeln!(out, "CB{k:06},Nguyễn Văn Thử {k},individual,{parent},").expect("w");
        n += 1;
    }
    out.flush().expect("flush");
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let actor = Actor::new("bench", Utc::now());
    let mut group = c.benchmark_group("roster_import");
    group.sample_size(10);
    for rows in [32_000, 320_000] {
        let file = dir.path().join(format!("roster-{rows}.csv"));
        write_roster(&file, rows);
        let mut n = 0;
        group.bench_function(format!("{rows}_rows_into_an_empty_database"), |b| {
            b.iter_batched(
                || {
                    n += 1;
                    let db = dir.path().join(format!("db-{rows}-{n}"));
                    Store::create(&db, &campaign::sample(), &actor).expect("create")
                },
                |store| {
                    let report = plan_roster(&store, &file, &Options::default(), true, &actor)
                        .expect("imports");
                    assert_eq!(report.added_count as usize, rows);
                    store
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
