//! The XLSX verdict file: what the emulation-and-reward council (Hội đồng Thi đua – Khen
//! thưởng) reads. In order: one sheet per criteria group (a row per subject, a column per
//! criterion, the outcome last), "Đề nghị khen thưởng" (the qualified subjects), "Sáng kiến"
//! (initiatives and their recognition), "Lý do không đạt" (the note of every not-met
//! criterion), "Nhật ký" (the audit trail) and, for an export with gaps, "Chưa hoàn thành".
//!
//! Every sheet is written in constant-memory mode (rows streamed to a temporary file in order),
//! so a province of 32,000 subjects does not hold a workbook in memory. User text only ever goes
//! through `write_string`, which stores text, never a formula.

use std::collections::HashSet;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use super::{ExportMeta, Failure, Snapshot};
use crate::domain::review::{labels, points_total};
use crate::domain::{Group, Lang, Outcome, VerdictValue, format_date, format_time};

/// The most characters Excel keeps in a cell.
const CELL_MAX: usize = 32_767;

/// Sheet names, stable for readers that look sheets up by name.
pub const PROPOSED_SHEET: &str = "Đề nghị khen thưởng";
pub const INITIATIVES_SHEET: &str = "Sáng kiến";
pub const NOT_MET_SHEET: &str = "Lý do không đạt";
pub const AUDIT_SHEET: &str = "Nhật ký";
pub const GAPS_SHEET: &str = "Chưa hoàn thành";

struct Styles {
    header: Format,
    notice: Format,
    text: Format,
    wrap: Format,
    center: Format,
    qualified: Format,
}

