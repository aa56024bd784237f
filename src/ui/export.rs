//! The export dialog (`x`): first what keeps the review from being complete (counts and the
//! first few gaps), then the format, the file name and the "export anyway" box; while the
//! Session writes, a progress line with a moving bar and the seconds so far; then the result
//! (path, size, qualified count) or the error.

use super::Words;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::text::{fit, truncate, width, wrap};
use super::theme::{MARKER, Theme};
use crate::app::reports::GapReport;
use crate::app::{ExportPhase, ExportStage, ExportView, Model};
use crate::domain::Lang;
use crate::domain::review::labels;
use crate::i18n::Key;

/// A gap report in words, one entry a line: the counts, each listed gap (a note on its own
/// line), then how many more. The console's export dialog and `thidua export`'s refusal
/// both show exactly these lines.
pub fn gap_lines(report: &GapReport, lang: Lang) -> Vec<(GapText, String)> {
    let fill = |key: Key, args: &[&str]| crate::i18n::fill(lang, key, args);
    if report.is_complete() {
        return vec![(GapText::Head, fill(Key::ExportComplete, &[]))];
    }
    let mut out = vec![(
        GapText::Head,
        fill(
            Key::ExportGaps,
            &[
                &report.pending.to_string(),
                &report.needs_explanation.to_string(),
                &report.missing_reason.to_string(),
            ],
        ),
    )];
    for (id, name, criterion, problem, note) in &report.first {
        let clean = crate::text::clean;
        out.push((
            GapText::Gap,
            format!(
                "  {} {} · {}: {}",
                clean(id),
                clean(name),
                clean(criterion),
                labels::problem(*problem, lang)
            ),
        ));
        if !note.is_empty() {
            // What the explanation is awaited for, on its own line.
            out.push((GapText::Note, format!("    {}", clean(note))));
        }
    }
    let more = report.total.saturating_sub(report.first.len());
    if more > 0 {
        out.push((
            GapText::More,
            format!("  {}", fill(Key::ExportMore, &[&more.to_string()])),
        ));
    }
    out
}

/// What a line of [`gap_lines`] is, so a view can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapText {
    /// The counts, or that the review is complete.
    Head,
    /// One gap: subject, criterion, problem.
    Gap,
    /// The note of the gap above (what the explanation is awaited for).
    Note,
    /// How many gaps are not listed.
    More,
}

const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];

/// A box of `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// `text` wrapped to `w` columns, one line each, so the rows on screen are the lines counted.
fn wrapped(text: &str, style: ratatui::style::Style, w: usize) -> Vec<Line<'static>> {
    wrap(text, w, 0)
        .0
        .into_iter()
        .map(|l| l.trim_start().to_string())
        .filter(|l| !l.is_empty())
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

fn gap_block(model: &Model, view: &ExportView, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (kind, text) in gap_lines(&view.gaps, model.lang()) {
        match kind {
            GapText::Head if view.gaps.is_complete() => lines.extend(wrapped(&text, theme.ok, w)),
            GapText::Head => lines.extend(wrapped(&text, theme.warn, w)),
            GapText::Gap => lines.push(Line::from(Span::styled(truncate(&text, w), theme.text))),
            GapText::Note => {
                lines.push(Line::from(Span::styled(truncate(&text, w), theme.explain)))
            }
            GapText::More => lines.push(Line::from(Span::styled(text, theme.dim))),
        }
    }
    lines
}

