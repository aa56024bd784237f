//! The change journal: the console killed with SIGKILL while scoring fast, then one random
//! bit of sled's log flipped among the bytes it wrote since the round began (past its last
//! snapshot): every verdict the screen showed saved is there after reopening. One random bit
//! flipped in the journal: opening refuses, naming segment, offset and record, and `verify`
//! says the same. A torn final record is dropped and everything before it kept. A database
//! without a journal gets one starting with a checkpoint of its state.
//!
//! Rounds: 5 by default, 100 with THIDUA_SOAK=1. Opens use `Store::open_moved`, which waits out
//! sled's file lock for the moment it is still held after the previous store was dropped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use chrono::Utc;
use thidua::domain::{Cause, VerdictValue};
use thidua::store::journal::{self, Op};
use thidua::store::{Actor, Store, StoreError, VerdictWrite};

use crate::faults::{database, shown};
use crate::pty;

fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run thidua")
}

fn segment(db: &Path) -> PathBuf {
    db.join(journal::DIR).join(journal::segment_name(1))
}

fn met(store: &Store, subject: &str, criterion: &str) {
    store
        .set_verdict(
            &VerdictWrite {
                subject: subject.into(),
                criterion: criterion.into(),
                value: VerdictValue::Met,
                note: String::new(),
                base_version: 0,
                cause: Cause::Edit,
                cell: None,
            },
            &Actor::new("an", Utc::now()),
        )
        .expect("verdict");
}

