//! The screen shown while a large review opens (reading hundreds of thousands of subjects and
//! verdicts from the store takes seconds): what is being opened and how far the reading has
//! got, so the terminal answers at once instead of staying blank. Small reviews open before
//! it would be drawn.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph};

use super::Theme;
use crate::domain::Lang;
use crate::i18n::{Key, fill, tr};

/// What the opening screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub lang: Lang,
    pub no_color: bool,
    /// The campaign's name.
    pub campaign: String,
    /// Subjects read so far, and how many there are (0 while the database is still opening).
    pub subjects: usize,
    pub of_subjects: usize,
    /// Verdicts read so far.
    pub verdicts: usize,
}

/// A count with the language's thousands separator ("320.000", "320,000").
pub fn count(n: usize, lang: Lang) -> String {
    let digits = n.to_string();
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

/// Draws the opening screen.
pub fn render(o: &Opening, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(o.no_color);
    frame.render_widget(Clear, area);
    let width = area.width.min(64);
    let [_, row, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(6.min(area.height)),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, rect, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width),
        Constraint::Fill(1),
    ])
    .areas(row);
    let inner = usize::from(width.saturating_sub(4));
    let lines = vec![
        Line::from(Span::styled(
            super::text::truncate(&fill(o.lang, Key::Opening, &[&o.campaign]), inner),
            theme.title,
        )),
        Line::from(""),
        Line::from(Span::styled(
            if o.of_subjects == 0 && o.subjects == 0 {
                tr(o.lang, Key::OpeningStore).to_string()
            } else {
                fill(
                    o.lang,
                    Key::OpeningCounts,
                    &[
                        &count(o.subjects, o.lang),
                        &count(o.of_subjects, o.lang),
                        &count(o.verdicts, o.lang),
                    ],
                )
            },
            theme.text,
        )),
        Line::from(Span::styled(tr(o.lang, Key::OpeningQuit), theme.dim)),
    ];
    let block = Block::default()
        .borders(Borders::ALL)
        .padding(Padding::horizontal(1))
        .border_style(theme.border)
        .title(Span::styled(" thidua ", theme.title));
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .block(block),
        rect,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_the_languages_separator() {
        assert_eq!(count(0, Lang::Vi), "0");
        assert_eq!(count(999, Lang::Vi), "999");
        assert_eq!(count(1_000, Lang::Vi), "1.000");
        assert_eq!(count(320_000, Lang::Vi), "320.000");
        assert_eq!(count(1_234_567, Lang::En), "1,234,567");
    }
}
