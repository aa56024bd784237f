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

/// NFC, with tabs and line breaks turned into single spaces and every other unsafe character
/// (including a whole ESC sequence's introducer) removed; leading/trailing space trimmed.
pub fn clean(s: &str) -> String {
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
        assert_eq!(clean("\u{1b}[31mRED\u{7}"), "[31mRED");
        assert_eq!(clean("a\tb\r\nc"), "a b c");
        assert_eq!(clean("\u{202E}evil\u{202C}"), "evil");
        assert_eq!(clean("x\u{85}y\u{9b}z"), "xyz");
        assert_eq!(clean("Phòng 🙂 Nội vụ"), "Phòng 🙂 Nội vụ");
        assert_eq!(clean_multiline("dòng 1\n\u{1b}dòng 2"), "dòng 1\ndòng 2");
    }
}
