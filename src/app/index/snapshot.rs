//! The index as a file, so a large review opens without scanning every subject and verdict:
//! written beside the database after a clean build, read back only when it was made at the
//! journal's current head (sequence number and hash) from the same campaign, and otherwise
//! ignored (the caller builds afresh and writes a new one).
//!
//! The format is postcard (serde) in parts written one after another: a header (a magic
//! word, the format number, the head, the campaign's SHA-256), then the index's vectors (the
//! entries first, behind their length as 8 bytes little-endian, so they are decoded on a
//! thread of their own beside the rest), then a fixed trailer: the body's length and CRC-32,
//! little-endian. The header is checked before
//! anything else is read, the trailer before the body is decoded, and the decoded parts are
//! checked against each other (every position in range, the search text's offsets on
//! character boundaries), so a damaged or foreign file is refused, never trusted. Initiatives
//! are not kept: they are few and read from the store each time.

use std::io::Write;

use chrono::NaiveDate;
use imbl::{HashMap, Vector};
use serde::{Deserialize, Serialize, Serializer, ser::SerializeSeq};
use sha2::{Digest, Sha256};

use super::{Entry, Index, SearchText, Slot, Totals, next_origin, slot_mark, tag_of, value_of};
use crate::domain::{Campaign, Claim, Initiative, Outcome, Subject};

const MAGIC: [u8; 8] = *b"THIDUAIX";
/// Changes whenever what is written changes.
const FORMAT: u32 = 2;
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

/// One entry as written (the subject's fields, then the entry's own).
#[derive(Serialize, Deserialize)]
struct EntryRec<S> {
    no: u32,
    id: S,
    name: S,
    tier_id: S,
    parent_id: Option<S>,
    /// Days from the Common Era.
    registered_on: Option<i32>,
    tier: u16,
    group: u16,
    parent: u32,
    individual: bool,
    first: u32,
    width: u16,
    decided: u16,
    attention: u16,
    explain: u16,
    outcome: u8,
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

/// The campaign's fingerprint: SHA-256 of its JSON.
fn campaign_digest(campaign: &Campaign) -> [u8; 32] {
    let json = serde_json::to_vec(campaign).unwrap_or_default();
    Sha256::digest(&json).into()
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
    let header = Header {
        magic: MAGIC,
        format: FORMAT,
        seq: head.0,
        hash: head.1.to_string(),
        campaign: campaign_digest(campaign),
    };
    let mut out = put(&header, out)?;
    let w = Summing {
        inner: &mut out,
        len: 0,
        crc: crc32fast::Hasher::new(),
    };
    let entries = Each::new(
        index.entries.len(),
        index.entries.iter().map(|e| EntryRec {
            no: e.no,
            id: e.subject.id.as_str(),
            name: e.subject.name.as_str(),
            tier_id: e.subject.tier.as_str(),
            parent_id: e.subject.parent.as_deref(),
            registered_on: e
                .subject
                .registered_on
                .map(|d| chrono::Datelike::num_days_from_ce(&d)),
            tier: e.tier,
            group: e.group,
            parent: e.parent,
            individual: e.individual,
            first: e.first,
            width: e.width,
            decided: e.decided,
            attention: e.attention,
            explain: e.explain,
            outcome: outcome_code(e.outcome),
        }),
    );
    let entries = postcard::to_stdvec(&entries).map_err(std::io::Error::other)?;
    let mut w = w;
    w.write_all(&(entries.len() as u64).to_le_bytes())?;
    w.write_all(&entries)?;
    drop(entries);
    let slots = Each::new(
        index.slots.len(),
        index
            .slots
            .iter()
            .map(|s| (s.version, s.at_ms, s.score, s.meta)),
    );
    let w = put(&slots, w)?;
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
        let entries = scope.spawn(|| decode_entries(entries_part));
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

/// Decodes the entries part.
fn decode_entries(bytes: &[u8]) -> Result<Vector<Entry>, Refused> {
    let recs: Vec<EntryRec<String>> =
        postcard::from_bytes(bytes).map_err(|e| Refused::Damaged(format!("entries: {e}")))?;
    recs.into_iter()
        .map(|r| {
            Ok(Entry {
                no: r.no,
                subject: Subject {
                    id: r.id,
                    name: r.name,
                    tier: r.tier_id,
                    parent: r.parent_id,
                    registered_on: r
                        .registered_on
                        .and_then(NaiveDate::from_num_days_from_ce_opt),
                },
                tier: r.tier,
                group: r.group,
                parent: r.parent,
                individual: r.individual,
                first: r.first,
                width: r.width,
                decided: r.decided,
                attention: r.attention,
                explain: r.explain,
                outcome: outcome_of_code(r.outcome).ok_or_else(|| damaged("an outcome"))?,
            })
        })
        .collect()
}

/// Everything but the entries, decoded.
struct Rest {
    slots: Vec<(u64, i64, u32, u32)>,
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
    let (slots, rest): (Vec<(u64, i64, u32, u32)>, _) = take(rest, "slots")?;
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

    let mut mark = 0u64;
    let slots: Vector<Slot> = slots
        .into_iter()
        .enumerate()
        .map(|(at, (version, at_ms, score, meta))| {
            let s = Slot {
                version,
                at_ms,
                score,
                meta,
            };
            if s.tag() != 0 {
                mark = mark.wrapping_add(slot_mark(at, version));
            }
            s
        })
        .collect();
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
}
