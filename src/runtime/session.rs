//! One reviewer's console bound to the shared store: it runs `update`, performs the effects
//! (durable commits stamped with the current time, cursor saves) and feeds the store's answers
//! back into `update` until nothing is left to do. The local terminal and every SSH channel
//! drive the same `Session`; only input and output differ. Drivers start a commit worker
//! (`commit_on_worker`, see `commits`) so writes are committed off the key thread and answered
//! through `poll_changes`; without one, a write is committed before `handle` returns.
//!
//! The review itself (the index) is not the session's: every session of one store opens
//! with a clone of the `SharedIndex`'s current version and, after each batch of changes it
//! has applied, goes back to sharing that version (`Index::share`), so a console holds only
//! its view state.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize};

use super::commits::{Commits, Committer};
use super::jobs::Jobs;
use super::shared_index::{SharedIndex, build_index};

use chrono::Utc;

use crate::app::{Effect, Index, Init, Model, Msg, Role, Write, update};
use crate::domain::Lang;
use crate::store::{Actor, Change, ChangeFeed, Store, StoreError};

/// A console session: the model plus what it needs to carry out effects.
pub struct Session {
    pub model: Model,
    store: Arc<Store>,
    /// The index every console of this store shares.
    index: Arc<SharedIndex>,
    /// Exports and history reads running on their own threads.
    jobs: Jobs,
    feed: ChangeFeed,
    reviewer: String,
    role: Role,
    /// The commit worker, once the driver has started it; without one, writes are committed
    /// on the calling thread before `handle` returns.
    commits: Option<Commits>,
    /// The SSH key's fingerprint the reviewer logged in with (`set_origin`).
    origin: Option<String>,
}

/// How far `load_init` has read, for the screen shown while a large review opens; updated
/// every few thousand records from the loading thread.
#[derive(Debug, Default)]
pub struct LoadProgress {
    /// The campaign's title in the console's language, once the database is open.
    pub campaign: std::sync::OnceLock<String>,
    pub subjects: AtomicUsize,
    /// How many subjects there are, once the database is open.
    pub of_subjects: AtomicUsize,
    pub verdicts: AtomicUsize,
    /// Set by whoever waits for the reading when it gives up: the reading stops early.
    pub cancelled: AtomicBool,
    /// Set while a shared index is being made (`SharedIndex`'s own progress).
    pub making: AtomicBool,
}

/// Reads everything a console opens with from the store, streaming subjects and verdicts into
/// the index (they are never all held as separate values at once).
pub fn load_init(
    store: &Store,
    reviewer: &str,
    lang: Lang,
    role: Role,
    no_color: bool,
    width: u16,
    height: u16,
) -> anyhow::Result<Init> {
    let progress = LoadProgress::default();
    load_init_counting(
        store,
        reviewer,
        lang,
        role,
        no_color,
        (width, height),
        &progress,
    )
}

/// `load_init`, counting what it has read in `progress`.
pub fn load_init_counting(
    store: &Store,
    reviewer: &str,
    lang: Lang,
    role: Role,
    no_color: bool,
    (width, height): (u16, u16),
    progress: &LoadProgress,
) -> anyhow::Result<Init> {
    let _ = progress
        .campaign
        .set(store.campaign().title(lang).to_string());
    let index = build_index(store, progress)?;
    init_of(
        store,
        index,
        reviewer,
        lang,
        role,
        no_color,
        (width, height),
    )
}

/// What a console opens with, given the index it starts from.
fn init_of(
    store: &Store,
    index: Index,
    reviewer: &str,
    lang: Lang,
    role: Role,
    no_color: bool,
    (width, height): (u16, u16),
) -> anyhow::Result<Init> {
    Ok(Init {
        campaign: store.campaign().clone(),
        index,
        reviewer: reviewer.to_string(),
        lang,
        role,
        cursor: store.cursor(reviewer)?,
        no_color,
        today: Utc::now()
            .with_timezone(&crate::domain::vietnam())
            .date_naive(),
        width,
        height,
    })
}

