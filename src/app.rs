//! The console's pure core (Elm architecture): a `Model` holding everything the view needs,
//! the `Msg`s that can happen to it, and `update`, which changes the model and returns
//! `Effect`s for a driver to perform. No terminal, no sled, no clock: time arrives inside
//! messages (a saved verdict carries its time), so the same core serves the local terminal and
//! every SSH session, and tests drive it with key strings.
//!
//! Saving is two-phase: a decision becomes an `Effect::SaveVerdict`; the screen shows
//! "saving…" and the old value until the driver answers `Msg::Saved` (then the new value and
//! the time), `Msg::SaveFailed` (an error, old value kept) or `Msg::Conflict` (someone else
//! changed it; the reviewer chooses). The driver commits on a worker, so other keys arrive
//! meanwhile: they are handled at once, except undo, redo, quitting and a change of a row
//! still being saved, which are held (with every key after them) until the answers they
//! depend on arrive, then handled in the order typed.

pub mod assignments;
pub mod geometry;
pub mod ime;
pub mod index;
pub mod input;
pub mod key;
pub mod keymap;
mod lists;
pub mod reports;
pub mod resume;
mod state;
mod update;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{self, Conflict, InitiativeWrite, VerdictWrite};
use crate::domain::{
    Campaign, Criterion, Group, Initiative, InitiativeStatus, Lang, Verdict, VerdictValue,
};

pub use ime::InputMethod;
pub use index::{Entry, Index, IndexBuilder, IndexRow, Kind, Totals};
pub use input::TextInput;
pub use key::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
pub use keymap::Command;
pub use reports::{
    ExportDone, ExportPhase, ExportProgress, ExportRequest, ExportStage, ExportView, FileFormat,
    GapReport, HistoryLoaded, HistoryView, SummaryView,
};
pub use state::*;
pub use update::update;

/// What a console is opened with; the driver reads it from the store.
#[derive(Debug, Clone)]
pub struct Init {
    pub campaign: Campaign,
    /// Every subject, verdict and initiative (`Index::build`, or streamed from the store with
    /// `IndexBuilder`).
    pub index: Index,
    pub reviewer: String,
    pub lang: Lang,
    pub role: Role,
    /// The reviewer's saved position (`resume` format), if any.
    pub cursor: Option<Vec<u8>>,
    pub no_color: bool,
    /// Today in Vietnam, the default date of a recognition.
    pub today: NaiveDate,
    pub width: u16,
    pub height: u16,
}

pub use crate::domain::Role;

/// Something that happened: a key, a paste, a resize, or the answer to an effect.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// Bracketed paste: inserted as text, never read as keys.
    Paste(String),
    /// An export asked for with `Effect::Export` is under way.
    ExportProgress(ExportProgress),
    /// An export finished and its file is in place.
    ExportDone(ExportDone),
    /// An export failed; nothing was written (the message is in the UI language).
    ExportFailed(String),
    /// The audit events of a criterion asked for with `Effect::LoadHistory`.
    History(Box<HistoryLoaded>),
    Resize {
        width: u16,
        height: u16,
    },
    /// A write was committed and flushed.
    Saved(Saved),
    /// A write failed; nothing changed.
    SaveFailed(Failed),
    /// A write was refused because someone else changed the value first.
    Conflict(Box<ConflictReport>),
    /// Another session committed a change.
    External(domain::Change),
    /// The roster or initiatives changed under us: everything reloaded.
    Reload(Box<Init>),
    /// Who else has a console open on this server: (reviewer, the subject id they have open).
    Presence(Vec<(String, Option<String>)>),
    /// The subjects locked by a chair (ids); a change of lock also arrives this way.
    Locks(Vec<String>),
    /// A lock or unlock asked for with `Effect::SetLock` was refused (the store's message).
    LockFailed(String),
    /// Every assignment (subject id, reviewer); a change of assignment also arrives this way.
    Assignments(Vec<(String, String)>),
    /// The server's shared index, after the changes this console also applied to its own
    /// copy: when both hold the same, the console shares the shared one's memory (nothing
    /// shown changes).
    Share(Box<Index>),
}

