//! The reviewers file (TOML): who may connect, with which public keys, in which role and
//! language, plus a few server settings. Parsed with serde (unknown keys refused) keeping
//! each value's position, then checked for what serde cannot see (bad keys, a key given to two
//! people, duplicate names), so every error names the file, the line and the key.
//!
//! The file is read again when it changes; a bad edit is reported and the old list kept, so a
//! typo never locks everyone out of a running server.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use russh::keys::{HashAlg, PublicKey};
use serde::Deserialize;
use toml::Spanned;

use crate::domain::Lang;
use crate::msg::{Key, Part, Told};

pub use crate::domain::Role;

/// One person allowed to connect.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewer {
    /// The name recorded on every decision they make.
    pub name: String,
    pub role: Role,
    pub keys: Vec<PublicKey>,
    pub lang: Option<Lang>,
}

/// Server-wide settings from the `[server]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// A session with no input for this long is closed.
    pub idle_timeout: Duration,
    /// Consoles open at once; more connections are told so and closed.
    pub max_sessions: usize,
    /// The language of a reviewer who sets none and whose client sends no LANG.
    pub lang: Lang,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(30 * 60),
            max_sessions: 32,
            lang: Lang::Vi,
        }
    }
}

/// The parsed reviewers file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reviewers {
    pub settings: Settings,
    pub reviewers: Vec<Reviewer>,
}

/// A refused reviewers file: the file and what is wrong with it (line, key, problem) as
/// catalogue ids with their arguments, worded in the server's language where it is printed.
/// Its `Display` is English, for tests and anything that logs it unworded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewersError {
    pub file: String,
    pub told: Told,
}

impl ReviewersError {
    /// `file: problem` in `lang`.
    pub fn worded(&self, lang: Lang) -> String {
        format!(
            "{}: {}",
            crate::text::clean(&self.file),
            crate::i18n::word_told(lang, &self.told)
        )
    }
}

impl std::fmt::Display for ReviewersError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.worded(Lang::En))
    }
}

impl std::error::Error for ReviewersError {}

