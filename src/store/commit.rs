//! Commits through the journal. A change is built as a `Draft` (reads see sled, then the
//! records written but not yet applied, then the draft's own writes; every write is kept as a
//! journal `Op` with the value before and after), under one writer lock, so the checks
//! (versions, locks) see every earlier commit. Then: write the record to the journal → let go
//! of the writer lock → wait for the `fdatasync` that covers it (group commit: one sync for
//! every record written meanwhile, by whichever committer comes first) → acknowledge; the
//! applier (`Applier`, a thread of the store) applies the record to sled beside the next
//! commit, in journal order, key by key, then where it is (`meta/journal_applied`). sled never
//! holds a change before its record is durable. sled itself is not flushed on the way: it
//! flushes in the background and on close, and whatever it loses is replayed from the journal
//! at the next open.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use sled::IVec;

use super::journal::{self, Op, tree};
use super::{Actor, Result, Store, StoreError, Trees, keys};

/// The meta key holding where the last journal record applied to sled is (`journal::Mark`:
/// its sequence u64 BE first, then segment, offset and hash; older builds wrote the sequence
/// alone). Never journaled.
pub const APPLIED: &[u8] = b"journal_applied";

/// Up to this many ops a draft finds a key by a scan of its ops; past it, through an index
/// (built then). A verdict writes four keys: measured, the index's key copies and hashing cost
/// more than the scan.
const SCAN_OPS: usize = 16;

/// A change being built: reads through to sled, writes kept as ops.
pub(crate) struct Draft<'a> {
    t: &'a Trees,
    /// What records written but not yet applied to sled write.
    pending: Option<journal::Pending<'a>>,
    ops: Vec<Op>,
    /// Where each key's op is, once there are more than `SCAN_OPS`.
    index: HashMap<(u8, Vec<u8>), usize>,
}

