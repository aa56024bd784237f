//! The view: draws a `Model` into a ratatui frame and nothing else (no state of its own, no
//! IO). Only the visible window of each list is turned into lines, so a 30,000-subject roster
//! costs the same per frame as a small one. User text reaches the buffer only through
//! spans/`set_stringn`, which drop control characters; the model's text is cleaned at import.

pub mod by_criterion;
pub mod export;
pub mod history;
pub mod loading;
pub mod overlays;
pub mod panes;
pub mod summary;
pub mod text;
pub mod theme;
pub mod words;

pub use words::Words;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::app::{Mode, Model, SaveState, geometry, keymap};
use crate::i18n::Key;
pub use theme::Theme;

/// Draws the whole console for `model`.
pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(model.no_color());
    if geometry::too_small(area.width, area.height) {
        too_small(model, frame, area);
        return;
    }
    let [body, status] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(geometry::STATUS_ROWS),
    ])
    .areas(area);
    if let Some(bc) = model.by_criterion() {
        by_criterion::render(model, bc, &theme, frame, body);
    } else {
        panes_view(model, &theme, frame, area, body);
    }
    status_bar(model, &theme, frame, status);
    match model.mode() {
        Mode::Editor(editor) => overlays::editor(model, editor, &theme, frame, area),
        Mode::Initiatives(v) => overlays::initiatives(model, v, &theme, frame, area),
        Mode::Summary(v) => summary::render(model, v, &theme, frame, body),
        Mode::Export(v) => export::render(model, v, &theme, frame, body),
        Mode::History(v) => history::render(model, v, &theme, frame, body),
        Mode::Description(v) => overlays::description(model, v, &theme, frame, body),
        _ => {}
    }
    if model.help_open() {
        overlays::help(model, &theme, frame, area);
    }
    if let Some(c) = model.conflict() {
        overlays::conflict(model, c, &theme, frame, area);
    }
}

/// The subject list beside the current subject's criteria and the selected criterion.
fn panes_view(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, body: Rect) {
    let [left, right] = Layout::horizontal([
        Constraint::Length(geometry::left_width(area.width)),
        Constraint::Min(1),
    ])
    .areas(body);
    panes::subjects(model, theme, frame, left);
    let n = model.criteria_count();
    let [criteria, detail] = Layout::vertical([
        Constraint::Length(geometry::criteria_block(area.height, n, model.detail_min())),
        Constraint::Min(1),
    ])
    .areas(right);
    panes::criteria(model, theme, frame, criteria);
    panes::detail(model, theme, frame, detail);
}

fn too_small(model: &Model, frame: &mut Frame, area: Rect) {
    let msg = model.fill(
        Key::TooSmall,
        &[
            &area.width.to_string(),
            &area.height.to_string(),
            &geometry::MIN_WIDTH.to_string(),
            &geometry::MIN_HEIGHT.to_string(),
        ],
    );
    frame.render_widget(Clear, area);
    let y = area.height / 2;
    let rect = Rect::new(
        area.x,
        area.y + y.saturating_sub(1),
        area.width,
        area.height - y.saturating_sub(1),
    );
    frame.render_widget(
        Paragraph::new(msg)
            .wrap(Wrap { trim: true })
            .alignment(ratatui::layout::Alignment::Center),
        rect,
    );
}