/// A message whose arguments are plain text.
fn said(key: Key, args: impl IntoIterator<Item = String>) -> Told {
    Told::new(key, args.into_iter().map(Part::Text))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    server: Option<RawServer>,
    #[serde(default)]
    reviewer: Vec<Spanned<RawReviewer>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServer {
    idle_timeout_minutes: Option<Spanned<i64>>,
    max_sessions: Option<Spanned<i64>>,
    lang: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReviewer {
    name: Spanned<String>,
    role: Spanned<String>,
    keys: Spanned<Vec<Spanned<String>>>,
    lang: Option<Spanned<String>>,
}

impl Reviewers {
    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> Result<Reviewers, ReviewersError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ReviewersError {
            file: file.clone(),
            told: Told::new(Key::RevCannotRead, [crate::msg::io_detail(&e).into()]),
        })?;
        Self::parse(&text, &file)
    }

    /// Parses reviewers TOML; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Reviewers, ReviewersError> {
        let refused = |told: Told| ReviewersError {
            file: file.to_string(),
            told,
        };
        // Every check below names the line and the key of the value it refuses.
        let err = |span: Range<usize>, key: &str, what: Told| {
            refused(Told::new(
                Key::RevAt,
                [
                    line_of(text, span.start).to_string().into(),
                    key.into(),
                    what.into(),
                ],
            ))
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            refused(crate::interchange::campaign::toml_error(
                text,
                &e,
                Key::RevTomlAt,
                Key::RevToml,
            ))
        })?;

        let mut settings = Settings::default();
        if let Some(server) = raw.server {
            if let Some(v) = server.idle_timeout_minutes {
                let minutes = u64::try_from(*v.get_ref())
                    .ok()
                    .filter(|m| (1..=7 * 24 * 60).contains(m))
                    .ok_or_else(|| {
                        err(
                            v.span(),
                            "server.idle_timeout_minutes",
                            Told::plain(Key::RevIdleTimeout),
                        )
                    })?;
                settings.idle_timeout = Duration::from_secs(minutes * 60);
            }
            if let Some(v) = server.max_sessions {
                settings.max_sessions = usize::try_from(*v.get_ref())
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| {
                        err(
                            v.span(),
                            "server.max_sessions",
                            Told::plain(Key::RevMaxSessions),
                        )
                    })?;
            }
            if let Some(v) = server.lang {
                settings.lang = Lang::from_code(v.get_ref())
                    .ok_or_else(|| err(v.span(), "server.lang", lang_message(v.get_ref())))?;
            }
        }

        let mut reviewers: Vec<Reviewer> = Vec::new();
        for raw in raw.reviewer {
            let raw = raw.into_inner();
            if let Some(message) = invisible_in_name(raw.name.get_ref()) {
                return Err(err(raw.name.span(), "reviewer.name", message));
            }
            let name = crate::text::clean(raw.name.get_ref()).trim().to_string();
            if name.is_empty() {
                return Err(err(
                    raw.name.span(),
                    "reviewer.name",
                    Told::plain(Key::RevNoName),
                ));
            }
            if reviewers.iter().any(|r| r.name == name) {
                return Err(err(
                    raw.name.span(),
                    "reviewer.name",
                    said(Key::RevNamedTwice, [format!("{name:?}")]),
                ));
            }
            let role = Role::from_name(raw.role.get_ref()).ok_or_else(|| {
                err(
                    raw.role.span(),
                    "reviewer.role",
                    said(Key::RevRole, [format!("{:?}", raw.role.get_ref())]),
                )
            })?;
            let lang = match &raw.lang {
                Some(v) => Some(
                    Lang::from_code(v.get_ref())
                        .ok_or_else(|| err(v.span(), "reviewer.lang", lang_message(v.get_ref())))?,
                ),
                None => None,
            };
            if raw.keys.get_ref().is_empty() {
                return Err(err(
                    raw.keys.span(),
                    "reviewer.keys",
                    said(Key::RevNoKey, [name]),
                ));
            }
            let mut keys = Vec::new();
            for k in raw.keys.get_ref() {
                let key = parse_key(k.get_ref()).map_err(|m| {
                    err(
                        k.span(),
                        "reviewer.keys",
                        Told::new(Key::RevWhose, [name.as_str().into(), m.into()]),
                    )
                })?;
                for other in &reviewers {
                    if other.keys.iter().any(|o| o.key_data() == key.key_data()) {
                        return Err(err(
                            k.span(),
                            "reviewer.keys",
                            said(Key::RevKeyTaken, [other.name.clone()]),
                        ));
                    }
                }
                keys.push(key);
            }
            reviewers.push(Reviewer {
                name,
                role,
                keys,
                lang,
            });
        }
        if reviewers.is_empty() {
            return Err(refused(Told::plain(Key::RevNoReviewer)));
        }
        Ok(Reviewers {
            settings,
            reviewers,
        })
    }

    /// The reviewer owning `key`, if any.
    pub fn find(&self, key: &PublicKey) -> Option<&Reviewer> {
        self.reviewers
            .iter()
            .find(|r| r.keys.iter().any(|k| k.key_data() == key.key_data()))
    }
}

/// A key's SHA-256 fingerprint as OpenSSH prints it (`SHA256:…`).
pub(crate) fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// A reviewer's name is who they are on every decision, so two names that look the same must
/// be the same text. Invisible and format characters (Unicode category Cf: zero-width space
/// and joiners, the byte-order mark, bidirectional controls, …) and control characters are
/// refused rather than stripped, so the file's author sees the problem instead of a name that
/// silently differs from what they typed.
fn invisible_in_name(name: &str) -> Option<Told> {
    let (position, c) = name
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() || is_format_char(c))?;
    Some(said(
        Key::RevInvisible,
        [format!("{:04X}", c as u32), (position + 1).to_string()],
    ))
}

/// Unicode general category Cf (format characters), plus blanks that render as nothing
/// (Hangul fillers, braille blank). Kept as a list: the set is small and stable.
fn is_format_char(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x115F..=0x1160
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0x2800
            | 0x3164
            | 0xFEFF
            | 0xFFA0
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

/// The option names at the front of an `authorized_keys` line (`no-pty,command="…" ssh-ed25519
/// AAAA…`), or `None` when the line starts with the key type. Quoted values may hold commas
/// and spaces.
fn key_options(line: &str) -> Option<Vec<String>> {
    let first = line.split_whitespace().next()?;
    if first.starts_with("ssh-") || first.starts_with("ecdsa-") || first.starts_with("sk-") {
        return None;
    }
    let mut names = Vec::new();
    let mut current = String::new();
    let mut in_name = true;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                names.push(std::mem::take(&mut current));
                in_name = true;
            }
            c if c.is_whitespace() && !quoted => break,
            '=' if !quoted => in_name = false,
            c if in_name && !quoted => current.push(c),
            _ => {}
        }
    }
    names.push(current);
    names.retain(|n| !n.is_empty());
    Some(names)
}

