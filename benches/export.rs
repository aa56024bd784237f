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

fn exports(c: &mut Criterion) {
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
