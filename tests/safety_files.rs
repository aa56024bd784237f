//! Never destroying a database by a typing mistake, with the real binary: `backup` and
//! `export --out` refuse a path inside a database folder and an existing file (unless
//! `--force`), two writers racing for one name never both succeed, a killed `init` never leaves
//! a database behind, and what killed processes left is cleaned at the next start.

use crate::command::text;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_thidua"));
    c.env_remove("THIDUA_DB")
        .env("LANG", "en_US.UTF-8")
        .env("USER", "tester");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run thidua")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// A sample database in a fresh folder.
fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("ow.db");
    let o = run(&db, &["init", "--sample"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    (dir, db)
}

/// Every file in the database folder with its bytes.
fn snapshot_of(db: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![db.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("list") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

fn verified(db: &Path) {
    let o = run(db, &["verify"]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).contains("No problems found."));
}

#[test]
fn backup_and_export_refuse_a_path_inside_the_database_folder() {
    let (_dir, db) = sample();
    let before = snapshot_of(&db);
    for target in ["db", "conf", "blobs/x.json", "backup.json", "snap.0000"] {
        let t = db.join(target);
        for args in [
            vec!["backup", s(&t)],
            vec!["backup", s(&t), "--force"],
            vec![
                "export",
                "--format",
                "json",
                "--allow-incomplete",
                "--out",
                s(&t),
            ],
            vec![
                "export",
                "--format",
                "json",
                "--allow-incomplete",
                "--force",
                "--out",
                s(&t),
            ],
        ] {
            let o = run(&db, &args);
            assert_eq!(o.status.code(), Some(1), "{args:?} was accepted");
            let err = text(&o.stderr);
            assert!(
                err.contains("is inside the database folder") && err.contains("ow.db"),
                "{args:?}: {err}"
            );
            assert!(
                text(&o.stdout).is_empty(),
                "{args:?} said {}",
                text(&o.stdout)
            );
        }
    }
    // Relative to the current folder, as typed.
    let o = bin()
        .current_dir(db.parent().expect("parent"))
        .args(["--db", "ow.db", "backup", "ow.db/db"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("inside the database folder"));
    // Vietnamese by default.
    let o = bin()
        .env_remove("LANG")
        .args(["--db", s(&db), "backup", s(&db.join("db"))])
        .output()
        .expect("run");
    assert!(
        text(&o.stderr).contains("nằm trong thư mục cơ sở dữ liệu"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(snapshot_of(&db), before, "the database folder changed");
    verified(&db);
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let (dir, db) = sample();
    let b = dir.path().join("b.json");
    let v = dir.path().join("v.json");
    for (target, args) in [
        (&b, vec!["backup", s(&b)]),
        (
            &v,
            vec![
                "export",
                "--format",
                "json",
                "--allow-incomplete",
                "--out",
                s(&v),
            ],
        ),
    ] {
        std::fs::write(target, b"precious").expect("write");
        let o = run(&db, &args);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(
            err.contains("already exists") && err.contains("--force"),
            "{err}"
        );
        assert_eq!(std::fs::read(target).expect("read"), b"precious");
        let mut forced = args.clone();
        forced.push("--force");
        let o = run(&db, &forced);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(std::fs::read(target).expect("read").starts_with(b"{"));
    }
    // Nothing temporary is left beside the files.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["b.json", "ow.db", "thidua.log", "v.json"]);
}

/// Starts `n` copies of a command writing `target` at the same moment; returns how many
/// succeeded and their outputs.
fn race(db: &Path, args: &[&str], n: usize) -> Vec<Output> {
    let children: Vec<Child> = (0..n)
        .map(|_| {
            bin()
                .arg("--db")
                .arg(db)
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect()
}

#[test]
fn two_writers_racing_for_one_name_never_both_succeed() {
    let (dir, db) = sample();
    // The export reads the database without holding it for the write, so the writes race.
    for round in 0..4 {
        let out = dir.path().join(format!("race-{round}.json"));
        let outputs = race(
            &db,
            &[
                "export",
                "--format",
                "json",
                "--allow-incomplete",
                "--out",
                s(&out),
            ],
            3,
        );
        let wrote: Vec<&Output> = outputs.iter().filter(|o| o.status.success()).collect();
        let said_wrote = outputs
            .iter()
            .filter(|o| text(&o.stdout).contains("Wrote"))
            .count();
        // The database is held by one reader at a time, so some may be refused as busy;
        // but never more than one says it wrote the file.
        assert!(
            wrote.len() <= 1 && said_wrote == wrote.len(),
            "round {round}"
        );
        for o in outputs.iter().filter(|o| !o.status.success()) {
            let err = text(&o.stderr);
            assert!(
                err.contains("already exists")
                    || err.contains("is busy")
                    || err.contains("is open in another thidua"),
                "round {round}: {err}"
            );
        }
        if wrote.len() == 1 {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("whole JSON");
            assert_eq!(v["format"], "thidua-verdicts");
        }
    }
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The same race where nothing else serialises the writers: threads of one process (as the
/// server's consoles are) create one name at the same moment, 20 times.
#[test]
fn creating_one_name_at_once_lets_exactly_one_writer_win() {
    use thidua::files::{Kind, Mode, write_bytes_atomically};
    let dir = tempfile::tempdir().expect("tempdir");
    for round in 0..20 {
        let target = dir.path().join(format!("v{round}.json"));
        let start = std::sync::Arc::new(std::sync::Barrier::new(8));
        let handles: Vec<_> = (0..8u8)
            .map(|i| {
                let (target, start) = (target.clone(), start.clone());
                std::thread::spawn(move || {
                    let body = vec![b'a' + i; 64 * 1024];
                    start.wait();
                    write_bytes_atomically(&target, &body, Mode::CreateNew, Kind::Private)
                        .map(|_| i)
                })
            })
            .collect();
        let results: Vec<_> = handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect();
        let winners: Vec<u8> = results
            .iter()
            .filter_map(|r| r.as_ref().ok().copied())
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {results:?}");
        for r in &results {
            if let Err(e) = r {
                assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists, "round {round}");
            }
        }
        // The file is the winner's, whole.
        assert_eq!(
            std::fs::read(&target).expect("read"),
            vec![b'a' + winners[0]; 64 * 1024]
        );
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
}

/// A process id that is certainly not running any more.
fn dead_pid() -> u32 {
    let mut c = Command::new("true").spawn().expect("spawn true");
    let pid = c.id();
    c.wait().expect("wait");
    pid
}

#[test]
fn leftovers_of_killed_processes_are_cleaned_at_the_next_start_and_reported() {
    let (dir, db) = sample();
    let dead = dead_pid();
    let alive = std::process::id();
    let d = dir.path();
    let dead_restore = d.join(format!(".ow.db.restoring-{dead}"));
    let dead_init = d.join(format!(".ow.db.creating-{dead}"));
    let dead_export = d.join(format!(".thidua-export-{dead}-AbC123.tmp"));
    let dead_backup = d.join(format!(".thidua-backup-{dead}-xYz789.tmp"));
    let live_restore = d.join(format!(".ow.db.restoring-{alive}"));
    let live_export = d.join(format!(".thidua-export-{alive}-QwE456.tmp"));
    let not_ours = d.join(".thidua-export-AbCdEf.tmp");
    for folder in [&dead_restore, &dead_init, &dead_export, &live_restore] {
        std::fs::create_dir_all(folder.join("blobs")).expect("mkdir");
        std::fs::write(folder.join("db"), b"half").expect("write");
    }
    for file in [&dead_backup, &live_export, &not_ours] {
        std::fs::write(file, b"half").expect("write");
    }
    let o = run(&db, &["status"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    for gone in [&dead_restore, &dead_init, &dead_export, &dead_backup] {
        assert!(!gone.exists(), "{} was kept", gone.display());
        let name = gone
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            err.lines().any(|l| l.contains("removed")
                && l.contains(&name)
                && l.contains(&dead.to_string())),
            "{name} not reported in {err}"
        );
    }
    for kept in [&live_restore, &live_export, &not_ours] {
        assert!(
            kept.exists(),
            "{} belongs to a live process",
            kept.display()
        );
    }
    // Said once: the next start finds nothing more.
    let o = run(&db, &["status"]);
    assert!(!text(&o.stderr).contains("removed"), "{}", text(&o.stderr));
    // An export cleans the folder it writes to, too.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let stale = elsewhere
        .path()
        .join(format!(".thidua-export-{dead}-ZZZ999.tmp"));
    std::fs::create_dir_all(&stale).expect("mkdir");
    let out = elsewhere.path().join("v.json");
    let o = run(
        &db,
        &[
            "export",
            "--format",
            "json",
            "--allow-incomplete",
            "--out",
            s(&out),
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!stale.exists());
    assert!(text(&o.stderr).contains("removed"), "{}", text(&o.stderr));
}

#[test]
fn a_killed_init_never_leaves_a_database_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rounds = 12;
    let (mut complete, mut absent, mut leftover_seen) = (0, 0, 0);
    for round in 0..rounds {
        let db = dir.path().join(format!("r{round}.db"));
        let mut child = bin()
            .arg("--db")
            .arg(&db)
            .args([
                "init",
                "--campaign",
                s(&data("campaign.toml")),
                "--roster",
                s(&data("roster.csv")),
                "--initiatives",
                s(&data("initiatives.csv")),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // Spread the kills over the whole run (an init takes about a quarter of a second
        // here; the last rounds may find it finished).
        std::thread::sleep(Duration::from_millis(5 + 20 * round));
        let _ = child.kill();
        child.wait().expect("wait");
        let hidden = dir
            .path()
            .join(format!(".r{round}.db.creating-{}", child.id()));
        if hidden.exists() {
            leftover_seen += 1;
        }
        if db.exists() {
            // Whatever is at the path is the whole database.
            complete += 1;
            let o = run(&db, &["status"]);
            assert!(o.status.success(), "round {round}: {}", text(&o.stderr));
            verified(&db);
            let store = thidua::store::Store::open(&db).expect("open");
            assert_eq!(
                store.subject_count(),
                535,
                "round {round}: roster incomplete"
            );
            assert_eq!(
                store.initiatives().expect("read").len(),
                34,
                "round {round}"
            );
        } else {
            absent += 1;
            // The next start removes the half-built folder and says so; init then works.
            let o = run(&db, &["status"]);
            assert_eq!(o.status.code(), Some(1));
            let err = text(&o.stderr);
            assert!(err.contains("no thidua database"), "round {round}: {err}");
            if hidden.exists() {
                panic!("round {round}: {} was not cleaned", hidden.display());
            }
            let o = run(
                &db,
                &[
                    "init",
                    "--campaign",
                    s(&data("campaign.toml")),
                    "--roster",
                    s(&data("roster.csv")),
                ],
            );
            assert!(o.status.success(), "round {round}: {}", text(&o.stderr));
            verified(&db);
        }
    }
    println!(
        "{rounds} rounds: {absent} killed before the database was in place \
         ({leftover_seen} left a hidden folder), {complete} complete"
    );
    assert!(
        absent > 0,
        "no kill landed during an init; the test proves nothing"
    );
}

/// The console's export job writes through `export::export_with` in create-new mode:
/// consoles exporting to one name at the same moment never both write it.
#[test]
fn console_exports_racing_for_one_name_never_both_write_it() {
    use thidua::files::Mode;
    use thidua::interchange::export::{ExportMeta, Format, Submission};
    let (dir, db) = sample();
    let store = thidua::store::Store::open(&db).expect("open");
    let snap = thidua::runtime::jobs::snapshot(&store, Format::Json).expect("snapshot");
    let out = dir.path().join("race.json");
    let meta = ExportMeta {
        exported_at: chrono::Utc::now(),
        exported_by: "race".into(),
        allow_incomplete: true,
    };
    for _ in 0..10 {
        let _ = std::fs::remove_file(&out);
        let barrier = std::sync::Barrier::new(6);
        let results: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..6)
                .map(|_| {
                    scope.spawn(|| {
                        barrier.wait();
                        thidua::interchange::export::export_with(
                            &snap,
                            Format::Json,
                            &out,
                            &meta,
                            &Submission::default(),
                            Mode::CreateNew,
                        )
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "exactly one writer wins: {results:?}");
        for r in results.iter().filter_map(|r| r.as_ref().err()) {
            assert!(
                matches!(r, thidua::interchange::export::ExportError::Io { source, .. }
                    if source.kind() == std::io::ErrorKind::AlreadyExists),
                "the others are told the name is taken: {r:?}"
            );
        }
        let body: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&out).expect("the file")).expect("whole JSON");
        assert_eq!(body["format"], "thidua-verdicts");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".thidua-export-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
