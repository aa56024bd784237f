//! Backups: a complete, verifiable copy of a database in one file, and the rebuild of a new
//! database from it.
//!
//! Version 3 (what `backup` writes) carries the state once: the change journal from its first
//! kept record (a checkpoint of every journaled tree, or record 1) to the head, gzip-compressed.
//! The file's first line is
//! `{"format":"thidua-backup","version":3,"sha256":"<hex>","body":{…}}` where the checksum covers
//! the exact bytes of `body` (a `Header`: the head, the segments and their lengths, the SHA-256 of
//! the journal's bytes, the reviewers' saved positions); the compressed journal follows that line.
//! The backup is read from the journal's segment files up to the head read at its start, so
//! commits go on while it is written (only reading the head waits for the writer lock).
//! A restore unpacks the journal into a hidden folder, checks its bytes against the header, folds
//! it into sled (`rebuild`), checks the chain ends at the head named, and runs the whole of
//! `verify` before the database moves into place.
//!
//! Versions 1 and 2 (`Body`: every tree as JSON, the checksum over the exact bytes of `body`;
//! version 2 with the journal's segments in base64 beside it) are still read and restored. The
//! body keeps subject and initiative numbers and audit sequence numbers, so a restored database is
//! the same database, not a re-import.

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::verify::Report;
use super::{Result, Store, StoreError, json, keys, migrate, unjson};
use crate::domain::{AuditEvent, Campaign, Initiative, Subject, Verdict};
use crate::files::{Kind, Mode, write_bytes_atomically};

pub const FORMAT: &str = "thidua-backup";
/// Version 3 carries the journal alone (`Header`); versions 1 and 2 (`Body`) are still read.
pub const VERSION: u32 = 3;
/// The gzip level of a version-3 backup's journal (measured in docs/PERFORMANCE.md).
const LEVEL: u32 = 6;
/// Longest subject name a backup may hold, as imports allow.
const MAX_NAME: usize = 1_000;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    format: String,
    version: u32,
    sha256: String,
    #[serde(borrow)]
    body: &'a RawValue,
}

/// Everything a database holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub created_at: DateTime<Utc>,
    pub schema_version: u32,
    pub campaign: Campaign,
    pub subjects: Vec<Numbered<Subject>>,
    pub verdicts: Vec<BackupVerdict>,
    pub initiatives: Vec<Numbered<Initiative>>,
    pub audit: Vec<AuditEvent>,
    pub cursors: BTreeMap<String, String>,
    /// Subjects a chair has locked, by id.
    #[serde(default)]
    pub locks: BTreeMap<String, super::locks::Lock>,
    /// The self-assessment claims (tự đánh giá); left out when there are none, so a backup of
    /// a database without claims reads as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<BackupClaim>,
    /// Assignments (phân công): subject number → reviewer; left out when there are none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub assignments: BTreeMap<u32, String>,
    /// The change journal the snapshot was taken at (version 2): a restore replays it into a
    /// hidden folder and refuses the backup unless the journal's chain checks, ends at the head
    /// named here, and its state is exactly the snapshot's. Left out by version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<BackupJournal>,
}

