//! One in-process broadcast from the write path: every committed change is offered to each
//! subscriber without ever blocking the writer. A subscriber that falls more than `CAPACITY`
//! changes behind is told to reload (`Change::Resync`) instead of holding the writer up.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use crate::domain::{Initiative, Verdict};

const CAPACITY: usize = 1024;

/// A committed change, as other sessions need to hear of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Verdict {
        subject: String,
        criterion: String,
        verdict: Verdict,
    },
    Initiative(Initiative),
    /// Subjects or initiatives were imported.
    Roster,
    /// Changes were dropped for this subscriber: reload everything.
    Resync,
}

struct Subscriber {
    tx: SyncSender<Change>,
    overflowed: Arc<AtomicBool>,
}

#[derive(Default)]
pub struct Broadcast {
    subscribers: Mutex<Vec<Subscriber>>,
}

/// The receiving end of a subscription.
pub struct ChangeFeed {
    rx: Receiver<Change>,
    overflowed: Arc<AtomicBool>,
}

impl Broadcast {
    pub fn subscribe(&self) -> ChangeFeed {
        let (tx, rx) = sync_channel(CAPACITY);
        let overflowed = Arc::new(AtomicBool::new(false));
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.push(Subscriber {
                tx,
                overflowed: overflowed.clone(),
            });
        }
        ChangeFeed { rx, overflowed }
    }

    pub fn send(&self, change: Change) {
        let Ok(mut subs) = self.subscribers.lock() else {
            return;
        };
        subs.retain(|s| match s.tx.try_send(change.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                s.overflowed.store(true, Ordering::Relaxed);
                true
            }
            Err(TrySendError::Disconnected(_)) => false,
        });
    }
}

impl ChangeFeed {
    /// Every change received so far, without waiting; ends with `Resync` if any were dropped.
    pub fn drain(&self) -> Vec<Change> {
        let mut out: Vec<Change> = self.rx.try_iter().collect();
        if self.overflowed.swap(false, Ordering::Relaxed) {
            out.push(Change::Resync);
        }
        out
    }

    /// Waits up to `timeout` for the next change.
    pub fn wait(&self, timeout: std::time::Duration) -> Option<Change> {
        self.rx.recv_timeout(timeout).ok()
    }
}
