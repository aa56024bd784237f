//! Measures backups at province scale and ×10 (docs/PERFORMANCE.md, "Backup and restore"):
//!
//! ```text
//! cargo build --release --features synth --example backup_measure
//! backup_measure make DIR COLLECTIVES INDIVIDUALS   # DIR/m.db: a synthetic database, 60 % decided
//! backup_measure commits DIR/m.db FILE              # a backup to FILE while commits go on: their latency
//! ```
//! `thidua backup` and `thidua restore` themselves are timed with `/usr/bin/time -v`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use thidua::domain::{Cause, VerdictValue};
use thidua::store::{Actor, Store, VerdictWrite, backup};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("make") if args.len() == 4 => {
            let dir = PathBuf::from(&args[1]);
            let (c, i): (usize, usize) = (
                args[2].parse().expect("collectives"),
                args[3].parse().expect("individuals"),
            );
            let sample = thidua::interchange::campaign::sample();
            let body = thidua::synth::database(&sample, c, i, 60, 42);
            let t = Instant::now();
            drop(backup::restore(&dir.join("m.db"), &body).expect("restore"));
            println!("made {} in {:?}", dir.join("m.db").display(), t.elapsed());
        }
        Some("commits") if args.len() == 3 => {
            commits(&PathBuf::from(&args[1]), &PathBuf::from(&args[2]))
        }
        _ => eprintln!("usage: backup_measure make DIR COLLECTIVES INDIVIDUALS | commits DB FILE"),
    }
}

fn commits(db: &std::path::Path, file: &std::path::Path) {
    let store = Arc::new(Store::open(db).expect("open"));
    let targets: Vec<(String, String)> = store
        .subjects()
        .expect("subjects")
        .into_iter()
        .filter(|(_, s)| s.tier == "individual")
        .take(500)
        .map(|(_, s)| {
            let g = store.campaign().group_of_tier(&s.tier).expect("group");
            (s.id.clone(), g.criteria[0].id.clone())
        })
        .collect();
    let commit = |i: usize| {
        let (s, c) = &targets[i % targets.len()];
        let base_version = store.verdict(s, c).expect("read").map_or(0, |v| v.version);
        let value = if (i / targets.len()).is_multiple_of(2) {
            VerdictValue::NotMet
        } else {
            VerdictValue::Met
        };
        let t = Instant::now();
        store
            .set_verdict(
                &VerdictWrite {
                    subject: s.clone(),
                    criterion: c.clone(),
                    value,
                    note: String::new(),
                    base_version,
                    cause: Cause::Edit,
                    cell: None,
                },
                &Actor::new("An", chrono::Utc::now()),
            )
            .expect("verdict");
        t.elapsed()
    };
    let mut quiet: Vec<Duration> = (0..200).map(&commit).collect();
    let running = Arc::new(AtomicBool::new(true));
    let th = {
        let (store, running, file) = (Arc::clone(&store), Arc::clone(&running), file.to_path_buf());
        std::thread::spawn(move || {
            let t = Instant::now();
            let bytes = store
                .write_backup(&file, chrono::Utc::now())
                .expect("backup");
            running.store(false, Ordering::SeqCst);
            (t.elapsed(), bytes)
        })
    };
    let mut during = Vec::new();
    let mut i = 200;
    while running.load(Ordering::SeqCst) {
        let d = commit(i);
        if running.load(Ordering::SeqCst) {
            during.push(d);
        }
        i += 1;
    }
    let (took, bytes) = th.join().expect("backup");
    let pct = |v: &mut Vec<Duration>, p: usize| {
        v.sort();
        v.get((v.len() * p / 100).min(v.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "backup {took:?}, {bytes} bytes; quiet commits: median {:?} p99 {:?}; {} commits during the backup: median {:?} p99 {:?} max {:?}",
        pct(&mut quiet, 50),
        pct(&mut quiet, 99),
        during.len(),
        pct(&mut during, 50),
        pct(&mut during, 99),
        during.iter().max().copied().unwrap_or_default()
    );
}
