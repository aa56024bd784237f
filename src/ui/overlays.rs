//! Boxes drawn over the panes: the help (generated from the keymap), the initiatives of a
//! subject with the recognition form, the note editor, and a conflict waiting for a choice.

use super::Words;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::panes::verdict_symbol;
use super::text::{fit, truncate, width, wrap};
use super::theme::{MARKER, Theme};
use crate::app::{ConflictView, Editor, Form, InitiativesView, Model, geometry, keymap};
use crate::domain::{InitiativeStatus, format_date};
use crate::i18n::Key;

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn boxed<'a>(title: String, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Span::styled(format!(" {title} "), theme.border_focus))
}

/// Every key of the screen under the help, two columns when there is room, then the legend
/// of the symbols the screens use.
pub fn help(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let scope = model.base_scope();
    let (w, h) = geometry::help_box(area.width, area.height);
    let rect = centered(area, w, h);
    let title = model.fill(Key::HelpTitle, &[model.tr(scope.name())]);
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let entries: Vec<(String, String)> = keymap::bindings(scope)
        .map(|b| {
            (
                keymap::keys_label(b),
                model.tr(b.command.describe()).to_string(),
            )
        })
        .collect();
    let (columns, per_col, inner_h) = geometry::help_layout(area.width, area.height, entries.len());
    let col_w = inner_w / columns;
    let key_w = entries
        .iter()
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(4)
        .min(col_w / 2)
        + 1;
    let mut lines = Vec::new();
    for r in 0..per_col {
        let mut spans = Vec::new();
        for c in 0..columns {
            if let Some((k, d)) = entries.get(c * per_col + r) {
                spans.push(Span::styled(format!(" {}", fit(k, key_w)), theme.key));
                spans.push(Span::styled(
                    fit(d, col_w.saturating_sub(key_w + 2)),
                    theme.text,
                ));
                spans.push(Span::raw(" "));
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(" {}", model.tr(Key::LegendTitle)),
        theme.title,
    )));
    let legend_columns = geometry::help_legend_columns(area.width, area.height, entries.len());
    let legend_w = inner_w / legend_columns;
    let legend_rows = keymap::LEGEND.len().div_ceil(legend_columns);
    for r in 0..legend_rows {
        let mut spans = Vec::new();
        for c in 0..legend_columns {
            if let Some((symbol, meaning)) = keymap::LEGEND.get(c * legend_rows + r) {
                spans.push(Span::styled(format!(" {}", fit(symbol, key_w)), theme.key));
                spans.push(Span::styled(
                    fit(model.tr(*meaning), legend_w.saturating_sub(key_w + 2)),
                    theme.text,
                ));
                spans.push(Span::raw(" "));
            }
        }
        lines.push(Line::from(spans));
    }
    debug_assert_eq!(lines.len(), model.help_lines());
    let scroll = model.help_scroll();
    let more = lines.len() > inner_h;
    let mut shown: Vec<Line> = lines.into_iter().skip(scroll).take(inner_h).collect();
    while shown.len() < inner_h {
        shown.push(Line::from(""));
    }
    let more = if more {
        format!(" · {}", model.tr(Key::HelpScroll))
    } else {
        String::new()
    };
    shown.push(Line::from(Span::styled(
        format!(" {}{more}", model.tr(Key::HelpClose)),
        theme.dim,
    )));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(shown).block(boxed(title, theme)), rect);
}

fn status_symbol(status: InitiativeStatus) -> &'static str {
    match status {
        InitiativeStatus::Submitted => "·",
        InitiativeStatus::Recognized => "✓",
        InitiativeStatus::NotRecognized => "✗",
    }
}