fn parse_key(line: &str) -> Result<PublicKey, Told> {
    let line = line.trim();
    // The server enforces none of the authorized_keys options (command=, from=, no-pty,
    // restrict, …): accepting one would silently drop a restriction the file's author meant.
    // So every option is refused by name.
    if let Some(options) = key_options(line)
        && !options.is_empty()
    {
        return Err(said(Key::RevKeyOptions, [options.join(", ")]));
    }
    PublicKey::from_openssh(line).map_err(|e| said(Key::RevNotKey, [e.to_string()]))
}

fn lang_message(found: &str) -> Told {
    said(Key::RevLang, [format!("{found:?}")])
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.bytes().filter(|&b| b == b'\n').count() + 1)
}

/// Watches the reviewers file: a changed modification time or size means read it again.
#[derive(Debug)]
pub(crate) struct FileStamp {
    path: PathBuf,
    stamp: Option<(std::time::SystemTime, u64)>,
}

impl FileStamp {
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            stamp: stamp(path),
        }
    }

    /// True when the file looks different from the last time this returned true (or from
    /// creation); a file that disappeared counts as unchanged.
    pub fn changed(&mut self) -> bool {
        let now = stamp(&self.path);
        if now.is_some() && now != self.stamp {
            self.stamp = now;
            true
        } else {
            false
        }
    }
}

