//! Backups that carry the change journal once (format 3): the state is the journal from its
//! first kept checkpoint to the head, compressed; commits go on while a backup is written; a
//! backup damaged, cut short, or edited and resealed is refused with nothing left at the
//! target; backups written in formats 1 and 2 still restore.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use sha2::{Digest, Sha256};
use thidua::domain::{Cause, VerdictValue};
use thidua::store::backup::{self, Backup};
use thidua::store::{Actor, Store, VerdictWrite};

fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run thidua")
}

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/backup")
        .join(name)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn head_line(db: &Path) -> String {
    let out = thidua(db, &["--lang", "en", "log"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with("Change journal head"))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("a head line: {out:?}"))
}

fn no_leftovers(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring"))
        .collect();
    assert!(left.is_empty(), "no building folder left: {left:?}");
}

fn verdict(store: &Store, subject: &str, criterion: &str, value: VerdictValue) {
    let base_version = store
        .verdict(subject, criterion)
        .expect("read")
        .map_or(0, |v| v.version);
    store
        .set_verdict(
            &VerdictWrite {
                subject: subject.into(),
                criterion: criterion.into(),
                value,
                note: String::new(),
                base_version,
                cause: Cause::Edit,
                cell: None,
            },
            &Actor::new("An", Utc::now()),
        )
        .expect("verdict");
}

/// A version-3 backup split into its header (the JSON body of the first line) and its
/// journal's bytes, uncompressed.
fn split(file: &Path) -> (serde_json::Value, Vec<u8>) {
    let bytes = std::fs::read(file).expect("read");
    let nl = bytes
        .iter()
        .position(|b| *b == b'\n')
        .expect("a first line");
    let envelope: serde_json::Value = serde_json::from_slice(&bytes[..nl]).expect("json");
    assert_eq!(envelope["version"], 3);
    let mut journal = Vec::new();
    flate2::read::GzDecoder::new(&bytes[nl + 1..])
        .read_to_end(&mut journal)
        .expect("gzip");
    (envelope["body"].clone(), journal)
}

/// A version-3 backup made again from `header` and `journal`, every checksum in it recomputed
/// (what someone editing a backup would do).
fn sealed(header: &serde_json::Value, journal: &[u8]) -> Vec<u8> {
    let mut header = header.clone();
    header["journal_sha256"] = hex(&Sha256::digest(journal)).into();
    let body = serde_json::to_string(&header).expect("body");
    let mut out = format!(
        "{{\"format\":\"thidua-backup\",\"version\":3,\"sha256\":\"{}\",\"body\":{body}}}\n",
        hex(&Sha256::digest(body.as_bytes()))
    )
    .into_bytes();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(journal).expect("gzip");
    out.extend(gz.finish().expect("gzip"));
    out
}

