//! Limits that protect the server: repeated authentication failures from one address are
//! slowed down (an exponential delay per IP, forgotten after a quiet while), the number of
//! consoles open at once is capped, and only a few consoles load the review at a time. The
//! failure and session records are pure bookkeeping (callers pass the time in); the loading
//! gate blocks the console thread that waits for its turn.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Failures allowed from one address before answers are slowed down.
const FREE_FAILURES: u32 = 3;
/// The longest delay one answer is held back.
const MAX_DELAY: Duration = Duration::from_secs(30);
/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// Addresses tracked at most; the oldest are forgotten first.
const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Consoles that may load the review at once. Each reads every subject and verdict and
/// builds its own index, which for a moment takes several times the memory the open console
/// keeps (at 320,000 subjects, 30 consoles loading together wanted more than 20 GB); loading
/// is CPU-bound, so more than one per core would not open them sooner.
pub const LOADING_AT_ONCE: usize = 2;

/// Shared by every connection of one server.
#[derive(Debug, Default)]
pub struct Guard {
    failures: Mutex<HashMap<IpAddr, Failures>>,
    sessions: Arc<AtomicUsize>,
    loading: Mutex<usize>,
    loaded: Condvar,
}

/// A turn to load a console; dropping it lets the next one in.
#[derive(Debug)]
pub struct LoadingTurn<'a> {
    guard: &'a Guard,
}

impl Drop for LoadingTurn<'_> {
    fn drop(&mut self) {
        let mut n = self.guard.loading_count();
        *n = n.saturating_sub(1);
        self.guard.loaded.notify_one();
    }
}

/// A console slot; dropping it frees the slot.
#[derive(Debug)]
pub struct SessionSlot {
    sessions: Arc<AtomicUsize>,
}

impl Drop for SessionSlot {
    fn drop(&mut self) {
        self.sessions.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Guard {
    pub fn new() -> Self {
        Self::default()
    }

    /// How long to hold back the answer to `ip`'s latest failure: zero for the first three,
    /// then 1 s, 2 s, 4 s … up to 30 s.
    pub fn delay_for(&self, ip: IpAddr, now: Instant) -> Duration {
        let Ok(map) = self.failures.lock() else {
            return Duration::ZERO;
        };
        match map.get(&ip) {
            Some(f) if now.duration_since(f.last) < FORGET_AFTER && f.count > FREE_FAILURES => {
                let exp = (f.count - FREE_FAILURES - 1).min(16);
                Duration::from_secs(1u64 << exp).min(MAX_DELAY)
            }
            _ => Duration::ZERO,
        }
    }

    /// Counts a refused authentication from `ip`; returns the failures now on record.
    pub fn record_failure(&self, ip: IpAddr, now: Instant) -> u32 {
        let Ok(mut map) = self.failures.lock() else {
            return 0;
        };
        if map.len() >= MAX_TRACKED {
            map.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
            if map.len() >= MAX_TRACKED
                && let Some(oldest) = map.iter().min_by_key(|(_, f)| f.last).map(|(ip, _)| *ip)
            {
                map.remove(&oldest);
            }
        }
        let entry = map.entry(ip).or_insert(Failures {
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

    /// A successful login clears the address's record.
    pub fn record_success(&self, ip: IpAddr) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&ip);
        }
    }

    /// Takes a console slot if fewer than `max` are open.
    pub fn try_open_session(&self, max: usize) -> Option<SessionSlot> {
        let taken = self
            .sessions
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .is_ok();
        taken.then(|| SessionSlot {
            sessions: self.sessions.clone(),
        })
    }

    /// Consoles open now.
    pub fn open_sessions(&self) -> usize {
        self.sessions.load(Ordering::SeqCst)
    }

    /// Waits until fewer than `at_once` consoles are loading, then counts this one as loading
    /// until the turn is dropped.
    pub fn loading_turn(&self, at_once: usize) -> LoadingTurn<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_slowed_down_exponentially_then_forgotten() {
        let g = Guard::new();
        let ip: IpAddr = "192.0.2.7".parse().expect("ip");
        let other: IpAddr = "192.0.2.8".parse().expect("ip");
        let t0 = Instant::now();
        assert_eq!(g.delay_for(ip, t0), Duration::ZERO);
        for _ in 0..3 {
            g.record_failure(ip, t0);
        }
        assert_eq!(g.delay_for(ip, t0), Duration::ZERO, "three are free");
        g.record_failure(ip, t0);
        assert_eq!(g.delay_for(ip, t0), Duration::from_secs(1));
        g.record_failure(ip, t0);
        assert_eq!(g.delay_for(ip, t0), Duration::from_secs(2));
        g.record_failure(ip, t0);
        assert_eq!(g.delay_for(ip, t0), Duration::from_secs(4));
        for _ in 0..20 {
            g.record_failure(ip, t0);
        }
        assert_eq!(g.delay_for(ip, t0), MAX_DELAY);
        assert_eq!(g.delay_for(other, t0), Duration::ZERO, "per address");
        let later = t0 + FORGET_AFTER;
        assert_eq!(g.delay_for(ip, later), Duration::ZERO, "forgotten");
        assert_eq!(g.record_failure(ip, later), 1);
        g.record_success(ip);
        assert_eq!(g.delay_for(ip, later), Duration::ZERO);
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
