//! The change journal: append-only segment files beside sled (`<db>/journal/000001.log`, …)
//! holding one framed record per committed change. sled is the state the console reads; the
//! journal is what a commit makes durable (one `fdatasync`), what `Store::open` replays past
//! the sequence sled has applied, and what `verify` folds to check sled against.
//!
//! A frame is
//!
//! ```text
//! magic "TDJ2" (4) | payload length u32 BE | CRC-32 of payload u32 BE | CRC-32 of the 12 bytes before u32 BE
//! | payload | end mark "TDJE" (4) | zeros up to the next multiple of 512 bytes
//! ```
//!
//! Frames start on 512-byte (sector) boundaries and are written into space already written
//! with zeros (`ALLOC_STEP` at a time, synced once), so a commit's `fdatasync` has no file size
//! to persist and a frame's write never rewrites a sector of another frame. The records end at
//! the first header that is all zeros. The header has its own checksum so a damaged length is
//! told from a torn write, and every sector of a frame written whole holds a non-zero byte (the
//! first its header, the last its end mark), so a torn write (a crash while the frame's sectors
//! were on their way: some of them still zeros) is told from a flipped bit (no sector all
//! zeros). The rules are at `Scanner::aligned`.
//!
//! Segments written by earlier builds hold frames of the first format ("TDJ1": the same header,
//! then the payload, packed one after the other, the file growing with each). They are read as
//! they are; a journal whose last segment is of that format gets a new segment at its next
//! open, so every frame written since is aligned.
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

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use sha2::{Digest, Sha256};

/// The folder of segments inside a database folder.
pub const DIR: &str = "journal";

/// The first format's frames (segments written by earlier builds; read, not written).
const MAGIC_V1: [u8; 4] = *b"TDJ1";
/// Sector-aligned frames.
const MAGIC: [u8; 4] = *b"TDJ2";
/// After each aligned frame's payload: the last sector of a frame written whole is never all
/// zeros.
const END: [u8; 4] = *b"TDJE";
const HEADER: usize = 16;
/// Frames start on a sector boundary, so writing one never rewrites a sector of another.
pub const SECTOR: u64 = 512;
/// Zeros are written ahead of the next frame in steps of this size (and synced once each).
pub const ALLOC_STEP: u64 = 1 << 20;
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

    /// The payload's size so far, in bytes.
    pub fn bytes(&self) -> usize {
        self.out.len()
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

/// The frame around a payload, as this build writes it: the header, the payload, the end mark,
/// and zeros up to the next 512-byte boundary.
pub fn frame(payload: &[u8]) -> Vec<u8> {
    let body = HEADER + payload.len() + END.len();
    let mut out = Vec::with_capacity(align(body as u64) as usize);
    out.extend_from_slice(&frame_header(payload));
    out.extend_from_slice(payload);
    out.extend_from_slice(&END);
    out.resize(align(body as u64) as usize, 0);
    out
}

/// A payload larger than this is written in place rather than copied into its frame.
const BIG_PAYLOAD: usize = 1 << 20;

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

/// A frame in the first format ("TDJ1": header and payload, packed one after the other), which
/// segments written by earlier builds hold. Read, never written by the journal; for tests of
/// journals written by those builds.
pub fn frame_v1(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(&MAGIC_V1);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_be_bytes());
    let header_crc = crc32fast::hash(&out[..12]);
    out.extend_from_slice(&header_crc.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// The bytes a frame whose header starts with `magic` and whose payload is `len` bytes takes
/// in its segment (its end mark and zeros up to the sector boundary included).
pub fn frame_extent(magic: &[u8], len: u64) -> u64 {
    if magic == MAGIC_V1 {
        HEADER as u64 + len
    } else {
        align(HEADER as u64 + len + END.len() as u64)
    }
}

/// `n` rounded up to a whole number of sectors.
fn align(n: u64) -> u64 {
    n.div_ceil(SECTOR) * SECTOR
}

fn is_zero(b: &[u8]) -> bool {
    b.iter().fold(0u8, |a, x| a | x) == 0
}

fn header_ok(h: &[u8], magic: &[u8; 4]) -> bool {
    h.len() >= HEADER && h[..4] == *magic && crc32fast::hash(&h[..12]).to_be_bytes() == h[12..16]
}

/// Whether a sound frame header starts at a sector boundary at or after `from` in `bytes`
/// (which starts on a sector boundary).
fn frame_after(bytes: &[u8], from: usize) -> bool {
    let mut p = align(from as u64) as usize;
    while p + HEADER <= bytes.len() {
        if header_ok(&bytes[p..p + HEADER], &MAGIC) {
            return true;
        }
        p += SECTOR as usize;
    }
    false
}

/// The format of a segment, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// "TDJ1": frames packed one after the other, the file growing with each.
    V1,
    /// "TDJ2": sector-aligned frames written into space filled with zeros ahead.
    Aligned,
}

fn format_of(first: &[u8]) -> Format {
    if first.starts_with(&MAGIC_V1) {
        Format::V1
    } else {
        Format::Aligned
    }
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
    /// The segment's number.
    pub no: u32,
    pub offset: u64,
    pub hash: &'a Hash,
}

/// Where one record is: what sled keeps (with `journal_applied`) so that an open checks only
/// the journal after the last record sled has applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub seq: u64,
    /// The segment's number.
    pub segment: u32,
    /// The offset of the record's frame in the segment.
    pub offset: u64,
    /// The record's hash.
    pub hash: Hash,
}

impl Mark {
    /// seq u64 BE | segment u32 BE | offset u64 BE | hash [32]: the sequence comes first, so
    /// a reader of only the first 8 bytes (the applied sequence, as it was before marks) still
    /// reads it.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(52);
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.segment.to_be_bytes());
        out.extend_from_slice(&self.offset.to_be_bytes());
        out.extend_from_slice(&self.hash);
        out
    }

    /// `None` for anything but a whole mark (an applied sequence alone, as older builds wrote).
    pub fn decode(b: &[u8]) -> Option<Mark> {
        if b.len() != 52 {
            return None;
        }
        Some(Mark {
            seq: u64::from_be_bytes(b[..8].try_into().ok()?),
            segment: u32::from_be_bytes(b[8..12].try_into().ok()?),
            offset: u64::from_be_bytes(b[12..20].try_into().ok()?),
            hash: b[20..52].try_into().ok()?,
        })
    }
}

/// The end of a journal that checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tail {
    /// The last segment, its number and the length of its good part (where the next frame
    /// goes).
    pub segment: Option<(u32, PathBuf, u64)>,
    /// The last record's sequence number (0 when there is none).
    pub seq: u64,
    /// The last record's hash (zeros when there is none).
    pub head: Hash,
    /// A torn final frame: its offset and how many bytes of it (up to its last non-zero
    /// byte) are in the file.
    pub torn: Option<(u64, u64)>,
    /// How many records were read.
    pub records: u64,
    /// The last record read: segment number and offset.
    pub last: Option<(u32, u64)>,
}

