//! The three panes: the subject list (headings for tiers and units, a row per subject with its
//! outcome symbol and progress), the current subject's criteria, and the detail of the
//! selected criterion (description, areas, evidence hint, note, who decided and when).

use super::Words;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::text::{fit, truncate, width};
use super::theme::{MARKER, Theme};
use crate::app::{Filter, Kind, Mode, Model, Pane, Row};
use crate::domain::{Outcome, VerdictValue};
use crate::i18n::Key;

/// Marks a criterion whose campaign entry brings evidence (a hint), in the list and the detail.
pub const HINT_MARK: &str = "◇";

/// A criterion's id, marked when it has an evidence hint.
fn criterion_label(criterion: &crate::domain::Criterion) -> String {
    if criterion.hint.is_some() {
        format!("{}{HINT_MARK}", criterion.id)
    } else {
        criterion.id.clone()
    }
}

pub(super) fn block<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    let style = if focused {
        theme.border_focus
    } else {
        theme.border
    };
    let title = if focused {
        format!("▶ {title} ")
    } else {
        format!(" {title} ")
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(
            title,
            if focused {
                theme.border_focus
            } else {
                theme.title
            },
        ))
}

/// The outcome of a subject as a symbol (never colour alone).
pub fn outcome_symbol(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Qualified => "✓",
        Outcome::NotQualified => "✗",
        Outcome::Incomplete => "○",
    }
}

/// Marks a subject with a criterion waiting for its explanation, in the list and the header.
pub const WAITING_MARK: &str = "?";

/// The mark of a subject in the list: waiting for an explanation comes before the outcome,
/// since it is what the reviewer has to follow up.
fn subject_symbol(e: &crate::app::Entry) -> &'static str {
    if e.is_waiting() {
        WAITING_MARK
    } else {
        outcome_symbol(e.outcome)
    }
}

/// A verdict as symbol and short word.
pub fn verdict_symbol(value: VerdictValue) -> &'static str {
    match value {
        VerdictValue::Pending => "·",
        VerdictValue::Met => "✓",
        VerdictValue::NotMet => "✗",
        VerdictValue::NeedsExplanation => "?",
        VerdictValue::Score(_) => "#",
    }
}

/// The colour of a verdict; the symbol beside it says the same without colour.
pub(super) fn verdict_style(theme: &Theme, value: VerdictValue) -> Style {
    match value {
        VerdictValue::Pending => theme.pending,
        VerdictValue::Met | VerdictValue::Score(_) => theme.met,
        VerdictValue::NotMet => theme.not_met,
        VerdictValue::NeedsExplanation => theme.explain,
    }
}

/// A verdict in one short word, or the score as a number.
pub(super) fn short_verdict(model: &Model, value: VerdictValue) -> String {
    match value {
        VerdictValue::Pending => model.tr(Key::PendingShort).into(),
        VerdictValue::Met => model.tr(Key::MetShort).into(),
        VerdictValue::NotMet => model.tr(Key::NotMetShort).into(),
        VerdictValue::NeedsExplanation => model.tr(Key::NeedsExplanationShort).into(),
        VerdictValue::Score(s) => s.show(model.lang()),
    }
}

fn filter_label(model: &Model, filter: Filter) -> &'static str {
    model.tr(match filter {
        Filter::All => Key::FilterAll,
        Filter::Pending => Key::FilterPending,
        Filter::Attention => Key::FilterAttention,
        Filter::Waiting => Key::FilterWaiting,
        Filter::Qualified => Key::FilterQualified,
        Filter::Differs => Key::FilterDiffers,
    })
}

