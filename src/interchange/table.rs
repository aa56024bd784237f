//! Rows of text from a CSV or XLSX file, each tagged with where it came from, and the error
//! type every import shares. `office::locate` then finds the table in them (header below a
//! title block, end at the first empty row).
//!
//! CSV is parsed here by hand (RFC 4180: double quotes, doubled quotes inside quotes, CRLF or
//! LF; separator `,` `;` or tab) rather than with the `csv` crate. The choice was re-examined
//! when office files came in (separator detection, title rows of varying width) and kept, for
//! the original reason: the crate accepts a quoted field left open at the end of the file
//! without complaint (checked with csv 1.4: `A,"open⏎B,x⏎` reads as one record whose second
//! field runs to the end of the file, with no error) and reports only where a record starts,
//! while a reviewer needs "line 12: the quote opened here is never closed". The crate's
//! `flexible` mode would also be needed for title rows, and separator detection only needs to
//! re-split the first 40 lines, which the hand-written splitter does without a second reader.
//!
//! XLSX goes through calamine (the first visible sheet, or the one named); cells become text,
//! dates become YYYY-MM-DD. calamine does not report hidden rows, so `xlsx_rows` reads them
//! from the sheet's XML.

use std::path::Path;

use crate::msg::{Key, Part, Told};

/// At most this many problems are listed in one error message; the rest are counted.
pub(crate) const SHOWN_PROBLEMS: usize = 20;

/// What an importer says: a catalogue id with its arguments, worded in the reader's language by
/// the command line (`commands::import::summary`), never here. Text thidua does not own (an
/// operating-system or library error, a cell's value) is carried as it is.
pub type Msg = Told;

/// A catalogue message whose arguments read the same in every language.
pub fn msg(key: Key, args: &[&str]) -> Msg {
    Told::new(key, args.iter().map(|a| Part::Text((*a).to_string())))
}

/// A catalogue message whose arguments are themselves messages (places, column labels).
pub fn msgs(key: Key, args: &[&Msg]) -> Msg {
    Told::new(key, args.iter().map(|a| Part::Told((*a).clone())))
}

/// Messages and text one after the other, in the reader's language.
pub fn cat(parts: impl IntoIterator<Item = Part>) -> Msg {
    let mut parts: Vec<Part> = parts.into_iter().collect();
    let Some(mut out) = parts.pop() else {
        return Told::from(String::new());
    };
    while let Some(before) = parts.pop() {
        out = Part::Told(Told::new(Key::Joined, [before, out]));
    }
    match out {
        Part::Told(t) => t,
        text => Told::new(Key::Said, [text]),
    }
}

/// A field as a reader names it: its Vietnamese column name ("Trực thuộc") under Vietnamese,
/// its id (`parent`) in English; a field without a catalogue entry (a criterion id) as it is.
pub fn field_label(name: &str) -> Msg {
    let key = match name {
        "id" => Key::FieldId,
        "name" => Key::FieldName,
        "tier" => Key::FieldTier,
        "parent" => Key::FieldParent,
        "registered_on" => Key::FieldRegisteredOn,
        "title" => Key::FieldTitle,
        "owner" => Key::FieldOwner,
        "submitted_on" => Key::FieldSubmittedOn,
        "status" => Key::FieldStatus,
        "authority" => Key::FieldAuthority,
        "decision" => Key::FieldDecision,
        "decided_on" => Key::FieldDecidedOn,
        "scope" => Key::FieldScope,
        "subject" => Key::FieldSubject,
        "criterion" => Key::FieldCriterion,
        "value" => Key::FieldValue,
        "evidence" => Key::FieldEvidence,
        other => return Told::from(other.to_string()),
    };
    msg(key, &[])
}

/// What an I/O error is, in a few words (the OS's own text only when no words fit).
pub fn io_detail(e: &std::io::Error) -> Msg {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => msg(Key::IoNotFound, &[]),
        ErrorKind::PermissionDenied => msg(Key::IoDenied, &[]),
        ErrorKind::IsADirectory => msg(Key::IoIsFolder, &[]),
        ErrorKind::NotADirectory => msg(Key::IoNotFolder, &[]),
        _ => msg(Key::IoOther, &[&e.to_string()]),
    }
}

