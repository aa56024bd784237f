//! Precomputed facts about every subject, kept current one verdict at a time: its group, its
//! place in the display order, its verdicts, progress, outcome and folded search text (one
//! buffer for all, see `search_text`), plus the campaign-wide totals. Built once in O(n),
//! streamed from the store (`IndexBuilder`); a saved or external change costs O(criteria), so
//! province-scale rosters (hundreds of thousands of subjects) stay smooth.
//!
//! Memory is what limits scale here, so verdicts are not kept as `Verdict`s: every criterion
//! slot of every subject is one 24-byte `Slot` in a single vector, reviewers are interned, and
//! the few notes live in a map beside it. Subjects are found by number and by id with binary
//! searches over the entries (kept in number order) instead of maps holding a second copy of
//! every id.
//!
//! One index serves every console of a server. Its vectors and maps are persistent (`imbl`:
//! trees of 64-element chunks behind reference counts), and what never changes after a build
//! (the id order, the display order, the search text) sits behind an `Arc`: cloning an index
//! costs a few pointers, and a change copies only the chunks on its path (a few KiB), so every
//! console holds a clone of the server's current version and pays only for its view state.
//! `Index::share` lets a console that applied a change itself go back to the shared version
//! once that holds the same content.

mod search_text;
pub mod snapshot;

use std::collections::HashMap as StdMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use imbl::{HashMap, Vector};

pub use search_text::SearchText;

use crate::domain::review::Row;
use crate::domain::{
    Campaign, Claim, Initiative, Outcome, Subject, Verdict, VerdictRef, VerdictValue, outcome_of,
};

/// One subject with everything the console shows about it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub no: u32,
    pub subject: Subject,
    /// Index of the subject's tier in the campaign (`u16::MAX` for an unknown tier).
    tier: u16,
    /// Index of the criteria group in the campaign (`u16::MAX` for none).
    group: u16,
    /// Index of the parent's entry (`u32::MAX` for none).
    parent: u32,
    pub individual: bool,
    /// Where this subject's criteria start in the index's slots.
    first: u32,
    /// How many criteria the subject's group has.
    width: u16,
    pub decided: u16,
    /// Criteria decided not met or needing explanation.
    pub attention: u16,
    /// Criteria waiting for the subject's explanation (Cần giải trình).
    pub explain: u16,
    pub outcome: Outcome,
}

impl Entry {
    /// Index of the subject's tier in the campaign (`usize::MAX` for an unknown tier).
    pub fn tier(&self) -> usize {
        if self.tier == u16::MAX {
            usize::MAX
        } else {
            usize::from(self.tier)
        }
    }

    /// Index of the criteria group in the campaign, if the tier names one.
    pub fn group(&self) -> Option<usize> {
        (self.group != u16::MAX).then_some(usize::from(self.group))
    }

    /// Index of the parent's entry.
    pub fn parent(&self) -> Option<usize> {
        (self.parent != u32::MAX).then_some(self.parent as usize)
    }

    pub fn total(&self) -> u16 {
        self.width
    }

    pub fn has_pending(&self) -> bool {
        self.decided < self.total()
    }

    /// Whether some criterion waits for the subject's explanation.
    pub fn is_waiting(&self) -> bool {
        self.explain > 0
    }

    /// Whether the subject still needs the reviewer: a criterion pending or waiting for an
    /// explanation (where `]` and `[` stop).
    pub fn needs_work(&self) -> bool {
        self.has_pending() || self.is_waiting()
    }

    /// Criteria settled: decided, and not waiting for an explanation.
    pub fn settled(&self) -> u16 {
        self.decided.saturating_sub(self.explain)
    }
}

/// One criterion of one subject as the index keeps it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Slot {
    version: u64,
    /// When it was decided, in milliseconds since the Unix epoch.
    at_ms: i64,
    /// The score of a `Score` value, in hundredths of a point.
    score: u32,
    /// Bits 0–2: the value (0 when never decided); bit 3: a note is kept in `notes`;
    /// bits 4–31: the reviewer's number in `reviewers`.
    meta: u32,
}

impl Slot {
    const HAS_NOTE: u32 = 1 << 3;
    /// The largest reviewer number a slot can hold; it stands for "no name kept".
    const MAX_REVIEWER: u32 = (1 << 28) - 1;

    fn tag(self) -> u32 {
        self.meta & 0b111
    }

    fn value(self) -> Option<VerdictValue> {
        value_of(self.tag(), self.score)
    }

    fn reviewer(self) -> usize {
        (self.meta >> 4) as usize
    }