impl Session {
    /// Opens a console for `reviewer` on `store`, restoring where they left off.
    pub fn new(
        store: Arc<Store>,
        reviewer: &str,
        lang: Lang,
        role: Role,
        no_color: bool,
        width: u16,
        height: u16,
    ) -> anyhow::Result<Session> {
        let progress = LoadProgress::default();
        Self::open(
            store,
            reviewer,
            lang,
            role,
            no_color,
            (width, height),
            &progress,
        )
    }

    /// `new`, counting what it has read in `progress` (read from another thread to show how
    /// far the opening has got). The session has an index of its own (`SharedIndex::new`);
    /// consoles of one server open with `open_shared`.
    pub fn open(
        store: Arc<Store>,
        reviewer: &str,
        lang: Lang,
        role: Role,
        no_color: bool,
        size: (u16, u16),
        progress: &LoadProgress,
    ) -> anyhow::Result<Session> {
        let index = SharedIndex::new(store);
        Self::open_shared(&index, reviewer, lang, role, no_color, size, progress)
    }

    /// Opens a console on the store of `index`, starting from its current version (made
    /// first if this is the first console, counted in `progress`).
    pub fn open_shared(
        index: &Arc<SharedIndex>,
        reviewer: &str,
        lang: Lang,
        role: Role,
        no_color: bool,
        size: (u16, u16),
        progress: &LoadProgress,
    ) -> anyhow::Result<Session> {
        let store = index.store().clone();
        let _ = progress
            .campaign
            .set(store.campaign().title(lang).to_string());
        progress
            .of_subjects
            .store(store.subject_count(), std::sync::atomic::Ordering::Relaxed);
        // Subscribed before the index is taken: a change committed in between is heard twice
        // (the second time changes nothing), never missed.
        let feed = store.subscribe();
        let current = index.current(progress)?;
        let init = init_of(&store, current, reviewer, lang, role, no_color, size)?;
        let mut session = Session {
            model: Model::new(init),
            store,
            index: index.clone(),
            jobs: Jobs::default(),
            feed,
            reviewer: reviewer.to_string(),
            role,
            commits: None,
            origin: None,
        };
        let locks = session.locks()?;
        session.handle(locks);
        let assignments = session.assignments()?;
        session.handle(assignments);
        Ok(session)
    }

    /// The subjects locked now, as a message for the model.
    fn locks(&self) -> anyhow::Result<Msg> {
        let ids = self.store.locked_subjects()?.into_iter().map(|(id, _)| id);
        Ok(Msg::Locks(ids.collect()))
    }

    /// Every assignment now, as a message for the model.
    fn assignments(&self) -> anyhow::Result<Msg> {
        Ok(Msg::Assignments(self.store.assignments_by_id()?))
    }

    fn set_lock(&self, subject: &str, lock: bool) -> Msg {
        let actor = self.actor();
        let done = if lock {
            self.store.lock_subject(subject, &actor).map(|_| ())
        } else {
            self.store.unlock_subject(subject, &actor)
        };
        match done {
            Ok(()) => {
                tracing::info!(
                    "{} {} {subject}",
                    self.reviewer,
                    if lock { "locked" } else { "unlocked" }
                );
                self.locks()
                    .unwrap_or_else(|e| Msg::LockFailed(e.to_string()))
            }
            Err(StoreError::NotFinal { open, .. }) => {
                let name = self
                    .model
                    .current_entry()
                    .filter(|e| e.subject.id == subject)
                    .map_or(subject, |e| e.subject.name.as_str());
                Msg::LockFailed(crate::i18n::fill(
                    self.model.lang(),
                    crate::i18n::Key::NotFinal,
                    &[name, &open.join(", ")],
                ))
            }
            Err(e) => Msg::LockFailed(e.to_string()),
        }
    }

