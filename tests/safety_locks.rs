//! A database held by another process: the refusal names what holds it (a console, the
//! server with its port, an import, an export, a backup), in Vietnamese and English, with the
//! real binary asking while this process holds the database.

use std::path::Path;
use std::process::{Command, Output};

use thidua::store::Store;
use thidua::store::owner::{self, Holder};

fn run(db: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .arg("--db")
        .arg(db)
        .args(["--lang", lang])
        .args(args)
        .env_remove("THIDUA_DB")
        .output()
        .expect("run thidua")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn the_refusal_names_what_holds_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("held.db");
    let o = run(&db, "en", &["init", "--sample"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let pid = std::process::id().to_string();
    // (what this process says it does, the server address, what the refusal says in en, vi)
    let cases: [(Holder, Option<&str>, &str, &str); 5] = [
        (
            Holder::Console,
            None,
            "is open in another thidua console",
            "đang mở trong một bảng thidua khác",
        ),
        (
            Holder::Server,
            Some("127.0.0.1:2299"),
            "held by the thidua server (port 2299",
            "máy chủ thidua giữ (cổng 2299",
        ),
        (
            Holder::Import,
            None,
            "busy: an import (thidua import) is running",
            "một lần nhập dữ liệu (thidua import) đang chạy",
        ),
        (
            Holder::Export,
            None,
            "busy: an export (thidua export) is running",
            "một lần xuất tệp (thidua export) đang chạy",
        ),
        (
            Holder::Backup,
            None,
            "busy: a backup (thidua backup) is running",
            "một lần sao lưu (thidua backup) đang chạy",
        ),
    ];
    for (holder, listen, en, vi) in cases {
        owner::set_role(holder);
        let store = Store::open(&db).expect("open");
        if listen.is_some() {
            store.announce_owner(listen);
        }
        for (lang, want) in [("en", en), ("vi", vi)] {
            let o = run(&db, lang, &["status"]);
            assert_eq!(o.status.code(), Some(1));
            let err = text(&o.stderr);
            assert!(err.contains(want), "{holder:?} {lang}: {err}");
            assert!(err.contains(&pid), "{holder:?} {lang}: {err}");
            assert!(!err.contains("could not acquire lock"), "{err}");
        }
        if listen.is_some() {
            let o = run(&db, "en", &["status"]);
            assert!(text(&o.stderr).contains("ssh -p 2299"));
        }
        drop(store);
        // sled lets go of its lock a moment after the store is dropped.
        drop(Store::open_moved(&db).expect("reopen"));
    }
    owner::set_role(Holder::Console);
}
