//! Commits through the journal. A change is built as a `Draft` (reads see sled plus the
//! draft's own writes; every write is kept as a journal `Op` with the value before and after),
//! under one writer lock, so the checks (versions, locks) see every earlier commit. Then:
//! append the record to the journal → one `fdatasync` → apply the ops to sled in one sled
//! transaction that also records the applied sequence (`meta/journal_applied`) → acknowledge.
//! sled itself is not flushed on the way: it flushes in the background and on close, and
//! whatever it loses is replayed from the journal at the next open.

use std::collections::HashMap;
use std::sync::PoisonError;

use sled::IVec;
use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use super::journal::{self, Op, tree};
use super::{Actor, Result, Store, StoreError, Trees, keys, tx_error};

/// The meta key holding the last journal sequence applied to sled (u64 BE). Never journaled.
pub const APPLIED: &[u8] = b"journal_applied";

/// Records with more ops than this (imports, checkpoints) are applied key by key rather than
/// in one sled transaction, which would hold all of it in memory; the applied sequence is
/// written after the last key, so a crash half-way replays the record again (every op sets a
/// final value, so replaying twice is the same as once).
const BIG: usize = 5_000;

/// A change being built: reads through to sled, writes kept as ops.
pub(crate) struct Draft<'a> {
    t: &'a Trees,
    ops: Vec<Op>,
    index: HashMap<(u8, Vec<u8>), usize>,
}

impl<'a> Draft<'a> {
    fn new(t: &'a Trees) -> Self {
        Draft {
            t,
            ops: Vec::new(),
            index: HashMap::new(),
        }
    }

    pub fn get(&self, tree: u8, key: &[u8]) -> Result<Option<IVec>> {
        if let Some(&i) = self.index.get(&(tree, key.to_vec())) {
            return Ok(self.ops[i].new.as_deref().map(IVec::from));
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

    pub fn remove(&mut self, tree: u8, key: &[u8]) -> Result<Option<IVec>> {
        self.put(tree, key, None)
    }

    fn put(&mut self, tree: u8, key: &[u8], new: Option<Vec<u8>>) -> Result<Option<IVec>> {
        let k = (tree, key.to_vec());
        if let Some(&i) = self.index.get(&k) {
            let before = std::mem::replace(&mut self.ops[i].new, new);
            return Ok(before.map(IVec::from));
        }
        let old = self.t.tree(tree).get(key)?;
        self.index.insert(k, self.ops.len());
        self.ops.push(Op {
            tree,
            key: key.to_vec(),
            old: old.as_deref().map(<[u8]>::to_vec),
            new,
        });
        Ok(old)
    }

    /// The ops that change something.
    fn finish(self) -> Vec<Op> {
        self.ops.into_iter().filter(|o| o.old != o.new).collect()
    }
}

/// Applies a record's ops to sled, with the applied sequence.
pub(crate) fn apply(t: &Trees, seq: u64, ops: &[Op]) -> Result<()> {
    if ops.len() > BIG {
        for op in ops {
            let tr = t.tree(op.tree);
            match &op.new {
                Some(v) => tr.insert(op.key.as_slice(), v.as_slice())?,
                None => tr.remove(op.key.as_slice())?,
            };
        }
        t.meta.insert(APPLIED, &seq.to_be_bytes())?;
        return Ok(());
    }
    (
        &t.meta,
        &t.subjects,
        &t.subject_ids,
        &t.verdicts,
        &t.initiatives,
        &t.initiative_ids,
        &t.audit,
        &t.subject_audit,
        &t.locks,
        &t.claims,
        &t.assignments,
    )
        .transaction(|(m, s, si, v, i, ii, a, sa, l, c, asg)| {
            let trees = [m, s, si, v, i, ii, a, sa, l, c, asg];
            for op in ops {
                let tr = trees[usize::from(op.tree)];
                match &op.new {
                    Some(v) => tr.insert(op.key.as_slice(), v.as_slice())?,
                    None => tr.remove(op.key.as_slice())?,
                };
            }
            m.insert(APPLIED, &seq.to_be_bytes())?;
            Ok::<(), ConflictableTransactionError<StoreError>>(())
        })
        .map_err(tx_error)
}

/// The sequence sled has applied (0 when none).
pub(crate) fn applied(t: &Trees) -> Result<u64> {
    Ok(t.meta
        .get(APPLIED)?
        .and_then(|v| keys::decode_seq(&v))
        .unwrap_or(0))
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
                .append_with(journal::KIND_CHECKPOINT, at_ms, "thidua", |w| {
                    if let Err(e) = checkpoint_ops(&t, w) {
                        let text = e.to_string();
                        read_error = Some(e);
                        return Err(std::io::Error::other(text));
                    }
                    Ok(())
                })
                .map_err(|e| read_error.take().unwrap_or_else(|| io(e)))?;
            t.meta.insert(APPLIED, &seq.to_be_bytes())?;
            t.db.flush()?;
            j
        } else {
            let tail = self.replay(&t)?;
            if let Some((offset, bytes)) = tail.torn {
                tracing::warn!(
                    "{}: dropped a torn final record ({bytes} bytes at offset {offset}), a write cut short by a crash",
                    dir.display()
                );
            }
            journal::Journal::open(&dir, &tail).map_err(io)?
        };
        *self.journal.lock().unwrap_or_else(PoisonError::into_inner) = Some(journal);
        Ok(())
    }

