//! One reviewer's console bound to the shared store: it runs `update`, performs the effects
//! (durable commits stamped with the current time, cursor saves) and feeds the store's answers
//! back into `update` until nothing is left to do. The local terminal and every SSH channel
//! drive the same `Session`; only input and output differ.

use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::jobs::Jobs;

use chrono::Utc;

use crate::app::{
    ConflictReport, Effect, Failed, IndexBuilder, Init, Model, Msg, Role, Saved, Write, update,
};
use crate::domain::Lang;
use crate::store::{Actor, Change, ChangeFeed, InitiativeWrite, Store, StoreError, VerdictWrite};

/// A console session: the model plus what it needs to carry out effects.
pub struct Session {
    pub model: Model,
    store: Arc<Store>,
    /// Exports and history reads running on their own threads.
    jobs: Jobs,
    feed: ChangeFeed,
    reviewer: String,
    role: Role,
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
}

/// How many records are read between two updates of `LoadProgress`.
const PROGRESS_EVERY: usize = 4096;

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
    let campaign = store.campaign().clone();
    let _ = progress.campaign.set(campaign.title(lang).to_string());
    progress
        .of_subjects
        .store(store.subject_count(), Ordering::Relaxed);
    let mut builder = IndexBuilder::new(&campaign, store.subject_count());
    // Every few thousand records: report how far the reading has got, and stop if the one
    // waiting for it has given up.
    let step = |n: usize, count: &AtomicUsize| {
        if n.is_multiple_of(PROGRESS_EVERY) {
            count.store(n, Ordering::Relaxed);
            if progress.cancelled.load(Ordering::Relaxed) {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    };
    let mut n = 0usize;
    store.for_each_subject(|no, subject| {
        builder.subject(no, subject);
        n += 1;
        step(n, &progress.subjects)
    })?;
    progress.subjects.store(n, Ordering::Relaxed);
    let mut n = 0usize;
    store.for_each_verdict(|no, criterion, verdict| {
        builder.verdict(no, criterion, verdict);
        n += 1;
        step(n, &progress.verdicts)
    })?;
    progress.verdicts.store(n, Ordering::Relaxed);
    store.for_each_claim(|no, criterion, claim| {
        builder.claim(no, criterion, claim);
        ControlFlow::Continue(())
    })?;
    if progress.cancelled.load(Ordering::Relaxed) {
        anyhow::bail!("opening the review was given up");
    }
    let index = builder.finish(store.initiatives()?);
    Ok(Init {
        campaign,
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
    /// far the opening has got).
    pub fn open(
        store: Arc<Store>,
        reviewer: &str,
        lang: Lang,
        role: Role,
        no_color: bool,
        (width, height): (u16, u16),
        progress: &LoadProgress,
    ) -> anyhow::Result<Session> {
        let feed = store.subscribe();
        let init = load_init_counting(
            &store,
            reviewer,
            lang,
            role,
            no_color,
            (width, height),
            progress,
        )?;
        let mut session = Session {
            model: Model::new(init),
            store,
            jobs: Jobs::default(),
            feed,
            reviewer: reviewer.to_string(),
            role,
        };
        let locks = session.locks()?;
        session.handle(locks);
        Ok(session)
    }

    /// The subjects locked now, as a message for the model.
    fn locks(&self) -> anyhow::Result<Msg> {
        let ids = self.store.locked_subjects()?.into_iter().map(|(id, _)| id);
        Ok(Msg::Locks(ids.collect()))
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
                Msg::LockFailed(
                    self.model
                        .fill(crate::i18n::Key::NotFinal, &[name, &open.join(", ")]),
                )
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
                            self.model.lang,
                        ));
                    }
                    Effect::LoadHistory { subject, criterion } => {
                        self.jobs
                            .start_history(self.store.clone(), subject, criterion);
                    }
                    Effect::SaveVerdict(w) => queue.push_back(self.save_verdict(w)),
                    Effect::SaveInitiative(w) => queue.push_back(self.save_initiative(w)),
                    Effect::SaveCursor(bytes) => self.put_cursor(&bytes),
                    Effect::Quit => quit = true,
                    Effect::SetLock { subject, lock } => {
                        queue.push_back(self.set_lock(&subject, lock))
                    }
                }
            }
        }
        !(quit || self.model.quit)
    }

    /// Drains changes committed by other sessions, and the progress or result of a running
    /// export, into the model; true if anything arrived.
    pub fn poll_changes(&mut self) -> bool {
        let exported = self.poll_export();
        let changes = self.feed.drain();
        if changes.is_empty() {
            return exported;
        }
        let mut reload = false;
        for change in changes {
            match change {
                Change::Roster | Change::Resync => reload = true,
                other => {
                    self.handle(Msg::External(other));
                }
            }
        }
        if reload {
            let m = &self.model;
            match load_init(
                &self.store,
                &self.reviewer,
                m.lang,
                self.role,
                m.no_color,
                m.width,
                m.height,
            ) {
                Ok(init) => {
                    self.handle(Msg::Reload(Box::new(init)));
                    match self.locks() {
                        Ok(locks) => {
                            self.handle(locks);
                        }
                        Err(e) => tracing::error!("reading the locked subjects failed: {e:#}"),
                    }
                }
                Err(e) => tracing::error!("reloading after a roster change failed: {e:#}"),
            }
        }
        true
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
    pub fn save_cursor(&self) {
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
        Actor::new(self.reviewer.clone(), Utc::now())
    }

    /// A failed save in the reviewer's language. A full disk names the disk and says to free
    /// space: the store opens itself again on the next write, so the same key then works.
    fn explain(&self, e: &StoreError) -> String {
        let lang = self.model.lang;
        if e.is_disk_full() {
            let path = crate::text::clean(&self.store.path().display().to_string());
            crate::i18n::fill(lang, crate::i18n::Key::ConsoleDiskFull, &[&path])
        } else if e.is_storage() {
            e.explain(self.store.path(), lang)
        } else {
            e.to_string()
        }
    }

    fn save_verdict(&self, w: VerdictWrite) -> Msg {
        match self.store.set_verdict(&w, &self.actor()) {
            Ok(verdict) => Msg::Saved(Saved::Verdict { write: w, verdict }),
            Err(StoreError::Conflict(c)) => Msg::Conflict(Box::new(ConflictReport {
                write: Write::Verdict(w),
                conflict: *c,
            })),
            Err(e) => {
                tracing::error!("saving {} {} failed: {e}", w.subject, w.criterion);
                Msg::SaveFailed(Failed {
                    write: Write::Verdict(w),
                    error: self.explain(&e),
                })
            }
        }
    }

    fn save_initiative(&self, w: InitiativeWrite) -> Msg {
        let actor = self.actor();
        match self.store.set_initiative(&w, &actor) {
            Ok(initiative) => Msg::Saved(Saved::Initiative {
                write: w,
                initiative,
                at: actor.at,
            }),
            Err(StoreError::Conflict(c)) => Msg::Conflict(Box::new(ConflictReport {
                write: Write::Initiative(w),
                conflict: *c,
            })),
            Err(e) => {
                tracing::error!("saving initiative {} failed: {e}", w.id);
                Msg::SaveFailed(Failed {
                    write: Write::Initiative(w),
                    error: self.explain(&e),
                })
            }
        }
    }
}
