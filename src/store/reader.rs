//! Reading a database that another thidua holds open. sled lets one process open a database,
//! so while a console or `thidua serve` runs, `status`, `log`, `export` and `verify` would be
//! refused. The holder answers them instead: it listens on a Unix socket inside the database
//! folder (`reader.sock`, mode 0600, so only the same user can connect), reads one request
//! line and writes the data that request needs as one JSON document, from its open store, as
//! of the last acknowledged change. The asking command then does its usual work on that data.
//!
//! The protocol is one JSON line each way, with `serde_json` on both ends; the request is
//! capped at 4 KiB and each connection has read and write deadlines, so a stuck or hostile
//! client cannot hold the holder's reader thread for long.

use std::io::{BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::verify::Report;
use super::{Result, Store, StoreError};
use crate::domain::{AuditEvent, Campaign, Initiative, Lang, Subject, Verdict};

/// The socket's file name inside the database folder.
pub(crate) const SOCKET: &str = "reader.sock";
/// The longest request line accepted.
const MAX_REQUEST: u64 = 4096;
/// How long a connection may take to send its request, and to take each part of the answer.
const DEADLINE: Duration = Duration::from_secs(30);

/// What a command needs from the holder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub subjects: bool,
    pub verdicts: bool,
    pub initiatives: bool,
    /// The audit trail: everything, or one subject's.
    pub audit: Option<AuditScope>,
    /// Run `Store::verify` on the holder's store.
    pub verify: bool,
    /// A change for the holder to carry out on its store (only `thidua serve` does); nothing
    /// else is gathered then. A holder from before this field ignores it and answers without
    /// `Answer::done`, which the asking command takes as a refusal.
    #[serde(default)]
    pub action: Option<ActionRequest>,
}

/// A change asked of the holder, with who asks and in which language to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRequest {
    pub action: Action,
    /// The reviewer the audit event names.
    pub reviewer: String,
    pub lang: Lang,
    /// How the asking command came in (`local:LOGIN`, the login of the user id the socket's
    /// peer runs as, `SO_PEERCRED`): set by the holder when the request arrives, never taken
    /// from the request itself.
    #[serde(skip)]
    pub origin: Option<String>,
}

/// The changes a holder can carry out for a command beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// `thidua import KIND FILE`, the file by its absolute path.
    Import {
        kind: ImportKind,
        file: PathBuf,
        sheet: Option<String>,
        clear_empty: bool,
        dry_run: bool,
    },
    /// `thidua assign`, its list file by its absolute path.
    Assign {
        reviewer: Option<String>,
        tier: Option<String>,
        parent: Option<String>,
        file: Option<PathBuf>,
        clear: bool,
        dry_run: bool,
    },
}

/// What an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    Roster,
    Initiatives,
    SelfAssessment,
}

/// How the holder answered an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Done {
    /// Carried out (or refused by the command's own checks): what the command prints, on
    /// stdout when `ok`, else as its error.
    Finished { ok: bool, text: String },
    /// This holder does not carry out changes (a console).
    Unsupported,
}

/// Carries out an action on the holder's store: the printed text, or the error as the command
/// would word it. `thidua serve` installs it (the commands live above this layer); a holder
/// without one answers `Done::Unsupported`.
pub type ActionRunner =
    dyn Fn(&Store, &ActionRequest) -> std::result::Result<String, String> + Send + Sync;

/// The runner for actions asked over the socket.
pub static ACTIONS: std::sync::OnceLock<Arc<ActionRunner>> = std::sync::OnceLock::new();

/// Which events of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditScope {
    All,
    Subject(String),
}

/// The holder's answer: the campaign always, the rest when asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answer {
    /// The holder's process id, to tell the user who answered.
    pub pid: u32,
    pub campaign: Campaign,
    pub subjects: Vec<(u32, Subject)>,
    pub verdicts: Vec<(u32, u16, Verdict)>,
    /// The self-assessment claims, sent with the verdicts.
    #[serde(default)]
    pub claims: Vec<(u32, u16, crate::domain::Claim)>,
    pub initiatives: Vec<Initiative>,
    pub audit: Vec<AuditEvent>,
    pub report: Option<Report>,
    /// The holder's change journal head: sequence number and SHA-256 (hex).
    #[serde(default)]
    pub head: Option<(u64, String)>,
    /// Set when the holder could not read its store; the rest is then empty.
    pub error: Option<String>,
    /// The outcome of `Request::action`; `None` from a holder that predates actions.
    #[serde(default)]
    pub done: Option<Done>,
}

