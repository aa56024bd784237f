//! The one index of a server (or of the local console): built once from the store, or read
//! from the snapshot beside the database when that was made at the journal's current head,
//! then kept current by applying each committed change once. Every console opens with a
//! clone of the current version (a few pointers, see `app::index`) and goes back to sharing
//! it after each batch of changes (`Index::share`), so a console's memory is its view state.
//!
//! The index follows the store through a change feed of its own, subscribed before any
//! console's: the broadcast offers a change to subscribers in the order they subscribed, so
//! whenever a console has heard of a change, this feed has it too, and `current` (which
//! drains it first) is never behind the console asking.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

use crate::app::Index;
use crate::app::IndexBuilder;
use crate::app::index::snapshot;
use crate::store::{Change, ChangeFeed, Store};

use super::session::LoadProgress;

/// The snapshot's file name in the database folder.
pub const SNAPSHOT_FILE: &str = "index.snapshot";

/// In debug and test builds, making an index waits until the file this variable names exists,
/// so a test can connect consoles while the index is being made.
pub const GATE_VAR: &str = "THIDUA_TEST_INDEX_GATE";

/// How many records are read between two updates of `LoadProgress`.
const PROGRESS_EVERY: usize = 4096;

/// The index every console of one store shares.
pub struct SharedIndex {
    store: Arc<Store>,
    state: Mutex<State>,
    /// How far the build in progress has read, for the consoles waiting for it.
    building: LoadProgress,
    /// The journal head of the last snapshot this index wrote; held while one is written,
    /// so a late background write never replaces a newer snapshot.
    written: Arc<Mutex<Option<u64>>>,
    /// The snapshot being decoded since before the store was opened (`Early`), taken by the
    /// first making of the index.
    early: Mutex<Option<Early>>,
}

/// The snapshot beside a database, read and decoded on a thread of its own while the
/// database is being opened (the local console's start: sled's open and the snapshot's
/// decoding need nothing of each other). Nothing is trusted until the index is made:
/// `SharedIndex` then checks it against the store's head and campaign, exactly as a snapshot
/// read after the open is checked, and builds from the store if it is not current.
pub struct Early(std::thread::JoinHandle<Decoded>);

/// What the early read found.
enum Decoded {
    /// No snapshot beside the database.
    Missing,
    /// The file could not be read: the snapshot is read again once the store is open.
    Unreadable(std::io::Error),
    /// Read, and not a whole snapshot of this format.
    Refused(snapshot::Refused),
    Whole(Box<snapshot::Unchecked>),
}

impl Early {
    /// Starts reading and decoding the snapshot of the database at `db`; `None` if no thread
    /// could be started (the snapshot is then read after the open, as usual).
    pub fn start(db: &std::path::Path) -> Option<Early> {
        let path = db.join(SNAPSHOT_FILE);
        std::thread::Builder::new()
            .name("index-snapshot-read".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                let decoded = match std::fs::read(&path) {
                    Ok(bytes) => match snapshot::decode(&bytes) {
                        Ok(unchecked) => Decoded::Whole(Box::new(unchecked)),
                        Err(why) => Decoded::Refused(why),
                    },
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Decoded::Missing,
                    Err(e) => Decoded::Unreadable(e),
                };
                tracing::debug!(
                    "index snapshot {} read early in {:?}",
                    path.display(),
                    started.elapsed()
                );
                decoded
            })
            .inspect_err(|e| tracing::warn!("index snapshot not read early: {e}"))
            .ok()
            .map(Early)
    }

    /// Whether the read is over (its outcome waits to be checked).
    pub fn is_finished(&self) -> bool {
        self.0.is_finished()
    }
}

struct State {
    feed: ChangeFeed,
    /// `None` until first asked for, and after a change that needs a rebuild.
    index: Option<Index>,
}

/// Where the index came from when it was last made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Read from the snapshot beside the database.
    Snapshot,
    /// Built by reading every subject and verdict.
    Built,
}

impl SharedIndex {
    /// The shared index of `store`; nothing is read until `current` is first called.
    pub fn new(store: Arc<Store>) -> Arc<SharedIndex> {
        let feed = store.subscribe();
        Arc::new(SharedIndex {
            store,
            state: Mutex::new(State { feed, index: None }),
            building: LoadProgress::default(),
            written: Arc::new(Mutex::new(None)),
            early: Mutex::new(None),
        })
    }

