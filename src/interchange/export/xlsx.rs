//! The XLSX verdict file: what the emulation-and-reward council (Hội đồng Thi đua – Khen
//! thưởng) reads and prints. In order: one sheet per criteria group (a row per subject, a
//! column per criterion, the outcome last, then the totals), "Đề nghị khen thưởng" (the
//! qualified subjects grouped by award and tier), "Sáng kiến" (initiatives and their
//! recognition), "Giải trình – Không đạt" (every criterion waiting for an explanation and every
//! not-met criterion, with its note), "Nhật ký" (the audit trail) and, for an export with gaps,
//! "Chưa hoàn thành".
//!
//! Every sheet meant for print is laid out as an administrative document after Decree
//! 30/2020/NĐ-CP: the issuing body top left, the national title and motto top right, place and
//! date, the title in capitals, "(Kèm theo Tờ trình số …)", the table, and the signature block;
//! Times New Roman, A4 (landscape where criteria are columns), fitted to one page wide, the
//! header rows repeated on every page, the decree's margins and page numbers in the footer.
//! Row heights are set from the text so that wrapped text never prints over the next row.
//!
//! Every sheet is written in constant-memory mode (rows streamed to a temporary file in order),
//! so a province of 32,000 subjects does not hold a workbook in memory. User text only ever goes
//! through `write_string`, which stores text, never a formula.

use std::collections::HashSet;

pub mod claims;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline,
    Workbook, Worksheet, XlsxError,
};

use super::council::{self, Head, MOTTO, NATION};
use super::{ExportMeta, Failure, Snapshot, Submission};
use crate::domain::review::{labels, points_total};
use crate::domain::{Group, Lang, Outcome, Scale, VerdictValue, vietnam};

/// The most characters Excel keeps in a cell.
const CELL_MAX: usize = 32_767;
/// The most rows one worksheet holds (Excel's limit, 2^20).
pub(crate) const SHEET_ROWS: usize = 1_048_576;

/// Sheet names, stable for readers that look sheets up by name.
pub(crate) const PROPOSED_SHEET: &str = "Đề nghị khen thưởng";
pub(crate) const INITIATIVES_SHEET: &str = "Sáng kiến";
pub(crate) const NOT_MET_SHEET: &str = "Giải trình – Không đạt";
pub(crate) const AUDIT_SHEET: &str = "Nhật ký";
pub(crate) const GAPS_SHEET: &str = "Chưa hoàn thành";

/// The decree's font.
const FONT: &str = "Times New Roman";
/// Body size in the tables, in points.
const SIZE: f64 = 12.0;
/// The average width of a character of 12-point Times New Roman in running Vietnamese text,
/// and of one in capitals or bold, in pixels (measured on LibreOffice's rendering, rounded up).
const PX: f64 = 6.6;
const PX_CAPS: f64 = 9.0;
/// The height of one line of 12-point Times New Roman in a row, in points.
const LINE: f64 = 15.0;

struct Styles {
    issuer_top: Format,
    issuer: Format,
    nation: Format,
    motto: Format,
    place_date: Format,
    title: Format,
    subtitle: Format,
    attached: Format,
    warning: Format,
    header: Format,
    text: Format,
    wrap: Format,
    center: Format,
    number: Format,
    /// A score with decimals (`0.##`); whole scores use `whole`.
    score: Format,
    whole: Format,
    date: Format,
    datetime: Format,
    qualified: Format,
    section: Format,
    subsection: Format,
    reason: Format,
    total_label: Format,
    total: Format,
    legend: Format,
    sign: Format,
    sign_name: Format,
    plain: Format,
}

fn font() -> Format {
    Format::new().set_font_name(FONT).set_font_size(SIZE)
}

impl Styles {
    fn new() -> Styles {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        let centered = |f: Format| {
            f.set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
        };
        Styles {
            issuer_top: centered(font()),
            issuer: centered(font().set_bold()),
            nation: centered(font().set_bold()),
            motto: centered(
                font()
                    .set_bold()
                    .set_font_size(13)
                    .set_underline(FormatUnderline::Single),
            ),
            place_date: centered(font().set_italic().set_font_size(13)),
            title: centered(font().set_bold().set_font_size(14)),
            subtitle: centered(font().set_bold().set_font_size(13)),
            attached: centered(font().set_italic()),
            warning: centered(font().set_bold().set_font_color(Color::RGB(0xC00000))),
            header: border(centered(font().set_bold())),
            text: border(font().set_align(FormatAlign::Top)),
            wrap: border(font().set_text_wrap().set_align(FormatAlign::Top)),
            center: border(
                font()
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
            number: border(
                font()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
            score: border(
                font()
                    .set_num_format("0.##")
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
            whole: border(
                font()
                    .set_num_format("0")
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
            date: border(
                font()
                    .set_num_format("dd/mm/yyyy")
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
            datetime: border(
                font()
                    .set_num_format("dd/mm/yyyy hh:mm")
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
            qualified: border(
                font()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
            section: border(
                font()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
            ),
            subsection: border(
                font()
                    .set_bold()
                    .set_italic()
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
            ),
            reason: border(
                font()
                    .set_italic()
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
            ),
            total_label: border(
                font()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Right)
                    .set_align(FormatAlign::VerticalCenter),
            ),
            total: border(
                font()
                    .set_bold()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter),
            ),
            legend: font()
                .set_italic()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            sign: centered(font().set_bold().set_font_size(13)),
            sign_name: centered(font().set_bold().set_font_size(13)),
            plain: font(),
        }
    }
}

/// Cuts text to what a cell can hold.
fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(CELL_MAX - 1) {
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &s[..cut])),
        None => std::borrow::Cow::Borrowed(s),
    }
}

/// A valid, unique sheet name: no `[]:*?/\`, no leading/trailing apostrophe, ≤ 31 characters.
fn sheet_name(wanted: &str, used: &mut HashSet<String>) -> String {
    let base: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect::<String>()
        .trim_matches('\'')
        .chars()
        .take(31)
        .collect();
    let base = if base.trim().is_empty() {
        "Sheet".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while used.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    used.insert(name.to_lowercase());
    name
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

fn row(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

// ---- text measurement -------------------------------------------------------------------

/// How many lines `text` takes in a column `width` characters wide (Excel's unit: the width
/// of a digit of the default font, 7 pixels), wrapped at spaces. `px` is the average width of
/// one character in pixels: `PX` for 12-point Times New Roman, more for bold or capitals.
/// Errs on the side of one line too many: a row a little tall is better than text printed
/// over the next one.
fn lines(text: &str, width: f64, px: f64) -> usize {
    let avail = (width * 7.0 + 5.0 - 8.0).max(px);
    let per_line = ((avail / px).floor() as usize).max(1);
    let mut total = 0;
    for para in text.split('\n') {
        let mut n = 1;
        let mut used = 0usize;
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let len = word.chars().count();
            let need = if used == 0 { len } else { used + 1 + len };
            if need <= per_line {
                used = need;
            } else {
                // The word starts a new line (unless the line is empty) and may take several.
                let spans = len.div_ceil(per_line);
                n += spans - usize::from(used == 0);
                used = len - (spans - 1) * per_line;
            }
        }
        total += n;
    }
    total.max(1)
}

/// The height, in points, of a row whose cells hold these texts (text, column width,
/// pixels per character, line height).
fn height(cells: &[(&str, f64, f64, f64)]) -> f64 {
    cells
        .iter()
        .map(|&(t, w, px, line)| lines(t, w, px) as f64 * line)
        .fold(LINE, f64::max)
        + 3.0
}

// ---- documents: head, foot, print set-up ------------------------------------------------

/// A sheet being written row by row (constant-memory sheets take rows strictly in order).
struct Doc<'a> {
    ws: &'a mut Worksheet,
    widths: Vec<f64>,
    row: u32,
}

impl Doc<'_> {
    fn last(&self) -> u16 {
        col(self.widths.len().saturating_sub(1))
    }

    fn width(&self, first: u16, last: u16) -> f64 {
        self.widths[usize::from(first)..=usize::from(last)]
            .iter()
            .sum()
    }

    /// Writes `text` across columns first..=last of the current row.
    fn span(&mut self, first: u16, last: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
        if first == last {
            self.ws
                .write_string_with_format(self.row, first, fit(text), f)?;
        } else {
            self.ws
                .merge_range(self.row, first, self.row, last, &fit(text), f)?;
        }
        Ok(())
    }

    /// A row of one text across every column, as tall as the text needs.
    fn full(&mut self, text: &str, f: &Format, px: f64, line: f64) -> Result<(), XlsxError> {
        let w = self.width(0, self.last());
        self.ws
            .set_row_height(self.row, height(&[(text, w, px, line)]))?;
        let last = self.last();
        self.span(0, last, text, f)?;
        self.row += 1;
        Ok(())
    }

    fn gap(&mut self, h: f64) -> Result<(), XlsxError> {
        self.ws.set_row_height(self.row, h)?;
        self.row += 1;
        Ok(())
    }

    /// The last column of the left block of the head and of the signature block: the column
    /// boundary nearest to 45 % of the width, leaving at least one column on the right.
    fn split(&self) -> u16 {
        let total: f64 = self.widths.iter().sum();
        let mut best = 0usize;
        let mut best_d = f64::MAX;
        let mut acc = 0.0;
        for (i, w) in self.widths.iter().enumerate().take(self.widths.len() - 1) {
            acc += w;
            let d = (acc - total * 0.45).abs();
            if d < best_d {
                best_d = d;
                best = i;
            }
        }
        col(best)
    }
}

/// A new constant-memory sheet with its columns set.
fn new_doc<'a>(book: &'a mut Workbook, name: &str, widths: Vec<f64>) -> Result<Doc<'a>, XlsxError> {
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name(name)?;
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(col(i), *w)?;
    }
    Ok(Doc { ws, widths, row: 0 })
}

