//! The russh server: one `Connection` per TCP client. It authenticates by public key only
//! (against the reviewers file), refuses everything but a pty + shell (exec, subsystems,
//! forwarding, X11, agent, other env vars), and hands each accepted shell to a console driver
//! thread (`ssh::console`) that owns the session. Every connection, authentication (with the
//! key's fingerprint) and disconnection is logged.
//!
//! The async side only forwards: key bytes and window changes go to the driver through a
//! bounded queue (a full queue holds the SSH connection back, not memory), and the driver
//! writes frames through the channel's flow-controlled write half.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::{Duration, Instant};

use russh::keys::PublicKey;
use russh::server::{
    Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelWriteHalf, MethodKind, MethodSet};
use tokio::sync::watch;

use super::guard::Full;
use super::reviewers::{self, Reviewer};
pub use super::shared::{DriverInput, Shared};
use crate::domain::Lang;

/// Queued inputs per console before the connection is held back.
const INPUT_QUEUE: usize = 256;
/// Largest terminal accepted; bigger sizes are clamped.
const MAX_COLS: u32 = 1000;
const MAX_ROWS: u32 = 500;

/// Key exchanges offered, best first: the hybrid post-quantum one and curve25519 (cheap for
/// the server), then one Diffie-Hellman group for clients without them. No 8192-bit or 6144-bit
/// group and no group exchange (each costs the server far more than it costs a client, which
/// is what DHEat floods exploit), no 2048-bit group14. The pseudo-algorithms announce RFC 8308
/// extensions and strict key exchange (against Terrapin).
pub(crate) const KEX: &[russh::kex::Name] = &[
    russh::kex::MLKEM768X25519_SHA256,
    russh::kex::CURVE25519,
    russh::kex::CURVE25519_PRE_RFC_8731,
    russh::kex::DH_G16_SHA512,
    russh::kex::EXTENSION_SUPPORT_AS_SERVER,
    russh::kex::EXTENSION_OPENSSH_STRICT_KEX_AS_SERVER,
];

/// MACs offered: encrypt-then-MAC only (the AEAD ciphers offered first need none).
pub(crate) const MACS: &[russh::mac::Name] =
    &[russh::mac::HMAC_SHA512_ETM, russh::mac::HMAC_SHA256_ETM];

/// No compression, so nothing a client sends before logging in is ever decompressed.
pub(crate) const COMPRESSION: &[russh::compression::Name] = &[russh::compression::NONE];

/// The russh settings: public key only, our host key, keepalives instead of russh's own
/// inactivity cut-off (idle consoles are closed by the driver, with a message; a connection
/// that has not logged in is closed by the accept loop), and the algorithms above.
pub fn config(host_key: russh::keys::PrivateKey) -> russh::server::Config {
    russh::server::Config {
        preferred: russh::Preferred {
            kex: std::borrow::Cow::Borrowed(KEX),
            mac: std::borrow::Cow::Borrowed(MACS),
            compression: std::borrow::Cow::Borrowed(COMPRESSION),
            ..russh::Preferred::DEFAULT
        },
        server_id: russh::SshId::Standard(
            format!("SSH-2.0-thidua_{}", env!("CARGO_PKG_VERSION")).into(),
        ),
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![host_key],
        max_auth_attempts: 6,
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 4,
        nodelay: true,
        ..Default::default()
    }
}

fn display_peer(peer: Option<SocketAddr>) -> String {
    peer.map_or_else(|| "unknown".to_string(), |p| p.to_string())
}

/// What one session channel has asked for so far.
struct ChannelState {
    write: Option<ChannelWriteHalf<Msg>>,
    size: Option<(u16, u16)>,
    lang: Option<Lang>,
    driver: Option<SyncSender<DriverInput>>,
    closed: watch::Sender<bool>,
}

/// One client connection.
pub struct Connection {
    shared: Arc<Shared>,
    id: u64,
    peer: Option<SocketAddr>,
    reviewer: Option<Reviewer>,
    /// The fingerprint of the key that logged in.
    key: Option<String>,
    channels: HashMap<ChannelId, ChannelState>,
    logged_in: Arc<AtomicBool>,
}

