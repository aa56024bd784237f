//! The local driver: crossterm on this process's tty. Raw mode, alternate screen and bracketed
//! paste are turned on for the console and always turned off again: on quit, on error, on a
//! panic (then the message and the log path are printed on the restored screen) and on
//! SIGTERM. A hang-up (SIGHUP, a tty that is no longer a terminal, or a read/write error) ends
//! the loop within one tick instead of spinning: input is read on its own thread because
//! crossterm's reader loops forever on a hung-up tty, so the loop only ever waits on a channel.
//! Frames are wrapped in synchronized-update marks against tearing. Writes are committed on
//! the console's commit worker; while one is out the loop looks for its answer every 5 ms,
//! and before ending for any reason it waits for every write already typed. A review is read on a thread
//! of its own: when that takes longer than a moment (hundreds of thousands of subjects take
//! seconds), an opening screen with the counts read so far is drawn meanwhile, `q` gives up,
//! and other keys typed meanwhile are replayed once the console is up. A rolling backup is
//! written every ten minutes while the console runs and once more when it ends, so a
//! reviewer's work never depends on sled alone (the write blocks input for as long as it takes;
//! nothing is written when nothing changed since the last one). After a hang-up the console
//! ends without that last backup, as soon as the writes already typed are committed.

use std::io::{IsTerminal, Write as _, stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::terminal::{
    BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::Session;
use super::session::LoadProgress;
use super::shared_index::{Early, SharedIndex};
use crate::app::{Msg, Role};
use crate::domain::Lang;
use crate::store::Store;
use crate::ui::loading;

/// How long to wait for input before looking at signals and other sessions' changes.
const TICK: Duration = Duration::from_millis(200);
/// How often the loop looks for commit answers while a write is being saved.
const SAVE_POLL: Duration = Duration::from_millis(5);
/// How long a frame waits for the writes being saved before it is drawn without their answer.
const SAVE_GRACE: Duration = Duration::from_millis(10);
/// How long a closing console waits for its writes being saved.
const SETTLE_LIMIT: Duration = Duration::from_secs(60);

/// Whether this process has switched the terminal to the console's screen (raw input is
/// on from the start; the alternate screen only from the first frame, so an error that ends
/// the console before it draws anything is printed where the user typed the command).
static ENTERED: AtomicBool = AtomicBool::new(false);

fn enter_screen() -> std::io::Result<()> {
    if !ENTERED.swap(true, Ordering::SeqCst) {
        execute!(
            stdout(),
            EnterAlternateScreen,
            Clear(ClearType::All),
            EnableBracketedPaste,
            cursor::Hide
        )?;
    }
    Ok(())
}

fn restore_terminal() {
    let _ = disable_raw_mode();
    if ENTERED.swap(false, Ordering::SeqCst) {
        let _ = execute!(
            stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
    }
}

type Term = Terminal<CrosstermBackend<std::io::Stdout>>;

fn draw(terminal: &mut Term, session: &Session) -> std::io::Result<()> {
    enter_screen()?;
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| crate::ui::view(&session.model, frame))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

/// What opens the database for the console: run on the opening thread, so that the terminal
/// answers while a large database opens.
pub(crate) type OpenStore = Box<dyn FnOnce() -> anyhow::Result<Arc<Store>> + Send>;

/// Runs the console on this terminal until the reviewer quits or the terminal goes away.
/// `open` opens the database (`path` names it meanwhile); `log` is where the log goes, named
/// to the user after a panic.
pub fn run(
    open: OpenStore,
    path: &std::path::Path,
    reviewer: &str,
    lang: Lang,
    no_color: bool,
    log: &std::path::Path,
) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let hangup = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGTERM, stop.clone())?;
    signal_hook::flag::register(signal_hook::consts::SIGINT, stop.clone())?;
    signal_hook::flag::register(signal_hook::consts::SIGHUP, hangup.clone())?;

    let log_text = log.display().to_string();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        tracing::error!("panic: {info}");
        eprintln!("thidua stopped because of an internal error: {info}");
        eprintln!("The log is at {log_text}");
    }));

    enable_raw_mode()?;
    // The store once the console is open (giving up while opening changes nothing, so it
    // writes no backup).
    let mut opened: Option<Arc<Store>> = None;
    // Why the last rolling backup failed, if it did (told on quitting).
    let mut backup_failed: Option<String> = None;
    let result = (|| -> anyhow::Result<Option<Session>> {
        let mut terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        let input = spawn_input();
        let opening = Opening {
            path: crate::text::clean(&path.display().to_string()),
            db: path,
            reviewer,
            lang,
            no_color,
        };
        let Some((mut session, early)) =
            opening.open(open, &mut terminal, &input, &stop, &hangup)?
        else {
            return Ok(None);
        };
        let store = session.store().clone();
        tracing::info!("console opened by {reviewer} on {}", store.path().display());
        opened = Some(store.clone());
        // `status`, `log`, `export` and `verify` typed elsewhere are answered from here.
        let _reader = crate::store::reader::serve(store.clone())
            .inspect_err(|e| tracing::warn!("no reader socket for other commands: {e}"))
            .ok();
        session.allow_export_paths();
        draw(&mut terminal, &session)?;
        event_loop(
            &mut terminal,
            &mut session,
            (input, early),
            &stop,
            &hangup,
            (&store, lang, &mut backup_failed),
        )
        .map(|()| Some(session))
    })();
    restore_terminal();
    let _ = stdout().flush();
    // The terminal is given back first: the next start reads the index from its snapshot
    // instead of the whole store.
    if let Ok(Some(session)) = &result
        && !hangup.load(Ordering::Relaxed)
    {
        session.keep_index();
    }
    let result = result.map(|_| ());
    // After a hang-up nobody waits for the console: it ends at once (a big backup can take
    // seconds); every decision is already durable and the periodic backup stands.
    if let Some(store) = &opened
        && !hangup.load(Ordering::Relaxed)
    {
        backup_failed = backup_now(store, lang);
    }
    let _ = std::panic::take_hook();
    if let Err(e) = &result {
        tracing::error!("console ended with an error: {e:#}");
    }
    tracing::info!("console closed by {reviewer}");
    // Every decision is stored, but the rolling backup is not there: say so, and end with a
    // failure status so scripts and the user notice.
    if result.is_ok()
        && let Some(why) = backup_failed
    {
        anyhow::bail!(crate::i18n::fill(
            lang,
            crate::i18n::Key::BackupFailedOnQuit,
            &[&why]
        ));
    }
    result
}