impl Styles {
    fn new() -> Styles {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        Styles {
            header: border(
                Format::new()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_background_color(Color::RGB(0xDDEBF7)),
            ),
            notice: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(0xC00000))
                .set_background_color(Color::RGB(0xFFF2CC)),
            text: border(Format::new().set_align(FormatAlign::Top)),
            wrap: border(Format::new().set_text_wrap().set_align(FormatAlign::Top)),
            center: border(
                Format::new()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
            qualified: border(
                Format::new()
                    .set_bold()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::Top),
            ),
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

/// A new constant-memory sheet with an optional notice row, then the header row, the given column widths, the
/// header frozen (and the first `freeze_cols` columns), and an autofilter over `rows` rows.
fn new_sheet<'a>(
    book: &'a mut Workbook,
    name: &str,
    notice: Option<String>,
    columns: &[(String, f64)],
    freeze_cols: u16,
    rows: usize,
    st: &Styles,
) -> Result<&'a mut Worksheet, XlsxError> {
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    let header_row = u32::from(notice.is_some());
    // Constant-memory sheets take rows strictly in order: the notice first.
    if let Some(text) = notice {
        sheet.write_string_with_format(0, 0, text, &st.notice)?;
    }
    for (i, (_, width)) in columns.iter().enumerate() {
        sheet.set_column_width(col(i), *width)?;
    }
    sheet.set_freeze_panes(header_row + 1, freeze_cols)?;
    if !columns.is_empty() {
        let last = header_row + u32::try_from(rows).unwrap_or(u32::MAX - header_row - 1);
        sheet.autofilter(header_row, 0, last, col(columns.len() - 1))?;
    }
    sheet.set_row_height(header_row, 48)?;
    for (i, (title, _)) in columns.iter().enumerate() {
        sheet.write_string_with_format(header_row, col(i), fit(title), &st.header)?;
    }
    Ok(sheet)
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

fn row(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Writes the XLSX verdict file.
pub(super) fn write(
    snap: &Snapshot,
    meta: &ExportMeta,
    file: &mut std::fs::File,
) -> Result<(), Failure> {
    build(snap, meta, file).map_err(|e| Failure::Xlsx(e.to_string()))
}

fn build(snap: &Snapshot, meta: &ExportMeta, file: &mut std::fs::File) -> Result<(), XlsxError> {
    let st = Styles::new();
    let mut book = Workbook::new();
    let c = &snap.campaign;
    let created = ExcelDateTime::from_timestamp(meta.exported_at.timestamp())?;
    book.set_properties(
        &DocProperties::new()
            .set_title(c.title_vi.as_str())
            .set_subject(format!("Kết quả đánh giá – {}", c.document.number))
            .set_author(meta.exported_by.as_str())
            .set_creation_datetime(&created),
    );
    let mut used = HashSet::new();
    let mut notice = (!snap.gaps.is_complete()).then(|| notice_text(snap));
    for group in &c.groups {
        let name = sheet_name(group.name(Lang::Vi), &mut used);
        group_sheet(&mut book, snap, group, &name, notice.take(), &st)?;
    }
    proposed_sheet(&mut book, snap, &sheet_name(PROPOSED_SHEET, &mut used), &st)?;
    initiatives_sheet(
        &mut book,
        snap,
        &sheet_name(INITIATIVES_SHEET, &mut used),
        &st,
    )?;
    not_met_sheet(&mut book, snap, &sheet_name(NOT_MET_SHEET, &mut used), &st)?;
    audit_sheet(&mut book, snap, &sheet_name(AUDIT_SHEET, &mut used), &st)?;
    if !snap.gaps.is_complete() {
        gaps_sheet(&mut book, snap, &sheet_name(GAPS_SHEET, &mut used), &st)?;
    }
    book.save_to_writer(std::io::BufWriter::with_capacity(1 << 16, file))
}

/// The warning at the top of the first sheet of an export made with gaps.
fn notice_text(snap: &Snapshot) -> String {
    let g = &snap.gaps;
    format!(
        "BẢN XUẤT CHƯA ĐẦY ĐỦ (xuất với --allow-incomplete): {} tiêu chí chưa đánh giá, {} đang chờ giải trình, {} không đạt chưa ghi lý do. Xem trang “{GAPS_SHEET}”.",
        g.pending, g.needs_explanation, g.missing_reason
    )
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

fn group_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    group: &Group,
    name: &str,
    notice: Option<String>,
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
    let mut columns: Vec<(String, f64)> = vec![
        ("STT".into(), 6.0),
        ("Mã".into(), 12.0),
        (name_title(group).into(), 36.0),
        ("Cấp".into(), 22.0),
        ("Đơn vị cấp trên".into(), 30.0),
    ];
    for cr in &group.criteria {
        columns.push((format!("{} – {}", cr.id, cr.title_vi), 16.0));
    }
    let points = group.is_points();
    if points {
        columns.push(("Tổng điểm".into(), 10.0));
    }
    columns.push(("Kết quả".into(), 20.0));
    let header_row = u32::from(notice.is_some());
    let sheet = new_sheet(book, name, notice, &columns, 3, members.len(), st)?;
    let first_criterion = 5usize;
    for (n, &i) in members.iter().enumerate() {
        let r = header_row + 1 + row(n);
        let reviewed = &snap.rows[i];
        let s = &reviewed.subject;
        sheet.write_number_with_format(r, 0, (n + 1) as f64, &st.center)?;
        sheet.write_string_with_format(r, 1, fit(&s.id), &st.text)?;
        sheet.write_string_with_format(r, 2, fit(&s.name), &st.wrap)?;
        sheet.write_string_with_format(r, 3, fit(tier_name(snap, &s.tier)), &st.wrap)?;
        sheet.write_string_with_format(
            r,
            4,
            fit(parent_name(snap, s.parent.as_deref())),
            &st.wrap,
        )?;
        for (k, v) in reviewed.values().into_iter().enumerate() {
            let cc = col(first_criterion + k);
            match v {
                VerdictValue::Pending => sheet.write_blank(r, cc, &st.center)?,
                VerdictValue::Score(p) => sheet.write_number_with_format(r, cc, p, &st.center)?,
                other => sheet.write_string_with_format(
                    r,
                    cc,
                    labels::verdict(other, Lang::Vi),
                    &st.center,
                )?,
            };
        }
        let mut next = first_criterion + group.criteria.len();
        if points {
            match points_total(group, reviewed) {
                Some(t) => sheet.write_number_with_format(r, col(next), t, &st.center)?,
                None => sheet.write_blank(r, col(next), &st.center)?,
            };
            next += 1;
        }
        let outcome = snap.outcomes[i];
        let format = if outcome == Outcome::Qualified {
            &st.qualified
        } else {
            &st.center
        };
        sheet.write_string_with_format(r, col(next), labels::outcome(outcome, Lang::Vi), format)?;
    }
    Ok(())
}

fn proposed_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    // Grouped by criteria group (collectives first, as the campaign lists them), then roster order.
    let mut chosen: Vec<(usize, &Group)> = Vec::new();
    for group in &snap.campaign.groups {
        for (i, r) in snap.rows.iter().enumerate() {
            if snap.outcomes[i] == Outcome::Qualified
                && snap.campaign.group_of_tier(&r.subject.tier).map(|g| &g.id) == Some(&group.id)
            {
                chosen.push((i, group));
            }
        }
    }
    let any_points = snap.campaign.groups.iter().any(Group::is_points);
    let mut columns: Vec<(String, f64)> = vec![
        ("STT".into(), 6.0),
        ("Mã".into(), 12.0),
        ("Tên tập thể, cá nhân".into(), 40.0),
        ("Nhóm".into(), 12.0),
        ("Cấp".into(), 26.0),
        ("Đơn vị cấp trên".into(), 34.0),
    ];
    if any_points {
        columns.push(("Tổng điểm".into(), 10.0));
    }
    let sheet = new_sheet(book, name, None, &columns, 3, chosen.len(), st)?;
    for (n, (i, group)) in chosen.iter().enumerate() {
        let r = 1 + row(n);
        let reviewed = &snap.rows[*i];
        let s = &reviewed.subject;
        sheet.write_number_with_format(r, 0, (n + 1) as f64, &st.center)?;
        sheet.write_string_with_format(r, 1, fit(&s.id), &st.text)?;
        sheet.write_string_with_format(r, 2, fit(&s.name), &st.wrap)?;
        sheet.write_string_with_format(r, 3, fit(group.name(Lang::Vi)), &st.text)?;
        sheet.write_string_with_format(r, 4, fit(tier_name(snap, &s.tier)), &st.wrap)?;
        sheet.write_string_with_format(
            r,
            5,
            fit(parent_name(snap, s.parent.as_deref())),
            &st.wrap,
        )?;
        if any_points {
            match points_total(group, reviewed) {
                Some(t) => sheet.write_number_with_format(r, 6, t, &st.center)?,
                None => sheet.write_blank(r, 6, &st.center)?,
            };
        }
    }
    Ok(())
}

fn initiatives_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let columns: Vec<(String, f64)> = [
        ("STT", 6.0),
        ("Mã", 9.0),
        ("Tên sáng kiến", 48.0),
        ("Mã chủ sở hữu", 12.0),
        ("Tập thể, cá nhân", 32.0),
        ("Ngày nộp", 12.0),
        ("Tình trạng", 20.0),
        ("Cấp công nhận", 32.0),
        ("Số quyết định", 16.0),
        ("Ngày quyết định", 12.0),
        ("Phạm vi", 12.0),
    ]
    .into_iter()
    .map(|(t, w)| (t.to_string(), w))
    .collect();
    let sheet = new_sheet(book, name, None, &columns, 3, snap.initiatives.len(), st)?;
    for (n, i) in snap.initiatives.iter().enumerate() {
        let r = 1 + row(n);
        sheet.write_number_with_format(r, 0, (n + 1) as f64, &st.center)?;
        sheet.write_string_with_format(r, 1, fit(&i.id), &st.text)?;
        sheet.write_string_with_format(r, 2, fit(&i.title), &st.wrap)?;
        sheet.write_string_with_format(r, 3, fit(&i.owner), &st.text)?;
        sheet.write_string_with_format(
            r,
            4,
            fit(snap.name_of(&i.owner).unwrap_or("")),
            &st.wrap,
        )?;
        let submitted = i.submitted_on.map(format_date).unwrap_or_default();
        sheet.write_string_with_format(r, 5, submitted, &st.center)?;
        sheet.write_string_with_format(
            r,
            6,
            labels::initiative_status(i.status, Lang::Vi),
            &st.text,
        )?;
        match &i.recognition {
            Some(rec) => {
                sheet.write_string_with_format(r, 7, fit(&rec.authority), &st.wrap)?;
                sheet.write_string_with_format(r, 8, fit(&rec.decision), &st.text)?;
                sheet.write_string_with_format(r, 9, format_date(rec.decided_on), &st.center)?;
                sheet.write_string_with_format(
                    r,
                    10,
                    labels::scope(rec.scope, Lang::Vi),
                    &st.text,
                )?;
            }
            None => {
                for cc in 7..=10 {
                    sheet.write_blank(r, cc, &st.text)?;
                }
            }
        }
    }
    Ok(())
}