impl Tail {
    /// The mark of the last record read.
    pub fn mark(&self) -> Option<Mark> {
        self.last.map(|(segment, offset)| Mark {
            seq: self.seq,
            segment,
            offset,
            hash: self.head,
        })
    }
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
    want: impl FnMut(u64) -> bool,
    each: impl FnMut(Record, Place<'_>),
) -> std::result::Result<Tail, Damage> {
    let segs = list(dir)?;
    let mut s = Scanner::new(Tail::default(), want, each);
    s.run(&segs, None)?;
    Ok(s.tail)
}

/// The whole chain's check run beside a console: `scan_some` decoding nothing, stopping after
/// record `until` (what the open found; later records are being written meanwhile) or as soon
/// as `stop` is set (then `None`).
pub fn check_until(
    dir: &Path,
    until: u64,
    stop: &AtomicBool,
) -> std::result::Result<Option<Tail>, Damage> {
    let segs = list(dir)?;
    let mut s = Scanner::new(Tail::default(), |_| false, |_, _| {});
    s.until = Some(until);
    s.stop = Some(stop);
    s.run(&segs, None)?;
    Ok((!s.stopped).then_some(s.tail))
}

/// `scan_some` over only the records after `mark`: the frame at the mark is checked to be
/// there with the mark's sequence number (its header and sequence; its checksum and hash too
/// unless it is larger than `MARK_CHECKED`), then every later record is checked as `scan` does, chained to the mark's
/// hash. `Ok(None)` when the mark's record is not where the mark says (the caller then checks
/// the whole journal).
pub fn scan_after(
    dir: &Path,
    mark: &Mark,
    want: impl FnMut(u64) -> bool,
    each: impl FnMut(Record, Place<'_>),
) -> std::result::Result<Option<Tail>, Damage> {
    let segs = list(dir)?;
    let Some(at) = segs.iter().position(|(no, _)| *no == mark.segment) else {
        return Ok(None);
    };
    let Some(end) = mark_end(&segs[at].1, mark) else {
        return Ok(None);
    };
    let tail = Tail {
        segment: None,
        seq: mark.seq,
        head: mark.hash,
        torn: None,
        records: 0,
        last: Some((mark.segment, mark.offset)),
    };
    let mut s = Scanner::new(tail, want, each);
    s.run(&segs[at..], Some(end))?;
    Ok(Some(s.tail))
}

fn list(dir: &Path) -> std::result::Result<Vec<(u32, PathBuf)>, Damage> {
    segments(dir).map_err(|e| Damage {
        segment: dir.to_path_buf(),
        offset: 0,
        seq: 1,
        what: Problem::Unreadable(e.kind().to_string()),
    })
}

/// The record at a mark is checked whole at open (checksum and hash) when its payload is at
/// most this long; a larger one (a checkpoint) only by its header and sequence number.
const MARK_CHECKED: u64 = 1 << 20;

/// The end of the frame at `mark` when it is there with the mark's sequence number (and, for
/// a record of ordinary size, its checksum and the mark's hash).
fn mark_end(path: &Path, mark: &Mark) -> Option<u64> {
    let file = File::open(path).ok()?;
    let mut first = [0u8; 4];
    file.read_exact_at(&mut first, 0).ok()?;
    let format = format_of(&first);
    let mut h = [0u8; HEADER + 10];
    file.read_exact_at(&mut h, mark.offset).ok()?;
    let magic = match format {
        Format::V1 => &MAGIC_V1,
        Format::Aligned => &MAGIC,
    };
    let seq = u64::from_be_bytes(h[HEADER + 2..HEADER + 10].try_into().ok()?);
    if !header_ok(&h, magic) || h[HEADER] != FORMAT || seq != mark.seq {
        return None;
    }
    let len = u64::from(u32::from_be_bytes(h[4..8].try_into().ok()?));
    if len <= MARK_CHECKED {
        // A record of ordinary size is checked whole: checksum and hash.
        let mut payload = vec![0u8; len as usize];
        file.read_exact_at(&mut payload, mark.offset + HEADER as u64)
            .ok()?;
        if crc32fast::hash(&payload).to_be_bytes() != h[8..12] || hash(&payload) != mark.hash {
            return None;
        }
    }
    match format {
        Format::V1 => Some(mark.offset + HEADER as u64 + len),
        Format::Aligned => {
            let mut end = [0u8; 4];
            file.read_exact_at(&mut end, mark.offset + HEADER as u64 + len)
                .ok()?;
            (end == END).then(|| mark.offset + align(HEADER as u64 + len + END.len() as u64))
        }
    }
}

/// Reads `path` from `from` to its end.
fn read_from(path: &Path, from: u64) -> std::io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    if from == 0 {
        let mut out = Vec::new();
        file.read_to_end(&mut out)?;
        return Ok(out);
    }
    file.seek(SeekFrom::Start(from))?;
    let mut out = Vec::new();
    file.read_to_end(&mut out)?;
    Ok(out)
}

/// Payloads are checked (CRC-32, SHA-256) in pieces of this size, so a check that is told to
/// stop does so within a large checkpoint too.
const PIECE: usize = 1 << 20;

struct Scanner<'s, W, E> {
    tail: Tail,
    want: W,
    each: E,
    until: Option<u64>,
    stop: Option<&'s AtomicBool>,
    stopped: bool,
    done: bool,
}

impl<'s, W: FnMut(u64) -> bool, E: FnMut(Record, Place<'_>)> Scanner<'s, W, E> {
    fn new(tail: Tail, want: W, each: E) -> Self {
        Scanner {
            tail,
            want,
            each,
            until: None,
            stop: None,
            stopped: false,
            done: false,
        }
    }

    fn halted(&mut self) -> bool {
        if let Some(stop) = self.stop
            && stop.load(Ordering::Relaxed)
        {
            self.stopped = true;
            self.done = true;
        }
        self.done
    }

    fn crc(&mut self, payload: &[u8]) -> Option<u32> {
        let mut h = crc32fast::Hasher::new();
        for piece in payload.chunks(PIECE) {
            if self.halted() {
                return None;
            }
            h.update(piece);
        }
        Some(h.finalize())
    }

    fn sha(&mut self, payload: &[u8]) -> Option<Hash> {
        let mut h = Sha256::new();
        for piece in payload.chunks(PIECE) {
            if self.halted() {
                return None;
            }
            h.update(piece);
        }
        Some(h.finalize().into())
    }

    /// Checks the segments in order; the first starts at `start` when given.
    fn run(
        &mut self,
        segs: &[(u32, PathBuf)],
        start: Option<u64>,
    ) -> std::result::Result<(), Damage> {
        let mut expected_no: Option<u32> = None;
        for (i, (no, path)) in segs.iter().enumerate() {
            if self.halted() {
                return Ok(());
            }
            let last = i + 1 == segs.len();
            let damage = |offset: u64, seq: u64, what: Problem| Damage {
                segment: path.clone(),
                offset,
                seq,
                what,
            };
            if let Some(e) = expected_no
                && e != *no
            {
                return Err(damage(0, self.tail.seq + 1, Problem::MissingSegment));
            }
            expected_no = Some(no + 1);
            let base = if i == 0 { start.unwrap_or(0) } else { 0 };
            let unreadable = |e: std::io::Error| {
                damage(
                    base,
                    self.tail.seq + 1,
                    Problem::Unreadable(e.kind().to_string()),
                )
            };
            let bytes = read_from(path, base).map_err(unreadable)?;
            let format = if base == 0 {
                format_of(&bytes)
            } else {
                let mut first = [0u8; 4];
                let read = File::open(path).and_then(|f| f.read_exact_at(&mut first, 0));
                read.map_err(|e| {
                    damage(
                        base,
                        self.tail.seq + 1,
                        Problem::Unreadable(e.kind().to_string()),
                    )
                })?;
                format_of(&first)
            };
            let good = match format {
                Format::V1 => self.v1(*no, path, &bytes, base, last)?,
                Format::Aligned => self.aligned(*no, path, &bytes, base, last)?,
            };
            self.tail.segment = Some((*no, path.clone(), good));
        }
        Ok(())
    }

    /// A record whose frame checked: its sequence, chain and format. `Ok(false)` when the
    /// check was told to stop.
    fn accept(
        &mut self,
        no: u32,
        path: &Path,
        offset: u64,
        payload: &[u8],
    ) -> std::result::Result<(), Damage> {
        let seq = self.tail.seq + 1;
        let damage = |what: Problem| Damage {
            segment: path.to_path_buf(),
            offset,
            seq,
            what,
        };
        // The fixed part: format, kind, seq, time, previous hash.
        if payload.len() < 58 || payload[0] != FORMAT {
            return Err(damage(Problem::Format));
        }
        let found = u64::from_be_bytes(payload[2..10].try_into().unwrap_or_default());
        let seq = if self.tail.records == 0
            && self.tail.last.is_none()
            && found > 1
            && payload[1] == KIND_CHECKPOINT
        {
            // The first kept record is a later checkpoint: the segments before it were
            // retired (`store::checkpoint`); the chain is checked from here.
            self.tail.seq = found - 1;
            self.tail.head = payload[18..50].try_into().unwrap_or_default();
            found
        } else {
            seq
        };
        if found != seq {
            return Err(damage(Problem::Sequence { found }));
        }
        if payload[18..50] != self.tail.head {
            return Err(damage(Problem::Chain));
        }
        let Some(h) = self.sha(payload) else {
            return Ok(());
        };
        if (self.want)(seq) {
            let record = decode(payload).ok_or_else(|| damage(Problem::Format))?;
            (self.each)(
                record,
                Place {
                    segment: path,
                    no,
                    offset,
                    hash: &h,
                },
            );
        }
        self.tail.seq = seq;
        self.tail.head = h;
        self.tail.records += 1;
        self.tail.last = Some((no, offset));
        if self.until == Some(seq) {
            self.done = true;
        }
        Ok(())
    }

    /// A segment of the first format, from `base`; returns the end of its good part.
    fn v1(
        &mut self,
        no: u32,
        path: &Path,
        bytes: &[u8],
        base: u64,
        last: bool,
    ) -> std::result::Result<u64, Damage> {
        let mut at = 0usize;
        while at < bytes.len() && !self.halted() {
            let rest = &bytes[at..];
            let off = base + at as u64;
            let seq = self.tail.seq + 1;
            let damage = |what: Problem| Damage {
                segment: path.to_path_buf(),
                offset: off,
                seq,
                what,
            };
            let torn = |tail: &mut Tail| {
                tail.torn = Some((off, rest.len() as u64));
                Ok(off)
            };
            if rest.len() < HEADER {
                if last {
                    return torn(&mut self.tail);
                }
                return Err(damage(Problem::Checksum));
            }
            if !header_ok(rest, &MAGIC_V1) {
                if last && is_zero(rest) {
                    return torn(&mut self.tail);
                }
                return Err(damage(Problem::Checksum));
            }
            let len = u32::from_be_bytes(rest[4..8].try_into().unwrap_or_default()) as usize;
            if rest.len() - HEADER < len {
                if last {
                    return torn(&mut self.tail);
                }
                return Err(damage(Problem::Checksum));
            }
            let payload = &rest[HEADER..HEADER + len];
            let Some(crc) = self.crc(payload) else {
                break;
            };
            if crc.to_be_bytes() != rest[8..12] {
                return Err(damage(Problem::Checksum));
            }
            self.accept(no, path, off, payload)?;
            at += HEADER + len;
        }
        Ok(base + at as u64)
    }

    /// A segment of sector-aligned frames, from `base` (a sector boundary); returns the end
    /// of its records (where the next frame goes).
    ///
    /// The records end at the first header that is all zeros. A frame that does not check is
    /// torn, a write cut short by a crash, only when all of these hold: it is in the last
    /// segment; one of its sectors is all zeros (never written: every sector of a frame that
    /// was written whole holds a non-zero byte, the first its header, the last its end mark),
    /// or the file ends inside it; and no sound header follows it. Anything else that does not
    /// check is damage: in particular a flipped bit in the last record (no sector of it is all
    /// zeros), and any sound frame after the end or after a frame that does not check (records
    /// behind a hole). Non-zero bytes after the end with no sound header among them are what
    /// is left of a torn frame whose first sector was never written.
    fn aligned(
        &mut self,
        no: u32,
        path: &Path,
        bytes: &[u8],
        base: u64,
        last: bool,
    ) -> std::result::Result<u64, Damage> {
        let mut at = 0usize;
        while at < bytes.len() && !self.halted() {
            let rest = &bytes[at..];
            let off = base + at as u64;
            let seq = self.tail.seq + 1;
            let damage = |what: Problem| Damage {
                segment: path.to_path_buf(),
                offset: off,
                seq,
                what,
            };
            // How far the bytes that are not zeros reach (only when the records end here).
            let span = || rest.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1) as u64;
            if is_zero(&rest[..rest.len().min(HEADER)]) {
                // The end of the records.
                let span = span();
                if span == 0 {
                    return Ok(off);
                }
                if last && !frame_after(rest, HEADER) {
                    self.tail.torn = Some((off, span));
                    return Ok(off);
                }
                return Err(damage(Problem::Checksum));
            }
            if !header_ok(rest, &MAGIC) {
                // A header is in one sector, written whole or not at all.
                if last && rest.len() < HEADER {
                    self.tail.torn = Some((off, span()));
                    return Ok(off);
                }
                return Err(damage(Problem::Checksum));
            }
            let len = u32::from_be_bytes(rest[4..8].try_into().unwrap_or_default()) as usize;
            let body = HEADER + len + END.len();
            let extent = align(body as u64) as usize;
            let in_file = rest.len() >= extent;
            let sound =
                in_file && rest[HEADER + len..body] == END && is_zero(&rest[body..extent]) && {
                    let Some(crc) = self.crc(&rest[HEADER..HEADER + len]) else {
                        break;
                    };
                    crc.to_be_bytes() == rest[8..12]
                };
            if !sound {
                let frame = &rest[..extent.min(rest.len())];
                let unwritten = !in_file || frame.chunks(SECTOR as usize).any(is_zero);
                if last
                    && unwritten
                    && !frame_after(rest, extent.min(rest.len()).max(SECTOR as usize))
                {
                    self.tail.torn = Some((off, span()));
                    return Ok(off);
                }
                return Err(damage(Problem::Checksum));
            }
            self.accept(no, path, off, &rest[HEADER..HEADER + len])?;
            at += extent;
        }
        Ok(base + at.min(bytes.len()) as u64)
    }
}