/// The current subject's initiatives (a window of the list that always holds the selected
/// one), the selected one in full, and the form when open.
pub fn initiatives(
    model: &Model,
    view: &InitiativesView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let (w, h) = geometry::initiatives_box(area.width, area.height);
    let rect = centered(area, w, h);
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let name = model
        .current_entry()
        .map(|e| e.subject.name.clone())
        .unwrap_or_default();
    let own = model.current_initiatives();
    let rows = geometry::initiative_rows(area.width, area.height, view.form.is_some());
    let offset = geometry::keep_visible(view.selected, view.offset, rows);
    let mut title = model.fill(Key::InitiativesTitle, &[&name]);
    if own.len() > rows {
        // Where the window is in a list longer than the box.
        title = format!("{} · {}/{}", title, view.selected + 1, own.len());
    }
    let title = truncate(&title, inner_w.saturating_sub(3));
    let mut lines = Vec::new();
    if own.is_empty() {
        lines.push(Line::from(Span::styled(
            model.tr(Key::NoInitiatives),
            theme.dim,
        )));
    }
    let status_w = [
        InitiativeStatus::Submitted,
        InitiativeStatus::Recognized,
        InitiativeStatus::NotRecognized,
    ]
    .iter()
    .map(|s| width(model.status_label(*s)))
    .max()
    .unwrap_or(10)
        + 3;
    // Ids are shown whole (SKB00020 and SKB00021 must not read alike).
    let id_w = own
        .iter()
        .map(|&at| width(&model.index().initiatives[at].id))
        .max()
        .unwrap_or(6)
        .clamp(6, (inner_w / 3).max(6))
        + 1;
    for (k, &at) in own.iter().enumerate().skip(offset).take(rows) {
        let init = &model.index().initiatives[at];
        let selected = k == view.selected;
        let style = if selected && view.form.is_none() {
            theme.selected
        } else if selected {
            theme.selected_blur
        } else {
            theme.text
        };
        let mut status = format!(
            "{} {}",
            status_symbol(init.status),
            model.status_label(init.status)
        );
        if model.is_saving_initiative(&init.id) {
            status.push_str(" …");
        }
        let title_w = inner_w.saturating_sub(2 + id_w + status_w);
        lines.push(Line::from(vec![
            Span::styled(if selected { MARKER } else { "  " }, style),
            Span::styled(fit(&init.id, id_w), style),
            Span::styled(fit(&status, status_w), style),
            Span::styled(fit(&init.title, title_w), style),
        ]));
    }
    // With the form open, the initiative's detail shows only where the form still fits.
    let inner_h = usize::from(rect.height.saturating_sub(2));
    let detail_fits = view.form.is_none()
        || lines.len() + geometry::INITIATIVE_DETAIL_ROWS + geometry::FORM_ROWS <= inner_h;
    if detail_fits && let Some(&at) = own.get(view.selected) {
        let init = &model.index().initiatives[at];
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            truncate(&init.title, inner_w),
            theme.title,
        )));
        if let Some(d) = init.submitted_on {
            lines.push(Line::from(Span::styled(
                model.fill(Key::SubmittedOn, &[&format_date(d)]),
                theme.dim,
            )));
        }
        if let Some(r) = &init.recognition {
            let text = model.fill(
                Key::RecognizedBy,
                &[
                    &r.authority,
                    &r.decision,
                    &format_date(r.decided_on),
                    model.scope_label(r.scope),
                ],
            );
            let (parts, _) = wrap(&text, inner_w, 0);
            let n = parts.len();
            for (k, part) in parts.into_iter().enumerate().take(2) {
                let part = if k == 1 && n > 2 {
                    truncate(&format!("{part} …"), inner_w)
                } else {
                    part
                };
                lines.push(Line::from(Span::styled(part, theme.ok)));
            }
        }
    }
    let mut cursor = None;
    if let Some(form) = &view.form {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            truncate(&model.fill(Key::FormTitle, &[&form.initiative]), inner_w),
            theme.title,
        )));
        let label_w = [
            Key::FormAuthority,
            Key::FormDecision,
            Key::FormDate,
            Key::FormScope,
        ]
        .iter()
        .map(|k| width(model.tr(*k)))
        .max()
        .unwrap_or(10)
            + 2;
        for field in 0..Form::FIELDS {
            let (label, value, input) = match field {
                0 => (
                    Key::FormAuthority,
                    form.authority.text.clone(),
                    Some(&form.authority),
                ),
                1 => (
                    Key::FormDecision,
                    form.decision.text.clone(),
                    Some(&form.decision),
                ),
                2 => (Key::FormDate, form.date.text.clone(), Some(&form.date)),
                _ => (
                    Key::FormScope,
                    format!("◀ {} ▶", model.scope_label(form.scope)),
                    None,
                ),
            };
            let active = field == form.field;
            let value_w = inner_w.saturating_sub(label_w + 2);
            if active && let Some(input) = input {
                let before = width(&input.text[..input.cursor]).min(value_w);
                let y = rect.y + 1 + lines.len() as u16;
                let x = rect.x + 1 + (2 + label_w + before) as u16;
                cursor = Some(Position::new(x, y));
            }
            lines.push(Line::from(vec![
                Span::styled(
                    if active { MARKER } else { "  " },
                    if active { theme.selected } else { theme.text },
                ),
                Span::styled(fit(model.tr(label), label_w), theme.key),
                Span::styled(
                    fit(&value, value_w),
                    if active {
                        theme.selected_blur
                    } else {
                        theme.text
                    },
                ),
            ]));
        }
        // The error comes before the input method line, so a short box cuts the latter.
        if let Some(err) = &form.error {
            for part in wrap(&model.word(err), inner_w.saturating_sub(2), 0)
                .0
                .into_iter()
                .take(2)
            {
                lines.push(Line::from(Span::styled(format!("  {part}"), theme.error)));
            }
        }
        let ime = model.fill(Key::ImeLabel, &[ime_name(model)]);
        lines.push(Line::from(Span::styled(
            format!("  {ime} (C-t)"),
            theme.dim,
        )));
    }
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(boxed(title, theme)), rect);
    if let Some(p) = cursor
        && p.y < rect.y + rect.height.saturating_sub(1)
        && !model.help_open()
    {
        frame.set_cursor_position(p);
    }
}