/// A write the model asked for, as handed back in answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    Verdict(VerdictWrite),
    Initiative(InitiativeWrite),
}

/// The store's answer to a write that succeeded.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    Verdict {
        write: VerdictWrite,
        verdict: Verdict,
    },
    Initiative {
        write: InitiativeWrite,
        initiative: Initiative,
        /// When the store committed it (initiatives keep no time of their own).
        at: DateTime<Utc>,
    },
}

/// The store's answer to a write that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Failed {
    pub write: Write,
    pub error: String,
}

/// The store's answer to a stale write: what was attempted and what is there now.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictReport {
    pub write: Write,
    pub conflict: Conflict,
}

/// Work for the driver.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Commit a verdict (with its audit event) and flush, then answer Saved/Conflict/SaveFailed.
    SaveVerdict(VerdictWrite),
    /// Commit an initiative's status, then answer like a verdict.
    SaveInitiative(InitiativeWrite),
    /// Write the verdict file off the input path, answering `Msg::ExportProgress` while it
    /// runs, then `Msg::ExportDone` or `Msg::ExportFailed`.
    Export(ExportRequest),
    /// Read the audit trail of one criterion of one subject; answer `Msg::History`.
    LoadHistory { subject: String, criterion: String },
    /// Remember the reviewer's position (`Store::put_cursor`).
    SaveCursor(Vec<u8>),
    /// Close the console.
    Quit,
    /// Lock (or unlock) a subject whose review is final, then answer `Msg::Locks` or
    /// `Msg::LockFailed`.
    SetLock { subject: String, lock: bool },
}

/// Everything the view needs; changed only by `update`. Its fields are private to `app`: the
/// view and the drivers read it through its accessors, and a driver changes it only by handing
/// `update` a `Msg`.
#[derive(Debug, Clone)]
pub struct Model {
    campaign: Campaign,
    lang: Lang,
    role: Role,
    reviewer: String,
    no_color: bool,
    today: NaiveDate,
    width: u16,
    height: u16,
    index: Index,
    kind: Kind,
    filter: Filter,
    /// The subject list as shown (headings and subjects), or the search results.
    list: Vec<Row>,
    list_sel: usize,
    list_offset: usize,
    crit_sel: usize,
    crit_offset: usize,
    focus: Pane,
    mode: Mode,
    help: bool,
    help_scroll: usize,
    conflict: Option<ConflictView>,
    /// A y/n question on the status line (`Y`).
    confirm: Option<Confirm>,
    /// Review by criterion, while it is on (`b`).
    by_criterion: Option<ByCriterion>,
    /// The last batch number given to the writes of one key.
    batches: u64,
    ime: InputMethod,
    pending: Vec<Pending>,
    undo: Vec<Change>,
    redo: Vec<Change>,
    save: SaveState,
    notice: Option<Notice>,
    quit: bool,
    /// Others connected to the same server: (reviewer, subject id they have open).
    present: Vec<(String, Option<String>)>,
    /// Ids of the subjects a chair has locked.
    locked: std::collections::BTreeSet<String>,
    /// Which reviewer each subject is assigned to (`app::assignments`).
    assignments: assignments::Assignments,
    /// What `list` was built for, while it is untouched since `rebuild_list`.
    listed: Option<ListKey>,
    /// The list last shown for another kind or filter, kept so switching back (`t`) costs no
    /// rebuild; used only while its key still holds.
    stash: Option<(ListKey, Vec<Row>)>,
    /// The subject last selected in each list (collectives, individuals), so `t` returns to it.
    places: [Option<usize>; 2],
    /// Keys held back until the writes being saved are answered (undo, redo, quit, and every
    /// key typed after one of them), in the order typed.
    held: std::collections::VecDeque<KeyEvent>,
}

