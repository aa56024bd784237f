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

mod search_text;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

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
        Some(match self.tag() {
            1 => VerdictValue::Pending,
            2 => VerdictValue::Met,
            3 => VerdictValue::NotMet,
            4 => VerdictValue::NeedsExplanation,
            5 => VerdictValue::Score(crate::domain::Points::from_hundredths(self.score)),
            _ => return None,
        })
    }

    fn reviewer(self) -> usize {
        (self.meta >> 4) as usize
    }

    fn new(v: &VerdictRef<'_>, reviewer: u32) -> Slot {
        let (tag, score) = match v.value {
            VerdictValue::Pending => (1, 0),
            VerdictValue::Met => (2, 0),
            VerdictValue::NotMet => (3, 0),
            VerdictValue::NeedsExplanation => (4, 0),
            VerdictValue::Score(s) => (5, s.hundredths()),
        };
        let note = if v.note.is_empty() { 0 } else { Self::HAS_NOTE };
        Slot {
            version: v.version,
            at_ms: v.decided_at.timestamp_millis(),
            score,
            meta: tag | note | (reviewer.min(Self::MAX_REVIEWER) << 4),
        }
    }
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
    pub entries: Vec<Entry>,
    /// Every criterion slot of every subject, `Entry::first` onwards.
    slots: Vec<Slot>,
    /// The notes of the slots that have one, by slot position.
    notes: HashMap<u32, Box<str>>,
    /// The self-assessment claims (tự đánh giá) of the slots that have one, by slot position.
    claims: HashMap<u32, Claim>,
    /// Per entry, the claimed criteria whose verdict is not the claim (undecided included);
    /// empty while no subject has a claim, so a review without claims pays nothing (an
    /// `Entry` field would have grown every entry past 128 bytes).
    differs: Vec<u16>,
    /// Reviewer names, numbered in the order first seen.
    reviewers: Vec<Box<str>>,
    reviewer_numbers: HashMap<Box<str>, u32>,
    /// Entry positions in id order, for `of_id`.
    by_id: Vec<u32>,
    pub initiatives: Vec<Initiative>,
    by_owner: HashMap<String, Vec<usize>>,
    initiative_by_id: HashMap<String, usize>,
    pub totals: Totals,
    /// Display order of collectives (by tier, then parent, then roster) and individuals (by unit).
    pub collectives: Vec<usize>,
    pub individuals: Vec<usize>,
    /// Folded name and id of every subject, in the display order above, for search.
    pub search: SearchText,
    /// Counts the changes to verdicts, so lists filtered on them know when they are stale.
    pub generation: u64,
}

/// Builds an `Index` from streams of subjects, then verdicts, so a caller reading them from
/// the store never holds them all at once: first every subject (`subject`), then every
/// verdict (`verdict`), then `finish`.
pub struct IndexBuilder<'c> {
    campaign: &'c Campaign,
    index: Index,
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
            index: Index {
                entries: Vec::with_capacity(subjects),
                ..Index::default()
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
        self.index.entries.push(Entry {
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
        let index = &mut self.index;
        if !index.entries.is_sorted_by_key(|e| e.no) {
            index.entries.sort_by_key(|e| e.no);
        }
        // Two subjects with one number would make `of_no` ambiguous; the store never has
        // them, and the first is kept should a caller pass them.
        index.entries.dedup_by_key(|e| e.no);
        let mut slots = 0usize;
        for e in &mut index.entries {
            e.first = u32::try_from(slots).unwrap_or(u32::MAX);
            slots += usize::from(e.width);
        }
        index.slots = vec![Slot::default(); slots];
        // Sorting (id, position) pairs rather than positions keeps the comparisons in one
        // array instead of chasing every entry.
        let mut ids: Vec<(&str, u32)> = index
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.subject.id.as_str(), i as u32))
            .collect();
        ids.sort_unstable();
        // Many subjects share a parent (a unit's civil servants): each distinct parent id is
        // looked up once.
        let mut parents: HashMap<&str, u32> = HashMap::new();
        let found: Vec<u32> = index
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
        index.by_id = by_id;
        for (e, parent) in index.entries.iter_mut().zip(found) {
            e.parent = parent;
        }
    }

    /// Records a stored verdict; one of an unknown subject or criterion is ignored.
    pub fn verdict(&mut self, no: u32, criterion: u16, verdict: VerdictRef<'_>) {
        self.seal();
        // The store streams verdicts in subject number order, as the entries are kept: the
        // entry is the last one or a later neighbour far more often than not.
        let entries = &self.index.entries;
        let near = (self.last..entries.len().min(self.last + 2)).find(|&i| entries[i].no == no);
        if let Some(i) = near.or_else(|| self.index.of_no(no)) {
            self.last = i;
            self.index.set_slot(i, usize::from(criterion), &verdict);
        }
    }

    /// Records a stored self-assessment claim (after the verdicts); one of an unknown subject
    /// or criterion is ignored.
    pub fn claim(&mut self, no: u32, criterion: u16, claim: Claim) {
        self.seal();
        if let Some(at) = self
            .index
            .of_no(no)
            .and_then(|i| self.index.slot_at(i, usize::from(criterion)))
        {
            self.index.claims.insert(at as u32, claim);
        }
    }

    /// Counts progress and outcomes, orders the lists and builds the search buffer.
    pub fn finish(mut self, initiatives: Vec<Initiative>) -> Index {
        self.seal();
        let campaign = self.campaign;
        let mut index = self.index;
        for i in 0..index.entries.len() {
            index.recount(campaign, i);
            let e = &index.entries[i];
            index.totals.criteria += u64::from(e.total());
            index.totals.decided += u64::from(e.decided);
            index.totals.waiting += u64::from(e.is_waiting());
            index.totals.count(e.outcome, 1);
        }
        index.set_initiatives(initiatives);
        index.order();
        let entries = &index.entries;
        index.search = SearchText::build(
            index
                .collectives
                .iter()
                .chain(index.individuals.iter())
                .map(|&i| {
                    let s = &entries[i].subject;
                    let mut folded = crate::text::fold(&s.name);
                    folded.push(' ');
                    folded.push_str(&crate::text::fold(&s.id));
                    (i, folded)
                }),
        );
        index
    }
}