/// The subject list, or the search results while searching.
pub fn subjects(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let focused = model.focus() == Pane::Subjects || matches!(model.mode(), Mode::Search(_));
    let title = match model.mode() {
        Mode::Search(s) => {
            let count = model.list().len().to_string();
            format!(
                "{}: {}▏ {}",
                model.tr(Key::SearchTitle),
                s.query.text,
                if s.query.text.is_empty() {
                    String::new()
                } else {
                    model.fill(Key::Matches, &[&count])
                }
            )
        }
        _ => {
            let kind = model.tr(match model.kind() {
                Kind::Collectives => Key::Collectives,
                Kind::Individuals => Key::Individuals,
            });
            if model.filter() == Filter::All {
                kind.to_string()
            } else {
                format!(
                    "{kind} · {}",
                    model.fill(Key::FilterLabel, &[filter_label(model, model.filter())])
                )
            }
        }
    };
    let inner_w = usize::from(area.width.saturating_sub(2));
    let title = truncate(&title, inner_w.saturating_sub(3));
    let block = block(title, focused, theme);
    let rows = usize::from(area.height.saturating_sub(2));
    let searching = matches!(model.mode(), Mode::Search(_));
    // The model keeps the selection in view; drawing from the window that holds it makes
    // that true even if the pane were ever smaller than the model thinks.
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    let names = visible_names(model, rows, inner_w, searching);
    for (pos, row) in model.list_window(rows) {
        let selected = pos == model.selected_row();
        lines.push(match row {
            Row::Tier(t) => {
                let name = model
                    .campaign()
                    .tiers
                    .get(t)
                    .map_or("?", |t| t.name(model.lang()));
                Line::from(Span::styled(truncate(name, inner_w), theme.tier))
            }
            Row::Unit(p) => {
                let name = &model.index().entries[p].subject.name;
                Line::from(Span::styled(
                    truncate(&format!(" {name}"), inner_w),
                    theme.unit,
                ))
            }
            Row::Subject(i) => {
                let e = &model.index().entries[i];
                // Criteria waiting for an explanation are not settled: a subject with one
                // reads 9/10, not 10/10.
                let progress = match model.points_line(i) {
                    Some(points) => format!(" {points}"),
                    None => format!(" {}/{}", e.settled(), e.total()),
                };
                let marker = if selected { MARKER } else { "  " };
                let name = names.get(&pos).cloned().unwrap_or_default();
                let name_w = inner_w.saturating_sub(width(marker) + 2 + width(&progress));
                let style = if selected {
                    if focused {
                        theme.selected
                    } else {
                        theme.selected_blur
                    }
                } else {
                    theme.text
                };
                let sym_style = if selected {
                    style
                } else if e.is_waiting() {
                    theme.explain
                } else {
                    match e.outcome {
                        Outcome::Qualified => theme.met,
                        Outcome::NotQualified => theme.not_met,
                        Outcome::Incomplete => theme.pending,
                    }
                };
                Line::from(vec![
                    Span::styled(marker, style),
                    Span::styled(subject_symbol(e), sym_style),
                    Span::styled(" ", style),
                    Span::styled(fit(&name, name_w), style),
                    Span::styled(progress, style),
                ])
            }
        });
    }
    if model.list().is_empty() {
        let msg = if searching {
            Key::NoMatch
        } else {
            Key::NoSubjects
        };
        lines.push(Line::from(Span::styled(model.tr(msg), theme.dim)));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The progress shown after a subject's name: its points line, or settled/total.
fn progress_of(model: &Model, i: usize) -> String {
    let e = &model.index().entries[i];
    match model.points_line(i) {
        Some(points) => format!(" {points}"),
        None => format!(" {}/{}", e.settled(), e.total()),
    }
}

/// The names of the subjects in the visible window, by list position, each cut to its room;
/// rows whose cut names would read the same show what tells them apart (`text::distinct`).
fn visible_names(
    model: &Model,
    rows: usize,
    inner_w: usize,
    searching: bool,
) -> std::collections::HashMap<usize, String> {
    let mut full = Vec::new();
    for (pos, row) in model.list_window(rows) {
        let Row::Subject(i) = row else {
            continue;
        };
        let e = &model.index().entries[i];
        let name = if searching {
            format!("{} ({})", e.subject.name, e.subject.id)
        } else {
            e.subject.name.clone()
        };
        let parent = e
            .subject
            .parent
            .as_deref()
            .and_then(|p| model.index().of_id(p))
            .map(|p| model.index().entries[p].subject.name.clone());
        // The marker and the symbol take two columns each, then a space.
        let cols = inner_w.saturating_sub(2 + 2 + width(&progress_of(model, i)));
        full.push((pos, name, parent, cols));
    }
    let named: Vec<super::text::Named<'_>> = full
        .iter()
        .map(|(_, name, parent, cols)| super::text::Named {
            name,
            parent: parent.as_deref(),
            cols: *cols,
        })
        .collect();
    let shown = super::text::distinct(&named);
    full.iter().map(|(pos, ..)| *pos).zip(shown).collect()
}

/// The current subject's criteria: id, short title, verdict and note.
pub fn criteria(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let focused =
        model.focus() == Pane::Criteria && matches!(model.mode(), Mode::Normal | Mode::Score(_));
    let inner_w = usize::from(area.width.saturating_sub(2));
    let (Some(i), Some(group)) = (model.current(), model.current_group()) else {
        let block = block(model.tr(Key::Criteria).to_string(), focused, theme);
        frame.render_widget(Paragraph::new("").block(block), area);
        return;
    };
    let e = &model.index().entries[i];
    let outcome = model.tr(match e.outcome {
        Outcome::Qualified => Key::Qualified,
        Outcome::NotQualified => Key::NotQualified,
        Outcome::Incomplete => Key::Incomplete,
    });
    // A points subject shows its running total against the threshold instead of a count.
    let mut title = match model.points_line(i) {
        Some(points) => format!("{} · {points}", e.subject.name),
        None => format!("{} · {}/{}", e.subject.name, e.settled(), e.total()),
    };
    // A chair's lock and who else is on this subject come before the outcome, which the
    // subject list also shows as a symbol.
    if model.is_locked(&e.subject.id) {
        title = format!("{title} · {}", model.tr(Key::LockedTag));
    }
    let mut here: Vec<&str> = model
        .present()
        .iter()
        .filter(|(_, s)| s.as_deref() == Some(e.subject.id.as_str()))
        .map(|(who, _)| who.as_str())
        .collect();
    here.dedup();
    if !here.is_empty() {
        title = format!(
            "{title} · {}",
            model.fill(Key::AlsoOnSubject, &[&here.join(", ")])
        );
    }
    let title = if e.is_waiting() {
        format!(
            "{title} · {}",
            model.fill(Key::WaitingCount, &[&e.explain.to_string()])
        )
    } else {
        format!("{title} · {} {outcome}", outcome_symbol(e.outcome))
    };
    let block = block(truncate(&title, inner_w.saturating_sub(3)), focused, theme);
    let rows = usize::from(area.height.saturating_sub(2));
    let id_w = group
        .criteria
        .iter()
        .map(|c| width(&criterion_label(c)))
        .max()
        .unwrap_or(3)
        + 1;
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
        + 3;
    // The self-assessment column (tự đánh giá), when the subject has claims: "TĐG: K.đạt".
    // It takes the note's place when the pane is narrow (80×24); the note stays in the
    // detail pane below.
    let has_claims = (0..usize::from(e.total())).any(|c| model.index().claim(i, c).is_some());
    let claim_w = if has_claims {
        [Key::MetShort, Key::NotMetShort]
            .iter()
            .map(|k| width(model.tr(*k)))
            .max()
            .unwrap_or(5)
            .max(5)
            + width(model.tr(Key::ClaimTag))
            + 3
    } else {
        0
    };
    let rest = inner_w.saturating_sub(2 + id_w + verdict_w + claim_w);
    let title_w = if has_claims && rest < 30 {
        rest
    } else {
        (rest * 2 / 3).max(8).min(rest)
    };
    let note_w = rest.saturating_sub(title_w + 1);
    let mut lines = Vec::with_capacity(rows);
    let window = model.criteria_window(rows);
    for (c, criterion) in group
        .criteria
        .iter()
        .enumerate()
        .skip(window.start)
        .take(window.len())
    {
        let selected = c == model.selected_criterion();
        let verdict = model.index().verdict(i, c);
        let value = verdict.map_or(VerdictValue::Pending, |v| v.value);
        let saving = model.is_saving(&e.subject.id, &criterion.id);
        let style = if selected {
            if focused {
                theme.selected
            } else {
                theme.selected_blur
            }
        } else {
            theme.text
        };
        let vstyle = if selected {
            style
        } else {
            verdict_style(theme, value)
        };
        let symbol = if saving { "…" } else { verdict_symbol(value) };
        let vtext = format!("{symbol} {}", short_verdict(model, value));
        let claim = model.index().claim(i, c).map(|claim| {
            let text = format!(
                "{}: {}",
                model.tr(Key::ClaimTag),
                short_verdict(model, claim.value)
            );
            // A claim the verdict does not (yet) match stands out; one it matches is quiet.
            let style = if claim.value == value {
                theme.dim
            } else {
                theme.warn
            };
            (text, style)
        });
        let (note, note_style) = match verdict {
            Some(v) if v.missing_reason() => (format!("! {}", model.tr(Key::NoReason)), theme.warn),
            Some(v) => (v.note.replace('\n', " "), theme.dim),
            None => (String::new(), theme.dim),
        };
        lines.push(Line::from(vec![
            Span::styled(if selected { MARKER } else { "  " }, style),
            Span::styled(fit(&criterion_label(criterion), id_w), style),
            Span::styled(fit(criterion.title(model.lang()), title_w), style),
            Span::styled(" ", style),
            Span::styled(fit(&vtext, verdict_w), vstyle),
            match &claim {
                Some((text, cstyle)) => {
                    Span::styled(fit(text, claim_w), if selected { style } else { *cstyle })
                }
                None => Span::styled(fit("", claim_w), style),
            },
            Span::styled(
                fit(&note, note_w),
                if selected { style } else { note_style },
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The selected criterion in full: verdict and note first, then evidence, areas, description.
pub fn detail(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner_w = usize::from(area.width.saturating_sub(2));
    let (Some(i), Some(criterion)) = (model.current(), model.current_criterion()) else {
        let block = block(model.tr(Key::Detail).to_string(), false, theme);
        frame.render_widget(Paragraph::new("").block(block), area);
        return;
    };
    let e = &model.index().entries[i];
    let title = format!("{} · {}", criterion.id, criterion.title(model.lang()));
    let block = block(truncate(&title, inner_w.saturating_sub(3)), false, theme);
    let verdict = model.index().verdict(i, model.selected_criterion());
    let value = verdict.map_or(VerdictValue::Pending, |v| v.value);
    let mut lines: Vec<Line> = Vec::new();
    let mut head = vec![Span::styled(
        format!("{} {}", verdict_symbol(value), model.value_label(value)),
        verdict_style(theme, value).add_modifier(ratatui::style::Modifier::BOLD),
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
    lines.push(Line::from(head));
    lines.extend(note_lines(model, verdict.as_ref(), theme));
    lines.extend(claim_lines(
        model,
        i,
        model.selected_criterion(),
        value,
        theme,
    ));
    if let Some(hint) = model.current_hint() {
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
    let areas = criterion.areas(model.lang());
    if areas.is_empty() {
        lines.push(Line::from(Span::styled(
            criterion.description(model.lang()).to_string(),
            theme.text,
        )));
    } else {
        for (k, a) in areas.iter().enumerate() {
            lines.push(Line::from(Span::styled(
                truncate(&format!("{}. {a}", k + 1), inner_w),
                theme.text,
            )));
        }
        lines.push(Line::from(Span::styled(
            criterion.description(model.lang()).to_string(),
            theme.dim,
        )));
    }
    if let Some(p) = e.parent() {
        lines.push(Line::from(Span::styled(
            model.fill(Key::BelongsTo, &[&model.index().entries[p].subject.name]),
            theme.dim,
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// The unit's self-assessment (tự đánh giá) of criterion `c` of entry `i` beside the verdict
/// `value`, with its evidence: quiet when they agree, in the warning colour when they differ.
pub(super) fn claim_lines(
    model: &Model,
    i: usize,
    c: usize,
    value: VerdictValue,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(claim) = model.index().claim(i, c) {
        let value_text = model.value_label(claim.value);
        let line = if claim.value == value {
            model.fill(Key::ClaimAgrees, &[&value_text])
        } else {
            model.fill(Key::ClaimDiffers, &[&value_text])
        };
        lines.push(Line::from(Span::styled(
            line,
            if claim.value == value {
                theme.dim
            } else {
                theme.warn
            },
        )));
        if !claim.evidence.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", model.tr(Key::ClaimEvidence)), theme.title),
                Span::styled(crate::text::clean(&claim.evidence), theme.text),
            ]));
        }
    }
    lines
}

/// A verdict's note, line by line, or that its reason is missing, or that it has none.
pub(super) fn note_lines(
    model: &Model,
    verdict: Option<&crate::domain::VerdictRef<'_>>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match verdict {
        Some(v) if v.missing_reason() => lines.push(Line::from(Span::styled(
            format!("! {}", model.tr(Key::NoReason)),
            theme.warn,
        ))),
        Some(v) if !v.note.is_empty() => {
            for (k, part) in v.note.split('\n').enumerate() {
                let prefix = if k == 0 {
                    format!("{}: ", model.tr(Key::Note))
                } else {
                    String::new()
                };
                lines.push(Line::from(vec![
                    Span::styled(prefix, theme.title),
                    Span::styled(part.to_string(), theme.text),
                ]));
            }
        }
        _ => lines.push(Line::from(Span::styled(model.tr(Key::NoNote), theme.dim))),
    }
    lines
}
