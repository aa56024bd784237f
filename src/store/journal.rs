//! The change journal: append-only segment files beside sled (`<db>/journal/000001.log`, …)
//! holding one framed record per committed change. sled is the state the console reads; the
//! journal is what a commit makes durable (one `fdatasync`), what `Store::open` replays past
//! the sequence sled has applied, and what `verify` folds to check sled against.
//!
//! A frame is
//!
//! ```text
//! magic "TDJ1" (4) | payload length u32 BE | CRC-32 of payload u32 BE | CRC-32 of the 12 bytes before u32 BE | payload
//! ```
//!
//! The header has its own checksum so a damaged length is told from a torn write: a frame is
//! torn only when it is the last thing in the last segment and either fewer than 16 bytes
//! remain, or the header is whole and sound but the payload runs past the end of the file, or
//! everything after the last good frame is zero bytes (space the file system gave the file
//! before the data reached it). Anything else that does not check is damage.
//!
//! A payload (all integers big-endian) is
//!
//! ```text
//! format u8 (1) | kind u8 (0 change, 1 checkpoint) | seq u64 | time i64 (ms since 1970, UTC)
//! | previous record's SHA-256 [32] | actor: u32 length ++ UTF-8 | op count u32
//! | per op: tree u8 | key: u32 length ++ bytes | old: u8 (0 none, 1 some) [++ u32 length ++ bytes] | new: same
//! ```
//!
//! A record's hash is the SHA-256 of its payload; each payload holds the hash of the record
//! before it (zeros for the first), so the records form a chain, and the hash of the last one
//! (the head) names the whole history. An op is one key of one tree as the change wrote it:
//! the value before and after (none = absent), so replay and `verify` treat every kind of
//! change (verdicts, notes, initiatives, undo/redo, locks, imports, restores) alike.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The folder of segments inside a database folder.
pub const DIR: &str = "journal";

const MAGIC: [u8; 4] = *b"TDJ1";
const HEADER: usize = 16;
const FORMAT: u8 = 1;

/// A segment is closed and a new one started once it holds this many bytes.
pub const SEGMENT_BYTES: u64 = 64 << 20;

/// A change made by a user action, an import or a restore.
pub const KIND_CHANGE: u8 = 0;
/// The whole state of the journaled trees, written when a database gets its journal.
pub const KIND_CHECKPOINT: u8 = 1;

/// The trees a record writes to, by number. `reviewer_cursor` (a convenience, not a
/// decision) and `import_staging` are not journaled.
pub mod tree {
    pub const META: u8 = 0;
    pub const SUBJECTS: u8 = 1;
    pub const SUBJECT_IDS: u8 = 2;
    pub const VERDICTS: u8 = 3;
    pub const INITIATIVES: u8 = 4;
    pub const INITIATIVE_IDS: u8 = 5;
    pub const AUDIT: u8 = 6;
    pub const SUBJECT_AUDIT: u8 = 7;
    pub const LOCKS: u8 = 8;
    /// Self-assessment claims (tự đánh giá).
    pub const CLAIMS: u8 = 9;
    /// Assignments (phân công): subject number → reviewer.
    pub const ASSIGNMENTS: u8 = 10;
    /// sled's names of the trees above, by number.
    pub const NAMES: [&str; 11] = [
        "meta",
        "subjectno_subject",
        "subjectid_subjectno",
        "subjectcriterion_verdict",
        "initiativeno_initiative",
        "initiativeid_initiativeno",
        "seq_audit",
        "subjectseq_audit",
        "locked_subjects",
        "subjectcriterion_claim",
        "subjectno_reviewer",
    ];
}

/// One key of one tree as a change wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub tree: u8,
    pub key: Vec<u8>,
    pub old: Option<Vec<u8>>,
    pub new: Option<Vec<u8>>,
}

/// One record of the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: u8,
    pub seq: u64,
    pub at_ms: i64,
    pub prev: [u8; 32],
    pub actor: String,
    pub ops: Vec<Op>,
}

pub type Hash = [u8; 32];

/// The hash of a record: the SHA-256 of its payload.
pub fn hash(payload: &[u8]) -> Hash {
    Sha256::digest(payload).into()
}

/// Lower-case hex of a hash.
pub fn hex(h: &Hash) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_be_bytes());
    out.extend_from_slice(b);
}