#[test]
fn sigkill_then_a_flipped_bit_in_sleds_log_loses_no_acknowledged_verdict() {
    let rounds = if std::env::var_os("THIDUA_SOAK").is_some() {
        100
    } else {
        5
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut db = dir.path().join("db");
    let mut acknowledged: BTreeMap<(String, String), VerdictValue> = BTreeMap::new();
    let mut total = 0;
    let mut rng = thidua::synth::Rng::new(13);
    let mut flipped_rounds = 0;
    let (mut replayed, mut rounds_replayed) = (0, 0);
    for round in 0..rounds {
        // A fresh database every 25 rounds, long before scoring reaches its last subject
        // (where keys would decide an already decided criterion again).
        if round % 25 == 0 {
            total += acknowledged.len();
            acknowledged.clear();
            db = dir.path().join(format!("db{round}"));
            database(&db);
        }
        let log = db.join("db");
        let before_log = std::fs::read(&log).expect("sled's log");
        let mut c = pty::Console::open(&db, &[], &[], 80, 24, true);
        c.wait_until("the first frame", |c| {
            c.frames() >= 1 && c.contents().contains("Tiến độ")
        });
        c.send("]l");
        let mut keys = String::new();
        for _ in 0..120 {
            keys.push_str(if rng.below(4) == 0 { "n\r" } else { "y" });
        }
        let before = c.shared.kept.lock().expect("frames").len();
        c.send(&keys);
        let want = 3 + rng.below(40);
        c.wait_until(&format!("scored verdicts in round {round}"), |c| {
            let frames = c.shared.kept.lock().expect("frames");
            let seen: std::collections::BTreeSet<_> = frames
                .iter()
                .skip(before)
                .flat_map(|f| shown(f).into_iter().map(|(k, _)| k))
                .collect();
            seen.len() > want
        });
        pty::signal(c.pid(), "KILL");
        assert!(c.wait_exit(Duration::from_secs(10)).is_some(), "killed");
        for frame in c.shared.kept.lock().expect("frames").iter() {
            for (key, value) in shown(frame) {
                // Frames come in order: the last one showing a criterion has its value.
                acknowledged.insert(key, value);
            }
        }

        // One bit flipped among the bytes of sled's log this round wrote.
        let mut after_log = std::fs::read(&log).expect("sled's log");
        let changed: Vec<usize> = (0..after_log.len())
            .filter(|&i| before_log.get(i) != after_log.get(i))
            .collect();
        if !changed.is_empty() {
            let at = changed[rng.below(changed.len())];
            after_log[at] ^= 1 << rng.below(8);
            std::fs::write(&log, &after_log).expect("flip");
            flipped_rounds += 1;
        }

        let store = match Store::open_moved(&db) {
            Ok(s) => s,
            Err(e) => panic!(
                "round {round}: the database does not open after a flipped bit in sled's log: {}",
                e.explain(&db, thidua::domain::Lang::En)
            ),
        };
        replayed += store.replayed();
        if store.replayed() > 0 {
            rounds_replayed += 1;
        }
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
    total += acknowledged.len();
    println!(
        "{rounds} rounds (a bit of sled's log flipped in {flipped_rounds}; sled had lost records in {rounds_replayed}, {replayed} replayed from the journal): {total} acknowledged verdicts all found"
    );
    assert!(total >= rounds, "too few verdicts were scored");
}

#[test]
fn a_flipped_bit_in_the_journal_refuses_the_open_and_verify_names_the_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    {
        let store = Store::open_moved(&db).expect("open");
        for c in ["TT1", "TT2", "TT3", "TT4"] {
            met(&store, "DV001", c);
        }
    }
    let seg = segment(&db);
    let clean = std::fs::read(&seg).expect("segment");
    // Where each record starts, from a clean scan, and where the records end.
    let mut starts = Vec::new();
    let tail = journal::scan(&db.join(journal::DIR), |r, at| {
        starts.push((at.offset, r.seq))
    })
    .expect("a clean journal");
    let end = tail.segment.expect("a segment").2 as usize;
    let mut rng = thidua::synth::Rng::new(7);
    // The last record, then random bits anywhere in the records.
    let last = starts.last().expect("a record").0 as usize * 8;
    let mut bits = vec![last + rng.below(end * 8 - last)];
    bits.extend((0..4).map(|_| rng.below(end * 8)));
    for bit in bits {
        let mut bytes = clean.clone();
        bytes[bit / 8] ^= 1 << (bit % 8);
        std::fs::write(&seg, &bytes).expect("flip");
        let (offset, seq) = *starts
            .iter()
            .rev()
            .find(|(o, _)| *o as usize <= bit / 8)
            .expect("a record");
        let named = |d: &journal::Damage| {
            assert_eq!((d.offset, d.seq), (offset, seq), "bit {bit}: {d}");
            assert_eq!(d.segment, seg);
        };
        match Store::open_moved(&db) {
            Err(StoreError::Journal(d)) => named(&d),
            Err(other) => panic!("bit {bit}: {other}"),
            // A record sled had already applied is checked beside the console, not before
            // it opens: the check finds the damage and every later write is refused with it.
            Ok(store) => {
                assert!(
                    seq < tail.seq,
                    "bit {bit}: the last record is checked at open"
                );
                match store.journal_check() {
                    Err(StoreError::Journal(d)) => named(&d),
                    other => panic!("bit {bit}: the check found no damage: {other:?}"),
                }
                match store.set_verdict(
                    &VerdictWrite {
                        subject: "DV001".into(),
                        criterion: "TT5".into(),
                        value: VerdictValue::Met,
                        note: String::new(),
                        base_version: 0,
                        cause: Cause::Edit,
                        cell: None,
                    },
                    &Actor::new("an", Utc::now()),
                ) {
                    Err(StoreError::Journal(d)) => named(&d),
                    other => panic!("bit {bit}: a write over a damaged journal: {other:?}"),
                }
            }
        }
        let out = thidua(&db, &["--lang", "en", "verify"]);
        let text = String::from_utf8_lossy(&out.stderr).to_string()
            + &String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "verify exits non-zero: {text}");
        assert!(
            text.contains(&format!("offset {offset}, record {seq}")) && text.contains("000001.log"),
            "verify names the record: {text}"
        );
        assert!(!text.contains("No problems found"), "{text}");
    }
    std::fs::write(&seg, &clean).expect("undo");
    let store = Store::open_moved(&db).expect("open");
    store.journal_check().expect("a clean journal");
}

