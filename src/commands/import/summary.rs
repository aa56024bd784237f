//! The summary of an import, worded for the command line: new rows, changed fields (old →
//! new), unchanged rows, stored values kept, rows the file does not mention, and what was
//! skipped around the table. The importers say what they found (`interchange::plan::Report`);
//! this is where it becomes words.

use std::fmt;

use crate::domain::Lang;
use crate::i18n::{Key, fill, tr, word_told};
use crate::interchange::plan::{Report, SHOWN};
use crate::interchange::table::{ImportError, Location};

/// A refused file in the reviewer's language: each problem with its file, row or line, field
/// and column, and that nothing was changed.
pub fn refused(e: &ImportError, lang: Lang) -> String {
    word_told(lang, &e.told())
}

/// In English, for logs and for errors that reach no reviewer.
impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&refused(self, Lang::En))
    }
}

/// `line 12` / `sheet Danh sách, row 4`, in English (see `Location::text`).
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&word_told(Lang::En, &self.text()))
    }
}

/// The summary of an import's plan (`interchange::plan::Report`), in the reviewer's language:
/// what `--dry-run` prints, and a real import too.
pub fn render(report: &Report, lang: Lang) -> String {
    let mut out = Vec::new();
    let head = if report.written {
        fill(
            lang,
            Key::ImportDone,
            &[
                &report.file,
                &report.added_count.to_string(),
                &report.changed_count.to_string(),
                &report.unchanged.to_string(),
            ],
        )
    } else {
        fill(
            lang,
            Key::ImportDryRun,
            &[
                &report.file,
                &report.added_count.to_string(),
                &report.changed_count.to_string(),
                &report.unchanged.to_string(),
            ],
        )
    };
    out.push(head);
    let l = &report.layout;
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
    if let Some(at) = &l.number_row {
        out.push(fill(
            lang,
            Key::ImportNumberRow,
            &[&at.number().to_string()],
        ));
    }
    if !l.ignored_columns.is_empty() {
        out.push(fill(
            lang,
            Key::ImportIgnoredColumns,
            &[&l.ignored_columns
                .iter()
                .map(|c| word_told(lang, c))
                .collect::<Vec<_>>()
                .join(", ")],
        ));
    }
    if l.ignored_rows.len() == 1 {
        out.push(tr(lang, Key::ImportIgnoredRow).to_string());
    } else if !l.ignored_rows.is_empty() {
        out.push(fill(
            lang,
            Key::ImportIgnoredRows,
            &[&l.ignored_rows.len().to_string()],
        ));
    }
    if !l.ignored_rows.is_empty() {
        for (at, text) in l.ignored_rows.iter().take(SHOWN) {
            out.push(format!("  {} {text}", at.number()));
        }
        more(&mut out, lang, l.ignored_rows.len());
    }
    if report.added_count > 0 {
        out.push(fill(
            lang,
            Key::ImportNew,
            &[&report.added_count.to_string()],
        ));
        for (id, name) in report.added.iter().take(SHOWN) {
            out.push(format!("  + {id} {}", crate::text::clean(name)));
        }
        more(&mut out, lang, report.added_count as usize);
    }
    if report.changed_count > 0 {
        out.push(fill(
            lang,
            Key::ImportChanged,
            &[&report.changed_count.to_string()],
        ));
        for (id, changes) in report.changed.iter().take(SHOWN) {
            for c in changes {
                out.push(format!(
                    "  ~ {id} {}: {} → {}",
                    word_told(lang, &crate::interchange::table::field_label(c.field)),
                    shown_value(&c.old, lang),
                    shown_value(&c.new, lang)
                ));
            }
        }
        more(&mut out, lang, report.changed_count as usize);
    }
    if !report.kept.is_empty() {
        out.push(fill(
            lang,
            Key::ImportKept,
            &[&report.kept.len().to_string()],
        ));
        for k in report.kept.iter().take(SHOWN) {
            out.push(format!(
                "  = {} {}: {}",
                k.id,
                word_told(lang, &crate::interchange::table::field_label(k.field)),
                shown_value(&k.value, lang)
            ));
        }
        more(&mut out, lang, report.kept.len());
    }
    if !report.cleared.is_empty() {
        out.push(fill(
            lang,
            Key::ImportCleared,
            &[&report.cleared.len().to_string()],
        ));
    }
    if report.missing_count > 0 {
        let shown: Vec<&str> = report
            .missing
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect();
        let mut list = shown.join(", ");
        if report.missing_count as usize > SHOWN {
            list.push_str(&fill(
                lang,
                Key::ImportAndMore,
                &[&(report.missing_count as usize - SHOWN).to_string()],
            ));
        }
        out.push(fill(
            lang,
            Key::ImportMissing,
            &[&report.missing_count.to_string(), &list],
        ));
    }
    if report.is_noop() {
        out.push(tr(lang, Key::ImportNothingChanged).to_string());
    } else if !report.written {
        out.push(tr(lang, Key::ImportNothingWritten).to_string());
    }
    out.join("\n")
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
        crate::interchange::table::shown(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tr;

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