impl Index {
    /// Builds the index in O(subjects + verdicts + initiatives) from collected vectors.
    pub fn build(
        campaign: &Campaign,
        subjects: Vec<(u32, Subject)>,
        verdicts: impl IntoIterator<Item = (u32, u16, Verdict)>,
        initiatives: Vec<Initiative>,
    ) -> Index {
        let mut builder = IndexBuilder::new(campaign, subjects.len());
        for (no, subject) in subjects {
            builder.subject(no, subject);
        }
        for (no, criterion, verdict) in verdicts {
            builder.verdict(no, criterion, verdict.as_ref());
        }
        builder.finish(initiatives)
    }

    /// The number a reviewer's name is kept under, taking the next one for a new name.
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
        self.slots[at] = Slot::new(v, reviewer);
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

    fn order(&mut self) {
        let entries = &self.entries;
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
        self.collectives = collectives;
        self.individuals = individuals;
    }

    /// Replaces the initiatives and their owner index.
    pub fn set_initiatives(&mut self, initiatives: Vec<Initiative>) {
        self.by_owner.clear();
        self.initiative_by_id.clear();
        for (i, init) in initiatives.iter().enumerate() {
            self.by_owner.entry(init.owner.clone()).or_default().push(i);
            self.initiative_by_id.insert(init.id.clone(), i);
        }
        self.initiatives = initiatives;
    }

    /// Recomputes one entry's progress and outcome from its verdicts.
    fn recount(&mut self, campaign: &Campaign, i: usize) {
        let e = &self.entries[i];
        let start = e.first as usize;
        let values: Vec<VerdictValue> = self.slots[start..start + usize::from(e.width)]
            .iter()
            .map(|s| s.value().unwrap_or(VerdictValue::Pending))
            .collect();
        let decided = values.iter().filter(|v| v.is_decided()).count() as u16;
        let attention = values.iter().filter(|v| v.wants_reason()).count() as u16;
        let explain = values
            .iter()
            .filter(|v| **v == VerdictValue::NeedsExplanation)
            .count() as u16;
        if !self.claims.is_empty() {
            let differs = values
                .iter()
                .enumerate()
                .filter(|(c, v)| {
                    self.claims
                        .get(&((start + c) as u32))
                        .is_some_and(|claim| claim.value != **v)
                })
                .count() as u16;
            if self.differs.len() != self.entries.len() {
                self.differs.resize(self.entries.len(), 0);
            }
            self.differs[i] = differs;
        }
        let outcome = match e.group() {
            Some(g) => outcome_of(&campaign.groups[g], &values),
            None => Outcome::Incomplete,
        };
        let e = &mut self.entries[i];
        e.decided = decided;
        e.attention = attention;
        e.explain = explain;
        e.outcome = outcome;
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
        self.totals.decided = self.totals.decided + u64::from(e.decided) - u64::from(decided);
        self.totals.waiting = self.totals.waiting + u64::from(e.is_waiting()) - u64::from(waiting);
        if e.outcome != outcome {
            self.totals.count(outcome, -1);
            self.totals.count(e.outcome, 1);
        }
        true
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
        match self.initiative_index(&initiative.id) {
            Some(i) => {
                if self.initiatives[i].version >= initiative.version {
                    return false;
                }
                self.initiatives[i] = initiative;
                true
            }
            None => {
                let mut all = std::mem::take(&mut self.initiatives);
                all.push(initiative);
                self.set_initiatives(all);
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
