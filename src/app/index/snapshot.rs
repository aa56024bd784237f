//! The index as a file, so a large review opens without scanning every subject and verdict:
//! written beside the database after a clean build, read back only when it was made at the
//! journal's current head (sequence number and hash) from the same campaign, and otherwise
//! ignored (the caller builds afresh and writes a new one).
//!
//! The file is a header (postcard: a magic word, the format number, the head, the campaign's
//! SHA-256), the campaign's JSON (postcard bytes, whose SHA-256 is the header's), a body, then a
//! fixed trailer: the body's length and CRC-32, little-endian. Carrying the campaign lets the
//! whole file be decoded before the database is open (`decode`, on a thread of its own beside
//! sled's open), and only then checked against the store's head and campaign
//! (`Unchecked::check`), exactly as `read` checks them first. The
//! two large parts of the body are fixed-width little-endian tables a reader walks without
//! decoding anything per field: the entries (behind their length as 8 bytes, so they are
//! read on a thread of their own beside the rest) are a count, every subject's text in one
//! UTF-8 buffer (id, name, tier unless it is the campaign's tier the entry names, parent),
//! then one `ENTRY`-byte record each with the lengths of its texts; the slots are a count,
//! then one `SLOT`-byte record each. The smaller parts after them are postcard. The header is
//! checked before anything else is read, the trailer before the body is decoded, the buffer
//! is checked to be UTF-8 once and every text to end on a character boundary, and the
//! decoded parts are checked against each other (every position in range, the search text's
//! offsets on character boundaries), so a damaged or foreign file is refused, never trusted.
//! Initiatives are not kept: they are few and read from the store each time.

use std::io::Write;

use chrono::NaiveDate;
use imbl::{HashMap, Vector};
use serde::{Deserialize, Serialize, Serializer, ser::SerializeSeq};
use sha2::{Digest, Sha256};

use super::{Entry, Index, SearchText, Slot, Totals, next_origin, slot_mark, tag_of, value_of};
use crate::domain::{Campaign, Claim, Initiative, Outcome, Subject};

const MAGIC: [u8; 8] = *b"THIDUAIX";
/// Changes whenever what is written changes (3: the entries and slots as fixed-width tables;
/// 4: the campaign's JSON after the header).
const FORMAT: u32 = 4;
/// The bytes of one entry's record.
const ENTRY: usize = 46;
/// The bytes of one slot's record.
const SLOT: usize = 24;
/// A text length meaning "none" (no parent), or for the tier, "the campaign's tier the entry
/// names".
const ABSENT: u32 = u32::MAX;
/// A registration date meaning "none".
const NO_DATE: i32 = i32::MIN;
/// The trailer: the body's length (u64) and CRC-32 (u32).
const TRAILER: usize = 12;

/// Why a snapshot was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Made at another head of the journal, or for another campaign or format: out of date.
    Stale,
    /// Not a whole snapshot written by this program.
    Damaged(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Stale => f.write_str("made from another state of the database"),
            Refused::Damaged(why) => write!(f, "damaged ({why})"),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    magic: [u8; 8],
    format: u32,
    seq: u64,
    hash: String,
    campaign: [u8; 32],
}

/// A sequence written from an iterator of known length, without collecting it first.
struct Each<I>(std::cell::RefCell<Option<(usize, I)>>);

impl<I> Each<I> {
    fn new(len: usize, iter: I) -> Self {
        Each(std::cell::RefCell::new(Some((len, iter))))
    }
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Each<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some((len, iter)) = self.0.borrow_mut().take() else {
            return Err(serde::ser::Error::custom("written twice"));
        };
        let mut seq = s.serialize_seq(Some(len))?;
        let mut n = 0;
        for item in iter {
            seq.serialize_element(&item)?;
            n += 1;
        }
        if n != len {
            return Err(serde::ser::Error::custom("length changed while written"));
        }
        seq.end()
    }
}

/// The campaign's JSON, as the snapshot carries it and fingerprints it.
fn campaign_json(campaign: &Campaign) -> Vec<u8> {
    serde_json::to_vec(campaign).unwrap_or_default()
}

/// The campaign's fingerprint: SHA-256 of its JSON.
fn campaign_digest(campaign: &Campaign) -> [u8; 32] {
    Sha256::digest(campaign_json(campaign)).into()
}

