//! Finding the table in a file made the way an office makes it: a title block above the header
//! ("UBND TỈNH AN GIANG", "DANH SÁCH …"), a numbering column (STT), Vietnamese or English column
//! names in any order, and a signature block below ("Người lập biểu", "Thủ trưởng đơn vị").
//!
//! The header is the first of the first 20 rows naming a column for every required field.
//! Column names are compared by `key`: case, diacritics (đ as d), spacing and punctuation are
//! ignored. The table ends at the first empty row; non-empty rows below it are listed as
//! ignored, unless one has values in both of the spec's `gap_fields` (a gap inside the table,
//! refused). Merged cells, hidden rows and formulas inside the table are refused.

use std::collections::{BTreeMap, HashMap};

use super::table::{self, ImportError, Location, Msg, Problem, Row, Sheet, Table, msg, msgs};
use crate::msg::{Key, Part};

/// How many rows from the top the header is looked for in.
pub(crate) const HEADER_SEARCH_ROWS: usize = 20;

/// One field of a file kind, with the column names that mean it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The canonical name (also accepted as a column name).
    pub name: &'static str,
    pub required: bool,
    pub aliases: &'static [&'static str],
}

/// The fields of one file kind.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub fields: &'static [Field],
    /// A row below the table's end with values in both of these columns is a gap inside the
    /// table, not a footer.
    pub gap_fields: [&'static str; 2],
}

/// Column names that number the rows (số thứ tự) and are ignored.
pub(crate) const NUMBERING: [&str; 5] = ["STT", "TT", "Số TT", "Số thứ tự", "No."];

/// What was skipped and ignored around a table, for the import's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The header row's place.
    pub header_at: Option<Location>,
    /// The rows above the header (title block), as first and last number.
    pub title_rows: Option<(u64, u64)>,
    /// Columns not imported: numbering, unknown names, values under no name.
    pub ignored_columns: Vec<Msg>,
    /// Non-empty rows below the end of the table, with their first words.
    pub ignored_rows: Vec<(Location, String)>,
    /// The CSV separator used.
    pub separator: Option<char>,
    /// The XLSX sheet read.
    pub sheet: Option<String>,
    /// The row under the header that numbers the columns ("(1) (2) (3)"), skipped.
    pub number_row: Option<Location>,
}

