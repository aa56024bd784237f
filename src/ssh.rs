//! `thidua serve`: thidua as its own SSH server. sled lets one process open a database, so
//! one server process owns it and every reviewer connects with `ssh -p PORT host` to a console
//! session of their own in that process; a change saved in one session reaches the others
//! through the store's in-process change feed.
//!
//! Parts: `reviewers` (who may connect), `host_key`, `guard` (failure slow-down, session cap),
//! `presence` (who is where), `input` (raw bytes → keys), `backend` (frames → bytes),
//! `server` (russh handler and refusals), `listener` (the accept loop and its limits). The
//! per-channel console driver is `console`: `server` → `console` → the shared pieces, one way.

pub mod backend;
pub mod console;
pub(crate) mod guard;
pub(crate) mod host_key;
pub mod input;
pub(crate) mod listener;
pub mod presence;
pub mod reviewers;
pub mod server;
pub mod shared;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::domain::Lang;
use crate::msg::{Key, Part, Told};
use crate::store::Store;
use anyhow::Context;
use reviewers::{FileStamp, Reviewers};
use server::Shared;

/// How often the reviewers file is checked for changes.
const RELOAD_EVERY: Duration = Duration::from_secs(2);

/// What `thidua serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub db: PathBuf,
    pub listen: String,
    pub reviewers: PathBuf,
    pub host_key: PathBuf,
    pub log: PathBuf,
    pub no_color: bool,
    /// The language of what `serve` itself says (its start lines, a refused reviewers file).
    pub lang: Lang,
    /// Limits on connections and consoles (login deadline, MaxStartups, per address, per key).
    pub limits: guard::Limits,
}

/// Runs the server until Ctrl-C or SIGTERM. Prints the address, the host key fingerprint and
/// the log path on stdout; everything after that goes to the log file.
pub fn serve(opts: &ServeOptions) -> anyhow::Result<()> {
    let lang = opts.lang;
    let list = Reviewers::load(&opts.reviewers).map_err(|e| anyhow::anyhow!(e.worded(lang)))?;
    let store = Arc::new(Store::open(&opts.db)?);
    // `status`, `log`, `export` and `verify` on this machine are answered from here.
    let _reader = crate::store::reader::serve(store.clone())
        .inspect_err(|e| tracing::warn!("no reader socket for other commands: {e}"))
        .ok();
    let key = host_key::load_or_create(&opts.host_key)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("ssh")
        .build()
        .with_context(|| say(lang, Key::SrvRuntime, []))?;
    let shared = Arc::new(
        Shared::new(store.clone(), list, runtime.handle().clone(), opts.no_color)
            .with_limits(opts.limits),
    );
    shared.prepare_index();
    let backups = spawn_backups(store.clone());
    let result = runtime.block_on(run(opts, shared.clone(), key));
    runtime.shutdown_timeout(Duration::from_secs(2));
    drop(shared);
    // Dropping the sender stops the backup thread; then one last backup of the final state.
    drop(backups.0);
    let _ = backups.1.join();
    crate::store::backup::rolling(&store, chrono::Utc::now());
    result
}

/// Writes a rolling backup every `store::backup::EVERY` on a thread of its own (it is
/// blocking file work) until the returned sender is dropped.
fn spawn_backups(store: Arc<Store>) -> (std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
            rx.recv_timeout(crate::store::backup::EVERY)
        {
            crate::store::backup::rolling(&store, chrono::Utc::now());
        }
    });
    (tx, handle)
}

