//! Precomputed facts about every subject, kept current one verdict at a time: its group, its
//! place in the display order, its verdicts, progress, outcome and folded search text (one
//! buffer for all, see `search_text`), plus the campaign-wide totals. Built once in O(n); a saved or external change costs O(criteria), so
//! province-scale rosters (tens of thousands of subjects) stay smooth.

mod search_text;

use std::collections::HashMap;

pub use search_text::SearchText;

use crate::domain::{Campaign, Initiative, Outcome, Subject, Verdict, VerdictValue, outcome_of};

/// One subject with everything the console shows about it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub no: u32,
    pub subject: Subject,
    /// Index of the subject's tier in the campaign (`usize::MAX` for an unknown tier).
    pub tier: usize,
    /// Index of the criteria group in the campaign, if the tier names one.
    pub group: Option<usize>,
    /// Index of the parent's entry.
    pub parent: Option<usize>,
    pub individual: bool,
    /// One slot per criterion of the group, in the group's order.
    pub verdicts: Vec<Option<Verdict>>,
    pub decided: u16,
    /// Criteria decided not met or needing explanation.
    pub attention: u16,
    pub outcome: Outcome,
}

impl Entry {
    pub fn total(&self) -> u16 {
        self.verdicts.len() as u16
    }

    pub fn has_pending(&self) -> bool {
        self.decided < self.total()
    }

    pub fn value(&self, criterion: usize) -> VerdictValue {
        self.verdicts
            .get(criterion)
            .and_then(|v| v.as_ref())
            .map_or(VerdictValue::Pending, |v| v.value)
    }

    pub fn version(&self, criterion: usize) -> u64 {
        self.verdicts
            .get(criterion)
            .and_then(|v| v.as_ref())
            .map_or(0, |v| v.version)
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
    pub entries: Vec<Entry>,
    by_no: HashMap<u32, usize>,
    by_id: HashMap<String, usize>,
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

impl Index {
    /// Builds the index in O(subjects + verdicts + initiatives).
    pub fn build(
        campaign: &Campaign,
        subjects: Vec<(u32, Subject)>,
        verdicts: Vec<(u32, u16, Verdict)>,
        initiatives: Vec<Initiative>,
    ) -> Index {
        let mut index = Index::default();
        let mut folded = Vec::with_capacity(subjects.len());
        for (no, subject) in subjects {
            let tier = campaign
                .tiers
                .iter()
                .position(|t| t.id == subject.tier)
                .unwrap_or(usize::MAX);
            let group = campaign
                .tier(&subject.tier)
                .and_then(|t| campaign.groups.iter().position(|g| g.id == t.group));
            let n = group.map_or(0, |g| campaign.groups[g].criteria.len());
            folded.push(format!(
                "{} {}",
                crate::text::fold(&subject.name),
                crate::text::fold(&subject.id)
            ));
            let i = index.entries.len();
            index.by_no.insert(no, i);
            index.by_id.insert(subject.id.clone(), i);
            index.entries.push(Entry {
                no,
                individual: campaign.is_individual_tier(&subject.tier),
                subject,
                tier,
                group,
                parent: None,
                verdicts: vec![None; n],
                decided: 0,
                attention: 0,
                outcome: Outcome::Incomplete,
            });
        }
        for i in 0..index.entries.len() {
            let parent = index.entries[i]
                .subject
                .parent
                .as_ref()
                .and_then(|p| index.by_id.get(p).copied());
            index.entries[i].parent = parent;
        }
        for (no, criterion, verdict) in verdicts {
            if let Some(&i) = index.by_no.get(&no)
                && let Some(slot) = index.entries[i].verdicts.get_mut(criterion as usize)
            {
                *slot = Some(verdict);
            }
        }
        for i in 0..index.entries.len() {
            index.recount(campaign, i);
            let e = &index.entries[i];
            index.totals.criteria += u64::from(e.total());
            index.totals.decided += u64::from(e.decided);
            index.totals.count(e.outcome, 1);
        }
        index.set_initiatives(initiatives);
        index.order();
        index.search = SearchText::build(
            index
                .collectives
                .iter()
                .chain(index.individuals.iter())
                .map(|&i| (i, folded[i].as_str())),
        );
        index
    }

    fn order(&mut self) {
        let entries = &self.entries;
        let mut collectives: Vec<usize> = (0..entries.len())
            .filter(|&i| !entries[i].individual)
            .collect();
        collectives.sort_by_key(|&i| {
            let e = &entries[i];
            (e.tier, e.parent.unwrap_or(0), i)
        });
        let mut position = vec![usize::MAX; entries.len()];
        for (p, &i) in collectives.iter().enumerate() {
            position[i] = p;
        }
        let mut individuals: Vec<usize> = (0..entries.len())
            .filter(|&i| entries[i].individual)
            .collect();
        individuals.sort_by_key(|&i| (entries[i].parent.map_or(usize::MAX, |p| position[p]), i));
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
        let e = &mut self.entries[i];
        let values: Vec<VerdictValue> = (0..e.verdicts.len()).map(|c| e.value(c)).collect();
        e.decided = values.iter().filter(|v| v.is_decided()).count() as u16;
        e.attention = values.iter().filter(|v| v.wants_reason()).count() as u16;
        e.outcome = match e.group {
            Some(g) => outcome_of(&campaign.groups[g], &values),
            None => Outcome::Incomplete,
        };
    }

    pub fn of_no(&self, no: u32) -> Option<usize> {
        self.by_no.get(&no).copied()
    }

    pub fn of_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
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
        verdict: Verdict,
    ) -> bool {
        let Some(slot) = self.entries[i].verdicts.get(criterion) else {
            return false;
        };
        if slot.as_ref().is_some_and(|v| v.version >= verdict.version) {
            return false;
        }
        self.generation += 1;
        let (decided, outcome) = (self.entries[i].decided, self.entries[i].outcome);
        self.entries[i].verdicts[criterion] = Some(verdict);
        self.recount(campaign, i);
        let e = &self.entries[i];
        self.totals.decided = self.totals.decided + u64::from(e.decided) - u64::from(decided);
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