impl Connection {
    /// A new client at `peer`.
    pub fn new(shared: Arc<Shared>, peer: Option<SocketAddr>) -> Connection {
        let id = shared.next_id();
        tracing::info!(conn = id, peer = %display_peer(peer), "connection opened");
        Connection {
            shared,
            id,
            peer,
            reviewer: None,
            key: None,
            channels: HashMap::new(),
            logged_in: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Turns true once the client has logged in.
    pub fn logged_in(&self) -> Arc<AtomicBool> {
        self.logged_in.clone()
    }

    /// The same, reporting the login on `flag` (the accept loop's record of the connection).
    pub(crate) fn with_login_flag(mut self, flag: Arc<AtomicBool>) -> Self {
        self.logged_in = flag;
        self
    }

    fn ip(&self) -> Option<IpAddr> {
        self.peer.map(|p| p.ip())
    }

    /// Counts a refusal against the client's address and user name and holds the answer
    /// back as long as their record says.
    async fn refuse(&self, user: &str, what: &str, detail: &str) -> Auth {
        if let Some(ip) = self.ip() {
            let count = self.shared.guard.record_failure(ip, user, Instant::now());
            let delay = self.shared.guard.delay_for(ip, user, Instant::now());
            tracing::warn!(conn = self.id, peer = %display_peer(self.peer), user = %user.escape_debug(), failures = count,
                delay_ms = delay.as_millis() as u64, "authentication refused: {what} {detail}");
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
        }
        Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
            partial_success: false,
        }
    }

    fn known(&self, key: &PublicKey) -> Option<Reviewer> {
        self.shared.reviewers().find(key).cloned()
    }

    /// Writes `message` to the client's stderr, sets exit status 1 and closes the channel.
    fn refuse_channel(&mut self, channel: ChannelId, session: &mut Session, message: &str) {
        tracing::info!(conn = self.id, "refused on channel {channel:?}: {message}");
        let _ = session.extended_data(channel, 1, format!("thidua: {message}\r\n").into_bytes());
        let _ = session.exit_status_request(channel, 1);
        let _ = session.eof(channel);
        let _ = session.close(channel);
        if let Some(state) = self.channels.remove(&channel) {
            // A console already running on this channel (an exec or a subsystem asked for
            // on it) ends with it and gives back its slot.
            state.closed.send_replace(true);
            if let Some(tx) = state.driver {
                let _ = tx.try_send(DriverInput::Close);
            }
        }
    }

    fn connect_hint(&self) -> String {
        match self.shared.port.get() {
            Some(port) => format!("ssh -p {port} HOST"),
            None => "ssh -p PORT HOST".to_string(),
        }
    }

    fn console_hint(&self) -> String {
        format!(
            "only the console is available here: connect with `{}` and no command",
            self.connect_hint()
        )
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        for (_, state) in self.channels.drain() {
            state.closed.send_replace(true);
            if let Some(tx) = state.driver {
                let _ = tx.try_send(DriverInput::Close);
            }
        }
        let who = self.reviewer.as_ref().map_or("-", |r| r.name.as_str());
        tracing::info!(conn = self.id, peer = %display_peer(self.peer), reviewer = who, "connection closed");
    }
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
            partial_success: false,
        })
    }

    async fn auth_password(&mut self, user: &str, _password: &str) -> Result<Auth, Self::Error> {
        Ok(self
            .refuse(
                user,
                "password",
                &format!("for user {user:?} (only public keys are accepted)"),
            )
            .await)
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        _response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        Ok(self
            .refuse(user, "keyboard-interactive", &format!("for user {user:?}"))
            .await)
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        if self.known(offer.public_key).is_some() {
            return Ok(Auth::Accept);
        }
        let fp = reviewers::fingerprint(offer.public_key);
        Ok(self.refuse(user, "unknown key", &fp).await)
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let fp = reviewers::fingerprint(key.public_key);
        match self.known(key.public_key) {
            Some(r) => {
                tracing::info!(conn = self.id, peer = %display_peer(self.peer), reviewer = %r.name,
                    role = r.role.as_str(), key = %fp, "authenticated");
                if let Some(ip) = self.ip() {
                    self.shared.guard.record_success(ip, user);
                }
                self.reviewer = Some(r);
                self.key = Some(fp);
                self.logged_in.store(true, Ordering::SeqCst);
                Ok(Auth::Accept)
            }
            None => Ok(self.refuse(user, "unknown key", &fp).await),
        }
    }

    async fn auth_openssh_certificate(
        &mut self,
        user: &str,
        _certificate: &russh::keys::Certificate,
    ) -> Result<Auth, Self::Error> {
        Ok(self
            .refuse(user, "certificate", "(certificates are not accepted)")
            .await)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.reviewer.is_none() || self.channels.len() >= 2 {
            drop(reply);
            return Ok(());
        }
        let id = channel.id();
        // Requests reach us through the handler; the read half is not needed, and dropping it
        // keeps russh from ever waiting on it.
        let (read, write) = channel.split();
        drop(read);
        let (closed, _) = watch::channel(false);
        self.channels.insert(
            id,
            ChannelState {
                write: Some(write),
                size: None,
                lang: None,
                driver: None,
                closed,
            },
        );
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(state) if state.driver.is_none() => {
                state.size = Some(clamp_size(col_width, row_height));
                session.channel_success(channel)?;
            }
            _ => session.channel_failure(channel)?,
        }
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let honoured = matches!(name, "LANG" | "LC_ALL");
        match self.channels.get_mut(&channel) {
            Some(state) if honoured && state.driver.is_none() => {
                if let Some(lang) = Lang::from_locale(value) {
                    // LC_ALL overrides LANG whatever order they come in.
                    if name == "LC_ALL" || state.lang.is_none() {
                        state.lang = Some(lang);
                    }
                }
                session.channel_success(channel)?;
            }
            _ => {
                tracing::debug!(conn = self.id, "env {name} refused");
                session.channel_failure(channel)?;
            }
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(reviewer) = self.reviewer.clone() else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        let Some(state) = self.channels.get_mut(&channel) else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        if state.driver.is_some() {
            session.channel_failure(channel)?;
            return Ok(());
        }
        let Some((width, height)) = state.size else {
            session.channel_success(channel)?;
            let msg = format!(
                "the console needs a terminal: connect with `{}`",
                self.connect_hint().replacen("ssh ", "ssh -t ", 1)
            );
            self.refuse_channel(channel, session, &msg);
            return Ok(());
        };
        let settings = self.shared.reviewers().settings;
        let per_key = self.shared.limits.consoles_per_key;
        let key = self.key.clone().unwrap_or_default();
        let opened = self
            .shared
            .guard
            .try_open_session_for(settings.max_sessions, &key, per_key);
        let slot = match opened {
            Ok(slot) => slot,
            Err(full) => {
                session.channel_success(channel)?;
                let msg = match full {
                    Full::Server => format!(
                        "the server is full ({} consoles open, the most it allows); try again later",
                        settings.max_sessions
                    ),
                    Full::Key => format!(
                        "this key already has {per_key} consoles open, the most one key may; \
                     close one of them first"
                    ),
                };
                let _ = session.data(channel, format!("thidua: {msg}\r\n").into_bytes());
                self.refuse_channel(channel, session, &msg);
                return Ok(());
            }
        };
        let Some(state) = self.channels.get_mut(&channel) else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        let Some(write) = state.write.take() else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        let lang = state.lang.or(reviewer.lang).unwrap_or(settings.lang);
        let (tx, rx) = std::sync::mpsc::sync_channel(INPUT_QUEUE);
        let session_id = self.shared.next_id();
        state.driver = Some(tx.clone());
        let ctx = super::console::DriverContext {
            shared: self.shared.clone(),
            session_id,
            connection: self.id,
            reviewer,
            key: key.clone(),
            lang,
            width,
            height,
            input: rx,
            input_tx: tx,
            write,
            closed: state.closed.subscribe(),
            slot,
        };
        session.channel_success(channel)?;
        if let Err(e) = super::console::spawn(ctx) {
            tracing::error!(conn = self.id, "could not start a console: {e:#}");
            let _ = session.data(
                channel,
                b"thidua: the console could not start; see the server log\r\n".to_vec(),
            );
            let _ = session.exit_status_request(channel, 1);
            let _ = session.close(channel);
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let console = self
            .channels
            .get(&channel)
            .is_some_and(|state| state.driver.is_some());
        let runner = super::shared::EXEC.get().cloned();
        let (Some(reviewer), Some(runner), false) = (self.reviewer.clone(), runner, console) else {
            tracing::info!(conn = self.id, command = %String::from_utf8_lossy(data), "exec refused");
            session.channel_success(channel)?;
            let msg = format!("commands are refused; {}", self.console_hint());
            self.refuse_channel(channel, session, &msg);
            return Ok(());
        };
        // No shell: the words go to the command line's own parser, which knows only the
        // read-only commands. Quoting is not interpreted; no argument needs it.
        let words: Vec<String> = String::from_utf8_lossy(data)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let settings = self.shared.reviewers().settings;
        let lang = self
            .channels
            .get(&channel)
            .and_then(|state| state.lang)
            .or(reviewer.lang)
            .unwrap_or(settings.lang);
        tracing::info!(conn = self.id, reviewer = %reviewer.name, command = ?words, "exec");
        session.channel_success(channel)?;
        // One running command per key: a second is told to try again.
        let Some(place) = self
            .shared
            .try_command(self.key.as_deref().unwrap_or_default())
        else {
            tracing::info!(conn = self.id, reviewer = %reviewer.name, "exec refused: the key runs one");
            let text = format!(
                "thidua: {}\n",
                crate::i18n::tr(lang, crate::i18n::Key::RemoteKeyBusy)
            );
            let _ = session.extended_data(channel, 1, text.into_bytes());
            let _ = session.exit_status_request(channel, 1);
            let _ = session.eof(channel);
            let _ = session.close(channel);
            return Ok(());
        };
        // The command writes through the channel's flow-controlled write half; a console can
        // no longer start on this channel.
        let Some(state) = self.channels.get_mut(&channel) else {
            return Ok(());
        };
        let Some(write) = state.write.take() else {
            let _ = session.exit_status_request(channel, 1);
            let _ = session.close(channel);
            return Ok(());
        };
        let closed = state.closed.subscribe();
        let mut gone = state.closed.subscribe();
        let store = self.shared.store.clone();
        let runtime = self.shared.runtime.clone();
        let role = reviewer.role;
        let name = reviewer.name.clone();
        self.shared.runtime.spawn(async move {
            let _place = place;
            let write = Arc::new(write);
            let sink_write = write.clone();
            // Gathering, rendering and sending can take a while at province scale: off the
            // I/O threads. The output goes to the channel as it is produced.
            let out = tokio::task::spawn_blocking(move || {
                let mut sink = ChannelSink {
                    write: sink_write,
                    runtime,
                    closed,
                    buf: Vec::with_capacity(EXEC_CHUNK),
                };
                let out = runner(&store, &words, &name, role, lang, &mut sink);
                match std::io::Write::flush(&mut sink) {
                    Ok(()) => out,
                    Err(e) => super::shared::ExecOutput {
                        stderr: format!("{e}"),
                        status: 1,
                    },
                }
            })
            .await
            .unwrap_or_else(|_| super::shared::ExecOutput {
                stderr: "the command failed; see the server log".to_string(),
                status: 1,
            });
            // A client gone meanwhile takes nothing more: the key's place is given back now,
            // not after waiting for a window that never opens.
            let finish = async {
                if !out.stderr.is_empty() {
                    let text = format!("thidua: {}\n", out.stderr);
                    let _ = write.extended_data_bytes(1, text.into_bytes()).await;
                }
                let _ = write.exit_status(out.status).await;
                let _ = write.eof().await;
                let _ = write.close().await;
            };
            tokio::select! {
                _ = tokio::time::timeout(EXEC_STALL, finish) => {}
                _ = gone.wait_for(|c| *c) => {}
            }
        });
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        tracing::info!(conn = self.id, subsystem = name, "subsystem refused");
        session.channel_failure(channel)?;
        let msg = format!("the {name} subsystem is refused; {}", self.console_hint());
        self.refuse_channel(channel, session, &msg);
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        tracing::info!(conn = self.id, "X11 forwarding refused");
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        tracing::info!(conn = self.id, "agent forwarding refused");
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        address: &str,
        port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        tracing::info!(
            conn = self.id,
            "remote forwarding of {address}:{port} refused"
        );
        Ok(false)
    }

    async fn streamlocal_forward(
        &mut self,
        socket_path: &str,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        tracing::info!(conn = self.id, "forwarding of {socket_path} refused");
        Ok(false)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.get_mut(&channel) {
            let (w, h) = clamp_size(col_width, row_height);
            state.size = Some((w, h));
            if let Some(tx) = &state.driver {
                send(tx, DriverInput::Resize(w, h)).await;
            }
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = self.channels.get(&channel).and_then(|s| s.driver.as_ref()) {
            send(tx, DriverInput::Data(data.to_vec())).await;
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = self.channels.get(&channel).and_then(|s| s.driver.as_ref()) {
            send(tx, DriverInput::Close).await;
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.remove(&channel) {
            state.closed.send_replace(true);
            if let Some(tx) = state.driver {
                send(&tx, DriverInput::Close).await;
            }
        }
        Ok(())
    }
}

/// The bytes a command over SSH gathers before handing them to the channel.
const EXEC_CHUNK: usize = 32 * 1024;
/// How long a command over SSH waits for a client that takes none of its output before it
/// gives up (and its places are given back).
const EXEC_STALL: Duration = Duration::from_secs(60);

/// A command's standard output, written to its channel from a blocking thread: whole chunks,
/// each waiting for the client's window, so a client that stops reading holds the command
/// back (at most one chunk buffered) instead of the server buffering its output. Fails once
/// the channel closes or the client has taken nothing for `EXEC_STALL`.
struct ChannelSink {
    write: Arc<ChannelWriteHalf<Msg>>,
    runtime: tokio::runtime::Handle,
    closed: watch::Receiver<bool>,
    buf: Vec<u8>,
}

impl ChannelSink {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::replace(&mut self.buf, Vec::with_capacity(EXEC_CHUNK));
        let write = &self.write;
        let closed = &mut self.closed;
        let sent = self.runtime.block_on(async move {
            tokio::select! {
                r = write.data_bytes(bytes) => r.is_ok(),
                _ = closed.wait_for(|c| *c) => false,
                _ = tokio::time::sleep(EXEC_STALL) => false,
            }
        });
        if sent {
            Ok(())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client stopped taking the output",
            ))
        }
    }
}

