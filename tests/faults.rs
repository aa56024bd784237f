//! Faults on the real binary in a pseudo-terminal: the console killed with SIGKILL in the middle
//! of fast scoring (every verdict the screen showed is on disk, the database opens as it is and
//! verifies clean), the terminal closed under it (it exits within two seconds and keeps what
//! was saved), and the rolling backup a clean quit leaves beside the database.
//!
//! The local console draws a frame only after the store has committed and flushed the writes
//! the keystroke caused, so a verdict shown in the criteria pane of a complete frame is one the
//! console has acknowledged. Rounds: 5 by default, 50 with THIDUA_SOAK=1.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use thidua::app::geometry;
use thidua::domain::{Lang, Subject, VerdictValue};
use thidua::i18n::{Key, tr};
use thidua::interchange::campaign;
use thidua::store::{Actor, Store, backup};

use crate::pty;

const UNITS: usize = 300;

fn name(i: usize) -> String {
    format!("Đơn vị {i:03}")
}

/// A database of `UNITS` provincial agencies with short, unique names and nothing decided.
pub(crate) fn database(db: &Path) {
    let actor = Actor::new("test", Utc::now());
    let store = Store::create(db, &campaign::sample(), &actor).expect("create");
    let subjects: Vec<Subject> = (0..UNITS)
        .map(|i| Subject {
            id: format!("DV{i:03}"),
            name: name(i),
            tier: "province_agency".into(),
            parent: None,
            registered_on: None,
        })
        .collect();
    store
        .upsert_subjects(&subjects, "test", &actor)
        .expect("subjects");
}

/// The verdicts a complete frame shows: (subject id, criterion id) -> value. Frames with the
/// note editor open are skipped (it covers the rows).
pub(crate) fn shown(frame: &str) -> Vec<((String, String), VerdictValue)> {
    if frame.contains(tr(Lang::Vi, Key::EditorReason)) {
        return Vec::new();
    }
    let left = usize::from(geometry::left_width(80));
    let lines: Vec<Vec<char>> = frame.lines().map(|l| l.chars().collect()).collect();
    let right = |l: &Vec<char>| l.iter().skip(left).collect::<String>();
    let Some(title) = lines.first().map(right) else {
        return Vec::new();
    };
    let Some(at) = title.find("Đơn vị ") else {
        return Vec::new();
    };
    let digits: String = title[at + "Đơn vị ".len()..].chars().take(3).collect();
    let Ok(no) = digits.parse::<usize>() else {
        return Vec::new();
    };
    let subject = format!("DV{no:03}");
    let mut out = Vec::new();
    for line in lines.iter().skip(1) {
        let row = right(line);
        // "│▶ TT3 Kế hoạch …  ✓ Đạt …│": the marker column, then the criterion id.
        let Some(rest) = row.strip_prefix('│') else {
            continue;
        };
        let rest: String = rest.chars().skip(2).collect();
        let Some(id) = rest.split_whitespace().next() else {
            continue;
        };
        if !id.starts_with("TT") || !id[2..].chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let value = if rest.contains("✓ Đạt") {
            VerdictValue::Met
        } else if rest.contains("✗ K.đạt") {
            VerdictValue::NotMet
        } else {
            continue;
        };
        out.push(((subject.clone(), id.to_string()), value));
    }
    out
}

