//! Limits that protect the server: repeated authentication failures are slowed down (an
//! exponential delay per address and user name, forgotten after a quiet while), the number of
//! consoles open at once is capped (in all, and per key), only a few consoles load the review
//! at a time, and the limits on connections that have not logged in yet (`Limits`,
//! `MaxStartups`, `SourceRate`) are described here and applied by the accept loop. The
//! failure, session and rate records are pure bookkeeping (callers pass the time in); the
//! loading gate blocks the console thread that waits for its turn.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Failures allowed for one address and user name before answers are slowed down.
const FREE_FAILURES: u32 = 3;
/// The longest delay one answer is held back.
const MAX_DELAY: Duration = Duration::from_secs(30);
/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// (address, user name) pairs tracked at most; the oldest are forgotten first.
const MAX_TRACKED: usize = 10_000;

/// The longest user name kept in a failure record (longer names are cut).
const MAX_USER: usize = 64;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Consoles that may load the review at once. Each reads every subject and verdict and
/// builds its own index, which for a moment takes several times the memory the open console
/// keeps (at 320,000 subjects, 30 consoles loading together wanted more than 20 GB); loading
/// is CPU-bound, so more than one per core would not open them sooner.
pub(crate) const LOADING_AT_ONCE: usize = 2;

/// Shared by every connection of one server.
#[derive(Debug, Default)]
pub struct Guard {
    failures: Mutex<HashMap<(IpAddr, String), Failures>>,
    sessions: Arc<AtomicUsize>,
    /// Consoles open per key (its fingerprint).
    per_key: PerKey,
    loading: Mutex<usize>,
    loaded: Condvar,
}

/// A turn to load a console; dropping it lets the next one in.
#[derive(Debug)]
pub(crate) struct LoadingTurn<'a> {
    guard: &'a Guard,
}

impl Drop for LoadingTurn<'_> {
    fn drop(&mut self) {
        let mut n = self.guard.loading_count();
        *n = n.saturating_sub(1);
        self.guard.loaded.notify_one();
    }
}

/// Consoles open per key fingerprint.
type PerKey = Arc<Mutex<HashMap<String, usize>>>;

/// A console slot; dropping it frees the slot (and the key's).
#[derive(Debug)]
pub struct SessionSlot {
    sessions: Arc<AtomicUsize>,
    key: Option<(String, PerKey)>,
}

impl Drop for SessionSlot {
    fn drop(&mut self) {
        self.sessions.fetch_sub(1, Ordering::SeqCst);
        if let Some((key, map)) = &self.key {
            let mut map = match map.lock() {
                Ok(m) => m,
                Err(poisoned) => poisoned.into_inner(),
            };
            if let Some(n) = map.get_mut(key) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    map.remove(key);
                }
            }
        }
    }
}

/// Why a console was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Full {
    /// The server holds `max_sessions` consoles.
    Server,
    /// This key holds its share of consoles.
    Key,
}

impl Guard {
    pub fn new() -> Self {
        Self::default()
    }

    /// How long to hold back the answer to the latest failure of `user` from `ip`: zero for
    /// the first three, then 1 s, 2 s, 4 s … up to 30 s. Another user name from the same
    /// address (a colleague behind the same office router) is not held back by it.
    pub(crate) fn delay_for(&self, ip: IpAddr, user: &str, now: Instant) -> Duration {
        let Ok(map) = self.failures.lock() else {
            return Duration::ZERO;
        };
        match map.get(&(ip, user_key(user))) {
            Some(f) if now.duration_since(f.last) < FORGET_AFTER && f.count > FREE_FAILURES => {
                let exp = (f.count - FREE_FAILURES - 1).min(16);
                Duration::from_secs(1u64 << exp).min(MAX_DELAY)
            }
            _ => Duration::ZERO,
        }
    }

    /// Counts a refused authentication of `user` from `ip`; returns the failures now on
    /// record for that pair.
    pub(crate) fn record_failure(&self, ip: IpAddr, user: &str, now: Instant) -> u32 {
        let Ok(mut map) = self.failures.lock() else {
            return 0;
        };
        if map.len() >= MAX_TRACKED {
            map.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
            if map.len() >= MAX_TRACKED
                && let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, f)| f.last)
                    .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        let entry = map.entry((ip, user_key(user))).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.duration_since(entry.last) >= FORGET_AFTER {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
        entry.count
    }

