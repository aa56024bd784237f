//! The console driver for one SSH channel: a thread that owns the reviewer's `Session` (the
//! same `update` and `view` as the local console), decodes the channel's bytes into key
//! events, and sends frames back through the channel's flow-controlled write half.
//!
//! Back-pressure: a frame is drawn only once the previous one has been handed to the channel
//! (which waits for the client's SSH window), and every input that arrived meanwhile is applied
//! first, so redraws coalesce (latest wins) and a slow client costs the server one frame of
//! memory. A client that stops reading entirely only stalls its own thread; the write is
//! abandoned when the channel closes or the idle timeout passes.
//!
//! Other reviewers' work redraws a console only when it shows there (presence is compared
//! with what the screen shows of it) and at most every 100 ms, so the cost of N consoles does
//! not grow as N² with everyone's keys; the reviewer's own keys are drawn at once.
//!
//! A thread per console (rather than an async task) keeps sled's blocking writes and the
//! synchronous `Session` off the async workers that serve every other connection.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use anyhow::Context;
use ratatui::Terminal;
use russh::ChannelWriteHalf;
use russh::server::Msg as ChannelMsg;
use tokio::sync::watch;

use super::backend::ChannelBackend;
use super::guard::{LOADING_AT_ONCE, SessionSlot};
use super::input::{Decoder, ESC_TIMEOUT, Input};
use super::reviewers::Reviewer;
use super::shared::{DriverInput, Shared};
use crate::app::{Model, Msg};
use crate::domain::Lang;
use crate::runtime::session::{LoadProgress, Session};
use crate::ui::loading;

/// How often a quiet console looks for changes and checks its idle time.
const TICK: Duration = Duration::from_millis(500);
/// How often the loop looks for commit answers while a write is being saved.
const SAVE_POLL: Duration = Duration::from_millis(5);
/// How long a frame waits for the writes being saved before it is drawn without their answer.
const SAVE_GRACE: Duration = Duration::from_millis(10);
/// How long a closing console waits for its writes being saved.
const SETTLE_LIMIT: Duration = Duration::from_secs(60);
/// Other reviewers' work (their verdicts, their moves onto this console's subject) is drawn
/// at most this often; the reviewer's own keys are drawn at once. With 30 consoles open,
/// every verdict saved anywhere would otherwise redraw every console.
const OTHERS_FRAME_GAP: Duration = Duration::from_millis(100);

/// Entering: alternate screen, hidden cursor, bracketed paste on, screen cleared.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[?2004h\x1b[2J\x1b[H";
/// Leaving: bracketed paste off, cursor shown, main screen back.
const LEAVE: &[u8] = b"\x1b[?2004l\x1b[0m\x1b[?25h\x1b[?1049l";
/// DEC 2026 synchronized output around each frame, so slow links never show half a frame.
const SYNC_BEGIN: &[u8] = b"\x1b[?2026h";
const SYNC_END: &[u8] = b"\x1b[?2026l";

/// Everything a console driver needs, handed over by the connection.
pub struct DriverContext {
    pub shared: Arc<Shared>,
    pub session_id: u64,
    pub connection: u64,
    pub reviewer: Reviewer,
    /// The fingerprint (`SHA256:…`) of the key the reviewer logged in with.
    pub key: String,
    pub lang: Lang,
    pub width: u16,
    pub height: u16,
    pub input: Receiver<DriverInput>,
    pub input_tx: SyncSender<DriverInput>,
    pub write: ChannelWriteHalf<ChannelMsg>,
    pub closed: watch::Receiver<bool>,
    pub slot: SessionSlot,
}

/// Starts the console thread.
pub fn spawn(ctx: DriverContext) -> anyhow::Result<()> {
    let name = format!("ssh-console-{}", ctx.session_id);
    std::thread::Builder::new()
        .name(name)
        .spawn(move || run(ctx))
        .context("could not start a console thread")?;
    Ok(())
}

