//! Initiatives (sáng kiến): reading them, the list import, and `set_initiative`.

use super::*;

impl Store {
    pub fn initiatives(&self) -> Result<Vec<Initiative>> {
        self.t()?
            .initiatives
            .iter()
            .map(|kv| {
                let (_, v) = kv?;
                unjson("initiative", &v)
            })
            .collect()
    }

    pub fn initiative(&self, id: &str) -> Result<Option<Initiative>> {
        let Some(no) = self
            .t()?
            .initiative_ids
            .get(id.as_bytes())?
            .and_then(|v| keys::decode_no(&v))
        else {
            return Ok(None);
        };
        match self.t()?.initiatives.get(keys::no_key(no))? {
            Some(v) => Ok(Some(unjson("initiative", &v)?)),
            None => Ok(None),
        }
    }

    /// Adds new initiatives (with the status the file gives) and updates the title, owner and
    /// submission date of existing ones, keeping any status decided here. One transaction.
    pub fn upsert_initiatives(
        &self,
        incoming: &[Initiative],
        source: &str,
        actor: &Actor,
    ) -> Result<ImportCounts> {
        self.guarded(|| {
            let mut next = match self.t()?.meta.get(migrate::INITIATIVE_NEXT)? {
                Some(v) => keys::decode_no(&v).unwrap_or(1),
                None => 1,
            };
            let mut counts = ImportCounts::default();
            let mut by_no: Vec<(u32, Vec<u8>)> = Vec::new();
            let mut by_id: Vec<(String, u32)> = Vec::new();
            let mut seen: HashMap<String, u32> = HashMap::new();
            for i in incoming {
                let existing_no = match seen.get(&i.id) {
                    Some(no) => Some(*no),
                    None => self
                        .t()?
                        .initiative_ids
                        .get(i.id.as_bytes())?
                        .and_then(|v| keys::decode_no(&v)),
                };
                match existing_no {
                    Some(no) => {
                        let old = self.initiative(&i.id)?;
                        let mut merged = old.clone().unwrap_or_else(|| i.clone());
                        merged.title = i.title.clone();
                        merged.owner = i.owner.clone();
                        merged.submitted_on = i.submitted_on;
                        if old.as_ref() == Some(&merged) {
                            counts.unchanged += 1;
                        } else {
                            counts.updated += 1;
                            merged.version += 1;
                            by_no.push((no, json(&merged)));
                        }
                    }
                    None => {
                        counts.added += 1;
                        let mut new = i.clone();
                        new.version = 1;
                        by_no.push((next, json(&new)));
                        by_id.push((i.id.clone(), next));
                        seen.insert(i.id.clone(), next);
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
                    d.insert(journal::tree::INITIATIVES, &keys::no_key(*no), record)?;
                }
                for (id, no) in &by_id {
                    d.insert(
                        journal::tree::INITIATIVE_IDS,
                        id.as_bytes(),
                        keys::no_key(*no),
                    )?;
                }
                d.insert(
                    journal::tree::META,
                    migrate::INITIATIVE_NEXT,
                    keys::no_key(next),
                )?;
                append_audit(d, actor, Cause::Import, action)?;
                Ok(())
            })?;
            self.feed.send(Change::Roster);
            Ok(counts)
        })
    }

    /// Commits an initiative's status (and recognition) with its audit event, and flushes.
    pub fn set_initiative(&self, w: &InitiativeWrite, actor: &Actor) -> Result<Initiative> {
        self.guarded(|| {
            let no = self
                .t()?
                .initiative_ids
                .get(w.id.as_bytes())?
                .and_then(|v| keys::decode_no(&v))
                .ok_or_else(|| StoreError::UnknownInitiative(w.id.clone()))?;
            let key = keys::no_key(no);
            let recognition = match w.status {
                InitiativeStatus::Recognized => w.recognition.clone().map(|mut r| {
                    r.authority = crate::text::clean(&r.authority);
                    r.decision = crate::text::clean(&r.decision);
                    r
                }),
                _ => None,
            };
            let new = self.commit(actor, |d| {
                let old: Initiative = match d.get(journal::tree::INITIATIVES, &key)? {
                    Some(v) => unjson("initiative", &v)?,
                    None => return Err(StoreError::UnknownInitiative(w.id.clone())),
                };
                locks::refuse_if_locked(d, &old.owner)?;
                if old.version != w.base_version {
                    return Err(StoreError::Conflict(Box::new(Conflict::Initiative {
                        current: old,
                    })));
                }
                let mut new = old.clone();
                new.status = w.status;
                new.recognition = recognition.clone();
                new.version = old.version + 1;
                d.insert(journal::tree::INITIATIVES, &key, json(&new))?;
                let owner = d
                    .get(journal::tree::SUBJECT_IDS, new.owner.as_bytes())?
                    .and_then(|v| keys::decode_no(&v));
                let action = AuditAction::Initiative {
                    old: Some(old),
                    new: new.clone(),
                };
                match owner {
                    Some(no) => append_subject_audit(d, no, actor, w.cause, action)?,
                    None => append_audit(d, actor, w.cause, action)?,
                };
                Ok(new)
            })?;
            self.feed.send(Change::Initiative(new.clone()));
            Ok(new)
        })
    }

    // ---- audit and cursors ----------------------------------------------------------------
}