#[test]
fn a_torn_final_record_is_dropped_and_everything_before_it_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    {
        let store = Store::open_moved(&db).expect("open");
        met(&store, "DV002", "TT1");
        met(&store, "DV002", "TT2");
    }
    let seg = segment(&db);
    let good = std::fs::read(&seg).expect("segment");
    let tail = journal::scan(&db.join(journal::DIR), |_, _| {}).expect("scan");
    let end = tail.segment.as_ref().expect("a segment").2 as usize;
    // The frame a crash cut short: the next record, of several sectors, of which only some
    // reached the disk (the others are still the zeros written ahead).
    let payload = journal::encode(
        journal::KIND_CHANGE,
        tail.seq + 1,
        0,
        &tail.head,
        "an",
        &[Op {
            tree: journal::tree::LOCKS,
            key: b"DV002".to_vec(),
            old: None,
            new: Some(format!("{{\"note\":\"{}\"}}", "x".repeat(1500)).into_bytes()),
        }],
    );
    let framed = journal::frame(&payload);
    let sector = journal::SECTOR as usize;
    let sectors = framed.len() / sector;
    assert!(sectors >= 3);
    for written in [vec![0], vec![0, 1], vec![sectors - 1], vec![1, sectors - 1]] {
        let mut bytes = good.clone();
        for i in &written {
            let at = i * sector;
            bytes[end + at..end + at + sector].copy_from_slice(&framed[at..at + sector]);
        }
        std::fs::write(&seg, &bytes).expect("torn");
        let store = Store::open_moved(&db).expect("a torn final record is a crash, not damage");
        assert_eq!(store.head().map(|h| h.0), Some(tail.seq), "{written:?}");
        for c in ["TT1", "TT2"] {
            assert!(store.verdict("DV002", c).expect("read").is_some());
        }
        assert!(store.locked_subjects().expect("locks").is_empty());
        drop(store);
        assert_eq!(std::fs::read(&seg).expect("segment"), good, "cleared");
    }
    // One more change follows the last good record.
    let store = Store::open_moved(&db).expect("open");
    met(&store, "DV002", "TT3");
    assert_eq!(store.head().map(|h| h.0), Some(tail.seq + 1));
}

#[test]
fn a_database_without_a_journal_gets_one_starting_with_a_checkpoint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    {
        let store = Store::open_moved(&db).expect("open");
        met(&store, "DV003", "TT1");
    }
    // As a database from before the journal: sled's state only.
    std::fs::remove_dir_all(db.join(journal::DIR)).expect("remove the journal");
    let sum = {
        let store = Store::open_moved(&db).expect("open");
        assert_eq!(store.head().map(|h| h.0), Some(1), "only the checkpoint");
        met(&store, "DV003", "TT2");
        store.checksum().expect("checksum")
    };
    let mut kinds = Vec::new();
    journal::scan(&db.join(journal::DIR), |r, _| {
        kinds.push((r.kind, r.ops.len()))
    })
    .expect("scan");
    assert_eq!(kinds[0].0, journal::KIND_CHECKPOINT);
    assert!(
        kinds[0].1 > 600,
        "the checkpoint holds every subject: {kinds:?}"
    );
    assert_eq!(kinds.len(), 2);
    let store = Store::open_moved(&db).expect("open");
    assert_eq!(store.checksum().expect("checksum"), sum);
    assert!(store.verdict("DV003", "TT1").expect("read").is_some());
}

#[test]
fn verify_folds_the_journal_and_names_a_verdict_sled_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    {
        let store = Store::open_moved(&db).expect("open");
        met(&store, "DV004", "TT1");
        met(&store, "DV004", "TT2");
        let report = store.verify().expect("verify");
        assert!(report.is_ok(), "{:?}", report.problems);
        assert!(report.journal_records >= 4, "{report:?}");
    }
    // sled loses one verdict behind thidua's back (its applied sequence stays as it was).
    {
        let raw = sled::open(&db).expect("sled");
        let no = thidua::store::keys::decode_no(
            &raw.open_tree("subjectid_subjectno")
                .expect("tree")
                .get(b"DV004")
                .expect("get")
                .expect("DV004"),
        )
        .expect("no");
        raw.open_tree("subjectcriterion_verdict")
            .expect("tree")
            .remove(thidua::store::keys::verdict_key(no, 1))
            .expect("remove");
        raw.flush().expect("flush");
    }
    // sled lets go of its lock a moment after it is dropped.
    let report = Store::open_moved(&db)
        .expect("open")
        .verify()
        .expect("verify");
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.starts_with("DV004 TT2: the verdict in the database is not the one")),
        "{:?}",
        report.problems
    );
    let out = thidua(&db, &["--lang", "en", "verify"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("DV004 TT2"), "{text}");
    assert!(!text.contains("No problems found"), "{text}");
}