    fn new(v: &VerdictRef<'_>, reviewer: u32) -> Slot {
        let (tag, score) = tag_of(v.value);
        let note = if v.note.is_empty() { 0 } else { Self::HAS_NOTE };
        Slot {
            version: v.version,
            at_ms: v.decided_at.timestamp_millis(),
            score,
            meta: tag | note | (reviewer.min(Self::MAX_REVIEWER) << 4),
        }
    }
}

/// A value as a tag (1–5) and a score in hundredths (0 but for scores).
fn tag_of(value: VerdictValue) -> (u32, u32) {
    match value {
        VerdictValue::Pending => (1, 0),
        VerdictValue::Met => (2, 0),
        VerdictValue::NotMet => (3, 0),
        VerdictValue::NeedsExplanation => (4, 0),
        VerdictValue::Score(s) => (5, s.hundredths()),
    }
}

/// The value of a tag and score (`None` for 0, never decided, or an unknown tag).
fn value_of(tag: u32, score: u32) -> Option<VerdictValue> {
    Some(match tag {
        1 => VerdictValue::Pending,
        2 => VerdictValue::Met,
        3 => VerdictValue::NotMet,
        4 => VerdictValue::NeedsExplanation,
        5 => VerdictValue::Score(crate::domain::Points::from_hundredths(score)),
        _ => return None,
    })
}

/// Mixes a number into 64 well-spread bits (SplitMix64's finaliser).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// What a decided slot adds to the content mark: its place and version.
fn slot_mark(at: usize, version: u64) -> u64 {
    mix(mix(at as u64) ^ version)
}

/// What an initiative adds to the content mark: its id and version.
fn initiative_mark(id: &str, version: u64) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325u64;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(mix(h) ^ version)
}

/// Each build of an index gets a number of its own, so two builds are never taken for one.
fn next_origin() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Campaign-wide counts for the progress bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub criteria: u64,
    pub decided: u64,
    pub qualified: u64,
    pub not_qualified: u64,
    pub incomplete: u64,
    /// Subjects with a criterion waiting for an explanation.
    pub waiting: u64,
}

impl Totals {
    fn count(&mut self, outcome: Outcome, delta: i64) {
        let slot = match outcome {
            Outcome::Qualified => &mut self.qualified,
            Outcome::NotQualified => &mut self.not_qualified,
            Outcome::Incomplete => &mut self.incomplete,
        };
        *slot = slot.saturating_add_signed(delta);
    }
}

/// Which subjects a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// Tập thể.
    #[default]
    Collectives,
    /// Cá nhân.
    Individuals,
}

/// All subjects and initiatives with their derived facts.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// In subject number order (`of_no` searches it).
    pub entries: Vector<Entry>,
    /// Every criterion slot of every subject, `Entry::first` onwards.
    slots: Vector<Slot>,
    /// The notes of the slots that have one, by slot position.
    notes: HashMap<u32, Box<str>>,
    /// The self-assessment claims (tự đánh giá) of the slots that have one, by slot position.
    claims: HashMap<u32, Claim>,
    /// Per entry, the claimed criteria whose verdict is not the claim (undecided included);
    /// empty while no subject has a claim, so a review without claims pays nothing (an
    /// `Entry` field would have grown every entry past 128 bytes).
    differs: Vector<u16>,
    /// Reviewer names, numbered in the order first seen.
    reviewers: Vector<Box<str>>,
    reviewer_numbers: HashMap<Box<str>, u32>,
    /// Entry positions in id order, for `of_id`.
    by_id: Arc<[u32]>,
    pub initiatives: Vector<Initiative>,
    by_owner: HashMap<String, Vec<usize>>,
    initiative_by_id: HashMap<String, usize>,
    pub totals: Totals,
    /// Display order of collectives (by tier, then parent, then roster) and individuals (by unit).
    pub collectives: Arc<[usize]>,
    pub individuals: Arc<[usize]>,
    /// Folded name and id of every subject, in the display order above, for search.
    pub search: Arc<SearchText>,
    /// Counts the changes to verdicts, so lists filtered on them know when they are stale.
    pub generation: u64,
    /// The build this index comes from (see `share`).
    origin: u64,
    /// The sum of `slot_mark` over every decided slot: two indexes of one build with equal
    /// marks hold the same verdicts.
    mark: u64,
    /// The same over the initiatives (`initiative_mark`).
    initiatives_mark: u64,
}

/// The index's vectors and maps while they are built (plain, owned by one thread).
#[derive(Debug, Default)]
struct Parts {
    entries: Vec<Entry>,
    slots: Vec<Slot>,
    notes: StdMap<u32, Box<str>>,
    claims: StdMap<u32, Claim>,
    reviewers: Vec<Box<str>>,
    reviewer_numbers: StdMap<Box<str>, u32>,
    by_id: Vec<u32>,
}