/// The change journal inside a backup: its head, and every segment file as it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupJournal {
    /// The last record's sequence number.
    pub sequence: u64,
    /// The last record's SHA-256 (hex): the head `thidua log` and every export name.
    pub head_sha256: String,
    /// Each segment: its number and its bytes in base64.
    pub segments: Vec<(u32, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupClaim {
    pub subject_no: u32,
    pub criterion_index: u16,
    pub claim: crate::domain::Claim,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Numbered<T> {
    pub no: u32,
    #[serde(flatten)]
    pub value: T,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupVerdict {
    pub subject_no: u32,
    pub criterion_index: u16,
    pub verdict: Verdict,
}

/// Why a backup file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{}: cannot read the backup: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a thidua backup, or damaged/truncated ({detail})", path.display())]
    Malformed { path: PathBuf, detail: String },
    #[error("{}: the checksum does not match: the backup is damaged and was not used", path.display())]
    Checksum { path: PathBuf },
    #[error("{}: {detail}", path.display())]
    Inconsistent { path: PathBuf, detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Everything in the database, in key order, with the change journal it is the state of
    /// (commits wait while it is read, so the two agree).
    pub fn snapshot(&self, created_at: DateTime<Utc>) -> Result<Body> {
        let mut held = self
            .journal
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(j) = held.as_mut() {
            // Every record written is in sled before it is read.
            self.settle(j)?;
        }
        let mut body = self.snapshot_content(created_at)?;
        if let Some(j) = held.as_ref() {
            use base64::Engine;
            let dir = self.path.join(super::journal::DIR);
            let (sequence, head) = j.head();
            // Each segment up to where its records end: the space written ahead of the next
            // record (zeros) is not part of the journal.
            let extent = journal_extent(&dir, sequence).map_err(|e| e.error)?;
            let mut segments = Vec::new();
            for (no, path, len) in extent.segments {
                let mut bytes = std::fs::read(&path).map_err(super::io_err(&path))?;
                bytes.truncate(usize::try_from(len).unwrap_or(usize::MAX));
                segments.push((no, base64::engine::general_purpose::STANDARD.encode(bytes)));
            }
            body.journal = Some(BackupJournal {
                sequence,
                head_sha256: super::journal::hex(&head),
                segments,
            });
        }
        Ok(body)
    }

    fn snapshot_content(&self, created_at: DateTime<Utc>) -> Result<Body> {
        let subjects = self
            .subjects()?
            .into_iter()
            .map(|(no, value)| Numbered { no, value })
            .collect();
        let verdicts = self
            .verdicts()?
            .into_iter()
            .map(|(subject_no, criterion_index, verdict)| BackupVerdict {
                subject_no,
                criterion_index,
                verdict,
            })
            .collect();
        let mut initiatives = Vec::new();
        for kv in self.t()?.initiatives.iter() {
            let (k, v) = kv?;
            let no =
                keys::decode_no(&k).ok_or_else(|| StoreError::Corrupt("initiative key".into()))?;
            initiatives.push(Numbered {
                no,
                value: unjson("initiative", &v)?,
            });
        }
        let mut cursors = BTreeMap::new();
        for kv in self.t()?.cursors.iter() {
            let (k, v) = kv?;
            cursors.insert(
                String::from_utf8_lossy(&k).into_owned(),
                String::from_utf8_lossy(&v).into_owned(),
            );
        }
        let locks = self.locked_subjects()?.into_iter().collect();
        let claims = self
            .claims()?
            .into_iter()
            .map(|(subject_no, criterion_index, claim)| BackupClaim {
                subject_no,
                criterion_index,
                claim,
            })
            .collect();
        Ok(Body {
            created_at,
            schema_version: migrate::CURRENT,
            campaign: self.campaign.clone(),
            subjects,
            verdicts,
            initiatives,
            audit: self.audit(None)?,
            cursors,
            locks,
            claims,
            assignments: self.assignments()?.into_iter().collect(),
            journal: None,
        })
    }

    /// Writes a backup to `path` atomically, replacing an existing file (rolling backups).
    pub fn write_backup(&self, path: &Path, created_at: DateTime<Utc>) -> Result<u64> {
        self.write_backup_as(path, created_at, Mode::Replace)
    }

    /// Writes a backup (version 3) to `path` atomically (see `crate::files::write_atomically`);
    /// with `Mode::CreateNew` an existing file is never replaced, even by a writer racing for the
    /// same name (`StoreError::Io` with `AlreadyExists`). Only reading the journal's head waits
    /// for the writer lock: the journal is read from its segment files up to that head, so
    /// commits go on meanwhile. Returns the file's size.
    pub fn write_backup_as(
        &self,
        path: &Path,
        created_at: DateTime<Utc>,
        mode: Mode,
    ) -> Result<u64> {
        self.write_backup_file(path, created_at, mode, false)
    }

    /// `write_backup_as`; with `read_back`, the backup is read back from its temporary file
    /// (`check_backup_covers`) before it is moved into place. One that does not read back whole
    /// is deleted and never put in place (an existing file at `path` stays as it was), and the
    /// error is `StoreError::BackupUnreadable`: no file that looks like a good backup remains,
    /// and none is ever counted as a kept rolling backup.
    fn write_backup_file(
        &self,
        path: &Path,
        created_at: DateTime<Utc>,
        mode: Mode,
        read_back: bool,
    ) -> Result<u64> {
        let (header, data) = self.journal_backup(created_at)?;
        let head =
            serde_json::to_string(&header).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let sha = hex(&Sha256::digest(head.as_bytes()));
        let line = format!(
            "{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\"sha256\":\"{sha}\",\"body\":{head}}}\n"
        );
        let fill = |f: &mut std::fs::File| -> std::result::Result<(), Placing> {
            f.write_all(line.as_bytes())?;
            f.write_all(&data)?;
            Ok(())
        };
        let check = |tmp: &Path| -> std::result::Result<(), Placing> {
            if !read_back {
                return Ok(());
            }
            #[cfg(debug_assertions)]
            damage_for_test(tmp);
            match self.check_backup_covers(tmp).map_err(Placing::Store)? {
                Ok(()) => Ok(()),
                Err(detail) => Err(Placing::Store(discard(path, tmp, detail))),
            }
        };
        crate::files::write_atomically_checked(path, mode, Kind::Private, fill, check).map_err(
            |e| match e {
                Placing::Io(source) => StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                },
                Placing::Store(e) => e,
            },
        )
    }

    /// The header of a version-3 backup as of the journal's current head, and the journal up to
    /// that head, compressed. A checkpoint that retires segments while they are read (another
    /// process's read-only backup racing the owner's) makes it start again, at most three times.
    fn journal_backup(&self, created_at: DateTime<Utc>) -> Result<(Header, Vec<u8>)> {
        let dir = self.path.join(super::journal::DIR);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (sequence, head_sha256) = self
                .head()
                .ok_or_else(|| StoreError::Corrupt("the database has no change journal".into()))?;
            match journal_extent(&dir, sequence) {
                Ok(extent) => {
                    let mut cursors = BTreeMap::new();
                    for kv in self.t()?.cursors.iter() {
                        let (k, v) = kv?;
                        cursors.insert(
                            String::from_utf8_lossy(&k).into_owned(),
                            String::from_utf8_lossy(&v).into_owned(),
                        );
                    }
                    let (journal_sha256, data) = compress(&extent.segments)?;
                    let header = Header {
                        created_at,
                        schema_version: migrate::CURRENT,
                        sequence,
                        head_sha256,
                        first_sequence: extent.first,
                        segments: extent
                            .segments
                            .iter()
                            .map(|(no, _, bytes)| SegmentEntry {
                                no: *no,
                                bytes: *bytes,
                            })
                            .collect(),
                        journal_sha256,
                        compression: GZIP.into(),
                        cursors,
                    };
                    return Ok((header, data));
                }
                Err(e) if attempt < 3 && e.retry => {
                    tracing::info!(
                        "the journal changed while a backup read it ({}); reading again",
                        e.error
                    );
                }
                Err(e) => return Err(e.error),
            }
        }
    }
}

/// Why a backup was not put in place: writing it, or what reading it back found.
enum Placing {
    Io(std::io::Error),
    Store(StoreError),
}

impl From<std::io::Error> for Placing {
    fn from(e: std::io::Error) -> Self {
        Placing::Io(e)
    }
}

/// How a version-3 backup's journal is compressed.
const GZIP: &str = "gzip";

/// The header of a version-3 backup: the `body` of its first line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub created_at: DateTime<Utc>,
    pub schema_version: u32,
    /// The last record carried: its sequence number and SHA-256 (hex), the head `thidua log`
    /// and every export name.
    pub sequence: u64,
    pub head_sha256: String,
    /// The first record carried: a checkpoint of every journaled tree, or record 1.
    pub first_sequence: u64,
    /// The segments carried, in order: their numbers and lengths in bytes.
    pub segments: Vec<SegmentEntry>,
    /// The SHA-256 (hex) of the segments' bytes, one after the other, before compression.
    pub journal_sha256: String,
    /// How the data after the first line is compressed (`gzip`).
    pub compression: String,
    /// The reviewers' saved positions, which are not journaled.
    #[serde(default)]
    pub cursors: BTreeMap<String, String>,
}

