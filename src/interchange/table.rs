//! Rows of text from a CSV or XLSX file, each tagged with where it came from, and the error
//! type every import shares. CSV is parsed here by hand (RFC 4180: commas, double quotes,
//! doubled quotes inside quotes, CRLF or LF) rather than with the `csv` crate, because the
//! crate accepts a quoted field left open at the end of the file without complaint (checked
//! with csv 1.4: `A,"open⏎B,x⏎` reads as one record whose second field runs to the end of the
//! file, with no error) and reports only where a record starts, while a reviewer needs "line 12: the quote opened here is never
//! closed". XLSX goes through calamine (first sheet only); cells become text, dates become
//! YYYY-MM-DD. Rows whose cells are all empty are skipped in both formats (spreadsheets leave
//! them at the end).

use std::fmt;
use std::path::Path;

/// At most this many problems are listed in one error message; the rest are counted.
pub const SHOWN_PROBLEMS: usize = 20;

/// Where a row sits in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A CSV physical line, counting the header as line 1.
    Line(u64),
    /// An XLSX row, numbered as the spreadsheet shows it.
    Row { sheet: String, row: u32 },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Row { sheet, row } => write!(f, "sheet {sheet}, row {row}"),
        }
    }
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Option<Location>,
    /// The column the problem is in, by its header name.
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    /// A problem about the whole file (unreadable, wrong encoding, unknown extension).
    pub fn file(message: impl Into<String>) -> Self {
        Problem {
            at: None,
            field: None,
            message: message.into(),
        }
    }

    /// A problem about one row, optionally one field of it.
    pub fn at(at: &Location, field: Option<&str>, message: impl Into<String>) -> Self {
        Problem {
            at: Some(at.clone()),
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

/// Everything wrong with one imported file; when this is returned nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl ImportError {
    /// An error with a single problem.
    pub fn one(file: &str, problem: Problem) -> Self {
        ImportError {
            file: file.to_string(),
            problems: vec![problem],
        }
    }

    fn write_problem(&self, f: &mut fmt::Formatter<'_>, p: &Problem) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(at) = &p.at {
            write!(f, ", {at}")?;
        }
        if let Some(field) = &p.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", p.message)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [] => write!(f, "{}: cannot be imported; nothing was changed", self.file),
            [p] => {
                self.write_problem(f, p)?;
                write!(
                    f,
                    "\nNothing was imported; fix the file and import it again."
                )
            }
            many => {
                write!(
                    f,
                    "{}: {} problems; nothing was imported, fix them and import the file again:",
                    self.file,
                    many.len()
                )?;
                for p in many.iter().take(SHOWN_PROBLEMS) {
                    write!(f, "\n  ")?;
                    self.write_problem(f, p)?;
                }
                if many.len() > SHOWN_PROBLEMS {
                    write!(f, "\n  and {} more", many.len() - SHOWN_PROBLEMS)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// One data row: its cells as text (not yet cleaned) and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub at: Location,
    pub cells: Vec<String>,
}

/// A file's header and data rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub file: String,
    pub header: Row,
    pub rows: Vec<Row>,
}

impl Table {
    /// The header names, trimmed and lower-cased, for comparison with the expected ones.
    pub fn header_names(&self) -> Vec<String> {
        self.header
            .cells
            .iter()
            .map(|c| c.trim().to_ascii_lowercase())
            .collect()
    }
}

/// Reads a `.csv` or `.xlsx` file, chosen by its extension.
pub fn read(path: &Path) -> Result<Table, ImportError> {
    let file = crate::text::clean(&path.display().to_string());
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => {
            let bytes = std::fs::read(path).map_err(|e| {
                ImportError::one(&file, Problem::file(format!("cannot read the file: {e}")))
            })?;
            parse_csv(&file, &bytes)
        }
        Some("xlsx") => read_xlsx(&file, path),
        _ => Err(ImportError::one(
            &file,
            Problem::file(
                "thidua reads .csv (UTF-8) and .xlsx files only; save the file in one of those \
                 formats (in Excel: \"CSV UTF-8\" or \"Excel Workbook\") and use that extension",
            ),
        )),
    }
}

/// Parses CSV bytes (UTF-8, with or without BOM); `file` names the source in errors.
pub fn parse_csv(file: &str, bytes: &[u8]) -> Result<Table, ImportError> {
    let fail = |message: String| Err(ImportError::one(file, Problem::file(message)));
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return fail(
            "the file is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" and import again"
                .into(),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let column = good.len() - good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let byte = bytes[e.valid_up_to()];
            return Err(ImportError::one(
                file,
                Problem::at(
                    &Location::Line(line as u64),
                    None,
                    format!(
                        "the file is not UTF-8 text (byte 0x{byte:02X} after {column} bytes of this line); \
                         it was probably saved in a Windows code page such as Windows-1258 or Latin-1. \
                         Save it as UTF-8 (in Excel: \"CSV UTF-8\") and import again"
                    ),
                ),
            ));
        }
    };
    let records = split_csv(text).map_err(|p| ImportError::one(file, p))?;
    let mut records = records
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()));
    let Some(header) = records.next() else {
        return fail("the file is empty; the first line must be the header".into());
    };
    Ok(Table {
        file: file.to_string(),
        header,
        rows: records.collect(),
    })
}