/// The socket path for the database at `db`.
pub fn socket_path(db: &Path) -> PathBuf {
    db.join(SOCKET)
}

/// Answers readers while it lives; dropping it stops the thread and removes the socket.
#[derive(Debug)]
pub struct Serving {
    path: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        // The thread looks at the flag between accepts (at least every `POLL`), so this ends
        // it even when the socket file is already gone (its folder deleted, say).
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// How often the accepting thread looks for a stop while nobody connects.
const POLL: Duration = Duration::from_millis(100);
/// Readers answered at the same time, at most.
const AT_ONCE: usize = 4;

/// Starts answering readers for `store`. The caller holds the database, so a socket file left
/// by a holder that was killed is replaced. Fails (and the caller carries on without it) when
/// the socket cannot be made, e.g. a path longer than a Unix socket allows.
pub fn serve(store: Arc<Store>) -> std::io::Result<Serving> {
    let path = socket_path(store.path());
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let listener = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    listener.set_nonblocking(true)?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::Builder::new()
        .name("reader-socket".into())
        .spawn(move || {
            // Each reader is answered on a thread of its own, so a long answer (an export at
            // scale, an import carried out for a command) does not keep `status` waiting; at
            // most `AT_ONCE` at a time, the others wait in the socket's backlog.
            let mut answering: Vec<std::thread::JoinHandle<()>> = Vec::new();
            while !flag.load(Ordering::SeqCst) {
                answering.retain(|t| !t.is_finished());
                if answering.len() >= AT_ONCE {
                    std::thread::sleep(POLL / 10);
                    continue;
                }
                match listener.accept() {
                    Ok((stream, _)) => {
                        let store = store.clone();
                        let stop = flag.clone();
                        let spawned = std::thread::Builder::new()
                            .name("reader-answer".into())
                            .spawn(move || answer_one(&store, stream, &stop));
                        match spawned {
                            Ok(t) => answering.push(t),
                            Err(e) => tracing::warn!("answering a reader failed: {e}"),
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(POLL);
                    }
                    Err(e) => {
                        tracing::warn!("accepting a reader failed: {e}");
                        std::thread::sleep(POLL);
                    }
                }
            }
            // A change being carried out for a command is finished before the holder lets go.
            for t in answering {
                let _ = t.join();
            }
        })?;
    tracing::info!("answering readers on {}", path.display());
    Ok(Serving {
        path,
        stop,
        thread: Some(thread),
    })
}

/// Answers one reader. A panic while answering (a bug) costs this answer, not the socket:
/// later readers are still answered.
fn answer_one(store: &Store, stream: UnixStream, stop: &AtomicBool) {
    let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stream
            .set_nonblocking(false)
            .and_then(|()| answer(store, stream, stop))
    }))
    .unwrap_or_else(|_| Err(std::io::Error::other("answering panicked")));
    if let Err(e) = answered {
        tracing::warn!("answering a reader failed: {e}");
    }
}

/// Reads the request line: at most `MAX_REQUEST` bytes within `DEADLINE`, given up at once
/// when the holder stops (so a reader that never asks cannot hold a closing console).
fn request_line(mut stream: &UnixStream, stop: &AtomicBool) -> std::io::Result<Vec<u8>> {
    stream.set_read_timeout(Some(POLL))?;
    let deadline = std::time::Instant::now() + DEADLINE;
    let mut line = Vec::new();
    let mut chunk = [0u8; 512];
    loop {
        if let Some(end) = line.iter().position(|&b| b == b'\n') {
            line.truncate(end);
            return Ok(line);
        }
        if line.len() as u64 > MAX_REQUEST {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "request longer than allowed",
            ));
        }
        if stop.load(Ordering::SeqCst) || std::time::Instant::now() >= deadline {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(line),
            Ok(n) => line.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(e),
        }
    }
}

/// `local:LOGIN` for the user the process at the other end of `stream` runs as (its user id
/// from `SO_PEERCRED`, named by /etc/passwd, else "uid N").
fn peer_origin(stream: &UnixStream) -> std::io::Result<String> {
    let uid = rustix::net::sockopt::socket_peercred(stream)?.uid.as_raw();
    let name = crate::files::passwd_name(uid)
        .map(|n| crate::text::clean(&n))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("uid {uid}"));
    Ok(format!("local:{name}"))
}