/// How commits share `fdatasync`s (group commit). A committer writes its frame under the
/// writer lock, lets go of it, then waits here until a sync covers its record: the first to
/// arrive while no sync runs leads and syncs everything written so far; the others wait on the
/// condition variable and are woken when a sync covering them ends, or lead the next one.
pub struct Syncer {
    state: Mutex<SyncState>,
    done: Condvar,
    /// Benchmarks only: a sync does nothing (`Store::bench_journal_sync`).
    #[cfg(feature = "bench")]
    skip: std::sync::atomic::AtomicBool,
}

#[derive(Default)]
struct SyncState {
    /// The last record written (maybe not yet durable), and the file it is in.
    written: u64,
    file: Option<Arc<File>>,
    /// Every record up to this one is durable.
    synced: u64,
    /// A sync is running.
    leading: bool,
    /// The last sync that failed: the records it was to cover, and its error.
    failed: Option<(u64, std::io::ErrorKind, String)>,
    /// How many syncs ran (group commit's and the writer's own).
    syncs: u64,
}

impl Syncer {
    fn new(seq: u64, file: &Arc<File>) -> Syncer {
        Syncer {
            state: Mutex::new(SyncState {
                written: seq,
                file: Some(file.clone()),
                synced: seq,
                ..SyncState::default()
            }),
            done: Condvar::new(),
            #[cfg(feature = "bench")]
            skip: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Benchmarks only: syncs do nothing while `skip` is set.
    #[cfg(feature = "bench")]
    pub fn bench_skip(&self, skip: bool) {
        self.skip.store(skip, std::sync::atomic::Ordering::Relaxed);
    }

    /// Benchmarks only: whether syncs do nothing (then frames are not written directly
    /// either: a direct write is half of the device's round trip, and the bench measures the
    /// work beside it). Always false in other builds.
    fn skipping(&self) -> bool {
        #[cfg(feature = "bench")]
        if self.skip.load(std::sync::atomic::Ordering::Relaxed) {
            return true;
        }
        false
    }

    fn sync_file(&self, file: &File) -> std::io::Result<()> {
        #[cfg(feature = "bench")]
        if self.skip.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        file.sync_data()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SyncState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn written(&self, seq: u64, file: &Arc<File>) {
        let mut s = self.lock();
        s.written = seq;
        s.file = Some(file.clone());
    }

    /// Every record up to `seq` was made durable by the writer itself (a sync of its own).
    fn synced_to(&self, seq: u64) {
        let mut s = self.lock();
        s.synced = s.synced.max(seq);
        s.syncs += 1;
        self.done.notify_all();
    }

    /// Returns once record `seq` is durable, syncing (as the leader) if no sync is running;
    /// the error of the sync that was to cover it otherwise.
    pub fn wait(&self, seq: u64) -> std::io::Result<()> {
        let mut s = self.lock();
        loop {
            if s.synced >= seq {
                return Ok(());
            }
            if let Some((_, kind, text)) = &s.failed {
                return Err(std::io::Error::new(*kind, text.clone()));
            }
            if s.leading {
                s = self.done.wait(s).unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            s.leading = true;
            let target = s.written;
            let file = s.file.clone();
            drop(s);
            let synced = match &file {
                Some(f) => self.sync_file(f),
                None => Ok(()),
            };
            s = self.lock();
            s.leading = false;
            s.syncs += 1;
            match synced {
                Ok(()) => s.synced = s.synced.max(target),
                Err(e) => s.failed = Some((target, e.kind(), e.to_string())),
            }
            self.done.notify_all();
        }
    }

    /// Whether a sync is running, or a record written waits for one.
    fn busy(&self) -> bool {
        let s = self.lock();
        s.leading || s.written > s.synced
    }

    /// How many syncs have run.
    pub fn syncs(&self) -> u64 {
        self.lock().syncs
    }

    /// Every record up to this one is durable.
    pub fn synced(&self) -> u64 {
        self.lock().synced
    }

    /// The error of a sync that failed. Once one has, no record is written any more: what a
    /// failed `fdatasync` left on the device is not known (the kernel may have dropped the
    /// pages it could not write), so the database has to be opened again.
    pub fn failed(&self) -> Option<std::io::Error> {
        let s = self.lock();
        s.failed
            .as_ref()
            .map(|(_, kind, text)| std::io::Error::new(*kind, text.clone()))
    }
}

/// A record written but not yet applied to sled: it waits for the sync that covers it.
pub struct Unapplied {
    pub mark: Mark,
    pub ops: Vec<Op>,
}

/// The free space a commit leaves on the journal's disk for sled's own writes. sled writes
/// the change a commit applies in the background, into log segments of 512 KiB, and a reopen
/// after a failed write needs room for its snapshot; 2 MiB covers four segments. Below it a
/// commit is refused before anything is written (`Journal::room`), so a full disk is told the
/// same way every time, whether or not sled's background writes have failed yet.
pub const RESERVE: u64 = 2 << 20;

/// Why a commit was refused before anything was written: the disk holding the journal has
/// less than `RESERVE` free (the error's kind is `StorageFull`).
#[derive(Debug)]
pub struct NoRoom {
    /// Bytes free on the disk.
    pub free: u64,
    /// Bytes the write needed free: its new blocks and `RESERVE`.
    pub need: u64,
}

impl std::fmt::Display for NoRoom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no space left on the disk: {} KiB free, {} KiB needed",
            self.free >> 10,
            self.need.div_ceil(1024)
        )
    }
}

impl std::error::Error for NoRoom {}

impl NoRoom {
    /// Whether `e` is such a refusal (nothing was written, so sled needs no reopening).
    pub fn is(e: &std::io::Error) -> bool {
        e.get_ref().is_some_and(|inner| inner.is::<NoRoom>())
    }
}

/// Where a journal was before a segment was started (`Journal::back_to`).
struct Position {
    file: Arc<File>,
    segment: u32,
    len: u64,
    allocated: u64,
    seq: u64,
    head: Hash,
    last: Option<Mark>,
}

/// The journal of an open database, ready to append.
pub struct Journal {
    dir: PathBuf,
    file: Arc<File>,
    segment: u32,
    /// Where the next frame goes.
    len: u64,
    /// How much of the segment is written (zeros ahead of `len`).
    allocated: u64,
    seq: u64,
    head: Hash,
    last: Option<Mark>,
    sync: Arc<Syncer>,
    /// The segment opened a second time for direct I/O (`O_DIRECT`), through which frames are
    /// written (`Direct`); `None` where the file system does not take it.
    direct: Option<Direct>,
    /// Other commits are under way (`set_contended`): frames go through the page cache.
    contended: bool,
    /// Records written and not yet applied to sled, in order, which a change being built reads
    /// before sled (`Pending`). There are at most as many as committers waiting for a sync (one
    /// each), so a key is looked up by a scan from the newest, with no map kept beside them:
    /// measured, keeping a map of their values (a copy of every key and value written, made
    /// and dropped per commit) cost more than the scan.
    unapplied: VecDeque<Arc<Unapplied>>,
}

/// The values written by records not yet applied to sled, as a change being built reads them.
pub struct Pending<'a>(&'a VecDeque<Arc<Unapplied>>);

