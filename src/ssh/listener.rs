//! The accept loop and the limits applied before anyone logs in. russh's own loop stops the
//! whole server on the first accept error (e.g. too many open files) and cannot turn anyone
//! away before the handshake; this one keeps serving and decides at the TCP accept, before a
//! single SSH byte is sent:
//!
//! - at most `2 × max_sessions + 16` logged-in connections;
//! - per address, at most `per_source_rate` new connections a second (twice as many at once)
//!   and `per_source_startups` connections that have not logged in yet;
//! - in all, OpenSSH's `MaxStartups start:rate:full` random early drop of new connections
//!   while many have not logged in yet.
//!
//! When a limit is reached, a connection that has not sent a single byte for a second is
//! closed to make room (from the same address when that address is at its limit) before the
//! new one is refused: idle sockets cannot keep a reviewer out, while a client that speaks is
//! never pushed out by one that does not.
//!
//! Every connection runs on a thread of its own with its own small runtime, so the key
//! exchange of one client (a Diffie-Hellman computation takes milliseconds of CPU) never holds
//! up the encryption of another's console frames: the operating system shares the cores among
//! them. The login deadline runs from the TCP accept and closes the socket itself, whatever
//! state the SSH session is in; when the connection ends, its runtime, and every task russh
//! started for it, goes with it.
//!
//! When the server stops, the accept loop waits (a few seconds at most) for every connection
//! to end: one with a console is let hang up by itself after the console's farewell, the
//! others are sent a DISCONNECT.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use russh::Disconnect;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

use super::guard::{Limits, SourceRate};
use super::server::{Connection, Shared};

/// A connection that has sent nothing for this long may be closed to make room for a new one.
const SILENT_AFTER: Duration = Duration::from_secs(1);
/// How often refusals are summed up in the log while they go on.
const REFUSAL_LOG_EVERY: Duration = Duration::from_secs(10);
/// How long a stopping server waits for its connections to say goodbye.
const STOP_WAIT: Duration = Duration::from_secs(3);
/// How long a stopping server waits for a logged-in client to hang up by itself once its
/// consoles have closed their channels, before disconnecting it.
const HANG_UP_WAIT: Duration = Duration::from_millis(1500);

/// Connections allowed at once for a console cap of `max_sessions`: every console plus room
/// for people logging in.
pub(crate) fn max_connections(max_sessions: usize) -> usize {
    max_sessions * 2 + 16
}

/// Why a new connection was closed at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// As many logged-in connections as the server allows.
    Connections,
    /// The address opened connections faster than its rate.
    Rate,
    /// The address has `per_source_startups` connections not logged in yet.
    PerSource,
    /// `MaxStartups` dropped it.
    Startups,
}

impl Refusal {
    fn as_str(self) -> &'static str {
        match self {
            Refusal::Connections => "too many connections",
            Refusal::Rate => "too many new connections from this address",
            Refusal::PerSource => "too many connections not logged in from this address",
            Refusal::Startups => "too many connections not logged in (MaxStartups)",
        }
    }
}

/// One live connection, as the accept loop knows it.
struct Entry {
    ip: IpAddr,
    accepted: Instant,
    /// The client has sent at least one byte.
    heard: Arc<AtomicBool>,
    logged_in: Arc<AtomicBool>,
    cut: Cutter,
}

impl Entry {
    fn pending(&self) -> bool {
        !self.logged_in.load(Ordering::SeqCst)
    }

    fn silent(&self, now: Instant) -> bool {
        self.pending()
            && !self.heard.load(Ordering::SeqCst)
            && now.saturating_duration_since(self.accepted) >= SILENT_AFTER
    }
}

/// Every live connection and the per-address rates; shared by the accept loop and the
/// connection threads (which remove themselves when they end).
struct Registry {
    state: Mutex<RegistryState>,
    ended: Notify,
    next: AtomicU64,
}

struct RegistryState {
    entries: HashMap<u64, Entry>,
    rates: SourceRate,
}

