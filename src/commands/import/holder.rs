//! A change asked for on the command line while another thidua holds the database: `thidua
//! import` and `thidua assign` beside a running `thidua serve` are carried out by the server,
//! on its own store (`store::reader::Action` over `reader.sock`), so every open console sees
//! the change at once. The command prints what the server answered and exits as it would
//! have locally. Where that cannot be done (a local console holds the database, or a server
//! too old to carry out changes), it is refused with the lock message naming the holder and
//! what to do.

use std::path::Path;

use crate::domain::Lang;
use crate::i18n::{Key, fill};
use crate::store::owner::Holder;
use crate::store::reader::{self, Action, ActionRequest, Done};
use crate::store::{Store, StoreError};

/// Asks the holder of the database at `db` (which `locked` says is held) to carry out
/// `action` for `reviewer`: the text to print, or the error as the command words it.
pub fn carry_out(
    db: &Path,
    locked: StoreError,
    action: Action,
    reviewer: &str,
    lang: Lang,
) -> anyhow::Result<String> {
    let StoreError::Locked { owner, .. } = &locked else {
        return Err(locked.into());
    };
    let pid = owner
        .as_ref()
        .map_or_else(String::new, |o| o.pid.to_string());
    let server = owner.as_ref().is_some_and(|o| o.holder() == Holder::Server);
    let refuse = |why: Key| {
        let held = locked.explain(db, lang);
        anyhow::anyhow!("{held}\n{}", fill(lang, why, &[&pid]))
    };
    if !server {
        return Err(refuse(Key::HeldNeedsServer));
    }
    let typed = typed_file(&action);
    let request = ActionRequest {
        action,
        reviewer: reviewer.to_string(),
        lang,
        origin: None,
    };
    let answer = match reader::act(db, request) {
        Ok(Some(answer)) => answer,
        Ok(None) => return Err(refuse(Key::HeldNoAnswer)),
        Err(e) => {
            tracing::warn!("asking the server of {} failed: {e}", db.display());
            return Err(refuse(Key::HeldNoAnswer));
        }
    };
    crate::commands::eprint_line(&fill(lang, Key::HeldCarriedOut, &[&answer.pid.to_string()]));
    match answer.done {
        Some(Done::Finished { ok: true, text }) => Ok(as_typed(text, typed.as_ref())),
        Some(Done::Finished { ok: false, text }) => {
            Err(anyhow::anyhow!(as_typed(text, typed.as_ref())))
        }
        Some(Done::Unsupported) => Err(refuse(Key::HeldNeedsServer)),
        None => Err(refuse(Key::HeldTooOld)),
    }
}

/// The file of `action` (sent to the server by its absolute path) and the path as the user
/// typed it on the command line, when they differ.
fn typed_file(action: &Action) -> Option<(String, String)> {
    let file = match action {
        Action::Import { file, .. } => file,
        Action::Assign { file, .. } => file.as_ref()?,
    };
    std::env::args_os().skip(1).find_map(|arg| {
        let typed = Path::new(&arg);
        (typed.is_relative() && std::path::absolute(typed).ok().as_deref() == Some(file.as_path()))
            .then(|| (file.display().to_string(), typed.display().to_string()))
    })
}

/// The server's `text` with the file named as the user typed it, not by its absolute path.
fn as_typed(text: String, typed: Option<&(String, String)>) -> String {
    match typed {
        Some((absolute, typed)) if !absolute.is_empty() => text.replace(absolute.as_str(), typed),
        _ => text,
    }
}

/// The actor of a change carried out for `request`: its reviewer, come in as the login the
/// asking process runs as (`ActionRequest::origin`, from the socket's peer).
fn actor_of(request: &ActionRequest) -> crate::store::Actor {
    let actor = crate::store::Actor::new(request.reviewer.clone(), chrono::Utc::now());
    match &request.origin {
        Some(origin) => actor.with_origin(origin.clone()),
        None => actor,
    }
}

/// What `thidua serve` runs for a command beside it (installed in `reader::ACTIONS`).
pub fn run_action(store: &Store, request: &ActionRequest) -> Result<String, String> {
    let lang = request.lang;
    let done = match &request.action {
        Action::Import { .. } => super::import_on(store, &request.action, &actor_of(request), lang),
        Action::Assign { .. } => {
            crate::commands::assign::assign_on(store, &request.action, &actor_of(request), lang)
        }
    };
    done.map_err(|e| {
        tracing::info!("a change asked beside the server was refused: {e:#}");
        crate::paths::explain_error(&e, store.path(), lang).unwrap_or_else(|| format!("{e:#}"))
    })
}