impl Pending<'_> {
    /// Whether no record waits to be applied.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value the last record not yet applied that writes `key` of `tree` gives it (none:
    /// removed), or `None` when no such record writes it.
    pub fn get(&self, tree: u8, key: &[u8]) -> Option<Option<&[u8]>> {
        self.0.iter().rev().find_map(|r| {
            r.ops
                .iter()
                .rev()
                .find(|o| o.tree == tree && o.key == key)
                .map(|o| o.new.as_deref())
        })
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Writes zeros over `from..to` of `file`.
fn zero(file: &File, from: u64, to: u64) -> std::io::Result<()> {
    let zeros = vec![0u8; (to - from).min(ALLOC_STEP) as usize];
    let mut at = from;
    while at < to {
        let n = (to - at).min(zeros.len() as u64) as usize;
        file.write_all_at(&zeros[..n], at)?;
        at += n as u64;
    }
    Ok(())
}

/// The descriptor frames are written through: the segment opened again with `O_DIRECT`, and
/// a buffer aligned for it. A frame (whole 512-byte sectors, at a sector boundary, into space
/// already written with zeros and synced) then goes from the buffer to the device with no copy
/// into the page cache and no writeback at the sync: the `fdatasync` that follows has only the
/// device's cache to flush. Measured on the development machine (ext4 on a virtio disk),
/// 1 KiB written + `fdatasync`: 93–95 µs direct against 98–105 µs buffered, and the buffered
/// `pwrite` itself is about 4 µs of a commit's work beside the sync.
///
/// Every write to a segment is made under the writer lock, so a direct write never meets a
/// page another write is dirtying (the kernel writes such pages back before a direct write to
/// their range, and drops them after). File systems without direct I/O (tmpfs on older
/// kernels), or with larger alignment rules (a disk of 4096-byte logical sectors), refuse it
/// at the open or at the first write (`EINVAL`, before anything is written): the journal then
/// writes through the page cache, as it does for frames over `BIG_PAYLOAD`.
struct Direct {
    file: File,
    /// Holds a frame at a 4096-byte-aligned address inside it (`aligned`).
    buf: Vec<u8>,
    /// The file system refused a direct write: frames go through the page cache from now on.
    refused: bool,
}

/// Memory alignment of a direct write's buffer (the strictest a Linux block device asks).
const DIRECT_ALIGN: usize = 4096;

impl Direct {
    fn open(path: &Path) -> Option<Direct> {
        use std::os::unix::fs::OpenOptionsExt;
        #[cfg(test)]
        if tests::BUFFERED_ONLY.with(std::cell::Cell::get) {
            return None;
        }
        match OpenOptions::new()
            .write(true)
            .custom_flags(rustix::fs::OFlags::DIRECT.bits() as i32)
            .open(path)
        {
            Ok(file) => Some(Direct {
                file,
                buf: Vec::new(),
                refused: false,
            }),
            Err(e) => {
                tracing::info!(
                    "{}: direct I/O not available ({e}); frames are written through the page cache",
                    path.display()
                );
                None
            }
        }
    }

    /// Writes `payload`'s frame at `at`; `None` when the file system refused direct I/O
    /// (nothing was written), so the caller writes it through the page cache.
    fn write(&mut self, payload: &[u8], at: u64) -> Option<std::io::Result<()>> {
        if self.refused {
            return None;
        }
        let body = HEADER + payload.len() + END.len();
        let n = align(body as u64) as usize;
        if self.buf.len() < n + DIRECT_ALIGN {
            self.buf = vec![0u8; n + DIRECT_ALIGN];
        }
        let start = self.buf.as_ptr().align_offset(DIRECT_ALIGN);
        let out = &mut self.buf[start..start + n];
        out[..HEADER].copy_from_slice(&frame_header(payload));
        out[HEADER..HEADER + payload.len()].copy_from_slice(payload);
        out[HEADER + payload.len()..body].copy_from_slice(&END);
        out[body..].fill(0);
        match self.file.write_all_at(out, at) {
            Err(e) if e.raw_os_error() == Some(rustix::io::Errno::INVAL.raw_os_error()) => {
                tracing::info!(
                    "direct I/O refused at offset {at} ({e}); frames are written through the page cache"
                );
                self.refused = true;
                None
            }
            other => Some(other),
        }
    }
}

/// Creates segment `no` with its first `ALLOC_STEP` bytes written (zeros) and synced, and
/// syncs the folder.
fn new_segment(dir: &Path, no: u32) -> std::io::Result<(File, u64)> {
    let path = dir.join(segment_name(no));
    let file = OpenOptions::new()
        .create_new(true)
        .read(true)
        .write(true)
        .open(&path)?;
    let made = zero(&file, 0, ALLOC_STEP).and_then(|()| file.sync_all());
    if let Err(e) = made {
        drop(file);
        if let Err(rm) = std::fs::remove_file(&path) {
            tracing::error!(
                "could not remove {} after a failed start: {rm}",
                path.display()
            );
        }
        return Err(e);
    }
    sync_dir(dir)?;
    Ok((file, ALLOC_STEP))
}

impl Journal {
    /// Opens the journal whose checked end is `tail` for appending. A torn final frame is
    /// cleared first (zeros written over it, or, in a segment of the first format, the file cut
    /// back). A journal with no segment gets its first one; one whose last segment is of the
    /// first format gets a new segment, so that every frame this build writes is aligned.
    pub fn open(dir: &Path, tail: &Tail) -> std::io::Result<Journal> {
        let (segment, file, len, allocated) = match &tail.segment {
            None => {
                std::fs::create_dir_all(dir)?;
                let (file, allocated) = new_segment(dir, 1)?;
                (1, file, 0, allocated)
            }
            Some((no, path, good)) => {
                let file = OpenOptions::new().read(true).write(true).open(path)?;
                let size = file.metadata()?.len();
                let mut first = [0u8; 4];
                let n = file.read_at(&mut first, 0)?;
                if format_of(&first[..n]) == Format::V1 {
                    if size != *good {
                        file.set_len(*good)?;
                        file.sync_all()?;
                    }
                    let (file, allocated) = new_segment(dir, no + 1)?;
                    (no + 1, file, 0, allocated)
                } else {
                    if let Some((offset, bytes)) = tail.torn {
                        zero(&file, offset, (offset + bytes).min(size))?;
                        file.sync_data()?;
                    }
                    (*no, file, *good, size)
                }
            }
        };
        let file = Arc::new(file);
        Ok(Journal {
            dir: dir.to_path_buf(),
            sync: Arc::new(Syncer::new(tail.seq, &file)),
            file,
            segment,
            len,
            allocated,
            seq: tail.seq,
            head: tail.head,
            last: tail.mark(),
            direct: Direct::open(&dir.join(segment_name(segment))),
            contended: false,
            unapplied: VecDeque::new(),
        })
    }

    /// Writes a change's record without waiting for it to be durable, and keeps it (and its
    /// values) until `take_durable` hands it over to be applied: group commit. The caller lets
    /// go of the writer lock, waits with `Syncer::wait`, then takes the writer lock again to
    /// apply, in order, every record the sync covered. Refused once a sync has failed.
    pub fn write_pending(
        &mut self,
        kind: u8,
        at_ms: i64,
        actor: &str,
        ops: Vec<Op>,
    ) -> std::io::Result<u64> {
        if let Some(e) = self.sync.failed() {
            return Err(e);
        }
        let mark = self.write(kind, at_ms, actor, &ops)?;
        self.unapplied.push_back(Arc::new(Unapplied { mark, ops }));
        Ok(mark.seq)
    }

    /// Refuses a record of `need` bytes (`NoRoom`, kind `StorageFull`) when the disk holding
    /// the journal would have less than `RESERVE` free after it; nothing is written.
    pub fn room(&self, need: u64) -> std::io::Result<()> {
        // Space already written ahead in the segment takes the record without new blocks.
        let ahead = self.allocated.saturating_sub(self.len);
        self.room_for_blocks(need.saturating_sub(ahead))
    }

    /// Refuses (`NoRoom`) when the disk holding the journal would have less than `RESERVE`
    /// free after `blocks` more bytes are written to it.
    fn room_for_blocks(&self, blocks: u64) -> std::io::Result<()> {
        let st = rustix::fs::fstatvfs(&*self.file).map_err(std::io::Error::from)?;
        let free = st.f_bavail.saturating_mul(st.f_frsize);
        let need = RESERVE.saturating_add(blocks);
        if free < need {
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                NoRoom { free, need },
            ));
        }
        Ok(())
    }

    /// The values of records written and not yet applied.
    pub fn pending(&self) -> Pending<'_> {
        Pending(&self.unapplied)
    }

    /// Whether records are written and not yet applied.
    pub fn has_unapplied(&self) -> bool {
        !self.unapplied.is_empty()
    }

    /// The records written and now durable, in order, to be applied to sled; they no longer
    /// count as pending.
    pub fn take_durable(&mut self) -> Vec<Arc<Unapplied>> {
        let synced = self.sync.synced();
        let n = self
            .unapplied
            .iter()
            .take_while(|r| r.mark.seq <= synced)
            .count();
        self.unapplied.drain(..n).collect()
    }

    /// Whether other commits are under way beside the next write: then its frame goes through
    /// the page cache, so that the writer lock is not held for a device round trip while they
    /// wait for it (`Direct`).
    pub fn set_contended(&mut self, contended: bool) {
        self.contended = contended;
    }

    /// The newest record written and not yet applied, shared with whatever applies it.
    pub fn newest_unapplied(&self) -> Option<Arc<Unapplied>> {
        self.unapplied.back().cloned()
    }

    /// Forgets the records up to `seq`, which sled now holds (applied beside the writer).
    pub fn forget_applied(&mut self, seq: u64) {
        while self.unapplied.front().is_some_and(|r| r.mark.seq <= seq) {
            self.unapplied.pop_front();
        }
    }

    /// The last record's sequence number and hash.
    pub fn head(&self) -> (u64, Hash) {
        (self.seq, self.head)
    }

    /// Where the last record is.
    pub fn last_mark(&self) -> Option<Mark> {
        self.last
    }

    /// What commits wait on for their record to be durable.
    pub fn syncer(&self) -> Arc<Syncer> {
        self.sync.clone()
    }

    /// How much of the segment being appended to its records take (the zeros written ahead
    /// of them not counted).
    pub fn used(&self) -> u64 {
        self.len
    }

    /// The segment being appended to.
    pub fn segment_path(&self) -> PathBuf {
        self.dir.join(segment_name(self.segment))
    }

    /// Appends one record and makes it durable with one `fdatasync`; returns its sequence
    /// number. On failure (a full disk) nothing of the record stays.
    pub fn append(
        &mut self,
        kind: u8,
        at_ms: i64,
        actor: &str,
        ops: &[Op],
    ) -> std::io::Result<u64> {
        let mark = self.write(kind, at_ms, actor, ops)?;
        self.sync.wait(mark.seq)?;
        Ok(mark.seq)
    }

    /// Writes one record without waiting for it to be durable (group commit: the caller lets
    /// go of the writer lock, then waits with `Syncer::wait`). On failure (a full disk)
    /// nothing of the record stays.
    pub fn write(
        &mut self,
        kind: u8,
        at_ms: i64,
        actor: &str,
        ops: &[Op],
    ) -> std::io::Result<Mark> {
        if self.len >= SEGMENT_BYTES {
            self.rotate()?;
        }
        let seq = self.seq + 1;
        let payload = encode(kind, seq, at_ms, &self.head, actor, ops);
        self.write_frame(seq, &payload)
    }

    /// `append` for a record whose ops `write` adds one by one (a checkpoint), in a new
    /// segment when `new_segment`. The payload is built first; then, before anything is
    /// written (the new segment included), the record is refused with `NoRoom` when the disk
    /// would keep less than `RESERVE` free after the blocks it and the new segment take. A
    /// checkpoint of a large database is many MB, so it is the write the reserve rule matters
    /// most for: refused, the journal is as it was, and a later try works once space is freed.
    pub fn append_with(
        &mut self,
        kind: u8,
        at_ms: i64,
        actor: &str,
        new_segment: bool,
        write: impl FnOnce(&mut PayloadWriter) -> std::io::Result<()>,
    ) -> std::io::Result<u64> {
        if let Some(e) = self.sync.failed() {
            return Err(e);
        }
        let seq = self.seq + 1;
        let mut w = PayloadWriter::new(kind, seq, at_ms, &self.head, actor);
        let count_at = w.out.len() - 4;
        write(&mut w)?;
        let payload = w.finish(count_at);
        let n = align((HEADER + payload.len() + END.len()) as u64);
        let rotate = new_segment || self.len >= SEGMENT_BYTES;
        let mut before = None;
        if rotate {
            // A new segment is written ahead by a step, and a larger frame grows it.
            self.room_for_blocks(n.max(ALLOC_STEP))?;
            before = Some(self.position());
            self.rotate()?;
        } else {
            let ahead = self.allocated.saturating_sub(self.len);
            let blocks = if n <= ahead {
                0
            } else if n > ALLOC_STEP {
                n - ahead
            } else {
                // `reserve` writes ahead to the next step boundary.
                (self.len + n).div_ceil(ALLOC_STEP) * ALLOC_STEP - self.allocated
            };
            self.room_for_blocks(blocks)?;
        }
        let done = self
            .write_frame(seq, &payload)
            .and_then(|_| self.sync.wait(seq));
        if let Err(e) = done {
            // A segment started for this record alone goes with it: the journal is left as it
            // was before the call, not with an empty (all-zeros) segment as its last.
            if let Some(before) = before {
                self.back_to(before);
            }
            return Err(e);
        }
        Ok(seq)
    }

    /// Where the journal is: what `back_to` returns to.
    fn position(&self) -> Position {
        Position {
            file: self.file.clone(),
            segment: self.segment,
            len: self.len,
            allocated: self.allocated,
            seq: self.seq,
            head: self.head,
            last: self.last,
        }
    }

    /// Undoes a `rotate` whose first record failed (its write or its sync): the new segment is
    /// deleted and the folder synced, and appending goes on in the segment before it, at
    /// `before`. A failed sync stays failed (`Syncer::failed`): the database is then opened
    /// again, and finds the journal as it was.
    fn back_to(&mut self, before: Position) {
        let path = self.segment_path();
        self.file = before.file;
        self.segment = before.segment;
        self.len = before.len;
        self.allocated = before.allocated;
        self.seq = before.seq;
        self.head = before.head;
        self.last = before.last;
        self.sync.written(self.seq, &self.file);
        // Frames are written directly through a descriptor of the segment being appended to:
        // the old one again, never the one removed below.
        if self.direct.is_some() {
            self.direct = Direct::open(&self.segment_path());
        }
        match std::fs::remove_file(&path) {
            Ok(()) => {
                if let Err(e) = sync_dir(&self.dir) {
                    tracing::error!("syncing {} failed: {e}", self.dir.display());
                }
            }
            Err(e) => tracing::error!(
                "could not remove {} after its first record failed: {e}",
                path.display()
            ),
        }
    }

    /// Makes sure `need` bytes from `len` are written space: zeros are written ahead in steps
    /// of `ALLOC_STEP` and synced once (that sync persists the file's new size, so a commit's
    /// own `fdatasync` has only its data to write). A frame larger than a step extends the file
    /// itself. On failure (a full disk) the file is cut back to what it was.
    fn reserve(&mut self, need: u64) -> std::io::Result<()> {
        let end = self.len + need;
        if end <= self.allocated || need > ALLOC_STEP {
            return Ok(());
        }
        let step = end.div_ceil(ALLOC_STEP) * ALLOC_STEP;
        // A disk with less than a step free still takes the record: then only its own sectors
        // are written ahead.
        let mut made = Err(std::io::Error::other("no room"));
        let mut to = step;
        for size in [step, end] {
            to = size;
            made = zero(&self.file, self.allocated, to).and_then(|()| self.file.sync_data());
            if made.is_ok() {
                break;
            }
            if let Err(cut) = self.file.set_len(self.allocated) {
                tracing::error!(
                    "could not cut {} back after a failed allocation: {cut}",
                    self.segment_path().display()
                );
            }
        }
        made?;
        self.allocated = to;
        // That sync made every record written so far durable too.
        self.sync.synced_to(self.seq);
        Ok(())
    }

    fn write_frame(&mut self, seq: u64, payload: &[u8]) -> std::io::Result<Mark> {
        let n = align((HEADER + payload.len() + END.len()) as u64);
        self.reserve(n)?;
        // A direct write holds the writer lock for a round trip to the device: worth it for a
        // commit on its own, not while others' records wait for a sync that will cover this
        // one too (group commit).
        let direct = match self.direct.as_mut() {
            Some(d)
                if payload.len() <= BIG_PAYLOAD
                    && !self.contended
                    && !self.sync.busy()
                    && !self.sync.skipping() =>
            {
                d.write(payload, self.len)
            }
            _ => None,
        };
        let written = if let Some(result) = direct {
            result
        } else if payload.len() <= BIG_PAYLOAD {
            if self.direct.as_ref().is_some_and(|d| d.refused) {
                self.direct = None;
            }
            self.file.write_all_at(&frame(payload), self.len)
        } else {
            // An import's payload is tens of MB: the header, the payload and the end (mark
            // and zeros) are written one after the other, not copied into one buffer.
            let mut end = END.to_vec();
            end.resize((n as usize) - HEADER - payload.len(), 0);
            let at = self.len;
            self.file
                .write_all_at(&frame_header(payload), at)
                .and_then(|()| self.file.write_all_at(payload, at + HEADER as u64))
                .and_then(|()| {
                    self.file
                        .write_all_at(&end, at + (HEADER + payload.len()) as u64)
                })
        };
        if let Err(e) = written {
            // Nothing of the record stays: zeros over what was written, the file cut back to
            // its written space.
            let undone = zero(&self.file, self.len, (self.len + n).min(self.allocated))
                .and_then(|()| self.file.set_len(self.allocated.max(self.len)));
            if let Err(cut) = undone {
                tracing::error!(
                    "could not clear {} after a failed append: {cut}",
                    self.segment_path().display()
                );
            }
            return Err(e);
        }
        let mark = Mark {
            seq,
            segment: self.segment,
            offset: self.len,
            hash: hash(payload),
        };
        self.len += n;
        self.allocated = self.allocated.max(self.len);
        self.seq = seq;
        self.head = mark.hash;
        self.last = Some(mark);
        self.sync.written(seq, &self.file);
        Ok(mark)
    }

    fn rotate(&mut self) -> std::io::Result<()> {
        self.file.sync_data()?;
        self.sync.synced_to(self.seq);
        let next = self.segment + 1;
        let (file, allocated) = new_segment(&self.dir, next)?;
        self.file = Arc::new(file);
        if self.direct.is_some() {
            self.direct = Direct::open(&self.dir.join(segment_name(next)));
        }
        self.segment = next;
        self.len = 0;
        self.allocated = allocated;
        self.sync.written(self.seq, &self.file);
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
    /// mark and the payload, to apply it from. The caller holds the writer lock with no record
    /// written and not yet applied (`has_unapplied`), so the record is applied in order.
    pub fn append_payload(&mut self, w: PayloadWriter) -> std::io::Result<(Mark, Vec<u8>)> {
        if let Some(e) = self.sync.failed() {
            return Err(e);
        }
        if self.len >= SEGMENT_BYTES {
            self.rotate()?;
        }
        let seq = self.seq + 1;
        let count_at =
            54 + u32::from_be_bytes(w.out[50..54].try_into().unwrap_or_default()) as usize;
        let payload = w.finish(count_at);
        let mark = self.write_frame(seq, &payload)?;
        self.sync.wait(seq)?;
        Ok((mark, payload))
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

    thread_local! {
        /// Journals opened on this thread write through the page cache only (no `Direct`).
        pub(super) static BUFFERED_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// Frames written directly and through the page cache are the same bytes: a journal
    /// written half one way and half the other (reopened between) reads back whole, and the
    /// frames written directly are byte for byte what `frame` builds.
    #[test]
    fn frames_written_directly_and_through_the_page_cache_read_back_alike() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join(DIR);
        let mut tail = Tail::default();
        for buffered in [false, true, false] {
            BUFFERED_ONLY.with(|b| b.set(buffered));
            let mut j = Journal::open(&dir, &tail).expect("open");
            assert_eq!(j.direct.is_some(), !buffered);
            for i in 0..40u64 {
                // Sizes across one, two and many sectors.
                let value = vec![b'x'; (i as usize * 97) % 3000];
                let ops = [op(tree::VERDICTS, &i.to_be_bytes(), None, Some(&value))];
                j.append(KIND_CHANGE, i as i64, "an", &ops).expect("append");
            }
            // The test's folder is on a file system that takes direct I/O (ext4, xfs, btrfs).
            assert!(
                j.direct.as_ref().is_none_or(|d| !d.refused),
                "direct writes were refused"
            );
            drop(j);
            BUFFERED_ONLY.with(|b| b.set(false));
            tail = scan(&dir, |_, _| {}).expect("scan");
        }
        let mut seen = Vec::new();
        let end = scan(&dir, |r, _| seen.push(r.seq)).expect("scan");
        assert_eq!(seen, (1..=120).collect::<Vec<_>>());
        assert_eq!((end.seq, end.torn), (120, None));
        let bytes = std::fs::read(dir.join(segment_name(1))).expect("read");
        let mut at = 0usize;
        let mut n = 0;
        scan(&dir, |r, mark| {
            let f = frame(&encode(r.kind, r.seq, r.at_ms, &r.prev, &r.actor, &r.ops));
            assert_eq!(
                &bytes[mark.offset as usize..mark.offset as usize + f.len()],
                &f[..]
            );
            at = mark.offset as usize + f.len();
            n += 1;
        })
        .expect("scan");
        assert_eq!(n, 120);
        assert!(
            bytes[at..].iter().all(|&b| b == 0),
            "zeros after the last frame"
        );
    }

    fn op(tree: u8, k: &[u8], old: Option<&[u8]>, new: Option<&[u8]>) -> Op {
        Op {
            tree,
            key: k.to_vec(),
            old: old.map(<[u8]>::to_vec),
            new: new.map(<[u8]>::to_vec),
        }
    }

    /// Appends one small change (one lock key set).
    fn append_one(j: &mut Journal) -> std::io::Result<u64> {
        j.append(
            KIND_CHANGE,
            0,
            "t",
            &[op(tree::LOCKS, b"k", None, Some(b"v"))],
        )
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

    /// The frame a crash cut short: record `seq` after `head`, with a value of `size` bytes.
    fn next_frame(seq: u64, head: &Hash, size: usize) -> Vec<u8> {
        let value = vec![b'v'; size];
        frame(&encode(
            KIND_CHANGE,
            seq,
            0,
            head,
            "b",
            &[op(tree::LOCKS, b"k", None, Some(&value))],
        ))
    }

    #[test]
    fn a_torn_tail_is_dropped_and_only_that() {
        let (_tmp, dir) = journal_with(3);
        let seg = dir.join(segment_name(1));
        let full = std::fs::read(&seg).expect("read");
        let clean = scan(&dir, |_, _| {}).expect("scan");
        let end = clean.segment.as_ref().expect("segment").2 as usize;
        assert_eq!(end % SECTOR as usize, 0);
        let next = next_frame(4, &clean.head, 1500);
        let sectors = next.len() / SECTOR as usize;
        assert!(sectors >= 3, "a frame of several sectors");
        let sector = |i: usize| i * SECTOR as usize..(i + 1) * SECTOR as usize;
        // Which of its sectors reached the disk before the crash: never all of them.
        let mut cases: Vec<Vec<usize>> = vec![vec![0], vec![sectors - 1], (1..sectors).collect()];
        cases.push((0..sectors - 1).collect());
        cases.push(vec![0, sectors - 1]);
        for written in cases {
            let mut b = full.clone();
            for &i in &written {
                b[end + sector(i).start..end + sector(i).end].copy_from_slice(&next[sector(i)]);
            }
            std::fs::write(&seg, &b).expect("write");
            let tail = scan(&dir, |_, _| {}).expect("a torn write is not damage");
            assert_eq!(tail.seq, 3, "sectors {written:?}");
            assert_eq!(
                tail.torn.map(|t| t.0),
                Some(end as u64),
                "sectors {written:?}"
            );
            // Reopening clears the torn frame, and the next record follows the third.
            let mut j = Journal::open(&dir, &tail).expect("open");
            assert_eq!(std::fs::read(&seg).expect("read"), full, "cleared");
            assert_eq!(j.append(KIND_CHANGE, 0, "b", &[]).expect("append"), 4);
            assert_eq!(scan(&dir, |_, _| {}).expect("scan").seq, 4);
            std::fs::write(&seg, &full).expect("back");
        }
        // A file that ends inside the last frame (a frame that grew the file): torn too.
        for cut in [1, HEADER + 3, 600] {
            let mut b = full[..end].to_vec();
            b.extend_from_slice(&next[..cut]);
            std::fs::write(&seg, &b).expect("write");
            let tail = scan(&dir, |_, _| {}).expect("a torn write is not damage");
            assert_eq!(
                (tail.seq, tail.torn.map(|t| t.0)),
                (3, Some(end as u64)),
                "cut {cut}"
            );
        }
        // A torn-looking frame with a sound one after it is damage: records behind a hole.
        let mut b = full.clone();
        b[end..end + SECTOR as usize].copy_from_slice(&next[sector(0)]);
        let after = end + next.len();
        let fifth = next_frame(5, &hash(&[0]), 10);
        b[after..after + fifth.len()].copy_from_slice(&fifth);
        std::fs::write(&seg, &b).expect("write");
        let d = scan(&dir, |_, _| {}).expect_err("damage");
        assert_eq!((d.offset, d.seq), (end as u64, 4));
        // And so is a sound frame after the end of the records.
        let mut b = full.clone();
        b[end + 4096..end + 4096 + fifth.len()].copy_from_slice(&fifth);
        std::fs::write(&seg, &b).expect("write");
        let d = scan(&dir, |_, _| {}).expect_err("damage");
        assert_eq!((d.offset, d.seq), (end as u64, 4));
    }

    #[test]
    fn every_flipped_bit_is_damage_or_a_torn_tail_never_silence() {
        let (_tmp, dir) = journal_with(3);
        let seg = dir.join(segment_name(1));
        let end = scan(&dir, |_, _| {}).expect("scan").segment.expect("seg").2 as usize;
        // Less space written ahead, so each round reads a few KiB.
        let file = OpenOptions::new().write(true).open(&seg).expect("open");
        file.set_len(end as u64 + 8192).expect("cut");
        drop(file);
        let full = std::fs::read(&seg).expect("read");
        let one = end / 3;
        assert_eq!(one, SECTOR as usize, "a small record takes one sector");
        for bit in 0..end * 8 {
            let mut b = full.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            std::fs::write(&seg, &b).expect("write");
            match scan(&dir, |_, _| {}) {
                Err(d) => {
                    assert_eq!(d.offset as usize, (bit / 8) / one * one, "bit {bit}");
                    assert_eq!(d.seq as usize, (bit / 8) / one + 1, "bit {bit}");
                }
                Ok(t) => panic!("bit {bit} went unnoticed: {t:?}"),
            }
        }
        // A flipped bit where the next header would be is damage (it cannot be told from a
        // damaged header of a record that was written).
        let mut b = full.clone();
        b[end + 5] ^= 0x10;
        std::fs::write(&seg, &b).expect("write");
        let d = scan(&dir, |_, _| {}).expect_err("damage");
        assert_eq!((d.offset as usize, d.seq), (end, 4));
        // A flipped bit elsewhere in the zeros after the records loses nothing: what is not
        // zero there (and is no sound frame) is cleared as the rest of a torn write.
        for byte in [end + 17, end + 5000, full.len() - 1] {
            let mut b = full.clone();
            b[byte] ^= 0x10;
            std::fs::write(&seg, &b).expect("write");
            let t = scan(&dir, |_, _| {}).expect("no damage");
            assert_eq!(
                (t.seq, t.torn.map(|t| t.0)),
                (3, Some(end as u64)),
                "byte {byte}"
            );
        }
        // The last record spread over several sectors: a flipped bit anywhere in it is damage,
        // not a torn write (none of its sectors is all zeros).
        std::fs::write(&seg, &full).expect("back");
        let tail = scan(&dir, |_, _| {}).expect("scan");
        let mut j = Journal::open(&dir, &tail).expect("open");
        let v = vec![7u8; 1200];
        j.append(
            KIND_CHANGE,
            0,
            "b",
            &[op(tree::LOCKS, b"k", None, Some(&v))],
        )
        .expect("append");
        drop(j);
        let full = std::fs::read(&seg).expect("read");
        let last_end = scan(&dir, |_, _| {}).expect("scan").segment.expect("seg").2 as usize;
        for bit in (end * 8..last_end * 8).step_by(7) {
            let mut b = full.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            std::fs::write(&seg, &b).expect("write");
            match scan(&dir, |_, _| {}) {
                Err(d) => assert_eq!((d.offset as usize, d.seq), (end, 4), "bit {bit}"),
                Ok(t) => panic!("bit {bit} of the last record went unnoticed: {t:?}"),
            }
        }
    }

    #[test]
    fn a_journal_of_the_first_format_is_read_and_continued_in_a_new_segment() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join(DIR);
        std::fs::create_dir_all(&dir).expect("dir");
        let mut bytes = Vec::new();
        let mut head = [0u8; 32];
        for seq in 1..=3u64 {
            let p = encode(
                KIND_CHANGE,
                seq,
                0,
                &head,
                "an",
                &[op(tree::META, b"a", None, Some(b"1"))],
            );
            head = hash(&p);
            bytes.extend_from_slice(&frame_v1(&p));
        }
        // A crash cut its last frame short.
        let p = encode(KIND_CHANGE, 4, 0, &head, "an", &[]);
        bytes.extend_from_slice(&frame_v1(&p)[..30]);
        std::fs::write(dir.join(segment_name(1)), &bytes).expect("write");
        let tail = scan(&dir, |_, _| {}).expect("scan");
        assert_eq!(
            (tail.seq, tail.head, tail.torn.map(|t| t.0)),
            (3, head, Some(bytes.len() as u64 - 30))
        );
        let mut j = Journal::open(&dir, &tail).expect("open");
        assert_eq!(j.segment_path(), dir.join(segment_name(2)));
        assert_eq!(
            std::fs::metadata(dir.join(segment_name(1)))
                .expect("meta")
                .len(),
            bytes.len() as u64 - 30
        );
        assert_eq!(j.append(KIND_CHANGE, 0, "b", &[]).expect("append"), 4);
        let mut seen = Vec::new();
        let tail = scan(&dir, |r, at| seen.push((r.seq, at.no))).expect("scan");
        assert_eq!(seen, vec![(1, 1), (2, 1), (3, 1), (4, 2)]);
        // From a mark in the old segment, only what follows is read.
        let mark = Mark {
            seq: 2,
            segment: 1,
            offset: frame_v1(&encode(
                KIND_CHANGE,
                1,
                0,
                &[0; 32],
                "an",
                &[op(tree::META, b"a", None, Some(b"1"))],
            ))
            .len() as u64,
            hash: [0; 32],
        };
        let mut seen = Vec::new();
        let from = scan_after(&dir, &mark, |_| true, |r, _| seen.push(r.seq));
        // The mark's hash is not record 2's: the caller checks everything.
        assert_eq!(from.expect("no damage"), None);
        assert!(seen.is_empty());
        let mut real = None;
        scan(&dir, |r, at| {
            if r.seq == 2 {
                real = Some(Mark {
                    seq: 2,
                    segment: at.no,
                    offset: at.offset,
                    hash: *at.hash,
                });
            }
        })
        .expect("scan");
        let mut seen = Vec::new();
        let from = scan_after(
            &dir,
            &real.expect("mark"),
            |_| true,
            |r, _| seen.push(r.seq),
        )
        .expect("scan")
        .expect("the mark is there");
        assert_eq!(
            (seen, from.seq, from.head),
            (vec![3, 4], tail.seq, tail.head)
        );
    }

    #[test]
    fn from_a_mark_only_the_records_after_it_are_read() {
        let (_tmp, dir) = journal_with(5);
        let mut marks = Vec::new();
        let whole = scan(&dir, |r, at| {
            marks.push(Mark {
                seq: r.seq,
                segment: at.no,
                offset: at.offset,
                hash: *at.hash,
            })
        })
        .expect("scan");
        assert_eq!(whole.mark(), marks.last().copied());
        for m in &marks {
            let mut seen = Vec::new();
            let t = scan_after(&dir, m, |_| true, |r, _| seen.push(r.seq))
                .expect("scan")
                .expect("the mark is there");
            assert_eq!(seen, (m.seq + 1..=5).collect::<Vec<_>>());
            assert_eq!(
                (t.seq, t.head, t.segment.clone()),
                (whole.seq, whole.head, whole.segment.clone())
            );
        }
        // A mark that points at nothing, or at another record: the caller checks everything.
        let mut wrong = marks[2];
        wrong.offset += SECTOR;
        assert_eq!(
            scan_after(&dir, &wrong, |_| true, |_, _| {}).expect("no damage"),
            None
        );
        let mut wrong = marks[2];
        wrong.offset = 5 * SECTOR + 7;
        assert_eq!(
            scan_after(&dir, &wrong, |_| true, |_, _| {}).expect("no damage"),
            None
        );
        // A damaged record before the mark is not read; after it, it is found.
        let seg = dir.join(segment_name(1));
        let mut b = std::fs::read(&seg).expect("read");
        b[100] ^= 1;
        b[4 * SECTOR as usize + 100] ^= 1;
        std::fs::write(&seg, &b).expect("write");
        let d = scan_after(&dir, &marks[2], |_| true, |_, _| {}).expect_err("damage");
        assert_eq!((d.offset, d.seq), (4 * SECTOR, 5));
        assert_eq!(scan(&dir, |_, _| {}).expect_err("damage").seq, 1);
        let stop = AtomicBool::new(false);
        assert_eq!(check_until(&dir, 5, &stop).expect_err("damage").seq, 1);
        stop.store(true, Ordering::Relaxed);
        assert_eq!(check_until(&dir, 5, &stop), Ok(None), "stopped");
    }

    /// A segment started with no record in it (a crash right after the rotation, or a first
    /// frame that failed on the commit path, where the journal goes on in the new segment) is
    /// the journal's end: a scan ends there with nothing lost, an open appends into it, and the
    /// chain runs on across it.
    #[test]
    fn an_empty_last_segment_is_the_end_and_is_appended_to() {
        let (_tmp, dir) = journal_with(3);
        let tail = scan(&dir, |_, _| {}).expect("scan");
        let mut j = Journal::open(&dir, &tail).expect("open");
        j.rotate().expect("rotate");
        drop(j);
        let tail = scan(&dir, |_, _| {}).expect("an empty last segment is sound");
        assert_eq!((tail.seq, tail.torn), (3, None));
        assert_eq!(
            tail.segment.as_ref().map(|(no, _, good)| (*no, *good)),
            Some((2, 0))
        );
        let mut j = Journal::open(&dir, &tail).expect("open");
        let seq = append_one(&mut j).expect("append");
        assert_eq!(seq, 4);
        drop(j);
        let mut seen = Vec::new();
        scan(&dir, |r, at| seen.push((r.seq, at.no))).expect("the chain runs across");
        assert_eq!(seen, [(1, 1), (2, 1), (3, 1), (4, 2)]);
    }

    #[test]
    fn segments_are_written_ahead_and_rotate() {
        let (_tmp, dir) = journal_with(1);
        let seg = dir.join(segment_name(1));
        assert_eq!(std::fs::metadata(&seg).expect("meta").len(), ALLOC_STEP);
        let tail = scan(&dir, |_, _| {}).expect("scan");
        let mut j = Journal::open(&dir, &tail).expect("open");
        // More than a step of records: the space grows by a step.
        let v = vec![1u8; 4000];
        for _ in 0..300 {
            j.append(
                KIND_CHANGE,
                0,
                "b",
                &[op(tree::LOCKS, b"k", None, Some(&v))],
            )
            .expect("append");
        }
        assert_eq!(std::fs::metadata(&seg).expect("meta").len(), 2 * ALLOC_STEP);
        // A record larger than a step is written past the space and grows the file itself.
        let big = vec![2u8; 3 * ALLOC_STEP as usize];
        let seq = j
            .append(
                KIND_CHANGE,
                0,
                "b",
                &[op(tree::LOCKS, b"k", None, Some(&big))],
            )
            .expect("append");
        let t = scan(&dir, |_, _| {}).expect("scan");
        assert_eq!(t.seq, seq);
        let len = std::fs::metadata(&seg).expect("meta").len();
        assert_eq!(
            t.segment.expect("seg").2,
            len,
            "the big frame ends the file"
        );
        j.rotate().expect("rotate");
        assert_eq!(j.append(KIND_CHANGE, 0, "b", &[]).expect("append"), seq + 1);
        let mut seen = Vec::new();
        scan(&dir, |r, at| seen.push((r.seq, at.no))).expect("scan");
        assert_eq!(seen.last(), Some(&(seq + 1, 2)));
    }

    /// Where the child of `a_new_segment_whose_first_record_fails_is_removed` finds its journal.
    const CHILD_DIR: &str = "THIDUA_TEST_JOURNAL_CHILD_DIR";

    /// A checkpoint in a new segment whose frame cannot be written after the segment was
    /// started: the new segment is removed, and appending goes on in the segment before it.
    /// The room check (`RESERVE` free past the record and the new segment) keeps a full disk
    /// from hitting that window, so the failure is a real one of another kind: the process's
    /// file size limit (`ulimit -f`, `RLIMIT_FSIZE`) at exactly one step, which lets the new
    /// segment's step of zeros be written and synced and refuses a frame larger than a step
    /// (`EFBIG`). The limit holds for the whole process, so the journal is written by a child
    /// (this test binary again, running `child_appends_under_a_file_size_limit`), started by
    /// `bash` with the limit set and `SIGXFSZ` ignored.
    #[test]
    fn a_new_segment_whose_first_record_fails_is_removed() {
        let (_tmp, dir) = journal_with(3);
        let exe = std::env::current_exe().expect("test binary");
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(r#"trap '' XFSZ; ulimit -f 1024 && exec "$0" "$@""#)
            .arg(&exe)
            .args([
                "--ignored",
                "--exact",
                "store::journal::tests::child_appends_under_a_file_size_limit",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, &dir)
            .output();
        let out = match out {
            Ok(out) => out,
            Err(e) => {
                println!("skipped: bash cannot be run: {e}");
                return;
            }
        };
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{said}");
        assert!(
            said.contains("refused:") && said.contains("then appended 4"),
            "{said}"
        );
        // The journal is as it was, with the child's later record after it; no empty segment.
        let names: Vec<u32> = segments(&dir)
            .expect("segments")
            .into_iter()
            .map(|(no, _)| no)
            .collect();
        assert_eq!(names, [1]);
        let tail = scan(&dir, |_, _| {}).expect("scan");
        assert_eq!((tail.seq, tail.torn), (4, None));
        // Without the limit the checkpoint goes into a new segment as always.
        let mut j = Journal::open(&dir, &tail).expect("open");
        let big = vec![7u8; ALLOC_STEP as usize + 4096];
        let seq = j
            .append_with(KIND_CHECKPOINT, 0, "t", true, |w| {
                w.op(tree::LOCKS, b"k", None, Some(&big));
                Ok(())
            })
            .expect("checkpoint");
        assert_eq!(seq, 5);
        let mut seen = Vec::new();
        scan(&dir, |r, at| seen.push((r.seq, at.no))).expect("scan");
        assert_eq!(seen.last(), Some(&(5, 2)));
    }

    /// The child of `a_new_segment_whose_first_record_fails_is_removed`; does nothing unless it
    /// names a journal.
    #[test]
    #[ignore = "run by a_new_segment_whose_first_record_fails_is_removed, under a file size limit"]
    fn child_appends_under_a_file_size_limit() {
        let Some(dir) = std::env::var_os(CHILD_DIR).map(PathBuf::from) else {
            return;
        };
        let tail = scan(&dir, |_, _| {}).expect("scan");
        let mut j = Journal::open(&dir, &tail).expect("open");
        let big = vec![7u8; ALLOC_STEP as usize + 4096];
        let e = j
            .append_with(KIND_CHECKPOINT, 0, "t", true, |w| {
                w.op(tree::LOCKS, b"k", None, Some(&big));
                Ok(())
            })
            .expect_err("a frame past the file size limit");
        println!("refused: {e}");
        assert!(
            !dir.join(segment_name(2)).exists(),
            "the new segment stayed"
        );
        assert_eq!(j.segment_path(), dir.join(segment_name(1)));
        assert_eq!(j.head().0, 3);
        let seq = append_one(&mut j).expect("append after the refusal");
        println!("then appended {seq}");
    }

    #[test]
    fn commits_of_several_threads_share_syncs() {
        let (_tmp, dir) = journal_with(1);
        let tail = scan(&dir, |_, _| {}).expect("scan");
        let j = Arc::new(Mutex::new(Journal::open(&dir, &tail).expect("open")));
        let syncer = j.lock().expect("lock").syncer();
        let before = syncer.syncs();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let j = j.clone();
                std::thread::spawn(move || {
                    for i in 0..25u8 {
                        let (seq, syncer) = {
                            let mut j = j.lock().expect("lock");
                            let seq = j
                                .write_pending(
                                    KIND_CHANGE,
                                    0,
                                    "b",
                                    vec![op(tree::LOCKS, &[t, i], None, Some(b"x"))],
                                )
                                .expect("write");
                            (seq, j.syncer())
                        };
                        syncer.wait(seq).expect("sync");
                        assert!(syncer.synced() >= seq, "acknowledged only once durable");
                        let mut j = j.lock().expect("lock");
                        j.take_durable();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        let syncs = syncer.syncs() - before;
        assert!((1..=200).contains(&syncs), "{syncs} syncs for 200 records");
        let mut j = j.lock().expect("lock");
        assert!(j.take_durable().is_empty() && j.pending().is_empty());
        assert_eq!(scan(&dir, |_, _| {}).expect("scan").seq, 201);
        // One sync covers every record written before it: the second waiter syncs nothing.
        let a = j.write_pending(KIND_CHANGE, 0, "b", vec![]).expect("write");
        let b = j.write_pending(KIND_CHANGE, 0, "b", vec![]).expect("write");
        let before = syncer.syncs();
        syncer.wait(b).expect("sync");
        syncer.wait(a).expect("sync");
        assert_eq!(syncer.syncs() - before, 1);
        let applied: Vec<u64> = j.take_durable().iter().map(|r| r.mark.seq).collect();
        assert_eq!(applied, vec![a, b], "in journal order");
        // Records not yet applied are read newest first, a removal included; applied, they are
        // no longer pending.
        let a = j
            .write_pending(KIND_CHANGE, 0, "b", vec![op(2, b"k", None, Some(b"1"))])
            .expect("write");
        let b = j
            .write_pending(
                KIND_CHANGE,
                0,
                "b",
                vec![
                    op(2, b"x", None, Some(b"x")),
                    op(2, b"k", Some(b"1"), Some(b"2")),
                ],
            )
            .expect("write");
        let c = j
            .write_pending(KIND_CHANGE, 0, "b", vec![op(2, b"x", Some(b"x"), None)])
            .expect("write");
        assert_eq!(j.pending().get(2, b"k"), Some(Some(&b"2"[..])));
        assert_eq!(j.pending().get(2, b"x"), Some(None));
        assert_eq!(j.pending().get(3, b"k"), None);
        // A sync covers every record written before it: all three are applied.
        syncer.wait(b).expect("sync");
        let applied: Vec<u64> = j.take_durable().iter().map(|r| r.mark.seq).collect();
        assert_eq!(applied, vec![a, b, c]);
        assert_eq!(j.pending().get(2, b"k"), None);
        assert!(j.pending().is_empty());
    }
}