/// Kills the console with SIGKILL while it is scoring as fast as keys arrive, then checks that
/// every verdict a complete frame showed is in the reopened database, which verifies clean.
#[test]
fn sigkill_in_the_middle_of_fast_scoring_loses_nothing_acknowledged() {
    let rounds = if std::env::var_os("THIDUA_SOAK").is_some() {
        50
    } else {
        5
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let mut acknowledged: BTreeMap<(String, String), VerdictValue> = BTreeMap::new();
    let mut rng = thidua::synth::Rng::new(2026);
    for round in 0..rounds {
        let mut c = pty::Console::open(&db, &[], &[], 80, 24, true);
        c.wait_until("the first frame", |c| {
            c.frames() >= 1 && c.contents().contains("Tiến độ")
        });
        // The next subject with pending criteria, its first pending criterion, keyboard there:
        // every criterion is written at most once over the whole test, so what a frame showed
        // is still the stored value at the end.
        c.send("]l");
        let mut keys = String::new();
        for _ in 0..120 {
            keys.push_str(if rng.below(4) == 0 { "n\r" } else { "y" });
        }
        let before = c.shared.kept.lock().expect("frames").len();
        c.send(&keys);
        let want = 3 + rng.below(40);
        c.wait_until("scored verdicts", |c| {
            let frames = c.shared.kept.lock().expect("frames");
            let seen: std::collections::BTreeSet<_> = frames
                .iter()
                .skip(before)
                .flat_map(|f| shown(f).into_iter().map(|(k, _)| k))
                .collect();
            seen.len() > want
        });
        pty::signal(c.pid(), "KILL");
        assert!(
            c.wait_exit(Duration::from_secs(10)).is_some(),
            "the console is gone after SIGKILL"
        );
        let frames = c.shared.kept.lock().expect("frames").clone();
        let mut this_round = 0;
        for frame in &frames {
            for (key, value) in shown(frame) {
                if let Some(old) = acknowledged.insert(key.clone(), value) {
                    assert_eq!(old, value, "{key:?} was written twice");
                } else {
                    this_round += 1;
                }
            }
        }
        assert!(
            this_round > 0 || round > 0,
            "the first round acknowledged nothing; the last frame:\n{}",
            frames.last().cloned().unwrap_or_default()
        );

        let store = Store::open(&db).expect("the database opens as it is after SIGKILL");
        for ((subject, criterion), value) in &acknowledged {
            let stored = store
                .verdict(subject, criterion)
                .expect("read")
                .map(|v| v.value);
            assert_eq!(
                stored,
                Some(*value),
                "round {round}: {subject} {criterion} was shown saved"
            );
        }
        let report = store.verify().expect("verify");
        assert!(report.is_ok(), "round {round}: {:?}", report.problems);
    }
    println!(
        "{rounds} SIGKILL rounds, {} acknowledged verdicts all found",
        acknowledged.len()
    );
    assert!(acknowledged.len() >= rounds, "too few verdicts were scored");
}

/// Closing the terminal (every master side of the pty) ends the console within two seconds,
/// and the verdict it showed saved is there.
#[test]
fn a_closed_terminal_ends_the_console_and_keeps_what_was_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_thidua"));
    cmd.args(["--reviewer", "an"]);
    cmd.env("THIDUA_DB", &db);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    let mut child = pty.slave.spawn_command(cmd).expect("spawn");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let mut writer = pty.master.take_writer().expect("writer");
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(24).expect("rows"),
        std::num::NonZeroU16::new(80).expect("cols"),
        0,
    );
    // Read on this thread until the screen shows `text` (the program keeps writing until it
    // has drawn it, so the read never waits for nothing).
    let mut read_until = |parser: &mut vt100::Parser, text: &str| {
        let start = Instant::now();
        let mut buf = [0u8; 8192];
        while !parser.screen().contents().contains(text) {
            assert!(start.elapsed() < pty::TIMEOUT, "waiting for {text:?}");
            let n = reader.read(&mut buf).expect("read");
            assert!(n > 0, "the console ended early");
            parser.process(&buf[..n]);
        }
    };
    read_until(&mut parser, "Tiến độ");
    std::io::Write::write_all(&mut writer, b"\ry").expect("write");
    read_until(&mut parser, &format!("{} · 1/10", name(0)));
    read_until(&mut parser, "đã lưu");

    let closed = Instant::now();
    drop(writer);
    drop(reader);
    drop(pty.master);
    let mut exited = None;
    while closed.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(status)) = child.try_wait() {
            exited = Some((closed.elapsed(), status));
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let Some((took, _status)) = exited else {
        let _ = child.kill();
        panic!("the console did not end after its terminal was closed");
    };
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let store = Store::open(&db).expect("open");
    let v = store.verdict("DV000", "TT1").expect("read").expect("TT1");
    assert_eq!(v.value, VerdictValue::Met);
    assert!(store.verify().expect("verify").is_ok());
}

/// A clean quit leaves a rolling backup in `backups/` beside the database that `backup::read`
/// accepts and that holds the verdict just given.
#[test]
fn a_clean_quit_leaves_a_readable_rolling_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Tiến độ");
    c.send("\ry");
    c.wait_for(&format!("{} · 1/10", name(0)));
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true), "q exits cleanly");
    let folder = backup::rolling_dir(&db);
    assert_eq!(folder, dir.path().join("backups"));
    let files: Vec<_> = std::fs::read_dir(&folder)
        .expect("a backups folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let body = backup::read(&files[0]).expect("the backup reads back");
    assert_eq!(body.subjects.len(), UNITS);
    assert!(
        body.verdicts
            .iter()
            .any(|v| v.subject_no == 1 && v.verdict.value == VerdictValue::Met),
        "the verdict given before quitting is in the backup"
    );
}
