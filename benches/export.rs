//! Writing the verdict file at province scale (2,000 collectives, 30,000 individuals) and at
//! 10× that, from the seeded generator with every criterion decided. XLSX runs in
//! rust_xlsxwriter's constant-memory mode.

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use thidua::interchange::campaign;
use thidua::interchange::export::{ExportMeta, Format, Snapshot, export};

fn snapshot(collectives: usize, individuals: usize) -> Snapshot {
    let c = campaign::sample();
    let body = thidua::synth::database(&c, collectives, individuals, 100, 42);
    let verdicts = body
        .verdicts
        .into_iter()
        .map(|v| (v.subject_no, v.criterion_index, v.verdict))
        .collect();
    Snapshot::new(
        c,
        body.subjects.into_iter().map(|s| (s.no, s.value)).collect(),
        verdicts,
        body.initiatives.into_iter().map(|i| i.value).collect(),
        body.audit,
    )
}

/// `THIDUA_EXPORT_ONCE=FILE.xlsx` (or .csv/.json): write one export at ×10 province scale to
/// FILE and stop, timing only the export, so `/usr/bin/time -v` can measure its memory and
/// LibreOffice can open the result.
fn export_once(path: &str) {
    let snap = snapshot(20_000, 300_000);
    let format = match path.rsplit('.').next() {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => Format::Xlsx,
    };
    let meta = ExportMeta {
        exported_at: Utc::now(),
        exported_by: "bench".into(),
        allow_incomplete: true,
    };
    let start = std::time::Instant::now();
    export(&snap, format, std::path::Path::new(path), &meta).expect("export");
    println!(
        "{} at province_x10: {} audit events, {:.1} s, {} bytes",
        format.name(),
        snap.audit.len(),
        start.elapsed().as_secs_f64(),
        std::fs::metadata(path).map_or(0, |m| m.len())
    );
}

fn exports(c: &mut Criterion) {
    if let Ok(path) = std::env::var("THIDUA_EXPORT_ONCE") {
        export_once(&path);
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let meta = ExportMeta {
        exported_at: Utc::now(),
        exported_by: "bench".into(),
        allow_incomplete: true,
    };
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    for (scale, collectives, individuals, formats) in [
        (
            "province",
            2_000,
            30_000,
            &[Format::Json, Format::Csv, Format::Xlsx][..],
        ),
        (
            "province_x10",
            20_000,
            300_000,
            &[Format::Json, Format::Csv, Format::Xlsx][..],
        ),
    ] {
        let snap = snapshot(collectives, individuals);
        for &format in formats {
            let out = dir.path().join(format!("{scale}.{}", format.name()));
            group.bench_function(format!("{}/{scale}", format.name()), |b| {
                b.iter(|| export(&snap, format, &out, &meta).expect("export"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, exports);
criterion_main!(benches);