/// One segment of the journal a version-3 backup carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentEntry {
    pub no: u32,
    pub bytes: u64,
}

/// The part of a journal up to a head: each segment, its path and how many of its bytes.
struct Extent {
    first: u64,
    segments: Vec<(u32, PathBuf, u64)>,
}

struct ExtentError {
    error: StoreError,
    /// The journal changed under the reader (a segment retired meanwhile): worth reading again.
    retry: bool,
}

/// Finds, with `journal::scan_some` (every record's checksums, sequence and chain checked, only
/// the record after `head` decoded), where the record `head` ends: at the start of the record
/// after it when that is in the same segment, at the end of its segment when the next record
/// starts a new one, and at the end of the good part when it is the last record.
fn journal_extent(dir: &Path, head: u64) -> std::result::Result<Extent, ExtentError> {
    let mut first = None;
    let mut next: Option<(PathBuf, u64)> = None;
    let scanned = super::journal::scan_some(
        dir,
        |seq| {
            first.get_or_insert(seq);
            seq == head + 1
        },
        |_, place| next = Some((place.segment.to_path_buf(), place.offset)),
    );
    let tail = match scanned {
        Ok(tail) => tail,
        Err(damage) => {
            let retry = matches!(
                damage.what,
                super::journal::Problem::Unreadable(_) | super::journal::Problem::MissingSegment
            );
            return Err(ExtentError {
                error: StoreError::Journal(Box::new(damage)),
                retry,
            });
        }
    };
    let changed = |what: String| ExtentError {
        error: StoreError::Corrupt(what),
        retry: true,
    };
    let first = first.unwrap_or(0);
    if head == 0 {
        return Ok(Extent {
            first,
            segments: Vec::new(),
        });
    }
    if first > head || tail.seq < head {
        return Err(changed(format!(
            "the journal in {} holds records {first} to {}, not record {head}",
            dir.display(),
            tail.seq
        )));
    }
    let segments = super::journal::segments(dir).map_err(|e| ExtentError {
        error: StoreError::Io {
            path: dir.to_path_buf(),
            source: e,
        },
        retry: false,
    })?;
    let number = |path: &Path| segments.iter().find(|(_, p)| p == path).map(|(no, _)| *no);
    // The segment the head is in, and where it ends there.
    let (last, end) = match &next {
        Some((path, offset)) if *offset > 0 => (number(path), Some(*offset)),
        Some((path, _)) => (number(path).map(|n| n - 1), None),
        None => match &tail.segment {
            Some((no, _, good)) => (Some(*no), Some(*good)),
            None => (None, None),
        },
    };
    let last = last.ok_or_else(|| changed(format!("a segment of {} went away", dir.display())))?;
    let mut out = Vec::new();
    for (no, path) in segments {
        if no > last {
            break;
        }
        let bytes = match end {
            Some(end) if no == last => end,
            _ => std::fs::metadata(&path)
                .map_err(|e| ExtentError {
                    retry: e.kind() == std::io::ErrorKind::NotFound,
                    error: StoreError::Io {
                        path: path.clone(),
                        source: e,
                    },
                })?
                .len(),
        };
        out.push((no, path, bytes));
    }
    Ok(Extent {
        first,
        segments: out,
    })
}

/// The SHA-256 (hex) of the segments' bytes and the bytes gzip-compressed; a segment found
/// shorter than its extent is an error.
fn compress(segments: &[(u32, PathBuf, u64)]) -> Result<(String, Vec<u8>)> {
    let mut sha = Sha256::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(LEVEL));
    let mut buf = vec![0u8; 1 << 20];
    for (_, path, bytes) in segments {
        let file = std::fs::File::open(path).map_err(super::io_err(path))?;
        let mut r = file.take(*bytes);
        let mut read = 0u64;
        loop {
            let n = r.read(&mut buf).map_err(super::io_err(path))?;
            if n == 0 {
                break;
            }
            sha.update(&buf[..n]);
            gz.write_all(&buf[..n]).map_err(super::io_err(path))?;
            read += n as u64;
        }
        if read != *bytes {
            return Err(StoreError::Corrupt(format!(
                "{} holds {read} bytes, fewer than the {bytes} read before",
                path.display()
            )));
        }
    }
    let data = gz
        .finish()
        .map_err(|e| StoreError::Corrupt(format!("compressing the journal: {e}")))?;
    Ok((hex(&sha.finalize()), data))
}

/// A backup file that passed its first checks: a snapshot (versions 1 and 2, fully checked)
/// or a journal (version 3: its header checked; its journal is checked as it is unpacked).
#[derive(Debug)]
pub enum Backup {
    Snapshot(Box<Body>),
    Journal(JournalBackup),
}

/// A version-3 backup: its file, its header, and where the compressed journal starts.
#[derive(Debug, Clone)]
pub struct JournalBackup {
    pub path: PathBuf,
    pub header: Header,
    data_at: u64,
}