/// Writes a rolling backup beside the database; returns why it failed, in the user's words.
fn backup_now(store: &Store, lang: Lang) -> Option<String> {
    match store.write_rolling_backup(chrono::Utc::now()) {
        Ok(Some(file)) => {
            tracing::info!("rolling backup written to {}", file.display());
            None
        }
        Ok(None) => {
            tracing::debug!("no change since the last rolling backup");
            None
        }
        Err(e) => {
            tracing::error!("writing a rolling backup failed: {e}");
            Some(e.explain(store.path(), lang))
        }
    }
}

/// What the input thread hands to the loop.
enum Input {
    Event(Event),
    /// The terminal cannot be read any more.
    Gone(String),
}

/// Reads terminal events on their own thread. crossterm's reader spins without returning when
/// its tty is hung up (read gives EOF or EIO forever), so the loop must never block in it: the
/// loop waits on this channel with a timeout and checks signals and the tty itself meanwhile.
fn spawn_input() -> mpsc::Receiver<Input> {
    let (tx, rx) = mpsc::sync_channel(256);
    let spawned = std::thread::Builder::new()
        .name("terminal input".into())
        .spawn(move || {
            loop {
                let input = match event::read() {
                    Ok(ev) => Input::Event(ev),
                    Err(e) => Input::Gone(e.to_string()),
                };
                let gone = matches!(input, Input::Gone(_));
                if tx.send(input).is_err() || gone {
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the input thread: {e}");
    }
    rx
}

/// How long the console waits for a review to open before it shows the opening screen:
/// small reviews open within it and show their first frame directly.
const OPENING_SCREEN_AFTER: Duration = Duration::from_millis(30);

/// How often the opening screen is redrawn with the counts read so far.
const OPENING_REDRAW: Duration = Duration::from_millis(100);

/// Opening a review on a thread of its own, with a screen that says how far it has got.
struct Opening<'a> {
    /// The database's path as shown until its campaign is known.
    path: String,
    /// The database's folder, where the index's snapshot is read while the store opens.
    db: &'a std::path::Path,
    reviewer: &'a str,
    lang: Lang,
    no_color: bool,
}

impl Opening<'_> {
    /// Opens the database and reads the review on another thread while this one keeps the
    /// terminal answering: after `OPENING_SCREEN_AFTER` the opening screen is drawn, `q` or
    /// Ctrl+C gives up (`None`), a signal or a lost terminal stops it too, and other input is
    /// kept to be replayed.
    fn open(
        self,
        open: OpenStore,
        terminal: &mut Term,
        input: &mpsc::Receiver<Input>,
        stop: &AtomicBool,
        hangup: &AtomicBool,
    ) -> anyhow::Result<Option<(Session, Vec<Event>)>> {
        let (width, height) = crossterm::terminal::size()?;
        let progress = Arc::new(LoadProgress::default());
        let (tx, rx) = mpsc::channel();
        {
            let progress = progress.clone();
            let (reviewer, lang, no_color) = (self.reviewer.to_string(), self.lang, self.no_color);
            let db = self.db.to_path_buf();
            std::thread::Builder::new()
                .name("opening".into())
                .spawn(move || {
                    // The index's snapshot is read and decoded beside sled's open (the two
                    // need nothing of each other), then checked against the opened store.
                    let early = Early::start(&db);
                    let session = open().and_then(|store| {
                        Session::open_shared(
                            &SharedIndex::with_early(store, early),
                            &reviewer,
                            lang,
                            Role::Reviewer,
                            no_color,
                            (width, height),
                            &progress,
                        )
                        .and_then(|mut session| {
                            // Commits run beside the keys, so a slow disk never stops typing.
                            session.commit_on_worker()?;
                            Ok(session)
                        })
                    });
                    let _ = tx.send(session);
                })?;
        }
        let outcome = self.wait(&rx, &progress, terminal, input, stop, hangup);
        if !matches!(outcome, Ok(Some(_))) {
            // Given up or failed: the reading thread stops at its next step.
            progress.cancelled.store(true, Ordering::Relaxed);
        }
        outcome
    }

    /// Waits for the reading thread, drawing the opening screen and taking input meanwhile.
    fn wait(
        &self,
        rx: &mpsc::Receiver<anyhow::Result<Session>>,
        progress: &LoadProgress,
        terminal: &mut Term,
        input: &mpsc::Receiver<Input>,
        stop: &AtomicBool,
        hangup: &AtomicBool,
    ) -> anyhow::Result<Option<(Session, Vec<Event>)>> {
        let mut early = Vec::new();
        let mut wait = OPENING_SCREEN_AFTER;
        loop {
            match rx.recv_timeout(wait) {
                Ok(session) => return Ok(Some((session?, early))),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    anyhow::bail!("the review could not be opened: its reading stopped")
                }
            }
            wait = OPENING_REDRAW;
            if stop.load(Ordering::Relaxed) || hangup.load(Ordering::Relaxed) {
                return Ok(None);
            }
            while let Ok(got) = input.try_recv() {
                match got {
                    Input::Event(Event::Key(key))
                        if crate::app::key::gives_up_opening(&key.into()) =>
                    {
                        return Ok(None);
                    }
                    Input::Event(ev) => {
                        if matches!(ev, Event::Resize(..)) {
                            terminal.autoresize()?;
                        }
                        early.push(ev);
                    }
                    Input::Gone(e) => {
                        hangup.store(true, Ordering::Relaxed);
                        tracing::warn!("the terminal cannot be read any more: {e}");
                        return Ok(None);
                    }
                }
            }
            let screen = loading::Opening {
                lang: self.lang,
                no_color: self.no_color,
                campaign: progress
                    .campaign
                    .get()
                    .cloned()
                    .unwrap_or_else(|| self.path.clone()),
                subjects: progress.subjects.load(Ordering::Relaxed),
                of_subjects: progress.of_subjects.load(Ordering::Relaxed),
                verdicts: progress.verdicts.load(Ordering::Relaxed),
            };
            enter_screen()?;
            queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
            terminal.draw(|frame| loading::render(&screen, frame))?;
            execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
        }
    }
}