impl Parts {
    fn of_no(&self, no: u32) -> Option<usize> {
        self.entries.binary_search_by_key(&no, |e| e.no).ok()
    }

    fn slot_at(&self, i: usize, c: usize) -> Option<usize> {
        let e = self.entries.get(i)?;
        (c < usize::from(e.width)).then(|| e.first as usize + c)
    }

    fn reviewer_number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.reviewer_numbers.get(name) {
            return n;
        }
        match u32::try_from(self.reviewers.len()) {
            Ok(n) if n < Slot::MAX_REVIEWER => {
                self.reviewers.push(name.into());
                self.reviewer_numbers.insert(name.into(), n);
                n
            }
            // Beyond 268 million names a slot shows no reviewer rather than a wrong one.
            _ => Slot::MAX_REVIEWER,
        }
    }

    fn set_slot(&mut self, i: usize, c: usize, v: &VerdictRef<'_>) {
        let Some(at) = self.slot_at(i, c) else {
            return;
        };
        let reviewer = self.reviewer_number(v.reviewer);
        self.slots[at] = Slot::new(v, reviewer);
        if v.note.is_empty() {
            self.notes.remove(&(at as u32));
        } else {
            self.notes.insert(at as u32, v.note.into());
        }
    }

    /// Counts every entry's progress and outcome, orders the lists, builds the search buffer
    /// and makes the shared index.
    fn finish(mut self, campaign: &Campaign, initiatives: Vec<Initiative>) -> Index {
        let mut totals = Totals::default();
        let mut differs = if self.claims.is_empty() {
            Vec::new()
        } else {
            vec![0u16; self.entries.len()]
        };
        let mut values = Vec::new();
        for i in 0..self.entries.len() {
            let e = &self.entries[i];
            let start = e.first as usize;
            values.clear();
            values.extend(
                self.slots[start..start + usize::from(e.width)]
                    .iter()
                    .map(|s| s.value().unwrap_or(VerdictValue::Pending)),
            );
            let claims = &self.claims;
            let t = tally(campaign, e.group(), &values, |c, v| {
                claims
                    .get(&((start + c) as u32))
                    .is_some_and(|claim| claim.value != v)
            });
            if let Some(d) = differs.get_mut(i) {
                *d = t.differs;
            }
            let e = &mut self.entries[i];
            t.put(e);
            totals.criteria += u64::from(e.total());
            totals.decided += u64::from(e.decided);
            totals.waiting += u64::from(e.is_waiting());
            totals.count(e.outcome, 1);
        }
        let (collectives, individuals) = order(&self.entries);
        let entries = &self.entries;
        let search = SearchText::build(collectives.iter().chain(individuals.iter()).map(|&i| {
            let s = &entries[i].subject;
            let mut folded = crate::text::fold(&s.name);
            folded.push(' ');
            folded.push_str(&crate::text::fold(&s.id));
            (i, folded)
        }));
        self.assemble(
            totals,
            differs,
            collectives,
            individuals,
            search,
            initiatives,
        )
    }

    /// Makes the shared index of counted parts.
    fn assemble(
        self,
        totals: Totals,
        differs: Vec<u16>,
        collectives: Vec<usize>,
        individuals: Vec<usize>,
        search: SearchText,
        initiatives: Vec<Initiative>,
    ) -> Index {
        let mark = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.tag() != 0)
            .fold(0u64, |m, (at, s)| m.wrapping_add(slot_mark(at, s.version)));
        let mut index = Index {
            entries: Vector::from(self.entries),
            slots: Vector::from(self.slots),
            notes: self.notes.into_iter().collect(),
            claims: self.claims.into_iter().collect(),
            differs: Vector::from(differs),
            reviewers: Vector::from(self.reviewers),
            reviewer_numbers: self.reviewer_numbers.into_iter().collect(),
            by_id: self.by_id.into(),
            initiatives: Vector::new(),
            by_owner: HashMap::new(),
            initiative_by_id: HashMap::new(),
            totals,
            collectives: collectives.into(),
            individuals: individuals.into(),
            search: Arc::new(search),
            generation: 0,
            origin: next_origin(),
            mark,
            initiatives_mark: 0,
        };
        index.set_initiatives(initiatives);
        index
    }
}

/// One entry's counts, from its criteria's values.
struct Tally {
    decided: u16,
    attention: u16,
    explain: u16,
    differs: u16,
    outcome: Outcome,
}

impl Tally {
    fn put(&self, e: &mut Entry) {
        e.decided = self.decided;
        e.attention = self.attention;
        e.explain = self.explain;
        e.outcome = self.outcome;
    }
}

