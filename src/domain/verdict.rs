//! Verdicts: one per (subject, criterion), with the reviewer's note and the time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Points;

/// The decision on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "value", content = "score")]
pub enum VerdictValue {
    /// Chưa đánh giá.
    #[default]
    Pending,
    /// Đạt.
    Met,
    /// Không đạt.
    NotMet,
    /// Cần giải trình.
    NeedsExplanation,
    /// A score, for a points criterion.
    Score(Points),
}

impl VerdictValue {
    /// The stable code used in exports and logs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Met => "met",
            Self::NotMet => "not_met",
            Self::NeedsExplanation => "needs_explanation",
            Self::Score(_) => "score",
        }
    }

    /// Whether a reviewer has decided this criterion (anything but pending or needs-explanation
    /// counts towards an outcome).
    pub fn is_decided(self) -> bool {
        !matches!(self, Self::Pending)
    }

    /// Whether this verdict is expected to come with a reason in the note.
    pub fn wants_reason(self) -> bool {
        matches!(self, Self::NotMet | Self::NeedsExplanation)
    }
}

/// A recorded verdict. `version` counts the writes to this (subject, criterion) and is what a
/// later write must be based on; a never-written verdict is pending at version 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub value: VerdictValue,
    pub note: String,
    pub reviewer: String,
    pub decided_at: DateTime<Utc>,
    pub version: u64,
}

impl Verdict {
    /// Whether a not-met or needs-explanation verdict lacks its reason.
    pub fn missing_reason(&self) -> bool {
        self.value.wants_reason() && self.note.trim().is_empty()
    }
}

/// A verdict borrowed from where it is stored (a store record or the console's index), so
/// hundreds of thousands can be read without allocating their strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerdictRef<'a> {
    pub value: VerdictValue,
    pub note: &'a str,
    pub reviewer: &'a str,
    pub decided_at: DateTime<Utc>,
    pub version: u64,
}

impl VerdictRef<'_> {
    /// Whether a not-met or needs-explanation verdict lacks its reason.
    pub fn missing_reason(&self) -> bool {
        self.value.wants_reason() && self.note.trim().is_empty()
    }

    /// An owned copy.
    pub fn to_verdict(&self) -> Verdict {
        Verdict {
            value: self.value,
            note: self.note.to_string(),
            reviewer: self.reviewer.to_string(),
            decided_at: self.decided_at,
            version: self.version,
        }
    }
}

impl Verdict {
    /// This verdict borrowed.
    pub fn as_ref(&self) -> VerdictRef<'_> {
        VerdictRef {
            value: self.value,
            note: &self.note,
            reviewer: &self.reviewer,
            decided_at: self.decided_at,
            version: self.version,
        }
    }
}

/// Property-test generators for verdict values, shared by the modules that store them.
#[cfg(test)]
pub(crate) mod strategies {
    use super::VerdictValue;
    use proptest::prelude::*;

    /// Any verdict value, scores of any size included.
    pub fn value() -> impl Strategy<Value = VerdictValue> {
        prop_oneof![
            Just(VerdictValue::Pending),
            Just(VerdictValue::Met),
            Just(VerdictValue::NotMet),
            Just(VerdictValue::NeedsExplanation),
            any::<u32>().prop_map(|h| VerdictValue::Score(super::Points::from_hundredths(h))),
        ]
    }
}