/// Opens a backup file of any version: format, version, and the checksum of its first line;
/// versions 1 and 2 are read and checked whole (as `read`).
pub fn open(path: &Path) -> std::result::Result<Backup, BackupError> {
    let file = std::fs::File::open(path).map_err(|source| BackupError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = std::io::BufReader::new(file);
    let mut line = Vec::new();
    reader
        .read_until(b'\n', &mut line)
        .map_err(|source| BackupError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let malformed = |detail: String| BackupError::Malformed {
        path: path.to_path_buf(),
        detail,
    };
    let text = std::str::from_utf8(&line).map_err(|e| malformed(format!("not UTF-8: {e}")))?;
    let envelope: Envelope<'_> =
        serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
    if envelope.format != FORMAT {
        return Err(malformed(format!("format is {:?}", envelope.format)));
    }
    if !(1..=VERSION).contains(&envelope.version) {
        return Err(malformed(format!(
            "backup version {} (this thidua reads 1 to {VERSION})",
            envelope.version
        )));
    }
    if hex(&Sha256::digest(envelope.body.get().as_bytes())) != envelope.sha256 {
        return Err(BackupError::Checksum {
            path: path.to_path_buf(),
        });
    }
    if envelope.version < 3 {
        let mut rest = Vec::new();
        reader
            .read_to_end(&mut rest)
            .map_err(|source| BackupError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        if !rest.iter().all(u8::is_ascii_whitespace) {
            return Err(malformed("data after the backup's end".into()));
        }
        let body: Body =
            serde_json::from_str(envelope.body.get()).map_err(|e| malformed(e.to_string()))?;
        check(&body).map_err(|detail| BackupError::Inconsistent {
            path: path.to_path_buf(),
            detail,
        })?;
        return Ok(Backup::Snapshot(Box::new(body)));
    }
    let header: Header =
        serde_json::from_str(envelope.body.get()).map_err(|e| malformed(e.to_string()))?;
    if header.compression != GZIP {
        return Err(malformed(format!(
            "the journal is compressed as {:?}",
            header.compression
        )));
    }
    if header.schema_version > migrate::CURRENT {
        return Err(BackupError::Inconsistent {
            path: path.to_path_buf(),
            detail: format!(
                "made by a newer thidua (schema {}); update thidua",
                header.schema_version
            ),
        });
    }
    Ok(Backup::Journal(JournalBackup {
        path: path.to_path_buf(),
        header,
        data_at: line.len() as u64,
    }))
}

/// Reads and checks a backup file of any version into its content. A version-3 backup is
/// restored into a temporary folder to read it (`restore_file` is what `thidua restore`
/// uses); the body then carries its journal as version 2 did.
pub fn read(path: &Path) -> std::result::Result<Body, BackupError> {
    match open(path)? {
        Backup::Snapshot(body) => Ok(*body),
        Backup::Journal(j) => {
            let tmp = tempfile::Builder::new()
                .prefix("thidua-read-backup-")
                .tempdir()
                .map_err(|source| BackupError::Read {
                    path: std::env::temp_dir(),
                    source,
                })?;
            match restore_journal(&tmp.path().join("db"), &j)? {
                Ok(store) => Ok(store.snapshot(j.header.created_at)?),
                Err(report) => Err(BackupError::Inconsistent {
                    path: path.to_path_buf(),
                    detail: report.problems.join("; "),
                }),
            }
        }
    }
}

/// Restores the backup `backup` as a new database at `db`, checked while it is still in its
/// hidden folder (`restore_checked` for versions 1 and 2, `restore_journal` for version 3): a
/// backup that does not check is `Ok(Err(report))`, and nothing is left at `db`.
pub fn restore_file(
    db: &Path,
    backup: &Backup,
) -> std::result::Result<std::result::Result<Store, Report>, BackupError> {
    match backup {
        Backup::Snapshot(body) => Ok(restore_checked(db, body)?),
        Backup::Journal(j) => restore_journal(db, j),
    }
}

impl JournalBackup {
    /// Writes the journal the backup carries into `dir` as its segment files, checking the
    /// bytes against the header's lengths and SHA-256; damage or a cut-short file is
    /// `BackupError::Checksum` / `Malformed`.
    fn unpack(&self, dir: &Path) -> std::result::Result<(), BackupError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
            path: dir.to_path_buf(),
            source: e,
        })?;
        let mut out: Option<(PathBuf, std::fs::File)> = None;
        let finish = |out: &mut Option<(PathBuf, std::fs::File)>| -> Result<()> {
            if let Some((path, file)) = out.take() {
                file.sync_all().map_err(super::io_err(&path))?;
            }
            Ok(())
        };
        let mut current = None;
        self.read_journal(|no, bytes| {
            if current != Some(no) {
                finish(&mut out)?;
                let path = dir.join(super::journal::segment_name(no));
                let file = std::fs::File::create(&path).map_err(super::io_err(&path))?;
                out = Some((path, file));
                current = Some(no);
            }
            if let Some((path, file)) = out.as_mut() {
                file.write_all(bytes).map_err(super::io_err(path))?;
            }
            Ok(())
        })?;
        finish(&mut out)?;
        crate::files::sync_dir(dir).map_err(super::io_err(dir))?;
        Ok(())
    }

    /// Reads the whole journal the backup carries and checks it against the header's lengths
    /// and SHA-256, writing nothing: what a backup just written is checked with before the
    /// journal segments it covers are retired (`Store::check_backup_covers`).
    pub fn check_journal(&self) -> std::result::Result<(), BackupError> {
        self.read_journal(|_, _| Ok(()))
    }

    /// Decompresses the journal, giving each segment's bytes in pieces to `each`, checked
    /// against the header's lengths and SHA-256; damage or a cut-short file is
    /// `BackupError::Checksum` / `Malformed`.
    fn read_journal(
        &self,
        mut each: impl FnMut(u32, &[u8]) -> Result<()>,
    ) -> std::result::Result<(), BackupError> {
        use std::io::Seek;
        let read_err = |source| BackupError::Read {
            path: self.path.clone(),
            source,
        };
        let damaged = |detail: String| BackupError::Malformed {
            path: self.path.clone(),
            detail,
        };
        let mut file = std::fs::File::open(&self.path).map_err(read_err)?;
        file.seek(std::io::SeekFrom::Start(self.data_at))
            .map_err(read_err)?;
        let mut gz = flate2::read::GzDecoder::new(std::io::BufReader::new(file));
        let mut sha = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        for seg in &self.header.segments {
            let mut left = seg.bytes;
            while left > 0 {
                let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
                let n = gz
                    .read(&mut buf[..want])
                    .map_err(|e| damaged(format!("the journal data: {e}")))?;
                if n == 0 {
                    return Err(damaged(format!(
                        "the journal data ends inside segment {} (truncated)",
                        seg.no
                    )));
                }
                sha.update(&buf[..n]);
                each(seg.no, &buf[..n])?;
                left -= n as u64;
            }
        }
        let extra = gz
            .read(&mut buf[..1])
            .map_err(|e| damaged(format!("the journal data: {e}")))?;
        if extra != 0 {
            return Err(damaged("data after the journal's last segment".into()));
        }
        if hex(&sha.finalize()) != self.header.journal_sha256 {
            return Err(BackupError::Checksum {
                path: self.path.clone(),
            });
        }
        Ok(())
    }
}

