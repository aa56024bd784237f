//! Measuring and cutting text by display width (unicode-width), so Vietnamese and wide
//! characters line up; wrapping for notes and descriptions with a cursor position.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of `s`.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` cut to at most `max` columns, ending in "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Wraps `s` into lines of at most `cols` columns (at spaces when it can, else anywhere),
/// keeping explicit line breaks. Also returns the (line, column) of byte offset `cursor`.
pub fn wrap(s: &str, cols: usize, cursor: usize) -> (Vec<String>, (usize, usize)) {
    let cols = cols.max(1);
    let mut lines = vec![String::new()];
    let mut line_w = 0;
    let mut at = (0, 0);
    let mut found = false;
    let mut offset = 0;
    let mut words: Vec<(usize, &str)> = Vec::new();
    for (i, w) in s.split_word_bound_indices() {
        words.push((i, w));
    }
    for (start, word) in words {
        if word == "\n" {
            if !found && cursor == start {
                at = (lines.len() - 1, line_w);
                found = true;
            }
            lines.push(String::new());
            line_w = 0;
            offset = start + 1;
            continue;
        }
        let ww = width(word);
        if line_w + ww > cols && line_w > 0 && !word.trim().is_empty() {
            lines.push(String::new());
            line_w = 0;
        }
        for (gi, g) in word.grapheme_indices(true) {
            let pos = start + gi;
            let gw = width(g);
            if line_w + gw > cols {
                lines.push(String::new());
                line_w = 0;
            }
            if !found && cursor == pos {
                at = (lines.len() - 1, line_w);
                found = true;
            }
            if let Some(last) = lines.last_mut() {
                last.push_str(g);
            }
            line_w += gw;
            offset = pos + g.len();
        }
    }
    if !found {
        let _ = offset;
        if line_w >= cols {
            lines.push(String::new());
            line_w = 0;
        }
        at = (lines.len() - 1, line_w);
    }
    (lines, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_and_wraps_by_columns() {
        assert_eq!(truncate("Sở Nội vụ tỉnh", 8), "Sở Nội …");
        assert_eq!(fit("ab", 4), "ab  ");
        let (lines, at) = wrap("một hai ba bốn", 7, "một hai ba bốn".len());
        assert_eq!(lines, vec!["một hai", " ba bốn", ""]);
        assert_eq!(at, (2, 0));
    }
}