/// Splits CSV text into records, each with the physical line it starts on.
fn split_csv(text: &str) -> Result<Vec<Row>, Problem> {
    let mut rows = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut line: u64 = 1;
    let mut record_line: u64 = 1;
    let mut chars = text.chars().peekable();
    let mut at_cell_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if at_cell_start => {
                let opened = line;
                loop {
                    match chars.next() {
                        None => {
                            return Err(Problem::at(
                                &Location::Line(opened),
                                None,
                                format!(
                                    "the quoted field in column {} starts here and its closing quote \
                                     is missing (the file ends inside the quotes); the file may be cut short",
                                    cells.len() + 1
                                ),
                            ));
                        }
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            cell.push('"');
                        }
                        Some('"') => break,
                        Some(ch) => {
                            if ch == '\n' {
                                line += 1;
                            }
                            cell.push(ch);
                        }
                    }
                }
                match chars.peek() {
                    None | Some(',') | Some('\n') | Some('\r') => {}
                    Some(_) => {
                        return Err(Problem::at(
                            &Location::Line(line),
                            None,
                            format!(
                                "in column {}, text follows the closing quote of a quoted field; \
                                 a quote inside a quoted field must be written twice (\"\")",
                                cells.len() + 1
                            ),
                        ));
                    }
                }
                at_cell_start = false;
            }
            ',' => {
                cells.push(std::mem::take(&mut cell));
                at_cell_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                cells.push(std::mem::take(&mut cell));
                rows.push(Row {
                    at: Location::Line(record_line),
                    cells: std::mem::take(&mut cells),
                });
                line += 1;
                record_line = line;
                at_cell_start = true;
            }
            other => {
                cell.push(other);
                at_cell_start = false;
            }
        }
    }
    if !cells.is_empty() || !cell.is_empty() {
        cells.push(cell);
        rows.push(Row {
            at: Location::Line(record_line),
            cells,
        });
    }
    Ok(rows)
}

