//! crossterm's terminal events → the console's own keys and messages. Only the local driver
//! reads crossterm's events; the core never sees them.

use crossterm::event as ct;

use crate::app::Msg;
use crate::app::key::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

impl From<ct::KeyCode> for KeyCode {
    fn from(code: ct::KeyCode) -> KeyCode {
        match code {
            ct::KeyCode::Backspace => KeyCode::Backspace,
            ct::KeyCode::Enter => KeyCode::Enter,
            ct::KeyCode::Left => KeyCode::Left,
            ct::KeyCode::Right => KeyCode::Right,
            ct::KeyCode::Up => KeyCode::Up,
            ct::KeyCode::Down => KeyCode::Down,
            ct::KeyCode::Home => KeyCode::Home,
            ct::KeyCode::End => KeyCode::End,
            ct::KeyCode::PageUp => KeyCode::PageUp,
            ct::KeyCode::PageDown => KeyCode::PageDown,
            ct::KeyCode::Tab => KeyCode::Tab,
            ct::KeyCode::BackTab => KeyCode::BackTab,
            ct::KeyCode::Delete => KeyCode::Delete,
            ct::KeyCode::Insert => KeyCode::Insert,
            ct::KeyCode::F(n) => KeyCode::F(n),
            ct::KeyCode::Char(c) => KeyCode::Char(c),
            ct::KeyCode::Esc => KeyCode::Esc,
            ct::KeyCode::CapsLock => KeyCode::CapsLock,
            ct::KeyCode::ScrollLock => KeyCode::ScrollLock,
            ct::KeyCode::NumLock => KeyCode::NumLock,
            ct::KeyCode::PrintScreen => KeyCode::PrintScreen,
            ct::KeyCode::Pause => KeyCode::Pause,
            ct::KeyCode::Menu => KeyCode::Menu,
            ct::KeyCode::KeypadBegin => KeyCode::KeypadBegin,
            ct::KeyCode::Null | ct::KeyCode::Media(_) | ct::KeyCode::Modifier(_) => KeyCode::Null,
        }
    }
}

impl From<ct::KeyModifiers> for KeyModifiers {
    fn from(m: ct::KeyModifiers) -> KeyModifiers {
        let pairs = [
            (ct::KeyModifiers::SHIFT, KeyModifiers::SHIFT),
            (ct::KeyModifiers::CONTROL, KeyModifiers::CONTROL),
            (ct::KeyModifiers::ALT, KeyModifiers::ALT),
            (ct::KeyModifiers::SUPER, KeyModifiers::SUPER),
            (ct::KeyModifiers::HYPER, KeyModifiers::HYPER),
            (ct::KeyModifiers::META, KeyModifiers::META),
        ];
        pairs
            .into_iter()
            .filter(|(theirs, _)| m.contains(*theirs))
            .fold(KeyModifiers::NONE, |acc, (_, ours)| acc | ours)
    }
}

impl From<ct::KeyEventKind> for KeyEventKind {
    fn from(kind: ct::KeyEventKind) -> KeyEventKind {
        match kind {
            ct::KeyEventKind::Press => KeyEventKind::Press,
            ct::KeyEventKind::Repeat => KeyEventKind::Repeat,
            ct::KeyEventKind::Release => KeyEventKind::Release,
        }
    }
}

impl From<ct::KeyEvent> for KeyEvent {
    fn from(key: ct::KeyEvent) -> KeyEvent {
        KeyEvent::new_with_kind(key.code.into(), key.modifiers.into(), key.kind.into())
    }
}

/// The message a terminal event becomes, if the console takes it (focus and mouse events are
/// not used).
pub fn message(ev: ct::Event) -> Option<Msg> {
    match ev {
        ct::Event::Key(key) => Some(Msg::Key(key.into())),
        ct::Event::Paste(text) => Some(Msg::Paste(text)),
        ct::Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        ct::Event::FocusGained | ct::Event::FocusLost | ct::Event::Mouse(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossterm_keys_keep_code_modifiers_and_kind() {
        let theirs = ct::KeyEvent::new_with_kind(
            ct::KeyCode::Char('s'),
            ct::KeyModifiers::CONTROL | ct::KeyModifiers::ALT,
            ct::KeyEventKind::Release,
        );
        let ours: KeyEvent = theirs.into();
        assert_eq!(ours.code, KeyCode::Char('s'));
        assert_eq!(ours.modifiers, KeyModifiers::CONTROL | KeyModifiers::ALT);
        assert_eq!(ours.kind, KeyEventKind::Release);
        let f5: KeyEvent = ct::KeyEvent::new(ct::KeyCode::F(5), ct::KeyModifiers::SHIFT).into();
        assert_eq!(f5, KeyEvent::new(KeyCode::F(5), KeyModifiers::SHIFT));
        let media: KeyEvent = ct::KeyEvent::new(
            ct::KeyCode::Media(ct::MediaKeyCode::Play),
            ct::KeyModifiers::NONE,
        )
        .into();
        assert_eq!(media.code, KeyCode::Null);
    }

    #[test]
    fn paste_and_resize_become_messages_and_focus_does_not() {
        assert!(matches!(
            message(ct::Event::Paste("Sở Nội vụ".into())),
            Some(Msg::Paste(t)) if t == "Sở Nội vụ"
        ));
        assert!(matches!(
            message(ct::Event::Resize(80, 24)),
            Some(Msg::Resize {
                width: 80,
                height: 24
            })
        ));
        assert!(message(ct::Event::FocusGained).is_none());
    }
}