/// Counts the values of one subject's criteria; `differs(c, value)` says whether criterion
/// `c` has a claim other than `value`.
fn tally(
    campaign: &Campaign,
    group: Option<usize>,
    values: &[VerdictValue],
    differs: impl Fn(usize, VerdictValue) -> bool,
) -> Tally {
    let count = |f: &dyn Fn(&VerdictValue) -> bool| values.iter().filter(|v| f(v)).count() as u16;
    Tally {
        decided: count(&|v| v.is_decided()),
        attention: count(&|v| v.wants_reason()),
        explain: count(&|v| *v == VerdictValue::NeedsExplanation),
        differs: values
            .iter()
            .enumerate()
            .filter(|(c, v)| differs(*c, **v))
            .count() as u16,
        outcome: match group {
            Some(g) => outcome_of(&campaign.groups[g], values),
            None => Outcome::Incomplete,
        },
    }
}

/// The display order of collectives (by tier, then parent, then roster) and of individuals
/// (by their unit's place among the collectives).
fn order(entries: &[Entry]) -> (Vec<usize>, Vec<usize>) {
    let mut collectives: Vec<usize> = (0..entries.len())
        .filter(|&i| !entries[i].individual)
        .collect();
    collectives.sort_by_key(|&i| {
        let e = &entries[i];
        (e.tier, e.parent().unwrap_or(0), i)
    });
    let mut position = vec![usize::MAX; entries.len()];
    for (p, &i) in collectives.iter().enumerate() {
        position[i] = p;
    }
    let mut individuals: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].individual)
        .collect();
    individuals.sort_by_key(|&i| (entries[i].parent().map_or(usize::MAX, |p| position[p]), i));
    (collectives, individuals)
}

/// Builds an `Index` from streams of subjects, then verdicts, so a caller reading them from
/// the store never holds them all at once: first every subject (`subject`), then every
/// verdict (`verdict`), then `finish`.
pub struct IndexBuilder<'c> {
    campaign: &'c Campaign,
    parts: Parts,
    /// The subjects are all in: slots, id order and parents are set.
    sealed: bool,
    /// The entry of the last verdict recorded.
    last: usize,
}

impl<'c> IndexBuilder<'c> {
    /// Starts an index; `subjects` is how many subjects are expected (a capacity hint).
    pub fn new(campaign: &'c Campaign, subjects: usize) -> IndexBuilder<'c> {
        IndexBuilder {
            campaign,
            parts: Parts {
                entries: Vec::with_capacity(subjects),
                ..Parts::default()
            },
            sealed: false,
            last: 0,
        }
    }

    /// Adds a subject with its number; subjects after the first verdict are ignored.
    pub fn subject(&mut self, no: u32, subject: Subject) {
        if self.sealed {
            return;
        }
        let campaign = self.campaign;
        let tier = campaign
            .tiers
            .iter()
            .position(|t| t.id == subject.tier)
            .and_then(|t| u16::try_from(t).ok())
            .filter(|&t| t != u16::MAX)
            .unwrap_or(u16::MAX);
        let group = campaign
            .tier(&subject.tier)
            .and_then(|t| campaign.groups.iter().position(|g| g.id == t.group))
            .and_then(|g| u16::try_from(g).ok())
            .filter(|&g| g != u16::MAX);
        let width = group.map_or(0, |g| campaign.groups[usize::from(g)].criteria.len());
        self.parts.entries.push(Entry {
            no,
            individual: campaign.is_individual_tier(&subject.tier),
            subject,
            tier,
            group: group.unwrap_or(u16::MAX),
            parent: u32::MAX,
            first: 0,
            width: u16::try_from(width).unwrap_or(u16::MAX),
            decided: 0,
            attention: 0,
            explain: 0,
            outcome: Outcome::Incomplete,
        });
    }

    /// Puts the entries in number order and sets out their slots, the id order and parents.
    fn seal(&mut self) {
        if self.sealed {
            return;
        }
        self.sealed = true;
        let parts = &mut self.parts;
        if !parts.entries.is_sorted_by_key(|e| e.no) {
            parts.entries.sort_by_key(|e| e.no);
        }
        // Two subjects with one number would make `of_no` ambiguous; the store never has
        // them, and the first is kept should a caller pass them.
        parts.entries.dedup_by_key(|e| e.no);
        let mut slots = 0usize;
        for e in &mut parts.entries {
            e.first = u32::try_from(slots).unwrap_or(u32::MAX);
            slots += usize::from(e.width);
        }
        parts.slots = vec![Slot::default(); slots];
        // Sorting (id, position) pairs rather than positions keeps the comparisons in one
        // array instead of chasing every entry.
        let mut ids: Vec<(&str, u32)> = parts
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.subject.id.as_str(), i as u32))
            .collect();
        ids.sort_unstable();
        // Many subjects share a parent (a unit's civil servants): each distinct parent id is
        // looked up once.
        let mut parents: StdMap<&str, u32> = StdMap::new();
        let found: Vec<u32> = parts
            .entries
            .iter()
            .map(|e| {
                let Some(p) = e.subject.parent.as_deref() else {
                    return u32::MAX;
                };
                *parents.entry(p).or_insert_with(|| {
                    ids.binary_search_by(|(id, _)| id.cmp(&p))
                        .map_or(u32::MAX, |k| ids[k].1)
                })
            })
            .collect();
        let by_id = ids.into_iter().map(|(_, i)| i).collect();
        drop(parents);
        parts.by_id = by_id;
        for (e, parent) in parts.entries.iter_mut().zip(found) {
            e.parent = parent;
        }
    }

    /// Records a stored verdict; one of an unknown subject or criterion is ignored.
    pub fn verdict(&mut self, no: u32, criterion: u16, verdict: VerdictRef<'_>) {
        self.seal();
        // The store streams verdicts in subject number order, as the entries are kept: the
        // entry is the last one or a later neighbour far more often than not.
        let entries = &self.parts.entries;
        let near = (self.last..entries.len().min(self.last + 2)).find(|&i| entries[i].no == no);
        if let Some(i) = near.or_else(|| self.parts.of_no(no)) {
            self.last = i;
            self.parts.set_slot(i, usize::from(criterion), &verdict);
        }
    }

    /// Records a stored self-assessment claim (after the verdicts); one of an unknown subject
    /// or criterion is ignored.
    pub fn claim(&mut self, no: u32, criterion: u16, claim: Claim) {
        self.seal();
        if let Some(at) = self
            .parts
            .of_no(no)
            .and_then(|i| self.parts.slot_at(i, usize::from(criterion)))
        {
            self.parts.claims.insert(at as u32, claim);
        }
    }

    /// Counts progress and outcomes, orders the lists and builds the search buffer.
    pub fn finish(mut self, initiatives: Vec<Initiative>) -> Index {
        self.seal();
        self.parts.finish(self.campaign, initiatives)
    }
}

