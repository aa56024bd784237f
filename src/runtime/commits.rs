//! Commits off the key thread: each console's verdict and initiative writes are committed and
//! flushed on a worker thread of its own, in the order `update` asked for them, so the screen
//! keeps answering (and shows "saving…") while a slow disk syncs. The answers (`Msg::Saved`,
//! `Msg::Conflict`, `Msg::SaveFailed`) come back through `Session::poll_changes`, which every
//! driver already calls, the way export progress does (`jobs`).
//!
//! A write made while an earlier write of the same console to the same cell is still being
//! saved was made on top of that earlier one (the screen could not show its new version yet):
//! it is based on the version the earlier one produced. The answer always carries the write as
//! `update` issued it, so the model finds it among its pending writes.
//!
//! In debug and test builds only, `THIDUA_TEST_COMMIT_DELAY_MS` delays every commit by that
//! many milliseconds, to show the saving state against a slow disk; release builds do not read it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::Duration;

use chrono::Utc;

use crate::app::{ConflictReport, Failed, Msg, Saved, Write};
use crate::domain::Lang;
use crate::store::{Actor, InitiativeWrite, Store, StoreError, VerdictWrite};

/// The environment variable that slows every commit down (debug and test builds only).
#[cfg(debug_assertions)]
pub(crate) const DELAY_VAR: &str = "THIDUA_TEST_COMMIT_DELAY_MS";

/// What a commit needs besides the write: who makes it, and the language of its errors.
#[derive(Clone)]
pub(crate) struct Committer {
    pub store: Arc<Store>,
    pub reviewer: String,
    pub lang: Lang,
    /// The SSH key's fingerprint the reviewer logged in with; `None` for the local console.
    pub origin: Option<String>,
}

impl Committer {
    fn actor(&self) -> Actor {
        let actor = Actor::new(self.reviewer.clone(), Utc::now());
        match &self.origin {
            Some(origin) => actor.with_origin(origin.clone()),
            None => actor,
        }
    }

    /// A failed save in the reviewer's language. A full disk names the disk and says to free
    /// space: the store opens itself again on the next write, so the same key then works.
    fn explain(&self, e: &StoreError) -> String {
        if e.is_disk_full() {
            let path = crate::text::clean(&self.store.path().display().to_string());
            crate::i18n::fill(self.lang, crate::i18n::Key::ConsoleDiskFull, &[&path])
        } else if e.is_storage() {
            e.explain(self.store.path(), self.lang)
        } else {
            e.to_string()
        }
    }

    /// Commits `w` (based on `base`) and answers for `w` as issued.
    pub(crate) fn save_verdict(&self, w: VerdictWrite, base: u64) -> Msg {
        let mut commit = w.clone();
        commit.base_version = base;
        match self.store.set_verdict(&commit, &self.actor()) {
            Ok(verdict) => Msg::Saved(Saved::Verdict { write: w, verdict }),
            Err(StoreError::Conflict(c)) => Msg::Conflict(Box::new(ConflictReport {
                write: Write::Verdict(w),
                conflict: *c,
            })),
            Err(e) => {
                tracing::error!("saving {} {} failed: {e}", w.subject, w.criterion);
                let error = self.explain(&e);
                Msg::SaveFailed(Failed {
                    write: Write::Verdict(w),
                    error,
                })
            }
        }
    }

    /// Commits `w` (based on `base`) and answers for `w` as issued.
    pub(crate) fn save_initiative(&self, w: InitiativeWrite, base: u64) -> Msg {
        let actor = self.actor();
        let mut commit = w.clone();
        commit.base_version = base;
        match self.store.set_initiative(&commit, &actor) {
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
                let error = self.explain(&e);
                Msg::SaveFailed(Failed {
                    write: Write::Initiative(w),
                    error,
                })
            }
        }
    }
}

/// The cell a write changes: (subject id, criterion id), or (initiative id, "").
fn target(write: &Write) -> (&str, &str) {
    match write {
        Write::Verdict(w) => (&w.subject, &w.criterion),
        Write::Initiative(w) => (&w.id, ""),
    }
}

fn base_of(write: &Write) -> u64 {
    match write {
        Write::Verdict(w) => w.base_version,
        Write::Initiative(w) => w.base_version,
    }
}