/// Why a file cannot be read: it does not exist, or the OS error in words.
fn unreadable(e: &std::io::Error) -> Msg {
    match e.kind() {
        std::io::ErrorKind::NotFound => msg(Key::ImpNoSuchFile, &[]),
        _ => msgs(Key::ImpCannotRead, &[&io_detail(e)]),
    }
}

/// Where a row sits in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A CSV physical line, counting the header as line 1.
    Line(u64),
    /// An XLSX row, numbered as the spreadsheet shows it.
    Row { sheet: String, row: u32 },
}

impl Location {
    /// The place: `line 12` / `dòng 12`.
    pub fn text(&self) -> Msg {
        match self {
            Location::Line(n) => msg(Key::ImpLine, &[&n.to_string()]),
            Location::Row { sheet, row } => msg(Key::ImpSheetRow, &[sheet, &row.to_string()]),
        }
    }
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Option<Location>,
    /// The field the problem is in, by its canonical name (`parent`).
    pub field: Option<String>,
    /// The field's column in the file, e.g. `column D "Trực thuộc"`.
    pub column: Option<Msg>,
    /// What is wrong.
    pub message: Msg,
}

impl Problem {
    /// A problem about the whole file (unreadable, wrong encoding, unknown extension).
    pub fn file(message: impl Into<Msg>) -> Self {
        Problem {
            at: None,
            field: None,
            column: None,
            message: message.into(),
        }
    }

    /// A problem about one row, optionally one field of it.
    pub fn at(at: &Location, field: Option<&str>, message: impl Into<Msg>) -> Self {
        Problem {
            at: Some(at.clone()),
            field: field.map(str::to_string),
            column: None,
            message: message.into(),
        }
    }
}

/// Everything wrong with one imported file; when this is returned nothing was changed.
///
/// It is worded by the command line: `told` says it as one message, and its `Display` (English,
/// for logs and tests) sits with the rest of the import's wording in
/// `commands::import::summary`.
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

    /// One problem: `file, line 3, field parent (column D "Trực thuộc"): what is wrong`.
    fn problem_told(&self, p: &Problem) -> Told {
        let mut parts = vec![Part::Text(self.file.clone())];
        if let Some(at) = &p.at {
            parts.push(", ".into());
            parts.push(at.text().into());
        }
        if let Some(field) = &p.field {
            parts.push(", ".into());
            parts.push(msgs(Key::ImpField, &[&field_label(field)]).into());
        }
        if let Some(column) = &p.column {
            parts.push(" (".into());
            parts.push(column.clone().into());
            parts.push(")".into());
        }
        parts.push(": ".into());
        parts.push(p.message.clone().into());
        cat(parts)
    }

    /// The whole error as one message: the problem, or the count and the first
    /// `SHOWN_PROBLEMS` problems, one a line, and what to do.
    pub fn told(&self) -> Told {
        match self.problems.as_slice() {
            [] => msg(Key::ImpFrameNothing, &[&self.file]),
            [p] => cat([
                self.problem_told(p).into(),
                "\n".into(),
                msg(Key::ImpFrameOne, &[]).into(),
            ]),
            many => {
                let mut parts = vec![Part::Told(msg(
                    Key::ImpFrameMany,
                    &[&self.file, &many.len().to_string()],
                ))];
                for p in many.iter().take(SHOWN_PROBLEMS) {
                    parts.push("\n  ".into());
                    parts.push(self.problem_told(p).into());
                }
                if many.len() > SHOWN_PROBLEMS {
                    parts.push("\n  ".into());
                    parts.push(
                        msg(
                            Key::ImpFrameMore,
                            &[&(many.len() - SHOWN_PROBLEMS).to_string()],
                        )
                        .into(),
                    );
                }
                cat(parts)
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

/// A file's table: its header, as the canonical field names, and its data rows, each with one
/// cell per field (empty where the file has no such column); built by `office::locate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub file: String,
    pub header: Row,
    pub rows: Vec<Row>,
    /// Which fields the file has a column for.
    pub present: Vec<bool>,
    /// Each field's column in the file, for error messages: `column D "Trực thuộc"`.
    pub columns: Vec<Option<Msg>>,
    /// What was skipped and ignored around the table.
    pub layout: super::office::Layout,
}

impl Table {
    /// Whether the file has a column for the field.
    pub fn has(&self, field: &str) -> bool {
        self.header
            .cells
            .iter()
            .zip(&self.present)
            .any(|(h, p)| *p && h == field)
    }

    /// Rewrites each problem's field name to name its column as well.
    pub(crate) fn name_columns(&self, problems: &mut [Problem]) {
        for p in problems {
            let Some(f) = &p.field else { continue };
            if let Some(Some(label)) = self
                .header
                .cells
                .iter()
                .position(|h| h == f)
                .map(|i| &self.columns[i])
            {
                p.column = Some(label.clone());
            }
        }
    }
}

/// A file as read, before its header is found: every row in order, empty ones included (the
/// table ends at the first empty row below its header, see `office`), with what the
/// spreadsheet says about merged and hidden rows and formula cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    pub file: String,
    /// The sheet's name (XLSX only).
    pub name: Option<String>,
    pub rows: Vec<Row>,
    /// Merged ranges, as 1-based rows and 0-based columns (XLSX only).
    pub merged: Vec<Merged>,
    /// Hidden rows, 1-based (XLSX only).
    pub hidden: Vec<u32>,
    /// Formula cells: 1-based row, 0-based column, formula text (XLSX only).
    pub formulas: Vec<(u32, u32, String)>,
    /// The separator a CSV file was read with.
    pub separator: Option<char>,
    /// The first column of the sheet's range (XLSX), 0-based: cells[i] is column first_col + i.
    pub first_col: u32,
}

/// A merged range of cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    pub first_row: u32,
    pub last_row: u32,
    pub first_col: u32,
    pub last_col: u32,
}

