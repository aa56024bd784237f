//! One reviewer's console bound to the shared store: it runs `update`, performs the effects
//! (durable commits stamped with the current time, cursor saves) and feeds the store's answers
//! back into `update` until nothing is left to do. The local terminal and every SSH channel
//! drive the same `Session`; only input and output differ.

use std::collections::VecDeque;
use std::sync::Arc;

use super::jobs::{self, ExportJob};

use chrono::Utc;

use crate::app::{ConflictReport, Effect, Failed, Init, Model, Msg, Role, Saved, Write, update};
use crate::domain::Lang;
use crate::store::{Actor, Change, ChangeFeed, InitiativeWrite, Store, StoreError, VerdictWrite};

/// A console session: the model plus what it needs to carry out effects.
pub struct Session {
    pub model: Model,
    store: Arc<Store>,
    /// The export running on its own thread, if any.
    export: Option<ExportJob>,
    feed: ChangeFeed,
    reviewer: String,
    role: Role,
}

/// Reads everything a console opens with from the store.
pub fn load_init(
    store: &Store,
    reviewer: &str,
    lang: Lang,
    role: Role,
    no_color: bool,
    width: u16,
    height: u16,
) -> anyhow::Result<Init> {
    Ok(Init {
        campaign: store.campaign().clone(),
        subjects: store.subjects()?,
        verdicts: store.verdicts()?,
        initiatives: store.initiatives()?,
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
        let feed = store.subscribe();
        let init = load_init(&store, reviewer, lang, role, no_color, width, height)?;
        Ok(Session {
            model: Model::new(init),
            store,
            export: None,
            feed,
            reviewer: reviewer.to_string(),
            role,
        })
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
                        queue.extend(self.start_export(request));
                    }
                    Effect::LoadHistory { subject, criterion } => {
                        queue.push_back(jobs::history(&self.store, subject, criterion));
                    }
                    Effect::SaveVerdict(w) => queue.push_back(self.save_verdict(w)),
                    Effect::SaveInitiative(w) => queue.push_back(self.save_initiative(w)),
                    Effect::SaveCursor(bytes) => self.put_cursor(&bytes),
                    Effect::Quit => quit = true,
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
                }
                Err(e) => tracing::error!("reloading after a roster change failed: {e:#}"),
            }
        }
        true
    }

    /// Starts an export on its own thread; a second one while one runs is refused.
    fn start_export(&mut self, request: crate::app::ExportRequest) -> Option<Msg> {
        if self.export.is_some() {
            return Some(Msg::ExportFailed(
                self.model.tr(crate::i18n::Key::ExportBusy).to_string(),
            ));
        }
        match ExportJob::start(
            self.store.clone(),
            request,
            self.reviewer.clone(),
            self.model.lang,
        ) {
            Ok(job) => {
                self.export = Some(job);
                None
            }
            Err(e) => Some(Msg::ExportFailed(e)),
        }
    }

    /// Feeds the running export's progress (or its result) into the model.
    fn poll_export(&mut self) -> bool {
        let Some(job) = &mut self.export else {
            return false;
        };
        let (msgs, finished) = job.poll();
        if finished {
            self.export = None;
        }
        for msg in msgs {
            self.handle(msg);
        }
        true
    }

    /// Whether an export is still running.
    pub fn exporting(&self) -> bool {
        self.export.is_some()
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
                    error: e.to_string(),
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
                    error: e.to_string(),
                })
            }
        }
    }
}