    /// Runs `msg` through `update` and performs the effects, feeding each answer back in.
    /// Returns false once the user has quit.
    pub fn handle(&mut self, msg: Msg) -> bool {
        let mut queue = VecDeque::from([msg]);
        let mut quit = false;
        while let Some(msg) = queue.pop_front() {
            for effect in update(&mut self.model, msg) {
                match effect {
                    Effect::Export(request) => {
                        queue.extend(self.jobs.start_export(
                            self.store.clone(),
                            request,
                            self.reviewer.clone(),
                            self.model.lang(),
                        ));
                    }
                    Effect::LoadHistory { subject, criterion } => {
                        self.jobs
                            .start_history(self.store.clone(), subject, criterion);
                    }
                    Effect::SaveVerdict(w) => {
                        if let Some(answer) = self.save(Write::Verdict(w)) {
                            queue.push_back(answer);
                        }
                    }
                    Effect::SaveInitiative(w) => {
                        if let Some(answer) = self.save(Write::Initiative(w)) {
                            queue.push_back(answer);
                        }
                    }
                    Effect::SaveCursor(bytes) => self.put_cursor(&bytes),
                    Effect::Quit => quit = true,
                    Effect::SetLock { subject, lock } => {
                        queue.push_back(self.set_lock(&subject, lock))
                    }
                }
            }
        }
        !(quit || self.model.has_quit())
    }

    /// Drains changes committed by other sessions, and the progress or result of a running
    /// export, into the model; true if anything arrived.
    pub fn poll_changes(&mut self) -> bool {
        let saved = self.poll_commits();
        let exported = self.poll_export() || saved;
        let changes = self.feed.drain();
        if changes.is_empty() {
            return exported;
        }
        let mut reload = false;
        for change in changes {
            match change {
                Change::Roster | Change::Resync => reload = true,
                Change::Assignments => match self.assignments() {
                    Ok(msg) => {
                        self.handle(msg);
                    }
                    Err(e) => tracing::error!("reading the assignments failed: {e:#}"),
                },
                other => {
                    self.handle(Msg::External(other));
                }
            }
        }
        let progress = LoadProgress::default();
        match self.index.current(&progress) {
            // A rebuild of the shared index this console has not heard of (its own feed kept
            // up where the index's fell behind) is taken as a reload too, so no console keeps
            // an old build alive.
            Ok(current) if reload || !self.model.index().same_build(&current) => {
                let m = &self.model;
                let size = m.size();
                let (lang, no_color) = (m.lang(), m.no_color());
                match init_of(
                    &self.store,
                    current,
                    &self.reviewer,
                    lang,
                    self.role,
                    no_color,
                    size,
                ) {
                    Ok(init) => {
                        self.handle(Msg::Reload(Box::new(init)));
                        match self.locks() {
                            Ok(locks) => {
                                self.handle(locks);
                            }
                            Err(e) => tracing::error!("reading the locked subjects failed: {e:#}"),
                        }
                        match self.assignments() {
                            Ok(msg) => {
                                self.handle(msg);
                            }
                            Err(e) => tracing::error!("reading the assignments failed: {e:#}"),
                        }
                    }
                    Err(e) => tracing::error!("reloading after a roster change failed: {e:#}"),
                }
            }
            // The changes were applied to this console's clone, and once to the shared
            // index: when both hold the same, the console shares that version again.
            Ok(current) => {
                self.handle(Msg::Share(Box::new(current)));
            }
            Err(e) => tracing::error!("reading the shared index failed: {e:#}"),
        }
        true
    }

    /// Writes the index snapshot beside the database, so the next start reads it instead of
    /// the whole store; for the local console quitting (the database's only writer), and
    /// only once every write has been answered. Returns whether one was written.
    pub fn keep_index(&self) -> bool {
        !self.saving() && self.index.persist()
    }

    /// The index this console's store shares.
    pub fn shared_index(&self) -> &Arc<SharedIndex> {
        &self.index
    }

    /// Feeds what background work reported (export progress and results, histories) into
    /// the model; true if anything arrived.
    fn poll_export(&mut self) -> bool {
        let msgs = self.jobs.poll();
        let any = !msgs.is_empty();
        for msg in msgs {
            self.handle(msg);
        }
        any
    }

