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