/// Turns a terminal event into a message for the session (None for events it ignores).
fn message(terminal: &mut Term, ev: Event) -> std::io::Result<Option<Msg>> {
    if matches!(ev, Event::Resize(..)) {
        terminal.autoresize()?;
    }
    Ok(super::keys::message(ev))
}

fn event_loop(
    terminal: &mut Term,
    session: &mut Session,
    (input, early): (mpsc::Receiver<Input>, Vec<Event>),
    stop: &AtomicBool,
    hangup: &AtomicBool,
    (store, lang, backup_failed): (&Store, Lang, &mut Option<String>),
) -> anyhow::Result<()> {
    // What was typed while the review opened comes first, in order.
    for ev in early {
        if let Some(msg) = message(terminal, ev)? {
            if !session.handle(msg) {
                return Ok(());
            }
            draw(terminal, session)?;
        }
    }
    let mut last_backup = std::time::Instant::now();
    loop {
        if last_backup.elapsed() >= crate::store::backup::EVERY {
            *backup_failed = backup_now(store, lang);
            last_backup = std::time::Instant::now();
        }
        if stop.load(Ordering::Relaxed) || hangup.load(Ordering::Relaxed) {
            tracing::info!("stopping on a signal");
            session.settle(SETTLE_LIMIT);
            session.save_cursor();
            return Ok(());
        }
        if !stdout().is_terminal() {
            hangup.store(true, Ordering::Relaxed);
            tracing::info!("the terminal went away");
            session.settle(SETTLE_LIMIT);
            session.save_cursor();
            return Ok(());
        }
        let mut dirty = false;
        // While a write is being saved, its answer is looked for every few milliseconds.
        let wait = if session.saving() { SAVE_POLL } else { TICK };
        match input.recv_timeout(wait) {
            Ok(Input::Event(ev)) => {
                if let Some(msg) = message(terminal, ev)? {
                    if !session.handle(msg) {
                        return Ok(());
                    }
                    dirty = true;
                }
            }
            Ok(Input::Gone(e)) => {
                hangup.store(true, Ordering::Relaxed);
                tracing::warn!("the terminal cannot be read any more: {e}");
                session.settle(SETTLE_LIMIT);
                session.save_cursor();
                return Ok(());
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                hangup.store(true, Ordering::Relaxed);
                session.settle(SETTLE_LIMIT);
                session.save_cursor();
                return Ok(());
            }
        }
        if dirty {
            // A commit of ordinary speed is answered within the grace: the frame shows the
            // key's value saved; a slow one is drawn as "đang lưu…" and typing goes on.
            session.wait_for_saves(SAVE_GRACE);
        }
        if session.poll_changes() {
            dirty = true;
        }
        if !session.running() {
            return Ok(());
        }
        if dirty && let Err(e) = draw(terminal, session) {
            hangup.store(true, Ordering::Relaxed);
            tracing::warn!("the terminal cannot be written any more: {e}");
            session.settle(SETTLE_LIMIT);
            session.save_cursor();
            return Ok(());
        }
    }
}
