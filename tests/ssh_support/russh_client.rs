//! A scripted SSH client (russh) for the load bench and the tests: it logs in with a
//! reviewer's Ed25519 key, asks for an 80×24 pty and a shell, and keeps an emulated screen
//! (vt100) of what the server sends, counting complete frames. It times a key from the moment
//! its bytes are handed to the connection to the end of the first frame that shows the key's
//! effect.
//!
//! Every frame the console sends ends with the synchronized-update end mark `ESC [ ? 2026 l`,
//! so a frame is complete when that mark arrives. Other reviewers' work also makes the server
//! redraw (presence, verdicts saved elsewhere), so "the first frame after the key" may be a
//! frame drawn before the key was read. The answer is therefore the first complete frame
//! after the key whose rows above the three-row status bar differ from the screen before
//! the key: every scripted key changes something there, while other people's work shows
//! there only when they are on a subject this screen shows.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use russh::client::{self, Handle, Msg};
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::{Channel, ChannelMsg, Disconnect};

/// The end of every frame the console sends.
const FRAME_END: &[u8] = b"\x1b[?2026l";
const COLS: u16 = 80;
const ROWS: u16 = 24;
/// The rows above the status bar (three rows at the bottom).
const BODY_ROWS: usize = 21;
/// A key with no answer at all in this long counts as stalled.
const STALL: Duration = Duration::from_secs(10);
/// After the first frame following a key, how long to wait for one that shows its effect
/// before taking the key as answered without a visible change.
const UNCHANGED_WAIT: Duration = Duration::from_secs(1);

/// Accepts the server's host key (the bench started that server on 127.0.0.1 itself).
pub struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// How the server answered one key; times are measured from handing the key to the client.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// A frame showing the key's effect ended after `frame`.
    Shown { frame: Duration },
    /// Frames came (the first ended after `frame`) but none changed the screen above the
    /// status bar within a second.
    Unchanged { frame: Duration },
    /// No complete frame within ten seconds.
    Stalled,
}

/// An open console seen through an emulated 80×24 terminal.
pub struct Remote {
    handle: Handle<Trusting>,
    channel: Channel<Msg>,
    screen: vt100::Parser,
    /// How many bytes of `FRAME_END` the data so far ends with.
    matched: usize,
    /// Complete frames received.
    pub frames: usize,
    /// Complete frames that arrived while no key was waiting for its answer.
    pub unasked: usize,
}

impl Remote {
    /// Connects as the owner of `key`, opens the console and waits (up to `limit`) for its
    /// first complete frame past the opening screen; returns the console and the time from
    /// connecting to that frame.
    pub async fn open(
        port: u16,
        user: String,
        key: Arc<PrivateKey>,
        limit: Duration,
    ) -> anyhow::Result<(Remote, Duration)> {
        let started = Instant::now();
        let config = Arc::new(client::Config {
            nodelay: true,
            inactivity_timeout: None,
            ..Default::default()
        });
        let mut handle = tokio::time::timeout(
            limit,
            client::connect(config, ("127.0.0.1", port), Trusting),
        )
        .await
        .context("connecting timed out")??;
        let auth = handle
            .authenticate_publickey(user.as_str(), PrivateKeyWithHashAlg::new(key, None))
            .await?;
        ensure!(auth.success(), "{user}: the server refused the key");
        let channel = handle.channel_open_session().await?;
        channel
            .request_pty(false, "xterm-256color", COLS.into(), ROWS.into(), 0, 0, &[])
            .await?;
        channel.request_shell(false).await?;
        let rows = std::num::NonZeroU16::new(ROWS).context("rows")?;
        let cols = std::num::NonZeroU16::new(COLS).context("cols")?;
        let mut remote = Remote {
            handle,
            channel,
            screen: vt100::Parser::new(rows, cols, 0),
            matched: 0,
            frames: 0,
            unasked: 0,
        };
        let deadline = started + limit;
        // A large review shows the opening screen first; the console is up when its status
        // bar (the progress label) is on screen.
        while remote.frames == 0 || !remote.console_is_up() {
            let Some(data) = remote.next_data(deadline).await? else {
                bail!("{user}: no console frame within {limit:?}");
            };
            remote.feed(&data);
        }
        Ok((remote, started.elapsed()))
    }

    /// Whether the console (not the opening screen) is on screen.
    fn console_is_up(&self) -> bool {
        let text = self.screen.screen().contents();
        text.contains("Tiến độ") || text.contains("Progress")
    }

    /// The next bytes from the server, or None at `deadline`; an error once the channel ends.
    async fn next_data(&mut self, deadline: Instant) -> anyhow::Result<Option<Vec<u8>>> {
        loop {
            let msg = match tokio::time::timeout_at(deadline.into(), self.channel.wait()).await {
                Err(_) => return Ok(None),
                Ok(msg) => msg,
            };
            match msg {
                Some(ChannelMsg::Data { data }) => return Ok(Some(data.to_vec())),
                Some(ChannelMsg::ExtendedData { data, .. }) => {
                    bail!(
                        "the server wrote an error: {}",
                        String::from_utf8_lossy(&data)
                    )
                }
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => bail!("the console closed"),
                Some(_) => {}
            }
        }
    }

    /// Feeds `data` to the emulated screen; returns how many frames it completed.
    fn feed(&mut self, data: &[u8]) -> usize {
        self.feed_frames(data).len()
    }

