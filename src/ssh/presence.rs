//! Who is connected and which subject each has open, shared by every session of one server.
//! Sessions report their own state; a version number lets each session notice, cheaply, that
//! someone else's changed and refresh what it shows.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// One open console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Present {
    pub session: u64,
    pub reviewer: String,
    /// The subject the reviewer has open, if any.
    pub subject: Option<String>,
}

#[derive(Debug, Default)]
pub struct Presence {
    sessions: Mutex<BTreeMap<u64, Present>>,
    version: AtomicU64,
}

impl Presence {
    pub fn new() -> Self {
        Self::default()
    }

    /// A console opened.
    pub fn join(&self, session: u64, reviewer: &str) {
        if let Ok(mut m) = self.sessions.lock() {
            m.insert(
                session,
                Present {
                    session,
                    reviewer: reviewer.to_string(),
                    subject: None,
                },
            );
            self.version.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// The console's open subject; returns true if that changed anything.
    pub(crate) fn set_subject(&self, session: u64, subject: Option<&str>) -> bool {
        let Ok(mut m) = self.sessions.lock() else {
            return false;
        };
        match m.get_mut(&session) {
            Some(p) if p.subject.as_deref() != subject => {
                p.subject = subject.map(str::to_string);
                self.version.fetch_add(1, Ordering::SeqCst);
                true
            }
            _ => false,
        }
    }

    /// A console closed.
    pub fn leave(&self, session: u64) {
        if let Ok(mut m) = self.sessions.lock()
            && m.remove(&session).is_some()
        {
            self.version.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Increases with every change.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::SeqCst)
    }

    /// Every open console except `session`'s own.
    pub fn others(&self, session: u64) -> Vec<Present> {
        self.sessions
            .lock()
            .map(|m| {
                m.values()
                    .filter(|p| p.session != session)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_see_each_other_and_their_subjects() {
        let p = Presence::new();
        p.join(1, "An");
        p.join(2, "Bình");
        let v = p.version();
        assert!(p.set_subject(2, Some("SNV")));
        assert!(!p.set_subject(2, Some("SNV")), "no change, no new version");
        assert!(p.version() > v);
        let others = p.others(1);
        assert_eq!(others.len(), 1);
        assert_eq!(others[0].reviewer, "Bình");
        assert_eq!(others[0].subject.as_deref(), Some("SNV"));
        p.leave(2);
        assert!(p.others(1).is_empty());
    }
}