    /// Lets exports go to any path and replace a file (for the local terminal, whose user
    /// owns the files anyway); by default only a new plain file name in the current folder.
    /// The store this console works on.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    pub fn allow_export_paths(&mut self) {
        self.jobs.anywhere = true;
    }

    /// Whether an export is still running.
    pub fn exporting(&self) -> bool {
        self.jobs.exporting()
    }

    /// Whether an export or a history read is still running.
    pub fn busy(&self) -> bool {
        self.jobs.busy()
    }

    /// Remembers the reviewer's position now (for a hang-up, where no quit key comes).
    pub(crate) fn save_cursor(&self) {
        if let Some(p) = self.model.position() {
            self.put_cursor(&p.encode());
        }
    }

    fn put_cursor(&self, bytes: &[u8]) {
        if let Err(e) = self.store.put_cursor(&self.reviewer, bytes) {
            tracing::warn!("saving the position of {} failed: {e}", self.reviewer);
        }
    }

    fn actor(&self) -> Actor {
        let actor = Actor::new(self.reviewer.clone(), Utc::now());
        match &self.origin {
            Some(origin) => actor.with_origin(origin.clone()),
            None => actor,
        }
    }

    /// Records, from now on, that the reviewer came in with the SSH key of fingerprint
    /// `origin` (`SHA256:…`); the local console keeps `local:LOGIN`.
    pub fn set_origin(&mut self, origin: &str) {
        self.origin = Some(origin.to_string());
    }

    fn committer(&self) -> Committer {
        Committer {
            store: self.store.clone(),
            reviewer: self.reviewer.clone(),
            lang: self.model.lang(),
            origin: self.origin.clone(),
        }
    }

    /// Commits writes on a worker thread of their own from now on, so a slow disk never holds
    /// the keys up: the model shows "saving…" until `poll_changes` brings the answer.
    pub fn commit_on_worker(&mut self) -> std::io::Result<()> {
        if self.commits.is_none() {
            self.commits = Some(Commits::spawn(self.committer())?);
        }
        Ok(())
    }

    /// Whether a write is still being committed.
    pub fn saving(&self) -> bool {
        self.commits.as_ref().is_some_and(Commits::saving)
    }

    /// Waits until every write handed to the worker has been committed and its answer taken
    /// in (an answer may release held keys that write again), at most `limit`; false if some
    /// are still being saved then.
    pub fn settle(&mut self, limit: std::time::Duration) -> bool {
        let done = self.wait_for_saves(limit);
        if !done {
            tracing::warn!(
                "writes of {} still being saved after {limit:?}",
                self.reviewer
            );
        }
        done
    }

    /// Gives the writes being saved up to `limit` to be answered, taking the answers in;
    /// true if none is left. Drivers call it with a few milliseconds before drawing, so that
    /// on a disk of ordinary speed a key's frame already shows its value saved, while a slow
    /// disk holds the keys up no longer than that.
    pub(crate) fn wait_for_saves(&mut self, limit: std::time::Duration) -> bool {
        let until = std::time::Instant::now() + limit;
        while self.saving() {
            let left = until.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            let answer = self.commits.as_mut().and_then(|c| c.wait(left));
            if let Some(msg) = answer {
                self.handle(msg);
            }
        }
        true
    }

    /// Whether the console is still open (false once the reviewer has quit, which a held quit
    /// key does when the last write being saved is answered).
    pub fn running(&self) -> bool {
        !self.model.has_quit()
    }

    /// Feeds the answers of finished commits into the model; true if any arrived.
    pub(crate) fn poll_commits(&mut self) -> bool {
        let answers = self.commits.as_mut().map(Commits::poll).unwrap_or_default();
        let any = !answers.is_empty();
        for msg in answers {
            self.handle(msg);
        }
        any
    }

    /// Commits a write: on the worker (the answer comes later, `None` now), or here.
    fn save(&mut self, write: Write) -> Option<Msg> {
        let write = match self.commits.as_mut().map(|c| c.send(write.clone())) {
            Some(Ok(())) => return None,
            Some(Err(w)) => {
                tracing::error!(
                    "the commit worker of {} is gone; saving here",
                    self.reviewer
                );
                w
            }
            None => write,
        };
        let committer = self.committer();
        Some(match write {
            Write::Verdict(w) => {
                let base = w.base_version;
                committer.save_verdict(w, base)
            }
            Write::Initiative(w) => {
                let base = w.base_version;
                committer.save_initiative(w, base)
            }
        })
    }
}
