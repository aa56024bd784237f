//! A one-field text input: insert at the cursor (through the input method for typed ASCII),
//! paste, delete and move by grapheme, so a combining mark or an emoji never splits. The value
//! handed out is NFC and free of control characters except line breaks.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::ime::{self, InputMethod};

/// Text being edited and a cursor (a byte offset on a grapheme boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
    pub cursor: usize,
}

impl TextInput {
    /// An input holding `text`, the cursor at its end.
    pub fn new(text: &str) -> Self {
        let text: String = text.nfc().collect();
        let cursor = text.len();
        Self { text, cursor }
    }

    /// Types one character; ASCII letters and digits go through the input method.
    pub fn type_char(&mut self, c: char, method: InputMethod) {
        if crate::text::is_unsafe_char(c) {
            return;
        }
        if c.is_ascii_alphanumeric() && method != InputMethod::Off {
            let start = self.word_start();
            let word = &self.text[start..self.cursor];
            if let Some(new) = ime::apply(method, word, c) {
                self.text.replace_range(start..self.cursor, &new);
                self.cursor = start + new.len();
                return;
            }
        }
        self.insert(&c.to_string());
    }

    /// Inserts pasted text as it is (already-composed Vietnamese stays composed); line breaks
    /// are kept, other controls dropped.
    pub fn paste(&mut self, s: &str) {
        let cleaned: String = crate::text::strip_escapes(s)
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|c| *c == '\n' || !crate::text::is_unsafe_char(*c))
            .collect();
        self.insert(&cleaned);
    }

    fn insert(&mut self, s: &str) {
        self.text.insert_str(self.cursor, s);
        self.cursor += s.len();
        self.renormalize();
    }

    /// Keeps the text NFC after an insertion, keeping the cursor after the same grapheme count.
    fn renormalize(&mut self) {
        let nfc: String = self.text.nfc().collect();
        if nfc != self.text {
            let graphemes_before = self.text[..self.cursor].graphemes(true).count();
            self.text = nfc;
            self.cursor = self
                .text
                .grapheme_indices(true)
                .nth(graphemes_before)
                .map_or(self.text.len(), |(i, _)| i);
        }
    }

    fn word_start(&self) -> usize {
        self.text[..self.cursor]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_alphanumeric()))
            .map_or(0, |(i, c)| i + c.len_utf8())
    }

    /// Deletes the grapheme before the cursor.
    pub fn backspace(&mut self) {
        if let Some((i, _)) = self.text[..self.cursor].grapheme_indices(true).next_back() {
            self.text.replace_range(i..self.cursor, "");
            self.cursor = i;
        }
    }

    /// Deletes the grapheme after the cursor.
    pub fn delete(&mut self) {
        if let Some(g) = self.text[self.cursor..].graphemes(true).next() {
            let end = self.cursor + g.len();
            self.text.replace_range(self.cursor..end, "");
        }
    }

    pub fn left(&mut self) {
        if let Some((i, _)) = self.text[..self.cursor].grapheme_indices(true).next_back() {
            self.cursor = i;
        }
    }

    pub fn right(&mut self) {
        if let Some(g) = self.text[self.cursor..].graphemes(true).next() {
            self.cursor += g.len();
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// The text as it will be stored: NFC, controls removed, lines trimmed.
    pub fn value(&self) -> String {
        crate::text::clean_multiline(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletes_by_grapheme_and_keeps_nfc() {
        let mut t = TextInput::new("");
        t.paste("Nguye\u{0302}\u{0303}n");
        assert_eq!(t.text, "Nguyễn");
        t.backspace();
        t.backspace();
        assert_eq!(t.text, "Nguy");
        t.paste("👍🏽");
        t.backspace();
        assert_eq!(t.text, "Nguy");
    }

    #[test]
    fn telex_composes_the_word_before_the_cursor() {
        let mut t = TextInput::new("Thiếu ");
        for c in "hoof sow".chars() {
            t.type_char(c, InputMethod::Telex);
        }
        assert_eq!(t.value(), "Thiếu hồ sơ");
        t.home();
        t.type_char('X', InputMethod::Off);
        assert_eq!(t.value(), "XThiếu hồ sơ");
    }

    #[test]
    fn controls_never_enter() {
        let mut t = TextInput::new("");
        t.paste("a\u{1b}[31mb\r\nc\u{7}");
        assert_eq!(t.text, "ab\nc");
    }
}