    /// `new`, making the index from `early` (the snapshot decoded while the store was being
    /// opened) if it proves current.
    pub fn with_early(store: Arc<Store>, early: Option<Early>) -> Arc<SharedIndex> {
        let index = SharedIndex::new(store);
        *index.early.lock().unwrap_or_else(PoisonError::into_inner) = early;
        index
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The path of the snapshot kept for this store.
    pub fn snapshot_path(&self) -> PathBuf {
        self.store.path().join(SNAPSHOT_FILE)
    }

    /// The current version: every change committed so far applied (once, here), made first
    /// if there is none yet (counted in `progress`, which may also give it up).
    pub fn current(&self, progress: &LoadProgress) -> anyhow::Result<Index> {
        self.current_from(progress).map(|(index, _)| index)
    }

    /// `current`, telling where the index came from if it had to be made now.
    pub fn current_from(&self, progress: &LoadProgress) -> anyhow::Result<(Index, Option<Source>)> {
        let mut state = self.lock(progress)?;
        let rebuild = self.take_in(&mut state);
        let mut source = None;
        if rebuild {
            state.index = None;
            self.building.subjects.store(0, Ordering::Relaxed);
            self.building.verdicts.store(0, Ordering::Relaxed);
            self.building.making.store(true, Ordering::Relaxed);
            let started = std::time::Instant::now();
            let made = self.make(progress);
            self.building.making.store(false, Ordering::Relaxed);
            let (index, from) = made?;
            tracing::info!(
                "index ready: {} subjects, {} in {:?}",
                index.entries.len(),
                match from {
                    Source::Snapshot => "read from the snapshot",
                    Source::Built => "built from the store",
                },
                started.elapsed()
            );
            state.index = Some(index);
            source = Some(from);
        }
        let index = state.index.clone().unwrap_or_default();
        Ok((index, source))
    }

    /// Applies the changes heard since the last look; true if the index must be made again
    /// (there is none yet, or the roster changed, or changes were lost).
    fn take_in(&self, state: &mut State) -> bool {
        let changes = state.feed.drain();
        let mut rebuild = state.index.is_none();
        if let Some(index) = state.index.as_mut() {
            let campaign = self.store.campaign();
            for change in changes {
                match change {
                    Change::Verdict {
                        subject,
                        criterion,
                        verdict,
                    } => {
                        index.put_verdict_of(campaign, &subject, &criterion, &verdict);
                    }
                    Change::Initiative(initiative) => {
                        index.put_initiative(initiative);
                    }
                    Change::Roster | Change::Resync => rebuild = true,
                    // Who is assigned what is not in the index: each console reads it.
                    Change::Assignments => {}
                }
            }
        }
        rebuild
    }

    /// Writes the snapshot of the current version now, if it is not already the one on disk.
    /// Only for the only writer of its database with no write in flight (the local console
    /// quitting, which holds the database's lock and has had every write answered): then
    /// every committed change has been offered to this index's feed, and the version written
    /// is exactly the state at the journal's head. A change committed meanwhile, or one that
    /// needs a rebuild, means nothing is written. Returns whether a snapshot was written.
    pub fn persist(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(head) = self.store.head() else {
            return false;
        };
        let path = self.snapshot_path();
        if snapshot_head(&path).as_ref() == Some(&head) {
            return false;
        }
        if self.take_in(&mut state) || self.store.head().as_ref() != Some(&head) {
            return false;
        }
        let Some(index) = state.index.clone() else {
            return false;
        };
        drop(state);
        write_once(&self.written, self.store.campaign(), &index, &head, &path)
    }

    /// The state, once whoever holds it lets go. While another console's call is making the
    /// index, its counts are copied into `progress` (the opening screen shows them), and
    /// giving `progress` up stops the wait.
    fn lock(&self, progress: &LoadProgress) -> anyhow::Result<MutexGuard<'_, State>> {
        loop {
            match self.state.try_lock() {
                Ok(state) => return Ok(state),
                Err(TryLockError::Poisoned(p)) => return Ok(p.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
            if !self.building.making.load(Ordering::Relaxed) {
                // Held for a moment only (changes being applied).
                return Ok(self.state.lock().unwrap_or_else(PoisonError::into_inner));
            }
            for (from, to) in [
                (&self.building.subjects, &progress.subjects),
                (&self.building.verdicts, &progress.verdicts),
            ] {
                to.store(from.load(Ordering::Relaxed), Ordering::Relaxed);
            }
            if progress.cancelled.load(Ordering::Relaxed) {
                anyhow::bail!("opening the review was given up");
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Applies the changes committed since the last look (the server calls it once per batch
    /// of changes, so the consoles find it current).
    pub fn refresh(&self) {
        let progress = LoadProgress::default();
        if let Err(e) = self.current(&progress) {
            tracing::error!("bringing the shared index up to date failed: {e:#}");
        }
    }

    /// Reads the snapshot if it is current, else builds from the store and, when nothing was
    /// committed meanwhile, writes a new snapshot on a thread of its own.
    fn make(&self, progress: &LoadProgress) -> anyhow::Result<(Index, Source)> {
        wait_for_gate(progress)?;
        let store = &self.store;
        let campaign = store.campaign();
        progress
            .of_subjects
            .store(store.subject_count(), Ordering::Relaxed);
        let head = store.head();
        let early = self
            .early
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        // Whether the snapshot must still be read (the early read did not read it).
        let mut unread = true;
        if let (Some((seq, hash)), Some(Early(early))) = (&head, early) {
            let path = self.snapshot_path();
            let found = early.join().unwrap_or_else(|_| {
                Decoded::Unreadable(std::io::Error::other("the reading thread stopped"))
            });
            unread = false;
            let why = match found {
                Decoded::Whole(unchecked) => {
                    match unchecked.check(campaign, (*seq, hash), store.initiatives()?) {
                        Ok(index) => {
                            progress
                                .subjects
                                .store(index.entries.len(), Ordering::Relaxed);
                            tracing::info!(
                                "index read from {} while the store opened ({} subjects)",
                                path.display(),
                                index.entries.len()
                            );
                            return Ok((index, Source::Snapshot));
                        }
                        Err(why) => why.to_string(),
                    }
                }
                Decoded::Refused(why) => why.to_string(),
                Decoded::Missing => "there is none".into(),
                Decoded::Unreadable(e) => {
                    unread = true;
                    format!("unreadable ({e})")
                }
            };
            // A snapshot written at this head after the early read (the previous holder of
            // the database writing it as it quit, while this one waited for the lock) is read
            // now; anything else is not read twice.
            if !unread && snapshot_head(&path).as_ref() == Some(&(*seq, hash.clone())) {
                unread = true;
            }
            tracing::info!(
                "index snapshot {} not used as read early: {why}{}",
                path.display(),
                if unread { "; read again" } else { "" }
            );
        }
        if let Some((seq, hash)) = head.as_ref().filter(|_| unread) {
            let path = self.snapshot_path();
            match std::fs::read(&path) {
                Ok(bytes) => {
                    match snapshot::read(&bytes, campaign, (*seq, hash), store.initiatives()?) {
                        Ok(index) => {
                            progress
                                .subjects
                                .store(index.entries.len(), Ordering::Relaxed);
                            tracing::info!(
                                "index read from {} ({} subjects)",
                                path.display(),
                                index.entries.len()
                            );
                            return Ok((index, Source::Snapshot));
                        }
                        Err(why) => {
                            tracing::info!("index snapshot {} not used: {why}", path.display())
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!("index snapshot {} unreadable: {e}", path.display()),
            }
        }
        let index = build_counting(store, progress, Some(&self.building))?;
        // Clean: no change was committed while the store was read, so the index is exactly
        // the state at this head.
        if let Some(head) = head.filter(|h| store.head().as_ref() == Some(h)) {
            self.write_later(index.clone(), head);
        }
        Ok((index, Source::Built))
    }

    /// Writes the snapshot of `index`, made at `head`, on a thread of its own.
    fn write_later(&self, index: Index, head: (u64, String)) {
        // The thread holds no store, so closing the store is never held up by it.
        let (campaign, path) = (self.store.campaign().clone(), self.snapshot_path());
        let written = self.written.clone();
        let spawned = std::thread::Builder::new()
            .name("index-snapshot".into())
            .spawn(move || {
                write_once(&written, &campaign, &index, &head, &path);
            });
        if let Err(e) = spawned {
            tracing::warn!("index snapshot not written: {e}");
        }
    }
}

/// Writes the snapshot of `index` made at `head` unless one made at a later head was
/// written already; returns whether it was written.
fn write_once(
    written: &Mutex<Option<u64>>,
    campaign: &crate::domain::Campaign,
    index: &Index,
    head: &(u64, String),
    path: &std::path::Path,
) -> bool {
    let mut last = written.lock().unwrap_or_else(PoisonError::into_inner);
    if last.is_some_and(|seq| seq >= head.0) {
        return false;
    }
    let started = std::time::Instant::now();
    match write_snapshot(campaign, index, head, path) {
        Ok(bytes) => {
            *last = Some(head.0);
            tracing::info!(
                "index snapshot written to {} ({bytes} bytes, {:?})",
                path.display(),
                started.elapsed()
            );
            true
        }
        Err(e) => {
            tracing::warn!("index snapshot {} not written: {e}", path.display());
            false
        }
    }
}

/// The journal head a snapshot file was made at, from its header alone.
fn snapshot_head(path: &std::path::Path) -> Option<(u64, String)> {
    use std::io::Read;
    let mut start = Vec::with_capacity(512);
    std::fs::File::open(path)
        .ok()?
        .take(512)
        .read_to_end(&mut start)
        .ok()?;
    snapshot::made_at(&start)
}

/// Waits for the test gate (`GATE_VAR`), in debug and test builds only.
#[cfg(debug_assertions)]
fn wait_for_gate(progress: &LoadProgress) -> anyhow::Result<()> {
    let Some(gate) = std::env::var_os(GATE_VAR) else {
        return Ok(());
    };
    while !std::path::Path::new(&gate).exists() {
        if progress.cancelled.load(Ordering::Relaxed) {
            anyhow::bail!("opening the review was given up");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Ok(())
}

#[cfg(not(debug_assertions))]
fn wait_for_gate(_: &LoadProgress) -> anyhow::Result<()> {
    Ok(())
}

/// Writes the snapshot atomically: a temporary file beside it, synced, then renamed over the
/// old one (the folder synced too), so a reader sees the old snapshot or the whole new one.
/// Returns its size.
pub fn write_snapshot(
    campaign: &crate::domain::Campaign,
    index: &Index,
    head: &(u64, String),
    path: &std::path::Path,
) -> std::io::Result<u64> {
    use std::io::Write;
    crate::files::write_atomically(
        path,
        crate::files::Mode::Replace,
        crate::files::Kind::Private,
        |file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            snapshot::write(index, campaign, (head.0, &head.1), &mut out)?;
            out.flush()
        },
    )
}

/// Reads every subject and verdict of the store into a new index, streaming (they are never
/// all held as separate values at once), counting in `progress` and stopping if it is given
/// up.
pub fn build_index(store: &Store, progress: &LoadProgress) -> anyhow::Result<Index> {
    build_counting(store, progress, None)
}

/// `build_index`, also counting in `also`.
fn build_counting(
    store: &Store,
    progress: &LoadProgress,
    also: Option<&LoadProgress>,
) -> anyhow::Result<Index> {
    let campaign = store.campaign();
    progress
        .of_subjects
        .store(store.subject_count(), Ordering::Relaxed);
    let mut builder = IndexBuilder::new(campaign, store.subject_count());
    // Every few thousand records: report how far the reading has got, and stop if the one
    // waiting for it has given up.
    let step = |n: usize, count: &dyn Fn(&LoadProgress) -> &AtomicUsize| {
        if n.is_multiple_of(PROGRESS_EVERY) {
            count(progress).store(n, Ordering::Relaxed);
            if let Some(also) = also {
                count(also).store(n, Ordering::Relaxed);
            }
            if progress.cancelled.load(Ordering::Relaxed) {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    };
    let mut n = 0usize;
    store.for_each_subject(|no, subject| {
        builder.subject(no, subject);
        n += 1;
        step(n, &|p| &p.subjects)
    })?;
    progress.subjects.store(n, Ordering::Relaxed);
    let mut n = 0usize;
    store.for_each_verdict(|no, criterion, verdict| {
        builder.verdict(no, criterion, verdict);
        n += 1;
        step(n, &|p| &p.verdicts)
    })?;
    progress.verdicts.store(n, Ordering::Relaxed);
    store.for_each_claim(|no, criterion, claim| {
        builder.claim(no, criterion, claim);
        ControlFlow::Continue(())
    })?;
    if progress.cancelled.load(Ordering::Relaxed) {
        anyhow::bail!("opening the review was given up");
    }
    Ok(builder.finish(store.initiatives()?))
}