    /// A successful login clears the record of that address and user name.
    pub(crate) fn record_success(&self, ip: IpAddr, user: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&(ip, user_key(user)));
        }
    }

    /// Takes a console slot if fewer than `max` are open.
    pub(crate) fn try_open_session(&self, max: usize) -> Option<SessionSlot> {
        let taken = self
            .sessions
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .is_ok();
        taken.then(|| SessionSlot {
            sessions: self.sessions.clone(),
            key: None,
        })
    }

    /// Takes a console slot for `key` (a fingerprint) if fewer than `max` consoles are open in
    /// all and fewer than `per_key` with this key, so one key cannot take every console.
    pub(crate) fn try_open_session_for(
        &self,
        max: usize,
        key: &str,
        per_key: usize,
    ) -> Result<SessionSlot, Full> {
        let mut map = match self.per_key.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.get(key).copied().unwrap_or(0) >= per_key {
            return Err(Full::Key);
        }
        let Some(mut slot) = self.try_open_session(max) else {
            return Err(Full::Server);
        };
        *map.entry(key.to_string()).or_insert(0) += 1;
        slot.key = Some((key.to_string(), self.per_key.clone()));
        Ok(slot)
    }

    /// Consoles open now with `key`.
    pub fn open_sessions_for(&self, key: &str) -> usize {
        self.per_key
            .lock()
            .map(|m| m.get(key).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// Consoles open now.
    pub fn open_sessions(&self) -> usize {
        self.sessions.load(Ordering::SeqCst)
    }

    /// Waits until fewer than `at_once` consoles are loading, then counts this one as loading
    /// until the turn is dropped.
    pub(crate) fn loading_turn(&self, at_once: usize) -> LoadingTurn<'_> {
        let mut n = self.loading_count();
        while *n >= at_once.max(1) {
            n = match self.loaded.wait(n) {
                Ok(n) => n,
                Err(poisoned) => poisoned.into_inner(),
            };
        }
        *n += 1;
        LoadingTurn { guard: self }
    }

    fn loading_count(&self) -> MutexGuard<'_, usize> {
        match self.loading.lock() {
            Ok(n) => n,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// The user name as kept in a failure record: at most `MAX_USER` characters.
fn user_key(user: &str) -> String {
    user.chars().take(MAX_USER).collect()
}

/// The limits on connections, set by `thidua serve` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time from the TCP accept to a successful login; then the socket is closed.
    pub login_grace: Duration,
    /// Random early drop of connections that have not logged in yet.
    pub max_startups: MaxStartups,
    /// Connections not logged in yet from one address, at most.
    pub per_source_startups: usize,
    /// New connections answered per second from one address (twice as many at once).
    pub per_source_rate: u32,
    /// Consoles open at once with one key.
    pub consoles_per_key: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            login_grace: Duration::from_secs(60),
            max_startups: MaxStartups::default(),
            per_source_startups: 10,
            per_source_rate: 5,
            consoles_per_key: 4,
        }
    }
}

/// OpenSSH's `MaxStartups start:rate:full`: while fewer than `start` connections wait to log
/// in, every new one is answered; from `start` on, a new one is dropped with a probability
/// of `rate` % rising linearly to 100 % at `full`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxStartups {
    pub start: usize,
    pub rate: u32,
    pub full: usize,
}

impl Default for MaxStartups {
    fn default() -> Self {
        MaxStartups {
            start: 10,
            rate: 30,
            full: 60,
        }
    }
}

impl std::fmt::Display for MaxStartups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.start, self.rate, self.full)
    }
}

impl std::str::FromStr for MaxStartups {
    type Err = String;