/// A4, the orientation given, fitted to one page wide, the decree's margins (top and bottom
/// 20 mm, left 30 mm, right 15 mm), rows `repeat` printed on every page, page numbers centred
/// in the footer.
fn print_setup(ws: &mut Worksheet, landscape: bool, repeat: (u32, u32)) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    const MM: f64 = 1.0 / 25.4;
    ws.set_margins(
        30.0 * MM,
        15.0 * MM,
        20.0 * MM,
        20.0 * MM,
        8.0 * MM,
        8.0 * MM,
    );
    ws.set_footer(format!("&C&\"{FONT},Regular\"&11Trang &P/&N"));
    ws.set_repeat_rows(repeat.0, repeat.1)?;
    Ok(())
}

/// The head of a printed sheet: issuing body and national title side by side, place and
/// date, title, subtitle, the letter it is attached to, and for an incomplete export a line
/// saying so.
fn write_head(
    doc: &mut Doc<'_>,
    head: &Head,
    title: &str,
    subtitle: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let k = doc.split();
    let last = doc.last();
    let left_w = doc.width(0, k);
    let right_w = doc.width(k + 1, last);
    let issuer = &head.council.issuer;
    let rows = issuer.len().max(2);
    for i in 0..rows {
        let left = issuer.get(i).map(String::as_str).unwrap_or("");
        let right = match i {
            0 => NATION,
            1 => MOTTO,
            _ => "",
        };
        let h = height(&[
            (left, left_w, 10.5, LINE),
            (right, right_w, if i == 0 { 10.5 } else { 9.0 }, 17.0),
        ]);
        doc.ws.set_row_height(doc.row, h)?;
        // The governing body in plain capitals, the body itself in bold.
        let lf = if i + 1 < issuer.len() {
            &st.issuer_top
        } else {
            &st.issuer
        };
        doc.span(0, k, left, lf)?;
        let rf = if i == 0 { &st.nation } else { &st.motto };
        doc.span(k + 1, last, right, rf)?;
        doc.row += 1;
    }
    doc.ws.set_row_height(doc.row, 21.0)?;
    doc.span(k + 1, last, &head.place_date, &st.place_date)?;
    doc.row += 1;
    doc.gap(8.0)?;
    doc.full(title, &st.title, 11.0, 19.0)?;
    doc.full(subtitle, &st.subtitle, 9.0, 17.0)?;
    doc.full(&head.attached_to, &st.attached, PX, LINE)?;
    if let Some(text) = &head.incomplete {
        doc.full(text, &st.warning, 8.5, LINE)?;
    }
    doc.gap(8.0)?;
    Ok(())
}

/// The signature block: the preparer on the left, the signer's title on the right, space to
/// sign, then the signer's name when the campaign file gives one.
/// The first five cells of a row about one criterion of one subject, in the sheets that list
/// such rows (explanations, self-assessment): STT, the subject's id and name, the criterion's id and title.
fn subject_criterion_cells(
    doc: &mut Doc<'_>,
    st: &Styles,
    r: u32,
    n: usize,
    s: &crate::domain::Subject,
    c: &crate::domain::Criterion,
) -> Result<(), XlsxError> {
    doc.ws
        .write_number_with_format(r, 0, (n + 1) as f64, &st.number)?;
    doc.ws
        .write_string_with_format(r, 1, fit(&s.id), &st.wrap)?;
    doc.ws
        .write_string_with_format(r, 2, fit(&s.name), &st.wrap)?;
    doc.ws
        .write_string_with_format(r, 3, fit(&c.id), &st.center)?;
    doc.ws
        .write_string_with_format(r, 4, fit(&c.title_vi), &st.wrap)?;
    Ok(())
}

fn write_signatures(doc: &mut Doc<'_>, head: &Head, st: &Styles) -> Result<(), XlsxError> {
    let k = doc.split();
    let last = doc.last();
    doc.gap(12.0)?;
    let c = &head.council;
    for (i, right) in c.signer.iter().enumerate() {
        doc.ws.set_row_height(doc.row, 19.0)?;
        let left = if i == 0 { c.preparer.as_str() } else { "" };
        doc.span(0, k, left, &st.sign)?;
        doc.span(k + 1, last, right, &st.sign)?;
        doc.row += 1;
    }
    for _ in 0..4 {
        doc.gap(20.0)?;
    }
    if !c.signer_name.is_empty() {
        doc.ws.set_row_height(doc.row, 19.0)?;
        doc.span(k + 1, last, &c.signer_name, &st.sign_name)?;
        doc.row += 1;
    }
    Ok(())
}

