//! Review by criterion: the criterion on top (id, title, description), the subjects of its
//! tier in the middle (verdict and note on this criterion, the selected one marked), and the
//! selected subject below in full: its parent, the verdict with who decided it and when, the
//! note, and the evidence hint with the verdict it suggests. Only the visible window of the
//! list is turned into lines.

use super::Words;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::panes::{HINT_MARK, block, short_verdict, verdict_style, verdict_symbol};
use super::text::{fit, truncate, width};
use super::theme::{MARKER, Theme};
use crate::app::{ByCriterion, CriterionFilter, Model, Row, geometry};
use crate::domain::{Criterion, VerdictValue};
use crate::i18n::Key;

pub fn render(model: &Model, bc: &ByCriterion, theme: &Theme, frame: &mut Frame, area: Rect) {
    let layout = geometry::by_criterion_layout(area.height + geometry::STATUS_ROWS);
    let [top, list, detail] = Layout::vertical([
        Constraint::Length(layout.criterion),
        Constraint::Length(layout.list),
        Constraint::Min(1),
    ])
    .areas(area);
    let Some(criterion) = model
        .campaign()
        .groups
        .get(bc.group)
        .and_then(|g| g.criteria.get(bc.criterion))
    else {
        return;
    };
    criterion_block(model, criterion, theme, frame, top);
    subjects(model, bc, criterion, theme, frame, list);
    subject_detail(model, bc, criterion, theme, frame, detail);
}

fn criterion_block(
    model: &Model,
    criterion: &Criterion,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let inner_w = usize::from(area.width.saturating_sub(2));
    let mut id = if criterion.hint.is_some() {
        format!("{}{HINT_MARK}", criterion.id)
    } else {
        criterion.id.clone()
    };
    // A points criterion says its range before its title, which may be cut.
    if let crate::domain::Scale::Points(max) = criterion.scale {
        id = format!("{id} (0–{max})");
    }
    let title = model.fill(Key::ByCriterionTitle, &[&id, criterion.title(model.lang())]);
    let block = block(truncate(&title, inner_w.saturating_sub(3)), false, theme);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            criterion.description(model.lang()).to_string(),
            theme.text,
        )))
        .block(block)
        .wrap(Wrap { trim: true }),
        area,
    );
}