fn ime_name(model: &Model) -> &'static str {
    model.tr(match model.ime() {
        crate::app::InputMethod::Off => Key::ImeOff,
        crate::app::InputMethod::Telex => Key::ImeTelex,
        crate::app::InputMethod::Vni => Key::ImeVni,
    })
}

/// The note editor, with the input method shown and the cursor placed.
pub fn editor(model: &Model, editor: &Editor, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = centered(area, area.width.saturating_sub(8).min(72), 10);
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let criterion = model
        .index()
        .entries
        .get(editor.subject)
        .and_then(|e| model.group_of(e))
        .and_then(|g| g.criteria.get(editor.criterion))
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let title = model.fill(
        if editor.explain {
            Key::ExplanationTitle
        } else {
            Key::EditorTitle
        },
        &[
            &criterion,
            &format!(
                "{} {}",
                verdict_symbol(editor.value),
                model.value_label(editor.value)
            ),
        ],
    );
    let mut lines = Vec::new();
    if editor.explain {
        lines.push(Line::from(Span::styled(
            truncate(model.tr(Key::ExplanationPrompt), inner_w),
            theme.dim,
        )));
    } else if editor.reason {
        lines.push(Line::from(Span::styled(
            model.tr(Key::EditorReason),
            theme.dim,
        )));
    }
    let text_top = lines.len();
    let text_rows = usize::from(rect.height.saturating_sub(2)) - text_top - 1;
    let (wrapped, (cy, cx)) = wrap(
        &editor.input.text,
        inner_w.saturating_sub(1),
        editor.input.cursor,
    );
    let first = (cy + 1).saturating_sub(text_rows);
    for l in wrapped.iter().skip(first).take(text_rows) {
        lines.push(Line::from(Span::styled(l.clone(), theme.text)));
    }
    while lines.len() < text_top + text_rows {
        lines.push(Line::from(""));
    }
    let ime = model.fill(Key::ImeLabel, &[ime_name(model)]);
    lines.push(Line::from(vec![
        Span::styled(format!("{ime} "), theme.key),
        Span::styled("(C-t)", theme.dim),
    ]));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(boxed(title, theme)), rect);
    if !model.help_open() {
        frame.set_cursor_position(Position::new(
            rect.x + 1 + cx as u16,
            rect.y + 1 + (text_top + cy - first) as u16,
        ));
    }
}

/// A conflict: who changed what, and the two ways out.
pub fn conflict(model: &Model, view: &ConflictView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let height = if view.lost_note.is_some() { 10 } else { 9 };
    let rect = centered(area, area.width.saturating_sub(8).min(70), height);
    let mut lines = vec![
        Line::from(Span::styled(model.word(&view.text), theme.text)),
        Line::from(Span::styled(
            model.fill(Key::ConflictMine, &[&view.mine]),
            theme.key,
        )),
    ];
    if let Some((who, note)) = &view.lost_note {
        // Notes may hold line breaks; the dialog shows them on one line.
        let note = note.split('\n').collect::<Vec<_>>().join(" ");
        lines.push(Line::from(Span::styled(
            model.fill(Key::ConflictLostNote, &[who, &note]),
            theme.warn,
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        model.tr(Key::ConflictChoice),
        theme.warn,
    )));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(boxed(model.tr(Key::ConflictTitle).to_string(), theme))
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// The whole description of a criterion (key d) over the panes: its id and title in the
/// border, the text from the scrolled line, and which lines are shown out of how many in the
/// bottom border, so the reader always knows where they are.
pub fn description(
    model: &Model,
    view: &crate::app::DescriptionView,
    theme: &Theme,
    frame: &mut Frame,
    body: Rect,
) {
    let Some(c) = model
        .campaign()
        .groups
        .get(view.group)
        .and_then(|g| g.criteria.get(view.criterion))
    else {
        return;
    };
    let (w, h) = geometry::description_box(body.width, body.height + geometry::STATUS_ROWS);
    let rect = centered(body, w, h);
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let inner_h = usize::from(rect.height.saturating_sub(2));
    let all = model.description_lines(view);
    let scroll = view.scroll.min(all.len().saturating_sub(inner_h));
    let shown: Vec<Line> = all
        .iter()
        .skip(scroll)
        .take(inner_h)
        .map(|l| Line::from(Span::styled(format!(" {l}"), theme.text)))
        .collect();
    let title = truncate(
        &format!("{} · {}", c.id, crate::text::clean(c.title(model.lang()))),
        inner_w.saturating_sub(2),
    );
    let last = (scroll + inner_h).min(all.len());
    let position = model.fill(
        Key::DescriptionPosition,
        &[
            &(scroll + 1).min(last).to_string(),
            &last.to_string(),
            &all.len().to_string(),
        ],
    );
    let block = boxed(title, theme)
        .title_bottom(Line::from(Span::styled(format!(" {position} "), theme.dim)).right_aligned());
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(shown).block(block), rect);
}