fn not_met_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let mut items = Vec::new();
    for r in &snap.rows {
        let Some(group) = snap.group_of(r) else {
            continue;
        };
        for (c, v) in group.criteria.iter().zip(&r.verdicts) {
            if let Some(v) = v.as_ref().filter(|v| v.value == VerdictValue::NotMet) {
                items.push((&r.subject, c, v));
            }
        }
    }
    let columns: Vec<(String, f64)> = [
        ("STT", 6.0),
        ("Mã", 12.0),
        ("Tên tập thể, cá nhân", 34.0),
        ("Tiêu chí", 8.0),
        ("Nội dung tiêu chí", 30.0),
        ("Lý do (ghi chú)", 60.0),
        ("Người đánh giá", 16.0),
        ("Thời gian", 17.0),
    ]
    .into_iter()
    .map(|(t, w)| (t.to_string(), w))
    .collect();
    let sheet = new_sheet(book, name, None, &columns, 3, items.len(), st)?;
    for (n, (s, c, v)) in items.iter().enumerate() {
        let r = 1 + row(n);
        sheet.write_number_with_format(r, 0, (n + 1) as f64, &st.center)?;
        sheet.write_string_with_format(r, 1, fit(&s.id), &st.text)?;
        sheet.write_string_with_format(r, 2, fit(&s.name), &st.wrap)?;
        sheet.write_string_with_format(r, 3, fit(&c.id), &st.center)?;
        sheet.write_string_with_format(r, 4, fit(&c.title_vi), &st.wrap)?;
        sheet.write_string_with_format(r, 5, fit(&v.note), &st.wrap)?;
        sheet.write_string_with_format(r, 6, fit(&v.reviewer), &st.text)?;
        sheet.write_string_with_format(r, 7, format_time(v.decided_at), &st.center)?;
    }
    Ok(())
}

