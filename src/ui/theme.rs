//! Every colour and style of the console in one place. The colour theme uses only the 16 ANSI
//! colours that read on dark and light backgrounds (no bright yellow, no blue text); the
//! monochrome theme (NO_COLOR) sets no colour at all and marks the selection with reverse and
//! bold, which the view pairs with a "▶" marker so it never depends on colour.

use ratatui::style::{Color, Modifier, Style};

/// Styles for each kind of thing on screen.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub tier: Style,
    pub unit: Style,
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    /// The selected row of the pane that has the keyboard.
    pub selected: Style,
    /// The selected row of the other pane.
    pub selected_blur: Style,
    pub met: Style,
    pub not_met: Style,
    pub explain: Style,
    pub pending: Style,
    pub warn: Style,
    pub error: Style,
    pub ok: Style,
    pub bar_done: Style,
    pub bar_todo: Style,
    pub key: Style,
}

/// The marker drawn before the selected row, so selection never rests on colour alone.
pub const MARKER: &str = "▶ ";

impl Theme {
    /// The theme for a terminal: colour, or monochrome when `no_color`.
    pub fn new(no_color: bool) -> Theme {
        if no_color {
            Self::monochrome()
        } else {
            Self::colour()
        }
    }

    fn colour() -> Theme {
        let plain = Style::default();
        Theme {
            text: plain,
            dim: plain.fg(Color::DarkGray),
            tier: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            unit: plain.fg(Color::Cyan),
            border: plain.fg(Color::DarkGray),
            border_focus: plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            title: plain.add_modifier(Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_blur: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            met: plain.fg(Color::Green),
            not_met: plain.fg(Color::Red),
            explain: plain.fg(Color::Magenta),
            pending: plain,
            warn: plain.fg(Color::Red).add_modifier(Modifier::BOLD),
            error: plain
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            ok: plain.fg(Color::Green),
            bar_done: plain.fg(Color::Green),
            bar_todo: plain.fg(Color::DarkGray),
            key: plain.add_modifier(Modifier::BOLD),
        }
    }

    fn monochrome() -> Theme {
        let plain = Style::default();
        let bold = plain.add_modifier(Modifier::BOLD);
        Theme {
            text: plain,
            dim: plain,
            tier: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            unit: bold,
            border: plain,
            border_focus: bold,
            title: bold,
            selected: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_blur: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            met: plain,
            not_met: bold,
            explain: bold,
            pending: plain,
            warn: bold,
            error: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            ok: plain,
            bar_done: plain,
            bar_todo: plain,
            key: bold,
        }
    }
}
