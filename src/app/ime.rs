//! A small Vietnamese input method for plain-ASCII keyboards: Telex (aa→â, aw→ă, ee→ê, oo→ô,
//! ow→ơ, uw→ư, dd→đ; tones s f r x j, z removes) and VNI (1–5 tones, 6 circumflex, 7 horn,
//! 8 breve, 9 đ, 0 removes). Each key is applied to the word before the cursor and either
//! rewrites it or is typed as itself. Typing the same mark twice undoes it and types the key
//! ("ass" → "as"), as common input methods do.
//!
//! The keys act only on Vietnamese syllables: a word that is not one (by its onset, its vowel
//! group and its final consonant) is left as typed ("website", "ISO"), and a mark key that
//! would make one out of the word is typed as itself. A word that stops being a syllable as
//! letters are added is given back as its keys ("ÍO" → "ISO"). In Telex a `w` with no vowel
//! before it is "ư" ("nhw" → "như"), and `ww` gives "w"; `dd` also makes "Đ" in an
//! abbreviation without a vowel ("QĐ").
//!
//! Tone placement follows the modern convention ("kiểu mới"): the tone goes on the vowel that
//! carries a shape mark (ê, ơ, â, ô, ă, ư — for "ươ" on ơ); otherwise on the last vowel when a
//! final consonant follows, on the middle one of three, and for the pairs oa, oe, uy on the
//! second ("hoà", "thuý"), for other pairs on the first ("mái", "múa"). "qu" and "gi" count as
//! onsets. Only precomposed (NFC) letters are produced.

/// The most letters of a Vietnamese syllable ("nghiêng", "khuỷu" have seven and six): the
/// input method leaves a longer run of letters alone, and never looks further back.
pub const MAX_SYLLABLE: usize = 7;

/// Which input method the note editor applies to typed ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputMethod {
    /// Keys are typed as they are.
    #[default]
    Off,
    /// Telex.
    Telex,
    /// VNI.
    Vni,
}

impl InputMethod {
    /// The next method in the cycle Off → Telex → VNI → Off.
    pub fn next(self) -> Self {
        match self {
            Self::Off => Self::Telex,
            Self::Telex => Self::Vni,
            Self::Vni => Self::Off,
        }
    }
}

/// Vowels by shape (rows) and tone (columns: none, sắc, huyền, hỏi, ngã, nặng).
const VOWELS: [[char; 6]; 12] = [
    ['a', 'á', 'à', 'ả', 'ã', 'ạ'],
    ['ă', 'ắ', 'ằ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ấ', 'ầ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'é', 'è', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ế', 'ề', 'ể', 'ễ', 'ệ'],
    ['i', 'í', 'ì', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ó', 'ò', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ố', 'ồ', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ớ', 'ờ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ú', 'ù', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ứ', 'ừ', 'ử', 'ữ', 'ự'],
    ['y', 'ý', 'ỳ', 'ỷ', 'ỹ', 'ỵ'],
];

/// A vowel taken apart: its shape, its tone (0 = none) and its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Vowel {
    shape: char,
    tone: usize,
    upper: bool,
}

fn split(c: char) -> Option<Vowel> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let upper = lower != c;
    VOWELS.iter().find_map(|row| {
        row.iter().position(|&v| v == lower).map(|tone| Vowel {
            shape: row[0],
            tone,
            upper,
        })
    })
}

fn join(v: Vowel) -> char {
    let c = VOWELS
        .iter()
        .find(|row| row[0] == v.shape)
        .map_or(v.shape, |row| row[v.tone.min(5)]);
    if v.upper {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c
    }
}

fn is_vowel(c: char) -> bool {
    split(c).is_some()
}

