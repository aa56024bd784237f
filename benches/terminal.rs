//! The real binary in a pseudo-terminal on generated databases at province scale and at 10×:
//! time from start to the first frame (the opening screen when the review takes a while to
//! read) and to the console's first frame, peak resident memory (VmHWM) once the first frame is
//! up, and the bytes written to the terminal for one key (a move, scoring a criterion, opening
//! help). Not a criterion benchmark: each figure is one measurement of a whole process, printed
//! as a `figure:` line. Run with `cargo bench --features bench --bench terminal`.

use std::time::{Duration, Instant};

use thidua::interchange::campaign;
use thidua::store::backup;

#[path = "../tests/support/pty.rs"]
mod pty;

fn main() {
    // `cargo bench` passes harness flags; a filter word picks one scale.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let sample = campaign::sample();
    let dir = tempfile::tempdir().expect("tempdir");
    for (scale, collectives, individuals) in [
        ("province", 2_000, 30_000),
        ("province_x10", 20_000, 300_000),
    ] {
        if filter.as_deref().is_some_and(|f| !scale.contains(f)) {
            continue;
        }
        let db = dir.path().join(scale).join("thidua.db");
        std::fs::create_dir_all(db.parent().expect("parent")).expect("dir");
        let body = thidua::synth::database(&sample, collectives, individuals, 60, 42);
        drop(backup::restore(&db, &body).expect("bulk load"));
        drop(body);
        for run in 0..3 {
            let started = Instant::now();
            let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
            c.wait_until("the first frame", |c| c.frames() >= 1);
            let first = started.elapsed();
            let opening = !c.contents().contains("Tiến độ");
            c.wait_until("the console's first frame", |c| {
                c.contents().contains("Tiến độ")
            });
            let console = started.elapsed();
            let rss = pty::peak_rss_kib(c.pid()).unwrap_or(0);
            println!(
                "figure: {scale} run {run}: start to first frame {first:?} ({}), to the console's first frame {console:?} (real binary, pty), peak RSS {:.1} MiB",
                if opening {
                    "the opening screen"
                } else {
                    "the console"
                },
                rss as f64 / 1024.0
            );
            if run == 0 {
                let j = c.bytes_for("j");
                let open = c.bytes_for("\r");
                let y = c.bytes_for("y");
                let help = c.bytes_for("?");
                let close = c.bytes_for("\x1b");
                println!(
                    "figure: {scale}: bytes to the terminal: j {j}, Enter {open}, y {y}, ? {help}, Esc (close help) {close}"
                );
                let rss = pty::peak_rss_kib(c.pid()).unwrap_or(0);
                println!(
                    "figure: {scale}: peak RSS after those keys {:.1} MiB",
                    rss as f64 / 1024.0
                );
            }
            c.send("q");
            if c.wait_exit(Duration::from_secs(30)).is_none() {
                c.kill();
            }
        }
    }
}