impl<'a> Draft<'a> {
    fn new(t: &'a Trees, pending: Option<journal::Pending<'a>>) -> Self {
        Draft {
            t,
            pending,
            ops: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// The op that writes `key` of `tree`, if any.
    fn find(&self, tree: u8, key: &[u8]) -> Option<usize> {
        if self.ops.len() <= SCAN_OPS {
            self.ops.iter().position(|o| o.tree == tree && o.key == key)
        } else {
            self.index.get(&(tree, key.to_vec())).copied()
        }
    }

    pub fn get(&self, tree: u8, key: &[u8]) -> Result<Option<IVec>> {
        if let Some(i) = self.find(tree, key) {
            return Ok(self.ops[i].new.as_deref().map(IVec::from));
        }
        self.committed(tree, key)
    }

    /// The value as committed: the last record not yet applied that writes it, else sled.
    fn committed(&self, tree: u8, key: &[u8]) -> Result<Option<IVec>> {
        if let Some(p) = &self.pending
            && !p.is_empty()
            && let Some(v) = p.get(tree, key)
        {
            return Ok(v.map(IVec::from));
        }
        Ok(self.t.tree(tree).get(key)?)
    }

    pub fn insert(
        &mut self,
        tree: u8,
        key: &[u8],
        value: impl AsRef<[u8]>,
    ) -> Result<Option<IVec>> {
        self.put(tree, key, Some(value.as_ref().to_vec()))
    }

    /// Inserts `key`, which no record has written yet (an audit event's sequence number is
    /// new by construction: `meta/audit_next` is read through this draft), with no value
    /// before. Its value before is not read: measured, that read of an absent key in a large
    /// tree was about a sixth of a verdict commit's work beside its sync. Debug builds check
    /// that the key is indeed absent.
    pub fn insert_new(&mut self, tree: u8, key: &[u8], value: impl AsRef<[u8]>) -> Result<()> {
        debug_assert!(
            self.get(tree, key).ok().flatten().is_none(),
            "insert_new over an existing key of tree {tree}"
        );
        if self.find(tree, key).is_some() {
            self.put(tree, key, Some(value.as_ref().to_vec()))?;
            return Ok(());
        }
        self.push(tree, key, None, Some(value.as_ref().to_vec()));
        Ok(())
    }

    pub fn remove(&mut self, tree: u8, key: &[u8]) -> Result<Option<IVec>> {
        self.put(tree, key, None)
    }

    fn put(&mut self, tree: u8, key: &[u8], new: Option<Vec<u8>>) -> Result<Option<IVec>> {
        if let Some(i) = self.find(tree, key) {
            let before = std::mem::replace(&mut self.ops[i].new, new);
            return Ok(before.map(IVec::from));
        }
        let old = self.committed(tree, key)?;
        self.push(tree, key, old.as_deref().map(<[u8]>::to_vec), new);
        Ok(old)
    }

    /// Adds an op for a key the draft has not written yet.
    fn push(&mut self, tree: u8, key: &[u8], old: Option<Vec<u8>>, new: Option<Vec<u8>>) {
        if self.ops.len() == SCAN_OPS {
            // From the next op on, keys are found through the index.
            self.index = self
                .ops
                .iter()
                .enumerate()
                .map(|(i, o)| ((o.tree, o.key.clone()), i))
                .collect();
        }
        if self.ops.len() >= SCAN_OPS {
            self.index.insert((tree, key.to_vec()), self.ops.len());
        }
        self.ops.push(Op {
            tree,
            key: key.to_vec(),
            old,
            new,
        });
    }

    /// The ops that change something.
    fn finish(self) -> Vec<Op> {
        self.ops.into_iter().filter(|o| o.old != o.new).collect()
    }
}

/// Applies a record's ops to sled, with where it is in the journal: key by key, then the mark.
/// No sled transaction: the journal, not sled, makes the change atomic. A crash half-way
/// leaves sled's mark before the record (sled recovers a prefix of its log, and the mark is
/// written last), so the next open applies the record again, and applying twice is the same as
/// once (every op sets a final value). Commits read sled under the writer lock, after every
/// record is applied, so they never see half a record. Measured: a transaction over the eleven
/// journaled trees was about a third of a verdict commit's CPU time (docs/PERFORMANCE.md).
pub(crate) fn apply(t: &Trees, mark: &journal::Mark, ops: &[Op]) -> Result<()> {
    apply_ops(t, ops)?;
    t.meta.insert(APPLIED, mark.encode())?;
    Ok(())
}

/// A record's ops, applied to sled key by key (`apply` without the mark).
fn apply_ops(t: &Trees, ops: &[Op]) -> Result<()> {
    for op in ops {
        let tr = t.tree(op.tree);
        match &op.new {
            Some(v) => tr.insert(op.key.as_slice(), v.as_slice())?,
            None => tr.remove(op.key.as_slice())?,
        };
    }
    Ok(())
}

/// The slot holding sled's trees, shared with the applier.
pub(crate) type TreeSlot = Arc<std::sync::RwLock<Option<Arc<Trees>>>>;

/// Applies acknowledged records to sled beside the writer: a commit returns once the
/// `fdatasync` covering its record is done, and its record is applied here, in journal order,
/// by the store's applier thread (or by a reader that needs it first, `Store::t`), while the
/// next commit builds its draft and waits for its sync. Records stay in the journal's pending
/// list (which drafts read before sled) until sled holds them.
#[derive(Default)]
pub(crate) struct Applier {
    /// Records written and not yet applied, in journal order (the same as the journal's
    /// pending list; pushed under the writer lock).
    queue: Mutex<std::collections::VecDeque<Arc<journal::Unapplied>>>,
    /// Held while records are applied: one apply at a time, in order.
    apply: Mutex<()>,
    /// Every acknowledged record up to this sequence is in sled.
    pub(crate) applied: std::sync::atomic::AtomicU64,
    /// The last record acknowledged (its sync done).
    acked: std::sync::atomic::AtomicU64,
    /// Set when there may be work for the thread.
    signal: Mutex<bool>,
    wake: Condvar,
    /// The thread sleeps on `wake` (else it is applying, and needs no wake-up).
    parked: AtomicBool,
    /// Set when the store closes: the thread ends.
    stop: AtomicBool,
    /// The thread runs (else each commit applies its own record).
    running: AtomicBool,
    /// Commits under way (from entering `Store::commit` to their acknowledgement): more than
    /// one, and a frame is best written through the page cache (`Journal::set_contended`).
    committers: std::sync::atomic::AtomicUsize,
    /// Tests: the next apply fails as sled does on a full disk.
    #[cfg(test)]
    pub(crate) fail_next: AtomicBool,
}

impl Applier {
    /// Whether every acknowledged record is in sled (one atomic check each).
    pub(crate) fn current(&self) -> bool {
        self.applied.load(Ordering::Acquire) >= self.acked.load(Ordering::Acquire)
    }

    /// Queues a record just written (under the writer lock, so in journal order).
    fn push(&self, r: Arc<journal::Unapplied>) {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(r);
    }

    /// Record `seq` (and every one before it) is durable and acknowledged: the thread is woken
    /// if it sleeps (a wake-up is a system call, about 4 µs here; none is needed while the
    /// thread is still applying an earlier record). `acked` is raised before `parked` is read
    /// here, and `parked` is set before `acked` is read again by the thread (both `SeqCst`), so
    /// one of the two always sees the other.
    fn acknowledge(&self, seq: u64) {
        self.acked.fetch_max(seq, Ordering::SeqCst);
        if self.parked.load(Ordering::SeqCst) {
            *self.signal.lock().unwrap_or_else(PoisonError::into_inner) = true;
            self.wake.notify_one();
        }
    }

    /// Whether the thread has records to apply: acknowledged, not in sled, and sled able to
    /// take them.
    fn has_work(&self, broken: &AtomicBool) -> bool {
        self.applied.load(Ordering::SeqCst) < self.acked.load(Ordering::SeqCst)
            && !broken.load(Ordering::Acquire)
    }

    /// Returns once there may be records to apply (false: the store closes).
    fn wait_for_work(&self, broken: &AtomicBool) -> bool {
        let mut s = self.signal.lock().unwrap_or_else(PoisonError::into_inner);
        self.parked.store(true, Ordering::SeqCst);
        while !*s && !self.has_work(broken) && !self.stop.load(Ordering::Acquire) {
            s = self.wake.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        *s = false;
        self.parked.store(false, Ordering::SeqCst);
        !self.stop.load(Ordering::Acquire)
    }

    /// Applies the acknowledged records not yet in sled, in order, then the mark of the last
    /// one. Returns whether there were any. On a failure (a full disk) they stay queued and
    /// `broken` is set: the writer opens sled again and replays them (`catch_up`).
    pub(crate) fn step(&self, trees: &TreeSlot, broken: &AtomicBool) -> Result<bool> {
        let _one = self.apply.lock().unwrap_or_else(PoisonError::into_inner);
        if broken.load(Ordering::Acquire) {
            return Ok(false);
        }
        let acked = self.acked.load(Ordering::Acquire);
        let batch: Vec<_> = self
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .take_while(|r| r.mark.seq <= acked)
            .cloned()
            .collect();
        let Some(last) = batch.last().map(|r| r.mark) else {
            // Every record up to `acked` was applied another way (a settle, a reopen).
            self.applied.fetch_max(acked, Ordering::AcqRel);
            return Ok(false);
        };
        let t = trees
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| StoreError::Corrupt("the database is closed".into()));
        let done = t.and_then(|t| {
            #[cfg(test)]
            if self.fail_next.swap(false, Ordering::AcqRel) {
                return Err(StoreError::Sled(sled::Error::Io(std::io::Error::from(
                    std::io::ErrorKind::StorageFull,
                ))));
            }
            for r in &batch {
                apply_ops(&t, &r.ops)?;
            }
            t.meta.insert(APPLIED, last.encode())?;
            Ok(())
        });
        if let Err(e) = done {
            broken.store(true, Ordering::Release);
            return Err(e);
        }
        self.applied.fetch_max(last.seq, Ordering::AcqRel);
        let mut q = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        while q.front().is_some_and(|r| r.mark.seq <= last.seq) {
            q.pop_front();
        }
        Ok(true)
    }

    /// Forgets every queued record (a reopen of sled replays them from the journal); every
    /// record up to `seq` counts as applied.
    pub(crate) fn reset(&self, seq: u64) {
        let _one = self.apply.lock().unwrap_or_else(PoisonError::into_inner);
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        self.acked.fetch_max(seq, Ordering::AcqRel);
        self.applied.fetch_max(seq, Ordering::AcqRel);
    }

    /// Starts the applier thread.
    pub(crate) fn start(
        self: &Arc<Self>,
        trees: TreeSlot,
        broken: Arc<AtomicBool>,
        path: PathBuf,
    ) -> Option<std::thread::JoinHandle<()>> {
        let me = self.clone();
        let spawned = std::thread::Builder::new()
            .name("journal-apply".into())
            .spawn(move || {
                while me.wait_for_work(&broken) {
                    loop {
                        match me.step(&trees, &broken) {
                            Ok(true) => {}
                            Ok(false) => break,
                            Err(e) => {
                                tracing::error!(
                                    "{}: a change stored in the journal could not be written to sled ({e}); it is applied when sled is opened again",
                                    path.display()
                                );
                                break;
                            }
                        }
                    }
                }
            });
        match spawned {
            Ok(h) => {
                self.running.store(true, Ordering::Release);
                Some(h)
            }
            Err(e) => {
                tracing::error!(
                    "could not start the journal's applier: {e}; commits apply their records themselves"
                );
                None
            }
        }
    }

    /// Stops the thread (the store closes).
    pub(crate) fn stop(&self, handle: Option<std::thread::JoinHandle<()>>) {
        self.stop.store(true, Ordering::Release);
        self.running.store(false, Ordering::Release);
        {
            let _s = self.signal.lock().unwrap_or_else(PoisonError::into_inner);
            self.wake.notify_all();
        }
        if let Some(h) = handle {
            let _ = h.join();
        }
    }
}

/// The sequence sled has applied (0 when none), and where that record is when sled knows.
pub(crate) fn applied(t: &Trees) -> Result<(u64, Option<journal::Mark>)> {
    let Some(v) = t.meta.get(APPLIED)? else {
        return Ok((0, None));
    };
    let mark = journal::Mark::decode(&v);
    let seq = match &mark {
        Some(m) => m.seq,
        None => keys::decode_seq(&v).unwrap_or(0),
    };
    Ok((seq, mark))
}

/// How long after an open the check of the whole journal starts.
const CHECK_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// The check of the whole journal that runs beside a console after an open that checked only
/// the records past sled's mark. If it finds damage, every later commit is refused with it.
#[derive(Default)]
pub(crate) struct Check {
    state: Mutex<CheckState>,
    done: Condvar,
    /// Set when the store closes: the check stops.
    pub(crate) stop: AtomicBool,
}

#[derive(Debug, Clone, Default)]
enum CheckState {
    /// No check runs (the open checked everything, or the check was stopped).
    #[default]
    Idle,
    Running,
    Clean,
    Damaged(Box<journal::Damage>),
}

impl Check {
    fn set(&self, state: CheckState) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = state;
        self.done.notify_all();
    }

    fn damage(&self) -> Option<Box<journal::Damage>> {
        match &*self.state.lock().unwrap_or_else(PoisonError::into_inner) {
            CheckState::Damaged(d) => Some(d.clone()),
            _ => None,
        }
    }

    /// Waits for the check to end; the damage it found.
    fn wait(&self) -> Option<Box<journal::Damage>> {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while matches!(*s, CheckState::Running) {
            s = self.done.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        match &*s {
            CheckState::Damaged(d) => Some(d.clone()),
            _ => None,
        }
    }

    /// Checks the journal in `dir` from its first record to record `until`, which the open
    /// found with hash `head` at `at`, on a thread of its own.
    fn start(self: &Arc<Self>, dir: PathBuf, until: u64, head: journal::Hash, at: (PathBuf, u64)) {
        self.set(CheckState::Running);
        let check = self.clone();
        let spawned = std::thread::Builder::new()
            .name("journal-check".into())
            .spawn(move || {
                // Off the start: the console's first frame and its load come first.
                let since = std::time::Instant::now();
                while since.elapsed() < CHECK_AFTER && !check.stop.load(Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                let state = match journal::check_until(&dir, until, &check.stop) {
                    Ok(None) => CheckState::Idle,
                    Ok(Some(t)) if t.seq == until && t.head == head => CheckState::Clean,
                    Ok(Some(t)) => CheckState::Damaged(Box::new(journal::Damage {
                        segment: at.0.clone(),
                        offset: at.1,
                        seq: until.min(t.seq + 1),
                        what: journal::Problem::Chain,
                    })),
                    Err(d) => CheckState::Damaged(Box::new(d)),
                };
                // A checkpoint since the open retired the segment that held record `until`
                // (to `backups/<db>-journal/`): the kept journal now starts past it, which is
                // no damage. The retired chain is `verify`'s to check (`check_retired`).
                let state = match state {
                    CheckState::Damaged(_) if !at.0.exists() => {
                        tracing::info!(
                            "{}: the journal's check stopped: its records to {until} were retired meanwhile",
                            dir.display()
                        );
                        CheckState::Idle
                    }
                    other => other,
                };
                if let CheckState::Damaged(d) = &state {
                    tracing::error!("{}: {d}; no change is written any more", dir.display());
                }
                check.set(state);
            });
        if let Err(e) = spawned {
            tracing::error!("could not start the journal's check: {e}");
            self.set(CheckState::Idle);
        }
    }
}

/// Every key of every journaled tree, as ops from nothing (the checkpoint's content).
pub(crate) fn checkpoint_ops(t: &Trees, w: &mut journal::PayloadWriter) -> Result<()> {
    for id in 0..tree::NAMES.len() as u8 {
        for kv in t.tree(id).iter() {
            let (k, v) = kv?;
            if id == tree::META && k.as_ref() == APPLIED {
                continue;
            }
            w.put(id, &k, &v);
        }
    }
    Ok(())
}

impl Store {
    fn journal_dir(&self) -> std::path::PathBuf {
        self.path.join(journal::DIR)
    }

    /// Opens the journal for writing: checks every record (checksums, sequence, chain) and
    /// replays those sled has not applied. A database without a journal gets one that starts
    /// with a checkpoint of its current state. A damaged journal refuses the open.
    pub(crate) fn attach_journal(&self, at_ms: i64) -> Result<()> {
        let dir = self.journal_dir();
        let t = self.t()?;
        let io = |source| StoreError::Io {
            path: dir.clone(),
            source,
        };
        let none = journal::segments(&dir).map_err(io)?.is_empty();
        let journal = if none {
            let mut j = journal::Journal::open(&dir, &journal::Tail::default()).map_err(io)?;
            let mut read_error = None;
            let seq = j
                .append_with(
                    journal::KIND_CHECKPOINT,
                    at_ms,
                    &super::checkpoint::actor(),
                    false,
                    |w| {
                        if let Err(e) = checkpoint_ops(&t, w) {
                            let text = e.to_string();
                            read_error = Some(e);
                            return Err(std::io::Error::other(text));
                        }
                        Ok(())
                    },
                )
                .map_err(|e| read_error.take().unwrap_or_else(|| io(e)))?;
            debug_assert_eq!(j.last_mark().map(|m| m.seq), Some(seq));
            if let Some(mark) = j.last_mark() {
                t.meta.insert(APPLIED, mark.encode())?;
            }
            t.db.flush()?;
            j
        } else {
            let (tail, whole) = self.replay_checked(&t)?;
            if !whole && let Some((no, offset)) = tail.last {
                let at = (dir.join(journal::segment_name(no)), offset);
                self.check.start(dir.clone(), tail.seq, tail.head, at);
            }
            if let Some((offset, bytes)) = tail.torn {
                tracing::warn!(
                    "{}: dropped a torn final record ({bytes} bytes at offset {offset}), a write cut short by a crash",
                    dir.display()
                );
            }
            journal::Journal::open(&dir, &tail).map_err(io)?
        };
        *self.journal.lock().unwrap_or_else(PoisonError::into_inner) = Some(journal);
        let mut thread = self
            .applier_thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if thread.is_none() {
            *thread =
                self.applier
                    .start(self.trees.clone(), self.broken.clone(), self.path.clone());
        }
        Ok(())
    }

    /// Checks the journal and applies to sled every record past the sequence it has applied.
    /// Returns the journal's checked end.
    pub(crate) fn replay(&self, t: &Trees) -> Result<journal::Tail> {
        Ok(self.replay_checked(t)?.0)
    }

    /// `replay`, and whether the whole journal was checked. When sled knows where the last
    /// record it applied is (its mark), only that record's frame (header and sequence) and
    /// the records after it are checked, chained to the mark's hash: the whole chain is left
    /// to a check beside the console (`Check`) and to `verify`. Without a mark, or when the
    /// mark's record is not where it says, every record is checked, and the record at the mark
    /// must have the mark's hash.
    fn replay_checked(&self, t: &Trees) -> Result<(journal::Tail, bool)> {
        let dir = self.journal_dir();
        let (applied, mark) = applied(t)?;
        let mut pending = Vec::new();
        let damaged = |d| StoreError::Journal(Box::new(d));
        let after = match &mark {
            Some(m) => journal::scan_after(
                &dir,
                m,
                |seq| seq > applied,
                |r, at| pending.push((r, at.no, at.offset, *at.hash)),
            )
            .map_err(damaged)?,
            None => None,
        };
        let whole = after.is_none();
        let tail = match after {
            Some(tail) => tail,
            None => {
                pending.clear();
                let mut at_mark = None;
                let want = |seq| seq > applied || mark.is_some_and(|m| m.seq == seq);
                let tail = journal::scan_some(&dir, want, |r, at| {
                    if mark.is_some_and(|m| m.seq == r.seq) {
                        at_mark = Some((at.segment.to_path_buf(), at.offset, *at.hash));
                    }
                    if r.seq > applied {
                        pending.push((r, at.no, at.offset, *at.hash));
                    }
                })
                .map_err(damaged)?;
                if let (Some(m), Some((segment, offset, hash))) = (mark, at_mark)
                    && hash != m.hash
                {
                    return Err(damaged(journal::Damage {
                        segment,
                        offset,
                        seq: m.seq,
                        what: journal::Problem::Chain,
                    }));
                }
                tail
            }
        };
        if applied > tail.seq {
            return Err(StoreError::JournalShort {
                path: dir,
                applied,
                last: tail.seq,
            });
        }
        if !pending.is_empty() {
            tracing::info!(
                "{}: replaying {} journal record(s) sled had not kept ({}..={})",
                self.path.display(),
                pending.len(),
                applied + 1,
                tail.seq
            );
        }
        for (r, segment, offset, hash) in &pending {
            let mark = journal::Mark {
                seq: r.seq,
                segment: *segment,
                offset: *offset,
                hash: *hash,
            };
            apply(t, &mark, &r.ops)?;
        }
        self.replayed
            .fetch_add(pending.len() as u64, std::sync::atomic::Ordering::Relaxed);
        if !pending.is_empty() {
            t.db.flush()?;
        } else if let Some(m) = tail.mark()
            && mark != Some(m)
        {
            // A mark for the next open (sled flushes it in the background).
            t.meta.insert(APPLIED, m.encode())?;
        }
        Ok((tail, whole))
    }

    /// Runs `build` as one change and commits it through the journal (see the module comment);
    /// a change that writes nothing is not recorded.
    pub(crate) fn commit<T>(
        &self,
        actor: &Actor,
        build: impl FnOnce(&mut Draft<'_>) -> Result<T>,
    ) -> Result<T> {
        if let Some(d) = self.check.damage() {
            return Err(StoreError::Journal(d));
        }
        let io = |source| StoreError::Io {
            path: self.path.clone(),
            source,
        };
        /// Counts a commit under way until it returns, however it returns.
        struct Under<'a>(&'a std::sync::atomic::AtomicUsize);
        impl Drop for Under<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        self.applier.committers.fetch_add(1, Ordering::AcqRel);
        let _under = Under(&self.applier.committers);
        let (out, seq, syncer) = {
            let mut journal = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(j) = journal.as_mut() {
                // A record sled could not take is applied first (sled opened again), so the
                // change is built on every change acknowledged before it.
                self.catch_up(j)?;
            }
            if let Some(j) = journal.as_mut() {
                j.forget_applied(self.applier.applied.load(Ordering::Acquire));
            }
            // A draft reads sled as it is: what the applier has not applied yet, it reads from
            // the pending records.
            let t = self.t_now()?;
            let mut draft = Draft::new(&t, journal.as_ref().map(journal::Journal::pending));
            let out = build(&mut draft)?;
            let ops = draft.finish();
            if ops.is_empty() {
                return Ok(out);
            }
            let j = journal.as_mut().ok_or_else(|| {
                StoreError::Corrupt("the database's journal is not open for writing".into())
            })?;
            let size: usize = ops
                .iter()
                .map(|o| {
                    16 + o.key.len()
                        + o.old.as_ref().map_or(0, Vec::len)
                        + o.new.as_ref().map_or(0, Vec::len)
                })
                .sum();
            j.room(size as u64).map_err(io)?;
            j.set_contended(self.applier.committers.load(Ordering::Acquire) > 1);
            let seq = j
                .write_pending(
                    journal::KIND_CHANGE,
                    actor.at.timestamp_millis(),
                    &actor.journal_text(),
                    ops,
                )
                .map_err(io)?;
            if let Some(r) = j.newest_unapplied() {
                self.applier.push(r);
            }
            (out, seq, j.syncer())
        };
        // Group commit: one sync covers every record written meanwhile.
        syncer.wait(seq).map_err(io)?;
        // Acknowledged: the applier applies the record to sled beside the next commit.
        self.applier.acknowledge(seq);
        if !self.applier.running.load(Ordering::Acquire) {
            // A record sled cannot take (this one or another) is stored all the same: it is
            // durable, and it is applied when sled is opened again (`catch_up`).
            let _ = self.apply_now();
        }
        Ok(out)
    }

    /// Applies to sled, in order, the records acknowledged and not yet applied. If one cannot
    /// be applied (sled failed to write: a full disk), it and the records after it are stored
    /// all the same (they are durable in the journal): sled is opened again and given them
    /// from the journal before the next write (`catch_up`), as an open would; the error says
    /// that they are not in sled yet.
    pub(crate) fn apply_now(&self) -> Result<()> {
        loop {
            match self.applier.step(&self.trees, &self.broken) {
                Ok(true) => {}
                Ok(false) => return Ok(()),
                Err(e) => {
                    self.stored_not_applied(&e);
                    return Err(e);
                }
            }
        }
    }

    /// A durable record sled could not take: sled is opened again and given it from the
    /// journal before anything else is written or read for a head (`catch_up`).
    pub(crate) fn stored_not_applied(&self, e: &StoreError) {
        tracing::error!(
            "{}: a change stored in the journal could not be written to sled ({e}); it is applied when sled is opened again",
            self.path.display()
        );
        self.broken
            .store(true, std::sync::atomic::Ordering::Release);
    }

    /// Under the writer lock: when a durable record could not be applied, sled is opened
    /// again and every record it lacks is applied from the journal (`recover_locked`).
    pub(crate) fn catch_up(&self, j: &mut journal::Journal) -> Result<()> {
        if self.broken.load(std::sync::atomic::Ordering::Acquire) {
            self.recover_locked(Some(j))?;
        }
        Ok(())
    }

    /// Makes every record written durable and applies it: for a reader that names the head,
    /// and before anything that reads sled to write a record of its own (a checkpoint).
    pub(crate) fn settle(&self, j: &mut journal::Journal) -> Result<()> {
        self.catch_up(j)?;
        if j.has_unapplied() {
            let head = j.head().0;
            j.syncer().wait(head).map_err(|source| StoreError::Io {
                path: self.path.clone(),
                source,
            })?;
            self.applier.acknowledge(head);
            self.apply_now()?;
            // The applier may have failed on them first: sled is opened again and given them.
            self.catch_up(j)?;
            j.forget_applied(self.applier.applied.load(Ordering::Acquire));
        }
        Ok(())
    }

    /// Benchmarks only: makes the journal's syncs do nothing (`on` false) or sync again, to
    /// measure a commit's work beside its `fdatasync` (benches/commit.rs). Never durable.
    #[cfg(feature = "bench")]
    #[doc(hidden)]
    pub fn bench_journal_sync(&self, on: bool) {
        let j = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(j) = j.as_ref() {
            j.syncer().bench_skip(!on);
        }
    }

    /// How many `fdatasync`s the journal has run since the database was opened (group
    /// commit's figure: commits per sync).
    pub fn journal_syncs(&self) -> u64 {
        let j = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        j.as_ref().map_or(0, |j| j.syncer().syncs())
    }

    /// Waits for the check of the whole journal that an open started (see `replay_checked`)
    /// and returns the damage it found, which also refuses every later commit.
    pub fn journal_check(&self) -> Result<()> {
        match self.check.wait() {
            Some(d) => Err(StoreError::Journal(d)),
            None => Ok(()),
        }
    }

    /// How many journal records were applied again because sled had not kept them.
    pub fn replayed(&self) -> u64 {
        self.replayed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs `read` with commits held back, and returns what it read with the journal's head at
    /// that moment, so an export names exactly the state it was made from. Commits wait for
    /// the read (an export's read, not its writing of the file).
    pub fn at_head<T>(
        &self,
        read: impl FnOnce() -> Result<T>,
    ) -> Result<(T, Option<(u64, String)>)> {
        let mut j = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(j) = j.as_mut() {
            self.settle(j)?;
        }
        let out = read()?;
        let head = j
            .as_ref()
            .map(|j| {
                let (seq, h) = j.head();
                (seq, journal::hex(&h))
            })
            .or_else(|| self.read_only_head());
        Ok((out, head))
    }

    /// The journal's head: the last record's sequence number and hash (hex).
    pub fn head(&self) -> Option<(u64, String)> {
        let mut j = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(j) = j.as_mut()
            && let Err(e) = self.settle(j)
        {
            tracing::error!("{}: {e}", self.path.display());
        }
        j.as_ref()
            .map(|j| {
                let (seq, h) = j.head();
                (seq, journal::hex(&h))
            })
            .or_else(|| self.read_only_head())
    }
}

/// A large change (an import) written straight into its journal record: each op goes into the
/// record's payload as it is made, with the value before read from sled, so no list of ops
/// and no index of them is kept beside the payload. Unlike a `Draft`, reads do not see the
/// change's own writes, and each key may be written at most once (an import's rows have
/// distinct ids, checked before).
pub(crate) struct Stream<'a> {
    t: &'a Trees,
    w: journal::PayloadWriter,
}

impl Stream<'_> {
    /// A key as sled holds it, before this change.
    pub fn get(&self, tree: u8, key: &[u8]) -> Result<Option<IVec>> {
        Ok(self.t.tree(tree).get(key)?)
    }

    /// Sets `key` of `tree` to `new` (none removes it); nothing is recorded when that is its
    /// value already. Returns whether an op was recorded.
    pub fn set(&mut self, tree: u8, key: &[u8], new: Option<&[u8]>) -> Result<bool> {
        let old = self.t.tree(tree).get(key)?;
        if old.as_deref() == new {
            return Ok(false);
        }
        self.w.op(tree, key, old.as_deref(), new);
        Ok(true)
    }

    /// Adds the ops of a small change built as a `Draft` (the audit event, counters), which
    /// must not write a key this stream has written.
    pub fn draft<T>(&mut self, build: impl FnOnce(&mut Draft<'_>) -> Result<T>) -> Result<T> {
        // `commit_stream` applied every record written before it starts: sled is current.
        let mut d = Draft::new(self.t, None);
        let out = build(&mut d)?;
        for op in d.finish() {
            self.w
                .op(op.tree, &op.key, op.old.as_deref(), op.new.as_deref());
        }
        Ok(out)
    }
}

/// Applies a large record's payload to sled key by key, one tree after the other (a pass over
/// the payload for each tree it writes), then the applied sequence. As for `apply` of a big
/// record, a crash before the sequence is written replays the record at the next open.
/// Measured at 320,000 subjects and kept: tree by tree used a little less memory than the
/// record's order (8 MB) and was no slower; sorting each tree's keys first was slower and
/// larger; one sled batch per 10,000 keys, or a thread per tree, made sled hold far more
/// memory (about 2 GB, and 70 MB more) without being faster on two cores.
fn apply_payload(t: &Trees, mark: &journal::Mark, payload: &[u8]) -> Result<()> {
    let mut trees = [false; journal::tree::NAMES.len()];
    journal::for_each_op(payload, |op| trees[usize::from(op.tree)] = true)
        .ok_or_else(|| StoreError::Corrupt("a journal record just written".into()))?;
    for id in (0..trees.len() as u8).filter(|id| trees[usize::from(*id)]) {
        let tr = t.tree(id);
        let mut failed = None;
        journal::for_each_op(payload, |op| {
            if failed.is_some() || op.tree != id {
                return;
            }
            let done = match op.new {
                Some(v) => tr.insert(op.key, v).map(drop),
                None => tr.remove(op.key).map(drop),
            };
            if let Err(e) = done {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
    }
    t.meta.insert(APPLIED, mark.encode())?;
    Ok(())
}

impl Store {
    /// Runs `build` as one large change (see `Stream`) and commits it through the journal as
    /// one record, as `commit` does; a change that writes nothing is not recorded. Memory is
    /// the record's payload, not a list of ops.
    pub(crate) fn commit_stream<T>(
        &self,
        actor: &Actor,
        build: impl FnOnce(&mut Stream<'_>) -> Result<T>,
    ) -> Result<T> {
        if let Some(d) = self.check.damage() {
            return Err(StoreError::Journal(d));
        }
        let started = std::time::Instant::now();
        let io = |source| StoreError::Io {
            path: self.path.clone(),
            source,
        };
        let mut journal = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        let j = journal.as_mut().ok_or_else(|| {
            StoreError::Corrupt("the database's journal is not open for writing".into())
        })?;
        // The stream reads sled: every record written before it is applied first, and none is
        // written meanwhile (the writer lock is held to the end).
        self.settle(j)?;
        let t = self.t()?;
        let w = j.start(
            journal::KIND_CHANGE,
            actor.at.timestamp_millis(),
            &actor.journal_text(),
        );
        let mut stream = Stream { t: &t, w };
        let out = build(&mut stream)?;
        if stream.w.count() == 0 {
            return Ok(out);
        }
        j.room(stream.w.bytes() as u64).map_err(io)?;
        let (mark, payload) = j.append_payload(stream.w).map_err(io)?;
        let written = started.elapsed();
        if let Err(e) = apply_payload(&t, &mark, &payload) {
            // The record is durable: the change is stored and sled is given it again when
            // opened again (`guarded`, at the next write), as at an open.
            self.stored_not_applied(&e);
            return Ok(out);
        }
        tracing::debug!(
            "record {}: {} bytes built and made durable in {written:?}, applied to sled in {:?}",
            mark.seq,
            payload.len(),
            started.elapsed() - written
        );
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Cause, Subject, VerdictValue};
    use crate::store::VerdictWrite;

    fn write(subject: &str, value: VerdictValue, base: u64) -> VerdictWrite {
        VerdictWrite {
            subject: subject.into(),
            criterion: "TT1".into(),
            value,
            note: String::new(),
            base_version: base,
            cause: Cause::Edit,
            cell: None,
        }
    }

    /// A new store (in a temporary folder, `db` inside it) holding `n` province agencies
    /// `DV0`…, and the actor that made it.
    fn store_with_units(n: usize) -> (tempfile::TempDir, Store, Actor) {
        let dir = tempfile::tempdir().expect("tempdir");
        let actor = Actor::new("an", chrono::Utc::now());
        let store = Store::create(
            &dir.path().join("db"),
            &crate::interchange::campaign::sample(),
            &actor,
        )
        .expect("create");
        let units: Vec<Subject> = (0..n)
            .map(|i| Subject {
                id: format!("DV{i}"),
                name: format!("Đơn vị {i}"),
                tier: "province_agency".into(),
                parent: None,
                registered_on: None,
            })
            .collect();
        store
            .upsert_subjects(&units, "t", &actor)
            .expect("subjects");
        (dir, store, actor)
    }

    /// A draft past `SCAN_OPS` ops finds its keys through the index built then: reads see the
    /// draft's own writes before and after the switch, a key written twice is one op with the
    /// first value before, and sled ends with the last values.
    #[test]
    fn a_large_draft_reads_its_own_writes_across_the_switch_to_an_index() {
        let (_dir, store, actor) = store_with_units(1);
        let key = |i: usize| format!("K{i:03}").into_bytes();
        store
            .commit(&actor, |d| {
                d.insert(tree::LOCKS, &key(0), b"before").map(drop)
            })
            .expect("first");
        let n = 3 * SCAN_OPS;
        let ops = store
            .commit(&actor, |d| {
                for i in 0..n {
                    let old = d.insert(tree::LOCKS, &key(i), format!("a{i}"))?;
                    assert_eq!(old.as_deref(), (i == 0).then_some(&b"before"[..]));
                    assert_eq!(
                        d.get(tree::LOCKS, &key(i / 2))?.as_deref(),
                        Some(format!("a{}", i / 2).as_bytes())
                    );
                }
                for i in (0..n).step_by(3) {
                    let old = d.insert(tree::LOCKS, &key(i), format!("b{i}"))?;
                    assert_eq!(old.as_deref(), Some(format!("a{i}").as_bytes()));
                }
                d.remove(tree::LOCKS, &key(1))?;
                assert_eq!(d.get(tree::LOCKS, &key(1))?, None);
                Ok(d.ops.len())
            })
            .expect("large");
        assert_eq!(ops, n, "one op per key");
        let t = store.t().expect("t");
        for i in 0..n {
            let want = match i {
                1 => None,
                i if i % 3 == 0 => Some(format!("b{i}")),
                i => Some(format!("a{i}")),
            };
            assert_eq!(
                t.locks.get(key(i)).expect("get").as_deref(),
                want.as_deref().map(str::as_bytes),
                "key {i}"
            );
        }
        assert!(store.verify().expect("verify").is_ok());
    }

    /// sled fails to take a record after its sync (a disk filled by someone else in between):
    /// the change is stored and acknowledged, reads show it (sled opened again and given it
    /// from the journal), the next commit is built on it, and a reopen and `verify` agree.
    #[test]
    fn a_durable_record_sled_cannot_take_stays_stored_and_acknowledged() {
        let (dir, store, actor) = store_with_units(3);
        let path = dir.path().join("db");
        // The set-up's records are in sled: the fault hits the verdict's record.
        drop(store.t().expect("t"));
        store.applier.fail_next.store(true, Ordering::Release);
        let saved = store
            .set_verdict(&write("DV0", VerdictValue::Met, 0), &actor)
            .expect("acknowledged: the record is durable");
        // Shown at once: sled was opened again and given the record.
        let v = store.verdict("DV0", "TT1").expect("read").expect("stored");
        assert!(
            !store.applier.fail_next.load(Ordering::Acquire),
            "the fault was hit"
        );
        assert_eq!((v.value, v.version), (VerdictValue::Met, saved.version));
        // The next change is built on it: a write from the old version is a conflict.
        assert!(
            store
                .set_verdict(&write("DV0", VerdictValue::NotMet, 0), &actor)
                .is_err(),
            "nothing is silently overwritten"
        );
        store
            .set_verdict(&write("DV0", VerdictValue::NotMet, saved.version), &actor)
            .expect("built on the stored change");
        assert!(store.verify().expect("verify").is_ok());
        drop(store);
        let store = Store::open(&path).expect("reopen");
        let v = store.verdict("DV0", "TT1").expect("read").expect("stored");
        assert_eq!(v.value, VerdictValue::NotMet);
        assert!(store.verify().expect("verify").is_ok());
    }

    /// The same, when sled cannot be opened again at once: the store stays marked, the next
    /// commit opens sled first and replays the record, so nothing acknowledged is lost.
    #[test]
    fn a_record_sled_missed_is_replayed_before_the_next_commit() {
        let (_dir, store, actor) = store_with_units(2);
        drop(store.t().expect("t"));
        // Straight through `commit`, without `guarded`'s reopen afterwards.
        store.applier.fail_next.store(true, Ordering::Release);
        store
            .commit(&actor, |d| d.insert(tree::LOCKS, b"DV1", b"x").map(drop))
            .expect("acknowledged");
        // The applier tries the record beside the writer, and fails.
        let since = std::time::Instant::now();
        while !store.broken.load(Ordering::Acquire) {
            assert!(
                since.elapsed() < std::time::Duration::from_secs(10),
                "the applier never tried the record"
            );
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(
            store.t_now().expect("t").locks.get(b"DV1").expect("get"),
            None
        );
        // The next commit reads the record's value: sled was given it first.
        let seen = store
            .commit(&actor, |d| d.get(tree::LOCKS, b"DV1"))
            .expect("commit");
        assert_eq!(seen.as_deref(), Some(&b"x"[..]));
        assert!(!store.broken.load(Ordering::Acquire));
        assert_eq!(
            store
                .t()
                .expect("t")
                .locks
                .get(b"DV1")
                .expect("get")
                .as_deref(),
            Some(&b"x"[..])
        );
    }
}
