//! A one-field text input: insert at the cursor (through the input method for typed ASCII),
//! paste, delete and move by grapheme, so a combining mark or an emoji never splits. The value
//! handed out is NFC and free of control characters except line breaks.
//!
//! A key costs work in proportion to the key, not to the text: only the grapheme clusters
//! around an insertion are normalised again, and the input method looks at most at the last
//! [`ime::MAX_SYLLABLE`] letters before the cursor. Every field holds at most a fixed number
//! of characters (see the `*_MAX` constants); what goes beyond is refused (a typed key) or cut
//! (a paste), and [`TextInput::full`] tells the editor to say so.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::ime::{self, InputMethod};

/// The most characters a note or a reason holds: about two typed pages, far more than a
/// reviewer writes about one criterion, and little enough that a key never costs noticeable
/// time however the note was filled.
pub const NOTE_MAX: usize = 4000;
/// The most characters of a search query (the longest subject name is far shorter).
pub const SEARCH_MAX: usize = 100;
/// The most characters of a one-line form field (the recognising authority) and the default
/// for any input.
pub const LINE_MAX: usize = 200;
/// The most characters of a decision number ("123/QĐ-UBND" and the like).
pub const DECISION_MAX: usize = 50;
/// The most characters of a typed date (DD/MM/YYYY, with room for stray spaces).
pub const DATE_MAX: usize = 20;
/// The most characters of an export file name (the usual limit of a file name).
pub const PATH_MAX: usize = 255;

/// Text being edited and a cursor (a byte offset on a grapheme boundary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
    pub cursor: usize,
    /// The most characters the field takes.
    max: usize,
    /// The last key or paste did not fit: it was refused or cut at `max` characters.
    pub full: bool,
    /// The keys that typed the word ending at the cursor, while they are known (the input
    /// method gives a word that stops being Vietnamese back as these keys).
    keys: String,
    /// Where the word typed by `keys` ends; anything else moving the cursor makes them stale.
    keys_end: Option<usize>,
}