/// The three status lines: campaign, reviewer and save state; overall progress; key hints.
fn status_bar(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let w = usize::from(area.width);
    let [top, middle, bottom] = Layout::vertical([Constraint::Length(1); 3]).areas(area);

    // Line 1: campaign · reviewer · save state.
    let (state, state_style) = match model.save_state() {
        SaveState::Idle => (String::new(), theme.text),
        SaveState::Saving => (model.tr(Key::Saving).to_string(), theme.warn),
        SaveState::Saved(at) => (
            model.fill(Key::SavedAt, &[&crate::domain::format_time(*at)]),
            theme.ok,
        ),
        SaveState::Failed(e) => (model.fill(Key::SaveFailed, &[e]), theme.error),
    };
    let mut who = model.fill(Key::Reviewer, &[model.reviewer()]);
    if model.role() == crate::app::Role::Viewer {
        who = format!("{who} ({})", model.tr(Key::ReadOnly));
    }
    // The reviewer's own assignment: how many of theirs still need work.
    if let Some((left, of)) = model.own_remaining() {
        who = format!(
            "{who} · {}",
            model.fill(Key::StatusYoursLeft, &[&left.to_string(), &of.to_string()])
        );
    }
    // The built-in input method, whenever it is on (plain input, the default, goes unsaid).
    let ime = match model.ime() {
        crate::app::InputMethod::Off => None,
        crate::app::InputMethod::Telex => Some(Key::ImeTelex),
        crate::app::InputMethod::Vni => Some(Key::ImeVni),
    };
    if let Some(ime) = ime {
        who = format!("{who} · {}", model.fill(Key::ImeLabel, &[model.tr(ime)]));
    }
    let mut others: Vec<&str> = model.present().iter().map(|(n, _)| n.as_str()).collect();
    others.sort_unstable();
    others.dedup();
    // Who else is connected, only where it fits beside the save state (which always shows).
    if !others.is_empty() {
        let with = format!(
            "{who} · {}",
            model.fill(Key::AlsoHere, &[&others.join(", ")])
        );
        if text::width(&with) + text::width(&state) + 3 + 12 <= w {
            who = with;
        }
    }
    let right = format!("{who} │ {state}");
    let right = text::truncate(right.trim_end_matches([' ', '│']), w.saturating_sub(12));
    let left_w = w.saturating_sub(text::width(&right) + 3);
    let campaign = text::fit(
        &format!(" {}", model.campaign().title(model.lang())),
        left_w,
    );
    let (who_part, state_part) = match right.split_once(" │ ") {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (right.clone(), String::new()),
    };
    let mut spans = vec![
        Span::styled(campaign, theme.title),
        Span::styled(" │ ", theme.dim),
        Span::styled(who_part, theme.text),
    ];
    if !state_part.is_empty() {
        spans.push(Span::styled(" │ ", theme.dim));
        spans.push(Span::styled(state_part, state_style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), top);

    // Line 2: progress bar with counts.
    let t = model.index().totals;
    let counts = model.fill(
        Key::ProgressCounts,
        &[
            &t.decided.to_string(),
            &t.criteria.to_string(),
            &t.qualified.to_string(),
            &t.not_qualified.to_string(),
            &t.incomplete.to_string(),
        ],
    );
    let label = format!(" {} ", model.tr(Key::Progress));
    // Subjects waiting for an explanation, with the mark the list shows them with.
    let waiting = if t.waiting > 0 {
        format!(
            " {}",
            model.fill(Key::WaitingCount, &[&t.waiting.to_string()])
        )
    } else {
        String::new()
    };
    let bar_w = w
        .saturating_sub(text::width(&label) + text::width(&counts) + text::width(&waiting) + 7)
        .min(40);
    let done = if t.criteria == 0 {
        0
    } else {
        (t.decided as usize * bar_w)
            .div_ceil(t.criteria as usize)
            .min(bar_w)
    };
    let done = if t.decided > 0 {
        done.max(1).min(bar_w)
    } else {
        0
    };
    let percent = (t.decided * 100).checked_div(t.criteria).unwrap_or(0);
    let mut spans = vec![
        Span::styled(label, theme.title),
        Span::styled("█".repeat(done), theme.bar_done),
        Span::styled("░".repeat(bar_w - done), theme.bar_todo),
        Span::styled(format!(" {percent:>3}% "), theme.text),
        Span::styled(counts, theme.text),
    ];
    if !waiting.is_empty() {
        spans.push(Span::styled(waiting, theme.explain));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), middle);

    // Line 3: a notice, the score prompt, or the key hints for the scope in force.
    let line = if let Some(c) = model.confirm() {
        Line::from(Span::styled(
            text::truncate(&format!(" {}", model.word(&c.text)), w),
            theme.warn,
        ))
    } else if let Some(n) = model.notice() {
        Line::from(Span::styled(
            text::truncate(&format!(" {}", notice_words(model.lang(), n)), w),
            if n.error { theme.error } else { theme.warn },
        ))
    } else if let Mode::Score(buffer) = model.mode() {
        let max = match model.current_criterion().map(|c| c.scale) {
            Some(crate::domain::Scale::Points(m)) => m,
            _ => 0,
        };
        Line::from(Span::styled(
            format!(
                " {}▏",
                model.fill(Key::ScorePrompt, &[&max.to_string(), buffer])
            ),
            theme.key,
        ))
    } else {
        hints(model, theme, w)
    };
    frame.render_widget(Paragraph::new(line), bottom);
}

/// Key hints for the scope in force, from the keymap table; help and quit first.
fn hints(model: &Model, theme: &Theme, width: usize) -> Line<'static> {
    let scope = model.scope();
    let mut items: Vec<(String, String)> = Vec::new();
    let mut rest: Vec<(String, String)> = Vec::new();
    for b in keymap::bindings(scope).filter(|b| b.hint) {
        let key = b.keys.first().map(keymap::label).unwrap_or_default();
        let desc = match model.mode() {
            // Esc on a reason keeps the verdict, flagged as given without a reason.
            Mode::Editor(editor) if editor.reason && b.command == keymap::Command::CancelNote => {
                model.tr(Key::CmdSkipReason)
            }
            _ => model.tr(b.command.describe()),
        }
        .to_string();
        if matches!(b.command, keymap::Command::Help | keymap::Command::Quit) {
            items.push((key, desc));
        } else {
            rest.push((key, desc));
        }
    }
    items.extend(rest);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, desc) in items {
        let w = text::width(&key) + text::width(&desc) + 3;
        if used + w > width {
            break;
        }
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(format!(" {desc}  "), theme.dim));
        used += w;
    }
    Line::from(spans)
}

/// A notice in `lang`: its catalogue entry with the slots filled.
fn notice_words(lang: crate::domain::Lang, n: &crate::app::Notice) -> String {
    let args: Vec<&str> = n.args.iter().map(String::as_str).collect();
    crate::i18n::fill(lang, n.key, &args)
}

/// The notice the status line shows now, in the console's language, if any.
pub fn notice_text(model: &Model) -> Option<String> {
    model
        .notice()
        .as_ref()
        .map(|n| notice_words(model.lang(), n))
}