/// Builds a new database at `db` from a version-3 backup in a hidden folder beside it: the
/// journal unpacked and checked against the header, folded into sled and copied in
/// (`rebuild::build`, which ends with the whole of `verify`), its head compared with the one
/// the header names, the reviewers' saved positions put back, the content checked as a
/// version-1 body is; only then moved into place. Refuses an existing `db` (but for an empty
/// folder). A backup that does not check is `Ok(Err(report))` and nothing is left at `db`.
pub fn restore_journal(
    db: &Path,
    backup: &JournalBackup,
) -> std::result::Result<std::result::Result<Store, Report>, BackupError> {
    if db.exists() && !super::is_empty_dir(db) {
        return Err(StoreError::Exists(db.to_path_buf()).into());
    }
    let name = db
        .file_name()
        .map_or_else(|| "thidua".into(), |n| n.to_string_lossy().into_owned());
    let building = db.with_file_name(format!(".{name}.restoring-{}", std::process::id()));
    if building.exists() {
        std::fs::remove_dir_all(&building).map_err(super::io_err(&building))?;
    }
    std::fs::create_dir_all(&building).map_err(super::io_err(&building))?;
    super::restrict_permissions(&building);
    let refused = |problem: String| Report {
        problems: vec![problem],
        ..Report::default()
    };
    let result = (|| -> std::result::Result<Option<Report>, BackupError> {
        let incoming = building.join(".backup-journal");
        backup.unpack(&incoming)?;
        let built = match super::rebuild::build(&incoming, &building) {
            Ok(built) => built,
            Err(StoreError::Journal(damage)) => {
                return Ok(Some(refused(format!(
                    "the journal in the backup: {damage}"
                ))));
            }
            Err(e) => return Err(e.into()),
        };
        let (seq, head) = match built {
            Ok(end) => end,
            Err(report) => return Ok(Some(report)),
        };
        std::fs::remove_dir_all(&incoming).map_err(super::io_err(&incoming))?;
        let h = &backup.header;
        if seq != h.sequence || head != h.head_sha256 || seq < h.first_sequence {
            return Ok(Some(refused(format!(
                "the journal in the backup ends at record {seq} (SHA-256 {head}), not at the head the backup names (record {}, SHA-256 {})",
                h.sequence, h.head_sha256
            ))));
        }
        let store = Store::from_db(super::open_sled(&building)?, &building)?;
        for (k, v) in &h.cursors {
            store
                .t()?
                .cursors
                .insert(k.as_bytes(), v.as_bytes())
                .map_err(StoreError::from)?;
        }
        check(&store.snapshot_content(h.created_at)?).map_err(|detail| {
            BackupError::Inconsistent {
                path: backup.path.clone(),
                detail,
            }
        })?;
        store.flush()?;
        Ok(None)
    })();
    match result {
        Err(e) => {
            let _ = std::fs::remove_dir_all(&building);
            return Err(e);
        }
        Ok(Some(report)) => {
            let _ = std::fs::remove_dir_all(&building);
            return Ok(Err(report));
        }
        Ok(None) => {}
    }
    if let Err(source) = std::fs::rename(&building, db) {
        let _ = std::fs::remove_dir_all(&building);
        return Err(StoreError::Io {
            path: db.to_path_buf(),
            source,
        }
        .into());
    }
    let _ = crate::files::sync_dir(&crate::files::folder_of(db));
    Ok(Ok(Store::open_moved(db)?))
}

/// What a body must satisfy to be restored: unique numbers and ids, references that resolve,
/// a gapless audit trail.
fn check(body: &Body) -> std::result::Result<(), String> {
    if body.schema_version > migrate::CURRENT {
        return Err(format!(
            "made by a newer thidua (schema {}); update thidua",
            body.schema_version
        ));
    }
    let mut ids = std::collections::HashMap::new();
    let mut nos = std::collections::HashSet::new();
    for s in &body.subjects {
        if !nos.insert(s.no) || ids.insert(s.value.id.as_str(), &s.value).is_some() {
            return Err(format!("subject {} is listed twice", s.value.id));
        }
    }
    for s in &body.subjects {
        if s.value.name.chars().count() > MAX_NAME {
            return Err(format!("subject {:?}: the name is too long", s.value.id));
        }
        if s.value.id.chars().any(crate::text::is_unsafe_char)
            || s.value.name.chars().any(crate::text::is_unsafe_char)
        {
            return Err(format!(
                "subject {:?} holds control or escape characters",
                s.value.id
            ));
        }
        if let Some(p) = &s.value.parent
            && !ids.contains_key(p.as_str())
        {
            return Err(format!(
                "subject {} belongs to unknown unit {p}",
                s.value.id
            ));
        }
    }
    for s in &body.subjects {
        let mut seen = std::collections::HashSet::new();
        let mut at = &s.value;
        while let Some(p) = at.parent.as_deref().and_then(|p| ids.get(p)) {
            if !seen.insert(at.id.as_str()) {
                return Err(format!(
                    "the parents of subject {} form a cycle",
                    s.value.id
                ));
            }
            at = p;
        }
    }
    let by_no: std::collections::HashMap<u32, &Subject> =
        body.subjects.iter().map(|s| (s.no, &s.value)).collect();
    for v in &body.verdicts {
        let s = by_no
            .get(&v.subject_no)
            .ok_or_else(|| format!("a verdict names subject number {}", v.subject_no))?;
        let group = body
            .campaign
            .group_of_tier(&s.tier)
            .ok_or_else(|| format!("subject {} has an unknown tier", s.id))?;
        if usize::from(v.criterion_index) >= group.criteria.len() {
            return Err(format!("a verdict of {} names no criterion", s.id));
        }
    }
    if let Some(no) = body.assignments.keys().find(|no| !by_no.contains_key(*no)) {
        return Err(format!("an assignment names subject number {no}"));
    }
    for c in &body.claims {
        let s = by_no.get(&c.subject_no).ok_or_else(|| {
            format!(
                "a self-assessment claim names subject number {}",
                c.subject_no
            )
        })?;
        let group = body
            .campaign
            .group_of_tier(&s.tier)
            .ok_or_else(|| format!("subject {} has an unknown tier", s.id))?;
        if usize::from(c.criterion_index) >= group.criteria.len() {
            return Err(format!(
                "a self-assessment claim of {} names no criterion",
                s.id
            ));
        }
    }
    if let Some(unknown) = body.locks.keys().find(|k| !ids.contains_key(k.as_str())) {
        return Err(format!("a lock names unknown subject {unknown}"));
    }
    for i in &body.initiatives {
        if !ids.contains_key(i.value.owner.as_str()) {
            return Err(format!(
                "initiative {} belongs to unknown subject {}",
                i.value.id, i.value.owner
            ));
        }
    }
    for (n, e) in body.audit.iter().enumerate() {
        if e.seq != n as u64 + 1 {
            return Err(format!("the audit trail has a gap before event {}", e.seq));
        }
    }
    Ok(())
}

