//! Commands over SSH with the real `ssh` client: `status`, `log --subject` and `export` answer from the
//! server's own store (the same as the local command line beside it), and a shell, `sh -c`,
//! `scp` or an unknown command is refused with the list of what runs, exit status ≠ 0, and
//! never runs anything.

use crate::ssh_support;

use std::process::Command;
use std::time::Duration;

use ssh_support::*;

const T: Duration = Duration::from_secs(30);

fn reviewers_file(
    dir: &std::path::Path,
    entries: &[(&str, &str, &str, &str)],
) -> std::path::PathBuf {
    let mut text = String::from("[server]\nidle_timeout_minutes = 5\n\n");
    for (name, role, lang, key) in entries {
        text.push_str(&format!(
            "[[reviewer]]\nname = \"{name}\"\nrole = \"{role}\"\nlang = \"{lang}\"\nkeys = [\"{key}\"]\n\n"
        ));
    }
    let path = dir.join("reviewers.toml");
    std::fs::write(&path, text).expect("write reviewers");
    path
}

/// The local command line beside the running server (it asks the holder).
fn local(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("thidua runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn status_and_log_run_over_ssh_and_nothing_else_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (ann_key, ann_pub) = keygen(dir.path(), "ann");
    let reviewers = reviewers_file(
        dir.path(),
        &[
            ("Nguyễn Văn An", "reviewer", "vi", &an_pub),
            ("Ann Lee", "viewer", "en", &ann_pub),
        ],
    );
    let log = dir.path().join("serve.log");
    // Many short connections from one address in a row: above the default rate limit.
    let server = start_server_with(&db, &reviewers, &log, &["--per-source-rate", "1000"]);
    let run = |key: &std::path::Path, words: &[&str]| {
        let mut args = ssh_args(server.port, key);
        args.push("x@127.0.0.1".into());
        args.extend(words.iter().map(|w| w.to_string()));
        ssh_run(&args, T)
    };

    // status: the same text as `thidua status` beside the server, in the reviewer's language.
    let (code, out, err) = run(&an_key, &["status"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, local(&db, &["--lang", "vi", "status"]));
    let (code, out, err) = run(&ann_key, &["status"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, local(&db, &["--lang", "en", "status"]));

    // log --subject: the parser is the command line's own.
    let (code, out, err) = run(&ann_key, &["log", "--subject", "SNV"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        local(&db, &["--lang", "en", "log", "--subject", "SNV"])
    );
    let (code, out, err) = run(&an_key, &["log"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, local(&db, &["--lang", "vi", "log"]));
    let (code, out, err) = run(&ann_key, &["log", "--subject", "NOPE"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(err.contains("no subject with id “NOPE”"), "{err}");

    // export: the file arrives on stdout; chair and viewer only.
    let (code, out, err) = run(
        &an_key,
        &["export", "--format", "json", "--allow-incomplete"],
    );
    assert_eq!(code, Some(1), "a reviewer's export is refused: {out}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("vai trò của bạn là người đánh giá"), "{err}");
    for format in ["json", "csv", "xlsx", "docx"] {
        let (code, out, err) = run(&ann_key, &["export", "--format", format]);
        assert_eq!(code, Some(1));
        assert!(
            err.contains("--allow-incomplete"),
            "an unfinished review: {err}"
        );
        assert!(
            out.is_empty(),
            "nothing of the {format} file is sent: {out}"
        );
    }
    let (code, out, err) = run(
        &ann_key,
        &["export", "--format", "json", "--allow-incomplete"],
    );
    assert_eq!(code, Some(0), "{err}");
    let local_json = dir.path().join("local.json");
    local(
        &db,
        &[
            "--reviewer",
            "Ann Lee",
            "export",
            "--format",
            "json",
            "--allow-incomplete",
            "--out",
            local_json.to_str().expect("path"),
        ],
    );
    let local_text = std::fs::read_to_string(&local_json).expect("local json");
    assert_eq!(
        without_time(serde_json::from_str(&out).expect("json over ssh")),
        without_time(serde_json::from_str(&local_text).expect("local json")),
        "the same file as the local export, but for the time it was made"
    );
    let (code, out, err) = run(
        &ann_key,
        &["export", "--format", "csv", "--allow-incomplete"],
    );
    assert_eq!(code, Some(0), "{err}");
    let local_csv = dir.path().join("local.csv");
    local(
        &db,
        &[
            "--reviewer",
            "Ann Lee",
            "export",
            "--format",
            "csv",
            "--allow-incomplete",
            "--out",
            local_csv.to_str().expect("path"),
        ],
    );
    assert_eq!(out, std::fs::read_to_string(&local_csv).expect("local csv"));
    // XLSX: binary over the pipe, read back with calamine.
    let mut args = ssh_args(server.port, &ann_key);
    args.extend(
        [
            "x@127.0.0.1",
            "export",
            "--format",
            "xlsx",
            "--allow-incomplete",
        ]
        .map(String::from),
    );
    let got = Command::new("ssh")
        .args(&args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("ssh");
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    let xlsx = dir.path().join("ket-qua.xlsx");
    std::fs::write(&xlsx, &got.stdout).expect("write xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("a valid workbook");
    use calamine::Reader;
    let names = wb.sheet_names();
    assert!(!names.is_empty());
    let range = wb.worksheet_range(&names[0]).expect("first sheet");
    let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c.contains("Sở Nội vụ")), "{cells:?}");

    // Everything else is refused, names what runs, and runs nothing.
    let marker = dir.path().join("ran");
    let touch = format!("touch {}", marker.display());
    for words in [
        vec!["sh", "-c", touch.as_str()],
        vec!["bash", "-c", touch.as_str()],
        vec!["scp", "-t", "/tmp"],
        vec!["echo", "hi"],
        vec!["status;", "touch", marker.to_str().expect("path")],
        vec!["status", "--db", "/tmp/other.db"],
        vec!["export", "--out", "/tmp/x.json"],
    ] {
        let (code, out, err) = run(&ann_key, &words);
        assert_ne!(code, Some(0), "{words:?} refused: {out}");
        assert!(out.is_empty(), "{words:?}: {out}");
        assert!(
            err.contains("command refused") && err.contains("status, log [--subject ID]"),
            "{words:?}: {err}"
        );
    }
    let (code, _, err) = run(&an_key, &["bash"]);
    assert_ne!(code, Some(0));
    assert!(err.contains("lệnh bị từ chối"), "{err}");
    assert!(!marker.exists(), "a refused command ran");
    drop(server);
}

/// `v` without its `exported_at` fields (the moment the file was made).
fn without_time(mut v: serde_json::Value) -> serde_json::Value {
    match &mut v {
        serde_json::Value::Object(map) => {
            map.remove("exported_at");
            for (_, x) in map.iter_mut() {
                *x = without_time(x.take());
            }
        }
        serde_json::Value::Array(items) => {
            for x in items.iter_mut() {
                *x = without_time(x.take());
            }
        }
        _ => {}
    }
    v
}

/// The entry `name` of the zip archive `bytes` (an XLSX or DOCX), as text.
fn zip_text(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut text = String::new();
    zip.by_name(name)
        .expect("the entry")
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

/// Every sheet of the XLSX `bytes`, as one text.
fn sheets_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let names: Vec<String> = (0..zip.len())
        .map(|i| {
            zip.by_index(i)
                .expect("an entry")
                .name()
                .expect("a name")
                .to_string()
        })
        .filter(|n| n.starts_with("xl/worksheets/") || n == "xl/sharedStrings.xml")
        .collect();
    names.iter().map(|n| zip_text(bytes, n)).collect()
}

/// `ssh … WORDS` with the file on stdout kept as bytes: (exit code, stdout, stderr).
fn ssh_bytes(port: u16, key: &std::path::Path, words: &[&str]) -> (Option<i32>, Vec<u8>, String) {
    let mut args = ssh_args(port, key);
    args.push("x@127.0.0.1".into());
    args.extend(words.iter().map(|w| w.to_string()));
    let got = Command::new("ssh")
        .args(&args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("ssh");
    (
        got.status.code(),
        got.stdout,
        String::from_utf8_lossy(&got.stderr).into_owned(),
    )
}

#[test]
fn the_submission_date_goes_over_ssh_as_on_the_local_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (ann_key, ann_pub) = keygen(dir.path(), "ann");
    let (chi_key, chi_pub) = keygen(dir.path(), "chi");
    let reviewers = reviewers_file(
        dir.path(),
        &[
            ("Ann Lee", "viewer", "en", &ann_pub),
            ("Trần Thị Chi", "chair", "vi", &chi_pub),
        ],
    );
    let log = dir.path().join("serve.log");
    let server = start_server_with(&db, &reviewers, &log, &["--per-source-rate", "1000"]);

    // The letter: its number and its date, written out as the letter's head writes dates.
    let (code, docx, err) = ssh_bytes(
        server.port,
        &chi_key,
        &[
            "export",
            "--format",
            "docx",
            "--ref",
            "15",
            "--ref-date",
            "30/11/2026",
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let letter = zip_text(&docx, "word/document.xml");
    assert!(letter.contains("ngày 30 tháng 11 năm 2026"), "the date");
    assert!(letter.contains("15/"), "the number");
    // The workbook, the ISO form of the date: "(Kèm theo Tờ trình số 15/… ngày 30/11/2026)".
    let (code, xlsx, err) = ssh_bytes(
        server.port,
        &ann_key,
        &[
            "export",
            "--format",
            "xlsx",
            "--ref",
            "15",
            "--ref-date",
            "2026-11-30",
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let sheets = sheets_text(&xlsx);
    assert!(sheets.contains("30/11/2026"), "the date in the lists");
    // Without a date, the dotted blank.
    let (code, xlsx, err) = ssh_bytes(
        server.port,
        &ann_key,
        &["export", "--format", "xlsx", "--allow-incomplete"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(!sheets_text(&xlsx).contains("30/11/2026"));

    // A bad date: refused in the local command line's words, in the reviewer's language, and
    // nothing on stdout.
    for (key, lang) in [(&ann_key, "en"), (&chi_key, "vi")] {
        let (code, out, err) = ssh_bytes(
            server.port,
            key,
            &[
                "export",
                "--format",
                "docx",
                "--ref-date",
                "31/02/2026",
                "--allow-incomplete",
            ],
        );
        assert_eq!(code, Some(2), "{err}");
        assert!(out.is_empty());
        let local = Command::new(env!("CARGO_BIN_EXE_thidua"))
            .args(["--lang", lang, "export", "--format", "docx", "--out"])
            .arg(dir.path().join("x.docx"))
            .args(["--ref-date", "31/02/2026"])
            .arg("--db")
            .arg(&db)
            .output()
            .expect("thidua runs");
        assert_eq!(local.status.code(), Some(2));
        let local = String::from_utf8_lossy(&local.stderr);
        let first = local.lines().next().expect("a line");
        assert_eq!(err.lines().next(), Some(first), "{lang}: {err}");
        assert!(
            first.contains("31/02/2026") && first.contains("DD/MM/YYYY"),
            "{first}"
        );
    }
    assert!(!dir.path().join("x.docx").exists());
    drop(server);
}

/// The resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Samples `pid`'s resident memory until `stop`; the highest seen, in KiB.
fn peak_rss(
    pid: u32,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak = 0;
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            peak = peak.max(rss_kib(pid));
            std::thread::sleep(Duration::from_millis(20));
        }
        peak
    })
}

#[test]
fn a_province_export_streams_over_ssh_and_a_client_that_stops_reading_holds_it_back() {
    use std::io::Read;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Instant;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    // Province scale: 2,000 collectives and 30,000 individuals, 60 % decided.
    let body = thidua::synth::database(
        &thidua::interchange::campaign::sample(),
        2_000,
        30_000,
        60,
        7,
    );
    drop(thidua::store::backup::restore(&db, &body).expect("bulk load"));
    let (ann_key, ann_pub) = keygen(dir.path(), "ann");
    let reviewers = reviewers_file(dir.path(), &[("Ann Lee", "viewer", "en", &ann_pub)]);
    let log = dir.path().join("serve.log");
    let server = start_server_with(&db, &reviewers, &log, &["--per-source-rate", "1000"]);
    let pid = server.child.id();
    // The server has read the review once (its index) before we measure.
    let (code, _, err) = ssh_bytes(server.port, &ann_key, &["status"]);
    assert_eq!(code, Some(0), "{err}");
    let base = rss_kib(pid);

    // The council's workbook arrives whole over the pipe.
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = peak_rss(pid, stop.clone());
    let started = Instant::now();
    let (code, xlsx, err) = ssh_bytes(
        server.port,
        &ann_key,
        &["export", "--format", "xlsx", "--allow-incomplete"],
    );
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let peak = sampler.join().expect("sampler");
    assert_eq!(code, Some(0), "{err}");
    let path = dir.path().join("ket-qua.xlsx");
    std::fs::write(&path, &xlsx).expect("write");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("a valid workbook");
    use calamine::Reader;
    let names = wb.sheet_names();
    let rows: usize = names
        .iter()
        .filter_map(|n| wb.worksheet_range(n).ok())
        .map(|r| r.height())
        .sum();
    assert!(rows > 32_000, "every subject has its row: {rows}");
    eprintln!(
        "xlsx over ssh at province scale: {} KiB in {took:?}; server RSS {base} KiB before, \
         {peak} KiB at most while exporting (+{} KiB)",
        xlsx.len() / 1024,
        peak.saturating_sub(base) / 1024 * 1024
    );

    // A client that stops reading: the server does not finish (nor buffer) the JSON file while
    // nothing is read; once read, the file is whole.
    let mut args = ssh_args(server.port, &ann_key);
    args.push("x@127.0.0.1".into());
    args.extend(
        ["export", "--format", "json", "--allow-incomplete"]
            .iter()
            .map(|w| w.to_string()),
    );
    let before = rss_kib(pid);
    let mut child = Command::new("ssh")
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("ssh");
    std::thread::sleep(Duration::from_secs(8));
    let stalled = rss_kib(pid);
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !logged.contains("exported json"),
        "the export ran ahead of a client that read nothing"
    );
    let mut json = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_end(&mut json)
        .expect("read");
    let status = child.wait().expect("ssh ends");
    assert!(status.success());
    let doc: serde_json::Value = serde_json::from_slice(&json).expect("the whole JSON file");
    assert_eq!(
        doc["subjects"].as_array().map(Vec::len),
        Some(32_000),
        "every subject"
    );
    eprintln!(
        "json over ssh at province scale: {} KiB; server RSS {before} KiB before, {stalled} KiB \
         with the client stalled 8 s",
        json.len() / 1024
    );
    assert!(
        stalled.saturating_sub(before) < (json.len() as u64 / 1024) / 2,
        "the server held back, not buffered: {before} → {stalled} KiB for a {} KiB file",
        json.len() / 1024
    );
    let deadline = Instant::now() + T;
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("exported json")
    {
        assert!(Instant::now() < deadline, "the export ends once read");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(server);
}
