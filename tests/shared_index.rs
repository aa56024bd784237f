//! One index per store, shared by every console on it: a change saved in one console reaches
//! the other, each keeps its own selection, filter and search, and both go back to holding
//! the one shared version (the same memory) once the change is in. The snapshot kept beside
//! the database is used only when it was made at the journal's current head.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::console::{keys, sample_store};
use thidua::app::{Filter, Mode, Msg, Role};
use thidua::domain::{Lang, VerdictValue};
use thidua::runtime::Session;
use thidua::runtime::session::LoadProgress;
use thidua::runtime::shared_index::{Early, SNAPSHOT_FILE, SharedIndex, Source};
use thidua::store::Store;

fn open(index: &Arc<SharedIndex>, who: &str) -> Session {
    Session::open_shared(
        index,
        who,
        Lang::Vi,
        Role::Reviewer,
        false,
        (80, 24),
        &LoadProgress::default(),
    )
    .expect("session")
}

fn press(s: &mut Session, spec: &str) {
    for k in keys(spec) {
        s.handle(Msg::Key(k));
    }
}

fn current(index: &SharedIndex) -> (thidua::app::Index, Option<Source>) {
    index
        .current_from(&LoadProgress::default())
        .expect("current index")
}

fn current_id(s: &Session) -> String {
    s.model
        .current_entry()
        .map(|e| e.subject.id.clone())
        .unwrap_or_default()
}

#[test]
fn two_consoles_share_one_index_and_keep_their_own_view() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let shared = SharedIndex::new(store.clone());
    let mut a = open(&shared, "an");
    let mut b = open(&shared, "binh");
    let (master, made) = current(&shared);
    assert_eq!(made, None, "made once, by the first console");
    assert!(a.model.index().shares_storage_with(&master));
    assert!(b.model.index().shares_storage_with(&master));

    // Each has a view of its own: b moves down and filters on pending, a searches.
    press(&mut b, "jjjf");
    assert_eq!(b.model.filter(), Filter::Pending);
    let b_selected = current_id(&b);
    press(&mut a, "/so noi vu");
    let Mode::Search(search) = a.model.mode() else {
        panic!("a is searching");
    };
    let hits = search.hits.clone();
    assert!(!hits.is_empty(), "the search finds Sở Nội vụ");
    press(&mut a, "<enter>");
    let a_selected = current_id(&a);
    assert_ne!(a_selected, b_selected, "they look at different subjects");

    // a decides a criterion; b hears of it through the store and the shared index.
    press(&mut a, "<enter><home>y");
    let i = a.model.index().of_id(&a_selected).expect("entry");
    assert_eq!(a.model.index().value(i, 0), VerdictValue::Met);
    assert!(
        !a.model.index().shares_storage_with(&current(&shared).0),
        "a applied its own save to its clone"
    );
    a.poll_changes();
    b.poll_changes();
    assert_eq!(b.model.index().value(i, 0), VerdictValue::Met, "b sees it");
    let (master, made) = current(&shared);
    assert_eq!(made, None, "a change is applied, not rebuilt");
    assert_eq!(master.value(i, 0), VerdictValue::Met, "applied once, here");
    assert!(
        a.model.index().shares_storage_with(&master),
        "a shares the one version again"
    );
    assert!(
        b.model.index().shares_storage_with(&master),
        "b shares the one version again"
    );

    // The views are untouched by the other's work.
    assert_eq!(current_id(&b), b_selected);
    assert_eq!(b.model.filter(), Filter::Pending);
    assert_eq!(current_id(&a), a_selected);
    assert_eq!(a.model.filter(), Filter::All);

    // A third console opens with the current version, the change included.
    let c = open(&shared, "chi");
    assert_eq!(c.model.index().value(i, 0), VerdictValue::Met);
    assert!(c.model.index().shares_storage_with(&current(&shared).0));
}