/// Writes `items` into `tree` one insert at a time. No sled batch: the restore is built in a
/// hidden folder and moved into place only when complete, so it needs no atomic batch, and
/// large batches made sled hold everything written in memory (8–14 GB for a 410 MB backup of
/// 320,000 subjects, against 0.7 GB with plain inserts, which are also faster).
fn insert_all<K, V>(tree: &sled::Tree, items: impl Iterator<Item = (K, V)>) -> Result<()>
where
    K: AsRef<[u8]>,
    V: Into<sled::IVec>,
{
    for (k, v) in items {
        tree.insert(k.as_ref(), v)?;
    }
    Ok(())
}

/// Builds a new database at `path` from a checked backup; refuses an existing path (but for an
/// empty folder). The
/// database is built in a hidden folder beside `path` and renamed into place once complete,
/// so an interrupted restore never leaves a partial database where thidua would open it.
pub fn restore(path: &Path, body: &Body) -> Result<Store> {
    // Without the check nothing is refused.
    build(path, body, false)?
        .map_err(|_| StoreError::Corrupt("a restore without its check was refused".into()))
}

/// `restore`, with the restored database checked (`Store::verify`) while it is still in its
/// hidden folder: a backup whose content was edited and its checksum made again is refused
/// (`Ok(Err(report))`) and nothing is left at `path`.
pub fn restore_checked(path: &Path, body: &Body) -> Result<std::result::Result<Store, Report>> {
    build(path, body, true)
}

fn build(path: &Path, body: &Body, check: bool) -> Result<std::result::Result<Store, Report>> {
    // An empty folder made ready for the database is replaced by the restored one.
    if path.exists() && !super::is_empty_dir(path) {
        return Err(StoreError::Exists(path.to_path_buf()));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    let name = path
        .file_name()
        .map_or_else(|| "thidua".into(), |n| n.to_string_lossy().into_owned());
    let building = path.with_file_name(format!(".{name}.restoring-{}", std::process::id()));
    if building.exists() {
        std::fs::remove_dir_all(&building).map_err(io(&building))?;
    }
    std::fs::create_dir_all(&building).map_err(io(&building))?;
    super::restrict_permissions(&building);
    let result = (|| {
        let db = super::open_sled(&building)?;
        let meta = db.open_tree("meta")?;
        migrate::initialise(&db, &meta, &body.campaign)?;
        let store = Store::from_db(db, &building)?;
        insert_all(
            &store.t()?.subjects,
            body.subjects
                .iter()
                .map(|s| (keys::no_key(s.no), json(&s.value))),
        )?;
        insert_all(
            &store.t()?.subject_ids,
            body.subjects
                .iter()
                .map(|s| (s.value.id.as_bytes(), keys::no_key(s.no).to_vec())),
        )?;
        insert_all(
            &store.t()?.verdicts,
            body.verdicts.iter().map(|v| {
                (
                    keys::verdict_key(v.subject_no, v.criterion_index),
                    super::codec::encode_verdict(&v.verdict),
                )
            }),
        )?;
        insert_all(
            &store.t()?.initiatives,
            body.initiatives
                .iter()
                .map(|i| (keys::no_key(i.no), json(&i.value))),
        )?;
        insert_all(
            &store.t()?.initiative_ids,
            body.initiatives
                .iter()
                .map(|i| (i.value.id.as_bytes(), keys::no_key(i.no).to_vec())),
        )?;
        insert_all(
            &store.t()?.audit,
            body.audit.iter().map(|e| (keys::seq_key(e.seq), json(e))),
        )?;
        migrate::index_subject_audit(
            &store.t()?.audit,
            &store.t()?.subject_ids,
            &store.t()?.subject_audit,
        )?;
        for (k, v) in &body.cursors {
            store.t()?.cursors.insert(k.as_bytes(), v.as_bytes())?;
        }
        for (subject, lock) in &body.locks {
            store.t()?.locks.insert(subject.as_bytes(), json(lock))?;
        }
        insert_all(
            &store.t()?.db.open_tree(keys::CLAIMS_TREE)?,
            body.claims.iter().map(|c| {
                (
                    keys::verdict_key(c.subject_no, c.criterion_index),
                    super::codec::encode_claim(&c.claim),
                )
            }),
        )?;
        insert_all(
            &store.t()?.assignments,
            body.assignments
                .iter()
                .map(|(no, r)| (keys::no_key(*no), r.as_bytes().to_vec())),
        )?;
        let next_subject = body.subjects.iter().map(|s| s.no + 1).max().unwrap_or(1);
        let next_initiative = body.initiatives.iter().map(|i| i.no + 1).max().unwrap_or(1);
        store
            .t()?
            .meta
            .insert(migrate::SUBJECT_NEXT, &keys::no_key(next_subject))?;
        store
            .t()?
            .meta
            .insert(migrate::INITIATIVE_NEXT, &keys::no_key(next_initiative))?;
        store.t()?.meta.insert(
            migrate::AUDIT_NEXT,
            &keys::seq_key(body.audit.len() as u64 + 1),
        )?;
        if let Some(carried) = &body.journal
            && let Some(report) = put_journal(&store, &building, carried)?
        {
            return Ok(Some(report));
        }
        store.flush()?;
        if check {
            // With the journal: its chain, and its state against what was restored, key by key.
            let report = if body.journal.is_some() {
                store.verify()?
            } else {
                store.verify_content()?
            };
            if !report.is_ok() {
                return Ok(Some(report));
            }
        }
        Ok(None)
    })();
    // Closed (the store above is dropped) before it moves into place.
    match result {
        Err(e) => {
            let _ = std::fs::remove_dir_all(&building);
            return Err(e);
        }
        Ok(Some(report)) => {
            let _ = std::fs::remove_dir_all(&building);
            return Ok(Err(report));
        }
        Ok(None) => {}
    }
    if let Err(source) = std::fs::rename(&building, path) {
        let _ = std::fs::remove_dir_all(&building);
        return Err(StoreError::Io {
            path: path.to_path_buf(),
            source,
        });
    }
    let _ = crate::files::sync_dir(&crate::files::folder_of(path));
    Store::open_moved(path).map(Ok)
}

/// Writes the journal a backup carries into the database being restored at `building`, and
/// records it as applied (the restored trees are its state; `verify` then proves it). A
/// journal that does not check (damage, a broken chain) or does not end at the head the backup
/// names is a problem of the report returned, and nothing is restored.
fn put_journal(store: &Store, building: &Path, carried: &BackupJournal) -> Result<Option<Report>> {
    use base64::Engine;
    let dir = building.join(super::journal::DIR);
    std::fs::create_dir_all(&dir).map_err(super::io_err(&dir))?;
    let refused = |problem: String| {
        Ok(Some(Report {
            problems: vec![problem],
            ..Report::default()
        }))
    };
    for (no, text) in &carried.segments {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(text) else {
            return refused(format!("journal segment {no} in the backup is not base64"));
        };
        let path = dir.join(super::journal::segment_name(*no));
        std::fs::write(&path, bytes).map_err(super::io_err(&path))?;
    }
    let tail = match super::journal::scan(&dir, |_, _| {}) {
        Ok(tail) => tail,
        Err(damage) => return refused(format!("the journal in the backup: {damage}")),
    };
    if tail.torn.is_some()
        || tail.seq != carried.sequence
        || super::journal::hex(&tail.head) != carried.head_sha256
    {
        return refused(format!(
            "the journal in the backup ends at record {} (SHA-256 {}), not at the head the backup names (record {}, SHA-256 {})",
            tail.seq,
            super::journal::hex(&tail.head),
            carried.sequence,
            carried.head_sha256
        ));
    }
    for entry in std::fs::read_dir(&dir)
        .map_err(super::io_err(&dir))?
        .flatten()
    {
        let _ = std::fs::File::open(entry.path()).and_then(|f| f.sync_all());
    }
    let _ = crate::files::sync_dir(&dir);
    store
        .t()?
        .meta
        .insert(super::commit::APPLIED, &carried.sequence.to_be_bytes())?;
    Ok(None)
}

/// How many rolling backups are kept; older ones are removed.
pub const KEEP: usize = 48;

/// How often a rolling backup is written while a console or the server runs.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Writes a rolling backup of `store` as of `now` (see `Store::write_rolling_backup`); a
/// failure is logged, never fatal: every decision is already durable in the database.
pub fn rolling(store: &Store, now: DateTime<Utc>) {
    match store.write_rolling_backup(now) {
        Ok(Some(file)) => tracing::info!("rolling backup written to {}", file.display()),
        Ok(None) => tracing::debug!("no change since the last rolling backup"),
        Err(e) => tracing::error!("writing a rolling backup failed: {e}"),
    }
}

/// The folder rolling backups go to: `backups/` beside the database folder, made 0700.
pub fn rolling_dir(db: &Path) -> PathBuf {
    match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("backups"),
        _ => PathBuf::from("backups"),
    }
}

