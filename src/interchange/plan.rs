//! What an import does, before it does it: new rows, changed fields (old → new), unchanged
//! rows, stored values kept because the file left their cell empty, stored rows the file does
//! not mention (kept, never deleted), and what was skipped around the table. `--dry-run`
//! prints this and writes nothing; a real import prints the same.

use super::office::Layout;
use super::table::ReadOptions;

/// How many entries of each list the summary shows; the rest are counted.
pub(crate) const SHOWN: usize = 20;

/// Choices of one import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub read: ReadOptions,
    /// An empty cell clears the stored value instead of keeping it.
    pub clear_empty: bool,
}

/// One changed field of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// A stored value kept (or, with `--clear-empty`, cleared) because the file's cell is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub id: String,
    pub field: &'static str,
    pub value: String,
}

/// The plan of one import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub file: String,
    pub layout: Layout,
    /// New rows: id and name (the first `SHOWN`; `added_count` counts them all).
    pub added: Vec<(String, String)>,
    pub added_count: u64,
    /// Changed rows (the first `SHOWN`; `changed_count` counts them all).
    pub changed: Vec<(String, Vec<FieldChange>)>,
    pub changed_count: u64,
    pub unchanged: u64,
    pub kept: Vec<Kept>,
    pub cleared: Vec<Kept>,
    /// Stored ids the file does not have, kept (the first `SHOWN`).
    pub missing: Vec<String>,
    pub missing_count: u64,
    /// Whether the plan was carried out.
    pub written: bool,
}

impl Report {
    /// Whether the import changes nothing.
    pub(crate) fn is_noop(&self) -> bool {
        self.added_count == 0 && self.changed_count == 0
    }

    /// Records a new row; only the first `SHOWN` are kept for the summary.
    pub fn add(&mut self, id: &str, name: &str) {
        self.added_count += 1;
        if self.added.len() < SHOWN {
            self.added.push((id.to_string(), name.to_string()));
        }
    }

    /// Records a changed row.
    pub fn change(&mut self, id: &str, changes: Vec<FieldChange>) {
        self.changed_count += 1;
        if self.changed.len() < SHOWN {
            self.changed.push((id.to_string(), changes));
        }
    }

    /// Records a stored row the file does not have.
    pub fn miss(&mut self, id: &str) {
        self.missing_count += 1;
        if self.missing.len() < SHOWN {
            self.missing.push(id.to_string());
        }
    }
}

/// For a cell of a row already stored: when the cell is empty and the stored value is not,
/// records in `kept` that the stored value is kept (or, with `clear_empty`, cleared; an entry
/// with an empty value) and returns whether it is kept. A row without an id records nothing.
pub fn keep_stored(
    kept: &mut Vec<Kept>,
    id: Option<&str>,
    field: &'static str,
    cell: &str,
    value: String,
    clear_empty: bool,
) -> bool {
    if !cell.trim().is_empty() || value.is_empty() {
        return false;
    }
    if let Some(id) = id {
        kept.push(Kept {
            id: id.to_string(),
            field,
            value: if clear_empty { String::new() } else { value },
        });
    }
    !clear_empty
}
