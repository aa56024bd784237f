//! Storage errors as the user meets them, with the real binary: each names the path, says what
//! happened in plain words (Vietnamese by default, English with --lang en) and what to do, and
//! none shows sled's or the OS's raw text (offsets, backtraces, "os error").

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn thidua(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_thidua"));
    c.args(args)
        .env_remove("THIDUA_DB")
        .env_remove("LANG")
        .env("USER", "tester");
    c
}

fn run(args: &[&str]) -> Output {
    thidua(args).output().expect("run thidua")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// No raw error text reaches the user.
fn plain(err: &str) {
    for raw in [
        "os error",
        "Os {",
        "backtrace",
        "Some(Inline",
        "file offset",
        "database error",
        "IO error",
        "Custom {",
    ] {
        assert!(!err.contains(raw), "raw {raw:?} in: {err}");
    }
}

fn sample(dir: &Path) -> PathBuf {
    let db = dir.join("ow.db");
    let o = run(&["--db", s(&db), "init", "--sample"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    db
}

#[test]
fn damaged_data_is_named_and_points_to_backups_and_restore() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample(dir.path());
    // A rolling backup exists beside it, as after any console session.
    let store = thidua::store::Store::open(&db).expect("open");
    store
        .write_rolling_backup(chrono::Utc::now())
        .expect("rolling backup");
    drop(store);
    let mut told = 0;
    // Flip bytes in a copy, at several places of sled's log.
    for offset in [100usize, 5_000, 20_000, 60_000, 131_000] {
        let copy = dir.path().join(format!("copy-{offset}.db"));
        std::fs::create_dir(&copy).expect("mkdir");
        for e in std::fs::read_dir(&db).expect("list") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_file() {
                std::fs::copy(e.path(), copy.join(e.file_name())).expect("copy");
            }
        }
        let log = copy.join("db");
        let mut bytes = std::fs::read(&log).expect("read");
        for b in &mut bytes[offset..offset + 16] {
            *b ^= 0xFF;
        }
        std::fs::write(&log, &bytes).expect("write");
        for lang in ["vi", "en"] {
            let o = run(&["--db", s(&copy), "--lang", lang, "status"]);
            if o.status.success() {
                // sled took the damage for the end of its log (the journal's part to catch).
                continue;
            }
            let err = text(&o.stderr);
            plain(&err);
            assert!(err.contains(s(&copy)), "{err}");
            let backups = dir.path().join("backups");
            assert!(err.contains(s(&backups)), "{err}");
            assert!(err.contains("thidua restore"), "{err}");
            assert!(
                err.contains(&format!("thidua restore --from-journal {}", s(&copy))),
                "the rebuild from the journal is offered: {err}"
            );
            match lang {
                "vi" => assert!(err.contains("bị hỏng"), "{err}"),
                _ => assert!(err.contains("is damaged"), "{err}"),
            }
            told += 1;
        }
    }
    assert!(told > 0, "no damage was ever reported");
}

/// Whether this process can read what its permissions forbid (root).
fn permissions_do_not_apply() -> bool {
    let dir = tempfile::tempdir().expect("tempdir");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::write(locked.join("f"), b"x").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read_dir(&locked).is_ok();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    readable
}

#[test]
fn a_folder_the_user_may_not_read_is_named_with_what_to_do() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample(dir.path());
    // The folder holding the database, readable by its owner only.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let as_root = permissions_do_not_apply();
    let mut cmd = thidua(&["--db", s(&db), "status"]);
    if as_root {
        // Root reads through permissions: run the binary as an ordinary user instead (the
        // folders on the way are open to everyone, the database folder is not).
        let mut at = Some(dir.path());
        while let Some(p) = at {
            let mode = std::fs::metadata(p).expect("meta").permissions().mode();
            if mode & 0o001 == 0 {
                std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode | 0o001))
                    .expect("chmod");
            }
            at = p.parent();
        }
        cmd.uid(65534).gid(65534);
    }
    let o = match cmd.output() {
        Ok(o) => o,
        Err(e) => {
            std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o700)).expect("chmod");
            println!("skipped: cannot run thidua as another user here ({e})");
            return;
        }
    };
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    plain(&err);
    assert!(err.contains(s(&db)), "{err}");
    assert!(err.contains("Không có quyền"), "{err}");
    // The same in English for a command that writes: a new database inside a folder the user
    // may not enter is refused as such, not as "missing" or with the OS's text.
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let new_db = locked.join("new.db");
    let mut cmd = thidua(&["--db", s(&new_db), "--lang", "en", "init", "--sample"]);
    if as_root {
        cmd.uid(65534).gid(65534);
    }
    let o = cmd.output().expect("run");
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    plain(&err);
    assert!(
        err.contains("No permission to use")
            && err.contains(s(&new_db))
            && err.contains("Run thidua as the user who owns"),
        "{err}"
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let o = run(&["--db", s(&db), "status"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn a_full_disk_under_a_backup_or_an_export_is_told() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample(dir.path());
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).expect("mkdir");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&disk)
        .output();
    match mounted {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            println!(
                "skipped: mount -t tmpfs was refused: {}",
                text(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            println!("skipped: cannot run mount: {e}");
            return;
        }
    }
    // Unmounted however the test ends.
    struct Mounted<'a>(&'a Path);
    impl Drop for Mounted<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(self.0).status();
        }
    }
    let _mounted = Mounted(&disk);
    {
        use std::io::Write;
        let mut f = std::fs::File::create(disk.join("filler")).expect("filler");
        while f.write_all(&[0u8; 4096]).is_ok() {}
    }
    let backup = disk.join("b.json");
    let out = disk.join("v.json");
    let cases = [
        (vec!["backup", s(&backup)], &backup),
        (
            vec![
                "export",
                "--format",
                "json",
                "--allow-incomplete",
                "--out",
                s(&out),
            ],
            &out,
        ),
    ];
    for (args, target) in cases {
        for lang in ["vi", "en"] {
            let mut all = vec!["--db", s(&db), "--lang", lang];
            all.extend(args.iter().copied());
            let o = run(&all);
            let err = text(&o.stderr);
            if o.status.code() != Some(1) {
                panic!("{args:?} {lang}: {err}");
            }
            plain(&err);
            let ok = err.contains(s(target))
                && match lang {
                    "vi" => err.contains("đã đầy") && err.contains("chưa lưu được gì"),
                    _ => err.contains("is full") && err.contains("nothing was saved"),
                };
            if !ok {
                panic!("{args:?} {lang}: {err}");
            }
            assert!(!target.exists());
        }
    }
    let names: Vec<String> = std::fs::read_dir(&disk)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["filler"], "something half-written was left");
}

