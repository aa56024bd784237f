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

/// One cycle of the script: 22 keys.
const CYCLE: &[(&[u8], Kind)] = &[
    (b"j", Kind::Move),
    (b"j", Kind::Move),
    (b"k", Kind::Move),
    (b"\r", Kind::Pane),
    (b"y", Kind::Score),
    (b"j", Kind::Move),
    (b"y", Kind::Score),
    (b"h", Kind::Pane),
    (b"/", Kind::Search),
    (b"s", Kind::Search),
    (b"o", Kind::Search),
    (b" ", Kind::Search),
    (b"n", Kind::Search),
    (b"o", Kind::Search),
    (b"i", Kind::Search),
    (b" ", Kind::Search),
    (b"v", Kind::Search),
    (b"u", Kind::Search),
    (b"\x1b", Kind::Escape),
    (PGDN, Kind::Move),
    (b"k", Kind::Move),
    (PGDN, Kind::Move),
];

/// The last keys of every run: to individuals and back. The console puts the selection on the
/// first subject of the list it switches to, so switching in every cycle would bring every
/// reviewer to the same subjects; real reviewers work on different units.
const TAIL: &[(&[u8], Kind)] = &[
    (b"t", Kind::Toggle),
    (b"j", Kind::Move),
    (b"t", Kind::Toggle),
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
    for &(key, kind) in cycle.chain(TAIL.iter().take(keys)) {
        let answer = remote.press(key).await?;
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
