//! The summary screen (`s`), drawn over the panes above the status bar: progress by tier with a
//! bar each, the outcome counts, and side by side a bar chart of the criteria most often not
//! met and a table of each reviewer's progress (decided today, in all, left in their
//! assignment, waiting for an explanation). Bars are hand-drawn with block characters so they
//! read the same on every terminal and under NO_COLOR.

use super::Words;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::text::{fit, truncate, width};
use super::theme::Theme;
use crate::app::{Model, SummaryView};
use crate::i18n::Key;

/// A bar of `value` out of `max` in `cols` columns: the filled part and the rest.
pub fn bar(value: usize, max: usize, cols: usize) -> (String, String) {
    let filled = if max == 0 {
        0
    } else {
        let f = (value * cols).div_ceil(max).min(cols);
        if value > 0 { f.max(1) } else { 0 }
    };
    ("█".repeat(filled), "░".repeat(cols - filled))
}

/// Right-aligns `s` in `cols` columns.
fn right(s: &str, cols: usize) -> String {
    format!("{}{s}", " ".repeat(cols.saturating_sub(width(s))))
}

/// A labelled list with one bar per item, scaled to the largest.
fn chart(
    title: &str,
    items: &[(String, usize)],
    col_w: usize,
    rows: usize,
    theme: &Theme,
    none: &str,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(fit(title, col_w), theme.title))];
    if items.is_empty() {
        lines.push(Line::from(Span::styled(fit(none, col_w), theme.dim)));
    }
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let label_w = items
        .iter()
        .map(|(l, _)| width(l))
        .max()
        .unwrap_or(0)
        .min(col_w / 2);
    let count_w = items
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(1);
    let bar_w = col_w.saturating_sub(label_w + count_w + 3);
    for (label, n) in items.iter().take(rows) {
        let (done, todo) = bar(*n, max, bar_w);
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", fit(label, label_w)), theme.text),
            Span::styled(done, theme.bar_done),
            Span::styled(" ".repeat(todo.chars().count()), theme.text),
            Span::styled(format!(" {}", right(&n.to_string(), count_w)), theme.text),
            Span::raw(" "),
        ]));
    }
    lines
}

/// Each reviewer's progress as a small table in `col_w` columns: decided today (Vietnam
/// time), decided in all, left in their assignment, waiting for an explanation; a legend
/// line under it where there is room.
fn by_reviewer(
    model: &Model,
    items: &[crate::domain::assignment::ReviewerProgress],
    col_w: usize,
    rows: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    // Today, all, left, waiting: the last header is the longest ("Chờ GT").
    const NUM_W: [usize; 4] = [6, 6, 6, 7];
    let name_w = col_w.saturating_sub(NUM_W.iter().sum());
    let mut lines = vec![Line::from(Span::styled(
        fit(model.tr(Key::SummaryByReviewer), col_w),
        theme.title,
    ))];
    if items.is_empty() {
        lines.push(Line::from(Span::styled(
            fit(model.tr(Key::SummaryNone), col_w),
            theme.dim,
        )));
        return lines;
    }
    let head: String = [
        Key::SummaryColToday,
        Key::SummaryColAll,
        Key::SummaryColLeft,
        Key::SummaryColWaiting,
    ]
    .iter()
    .zip(NUM_W)
    .map(|(k, w)| right(&truncate(model.tr(*k), w - 1), w))
    .collect();
    lines.push(Line::from(vec![
        Span::raw(" ".repeat(name_w)),
        Span::styled(head, theme.dim),
    ]));
    // Room for the header lines above and the legend below.
    let shown = rows.saturating_sub(3).max(1);
    for p in items.iter().take(shown) {
        let left = if p.assigned > 0 {
            p.remaining.to_string()
        } else {
            "–".to_string()
        };
        let nums: String = [
            p.today.to_string(),
            p.decided.to_string(),
            left,
            p.waiting.to_string(),
        ]
        .iter()
        .zip(NUM_W)
        .map(|(n, w)| right(n, w))
        .collect();
        lines.push(Line::from(vec![
            Span::styled(fit(&p.reviewer, name_w), theme.text),
            Span::styled(nums, theme.text),
        ]));
    }
    if lines.len() < rows + 1 {
        lines.push(Line::from(Span::styled(
            fit(model.tr(Key::SummaryLegend), col_w),
            theme.dim,
        )));
    }
    lines
}

