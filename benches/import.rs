//! Roster import at province scale and ten times that: a CSV of 32,000 and 320,000 subjects
//! (province agencies and their units, districts and communes, then individuals) read, checked
//! and written into a fresh database, the way `thidua import roster FILE` does it
//! (`plan_roster` with `write`). Peak memory is measured on the release binary with
//! `/usr/bin/time -v` (docs/PERFORMANCE.md); criterion measures the time.
//!
//! `cargo bench --features bench --bench import -- --warm-up-time 1 --measurement-time 3 roster_import`
//!
//! Also: the same file imported again into a database that holds it (nothing changes; the
//! plan compares every row with its stored subject), its `--dry-run`, and the same roster as
//! an office XLSX (title block with merged cells, STT, Vietnamese headers, dates as
//! dd/mm/yyyy text, a signature line) into an empty database (`roster_reimport`,
//! `roster_xlsx`). `THIDUA_BENCH_ROWS=32000` (a comma-separated list) limits the scales.

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

/// Writes the roster of `write_roster` as an office XLSX: a merged title block, a header row
/// in Vietnamese with STT, the rows, and a signature line below an empty row.
pub fn write_roster_xlsx(csv: &Path, path: &Path) {
    let text = std::fs::read_to_string(csv).expect("read the csv");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().expect("a sheet");
    sheet.set_name("Danh sách").expect("name");
    let bold = rust_xlsxwriter::Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 5, "UBND TỈNH AN GIANG", &bold)
        .expect("title");
    sheet
        .merge_range(1, 0, 1, 5, "DANH SÁCH ĐĂNG KÝ THI ĐUA", &bold)
        .expect("title");
    let header = [
        "STT",
        "Mã đơn vị",
        "Tên đơn vị",
        "Cấp",
        "Đơn vị cấp trên",
        "Ngày đăng ký",
    ];
    sheet.write_row(3, 0, header).expect("header");
    let mut row = 3;
    for line in text.lines().skip(1) {
        row += 1;
        let f: Vec<&str> = line.split(',').collect();
        let date = f[4].split('-').rev().collect::<Vec<_>>().join("/");
        sheet.write_number(row, 0, f64::from(row - 3)).expect("stt");
        sheet
            .write_row(row, 1, [f[0], f[1], f[2], f[3], &date])
            .expect("row");
    }
    sheet.write(row + 2, 4, "Người lập biểu").expect("footer");
    book.save(path).expect("save");
}

/// The scales to run: `THIDUA_BENCH_ROWS`, else 32,000 and 320,000.
fn scales() -> Vec<usize> {
    std::env::var("THIDUA_BENCH_ROWS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![32_000, 320_000])
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let actor = Actor::new("bench", Utc::now());
    let mut group = c.benchmark_group("roster_import");
    group.sample_size(10);
    for rows in scales() {
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

fn reimport(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let actor = Actor::new("bench", Utc::now());
    let mut group = c.benchmark_group("roster_reimport");
    group.sample_size(10);
    for rows in scales() {
        let file = dir.path().join(format!("roster-{rows}.csv"));
        write_roster(&file, rows);
        let store = Store::create(
            &dir.path().join(format!("db-{rows}")),
            &campaign::sample(),
            &actor,
        )
        .expect("create");
        plan_roster(&store, &file, &Options::default(), true, &actor).expect("first import");
        for (name, write) in [("nothing_changed", true), ("dry_run", false)] {
            group.bench_function(format!("{rows}_rows_{name}"), |b| {
                b.iter(|| {
                    let report = plan_roster(&store, &file, &Options::default(), write, &actor)
                        .expect("imports");
                    assert_eq!(report.unchanged as usize, rows);
                })
            });
        }
    }
    group.finish();
}

fn xlsx(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let actor = Actor::new("bench", Utc::now());
    let mut group = c.benchmark_group("roster_xlsx");
    group.sample_size(10);
    for rows in scales() {
        let csv = dir.path().join(format!("roster-{rows}.csv"));
        write_roster(&csv, rows);
        let file = dir.path().join(format!("roster-{rows}.xlsx"));
        write_roster_xlsx(&csv, &file);
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

criterion_group!(benches, import, reimport, xlsx);
criterion_main!(benches);