    /// Feeds `data` to the emulated screen; returns, at the end of each frame that `data`
    /// completes, the rows above the status bar (with colours) and the whole screen's text.
    fn feed_frames(&mut self, data: &[u8]) -> Vec<(String, String)> {
        let mut ends = Vec::new();
        let mut from = 0;
        for (i, &b) in data.iter().enumerate() {
            if b == FRAME_END[self.matched] {
                self.matched += 1;
            } else {
                self.matched = usize::from(b == FRAME_END[0]);
            }
            if self.matched == FRAME_END.len() {
                self.matched = 0;
                self.screen.process(&data[from..=i]);
                from = i + 1;
                self.frames += 1;
                ends.push((self.body(), self.text()));
            }
        }
        self.screen.process(&data[from..]);
        ends
    }

    /// The rows above the status bar, with their colours and attributes.
    fn body(&self) -> String {
        self.screen
            .screen()
            .rows_formatted(0, COLS)
            .take(BODY_ROWS)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The whole screen as text.
    pub fn text(&self) -> String {
        self.screen.screen().contents()
    }

    /// Reads what the server sends until the screen satisfies `pred`; an error (with the
    /// screen) after `limit`.
    pub async fn wait_until(
        &mut self,
        what: &str,
        limit: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> anyhow::Result<()> {
        let deadline = Instant::now() + limit;
        while !pred(&self.text()) {
            let Some(data) = self.next_data(deadline).await? else {
                bail!("timed out waiting for {what}; screen:\n{}", self.text());
            };
            self.feed(&data);
        }
        Ok(())
    }

    /// Sends `key` and waits for the frame that shows it.
    pub async fn press(&mut self, key: &[u8]) -> anyhow::Result<Answer> {
        self.press_until(key, |_| true).await
    }

    /// Sends `key` and waits for the frame that shows it: the first complete frame that
    /// changes the rows above the status bar and whose screen satisfies `shows` (for keys
    /// whose effect can be told apart from other people's work, e.g. the search query).
    pub async fn press_until(
        &mut self,
        key: &[u8],
        shows: impl Fn(&str) -> bool,
    ) -> anyhow::Result<Answer> {
        let before = self.body();
        let sent = Instant::now();
        self.channel.data(key).await?;
        let mut first_frame = None;
        loop {
            let deadline = first_frame.map_or(sent + STALL, |f| sent + f + UNCHANGED_WAIT);
            let Some(data) = self.next_data(deadline).await? else {
                return Ok(match first_frame {
                    Some(frame) => Answer::Unchanged { frame },
                    None => Answer::Stalled,
                });
            };
            let at = sent.elapsed();
            for (body, text) in self.feed_frames(&data) {
                first_frame.get_or_insert(at);
                if body != before && shows(&text) {
                    return Ok(Answer::Shown { frame: at });
                }
            }
        }
    }

    /// Keeps the screen up to date until `until` (a reviewer reading it between keys).
    pub async fn idle(&mut self, until: Instant) -> anyhow::Result<()> {
        while let Some(data) = self.next_data(until).await? {
            self.unasked += self.feed(&data);
        }
        Ok(())
    }

    /// Leaves the console with Esc then `q` and waits (up to `limit`) for the server to close
    /// the channel; true if it did. Disconnects either way.
    pub async fn quit(mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut closed = false;
        if self.channel.data(&b"\x1b"[..]).await.is_ok()
            && self
                .idle(Instant::now() + Duration::from_millis(150))
                .await
                .is_ok()
            && self.channel.data(&b"q"[..]).await.is_ok()
        {
            closed = loop {
                match self.next_data(deadline).await {
                    Ok(Some(_)) => {}
                    Ok(None) => break false,
                    Err(_) => break true,
                }
            };
        }
        let _ = self
            .handle
            .disconnect(Disconnect::ByApplication, "", "en")
            .await;
        closed
    }

    /// Sends `bytes` as they are (typed input: no paste brackets), without waiting for an
    /// answer.
    pub async fn type_raw(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.channel.data(bytes).await?;
        Ok(())
    }

    /// Reads what the server sends for `span`, keeping the screen up to date; false if the
    /// channel closed meanwhile.
    pub async fn read_for(&mut self, span: Duration) -> bool {
        let until = Instant::now() + span;
        loop {
            match self.next_data(until).await {
                Ok(Some(data)) => self.unasked += self.feed(&data),
                Ok(None) => return true,
                Err(_) => return false,
            }
        }
    }

    /// Asks, on the console's own channel, to run `command`.
    pub async fn exec_on_console(&self, command: &str) -> anyhow::Result<()> {
        self.channel.exec(false, command).await?;
        Ok(())
    }

    /// Asks, on the console's own channel, for the `name` subsystem (sftp).
    pub async fn subsystem_on_console(&self, name: &str) -> anyhow::Result<()> {
        self.channel.request_subsystem(false, name).await?;
        Ok(())
    }

    /// Whether the server closes the console's channel within `limit`.
    pub async fn closed_within(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            match self.next_data(deadline).await {
                Ok(Some(data)) => {
                    self.feed(&data);
                }
                Ok(None) => return false,
                Err(_) => return true,
            }
        }
    }

    /// Drops the connection at once, without leaving the console: a client that goes away.
    pub async fn hang_up(self) {
        let _ = self
            .handle
            .disconnect(Disconnect::ByApplication, "", "en")
            .await;
    }

    /// The connection, kept open while the console's channel is gone.
    pub fn into_handle(self) -> Handle<Trusting> {
        self.handle
    }
}