/// A table's one header row, as tall as its longest title needs.
fn write_header(doc: &mut Doc<'_>, titles: &[&str], st: &Styles) -> Result<u32, XlsxError> {
    let cells: Vec<(&str, f64, f64, f64)> = titles
        .iter()
        .zip(&doc.widths)
        .map(|(t, w)| (*t, *w, 8.5, LINE))
        .collect();
    doc.ws.set_row_height(doc.row, height(&cells))?;
    for (i, t) in titles.iter().enumerate() {
        doc.ws
            .write_string_with_format(doc.row, col(i), *t, &st.header)?;
    }
    let r = doc.row;
    doc.row += 1;
    Ok(r)
}

/// An Excel date.
fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).unwrap_or(1900),
        d.month() as u8,
        d.day() as u8,
    )
}

/// An Excel date and time, in Vietnam time (Excel has no time zones).
fn excel_time(t: DateTime<Utc>) -> Result<ExcelDateTime, XlsxError> {
    let local = t.with_timezone(&vietnam());
    excel_date(local.date_naive())?.and_hms(local.hour() as u16, local.minute() as u8, 0)
}

// ---- the workbook -----------------------------------------------------------------------

/// Writes the XLSX verdict file.
pub(super) fn write<W: std::io::Write + std::io::Seek + Send>(
    snap: &Snapshot,
    meta: &ExportMeta,
    sub: &Submission,
    file: &mut W,
) -> Result<(), Failure> {
    build(snap, meta, sub, file, SHEET_ROWS).map_err(|e| Failure::Xlsx(e.to_string()))
}

/// Builds the workbook; `limit` is the most rows a sheet may take (`SHEET_ROWS`, smaller in
/// tests): a data table longer than that continues on further sheets.
fn build<W: std::io::Write + std::io::Seek + Send>(
    snap: &Snapshot,
    meta: &ExportMeta,
    sub: &Submission,
    file: &mut W,
    limit: usize,
) -> Result<(), XlsxError> {
    let st = Styles::new();
    let head = Head::new(snap, meta, sub);
    let mut book = Workbook::new();
    let c = &snap.campaign;
    let created = ExcelDateTime::from_timestamp(meta.exported_at.timestamp())?;
    let mut props = DocProperties::new()
        .set_title(c.title_vi.as_str())
        .set_subject(format!("Kết quả đánh giá – {}", c.document.number))
        .set_author(meta.exported_by.as_str())
        .set_creation_datetime(&created);
    // The change journal's head the file was made from (File → Properties → Custom).
    if let Some(j) = &snap.journal {
        props = props
            .set_custom_property("thidua journal sequence", j.sequence.to_string().as_str())
            .set_custom_property("thidua journal head sha256", j.sha256.as_str());
    }
    book.set_properties(&props);
    let mut used = HashSet::new();
    for group in &c.groups {
        let name = sheet_name(group.name(Lang::Vi), &mut used);
        group_sheet(&mut book, snap, &head, group, &name, &st)?;
    }
    proposed_sheet(
        &mut book,
        snap,
        &head,
        &sheet_name(PROPOSED_SHEET, &mut used),
        &st,
    )?;
    initiatives_sheet(
        &mut book,
        snap,
        &head,
        &sheet_name(INITIATIVES_SHEET, &mut used),
        &st,
    )?;
    notes_sheet(
        &mut book,
        snap,
        &head,
        &sheet_name(NOT_MET_SHEET, &mut used),
        &st,
    )?;
    if snap.has_claims() {
        claims::claims_sheet(&mut book, snap, &mut used, limit, &st)?;
    }
    audit_sheet(&mut book, snap, &mut used, limit, &st)?;
    if !snap.gaps.is_complete() {
        gaps_sheet(&mut book, snap, &mut used, limit, &st)?;
    }
    book.save_to_writer(std::io::BufWriter::with_capacity(1 << 16, file))
}

/// The width of the Mã column: the longest id in capitals, unwrapped.
fn id_width(snap: &Snapshot) -> f64 {
    let longest = snap
        .rows
        .iter()
        .map(|r| r.subject.id.chars().count())
        .max()
        .unwrap_or(3);
    (longest as f64 * 1.2 + 1.5).clamp(6.0, 24.0)
}

fn tier_name<'a>(snap: &'a Snapshot, tier: &'a str) -> &'a str {
    snap.campaign.tier(tier).map_or(tier, |t| t.name(Lang::Vi))
}

fn parent_name<'a>(snap: &'a Snapshot, parent: Option<&'a str>) -> &'a str {
    match parent {
        Some(p) => snap.name_of(p).unwrap_or(p),
        None => "",
    }
}

fn name_title(group: &Group) -> &'static str {
    if group.id == "individual" {
        "Họ và tên"
    } else {
        "Tên"
    }
}

/// A criterion's column title: its id, `(*)` when it is required (knock-out), and for a
/// points criterion its maximum, e.g. "CN1 (*)\ntối đa 10".
fn criterion_title(c: &crate::domain::Criterion) -> String {
    let mut t = c.id.clone();
    if c.required {
        t.push_str(" (*)");
    }
    if let Scale::Points(max) = c.scale {
        t.push_str(&format!("\ntối đa {max}"));
    }
    t
}

/// The total column's title: the group's maximum and, when set, the threshold to qualify,
/// e.g. "Tổng điểm\n(tối đa 40, cần 30)".
fn total_title(group: &Group) -> String {
    let max = crate::domain::outcome::points_max(group).show(Lang::Vi);
    match group.qualifying_total {
        Some(need) => format!("Tổng điểm\n(tối đa {max}, cần {need})"),
        None => format!("Tổng điểm\n(tối đa {max})"),
    }
}

/// The legend line of the required (knock-out) criteria, if the group has any.
fn required_legend(group: &Group) -> Option<String> {
    let parts: Vec<String> = group
        .criteria
        .iter()
        .filter(|c| c.required)
        .map(|c| match (c.scale, c.min) {
            (Scale::Points(_), Some(min)) => format!("{} (ít nhất {})", c.id, min.show(Lang::Vi)),
            (Scale::Points(_), None) => format!("{} (trên 0 điểm)", c.id),
            (Scale::PassFail, _) => c.id.clone(),
        })
        .collect();
    let whatever = if group.is_points() {
        ", dù tổng điểm cao"
    } else {
        ""
    };
    (!parts.is_empty()).then(|| {
        format!(
            "(*) Tiêu chí bắt buộc: {}. Không đạt tiêu chí bắt buộc thì không đủ điều kiện{whatever}.",
            parts.join(", ")
        )
    })
}

/// The cell format of a score: whole points without a decimal point, others with up to two
/// decimals (`0.##`).
fn score_format(p: crate::domain::Points, st: &Styles) -> &Format {
    if p.hundredths().is_multiple_of(100) {
        &st.whole
    } else {
        &st.score
    }
}

/// Whether a verdict counts as meeting its criterion in the totals: Đạt, or full points.
fn met(v: VerdictValue, scale: Scale) -> bool {
    match (v, scale) {
        (VerdictValue::Met, _) => true,
        (VerdictValue::Score(p), Scale::Points(max)) => p >= crate::domain::Points::whole(max),
        _ => false,
    }
}

