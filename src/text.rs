//! Text hygiene and Vietnamese folding. Everything a user or a file gives us passes through
//! `clean` before it is stored, so stored text is NFC and holds no control characters; search
//! compares `fold`ed forms so "so noi vu" finds "Sở Nội vụ" and "d" matches "đ".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Whether a character must never reach storage or a terminal: C0/C1 controls, DEL, and the
/// bidirectional embedding/override/isolate controls that can reorder what a screen shows.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Removes whole terminal escape sequences, not only their ESC: CSI (`ESC [` … final byte,
/// or C1 `U+009B`), OSC, DCS, SOS, PM and APC strings (up to BEL or `ESC \\`, or the end), and
/// two-character escapes. A name that carried `ESC[31m` keeps none of it.
pub fn strip_escapes(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\u{1b}', '\u{9b}', '\u{9d}', '\u{90}']) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let kind = match c {
            '\u{1b}' => match chars.peek() {
                Some('[') => {
                    chars.next();
                    'C'
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    'S'
                }
                // A two-character escape (ESC c, ESC 7 …); a lone ESC before anything else
                // is dropped alone.
                Some(d) if ('\u{20}'..='\u{7e}').contains(d) => {
                    chars.next();
                    continue;
                }
                _ => continue,
            },
            '\u{9b}' => 'C',
            '\u{9d}' | '\u{90}' => 'S',
            _ => {
                out.push(c);
                continue;
            }
        };
        if kind == 'C' {
            // Parameters and intermediates, then one final byte.
            for d in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&d) || !('\u{20}'..='\u{3f}').contains(&d) {
                    break;
                }
            }
        } else {
            // A string, ended by BEL or ST (ESC \\ or U+009C).
            while let Some(d) = chars.next() {
                if d == '\u{7}' || d == '\u{9c}' {
                    break;
                }
                if d == '\u{1b}' && chars.peek() == Some(&'\\') {
                    chars.next();
                    break;
                }
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// NFC, with whole escape sequences removed (`strip_escapes`), tabs and line breaks turned
/// into single spaces and every other unsafe character removed; leading/trailing space trimmed.
pub fn clean(s: &str) -> String {
    let s = strip_escapes(s);
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.nfc() {
        if matches!(c, '\t' | '\n' | '\r') || (c.is_whitespace() && !c.is_control()) {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else if !is_unsafe_char(c) {
            out.push(c);
            last_space = false;
        }
    }
    out.trim().to_string()
}

/// Like `clean` but keeps line breaks, for multi-line notes.
pub fn clean_multiline(s: &str) -> String {
    s.split('\n')
        .map(clean)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// A search key: lower case, diacritics removed, đ/Đ as d, runs of space collapsed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            _ => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        out.extend(c.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether every word of a folded query appears, in order, in the folded haystack.
pub fn matches_folded(haystack_folded: &str, query_folded: &str) -> bool {
    let mut rest = haystack_folded;
    for word in query_folded.split(' ').filter(|w| !w.is_empty()) {
        match rest.find(word) {
            Some(i) => rest = &rest[i + word.len()..],
            None => return false,
        }
    }
    true
}

/// A sort key that orders Vietnamese names sensibly without a full collator: the folded form
/// first, the exact NFC form as a tie-break.
pub fn collation_key(s: &str) -> (String, String) {
    (fold(s), s.nfc().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_diacritics_and_d_stroke() {
        assert_eq!(fold("Sở Nội vụ"), "so noi vu");
        assert_eq!(fold("Đặng Thị Ngọc Ánh"), "dang thi ngoc anh");
        assert_eq!(fold("  UBND   phường Mỹ Bình "), "ubnd phuong my binh");
        assert!(matches_folded(&fold("Sở Nội vụ"), &fold("so noi vu")));
        assert!(matches_folded(
            &fold("UBND thành phố Long Xuyên"),
            "long xuyen"
        ));
        assert!(matches_folded(&fold("Đặng Văn A"), "dang"));
        assert!(!matches_folded(&fold("Sở Tư pháp"), "noi vu"));
    }

    #[test]
    fn decomposed_input_folds_like_precomposed() {
        let decomposed: String = "Sở Nội vụ".nfd().collect();
        assert_eq!(fold(&decomposed), "so noi vu");
        assert_eq!(clean(&decomposed), "Sở Nội vụ");
    }

    #[test]
    fn clean_strips_controls_and_escapes() {
        assert_eq!(clean("\u{1b}[31mRED\u{7}"), "RED");
        assert_eq!(clean("Sở \u{1b}[31mĐỏ\u{1b}[0m Nội vụ"), "Sở Đỏ Nội vụ");
        assert_eq!(clean("a\u{1b}]0;pwned\u{7}b"), "ab");
        assert_eq!(clean("a\u{1b}]0;pwned\u{1b}\\b"), "ab");
        assert_eq!(clean("x\u{1b}[2J\u{1b}[Hy"), "xy");
        assert_eq!(clean("x\u{9b}31my"), "xy");
        assert_eq!(clean("tail\u{1b}["), "tail");
        assert_eq!(clean("open osc\u{1b}]0;never ends"), "open osc");
        assert_eq!(clean("esc c\u{1b}cz"), "esc cz");
        assert_eq!(clean("a\tb\r\nc"), "a b c");
        assert_eq!(clean("\u{202E}evil\u{202C}"), "evil");
        assert_eq!(clean("x\u{85}y\u{9b}z"), "xy", "C1 CSI eats its final byte");
        assert_eq!(clean("Phòng 🙂 Nội vụ"), "Phòng 🙂 Nội vụ");
        assert_eq!(clean_multiline("dòng 1\n\u{1b}[1mdòng 2"), "dòng 1\ndòng 2");
        assert_eq!(
            clean("\u{1b}đ"),
            "đ",
            "a lone ESC before a letter goes alone"
        );
    }
}
