//! Raw bytes from an SSH channel → the console's own key events (`app::key`) and pastes.
//! crossterm can only read its own tty, so a remote terminal's bytes are decoded here: xterm,
//! VT220/PuTTY and Linux-console sequences, Ctrl and Alt keys, UTF-8 split across packets, and
//! bracketed paste.
//!
//! The decoder keeps any incomplete sequence until more bytes arrive, so splitting the input at
//! any byte boundary yields the same events. An ESC that is not followed by more bytes is
//! ambiguous (the Esc key, or the start of a sequence still in flight): the caller starts a
//! short timer while [`Decoder::waiting_on_escape`] is true and calls [`Decoder::timeout`]
//! when it fires, which takes the lone ESC as the Esc key. The decoder never reads the clock.

use crate::app::key::{KeyCode, KeyEvent, KeyModifiers};

/// How long a lone ESC waits for the rest of a sequence before it counts as the Esc key.
pub(crate) const ESC_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(50);

/// The longest escape sequence kept while waiting for its end; longer ones are dropped.
const MAX_SEQUENCE: usize = 64;

/// The most bytes one bracketed paste may carry; the rest is dropped.
pub(crate) const MAX_PASTE: usize = 1 << 20;

const PASTE_END: &[u8] = b"\x1b[201~";

/// One decoded input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    /// Text pasted with bracketed paste, newlines normalised to `\n`.
    Paste(String),
}

/// Incremental decoder for one channel.
#[derive(Debug, Default)]
pub struct Decoder {
    /// Bytes of an incomplete sequence or character.
    pending: Vec<u8>,
    /// Inside a bracketed paste: the bytes received so far (end marker excluded).
    paste: Option<Vec<u8>>,
    /// The previous byte was a CR, so a following LF belongs to the same Enter.
    after_cr: bool,
}

enum Step {
    /// An event (or nothing) and the number of bytes used.
    Done(Option<Input>, usize),
    /// The bytes so far may be the start of a longer sequence.
    NeedMore,
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes `bytes` after whatever was pending, returning every complete input.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Input> {
        let mut out = Vec::new();
        self.pending.extend_from_slice(bytes);
        self.run(&mut out, false);
        out
    }

    /// True when the pending bytes start with an ESC that may still be a sequence: the caller
    /// should call [`Decoder::timeout`] if nothing arrives within [`ESC_TIMEOUT`].
    pub(crate) fn waiting_on_escape(&self) -> bool {
        self.paste.is_none() && self.pending.first() == Some(&0x1b)
    }

    /// The ESC timer fired: the pending ESC is the Esc key (or Alt/incomplete sequences are
    /// resolved as far as they go), and what follows it is decoded on its own.
    pub fn timeout(&mut self) -> Vec<Input> {
        let mut out = Vec::new();
        self.run(&mut out, true);
        out
    }

    fn run(&mut self, out: &mut Vec<Input>, flush: bool) {
        let pending = std::mem::take(&mut self.pending);
        let mut pos = 0;
        loop {
            if self.paste.is_some() {
                pos += self.take_paste(pending.get(pos..).unwrap_or_default(), out);
                if self.paste.is_some() {
                    break;
                }
                continue;
            }
            let Some(rest) = pending.get(pos..) else {
                break;
            };
            if rest.is_empty() {
                break;
            }
            let after_cr = self.after_cr;
            match self.step(rest) {
                Step::Done(input, used) => {
                    pos += used;
                    if let Some(i) = input {
                        out.push(i);
                    }
                }
                Step::NeedMore if flush => {
                    self.after_cr = false;
                    let (input, used) = self.resolve_incomplete(rest);
                    pos += used;
                    if let Some(i) = input {
                        out.push(i);
                    }
                }
                Step::NeedMore => {
                    self.after_cr = after_cr;
                    if rest.len() > MAX_SEQUENCE {
                        // Garbage that never ends: drop its first byte and go on.
                        pos += 1;
                        continue;
                    }
                    break;
                }
            }
        }
        self.pending = pending.get(pos..).unwrap_or_default().to_vec();
    }