fn answer(store: &Store, stream: UnixStream, stop: &AtomicBool) -> std::io::Result<()> {
    let line = request_line(&stream, stop)?;
    stream.set_write_timeout(Some(DEADLINE))?;
    let mut request: Request = serde_json::from_slice(&line)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    if let Some(action) = request.action.as_mut() {
        action.origin = Some(peer_origin(&stream)?);
    }
    tracing::info!("a reader asked for {request:?}");
    let answer = match &request.action {
        Some(action) => Answer {
            done: Some(match ACTIONS.get() {
                Some(run) => match run(store, action) {
                    Ok(text) => Done::Finished { ok: true, text },
                    Err(text) => Done::Finished { ok: false, text },
                },
                None => Done::Unsupported,
            }),
            ..empty(store)
        },
        None => match gather(store, &request) {
            Ok(a) => a,
            Err(e) => Answer {
                error: Some(e.to_string()),
                ..empty(store)
            },
        },
    };
    let mut out = std::io::BufWriter::new(&stream);
    serde_json::to_writer(&mut out, &answer).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn empty(store: &Store) -> Answer {
    Answer {
        pid: std::process::id(),
        campaign: store.campaign().clone(),
        subjects: Vec::new(),
        verdicts: Vec::new(),
        claims: Vec::new(),
        initiatives: Vec::new(),
        audit: Vec::new(),
        report: None,
        head: None,
        error: None,
        done: None,
    }
}

fn gather(store: &Store, request: &Request) -> Result<Answer> {
    let (mut a, head) = store.at_head(|| gather_parts(store, request))?;
    a.head = head;
    if request.verify {
        a.report = Some(store.verify()?);
    }
    Ok(a)
}

/// What `request` names, read at one journal head (`Store::at_head`).
fn gather_parts(store: &Store, request: &Request) -> Result<Answer> {
    let mut a = empty(store);
    if request.subjects {
        a.subjects = store.subjects()?;
    }
    if request.verdicts {
        a.verdicts = store.verdicts()?;
        a.claims = store.claims()?;
    }
    if request.initiatives {
        a.initiatives = store.initiatives()?;
    }
    match &request.audit {
        Some(AuditScope::All) => a.audit = store.audit(None)?,
        Some(AuditScope::Subject(id)) => a.audit = store.audit(Some(id))?,
        None => {}
    }
    Ok(a)
}

/// Asks the holder of the database at `db`. `Ok(None)` when nobody answers there (no socket,
/// or one left by a holder that is gone).
pub fn ask(db: &Path, request: &Request) -> Result<Option<Answer>> {
    ask_within(db, request, DEADLINE)
}

/// How long a command waits for the holder to carry out an action (an import at province
/// scale takes a while).
const ACTION_DEADLINE: Duration = Duration::from_secs(900);

/// Asks the holder of the database at `db` to carry out `action`. `Ok(None)` when nobody
/// answers there.
pub fn act(db: &Path, action: ActionRequest) -> Result<Option<Answer>> {
    let request = Request {
        action: Some(action),
        ..Request::default()
    };
    ask_within(db, &request, ACTION_DEADLINE)
}

fn ask_within(db: &Path, request: &Request, deadline: Duration) -> Result<Option<Answer>> {
    let path = socket_path(db);
    let io = |source: std::io::Error| StoreError::Io {
        path: path.clone(),
        source,
    };
    let stream = match UnixStream::connect(&path) {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(io(e)),
    };
    stream.set_write_timeout(Some(DEADLINE)).map_err(io)?;
    stream.set_read_timeout(Some(deadline)).map_err(io)?;
    let mut line = serde_json::to_string(request)
        .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
    line.push('\n');
    (&stream).write_all(line.as_bytes()).map_err(io)?;
    let answer: Answer = serde_json::from_reader(BufReader::new(&stream))
        .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
    if let Some(e) = &answer.error {
        return Err(io(std::io::Error::other(format!(
            "the thidua holding the database could not read it: {e}"
        ))));
    }
    Ok(Some(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_of_a_request_is_the_login_of_the_process_at_the_other_end() {
        let (ours, theirs) = UnixStream::pair().expect("pair");
        let uid = crate::files::effective_uid().expect("uid");
        let name = crate::files::passwd_name(uid).unwrap_or_else(|| format!("uid {uid}"));
        assert_eq!(peer_origin(&ours).expect("peer"), format!("local:{name}"));
        assert_eq!(peer_origin(&theirs).expect("peer"), format!("local:{name}"));
        // Never taken from the request itself.
        let sent: ActionRequest = serde_json::from_str(
            r#"{"action":{"Assign":{"reviewer":"B","tier":null,"parent":null,"file":null,"clear":false,"dry_run":true}},"reviewer":"A","lang":"en","origin":"SHA256:forged"}"#,
        )
        .expect("a request");
        assert_eq!(sent.origin, None);
    }
}