impl Merged {
    /// The range as a spreadsheet writes it, e.g. `A7:C7`.
    pub fn range(&self) -> String {
        format!(
            "{}{}:{}{}",
            column_letter(self.first_col),
            self.first_row,
            column_letter(self.last_col),
            self.last_row
        )
    }
}

/// A 0-based column as its spreadsheet letters: 0 → A, 25 → Z, 26 → AA.
pub(crate) fn column_letter(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push(b'A' + r);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl Row {
    /// Whether every cell is empty or blank.
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

impl Location {
    /// The line or row number.
    pub fn number(&self) -> u64 {
        match self {
            Location::Line(n) => *n,
            Location::Row { row, .. } => u64::from(*row),
        }
    }
}

/// How a file is to be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The XLSX sheet to read; default: the first visible one.
    pub sheet: Option<String>,
}

/// Reads a `.csv` or `.xlsx` file, chosen by its extension. A CSV file's separator is found
/// by `detect`: the first of `,` `;` tab whose first 20 records hold a header it accepts.
pub fn read(
    path: &Path,
    options: &ReadOptions,
    detect: &dyn Fn(&[Row]) -> bool,
) -> Result<Sheet, ImportError> {
    let file = crate::text::clean(&path.display().to_string());
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if let Err(e) = std::fs::metadata(path) {
        return Err(ImportError::one(&file, Problem::file(unreadable(&e))));
    }
    match ext.as_deref() {
        Some("csv") => {
            let bytes = std::fs::read(path)
                .map_err(|e| ImportError::one(&file, Problem::file(unreadable(&e))))?;
            read_csv(&file, &bytes, detect)
        }
        Some("xlsx") => read_xlsx(&file, path, options),
        _ => Err(ImportError::one(
            &file,
            Problem::file(msg(Key::ImpUnknownExtension, &[])),
        )),
    }
}

/// The separators a CSV file may use, in the order they are tried.
pub(crate) const SEPARATORS: [char; 3] = [',', ';', '\t'];

/// Reads CSV bytes (UTF-8, with or without BOM); `file` names the source in errors. The
/// separator is the first of `SEPARATORS` whose first 20 records satisfy `detect`, else the
/// one that occurs most often in the first 40 lines.
pub fn read_csv(
    file: &str,
    bytes: &[u8],
    detect: &dyn Fn(&[Row]) -> bool,
) -> Result<Sheet, ImportError> {
    let text = csv_text(file, bytes)?;
    let head: String = {
        let mut n = 0;
        let end = text
            .char_indices()
            .find(|(_, c)| {
                if *c == '\n' {
                    n += 1;
                }
                n >= 40
            })
            .map_or(text.len(), |(i, _)| i);
        text[..end].to_string()
    };
    let separator = SEPARATORS
        .into_iter()
        .find(|sep| {
            split_csv(&head, *sep, true)
                .map(|rows| detect(&rows[..rows.len().min(20)]))
                .unwrap_or(false)
        })
        .unwrap_or_else(|| {
            SEPARATORS
                .into_iter()
                .max_by_key(|s| (head.matches(*s).count(), std::cmp::Reverse(*s as u32)))
                .unwrap_or(',')
        });
    let rows = split_csv(text, separator, false).map_err(|p| ImportError::one(file, *p))?;
    Ok(Sheet {
        file: file.to_string(),
        rows,
        separator: Some(separator),
        ..Sheet::default()
    })
}

/// The text of CSV bytes, refusing UTF-16 and anything that is not UTF-8; a BOM is dropped.
fn csv_text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ImportError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportError::one(
            file,
            Problem::file(msg(Key::ImpUtf16, &[])),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let column = good.len() - good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let byte = bytes[e.valid_up_to()];
            Err(ImportError::one(
                file,
                Problem::at(
                    &Location::Line(line as u64),
                    None,
                    msg(
                        Key::ImpNotUtf8,
                        &[&format!("{byte:02X}"), &column.to_string()],
                    ),
                ),
            ))
        }
    }
}