impl Store {
    /// Writes a rolling backup `backups/<db name>-YYYYMMDD-HHMMSS.json` beside the database
    /// unless nothing changed since the newest one, then keeps only the newest `KEEP`.
    /// Returns the file written, if any.
    pub fn write_rolling_backup(&self, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
        let dir = rolling_dir(&self.path);
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
            path: dir.clone(),
            source,
        })?;
        super::restrict_permissions(&dir);
        let stem = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "thidua".into());
        let mut existing = self.rolling_backups()?;
        existing.sort();
        let marker = format!("\"audit_len\":{}", self.audit_len());
        let unchanged = existing
            .last()
            .and_then(|p| std::fs::read_to_string(p.with_extension("mark")).ok())
            .is_some_and(|m| m == marker);
        if unchanged {
            return Ok(None);
        }
        let file = dir.join(format!("{stem}-{}.json", now.format("%Y%m%d-%H%M%S")));
        // The backup holds every kept segment: once it reads back (before it is put in place,
        // see `write_backup_file`), the journal may start again. One that does not read back
        // is deleted and this rolling backup fails.
        let outgrown = self.journal_outgrown().unwrap_or_else(|e| {
            tracing::error!("measuring the change journal failed: {e}");
            false
        });
        self.write_backup_file(&file, now, Mode::Replace, outgrown)?;
        if outgrown && let Err(e) = self.checkpoint_after_backup(now.timestamp_millis()) {
            tracing::error!(
                "a checkpoint after the backup {} failed: {e}",
                file.display()
            );
        }
        let mark = file.with_extension("mark");
        write_bytes_atomically(&mark, marker.as_bytes(), Mode::Replace, Kind::Private)
            .map_err(super::io_err(&mark))?;
        existing.push(file.clone());
        existing.sort();
        existing.dedup();
        let excess = existing.len().saturating_sub(KEEP);
        for old in &existing[..excess] {
            let _ = std::fs::remove_file(old);
            let _ = std::fs::remove_file(old.with_extension("mark"));
        }
        // Retired journal segments older than every kept backup go too (`prune_retired`).
        if let Err(e) = self.prune_retired(existing.get(excess).map(PathBuf::as_path)) {
            tracing::error!("deleting old retired journal segments failed: {e}");
        }
        Ok(Some(file))
    }
}

/// What `Store::backup_and_retire` did to the change journal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AfterBackup {
    /// Journal segments moved into `backups/<db>-journal/` (`Store::checkpoint`).
    pub retired: usize,
    /// Retired segments deleted as older than every kept rolling backup (`Store::prune_retired`).
    pub deleted: Vec<PathBuf>,
}