    /// `START:RATE:FULL` (e.g. `10:30:60`), or a single number N, which refuses every new
    /// connection once N wait to log in (as OpenSSH reads it).
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{s:?} is not START:RATE:FULL (e.g. 10:30:60: from 10 connections waiting to \
                 log in, drop 30 % of new ones, rising to all of them at 60)"
            )
        };
        let parts: Vec<&str> = s.split(':').collect();
        let num = |p: &str| p.trim().parse::<usize>().map_err(|_| bad());
        let m = match parts.as_slice() {
            [n] => {
                let n = num(n)?;
                MaxStartups {
                    start: n,
                    rate: 100,
                    full: n,
                }
            }
            [a, r, f] => MaxStartups {
                start: num(a)?,
                rate: u32::try_from(num(r)?).map_err(|_| bad())?,
                full: num(f)?,
            },
            _ => return Err(bad()),
        };
        if m.start == 0 || m.start > m.full || m.rate > 100 || m.full > 100_000 {
            return Err(format!(
                "{s:?}: START must be at least 1 and at most FULL, RATE a percentage (0 to \
                 100), FULL at most 100000"
            ));
        }
        Ok(m)
    }
}

impl MaxStartups {
    /// The chance (in %) that a new connection is dropped while `pending` wait to log in.
    pub(crate) fn drop_percent(&self, pending: usize) -> u32 {
        if pending < self.start {
            return 0;
        }
        if pending >= self.full || self.rate >= 100 {
            return 100;
        }
        // As sshd computes it: rate + (100 - rate) × (pending - start) / (full - start).
        let span = (self.full - self.start) as u64;
        let above = (pending - self.start) as u64;
        let p = u64::from(self.rate) + u64::from(100 - self.rate) * above / span;
        p.min(100) as u32
    }

    /// Whether to drop a new connection, given a roll of the dice in 0..100.
    pub(crate) fn should_drop(&self, pending: usize, roll: u32) -> bool {
        roll < self.drop_percent(pending)
    }
}

/// New connections answered per address: a token bucket holding `2 × rate` tokens, refilled
/// at `rate` per second. Addresses whose bucket is full again are forgotten.
#[derive(Debug)]
pub(crate) struct SourceRate {
    rate: u32,
    buckets: HashMap<IpAddr, (f64, Instant)>,
}

impl SourceRate {
    pub fn new(rate: u32) -> Self {
        SourceRate {
            rate: rate.max(1),
            buckets: HashMap::new(),
        }
    }

    fn burst(&self) -> f64 {
        f64::from(self.rate) * 2.0
    }