/// One criteria group's table: STT, Mã, name, tier, parent unit, a column per criterion
/// (grouped under one heading), the points total for points groups, the outcome; then how
/// many met each criterion, the outcomes per tier and overall, the criteria's titles, and the
/// signature block. Landscape.
fn group_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    head: &Head,
    group: &Group,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let members: Vec<usize> = snap
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            snap.campaign.group_of_tier(&r.subject.tier).map(|g| &g.id) == Some(&group.id)
        })
        .map(|(i, _)| i)
        .collect();
    let points = group.is_points();
    let mut widths = vec![5.0, id_width(snap), 26.0, 18.0, 20.0];
    widths.extend(group.criteria.iter().map(|_| 9.0));
    if points {
        widths.push(12.0);
    }
    widths.push(17.0);
    // A table with few criteria has room on a landscape page (about 135 units at full
    // size): wider tier and parent columns wrap those long names in two lines, not three.
    if widths.iter().sum::<f64>() < 150.0 {
        widths[3] = 26.0;
        widths[4] = 34.0;
    }
    let first_criterion = 5usize;
    let n_crit = group.criteria.len();
    let total_col = points.then_some(first_criterion + n_crit);
    let result_col = first_criterion + n_crit + usize::from(points);

    let mut doc = new_doc(book, name, widths)?;
    let title = format!(
        "KẾT QUẢ ĐÁNH GIÁ TIÊU CHÍ THI ĐUA – {}",
        group.name(Lang::Vi).to_uppercase()
    );
    write_head(&mut doc, head, &title, &snap.campaign.title_vi, st)?;

    // Two header rows: the criteria under one heading, the other titles spanning both rows.
    let top = doc.row;
    let bottom = top + 1;
    let fixed = ["STT", "Mã", name_title(group), "Cấp", "Đơn vị cấp trên"];
    let crit_w = doc.width(col(first_criterion), col(first_criterion + n_crit - 1));
    doc.ws.set_row_height(
        top,
        height(&[("Kết quả đánh giá từng tiêu chí", crit_w, 8.5, LINE)]),
    )?;
    // Under each criterion: its id, marked when it is required, and for points its maximum;
    // over the total: the group's maximum and threshold.
    let crit_titles: Vec<String> = group.criteria.iter().map(criterion_title).collect();
    let total_title = points.then(|| total_title(group));
    let mut bottom_h = 2.0 * LINE + 3.0;
    for (k, t) in crit_titles.iter().enumerate() {
        bottom_h = bottom_h.max(height(&[(t, doc.widths[first_criterion + k], 8.5, LINE)]));
    }
    if let (Some(tc), Some(t)) = (total_col, &total_title) {
        let top_h = height(&[("Kết quả đánh giá từng tiêu chí", crit_w, 8.5, LINE)]);
        bottom_h = bottom_h.max(height(&[(t, doc.widths[tc], 8.5, LINE)]) - top_h);
    }
    doc.ws.set_row_height(bottom, bottom_h)?;
    for (i, t) in fixed.iter().enumerate() {
        doc.ws
            .merge_range(top, col(i), bottom, col(i), t, &st.header)?;
    }
    if n_crit == 1 {
        doc.ws.write_string_with_format(
            top,
            col(first_criterion),
            "Kết quả đánh giá từng tiêu chí",
            &st.header,
        )?;
    } else {
        doc.ws.merge_range(
            top,
            col(first_criterion),
            top,
            col(first_criterion + n_crit - 1),
            "Kết quả đánh giá từng tiêu chí",
            &st.header,
        )?;
    }
    if let (Some(tc), Some(t)) = (total_col, &total_title) {
        doc.ws
            .merge_range(top, col(tc), bottom, col(tc), t, &st.header)?;
    }
    doc.ws.merge_range(
        top,
        col(result_col),
        bottom,
        col(result_col),
        "Kết quả",
        &st.header,
    )?;
    for (k, t) in crit_titles.iter().enumerate() {
        doc.ws
            .write_string_with_format(bottom, col(first_criterion + k), t, &st.header)?;
    }
    doc.row = bottom + 1;
    print_setup(doc.ws, true, (top, bottom))?;
    doc.ws.set_freeze_panes(bottom + 1, 3)?;
    let last_data = bottom + row(members.len()).max(1);
    doc.ws.autofilter(bottom, 0, last_data, doc.last())?;

    let mut met_counts = vec![0usize; n_crit];
    for (n, &i) in members.iter().enumerate() {
        let reviewed = &snap.rows[i];
        let s = &reviewed.subject;
        let values = reviewed.values();
        let words: Vec<String> = values
            .iter()
            .map(|v| match v {
                VerdictValue::Pending | VerdictValue::Score(_) => String::new(),
                other => labels::verdict(*other, Lang::Vi),
            })
            .collect();
        let outcome = snap.outcomes[i];
        let tier = tier_name(snap, &s.tier);
        let parent = parent_name(snap, s.parent.as_deref());
        let mut cells = vec![
            (s.id.as_str(), doc.widths[1], PX_CAPS, LINE),
            (s.name.as_str(), doc.widths[2], PX, LINE),
            (tier, doc.widths[3], PX, LINE),
            (parent, doc.widths[4], PX, LINE),
            (
                labels::outcome(outcome, Lang::Vi),
                doc.widths[result_col],
                8.5,
                LINE,
            ),
        ];
        for (k, w) in words.iter().enumerate() {
            cells.push((w.as_str(), doc.widths[first_criterion + k], PX, LINE));
        }
        let r = doc.row;
        doc.ws.set_row_height(r, height(&cells))?;
        doc.ws
            .write_number_with_format(r, 0, (n + 1) as f64, &st.number)?;
        doc.ws
            .write_string_with_format(r, 1, fit(&s.id), &st.wrap)?;
        doc.ws
            .write_string_with_format(r, 2, fit(&s.name), &st.wrap)?;
        doc.ws.write_string_with_format(r, 3, fit(tier), &st.wrap)?;
        doc.ws
            .write_string_with_format(r, 4, fit(parent), &st.wrap)?;
        for (k, v) in values.iter().enumerate() {
            let cc = col(first_criterion + k);
            if met(*v, group.criteria[k].scale) {
                met_counts[k] += 1;
            }
            match v {
                VerdictValue::Pending => doc.ws.write_blank(r, cc, &st.center)?,
                VerdictValue::Score(p) => {
                    doc.ws
                        .write_number_with_format(r, cc, *p, score_format(*p, st))?
                }
                _ => doc
                    .ws
                    .write_string_with_format(r, cc, &words[k], &st.center)?,
            };
        }
        if let Some(tc) = total_col {
            match points_total(group, reviewed) {
                Some(t) => doc
                    .ws
                    .write_number_with_format(r, col(tc), t, score_format(t, st))?,
                None => doc.ws.write_blank(r, col(tc), &st.number)?,
            };
        }
        let format = if outcome == Outcome::Qualified {
            &st.qualified
        } else {
            &st.center
        };
        doc.ws.write_string_with_format(
            r,
            col(result_col),
            labels::outcome(outcome, Lang::Vi),
            format,
        )?;
        doc.row += 1;
    }
    if members.is_empty() {
        doc.gap(LINE)?;
    }

    // How many met each criterion; under the outcome, how many qualified.
    let qualified = |rows: &mut dyn Iterator<Item = &usize>, o: Outcome| {
        rows.filter(|&&i| snap.outcomes[i] == o).count()
    };
    let r = doc.row;
    doc.ws.set_row_height(r, 2.0 * LINE + 3.0)?;
    doc.span(0, 4, "Số đối tượng đạt từng tiêu chí", &st.total_label)?;
    for (k, n) in met_counts.iter().enumerate() {
        doc.ws
            .write_number_with_format(r, col(first_criterion + k), *n as f64, &st.total)?;
    }
    if let Some(tc) = total_col {
        doc.ws.write_blank(r, col(tc), &st.total)?;
    }
    doc.ws.write_number_with_format(
        r,
        col(result_col),
        qualified(&mut members.iter(), Outcome::Qualified) as f64,
        &st.total,
    )?;
    doc.row += 1;
    doc.gap(10.0)?;

    // Outcomes per tier and overall.
    let titles = [
        "STT",
        "Tổng hợp theo cấp",
        "",
        "Số đối tượng",
        "Đủ điều kiện",
        "Không đủ điều kiện",
        "Chưa đủ dữ liệu",
    ];
    let r = doc.row;
    let head_cells: Vec<(&str, f64, f64, f64)> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, doc.widths[i], 8.5, LINE))
        .collect();
    doc.ws.set_row_height(r, height(&head_cells))?;
    doc.ws.write_string_with_format(r, 0, "STT", &st.header)?;
    doc.span(1, 2, titles[1], &st.header)?;
    for (i, t) in titles.iter().enumerate().skip(3) {
        doc.ws.write_string_with_format(r, col(i), *t, &st.header)?;
    }
    doc.row += 1;
    let tiers: Vec<&crate::domain::Tier> = snap
        .campaign
        .tiers
        .iter()
        .filter(|t| t.group == group.id)
        .collect();
    let mut line_no = 0;
    let mut tier_rows: Vec<(String, Vec<usize>)> = tiers
        .iter()
        .map(|t| {
            (
                t.name(Lang::Vi).to_string(),
                members
                    .iter()
                    .copied()
                    .filter(|&i| snap.rows[i].subject.tier == t.id)
                    .collect(),
            )
        })
        .collect();
    tier_rows.push(("Tổng cộng".into(), members.clone()));
    let count = tier_rows.len();
    for (n, (label, rows)) in tier_rows.iter().enumerate() {
        let overall = n + 1 == count;
        let r = doc.row;
        let w = doc.width(1, 2);
        doc.ws
            .set_row_height(r, height(&[(label.as_str(), w, 8.0, LINE)]))?;
        if overall {
            doc.ws.write_blank(r, 0, &st.total)?;
            doc.span(1, 2, label, &st.total_label)?;
        } else {
            line_no += 1;
            doc.ws
                .write_number_with_format(r, 0, f64::from(line_no), &st.number)?;
            doc.span(1, 2, label, &st.wrap)?;
        }
        let f = if overall { &st.total } else { &st.number };
        let counts = [
            rows.len(),
            qualified(&mut rows.iter(), Outcome::Qualified),
            qualified(&mut rows.iter(), Outcome::NotQualified),
            qualified(&mut rows.iter(), Outcome::Incomplete),
        ];
        for (k, v) in counts.iter().enumerate() {
            doc.ws
                .write_number_with_format(r, col(3 + k), *v as f64, f)?;
        }
        doc.row += 1;
    }

    // What the criteria columns stand for.
    doc.gap(8.0)?;
    let legend = format!(
        "Ghi chú: {}.",
        group
            .criteria
            .iter()
            .map(|c| format!("{}: {}", c.id, c.title_vi))
            .collect::<Vec<_>>()
            .join("; ")
    );
    doc.full(&legend, &st.legend, PX, LINE)?;
    if let Some(required) = required_legend(group) {
        doc.full(&required, &st.legend, PX, LINE)?;
    }
    write_signatures(&mut doc, head, st)?;
    Ok(())
}