/// This console's unbroken run of commits to one cell: the base the first was made on and
/// every version made since (nobody else wrote the cell in between, or a commit would have
/// conflicted).
struct Run {
    target: (String, String),
    versions: Vec<u64>,
}

/// The base a write is committed on: a write issued on a version of this console's own run
/// on the cell was made before the later answers of that run were seen, so it goes on top of
/// the run's last version; any other write keeps the base it was issued on.
fn rebase(write: &Write, runs: &[Run]) -> u64 {
    let (a, b) = target(write);
    let base = base_of(write);
    runs.iter()
        .find(|r| r.target.0 == a && r.target.1 == b)
        .filter(|r| r.versions.contains(&base))
        .and_then(|r| r.versions.last().copied())
        .unwrap_or(base)
}

/// One console's commit worker.
pub(crate) struct Commits {
    tx: Option<Sender<Write>>,
    rx: Receiver<Msg>,
    /// Writes handed over and not answered yet, oldest first (answers come in this order).
    sent: VecDeque<Write>,
    /// Failures given for writes the worker never answered, not yet taken.
    orphans: VecDeque<Msg>,
    /// The language of the answer given for writes the worker never answered.
    lang: Lang,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Commits {
    /// Starts the worker for one console.
    pub fn spawn(committer: Committer) -> std::io::Result<Commits> {
        let (tx, jobs) = mpsc::channel::<Write>();
        let (answers, rx) = mpsc::channel();
        let delay = delay();
        let lang = committer.lang;
        let thread = std::thread::Builder::new()
            .name("commits".into())
            .spawn(move || {
                // The cells this console wrote last, newest last (a run ends at a failed
                // or refused commit; only the latest few hundred cells are kept).
                let mut runs: Vec<Run> = Vec::new();
                for write in jobs {
                    if let Some(d) = delay {
                        std::thread::sleep(d);
                    }
                    let answer = commit(&committer, write, &mut runs);
                    if answers.send(answer).is_err() {
                        return;
                    }
                }
            })?;
        Ok(Commits {
            tx: Some(tx),
            rx,
            sent: VecDeque::new(),
            orphans: VecDeque::new(),
            lang,
            thread: Some(thread),
        })
    }

    /// Hands a write to the worker; gives it back if the worker is gone (nothing was made).
    pub fn send(&mut self, write: Write) -> Result<(), Write> {
        match &self.tx {
            Some(tx) => match tx.send(write.clone()) {
                Ok(()) => {
                    self.sent.push_back(write);
                    Ok(())
                }
                Err(mpsc::SendError(w)) => Err(w),
            },
            None => Err(write),
        }
    }

    /// Whether writes are waiting for their answer.
    pub fn saving(&self) -> bool {
        !self.sent.is_empty() || !self.orphans.is_empty()
    }

    /// The answers that have arrived, in commit order.
    pub(crate) fn poll(&mut self) -> Vec<Msg> {
        let mut got = Vec::new();
        loop {
            match self.rx.try_recv() {
                Ok(msg) => {
                    self.sent.pop_front();
                    got.push(msg);
                }
                Err(TryRecvError::Empty) => return got,
                Err(TryRecvError::Disconnected) => {
                    self.orphan_the_rest();
                    got.extend(self.orphans.drain(..));
                    return got;
                }
            }
        }
    }

    /// The next answer, waiting at most `wait` for it.
    pub fn wait(&mut self, wait: Duration) -> Option<Msg> {
        if let Some(msg) = self.orphans.pop_front() {
            return Some(msg);
        }
        if self.sent.is_empty() {
            return None;
        }
        match self.rx.recv_timeout(wait) {
            Ok(msg) => {
                self.sent.pop_front();
                Some(msg)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                self.orphan_the_rest();
                self.orphans.pop_front()
            }
        }
    }

    /// The worker stopped (it panicked): every write it did not answer failed, and the
    /// reviewer is told so; a write that was committed all the same shows on reopening.
    fn orphan_the_rest(&mut self) {
        if self.sent.is_empty() {
            return;
        }
        tracing::error!(
            "the commit worker stopped with {} writes unanswered",
            self.sent.len()
        );
        self.tx = None;
        let error = crate::i18n::tr(self.lang, crate::i18n::Key::CommitWorkerStopped).to_string();
        let failed = self.sent.drain(..).map(|write| {
            Msg::SaveFailed(Failed {
                write,
                error: error.clone(),
            })
        });
        self.orphans.extend(failed);
    }
}

/// Commits one write on top of this console's own runs, and records the run it extends.
fn commit(committer: &Committer, write: Write, runs: &mut Vec<Run>) -> Msg {
    let base = rebase(&write, runs);
    let key = {
        let (a, b) = target(&write);
        (a.to_string(), b.to_string())
    };
    let answer = match write {
        Write::Verdict(w) => committer.save_verdict(w, base),
        Write::Initiative(w) => committer.save_initiative(w, base),
    };
    let made = match &answer {
        Msg::Saved(Saved::Verdict { verdict, .. }) => Some(verdict.version),
        Msg::Saved(Saved::Initiative { initiative, .. }) => Some(initiative.version),
        _ => None,
    };
    let at = runs.iter().position(|r| r.target == key);
    let previous = at.map(|i| runs.remove(i));
    if let Some(made) = made {
        let mut run = previous
            .filter(|r| r.versions.last() == Some(&base))
            .unwrap_or_else(|| Run {
                target: key,
                versions: vec![base],
            });
        run.versions.push(made);
        runs.push(run);
        if runs.len() > 256 {
            runs.remove(0);
        }
    }
    answer
}

impl Drop for Commits {
    /// Every write handed over is committed before the console's worker ends.
    fn drop(&mut self) {
        self.tx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The test delay, in debug and test builds only.
#[cfg(debug_assertions)]
fn delay() -> Option<Duration> {
    std::env::var(DELAY_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&ms| ms > 0)
        .map(Duration::from_millis)
}

#[cfg(not(debug_assertions))]
fn delay() -> Option<Duration> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Cause, VerdictValue};

