//! What an import does, before it does it: new rows, changed fields (old → new), unchanged
//! rows, stored values kept because the file left their cell empty, stored rows the file does
//! not mention (kept, never deleted), and what was skipped around the table. `--dry-run`
//! prints this and writes nothing; a real import prints the same.

use super::office::Layout;
use super::table::ReadOptions;
use crate::domain::Lang;
use crate::i18n::{Key, fill, tr};

/// How many entries of each list the summary shows; the rest are counted.
pub const SHOWN: usize = 20;

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
    pub fn is_noop(&self) -> bool {
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

    /// The summary printed by `thidua import`, in the reviewer's language.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = Vec::new();
        let head = if self.written {
            fill(
                lang,
                Key::ImportDone,
                &[
                    &self.file,
                    &self.added_count.to_string(),
                    &self.changed_count.to_string(),
                    &self.unchanged.to_string(),
                ],
            )
        } else {
            fill(
                lang,
                Key::ImportDryRun,
                &[
                    &self.file,
                    &self.added_count.to_string(),
                    &self.changed_count.to_string(),
                    &self.unchanged.to_string(),
                ],
            )
        };
        out.push(head);
        let l = &self.layout;
        if let Some(sheet) = &l.sheet {
            out.push(fill(lang, Key::ImportSheet, &[&crate::text::clean(sheet)]));
        }
        if let Some(sep) = l.separator {
            let name = match sep {
                ';' => tr(lang, Key::ImportSepSemicolon),
                '\t' => tr(lang, Key::ImportSepTab),
                _ => tr(lang, Key::ImportSepComma),
            };
            out.push(fill(lang, Key::ImportSeparator, &[name]));
        }
        if let Some((a, b)) = l.title_rows {
            let range = if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            };
            out.push(fill(lang, Key::ImportTitleRows, &[&range]));
        }
        if let Some(at) = &l.header_at {
            out.push(fill(lang, Key::ImportHeaderAt, &[&at.number().to_string()]));
        }
        if !l.ignored_columns.is_empty() {
            out.push(fill(
                lang,
                Key::ImportIgnoredColumns,
                &[&l.ignored_columns
                    .iter()
                    .map(|c| c.get(lang))
                    .collect::<Vec<_>>()
                    .join(", ")],
            ));
        }
        if !l.ignored_rows.is_empty() {
            out.push(fill(
                lang,
                Key::ImportIgnoredRows,
                &[&l.ignored_rows.len().to_string()],
            ));
            for (at, text) in l.ignored_rows.iter().take(SHOWN) {
                out.push(format!("  {} {text}", at.number()));
            }
            more(&mut out, lang, l.ignored_rows.len());
        }
        if self.added_count > 0 {
            out.push(fill(lang, Key::ImportNew, &[&self.added_count.to_string()]));
            for (id, name) in self.added.iter().take(SHOWN) {
                out.push(format!("  + {id} {}", crate::text::clean(name)));
            }
            more(&mut out, lang, self.added_count as usize);
        }
        if self.changed_count > 0 {
            out.push(fill(
                lang,
                Key::ImportChanged,
                &[&self.changed_count.to_string()],
            ));
            for (id, changes) in self.changed.iter().take(SHOWN) {
                for c in changes {
                    out.push(format!(
                        "  ~ {id} {}: {} → {}",
                        c.field,
                        shown_value(&c.old, lang),
                        shown_value(&c.new, lang)
                    ));
                }
            }
            more(&mut out, lang, self.changed_count as usize);
        }
        if !self.kept.is_empty() {
            out.push(fill(lang, Key::ImportKept, &[&self.kept.len().to_string()]));
            for k in self.kept.iter().take(SHOWN) {
                out.push(format!(
                    "  = {} {}: {}",
                    k.id,
                    k.field,
                    shown_value(&k.value, lang)
                ));
            }
            more(&mut out, lang, self.kept.len());
        }
        if !self.cleared.is_empty() {
            out.push(fill(
                lang,
                Key::ImportCleared,
                &[&self.cleared.len().to_string()],
            ));
        }
        if self.missing_count > 0 {
            let shown: Vec<&str> = self
                .missing
                .iter()
                .take(SHOWN)
                .map(String::as_str)
                .collect();
            let mut list = shown.join(", ");
            if self.missing_count as usize > SHOWN {
                list.push_str(&fill(
                    lang,
                    Key::ImportAndMore,
                    &[&(self.missing_count as usize - SHOWN).to_string()],
                ));
            }
            out.push(fill(
                lang,
                Key::ImportMissing,
                &[&self.missing_count.to_string(), &list],
            ));
        }
        if self.is_noop() {
            out.push(tr(lang, Key::ImportNothingChanged).to_string());
        } else if !self.written {
            out.push(tr(lang, Key::ImportNothingWritten).to_string());
        }
        out.join("\n")
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

fn more(out: &mut Vec<String>, lang: Lang, n: usize) {
    if n > SHOWN {
        out.push(format!(
            "  {}",
            fill(lang, Key::ImportAndMore, &[&(n - SHOWN).to_string()]).trim()
        ));
    }
}

fn shown_value(v: &str, lang: Lang) -> String {
    if v.is_empty() {
        tr(lang, Key::ImportEmptyValue).to_string()
    } else {
        super::table::shown(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_import_message_is_translated() {
        let untranslated: Vec<String> = Key::ALL
            .iter()
            .filter(|k| format!("{k:?}").starts_with("Imp"))
            .filter(|k| tr(Lang::Vi, **k) == tr(Lang::En, **k))
            .map(|k| format!("{k:?}"))
            .collect();
        assert!(untranslated.is_empty(), "{untranslated:?}");
    }
}