impl Default for TextInput {
    fn default() -> Self {
        Self {
            text: String::new(),
            cursor: 0,
            max: LINE_MAX,
            full: false,
            keys: String::new(),
            keys_end: None,
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes handed to NFC normalisation by this thread's inputs, to show a key's work does
    /// not grow with the text.
    static NORMALIZED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl TextInput {
    /// An input holding `text`, the cursor at its end, taking up to `LINE_MAX` characters
    /// (text already longer is kept, but does not grow).
    pub fn new(text: &str) -> Self {
        let text: String = text.nfc().collect();
        let cursor = text.len();
        Self {
            text,
            cursor,
            ..Self::default()
        }
    }

    /// The same input, taking up to `max` characters.
    pub fn with_max(mut self, max: usize) -> Self {
        self.max = max;
        self
    }

    /// The most characters the field takes.
    pub fn max(&self) -> usize {
        self.max
    }

    /// How many more characters fit.
    fn room(&self) -> usize {
        // Every character takes at least one byte: a text shorter than `max` bytes is shorter
        // than `max` characters, and is not counted.
        if self.text.len() < self.max {
            return self.max - self.text.len();
        }
        self.max.saturating_sub(self.text.chars().count())
    }

    /// Types one character; ASCII letters and digits go through the input method. Refused
    /// (and `full` set) when the field already holds its most characters.
    pub fn type_char(&mut self, c: char, method: InputMethod) {
        self.full = false;
        let known = self.keys_end.take() == Some(self.cursor);
        if crate::text::is_unsafe_char(c) {
            return;
        }
        // A key adds at most one character, the input method's rewrites included.
        if self.room() == 0 {
            self.full = true;
            return;
        }
        if c.is_ascii_alphanumeric()
            && method != InputMethod::Off
            && let Some(start) = self.word_start()
        {
            let word = &self.text[start..self.cursor];
            // The keys describe the word only if they were recorded from its first letter.
            let recorded = if word.is_empty() {
                self.keys.clear();
                true
            } else {
                known && !self.keys.is_empty()
            };
            let new = ime::type_key(method, word, recorded.then_some(self.keys.as_str()), c);
            let record = recorded && self.keys.len() < 4 * ime::MAX_SYLLABLE;
            if record {
                self.keys.push(c);
            } else {
                self.keys.clear();
            }
            match new {
                Some(new) => {
                    self.text.replace_range(start..self.cursor, &new);
                    self.cursor = start + new.len();
                    // A combining mark after the cursor may compose with the new letters.
                    self.renormalize_around(start);
                }
                None => {
                    let mut buf = [0u8; 4];
                    self.insert(c.encode_utf8(&mut buf));
                }
            }
            if record {
                self.keys_end = Some(self.cursor);
            }
            return;
        }
        self.keys.clear();
        let mut buf = [0u8; 4];
        self.insert(c.encode_utf8(&mut buf));
    }

    /// Inserts pasted text as it is (already-composed Vietnamese stays composed); line breaks
    /// are kept, other controls dropped. What goes beyond the field's most characters is cut
    /// (at a grapheme boundary) and `full` set.
    pub fn paste(&mut self, s: &str) {
        self.full = false;
        self.keys_end = None;
        let room = self.room();
        let mut cleaned = String::with_capacity(s.len().min(room.saturating_mul(4)));
        let mut count = 0;
        let stripped = crate::text::strip_escapes(s);
        let unified = stripped.replace("\r\n", "\n").replace('\r', "\n");
        for g in unified.graphemes(true) {
            let kept: String = g
                .chars()
                .filter(|c| *c == '\n' || !crate::text::is_unsafe_char(*c))
                .collect();
            let n = kept.chars().count();
            if count + n > room {
                self.full = true;
                break;
            }
            count += n;
            cleaned.push_str(&kept);
        }
        self.insert(&cleaned);
    }

    fn insert(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        let at = self.cursor;
        self.text.insert_str(at, s);
        self.cursor += s.len();
        self.renormalize_around(at);
    }

    /// Keeps the text NFC after an insertion of `self.text[at..self.cursor]` (or a deletion at
    /// `at`, the cursor there), normalising only the inserted text and the grapheme clusters
    /// either side of it (composition never reaches further in text that was NFC), and keeping
    /// the cursor after the same number of graphemes.
    fn renormalize_around(&mut self, at: usize) {
        let start = self.text[..at]
            .grapheme_indices(true)
            .next_back()
            .map_or(at, |(i, _)| i);
        let end = self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len());
        let window = &self.text[start..end];
        #[cfg(test)]
        NORMALIZED.with(|n| n.set(n.get() + window.len()));
        if unicode_normalization::is_nfc_quick(window.chars())
            == unicode_normalization::IsNormalized::Yes
        {
            return;
        }
        let nfc: String = window.nfc().collect();
        if nfc == window {
            return;
        }
        let graphemes_before = self.text[start..self.cursor].graphemes(true).count();
        self.text.replace_range(start..end, &nfc);
        self.cursor = nfc
            .grapheme_indices(true)
            .nth(graphemes_before)
            .map_or(start + nfc.len(), |(i, _)| start + i);
    }

    /// Where the word before the cursor starts, if it is short enough to be a Vietnamese
    /// syllable (the input method leaves longer runs of letters alone); looks back at most
    /// `MAX_SYLLABLE` + 1 characters.
    fn word_start(&self) -> Option<usize> {
        let mut start = self.cursor;
        for (n, (i, c)) in self.text[..self.cursor].char_indices().rev().enumerate() {
            if !c.is_alphanumeric() {
                break;
            }
            if n == ime::MAX_SYLLABLE {
                return None;
            }
            start = i;
        }
        Some(start)
    }

    /// Deletes the grapheme before the cursor.
    pub fn backspace(&mut self) {
        self.full = false;
        self.keys_end = None;
        if let Some((i, _)) = self.text[..self.cursor].grapheme_indices(true).next_back() {
            self.text.replace_range(i..self.cursor, "");
            self.cursor = i;
            // What was either side of it may now compose (a letter, then a lone mark).
            self.renormalize_around(i);
        }
    }

    /// Deletes the grapheme after the cursor.
    pub fn delete(&mut self) {
        self.full = false;
        self.keys_end = None;
        if let Some(g) = self.text[self.cursor..].graphemes(true).next() {
            let end = self.cursor + g.len();
            self.text.replace_range(self.cursor..end, "");
            self.renormalize_around(self.cursor);
        }
    }

    pub fn left(&mut self) {
        self.keys_end = None;
        if let Some((i, _)) = self.text[..self.cursor].grapheme_indices(true).next_back() {
            self.cursor = i;
        }
    }

    pub fn right(&mut self) {
        self.keys_end = None;
        if let Some(g) = self.text[self.cursor..].graphemes(true).next() {
            self.cursor += g.len();
        }
    }

    pub fn home(&mut self) {
        self.keys_end = None;
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.keys_end = None;
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

    #[test]
    fn a_field_takes_its_most_characters_and_says_so() {
        let mut t = TextInput::new("").with_max(5);
        for c in "abcdefg".chars() {
            t.type_char(c, InputMethod::Off);
        }
        assert_eq!(t.text, "abcde");
        assert!(t.full, "the refused key is reported");
        t.backspace();
        assert!(!t.full);
        t.paste("Nguyễn");
        assert_eq!(t.text, "abcdN", "a paste is cut at the limit");
        assert!(t.full);
        // Multi-byte letters count as characters, not bytes.
        let mut t = TextInput::new("").with_max(3);
        t.paste("đườ");
        assert_eq!(t.text, "đườ");
        assert!(!t.full);
        t.type_char('x', InputMethod::Telex);
        assert_eq!(t.text, "đườ");
        assert!(t.full);
        assert_eq!(TextInput::default().max(), LINE_MAX);
    }

    #[test]
    fn combining_marks_typed_or_pasted_compose_with_the_letter_before() {
        let mut t = TextInput::new("Nguye");
        t.paste("\u{0302}\u{0303}n");
        assert_eq!(t.text, "Nguyễn");
        assert_eq!(t.cursor, t.text.len());
        t.left();
        t.left();
        t.paste("\u{0301}");
        // "ễ" + acute does not compose further: the mark stays, the text stays NFC.
        let nfc: String = t.text.nfc().collect();
        assert_eq!(t.text, nfc);
        t.home();
        t.type_char('e', InputMethod::Off);
        t.paste("\u{0302}");
        assert!(t.text.starts_with("ê"), "{}", t.text);
    }

    #[test]
    fn the_input_method_leaves_long_runs_of_letters_alone() {
        let mut t = TextInput::new("");
        for c in "abcdghklms".chars() {
            t.type_char(c, InputMethod::Telex);
        }
        assert_eq!(t.text, "abcdghklms", "no syllable is eight letters long");
        let mut t = TextInput::new("xin ");
        for c in "nghieengx".chars() {
            t.type_char(c, InputMethod::Telex);
        }
        assert_eq!(t.text, "xin nghiễng");
    }

    #[test]
    fn a_word_that_stops_being_vietnamese_comes_back_as_typed() {
        let mut t = TextInput::new("Gửi file ");
        for c in "Excel, website ISO".chars() {
            t.type_char(c, InputMethod::Telex);
        }
        assert_eq!(t.text, "Gửi file Excel, website ISO");
        // A word the editor did not see typed is spelled back from its marks.
        let mut t = TextInput::new("Ẽc");
        t.type_char('l', InputMethod::Telex);
        assert_eq!(t.text, "Ecxl");
    }

    /// Typing a key normalises a few bytes around it, however long the text already is: the
    /// work of typing N characters grows as N, not N².
    #[test]
    fn typing_work_does_not_grow_with_the_text() {
        fn work_of_typing(before: usize, keys: usize) -> usize {
            let mut t = TextInput::new(&"Thiếu hồ sơ. ".repeat(before / 13)).with_max(usize::MAX);
            NORMALIZED.with(|n| n.set(0));
            for c in "abc đủ ".chars().cycle().take(keys) {
                t.type_char(c, InputMethod::Telex);
            }
            NORMALIZED.with(|n| n.get())
        }
        let short = work_of_typing(1_000, 2_000);
        let long = work_of_typing(64_000, 2_000);
        assert_eq!(short, long, "the text before the cursor costs nothing");
        assert!(short <= 2_000 * 16, "a few bytes per key: {short}");
        // And in the middle of a long text.
        let mut t = TextInput::new(&"x".repeat(64_000)).with_max(usize::MAX);
        t.home();
        t.right();
        NORMALIZED.with(|n| n.set(0));
        for _ in 0..1000 {
            t.type_char('y', InputMethod::Off);
        }
        assert!(NORMALIZED.with(|n| n.get()) <= 1000 * 8);
    }

    /// One editing step for the property test.
    #[derive(Debug, Clone)]
    enum Step {
        Type(char),
        Paste(&'static str),
        Left,
        Right,
        Home,
        Backspace,
    }

    fn step() -> impl proptest::strategy::Strategy<Value = Step> {
        use proptest::prelude::*;
        prop_oneof![
            proptest::sample::select(vec!['a', 'e', 'o', 'u', 'd', 's', 'w', 'x', ' ', 'ê'])
                .prop_map(Step::Type),
            proptest::sample::select(vec![
                "\u{0302}",
                "\u{0301}",
                "\u{0323}\u{0302}",
                "e\u{0302}",
                "Nguye\u{0302}\u{0303}n",
                "👍🏽",
                "\n",
                "\u{1100}\u{1161}",
                "\u{11A8}",
            ])
            .prop_map(Step::Paste),
            Just(Step::Left),
            Just(Step::Right),
            Just(Step::Home),
            Just(Step::Backspace),
        ]
    }

    proptest::proptest! {
        /// Normalising only around each insertion keeps the whole text NFC, with the cursor
        /// on a character boundary, whatever is typed or pasted wherever the cursor is.
        #[test]
        fn local_normalisation_keeps_the_whole_text_nfc(
            steps in proptest::collection::vec(step(), 0..60),
            telex in proptest::bool::ANY,
        ) {
            let method = if telex { InputMethod::Telex } else { InputMethod::Off };
            let mut t = TextInput::new("").with_max(usize::MAX);
            for s in steps {
                match s {
                    Step::Type(c) => t.type_char(c, method),
                    Step::Paste(p) => t.paste(p),
                    Step::Left => t.left(),
                    Step::Right => t.right(),
                    Step::Home => t.home(),
                    Step::Backspace => t.backspace(),
                }
                let nfc: String = t.text.nfc().collect();
                proptest::prop_assert_eq!(&t.text, &nfc);
                proptest::prop_assert!(t.text.is_char_boundary(t.cursor));
            }
        }
    }
}