fn audit_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let columns: Vec<(String, f64)> = [
        ("Số TT", 8.0),
        ("Thời gian", 17.0),
        ("Người thực hiện", 18.0),
        ("Thao tác", 10.0),
        ("Nội dung", 90.0),
    ]
    .into_iter()
    .map(|(t, w)| (t.to_string(), w))
    .collect();
    let sheet = new_sheet(book, name, None, &columns, 0, snap.audit.len(), st)?;
    for (n, e) in snap.audit.iter().enumerate() {
        let r = 1 + row(n);
        sheet.write_number_with_format(r, 0, e.seq as f64, &st.center)?;
        sheet.write_string_with_format(r, 1, format_time(e.at), &st.center)?;
        sheet.write_string_with_format(r, 2, fit(&e.reviewer), &st.text)?;
        sheet.write_string_with_format(r, 3, labels::cause(e.cause, Lang::Vi), &st.text)?;
        let text = labels::describe(e, |id| snap.name_of(id), Lang::Vi);
        sheet.write_string_with_format(r, 4, fit(&text), &st.wrap)?;
    }
    Ok(())
}

fn gaps_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let columns: Vec<(String, f64)> = [
        ("STT", 6.0),
        ("Mã", 12.0),
        ("Tên tập thể, cá nhân", 40.0),
        ("Tiêu chí", 8.0),
        ("Còn thiếu", 34.0),
    ]
    .into_iter()
    .map(|(t, w)| (t.to_string(), w))
    .collect();
    let sheet = new_sheet(book, name, None, &columns, 3, snap.gaps.gaps.len(), st)?;
    for (n, g) in snap.gaps.gaps.iter().enumerate() {
        let r = 1 + row(n);
        sheet.write_number_with_format(r, 0, (n + 1) as f64, &st.center)?;
        sheet.write_string_with_format(r, 1, fit(&g.subject), &st.text)?;
        sheet.write_string_with_format(
            r,
            2,
            fit(snap.name_of(&g.subject).unwrap_or("")),
            &st.wrap,
        )?;
        sheet.write_string_with_format(r, 3, fit(&g.criterion), &st.center)?;
        sheet.write_string_with_format(r, 4, labels::problem(g.problem, Lang::Vi), &st.text)?;
    }
    Ok(())
}
