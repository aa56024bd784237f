//! Verdicts: the cell a write names (carried, checked, or looked up by ids), reading verdicts,
//! and `set_verdict`, the one write of a decision.

use super::*;

impl Store {
    /// The subject's number and the criterion's index in the subject's group.
    pub(super) fn verdict_slot(&self, subject: &str, criterion: &str) -> Result<(u32, u16)> {
        let no = self
            .subject_no(subject)?
            .ok_or_else(|| StoreError::UnknownSubject(subject.to_string()))?;
        let s = self
            .subject(subject)?
            .ok_or_else(|| StoreError::UnknownSubject(subject.to_string()))?;
        let index = self
            .campaign
            .group_of_tier(&s.tier)
            .and_then(|g| g.index_of(criterion))
            .ok_or_else(|| StoreError::UnknownCriterion {
                subject: subject.to_string(),
                criterion: criterion.to_string(),
            })?;
        Ok((no, index as u16))
    }

    /// The cell a write is for: the one it carries when that cell still holds the write's
    /// subject and criterion (checked with one read of the subject's record by number, decoded
    /// only for its id and tier), else looked up by the text ids (`verdict_slot`).
    pub(super) fn verdict_cell(
        &self,
        d: &commit::Draft<'_>,
        w: &VerdictWrite,
    ) -> Result<(u32, u16)> {
        if let Some(cell) = w.cell
            && self.cell_holds(d, cell, &w.subject, &w.criterion)?
        {
            return Ok((cell.subject_no, cell.criterion));
        }
        self.verdict_slot(&w.subject, &w.criterion)
    }

    /// The cell `w` would be committed to, found as `set_verdict` finds it, committing
    /// nothing: for the commit bench, which compares a write carrying its cell with one
    /// looked up by ids without the disk's noise.
    #[cfg(feature = "bench")]
    #[doc(hidden)]
    pub fn resolve_verdict_cell(&self, w: &VerdictWrite) -> Result<(u32, u16)> {
        let nobody = Actor::new("", DateTime::<Utc>::UNIX_EPOCH);
        self.commit(&nobody, |d| self.verdict_cell(d, w))
    }

    /// Whether subject number `cell.subject_no` is `subject` and its group's criterion
    /// `cell.criterion` is `criterion`.
    pub(super) fn cell_holds(
        &self,
        d: &commit::Draft<'_>,
        cell: Cell,
        subject: &str,
        criterion: &str,
    ) -> Result<bool> {
        /// The two fields of a subject's record the check needs, borrowed where unescaped.
        #[derive(serde::Deserialize)]
        struct Head<'a> {
            #[serde(borrow)]
            id: std::borrow::Cow<'a, str>,
            #[serde(borrow)]
            tier: std::borrow::Cow<'a, str>,
        }
        let Some(record) = d.get(journal::tree::SUBJECTS, &keys::no_key(cell.subject_no))? else {
            return Ok(false);
        };
        let head: Head<'_> = serde_json::from_slice(&record)
            .map_err(|e| StoreError::Corrupt(format!("subject: {e}")))?;
        if head.id != subject {
            return Ok(false);
        }
        Ok(self
            .campaign
            .group_of_tier(&head.tier)
            .and_then(|g| g.criteria.get(usize::from(cell.criterion)))
            .is_some_and(|c| c.id == criterion))
    }

    pub fn verdict(&self, subject: &str, criterion: &str) -> Result<Option<Verdict>> {
        let (no, idx) = self.verdict_slot(subject, criterion)?;
        match self.t()?.verdicts.get(keys::verdict_key(no, idx))? {
            Some(v) => Ok(Some(decode_verdict(&v)?)),
            None => Ok(None),
        }
    }

    /// Every recorded verdict as (subject no, criterion index, verdict), in key order.
    pub fn verdicts(&self) -> Result<Vec<(u32, u16, Verdict)>> {
        let mut out = Vec::new();
        self.for_each_verdict(|no, idx, v| {
            out.push((no, idx, v.to_verdict()));
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Calls `each` with every recorded verdict as (subject no, criterion index, verdict), in
    /// key order, without collecting them (the console's index is built from this stream),
    /// until `each` breaks.
    pub(crate) fn for_each_verdict(
        &self,
        mut each: impl FnMut(u32, u16, VerdictRef<'_>) -> ControlFlow<()>,
    ) -> Result<()> {
        for kv in self.t()?.verdicts.iter() {
            let (k, v) = kv?;
            let (no, idx) = keys::decode_verdict_key(&k)
                .ok_or_else(|| StoreError::Corrupt("verdict key".into()))?;
            let verdict = codec::decode_verdict_ref(&v)
                .ok_or_else(|| StoreError::Corrupt("a verdict record".into()))?;
            if each(no, idx, verdict).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// Commits one verdict with its audit event and flushes; returns the new verdict.
    /// Refused with `Conflict` when `base_version` is not the stored version.
    pub fn set_verdict(&self, w: &VerdictWrite, actor: &Actor) -> Result<Verdict> {
        self.guarded(|| {
            let note = crate::text::clean_multiline(&w.note);
            let new = self.commit(actor, |d| {
                // Under the writer lock, so a roster import cannot move the cell meanwhile.
                let (no, idx) = self.verdict_cell(d, w)?;
                let key = keys::verdict_key(no, idx);
                locks::refuse_if_locked(d, &w.subject)?;
                let old: Option<Verdict> = match d.get(journal::tree::VERDICTS, &key)? {
                    Some(v) => Some(decode_verdict(&v)?),
                    None => None,
                };
                let current_version = old.as_ref().map_or(0, |v| v.version);
                if current_version != w.base_version
                    && let Some(current) = old
                {
                    return Err(StoreError::Conflict(Box::new(Conflict::Verdict {
                        subject: w.subject.clone(),
                        criterion: w.criterion.clone(),
                        current,
                    })));
                }
                let new = Verdict {
                    value: w.value,
                    note: note.clone(),
                    reviewer: actor.reviewer.clone(),
                    decided_at: actor.at,
                    version: current_version + 1,
                };
                d.insert(journal::tree::VERDICTS, &key, codec::encode_verdict(&new))?;
                let action = AuditAction::Verdict {
                    subject: w.subject.clone(),
                    criterion: w.criterion.clone(),
                    old,
                    new: new.clone(),
                };
                append_subject_audit(d, no, actor, w.cause, action)?;
                Ok(new)
            })?;
            self.feed.send(Change::Verdict {
                subject: w.subject.clone(),
                criterion: w.criterion.clone(),
                verdict: new.clone(),
            });
            Ok(new)
        })
    }

    // ---- initiatives ----------------------------------------------------------------------
}
