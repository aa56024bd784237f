//! What every connection and console of one server shares: the store, the reviewers list in
//! force, the guard and limits, presence, and each running console's input queue. The server
//! (`server`) and the console drivers (`console`) both look down to it; neither looks at the
//! other's internals through it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex, RwLock};

use super::guard::{Guard, Limits};
use super::presence::Presence;
use super::reviewers::Reviewers;
use crate::runtime::shared_index::SharedIndex;
use crate::store::Store;

/// What the connection tells a console driver.
#[derive(Debug)]
pub enum DriverInput {
    /// Bytes typed by the client.
    Data(Vec<u8>),
    /// The client's terminal size changed (columns, rows).
    Resize(u16, u16),
    /// Something shared changed (a verdict, presence): look again.
    Wake,
    /// The channel or connection closed.
    Close,
    /// The server is stopping: give the terminal back and close.
    Shutdown,
}

/// State shared by every connection of one server.
pub struct Shared {
    pub store: Arc<Store>,
    /// The one index every console of the server opens with and shares.
    pub index: Arc<SharedIndex>,
    pub reviewers: RwLock<Arc<Reviewers>>,
    pub guard: Guard,
    /// The limits set by `thidua serve` flags.
    pub limits: Limits,
    pub presence: Presence,
    /// Every running console's input queue, to wake them when shared state changes.
    pub drivers: Mutex<HashMap<u64, SyncSender<DriverInput>>>,
    pub runtime: tokio::runtime::Handle,
    pub no_color: bool,
    /// The port the server listens on, for messages telling people how to connect.
    pub port: std::sync::OnceLock<u16>,
    next_id: AtomicU64,
    /// The keys (fingerprints) running a command over SSH now: one each at most.
    commands: KeyPlaces,
}

/// The keys running a command now.
#[derive(Default, Clone)]
pub struct KeyPlaces(Arc<Mutex<std::collections::HashSet<String>>>);

impl KeyPlaces {
    /// Takes `key`'s one place, or `None` while it is taken.
    pub fn try_take(&self, key: &str) -> Option<CommandPlace> {
        let mut set = match self.0.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if !set.insert(key.to_string()) {
            return None;
        }
        Some(CommandPlace {
            key: key.to_string(),
            commands: self.0.clone(),
        })
    }
}

/// A key's place for one running command; given back when dropped, however the command ends.
pub struct CommandPlace {
    key: String,
    commands: Arc<Mutex<std::collections::HashSet<String>>>,
}

impl Drop for CommandPlace {
    fn drop(&mut self) {
        let mut set = match self.commands.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        set.remove(&self.key);
    }
}

impl Shared {
    pub fn new(
        store: Arc<Store>,
        reviewers: Reviewers,
        runtime: tokio::runtime::Handle,
        no_color: bool,
    ) -> Self {
        Self {
            index: SharedIndex::new(store.clone()),
            store,
            reviewers: RwLock::new(Arc::new(reviewers)),
            guard: Guard::new(),
            limits: Limits::default(),
            presence: Presence::new(),
            drivers: Mutex::new(HashMap::new()),
            runtime,
            no_color,
            port: std::sync::OnceLock::new(),
            next_id: AtomicU64::new(1),
            commands: KeyPlaces::default(),
        }
    }

    /// The same, with `limits` instead of the defaults.
    pub(crate) fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The reviewers list in force.
    pub fn reviewers(&self) -> Arc<Reviewers> {
        match self.reviewers.read() {
            Ok(r) => r.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the reviewers list; open sessions keep running.
    pub(crate) fn set_reviewers(&self, new: Reviewers) {
        match self.reviewers.write() {
            Ok(mut r) => *r = Arc::new(new),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(new),
        }
    }

    /// Makes the shared index on a thread of its own (from the snapshot when it is current),
    /// so the first console does not wait for it.
    pub fn prepare_index(&self) {
        let index = self.index.clone();
        let spawned = std::thread::Builder::new()
            .name("index".into())
            .spawn(move || index.refresh());
        if let Err(e) = spawned {
            tracing::warn!("could not start making the index: {e}");
        }
    }

    /// Asks every console to look at shared state again.
    pub(crate) fn wake_all(&self) {
        if let Ok(d) = self.drivers.lock() {
            for tx in d.values() {
                // A full queue means that console is busy and will look anyway.
                let _ = tx.try_send(DriverInput::Wake);
            }
        }
    }

    /// Takes `key`'s place for a command over SSH, or `None` while that key already runs one:
    /// one client cannot take every place commands have (`commands::remote`).
    pub fn try_command(&self, key: &str) -> Option<CommandPlace> {
        self.commands.try_take(key)
    }

    pub(crate) fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::SeqCst)
    }
}

/// How a command run over SSH (`ssh -p PORT host status`) ended: the error text for the
/// client's stderr, and its exit status. Its standard output went to the channel as it was
/// produced.
pub struct ExecOutput {
    pub stderr: String,
    pub status: u32,
}

/// Runs one command line given over SSH (already split into words) for a reviewer of `role`,
/// in `lang`, against the server's own store, writing its standard output to `stdout` (the
/// channel, held back by the client's window). `thidua serve` installs it: the command line's
/// definitions live above this layer.
pub(crate) type ExecRunner = dyn Fn(
        &Store,
        &[String],
        &str,
        crate::domain::Role,
        crate::domain::Lang,
        &mut dyn std::io::Write,
    ) -> ExecOutput
    + Send
    + Sync;

/// The runner for commands over SSH; without one every command is refused.
pub(crate) static EXEC: std::sync::OnceLock<Arc<ExecRunner>> = std::sync::OnceLock::new();

#[cfg(test)]
mod tests {
    use super::KeyPlaces;

    #[test]
    fn a_key_has_one_command_place_given_back_when_its_command_ends() {
        let places = KeyPlaces::default();
        let first = places.try_take("SHA256:a").expect("a free place");
        assert!(places.try_take("SHA256:a").is_none(), "a second is refused");
        let other = places
            .try_take("SHA256:b")
            .expect("another key has its own");
        drop(first);
        let again = places
            .try_take("SHA256:a")
            .expect("given back when it ends");
        drop((again, other));
        assert!(places.0.lock().expect("lock").is_empty());
    }
}