/// "Đề nghị khen thưởng": the qualified subjects grouped by award (I, II, …) and tier (1, 2,
/// …), STT restarting in each tier, each heading with its count, the achievement line under
/// each award, the total at the end. Portrait, one page wide.
fn proposed_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    head: &Head,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let any_points = snap.campaign.groups.iter().any(Group::is_points);
    let mut widths = vec![6.0, id_width(snap), 36.0, 32.0];
    let mut titles = vec![
        "STT",
        "Mã",
        "Tên tập thể, cá nhân",
        "Đơn vị cấp trên, nơi công tác",
    ];
    if any_points {
        widths.push(9.0);
        titles.push("Tổng điểm");
    }
    widths.push(12.0);
    titles.push("Ghi chú");
    let mut doc = new_doc(book, name, widths)?;
    let council = &head.council;
    write_head(
        &mut doc,
        head,
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        &snap.campaign.title_vi,
        st,
    )?;
    let header = write_header(&mut doc, &titles, st)?;
    print_setup(doc.ws, false, (header, header))?;
    doc.ws.set_freeze_panes(header + 1, 0)?;
    let last = doc.last();
    let all_w = doc.width(0, last);

    let groups = council::proposals(snap, council);
    if groups.is_empty() {
        doc.full(
            "Không có tập thể, cá nhân nào đủ điều kiện đề nghị khen thưởng.",
            &st.reason,
            PX,
            LINE,
        )?;
    }
    for (a, award) in groups.iter().enumerate() {
        let heading = format!(
            "{}. {}: {}",
            council::roman(a + 1),
            award.name(),
            count_phrase(
                snap,
                award.tiers.iter().flat_map(|t| t.rows.iter().copied())
            )
        );
        doc.ws
            .set_row_height(doc.row, height(&[(&heading, all_w, 8.5, LINE)]))?;
        doc.span(0, last, &heading, &st.section)?;
        doc.row += 1;
        let reason = match award.award {
            Some(aw) => aw.reason(council),
            None => council.reason.as_str(),
        };
        let reason = format!("Thành tích: {reason}.");
        doc.ws
            .set_row_height(doc.row, height(&[(&reason, all_w, PX, LINE)]))?;
        doc.span(0, last, &reason, &st.reason)?;
        doc.row += 1;
        for (t, tier) in award.tiers.iter().enumerate() {
            let sub = format!(
                "{}. {}: {}",
                t + 1,
                tier.tier.name(Lang::Vi),
                tier.rows.len()
            );
            doc.ws
                .set_row_height(doc.row, height(&[(&sub, all_w, 8.5, LINE)]))?;
            doc.span(0, last, &sub, &st.subsection)?;
            doc.row += 1;
            for (n, &i) in tier.rows.iter().enumerate() {
                let reviewed = &snap.rows[i];
                let s = &reviewed.subject;
                let parent = parent_name(snap, s.parent.as_deref());
                let r = doc.row;
                doc.ws.set_row_height(
                    r,
                    height(&[
                        (s.id.as_str(), doc.widths[1], PX_CAPS, LINE),
                        (s.name.as_str(), doc.widths[2], PX, LINE),
                        (parent, doc.widths[3], PX, LINE),
                    ]),
                )?;
                doc.ws
                    .write_number_with_format(r, 0, (n + 1) as f64, &st.number)?;
                doc.ws
                    .write_string_with_format(r, 1, fit(&s.id), &st.wrap)?;
                doc.ws
                    .write_string_with_format(r, 2, fit(&s.name), &st.wrap)?;
                doc.ws
                    .write_string_with_format(r, 3, fit(parent), &st.wrap)?;
                let mut next = 4;
                if any_points {
                    let total = snap
                        .group_of(reviewed)
                        .and_then(|g| points_total(g, reviewed));
                    match total {
                        Some(t) => doc
                            .ws
                            .write_number_with_format(r, 4, t, score_format(t, st))?,
                        None => doc.ws.write_blank(r, 4, &st.number)?,
                    };
                    next = 5;
                }
                doc.ws.write_blank(r, next, &st.wrap)?;
                doc.row += 1;
            }
        }
    }
    let everyone = groups
        .iter()
        .flat_map(|a| a.tiers.iter().flat_map(|t| t.rows.iter().copied()));
    let total = format!("Tổng cộng: {}", count_phrase(snap, everyone));
    doc.ws
        .set_row_height(doc.row, height(&[(&total, all_w, 8.5, LINE)]))?;
    doc.span(0, last, &total, &st.section)?;
    doc.row += 1;
    write_signatures(&mut doc, head, st)?;
    Ok(())
}

