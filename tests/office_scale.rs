//! A large import killed at any moment changes nothing or everything: the real binary imports a
//! roster of 20,000 subjects and is killed (SIGKILL) after a series of delays; each time the
//! database, opened again, holds either none of the new subjects or all of them, and passes
//! `thidua verify`.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::command::bin;
use thidua::store::Store;

fn write_roster(path: &Path, rows: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(out, "Mã,Tên,Cấp,Trực thuộc").expect("write");
    for d in 0..11 {
        writeln!(out, "D{d:02},Huyện {d},district,").expect("w");
    }
    for k in 11..rows {
        writeln!(out, "CB{k:06},Nguyễn Văn Thử {k},individual,D{:02}", k % 11).expect("w");
    }
    out.flush().expect("flush");
}

fn open(db: &Path) -> Store {
    for _ in 0..100 {
        match Store::open(db) {
            Err(thidua::store::StoreError::Locked { .. }) => {
                std::thread::sleep(Duration::from_millis(20))
            }
            other => return other.expect("open"),
        }
    }
    Store::open(db).expect("open")
}

#[test]
fn a_killed_import_changes_nothing_or_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("big.csv");
    let rows = 20_000;
    write_roster(&file, rows);
    let init = |db: &Path| {
        let out = bin()
            .args(["init", "--campaign"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/campaign.toml"))
            .arg("--db")
            .arg(db)
            .output()
            .expect("init");
        assert!(out.status.success());
    };
    // How long a whole import takes here, to kill it at fractions of that.
    let full = dir.path().join("full");
    init(&full);
    let started = std::time::Instant::now();
    let out = bin()
        .args(["import", "roster"])
        .arg(&file)
        .arg("--db")
        .arg(&full)
        .output()
        .expect("import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole = started.elapsed().as_millis() as u64;
    let mut outcomes = Vec::new();
    let delays: Vec<u64> = [15, 50, 80, 95].iter().map(|p| whole * p / 100).collect();
    for (i, delay_ms) in delays.iter().enumerate() {
        let db = dir.path().join(format!("db{i}"));
        init(&db);
        let mut child = bin()
            .args(["import", "roster"])
            .arg(&file)
            .arg("--db")
            .arg(&db)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(*delay_ms));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let store = open(&db);
        let stored = store.subjects().expect("subjects").len();
        let count = store.subject_count();
        drop(store);
        assert!(
            (stored == 0 && count == 0) || (stored == rows && count == rows),
            "killed after {delay_ms} ms ({status}): {stored} subjects stored, count {count}"
        );
        let verify = bin()
            .arg("verify")
            .arg("--db")
            .arg(&db)
            .output()
            .expect("verify");
        assert!(
            verify.status.success(),
            "after {delay_ms} ms: {}",
            String::from_utf8_lossy(&verify.stderr)
        );
        outcomes.push(stored);
    }
    eprintln!("whole import {whole} ms; subjects after a kill at {delays:?} ms: {outcomes:?}");
}