impl Store {
    /// The rolling backups beside the database (`rolling_dir`), oldest first; none when the
    /// folder does not exist.
    pub fn rolling_backups(&self) -> Result<Vec<PathBuf>> {
        let dir = rolling_dir(&self.path);
        let stem = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "thidua".into());
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(StoreError::Io { path: dir, source }),
        };
        let mut existing: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.starts_with(&format!("{stem}-")) && n.ends_with(".json")
                })
            })
            .collect();
        existing.sort();
        Ok(existing)
    }

    /// `thidua backup FILE`: writes a backup to `path` (as `write_backup_as`), then, once the
    /// kept journal has outgrown its bound, checkpoints and retires the journal segments it
    /// covers (`checkpoint_after_backup`) and deletes the retired segments older than every
    /// kept rolling backup (`prune_retired`), as a rolling backup does. Nothing is retired
    /// unless the backup reads back whole before it is put in place (`check_backup_covers`):
    /// its first line's checksum, its journal's lengths and SHA-256, and a journal that starts
    /// where the kept journal starts. While the journal is below the bound nothing would be
    /// retired, and the backup is not read back (a backup at ×10 is hundreds of MB). Returns
    /// the backup's size and what was done to the journal.
    pub fn backup_and_retire(
        &self,
        path: &Path,
        created_at: DateTime<Utc>,
        mode: Mode,
    ) -> Result<(u64, AfterBackup)> {
        let outgrown = self.journal_outgrown()?;
        let bytes = self.write_backup_file(path, created_at, mode, outgrown)?;
        let retired = if outgrown {
            self.checkpoint_after_backup(created_at.timestamp_millis())?
        } else {
            0
        };
        let oldest = self.rolling_backups()?.into_iter().next();
        let deleted = self.prune_retired(oldest.as_deref())?;
        Ok((bytes, AfterBackup { retired, deleted }))
    }

    /// Whether the backup at `file` reads back whole and carries the kept journal from its
    /// first segment: what must hold before the segments it covers are retired.
    /// `Ok(Err(what))` says what did not read back; `Err` is trouble reading the kept journal's
    /// folder.
    pub fn check_backup_covers(&self, file: &Path) -> Result<std::result::Result<(), String>> {
        // The backup's own path in the detail is left out: the message names where it was to go.
        let detail = |e: BackupError| match e {
            BackupError::Read { source, .. } => source.to_string(),
            BackupError::Malformed { detail, .. } => detail,
            BackupError::Checksum { .. } => "the checksum of its first line does not match".into(),
            BackupError::Inconsistent { detail, .. } => detail,
            BackupError::Store(e) => e.to_string(),
        };
        let b = match open(file) {
            Ok(Backup::Journal(b)) => b,
            Ok(Backup::Snapshot(_)) => return Ok(Err("not a journal backup".into())),
            Err(e) => return Ok(Err(detail(e))),
        };
        if let Err(e) = b.check_journal() {
            return Ok(Err(detail(e)));
        }
        let dir = self.path.join(super::journal::DIR);
        let kept = super::journal::segments(&dir).map_err(super::io_err(&dir))?;
        let starts = b.header.segments.first().map(|s| s.no);
        if starts != kept.first().map(|(no, _)| *no) {
            return Ok(Err(format!(
                "it starts at journal segment {starts:?}, the kept journal at {:?}",
                kept.first().map(|(no, _)| *no)
            )));
        }
        Ok(Ok(()))
    }
}

/// In debug builds only, this environment variable makes every backup that is read back before
/// it is put in place lose its last byte first: a disk that gives back other bytes than were
/// written cannot be made in a test. Release builds do not read it.
pub const DAMAGE_VAR: &str = "THIDUA_TEST_DAMAGE_BACKUP";

#[cfg(debug_assertions)]
fn damage_for_test(tmp: &Path) {
    if std::env::var_os(DAMAGE_VAR).is_some()
        && let Ok(f) = std::fs::OpenOptions::new().write(true).open(tmp)
        && let Ok(m) = f.metadata()
    {
        let _ = f.set_len(m.len().saturating_sub(1));
    }
}

/// A backup that did not read back whole once written (`StoreError::BackupUnreadable`): it
/// was not put in place and no journal segment was retired.
#[derive(Debug)]
pub struct Unreadable {
    /// Where the backup was to go.
    pub path: PathBuf,
    /// What did not read back.
    pub detail: String,
    /// The temporary file it was written to and why it could not be deleted, when it could
    /// not; `None` when it was deleted.
    pub left: Option<(PathBuf, std::io::Error)>,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: the backup just written does not read back ({}); ",
            self.path.display(),
            self.detail
        )?;
        match &self.left {
            None => write!(f, "it was deleted and not put in place")?,
            Some((tmp, e)) => write!(
                f,
                "it was not put in place, but its temporary file {} could not be deleted ({e})",
                tmp.display()
            )?,
        }
        write!(f, "; no journal segment was retired")
    }
}

impl Unreadable {
    /// The user's message: where, what happened, that nothing was retired, and what to do.
    pub fn told(&self) -> crate::msg::Told {
        use crate::msg::{Key, Told};
        let shown = |p: &Path| crate::text::clean(&p.display().to_string()).into();
        let detail = crate::text::clean(&self.detail).into();
        match &self.left {
            None => Told::new(Key::BackupNotReadBack, [shown(&self.path), detail]),
            Some((tmp, e)) => Told::new(
                Key::BackupNotReadBackLeft,
                [
                    shown(&self.path),
                    detail,
                    shown(tmp),
                    crate::msg::io_detail(e).into(),
                ],
            ),
        }
    }
}

/// Deletes the temporary file `tmp` of a backup for `path` that did not read back, and says so.
fn discard(path: &Path, tmp: &Path, detail: String) -> StoreError {
    tracing::error!(
        "the backup for {} does not read back ({detail}); deleting {}",
        path.display(),
        tmp.display()
    );
    let left = match std::fs::remove_file(tmp) {
        Ok(()) => {
            if let Err(e) = crate::files::sync_dir(&crate::files::folder_of(tmp)) {
                tracing::error!("syncing the folder of {}: {e}", tmp.display());
            }
            None
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some((tmp.to_path_buf(), e)),
    };
    StoreError::BackupUnreadable(Box::new(Unreadable {
        path: path.to_path_buf(),
        detail,
        left,
    }))
}