fn outcome_code(o: Outcome) -> u8 {
    match o {
        Outcome::Qualified => 0,
        Outcome::NotQualified => 1,
        Outcome::Incomplete => 2,
    }
}

fn outcome_of_code(c: u8) -> Option<Outcome> {
    Some(match c {
        0 => Outcome::Qualified,
        1 => Outcome::NotQualified,
        2 => Outcome::Incomplete,
        _ => return None,
    })
}

/// Counts and checksums what passes through to the file.
struct Summing<W> {
    inner: W,
    len: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for Summing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.len += n as u64;
        self.crc.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn put<T: Serialize + ?Sized, W: Write>(value: &T, w: W) -> std::io::Result<W> {
    postcard::to_io(value, w).map_err(std::io::Error::other)
}

/// Writes `index`, made at journal head `head` from `campaign`, to `out`.
pub fn write(
    index: &Index,
    campaign: &Campaign,
    head: (u64, &str),
    out: impl Write,
) -> std::io::Result<()> {
    let json = campaign_json(campaign);
    let header = Header {
        magic: MAGIC,
        format: FORMAT,
        seq: head.0,
        hash: head.1.to_string(),
        campaign: Sha256::digest(&json).into(),
    };
    let out = put(&header, out)?;
    // A length, then the bytes (postcard writes a `u8` as itself), read back as `&[u8]`.
    let mut out = put(json.as_slice(), out)?;
    let w = Summing {
        inner: &mut out,
        len: 0,
        crc: crc32fast::Hasher::new(),
    };
    let entries = entries_table(index)?;
    let mut w = w;
    w.write_all(&(entries.len() as u64).to_le_bytes())?;
    w.write_all(&entries)?;
    drop(entries);
    w.write_all(&(index.slots.len() as u64).to_le_bytes())?;
    let mut records = Vec::with_capacity(4096 * SLOT);
    for s in index.slots.iter() {
        records.extend_from_slice(&s.version.to_le_bytes());
        records.extend_from_slice(&s.at_ms.to_le_bytes());
        records.extend_from_slice(&s.score.to_le_bytes());
        records.extend_from_slice(&s.meta.to_le_bytes());
        if records.len() == records.capacity() {
            w.write_all(&records)?;
            records.clear();
        }
    }
    w.write_all(&records)?;
    drop(records);
    let notes = Each::new(
        index.notes.len(),
        index.notes.iter().map(|(at, n)| (*at, &**n)),
    );
    let w = put(&notes, w)?;
    let claims = Each::new(
        index.claims.len(),
        index.claims.iter().map(|(at, c)| {
            let (tag, score) = tag_of(c.value);
            (*at, tag, score, c.evidence.as_str())
        }),
    );
    let w = put(&claims, w)?;
    let w = put(&Each::new(index.differs.len(), index.differs.iter()), w)?;
    let reviewers = Each::new(index.reviewers.len(), index.reviewers.iter().map(|r| &**r));
    let w = put(&reviewers, w)?;
    let w = put(&*index.by_id, w)?;
    let t = index.totals;
    let totals = [
        t.criteria,
        t.decided,
        t.qualified,
        t.not_qualified,
        t.incomplete,
        t.waiting,
    ];
    let w = put(&totals, w)?;
    let order = |o: &[usize]| -> Vec<u32> { o.iter().map(|&i| i as u32).collect() };
    let w = put(&order(&index.collectives), w)?;
    let w = put(&order(&index.individuals), w)?;
    let (text, starts, owners) = index.search.parts();
    let mut w = put(&(text, starts, owners), w)?;
    w.flush()?;
    let (len, crc) = (w.len, w.crc.finalize());
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&crc.to_le_bytes())?;
    out.flush()
}

