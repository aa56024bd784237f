//! The "Tự đánh giá" sheet of the XLSX verdict file, written only when some subject has a
//! self-assessment: a row per claim, in roster and criterion order, with the unit's claim and
//! evidence beside the reviewers' verdict (thẩm định), and whether they differ ("Khác"), so
//! the council sees where the appraisal departs from the unit's own scoring. A data table
//! (header row, filter, frozen panes) like "Nhật ký".

use std::collections::HashSet;

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{LINE, PX, Styles, fit, height, split_table, subject_criterion_cells};
use crate::domain::review::labels;
use crate::domain::{Lang, VerdictValue};
use crate::interchange::export::Snapshot;

/// The sheet's name, stable for readers that look it up.
pub(crate) const SHEET: &str = "Tự đánh giá";

/// The sheet's column titles.
pub const COLUMNS: [&str; 9] = [
    "STT",
    "Mã",
    "Tên tập thể, cá nhân",
    "Tiêu chí",
    "Tên tiêu chí",
    "Tự đánh giá",
    "Kết quả thẩm định",
    "So sánh",
    "Tài liệu kiểm chứng",
];

pub(super) fn claims_sheet(
    book: &mut Workbook,
    snap: &Snapshot,
    used: &mut HashSet<String>,
    limit: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    // "So sánh" holds "Chưa thẩm định" on one line (at 10 it wrapped into the next row).
    let widths = [6.0, 12.0, 36.0, 8.0, 36.0, 14.0, 16.0, 16.0, 40.0];
    let columns: Vec<(&str, f64)> = COLUMNS.iter().copied().zip(widths).collect();
    let mut claims = Vec::new();
    for (r, row) in snap.rows.iter().enumerate() {
        let Some(group) = snap.group_of(row) else {
            continue;
        };
        for (c, criterion) in group.criteria.iter().enumerate() {
            if let Some(claim) = snap.claim(r, c) {
                let value = row
                    .verdicts
                    .get(c)
                    .and_then(|v| v.as_ref())
                    .map_or(VerdictValue::Pending, |v| v.value);
                claims.push((row, criterion, claim, value));
            }
        }
    }
    split_table(
        book,
        SHEET,
        used,
        &columns,
        claims.len(),
        3,
        limit,
        st,
        |doc, n| {
            let (row, criterion, claim, value) = claims[n];
            let r = doc.row;
            let s = &row.subject;
            let compare = if claim.value == value {
                "Trùng"
            } else if value == VerdictValue::Pending {
                "Chưa thẩm định"
            } else {
                "Khác"
            };
            doc.ws.set_row_height(
                r,
                height(&[
                    (s.name.as_str(), doc.widths[2], PX, LINE),
                    (criterion.title_vi.as_str(), doc.widths[4], PX, LINE),
                    (claim.evidence.as_str(), doc.widths[8], PX, LINE),
                ]),
            )?;
            subject_criterion_cells(doc, st, r, n, s, criterion)?;
            doc.ws.write_string_with_format(
                r,
                5,
                labels::verdict(claim.value, Lang::Vi),
                &st.center,
            )?;
            doc.ws
                .write_string_with_format(r, 6, labels::verdict(value, Lang::Vi), &st.center)?;
            doc.ws.write_string_with_format(r, 7, compare, &st.center)?;
            doc.ws
                .write_string_with_format(r, 8, fit(&claim.evidence), &st.wrap)?;
            doc.row += 1;
            Ok(())
        },
    )?;
    Ok(())
}