/// The onsets a Vietnamese syllable may start with (besides none).
const ONSETS: &[&str] = &[
    "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
    "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];
/// The vowel groups, with their shapes (tones aside).
const NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê", "iêu", "oai", "oao", "oay", "oeo", "uây",
    "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
];
/// The final consonants.
const FINALS: &[&str] = &["c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// A letter of a word in progress matches a letter of a pattern if it is that letter, or the
/// plain vowel that a shape key can still turn into it (a → ă, â; e → ê; o → ô, ơ; u → ư).
fn may_become(typed: char, pattern: char) -> bool {
    typed == pattern
        || matches!(
            (typed, pattern),
            ('a', 'ă' | 'â') | ('e', 'ê') | ('o', 'ô' | 'ơ') | ('u', 'ư')
        )
}

/// The plain letter under a shaped vowel.
fn base(shape: char) -> char {
    match shape {
        'ă' | 'â' => 'a',
        'ê' => 'e',
        'ô' | 'ơ' => 'o',
        'ư' => 'u',
        other => other,
    }
}

/// Whether `part` can begin one of `set` (letters compared as `may_become`).
fn begins_one_of(part: &[char], set: &[&str]) -> bool {
    set.iter().any(|p| {
        let mut p = p.chars();
        part.iter()
            .all(|t| p.next().is_some_and(|p| may_become(*t, p)))
    })
}

/// Whether `part` is one of `set` (letters compared as `may_become`).
fn one_of(part: &[char], set: &[&str]) -> bool {
    set.iter().any(|p| {
        let mut p = p.chars();
        part.iter()
            .all(|t| p.next().is_some_and(|p| may_become(*t, p)))
            && p.next().is_none()
    })
}

/// Whether `word` can be the start of a Vietnamese syllable as it is being typed: an onset,
/// then a vowel group, then a final consonant, each whole or begun.
pub fn is_syllable_start(word: &str) -> bool {
    // Letters without tone, in lower case.
    let letters: Vec<char> = word
        .chars()
        .map(|c| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            split(lower).map_or(lower, |v| v.shape)
        })
        .collect();
    if letters.iter().any(|c| !c.is_alphabetic()) {
        return false;
    }
    let Some(first_vowel) = letters.iter().position(|c| is_vowel(*c)) else {
        return begins_one_of(&letters, ONSETS);
    };
    let mut start = first_vowel;
    let onset = &letters[..start];
    // "qu" and "gi" before another vowel: the u and the i belong to the onset.
    if (onset == ['q'] && letters[start] == 'u' || onset == ['g'] && letters[start] == 'i')
        && letters.get(start + 1).is_some_and(|c| is_vowel(*c))
    {
        start += 1;
    }
    let onset = &letters[..start];
    if !onset.is_empty() && !one_of(onset, ONSETS) && onset != ['q'] {
        return false;
    }
    let end = (start..letters.len())
        .find(|&i| !is_vowel(letters[i]))
        .unwrap_or(letters.len());
    let (nucleus, coda) = (&letters[start..end], &letters[end..]);
    if onset == ['q'] && nucleus.first() != Some(&'u') {
        return false;
    }
    (begins_one_of(nucleus, NUCLEI) && coda.is_empty())
        || (one_of(nucleus, NUCLEI) && begins_one_of(coda, FINALS))
}

/// The keys that type `word` with `method`, marks last: what is given back when the word
/// stops being a syllable ("Í" → "IS").
fn keys_of(method: InputMethod, word: &str) -> String {
    let upper = word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase);
    let mut keys = String::new();
    let mut tone = 0;
    for c in word.chars() {
        let is_upper = c.is_uppercase();
        let case = |k: &str| {
            if is_upper {
                k.to_uppercase()
            } else {
                k.to_string()
            }
        };
        let Some(v) = split(c) else {
            keys.push_str(&match (c, method) {
                ('đ' | 'Đ', InputMethod::Vni) => case("d9"),
                ('đ' | 'Đ', _) => case("dd"),
                _ => c.to_string(),
            });
            continue;
        };
        tone = tone.max(v.tone);
        let spelled = match (v.shape, method) {
            // A lone w types ư, and is what a word like "Windows" began with.
            ('ư', InputMethod::Telex) => "w",
            ('ơ', InputMethod::Telex) => "ow",
            ('ă', InputMethod::Telex) => "aw",
            ('â', InputMethod::Telex) => "aa",
            ('ê', InputMethod::Telex) => "ee",
            ('ô', InputMethod::Telex) => "oo",
            ('ư', _) => "u7",
            ('ơ', _) => "o7",
            ('ă', _) => "a8",
            ('â', _) => "a6",
            ('ê', _) => "e6",
            ('ô', _) => "o6",
            (other, _) => {
                keys.push(if is_upper {
                    other.to_uppercase().next().unwrap_or(other)
                } else {
                    other
                });
                continue;
            }
        };
        keys.push_str(&case(spelled));
    }
    if tone != 0 {
        let key = match method {
            InputMethod::Telex => ['s', 'f', 'r', 'x', 'j'][tone - 1],
            _ => char::from(b'0' + tone as u8),
        };
        keys.push(if upper { key.to_ascii_uppercase() } else { key });
    }
    keys
}