impl Registry {
    fn new(limits: &Limits) -> Self {
        Registry {
            state: Mutex::new(RegistryState {
                entries: HashMap::new(),
                rates: SourceRate::new(limits.per_source_rate),
            }),
            ended: Notify::new(),
            next: AtomicU64::new(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, RegistryState> {
        match self.state.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Decides on a new connection from `ip`; on admission records it (with the parts `make`
    /// gives: whether it was heard, whether it logged in, and its `Cutter`) and returns its id.
    /// `roll` is a random number in 0..100 for `MaxStartups`. Closes a silent connection to
    /// make room where a limit is reached. A refusal costs little: a flood is refused here.
    fn admit(
        &self,
        ip: IpAddr,
        now: Instant,
        limits: &Limits,
        max_connections: usize,
        roll: u32,
        make: impl FnOnce() -> (Arc<AtomicBool>, Arc<AtomicBool>, Cutter),
    ) -> Result<u64, Refusal> {
        let mut state = self.lock();
        let logged_in = state.entries.values().filter(|e| !e.pending()).count();
        if logged_in >= max_connections {
            return Err(Refusal::Connections);
        }
        if !state.rates.take(ip, now) {
            return Err(Refusal::Rate);
        }
        let from_ip = state
            .entries
            .values()
            .filter(|e| e.pending() && e.ip == ip)
            .count();
        if from_ip >= limits.per_source_startups {
            if !state.evict_silent(Some(ip), now) {
                return Err(Refusal::PerSource);
            }
        } else {
            let pending = state.entries.values().filter(|e| e.pending()).count();
            if limits.max_startups.should_drop(pending, roll) && !state.evict_silent(None, now) {
                return Err(Refusal::Startups);
            }
        }
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        let (heard, logged_in, cut) = make();
        state.entries.insert(
            id,
            Entry {
                ip,
                accepted: now,
                heard,
                logged_in,
                cut,
            },
        );
        Ok(id)
    }

    fn remove(&self, id: u64) {
        self.lock().entries.remove(&id);
        self.ended.notify_waiters();
    }

    fn live(&self) -> usize {
        self.lock().entries.len()
    }
}

impl RegistryState {
    /// Closes the oldest connection (from `ip`, if given) that has not logged in and has sent
    /// nothing for `SILENT_AFTER`; false if there is none.
    fn evict_silent(&mut self, ip: Option<IpAddr>, now: Instant) -> bool {
        let victim = self
            .entries
            .iter()
            .filter(|(_, e)| e.silent(now) && ip.is_none_or(|ip| e.ip == ip))
            .min_by_key(|(_, e)| e.accepted)
            .map(|(id, _)| *id);
        match victim.and_then(|id| self.entries.remove(&id)) {
            Some(e) => {
                tracing::info!(peer = %e.ip, "closed a connection that sent nothing, to make room");
                e.cut.cut();
                true
            }
            None => false,
        }
    }
}

/// Counts refusals and writes them to the log without flooding it: the first at once, then
/// a sum every `REFUSAL_LOG_EVERY`.
struct RefusalLog {
    since: Instant,
    counts: HashMap<&'static str, usize>,
}

impl RefusalLog {
    fn new() -> Self {
        RefusalLog {
            since: Instant::now() - REFUSAL_LOG_EVERY,
            counts: HashMap::new(),
        }
    }

    fn note(&mut self, peer: SocketAddr, why: Refusal) {
        *self.counts.entry(why.as_str()).or_insert(0) += 1;
        if self.since.elapsed() >= REFUSAL_LOG_EVERY {
            let mut sums: Vec<_> = self.counts.drain().collect();
            sums.sort_unstable();
            let sums: Vec<String> = sums.iter().map(|(w, n)| format!("{n} × {w}")).collect();
            tracing::warn!(last = %peer, "connections closed at once: {}", sums.join(", "));
            self.since = Instant::now();
        }
    }
}

/// Serves connections from `listener` until `stop` turns true, then disconnects everyone
/// (waiting up to a few seconds for their goodbyes to be sent).
pub async fn serve(
    listener: &TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    stop: watch::Receiver<bool>,
) {
    let limits = shared.limits;
    let registry = Arc::new(Registry::new(&limits));
    let mut refusals = RefusalLog::new();
    let mut stop_accepting = stop.clone();
    loop {
        let accepted = tokio::select! {
            _ = stop_accepting.wait_for(|s| *s) => break,
            r = listener.accept() => r,
        };
        let (socket, peer) = match accepted {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("accepting a connection failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let now = Instant::now();
        let max = max_connections(shared.reviewers().settings.max_sessions);
        let roll = rand::random_range(0..100u32);
        let mut made = None;
        let admitted = registry.admit(peer.ip(), now, &limits, max, roll, || {
            let (stream, cut) = Tethered::new(socket);
            let logged_in = Arc::new(AtomicBool::new(false));
            let parts = (stream.heard.clone(), logged_in.clone(), cut.clone());
            made = Some((stream, cut, logged_in));
            parts
        });
        let (id, (stream, cut, logged_in)) = match (admitted, made) {
            (Ok(id), Some(made)) => (id, made),
            (Err(why), _) => {
                // Dropping the socket closes it.
                refusals.note(peer, why);
                continue;
            }
            (Ok(_), None) => continue,
        };
        let job = Job {
            id,
            peer,
            accepted: now,
            stream,
            cut,
            logged_in,
            config: config.clone(),
            shared: shared.clone(),
            stop: stop.clone(),
            registry: registry.clone(),
        };
        if let Err(e) = job.spawn() {
            tracing::error!(peer = %peer, "could not start a connection thread: {e}");
        }
    }
    // Stopping: each connection says goodbye and closes; wait for them (bounded).
    let deadline = tokio::time::Instant::now() + STOP_WAIT;
    while registry.live() > 0 {
        let ended = registry.ended.notified();
        if tokio::time::timeout_at(deadline, ended).await.is_err() {
            tracing::warn!(
                open = registry.live(),
                "stopping without waiting for every connection"
            );
            break;
        }
    }
}

/// One accepted connection, handed to its thread.
struct Job {
    id: u64,
    peer: SocketAddr,
    accepted: Instant,
    stream: Tethered,
    cut: Cutter,
    logged_in: Arc<AtomicBool>,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    stop: watch::Receiver<bool>,
    registry: Arc<Registry>,
}

/// Removes a connection from the registry when its thread ends, however it ends.
struct Leave {
    id: u64,
    registry: Arc<Registry>,
    cut: Cutter,
}

impl Drop for Leave {
    fn drop(&mut self) {
        self.cut.cut();
        self.registry.remove(self.id);
    }
}

impl Job {
    fn spawn(self) -> io::Result<()> {
        let leave = Leave {
            id: self.id,
            registry: self.registry.clone(),
            cut: self.cut.clone(),
        };
        std::thread::Builder::new()
            .name(format!("ssh-conn-{}", self.id))
            .spawn(move || {
                let _leave = leave;
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::error!(peer = %self.peer, "could not start a connection runtime: {e}");
                        return;
                    }
                };
                runtime.block_on(self.run());
                // Whatever russh still runs for this connection ends here, without waiting
                // for a blocked hand-over to a console (the console sees the channel close).
                runtime.shutdown_background();
            })
            .map(|_| ())
    }

    async fn run(self) {
        let Job {
            peer,
            accepted,
            mut stream,
            cut,
            logged_in,
            config,
            shared,
            mut stop,
            ..
        } = self;
        if let Err(e) = stream.register() {
            tracing::debug!(peer = %peer, "connection lost before it started: {e}");
            return;
        }
        let grace = shared.limits.login_grace;
        let deadline = tokio::time::Instant::from_std(accepted + grace);
        let handler = Connection::new(shared, Some(peer)).with_login_flag(logged_in.clone());
        let start = russh::server::run_stream(config, stream, handler);
        tokio::pin!(start);
        // Until the version lines and the first key exchange are done.
        let session = tokio::select! {
            r = &mut start => match r {
                Ok(s) => s,
                Err(e) => {
                    tracing::debug!(peer = %peer, "handshake failed: {e}");
                    return;
                }
            },
            _ = tokio::time::sleep_until(deadline) => {
                tracing::info!(peer = %peer, "disconnected: no login within {}s", grace.as_secs());
                return;
            }
            _ = stop.wait_for(|s| *s) => return,
        };
        let handle = session.handle();
        tokio::pin!(session);
        let login_late = async {
            tokio::time::sleep_until(deadline).await;
            if logged_in.load(Ordering::SeqCst) {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            r = &mut session => {
                if let Err(e) = r {
                    tracing::debug!(peer = %peer, "connection ended with an error: {e}");
                }
            }
            _ = login_late => {
                tracing::info!(peer = %peer, "disconnected: no login within {}s", grace.as_secs());
                let bye = handle.disconnect(
                    Disconnect::ByApplication,
                    "login took too long".into(),
                    String::new(),
                );
                let _ = tokio::time::timeout(Duration::from_millis(200), bye).await;
                let _ = tokio::time::timeout(Duration::from_millis(300), &mut session).await;
            }
            _ = stop.wait_for(|s| *s) => {
                // The consoles have given their terminals back and closed their channels by
                // now, and a client with no channel left hangs up by itself. It must be let
                // do so: OpenSSH exits on a DISCONNECT at once, without writing out data it
                // has received but not yet shown, so a DISCONNECT sent right behind the
                // console's last bytes (in the same read) loses the farewell.
                if logged_in.load(Ordering::SeqCst)
                    && tokio::time::timeout(HANG_UP_WAIT, &mut session).await.is_ok()
                {
                    cut.cut();
                    return;
                }
                let bye = handle.disconnect(
                    Disconnect::ByApplication,
                    "the thidua server is stopping".into(),
                    String::new(),
                );
                let _ = tokio::time::timeout(Duration::from_secs(1), bye).await;
                let _ = tokio::time::timeout(Duration::from_secs(2), &mut session).await;
            }
        }
        cut.cut();
    }
}

/// The socket of one connection, which the accept loop can close at any time (`Cutter`),
/// whatever the SSH session is doing with it; it also notes whether the client has sent
/// anything yet.
struct Tethered {
    inner: Arc<Mutex<Tether>>,
    heard: Arc<AtomicBool>,
}

struct Tether {
    /// Accepted on the listener's runtime, moved to the connection's own by `register`.
    std: Option<std::net::TcpStream>,
    stream: Option<TcpStream>,
    cut: bool,
    wakers: Vec<Waker>,
}

/// Closes a connection's socket.
#[derive(Clone)]
struct Cutter(Arc<Mutex<Tether>>);

fn lock(t: &Mutex<Tether>) -> MutexGuard<'_, Tether> {
    match t.lock() {
        Ok(t) => t,
        Err(poisoned) => poisoned.into_inner(),
    }
}

impl Cutter {
    /// Closes the socket now and wakes whoever waits on it (they see it gone).
    fn cut(&self) {
        let (stream, std, wakers) = {
            let mut t = lock(&self.0);
            t.cut = true;
            (t.stream.take(), t.std.take(), std::mem::take(&mut t.wakers))
        };
        drop(stream);
        drop(std);
        for w in wakers {
            w.wake();
        }
    }
}

impl Tethered {
    fn new(socket: TcpStream) -> (Tethered, Cutter) {
        if let Err(e) = socket.set_nodelay(true) {
            tracing::debug!("set_nodelay failed: {e}");
        }
        let std = socket.into_std().ok();
        let inner = Arc::new(Mutex::new(Tether {
            std,
            stream: None,
            cut: false,
            wakers: Vec::new(),
        }));
        (
            Tethered {
                inner: inner.clone(),
                heard: Arc::new(AtomicBool::new(false)),
            },
            Cutter(inner),
        )
    }

    /// Registers the socket with the runtime of the thread that calls it.
    fn register(&mut self) -> io::Result<()> {
        let mut t = lock(&self.inner);
        let Some(std) = t.std.take() else {
            return Err(io::ErrorKind::ConnectionAborted.into());
        };
        t.stream = Some(TcpStream::from_std(std)?);
        Ok(())
    }

    /// Runs `f` on the socket, or fails if it was closed; remembers the task to wake on close.
    fn with<T>(
        &self,
        cx: &mut Context<'_>,
        f: impl FnOnce(Pin<&mut TcpStream>, &mut Context<'_>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        let mut t = lock(&self.inner);
        if t.cut {
            return Poll::Ready(Err(io::ErrorKind::ConnectionAborted.into()));
        }
        if !t.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            if t.wakers.len() >= 4 {
                t.wakers.remove(0);
            }
            t.wakers.push(cx.waker().clone());
        }
        match t.stream.as_mut() {
            Some(s) => f(Pin::new(s), cx),
            None => Poll::Ready(Err(io::ErrorKind::NotConnected.into())),
        }
    }
}

impl AsyncRead for Tethered {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = self.with(cx, |s, cx| s.poll_read(cx, buf));
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.heard.store(true, Ordering::SeqCst);
        }
        r
    }
}

impl AsyncWrite for Tethered {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.with(cx, |s, cx| s.poll_write(cx, buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with(cx, |s, cx| s.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with(cx, |s, cx| s.poll_shutdown(cx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> (Arc<AtomicBool>, Arc<AtomicBool>, Cutter) {
        let tether = Arc::new(Mutex::new(Tether {
            std: None,
            stream: None,
            cut: false,
            wakers: Vec::new(),
        }));
        (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicBool::new(false)),
            Cutter(tether),
        )
    }

    fn limits() -> Limits {
        Limits {
            max_startups: "4:50:8".parse().expect("max startups"),
            per_source_startups: 3,
            per_source_rate: 100,
            ..Limits::default()
        }
    }

    #[test]
    fn an_address_at_its_limit_makes_room_only_by_closing_a_silent_connection() {
        let r = Registry::new(&limits());
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        let t0 = Instant::now();
        let mut admitted = Vec::new();
        for i in 0..3 {
            let p = parts();
            admitted.push(p.clone());
            r.admit(ip, t0 + Duration::from_millis(i), &limits(), 10, 99, || p)
                .expect("under the limit");
        }
        assert_eq!(
            r.admit(ip, t0, &limits(), 10, 99, parts),
            Err(Refusal::PerSource),
            "none is silent for a second yet"
        );
        // The first speaks; the second does not.
        admitted[0].0.store(true, Ordering::SeqCst);
        let later = t0 + SILENT_AFTER + Duration::from_millis(5);
        r.admit(ip, later, &limits(), 10, 99, parts)
            .expect("room made");
        assert!(!lock(&admitted[0].2.0).cut, "a client that speaks stays");
        assert!(
            lock(&admitted[1].2.0).cut,
            "the oldest silent one is closed"
        );
        let other: IpAddr = "192.0.2.2".parse().expect("ip");
        r.admit(other, later, &limits(), 10, 99, parts)
            .expect("another address has its own limit");
    }

    #[test]
    fn max_startups_drops_at_random_and_logged_in_connections_do_not_count() {
        let r = Registry::new(&limits());
        let t0 = Instant::now();
        let mut all = Vec::new();
        for i in 0..4u8 {
            let p = parts();
            p.0.store(true, Ordering::SeqCst);
            all.push(p.clone());
            r.admit(IpAddr::from([192, 0, 2, i]), t0, &limits(), 10, 0, || p)
                .expect("below start");
        }
        let ip = IpAddr::from([192, 0, 2, 9]);
        assert_eq!(
            r.admit(ip, t0, &limits(), 10, 49, parts),
            Err(Refusal::Startups),
            "a low roll is dropped at 50 %"
        );
        r.admit(ip, t0, &limits(), 10, 50, parts)
            .expect("a high roll goes in");
        for p in &all {
            p.1.store(true, Ordering::SeqCst);
        }
        r.admit(ip, t0, &limits(), 10, 0, parts)
            .expect("logged-in connections are not pending");
        assert_eq!(
            r.admit(ip, t0, &limits(), 4, 99, parts),
            Err(Refusal::Connections)
        );
    }

    #[test]
    fn each_address_is_held_to_its_rate() {
        let l = Limits {
            per_source_rate: 1,
            per_source_startups: 100,
            max_startups: "100:30:200".parse().expect("max startups"),
            ..Limits::default()
        };
        let r = Registry::new(&l);
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        let t0 = Instant::now();
        assert!(r.admit(ip, t0, &l, 10, 99, parts).is_ok());
        assert!(r.admit(ip, t0, &l, 10, 99, parts).is_ok());
        assert_eq!(r.admit(ip, t0, &l, 10, 99, parts), Err(Refusal::Rate));
        assert!(
            r.admit(ip, t0 + Duration::from_secs(1), &l, 10, 99, parts)
                .is_ok()
        );
    }
}
