//! Screen geometry shared by `update` (to keep the selection in view) and `view` (to draw), so
//! both agree on how many rows each pane shows at a given terminal size.

/// Below this size the console shows only a "terminal too small" message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// Rows of the status bar: campaign line, progress bar, key hints.
pub const STATUS_ROWS: u16 = 3;

pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// Width of the subject pane (the criteria pane takes the rest).
pub fn left_width(width: u16) -> u16 {
    (width * 2 / 5).max(24)
}

/// Rows between the top of the screen and the status bar.
pub fn body_rows(height: u16) -> u16 {
    height.saturating_sub(STATUS_ROWS)
}

/// Subject rows visible inside the subject pane's border.
pub fn subject_rows(height: u16) -> usize {
    usize::from(body_rows(height).saturating_sub(2)).max(1)
}

/// Height of the criteria block (with its border) for a group of `n` criteria, leaving the
/// detail block below at least `detail_min` rows (more for a criterion with areas, like TT2).
pub fn criteria_block(height: u16, n: usize, detail_min: u16) -> u16 {
    let body = body_rows(height);
    let wanted = u16::try_from(n).unwrap_or(u16::MAX).saturating_add(2);
    wanted.min(body.saturating_sub(detail_min).max(3))
}

/// Criterion rows visible inside the criteria block.
pub fn criteria_rows(height: u16, n: usize, detail_min: u16) -> usize {
    usize::from(criteria_block(height, n, detail_min).saturating_sub(2)).max(1)
}

/// The scroll offset that keeps `selected` visible in a window of `rows`, moving `offset`
/// as little as possible.
pub fn keep_visible(selected: usize, offset: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
}

/// Rows and columns of a box `margin_w`/`margin_h` smaller than the screen, as the overlays
/// are drawn (`ui::overlays::centered`).
fn overlay(width: u16, height: u16, margin_w: u16, margin_h: u16) -> (u16, u16) {
    (
        width.saturating_sub(margin_w),
        height.saturating_sub(margin_h),
    )
}

/// The initiatives overlay: its width and height on a `width`×`height` screen.
pub fn initiatives_box(width: u16, height: u16) -> (u16, u16) {
    overlay(width, height, 6, 5)
}

/// Lines under the initiatives list: a blank line and the selected initiative in full
/// (title, submission, recognition on up to two lines).
pub const INITIATIVE_DETAIL_ROWS: usize = 5;
/// Lines of the recognition form under the list: a blank line, its title, four fields, the
/// error (up to two lines) and the input method.
pub const FORM_ROWS: usize = 9;

/// Initiative rows visible in the overlay's list: what is left above the selected
/// initiative's detail, or above the form while it is open (at least one row, the selected).
pub fn initiative_rows(width: u16, height: u16, form_open: bool) -> usize {
    let (_, h) = initiatives_box(width, height);
    let inner = usize::from(h.saturating_sub(2));
    let below = if form_open {
        FORM_ROWS
    } else {
        INITIATIVE_DETAIL_ROWS
    };
    inner.saturating_sub(below).max(1)
}

/// The help overlay: its width and height on a `width`×`height` screen.
pub fn help_box(width: u16, height: u16) -> (u16, u16) {
    (width.saturating_sub(4).min(78), height.saturating_sub(2))
}

/// How the help lays out `entries` key bindings: (columns, rows per column, text rows
/// visible). The last row of the box is the "Esc closes" line.
pub fn help_layout(width: u16, height: u16, entries: usize) -> (usize, usize, usize) {
    let (w, h) = help_box(width, height);
    let inner_w = usize::from(w.saturating_sub(2));
    let inner_h = usize::from(h.saturating_sub(3));
    let columns = if inner_w >= 50 && entries > inner_h {
        2
    } else {
        1
    };
    (columns, entries.div_ceil(columns), inner_h)
}

/// Columns of the help's legend: two beside each other only where the box is wide enough for
/// every meaning whole (at 80 columns and more), else one.
pub fn help_legend_columns(width: u16, height: u16, entries: usize) -> usize {
    let (columns, _, _) = help_layout(width, height, entries);
    let (w, _) = help_box(width, height);
    if columns == 2 && w >= 76 { 2 } else { 1 }
}

/// The screen of review by criterion, top to bottom above the status bar: the criterion
/// (title in the border, description inside), the list of subjects, and the current subject
/// in full (verdict, note, evidence). Heights include the borders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByCriterionLayout {
    pub criterion: u16,
    pub list: u16,
    pub detail: u16,
    /// Subject rows visible inside the list's border.
    pub rows: usize,
}

pub fn by_criterion_layout(height: u16) -> ByCriterionLayout {
    let body = body_rows(height);
    // Roomy from 21 body rows (80×24): two lines of description, five of detail.
    let (criterion, detail) = if body >= 21 {
        (4, 7)
    } else if body >= 16 {
        (3, 6)
    } else {
        (3, 5)
    };
    let list = body.saturating_sub(criterion + detail).max(3);
    ByCriterionLayout {
        criterion,
        list,
        detail,
        rows: usize::from(list.saturating_sub(2)).max(1),
    }
}

/// Whether row `selected` is inside the window of `rows` rows starting at `offset`.
pub fn in_window(selected: usize, offset: usize, rows: usize) -> bool {
    selected >= offset && selected < offset + rows.max(1)
}

/// The description overlay's box (width, height, borders included): nearly the whole screen
/// above the status bar, at most 76 columns wide.
pub fn description_box(width: u16, height: u16) -> (u16, u16) {
    (
        width.saturating_sub(4).min(76),
        height.saturating_sub(STATUS_ROWS + 2),
    )
}

/// `text` in lines of at most `cols` columns, broken at spaces (a word longer than a line is
/// cut), keeping its line breaks.
pub fn wrap_words(text: &str, cols: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let cols = cols.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let need = if line.is_empty() {
                word.width()
            } else {
                line.width() + 1 + word.width()
            };
            if need <= cols {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            for ch in word.chars() {
                let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
                if line.width() + cw > cols {
                    out.push(std::mem::take(&mut line));
                }
                line.push(ch);
            }
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_initiatives_list_has_rows_at_every_size() {
        // 80×24: a box of 19 rows, 17 inside; 5 for the detail, 9 for the form.
        assert_eq!(initiative_rows(80, 24, false), 12);
        assert_eq!(initiative_rows(80, 24, true), 8);
        // 60×16 with the form open: still the selected row.
        assert_eq!(initiative_rows(60, 16, true), 1);
        for h in MIN_HEIGHT..=60 {
            assert!(initiative_rows(60, h, true) >= 1);
        }
    }

    #[test]
    fn review_by_criterion_fits_at_every_size() {
        // 80×24: 21 body rows: 4 for the criterion, 7 for the subject, 10 for the list.
        assert_eq!(by_criterion_layout(24).rows, 8);
        for h in MIN_HEIGHT..=200 {
            let l = by_criterion_layout(h);
            assert!(l.rows >= 1, "{h}");
            assert_eq!(l.criterion + l.list + l.detail, body_rows(h), "{h}");
        }
    }

    #[test]
    fn keep_visible_and_in_window_agree() {
        for rows in 1..6 {
            for offset in 0..10 {
                for selected in 0..20 {
                    let o = keep_visible(selected, offset, rows);
                    assert!(in_window(selected, o, rows), "{selected} {offset} {rows}");
                }
            }
        }
    }
}