    /// Moves paste bytes from `rest` into the paste buffer until the end marker; returns how
    /// many bytes were used. A possible partial end marker at the end of the input stays
    /// pending.
    fn take_paste(&mut self, rest: &[u8], out: &mut Vec<Input>) -> usize {
        let Some(buf) = self.paste.as_mut() else {
            return 0;
        };
        if let Some(end) = find(rest, PASTE_END) {
            append_capped(buf, &rest[..end]);
            let text = paste_text(buf);
            self.paste = None;
            out.push(Input::Paste(text));
            return end + PASTE_END.len();
        }
        // Keep back the longest suffix that could begin the end marker.
        let keep = (1..PASTE_END.len())
            .rev()
            .find(|&k| k <= rest.len() && rest.ends_with(&PASTE_END[..k]))
            .unwrap_or(0);
        let used = rest.len() - keep;
        append_capped(buf, &rest[..used]);
        used
    }

    fn step(&mut self, b: &[u8]) -> Step {
        let first = b[0];
        let after_cr = std::mem::replace(&mut self.after_cr, first == b'\r');
        match first {
            0x1b => self.escape(b),
            b'\r' => Step::Done(Some(key(KeyCode::Enter)), 1),
            b'\n' if after_cr => Step::Done(None, 1),
            b'\n' => Step::Done(Some(key(KeyCode::Enter)), 1),
            b'\t' => Step::Done(Some(key(KeyCode::Tab)), 1),
            0x7f | 0x08 => Step::Done(Some(key(KeyCode::Backspace)), 1),
            0x00 => Step::Done(Some(ctrl(' ')), 1),
            c @ 0x01..=0x1a => Step::Done(Some(ctrl(char::from(c - 1 + b'a'))), 1),
            c @ 0x1c..=0x1f => Step::Done(Some(ctrl(char::from(c - 0x1c + b'4'))), 1),
            _ => match utf8_char(b) {
                Utf8::Char(c, used) => Step::Done(Some(Input::Key(char_key(c))), used),
                Utf8::Incomplete => Step::NeedMore,
                Utf8::Invalid => Step::Done(None, 1),
            },
        }
    }

    fn escape(&mut self, b: &[u8]) -> Step {
        let Some(&second) = b.get(1) else {
            return Step::NeedMore;
        };
        match second {
            b'[' => self.csi(b),
            b'O' => match b.get(2) {
                None => Step::NeedMore,
                Some(&c) => Step::Done(ss3(c).map(Input::Key), 3),
            },
            0x1b => Step::Done(Some(key(KeyCode::Esc)), 1),
            _ => {
                // ESC + a key: that key with Alt.
                match self.step(&b[1..]) {
                    Step::Done(Some(Input::Key(mut k)), used) => {
                        k.modifiers |= KeyModifiers::ALT;
                        Step::Done(Some(Input::Key(k)), used + 1)
                    }
                    Step::Done(other, used) => Step::Done(other, used + 1),
                    Step::NeedMore => Step::NeedMore,
                }
            }
        }
    }

    fn csi(&mut self, b: &[u8]) -> Step {
        // Linux console F1–F5: ESC [ [ A..E
        if b.get(2) == Some(&b'[') {
            return match b.get(3) {
                None => Step::NeedMore,
                Some(&c @ b'A'..=b'E') => Step::Done(Some(key(KeyCode::F(c - b'A' + 1))), 4),
                Some(_) => Step::Done(None, 4),
            };
        }
        let mut end = None;
        for (i, &c) in b.iter().enumerate().take(MAX_SEQUENCE).skip(2) {
            match c {
                // parameter and intermediate bytes
                0x20..=0x3f => {}
                0x40..=0x7e => {
                    end = Some(i);
                    break;
                }
                // Not a CSI byte: drop the broken sequence, keep the byte.
                _ => return Step::Done(None, i),
            }
        }
        let Some(end) = end else {
            // No final byte within MAX_SEQUENCE bytes: not a sequence a terminal sends. Drop
            // the ESC and decode the rest as typed, deciding from these bytes alone, so the
            // outcome never depends on where the packets were split.
            if b.len() >= MAX_SEQUENCE {
                return Step::Done(None, 1);
            }
            return Step::NeedMore;
        };
        let params = &b[2..end];
        let final_byte = b[end];
        let used = end + 1;
        if final_byte == b'~' && params == b"200" {
            self.paste = Some(Vec::new());
            return Step::Done(None, used);
        }
        if final_byte == b'~' && params == b"201" {
            return Step::Done(None, used);
        }
        Step::Done(csi_key(params, final_byte).map(Input::Key), used)
    }

