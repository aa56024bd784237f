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

/// One row's name for [`distinct`]: the full text, what else tells it apart (the parent
/// unit's name, if any), and the columns it has.
pub struct Named<'a> {
    pub name: &'a str,
    pub parent: Option<&'a str>,
    pub cols: usize,
}

/// Each name cut to its columns, like [`truncate`], except where two cut names would read the
/// same: those show what tells them apart, the tail of the name ("Phòng Nội… huyện Châu Phú")
/// or, when the tails are alike too, the parent ("Phòng Nội vụ … (Châu Phú)"). Rows that do
/// not collide are cut as usual. Called on the visible window only.
pub fn distinct(rows: &[Named<'_>]) -> Vec<String> {
    let mut out: Vec<String> = rows.iter().map(|r| truncate(r.name, r.cols)).collect();
    for group in collisions(rows, &out) {
        let names: Vec<&str> = group.iter().map(|&i| rows[i].name).collect();
        for &i in &group {
            let candidates = ways_to_show(&rows[i], &names);
            // The first way that reads like no other row of the window, as shown so far.
            let free = candidates
                .iter()
                .find(|c| !out.iter().enumerate().any(|(j, t)| j != i && t == *c));
            if let Some(c) = free.or(candidates.first()) {
                out[i] = c.clone();
            }
        }
    }
    out
}

/// The groups of rows (two or more, not all of the same name) that read the same.
fn collisions(rows: &[Named<'_>], out: &[String]) -> Vec<Vec<usize>> {
    let mut groups: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, t) in out.iter().enumerate() {
        groups.entry(t.as_str()).or_default().push(i);
    }
    let mut colliding: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|g| {
            g.len() > 1
                && g.iter().any(|&i| {
                    rows[i].name != rows[g[0]].name || rows[i].parent != rows[g[0]].parent
                })
        })
        .collect();
    colliding.sort();
    colliding
}

/// The ways of showing a row of a colliding group, best first: from the word where it stops
/// reading like the others of its group, then from each later word, then each earlier one;
/// then its tail; then with its parent.
fn ways_to_show(r: &Named<'_>, group: &[&str]) -> Vec<String> {
    let g: Vec<&str> = r.name.graphemes(true).collect();
    let mut diff = 0;
    for other in group.iter().filter(|o| **o != r.name) {
        let common = g
            .iter()
            .zip(other.graphemes(true))
            .take_while(|(a, b)| **a == *b)
            .count();
        diff = diff.max(common);
    }
    while diff > 0 && !g[diff - 1].trim().is_empty() {
        diff -= 1;
    }
    let starts: Vec<usize> = (1..g.len())
        .filter(|&k| g[k - 1].trim().is_empty() && !g[k].trim().is_empty())
        .collect();
    let mut order: Vec<usize> = Vec::new();
    if diff > 0 {
        order.push(diff);
    }
    order.extend(starts.iter().copied().filter(|&k| k > diff));
    order.extend(starts.iter().rev().copied().filter(|&k| k < diff));
    let mut out: Vec<String> = order.into_iter().map(|k| from_word(r, &g, k)).collect();
    out.push(with_tail(r));
    out.push(with_parent(r));
    out
}

/// The start of the name, "…", then the name from grapheme `k` on: the part from `k` gets up
/// to two thirds of the room, the start of the name the rest.
fn from_word(r: &Named<'_>, g: &[&str], k: usize) -> String {
    if width(r.name) <= r.cols || r.cols < 5 {
        return truncate(r.name, r.cols);
    }
    // The start keeps its first word, or at least four columns of it.
    let first: String = g
        .iter()
        .take_while(|x| !x.trim().is_empty())
        .copied()
        .collect();
    let head_min = width(&first).min((r.cols / 3).max(4));
    let rest = g[k..].concat();
    let rest = truncate(&rest, r.cols.saturating_sub(head_min + 1));
    let head_w = r.cols.saturating_sub(width(&rest) + 1);
    let mut head = String::new();
    for x in &g[..k] {
        if width(&head) + width(x) > head_w {
            break;
        }
        head.push_str(x);
    }
    format!("{}…{rest}", head.trim_end())
}

/// The head of the name, "…", and as much of its tail as fits (two thirds of the columns).
fn with_tail(r: &Named<'_>) -> String {
    if width(r.name) <= r.cols || r.cols < 5 {
        return truncate(r.name, r.cols);
    }
    let head_w = (r.cols / 3).max(4).min(r.cols - 2);
    let tail_w = r.cols - head_w - 1;
    let graphemes: Vec<&str> = r.name.graphemes(true).collect();
    let mut head = String::new();
    let mut used = 0;
    for g in &graphemes {
        if used + width(g) > head_w {
            break;
        }
        head.push_str(g);
        used += width(g);
    }
    let mut tail: Vec<&str> = Vec::new();
    let mut used = 0;
    for g in graphemes.iter().rev() {
        if used + width(g) > tail_w {
            break;
        }
        tail.push(g);
        used += width(g);
    }
    tail.reverse();
    format!("{}…{}", head.trim_end(), tail.concat().trim_start())
}