fn read_xlsx(file: &str, path: &Path) -> Result<Table, ImportError> {
    use calamine::{Reader, Xlsx, open_workbook};
    let fail = |message: String| ImportError::one(file, Problem::file(message));
    let mut book: Xlsx<_> = open_workbook(path)
        .map_err(|e| fail(format!("cannot read the file as an Excel workbook: {e}")))?;
    let raw_sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| fail("the workbook has no sheet".into()))?;
    let sheet = crate::text::clean(&raw_sheet);
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| fail("the workbook has no sheet".into()))?
        .map_err(|e| fail(format!("cannot read sheet {sheet}: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r);
    let mut rows = range.rows().enumerate().filter_map(|(i, cells)| {
        let cells: Vec<String> = cells.iter().map(cell_text).collect();
        cells.iter().any(|c| !c.trim().is_empty()).then(|| Row {
            at: Location::Row {
                sheet: sheet.clone(),
                row: first_row + i as u32 + 1,
            },
            cells,
        })
    });
    let Some(mut header) = rows.next() else {
        return Err(fail(format!(
            "sheet {sheet} is empty; its first row must be the header"
        )));
    };
    // The sheet's range is as wide as its widest row: drop the empty cells past the header,
    // keeping any non-empty one so the row is reported as too wide.
    while header.cells.last().is_some_and(|c| c.trim().is_empty()) {
        header.cells.pop();
    }
    let width = header.cells.len();
    // A formula is never evaluated and its cached value is not what the reviewer typed: refuse
    // the cell rather than import a number or an empty text in its place.
    let first_col = range.start().map_or(0, |(_, c)| c);
    if let Ok(formulas) = book.worksheet_formula(&raw_sheet) {
        let (fr, fc) = formulas.start().unwrap_or((0, 0));
        let problems: Vec<Problem> = formulas
            .cells()
            .filter(|(_, _, f)| !f.trim().is_empty())
            .map(|(r, c, f)| {
                let col = fc + c as u32;
                let field = col
                    .checked_sub(first_col)
                    .and_then(|i| header.cells.get(i as usize))
                    .map(|h| crate::text::clean(h));
                Problem::at(
                    &Location::Row {
                        sheet: sheet.clone(),
                        row: fr + r as u32 + 1,
                    },
                    field.as_deref(),
                    format!(
                        "the cell holds a formula ({}); thidua never evaluates formulas: \
                         type the value itself (in Excel: Paste Special, Values)",
                        shown(&format!("={f}"))
                    ),
                )
            })
            .collect();
        if !problems.is_empty() {
            return Err(ImportError {
                file: file.to_string(),
                problems,
            });
        }
    }
    let rows = rows
        .map(|mut r| {
            while r.cells.len() > width && r.cells.last().is_some_and(|c| c.trim().is_empty()) {
                r.cells.pop();
            }
            r
        })
        .collect();
    Ok(Table {
        file: file.to_string(),
        header,
        rows,
    })
}

/// A cell as the text a reviewer sees: whole numbers without ".0", dates as YYYY-MM-DD.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The longest id a file may give.
pub const MAX_ID_CHARS: usize = 64;
/// The longest name, title or other text a cell may hold.
pub const MAX_TEXT_CHARS: usize = 1000;

/// User text as it may appear inside an error message: cleaned, cut short, quoted.
pub fn shown(raw: &str) -> String {
    shown_upto(raw, 40)
}

fn shown_upto(raw: &str, max: usize) -> String {
    let clean = crate::text::clean(raw);
    let mut out: String = clean.chars().take(max).collect();
    if clean.chars().count() > max {
        out.push('…');
    }
    format!("\"{out}\"")
}

/// A required id: trimmed, 1 to 64 characters from A–Z, a–z, 0–9, dot, underscore, hyphen.
pub fn id(raw: &str) -> Result<String, String> {
    let id = raw.trim();
    if id.is_empty() {
        return Err("the id is empty; every row needs one".into());
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(format!(
            "{} is {} characters long; an id has at most {MAX_ID_CHARS}",
            shown(id),
            id.chars().count()
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        let what = if bad.is_whitespace() || crate::text::is_unsafe_char(bad) {
            format!("U+{:04X}", bad as u32)
        } else {
            format!("{bad:?}")
        };
        return Err(format!(
            "{} contains {what}; an id may only use letters A–Z without accents, digits, \
             dot, underscore and hyphen",
            shown(id)
        ));
    }
    Ok(id.to_string())
}

/// A required text (`what` names it in errors): cleaned (NFC, controls removed), not empty,
/// at most 1,000 characters.
pub fn text(raw: &str, what: &str) -> Result<String, String> {
    let t = optional_text(raw, what)?;
    if t.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    Ok(t)
}

/// Like `text` but may be empty.
pub fn optional_text(raw: &str, what: &str) -> Result<String, String> {
    let t = crate::text::clean(raw);
    let n = t.chars().count();
    if n > MAX_TEXT_CHARS {
        return Err(format!(
            "the {what} is {n} characters long; at most {MAX_TEXT_CHARS} are accepted"
        ));
    }
    Ok(t)
}

/// An optional date: empty, YYYY-MM-DD or DD/MM/YYYY.
pub fn date(raw: &str) -> Result<Option<chrono::NaiveDate>, String> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    crate::domain::parse_date(raw).map(Some).ok_or_else(|| {
        format!(
            "{} is not a date; write YYYY-MM-DD or DD/MM/YYYY (and check that the day exists)",
            shown(raw)
        )
    })
}

/// Checks the header: exactly `required`, optionally followed by all of `optional`.
/// Returns whether the optional columns are present.
pub fn check_header(
    table: &Table,
    required: &[&str],
    optional: &[&str],
) -> Result<bool, ImportError> {
    let names = table.header_names();
    if names == required {
        return Ok(false);
    }
    let full: Vec<&str> = required.iter().chain(optional).copied().collect();
    if !optional.is_empty() && names == full {
        return Ok(true);
    }
    let found = table.header.cells.join(",");
    let mut message = format!("the header must be `{}`", required.join(","));
    if !optional.is_empty() {
        message.push_str(&format!(
            " (optionally followed by `,{}`)",
            optional.join(",")
        ));
    }
    message.push_str(&format!("; found {}", shown_upto(&found, 120)));
    Err(ImportError::one(
        &table.file,
        Problem::at(&table.header.at, None, message),
    ))
}

/// Checks that a row has as many cells as the header.
pub fn check_width(row: &Row, header: &Row) -> Result<(), Problem> {
    let (n, want) = (row.cells.len(), header.cells.len());
    if n == want {
        return Ok(());
    }
    Err(Problem::at(
        &row.at,
        None,
        format!(
            "has {n} fields but the header has {want}; check for a missing or extra comma \
             (a text containing a comma must be in double quotes)"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(t: &Table) -> Vec<(String, Vec<String>)> {
        t.rows
            .iter()
            .map(|r| (r.at.to_string(), r.cells.clone()))
            .collect()
    }

    #[test]
    fn csv_quotes_line_breaks_and_bom() {
        let t = parse_csv(
            "f.csv",
            "\u{feff}a,b\r\n1,\"x, \"\"y\"\"\"\r\n2,\"two\nlines\"\n\n3,\n".as_bytes(),
        )
        .expect("parses");
        assert_eq!(t.header.cells, ["a", "b"]);
        assert_eq!(
            cells(&t),
            [
                ("line 2".into(), vec!["1".into(), "x, \"y\"".into()]),
                ("line 3".into(), vec!["2".into(), "two\nlines".into()]),
                ("line 6".into(), vec!["3".into(), String::new()]),
            ]
        );
    }

    #[test]
    fn csv_unterminated_quote_names_its_line() {
        let e = parse_csv("f.csv", b"a,b\n1,2\n3,\"never closed\n4,5\n").expect_err("refused");
        assert_eq!(e.problems[0].at, Some(Location::Line(3)));
        assert!(e.to_string().contains("closing quote is missing"), "{e}");
    }

    #[test]
    fn latin1_is_refused_with_its_line() {
        let e = parse_csv("f.csv", b"a,b\n1,S\xF4 N\xF4i\n").expect_err("refused");
        assert_eq!(e.problems[0].at, Some(Location::Line(2)));
        assert!(e.to_string().contains("not UTF-8"), "{e}");
    }

    #[test]
    fn field_checks() {
        assert_eq!(id("  SNV.P01-a_b ").as_deref(), Ok("SNV.P01-a_b"));
        assert!(id("A\u{202E}B").expect_err("bidi").contains("U+202E"));
        assert!(id("A B").expect_err("space").contains("U+0020"));
        assert!(id(&"x".repeat(65)).is_err());
        assert!(id(&"x".repeat(64)).is_ok());
        assert_eq!(text(" Sở\u{1b}[1m ", "name").as_deref(), Ok("Sở"));
        assert!(text(&"a".repeat(1001), "name").is_err());
        assert_eq!(date(" "), Ok(None));
        assert_eq!(
            date("21/07/2021"),
            Ok(chrono::NaiveDate::from_ymd_opt(2021, 7, 21))
        );
        assert!(date("30/02/2021").is_err());
        assert_eq!(shown(&"é".repeat(50)).chars().count(), 43);
    }

    #[test]
    fn long_error_lists_are_cut() {
        let e = ImportError {
            file: "f.csv".into(),
            problems: (0..25)
                .map(|i| Problem::at(&Location::Line(i + 2), Some("id"), "bad"))
                .collect(),
        };
        let text = e.to_string();
        assert!(text.contains("25 problems"), "{text}");
        assert!(text.contains("f.csv, line 21, field id: bad"), "{text}");
        assert!(!text.contains("line 22,"), "{text}");
        assert!(text.ends_with("and 5 more"), "{text}");
    }
}