/// Waits for the snapshot written in the background after a build.
fn wait_for_snapshot(store: &Store) -> std::fs::Metadata {
    let path = store.path().join(SNAPSHOT_FILE);
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(m) = std::fs::metadata(&path) {
            return m;
        }
        assert!(Instant::now() < until, "no snapshot written at {path:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_snapshot_is_used_at_the_same_head_and_never_when_stale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let (_, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Built), "no snapshot yet");
    let written = wait_for_snapshot(&store);

    // Nothing committed since: the next start reads it.
    let (index, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Snapshot));
    let i = index.of_id("VPUBND").expect("entry");
    assert_eq!(index.value(i, 0), VerdictValue::Pending);

    // A verdict is committed: the snapshot is stale, the index is built and shows it.
    let shared = SharedIndex::new(store.clone());
    let mut s = open(&shared, "an");
    press(&mut s, "<enter><home>y");
    assert_eq!(
        store
            .verdict("VPUBND", "TT1")
            .expect("read")
            .map(|v| v.value),
        Some(VerdictValue::Met)
    );
    drop(s);
    let (index, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Built), "a stale snapshot is not used");
    assert_eq!(index.value(i, 0), VerdictValue::Met);

    // The rebuild wrote a new snapshot, at the new head, which is then used.
    let until = Instant::now() + Duration::from_secs(20);
    while std::fs::metadata(store.path().join(SNAPSHOT_FILE))
        .and_then(|m| m.modified())
        .ok()
        == written.modified().ok()
    {
        assert!(Instant::now() < until, "no new snapshot");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (index, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Snapshot));
    assert_eq!(index.value(i, 0), VerdictValue::Met);

    // A damaged snapshot at the right head is refused too.
    let path = store.path().join(SNAPSHOT_FILE);
    let mut bytes = std::fs::read(&path).expect("snapshot");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&path, &bytes).expect("damage it");
    let (index, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Built), "a damaged snapshot is not used");
    assert_eq!(index.value(i, 0), VerdictValue::Met);
}

/// The index made from the snapshot read and decoded on a thread of its own, as the local
/// console does while the store opens.
fn current_early(store: &Arc<Store>) -> (thidua::app::Index, Option<Source>) {
    let early = Early::start(store.path());
    assert!(early.is_some(), "the early read started");
    current(&SharedIndex::with_early(store.clone(), early))
}