fn run(ctx: DriverContext) {
    let DriverContext {
        shared,
        session_id,
        connection,
        reviewer,
        key,
        lang,
        width,
        height,
        input,
        input_tx,
        write,
        closed,
        slot,
    } = ctx;
    let _registration = Registration::new(&shared, session_id, &reviewer.name, input_tx);
    tracing::info!(conn = connection, session = session_id, reviewer = %reviewer.name, "console opened");

    let mut out = Output {
        shared: shared.clone(),
        write,
        closed,
        finished: false,
    };
    let reason = match Console::open(
        &shared,
        &reviewer,
        &key,
        lang,
        (width, height),
        &mut out,
        &input,
    ) {
        Ok(Opened::Ended(end)) => end,
        Ok(Opened::Console(mut console)) => {
            let end = console.run(&mut out, &input, session_id);
            // Every write already typed is committed before the console goes, whatever ended it.
            console.session.settle(SETTLE_LIMIT);
            if !matches!(end, End::Quit | End::Failed) {
                // A hang-up or a timeout sends no quit key: remember the place now.
                console.session.save_cursor();
            }
            end
        }
        Err(e) => {
            tracing::error!(session = session_id, "console could not open: {e:#}");
            out.send(format!("thidua: {e}\r\n").into_bytes());
            End::Failed
        }
    };
    match reason {
        End::Quit => out.finish(0, None),
        End::Idle(minutes) => out.finish(
            0,
            Some(format!(
                "thidua: closed: no key pressed for {minutes} min\r\n"
            )),
        ),
        End::Failed => out.finish(1, None),
        End::Shutdown => out.finish(
            0,
            Some("thidua: the server is stopping; everything shown as saved is saved\r\n".into()),
        ),
        End::Gone => {}
    }
    drop(slot);
    tracing::info!(conn = connection, session = session_id, reviewer = %reviewer.name, "console closed ({reason:?})");
}

#[derive(Debug, Clone, Copy)]
enum End {
    /// The reviewer quit.
    Quit,
    /// No key for this many minutes.
    Idle(u64),
    /// The client went away.
    Gone,
    /// The console could not start.
    Failed,
    /// The server is stopping.
    Shutdown,
}

/// This console's entries in the shared registries (presence, wake-ups), removed when the
/// console ends however it ends, a panic included.
struct Registration {
    shared: Arc<Shared>,
    id: u64,
}

impl Registration {
    fn new(shared: &Arc<Shared>, id: u64, reviewer: &str, tx: SyncSender<DriverInput>) -> Self {
        if let Ok(mut d) = shared.drivers.lock() {
            d.insert(id, tx);
        }
        shared.presence.join(id, reviewer);
        shared.wake_all();
        Self {
            shared: shared.clone(),
            id,
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.shared.presence.leave(self.id);
        if let Ok(mut d) = self.shared.drivers.lock() {
            d.remove(&self.id);
        }
        self.shared.wake_all();
    }
}

/// The channel's write side, used from this thread.
struct Output {
    shared: Arc<Shared>,
    write: ChannelWriteHalf<ChannelMsg>,
    closed: watch::Receiver<bool>,
    /// The channel was closed properly; otherwise dropping closes it.
    finished: bool,
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.finished {
            let write = &self.write;
            self.shared.runtime.block_on(async move {
                let _ = tokio::time::timeout(Duration::from_secs(1), write.close()).await;
            });
        }
    }
}

impl Output {
    /// Whether the channel or the connection has closed: the console's work stops there, and
    /// whatever input is still queued is dropped unread.
    fn gone(&self) -> bool {
        *self.closed.borrow()
    }

    /// Hands `bytes` to the channel, waiting for the client's window; false if the channel
    /// closed or the client did not take them within the idle timeout.
    fn send(&mut self, bytes: Vec<u8>) -> bool {
        if bytes.is_empty() {
            return true;
        }
        let limit = self.shared.reviewers().settings.idle_timeout;
        let write = &self.write;
        let closed = &mut self.closed;
        self.shared.runtime.block_on(async move {
            tokio::select! {
                r = write.data_bytes(bytes) => r.is_ok(),
                _ = closed.wait_for(|c| *c) => false,
                _ = tokio::time::sleep(limit) => false,
            }
        })
    }