fn subjects(
    model: &Model,
    bc: &ByCriterion,
    criterion: &Criterion,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let inner_w = usize::from(area.width.saturating_sub(2));
    let rows = usize::from(area.height.saturating_sub(2));
    let c = bc.criterion;
    let tier = model
        .campaign()
        .tiers
        .get(bc.tier)
        .map_or("?", |t| t.name(model.lang()));
    let filter = match bc.filter {
        CriterionFilter::All => model.tr(Key::FilterAll),
        CriterionFilter::Pending => model.tr(Key::ByCriterionPendingOnly),
    };
    let title = model.fill(
        Key::ByCriterionCount,
        &[
            &bc.pending.to_string(),
            &bc.total.to_string(),
            &format!("{} · {}", model.fill(Key::FilterLabel, &[filter]), tier),
        ],
    );
    let block = block(truncate(&title, inner_w.saturating_sub(3)), true, theme);
    let verdict_w = [
        Key::PendingShort,
        Key::MetShort,
        Key::NotMetShort,
        Key::NeedsExplanationShort,
    ]
    .iter()
    .map(|k| width(model.tr(*k)))
    .max()
    .unwrap_or(8)
    .max(6)
        + 1;
    let rest = inner_w.saturating_sub(width(MARKER) + 2 + verdict_w);
    let name_w = (rest * 2 / 3).max(8).min(rest);
    let note_w = rest.saturating_sub(name_w + 1);
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    for (pos, row) in model.list_window(rows) {
        let Row::Subject(i) = row else {
            continue;
        };
        let e = &model.index().entries[i];
        let selected = pos == model.selected_row();
        let verdict = model.index().verdict(i, c);
        let value = verdict.map_or(VerdictValue::Pending, |v| v.value);
        let saving = model.is_saving(&e.subject.id, &criterion.id);
        let style = if selected { theme.selected } else { theme.text };
        let vstyle = if selected {
            style
        } else {
            verdict_style(theme, value)
        };
        let name = match e.parent() {
            Some(p) => format!(
                "{} ({})",
                e.subject.name,
                model.index().entries[p].subject.name
            ),
            None => e.subject.name.clone(),
        };
        let symbol = if saving { "…" } else { verdict_symbol(value) };
        let (note, note_style) = match verdict {
            Some(v) if v.missing_reason() => (format!("! {}", model.tr(Key::NoReason)), theme.warn),
            Some(v) => (v.note.replace('\n', " "), theme.dim),
            None => (String::new(), theme.dim),
        };
        lines.push(Line::from(vec![
            Span::styled(if selected { MARKER } else { "  " }, style),
            Span::styled(symbol, vstyle),
            Span::styled(" ", style),
            Span::styled(fit(&name, name_w), style),
            Span::styled(" ", style),
            Span::styled(fit(&short_verdict(model, value), verdict_w), vstyle),
            Span::styled(
                fit(&note, note_w),
                if selected { style } else { note_style },
            ),
        ]));
    }
    if model.list().is_empty() {
        lines.push(Line::from(Span::styled(
            model.tr(Key::ByCriterionEmpty),
            theme.dim,
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn subject_detail(
    model: &Model,
    bc: &ByCriterion,
    criterion: &Criterion,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let inner_w = usize::from(area.width.saturating_sub(2));
    let Some(i) = model.current() else {
        let block = block(model.tr(Key::Detail).to_string(), false, theme);
        frame.render_widget(Paragraph::new("").block(block), area);
        return;
    };
    let e = &model.index().entries[i];
    let title = match e.parent() {
        Some(p) => format!(
            "{} · {}",
            e.subject.name,
            model.fill(Key::BelongsTo, &[&model.index().entries[p].subject.name])
        ),
        None => e.subject.name.clone(),
    };
    // A chair's lock is said where the decision would be refused.
    let title = if model.is_locked(&e.subject.id) {
        format!("{} · {title}", model.tr(Key::LockedTag))
    } else {
        title
    };
    let block = block(truncate(&title, inner_w.saturating_sub(3)), false, theme);
    let verdict = model.index().verdict(i, bc.criterion);
    let value = verdict.map_or(VerdictValue::Pending, |v| v.value);
    let mut lines: Vec<Line> = Vec::new();
    let mut head = vec![Span::styled(
        format!("{} {}", verdict_symbol(value), model.value_label(value)),
        verdict_style(theme, value).add_modifier(Modifier::BOLD),
    )];
    if let Some(v) = verdict {
        head.push(Span::styled(
            format!(
                "  {}",
                model.fill(
                    Key::DecidedBy,
                    &[v.reviewer, &crate::domain::format_time(v.decided_at)]
                )
            ),
            theme.dim,
        ));
    }
    if model.is_saving(&e.subject.id, &criterion.id) {
        head.push(Span::styled(
            format!("  {}", model.tr(Key::Saving)),
            theme.warn,
        ));
    }
    if let Some(points) = model.points_line(i) {
        head.push(Span::styled(format!("  Σ {points}"), theme.dim));
    }
    lines.push(Line::from(head));
    lines.extend(super::panes::claim_lines(
        model,
        i,
        bc.criterion,
        value,
        theme,
    ));
    if let Some(hint) = model.hint_for(i, bc.criterion) {
        lines.push(Line::from(vec![
            Span::styled(format!("{HINT_MARK} "), theme.unit),
            Span::styled(hint.text, theme.unit),
        ]));
        let suggestion = match hint.suggested {
            Some(v) if v == value => model.fill(Key::HintAgrees, &[&model.value_label(v)]),
            Some(v) => model.fill(Key::HintSuggests, &[&model.value_label(v)]),
            None => model.tr(Key::HintNoSuggestion).to_string(),
        };
        lines.push(Line::from(Span::styled(suggestion, theme.dim)));
    }
    lines.extend(super::panes::note_lines(model, verdict.as_ref(), theme));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