    /// Resolves an incomplete sequence when the ESC timer fires.
    fn resolve_incomplete(&mut self, b: &[u8]) -> (Option<Input>, usize) {
        if b.first() == Some(&0x1b) {
            // The ESC alone is the Esc key; the bytes after it are decoded on their own.
            return (Some(key(KeyCode::Esc)), 1);
        }
        // An incomplete UTF-8 character that will never be completed.
        (None, 1)
    }
}

fn key(code: KeyCode) -> Input {
    Input::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Input {
    Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// A typed character, with Shift for upper case as crossterm reports it on a local tty.
fn char_key(c: char) -> KeyEvent {
    let modifiers = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), modifiers)
}

fn ss3(c: u8) -> Option<KeyEvent> {
    let code = match c {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'M' => KeyCode::Enter,
        b'P'..=b'S' => KeyCode::F(c - b'P' + 1),
        _ => return None,
    };
    Some(KeyEvent::new(code, KeyModifiers::NONE))
}

/// xterm modifier parameter: 1 + (1 Shift | 2 Alt | 4 Ctrl).
fn modifiers(param: Option<u16>) -> KeyModifiers {
    let bits = param.unwrap_or(1).saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

fn csi_key(params: &[u8], final_byte: u8) -> Option<KeyEvent> {
    let text = std::str::from_utf8(params).ok()?;
    if text.starts_with(['<', '?', '>', '=']) {
        return None; // mouse reports and terminal replies: not keys
    }
    let mut nums = text.split(';').map(|p| p.parse::<u16>().ok());
    let first = nums.next().flatten();
    let mods = modifiers(nums.next().flatten());
    let code = match final_byte {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'Z' => return Some(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT | mods)),
        b'P'..=b'S' => KeyCode::F(final_byte - b'P' + 1),
        b'~' => match first? {
            1 | 7 => KeyCode::Home,
            2 => KeyCode::Insert,
            3 => KeyCode::Delete,
            4 | 8 => KeyCode::End,
            5 => KeyCode::PageUp,
            6 => KeyCode::PageDown,
            n @ 11..=15 => KeyCode::F((n - 10) as u8),
            n @ 17..=21 => KeyCode::F((n - 11) as u8),
            n @ 23..=24 => KeyCode::F((n - 12) as u8),
            _ => return None,
        },
        _ => return None,
    };
    Some(KeyEvent::new(code, mods))
}

enum Utf8 {
    Char(char, usize),
    Incomplete,
    Invalid,
}