/// Whether `word` carries a mark (a tone, a shape or đ).
fn marked(word: &str) -> bool {
    word.chars().any(|c| {
        matches!(c, 'đ' | 'Đ') || split(c).is_some_and(|v| v.tone != 0 || base(v.shape) != v.shape)
    })
}

/// Types one key after `word` (the letters before the cursor) by the rules in the module
/// comment; `keys` are the keys that typed `word`, when known (a word given back is given back
/// as those keys, else as `keys_of` spells it). Returns the new word when the key rewrote it,
/// or `None` when the key is simply typed after it.
pub fn type_key(method: InputMethod, word: &str, keys: Option<&str>, key: char) -> Option<String> {
    if method == InputMethod::Off {
        return None;
    }
    if !is_syllable_start(word) {
        // Not Vietnamese: `dd` still makes Đ in an abbreviation without a vowel ("QĐ").
        let abbreviation = !word.chars().any(is_vowel) && word.chars().all(char::is_alphabetic);
        let stroke_key = matches!(
            (method, key.to_ascii_lowercase()),
            (InputMethod::Telex, 'd') | (InputMethod::Vni, '9')
        );
        return (abbreviation && stroke_key)
            .then(|| apply(method, word, key))
            .flatten();
    }
    let mut typed = word.to_string();
    typed.push(key);
    match apply(method, word, key) {
        // A mark that keeps a syllable, or a key that took a mark back (the word as typed).
        Some(new) if is_syllable_start(&new) || !marked(&new) => Some(new),
        // A mark that makes no syllable: the key is a letter.
        Some(_) if is_syllable_start(&typed) => None,
        None if is_syllable_start(&typed) || !marked(word) => None,
        // The word stops being a syllable: give it back as typed.
        _ => Some(match keys {
            Some(keys) => format!("{keys}{key}"),
            None => format!("{}{key}", keys_of(method, word)),
        }),
    }
}

/// Applies one typed key to `word` (the letters before the cursor). Returns the rewritten word
/// when the key was taken as a mark, or `None` when the key should be typed as itself.
pub fn apply(method: InputMethod, word: &str, key: char) -> Option<String> {
    let mut chars: Vec<char> = word.chars().collect();
    let k = key.to_ascii_lowercase();
    let done = match method {
        InputMethod::Off => return None,
        InputMethod::Telex => match k {
            's' => tone(&mut chars, 1, key),
            'f' => tone(&mut chars, 2, key),
            'r' => tone(&mut chars, 3, key),
            'x' => tone(&mut chars, 4, key),
            'j' => tone(&mut chars, 5, key),
            'z' => clear_tone(&mut chars),
            'a' => shape(&mut chars, &[('a', 'â'), ('ă', 'â')], key),
            'e' => shape(&mut chars, &[('e', 'ê')], key),
            'o' => shape(&mut chars, &[('o', 'ô'), ('ơ', 'ô')], key),
            'w' => horn(&mut chars, key),
            'd' => stroke(&mut chars, key),
            _ => false,
        },
        InputMethod::Vni => match k {
            '1'..='5' => tone(&mut chars, (k as u8 - b'0') as usize, key),
            '0' => clear_tone(&mut chars),
            '6' => shape(
                &mut chars,
                &[('a', 'â'), ('ă', 'â'), ('e', 'ê'), ('o', 'ô'), ('ơ', 'ô')],
                key,
            ),
            '7' => horn(&mut chars, key),
            '8' => shape(&mut chars, &[('a', 'ă'), ('â', 'ă')], key),
            '9' => stroke(&mut chars, key),
            _ => false,
        },
    };
    done.then(|| chars.into_iter().collect())
}