    fn write(subject: &str, criterion: &str, base: u64) -> Write {
        Write::Verdict(VerdictWrite {
            subject: subject.into(),
            criterion: criterion.into(),
            value: VerdictValue::Met,
            note: String::new(),
            base_version: base,
            cause: Cause::Edit,
            cell: None,
        })
    }

    fn run(subject: &str, criterion: &str, versions: &[u64]) -> Run {
        Run {
            target: (subject.into(), criterion.into()),
            versions: versions.to_vec(),
        }
    }

    #[test]
    fn writes_a_stopped_worker_never_answered_fail_and_say_so() {
        let (answers, rx) = mpsc::channel::<Msg>();
        drop(answers);
        let mut commits = Commits {
            tx: None,
            rx,
            sent: VecDeque::from([write("DV001", "TT1", 0), write("DV001", "TT2", 0)]),
            orphans: VecDeque::new(),
            lang: Lang::En,
            thread: None,
        };
        assert!(commits.saving());
        let first = commits.wait(Duration::from_millis(10));
        let rest = commits.poll();
        assert!(!commits.saving());
        let failed: Vec<_> = first
            .into_iter()
            .chain(rest)
            .map(|m| match m {
                Msg::SaveFailed(f) => (f.write, f.error),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(failed.len(), 2);
        assert_eq!(failed[0].0, write("DV001", "TT1", 0));
        assert_eq!(failed[1].0, write("DV001", "TT2", 0));
        assert!(failed[0].1.contains("writer stopped"), "{}", failed[0].1);
    }

    #[test]
    fn a_write_made_on_the_consoles_own_run_goes_on_top_of_it() {
        let runs = [
            run("DV001", "TT1", &[0, 1, 2]),
            run("DV001", "TT2", &[4, 5]),
        ];
        // Issued before the answers of 1 and 2 were seen: on top of 2.
        assert_eq!(rebase(&write("DV001", "TT1", 0), &runs), 2);
        assert_eq!(rebase(&write("DV001", "TT1", 1), &runs), 2);
        assert_eq!(rebase(&write("DV001", "TT1", 2), &runs), 2);
        // A base the run never had (someone else's version): kept, so it conflicts.
        assert_eq!(rebase(&write("DV001", "TT1", 3), &runs), 3);
        // Another cell, or a cell this console has not written: kept.
        assert_eq!(rebase(&write("DV001", "TT2", 4), &runs), 5);
        assert_eq!(rebase(&write("DV001", "TT3", 0), &runs), 0);
        assert_eq!(rebase(&write("DV002", "TT1", 0), &runs), 0);
    }
}