fn put_opt(out: &mut Vec<u8>, b: Option<&[u8]>) {
    match b {
        None => out.push(0),
        Some(b) => {
            out.push(1);
            put_bytes(out, b);
        }
    }
}

/// A payload being written op by op, without a list of ops in memory first (a checkpoint of a
/// large database).
pub struct PayloadWriter {
    out: Vec<u8>,
    count: u32,
}

impl PayloadWriter {
    fn new(kind: u8, seq: u64, at_ms: i64, prev: &Hash, actor: &str) -> Self {
        let mut out = encode(kind, seq, at_ms, prev, actor, &[]);
        out.truncate(out.len() - 4);
        out.extend_from_slice(&0u32.to_be_bytes());
        PayloadWriter { out, count: 0 }
    }

    /// Adds an op that sets `key` of `tree` to `value` from nothing.
    pub fn put(&mut self, tree: u8, key: &[u8], value: &[u8]) {
        self.out.push(tree);
        put_bytes(&mut self.out, key);
        put_opt(&mut self.out, None);
        put_opt(&mut self.out, Some(value));
        self.count += 1;
    }

    /// Adds an op with the value before and after (none = absent).
    pub fn op(&mut self, tree: u8, key: &[u8], old: Option<&[u8]>, new: Option<&[u8]>) {
        self.out.push(tree);
        put_bytes(&mut self.out, key);
        put_opt(&mut self.out, old);
        put_opt(&mut self.out, new);
        self.count += 1;
    }

    /// How many ops were added.
    pub fn count(&self) -> u32 {
        self.count
    }

    fn finish(mut self, count_at: usize) -> Vec<u8> {
        self.out[count_at..count_at + 4].copy_from_slice(&self.count.to_be_bytes());
        self.out
    }
}

/// The payload of a record.
pub fn encode(kind: u8, seq: u64, at_ms: i64, prev: &Hash, actor: &str, ops: &[Op]) -> Vec<u8> {
    let size: usize = ops
        .iter()
        .map(|o| {
            14 + o.key.len()
                + o.old.as_ref().map_or(0, Vec::len)
                + o.new.as_ref().map_or(0, Vec::len)
        })
        .sum();
    let mut out = Vec::with_capacity(58 + actor.len() + size);
    out.push(FORMAT);
    out.push(kind);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&at_ms.to_be_bytes());
    out.extend_from_slice(prev);
    put_bytes(&mut out, actor.as_bytes());
    out.extend_from_slice(&(ops.len() as u32).to_be_bytes());
    for o in ops {
        out.push(o.tree);
        put_bytes(&mut out, &o.key);
        put_opt(&mut out, o.old.as_deref());
        put_opt(&mut out, o.new.as_deref());
    }
    out
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_be_bytes(self.take(8)?.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = self.u32()? as usize;
        Some(self.take(n)?.to_vec())
    }
    fn opt(&mut self) -> Option<Option<Vec<u8>>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.bytes()?)),
            _ => None,
        }
    }
}

/// Reads a payload back; `None` when it is not one this build writes.
pub fn decode(payload: &[u8]) -> Option<Record> {
    let mut r = Reader(payload);
    if r.u8()? != FORMAT {
        return None;
    }
    let kind = r.u8()?;
    let seq = r.u64()?;
    let at_ms = r.u64()? as i64;
    let prev: Hash = r.take(32)?.try_into().ok()?;
    let actor = String::from_utf8(r.bytes()?).ok()?;
    let n = r.u32()? as usize;
    let mut ops = Vec::with_capacity(n.min(payload.len() / 14));
    for _ in 0..n {
        let tree = r.u8()?;
        if usize::from(tree) >= tree::NAMES.len() {
            return None;
        }
        ops.push(Op {
            tree,
            key: r.bytes()?,
            old: r.opt()?,
            new: r.opt()?,
        });
    }
    if !r.0.is_empty() {
        return None;
    }
    Some(Record {
        kind,
        seq,
        at_ms,
        prev,
        actor,
        ops,
    })
}

/// The frame around a payload.
pub fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(&frame_header(payload));
    out.extend_from_slice(payload);
    out
}