/// The index where the vowel nucleus starts, after a "qu" or "gi" onset.
fn nucleus(chars: &[char]) -> Option<(usize, usize)> {
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut start = lower.iter().position(|c| is_vowel(*c))?;
    let onset_glide = start > 0
        && ((lower[start - 1] == 'q' && lower[start] == 'u')
            || (lower[start - 1] == 'g' && lower[start] == 'i'));
    if onset_glide && lower.get(start + 1).is_some_and(|c| is_vowel(*c)) {
        start += 1;
    }
    let end = (start..lower.len())
        .find(|&i| !is_vowel(lower[i]))
        .unwrap_or(lower.len());
    Some((start, end))
}

/// Where the tone goes in `chars`, by the modern rules in the module comment.
fn tone_position(chars: &[char]) -> Option<usize> {
    let (start, end) = nucleus(chars)?;
    let shapes: Vec<char> = chars[start..end]
        .iter()
        .filter_map(|c| split(*c).map(|v| v.shape))
        .collect();
    if let Some(i) = shapes
        .iter()
        .rposition(|s| matches!(s, 'ă' | 'â' | 'ê' | 'ô' | 'ơ'))
    {
        return Some(start + i);
    }
    if let Some(i) = shapes.iter().position(|s| *s == 'ư') {
        return Some(start + i);
    }
    let len = end - start;
    let final_consonant = end < chars.len();
    Some(match len {
        1 => start,
        _ if final_consonant => end - 1,
        3.. => start + 1,
        _ => match (shapes[0], shapes[1]) {
            ('o', 'a') | ('o', 'e') | ('u', 'y') => start + 1,
            _ => start,
        },
    })
}

fn current_tone(chars: &[char]) -> usize {
    chars
        .iter()
        .filter_map(|c| split(*c))
        .map(|v| v.tone)
        .find(|t| *t != 0)
        .unwrap_or(0)
}

fn strip_tones(chars: &mut [char]) {
    for c in chars.iter_mut() {
        if let Some(mut v) = split(*c) {
            v.tone = 0;
            *c = join(v);
        }
    }
}

fn set_tone(chars: &mut [char], t: usize) {
    strip_tones(chars);
    if let Some(i) = tone_position(chars)
        && let Some(mut v) = split(chars[i])
    {
        v.tone = t;
        chars[i] = join(v);
    }
}

fn tone(chars: &mut Vec<char>, t: usize, key: char) -> bool {
    if nucleus(chars).is_none() {
        return false;
    }
    if current_tone(chars) == t {
        strip_tones(chars);
        chars.push(key);
    } else {
        set_tone(chars, t);
    }
    true
}

fn clear_tone(chars: &mut [char]) -> bool {
    if current_tone(chars) == 0 {
        return false;
    }
    strip_tones(chars);
    true
}

/// Re-places the tone after a shape change (a shape mark can move it, "hoà" → "hoằ").
fn replace_tone(chars: &mut [char]) {
    let t = current_tone(chars);
    if t != 0 {
        set_tone(chars, t);
    }
}

/// Turns the last vowel whose shape is a `from` of `map` into its `to`; the same key on an
/// already-marked vowel undoes the mark and types the key.
fn shape(chars: &mut Vec<char>, map: &[(char, char)], key: char) -> bool {
    let Some((start, end)) = nucleus(chars) else {
        return false;
    };
    for i in (start..end).rev() {
        let Some(mut v) = split(chars[i]) else {
            continue;
        };
        if let Some((_, to)) = map.iter().find(|(from, _)| *from == v.shape) {
            v.shape = *to;
            chars[i] = join(v);
            replace_tone(chars);
            return true;
        }
        if let Some((from, _)) = map
            .iter()
            .find(|(from, to)| *to == v.shape && from.is_ascii())
        {
            v.shape = *from;
            chars[i] = join(v);
            chars.push(key);
            return true;
        }
    }
    false
}

