//! Where a reviewer left off, kept by the store as opaque bytes (JSON here, so an old or
//! foreign value simply fails to decode and the console starts at the top).

use serde::{Deserialize, Serialize};

use super::{Filter, InputMethod, Kind, Pane};

/// The reviewer's position: subject, criterion, list and pane, and the input method they last
/// chose (so the built-in Telex or VNI, once switched on, stays on for them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub subject: String,
    pub criterion: String,
    pub kind: Kind,
    pub filter: Filter,
    pub focus: Pane,
    pub ime: InputMethod,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    subject: String,
    criterion: String,
    list: String,
    filter: String,
    focus: String,
    /// Absent in positions saved before it existed: plain input.
    #[serde(default)]
    input: String,
}

impl Position {
    /// The bytes handed to `Store::put_cursor`.
    pub fn encode(&self) -> Vec<u8> {
        let stored = Stored {
            subject: self.subject.clone(),
            criterion: self.criterion.clone(),
            list: match self.kind {
                Kind::Collectives => "collectives",
                Kind::Individuals => "individuals",
            }
            .into(),
            filter: match self.filter {
                Filter::All => "all",
                Filter::Pending => "pending",
                Filter::Attention => "attention",
                Filter::Waiting => "waiting",
                Filter::Qualified => "qualified",
                Filter::Differs => "differs",
            }
            .into(),
            focus: match self.focus {
                Pane::Subjects => "subjects",
                Pane::Criteria => "criteria",
            }
            .into(),
            input: match self.ime {
                InputMethod::Off => "plain",
                InputMethod::Telex => "telex",
                InputMethod::Vni => "vni",
            }
            .into(),
        };
        serde_json::to_vec(&stored).unwrap_or_default()
    }

    /// Reads bytes written by `encode`; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Position> {
        let s: Stored = serde_json::from_slice(bytes).ok()?;
        Some(Position {
            subject: s.subject,
            criterion: s.criterion,
            kind: match s.list.as_str() {
                "individuals" => Kind::Individuals,
                _ => Kind::Collectives,
            },
            filter: match s.filter.as_str() {
                "pending" => Filter::Pending,
                "attention" => Filter::Attention,
                "waiting" => Filter::Waiting,
                "qualified" => Filter::Qualified,
                "differs" => Filter::Differs,
                _ => Filter::All,
            },
            focus: match s.focus.as_str() {
                "criteria" => Pane::Criteria,
                _ => Pane::Subjects,
            },
            ime: match s.input.as_str() {
                "telex" => InputMethod::Telex,
                "vni" => InputMethod::Vni,
                _ => InputMethod::Off,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_garbage() {
        let p = Position {
            subject: "SNV".into(),
            criterion: "TT3".into(),
            kind: Kind::Individuals,
            filter: Filter::Attention,
            focus: Pane::Criteria,
            ime: InputMethod::Vni,
        };
        assert_eq!(Position::decode(&p.encode()), Some(p));
        // A position saved before the input method was kept: plain input.
        let old = br#"{"subject":"SNV","criterion":"TT3","list":"collectives","filter":"all","focus":"subjects"}"#;
        assert_eq!(Position::decode(old).map(|p| p.ime), Some(InputMethod::Off));
        assert_eq!(Position::decode(b"\x00garbage"), None);
    }
}