/// A column name as compared: folded (lower case, no diacritics, đ as d), letters and digits
/// only.
pub fn key(name: &str) -> String {
    crate::text::fold(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// What a header cell means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Field(usize),
    Numbering,
    Unknown,
    Empty,
}

/// Column names to fields, built-in and from the campaign.
pub struct Matcher {
    spec: Spec,
    names: HashMap<String, usize>,
}

impl Matcher {
    /// The matcher for `spec` with the campaign's extra aliases (by field name; names of other
    /// fields are not this file's and are left out).
    pub fn new(spec: Spec, extra: &BTreeMap<String, Vec<String>>) -> Self {
        let mut names = HashMap::new();
        for (i, f) in spec.fields.iter().enumerate() {
            names.insert(key(f.name), i);
            for a in f.aliases {
                names.insert(key(a), i);
            }
            for a in extra.get(f.name).into_iter().flatten() {
                names.insert(key(a), i);
            }
        }
        Matcher { spec, names }
    }

    fn col(&self, cell: &str) -> Col {
        let k = key(cell);
        if k.is_empty() {
            Col::Empty
        } else if let Some(i) = self.names.get(&k) {
            Col::Field(*i)
        } else if NUMBERING.iter().any(|n| key(n) == k) {
            Col::Numbering
        } else {
            Col::Unknown
        }
    }

    /// Whether the row names a column for every required field.
    pub(crate) fn is_header(&self, row: &Row) -> bool {
        self.missing(row).is_empty()
    }

    /// The required fields the row has no column for.
    fn missing(&self, row: &Row) -> Vec<&'static str> {
        let found: Vec<usize> = row
            .cells
            .iter()
            .filter_map(|c| match self.col(c) {
                Col::Field(i) => Some(i),
                _ => None,
            })
            .collect();
        self.spec
            .fields
            .iter()
            .enumerate()
            .filter(|(i, f)| f.required && !found.contains(i))
            .map(|(_, f)| f.name)
            .collect()
    }

    /// Whether any row among the first 20 is a header (used to detect a CSV separator).
    pub fn finds_header(&self, rows: &[Row]) -> bool {
        rows.iter()
            .take(HEADER_SEARCH_ROWS)
            .any(|r| self.is_header(r))
    }

    /// Every accepted name of every field, for the "no header" message and data/README.md.
    pub fn expected(&self) -> String {
        self.spec
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| {
                let mut seen = Vec::new();
                let names: Vec<String> = std::iter::once(f.name)
                    .chain(f.aliases.iter().copied())
                    .filter(|a| {
                        let k = key(a);
                        let new = !seen.contains(&k);
                        seen.push(k);
                        new
                    })
                    .map(|a| format!("\"{a}\""))
                    .collect();
                format!("{}: {}", f.name, names.join(" / "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// How a column is named in messages: `column D "Trực thuộc"` (CSV: `column 4 …`).
fn column_label(sheet: &Sheet, index: usize, header: &str) -> Msg {
    let col = sheet.first_col + index as u32;
    let mut name = if sheet.separator.is_some() {
        (col + 1).to_string()
    } else {
        table::column_letter(col)
    };
    if !header.trim().is_empty() {
        name.push_str(&format!(" {}", table::shown(header.trim())));
    }
    msg(Key::ImpColumn, &[&name])
}

/// A row's first non-empty cells, for listing an ignored row.
fn preview(row: &Row) -> String {
    let words: Vec<&str> = row
        .cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .take(6)
        .collect();
    table::shown_upto(&words.join(" · "), 80)
}

/// Finds the header and the end of the table in `sheet` and returns the table with one cell per
/// field of `spec`, or every problem with the file's layout.
pub fn locate(mut sheet: Sheet, matcher: &Matcher) -> Result<Table, ImportError> {
    let spec = matcher.spec;
    let file = sheet.file.clone();
    let err = |problems: Vec<Problem>| ImportError {
        file: file.clone(),
        problems,
    };
    let Some(h) = sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| matcher.is_header(r))
    else {
        return Err(err(vec![no_header(&sheet, matcher)]));
    };
    let header = &sheet.rows[h];
    let cols: Vec<Col> = header.cells.iter().map(|c| matcher.col(c)).collect();

    // Two columns meaning the same field.
    let mut problems = Vec::new();
    let mut column_of: Vec<Option<usize>> = vec![None; spec.fields.len()];
    for (i, c) in cols.iter().enumerate() {
        if let Col::Field(f) = c {
            match column_of[*f] {
                Some(earlier) => problems.push(Problem::at(
                    &header.at,
                    Some(spec.fields[*f].name),
                    msgs(
                        Key::ImpSameField,
                        &[
                            &column_label(&sheet, earlier, &header.cells[earlier]),
                            &column_label(&sheet, i, &header.cells[i]),
                            &table::field_label(spec.fields[*f].name),
                        ],
                    ),
                )),
                None => column_of[*f] = Some(i),
            }
        }
    }
    if !problems.is_empty() {
        return Err(err(problems));
    }

    // The table: header + 1 (past a column-number row) up to the first empty row.
    let number_row = sheet
        .rows
        .get(h + 1)
        .filter(|r| is_number_row(r, header))
        .map(|r| r.at.clone());
    let start = h + 1 + usize::from(number_row.is_some());
    let end = sheet.rows[start..]
        .iter()
        .position(Row::is_blank)
        .map_or(sheet.rows.len(), |p| start + p);
    let data = &sheet.rows[start..end];
    let below = &sheet.rows[end..];
    let header_width = header
        .cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1);

    let field_index = |name: &str| spec.fields.iter().position(|f| f.name == name);
    let gap_cols: Vec<Option<usize>> = spec
        .gap_fields
        .iter()
        .map(|g| field_index(g).and_then(|f| column_of[f]))
        .collect();
    let blank_at = sheet.rows.get(end).map(|r| r.at.clone());
    let mut ignored_rows = Vec::new();
    for r in below.iter().filter(|r| !r.is_blank()) {
        let filled = |c: Option<usize>| {
            c.and_then(|c| r.cells.get(c))
                .is_some_and(|v| !v.trim().is_empty())
        };
        if gap_cols.iter().all(|c| filled(*c)) {
            problems.push(Problem::at(
                &r.at,
                None,
                msgs(
                    Key::ImpGapRow,
                    &[
                        &table::field_label(spec.gap_fields[0]),
                        &table::field_label(spec.gap_fields[1]),
                        &blank_at.as_ref().map_or(Msg::from("row"), Location::text),
                    ],
                ),
            ));
        } else {
            ignored_rows.push((r.at.clone(), preview(r)));
        }
    }

    // Row widths: a CSV row has as many fields as the header line; an XLSX row has nothing
    // right of the header's last named column.
    for r in data {
        let width = match sheet.separator {
            Some(_) => r.cells.len(),
            None => r
                .cells
                .iter()
                .rposition(|c| !c.trim().is_empty())
                .map_or(0, |i| i + 1)
                .max(header_width),
        };
        let want = match sheet.separator {
            Some(_) => header.cells.len(),
            None => header_width,
        };
        if width != want {
            let (width, want) = (width.to_string(), want.to_string());
            let message = match sheet.separator {
                Some(sep) => {
                    let name = separator_name(sep);
                    msgs(
                        Key::ImpWidthSep,
                        &[&width.as_str().into(), &want.as_str().into(), &name, &name],
                    )
                }
                None => msg(Key::ImpWidthXlsx, &[&width, &want]),
            };
            problems.push(Problem::at(&r.at, None, message));
        }
    }

    // Merged cells, hidden rows and formulas inside the table.
    let first = header.at.number();
    let last = data.last().map_or(first, |r| r.at.number());
    let sheet_at = |row: u32| Location::Row {
        sheet: sheet.name.clone().unwrap_or_default(),
        row,
    };
    for m in &sheet.merged {
        if u64::from(m.last_row) >= first && u64::from(m.first_row) <= last {
            problems.push(Problem::at(
                &sheet_at(m.first_row.max(first as u32)),
                None,
                msg(Key::ImpMerged, &[&m.range()]),
            ));
        }
    }
    for row in &sheet.hidden {
        if u64::from(*row) >= first && u64::from(*row) <= last {
            problems.push(Problem::at(&sheet_at(*row), None, msg(Key::ImpHidden, &[])));
        }
    }
    for (row, col, f) in &sheet.formulas {
        let after = number_row.as_ref().map_or(first, Location::number);
        let in_table = u64::from(*row) > after && u64::from(*row) <= last;
        let index = col.checked_sub(sheet.first_col).map(|c| c as usize);
        let field = index.and_then(|i| match cols.get(i) {
            Some(Col::Field(f)) => Some(spec.fields[*f].name),
            _ => None,
        });
        if in_table && let Some(field) = field {
            problems.push(Problem::at(
                &sheet_at(*row),
                Some(field),
                msg(Key::ImpFormula, &[&table::shown(&format!("={f}"))]),
            ));
        }
    }

    // Ignored columns.
    let mut ignored_columns = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        match c {
            Col::Numbering | Col::Unknown => {
                ignored_columns.push(column_label(&sheet, i, &header.cells[i]));
            }
            Col::Empty
                if data
                    .iter()
                    .any(|r| r.cells.get(i).is_some_and(|v| !v.trim().is_empty())) =>
            {
                ignored_columns.push(msgs(Key::ImpColumnNoName, &[&column_label(&sheet, i, "")]));
            }
            _ => {}
        }
    }

    if !problems.is_empty() {
        problems.sort_by_key(|p| p.at.as_ref().map_or(0, Location::number));
        let mut e = err(problems);
        label_fields(&mut e.problems, &sheet, header, &column_of, spec);
        return Err(e);
    }

    let columns: Vec<Option<Msg>> = column_of
        .iter()
        .zip(spec.fields)
        .map(|(c, f)| {
            // A column under the field's own name needs no more words than "field parent".
            c.filter(|c| key(&header.cells[*c]) != key(f.name))
                .map(|c| column_label(&sheet, c, &header.cells[c]))
        })
        .collect();
    let layout = Layout {
        header_at: Some(header.at.clone()),
        title_rows: (first > 1).then_some((1, first - 1)),
        ignored_columns,
        ignored_rows,
        separator: sheet.separator,
        sheet: sheet.name.clone(),
        number_row,
    };
    let header = Row {
        at: header.at.clone(),
        cells: spec.fields.iter().map(|f| f.name.to_string()).collect(),
    };
    // The data rows are moved, not copied: at province scale ×10 a copy is a hundred MB.
    let mut all = std::mem::take(&mut sheet.rows);
    all.truncate(end);
    let rows = all
        .drain(start..)
        .map(|mut r| Row {
            at: r.at,
            cells: column_of
                .iter()
                .map(|c| {
                    c.and_then(|c| r.cells.get_mut(c))
                        .map(std::mem::take)
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect();
    Ok(Table {
        file: sheet.file.clone(),
        header,
        rows,
        present: column_of.iter().map(Option::is_some).collect(),
        columns,
        layout,
    })
}

/// Whether `row`, right under `header`, numbers the table's columns the way office forms do:
/// every non-empty cell is "(1)", "(2)", … in order, or every cell holds its own column's number
/// ("1 2 3 …", counted from the header's first named column), and at least two cells do.
fn is_number_row(row: &Row, header: &Row) -> bool {
    let Some(left) = header.cells.iter().position(|c| !c.trim().is_empty()) else {
        return false;
    };
    let filled: Vec<(usize, &str)> = row
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.trim()))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if filled.len() < 2 {
        return false;
    }
    let number = |c: &str| -> Option<usize> {
        if c.is_empty() || !c.bytes().all(|b| b.is_ascii_digit()) || c.len() > 4 {
            return None;
        }
        c.parse().ok()
    };
    let in_parens = filled.iter().all(|(_, c)| {
        c.strip_prefix('(')
            .and_then(|c| c.strip_suffix(')'))
            .and_then(|c| number(c.trim()))
            .is_some()
    });
    if in_parens {
        let numbers: Vec<usize> = filled
            .iter()
            .filter_map(|(_, c)| number(c[1..c.len() - 1].trim()))
            .collect();
        return numbers.first() == Some(&1) && numbers.windows(2).all(|w| w[1] == w[0] + 1);
    }
    filled
        .iter()
        .all(|(i, c)| *i >= left && number(c) == Some(i - left + 1))
}

/// Adds the column to each problem's field name.
fn label_fields(
    problems: &mut [Problem],
    sheet: &Sheet,
    header: &Row,
    column_of: &[Option<usize>],
    spec: Spec,
) {
    for p in problems {
        let Some(name) = p.field.clone() else {
            continue;
        };
        if let Some(c) = spec
            .fields
            .iter()
            .position(|f| f.name == name)
            .and_then(|f| column_of[f])
            .filter(|c| key(&header.cells[*c]) != key(&name))
        {
            p.column = Some(column_label(sheet, c, &header.cells[c]));
        }
    }
}

fn separator_name(sep: char) -> Msg {
    let key = match sep {
        ';' => Key::ImportSepSemicolon,
        '\t' => Key::ImportSepTab,
        _ => Key::ImportSepComma,
    };
    msg(key, &[])
}

/// The "no header" problem: what was looked at, the best candidate, and the names expected.
fn no_header(sheet: &Sheet, matcher: &Matcher) -> Problem {
    let looked: Vec<&Row> = sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .filter(|r| !r.is_blank())
        .collect();
    if looked.is_empty() {
        return Problem::file(msg(Key::ImpEmptyFile, &[]));
    }
    let last = sheet.rows[..sheet.rows.len().min(HEADER_SEARCH_ROWS)]
        .last()
        .map_or(0, |r| r.at.number());
    let mut message = vec![Part::Told(msg(
        Key::ImpNoHeader,
        &[&last.to_string(), &matcher.expected()],
    ))];
    let mut push = |m: Msg| message.push(m.into());
    let best = looked
        .iter()
        .map(|r| (matcher.missing(r).len(), *r))
        .filter(|(m, _)| *m < matcher.spec.fields.iter().filter(|f| f.required).count())
        .min_by_key(|(m, r)| (*m, r.at.number()));
    if let Some((_, r)) = best {
        push(msgs(
            Key::ImpClosest,
            &[&r.at.text(), &matcher.missing(r).join(", ").into()],
        ));
    }
    let seen: Vec<&Row> = looked.iter().take(8).copied().collect();
    let mut list = Vec::new();
    for (i, r) in seen.iter().enumerate() {
        if i > 0 {
            list.push("; ".into());
        }
        list.push(r.at.text().into());
        list.push(format!(" {}", preview(r)).into());
    }
    push(msgs(Key::ImpLookedAt, &[&table::cat(list)]));
    if looked.len() > 8 {
        push(msg(Key::ImpMoreRows, &[&(looked.len() - 8).to_string()]));
    }
    Problem::file(table::cat(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_diacritics_spacing_and_punctuation() {
        assert_eq!(key("Mã ĐVHC"), "madvhc");
        assert_eq!(key(" Đơn vị  cấp trên "), "donvicaptren");
        assert_eq!(key("registered_on"), "registeredon");
        assert_eq!(key("Họ và tên:"), "hovaten");
        assert_eq!(column_letter_check(), "A Z AA AZ BA");
    }

    fn row(cells: &[&str]) -> Row {
        Row {
            at: Location::Line(1),
            cells: cells.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn column_number_rows_are_recognised() {
        let header = row(&["STT", "Mã", "Tên", "Cấp"]);
        assert!(is_number_row(&row(&["(1)", "(2)", "(3)", "(4)"]), &header));
        assert!(is_number_row(&row(&["1", "2", "3", "4"]), &header));
        assert!(is_number_row(&row(&["( 1 )", "(2)", "", ""]), &header));
        let shifted = row(&["", "STT", "Mã", "Tên"]);
        assert!(is_number_row(&row(&["", "1", "2", "3"]), &shifted));
        // Data rows are not column numbers.
        assert!(!is_number_row(&row(&["1", "X01", "Sở", "tinh"]), &header));
        assert!(!is_number_row(&row(&["1", "2", "5", "4"]), &header));
        assert!(!is_number_row(&row(&["(2)", "(3)"]), &header));
        assert!(!is_number_row(&row(&["1", "", "", ""]), &header));
    }

    fn column_letter_check() -> String {
        [0, 25, 26, 51, 52]
            .iter()
            .map(|c| table::column_letter(*c))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