impl Index {
    /// Builds the index in O(subjects + verdicts + initiatives) from collected vectors.
    pub fn build(
        campaign: &Campaign,
        subjects: Vec<(u32, Subject)>,
        verdicts: impl IntoIterator<Item = (u32, u16, Verdict)>,
        initiatives: impl IntoIterator<Item = Initiative>,
    ) -> Index {
        let mut builder = IndexBuilder::new(campaign, subjects.len());
        for (no, subject) in subjects {
            builder.subject(no, subject);
        }
        for (no, criterion, verdict) in verdicts {
            builder.verdict(no, criterion, verdict.as_ref());
        }
        builder.finish(initiatives.into_iter().collect())
    }

    /// Takes `other`'s storage when it holds the same content: the same build with the same
    /// verdicts and initiatives (what a console holds after applying a change the server's
    /// index has applied too). Nothing visible changes; the memory the console's own copies
    /// of changed chunks took is given back. This index's `generation` is kept. Returns
    /// whether it was taken.
    pub fn share(&mut self, other: &Index) -> bool {
        let same = self.origin == other.origin
            && self.mark == other.mark
            && self.initiatives_mark == other.initiatives_mark
            && self.totals == other.totals
            && self.notes.len() == other.notes.len()
            && self.initiatives.len() == other.initiatives.len();
        if same && !self.shares_storage_with(other) {
            let generation = self.generation;
            *self = other.clone();
            self.generation = generation;
        }
        same
    }

    /// Whether this index and `other` come from one build (one is the other with changes
    /// applied): only then can they share (`share`).
    pub fn same_build(&self, other: &Index) -> bool {
        self.origin == other.origin
    }

    /// Whether this index and `other` are one version: their vectors are the same memory.
    pub fn shares_storage_with(&self, other: &Index) -> bool {
        self.entries.ptr_eq(&other.entries)
            && self.slots.ptr_eq(&other.slots)
            && self.initiatives.ptr_eq(&other.initiatives)
            && self.notes.ptr_eq(&other.notes)
            && Arc::ptr_eq(&self.search, &other.search)
    }