fn utf8_char(b: &[u8]) -> Utf8 {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Utf8::Invalid,
    };
    let avail = b.len().min(len);
    // Every byte we have must be a continuation byte.
    if b[1..avail].iter().any(|&c| c & 0xc0 != 0x80) {
        return Utf8::Invalid;
    }
    if avail < len {
        // Check that what we have can still begin a valid character.
        return match std::str::from_utf8(&b[..avail]) {
            Err(e) if e.error_len().is_none() => Utf8::Incomplete,
            _ => Utf8::Invalid,
        };
    }
    match std::str::from_utf8(&b[..len]) {
        Ok(s) => s
            .chars()
            .next()
            .map_or(Utf8::Invalid, |c| Utf8::Char(c, len)),
        Err(_) => Utf8::Invalid,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn append_capped(buf: &mut Vec<u8>, bytes: &[u8]) {
    let room = MAX_PASTE.saturating_sub(buf.len());
    buf.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

/// Pasted bytes as text: invalid UTF-8 replaced, CR LF and CR turned into LF.
fn paste_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .replace("\r\n", "\n")
        .replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn k(code: KeyCode) -> Input {
        Input::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }
    fn km(code: KeyCode, m: KeyModifiers) -> Input {
        Input::Key(KeyEvent::new(code, m))
    }
    fn ch(c: char) -> Input {
        Input::Key(char_key(c))
    }

    /// Decodes `bytes` in one piece, then takes any ESC still pending as a timeout.
    fn decode(bytes: &[u8]) -> Vec<Input> {
        let mut d = Decoder::new();
        let mut out = d.feed(bytes);
        out.extend(d.timeout());
        out
    }

    /// Every split of `bytes` into two packets gives the same events as one packet, and so
    /// does feeding one byte at a time.
    fn assert_split_invariant(bytes: &[u8]) {
        let whole = decode(bytes);
        for cut in 0..=bytes.len() {
            let mut d = Decoder::new();
            let mut out = d.feed(&bytes[..cut]);
            out.extend(d.feed(&bytes[cut..]));
            out.extend(d.timeout());
            assert_eq!(out, whole, "split at {cut} of {bytes:?}");
        }
        let mut d = Decoder::new();
        let mut out = Vec::new();
        for b in bytes {
            out.extend(d.feed(std::slice::from_ref(b)));
        }
        out.extend(d.timeout());
        assert_eq!(out, whole, "byte by byte: {bytes:?}");
    }

    fn cases() -> Vec<(&'static [u8], Vec<Input>)> {
        use KeyCode::*;
        let shift = KeyModifiers::SHIFT;
        let ctrl_m = KeyModifiers::CONTROL;
        let alt = KeyModifiers::ALT;
        vec![
            (b"\x1b[A", vec![k(Up)]),
            (b"\x1b[B", vec![k(Down)]),
            (b"\x1b[C", vec![k(Right)]),
            (b"\x1b[D", vec![k(Left)]),
            (b"\x1bOA", vec![k(Up)]),
            (b"\x1bOD", vec![k(Left)]),
            (b"\x1b[1;5C", vec![km(Right, ctrl_m)]),
            (b"\x1b[1;2A", vec![km(Up, shift)]),
            (b"\x1b[1~", vec![k(Home)]),
            (b"\x1b[4~", vec![k(End)]),
            (b"\x1b[7~", vec![k(Home)]),
            (b"\x1b[8~", vec![k(End)]),
            (b"\x1b[H", vec![k(Home)]),
            (b"\x1b[F", vec![k(End)]),
            (b"\x1bOH", vec![k(Home)]),
            (b"\x1bOF", vec![k(End)]),
            (b"\x1b[5~", vec![k(PageUp)]),
            (b"\x1b[6~", vec![k(PageDown)]),
            (b"\x1b[3~", vec![k(Delete)]),
            (b"\x1b[2~", vec![k(Insert)]),
            (b"\t", vec![k(Tab)]),
            (b"\x1b[Z", vec![km(BackTab, shift)]),
            (b"\x7f", vec![k(Backspace)]),
            (b"\x08", vec![k(Backspace)]),
            (b"\r", vec![k(Enter)]),
            (b"\r\n", vec![k(Enter)]),
            (b"\n", vec![k(Enter)]),
            (b"\r\r\n", vec![k(Enter), k(Enter)]),
            (b"\x1bOM", vec![k(Enter)]),
            (b"\x01", vec![km(Char('a'), ctrl_m)]),
            (b"\x03", vec![km(Char('c'), ctrl_m)]),
            (b"\x1a", vec![km(Char('z'), ctrl_m)]),
            (b"\x00", vec![km(Char(' '), ctrl_m)]),
            (b"\x1f", vec![km(Char('7'), ctrl_m)]),
            (b"\x1b", vec![k(Esc)]),
            (b"\x1b\x1b", vec![k(Esc), k(Esc)]),
            (b"\x1bx", vec![km(Char('x'), alt)]),
            (b"\x1b\x7f", vec![km(Backspace, alt)]),
            (b"\x1bOP", vec![k(F(1))]),
            (b"\x1b[15~", vec![k(F(5))]),
            (b"\x1b[24~", vec![k(F(12))]),
            (b"\x1b[[A", vec![k(F(1))]),
            (b"jk", vec![ch('j'), ch('k')]),
            (b"L", vec![km(Char('L'), shift)]),
            ("Đạt".as_bytes(), vec![ch('Đ'), ch('ạ'), ch('t')]),
            ("€😀".as_bytes(), vec![ch('€'), ch('😀')]),
            (
                b"\x1b[200~hello\r\nworld\x1b[201~",
                vec![Input::Paste("hello\nworld".into())],
            ),
            (
                "\x1b[200~Sở Nội vụ\x1b[A\x1b[201~x".as_bytes(),
                vec![Input::Paste("Sở Nội vụ\x1b[A".into()), ch('x')],
            ),
            (b"\x1b[200~\x1b[201~", vec![Input::Paste(String::new())]),
            (b"\x1b[I\x1b[O", vec![]),
            (b"\x1b[<0;3;4M", vec![]),
            (b"\x1b[A\x1b[B\x1b", vec![k(Up), k(Down), k(Esc)]),
            (b"\xff", vec![]),
            (b"\xe1\xba", vec![]),
        ]
    }

    #[test]
    fn every_case_decodes_as_expected() {
        for (bytes, expected) in cases() {
            assert_eq!(decode(bytes), expected, "{bytes:?}");
        }
    }

    #[test]
    fn every_case_decodes_the_same_at_every_split() {
        for (bytes, _) in cases() {
            assert_split_invariant(bytes);
        }
        let mut all = Vec::new();
        for (bytes, _) in cases() {
            if bytes != b"\x1b" && bytes != b"\x1b\x1b" && !bytes.ends_with(b"\x1b") {
                all.extend_from_slice(bytes);
            }
        }
        assert_split_invariant(&all);
    }

    #[test]
    fn an_overlong_sequence_decodes_the_same_at_every_split() {
        // Found by fuzzing: a CSI longer than MAX_SEQUENCE used to be read as one key when
        // it came in one packet, and as typed characters when split.
        let mut bytes = b"A\x1b[".to_vec();
        bytes.extend(std::iter::repeat_n(b'2', 100));
        bytes.extend_from_slice(b"0120A");
        assert_split_invariant(&bytes);
        let keys = decode(&bytes);
        assert!(!keys.contains(&key(KeyCode::Up)), "{keys:?}");
    }

    #[test]
    fn a_lone_escape_waits_for_the_timer() {
        let mut d = Decoder::new();
        assert_eq!(d.feed(b"\x1b"), vec![]);
        assert!(d.waiting_on_escape());
        assert_eq!(d.feed(b"[A"), vec![k(KeyCode::Up)]);
        assert!(!d.waiting_on_escape());
        assert_eq!(d.feed(b"\x1b"), vec![]);
        assert_eq!(d.timeout(), vec![k(KeyCode::Esc)]);
        assert!(!d.waiting_on_escape());
        assert_eq!(d.feed(b"j"), vec![ch('j')]);
    }

    #[test]
    fn an_incomplete_sequence_at_the_timer_is_esc_then_its_bytes() {
        let mut d = Decoder::new();
        assert_eq!(d.feed(b"\x1b["), vec![]);
        assert_eq!(
            d.timeout(),
            vec![k(KeyCode::Esc), ch('[')],
            "Esc then the bracket typed after it"
        );
    }

    #[test]
    fn utf8_split_across_packets_is_one_character() {
        let bytes = "ệ".as_bytes();
        let mut d = Decoder::new();
        assert_eq!(d.feed(&bytes[..1]), vec![]);
        assert_eq!(d.feed(&bytes[1..2]), vec![]);
        assert_eq!(d.feed(&bytes[2..]), vec![ch('ệ')]);
    }

    #[test]
    fn paste_end_marker_split_across_packets_is_found() {
        let mut d = Decoder::new();
        assert_eq!(d.feed(b"\x1b[200~abc\x1b[20"), vec![]);
        assert!(!d.waiting_on_escape(), "inside a paste no timer is needed");
        assert_eq!(d.feed(b"1~"), vec![Input::Paste("abc".into())]);
    }

    #[test]
    fn a_paste_is_capped() {
        let mut d = Decoder::new();
        let mut bytes = b"\x1b[200~".to_vec();
        bytes.extend(std::iter::repeat_n(b'a', MAX_PASTE + 10));
        d.feed(&bytes);
        let out = d.feed(PASTE_END);
        match out.as_slice() {
            [Input::Paste(p)] => assert_eq!(p.len(), MAX_PASTE),
            other => panic!("expected one paste, got {} events", other.len()),
        }
    }

    #[test]
    fn endless_garbage_after_csi_is_bounded() {
        let mut d = Decoder::new();
        let mut bytes = b"\x1b[".to_vec();
        bytes.extend(std::iter::repeat_n(b'1', 1000));
        d.feed(&bytes);
        assert!(d.pending.len() <= MAX_SEQUENCE + 1);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..24), 0..12)) {
            let mut d = Decoder::new();
            for c in &chunks {
                let _ = d.feed(c);
                if d.waiting_on_escape() {
                    let _ = d.timeout();
                }
            }
            let _ = d.timeout();
        }

        #[test]
        fn arbitrary_bytes_decode_the_same_when_split(bytes in proptest::collection::vec(any::<u8>(), 0..40), cut in 0usize..40) {
            let cut = cut.min(bytes.len());
            let whole = decode(&bytes);
            let mut d = Decoder::new();
            let mut out = d.feed(&bytes[..cut]);
            out.extend(d.feed(&bytes[cut..]));
            out.extend(d.timeout());
            prop_assert_eq!(out, whole);
        }
    }
}
