//! The audit trail, each reviewer's saved position, and the content checksum.

use super::*;

impl Store {
    /// The audit trail in order, optionally only the events about one subject.
    /// A subject's events are read through its index of events, not by decoding the trail.
    pub fn audit(&self, subject: Option<&str>) -> Result<Vec<AuditEvent>> {
        let Some(subject) = subject else {
            return self
                .t()?
                .audit
                .iter()
                .map(|kv| unjson("audit event", &kv?.1))
                .collect();
        };
        let Some(no) = self.subject_no(subject)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for kv in self.t()?.subject_audit.scan_prefix(keys::no_key(no)) {
            let (k, _) = kv?;
            let seq = keys::decode_subject_seq_key(&k)
                .ok_or_else(|| StoreError::Corrupt("subject audit key".into()))?
                .1;
            let v = self
                .t()?
                .audit
                .get(keys::seq_key(seq))?
                .ok_or_else(|| StoreError::Corrupt(format!("audit event {seq} is missing")))?;
            let e: AuditEvent = unjson("audit event", &v)?;
            // Only the events about this subject (an initiative moved to another owner by an
            // import stays listed under the owner it had).
            if e.action.subject() == Some(subject) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Gives `each` the audit trail's events numbered up to `upto`, in order, one at a time
    /// (memory is one event, whatever the trail's length), optionally only those about one
    /// subject, as `audit` selects them; stops at the first error `each` returns. With `upto`
    /// read by `at_head`, the events are exactly the trail at that head, though commits go on
    /// meanwhile (events are only ever added, numbered past it).
    pub fn audit_each<E: From<StoreError>>(
        &self,
        subject: Option<&str>,
        upto: u64,
        mut each: impl FnMut(AuditEvent) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let t = self.t()?;
        let Some(subject) = subject else {
            for kv in t.audit.range(..=keys::seq_key(upto)) {
                let (_, v) = kv.map_err(StoreError::from)?;
                each(unjson("audit event", &v)?)?;
            }
            return Ok(());
        };
        let Some(no) = self.subject_no(subject)? else {
            return Ok(());
        };
        for kv in t.subject_audit.scan_prefix(keys::no_key(no)) {
            let (k, _) = kv.map_err(StoreError::from)?;
            let seq = keys::decode_subject_seq_key(&k)
                .ok_or_else(|| StoreError::Corrupt("subject audit key".into()))?
                .1;
            if seq > upto {
                break;
            }
            let v = t
                .audit
                .get(keys::seq_key(seq))
                .map_err(StoreError::from)?
                .ok_or_else(|| StoreError::Corrupt(format!("audit event {seq} is missing")))?;
            let e: AuditEvent = unjson("audit event", &v)?;
            if e.action.subject() == Some(subject) {
                each(e)?;
            }
        }
        Ok(())
    }

    /// How many audit events there are, without a scan.
    pub fn audit_len(&self) -> usize {
        self.counter(migrate::AUDIT_NEXT).saturating_sub(1) as usize
    }

    /// Remembers where a reviewer was (an opaque value of the console's), so they resume there.
    /// Remembers a reviewer's place. A convenience, not a decision: it is not made durable on
    /// its own (no disk sync in the way of the key that moved), sled writes it out within half
    /// a second, any later commit's flush carries it, and so does closing the store.
    pub fn put_cursor(&self, reviewer: &str, value: &[u8]) -> Result<()> {
        self.guarded(|| {
            self.t()?.cursors.insert(reviewer.as_bytes(), value)?;
            Ok(())
        })
    }

    pub fn cursor(&self, reviewer: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .t()?
            .cursors
            .get(reviewer.as_bytes())?
            .map(|v| v.to_vec()))
    }

    /// Every (tree name, key, value) of the database, for integrity checks and exports
    /// compared byte by byte in tests.
    pub fn checksum(&self) -> Result<u64> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for tree in [
            &self.t()?.meta,
            &self.t()?.subjects,
            &self.t()?.subject_ids,
            &self.t()?.verdicts,
            &self.t()?.initiatives,
            &self.t()?.initiative_ids,
            &self.t()?.audit,
            &self.t()?.subject_audit,
            &self.t()?.locks,
        ] {
            tree.name().hash(&mut h);
            for kv in tree.iter() {
                let (k, v) = kv?;
                // Bookkeeping of the journal, not content: a restored copy starts its own.
                if k.as_ref() == commit::APPLIED && tree.name() == self.t()?.meta.name() {
                    continue;
                }
                k.hash(&mut h);
                v.hash(&mut h);
            }
        }
        Ok(h.finish())
    }
}
