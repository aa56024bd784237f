//! A full disk under the real console in a pty: the key that cannot be saved says the disk
//! holding the database is full and that nothing was saved, the old value stays on screen, the
//! same key works again once space is freed (no restart), and quitting when the rolling backup
//! cannot be written says so and ends with a failure status. On a small tmpfs mounted inside
//! the test; skipped, with the reason printed, where mounting is not allowed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use thidua::domain::VerdictValue;
use thidua::store::Store;

use crate::pty;

/// A tmpfs of `size` mounted on a fresh folder, unmounted (lazily) on drop.
struct SmallDisk {
    root: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Result<SmallDisk, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let root = dir.path().to_path_buf();
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
        Ok(SmallDisk { root, _dir: dir })
    }

    /// Fills the disk with a file until nothing more fits.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.root.join("filler");
        let mut f = std::fs::File::create(&filler).expect("create filler");
        let block = vec![0xA5u8; 4096];
        while f.write_all(&block).is_ok() {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.root).status();
    }
}

fn database(db: &Path) {
    crate::command::units_db(db, 20);
}

/// How many criteria the progress line says are decided ("… 3/200 criteria …").
fn decided(screen: &str) -> usize {
    let line = screen
        .lines()
        .find(|l| l.contains(" criteria"))
        .unwrap_or_else(|| panic!("no progress line in\n{screen}"));
    let before = &line[..line.find(" criteria").expect("criteria")];
    let count = before.rsplit(' ').next().expect("count");
    count
        .split('/')
        .next()
        .expect("n")
        .parse()
        .expect("a number")
}

#[test]
fn a_full_disk_is_told_the_old_value_stays_and_the_console_recovers_without_a_restart() {
    let disk = match SmallDisk::mount("16m") {
        Ok(d) => d,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    let db = disk.root.join("r.db");
    database(&db);
    let mut c = pty::Console::open(&db, &["--lang", "en"], &[], 80, 24, false);
    c.wait_for("Progress");
    // A long note on TT1, saved while there is room; then the disk is filled and its value
    // changed back and forth (each commit's journal record carries the note, in the verdict
    // and in its audit event): the first commit that needs room is refused.
    c.send("\r");
    c.send("e");
    c.send(&format!("\x1b[200~{}\x1b[201~", "ghi chú dài ".repeat(300)));
    c.send("\r");
    c.wait_for("saved ");
    let filler = disk.fill();
    let mut refused = false;
    for _ in 0..60 {
        let (f, b) = (c.frames(), c.bytes());
        // "c" opens the reason with the note in it, Enter keeps it, then up to TT1 again, "y"
        // decides it met (keeping the note) and up again.
        c.send("c\r\x1b[Ay\x1b[A");
        c.settle(f, b, Duration::from_millis(200));
        if c.contents().contains("disk full") {
            refused = true;
            break;
        }
    }
    if !refused {
        let log = std::fs::read_to_string(disk.root.join("thidua.log")).unwrap_or_default();
        println!("LOG:\n{log}");
    }
    assert!(refused, "the disk never filled up:\n{}", c.contents());
    // Let the keys already typed be answered.
    let (f, b) = (c.frames(), c.bytes());
    c.send("y");
    c.settle(f, b, Duration::from_millis(500));
    let screen = c.contents();
    assert!(
        screen.contains(&format!("ERROR, not saved: disk full ({}", db.display())),
        "{screen}"
    );
    let before = decided(&screen);
    // Still full: the next key is refused the same way, and nothing changes.
    let (f, b) = (c.frames(), c.bytes());
    c.send("y");
    c.settle(f, b, Duration::from_millis(300));
    let screen = c.contents();
    assert!(screen.contains("disk full"), "{screen}");
    assert_eq!(decided(&screen), before, "{screen}");
    // Space freed: the same key works, with no restart.
    std::fs::remove_file(&filler).expect("free space");
    c.send("y");
    c.wait_for("saved ");
    let screen = c.contents();
    assert!(!screen.contains("disk full"), "{screen}");
    let after = decided(&screen);
    assert!(after >= before, "{screen}");
    // Fill the disk again and quit: the rolling backup cannot be written; the console says so
    // and ends with a failure status.
    let filler = disk.fill();
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(false), "quit must fail");
    let all = String::from_utf8_lossy(&c.shared.raw.lock().expect("raw")).into_owned();
    assert!(
        all.contains("the backup on quitting could not be written") && all.contains("is full"),
        "{all}"
    );
    std::fs::remove_file(&filler).expect("free space");
    // What was acknowledged is stored.
    let store = Store::open(&db).expect("open");
    // The note saved before the disk filled is there; the refused keys changed nothing.
    let v = store.verdict("DV000", "TT1").expect("read").expect("TT1");
    assert!(v.note.starts_with("ghi chú dài"), "{v:?}");
    assert!(
        matches!(v.value, VerdictValue::Pending | VerdictValue::Met),
        "{v:?}"
    );
    let stored_decided = store
        .verdicts()
        .expect("read")
        .iter()
        .filter(|(_, _, v)| v.value != VerdictValue::Pending)
        .count();
    assert_eq!(stored_decided, after);
    assert!(store.verify().expect("verify").is_ok());
}