/// The entries part: their count, their texts in one buffer, then a record each.
fn entries_table(index: &Index) -> std::io::Result<Vec<u8>> {
    let too_long = || std::io::Error::other("a subject's text is longer than 4 GiB");
    let len = |t: &str| u32::try_from(t.len()).ok().filter(|&l| l != ABSENT);
    let mut text = String::new();
    let mut table = Vec::with_capacity(index.entries.len() * ENTRY);
    for e in index.entries.iter() {
        let s = &e.subject;
        // The tier's id is the campaign's when the entry names a tier (that is how the
        // entry's tier was found), so only an unknown tier's is kept.
        let tier = if e.tier == u16::MAX {
            Some(s.tier.as_str())
        } else {
            None
        };
        let lens = [
            len(&s.id).ok_or_else(too_long)?,
            len(&s.name).ok_or_else(too_long)?,
            tier.map_or(Some(ABSENT), len).ok_or_else(too_long)?,
            s.parent
                .as_deref()
                .map_or(Some(ABSENT), len)
                .ok_or_else(too_long)?,
        ];
        for t in [
            Some(s.id.as_str()),
            Some(s.name.as_str()),
            tier,
            s.parent.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            text.push_str(t);
        }
        let date = s
            .registered_on
            .map_or(NO_DATE, |d| chrono::Datelike::num_days_from_ce(&d));
        table.extend_from_slice(&e.no.to_le_bytes());
        for l in lens {
            table.extend_from_slice(&l.to_le_bytes());
        }
        table.extend_from_slice(&date.to_le_bytes());
        table.extend_from_slice(&e.tier.to_le_bytes());
        table.extend_from_slice(&e.group.to_le_bytes());
        table.extend_from_slice(&e.parent.to_le_bytes());
        table.extend_from_slice(&e.first.to_le_bytes());
        for n in [e.width, e.decided, e.attention, e.explain] {
            table.extend_from_slice(&n.to_le_bytes());
        }
        table.push(u8::from(e.individual));
        table.push(outcome_code(e.outcome));
    }
    let mut out = Vec::with_capacity(16 + text.len() + table.len());
    out.extend_from_slice(&(index.entries.len() as u64).to_le_bytes());
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&table);
    Ok(out)
}

/// The journal head (sequence number, hash) a snapshot was made at, read from its first
/// bytes; `None` if they are not a snapshot's header.
pub fn made_at(start: &[u8]) -> Option<(u64, String)> {
    let (header, _): (Header, _) = postcard::take_from_bytes(start).ok()?;
    (header.magic == MAGIC && header.format == FORMAT).then_some((header.seq, header.hash))
}

/// Reads a part, naming it when it is damaged.
fn take<'a, T: Deserialize<'a>>(bytes: &'a [u8], what: &str) -> Result<(T, &'a [u8]), Refused> {
    postcard::take_from_bytes(bytes).map_err(|e| Refused::Damaged(format!("{what}: {e}")))
}

fn damaged(what: &str) -> Refused {
    Refused::Damaged(what.to_string())
}

/// Reads a snapshot made at journal head `head` from `campaign`; `initiatives` are the
/// store's. Refused when it is out of date (`Stale`) or not whole (`Damaged`).
pub fn read(
    bytes: &[u8],
    campaign: &Campaign,
    head: (u64, &str),
    initiatives: Vec<Initiative>,
) -> Result<Index, Refused> {
    let (header, rest): (Header, _) = take(bytes, "header")?;
    if header.magic != MAGIC {
        return Err(damaged("not an index snapshot"));
    }
    if header.format != FORMAT
        || header.seq != head.0
        || header.hash != head.1
        || header.campaign != campaign_digest(campaign)
    {
        return Err(Refused::Stale);
    }
    let (_, rest): (&[u8], _) = take(rest, "the campaign")?;
    body(rest, campaign, initiatives)
}

/// A snapshot decoded and checked in itself (its checksum, every part against the others,
/// against the campaign it carries) but not yet against the database: `check` does that.
pub struct Unchecked {
    seq: u64,
    hash: String,
    campaign: [u8; 32],
    index: Index,
}

/// Decodes a whole snapshot without the database, against the campaign it carries (whose
/// JSON must have the SHA-256 its header names). Refused when it is of another format
/// (`Stale`) or not whole (`Damaged`); whether it is current is `Unchecked::check`'s to say.
pub fn decode(bytes: &[u8]) -> Result<Unchecked, Refused> {
    let (header, rest): (Header, _) = take(bytes, "header")?;
    if header.magic != MAGIC {
        return Err(damaged("not an index snapshot"));
    }
    if header.format != FORMAT {
        return Err(Refused::Stale);
    }
    let (json, rest): (&[u8], _) = take(rest, "the campaign")?;
    if <[u8; 32]>::from(Sha256::digest(json)) != header.campaign {
        return Err(damaged("the campaign"));
    }
    let campaign: Campaign =
        serde_json::from_slice(json).map_err(|e| Refused::Damaged(format!("the campaign: {e}")))?;
    let index = body(rest, &campaign, Vec::new())?;
    Ok(Unchecked {
        seq: header.seq,
        hash: header.hash,
        campaign: header.campaign,
        index,
    })
}