impl std::io::Write for ChannelSink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = EXEC_CHUNK - self.buf.len();
        let n = data.len().min(room);
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() >= EXEC_CHUNK {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let c = cols.clamp(1, MAX_COLS) as u16;
    let r = rows.clamp(1, MAX_ROWS) as u16;
    // A client that reports 0×0 (some do before the first resize) gets the classic 80×24.
    if cols == 0 || rows == 0 {
        (80, 24)
    } else {
        (c, r)
    }
}

/// How long the connection is held back for a console whose input queue is full before the
/// input is dropped.
const QUEUE_WAIT: Duration = Duration::from_secs(1);

/// Queues an input for a driver; when its queue is full, holds the connection back (rather
/// than memory growing) for up to `QUEUE_WAIT`, then drops the input. The wait is bounded
/// because, while it lasts, this connection reads nothing: neither the window adjustments
/// the console may be waiting for to send its frame, nor the client's hang-up. Only a flood
/// fills 256 queued packets; typing never does.
async fn send(tx: &SyncSender<DriverInput>, input: DriverInput) {
    let mut input = input;
    let deadline = Instant::now() + QUEUE_WAIT;
    loop {
        match tx.try_send(input) {
            Ok(()) | Err(TrySendError::Disconnected(_)) => return,
            Err(TrySendError::Full(back)) => {
                if Instant::now() >= deadline {
                    tracing::warn!("a console is not keeping up with its input: input dropped");
                    return;
                }
                input = back;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
}