/// Every file of a folder (recursively), with its size: what a refused open must leave as it
/// was.
fn files(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("list") {
        let e = e.expect("entry");
        let meta = e.metadata().expect("meta");
        if meta.is_dir() {
            out.extend(files(&e.path()));
        } else {
            out.push((e.path(), meta.len()));
        }
    }
    out.sort();
    out
}

/// sled's own files deleted (`db`, `conf`, or both): no command creates them empty and then
/// calls the folder "not a thidua database"; the open is refused before sled opens, naming
/// what is missing and pointing to the rebuild from the journal, which then works.
#[test]
fn missing_sled_files_are_refused_before_sled_opens_and_point_to_the_rebuild() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample(dir.path());
    let o = run(&["--db", s(&db), "verify"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for (case, gone) in [
        ("db", &["db"][..]),
        ("conf", &["conf"]),
        ("both", &["db", "conf"]),
    ] {
        let copy = dir.path().join(format!("no-{case}.db"));
        let o = Command::new("cp")
            .arg("-a")
            .arg(&db)
            .arg(&copy)
            .output()
            .expect("cp");
        assert!(o.status.success());
        for f in gone {
            std::fs::remove_file(copy.join(f)).expect("remove");
        }
        let before = files(&copy);
        for (lang, args) in [
            ("vi", &["status"][..]),
            ("en", &["status"]),
            ("en", &["verify"]),
            ("en", &["log"]),
            ("en", &["export", "--format", "json", "--out", "-"]),
        ] {
            let mut all = vec!["--db", s(&copy), "--lang", lang];
            all.extend_from_slice(args);
            let o = run(&all);
            let err = text(&o.stderr);
            assert!(!o.status.success(), "{case} {args:?}: {err}");
            plain(&err);
            assert!(!err.contains("not a thidua"), "{case} {args:?}: {err}");
            assert!(!err.contains("không phải"), "{case} {args:?}: {err}");
            assert!(
                err.contains(&format!("thidua restore --from-journal {}", s(&copy))),
                "{case} {args:?}: {err}"
            );
            assert!(err.contains(&gone.join(", ")) || case == "both", "{err}");
            if lang == "en" {
                assert!(err.contains("are missing"), "{err}");
            } else {
                assert!(err.contains("thiếu tệp"), "{err}");
            }
            assert_eq!(files(&copy), before, "{case} {args:?}: nothing created");
        }
        // What the message says to do works.
        let new = dir.path().join(format!("rebuilt-{case}.db"));
        let o = run(&[
            "--db",
            s(&new),
            "--lang",
            "en",
            "restore",
            "--from-journal",
            s(&copy),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let o = run(&["--db", s(&new), "verify"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    // Without a journal either, the backups are offered instead.
    let copy = dir.path().join("bare.db");
    std::fs::create_dir(&copy).expect("mkdir");
    std::fs::copy(db.join("conf"), copy.join("conf")).expect("copy");
    let o = run(&["--db", s(&copy), "--lang", "en", "status"]);
    let err = text(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("are missing (db) and there is no change journal"),
        "{err}"
    );
    assert!(!copy.join("db").exists(), "nothing created");
}
