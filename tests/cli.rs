//! The real binary, run as a user would: init, the first run without a command, imports,
//! status in both languages, help, exit codes and messages, and the message shown while
//! another process holds the database. Each test has its own HOME and database folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use thidua::store::Store;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("data").join("thidua.db")
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    /// A command with a clean environment: this test's HOME, no THIDUA_DB, Vietnamese.
    fn bare(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_thidua"));
        c.args(args)
            .env("HOME", self.home())
            .env("USER", "tester")
            .env_remove("THIDUA_DB")
            .env_remove("XDG_DATA_HOME")
            .env_remove("LANG")
            .env_remove("THIDUA_LOG");
        c
    }

    /// Runs thidua with THIDUA_DB pointing at this test's database.
    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut c = self.bare(args);
        c.env("THIDUA_DB", self.db());
        for (k, v) in vars {
            c.env(k, v);
        }
        c.output().expect("run thidua")
    }

    fn init_sample(&self) {
        let out = self.run(&["init", "--sample"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }

    fn checksum(&self) -> u64 {
        Store::open(&self.db())
            .expect("open")
            .checksum()
            .expect("checksum")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

#[test]
fn init_sample_creates_the_whole_sample() {
    let env = Env::new();
    let out = env.run(&["init", "--sample"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("535 đối tượng, 34 sáng kiến"));
    let store = Store::open(&env.db()).expect("open");
    let criteria: usize = store
        .campaign()
        .groups
        .iter()
        .map(|g| g.criteria.len())
        .sum();
    assert_eq!(criteria, 14);
    assert_eq!(store.subject_count(), 535);
    assert_eq!(store.initiatives().expect("initiatives").len(), 34);
    drop(store);
    let log = std::fs::read_to_string(env.db().with_file_name("thidua.log")).expect("log file");
    assert!(log.contains("535 subjects"), "{log}");
}

#[test]
fn an_empty_folder_made_ready_for_the_database_is_used() {
    let env = Env::new();
    std::fs::create_dir_all(env.db()).expect("mkdir");
    let out = env.run(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("thidua init --sample"),
        "{}",
        text(&out.stderr)
    );
    // What that message suggests works in the empty folder.
    env.init_sample();
    assert_eq!(Store::open(&env.db()).expect("open").subject_count(), 535);
    // A folder with something in it is still refused.
    let other = env.dir.path().join("not-empty");
    std::fs::create_dir_all(&other).expect("mkdir");
    std::fs::write(other.join("notes.txt"), "mine").expect("write");
    let out = env.run(&["init", "--sample", "--db", other.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("đã có; thidua không bao giờ ghi đè"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(other.join("notes.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn init_refuses_an_existing_database() {
    let env = Env::new();
    env.init_sample();
    let before = env.checksum();
    let out = env.run(&["init", "--sample"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("đã có") && err.contains("không bao giờ ghi đè"),
        "{err}"
    );
    assert_eq!(env.checksum(), before);
}

#[test]
fn init_from_files_and_nothing_left_behind_on_a_bad_file() {
    let env = Env::new();
    let campaign = data("campaign.toml");
    let mut roster = std::fs::read(data("roster.csv")).expect("roster");
    roster.extend_from_slice(b"CB9999,Nguy\xe1\xbb\x85n V\xc4\x83n A,individual,NOPE,\n");
    let bad = env.file("roster.csv", &roster);
    let db = env.dir.path().join("new.db");
    let out = env.run(&[
        "init",
        "--campaign",
        campaign.to_str().expect("path"),
        "--roster",
        bad.to_str().expect("path"),
        "--db",
        db.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("roster.csv, dòng 537, trường Trực thuộc"),
        "{err}"
    );
    assert!(!db.exists(), "a refused init left {} behind", db.display());

    let out = env.run(&[
        "init",
        "--campaign",
        campaign.to_str().expect("path"),
        "--roster",
        data("roster.csv").to_str().expect("path"),
        "--initiatives",
        data("initiatives.csv").to_str().expect("path"),
        "--db",
        db.to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = Store::open(&db).expect("open");
    assert_eq!(store.subject_count(), 535);
    assert_eq!(store.initiatives().expect("initiatives").len(), 34);
}

#[test]
fn a_bad_campaign_file_is_named_and_leaves_nothing() {
    let env = Env::new();
    let campaign = env.file(
        "campaign.toml",
        std::fs::read_to_string(data("campaign.toml"))
            .expect("campaign")
            .replace("group = \"individual\"", "group = \"people\"")
            .as_bytes(),
    );
    let out = env.run(&["init", "--campaign", campaign.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("campaign.toml") && err.contains("\"people\""),
        "{err}"
    );
    assert!(!env.db().exists());
}

#[test]
fn no_command_without_a_terminal_says_so_and_creates_nothing() {
    let env = Env::new();
    let out = env.bare(&[]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("cần một cửa sổ dòng lệnh") && err.contains("thidua status"),
        "{err}"
    );
    assert!(!env.home().join(".local/share/thidua/thidua.db").exists());
}

#[test]
fn a_bad_import_exits_non_zero_names_the_line_and_changes_nothing() {
    let env = Env::new();
    env.init_sample();
    let before = env.checksum();
    let bad = env.file(
        "roster-update.csv",
        "id,name,tier,parent,registered_on\nSNV,Sở Nội vụ tỉnh An Giang,province_agency,,2021-08-25\n\
         X1,Sở Mới,province_agency,,30/02/2021\nX2,Sở Hai,province_agency,,\n"
            .as_bytes(),
    );
    let out = env.run(&["import", "roster", bad.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "roster-update.csv, dòng 3, trường Ngày đăng ký thi đua: \"30/02/2021\" không phải là ngày"
        ),
        "{err}"
    );
    assert!(text(&out.stdout).is_empty());
    assert_eq!(env.checksum(), before, "the database changed");
}

#[test]
fn a_good_import_prints_its_counts() {
    let env = Env::new();
    env.init_sample();
    let good = env.file(
        "more.csv",
        "id,name,tier,parent\nSNV,Sở Nội vụ tỉnh An Giang,province_agency,\nSNV.P09,Phòng Mới,province_unit,SNV\n"
            .as_bytes(),
    );
    let out = env.run(&[
        "import",
        "roster",
        good.to_str().expect("path"),
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.lines().next(),
        Some(format!("{}: 1 added, 1 updated, 0 unchanged", good.display()).as_str()),
        "{stdout}"
    );
    assert!(
        stdout.contains("+ SNV.P09 Phòng Mới")
            && stdout.contains("~ SNV name: \"Sở Nội vụ\" → \"Sở Nội vụ tỉnh An Giang\""),
        "{stdout}"
    );
    let more = env.file(
        "sk.csv",
        "id,title,owner,submitted_on\nSK500,Sáng kiến mới,SNV.P09,2021-10-01\n".as_bytes(),
    );
    let out = env.run(&["import", "initiatives", more.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("thêm 1, cập nhật 0, không đổi 0"));
}

#[test]
fn every_command_has_help() {
    let env = Env::new();
    for args in [
        vec!["--help"],
        vec!["init", "--help"],
        vec!["import", "--help"],
        vec!["import", "roster", "--help"],
        vec!["import", "initiatives", "--help"],
        vec!["status", "--help"],
    ] {
        let out = env.run(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let help = text(&out.stdout);
        assert!(help.contains("Cách dùng: thidua"), "{args:?}: {help}");
        let out = env.run_with(&args, &[("LANG", "en_US.UTF-8")]);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let help = text(&out.stdout);
        assert!(help.contains("Usage: thidua"), "{args:?}: {help}");
    }
    assert!(!env.db().exists(), "help created a database");
}

#[test]
fn status_in_vietnamese_and_english() {
    let env = Env::new();
    env.init_sample();
    let vi = env.run(&["status"]);
    assert!(vi.status.success(), "{}", text(&vi.stderr));
    let vi = text(&vi.stdout);
    for want in [
        "Phong trào thi đua đẩy mạnh cải cách hành chính tỉnh An Giang năm 2021",
        "443/KH-UBND ngày 21/07/2021",
        "Tiến độ theo cấp",
        "Đủ điều kiện",
        "Không đủ điều kiện",
        "Chưa hoàn thành",
        "0 / 3550",
        "0,0%",
    ] {
        assert!(vi.contains(want), "missing {want:?} in\n{vi}");
    }
    let total = vi
        .lines()
        .rfind(|l| l.trim_start().starts_with("Tổng cộng"))
        .expect("total line");
    assert!(total.ends_with(" 535"), "{total}");

    let en = text(&env.run(&["status", "--lang", "en"]).stdout);
    for want in [
        "Progress by tier",
        "Qualified",
        "Not qualified",
        "Incomplete",
        "0.0%",
    ] {
        assert!(en.contains(want), "missing {want:?} in\n{en}");
    }
    let by_env = text(&env.run_with(&["status"], &[("LANG", "en_US.UTF-8")]).stdout);
    assert_eq!(by_env, en);
    for line in vi.lines().chain(en.lines()) {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80 || !line.starts_with("  "),
            "table line wider than 80 columns: {line}"
        );
    }
}

#[test]
fn status_without_a_database_says_how_to_make_one() {
    let env = Env::new();
    let out = env.run(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("thidua init --sample"), "{err}");
    assert!(!env.db().exists());
}

#[test]
fn a_held_database_is_refused_with_the_holder_named() {
    let env = Env::new();
    env.init_sample();
    let held = Store::open(&env.db()).expect("open");
    let out = env.run(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("đang mở trong một bảng thidua khác")
            && err.contains(&format!("tiến trình {}", std::process::id())),
        "{err}"
    );
    assert!(!err.contains("could not acquire lock"), "{err}");
    let out = env.run(&[
        "import",
        "roster",
        data("roster.csv").to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("đang mở trong một bảng thidua khác"));
    drop(held);
    assert!(env.run(&["status"]).status.success());
}

#[test]
fn usage_errors_exit_with_two() {
    let env = Env::new();
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(2));
    let out = env.run(&["import", "roster"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!env.db().exists());
}

#[test]
fn with_user_and_logname_empty_the_actor_is_the_os_user() {
    let env = Env::new();
    let out = env.run_with(&["init", "--sample"], &[("USER", ""), ("LOGNAME", "")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let uid: u32 = std::fs::read_to_string("/proc/self/status")
        .expect("status")
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|u| u.parse().ok())
        .expect("uid");
    let expected = thidua::paths::user_name(uid);
    let out = env.run(&["--lang", "en", "log"]);
    let log = text(&out.stdout);
    let first = log.lines().nth(1).expect("an event");
    assert!(first.contains(&format!(" {expected} ")), "{log}");
    assert!(!first.contains(" reviewer "), "{log}");
}