    /// Restores the client's screen, then shows `message` on it, and closes the channel.
    fn finish(&mut self, status: u32, message: Option<String>) {
        self.finished = true;
        // One write: the restored screen and the farewell go together, so nothing that closes
        // the channel in between can leave the client with a blank screen and no word.
        let mut bytes = LEAVE.to_vec();
        if let Some(m) = message {
            bytes.extend_from_slice(m.as_bytes());
        }
        self.send(bytes);
        let write = &self.write;
        self.shared.runtime.block_on(async move {
            let _ = tokio::time::timeout(Duration::from_secs(2), async {
                let _ = write.exit_status(status).await;
                let _ = write.eof().await;
                let _ = write.close().await;
            })
            .await;
        });
    }
}

struct Console {
    session: Session,
    terminal: Terminal<ChannelBackend>,
    decoder: Decoder,
    /// The presence version last given to the model.
    presence_seen: u64,
    /// The client's screen is already set up (the opening screen was shown).
    entered: bool,
    /// What the reviewer typed while the review was opening, to be carried out first.
    early: Vec<Msg>,
}

/// How opening a console ended.
enum Opened {
    Console(Box<Console>),
    /// The reviewer gave up, the client went away or the server is stopping.
    Ended(End),
}

/// How long a console waits for its review to open before showing the opening screen.
const OPENING_SCREEN_AFTER: Duration = Duration::from_millis(30);
/// How often the opening screen is redrawn (over the network, so not too often).
const OPENING_REDRAW: Duration = Duration::from_millis(250);

impl Console {
    /// Reads the review on a thread of its own while this one keeps the client answered: after
    /// `OPENING_SCREEN_AFTER` the opening screen is drawn, `q` or Ctrl+C gives up, and other
    /// keys are kept to be carried out once the console is up.
    fn open(
        shared: &Arc<Shared>,
        reviewer: &Reviewer,
        key: &str,
        lang: Lang,
        (width, height): (u16, u16),
        out: &mut Output,
        input: &Receiver<DriverInput>,
    ) -> anyhow::Result<Opened> {
        let progress = Arc::new(LoadProgress::default());
        let (tx, rx) = std::sync::mpsc::channel();
        {
            let (shared, progress) = (shared.clone(), progress.clone());
            let (name, role, no_color) = (reviewer.name.clone(), reviewer.role, shared.no_color);
            let key = key.to_string();
            std::thread::Builder::new()
                .name("opening".into())
                .spawn(move || {
                    // Every console starts from the server's one index (made by the first
                    // that needs it); a few open at a time.
                    let _turn = shared.guard.loading_turn(LOADING_AT_ONCE);
                    let session = Session::open_shared(
                        &shared.index,
                        &name,
                        lang,
                        role,
                        no_color,
                        (width, height),
                        &progress,
                    )
                    .and_then(|mut session| {
                        // Every change is recorded with the key the reviewer logged in with.
                        session.set_origin(&key);
                        // Commits run beside the keys, so a slow disk never stops typing.
                        session.commit_on_worker()?;
                        Ok(session)
                    });
                    let _ = tx.send(session);
                })
                .context("could not start reading the review")?;
        }
        let outcome = Self::wait(shared, lang, (width, height), &rx, &progress, out, input);
        if !matches!(outcome, Ok(Opened::Console(_))) {
            // Given up or failed: the reading thread stops at its next step.
            progress.cancelled.store(true, Ordering::Relaxed);
        }
        outcome
    }