impl Unchecked {
    /// The journal head the snapshot was made at.
    pub fn made_at(&self) -> (u64, &str) {
        (self.seq, &self.hash)
    }

    /// The index, if the snapshot was made at journal head `head` from `campaign` (the
    /// store's, as `read` checks them); `initiatives` are the store's. `Stale` otherwise.
    pub fn check(
        self,
        campaign: &Campaign,
        head: (u64, &str),
        initiatives: Vec<Initiative>,
    ) -> Result<Index, Refused> {
        if self.seq != head.0 || self.hash != head.1 || self.campaign != campaign_digest(campaign) {
            return Err(Refused::Stale);
        }
        let mut index = self.index;
        index.set_initiatives(initiatives);
        Ok(index)
    }
}

/// Decodes the body and trailer (what follows the header and the campaign).
fn body(rest: &[u8], campaign: &Campaign, initiatives: Vec<Initiative>) -> Result<Index, Refused> {
    let body_len = rest
        .len()
        .checked_sub(TRAILER)
        .ok_or_else(|| damaged("cut short"))?;
    let (body, trailer) = rest.split_at(body_len);
    let len = u64::from_le_bytes(trailer[..8].try_into().map_err(|_| damaged("trailer"))?);
    let crc = u32::from_le_bytes(trailer[8..].try_into().map_err(|_| damaged("trailer"))?);
    if len != body.len() as u64 || crc != crc32fast::hash(body) {
        return Err(damaged("checksum"));
    }
    let (entries_len, rest) = body
        .split_at_checked(8)
        .ok_or_else(|| damaged("cut short"))?;
    let entries_len = u64::from_le_bytes(entries_len.try_into().map_err(|_| damaged("entries"))?);
    let (entries_part, rest) = usize::try_from(entries_len)
        .ok()
        .and_then(|n| rest.split_at_checked(n))
        .ok_or_else(|| damaged("entries cut short"))?;
    // The entries (every subject's strings) are the larger half of the work: decoded on a
    // thread of their own while this one decodes the rest.
    std::thread::scope(|scope| {
        let entries = scope.spawn(|| decode_entries(entries_part, campaign));
        let rest = read_rest(rest, initiatives);
        let entries = entries
            .join()
            .map_err(|_| damaged("the entries"))
            .and_then(|e| e);
        match (entries, rest) {
            (Ok(entries), Ok(rest)) => finish(entries, rest, campaign),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    })
}

/// Reads fixed-width little-endian fields from the front of a byte slice.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        // Only called on a record whose length was checked, so the fields are there.
        let mut out = [0u8; N];
        if let Some(head) = self.take(N) {
            out.copy_from_slice(head);
        }
        out
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.array())
    }

    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.array())
    }

    /// A count of `size`-byte records and the records, checked to be all there.
    fn table(&mut self, size: usize, what: &str) -> Result<(usize, &'a [u8]), Refused> {
        let n = self
            .u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| damaged(what))?;
        let bytes = n
            .checked_mul(size)
            .and_then(|len| self.take(len))
            .ok_or_else(|| damaged(&format!("{what} cut short")))?;
        Ok((n, bytes))
    }
}