/// A restore of `file` into `target` that must be refused with `want` in its message, leaving
/// nothing at the target and no building folder.
fn refused(dir: &Path, file: &Path, want: &str) {
    let target = dir.join("refused.db");
    let out = thidua(
        &target,
        &["--lang", "en", "restore", file.to_str().expect("utf-8")],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{file:?} refused: {out:?}");
    assert!(err.contains(want), "{file:?}: expected {want:?} in {err}");
    assert!(!target.exists(), "nothing at the target");
    no_leftovers(dir);
}

/// A backup carries the state once: the journal from its start to the head (no snapshot beside
/// it), so it is much smaller than the same journal in format 2; it restores to the same head,
/// the same trees and the reviewers' saved positions, and the restored journal goes on.
#[test]
fn a_backup_is_the_journal_once_and_restores_to_the_same_head() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let init = thidua(&db, &["init", "--sample"]);
    assert!(init.status.success(), "{init:?}");
    {
        let store = Store::open(&db).expect("open");
        for c in ["TT1", "TT2", "TT3"] {
            verdict(&store, "SNV", c, VerdictValue::Met);
        }
        store.put_cursor("An", b"SNV").expect("cursor");
    }
    let file = dir.path().join("backup.thidua");
    let out = thidua(
        &db,
        &["--lang", "en", "backup", file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{out:?}");
    let (header, journal) = split(&file);
    // The kept journal up to its last record: the space written ahead after it (zeros) is
    // not carried.
    let mut files: Vec<_> = std::fs::read_dir(db.join("journal"))
        .expect("journal")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let kept: Vec<u8> = files
        .iter()
        .flat_map(|p| std::fs::read(p).expect("segment"))
        .collect();
    assert!(journal.len() <= kept.len());
    assert_eq!(journal[..], kept[..journal.len()], "the whole kept journal");
    assert!(
        kept[journal.len()..].iter().all(|&b| b == 0),
        "only zeros written ahead are left out"
    );
    let segments = kept.len() as u64;
    assert_eq!(header["first_sequence"], 1);
    let size = std::fs::metadata(&file).expect("meta").len();
    assert!(
        size * 4 < segments,
        "compressed: {size} bytes for a journal of {segments}"
    );
    let Backup::Journal(opened) = backup::open(&file).expect("opens") else {
        panic!("a journal backup");
    };
    assert_eq!(
        opened.header.cursors.get("An").map(String::as_str),
        Some("SNV")
    );

    let restored = dir.path().join("restored.db");
    let out = thidua(
        &restored,
        &["--lang", "en", "restore", file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(head_line(&restored), head_line(&db));
    {
        let a = Store::open(&db).expect("open");
        let b = Store::open(&restored).expect("open");
        assert_eq!(a.checksum().expect("sum"), b.checksum().expect("sum"));
        assert_eq!(
            b.cursor("An").expect("cursor").as_deref(),
            Some(&b"SNV"[..])
        );
        let before = b.head().expect("head").0;
        verdict(&b, "SNV", "TT4", VerdictValue::NotMet);
        assert_eq!(b.head().expect("head").0, before + 1);
    }
    let verify = thidua(&restored, &["--lang", "en", "verify"]);
    assert!(
        String::from_utf8_lossy(&verify.stdout).contains("No problems found"),
        "{verify:?}"
    );
    // `read` gives the content of any version.
    let body = backup::read(&file).expect("read");
    assert_eq!(body.verdicts.len(), 3);
}

/// Damage, a cut, an edit of the journal with every checksum made again, an edit of the
/// header's head, and an unknown compression are all refused before anything is placed.
#[test]
fn a_damaged_cut_or_resealed_backup_is_refused_and_nothing_is_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let init = thidua(&db, &["init", "--sample"]);
    assert!(init.status.success(), "{init:?}");
    {
        let store = Store::open(&db).expect("open");
        verdict(&store, "SNV", "TT1", VerdictValue::Met);
    }
    let file = dir.path().join("backup.thidua");
    let out = thidua(
        &db,
        &["--lang", "en", "backup", file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{out:?}");
    let bytes = std::fs::read(&file).expect("read");
    let (header, journal) = split(&file);
    let write = |name: &str, content: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, content).expect("write");
        p
    };

    // One byte of the compressed journal changed.
    let mut damaged = bytes.clone();
    let at = damaged.len() - 40;
    damaged[at] ^= 0x55;
    refused(
        dir.path(),
        &write("damaged.thidua", &damaged),
        "damaged/truncated",
    );
    // Cut short.
    refused(
        dir.path(),
        &write("cut.thidua", &bytes[..bytes.len() * 2 / 3]),
        "truncated",
    );
    // The header changed without its checksum.
    let text = String::from_utf8_lossy(&bytes).replacen("\"sequence\":", "\"sequence\":1", 1);
    refused(
        dir.path(),
        &write("header.thidua", text.as_bytes()),
        "checksum does not match",
    );
    // A unit renamed inside a journal record, every checksum of the file made again: the
    // record's own checksum (or the chain after it) gives it away.
    let name = "Sở Nội vụ".as_bytes();
    let at = journal
        .windows(name.len())
        .position(|w| w == name)
        .expect("the unit's name in the journal");
    let mut edited = journal.clone();
    edited[at + 1] ^= 0x01;
    refused(
        dir.path(),
        &write("edited.thidua", &sealed(&header, &edited)),
        "the journal in the backup: journal segment",
    );
    // The head named by the header changed, resealed: the journal does not end there.
    let mut other = header.clone();
    other["head_sha256"] = "00".repeat(32).into();
    refused(
        dir.path(),
        &write("head.thidua", &sealed(&other, &journal)),
        "not at the head the backup names",
    );
    // The journal cut after its first record and the header resealed: ends elsewhere.
    let mut short = header.clone();
    short["segments"][0]["bytes"] = (journal.len() as u64 - 10).into();
    refused(
        dir.path(),
        &write(
            "short.thidua",
            &sealed(&short, &journal[..journal.len() - 10]),
        ),
        "not at the head the backup names",
    );
    let mut zstd = header.clone();
    zstd["compression"] = "zstd".into();
    refused(
        dir.path(),
        &write("zstd.thidua", &sealed(&zstd, &journal)),
        "compressed as \"zstd\"",
    );
    // The original still restores.
    let target = dir.path().join("good.db");
    let out = thidua(
        &target,
        &["--lang", "en", "restore", file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{out:?}");
}

/// Backups written by earlier versions restore: format 1 (a snapshot) and format 2 (a snapshot
/// with the journal in base64, written by the previous release: `v2_journal.json`, the sample
/// with three verdicts on SNV). A format-2 backup edited consistently and resealed is still
/// refused by its journal.
#[test]
fn backups_of_formats_1_and_2_still_restore_and_an_edited_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = dir.path().join("one.db");
    let out = thidua(
        &one,
        &[
            "--lang",
            "en",
            "restore",
            corpus("good.json").to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let two = dir.path().join("two.db");
    let out = thidua(
        &two,
        &[
            "--lang",
            "en",
            "restore",
            corpus("v2_journal.json").to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        head_line(&two),
        "Change journal head: record 7, SHA-256 0d5e0f804fa03dbcb1da22956a0259ffdb26a3b1e200f5d95e4aa2ceadbab3fb"
    );
    for db in [&one, &two] {
        let verify = thidua(db, &["--lang", "en", "verify"]);
        assert!(
            String::from_utf8_lossy(&verify.stdout).contains("No problems found"),
            "{verify:?}"
        );
    }
    {
        let store = Store::open(&two).expect("open");
        let v = store.verdict("SNV", "TT2").expect("read").expect("kept");
        assert_eq!(v.value, VerdictValue::NotMet);
        // A format-2 database backs up in format 3 and comes back the same.
        let file = dir.path().join("again.thidua");
        store.write_backup(&file, Utc::now()).expect("backup");
        let again = dir.path().join("again.db");
        match backup::restore_file(&again, &backup::open(&file).expect("open")).expect("restore") {
            Ok(restored) => {
                assert_eq!(
                    restored.checksum().expect("sum"),
                    store.checksum().expect("sum")
                )
            }
            Err(report) => panic!("{:?}", report.problems),
        }
    }

    // A unit renamed in the format-2 snapshot, resealed: the journal beside it disagrees.
    let raw = std::fs::read_to_string(corpus("v2_journal.json")).expect("read");
    let mut envelope: serde_json::Value = serde_json::from_str(&raw).expect("json");
    let subjects = envelope["body"]["subjects"]
        .as_array_mut()
        .expect("subjects");
    let snv = subjects.iter_mut().find(|s| s["id"] == "SNV").expect("SNV");
    snv["name"] = "Sở Nội vụ (đã sửa)".into();
    let body = serde_json::to_string(&envelope["body"]).expect("body");
    let text = format!(
        "{{\"format\":\"thidua-backup\",\"version\":2,\"sha256\":\"{}\",\"body\":{body}}}\n",
        hex(&Sha256::digest(body.as_bytes()))
    );
    let edited = dir.path().join("edited-v2.json");
    std::fs::write(&edited, text).expect("write");
    refused(
        dir.path(),
        &edited,
        "subjectno_subject differ from the change journal",
    );
}

/// A backup reads the journal's segment files, not sled, and holds the writer lock only to
/// read the head: commits made while it is written go through, each in a small fraction of
/// the backup's time, and the backup is the state at the head it started from.
#[test]
fn commits_go_on_while_a_backup_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("big.db");
    let sample = thidua::interchange::campaign::sample();
    let body = thidua::synth::database(&sample, 200, 30_000, 60, 7);
    let store = Arc::new(backup::restore(&db, &body).expect("bulk load"));
    // Subjects and criteria to decide while the backup runs.
    let targets: Vec<(String, String)> = body
        .subjects
        .iter()
        .filter(|s| s.value.tier == "individual")
        .take(200)
        .map(|s| {
            let group = sample.group_of_tier(&s.value.tier).expect("group");
            (s.value.id.clone(), group.criteria[0].id.clone())
        })
        .collect();
    let (start_seq, _) = store.head().expect("head");

    let file = dir.path().join("during.thidua");
    let running = Arc::new(AtomicBool::new(true));
    let backup_thread = {
        let store = Arc::clone(&store);
        let running = Arc::clone(&running);
        let file = file.clone();
        std::thread::spawn(move || {
            let t = Instant::now();
            store.write_backup(&file, Utc::now()).expect("backup");
            running.store(false, Ordering::SeqCst);
            t.elapsed()
        })
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut during = Vec::new();
    let mut i = 0;
    while running.load(Ordering::SeqCst) {
        assert!(Instant::now() < deadline, "the backup ends in time");
        let (s, c) = &targets[i % targets.len()];
        let value = if (i / targets.len()).is_multiple_of(2) {
            VerdictValue::NotMet
        } else {
            VerdictValue::Met
        };
        let t = Instant::now();
        verdict(&store, s, c, value);
        let took = t.elapsed();
        if running.load(Ordering::SeqCst) {
            during.push(took);
        }
        i += 1;
    }
    let backup_took = backup_thread.join().expect("backup thread");
    let slowest = during.iter().max().copied().unwrap_or_default();
    println!(
        "backup {backup_took:?}; {} commits during it, slowest {slowest:?}",
        during.len()
    );
    assert!(
        during.len() >= 5,
        "commits went on during the {backup_took:?} backup: {during:?}"
    );
    // With the writer lock held through the backup (as format 2 did), none could finish
    // during it but the one already under way.
    let mut sorted = during.clone();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    assert!(
        median * 2 < backup_took,
        "commits did not wait for the backup (median {median:?} of {backup_took:?})"
    );
    // The backup is the state at a head between the start and the commits after it.
    let Backup::Journal(opened) = backup::open(&file).expect("open") else {
        panic!("a journal backup");
    };
    let (end_seq, _) = store.head().expect("head");
    assert!(
        opened.header.sequence >= start_seq && opened.header.sequence < end_seq,
        "{} within {start_seq}..{end_seq}",
        opened.header.sequence
    );
}