    /// Waits for the reading thread, drawing the opening screen and taking input meanwhile.
    fn wait(
        shared: &Shared,
        lang: Lang,
        (width, height): (u16, u16),
        rx: &Receiver<anyhow::Result<Session>>,
        progress: &LoadProgress,
        out: &mut Output,
        input: &Receiver<DriverInput>,
    ) -> anyhow::Result<Opened> {
        let mut terminal = Terminal::new(ChannelBackend::new(width, height))
            .context("could not set up the remote terminal")?;
        let mut decoder = Decoder::new();
        let (mut early, mut entered, mut wait) = (Vec::new(), false, OPENING_SCREEN_AFTER);
        loop {
            match rx.recv_timeout(wait) {
                Ok(session) => {
                    if entered {
                        // The screen holds the opening screen: the first frame redraws it all.
                        terminal
                            .clear()
                            .context("could not clear the remote terminal")?;
                    }
                    return Ok(Opened::Console(Box::new(Console {
                        session: session?,
                        terminal,
                        decoder,
                        presence_seen: u64::MAX,
                        entered,
                        early,
                    })));
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    anyhow::bail!("the review could not be opened: its reading stopped")
                }
            }
            wait = OPENING_REDRAW;
            if out.gone() {
                return Ok(Opened::Ended(End::Gone));
            }
            for item in input.try_iter() {
                match item {
                    DriverInput::Data(bytes) => {
                        for i in decoder.feed(&bytes) {
                            if let Input::Key(k) = &i
                                && crate::app::key::gives_up_opening(k)
                            {
                                return Ok(Opened::Ended(End::Quit));
                            }
                            early.push(to_msg(i));
                        }
                    }
                    DriverInput::Resize(w, h) => {
                        terminal.backend_mut().set_size(w, h);
                        early.push(Msg::Resize {
                            width: w,
                            height: h,
                        });
                    }
                    DriverInput::Wake => {}
                    DriverInput::Close => return Ok(Opened::Ended(End::Gone)),
                    DriverInput::Shutdown => return Ok(Opened::Ended(End::Shutdown)),
                }
            }
            if !entered {
                terminal.backend_mut().write_raw(ENTER);
                entered = true;
            }
            let screen = loading::Opening {
                lang,
                no_color: shared.no_color,
                campaign: shared.store.campaign().title(lang).to_string(),
                subjects: progress.subjects.load(Ordering::Relaxed),
                of_subjects: progress.of_subjects.load(Ordering::Relaxed),
                verdicts: progress.verdicts.load(Ordering::Relaxed),
            };
            if let Err(e) = terminal.draw(|frame| loading::render(&screen, frame)) {
                anyhow::bail!("drawing failed: {e}");
            }
            if !out.send(framed(terminal.backend_mut().take())) {
                return Ok(Opened::Ended(End::Gone));
            }
        }
    }

    fn run(&mut self, out: &mut Output, input: &Receiver<DriverInput>, id: u64) -> End {
        let shared = out.shared.clone();
        if !self.entered {
            self.terminal.backend_mut().write_raw(ENTER);
        }
        for msg in std::mem::take(&mut self.early) {
            if out.gone() {
                return End::Gone;
            }
            if !self.session.handle(msg) {
                return End::Quit;
            }
        }
        // `dirty`: this reviewer's own input changed the screen (drawn at once); `others`:
        // someone else's work did (drawn at most every `OTHERS_FRAME_GAP`).
        let mut dirty = true;
        let mut others = false;
        let mut last_draw = Instant::now();
        let mut last_key = Instant::now();
        let mut esc_deadline: Option<Instant> = None;
        loop {
            if out.gone() {
                return End::Gone;
            }
            let presence = self.sync_presence(&shared, id);
            // This reviewer's own saves are answered at once, like a key.
            if self.session.poll_commits() {
                dirty = true;
            }
            if !self.session.running() {
                return End::Quit;
            }
            if self.session.poll_changes() || presence {
                others = true;
            }
            if dirty {
                // A commit of ordinary speed is answered within the grace: the frame shows
                // the key's value saved; a slow one is drawn as "đang lưu…", typing goes on.
                self.session.wait_for_saves(SAVE_GRACE);
                if !self.session.running() {
                    return End::Quit;
                }
            }
            if dirty || (others && last_draw.elapsed() >= OTHERS_FRAME_GAP) {
                if !self.draw(out) {
                    return End::Gone;
                }
                dirty = false;
                others = false;
                last_draw = Instant::now();
            }
            let mut wait =
                esc_deadline.map_or(TICK, |d| d.saturating_duration_since(Instant::now()));
            if others {
                wait = wait
                    .min((last_draw + OTHERS_FRAME_GAP).saturating_duration_since(Instant::now()));
            }
            if self.session.saving() {
                wait = wait.min(SAVE_POLL);
            }
            let first = match input.recv_timeout(wait) {
                Ok(i) => Some(i),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return End::Gone,
            };
            // Apply everything already queued before drawing again: redraws coalesce. Once
            // the channel has closed, nothing more is applied: the rest is dropped unread.
            let mut batch: Vec<DriverInput> = first.into_iter().collect();
            batch.extend(input.try_iter());
            for item in batch {
                if out.gone() {
                    return End::Gone;
                }
                match item {
                    DriverInput::Data(bytes) => {
                        last_key = Instant::now();
                        for i in self.decoder.feed(&bytes) {
                            if out.gone() {
                                return End::Gone;
                            }
                            dirty = true;
                            if !self.session.handle(to_msg(i)) {
                                return End::Quit;
                            }
                        }
                    }
                    DriverInput::Resize(w, h) => {
                        self.terminal.backend_mut().set_size(w, h);
                        dirty = true;
                        if !self.session.handle(Msg::Resize {
                            width: w,
                            height: h,
                        }) {
                            return End::Quit;
                        }
                    }
                    DriverInput::Wake => {}
                    DriverInput::Close => return End::Gone,
                    DriverInput::Shutdown => return End::Shutdown,
                }
            }
            if self.decoder.waiting_on_escape() {
                let deadline = *esc_deadline.get_or_insert_with(|| Instant::now() + ESC_TIMEOUT);
                if Instant::now() >= deadline {
                    esc_deadline = None;
                    for i in self.decoder.timeout() {
                        dirty = true;
                        if !self.session.handle(to_msg(i)) {
                            return End::Quit;
                        }
                    }
                }
            } else {
                esc_deadline = None;
            }
            let idle = shared.reviewers().settings.idle_timeout;
            if last_key.elapsed() >= idle {
                return End::Idle(idle.as_secs() / 60);
            }
        }
    }