/// The end of `s` in at most `max` columns, starting with "…" when cut.
fn tail(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 1;
    for g in s.graphemes(true).rev() {
        if used + width(g) > max {
            break;
        }
        kept.push(g);
        used += width(g);
    }
    kept.reverse();
    let kept = kept.concat();
    // Start at a word when the cut falls inside one and a later word fits.
    let kept = match kept.find(' ') {
        Some(at) if !s[..s.len() - kept.len()].ends_with(' ') => kept[at..].to_string(),
        _ => kept,
    };
    format!("…{}", kept.trim_start())
}

/// The name cut to leave room for its parent in parentheses, e.g. "Phòng Nội vụ … (Châu
/// Phú)"; the parent itself cut to half the columns at most.
fn with_parent(r: &Named<'_>) -> String {
    let Some(parent) = r.parent.filter(|p| !p.is_empty()) else {
        return with_tail(r);
    };
    // The end of the parent's name tells most ("UBND huyện Châu Phú" → "…Châu Phú").
    // Four columns of the name and " …" stay before the parent.
    let room = r
        .cols
        .saturating_sub(width(r.name) + 3)
        .max(r.cols / 3)
        .min(r.cols / 2)
        .min(r.cols.saturating_sub(3 + 6));
    if room < 3 {
        return with_tail(r);
    }
    let parent = tail(parent, room);
    let suffix = format!(" ({parent})");
    let room = r.cols.saturating_sub(width(&suffix));
    let head = if width(r.name) <= room {
        r.name.to_string()
    } else {
        format!(
            "{} …",
            truncate(r.name, room.saturating_sub(1))
                .trim_end_matches('…')
                .trim_end()
        )
    };
    truncate(&format!("{head}{suffix}"), r.cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(names: &[&str], parents: &[Option<&str>], cols: usize) -> Vec<String> {
        let rows: Vec<Named<'_>> = names
            .iter()
            .zip(parents)
            .map(|(n, p)| Named {
                name: n,
                parent: *p,
                cols,
            })
            .collect();
        distinct(&rows)
    }

    #[test]
    fn look_alike_names_show_what_tells_them_apart() {
        let names = [
            "Phòng Nội vụ thành phố Long Xuyên",
            "Phòng Nội vụ thành phố Châu Đốc",
            "Phòng Tư pháp thành phố Long Xuyên",
            "Phòng Tư pháp thành phố Châu Đốc",
            "Sở Nội vụ",
        ];
        let got = shown(&names, &[None; 5], 21);
        assert_eq!(
            got[4], "Sở Nội vụ",
            "a row that does not collide is as it was"
        );
        assert_eq!(got[0], "Phòng Nội…Long Xuyên");
        assert_eq!(got[1], "Phòng Nội vụ…Châu Đốc");
        let set: std::collections::HashSet<&String> = got.iter().collect();
        assert_eq!(set.len(), got.len(), "{got:?}");
        assert!(got.iter().all(|t| width(t) <= 21), "{got:?}");
        // Same names under different parents: the parent tells them apart.
        let got = shown(
            &["Phòng Nội vụ", "Phòng Nội vụ", "Phòng Tư pháp"],
            &[Some("UBND huyện Châu Phú"), Some("UBND huyện An Phú"), None],
            26,
        );
        assert_eq!(got[0], "Phòng Nội vụ (…Châu Phú)", "{got:?}");
        assert_eq!(got[1], "Phòng Nội vụ", "{got:?}");
        assert_eq!(got[2], "Phòng Tư pháp");
    }

    proptest::proptest! {
        /// Never wider than the room, rows that do not collide untouched, and never fewer
        /// distinct rows than plain cutting gives.
        #[test]
        fn distinct_is_never_worse_than_cutting(
            picks in proptest::collection::vec((0usize..4, 0usize..4, 0usize..5), 1..20),
            cols in 6usize..40,
        ) {
            let kind = ["Nội vụ", "Tư pháp", "Tài chính – Kế hoạch", "Kinh tế"];
            let level = ["thành phố", "thị xã", "huyện", "quận"];
            let place = ["Long Xuyên", "Châu Đốc", "Tân Châu", "An Phú", "Châu Phú"];
            let names: Vec<String> = picks
                .iter()
                .map(|(k, l, p)| format!("Phòng {} {} {}", kind[*k], level[*l], place[*p]))
                .collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let got = shown(&refs, &vec![None; refs.len()], cols);
            let plain: Vec<String> = refs.iter().map(|n| truncate(n, cols)).collect();
            for (i, t) in got.iter().enumerate() {
                proptest::prop_assert!(width(t) <= cols, "{t:?} wider than {cols}");
                let collides = plain.iter().enumerate().any(|(j, p)| j != i && *p == plain[i] && refs[j] != refs[i]);
                if !collides {
                    proptest::prop_assert_eq!(t, &plain[i]);
                }
            }
            let count = |v: &[String]| v.iter().collect::<std::collections::HashSet<_>>().len();
            proptest::prop_assert!(count(&got) >= count(&plain), "{got:?} vs {plain:?}");
        }
    }

    #[test]
    fn cuts_and_wraps_by_columns() {
        assert_eq!(truncate("Sở Nội vụ tỉnh", 8), "Sở Nội …");
        assert_eq!(fit("ab", 4), "ab  ");
        let (lines, at) = wrap("một hai ba bốn", 7, "một hai ba bốn".len());
        assert_eq!(lines, vec!["một hai", " ba bốn", ""]);
        assert_eq!(at, (2, 0));
    }
}