/// "112 (107 tập thể, 5 cá nhân)": how many, and how many of each group; "5 cá nhân" when
/// all are of one group.
pub(super) fn count_phrase(snap: &Snapshot, rows: impl Iterator<Item = usize>) -> String {
    let rows: Vec<usize> = rows.collect();
    let parts = group_parts(snap, &rows);
    match parts.len() {
        0 => "0".into(),
        1 => parts.join(""),
        _ => format!("{} ({})", rows.len(), parts.join(", ")),
    }
}

/// "107 tập thể, 5 cá nhân" (or "0").
pub(super) fn group_counts(snap: &Snapshot, rows: impl Iterator<Item = usize>) -> String {
    let rows: Vec<usize> = rows.collect();
    let parts = group_parts(snap, &rows);
    if parts.is_empty() {
        "0".into()
    } else {
        parts.join(", ")
    }
}

fn group_parts(snap: &Snapshot, rows: &[usize]) -> Vec<String> {
    snap.campaign
        .groups
        .iter()
        .filter_map(|g| {
            let n = rows
                .iter()
                .filter(|&&i| snap.group_of(&snap.rows[i]).map(|x| &x.id) == Some(&g.id))
                .count();
            (n > 0).then(|| format!("{n} {}", g.name(Lang::Vi).to_lowercase()))
        })
        .collect()
}

/// "Sáng kiến": every initiative with its owner, dates as Excel dates, status and recognition.
fn initiatives_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    head: &Head,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let titles = [
        "STT",
        "Mã",
        "Tên sáng kiến",
        "Mã chủ sở hữu",
        "Tập thể, cá nhân",
        "Ngày nộp",
        "Tình trạng",
        "Cấp công nhận",
        "Số quyết định",
        "Ngày quyết định",
        "Phạm vi",
    ];
    let widths = vec![
        5.0,
        8.0,
        38.0,
        id_width(snap),
        26.0,
        12.0,
        13.0,
        26.0,
        18.0,
        12.0,
        10.0,
    ];
    let mut doc = new_doc(book, name, widths)?;
    write_head(
        &mut doc,
        head,
        "DANH SÁCH SÁNG KIẾN",
        &snap.campaign.title_vi,
        st,
    )?;
    let header = write_header(&mut doc, &titles, st)?;
    print_setup(doc.ws, true, (header, header))?;
    doc.ws.set_freeze_panes(header + 1, 3)?;
    doc.ws.autofilter(
        header,
        0,
        header + row(snap.initiatives.len()).max(1),
        doc.last(),
    )?;
    for (n, i) in snap.initiatives.iter().enumerate() {
        let r = doc.row;
        let owner = snap.name_of(&i.owner).unwrap_or("");
        let status = labels::initiative_status(i.status, Lang::Vi);
        let (authority, decision) = i.recognition.as_ref().map_or(("", ""), |rec| {
            (rec.authority.as_str(), rec.decision.as_str())
        });
        doc.ws.set_row_height(
            r,
            height(&[
                (i.title.as_str(), doc.widths[2], PX, LINE),
                (i.owner.as_str(), doc.widths[3], PX_CAPS, LINE),
                (owner, doc.widths[4], PX, LINE),
                (status, doc.widths[6], PX, LINE),
                (authority, doc.widths[7], PX, LINE),
                (decision, doc.widths[8], PX_CAPS, LINE),
            ]),
        )?;
        doc.ws
            .write_number_with_format(r, 0, (n + 1) as f64, &st.number)?;
        doc.ws
            .write_string_with_format(r, 1, fit(&i.id), &st.wrap)?;
        doc.ws
            .write_string_with_format(r, 2, fit(&i.title), &st.wrap)?;
        doc.ws
            .write_string_with_format(r, 3, fit(&i.owner), &st.wrap)?;
        doc.ws
            .write_string_with_format(r, 4, fit(owner), &st.wrap)?;
        match i.submitted_on {
            Some(d) => doc
                .ws
                .write_date_with_format(r, 5, &excel_date(d)?, &st.date)?,
            None => doc.ws.write_blank(r, 5, &st.date)?,
        };
        doc.ws.write_string_with_format(r, 6, status, &st.wrap)?;
        match &i.recognition {
            Some(rec) => {
                doc.ws
                    .write_string_with_format(r, 7, fit(&rec.authority), &st.wrap)?;
                doc.ws
                    .write_string_with_format(r, 8, fit(&rec.decision), &st.wrap)?;
                doc.ws
                    .write_date_with_format(r, 9, &excel_date(rec.decided_on)?, &st.date)?;
                doc.ws.write_string_with_format(
                    r,
                    10,
                    labels::scope(rec.scope, Lang::Vi),
                    &st.wrap,
                )?;
            }
            None => {
                for cc in 7..=10 {
                    doc.ws.write_blank(r, cc, &st.wrap)?;
                }
            }
        }
        doc.row += 1;
    }
    let recognised = snap
        .initiatives
        .iter()
        .filter(|i| i.recognition.is_some())
        .count();
    doc.gap(6.0)?;
    let r = doc.row;
    doc.ws.write_string_with_format(
        r,
        2,
        format!(
            "Tổng cộng: {} sáng kiến, {recognised} được công nhận.",
            snap.initiatives.len()
        ),
        &st.plain.clone().set_bold(),
    )?;
    doc.row += 1;
    write_signatures(&mut doc, head, st)?;
    Ok(())
}