    /// Checks the whole journal and applies to sled every record past the sequence it has
    /// applied. Returns the journal's checked end.
    pub(crate) fn replay(&self, t: &Trees) -> Result<journal::Tail> {
        let dir = self.journal_dir();
        let applied = applied(t)?;
        let mut pending = Vec::new();
        let tail = journal::scan_some(&dir, |seq| seq > applied, |r, _| pending.push(r))
            .map_err(|d| StoreError::Journal(Box::new(d)))?;
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
        for r in &pending {
            apply(t, r.seq, &r.ops)?;
        }
        self.replayed
            .fetch_add(pending.len() as u64, std::sync::atomic::Ordering::Relaxed);
        if !pending.is_empty() {
            t.db.flush()?;
        }
        Ok(tail)
    }

    /// Runs `build` as one change and commits it through the journal (see the module comment);
    /// a change that writes nothing is not recorded.
    pub(crate) fn commit<T>(
        &self,
        actor: &Actor,
        build: impl FnOnce(&mut Draft<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut journal = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        let t = self.t()?;
        let mut draft = Draft::new(&t);
        let out = build(&mut draft)?;
        let ops = draft.finish();
        if ops.is_empty() {
            return Ok(out);
        }
        let j = journal.as_mut().ok_or_else(|| {
            StoreError::Corrupt("the database's journal is not open for writing".into())
        })?;
        let seq = j
            .append(
                journal::KIND_CHANGE,
                actor.at.timestamp_millis(),
                &actor.journal_text(),
                &ops,
            )
            .map_err(|source| StoreError::Io {
                path: self.path.clone(),
                source,
            })?;
        apply(&t, seq, &ops)?;
        Ok(out)
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
        let j = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
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
        let j = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
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
        let mut d = Draft::new(self.t);
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
fn apply_payload(t: &Trees, seq: u64, payload: &[u8]) -> Result<()> {
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
    t.meta.insert(APPLIED, &seq.to_be_bytes())?;
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
        let started = std::time::Instant::now();
        let mut journal = self.journal.lock().unwrap_or_else(PoisonError::into_inner);
        let t = self.t()?;
        let j = journal.as_mut().ok_or_else(|| {
            StoreError::Corrupt("the database's journal is not open for writing".into())
        })?;
        let w = j.start(
            journal::KIND_CHANGE,
            actor.at.timestamp_millis(),
            &actor.reviewer,
        );
        let mut stream = Stream { t: &t, w };
        let out = build(&mut stream)?;
        if stream.w.count() == 0 {
            return Ok(out);
        }
        let (seq, payload) = j
            .append_payload(stream.w)
            .map_err(|source| StoreError::Io {
                path: self.path.clone(),
                source,
            })?;
        let written = started.elapsed();
        apply_payload(&t, seq, &payload)?;
        tracing::debug!(
            "record {seq}: {} bytes built and made durable in {written:?}, applied to sled in {:?}",
            payload.len(),
            started.elapsed() - written
        );
        Ok(out)
    }
}
