//! What each scripted reviewer types: a fixed cycle of keys (moves, opening a subject,
//! scoring criteria, search as you type, switching between collectives and individuals),
//! each sent once the previous key's answer is on screen plus a think time drawn from a
//! seeded generator, so every run types the same keys at the same pace.

use std::time::{Duration, Instant};

use crate::remote::{Answer, Remote};

/// What a key makes the console do, for the figures per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// j, k, PgDn: move the selection.
    Move,
    /// Enter: open a subject's criteria; h: back to the subject list.
    Pane,
    /// y: score a criterion met (a durable commit before the answer).
    Score,
    /// `/` and the letters of "so noi vu": search as you type over every subject.
    Search,
    /// Esc: close the search (everything back as it was); includes the console's 50 ms wait that
    /// tells a lone Esc from the start of an escape sequence.
    Escape,
    /// t: switch between collectives and individuals.
    Toggle,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Move,
        Kind::Pane,
        Kind::Score,
        Kind::Search,
        Kind::Escape,
        Kind::Toggle,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Move => "move (j, k, PgDn)",
            Kind::Pane => "open and leave a subject (Enter, h)",
            Kind::Score => "score (y, durable commit)",
            Kind::Search => "search typing (/ then \"so noi vu\")",
            Kind::Escape => "Esc closing the search (includes the 50 ms lone-Esc wait)",
            Kind::Toggle => "switch kind (t)",
        }
    }
}

const PGDN: &[u8] = b"\x1b[6~";

/// What a key's answer must show besides a change above the status bar: the search keys'
/// answers can be told apart from other reviewers' work (which changes the counts of the
/// subjects listed) by the query in the list's title.
#[derive(Debug, Clone, Copy)]
enum Shows {
    /// Any change.
    Change,
    /// The search title with this query typed.
    Query(&'static str),
    /// No search title any more.
    NoSearch,
}

impl Shows {
    fn on(self, screen: &str) -> bool {
        match self {
            Shows::Change => true,
            Shows::Query(q) => screen.contains(&format!("{SEARCH_TITLE}: {q}\u{258f}")),
            Shows::NoSearch => !screen.contains(&format!("{SEARCH_TITLE}: ")),
        }
    }
}

/// The subject list's title while searching (Vietnamese catalogue: the reviewers' language).
const SEARCH_TITLE: &str = "Tìm";

const fn key(bytes: &'static [u8], kind: Kind) -> (&'static [u8], Kind, Shows) {
    (bytes, kind, Shows::Change)
}

const fn typed(bytes: &'static [u8], query: &'static str) -> (&'static [u8], Kind, Shows) {
    (bytes, Kind::Search, Shows::Query(query))
}

/// One cycle of the script: 22 keys.
const CYCLE: &[(&[u8], Kind, Shows)] = &[
    key(b"j", Kind::Move),
    key(b"j", Kind::Move),
    key(b"k", Kind::Move),
    key(b"\r", Kind::Pane),
    key(b"y", Kind::Score),
    key(b"j", Kind::Move),
    key(b"y", Kind::Score),
    key(b"h", Kind::Pane),
    typed(b"/", ""),
    typed(b"s", "s"),
    typed(b"o", "so"),
    typed(b" ", "so "),
    typed(b"n", "so n"),
    typed(b"o", "so no"),
    typed(b"i", "so noi"),
    typed(b" ", "so noi "),
    typed(b"v", "so noi v"),
    typed(b"u", "so noi vu"),
    (b"\x1b", Kind::Escape, Shows::NoSearch),
    key(PGDN, Kind::Move),
    key(b"k", Kind::Move),
    key(PGDN, Kind::Move),
];

/// The last keys of every run: to individuals and back. The console puts the selection on the
/// first subject of the list it switches to, so switching in every cycle would bring every
/// reviewer to the same subjects; real reviewers work on different units.
const TAIL: &[(&[u8], Kind, Shows)] = &[
    key(b"t", Kind::Toggle),
    key(b"j", Kind::Move),
    key(b"t", Kind::Toggle),
];

/// The pace: think time between an answer and the next key.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    pub min: Duration,
    pub max: Duration,
}

/// A small seeded generator (xorshift64*) for the think times.
struct Jitter(u64);

impl Jitter {
    fn new(seed: u64) -> Self {
        Jitter(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn between(&mut self, pace: Pace) -> Duration {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let r = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        let span = pace.max.saturating_sub(pace.min).as_micros() as u64 + 1;
        pace.min + Duration::from_micros(r % span)
    }
}

/// One key of the run and how it was answered.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub key: &'static [u8],
    pub kind: Kind,
    pub answer: Answer,
}

/// Moves reviewer number `index` to a page of its own (unmeasured), so the reviewers work on
/// different subjects as they would in a real campaign.
pub async fn spread(remote: &mut Remote, index: usize) -> anyhow::Result<()> {
    for _ in 0..index * 3 {
        remote.press(PGDN).await?;
    }
    Ok(())
}

/// Types `keys` keys of the cycle, timing each answer; `index` seeds the think times, so the
/// reviewers drift apart after a common start.
pub async fn run(
    remote: &mut Remote,
    index: usize,
    keys: usize,
    pace: Pace,
) -> anyhow::Result<Vec<Sample>> {
    let mut jitter = Jitter::new(index as u64 + 1);
    let mut samples = Vec::with_capacity(keys);
    // Start between keys, at a random moment, as people would.
    remote.idle(Instant::now() + jitter.between(pace)).await?;
    let cycle = CYCLE.iter().cycle().take(keys.saturating_sub(TAIL.len()));
    for &(key, kind, shows) in cycle.chain(TAIL.iter().take(keys)) {
        let answer = remote.press_until(key, |s| shows.on(s)).await?;
        if std::env::var_os("THIDUA_TRACE").is_some() && index == 0 {
            println!(
                "{:?} {answer:?}\n{}",
                String::from_utf8_lossy(key),
                remote.text()
            );
        }
        samples.push(Sample { key, kind, answer });
        remote.idle(Instant::now() + jitter.between(pace)).await?;
    }
    Ok(samples)
}
