//! The console's own key type: what `update` receives for a keystroke, whichever terminal it
//! came from. The names mirror crossterm's (`KeyEvent`, `KeyCode::Char(c)`, `KeyCode::Enter`,
//! `KeyModifiers::CONTROL`, `KeyEventKind::Release`), so key handling reads the same as it
//! would against crossterm, but the core does not depend on a terminal library: the local
//! driver converts crossterm's events into these (`runtime::keys`), and the SSH decoder
//! (`ssh::input`) builds them straight from a channel's bytes.
//!
//! Only what a key handler needs is kept: media and lone modifier keys, which no terminal we
//! serve sends as keys, arrive as `KeyCode::Null`; the keyboard-enhancement state flags are
//! not carried.

use std::hash::{Hash, Hasher};

/// A key, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Hash)]
pub enum KeyCode {
    Backspace,
    Enter,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    /// Shift+Tab.
    BackTab,
    Delete,
    Insert,
    /// A function key, F1 to F24.
    F(u8),
    /// A character, already shifted (`'A'`, not `'a'` with Shift).
    Char(char),
    /// A key with no code of its own.
    Null,
    Esc,
    CapsLock,
    ScrollLock,
    NumLock,
    PrintScreen,
    Pause,
    Menu,
    KeypadBegin,
}

bitflags::bitflags! {
    /// The modifiers held with a key.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Hash)]
    pub struct KeyModifiers: u8 {
        const SHIFT = 0b0000_0001;
        const CONTROL = 0b0000_0010;
        const ALT = 0b0000_0100;
        const SUPER = 0b0000_1000;
        const HYPER = 0b0001_0000;
        const META = 0b0010_0000;
        const NONE = 0b0000_0000;
    }
}

/// Whether a key went down, repeats or came up (terminals without the keyboard-enhancement
/// protocol only ever report presses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Hash, Default)]
pub enum KeyEventKind {
    #[default]
    Press,
    Repeat,
    Release,
}

/// One keystroke. Equality treats `Char('A')` and `Char('a')` with Shift as the same key, as
/// crossterm does, because terminals report a shifted letter either way.
#[derive(Debug, Clone, Copy, PartialOrd)]
pub struct KeyEvent {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub kind: KeyEventKind,
}

impl KeyEvent {
    /// A key press.
    pub const fn new(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
        }
    }

    /// A key press, repeat or release.
    pub const fn new_with_kind(
        code: KeyCode,
        modifiers: KeyModifiers,
        kind: KeyEventKind,
    ) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind,
        }
    }

    /// Upper-case letters carry Shift, and Shift makes letters upper case.
    fn normalize_case(mut self) -> KeyEvent {
        let KeyCode::Char(c) = self.code else {
            return self;
        };
        if c.is_ascii_uppercase() {
            self.modifiers.insert(KeyModifiers::SHIFT);
        } else if self.modifiers.contains(KeyModifiers::SHIFT) {
            self.code = KeyCode::Char(c.to_ascii_uppercase());
        }
        self
    }
}

impl From<KeyCode> for KeyEvent {
    fn from(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
}

impl PartialEq for KeyEvent {
    fn eq(&self, other: &KeyEvent) -> bool {
        let (a, b) = (self.normalize_case(), other.normalize_case());
        (a.code, a.modifiers, a.kind) == (b.code, b.modifiers, b.kind)
    }
}

impl Eq for KeyEvent {}

impl Hash for KeyEvent {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let k = self.normalize_case();
        k.code.hash(state);
        k.modifiers.hash(state);
        k.kind.hash(state);
    }
}

/// Whether a key gives up opening a review (`q` or Ctrl+C, as the opening screen says).
pub fn gives_up_opening(key: &KeyEvent) -> bool {
    key.kind != KeyEventKind::Release
        && match key.code {
            KeyCode::Char('q') => key.modifiers.difference(KeyModifiers::SHIFT).is_empty(),
            KeyCode::Char('c') => key.modifiers.contains(KeyModifiers::CONTROL),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_letter_equals_its_capital() {
        let capital = KeyEvent::new(KeyCode::Char('A'), KeyModifiers::NONE);
        let shifted = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::SHIFT);
        assert_eq!(capital, shifted);
        assert_ne!(
            capital,
            KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)
        );
        assert_ne!(
            KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            KeyEvent::new_with_kind(KeyCode::Enter, KeyModifiers::NONE, KeyEventKind::Release)
        );
    }

    #[test]
    fn q_and_ctrl_c_give_up_opening() {
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert!(gives_up_opening(&q));
        assert!(gives_up_opening(&KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL
        )));
        assert!(!gives_up_opening(&KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::NONE
        )));
        assert!(!gives_up_opening(&KeyEvent::new(
            KeyCode::Char('q'),
            KeyModifiers::CONTROL
        )));
        assert!(!gives_up_opening(&KeyEvent::new_with_kind(
            KeyCode::Char('q'),
            KeyModifiers::NONE,
            KeyEventKind::Release
        )));
    }
}
