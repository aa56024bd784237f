//! The local driver: crossterm on this process's tty. Raw mode, alternate screen and bracketed
//! paste are turned on for the console and always turned off again: on quit, on error, on a
//! panic (then the message and the log path are printed on the restored screen) and on
//! SIGTERM. A hang-up (SIGHUP, a tty that is no longer a terminal, or a read/write error) ends
//! the loop within one tick instead of spinning: input is read on its own thread because
//! crossterm's reader loops forever on a hung-up tty, so the loop only ever waits on a channel.
//! Frames are wrapped in synchronized-update marks against tearing. A rolling backup is
//! written every ten minutes while the console runs and once more when it ends, so a
//! reviewer's work never depends on sled alone (the write blocks input for as long as it takes;
//! nothing is written when nothing changed since the last one). After a hang-up the console
//! ends without that last backup, at once.

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

use super::{BACKUP_EVERY, Session, rolling_backup};
use crate::app::{Msg, Role};
use crate::domain::Lang;
use crate::store::Store;

/// How long to wait for input before looking at signals and other sessions' changes.
const TICK: Duration = Duration::from_millis(200);

fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
}

type Term = Terminal<CrosstermBackend<std::io::Stdout>>;

fn draw(terminal: &mut Term, session: &Session) -> std::io::Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| crate::ui::view(&session.model, frame))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

/// Runs the console on this terminal until the reviewer quits or the terminal goes away.
/// `log` is where the log goes, named to the user after a panic.
pub fn run(
    store: Arc<Store>,
    reviewer: &str,
    lang: Lang,
    no_color: bool,
    log: &std::path::Path,
) -> anyhow::Result<()> {
    tracing::info!("console opened by {reviewer} on {}", store.path().display());

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

    let backups = store.clone();
    enable_raw_mode()?;
    let result = (|| -> anyhow::Result<()> {
        execute!(
            stdout(),
            EnterAlternateScreen,
            Clear(ClearType::All),
            EnableBracketedPaste,
            cursor::Hide
        )?;
        let (width, height) = crossterm::terminal::size()?;
        let mut session = Session::new(
            store,
            reviewer,
            lang,
            Role::Reviewer,
            no_color,
            width,
            height,
        )?;
        session.allow_export_paths();
        let mut terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        draw(&mut terminal, &session)?;
        event_loop(&mut terminal, &mut session, &stop, &hangup, &backups)
    })();
    restore_terminal();
    let _ = stdout().flush();
    // After a hang-up nobody waits for the console: it ends at once (a big backup can take
    // seconds); every decision is already durable and the periodic backup stands.
    if !hangup.load(Ordering::Relaxed) {
        rolling_backup(&backups);
    }
    let _ = std::panic::take_hook();
    if let Err(e) = &result {
        tracing::error!("console ended with an error: {e:#}");
    }
    tracing::info!("console closed by {reviewer}");
    result
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

fn event_loop(
    terminal: &mut Term,
    session: &mut Session,
    stop: &AtomicBool,
    hangup: &AtomicBool,
    store: &Store,
) -> anyhow::Result<()> {
    let input = spawn_input();
    let mut last_backup = std::time::Instant::now();
    loop {
        if last_backup.elapsed() >= BACKUP_EVERY {
            rolling_backup(store);
            last_backup = std::time::Instant::now();
        }
        if stop.load(Ordering::Relaxed) || hangup.load(Ordering::Relaxed) {
            tracing::info!("stopping on a signal");
            session.save_cursor();
            return Ok(());
        }
        if !stdout().is_terminal() {
            hangup.store(true, Ordering::Relaxed);
            tracing::info!("the terminal went away");
            session.save_cursor();
            return Ok(());
        }
        let mut dirty = false;
        match input.recv_timeout(TICK) {
            Ok(Input::Event(ev)) => {
                let msg = match ev {
                    Event::Key(key) => Some(Msg::Key(key)),
                    Event::Paste(text) => Some(Msg::Paste(text)),
                    Event::Resize(width, height) => {
                        terminal.autoresize()?;
                        Some(Msg::Resize { width, height })
                    }
                    _ => None,
                };
                if let Some(msg) = msg {
                    if !session.handle(msg) {
                        return Ok(());
                    }
                    dirty = true;
                }
            }
            Ok(Input::Gone(e)) => {
                hangup.store(true, Ordering::Relaxed);
                tracing::warn!("the terminal cannot be read any more: {e}");
                session.save_cursor();
                return Ok(());
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                hangup.store(true, Ordering::Relaxed);
                session.save_cursor();
                return Ok(());
            }
        }
        if session.poll_changes() {
            dirty = true;
        }
        if dirty && let Err(e) = draw(terminal, session) {
            hangup.store(true, Ordering::Relaxed);
            tracing::warn!("the terminal cannot be written any more: {e}");
            session.save_cursor();
            return Ok(());
        }
    }
}