/// The 16 bytes a frame puts before its payload.
fn frame_header(payload: &[u8]) -> [u8; HEADER] {
    let mut out = [0u8; HEADER];
    out[..4].copy_from_slice(&MAGIC);
    out[4..8].copy_from_slice(&(payload.len() as u32).to_be_bytes());
    out[8..12].copy_from_slice(&crc32fast::hash(payload).to_be_bytes());
    let header_crc = crc32fast::hash(&out[..12]);
    out[12..16].copy_from_slice(&header_crc.to_be_bytes());
    out
}

/// What is wrong with a journal, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The segment file.
    pub segment: PathBuf,
    /// Byte offset of the bad frame in it.
    pub offset: u64,
    /// The sequence number the bad record has (or should have).
    pub seq: u64,
    pub what: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The frame's header or payload does not match its checksum.
    Checksum,
    /// The record does not name the hash of the one before it.
    Chain,
    /// The record's sequence number is not the next one.
    Sequence { found: u64 },
    /// The payload checks but cannot be read.
    Format,
    /// The file could not be read.
    Unreadable(String),
    /// Segment files are missing between others.
    MissingSegment,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match &self.what {
            Problem::Checksum => "the record does not match its checksum".to_string(),
            Problem::Chain => {
                "the record does not carry the hash of the record before it (the chain is broken)"
                    .to_string()
            }
            Problem::Sequence { found } => format!("the record is numbered {found}"),
            Problem::Format => "the record cannot be read".to_string(),
            Problem::Unreadable(e) => format!("the file cannot be read ({e})"),
            Problem::MissingSegment => "the segment before it is missing".to_string(),
        };
        write!(
            f,
            "journal segment {}, offset {}, record {}: {what}",
            self.segment.display(),
            self.offset,
            self.seq
        )
    }
}

/// Where a record was read from.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub segment: &'a Path,
    pub offset: u64,
    pub hash: &'a Hash,
}

/// The end of a journal that checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tail {
    /// The last segment, its number and the length of its good part.
    pub segment: Option<(u32, PathBuf, u64)>,
    /// The last record's sequence number (0 when there is none).
    pub seq: u64,
    /// The last record's hash (zeros when there is none).
    pub head: Hash,
    /// A torn final frame: its offset and how many bytes it had.
    pub torn: Option<(u64, u64)>,
    /// How many records there are.
    pub records: u64,
}