#[test]
fn an_export_names_the_journal_head_it_was_made_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let head = {
        let store = Store::open_moved(&db).expect("open");
        met(&store, "DV005", "TT1");
        store.head().expect("a journal")
    };
    let out = dir.path().join("out.json");
    let o = thidua(
        &db,
        &[
            "export",
            "--format",
            "json",
            "--allow-incomplete",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    assert_eq!(doc["journal"]["sequence"], head.0, "{}", doc["journal"]);
    assert_eq!(doc["journal"]["head_sha256"], head.1.as_str());
    let log = thidua(&db, &["--lang", "en", "log"]);
    let text = String::from_utf8_lossy(&log.stdout);
    assert!(
        text.ends_with(&format!(
            "Change journal head: record {}, SHA-256 {}\n",
            head.0, head.1
        )),
        "{text}"
    );
}

#[test]
fn a_journal_written_by_an_earlier_build_is_read_and_continued_in_a_new_segment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    {
        let store = Store::open_moved(&db).expect("open");
        met(&store, "DV004", "TT1");
        met(&store, "DV004", "TT2");
    }
    // The same records in the first format (frames packed one after the other, no space
    // written ahead), as builds before sector-aligned frames wrote them.
    let mut old = Vec::new();
    let tail = journal::scan(&db.join(journal::DIR), |r, at| {
        let payload = journal::encode(r.kind, r.seq, r.at_ms, &r.prev, &r.actor, &r.ops);
        assert_eq!(
            journal::hash(&payload),
            *at.hash,
            "the payload is encoded the same"
        );
        old.extend_from_slice(&journal::frame_v1(&payload));
    })
    .expect("scan");
    std::fs::write(segment(&db), &old).expect("write the old journal");
    let sum = {
        let store = Store::open_moved(&db).expect("an old journal opens");
        assert_eq!(store.head().map(|h| h.0), Some(tail.seq));
        met(&store, "DV004", "TT3");
        store.checksum().expect("checksum")
    };
    // The old segment is kept as it was; the new record is in a new, aligned segment.
    assert_eq!(std::fs::read(segment(&db)).expect("read"), old);
    let second = db.join(journal::DIR).join(journal::segment_name(2));
    assert!(second.exists(), "a new segment");
    let mut seen = Vec::new();
    journal::scan(&db.join(journal::DIR), |r, at| seen.push((r.seq, at.no))).expect("scan");
    assert_eq!(seen.last(), Some(&(tail.seq + 1, 2)));
    let store = Store::open_moved(&db).expect("open");
    assert_eq!(store.checksum().expect("checksum"), sum);
    store.journal_check().expect("the whole chain checks");
    assert!(store.verify().expect("verify").is_ok());
    for c in ["TT1", "TT2", "TT3"] {
        assert!(store.verdict("DV004", c).expect("read").is_some(), "{c}");
    }
}

#[test]
fn concurrent_commits_are_all_kept_and_chained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    database(&db);
    let subjects: Vec<String> = (1..=8).map(|i| format!("DV{i:03}")).collect();
    let commits = {
        let store = std::sync::Arc::new(Store::open_moved(&db).expect("open"));
        let before = (store.journal_syncs(), store.head().map_or(0, |h| h.0));
        let threads: Vec<_> = subjects
            .iter()
            .cloned()
            .map(|subject| {
                let store = store.clone();
                std::thread::spawn(move || {
                    for c in ["TT1", "TT2", "TT3", "TT4"] {
                        met(&store, &subject, c);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        let commits = store.head().map_or(0, |h| h.0) - before.1;
        let syncs = store.journal_syncs() - before.0;
        println!("{commits} commits, {syncs} fdatasyncs");
        assert_eq!(commits, 32);
        assert!(syncs <= commits, "{syncs} syncs for {commits} commits");
        commits
    };
    let store = Store::open_moved(&db).expect("open");
    for s in &subjects {
        for c in ["TT1", "TT2", "TT3", "TT4"] {
            assert!(store.verdict(s, c).expect("read").is_some(), "{s} {c}");
        }
    }
    assert_eq!(store.head().map(|h| h.0 >= commits), Some(true));
    store.journal_check().expect("the whole chain checks");
    assert!(store.verify().expect("verify").is_ok());
}