/// Decodes the entries part: the texts checked to be UTF-8 once, then each record read in
/// place and its texts cut from the buffer (every cut on a character boundary).
fn decode_entries(bytes: &[u8], campaign: &Campaign) -> Result<Vector<Entry>, Refused> {
    let mut part = Fields(bytes);
    let n = part
        .u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| damaged("the entries"))?;
    let text_len = part
        .u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| damaged("the entries"))?;
    let text = part
        .take(text_len)
        .ok_or_else(|| damaged("the subjects' text cut short"))?;
    let text = std::str::from_utf8(text).map_err(|_| damaged("the subjects' text"))?;
    let table = n
        .checked_mul(ENTRY)
        .and_then(|len| part.take(len))
        .ok_or_else(|| damaged("the entries cut short"))?;
    if !part.0.is_empty() {
        return Err(damaged("bytes after the entries"));
    }
    let mut at = 0usize;
    let mut cut = |len: u32| -> Result<&str, Refused> {
        let end = at
            .checked_add(len as usize)
            .ok_or_else(|| damaged("a subject's text"))?;
        let t = text
            .get(at..end)
            .ok_or_else(|| damaged("a subject's text"))?;
        at = end;
        Ok(t)
    };
    let mut entries = Vector::new();
    for record in table.chunks_exact(ENTRY) {
        let mut f = Fields(record);
        let no = f.u32();
        let [id, name, tier_id, parent_id] = [f.u32(), f.u32(), f.u32(), f.u32()];
        let date = i32::from_le_bytes(f.array());
        let tier = f.u16();
        let group = f.u16();
        let parent = f.u32();
        let first = f.u32();
        let [width, decided, attention, explain] = [f.u16(), f.u16(), f.u16(), f.u16()];
        let [individual, outcome] = f.array::<2>();
        let id = cut(id)?.to_owned();
        let name = cut(name)?.to_owned();
        let tier_id = if tier_id == ABSENT {
            campaign
                .tiers
                .get(usize::from(tier))
                .ok_or_else(|| damaged("an entry's tier"))?
                .id
                .clone()
        } else {
            cut(tier_id)?.to_owned()
        };
        let parent_id = if parent_id == ABSENT {
            None
        } else {
            Some(cut(parent_id)?.to_owned())
        };
        let registered_on = if date == NO_DATE {
            None
        } else {
            Some(
                NaiveDate::from_num_days_from_ce_opt(date)
                    .ok_or_else(|| damaged("a registration date"))?,
            )
        };
        entries.push_back(Entry {
            no,
            subject: Subject {
                id,
                name,
                tier: tier_id,
                parent: parent_id,
                registered_on,
            },
            tier,
            group,
            parent,
            individual: match individual {
                0 => false,
                1 => true,
                _ => return Err(damaged("an entry's kind")),
            },
            first,
            width,
            decided,
            attention,
            explain,
            outcome: outcome_of_code(outcome).ok_or_else(|| damaged("an outcome"))?,
        });
    }
    if at != text.len() {
        return Err(damaged("the subjects' text"));
    }
    Ok(entries)
}

/// Everything but the entries, decoded.
struct Rest {
    slots: Vector<Slot>,
    /// The sum of `slot_mark` over the decided slots.
    mark: u64,
    notes: Vec<(u32, String)>,
    claims: Vec<(u32, u32, u32, String)>,
    differs: Vec<u16>,
    reviewers: Vec<String>,
    by_id: Vec<u32>,
    totals: [u64; 6],
    collectives: Vec<u32>,
    individuals: Vec<u32>,
    search: (String, Vec<u32>, Vec<u32>),
    initiatives: Vec<Initiative>,
}

/// Decodes the parts after the entries.
fn read_rest(rest: &[u8], initiatives: Vec<Initiative>) -> Result<Rest, Refused> {
    let mut fields = Fields(rest);
    let (_, table) = fields.table(SLOT, "the slots")?;
    let rest = fields.0;
    let mut slots = Vector::new();
    let mut mark = 0u64;
    for (at, record) in table.chunks_exact(SLOT).enumerate() {
        let mut f = Fields(record);
        let version = u64::from_le_bytes(f.array());
        let at_ms = i64::from_le_bytes(f.array());
        let (score, meta) = (f.u32(), f.u32());
        let slot = Slot {
            version,
            at_ms,
            score,
            meta,
        };
        if slot.tag() != 0 {
            mark = mark.wrapping_add(slot_mark(at, version));
        }
        slots.push_back(slot);
    }
    let (notes, rest): (Vec<(u32, String)>, _) = take(rest, "notes")?;
    let (claims, rest): (Vec<(u32, u32, u32, String)>, _) = take(rest, "claims")?;
    let (differs, rest): (Vec<u16>, _) = take(rest, "differs")?;
    let (reviewers, rest): (Vec<String>, _) = take(rest, "reviewers")?;
    let (by_id, rest): (Vec<u32>, _) = take(rest, "id order")?;
    let (totals, rest): ([u64; 6], _) = take(rest, "totals")?;
    let (collectives, rest): (Vec<u32>, _) = take(rest, "collectives")?;
    let (individuals, rest): (Vec<u32>, _) = take(rest, "individuals")?;
    let (search, rest): ((String, Vec<u32>, Vec<u32>), _) = take(rest, "search text")?;
    if !rest.is_empty() {
        return Err(damaged("bytes after the last part"));
    }
    Ok(Rest {
        slots,
        mark,
        notes,
        claims,
        differs,
        reviewers,
        by_id,
        totals,
        collectives,
        individuals,
        search,
        initiatives,
    })
}