impl Model {
    /// Builds the model and its indexes, and restores the reviewer's saved position.
    pub fn new(init: Init) -> Model {
        let index = init.index;
        let mut model = Model {
            campaign: init.campaign,
            lang: init.lang,
            role: init.role,
            reviewer: init.reviewer,
            no_color: init.no_color,
            today: init.today,
            width: init.width,
            height: init.height,
            index,
            kind: Kind::Collectives,
            filter: Filter::All,
            list: Vec::new(),
            list_sel: 0,
            list_offset: 0,
            crit_sel: 0,
            crit_offset: 0,
            focus: Pane::Subjects,
            mode: Mode::Normal,
            help: false,
            help_scroll: 0,
            conflict: None,
            confirm: None,
            by_criterion: None,
            batches: 0,
            // Plain input by default: reviewers type Vietnamese with their own input method
            // (Unikey, EVKey, the system's), which sends finished letters; the built-in
            // Telex/VNI is switched on with C-t in the editor.
            ime: InputMethod::Off,
            pending: Vec::new(),
            undo: Vec::new(),
            redo: Vec::new(),
            save: SaveState::Idle,
            notice: None,
            quit: false,
            present: Vec::new(),
            locked: std::collections::BTreeSet::new(),
            assignments: assignments::Assignments::default(),
            listed: None,
            stash: None,
            places: [None; 2],
            held: std::collections::VecDeque::new(),
        };
        model.rebuild_list();
        let resumed = init
            .cursor
            .as_deref()
            .and_then(resume::Position::decode)
            .is_some_and(|p| model.restore(&p));
        if !resumed {
            model.select_first_subject();
            model.crit_sel = model.first_pending_criterion();
        }
        model.scroll();
        model
    }