/// "Giải trình – Không đạt": first every criterion waiting for an explanation (Cần giải
/// trình), then every not-met criterion (Không đạt), each with its note; STT restarts in each
/// part. Landscape.
fn notes_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    head: &Head,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let mut explain = Vec::new();
    let mut not_met = Vec::new();
    for r in &snap.rows {
        let Some(group) = snap.group_of(r) else {
            continue;
        };
        for (c, v) in group.criteria.iter().zip(&r.verdicts) {
            match v {
                Some(v) if v.value == VerdictValue::NotMet => not_met.push((&r.subject, c, v)),
                Some(v) if v.value == VerdictValue::NeedsExplanation => {
                    explain.push((&r.subject, c, v));
                }
                _ => {}
            }
        }
    }
    let titles = [
        "STT",
        "Mã",
        "Tên tập thể, cá nhân",
        "Tiêu chí",
        "Nội dung tiêu chí",
        "Đánh giá",
        "Ghi chú (nội dung cần giải trình, lý do không đạt)",
        "Người đánh giá",
        "Thời gian",
    ];
    let widths = vec![5.0, id_width(snap), 28.0, 8.0, 28.0, 11.0, 50.0, 14.0, 16.0];
    let mut doc = new_doc(book, name, widths)?;
    write_head(
        &mut doc,
        head,
        "CÁC TIÊU CHÍ CẦN GIẢI TRÌNH VÀ LÝ DO KHÔNG ĐẠT",
        &snap.campaign.title_vi,
        st,
    )?;
    let header = write_header(&mut doc, &titles, st)?;
    print_setup(doc.ws, true, (header, header))?;
    doc.ws.set_freeze_panes(header + 1, 3)?;
    let last = doc.last();
    let all_w = doc.width(0, last);
    for (part, (label, items)) in [
        (
            labels::verdict(VerdictValue::NeedsExplanation, Lang::Vi),
            &explain,
        ),
        (labels::verdict(VerdictValue::NotMet, Lang::Vi), &not_met),
    ]
    .iter()
    .enumerate()
    {
        let heading = format!("{}. {label}: {}", council::roman(part + 1), items.len());
        doc.ws
            .set_row_height(doc.row, height(&[(&heading, all_w, 8.5, LINE)]))?;
        doc.span(0, last, &heading, &st.section)?;
        doc.row += 1;
        for (n, (s, c, v)) in items.iter().enumerate() {
            let r = doc.row;
            doc.ws.set_row_height(
                r,
                height(&[
                    (s.id.as_str(), doc.widths[1], PX_CAPS, LINE),
                    (s.name.as_str(), doc.widths[2], PX, LINE),
                    (c.title_vi.as_str(), doc.widths[4], PX, LINE),
                    (label.as_str(), doc.widths[5], PX, LINE),
                    (v.note.as_str(), doc.widths[6], PX, LINE),
                    (v.reviewer.as_str(), doc.widths[7], PX, LINE),
                ]),
            )?;
            subject_criterion_cells(&mut doc, st, r, n, s, c)?;
            doc.ws.write_string_with_format(r, 5, label, &st.center)?;
            doc.ws
                .write_string_with_format(r, 6, fit(&v.note), &st.wrap)?;
            doc.ws
                .write_string_with_format(r, 7, fit(&v.reviewer), &st.wrap)?;
            doc.ws
                .write_datetime_with_format(r, 8, &excel_time(v.decided_at)?, &st.datetime)?;
            doc.row += 1;
        }
    }
    write_signatures(&mut doc, head, st)?;
    Ok(())
}

/// A data sheet (not part of the documents): the header row, frozen and repeated on every
/// printed page, an autofilter, landscape and one page wide.
fn data_sheet<'a>(
    book: &'a mut Workbook,
    name: &str,
    columns: &[(&str, f64)],
    rows: usize,
    freeze_cols: u16,
    st: &Styles,
) -> Result<Doc<'a>, XlsxError> {
    let widths = columns.iter().map(|(_, w)| *w).collect();
    let mut doc = new_doc(book, name, widths)?;
    let titles: Vec<&str> = columns.iter().map(|(t, _)| *t).collect();
    let header = write_header(&mut doc, &titles, st)?;
    print_setup(doc.ws, true, (header, header))?;
    doc.ws.set_freeze_panes(header + 1, freeze_cols)?;
    doc.ws
        .autofilter(header, 0, header + row(rows).max(1), doc.last())?;
    Ok(doc)
}

/// The rows `0..total` of a data table cut into runs of at most `per_sheet` rows; one empty
/// run for an empty table.
fn parts(total: usize, per_sheet: usize) -> Vec<std::ops::Range<usize>> {
    let per_sheet = per_sheet.max(1);
    if total == 0 {
        return std::iter::once(0..0).collect();
    }
    (0..total)
        .step_by(per_sheet)
        .map(|start| start..(start + per_sheet).min(total))
        .collect()
}

/// The names of the `count - 1` sheets a table continues on: "Nhật ký (2)", "Nhật ký (3)", …
/// (a number another sheet already uses is skipped), cut so the number always fits Excel's
/// 31 characters.
fn continued_names(first: &str, count: usize, used: &mut HashSet<String>) -> Vec<String> {
    let mut names = Vec::new();
    let mut k = 2;
    while names.len() + 1 < count {
        let suffix = format!(" ({k})");
        let keep = 31 - suffix.chars().count();
        let base: String = first.chars().take(keep).collect();
        let name = format!("{}{suffix}", base.trim_end());
        if used.insert(name.to_lowercase()) {
            names.push(name);
        }
        k += 1;
    }
    names
}

/// A data table of `total` rows written over as many sheets as Excel's row limit needs:
/// `limit` rows a sheet, counting the header row and, on every sheet but the last, a closing
/// row naming the sheets the table continues on. Each sheet repeats the header row, its
/// print titles, frozen panes and filter; STT/sequence numbers run on across sheets. No row
/// is dropped. `write_row(doc, i)` writes row `i` of the table at `doc.row`.
#[allow(clippy::too_many_arguments)]
fn split_table(
    book: &mut Workbook,
    wanted: &str,
    used: &mut HashSet<String>,
    columns: &[(&str, f64)],
    total: usize,
    freeze_cols: u16,
    limit: usize,
    st: &Styles,
    mut write_row: impl FnMut(&mut Doc<'_>, usize) -> Result<(), XlsxError>,
) -> Result<Vec<String>, XlsxError> {
    let runs = parts(total, limit.saturating_sub(2));
    let mut names = vec![sheet_name(wanted, used)];
    names.extend(continued_names(&names[0], runs.len(), used));
    for (k, run) in runs.iter().enumerate() {
        let mut doc = data_sheet(book, &names[k], columns, run.len(), freeze_cols, st)?;
        for i in run.clone() {
            write_row(&mut doc, i)?;
        }
        if k + 1 < runs.len() {
            let rest = names[k + 1..]
                .iter()
                .map(|n| format!("“{n}”"))
                .collect::<Vec<_>>()
                .join(", ");
            let note = format!(
                "Bảng có {total} dòng, quá giới hạn {limit} dòng của một trang tính: \
                 còn tiếp ở trang tính {rest}."
            );
            doc.full(&note, &st.warning, 8.5, LINE)?;
        }
    }
    Ok(names)
}

fn audit_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    used: &mut HashSet<String>,
    limit: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    let columns = [
        ("Số TT", 8.0),
        ("Thời gian", 16.0),
        ("Người thực hiện", 18.0),
        ("Thao tác", 10.0),
        ("Nội dung", 90.0),
    ];
    let audit = &snap.audit;
    split_table(
        book,
        AUDIT_SHEET,
        used,
        &columns,
        audit.len(),
        0,
        limit,
        st,
        |doc, i| {
            let e = &audit[i];
            let r = doc.row;
            let text = labels::describe(e, |id| snap.name_of(id), Lang::Vi);
            doc.ws.set_row_height(
                r,
                height(&[
                    (text.as_str(), doc.widths[4], PX, LINE),
                    (e.reviewer.as_str(), doc.widths[2], PX, LINE),
                ]),
            )?;
            doc.ws
                .write_number_with_format(r, 0, e.seq as f64, &st.number)?;
            doc.ws
                .write_datetime_with_format(r, 1, &excel_time(e.at)?, &st.datetime)?;
            doc.ws
                .write_string_with_format(r, 2, fit(&e.reviewer), &st.wrap)?;
            doc.ws
                .write_string_with_format(r, 3, labels::cause(e.cause, Lang::Vi), &st.text)?;
            doc.ws
                .write_string_with_format(r, 4, fit(&text), &st.wrap)?;
            doc.row += 1;
            Ok(())
        },
    )?;
    Ok(())
}