/// A snapshot read before the store is open is checked against the opened store's head and
/// campaign like one read after: used when current, never when stale or damaged.
#[test]
fn a_snapshot_read_while_the_store_opens_is_used_only_when_current() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    // No snapshot yet: built.
    let (_, made) = current_early(&store);
    assert_eq!(made, Some(Source::Built), "no snapshot yet");
    let written = wait_for_snapshot(&store);
    let (index, made) = current_early(&store);
    assert_eq!(made, Some(Source::Snapshot), "current: used");
    let i = index.of_id("VPUBND").expect("entry");
    assert_eq!(index.value(i, 0), VerdictValue::Pending);
    // What was read early is what is used: the file is moved away once the read is over.
    let path = store.path().join(SNAPSHOT_FILE);
    let early = Early::start(store.path()).expect("the early read started");
    let until = Instant::now() + Duration::from_secs(20);
    while !early.is_finished() {
        assert!(Instant::now() < until, "the early read never ended");
        std::thread::sleep(Duration::from_millis(5));
    }
    let aside = store.path().join("snapshot.aside");
    std::fs::rename(&path, &aside).expect("move it away");
    let (index, made) = current(&SharedIndex::with_early(store.clone(), Some(early)));
    assert_eq!(made, Some(Source::Snapshot), "the early read was used");
    assert_eq!(index.value(i, 0), VerdictValue::Pending);
    std::fs::rename(&aside, &path).expect("put it back");

    // Read early, then a verdict is committed before the index is made: stale, built.
    let early = Early::start(store.path());
    let shared = SharedIndex::new(store.clone());
    let mut s = open(&shared, "an");
    press(&mut s, "<enter><home>y");
    drop(s);
    let (index, made) = current(&SharedIndex::with_early(store.clone(), early));
    assert_eq!(
        made,
        Some(Source::Built),
        "a snapshot stale by the open is not used"
    );
    assert_eq!(index.value(i, 0), VerdictValue::Met);

    // The new snapshot is used; a damaged one is not.
    let until = Instant::now() + Duration::from_secs(20);
    while std::fs::metadata(&path).and_then(|m| m.modified()).ok() == written.modified().ok() {
        assert!(Instant::now() < until, "no new snapshot");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (index, made) = current_early(&store);
    assert_eq!(made, Some(Source::Snapshot));
    assert_eq!(index.value(i, 0), VerdictValue::Met);
    // A current snapshot put in place after the early read found none (the previous holder
    // writing it as it quit) is read then, not built over.
    std::fs::rename(&path, &aside).expect("move it away");
    let early = Early::start(store.path()).expect("the early read started");
    let until = Instant::now() + Duration::from_secs(20);
    while !early.is_finished() {
        assert!(Instant::now() < until, "the early read never ended");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::fs::rename(&aside, &path).expect("put it in place");
    let (index, made) = current(&SharedIndex::with_early(store.clone(), Some(early)));
    assert_eq!(made, Some(Source::Snapshot), "read after the early read");
    assert_eq!(index.value(i, 0), VerdictValue::Met);
    let mut bytes = std::fs::read(&path).expect("snapshot");
    let modified = || std::fs::metadata(&path).and_then(|m| m.modified()).ok();
    for at in [bytes.len() / 2, 40] {
        let mut bad = bytes.clone();
        bad[at] ^= 0x55;
        std::fs::write(&path, &bad).expect("damage it");
        let damaged = modified();
        let (index, made) = current_early(&store);
        assert_eq!(made, Some(Source::Built), "a damaged snapshot is not used");
        assert_eq!(index.value(i, 0), VerdictValue::Met);
        // The build writes a whole snapshot over it in the background: waited for, so the
        // next damage is not replaced meanwhile.
        let until = Instant::now() + Duration::from_secs(20);
        while modified() == damaged {
            assert!(
                Instant::now() < until,
                "no snapshot written over the damaged one"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    // Unreadable where the early read looks (a folder in its place): built, nothing trusted.
    bytes.clear();
    std::fs::remove_file(&path).expect("remove");
    std::fs::create_dir(&path).expect("a folder in its place");
    let (index, made) = current_early(&store);
    assert_eq!(made, Some(Source::Built));
    assert_eq!(index.value(i, 0), VerdictValue::Met);
}

#[test]
fn a_console_quitting_keeps_the_snapshot_of_its_last_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let path = store.path().join(SNAPSHOT_FILE);
    let mut s = Session::new(store.clone(), "an", Lang::Vi, Role::Reviewer, false, 80, 24)
        .expect("session");
    // The first start builds; its own snapshot (written in the background) is then out of
    // date after the verdict below, whenever it lands.
    press(&mut s, "<enter><home>y");
    s.poll_changes();
    assert!(s.keep_index(), "written at quit");
    let head = store.head().expect("journal head");
    // Quitting again with nothing new writes nothing.
    assert!(!s.keep_index(), "already current");
    drop(s);
    assert!(path.exists());
    let (index, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Snapshot), "the next start reads it");
    let i = index.of_id("VPUBND").expect("entry");
    assert_eq!(
        index.value(i, 0),
        VerdictValue::Met,
        "with the last verdict"
    );
    assert_eq!(store.head(), Some(head));
}

/// The real binary: a reviewer decides a criterion and quits; the snapshot beside the
/// database is then at the journal's head, and the next start reads it.
#[test]
fn the_local_console_leaves_a_current_snapshot_when_it_quits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_store(&dir).path().to_path_buf();
    let path = db.join(SNAPSHOT_FILE);
    let mut c = crate::pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Tiến độ");
    c.send("\r");
    c.send("y");
    c.wait_for("đã lưu");
    c.send("q");
    assert_eq!(c.wait_exit(Duration::from_secs(20)), Some(true));
    let store = Arc::new(Store::open(&db).expect("reopen"));
    let bytes = std::fs::read(&path).expect("a snapshot was left");
    assert_eq!(
        thidua::app::index::snapshot::made_at(&bytes),
        store.head(),
        "made at the journal's head"
    );
    let (index, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Snapshot), "the next start reads it");
    let i = index.of_id("VPUBND").expect("entry");
    assert_eq!(index.value(i, 0), VerdictValue::Met);
}

/// A snapshot written by an earlier version of the format, at the journal's current head, is
/// not read (its layout is another): the index is built from the store, and a snapshot of this
/// format takes its place and is used at the next start.
#[test]
fn a_snapshot_of_an_earlier_format_is_built_over_not_misread() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sample_store(&dir);
    let (built, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Built));
    wait_for_snapshot(&store);
    let path = store.path().join(SNAPSHOT_FILE);
    let mut bytes = std::fs::read(&path).expect("snapshot");
    // The header is postcard: the 8-byte magic word, then the format number (one byte while
    // it is below 128).
    assert_eq!(&bytes[..8], b"THIDUAIX");
    assert!(bytes[8] > 2 && bytes[8] < 128, "format {}", bytes[8]);
    bytes[8] = 2;
    std::fs::write(&path, &bytes).expect("an older format");
    let old = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
    assert_eq!(thidua::app::index::snapshot::made_at(&bytes), None);

    let (index, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Built), "an older format is not read");
    assert_eq!(index.entries.len(), built.entries.len());
    let until = Instant::now() + Duration::from_secs(20);
    while std::fs::metadata(&path).and_then(|m| m.modified()).ok() == old {
        assert!(Instant::now() < until, "no snapshot of this format written");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (index, made) = current(&SharedIndex::new(store.clone()));
    assert_eq!(made, Some(Source::Snapshot), "the new one is read");
    assert_eq!(index.entries.len(), built.entries.len());
    assert_eq!(index.totals, built.totals);
}