/// The horn/breve key (Telex w, VNI 7): uo → ươ, else the last u/o/a gets its horn or breve;
/// a Telex w with no vowel before it is ư, and a second w on a lone ư gives the w back (so
/// "uww" gives "w" too).
fn horn(chars: &mut Vec<char>, key: char) -> bool {
    let telex_w = key.eq_ignore_ascii_case(&'w');
    let Some((start, end)) = nucleus(chars) else {
        if telex_w {
            chars.push(if key == 'W' { 'Ư' } else { 'ư' });
            return true;
        }
        return false;
    };
    if telex_w
        && end == chars.len()
        && end - start == 1
        && split(chars[start]).is_some_and(|v| v.shape == 'ư' && v.tone == 0)
        && chars[..start].iter().all(|c| !is_vowel(*c))
    {
        chars[start] = key;
        return true;
    }
    let vowels: Vec<Vowel> = chars[start..end].iter().filter_map(|c| split(*c)).collect();
    if let Some(i) = vowels
        .windows(2)
        .position(|w| matches!(w[0].shape, 'u' | 'ư') && matches!(w[1].shape, 'o' | 'ơ'))
        && !(vowels[i].shape == 'ư' && vowels[i + 1].shape == 'ơ')
    {
        for (j, to) in [(i, 'ư'), (i + 1, 'ơ')] {
            let mut v = vowels[j];
            v.shape = to;
            chars[start + j] = join(v);
        }
        replace_tone(chars);
        return true;
    }
    // "ua" after any onset but "qu" (which `nucleus` already set aside) takes the horn on
    // the u: chuaw → chưa, cuawr → cửa, mua7 → mưa.
    if let [u, a] = vowels[..]
        && u.shape == 'u'
        && a.shape == 'a'
    {
        let mut v = u;
        v.shape = 'ư';
        chars[start] = join(v);
        replace_tone(chars);
        return true;
    }
    // A second horn key on "ưa" takes it back: chuaww → chuaw.
    if let [u, a] = vowels[..]
        && u.shape == 'ư'
        && a.shape == 'a'
    {
        let mut v = u;
        v.shape = 'u';
        chars[start] = join(v);
        chars.push(key);
        return true;
    }
    let vni = key.is_ascii_digit();
    for i in (start..end).rev() {
        let Some(mut v) = split(chars[i]) else {
            continue;
        };
        let to = match v.shape {
            'u' => 'ư',
            'o' | 'ô' => 'ơ',
            'a' | 'â' if !vni => 'ă',
            'ư' => 'u',
            'ơ' => 'o',
            'ă' if !vni => 'a',
            _ => continue,
        };
        let undo = matches!(v.shape, 'ư' | 'ơ' | 'ă');
        v.shape = to;
        chars[i] = join(v);
        if undo {
            chars.push(key);
        } else {
            replace_tone(chars);
        }
        return true;
    }
    false
}

/// dd / d9 → đ (the d just typed, else the word's first d); again → d plus the key.
fn stroke(chars: &mut Vec<char>, key: char) -> bool {
    if let Some(last) = chars.len().checked_sub(1).filter(|&i| i > 0)
        && matches!(chars[last], 'd' | 'D')
    {
        chars[last] = if chars[last] == 'd' { 'đ' } else { 'Đ' };
        return true;
    }
    match chars.first().copied() {
        Some('d') => chars[0] = 'đ',
        Some('D') => chars[0] = 'Đ',
        Some('đ') => {
            chars[0] = 'd';
            chars.push(key);
        }
        Some('Đ') => {
            chars[0] = 'D';
            chars.push(key);
        }
        _ => return false,
    }
    true
}