fn stamp(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKgl3ri9QJSI4Hon5GHLRR1FMVraEG+adnfTu2UhOV7G an@laptop";
    const KEY_B: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGajv6u0AYR62E8kv8haChnb5EyX6woix//KI0lNbqW4 binh@pc";

    fn parse(text: &str) -> Result<Reviewers, ReviewersError> {
        Reviewers::parse(text, "reviewers.toml")
    }

    fn error(text: &str) -> String {
        match parse(text) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_good_file_parses_with_settings_and_defaults() {
        let text = format!(
            "[server]\nidle_timeout_minutes = 15\nmax_sessions = 3\nlang = \"en\"\n\n\
             [[reviewer]]\nname = \"Nguyễn Văn An\"\nrole = \"chair\"\nkeys = [\"{KEY_A}\"]\nlang = \"vi\"\n\n\
             [[reviewer]]\nname = \"Trần Thị Bình\"\nrole = \"viewer\"\nkeys = [\"{KEY_B}\"]\n"
        );
        let r = parse(&text).expect("valid file");
        assert_eq!(r.settings.idle_timeout, Duration::from_secs(15 * 60));
        assert_eq!(r.settings.max_sessions, 3);
        assert_eq!(r.settings.lang, Lang::En);
        assert_eq!(r.reviewers.len(), 2);
        assert_eq!(r.reviewers[0].name, "Nguyễn Văn An");
        assert_eq!(r.reviewers[0].role, Role::Chair);
        assert_eq!(r.reviewers[0].lang, Some(Lang::Vi));
        assert_eq!(r.reviewers[1].role, Role::Viewer);
        assert_eq!(r.reviewers[1].lang, None);
        let b = PublicKey::from_openssh(KEY_B).expect("key");
        assert_eq!(r.find(&b).map(|r| r.name.as_str()), Some("Trần Thị Bình"));
        assert!(fingerprint(&b).starts_with("SHA256:"));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = error(&format!(
            "[[reviewer]]\nname = \"An\"\nrole = \"boss\"\nkeys = [\"{KEY_A}\"]\n"
        ));
        assert!(
            e.starts_with("reviewers.toml: line 3, key `reviewer.role`"),
            "{e}"
        );
        assert!(e.contains("\"boss\""), "{e}");

        let e = error(
            "[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"ssh-ed25519 nonsense\"]\n",
        );
        assert!(
            e.starts_with("reviewers.toml: line 4, key `reviewer.keys`"),
            "{e}"
        );
        assert!(e.contains("not an OpenSSH public key"), "{e}");

        let e = error(&format!(
            "[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{KEY_A}\"]\nlang = \"fr\"\n"
        ));
        assert!(
            e.starts_with("reviewers.toml: line 5, key `reviewer.lang`"),
            "{e}"
        );

        let e = error(&format!(
            "[[reviewer]]\nname = \"An\"\nrol = \"reviewer\"\nkeys = [\"{KEY_A}\"]\n"
        ));
        assert!(e.starts_with("reviewers.toml: line 3"), "{e}");
        assert!(e.contains("rol"), "{e}");

        let e = error("[server]\nmax_sessions = 0\n");
        assert!(
            e.starts_with("reviewers.toml: line 2, key `server.max_sessions`"),
            "{e}"
        );

        let e = error("[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = []\n");
        assert!(
            e.starts_with("reviewers.toml: line 4, key `reviewer.keys`"),
            "{e}"
        );

        let e = error("[[reviewer]\n");
        assert!(e.starts_with("reviewers.toml: line 1"), "{e}");

        let e = error("");
        assert!(e.contains("no [[reviewer]]"), "{e}");
    }

    #[test]
    fn a_key_or_a_name_given_twice_is_refused() {
        let e = error(&format!(
            "[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{KEY_A}\"]\n\
             [[reviewer]]\nname = \"Bình\"\nrole = \"reviewer\"\nkeys = [\"{KEY_A}\"]\n"
        ));
        assert!(
            e.starts_with("reviewers.toml: line 8, key `reviewer.keys`"),
            "{e}"
        );
        assert!(e.contains("already An's"), "{e}");

        let e = error(&format!(
            "[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{KEY_A}\"]\n\
             [[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{KEY_B}\"]\n"
        ));
        assert!(
            e.starts_with("reviewers.toml: line 6, key `reviewer.name`"),
            "{e}"
        );
    }

    #[test]
    fn an_invisible_character_in_a_name_is_refused_with_line_and_key() {
        for (bad, code) in [
            ("An\u{200B}", "U+200B"),
            ("A\u{200D}n", "U+200D"),
            ("\u{FEFF}An", "U+FEFF"),
            ("An\u{202E}", "U+202E"),
            ("An\u{2066}", "U+2066"),
            ("An\u{00AD}", "U+00AD"),
        ] {
            let e = error(&format!(
                "[[reviewer]]\nname = \"Bình\"\nrole = \"chair\"\nkeys = [\"{KEY_B}\"]\n\n\
                 [[reviewer]]\nname = \"{bad}\"\nrole = \"reviewer\"\nkeys = [\"{KEY_A}\"]\n"
            ));
            assert!(
                e.starts_with("reviewers.toml: line 7, key `reviewer.name`"),
                "{e}"
            );
            assert!(e.contains(code), "{code}: {e}");
            assert!(e.contains("invisible character"), "{e}");
        }
        // Vietnamese names with combining or precomposed marks are ordinary text.
        let ok = parse(&format!(
            "[[reviewer]]\nname = \"Nguye\u{0302}\u{0303}n Đức\"\nrole = \"chair\"\nkeys = [\"{KEY_A}\"]\n"
        ))
        .expect("a decomposed Vietnamese name is fine");
        assert_eq!(ok.reviewers[0].name, "Nguyễn Đức");
    }

    #[test]
    fn authorized_keys_options_are_refused_by_name() {
        let body = KEY_A;
        for (line, names) in [
            (
                format!("no-pty,command=\\\"echo a, b\\\" {body}"),
                "no-pty, command",
            ),
            (format!("from=\\\"10.0.0.1,10.0.0.2\\\" {body}"), "from"),
            (format!("restrict {body}"), "restrict"),
        ] {
            let e = error(&format!(
                "[[reviewer]]\nname = \"An\"\nrole = \"chair\"\nkeys = [\n  \"{line}\",\n]\n"
            ));
            assert!(
                e.starts_with("reviewers.toml: line 5, key `reviewer.keys`"),
                "{e}"
            );
            assert!(
                e.contains(&format!("options are not supported here (found: {names})")),
                "{e}"
            );
            assert!(!e.contains("encoding"), "{e}");
        }
        assert_eq!(key_options(KEY_A), None);
        assert_eq!(
            key_options("sk-ssh-ed25519@openssh.com AAAA"),
            None,
            "security-key types start with sk-"
        );
    }

    #[test]
    fn locale_values_choose_a_language() {
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("vi_VN.UTF-8"), Some(Lang::Vi));
        assert_eq!(Lang::from_locale("C.UTF-8"), None);
        assert_eq!(Lang::from_locale(""), None);
    }

    #[test]
    fn a_changed_file_is_noticed_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.toml");
        std::fs::write(&path, "a").expect("write");
        let mut s = FileStamp::new(&path);
        assert!(!s.changed());
        std::fs::write(&path, "bb").expect("write");
        assert!(s.changed());
        assert!(!s.changed());
    }
}