    /// The number a reviewer's name is kept under, taking the next one for a new name.
    fn reviewer_number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.reviewer_numbers.get(name) {
            return n;
        }
        match u32::try_from(self.reviewers.len()) {
            Ok(n) if n < Slot::MAX_REVIEWER => {
                self.reviewers.push_back(name.into());
                self.reviewer_numbers.insert(name.into(), n);
                n
            }
            // Beyond 268 million names a slot shows no reviewer rather than a wrong one.
            _ => Slot::MAX_REVIEWER,
        }
    }

    /// The position in `slots` of criterion `c` of entry `i`.
    fn slot_at(&self, i: usize, c: usize) -> Option<usize> {
        let e = self.entries.get(i)?;
        (c < usize::from(e.width)).then(|| e.first as usize + c)
    }

    fn set_slot(&mut self, i: usize, c: usize, v: &VerdictRef<'_>) {
        let Some(at) = self.slot_at(i, c) else {
            return;
        };
        let reviewer = self.reviewer_number(v.reviewer);
        let old = self.slots.set(at, Slot::new(v, reviewer));
        if old.tag() != 0 {
            self.mark = self.mark.wrapping_sub(slot_mark(at, old.version));
        }
        self.mark = self.mark.wrapping_add(slot_mark(at, v.version));
        if v.note.is_empty() {
            self.notes.remove(&(at as u32));
        } else {
            self.notes.insert(at as u32, v.note.into());
        }
    }

    /// The verdict of criterion `c` of entry `i`, `None` if never decided.
    pub fn verdict(&self, i: usize, c: usize) -> Option<VerdictRef<'_>> {
        let at = self.slot_at(i, c)?;
        let slot = self.slots[at];
        let value = slot.value()?;
        let note = if slot.meta & Slot::HAS_NOTE != 0 {
            self.notes.get(&(at as u32)).map_or("", |n| n)
        } else {
            ""
        };
        Some(VerdictRef {
            value,
            note,
            reviewer: self.reviewers.get(slot.reviewer()).map_or("", |r| r),
            decided_at: DateTime::<Utc>::from_timestamp_millis(slot.at_ms).unwrap_or_default(),
            version: slot.version,
        })
    }

    /// What entry `i` claimed for criterion `c` in its self-assessment, if anything.
    pub fn claim(&self, i: usize, c: usize) -> Option<&Claim> {
        let at = self.slot_at(i, c)?;
        self.claims.get(&(at as u32))
    }

    /// How many of entry `i`'s claimed criteria have a verdict that is not the claim
    /// (undecided ones included).
    pub fn differs(&self, i: usize) -> u16 {
        self.differs.get(i).copied().unwrap_or(0)
    }

    /// Whether any subject has a self-assessment claim.
    pub fn has_claims(&self) -> bool {
        !self.claims.is_empty()
    }

    /// The value of criterion `c` of entry `i` (pending if never decided).
    pub fn value(&self, i: usize, c: usize) -> VerdictValue {
        self.slot_at(i, c)
            .and_then(|at| self.slots[at].value())
            .unwrap_or(VerdictValue::Pending)
    }

    /// The stored version of criterion `c` of entry `i` (0 if never written).
    pub fn version(&self, i: usize, c: usize) -> u64 {
        self.slot_at(i, c).map_or(0, |at| self.slots[at].version)
    }

    /// Entry `i` as a review row (for the summary and the gap report).
    pub fn row(&self, i: usize) -> IndexRow<'_> {
        IndexRow { index: self, i }
    }

    /// Replaces the initiatives and their owner index.
    pub fn set_initiatives(&mut self, initiatives: Vec<Initiative>) {
        let mut by_owner: StdMap<String, Vec<usize>> = StdMap::new();
        let mut by_id = HashMap::new();
        let mut mark = 0u64;
        for (i, init) in initiatives.iter().enumerate() {
            by_owner.entry(init.owner.clone()).or_default().push(i);
            by_id.insert(init.id.clone(), i);
            mark = mark.wrapping_add(initiative_mark(&init.id, init.version));
        }
        self.by_owner = by_owner.into_iter().collect();
        self.initiative_by_id = by_id;
        self.initiatives = Vector::from(initiatives);
        self.initiatives_mark = mark;
    }

    /// Recomputes one entry's progress and outcome from its verdicts.
    fn recount(&mut self, campaign: &Campaign, i: usize) {
        let Some(e) = self.entries.get(i) else {
            return;
        };
        let (start, group) = (e.first as usize, e.group());
        let values: Vec<VerdictValue> = (start..start + usize::from(e.width))
            .map(|at| self.slots[at].value().unwrap_or(VerdictValue::Pending))
            .collect();
        let claims = &self.claims;
        let t = tally(campaign, group, &values, |c, v| {
            !claims.is_empty()
                && claims
                    .get(&((start + c) as u32))
                    .is_some_and(|claim| claim.value != v)
        });
        if !self.claims.is_empty() {
            if self.differs.len() != self.entries.len() {
                self.differs = Vector::from(vec![0u16; self.entries.len()]);
            }
            if self.differs[i] != t.differs {
                self.differs.set(i, t.differs);
            }
        }
        if let Some(e) = self.entries.get_mut(i) {
            t.put(e);
        }
    }

    /// The entry of subject number `no`.
    pub fn of_no(&self, no: u32) -> Option<usize> {
        self.entries.binary_search_by_key(&no, |e| e.no).ok()
    }

    /// The entry of subject `id`.
    pub fn of_id(&self, id: &str) -> Option<usize> {
        let k = self
            .by_id
            .binary_search_by(|&k| self.entries[k as usize].subject.id.as_str().cmp(id))
            .ok()?;
        Some(self.by_id[k] as usize)
    }

    /// The order list for a kind.
    pub fn order_of(&self, kind: Kind) -> &[usize] {
        match kind {
            Kind::Collectives => &self.collectives,
            Kind::Individuals => &self.individuals,
        }
    }

    /// Records a verdict if it is newer than the one held; returns whether anything changed.
    pub fn put_verdict(
        &mut self,
        campaign: &Campaign,
        i: usize,
        criterion: usize,
        verdict: &Verdict,
    ) -> bool {
        let Some(at) = self.slot_at(i, criterion) else {
            return false;
        };
        let held = self.slots[at];
        if held.value().is_some() && held.version >= verdict.version {
            return false;
        }
        self.generation += 1;
        let (decided, outcome) = (self.entries[i].decided, self.entries[i].outcome);
        let waiting = self.entries[i].is_waiting();
        self.set_slot(i, criterion, &verdict.as_ref());
        self.recount(campaign, i);
        let e = &self.entries[i];
        let (now_decided, now_waiting, now_outcome) = (e.decided, e.is_waiting(), e.outcome);
        self.totals.decided = self.totals.decided + u64::from(now_decided) - u64::from(decided);
        self.totals.waiting = self.totals.waiting + u64::from(now_waiting) - u64::from(waiting);
        if now_outcome != outcome {
            self.totals.count(outcome, -1);
            self.totals.count(now_outcome, 1);
        }
        true
    }

    /// Records a verdict given by subject and criterion id (how changes name them); false if
    /// either is unknown or the verdict is not newer than the one held.
    pub fn put_verdict_of(
        &mut self,
        campaign: &Campaign,
        subject: &str,
        criterion: &str,
        verdict: &Verdict,
    ) -> bool {
        let Some(i) = self.of_id(subject) else {
            return false;
        };
        let Some(c) = self.entries[i]
            .group()
            .and_then(|g| campaign.groups[g].index_of(criterion))
        else {
            return false;
        };
        self.put_verdict(campaign, i, c, verdict)
    }

    /// The positions in `initiatives` of a subject's initiatives.
    pub fn initiatives_of(&self, owner: &str) -> &[usize] {
        self.by_owner.get(owner).map_or(&[], |v| v.as_slice())
    }

    pub fn initiative_index(&self, id: &str) -> Option<usize> {
        self.initiative_by_id.get(id).copied()
    }

    /// Records an initiative if it is newer than the one held; returns whether it changed.
    pub fn put_initiative(&mut self, initiative: Initiative) -> bool {
        let added = initiative_mark(&initiative.id, initiative.version);
        match self.initiative_index(&initiative.id) {
            Some(i) => {
                let held = &self.initiatives[i];
                if held.version >= initiative.version {
                    return false;
                }
                let removed = initiative_mark(&held.id, held.version);
                if held.owner != initiative.owner {
                    let (old, new) = (held.owner.clone(), initiative.owner.clone());
                    if let Some(list) = self.by_owner.get_mut(&old) {
                        list.retain(|&k| k != i);
                    }
                    self.by_owner.entry(new).or_default().push(i);
                }
                self.initiatives.set(i, initiative);
                self.initiatives_mark = self
                    .initiatives_mark
                    .wrapping_sub(removed)
                    .wrapping_add(added);
                true
            }
            None => {
                let i = self.initiatives.len();
                self.by_owner
                    .entry(initiative.owner.clone())
                    .or_default()
                    .push(i);
                self.initiative_by_id.insert(initiative.id.clone(), i);
                self.initiatives.push_back(initiative);
                self.initiatives_mark = self.initiatives_mark.wrapping_add(added);
                true
            }
        }
    }
}

