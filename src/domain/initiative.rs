//! Initiatives (sáng kiến) and their recognition.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An initiative submitted by a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Initiative {
    pub id: String,
    pub title: String,
    /// The subject that owns the initiative.
    pub owner: String,
    pub submitted_on: Option<NaiveDate>,
    pub status: InitiativeStatus,
    /// Present exactly when the status is recognised.
    pub recognition: Option<Recognition>,
    /// Counts writes, like a verdict's version.
    #[serde(default)]
    pub version: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitiativeStatus {
    /// Đã nộp.
    #[default]
    Submitted,
    /// Được công nhận.
    Recognized,
    /// Không được công nhận.
    NotRecognized,
}

impl InitiativeStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Recognized => "recognized",
            Self::NotRecognized => "not_recognized",
        }
    }

    pub const ALL: [InitiativeStatus; 3] = [Self::Submitted, Self::Recognized, Self::NotRecognized];
}

/// Who recognised an initiative, by which decision, when, and at what scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognition {
    pub authority: String,
    pub decision: String,
    pub decided_on: NaiveDate,
    pub scope: Scope,
}

/// The scope of a recognition (phạm vi ảnh hưởng).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Cơ sở.
    #[default]
    CoSo,
    /// Tỉnh.
    Tinh,
    /// Toàn quốc.
    ToanQuoc,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Self::CoSo, Self::Tinh, Self::ToanQuoc];

    pub fn code(self) -> &'static str {
        match self {
            Self::CoSo => "co_so",
            Self::Tinh => "tinh",
            Self::ToanQuoc => "toan_quoc",
        }
    }

    /// Reads a code (`co_so`) or the Vietnamese words with or without diacritics ("cơ sở").
    pub fn parse(s: &str) -> Option<Scope> {
        let folded = crate::text::fold(s).replace([' ', '-'], "_");
        match folded.as_str() {
            "co_so" | "grassroots" | "base" => Some(Self::CoSo),
            "tinh" | "province" | "provincial" => Some(Self::Tinh),
            "toan_quoc" | "national" => Some(Self::ToanQuoc),
            _ => None,
        }
    }
}

impl InitiativeStatus {
    /// Reads a code (`recognized`) or the Vietnamese words with or without diacritics.
    pub fn parse(s: &str) -> Option<InitiativeStatus> {
        let folded = crate::text::fold(s).replace([' ', '-'], "_");
        match folded.as_str() {
            "" | "submitted" | "da_nop" => Some(Self::Submitted),
            "recognized" | "recognised" | "duoc_cong_nhan" | "cong_nhan" => Some(Self::Recognized),
            "not_recognized" | "not_recognised" | "khong_cong_nhan" | "khong_duoc_cong_nhan" => {
                Some(Self::NotRecognized)
            }
            _ => None,
        }
    }
}