    /// Takes a token for a connection from `ip` at `now`; false if it has none left.
    pub fn take(&mut self, ip: IpAddr, now: Instant) -> bool {
        let (burst, rate) = (self.burst(), f64::from(self.rate));
        if self.buckets.len() >= MAX_TRACKED {
            self.buckets.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = self.buckets.entry(ip).or_insert((burst, now));
        let refilled =
            (*tokens + now.saturating_duration_since(*at).as_secs_f64() * rate).min(burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            true
        } else {
            *tokens = refilled;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_slowed_down_exponentially_then_forgotten() {
        let g = Guard::new();
        let ip: IpAddr = "192.0.2.7".parse().expect("ip");
        let other: IpAddr = "192.0.2.8".parse().expect("ip");
        let t0 = Instant::now();
        let u = "mallory";
        assert_eq!(g.delay_for(ip, u, t0), Duration::ZERO);
        for _ in 0..3 {
            g.record_failure(ip, u, t0);
        }
        assert_eq!(g.delay_for(ip, u, t0), Duration::ZERO, "three are free");
        g.record_failure(ip, u, t0);
        assert_eq!(g.delay_for(ip, u, t0), Duration::from_secs(1));
        g.record_failure(ip, u, t0);
        assert_eq!(g.delay_for(ip, u, t0), Duration::from_secs(2));
        g.record_failure(ip, u, t0);
        assert_eq!(g.delay_for(ip, u, t0), Duration::from_secs(4));
        for _ in 0..20 {
            g.record_failure(ip, u, t0);
        }
        assert_eq!(g.delay_for(ip, u, t0), MAX_DELAY);
        assert_eq!(g.delay_for(other, u, t0), Duration::ZERO, "per address");
        assert_eq!(
            g.delay_for(ip, "an", t0),
            Duration::ZERO,
            "per user name: a colleague behind the same router is not held back"
        );
        let later = t0 + FORGET_AFTER;
        assert_eq!(g.delay_for(ip, u, later), Duration::ZERO, "forgotten");
        assert_eq!(g.record_failure(ip, u, later), 1);
        g.record_success(ip, u);
        assert_eq!(g.delay_for(ip, u, later), Duration::ZERO);
    }

    #[test]
    fn sessions_are_capped_and_slots_freed_on_drop() {
        let g = Guard::new();
        let a = g.try_open_session(2).expect("first");
        let _b = g.try_open_session(2).expect("second");
        assert!(g.try_open_session(2).is_none());
        assert_eq!(g.open_sessions(), 2);
        drop(a);
        assert!(g.try_open_session(2).is_some());
    }

    #[test]
    fn one_key_cannot_take_every_console() {
        let g = Guard::new();
        let a1 = g.try_open_session_for(5, "SHA256:a", 2).expect("first");
        let _a2 = g.try_open_session_for(5, "SHA256:a", 2).expect("second");
        assert_eq!(
            g.try_open_session_for(5, "SHA256:a", 2).err(),
            Some(Full::Key)
        );
        let _b = g
            .try_open_session_for(5, "SHA256:b", 2)
            .expect("another key");
        assert_eq!(g.open_sessions_for("SHA256:a"), 2);
        drop(a1);
        assert_eq!(g.open_sessions_for("SHA256:a"), 1);
        let _a3 = g.try_open_session_for(5, "SHA256:a", 2).expect("freed");
        let _c = g.try_open_session_for(5, "SHA256:c", 2).expect("fourth");
        let _c2 = g.try_open_session_for(5, "SHA256:c", 2).expect("fifth");
        assert_eq!(
            g.try_open_session_for(5, "SHA256:d", 2).err(),
            Some(Full::Server)
        );
        assert_eq!(
            g.open_sessions_for("SHA256:d"),
            0,
            "a refusal keeps nothing"
        );
    }

    #[test]
    fn max_startups_reads_like_sshd_and_drops_more_as_more_wait() {
        let m: MaxStartups = "10:30:60".parse().expect("parse");
        assert_eq!(m, MaxStartups::default());
        assert_eq!(m.to_string(), "10:30:60");
        assert_eq!(m.drop_percent(9), 0);
        assert_eq!(m.drop_percent(10), 30);
        assert_eq!(m.drop_percent(35), 65);
        assert_eq!(m.drop_percent(60), 100);
        assert!(!m.should_drop(9, 0));
        assert!(m.should_drop(10, 29) && !m.should_drop(10, 30));
        assert!(m.should_drop(60, 99));
        let single: MaxStartups = "5".parse().expect("single");
        assert_eq!((single.drop_percent(4), single.drop_percent(5)), (0, 100));
        for bad in [
            "",
            "1:2",
            "0:30:60",
            "20:30:10",
            "10:130:60",
            "a:b:c",
            "1:2:3:4",
        ] {
            assert!(bad.parse::<MaxStartups>().is_err(), "{bad}");
        }
    }

    #[test]
    fn each_address_gets_its_own_rate_of_new_connections() {
        let mut r = SourceRate::new(5);
        let ip: IpAddr = "192.0.2.7".parse().expect("ip");
        let other: IpAddr = "192.0.2.8".parse().expect("ip");
        let t0 = Instant::now();
        let burst = (0..100).filter(|_| r.take(ip, t0)).count();
        assert_eq!(burst, 10, "twice the rate at once");
        assert!(r.take(other, t0), "another address has its own");
        assert!(!r.take(ip, t0 + Duration::from_millis(100)));
        assert!(r.take(ip, t0 + Duration::from_millis(450)), "refilled");
        let second = t0 + Duration::from_secs(10);
        let later = (0..100).filter(|_| r.take(ip, second)).count();
        assert_eq!(later, 10, "never more than the burst");
    }

    #[test]
    fn only_so_many_consoles_load_at_once_and_the_next_goes_in_when_one_is_done() {
        let g = Guard::new();
        let first = g.loading_turn(2);
        let second = g.loading_turn(2);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let _third = g.loading_turn(2);
                let _ = tx.send(());
            });
            assert!(
                rx.recv_timeout(Duration::from_millis(200)).is_err(),
                "a third console waits while two load"
            );
            drop(first);
            assert!(
                rx.recv_timeout(Duration::from_secs(10)).is_ok(),
                "the third goes in when one is done"
            );
        });
        drop(second);
        let _again = [g.loading_turn(2), g.loading_turn(2)];
    }
}
