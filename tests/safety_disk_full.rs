//! A full disk: a commit that cannot be stored says so, naming the disk, and nothing of it is
//! kept; once space is freed the next commit works in the same process, with no restart. On a
//! small tmpfs mounted inside the test (skipped, with the reason printed, where mounting is not
//! allowed).

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Utc;
use thidua::domain::{Cause, Lang, Subject, VerdictValue};
use thidua::interchange::campaign;
use thidua::store::{Actor, Store, VerdictWrite};

/// A tmpfs of `size` mounted on a fresh folder, unmounted on drop.
pub struct SmallDisk {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl SmallDisk {
    pub fn mount(size: &str) -> Result<SmallDisk, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let root = dir.path().join("disk");
        std::fs::create_dir(&root).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(&root)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs was refused: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(SmallDisk { _dir: dir, root })
    }

    /// Fills the disk with a file until nothing more fits; returns the file.
    pub fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.root.join("filler");
        let mut f = std::fs::File::create(&filler).expect("create filler");
        let block = vec![0xA5u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.root).status();
    }
}

fn units(n: usize) -> Vec<Subject> {
    (0..n)
        .map(|i| Subject {
            id: format!("DV{i:03}"),
            name: format!("Đơn vị {i:03}"),
            tier: "province_agency".into(),
            parent: None,
            registered_on: None,
        })
        .collect()
}

fn write(subject: &str, value: VerdictValue, base: u64, note: &str) -> VerdictWrite {
    VerdictWrite {
        subject: subject.into(),
        criterion: "TT1".into(),
        value,
        note: note.into(),
        base_version: base,
        cause: Cause::Edit,
        cell: None,
    }
}

fn store_on(disk: &Path) -> Store {
    let actor = Actor::new("test", Utc::now());
    let store =
        Store::create(&disk.join("review.db"), &campaign::sample(), &actor).expect("create");
    store
        .upsert_subjects(&units(50), "test", &actor)
        .expect("subjects");
    store
}