/// Checks the decoded parts against each other and makes the index of them.
fn finish(entries: Vector<Entry>, rest: Rest, campaign: &Campaign) -> Result<Index, Refused> {
    let Rest {
        slots,
        mark,
        notes,
        claims,
        differs,
        reviewers,
        by_id,
        totals,
        collectives,
        individuals,
        search: (text, starts, owners),
        initiatives,
    } = rest;

    // Every position must be in range before anything indexes with it.
    let n = entries.len();
    let slot_count = slots.len();
    let in_range = |i: u32| (i as usize) < n;
    let tiers = campaign.tiers.len();
    let groups = campaign.groups.len();
    let mut previous = None;
    for r in &entries {
        let sorted = previous.is_none_or(|p| p < r.no);
        let slots_fit = (r.first as usize)
            .checked_add(usize::from(r.width))
            .is_some_and(|end| end <= slot_count);
        let group_fits = r.group == u16::MAX
            || usize::from(r.group) < groups
                && campaign.groups[usize::from(r.group)].criteria.len() == usize::from(r.width);
        if !sorted
            || !slots_fit
            || !group_fits
            || (r.tier != u16::MAX && usize::from(r.tier) >= tiers)
            || (r.parent != u32::MAX && !in_range(r.parent))
        {
            return Err(damaged("an entry out of range"));
        }
        previous = Some(r.no);
    }
    if by_id.len() != n
        || !by_id.iter().all(|&i| in_range(i))
        || !collectives.iter().chain(&individuals).all(|&i| in_range(i))
        || !(differs.is_empty() || differs.len() == n)
        || notes.iter().any(|(at, _)| *at as usize >= slot_count)
        || claims.iter().any(|(at, tag, score, _)| {
            *at as usize >= slot_count || value_of(*tag, *score).is_none()
        })
    {
        return Err(damaged("a position out of range"));
    }
    let search = SearchText::from_parts(text, starts, owners, n)
        .ok_or_else(|| damaged("the search text"))?;

    let reviewer_numbers: HashMap<Box<str>, u32> = reviewers
        .iter()
        .enumerate()
        .map(|(k, r)| (Box::from(r.as_str()), k as u32))
        .collect();
    let [
        criteria,
        decided,
        qualified,
        not_qualified,
        incomplete,
        waiting,
    ] = totals;
    let mut index = Index {
        entries,
        slots,
        notes: notes.into_iter().map(|(at, t)| (at, t.into())).collect(),
        claims: claims
            .into_iter()
            .filter_map(|(at, tag, score, evidence)| {
                Some((
                    at,
                    Claim {
                        value: value_of(tag, score)?,
                        evidence,
                    },
                ))
            })
            .collect(),
        differs: Vector::from(differs),
        reviewers: reviewers.into_iter().map(Box::from).collect(),
        reviewer_numbers,
        by_id: by_id.into(),
        initiatives: Vector::new(),
        by_owner: HashMap::new(),
        initiative_by_id: HashMap::new(),
        totals: Totals {
            criteria,
            decided,
            qualified,
            not_qualified,
            incomplete,
            waiting,
        },
        collectives: collectives.into_iter().map(|i| i as usize).collect(),
        individuals: individuals.into_iter().map(|i| i as usize).collect(),
        search: std::sync::Arc::new(search),
        generation: 0,
        origin: next_origin(),
        mark,
        initiatives_mark: 0,
    };
    index.set_initiatives(initiatives);
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Verdict, VerdictValue};
    use crate::interchange::{campaign, roster};
    use chrono::{DateTime, Utc};

    fn sample() -> (Campaign, Index) {
        let campaign = campaign::sample();
        let subjects: Vec<(u32, Subject)> = roster::sample(&campaign)
            .expect("sample roster")
            .into_iter()
            .enumerate()
            .map(|(i, s)| (i as u32 + 1, s))
            .collect();
        let at = DateTime::<Utc>::from_timestamp_millis(1_630_000_000_123).expect("time");
        let verdicts = (1..200u32).map(|no| {
            (
                no,
                (no % 3) as u16,
                Verdict {
                    value: if no % 2 == 0 {
                        VerdictValue::Met
                    } else {
                        VerdictValue::NotMet
                    },
                    note: if no % 5 == 0 {
                        format!("ghi chú {no}")
                    } else {
                        String::new()
                    },
                    reviewer: ["an", "bình"][no as usize % 2].into(),
                    decided_at: at,
                    version: u64::from(no),
                },
            )
        });
        let index = Index::build(&campaign, subjects, verdicts, Vec::new());
        (campaign, index)
    }

    fn written(index: &Index, campaign: &Campaign, head: (u64, &str)) -> Vec<u8> {
        let mut bytes = Vec::new();
        write(index, campaign, head, &mut bytes).expect("write");
        bytes
    }

    #[test]
    fn a_snapshot_reads_back_the_same_index() {
        let (campaign, index) = sample();
        let bytes = written(&index, &campaign, (7, "abc"));
        let back = read(&bytes, &campaign, (7, "abc"), Vec::new()).expect("read back");
        assert_eq!(back.entries.len(), index.entries.len());
        assert_eq!(back.totals, index.totals);
        assert_eq!(back.mark, index.mark);
        assert_eq!(&*back.collectives, &*index.collectives);
        assert_eq!(&*back.individuals, &*index.individuals);
        for i in 0..index.entries.len() {
            let (a, b) = (&index.entries[i], &back.entries[i]);
            assert_eq!((&a.subject, a.no, a.decided), (&b.subject, b.no, b.decided));
            assert_eq!(a.outcome, b.outcome);
            for c in 0..usize::from(a.total()) {
                assert_eq!(
                    index.verdict(i, c).map(|v| v.to_verdict()),
                    back.verdict(i, c).map(|v| v.to_verdict())
                );
            }
            assert_eq!(back.of_id(&a.subject.id), Some(i));
        }
        assert_eq!(
            back.search.find("so noi vu"),
            index.search.find("so noi vu")
        );
        assert_ne!(back.origin, index.origin, "a read is a build of its own");
    }

    #[test]
    fn another_head_or_campaign_is_stale_and_damage_is_refused() {
        let (campaign, index) = sample();
        let bytes = written(&index, &campaign, (7, "abc"));
        assert_eq!(
            read(&bytes, &campaign, (8, "abc"), Vec::new()).err(),
            Some(Refused::Stale)
        );
        assert_eq!(
            read(&bytes, &campaign, (7, "abd"), Vec::new()).err(),
            Some(Refused::Stale)
        );
        let mut other = campaign.clone();
        other.title_vi.push('!');
        assert_eq!(
            read(&bytes, &other, (7, "abc"), Vec::new()).err(),
            Some(Refused::Stale)
        );
        for at in [bytes.len() / 2, bytes.len() - 3] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x40;
            assert!(matches!(
                read(&bad, &campaign, (7, "abc"), Vec::new()),
                Err(Refused::Damaged(_))
            ));
        }
        assert!(matches!(
            read(
                &bytes[..bytes.len() - 20],
                &campaign,
                (7, "abc"),
                Vec::new()
            ),
            Err(Refused::Damaged(_))
        ));
        assert!(matches!(
            read(b"not a snapshot at all", &campaign, (7, "abc"), Vec::new()),
            Err(Refused::Damaged(_))
        ));
    }

    /// Where the body starts: after the header and the campaign's JSON.
    fn body_start(bytes: &[u8]) -> usize {
        let (_, rest): (Header, _) = postcard::take_from_bytes(bytes).expect("header");
        let (_, rest): (&[u8], _) = postcard::take_from_bytes(rest).expect("campaign");
        bytes.len() - rest.len()
    }

    #[test]
    fn a_snapshot_decoded_before_the_open_is_checked_like_a_read() {
        let (campaign, index) = sample();
        let bytes = written(&index, &campaign, (7, "abc"));
        let decoded = decode(&bytes).expect("decoded without the store");
        assert_eq!(decoded.made_at(), (7, "abc"));
        let back = decoded
            .check(&campaign, (7, "abc"), Vec::new())
            .expect("current");
        let read_back = read(&bytes, &campaign, (7, "abc"), Vec::new()).expect("read");
        assert_eq!(back.entries.len(), index.entries.len());
        assert_eq!((back.totals, back.mark), (read_back.totals, read_back.mark));
        for i in 0..index.entries.len() {
            assert_eq!(back.entries[i].subject, read_back.entries[i].subject);
        }
        // Another head or campaign: stale, as for a read.
        for head in [(8, "abc"), (7, "abd")] {
            let stale = decode(&bytes)
                .expect("decoded")
                .check(&campaign, head, Vec::new());
            assert_eq!(stale.err(), Some(Refused::Stale));
        }
        let mut other = campaign.clone();
        other.title_vi.push('!');
        let stale = decode(&bytes)
            .expect("decoded")
            .check(&other, (7, "abc"), Vec::new());
        assert_eq!(stale.err(), Some(Refused::Stale));
    }

    #[test]
    fn a_carried_campaign_that_does_not_match_its_fingerprint_is_refused() {
        let (campaign, index) = sample();
        let bytes = written(&index, &campaign, (7, "abc"));
        let (_, rest): (Header, _) = postcard::take_from_bytes(&bytes).expect("header");
        let json_at = bytes.len() - rest.len() + 4;
        let mut bad = bytes.clone();
        // Inside the campaign's JSON (past its length), outside the body's checksum.
        bad[json_at + 10] ^= 0x01;
        assert!(matches!(decode(&bad), Err(Refused::Damaged(_))));
        for at in [bytes.len() / 2, bytes.len() - 3] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x40;
            assert!(matches!(decode(&bad), Err(Refused::Damaged(_))));
        }
        assert!(matches!(
            decode(&bytes[..bytes.len() - 20]),
            Err(Refused::Damaged(_))
        ));
        assert!(matches!(
            decode(b"not a snapshot at all"),
            Err(Refused::Damaged(_))
        ));
    }

    /// Rewrites the trailer of a snapshot whose body was changed, so only the change is wrong.
    fn resummed(mut bytes: Vec<u8>) -> Vec<u8> {
        let start = body_start(&bytes);
        let end = bytes.len() - TRAILER;
        let crc = crc32fast::hash(&bytes[start..end]);
        let len = (end - start) as u64;
        bytes[end..end + 8].copy_from_slice(&len.to_le_bytes());
        bytes[end + 8..].copy_from_slice(&crc.to_le_bytes());
        bytes
    }

    #[test]
    fn a_snapshot_of_another_format_is_stale() {
        let (campaign, index) = sample();
        let bytes = written(&index, &campaign, (7, "abc"));
        let (mut header, rest): (Header, _) = postcard::take_from_bytes(&bytes).expect("header");
        let rest = rest.to_vec();
        header.format = 2;
        let mut old = postcard::to_stdvec(&header).expect("header");
        old.extend_from_slice(&rest);
        assert_eq!(made_at(&old), None);
        assert_eq!(
            read(&old, &campaign, (7, "abc"), Vec::new()).err(),
            Some(Refused::Stale)
        );
    }

    #[test]
    fn a_record_out_of_its_buffer_is_refused_even_with_a_good_checksum() {
        let (campaign, index) = sample();
        let bytes = written(&index, &campaign, (7, "abc"));
        let body = body_start(&bytes);
        // The body starts with the entries part's length, its count and its text's length.
        let text_len = u64::from_le_bytes(bytes[body + 16..body + 24].try_into().expect("len"));
        let table = body + 24 + text_len as usize;
        let refused = |at: usize, value: &[u8]| {
            let mut bad = bytes.clone();
            bad[at..at + value.len()].copy_from_slice(value);
            let bad = resummed(bad);
            assert!(
                matches!(
                    read(&bad, &campaign, (7, "abc"), Vec::new()),
                    Err(Refused::Damaged(_))
                ),
                "a change at {at} was not refused"
            );
        };
        // The first entry's id running past the buffer, then cut inside a character.
        refused(table + 4, &(text_len as u32 + 1).to_le_bytes());
        let first_name = index.entries[0].subject.name.as_str();
        let inside = first_name
            .char_indices()
            .find(|(_, c)| c.len_utf8() > 1)
            .map(|(k, _)| k + 1)
            .expect("a Vietnamese name has a letter of more than one byte");
        let id_len = index.entries[0].subject.id.len() as u32;
        refused(table + 4, &(id_len + inside as u32).to_le_bytes());
        // An unknown outcome, an unknown kind, an undecodable date.
        refused(table + ENTRY - 1, &[9]);
        refused(table + ENTRY - 2, &[7]);
        refused(table + 20, &(i32::MAX).to_le_bytes());
        // The count of entries larger than the table.
        refused(body + 8, &(u64::MAX / 2).to_le_bytes());
        // And the untouched bytes, resummed, still read.
        assert!(read(&resummed(bytes.clone()), &campaign, (7, "abc"), Vec::new()).is_ok());
    }
}