/// Splits CSV text into records, each with the physical line it starts on. `prefix` says the
/// text may be cut short (separator detection): a quote left open at its end is no error.
fn split_csv(text: &str, sep: char, prefix: bool) -> Result<Vec<Row>, Box<Problem>> {
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
                        None if prefix => return Ok(rows),
                        None => {
                            return Err(Box::new(Problem::at(
                                &Location::Line(opened),
                                None,
                                msg(Key::ImpOpenQuote, &[&(cells.len() + 1).to_string()]),
                            )));
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
                    None | Some('\n') | Some('\r') => {}
                    Some(c) if *c == sep => {}
                    Some(_) => {
                        return Err(Box::new(Problem::at(
                            &Location::Line(line),
                            None,
                            msg(Key::ImpAfterQuote, &[&(cells.len() + 1).to_string()]),
                        )));
                    }
                }
                at_cell_start = false;
            }
            c if c == sep => {
                cells.push(cell.as_str().to_owned());
                cell.clear();
                at_cell_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                cells.push(cell.as_str().to_owned());
                cell.clear();
                let width = cells.len();
                rows.push(Row {
                    at: Location::Line(record_line),
                    cells: std::mem::replace(&mut cells, Vec::with_capacity(width)),
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
        cells.push(cell.as_str().to_owned());
        rows.push(Row {
            at: Location::Line(record_line),
            cells,
        });
    }
    Ok(rows)
}

fn read_xlsx(file: &str, path: &Path, options: &ReadOptions) -> Result<Sheet, ImportError> {
    use calamine::{Reader, SheetVisible, Xlsx, open_workbook};
    let fail = |message: Msg| ImportError::one(file, Problem::file(message));
    let mut book: Xlsx<_> = open_workbook(path).map_err(|e: calamine::XlsxError| match e {
        calamine::XlsxError::Io(e) => fail(unreadable(&e)),
        e => fail(msg(Key::ImpNotWorkbook, &[&e.to_string()])),
    })?;
    let sheets = book.sheets_metadata().to_vec();
    let raw_sheet = match &options.sheet {
        Some(wanted) => {
            let folded = crate::text::fold(wanted);
            sheets
                .iter()
                .find(|s| s.name == *wanted)
                .or_else(|| sheets.iter().find(|s| crate::text::fold(&s.name) == folded))
                .map(|s| s.name.clone())
                .ok_or_else(|| {
                    let names: Vec<String> = sheets.iter().map(|s| shown(&s.name)).collect();
                    fail(msg(
                        Key::ImpNoSheetNamed,
                        &[&shown(wanted), &names.join(", ")],
                    ))
                })?
        }
        None => sheets
            .iter()
            .find(|s| s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
            .ok_or_else(|| fail(msg(Key::ImpNoVisibleSheet, &[])))?,
    };
    let sheet = crate::text::clean(&raw_sheet);
    // The cells and formulas in one pass over the sheet's XML, straight into rows: no
    // `Range` of every cell beside them (at 320,000 rows that range and a second one of
    // formulas were more than the rows themselves). The rows span the non-empty cells, as
    // `worksheet_range` does: from the first row and column holding a value to the last.
    let mut grid = Grid::default();
    let mut formulas = Vec::new();
    // A chart sheet holds no cells (as `worksheet_range` has it).
    match book.worksheet_cells_reader(&raw_sheet) {
        Err(calamine::XlsxError::NotAWorksheet(_)) => {}
        reader => {
            let mut cells = reader
                .map_err(|e| fail(msg(Key::ImpCannotReadSheet, &[&sheet, &e.to_string()])))?;
            while let Some(cell) = cells
                .next_cell_with_formula()
                .map_err(|e| fail(msg(Key::ImpCannotReadSheet, &[&sheet, &e.to_string()])))?
            {
                let (row, col) = cell.pos;
                if let Some(f) = cell.formula.filter(|f| !f.trim().is_empty()) {
                    formulas.push((row + 1, col, f));
                }
                if cell.value != calamine::DataRef::Empty {
                    grid.set(row, col, cell_text(&cell.value.into()));
                }
            }
        }
    }
    let merged = book
        .merge_cells_by_sheet_name(&raw_sheet)
        .map_err(|e| fail(msg(Key::ImpCannotReadMerged, &[&sheet, &e.to_string()])))?
        .into_iter()
        .map(|d| Merged {
            first_row: d.start.0 + 1,
            last_row: d.end.0 + 1,
            first_col: d.start.1,
            last_col: d.end.1,
        })
        .collect();
    let (first_row, first_col, grid) = grid.finish();
    let rows = grid
        .into_iter()
        .enumerate()
        .map(|(i, cells)| Row {
            at: Location::Row {
                sheet: sheet.clone(),
                row: first_row + i as u32 + 1,
            },
            cells,
        })
        .collect();
    let hidden = super::xlsx_rows::hidden_rows(path, &raw_sheet)
        .map_err(|e| fail(msg(Key::ImpCannotReadRows, &[&sheet, &e])))?;
    Ok(Sheet {
        file: file.to_string(),
        name: Some(sheet),
        rows,
        merged,
        hidden,
        formulas,
        separator: None,
        first_col,
    })
}

/// A sheet's non-empty cells as text, gathered row by row as they are read.
#[derive(Default)]
struct Grid {
    /// The first row holding a value (0-based) and the rows from it, each from column 0.
    first_row: Option<u32>,
    rows: Vec<Vec<String>>,
    first_col: u32,
    last_col: u32,
}

impl Grid {
    fn set(&mut self, row: u32, col: u32, text: String) {
        let first = *self.first_row.get_or_insert(row);
        if self.rows.is_empty() {
            self.first_col = col;
        }
        if row < first {
            // Cells out of row order (allowed, rare): rows are added in front.
            let before = (first - row) as usize;
            self.rows
                .splice(0..0, std::iter::repeat_with(Vec::new).take(before));
            self.first_row = Some(row);
        }
        let first = self.first_row.unwrap_or(row);
        let i = (row - first) as usize;
        if self.rows.len() <= i {
            self.rows.resize_with(i + 1, Vec::new);
        }
        self.first_col = self.first_col.min(col);
        self.last_col = self.last_col.max(col);
        let width = self.last_col as usize + 1;
        let cells = &mut self.rows[i];
        if cells.capacity() == 0 {
            cells.reserve_exact(width);
        }
        if cells.len() <= col as usize {
            cells.resize(col as usize + 1, String::new());
        }
        cells[col as usize] = text;
    }

    /// The first row and column (0-based) and every row from the first to the last with a
    /// value, each cut to the columns from the first to the last with a value.
    fn finish(self) -> (u32, u32, Vec<Vec<String>>) {
        let (first_col, last_col) = (self.first_col as usize, self.last_col as usize);
        let width = if self.rows.is_empty() {
            0
        } else {
            last_col - first_col + 1
        };
        let rows = self
            .rows
            .into_iter()
            .map(|mut cells| {
                cells.drain(..first_col.min(cells.len()));
                cells.resize(width, String::new());
                cells
            })
            .collect();
        (self.first_row.unwrap_or(0), self.first_col, rows)
    }
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
pub(crate) const MAX_ID_CHARS: usize = 64;
/// The longest name, title or other text a cell may hold.
pub(crate) const MAX_TEXT_CHARS: usize = 1000;

/// User text as it may appear inside an error message: cleaned, cut short, quoted.
pub fn shown(raw: &str) -> String {
    shown_upto(raw, 40)
}

/// `shown` with a chosen length.
pub(crate) fn shown_upto(raw: &str, max: usize) -> String {
    let clean = crate::text::clean(raw);
    let mut out: String = clean.chars().take(max).collect();
    if clean.chars().count() > max {
        out.push('…');
    }
    format!("\"{out}\"")
}

/// A required id: trimmed, 1 to 64 characters from A–Z, a–z, 0–9, dot, underscore, hyphen.
pub fn id(raw: &str) -> Result<String, Msg> {
    let id = raw.trim();
    if id.is_empty() {
        return Err(msg(Key::ImpIdEmpty, &[]));
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(msg(
            Key::ImpIdTooLong,
            &[
                &shown(id),
                &id.chars().count().to_string(),
                &MAX_ID_CHARS.to_string(),
            ],
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
        return Err(msg(Key::ImpIdBadChar, &[&shown(id), &what]));
    }
    Ok(id.to_string())
}

/// A required text (`what` names it in errors): cleaned (NFC, controls removed), not empty,
/// at most 1,000 characters.
pub fn text(raw: &str, what: &str) -> Result<String, Msg> {
    let t = optional_text(raw, what)?;
    if t.is_empty() {
        return Err(msgs(Key::ImpTextEmpty, &[&field_label(what)]));
    }
    Ok(t)
}

/// Like `text` but may be empty.
pub(crate) fn optional_text(raw: &str, what: &str) -> Result<String, Msg> {
    let t = crate::text::clean(raw);
    let n = t.chars().count();
    if n > MAX_TEXT_CHARS {
        return Err(msgs(
            Key::ImpTextTooLong,
            &[
                &field_label(what),
                &Msg::from(n.to_string()),
                &Msg::from(MAX_TEXT_CHARS.to_string()),
            ],
        ));
    }
    Ok(t)
}

/// An optional date: empty, YYYY-MM-DD, or day, month and year (DD/MM/YYYY, also written
/// DD-MM-YYYY or DD.MM.YYYY).
pub fn date(raw: &str) -> Result<Option<chrono::NaiveDate>, Msg> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    if let Some(d) = excel_serial(raw) {
        return Ok(Some(d));
    }
    if crate::domain::two_digit_year(raw) {
        return Err(msg(Key::ImpTwoDigitYear, &[&shown(raw)]));
    }
    crate::domain::parse_date(raw)
        .or_else(|| day_month_year(raw))
        .map(Some)
        .ok_or_else(|| msg(Key::ImpNotDate, &[&shown(raw)]))
}

/// A date written day first with dashes or dots: `02-08-2021`, `2.8.2021`.
fn day_month_year(raw: &str) -> Option<chrono::NaiveDate> {
    let t = raw.trim();
    let sep = ['-', '.'].into_iter().find(|s| t.contains(*s))?;
    let parts: Vec<&str> = t.split(sep).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4)) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// An Excel date serial written as a number (a date cell saved to CSV without its format):
/// days since 1899-12-30, accepted from 1954 to 2119 (serials 20000 to 80000).
fn excel_serial(raw: &str) -> Option<chrono::NaiveDate> {
    let t = raw.trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 5 {
        return None;
    }
    let n: i64 = t.parse().ok()?;
    if !(20000..=80000).contains(&n) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_sheet_spans_its_cells_as_a_range_does_even_out_of_order() {
        let mut grid = Grid::default();
        grid.set(3, 2, "b".into());
        grid.set(3, 4, "c".into());
        // A cell of an earlier row and an earlier column, given late.
        grid.set(1, 1, "a".into());
        grid.set(6, 3, "d".into());
        let (first_row, first_col, rows) = grid.finish();
        assert_eq!((first_row, first_col), (1, 1));
        let text: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            text,
            vec![
                vec!["a", "", "", ""],
                vec!["", "", "", ""],
                vec!["", "b", "", "c"],
                vec!["", "", "", ""],
                vec!["", "", "", ""],
                vec!["", "", "d", ""],
            ]
        );
        assert_eq!(Grid::default().finish(), (0, 0, Vec::<Vec<String>>::new()));
    }

    fn parse_csv(file: &str, bytes: &[u8]) -> Result<Sheet, ImportError> {
        read_csv(file, bytes, &|_| false)
    }

    #[test]
    fn csv_quotes_line_breaks_and_bom() {
        let t = parse_csv(
            "f.csv",
            "\u{feff}a,b\r\n1,\"x, \"\"y\"\"\"\r\n2,\"two\nlines\"\n\n3,\n".as_bytes(),
        )
        .expect("parses");
        let rows: Vec<(String, Vec<String>)> = t
            .rows
            .iter()
            .map(|r| (r.at.to_string(), r.cells.clone()))
            .collect();
        assert_eq!(
            rows,
            [
                ("line 1".into(), vec!["a".into(), "b".into()]),
                ("line 2".into(), vec!["1".into(), "x, \"y\"".into()]),
                ("line 3".into(), vec!["2".into(), "two\nlines".into()]),
                ("line 5".into(), vec![String::new()]),
                ("line 6".into(), vec!["3".into(), String::new()]),
            ]
        );
    }

    #[test]
    fn separators_are_detected_and_quoted_ones_kept() {
        let t = read_csv("f.csv", "a;b\n\"x;y\";2\n".as_bytes(), &|rows| {
            rows.first().is_some_and(|r| r.cells == ["a", "b"])
        })
        .expect("parses");
        assert_eq!(t.separator, Some(';'));
        assert_eq!(t.rows[1].cells, ["x;y", "2"]);
        let t = parse_csv("f.csv", b"a\tb\tc\n1\t2\t3\n").expect("parses");
        assert_eq!(t.separator, Some('\t'));
        assert_eq!(
            date("44398"),
            Ok(chrono::NaiveDate::from_ymd_opt(2021, 7, 21))
        );
        assert_eq!(column_letter(27), "AB");
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
        let says = |m: Msg, what: &str| m.args.contains(&Part::Text(what.to_string()));
        assert!(says(id("A\u{202E}B").expect_err("bidi"), "U+202E"));
        assert!(says(id("A B").expect_err("space"), "U+0020"));
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
        let aug2 = chrono::NaiveDate::from_ymd_opt(2021, 8, 2);
        assert_eq!(date("02-08-2021"), Ok(aug2));
        assert_eq!(date(" 02.08.2021 "), Ok(aug2));
        assert_eq!(date("2.8.2021"), Ok(aug2));
        assert_eq!(date("2021-08-02"), Ok(aug2));
        assert!(date("30.02.2021").is_err());
        assert!(date("02.08-2021").is_err());
        for two in ["02-08-21", "02/08/21", "2.8.21"] {
            let e = date(two).expect_err(two);
            assert_eq!(e.key, Key::ImpTwoDigitYear, "{two}");
        }
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