    /// The subject the criteria pane shows.
    pub fn current(&self) -> Option<usize> {
        match self.list.get(self.list_sel) {
            Some(Row::Subject(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn current_entry(&self) -> Option<&Entry> {
        self.current().map(|i| &self.index.entries[i])
    }

    /// The criteria group of a subject.
    pub fn group_of(&self, entry: &Entry) -> Option<&Group> {
        entry.group().map(|g| &self.campaign.groups[g])
    }

    /// The current subject's group.
    pub fn current_group(&self) -> Option<&Group> {
        self.current_entry().and_then(|e| self.group_of(e))
    }

    /// For a subject of a points group: its running total (pending criteria count zero), the
    /// group's maximum and the qualifying total (the view words them as "47/100 · cần 80").
    pub fn points_parts(
        &self,
        i: usize,
    ) -> Option<(crate::domain::Points, crate::domain::Points, u32)> {
        let e = self.index.entries.get(i)?;
        let group = self.group_of(e).filter(|g| g.is_points())?;
        let values: Vec<VerdictValue> = (0..group.criteria.len())
            .map(|c| self.index.value(i, c))
            .collect();
        let total = crate::domain::outcome::points_sum(group, &values);
        let max = crate::domain::outcome::points_max(group);
        Some((total, max, group.qualifying_total.unwrap_or(0)))
    }

    /// The selected criterion of the current subject.
    pub fn current_criterion(&self) -> Option<&Criterion> {
        self.current_group()
            .and_then(|g| g.criteria.get(self.crit_sel))
    }

    /// Rows the detail block needs: enough for every area of a criterion like TT2.
    pub fn detail_min(&self) -> u16 {
        let areas = self
            .current_criterion()
            .map_or(0, |c| c.areas(self.lang).len());
        if areas > 0 {
            u16::try_from(areas).unwrap_or(u16::MAX).saturating_add(4)
        } else {
            6
        }
    }

    /// The number of criteria of the current subject.
    pub fn criteria_count(&self) -> usize {
        self.current_entry().map_or(0, |e| usize::from(e.total()))
    }

    /// How many keys wait for the writes being saved (undo, redo or quit, and what followed).
    pub fn held_keys(&self) -> usize {
        self.held.len()
    }

    /// The value the newest write of the same cell as `write` still being saved will give it.
    fn pending_value(&self, write: &Write) -> Option<Snapshot> {
        self.pending
            .iter()
            .rev()
            .find_map(|p| match (&p.write, write) {
                (Write::Verdict(a), Write::Verdict(b))
                    if a.subject == b.subject && a.criterion == b.criterion =>
                {
                    Some(Snapshot::Verdict {
                        value: a.value,
                        note: a.note.clone(),
                    })
                }
                (Write::Initiative(a), Write::Initiative(b)) if a.id == b.id => {
                    Some(Snapshot::Initiative {
                        status: a.status,
                        recognition: a.recognition.clone(),
                    })
                }
                _ => None,
            })
    }

    /// Whether a save for this subject and criterion is in flight.
    pub fn is_saving(&self, subject: &str, criterion: &str) -> bool {
        self.pending.iter().any(|p| {
            matches!(&p.write, Write::Verdict(w) if w.subject == subject && w.criterion == criterion)
        })
    }

    /// Whether a save for this initiative is in flight.
    pub fn is_saving_initiative(&self, id: &str) -> bool {
        self.pending
            .iter()
            .any(|p| matches!(&p.write, Write::Initiative(w) if w.id == id))
    }

    /// The initiatives of the current subject, as positions in `index.initiatives`.
    pub fn current_initiatives(&self) -> &[usize] {
        match self.current_entry() {
            Some(e) => self.index.initiatives_of(&e.subject.id),
            None => &[],
        }
    }

    /// The scope whose keys are in force, overlays included.
    pub fn scope(&self) -> keymap::Scope {
        if self.conflict.is_some() {
            keymap::Scope::Conflict
        } else if self.confirm.is_some() {
            keymap::Scope::Confirm
        } else if self.help {
            keymap::Scope::Help
        } else {
            self.base_scope()
        }
    }

    /// The scope under any help or conflict overlay: what the help lists.
    pub fn base_scope(&self) -> keymap::Scope {
        use keymap::Scope;
        match &self.mode {
            Mode::Normal if self.by_criterion.is_some() => Scope::ByCriterion,
            Mode::Normal => match self.focus {
                Pane::Subjects => Scope::Subjects,
                Pane::Criteria => Scope::Criteria,
            },
            Mode::Search(_) => Scope::Search,
            Mode::Editor(_) => Scope::Editor,
            Mode::Score(_) => Scope::Score,
            Mode::Initiatives(v) if v.form.is_some() => Scope::Form,
            Mode::Initiatives(_) => Scope::Initiatives,
            Mode::Summary(_) => Scope::Summary,
            Mode::Export(v) => match v.stage {
                ExportStage::Running(_) | ExportStage::Done(_) => Scope::ExportStatus,
                ExportStage::Form | ExportStage::Failed(_) => Scope::Export,
            },
            Mode::History(_) => Scope::History,
            Mode::Description(_) => Scope::Description,
        }
    }

    /// Restores a saved position; false if its subject no longer exists.
    fn restore(&mut self, p: &resume::Position) -> bool {
        self.ime = p.ime;
        let Some(i) = self.index.of_id(&p.subject) else {
            return false;
        };
        self.filter = p.filter;
        self.kind = p.kind;
        self.rebuild_list();
        self.select_subject(i);
        let e = &self.index.entries[i];
        self.crit_sel = self
            .group_of(e)
            .and_then(|g| g.index_of(&p.criterion))
            .unwrap_or(0);
        self.focus = p.focus;
        true
    }

    /// The reviewer's position, for `Effect::SaveCursor`.
    pub fn position(&self) -> Option<resume::Position> {
        let e = self.current_entry()?;
        let criterion = self
            .group_of(e)
            .and_then(|g| g.criteria.get(self.crit_sel))
            .map(|c| c.id.clone())
            .unwrap_or_default();
        let (kind, filter) = match &self.mode {
            Mode::Search(s) => (s.back_kind, self.filter),
            _ => (self.kind, self.filter),
        };
        Some(resume::Position {
            subject: e.subject.id.clone(),
            criterion,
            kind,
            filter,
            focus: self.focus,
            ime: self.ime,
        })
    }

    /// A verdict value in words: the same words as the history, `status` and the exports.
    pub fn value_label(&self, value: VerdictValue) -> String {
        crate::domain::review::labels::verdict(value, self.lang)
    }

    /// An initiative status in words, as everywhere else.
    pub fn status_label(&self, status: InitiativeStatus) -> &'static str {
        crate::domain::review::labels::initiative_status(status, self.lang)
    }
}

/// Reading the model. Its fields are private to `app`: the view and the drivers read through
/// these, and only `update` changes it (a driver hands it a `Msg`).
impl Model {
    pub fn campaign(&self) -> &Campaign {
        &self.campaign
    }

    /// Every subject, verdict and initiative, as this console knows them.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The console's language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The reviewer whose console this is.
    pub fn reviewer(&self) -> &str {
        &self.reviewer
    }

    /// Whether colours are off (`NO_COLOR`).
    pub fn no_color(&self) -> bool {
        self.no_color
    }

    /// The terminal's size: (width, height).
    pub fn size(&self) -> (u16, u16) {
        (self.width, self.height)
    }

    /// Which subjects the list shows: collectives or individuals.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn filter(&self) -> Filter {
        self.filter
    }

    /// The subject list as shown (headings and subjects), or the search results.
    pub fn list(&self) -> &[Row] {
        &self.list
    }

    /// The position of the selected row in `list`.
    pub fn selected_row(&self) -> usize {
        self.list_sel
    }

    /// The rows of the list in a window of `rows` lines, each with its position in the list:
    /// the window the model keeps the selection in, and one that holds the selection even if
    /// the pane were ever smaller than the model thinks.
    pub fn list_window(&self, rows: usize) -> impl Iterator<Item = (usize, Row)> + '_ {
        let offset = geometry::keep_visible(self.list_sel, self.list_offset, rows);
        self.list
            .iter()
            .copied()
            .enumerate()
            .skip(offset)
            .take(rows)
    }

    /// The first row of the list the model keeps on screen: the selection is always in the
    /// window that starts here.
    pub fn list_offset(&self) -> usize {
        self.list_offset
    }

    /// The position of the selected criterion in the current subject's group.
    pub fn selected_criterion(&self) -> usize {
        self.crit_sel
    }

    /// The criteria (positions in the current subject's group) in a window of `rows` lines,
    /// holding the selected one.
    pub fn criteria_window(&self, rows: usize) -> std::ops::Range<usize> {
        let offset = geometry::keep_visible(self.crit_sel, self.crit_offset, rows);
        offset..offset.saturating_add(rows)
    }

    /// The pane that has the keyboard in normal mode.
    pub fn focus(&self) -> Pane {
        self.focus
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// Whether the help overlay is open.
    pub fn help_open(&self) -> bool {
        self.help
    }

    /// The first line of the help shown (kept within the help's length).
    pub fn help_scroll(&self) -> usize {
        self.help_scroll.min(self.help_scroll_max())
    }

    /// The conflict box waiting for the reviewer's choice.
    pub fn conflict(&self) -> Option<&ConflictView> {
        self.conflict.as_ref()
    }

    /// The y/n question on the status line (`Y`).
    pub fn confirm(&self) -> Option<&Confirm> {
        self.confirm.as_ref()
    }

    /// Review by criterion, while it is on (`b`).
    pub fn by_criterion(&self) -> Option<&ByCriterion> {
        self.by_criterion.as_ref()
    }

    /// The input method of the note editor (off, Telex, VNI).
    pub fn ime(&self) -> InputMethod {
        self.ime
    }

    /// The state of the last save, as the status bar shows it.
    pub fn save_state(&self) -> &SaveState {
        &self.save
    }

    /// The writes being saved, oldest first.
    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }

    /// How many of the reviewer's own saved changes undo (`u`) can take back.
    pub fn undo_steps(&self) -> usize {
        self.undo.len()
    }

    /// The one-line message for the reviewer.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Whether the console has finished: the driver closes it.
    pub fn has_quit(&self) -> bool {
        self.quit
    }

    /// Others connected to the same server: (reviewer, subject id they have open).
    pub fn present(&self) -> &[(String, Option<String>)] {
        &self.present
    }

    /// Whether a chair has locked this subject (by id).
    pub fn is_locked(&self, subject: &str) -> bool {
        self.locked.contains(subject)
    }
}
