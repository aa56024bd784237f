//! One in-process broadcast from the write path: every committed change is offered to each
//! subscriber without ever blocking the writer. A subscriber that falls more than `CAPACITY`
//! changes behind is told to reload (`Change::Resync`) instead of holding the writer up.
//!
//! A subscription costs only the changes queued for it (no buffer is set aside in advance),
//! and it leaves the broadcast the moment its `ChangeFeed` is dropped (a console closing), so
//! consoles opened and closed by the hundred leave nothing behind.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, Weak};

pub use crate::domain::Change;

const CAPACITY: usize = 1024;

struct Subscriber {
    id: u64,
    tx: Sender<Change>,
    state: Arc<FeedState>,
}

/// What a subscriber and the broadcast share.
#[derive(Default)]
struct FeedState {
    /// Changes sent and not yet drained.
    queued: AtomicUsize,
    /// Changes were dropped because `queued` reached `CAPACITY`.
    overflowed: AtomicBool,
}

#[derive(Default)]
struct Subscribers {
    list: Vec<Subscriber>,
    next_id: u64,
}

#[derive(Default)]
pub struct Broadcast {
    subscribers: Arc<Mutex<Subscribers>>,
}

/// The receiving end of a subscription; dropping it ends the subscription.
pub struct ChangeFeed {
    id: u64,
    rx: Receiver<Change>,
    state: Arc<FeedState>,
    broadcast: Weak<Mutex<Subscribers>>,
}

impl Broadcast {
    pub(crate) fn subscribe(&self) -> ChangeFeed {
        let (tx, rx) = channel();
        let state = Arc::new(FeedState::default());
        let mut id = 0;
        if let Ok(mut subs) = self.subscribers.lock() {
            id = subs.next_id;
            subs.next_id += 1;
            subs.list.push(Subscriber {
                id,
                tx,
                state: state.clone(),
            });
        }
        ChangeFeed {
            id,
            rx,
            state,
            broadcast: Arc::downgrade(&self.subscribers),
        }
    }

    pub fn send(&self, change: Change) {
        let Ok(mut subs) = self.subscribers.lock() else {
            return;
        };
        subs.list.retain(|s| {
            if s.state.queued.load(Ordering::Relaxed) >= CAPACITY {
                s.state.overflowed.store(true, Ordering::Relaxed);
                return true;
            }
            s.state.queued.fetch_add(1, Ordering::Relaxed);
            s.tx.send(change.clone()).is_ok()
        });
    }

    /// How many subscriptions are open.
    pub fn subscribers(&self) -> usize {
        self.subscribers.lock().map_or(0, |s| s.list.len())
    }
}

impl Drop for ChangeFeed {
    fn drop(&mut self) {
        if let Some(subs) = self.broadcast.upgrade()
            && let Ok(mut subs) = subs.lock()
        {
            subs.list.retain(|s| s.id != self.id);
        }
    }
}

impl ChangeFeed {
    /// Every change received so far, without waiting; ends with `Resync` if any were dropped.
    pub(crate) fn drain(&self) -> Vec<Change> {
        let mut out: Vec<Change> = self.rx.try_iter().collect();
        self.state.queued.fetch_sub(out.len(), Ordering::Relaxed);
        if self.state.overflowed.swap(false, Ordering::Relaxed) {
            out.push(Change::Resync);
        }
        out
    }

    /// Waits up to `timeout` for the next change.
    pub fn wait(&self, timeout: std::time::Duration) -> Option<Change> {
        let change = self.rx.recv_timeout(timeout).ok();
        if change.is_some() {
            self.state.queued.fetch_sub(1, Ordering::Relaxed);
        }
        change
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster() -> Change {
        Change::Roster
    }

    #[test]
    fn a_dropped_feed_leaves_the_broadcast_at_once() {
        let b = Broadcast::default();
        let feeds: Vec<ChangeFeed> = (0..500).map(|_| b.subscribe()).collect();
        assert_eq!(b.subscribers(), 500);
        drop(feeds);
        assert_eq!(b.subscribers(), 0, "released without waiting for a change");
        let kept = b.subscribe();
        b.send(roster());
        assert_eq!(kept.drain(), vec![Change::Roster]);
    }

    #[test]
    fn a_feed_that_falls_behind_is_told_to_reload() {
        let b = Broadcast::default();
        let feed = b.subscribe();
        for _ in 0..CAPACITY + 5 {
            b.send(roster());
        }
        let got = feed.drain();
        assert_eq!(got.len(), CAPACITY + 1);
        assert_eq!(got.last(), Some(&Change::Resync));
        b.send(roster());
        assert_eq!(
            feed.drain(),
            vec![Change::Roster],
            "it counts again from empty"
        );
    }
}