/// Types `keys` one by one into an empty word stream, as the editor would: letters build up a
/// word, anything else ends it. For tests and for replaying pasted ASCII.
pub fn type_ascii(method: InputMethod, keys: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut typed = String::new();
    for key in keys.chars() {
        if key.is_ascii_alphanumeric() {
            match type_key(method, &word, Some(&typed), key) {
                Some(w) => word = w,
                None => word.push(key),
            }
            typed.push(key);
        } else {
            out.push_str(&word);
            word.clear();
            typed.clear();
            out.push(key);
        }
    }
    out.push_str(&word);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use InputMethod::*;

    #[test]
    fn telex_words() {
        for (keys, want) in [
            ("Nguyeenx", "Nguyễn"),
            ("dduwowngf", "đường"),
            ("hoaf", "hoà"),
            ("Vieetj Nam", "Việt Nam"),
            ("Sowr Nooji vuj", "Sở Nội vụ"),
            ("ddaays ddur", "đấy đủ"),
            ("tuyeenr", "tuyển"),
            ("quaan", "quân"),
            ("giaf", "già"),
            ("muas", "múa"),
            ("thuys", "thuý"),
            ("ngoaif", "ngoài"),
            ("ruwowuj", "rượu"),
            ("awn", "ăn"),
            ("toans", "toán"),
            ("ass", "as"),
            ("aaa", "aa"),
            ("ddd", "dd"),
            ("QDD", "QĐ"),
            ("hoasz", "hoa"),
            ("Khoong ddatj", "Không đạt"),
            ("x", "x"),
            ("sao", "sao"),
            ("Chuaw cos bao caos", "Chưa có bao cáo"),
            ("cuawr", "cửa"),
            ("muwa", "mưa"),
            ("quawng", "quăng"),
            ("chuaww", "chuaw"),
        ] {
            assert_eq!(type_ascii(Telex, keys), want, "{keys}");
        }
    }

    #[test]
    fn vni_words() {
        for (keys, want) in [
            ("Nguye6n4", "Nguyễn"),
            ("d9u7o7ng2", "đường"),
            ("hoa2", "hoà"),
            ("Vie6t5 Nam", "Việt Nam"),
            ("a8n", "ăn"),
            ("ho7p5 le65", "hợp lệ"),
            ("so61 10", "số 10"),
            ("a11", "a1"),
            ("chua7", "chưa"),
            ("cu7a3", "cửa"),
        ] {
            assert_eq!(type_ascii(Vni, keys), want, "{keys}");
        }
    }

    #[test]
    fn words_that_are_not_vietnamese_are_left_alone() {
        for (keys, want) in [
            ("website", "website"),
            ("ISO", "ISO"),
            ("Windows", "Windows"),
            ("address", "address"),
            ("email", "email"),
            ("Excel", "Excel"),
            ("w", "ư"),
            ("W", "Ư"),
            ("ww", "w"),
            ("nhw", "như"),
            ("trwa", "trưa"),
            ("tw", "tư"),
            ("QDD-UBND", "QĐ-UBND"),
            ("Vieetj", "Việt"),
            ("gif", "gì"),
            ("quys", "quý"),
        ] {
            assert_eq!(type_ascii(Telex, keys), want, "{keys}");
        }
        for (keys, want) in [
            ("ISO9001", "ISO9001"),
            ("Windows", "Windows"),
            ("d9i", "đi"),
        ] {
            assert_eq!(type_ascii(Vni, keys), want, "{keys}");
        }
    }

    #[test]
    fn syllable_starts() {
        for ok in [
            "", "ng", "ngh", "q", "qu", "qua", "nghiê", "nghieng", "đươ", "ươ", "khuya", "gi",
            "giê", "tiêu", "oa", "hoăc",
        ] {
            assert!(is_syllable_start(ok), "{ok}");
        }
        for bad in ["w", "web", "io", "ưe", "xy1", "bk", "anb", "qa", "ieo"] {
            assert!(!is_syllable_start(bad), "{bad}");
        }
    }

    #[test]
    fn off_types_keys_as_they_are() {
        assert_eq!(type_ascii(Off, "Nguyeenx 123"), "Nguyeenx 123");
    }

    #[test]
    fn tone_moves_when_the_shape_changes() {
        assert_eq!(type_ascii(Telex, "tieesng"), "tiếng");
        assert_eq!(type_ascii(Telex, "hoanf"), "hoàn");
        assert_eq!(type_ascii(Telex, "huowsng"), "hướng");
    }
}