/// Draws the dialog in the middle of `area`.
pub fn render(model: &Model, view: &ExportView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = centered(area, area.width.saturating_sub(4).min(76), 17);
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let mut lines = gap_block(model, view, theme, inner_w);
    lines.push(Line::from(""));
    let mut cursor = None;
    match &view.stage {
        ExportStage::Form => {
            let label_w = [Key::ExportFormat, Key::ExportPath]
                .iter()
                .map(|k| width(model.tr(*k)))
                .max()
                .unwrap_or(8)
                + 2;
            let value_w = inner_w.saturating_sub(label_w + 2);
            for field in 0..ExportView::FIELDS {
                let active = field == view.field;
                let marker = Span::styled(
                    if active { MARKER } else { "  " },
                    if active { theme.selected } else { theme.text },
                );
                let value_style = if active {
                    theme.selected_blur
                } else {
                    theme.text
                };
                let line = match field {
                    0 => Line::from(vec![
                        marker,
                        Span::styled(fit(model.tr(Key::ExportFormat), label_w), theme.key),
                        Span::styled(format!("◀ {} ▶", view.format.ext()), value_style),
                    ]),
                    1 => {
                        if active {
                            let before = width(&view.path.text[..view.path.cursor]).min(value_w);
                            cursor = Some((lines.len(), 2 + label_w + before));
                        }
                        Line::from(vec![
                            marker,
                            Span::styled(fit(model.tr(Key::ExportPath), label_w), theme.key),
                            Span::styled(fit(&view.path.text, value_w), value_style),
                        ])
                    }
                    _ => Line::from(vec![
                        marker,
                        Span::styled(
                            if view.allow_incomplete {
                                "[x] "
                            } else {
                                "[ ] "
                            },
                            value_style,
                        ),
                        Span::styled(
                            truncate(model.tr(Key::ExportAllow), inner_w.saturating_sub(6)),
                            if view.gaps.is_complete() {
                                theme.dim
                            } else {
                                value_style
                            },
                        ),
                    ]),
                };
                lines.push(line);
            }
        }
        ExportStage::Running(p) => {
            let secs = (p.elapsed_ms / 1000).to_string();
            let text = match p.phase {
                ExportPhase::Reading => model.fill(Key::ExportReading, &[&secs]),
                ExportPhase::Writing => model.fill(
                    Key::ExportWriting,
                    &[view.format.ext(), &p.subjects.to_string(), &secs],
                ),
            };
            let frame_no = (p.elapsed_ms / 250) as usize % SPINNER.len();
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", SPINNER[frame_no]), theme.key),
                Span::styled(text, theme.text),
            ]));
            let bar_w = inner_w.saturating_sub(2).min(40);
            let pos = (p.elapsed_ms / 100) as usize % bar_w.max(1);
            let bar: String = (0..bar_w)
                .map(|k| {
                    if (k + bar_w - pos) % bar_w < 4 {
                        '█'
                    } else {
                        '░'
                    }
                })
                .collect();
            lines.push(Line::from(Span::styled(format!("  {bar}"), theme.bar_done)));
        }
        ExportStage::Done(done) => {
            lines.extend(wrapped(&model.export_done_text(done), theme.ok, inner_w));
            if done.incomplete {
                lines.extend(wrapped(
                    model.tr(Key::ExportWroteIncomplete),
                    theme.warn,
                    inner_w,
                ));
            }
            lines.push(Line::from(Span::styled(
                model.tr(Key::ExportClose).to_string(),
                theme.dim,
            )));
        }
        ExportStage::Failed(e) => {
            lines.extend(wrapped(
                &model.fill(Key::ExportFailed, &[e]),
                theme.error,
                inner_w,
            ));
            lines.push(Line::from(Span::styled(
                model.tr(Key::ExportRetry).to_string(),
                theme.dim,
            )));
        }
    }
    if let Some(err) = &view.error {
        lines.push(Line::from(""));
        lines.extend(wrapped(&model.word(err), theme.warn, inner_w));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Span::styled(
            format!(" {} ", model.tr(Key::ExportTitle)),
            theme.border_focus,
        ));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    if let Some((y, x)) = cursor
        && !model.help_open()
    {
        let p = Position::new(rect.x + 1 + x as u16, rect.y + 1 + y as u16);
        if p.y < rect.y + rect.height.saturating_sub(1) && p.x < rect.x + rect.width {
            frame.set_cursor_position(p);
        }
    }
}