fn gaps_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    used: &mut HashSet<String>,
    limit: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    let columns = [
        ("STT", 6.0),
        ("Mã", 12.0),
        ("Tên tập thể, cá nhân", 40.0),
        ("Tiêu chí", 8.0),
        ("Còn thiếu", 34.0),
    ];
    let gaps = &snap.gaps.gaps;
    split_table(
        book,
        GAPS_SHEET,
        used,
        &columns,
        gaps.len(),
        3,
        limit,
        st,
        |doc, n| {
            let g = &gaps[n];
            let r = doc.row;
            let who = snap.name_of(&g.subject).unwrap_or("");
            doc.ws.set_row_height(
                r,
                height(&[
                    (g.subject.as_str(), doc.widths[1], PX, LINE),
                    (who, doc.widths[2], PX, LINE),
                ]),
            )?;
            doc.ws
                .write_number_with_format(r, 0, (n + 1) as f64, &st.number)?;
            doc.ws
                .write_string_with_format(r, 1, fit(&g.subject), &st.wrap)?;
            doc.ws.write_string_with_format(r, 2, fit(who), &st.wrap)?;
            doc.ws
                .write_string_with_format(r, 3, fit(&g.criterion), &st.center)?;
            doc.ws.write_string_with_format(
                r,
                4,
                labels::problem(g.problem, Lang::Vi),
                &st.text,
            )?;
            doc.row += 1;
            Ok(())
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn wrapped_lines_are_counted_from_words() {
        assert_eq!(lines("", 10.0, 7.5), 1);
        assert_eq!(lines("Đạt", 10.0, 7.5), 1);
        assert_eq!(lines("Cần giải trình", 9.0, 6.6), 2);
        // A word longer than the line takes as many lines as it needs.
        assert_eq!(lines(&"x".repeat(40), 10.0, 7.5), 5);
        assert_eq!(lines("a\nb\nc", 30.0, 7.5), 3);
    }

    use super::{Doc, Styles, Workbook, XlsxError, parts, split_table};
    use std::collections::HashSet;
    use std::io::Read;

    #[test]
    fn parts_cover_every_row_once_in_order() {
        for (total, per) in [
            (0, 5),
            (1, 5),
            (5, 5),
            (6, 5),
            (23, 5),
            (1_400_000, 1_048_574),
        ] {
            let runs = parts(total, per);
            let all: Vec<usize> = runs.iter().flat_map(|r| r.clone()).collect();
            assert_eq!(all, (0..total).collect::<Vec<_>>(), "{total}/{per}");
            assert!(runs.iter().all(|r| r.len() <= per));
            assert_eq!(runs.len(), total.div_ceil(per).max(1));
        }
    }

    /// A table of 23 rows at a limit of 7 rows a sheet (header + 5 rows + the closing note):
    /// five sheets, every row exactly once and in order, the header on each, print titles
    /// and a note naming the sheets that follow.
    #[test]
    fn a_table_past_the_limit_continues_on_more_sheets() {
        let st = Styles::new();
        let mut book = Workbook::new();
        let mut used = HashSet::new();
        used.insert("nhật ký (2)".to_string()); // a group sheet already has that name
        let columns = [("Số TT", 8.0), ("Nội dung", 40.0)];
        let names = split_table(
            &mut book,
            "Nhật ký",
            &mut used,
            &columns,
            23,
            0,
            7,
            &st,
            |doc: &mut Doc<'_>, i| {
                doc.ws.write_number(doc.row, 0, i as f64)?;
                doc.ws.write_string(doc.row, 1, format!("dòng {i}"))?;
                doc.row += 1;
                Ok::<(), XlsxError>(())
            },
        )
        .expect("table");
        assert_eq!(
            names,
            [
                "Nhật ký",
                "Nhật ký (3)",
                "Nhật ký (4)",
                "Nhật ký (5)",
                "Nhật ký (6)"
            ]
        );
        let mut bytes = std::io::Cursor::new(Vec::new());
        book.save_to_writer(&mut bytes).expect("save");
        let bytes = bytes.into_inner();

        use calamine::{Data, Reader, Xlsx};
        let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).expect("read");
        assert_eq!(xlsx.sheet_names(), names);
        let mut seen = Vec::new();
        for (k, name) in names.iter().enumerate() {
            let range = xlsx.worksheet_range(name).expect("sheet");
            let rows: Vec<&[Data]> = range.rows().collect();
            assert!(rows.len() <= 7, "{name}: {} rows", rows.len());
            assert_eq!(rows[0][0], Data::String("Số TT".into()), "{name}");
            assert_eq!(rows[0][1], Data::String("Nội dung".into()), "{name}");
            let last = k + 1 == names.len();
            let body = if last {
                &rows[1..]
            } else {
                &rows[1..rows.len() - 1]
            };
            for r in body {
                let Data::Float(i) = r[0] else {
                    panic!("{name}: {r:?}")
                };
                assert_eq!(r[1], Data::String(format!("dòng {i}")));
                seen.push(i as usize);
            }
            if !last {
                let Data::String(note) = &rows[rows.len() - 1][0] else {
                    panic!("{name}: no note")
                };
                assert!(note.contains("23 dòng"), "{note}");
                for rest in &names[k + 1..] {
                    assert!(note.contains(&format!("“{rest}”")), "{note}");
                }
            }
        }
        assert_eq!(
            seen,
            (0..23).collect::<Vec<_>>(),
            "every row once, in order"
        );

        // Each sheet prints its header row on every page.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut wb = String::new();
        zip.by_name("xl/workbook.xml")
            .expect("workbook.xml")
            .read_to_string(&mut wb)
            .expect("utf-8");
        for name in &names {
            let titles = format!("\'{name}\'!$1:$1");
            let plain = format!("{name}!$1:$1");
            assert!(
                wb.contains(&titles) || wb.contains(&plain),
                "{name}: no print titles in {wb}"
            );
        }
    }
}
