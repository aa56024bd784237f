//! Boxes drawn over the panes: the help (generated from the keymap), the initiatives of a
//! subject with the recognition form, the note editor, and a conflict waiting for a choice.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::panes::verdict_symbol;
use super::text::{fit, truncate, width, wrap};
use super::theme::{MARKER, Theme};
use crate::app::{ConflictView, Editor, Form, InitiativesView, Model, keymap};
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

/// Every key of the screen under the help, two columns when there is room.
pub fn help(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let scope = model.base_scope();
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(78),
        area.height.saturating_sub(2),
    );
    let title = model.fill(Key::HelpTitle, &[model.tr(scope.name())]);
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let inner_h = usize::from(rect.height.saturating_sub(3));
    let entries: Vec<(String, String)> = keymap::bindings(scope)
        .map(|b| {
            (
                keymap::keys_label(b),
                model.tr(b.command.describe()).to_string(),
            )
        })
        .collect();
    let columns = if inner_w >= 50 && entries.len() > inner_h {
        2
    } else {
        1
    };
    let col_w = inner_w / columns;
    let key_w = entries
        .iter()
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(4)
        .min(col_w / 2)
        + 1;
    let per_col = entries.len().div_ceil(columns);
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
    let scroll = model.help_scroll.min(lines.len().saturating_sub(inner_h));
    let mut shown: Vec<Line> = lines.into_iter().skip(scroll).take(inner_h).collect();
    while shown.len() < inner_h {
        shown.push(Line::from(""));
    }
    let more = if per_col > inner_h {
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

/// The current subject's initiatives, the selected one in full, and the form when open.
pub fn initiatives(
    model: &Model,
    view: &InitiativesView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let rect = centered(
        area,
        area.width.saturating_sub(6),
        area.height.saturating_sub(5),
    );
    let inner_w = usize::from(rect.width.saturating_sub(2));
    let name = model
        .current_entry()
        .map(|e| e.subject.name.clone())
        .unwrap_or_default();
    let title = truncate(
        &model.fill(Key::InitiativesTitle, &[&name]),
        inner_w.saturating_sub(3),
    );
    let own = model.current_initiatives();
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
    for (k, &at) in own.iter().enumerate() {
        let init = &model.index.initiatives[at];
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
        let title_w = inner_w.saturating_sub(2 + 7 + status_w);
        lines.push(Line::from(vec![
            Span::styled(if selected { MARKER } else { "  " }, style),
            Span::styled(fit(&init.id, 7), style),
            Span::styled(fit(&status, status_w), style),
            Span::styled(fit(&init.title, title_w), style),
        ]));
    }
    if let Some(&at) = own.get(view.selected) {
        let init = &model.index.initiatives[at];
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(init.title.clone(), theme.title)));
        if let Some(d) = init.submitted_on {
            lines.push(Line::from(Span::styled(
                model.fill(Key::SubmittedOn, &[&format_date(d)]),
                theme.dim,
            )));
        }
        if let Some(r) = &init.recognition {
            lines.push(Line::from(Span::styled(
                model.fill(
                    Key::RecognizedBy,
                    &[
                        &r.authority,
                        &r.decision,
                        &format_date(r.decided_on),
                        model.scope_label(r.scope),
                    ],
                ),
                theme.ok,
            )));
        }
    }
    let mut cursor = None;
    if let Some(form) = &view.form {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            model.fill(Key::FormTitle, &[&form.initiative]),
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
        let ime = model.fill(Key::ImeLabel, &[ime_name(model)]);
        lines.push(Line::from(Span::styled(
            format!("  {ime} (C-t)"),
            theme.dim,
        )));
        if let Some(err) = &form.error {
            lines.push(Line::from(Span::styled(format!("  {err}"), theme.error)));
        }
    }
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(boxed(title, theme))
            .wrap(Wrap { trim: false }),
        rect,
    );
    if let Some(p) = cursor
        && p.y < rect.y + rect.height.saturating_sub(1)
        && !model.help
    {
        frame.set_cursor_position(p);
    }
}

fn ime_name(model: &Model) -> &'static str {
    model.tr(match model.ime {
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
        .index
        .entries
        .get(editor.subject)
        .and_then(|e| model.group_of(e))
        .and_then(|g| g.criteria.get(editor.criterion))
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let title = model.fill(
        Key::EditorTitle,
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
    if editor.reason {
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
    if !model.help {
        frame.set_cursor_position(Position::new(
            rect.x + 1 + cx as u16,
            rect.y + 1 + (text_top + cy - first) as u16,
        ));
    }
}

/// A conflict: who changed what, and the two ways out.
pub fn conflict(model: &Model, view: &ConflictView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = centered(area, area.width.saturating_sub(8).min(70), 9);
    let lines = vec![
        Line::from(Span::styled(view.text.clone(), theme.text)),
        Line::from(Span::styled(
            model.fill(Key::ConflictMine, &[&view.mine]),
            theme.key,
        )),
        Line::from(""),
        Line::from(Span::styled(model.tr(Key::ConflictChoice), theme.warn)),
    ];
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(boxed(model.tr(Key::ConflictTitle).to_string(), theme))
            .wrap(Wrap { trim: true }),
        rect,
    );
}
