//! The history of one criterion (`H`): every decision on it, oldest first, as the audit trail
//! recorded it: when (DD/MM/YYYY HH:MM, Vietnam time), who, the value before and after in
//! words, why (edit, undo, redo, import) and the note when it changed.

use super::Words;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::text::{truncate, wrap};
use super::theme::{MARKER, Theme};
use crate::app::{HistoryView, Model};
use crate::domain::review::labels;
use crate::domain::{AuditAction, VerdictValue, format_time};
use crate::i18n::Key;

/// The lines of one event: the change, then its note (wrapped) when the note changed.
fn event_lines(
    model: &Model,
    e: &crate::domain::AuditEvent,
    theme: &Theme,
    w: usize,
) -> Vec<Line<'static>> {
    let AuditAction::Verdict { old, new, .. } = &e.action else {
        return Vec::new();
    };
    let before = old.as_ref().map_or(VerdictValue::Pending, |v| v.value);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}  ", format_time(e.at)), theme.dim),
        Span::styled(format!("{}  ", crate::text::clean(&e.reviewer)), theme.key),
        Span::styled(
            truncate(
                &format!(
                    "{} → {} ({})",
                    labels::verdict(before, model.lang()),
                    labels::verdict(new.value, model.lang()),
                    labels::cause(e.cause, model.lang())
                ),
                w.saturating_sub(19 + e.reviewer.chars().count()),
            ),
            theme.text,
        ),
    ])];
    let old_note = old.as_ref().map_or("", |v| v.note.as_str());
    if new.note != old_note {
        let text = if new.note.trim().is_empty() {
            model.tr(Key::HistoryNoteCleared).to_string()
        } else {
            model.fill(Key::HistoryNote, &[&crate::text::clean(&new.note)])
        };
        for part in wrap(&text, w.saturating_sub(4), 0).0 {
            if !part.is_empty() {
                lines.push(Line::from(Span::styled(format!("    {part}"), theme.text)));
            }
        }
    }
    lines
}

/// The first event to draw so that event `selected` is wholly on screen (or at least its
/// first line, when it is taller than the pane), given each event's height.
pub fn first_shown(heights: &[usize], selected: usize, rows: usize) -> usize {
    if heights.is_empty() {
        return 0;
    }
    let selected = selected.min(heights.len() - 1);
    let mut top = selected;
    let mut used = heights[selected];
    while top > 0 && used + heights[top - 1] <= rows {
        top -= 1;
        used += heights[top];
    }
    top
}

/// Draws the history over `area` (the panes, not the status bar), the selected event marked
/// and always on screen.
pub fn render(model: &Model, view: &HistoryView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner_w = usize::from(area.width.saturating_sub(2));
    let inner_h = usize::from(area.height.saturating_sub(2));
    let name = model
        .index()
        .of_id(&view.subject)
        .map(|i| model.index().entries[i].subject.name.clone())
        .unwrap_or_else(|| view.subject.clone());
    let title = model.fill(Key::HistoryTitle, &[&view.criterion, &name]);
    let mut lines: Vec<Line> = Vec::new();
    match &view.events {
        None => lines.push(Line::from(Span::styled(
            model.tr(Key::HistoryLoading).to_string(),
            theme.dim,
        ))),
        Some(events) => {
            if let Some(err) = &view.error {
                lines.push(Line::from(Span::styled(model.word(err), theme.error)));
            } else if events.is_empty() {
                lines.push(Line::from(Span::styled(
                    model.tr(Key::HistoryEmpty).to_string(),
                    theme.dim,
                )));
            }
            let rows = inner_h.saturating_sub(lines.len()).max(1);
            let drawn: Vec<Vec<Line>> = events
                .iter()
                .map(|e| {
                    let lines = event_lines(model, e, theme, inner_w.saturating_sub(2));
                    if lines.is_empty() {
                        vec![Line::from("")]
                    } else {
                        lines
                    }
                })
                .collect();
            let heights: Vec<usize> = drawn.iter().map(Vec::len).collect();
            let top = first_shown(&heights, view.selected, rows);
            for (k, event) in drawn.into_iter().enumerate().skip(top) {
                let selected = k == view.selected;
                for (n, line) in event.into_iter().enumerate() {
                    let mark = if selected && n == 0 { MARKER } else { "  " };
                    let mut spans = vec![Span::styled(mark, theme.key)];
                    spans.extend(line.spans);
                    let mut line = Line::from(spans);
                    if selected {
                        line = line.style(theme.selected_blur);
                    }
                    lines.push(line);
                }
            }
        }
    }
    let shown: Vec<Line> = lines.into_iter().take(inner_h).collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Span::styled(
            format!(" {} ", truncate(&title, inner_w.saturating_sub(3))),
            theme.border_focus,
        ));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

#[cfg(test)]
mod tests {
    use super::first_shown;

    #[test]
    fn the_selected_event_is_always_within_the_rows() {
        // Events of 1, 3, 1, 2 and 1 lines in a pane of 4 rows.
        let heights = [1, 3, 1, 2, 1];
        assert_eq!(first_shown(&heights, 0, 4), 0);
        assert_eq!(first_shown(&heights, 1, 4), 0, "1 + 3 lines fit");
        assert_eq!(first_shown(&heights, 2, 4), 1);
        assert_eq!(first_shown(&heights, 3, 4), 2);
        assert_eq!(first_shown(&heights, 4, 4), 2);
        // An event taller than the pane starts at the top of it.
        assert_eq!(first_shown(&[1, 9], 1, 4), 1);
        assert_eq!(first_shown(&[], 3, 4), 0);
        assert_eq!(
            first_shown(&heights, 99, 4),
            2,
            "a selection past the end is the last"
        );
    }
}