/// The segment files of `dir`, by number; a missing folder has none.
pub fn segments(dir: &Path) -> std::io::Result<Vec<(u32, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(no) = name
            .strip_suffix(".log")
            .filter(|n| n.len() == 6)
            .and_then(|n| n.parse::<u32>().ok())
        {
            out.push((no, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

pub fn segment_name(no: u32) -> String {
    format!("{no:06}.log")
}

/// Reads every record of the journal in `dir` in order, checking each frame's checksums, the
/// sequence and the hash chain, and calls `each` with each record. Stops at the first damage.
pub fn scan(dir: &Path, each: impl FnMut(Record, Place<'_>)) -> std::result::Result<Tail, Damage> {
    scan_some(dir, |_| true, each)
}

/// `scan`, decoding (and passing to `each`) only the records whose sequence number `want`
/// accepts; the others are checked (checksums, sequence, chain) without being decoded, which
/// keeps a clean open from building every op of a large checkpoint.
pub fn scan_some(
    dir: &Path,
    mut want: impl FnMut(u64) -> bool,
    mut each: impl FnMut(Record, Place<'_>),
) -> std::result::Result<Tail, Damage> {
    let segs = segments(dir).map_err(|e| Damage {
        segment: dir.to_path_buf(),
        offset: 0,
        seq: 1,
        what: Problem::Unreadable(e.kind().to_string()),
    })?;
    let mut tail = Tail::default();
    let count = segs.len();
    let mut expected_no: Option<u32> = None;
    for (i, (no, path)) in segs.into_iter().enumerate() {
        let last = i + 1 == count;
        let damage = |offset: u64, seq: u64, what: Problem| Damage {
            segment: path.clone(),
            offset,
            seq,
            what,
        };
        if let Some(e) = expected_no
            && e != no
        {
            return Err(damage(0, tail.seq + 1, Problem::MissingSegment));
        }
        expected_no = Some(no + 1);
        let bytes = std::fs::read(&path)
            .map_err(|e| damage(0, tail.seq + 1, Problem::Unreadable(e.kind().to_string())))?;
        let mut at = 0usize;
        while at < bytes.len() {
            let rest = &bytes[at..];
            let seq = tail.seq + 1;
            let torn = |tail: &mut Tail| {
                tail.torn = Some((at as u64, rest.len() as u64));
            };
            if rest.len() < HEADER {
                if last {
                    torn(&mut tail);
                    break;
                }
                return Err(damage(at as u64, seq, Problem::Checksum));
            }
            let header_ok =
                rest[..4] == MAGIC && crc32fast::hash(&rest[..12]).to_be_bytes() == rest[12..16];
            if !header_ok {
                if last && rest.iter().all(|b| *b == 0) {
                    torn(&mut tail);
                    break;
                }
                return Err(damage(at as u64, seq, Problem::Checksum));
            }
            let len = u32::from_be_bytes(rest[4..8].try_into().unwrap_or_default()) as usize;
            if rest.len() - HEADER < len {
                if last {
                    torn(&mut tail);
                    break;
                }
                return Err(damage(at as u64, seq, Problem::Checksum));
            }
            let payload = &rest[HEADER..HEADER + len];
            if crc32fast::hash(payload).to_be_bytes() != rest[8..12] {
                return Err(damage(at as u64, seq, Problem::Checksum));
            }
            // The fixed part: format, kind, seq, time, previous hash.
            if payload.len() < 58 || payload[0] != FORMAT {
                return Err(damage(at as u64, seq, Problem::Format));
            }
            let found = u64::from_be_bytes(payload[2..10].try_into().unwrap_or_default());
            let seq = if tail.records == 0 && found > 1 && payload[1] == KIND_CHECKPOINT {
                // The first kept record is a later checkpoint: the segments before it were
                // retired (`store::checkpoint`); the chain is checked from here.
                tail.seq = found - 1;
                tail.head = payload[18..50].try_into().unwrap_or_default();
                found
            } else {
                seq
            };
            if found != seq {
                return Err(damage(at as u64, seq, Problem::Sequence { found }));
            }
            if payload[18..50] != tail.head {
                return Err(damage(at as u64, seq, Problem::Chain));
            }
            let h = hash(payload);
            if want(seq) {
                let record =
                    decode(payload).ok_or_else(|| damage(at as u64, seq, Problem::Format))?;
                each(
                    record,
                    Place {
                        segment: &path,
                        offset: at as u64,
                        hash: &h,
                    },
                );
            }
            tail.seq = seq;
            tail.head = h;
            tail.records += 1;
            at += HEADER + len;
        }
        let good = tail.torn.map_or(bytes.len() as u64, |(off, _)| off);
        tail.segment = Some((no, path.clone(), good));
    }
    Ok(tail)
}

/// The journal of an open database, ready to append.
pub struct Journal {
    dir: PathBuf,
    file: File,
    segment: u32,
    len: u64,
    seq: u64,
    head: Hash,
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

impl Journal {
    /// Opens the journal whose checked end is `tail` for appending; a torn final frame is cut
    /// off first. A journal with no segment gets its first one.
    pub fn open(dir: &Path, tail: &Tail) -> std::io::Result<Journal> {
        let (segment, path, good) = match &tail.segment {
            Some((no, path, good)) => (*no, path.clone(), *good),
            None => {
                std::fs::create_dir_all(dir)?;
                (1, dir.join(segment_name(1)), 0)
            }
        };
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)?;
        if file.metadata()?.len() != good {
            file.set_len(good)?;
            file.sync_all()?;
        }
        if tail.segment.is_none() {
            file.sync_all()?;
            sync_dir(dir)?;
        }
        Ok(Journal {
            dir: dir.to_path_buf(),
            file,
            segment,
            len: good,
            seq: tail.seq,
            head: tail.head,
        })
    }

    /// The last record's sequence number and hash.
    pub fn head(&self) -> (u64, Hash) {
        (self.seq, self.head)
    }

    /// The segment being appended to.
    pub fn segment_path(&self) -> PathBuf {
        self.dir.join(segment_name(self.segment))
    }

    /// Appends one record and makes it durable with one `fdatasync`; returns its sequence
    /// number. On failure (a full disk) the segment is cut back to where it was, so nothing of
    /// the record stays.
    pub fn append(
        &mut self,
        kind: u8,
        at_ms: i64,
        actor: &str,
        ops: &[Op],
    ) -> std::io::Result<u64> {
        if self.len >= SEGMENT_BYTES {
            self.rotate()?;
        }
        let seq = self.seq + 1;
        let payload = encode(kind, seq, at_ms, &self.head, actor, ops);
        self.write_frame(seq, &payload)
    }

    /// `append` for a record whose ops `write` adds one by one (a checkpoint).
    pub fn append_with(
        &mut self,
        kind: u8,
        at_ms: i64,
        actor: &str,
        write: impl FnOnce(&mut PayloadWriter) -> std::io::Result<()>,
    ) -> std::io::Result<u64> {
        if self.len >= SEGMENT_BYTES {
            self.rotate()?;
        }
        let seq = self.seq + 1;
        let mut w = PayloadWriter::new(kind, seq, at_ms, &self.head, actor);
        let count_at = w.out.len() - 4;
        write(&mut w)?;
        let payload = w.finish(count_at);
        self.write_frame(seq, &payload)
    }

    fn write_frame(&mut self, seq: u64, payload: &[u8]) -> std::io::Result<u64> {
        // Header and payload are written one after the other, not copied into one buffer: an
        // import's payload is tens of MB.
        let header = frame_header(payload);
        let written = self
            .file
            .write_all(&header)
            .and_then(|()| self.file.write_all(payload))
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            if let Err(cut) = self.file.set_len(self.len) {
                tracing::error!(
                    "could not cut {} back after a failed append: {cut}",
                    self.segment_path().display()
                );
            }
            return Err(e);
        }
        self.len += (HEADER + payload.len()) as u64;
        self.seq = seq;
        self.head = hash(payload);
        Ok(seq)
    }

    /// Closes the current segment and starts the next one (`store::checkpoint`).
    pub(crate) fn start_segment(&mut self) -> std::io::Result<()> {
        self.rotate()
    }

    fn rotate(&mut self) -> std::io::Result<()> {
        let next = self.segment + 1;
        let path = self.dir.join(segment_name(next));
        let file = OpenOptions::new()
            .create_new(true)
            .read(true)
            .append(true)
            .open(&path)?;
        file.sync_all()?;
        sync_dir(&self.dir)?;
        self.file = file;
        self.segment = next;
        self.len = 0;
        Ok(())
    }
}

/// Large records (imports): the payload is written op by op into one buffer (no list of ops
/// beside it), appended as one frame, and read back op by op without copying.
impl Journal {
    /// Starts the next record's payload; fill it with `PayloadWriter::op` and append it with
    /// `append_payload` before any other append.
    pub fn start(&self, kind: u8, at_ms: i64, actor: &str) -> PayloadWriter {
        PayloadWriter::new(kind, self.seq + 1, at_ms, &self.head, actor)
    }

    /// Appends a payload begun by `start`, as `append` does (one `fdatasync`); returns its
    /// sequence number and the payload, to apply it from.
    pub fn append_payload(&mut self, w: PayloadWriter) -> std::io::Result<(u64, Vec<u8>)> {
        if self.len >= SEGMENT_BYTES {
            self.rotate()?;
        }
        let seq = self.seq + 1;
        let count_at =
            54 + u32::from_be_bytes(w.out[50..54].try_into().unwrap_or_default()) as usize;
        let payload = w.finish(count_at);
        self.write_frame(seq, &payload)?;
        Ok((seq, payload))
    }
}

/// One op of a payload, borrowed from it.
pub struct OpRef<'a> {
    pub tree: u8,
    pub key: &'a [u8],
    pub old: Option<&'a [u8]>,
    pub new: Option<&'a [u8]>,
}

/// Calls `each` with every op of a payload in order, without copying; `None` when the payload
/// is not one this build writes.
pub fn for_each_op<'a>(payload: &'a [u8], mut each: impl FnMut(OpRef<'a>)) -> Option<()> {
    fn bytes<'a>(r: &mut &'a [u8]) -> Option<&'a [u8]> {
        let n = u32::from_be_bytes(r.get(..4)?.try_into().ok()?) as usize;
        let b = r.get(4..4 + n)?;
        *r = &r[4 + n..];
        Some(b)
    }
    fn opt<'a>(r: &mut &'a [u8]) -> Option<Option<&'a [u8]>> {
        let (&flag, rest) = r.split_first()?;
        *r = rest;
        match flag {
            0 => Some(None),
            1 => Some(Some(bytes(r)?)),
            _ => None,
        }
    }
    let mut r: &[u8] = payload.get(50..)?;
    bytes(&mut r)?;
    let n = u32::from_be_bytes(r.get(..4)?.try_into().ok()?);
    r = &r[4..];
    for _ in 0..n {
        let (&tree, rest) = r.split_first()?;
        r = rest;
        if usize::from(tree) >= tree::NAMES.len() {
            return None;
        }
        let key = bytes(&mut r)?;
        let old = opt(&mut r)?;
        let new = opt(&mut r)?;
        each(OpRef {
            tree,
            key,
            old,
            new,
        });
    }
    r.is_empty().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(tree: u8, k: &[u8], old: Option<&[u8]>, new: Option<&[u8]>) -> Op {
        Op {
            tree,
            key: k.to_vec(),
            old: old.map(<[u8]>::to_vec),
            new: new.map(<[u8]>::to_vec),
        }
    }

    fn journal_with(n: u64) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join(DIR);
        let mut j = Journal::open(&dir, &Tail::default()).expect("open");
        for i in 0..n {
            let v = i.to_be_bytes();
            j.append(
                KIND_CHANGE,
                i as i64,
                "an",
                &[op(tree::VERDICTS, b"k", None, Some(&v))],
            )
            .expect("append");
        }
        (tmp, dir)
    }

    #[test]
    fn records_round_trip_and_chain() {
        let ops = vec![
            op(tree::META, b"a", None, Some(b"1")),
            op(tree::LOCKS, b"b", Some(b"x"), None),
        ];
        let p = encode(KIND_CHANGE, 7, -5, &[3; 32], "Lê Văn Tám", &ops);
        let r = decode(&p).expect("decode");
        assert_eq!(
            (r.seq, r.at_ms, r.prev, r.actor.as_str()),
            (7, -5, [3; 32], "Lê Văn Tám")
        );
        assert_eq!(r.ops, ops);
        let (_tmp, dir) = journal_with(5);
        let mut seen = Vec::new();
        let tail = scan(&dir, |r, _| seen.push(r.seq)).expect("scan");
        assert_eq!(seen, vec![1, 2, 3, 4, 5]);
        assert_eq!((tail.seq, tail.torn), (5, None));
    }

    #[test]
    fn a_torn_tail_is_dropped_and_only_that() {
        let (_tmp, dir) = journal_with(3);
        let seg = dir.join(segment_name(1));
        let full = std::fs::read(&seg).expect("read");
        let one = full.len() / 3;
        for cut in [1, HEADER - 1, HEADER + 3, one - 1] {
            std::fs::write(&seg, &full[..full.len() - cut]).expect("write");
            let tail = scan(&dir, |_, _| {}).expect("a torn tail is not damage");
            assert_eq!(tail.seq, 2, "cut {cut}");
            assert_eq!(tail.torn.map(|t| t.0), Some((2 * one) as u64));
            // Reopening cuts the torn frame off, and the next record follows the second.
            let mut j = Journal::open(&dir, &tail).expect("open");
            assert_eq!(j.append(KIND_CHANGE, 0, "b", &[]).expect("append"), 3);
            assert_eq!(scan(&dir, |_, _| {}).expect("scan").seq, 3);
        }
        // Zeros after the last frame (space given before the data came) are a torn write too.
        let mut zeros = full.clone();
        zeros.extend_from_slice(&[0; 40]);
        std::fs::write(&seg, &zeros).expect("write");
        assert_eq!(scan(&dir, |_, _| {}).expect("scan").seq, 3);
    }

    #[test]
    fn every_flipped_bit_is_damage_or_a_torn_tail_never_silence() {
        let (_tmp, dir) = journal_with(3);
        let seg = dir.join(segment_name(1));
        let full = std::fs::read(&seg).expect("read");
        let one = full.len() / 3;
        for bit in 0..full.len() * 8 {
            let mut b = full.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            std::fs::write(&seg, &b).expect("write");
            match scan(&dir, |_, _| {}) {
                Err(d) => {
                    assert_eq!(d.offset as usize, (bit / 8) / one * one, "bit {bit}");
                    assert_eq!(d.seq as usize, (bit / 8) / one + 1, "bit {bit}");
                }
                // Only a flipped length in the last frame can make it look cut short, and
                // the header checksum stops that.
                Ok(t) => panic!("bit {bit} went unnoticed: {t:?}"),
            }
        }
    }
}
