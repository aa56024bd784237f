//! Self-assessment import at province scale and ten times that: a roster of 32,000 and
//! 320,000 subjects (1,711 collectives, the rest individuals) and a wide self-assessment CSV
//! with a claim on every criterion of every subject (10 for a collective, 4 for an
//! individual: about 138,000 and 1.3 million claims), read, checked and written the way
//! `thidua import self-assessment FILE` does it (`plan_self_assessment` with `write`). Each
//! iteration imports the other of two files whose every claim differs, so every claim is
//! written every time.
//!
//! `cargo bench --features bench --bench self_assessment -- --warm-up-time 1 --measurement-time 3 self_assessment_import`
//!
//! Building the databases takes a while (the 320,000-subject roster alone takes tens of
//! seconds), so `THIDUA_BENCH_ROWS=32000` (a comma-separated list) limits the scales built.

use std::io::Write;
use std::path::Path;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use thidua::commands::import::{plan_roster, plan_self_assessment};
use thidua::domain::Lang;
use thidua::interchange::campaign;
use thidua::interchange::plan::Options;
use thidua::store::{Actor, Store};

/// Writes a roster of `rows` subjects: 40 agencies with 25 units each, 11 districts with 60
/// communes each, the rest individuals spread over those collectives. Returns the ids of the
/// collectives and of the individuals.
fn write_roster(path: &Path, rows: usize) -> (Vec<String>, Vec<String>) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(out, "id,name,tier,parent").expect("write");
    let mut collectives = Vec::new();
    for a in 0..40 {
        writeln!(out, "PA{a:03},Sở thử {a},province_agency,").expect("w");
        collectives.push(format!("PA{a:03}"));
        for u in 0..25 {
            let id = format!("PA{a:03}.U{u:02}");
            writeln!(out, "{id},Phòng {u} của sở {a},province_unit,PA{a:03}").expect("w");
            collectives.push(id);
        }
    }
    for d in 0..11 {
        writeln!(out, "D{d:02},Huyện {d},district,").expect("w");
        collectives.push(format!("D{d:02}"));
        for c in 0..60 {
            let id = format!("D{d:02}.X{c:02}");
            writeln!(out, "{id},Xã {c} huyện {d},commune,D{d:02}").expect("w");
            collectives.push(id);
        }
    }
    let mut individuals = Vec::new();
    for k in 1..=rows.saturating_sub(collectives.len()) {
        let parent = &collectives[k % collectives.len()];
        writeln!(out, "CB{k:06},Nguyễn Văn Thử {k},individual,{parent}").expect("w");
        individuals.push(format!("CB{k:06}"));
    }
    out.flush().expect("flush");
    (collectives, individuals)
}

/// A wide self-assessment: Mã, TT1–TT10, CN1–CN4, Tài liệu kiểm chứng; every claim `value`.
fn write_claims(path: &Path, collectives: &[String], individuals: &[String], value: &str) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let tt: Vec<String> = (1..=10).map(|n| format!("TT{n}")).collect();
    writeln!(
        out,
        "STT,Mã,{},CN1,CN2,CN3,CN4,Tài liệu kiểm chứng",
        tt.join(",")
    )
    .expect("w");
    let mut n = 0;
    for id in collectives {
        n += 1;
        let values = [value; 10].join(",");
        writeln!(out, "{n},{id},{values},,,,,Báo cáo số {n}/BC").expect("w");
    }
    for id in individuals {
        n += 1;
        let values = [value; 4].join(",");
        writeln!(out, "{n},{id},,,,,,,,,,,{values},").expect("w");
    }
    out.flush().expect("flush");
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let actor = Actor::new("bench", Utc::now());
    let mut group = c.benchmark_group("self_assessment_import");
    group.sample_size(10);
    let scales: Vec<usize> = std::env::var("THIDUA_BENCH_ROWS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![32_000, 320_000]);
    for rows in scales {
        let roster = dir.path().join(format!("roster-{rows}.csv"));
        let (collectives, individuals) = write_roster(&roster, rows);
        let files = ["Đạt", "Không đạt"].map(|v| {
            let f = dir.path().join(format!("tdg-{rows}-{}.csv", v.len()));
            write_claims(&f, &collectives, &individuals, v);
            f
        });
        let store = Store::create(
            &dir.path().join(format!("db-{rows}")),
            &campaign::sample(),
            &actor,
        )
        .expect("create");
        plan_roster(&store, &roster, &Options::default(), true, &actor).expect("roster");
        let claims = collectives.len() * 10 + individuals.len() * 4;
        let mut k = 0;
        group.bench_function(format!("{rows}_subjects_{claims}_claims"), |b| {
            b.iter(|| {
                k += 1;
                let (report, _) = plan_self_assessment(
                    &store,
                    &files[k % 2],
                    &Options::default(),
                    true,
                    &actor,
                    Lang::Vi,
                )
                .expect("imports");
                assert_eq!((report.added_count + report.changed_count) as usize, claims);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
