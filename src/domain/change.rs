//! The plain values that cross between the console's core and the store: a write the
//! reviewer asked for (with the version they saw), the store's refusal of a stale one, and a
//! committed change as other consoles hear of it. They carry no storage detail, so `app` can
//! hold them without depending on `store`.

use crate::domain::{Cause, Initiative, InitiativeStatus, Recognition, Verdict, VerdictValue};

/// Where a verdict is kept: the subject's number (given at import, never reused) and the
/// criterion's index in the subject's criteria group. The console knows both from its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cell {
    pub subject_no: u32,
    pub criterion: u16,
}

/// A verdict write: what the reviewer decided and which version they saw.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictWrite {
    pub subject: String,
    pub criterion: String,
    pub value: VerdictValue,
    pub note: String,
    /// The version the reviewer saw; 0 for a never-decided criterion.
    pub base_version: u64,
    pub cause: Cause,
    /// The cell the write was made from, when the writer knows it (the console does). The
    /// store checks it still holds `subject` and `criterion` (one read by number) and then
    /// needs no lookup by the text ids; `None`, or a cell that no longer matches (a roster
    /// re-import moved the subject to another tier), is looked up by the ids.
    pub cell: Option<Cell>,
}

/// An initiative status write.
#[derive(Debug, Clone, PartialEq)]
pub struct InitiativeWrite {
    pub id: String,
    pub status: InitiativeStatus,
    pub recognition: Option<Recognition>,
    pub base_version: u64,
    pub cause: Cause,
}

/// A write that was based on a value someone else has since changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Conflict {
    Verdict {
        subject: String,
        criterion: String,
        current: Verdict,
    },
    Initiative {
        current: Initiative,
    },
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conflict::Verdict {
                subject,
                criterion,
                current,
            } => write!(
                f,
                "{subject} {criterion} was changed meanwhile by {} at {} (now {}); nothing was overwritten",
                current.reviewer,
                crate::domain::format_time(current.decided_at),
                current.value.code()
            ),
            Conflict::Initiative { current } => write!(
                f,
                "initiative {} was changed meanwhile (now {}); nothing was overwritten",
                current.id,
                current.status.code()
            ),
        }
    }
}

/// A committed change, as other sessions need to hear of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Verdict {
        subject: String,
        criterion: String,
        verdict: Verdict,
    },
    Initiative(Initiative),
    /// Subjects or initiatives were imported.
    Roster,
    /// Subjects were assigned to reviewers, or their assignment cleared.
    Assignments,
    /// Changes were dropped for this subscriber: reload everything.
    Resync,
}