/// Draws the summary over `area` (the panes, not the status bar).
pub fn render(model: &Model, view: &SummaryView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &view.summary;
    let inner_w = usize::from(area.width.saturating_sub(2));
    let inner_h = usize::from(area.height.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();

    // Progress by tier.
    let count_text = |o: &crate::domain::review::OutcomeCounts| {
        format!("✓{} ✗{} ○{}", o.qualified, o.not_qualified, o.incomplete)
    };
    let counts_w = s
        .tiers
        .iter()
        .map(|t| width(&count_text(&t.outcomes)))
        .max()
        .unwrap_or(8);
    let subj_w = 6;
    let pct_w = 5;
    let bar_w = (inner_w / 5).clamp(6, 20);
    let name_w = inner_w.saturating_sub(subj_w + bar_w + pct_w + counts_w + 4);
    lines.push(Line::from(vec![
        Span::styled(fit(model.tr(Key::SummaryTier), name_w), theme.title),
        Span::styled(right(model.tr(Key::SummarySubjects), subj_w), theme.title),
        Span::raw(" "),
        Span::styled(
            fit(model.tr(Key::SummaryDecided), bar_w + pct_w + 1),
            theme.title,
        ),
    ]));
    // Tier names cut alike ("Phòng, ban chuyên môn…" twice) show what tells them apart.
    let tier_names: Vec<&str> = s
        .tiers
        .iter()
        .map(|t| {
            model
                .campaign()
                .tier(&t.tier)
                .map_or(t.tier.as_str(), |x| x.name(model.lang()))
        })
        .collect();
    let named: Vec<super::text::Named<'_>> = tier_names
        .iter()
        .map(|n| super::text::Named {
            name: n,
            parent: None,
            cols: name_w,
        })
        .collect();
    let shown = super::text::distinct(&named);
    for (t, name) in s.tiers.iter().zip(&shown) {
        let (done, todo) = bar(t.decided, t.criteria, bar_w);
        let pct = (t.decided * 100).checked_div(t.criteria).unwrap_or(0);
        lines.push(Line::from(vec![
            Span::styled(fit(name, name_w), theme.text),
            Span::styled(right(&t.subjects.to_string(), subj_w), theme.text),
            Span::raw(" "),
            Span::styled(done, theme.bar_done),
            Span::styled(todo, theme.bar_todo),
            Span::styled(right(&format!("{pct}%"), pct_w), theme.text),
            Span::raw("  "),
            Span::styled(count_text(&t.outcomes), theme.text),
        ]));
    }
    lines.push(Line::from(""));
    let o = &s.outcomes;
    lines.push(Line::from(Span::styled(
        truncate(
            &model.fill(
                Key::SummaryOutcomes,
                &[
                    &o.qualified.to_string(),
                    &o.not_qualified.to_string(),
                    &o.incomplete.to_string(),
                ],
            ),
            inner_w,
        ),
        theme.key,
    )));
    lines.push(Line::from(""));

    // Two charts side by side.
    let rows = inner_h.saturating_sub(lines.len() + 1).max(1);
    let col_w = inner_w.saturating_sub(2) / 2;
    let not_met: Vec<(String, usize)> = s
        .most_not_met
        .iter()
        .map(|c| {
            let title = model
                .campaign()
                .criterion(&c.criterion)
                .map_or("", |x| x.title(model.lang()));
            (format!("{} {title}", c.criterion), c.not_met)
        })
        .collect();
    let none = model.tr(Key::SummaryNone);
    let left = chart(
        model.tr(Key::SummaryNotMet),
        &not_met,
        col_w,
        rows,
        theme,
        none,
    );
    let right_col = by_reviewer(model, &view.reviewers, col_w, rows, theme);
    for k in 0..left.len().max(right_col.len()) {
        let mut spans: Vec<Span> = match left.get(k) {
            Some(l) => l.spans.clone(),
            None => vec![Span::raw(" ".repeat(col_w))],
        };
        spans.push(Span::raw("  "));
        if let Some(r) = right_col.get(k) {
            spans.extend(r.spans.clone());
        }
        lines.push(Line::from(spans));
    }

    let title = format!(" {} ", model.tr(Key::SummaryTitle));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Span::styled(truncate(&title, inner_w), theme.border_focus));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