/// One entry of the index seen as a review row.
#[derive(Debug, Clone, Copy)]
pub struct IndexRow<'a> {
    index: &'a Index,
    i: usize,
}

impl Row for IndexRow<'_> {
    fn subject(&self) -> &Subject {
        &self.index.entries[self.i].subject
    }

    fn width(&self) -> usize {
        usize::from(self.index.entries[self.i].width)
    }

    fn verdict(&self, c: usize) -> Option<VerdictRef<'_>> {
        self.index.verdict(self.i, c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::review::{self, Reviewed};
    use crate::domain::verdict::strategies::value;
    use crate::interchange::{campaign, roster};
    use proptest::prelude::*;

    /// (subject position, criterion, value, note, reviewer, version, millis)
    fn writes() -> impl Strategy<Value = Vec<(usize, u16, VerdictValue, String, usize, u64, i64)>> {
        proptest::collection::vec(
            (
                0usize..535,
                0u16..11,
                value(),
                prop_oneof![Just(String::new()), "\\PC{1,12}"],
                0usize..4,
                1u64..6,
                1_600_000_000_000i64..1_700_000_000_000,
            ),
            0..120,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The compact index keeps exactly what it was given, and the summary and gap report
        /// over it equal those over plain `Verdict` rows (what the exports use).
        #[test]
        fn compact_slots_keep_every_verdict(writes in writes(), reversed in any::<bool>()) {
            let campaign = campaign::sample();
            let subjects = roster::sample(&campaign).expect("sample roster");
            let mut numbered: Vec<(u32, Subject)> = subjects
                .into_iter()
                .enumerate()
                .map(|(i, s)| (i as u32 + 1, s))
                .collect();
            let reviewers = ["an", "bình", "chi", "dũng"];
            let verdicts: Vec<(u32, u16, Verdict)> = writes
                .iter()
                .map(|(s, c, value, note, r, version, ms)| {
                    (*s as u32 + 1, *c, Verdict {
                        value: *value,
                        note: note.clone(),
                        reviewer: reviewers[*r].to_string(),
                        decided_at: DateTime::<Utc>::from_timestamp_millis(*ms).expect("time"),
                        version: *version,
                    })
                })
                .collect();
            let expected = review::assemble(&campaign, numbered.clone(), verdicts.clone());
            if reversed {
                numbered.reverse();
            }
            let index = Index::build(&campaign, numbered, verdicts, Vec::new());
            prop_assert_eq!(index.entries.len(), expected.len());
            for (i, row) in expected.iter().enumerate() {
                let e = &index.entries[i];
                prop_assert_eq!(&e.subject, &row.subject);
                prop_assert_eq!(index.of_no(i as u32 + 1), Some(i));
                prop_assert_eq!(index.of_id(&row.subject.id), Some(i));
                prop_assert_eq!(usize::from(e.total()), row.verdicts.len());
                for (c, v) in row.verdicts.iter().enumerate() {
                    prop_assert_eq!(index.verdict(i, c).map(|v| v.to_verdict()), v.clone());
                    prop_assert_eq!(index.version(i, c), v.as_ref().map_or(0, |v| v.version));
                }
                prop_assert_eq!(index.verdict(i, row.verdicts.len()), None);
                let parent = row.subject.parent.as_deref().and_then(|p| index.of_id(p));
                prop_assert_eq!(e.parent(), parent);
            }
            let rows: Vec<&Reviewed> = expected.iter().collect();
            let by_index = review::summary_of(&campaign, (0..index.entries.len()).map(|i| index.row(i)));
            prop_assert_eq!(by_index, review::summary_of(&campaign, rows.iter().copied()));
            let gaps = review::incompleteness_of(&campaign, (0..index.entries.len()).map(|i| index.row(i)));
            prop_assert_eq!(gaps, review::incompleteness(&campaign, &expected));
        }
    }

    #[test]
    fn a_newer_verdict_replaces_the_slot_and_an_older_one_is_ignored() {
        let campaign = campaign::sample();
        let subjects = roster::sample(&campaign).expect("sample roster");
        let numbered: Vec<(u32, Subject)> = subjects
            .into_iter()
            .enumerate()
            .map(|(i, s)| (i as u32 + 1, s))
            .collect();
        let mut index = Index::build(&campaign, numbered, Vec::new(), Vec::new());
        let at = DateTime::<Utc>::from_timestamp_millis(1_630_000_000_123).expect("time");
        let v = |value, note: &str, version| Verdict {
            value,
            note: note.into(),
            reviewer: "an".into(),
            decided_at: at,
            version,
        };
        assert!(index.put_verdict(&campaign, 0, 2, &v(VerdictValue::NotMet, "thiếu hồ sơ", 1)));
        assert_eq!(index.entries[0].attention, 1);
        assert_eq!(index.totals.decided, 1);
        assert!(!index.put_verdict(&campaign, 0, 2, &v(VerdictValue::Met, "", 1)));
        assert!(index.put_verdict(&campaign, 0, 2, &v(VerdictValue::Met, "", 2)));
        let now = index.verdict(0, 2).expect("decided");
        assert_eq!(
            (now.value, now.note, now.version),
            (VerdictValue::Met, "", 2)
        );
        assert_eq!(index.entries[0].attention, 0);
        assert!(index.notes.is_empty(), "the old note is dropped");
        assert!(!index.put_verdict(&campaign, 0, 99, &v(VerdictValue::Met, "", 9)));
    }
}
