//! Subjects (đối tượng): the collectives and individuals under review.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A unit (tập thể) or a civil servant (cá nhân). The id is the roster's stable key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub id: String,
    pub name: String,
    pub tier: String,
    /// The unit this subject belongs to; `None` for top-level units.
    pub parent: Option<String>,
    /// The date the unit sent its emulation registration (đăng ký thi đua), if any.
    #[serde(default)]
    pub registered_on: Option<NaiveDate>,
}