async fn run(
    opts: &ServeOptions,
    shared: Arc<Shared>,
    key: host_key::HostKey,
) -> anyhow::Result<()> {
    let lang = opts.lang;
    let cannot_listen = || say(lang, Key::SrvCannotListen, [opts.listen.clone()]);
    let listener = tokio::net::TcpListener::bind(&opts.listen)
        .await
        .with_context(cannot_listen)?;
    let addr = listener.local_addr().with_context(cannot_listen)?;
    shared.store.announce_owner(Some(&addr.to_string()));
    let _ = shared.port.set(addr.port());
    let fingerprint = key.fingerprint();
    let reviewers = shared.reviewers();
    let shown = |p: &std::path::Path| crate::text::clean(&p.display().to_string());
    tell(&say(lang, Key::SrvListening, [addr.to_string()]));
    tell(&say(
        lang,
        if key.created {
            Key::SrvHostKeyNew
        } else {
            Key::SrvHostKeyKept
        },
        [shown(&opts.host_key), fingerprint.to_string()],
    ));
    tell(&say(
        lang,
        Key::SrvStarted,
        [
            reviewers.reviewers.len().to_string(),
            shown(&opts.reviewers),
            reviewers.settings.max_sessions.to_string(),
            shown(&opts.log),
        ],
    ));
    tell(&say(lang, Key::SrvConnectWith, [addr.port().to_string()]));
    let l = opts.limits;
    tracing::info!(%addr, %fingerprint, db = %opts.db.display(),
        login_grace_s = l.login_grace.as_secs(), max_startups = %l.max_startups,
        per_source_startups = l.per_source_startups, per_source_rate = l.per_source_rate,
        consoles_per_key = l.consoles_per_key, "server started");

    let stop = Arc::new(AtomicBool::new(false));
    let waker = spawn_waker(shared.clone(), stop.clone(), lang)?;
    let reload = tokio::spawn(watch_reviewers(
        opts.reviewers.clone(),
        shared.clone(),
        lang,
    ));

    let config = Arc::new(server::config(key.key));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let serving = listener::serve(&listener, config, shared.clone(), stop_rx);
    tokio::pin!(serving);
    tokio::select! {
        _ = &mut serving => {}
        _ = shutdown_signal() => {
            tracing::info!("stopping on a signal");
            close_consoles(&shared).await;
            let _ = stop_tx.send(true);
            // Connections with a console hang up by themselves once it has said goodbye
            // (`listener::HANG_UP_WAIT`); the others are disconnected.
            let _ = tokio::time::timeout(Duration::from_secs(3), &mut serving).await;
        }
    }
    reload.abort();
    stop.store(true, Ordering::SeqCst);
    let _ = waker.join();
    tracing::info!("server stopped");
    Ok(())
}

/// Asks every console to give its terminal back and close, and waits (a few seconds at most)
/// until they have, so nobody is left with a blank screen and a hidden cursor.
async fn close_consoles(shared: &Shared) {
    let senders: Vec<_> = match shared.drivers.lock() {
        Ok(d) => d.values().cloned().collect(),
        Err(_) => Vec::new(),
    };
    for tx in senders {
        // A full queue means a stalled console: the disconnect that follows ends it.
        let _ = tx.try_send(server::DriverInput::Shutdown);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while tokio::time::Instant::now() < deadline
        && shared
            .drivers
            .lock()
            .map(|d| !d.is_empty())
            .unwrap_or(false)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One thread listens to the store's change feed and wakes every console, so a verdict saved
/// in one session shows in the others at once.
fn spawn_waker(
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    lang: Lang,
) -> anyhow::Result<std::thread::JoinHandle<()>> {
    let feed = shared.store.subscribe();
    std::thread::Builder::new()
        .name("ssh-waker".into())
        .spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                if feed.wait(Duration::from_millis(250)).is_some() {
                    let _ = feed.drain();
                    // The shared index takes the changes in once; the consoles then find it
                    // current.
                    shared.index.refresh();
                    shared.wake_all();
                }
            }
        })
        .with_context(|| say(lang, Key::SrvWatcher, []))
}

/// Reads the reviewers file again when it changes (checked every 2 s) or on SIGHUP; a bad
/// edit is logged and the list in force kept.
async fn watch_reviewers(path: PathBuf, shared: Arc<Shared>, lang: Lang) {
    let mut stamp = FileStamp::new(&path);
    let mut tick = tokio::time::interval(RELOAD_EVERY);
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        #[cfg(unix)]
        let forced = match hup.as_mut() {
            Some(h) => tokio::select! {
                _ = tick.tick() => false,
                _ = h.recv() => true,
            },
            None => {
                tick.tick().await;
                false
            }
        };
        #[cfg(not(unix))]
        let forced = {
            tick.tick().await;
            false
        };
        if !stamp.changed() && !forced {
            continue;
        }
        match Reviewers::load(&path) {
            Ok(list) => {
                tracing::info!(
                    reviewers = list.reviewers.len(),
                    "reviewers file reloaded{}",
                    if forced { " (SIGHUP)" } else { "" }
                );
                shared.set_reviewers(list);
            }
            Err(e) => {
                tracing::warn!("{}", say(lang, Key::RevNotReloaded, [e.worded(lang)]));
            }
        }
    }
}

/// A catalogue message with plain-text arguments, in `lang`.
fn say<const N: usize>(lang: Lang, key: Key, args: [String; N]) -> String {
    crate::i18n::word_told(lang, &Told::new(key, args.map(Part::Text)))
}

/// One start line on stdout. A closed stdout (a pipe whose reader went away) is not an error
/// of the server's: the line is dropped and the server goes on.
fn tell(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
        match term {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