    fn draw(&mut self, out: &mut Output) -> bool {
        let session = &self.session;
        if let Err(e) = self
            .terminal
            .draw(|frame| crate::ui::view(&session.model, frame))
        {
            tracing::error!("drawing failed: {e}");
            return false;
        }
        out.send(framed(self.terminal.backend_mut().take()))
    }
}

/// A frame's bytes between the synchronized-output marks.
fn framed(body: Vec<u8>) -> Vec<u8> {
    let mut frame = Vec::with_capacity(body.len() + SYNC_BEGIN.len() + SYNC_END.len());
    frame.extend_from_slice(SYNC_BEGIN);
    frame.extend_from_slice(&body);
    frame.extend_from_slice(SYNC_END);
    frame
}

impl Console {
    /// Publishes this console's open subject and, when anyone's presence changed, tells the
    /// model who else is here; true if that changed what the console shows (someone else
    /// moving between subjects this console does not show needs no frame).
    fn sync_presence(&mut self, shared: &Shared, id: u64) -> bool {
        let subject = self
            .session
            .model
            .current_entry()
            .map(|e| e.subject.id.clone());
        if shared.presence.set_subject(id, subject.as_deref()) {
            shared.wake_all();
        }
        let version = shared.presence.version();
        if version == self.presence_seen {
            return false;
        }
        self.presence_seen = version;
        let others = shared
            .presence
            .others(id)
            .into_iter()
            .map(|p| (p.reviewer, p.subject))
            .collect();
        let before = ShownPresence::of(&self.session.model);
        self.session.handle(Msg::Presence(others));
        ShownPresence::of(&self.session.model) != before
    }
}

/// What a console shows of the others: the names on the status line and, in the title of the
/// subject it has open, who else has that subject open (`ui::view` shows presence nowhere
/// else). With many consoles open, every move of every reviewer changes the presence, but
/// almost never this.
#[derive(Debug, PartialEq, Eq)]
struct ShownPresence {
    names: Vec<String>,
    here: Vec<String>,
}

impl ShownPresence {
    fn of(model: &Model) -> ShownPresence {
        let open = model.current_entry().map(|e| e.subject.id.as_str());
        let mut names: Vec<String> = model.present().iter().map(|(n, _)| n.clone()).collect();
        names.sort_unstable();
        names.dedup();
        let mut here: Vec<String> = model
            .present()
            .iter()
            .filter(|(_, s)| open.is_some() && s.as_deref() == open)
            .map(|(n, _)| n.clone())
            .collect();
        here.dedup();
        ShownPresence { names, here }
    }
}

fn to_msg(input: Input) -> Msg {
    match input {
        Input::Key(k) => Msg::Key(k),
        Input::Paste(text) => Msg::Paste(text),
    }
}