#[test]
fn a_full_disk_refuses_the_commit_and_the_store_works_again_once_space_is_freed() {
    let disk = match SmallDisk::mount("8m") {
        Ok(d) => d,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    let store = store_on(&disk.root);
    let filler = disk.fill();
    let note = "x".repeat(2000);
    let mut failed = None;
    let mut stored = 0u32;
    for i in 0..2000 {
        let subject = format!("DV{:03}", i % 50);
        let base = store
            .verdict(&subject, "TT1")
            .expect("read")
            .map_or(0, |v| v.version);
        match store.set_verdict(
            &write(&subject, VerdictValue::Met, base, &note),
            &Actor::new("t", Utc::now()),
        ) {
            Ok(_) => stored += 1,
            Err(e) => {
                failed = Some((subject, base, e));
                break;
            }
        }
    }
    let (subject, base, e) = failed.expect("the disk never filled up");
    println!("disk full after {stored} commits: {e:?}");
    assert!(e.is_disk_full(), "{e:?}");
    let told = e.explain(store.path(), Lang::En);
    assert!(
        told.contains("is full") && told.contains("review.db"),
        "{told}"
    );
    // Nothing of the refused commit is kept: reading gives the old value, or (while sled
    // cannot be opened again on the full disk) says the disk is full.
    match store.verdict(&subject, "TT1") {
        Ok(v) => assert_eq!(v.map_or(0, |v| v.version), base),
        Err(e) => assert!(e.is_disk_full(), "{e:?}"),
    }
    // Still full: refused again, and said so again.
    let again = store.set_verdict(
        &write(&subject, VerdictValue::NotMet, base, "y"),
        &Actor::new("t", Utc::now()),
    );
    assert!(again.as_ref().is_err_and(|e| e.is_disk_full()), "{again:?}");
    // Space freed: the next commit works, with no restart.
    std::fs::remove_file(&filler).expect("free space");
    let saved = store
        .set_verdict(
            &write(&subject, VerdictValue::NotMet, base, "after"),
            &Actor::new("t", Utc::now()),
        )
        .expect("works again once space is freed");
    assert_eq!(saved.value, VerdictValue::NotMet);
    let path = store.path().to_path_buf();
    drop(store);
    let reopened = Store::open_moved(&path).expect("reopen");
    assert_eq!(
        reopened
            .verdict(&subject, "TT1")
            .expect("read")
            .map(|v| v.note),
        Some("after".to_string())
    );
    assert!(reopened.verify().expect("verify").is_ok());
}

/// Opening a database on a full disk: sled starts writing a snapshot and cannot finish it. The
/// open fails, saying the disk is full, and once space is freed the database opens whole
/// (sled would otherwise take the unfinished snapshot for the newest one and refuse it as
/// corrupt, for ever).
#[test]
fn a_database_opened_on_a_full_disk_opens_whole_once_space_is_freed() {
    let disk = match SmallDisk::mount("8m") {
        Ok(d) => d,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    let store = store_on(&disk.root);
    let path = store.path().to_path_buf();
    let before = store.checksum().expect("checksum");
    drop(store);
    // sled lets go of its lock a moment after the store is dropped.
    drop(Store::open_moved(&path).expect("reopen"));
    let filler = disk.fill();
    let mut told = None;
    for _ in 0..3 {
        match Store::open_moved(&path) {
            Ok(s) => drop(s),
            Err(e) => told = Some(e),
        }
    }
    if let Some(e) = &told {
        assert!(
            e.is_disk_full(),
            "opening on a full disk: {e:?} ({})",
            e.explain(&path, Lang::En)
        );
    }
    std::fs::remove_file(&filler).expect("free space");
    let store = Store::open_moved(&path).expect("opens once space is freed");
    assert_eq!(store.checksum().expect("checksum"), before);
    assert!(store.verify().expect("verify").is_ok());
    println!(
        "opening on the full disk {}",
        if told.is_some() {
            "failed as disk full"
        } else {
            "worked"
        }
    );
}

/// What a snapshot cut short by a full disk or a crash leaves (`snap.N.generating`, empty or
/// partial) does not make the database unopenable: it is removed and the open goes on.
#[test]
fn an_unfinished_sled_snapshot_does_not_brick_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_on(dir.path());
    let path = store.path().to_path_buf();
    let before = store.checksum().expect("checksum");
    drop(store);
    drop(Store::open_moved(&path).expect("reopen"));
    for (name, bytes) in [
        ("snap.FFFFFFFFFFFFFFF0.generating", &b""[..]),
        (
            "snap.FFFFFFFFFFFFFFF1.generating",
            &b"partial snapshot bytes"[..],
        ),
    ] {
        std::fs::write(path.join(name), bytes).expect("write");
        let store = Store::open_moved(&path).expect("opens");
        assert_eq!(store.checksum().expect("checksum"), before);
        drop(store);
        assert!(!path.join(name).exists(), "{name} was kept");
        drop(Store::open_moved(&path).expect("reopen"));
    }
}

/// Bytes of the files of `dir` on disk (blocks), the journal's folder left out.
fn sled_bytes(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut n = 0;
    for e in std::fs::read_dir(dir).expect("list").flatten() {
        let meta = e.metadata().expect("meta");
        if meta.is_dir() {
            if e.file_name() != thidua::store::journal::DIR {
                n += sled_bytes(&e.path());
            }
        } else {
            n += meta.blocks() * 512;
        }
    }
    n
}

/// What `journal::RESERVE` must cover: the space sled's own files take for the commits made
/// between two checks of the free space (one commit, flushed) and for a reopen (its snapshot).
/// Measured on verdicts with a 2,000-byte note (records of about 5 KB); printed, and checked
/// against the reserve.
#[test]
fn sleds_growth_per_commit_and_per_reopen_stays_within_the_reserve() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_on(dir.path());
    let path = store.path().to_path_buf();
    let note = "x".repeat(2000);
    let mut worst = 0u64;
    let mut before = sled_bytes(&path);
    let start = before;
    for i in 0..200 {
        let subject = format!("DV{:03}", i % 50);
        let base = store
            .verdict(&subject, "TT1")
            .expect("read")
            .map_or(0, |v| v.version);
        store
            .set_verdict(
                &write(&subject, VerdictValue::Met, base, &note),
                &Actor::new("t", Utc::now()),
            )
            .expect("commit");
        store.flush_sled().expect("flush");
        let now = sled_bytes(&path);
        worst = worst.max(now.saturating_sub(before));
        before = now;
    }
    drop(store);
    let closed = sled_bytes(&path);
    let store = Store::open_moved(&path).expect("reopen");
    drop(store);
    let reopened = sled_bytes(&path);
    println!(
        "figure: sled's files: {start} bytes at start, {closed} after 200 commits; largest growth from one commit and its flush {worst} bytes; a reopen added {} bytes; reserve {} bytes",
        reopened.saturating_sub(closed),
        thidua::store::journal::RESERVE
    );
    assert!(worst < thidua::store::journal::RESERVE, "{worst}");
    assert!(
        reopened.saturating_sub(closed) < thidua::store::journal::RESERVE,
        "{reopened} after {closed}"
    );
}
