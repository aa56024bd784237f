//! The append-only audit trail (nhật ký): who changed what, when, from what to what.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Initiative, Verdict};

/// One recorded change. Events are never edited or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the trail, from 1, gapless.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub reviewer: String,
    pub cause: Cause,
    pub action: AuditAction,
}

/// Why a change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// A reviewer's own decision.
    #[default]
    Edit,
    /// Undoing the reviewer's previous change.
    Undo,
    /// Redoing an undone change.
    Redo,
    /// A file import or database creation.
    Import,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditAction {
    /// A verdict changed; `old` is `None` when the criterion had never been decided.
    Verdict {
        subject: String,
        criterion: String,
        old: Option<Verdict>,
        new: Verdict,
    },
    /// An initiative's status or recognition changed, or it was imported.
    Initiative {
        old: Option<Initiative>,
        new: Initiative,
    },
    /// A roster or initiatives file was imported, or the database created.
    Import {
        source: String,
        added: u64,
        updated: u64,
    },
    /// A self-assessment file (tự đánh giá) was imported: the units' claims, not verdicts.
    SelfAssessment {
        source: String,
        added: u64,
        updated: u64,
        /// Claims removed by `--clear-empty`.
        #[serde(default)]
        cleared: u64,
    },
    /// A chair locked a subject whose review is final (khóa hồ sơ): its verdicts and
    /// initiatives can no longer change until it is unlocked.
    Lock { subject: String },
    /// A chair unlocked a subject.
    Unlock { subject: String },
    /// Subjects were assigned to a reviewer (phân công), or their assignment cleared
    /// (`reviewer: None`): what was selected, in words, and how many changed.
    Assign {
        reviewer: Option<String>,
        selection: String,
        changed: u64,
    },
}

impl AuditAction {
    /// The subject this event concerns, if it concerns one.
    pub fn subject(&self) -> Option<&str> {
        match self {
            Self::Verdict { subject, .. } => Some(subject),
            Self::Initiative { new, .. } => Some(&new.owner),
            Self::Import { .. } | Self::SelfAssessment { .. } | Self::Assign { .. } => None,
            Self::Lock { subject } | Self::Unlock { subject } => Some(subject),
        }
    }
}
