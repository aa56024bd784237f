//! The roster in the store: reading subjects by number or id, and the whole-roster import
//! (`upsert_subjects`) with its audit event.

use super::*;

impl Store {
    /// Every subject in roster order, with its number.
    pub fn subjects(&self) -> Result<Vec<(u32, Subject)>> {
        let mut out = Vec::with_capacity(self.subject_count());
        self.for_each_subject(|no, s| {
            out.push((no, s));
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Calls `each` with every subject in roster order, with its number, without collecting
    /// them (the console's index is built from this stream), until `each` breaks.
    pub(crate) fn for_each_subject(
        &self,
        mut each: impl FnMut(u32, Subject) -> ControlFlow<()>,
    ) -> Result<()> {
        for kv in self.t()?.subjects.iter() {
            let (k, v) = kv?;
            let no =
                keys::decode_no(&k).ok_or_else(|| StoreError::Corrupt("subject key".into()))?;
            if each(no, unjson("subject", &v)?).is_break() {
                break;
            }
        }
        Ok(())
    }

    pub fn subject_no(&self, id: &str) -> Result<Option<u32>> {
        Ok(self
            .t()?
            .subject_ids
            .get(id.as_bytes())?
            .and_then(|v| keys::decode_no(&v)))
    }

    pub fn subject(&self, id: &str) -> Result<Option<Subject>> {
        let Some(no) = self.subject_no(id)? else {
            return Ok(None);
        };
        match self.t()?.subjects.get(keys::no_key(no))? {
            Some(v) => Ok(Some(unjson("subject", &v)?)),
            None => Ok(None),
        }
    }

    /// How many subjects there are, without a scan (subjects are never deleted).
    pub fn subject_count(&self) -> usize {
        self.counter(migrate::SUBJECT_NEXT).saturating_sub(1) as usize
    }

    pub(super) fn counter(&self, key: &[u8]) -> u64 {
        let Ok(t) = self.t() else {
            return 1;
        };
        match t.meta.get(key) {
            Ok(Some(v)) if v.len() == 8 => keys::decode_seq(&v).unwrap_or(0),
            Ok(Some(v)) => keys::decode_no(&v).map_or(0, u64::from),
            _ => 1,
        }
    }

    /// Adds new subjects and updates existing ones (matched by id), all in one transaction with
    /// one audit event. Callers validate first (`interchange::roster`); nothing is ever deleted.
    pub fn upsert_subjects(
        &self,
        incoming: &[Subject],
        source: &str,
        actor: &Actor,
    ) -> Result<ImportCounts> {
        self.guarded(|| {
            let mut existing: HashMap<String, (u32, Subject)> = HashMap::new();
            for (no, s) in self.subjects()? {
                existing.insert(s.id.clone(), (no, s));
            }
            let mut next = match self.t()?.meta.get(migrate::SUBJECT_NEXT)? {
                Some(v) => keys::decode_no(&v).unwrap_or(1),
                None => 1,
            };
            let mut counts = ImportCounts::default();
            let mut by_no: Vec<(u32, Vec<u8>)> = Vec::new();
            let mut by_id: Vec<(&str, u32)> = Vec::new();
            for s in incoming {
                match existing.get(&s.id) {
                    Some((_, old)) if old == s => counts.unchanged += 1,
                    Some((no, _)) => {
                        counts.updated += 1;
                        by_no.push((*no, json(s)));
                    }
                    None => {
                        counts.added += 1;
                        by_no.push((next, json(s)));
                        by_id.push((s.id.as_str(), next));
                        existing.insert(s.id.clone(), (next, s.clone()));
                        next += 1;
                    }
                }
            }
            let action = AuditAction::Import {
                source: source.to_string(),
                added: counts.added,
                updated: counts.updated,
            };
            self.commit(actor, |d| {
                for (no, record) in &by_no {
                    d.insert(journal::tree::SUBJECTS, &keys::no_key(*no), record)?;
                }
                for (id, no) in &by_id {
                    d.insert(journal::tree::SUBJECT_IDS, id.as_bytes(), keys::no_key(*no))?;
                }
                d.insert(
                    journal::tree::META,
                    migrate::SUBJECT_NEXT,
                    keys::no_key(next),
                )?;
                append_audit(d, actor, Cause::Import, action)?;
                Ok(())
            })?;
            self.feed.send(Change::Roster);
            Ok(counts)
        })
    }

    pub(super) fn record_import(
        &self,
        source: &str,
        counts: ImportCounts,
        actor: &Actor,
    ) -> Result<()> {
        let action = AuditAction::Import {
            source: source.to_string(),
            added: counts.added,
            updated: counts.updated,
        };
        self.commit(actor, |d| append_audit(d, actor, Cause::Import, action))
            .map(|_| ())
    }

    // ---- verdicts -------------------------------------------------------------------------
}
