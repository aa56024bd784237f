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
pub mod reports;
pub mod resume;
mod update;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{self, Conflict, InitiativeWrite, VerdictWrite};
use crate::domain::{
    Campaign, Criterion, Group, Initiative, InitiativeStatus, Lang, Recognition, Scope, Verdict,
    VerdictValue,
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

/// A row of the subject list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A tier heading (index into the campaign's tiers).
    Tier(usize),
    /// A unit heading: the subjects below belong to this entry.
    Unit(usize),
    /// A subject (index into the index's entries).
    Subject(usize),
}

/// Which subjects the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    /// Some criterion still pending.
    Pending,
    /// Some criterion not met or needing explanation.
    Attention,
    /// Some criterion waiting for the subject's explanation (chờ giải trình).
    Waiting,
    /// Đủ điều kiện.
    Qualified,
    /// Some criterion's verdict is not what the subject claimed in its self-assessment (tự
    /// đánh giá): decided otherwise, or still undecided.
    Differs,
}

impl Filter {
    pub fn next(self) -> Self {
        match self {
            Self::All => Self::Pending,
            Self::Pending => Self::Attention,
            Self::Attention => Self::Waiting,
            Self::Waiting => Self::Qualified,
            Self::Qualified => Self::Differs,
            Self::Differs => Self::All,
        }
    }

    /// Whether entry `i` of `index` is listed under this filter.
    pub fn keeps(self, index: &Index, i: usize) -> bool {
        let e = &index.entries[i];
        match self {
            Self::All => true,
            Self::Pending => e.has_pending(),
            Self::Attention => e.attention > 0,
            Self::Waiting => e.is_waiting(),
            Self::Qualified => e.outcome == crate::domain::Outcome::Qualified,
            Self::Differs => index.differs(i) > 0,
        }
    }
}

/// The pane that has the keyboard in normal mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Subjects,
    Criteria,
}

/// The mode the console is in.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    Search(Search),
    Editor(Editor),
    /// Typing a score; the digits so far.
    Score(String),
    Initiatives(InitiativesView),
    /// The summary screen (tổng hợp).
    Summary(SummaryView),
    /// The export dialog.
    Export(ExportView),
    /// The history of the selected criterion.
    History(HistoryView),
    /// The whole description of a criterion, scrolled.
    Description(DescriptionView),
}

/// The description overlay (key d): which criterion, and the first line shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescriptionView {
    /// The criteria group (index into the campaign's groups) and the criterion in it.
    pub group: usize,
    pub criterion: usize,
    pub scroll: usize,
}

/// An active search and where to return on Esc.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub query: TextInput,
    pub back_kind: Kind,
    pub back_list: Vec<Row>,
    pub back_sel: usize,
    pub back_offset: usize,
    pub back_crit: usize,
    /// What `back_list` was built for, to hand back to `Model::listed` on Esc.
    pub back_listed: Option<ListKey>,
    /// The folded query the results are for, and the matching slots of `Index::search`.
    pub folded: String,
    pub hits: Vec<usize>,
}

/// What a list built by `Model::rebuild_list` shows: the kind, the filter and, for a filter on
/// verdicts, the `Index::generation` it was built at.
pub type ListKey = (Kind, Filter, u64);

/// The note editor, open on one criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    pub subject: usize,
    pub criterion: usize,
    /// The verdict the note goes with (for n/c: the verdict being given).
    pub value: VerdictValue,
    pub input: TextInput,
    /// Opened by n or c: a reason is expected, and leaving still records the verdict.
    pub reason: bool,
    /// The verdict's version when the editor opened: the save is based on it, so a change
    /// another reviewer makes while the note is being typed comes back as a conflict.
    pub base_version: u64,
    /// Opened by y or n on a criterion waiting for an explanation: the text is the
    /// explanation received, recorded first, then the criterion is resolved to `value`.
    pub explain: bool,
}

/// The initiatives overlay of the current subject.
#[derive(Debug, Clone, PartialEq)]
pub struct InitiativesView {
    pub selected: usize,
    /// The first initiative row drawn; kept so the selected row is always on screen.
    pub offset: usize,
    pub form: Option<Form>,
}

/// The recognition form: authority, decision number, date, scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub initiative: String,
    pub field: usize,
    pub authority: TextInput,
    pub decision: TextInput,
    pub date: TextInput,
    pub scope: Scope,
    pub error: Option<String>,
}

impl Form {
    pub const FIELDS: usize = 4;
}

/// A question on the status line waiting for y or n: "the rest are met" (`Y`) on one
/// subject, listing the pending criteria it would mark Đạt (or give full points).
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    /// The subject (index entry).
    pub subject: usize,
    /// Its pending criteria, in order (pass/fail and points).
    pub criteria: Vec<usize>,
    /// The question, already in the UI language.
    pub text: String,
}

/// Which subjects review by criterion walks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CriterionFilter {
    /// Every subject of the tier.
    #[default]
    All,
    /// The subjects with no verdict yet on the criterion (as they were when the filter was
    /// chosen; a subject decided since stays listed, with its new verdict).
    Pending,
}

/// Review by criterion ("grade by question"): one criterion of one tier, decided subject
/// after subject. While it is on, `Model::list` holds the tier's subjects (every row a
/// subject) and `Model::crit_sel` the criterion, so a decision takes exactly the path the
/// criteria pane's keys take; what the list and selection were before is kept here and put
/// back on Esc.
#[derive(Debug, Clone, PartialEq)]
pub struct ByCriterion {
    /// The tier (index into the campaign's tiers) whose subjects are listed.
    pub tier: usize,
    /// The criteria group of that tier, and the criterion's index in it.
    pub group: usize,
    pub criterion: usize,
    pub filter: CriterionFilter,
    /// Subjects of the tier, and those of them with no verdict on the criterion: counted when
    /// the list is built and kept up to date as verdicts arrive, so a frame never counts.
    pub total: usize,
    pub pending: usize,
    /// Where the reviewer was: restored on leaving.
    pub back: Back,
}

/// The subject list and selections to return to when review by criterion ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Back {
    pub list: Vec<Row>,
    pub sel: usize,
    pub offset: usize,
    pub crit: usize,
    pub crit_offset: usize,
    pub focus: Pane,
    pub listed: Option<ListKey>,
}

/// A conflict waiting for the reviewer's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictView {
    pub report: ConflictReport,
    pub pending: Pending,
    /// The explanation, already in the UI language.
    pub text: String,
    pub mine: String,
    /// The other reviewer's note that keeping yours would delete, with their name; the
    /// dialog says so.
    pub lost_note: Option<(String, String)>,
}

/// The state of the last save, as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SaveState {
    #[default]
    Idle,
    Saving,
    Saved(DateTime<Utc>),
    Failed(String),
}

/// A one-line message for the reviewer, cleared by the next key: a catalogue entry and the
/// values for its slots, worded by the view in the console's language (`ui::notice_text`).
/// Text worded elsewhere (a store's message) is the one argument of `Key::Said`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub key: crate::i18n::Key,
    pub args: Vec<String>,
    pub error: bool,
}

/// A value before or after a change, for undo and redo.
#[derive(Debug, Clone, PartialEq)]
pub enum Snapshot {
    Verdict {
        value: VerdictValue,
        note: String,
    },
    Initiative {
        status: InitiativeStatus,
        recognition: Option<Recognition>,
    },
}

/// One of the reviewer's own saved changes: what it replaced, what it wrote, and the version
/// its write produced (an undo is based on that version, so a change by someone else in
/// between is refused as a conflict rather than overwritten).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Subject id and criterion id, or the initiative id and an empty string.
    pub target: (String, String),
    pub before: Snapshot,
    pub after: Snapshot,
    pub version: u64,
    /// Changes made by one key (`Y`) share a batch number and are undone and redone together.
    pub batch: Option<u64>,
}

/// A write in flight, with what it replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub write: Write,
    pub before: Snapshot,
    /// The undo/redo entry this write came from, put back if the write fails.
    pub origin: Option<Change>,
    /// The batch of a write made with others by one key.
    pub batch: Option<u64>,
}

/// Everything the view needs; changed only by `update`.
#[derive(Debug, Clone)]
pub struct Model {
    pub campaign: Campaign,
    pub lang: Lang,
    pub role: Role,
    pub reviewer: String,
    pub no_color: bool,
    pub today: NaiveDate,
    pub width: u16,
    pub height: u16,
    pub index: Index,
    pub kind: Kind,
    pub filter: Filter,
    /// The subject list as shown (headings and subjects), or the search results.
    pub list: Vec<Row>,
    pub list_sel: usize,
    pub list_offset: usize,
    pub crit_sel: usize,
    pub crit_offset: usize,
    pub focus: Pane,
    pub mode: Mode,
    pub help: bool,
    pub help_scroll: usize,
    pub conflict: Option<ConflictView>,
    /// A y/n question on the status line (`Y`).
    pub confirm: Option<Confirm>,
    /// Review by criterion, while it is on (`b`).
    pub by_criterion: Option<ByCriterion>,
    /// The last batch number given to the writes of one key.
    batches: u64,
    pub ime: InputMethod,
    pub pending: Vec<Pending>,
    pub undo: Vec<Change>,
    pub redo: Vec<Change>,
    pub save: SaveState,
    pub notice: Option<Notice>,
    pub quit: bool,
    /// Others connected to the same server: (reviewer, subject id they have open).
    pub present: Vec<(String, Option<String>)>,
    /// Ids of the subjects a chair has locked.
    pub locked: std::collections::BTreeSet<String>,
    /// Which reviewer each subject is assigned to (`app::assignments`).
    pub assignments: assignments::Assignments,
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
    /// group's maximum and the qualifying total, as "47/100 · cần 80".
    pub fn points_line(&self, i: usize) -> Option<String> {
        let e = self.index.entries.get(i)?;
        let group = self.group_of(e).filter(|g| g.is_points())?;
        let values: Vec<VerdictValue> = (0..group.criteria.len())
            .map(|c| self.index.value(i, c))
            .collect();
        let total = crate::domain::outcome::points_sum(group, &values);
        let max = crate::domain::outcome::points_max(group);
        let need = group.qualifying_total.unwrap_or(0).to_string();
        Some(self.fill(
            crate::i18n::Key::PointsTotal,
            &[&total.show(self.lang), &max.show(self.lang), &need],
        ))
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

    /// What a list for the current kind and filter would be built for.
    fn list_key(&self) -> ListKey {
        let generation = match self.filter {
            Filter::All => 0,
            _ => self.index.generation,
        };
        (self.kind, self.filter, generation)
    }

    /// Empties the list and forgets what it was built for (before a jump or a reload).
    pub fn drop_list(&mut self) {
        self.list.clear();
        self.listed = None;
    }

    /// Rebuilds the subject list for the current kind and filter, keeping the selected subject
    /// when it is still listed. O(subjects of the kind), or a swap when the stashed list is the
    /// one wanted; the list it replaces is stashed.
    pub fn rebuild_list(&mut self) {
        let keep = self.current();
        let key = self.list_key();
        let list = match self.stash.take() {
            Some((k, list)) if k == key => list,
            other => {
                self.stash = other;
                self.build_list()
            }
        };
        let old = std::mem::replace(&mut self.list, list);
        if let Some(k) = self.listed.replace(key)
            && k != key
        {
            self.stash = Some((k, old));
        }
        let wanted =
            |i: usize| self.index.entries[i].individual == (self.kind == Kind::Individuals);
        self.list_sel = keep
            .filter(|&k| wanted(k))
            .and_then(|k| self.list.iter().position(|r| *r == Row::Subject(k)))
            .unwrap_or_else(|| self.first_subject_row().unwrap_or(0));
        self.list_offset = 0;
        self.scroll();
    }

    /// The rows for the current kind and filter: headings and subjects in display order.
    fn build_list(&self) -> Vec<Row> {
        let mut list = Vec::new();
        let mut last_tier = usize::MAX;
        let mut last_unit: Option<Option<usize>> = None;
        for &i in self.index.order_of(self.kind) {
            if !self.filter.keeps(&self.index, i) {
                continue;
            }
            let e = &self.index.entries[i];
            if !e.individual && e.tier() != last_tier {
                list.push(Row::Tier(e.tier()));
                last_tier = e.tier();
                last_unit = None;
            }
            let has_parent_heading = e.individual
                || self
                    .campaign
                    .tiers
                    .get(e.tier())
                    .is_some_and(|t| !t.parents.is_empty());
            if has_parent_heading && last_unit != Some(e.parent()) {
                if let Some(p) = e.parent() {
                    list.push(Row::Unit(p));
                }
                last_unit = Some(e.parent());
            }
            list.push(Row::Subject(i));
        }
        list
    }

    fn first_subject_row(&self) -> Option<usize> {
        self.list.iter().position(|r| matches!(r, Row::Subject(_)))
    }

    fn select_first_subject(&mut self) {
        self.list_sel = self.first_subject_row().unwrap_or(0);
    }

    /// The criterion a subject opens on: the first pending one, else the first waiting for
    /// an explanation (first of all in the "waiting for an explanation" filter), else 0.
    pub fn first_pending_criterion(&self) -> usize {
        let Some(i) = self.current() else {
            return 0;
        };
        let n = usize::from(self.index.entries[i].total());
        let pending = (0..n).find(|&c| !self.index.value(i, c).is_decided());
        let waiting = (0..n).find(|&c| self.index.value(i, c) == VerdictValue::NeedsExplanation);
        let found = if self.filter == Filter::Waiting {
            waiting.or(pending)
        } else {
            pending.or(waiting)
        };
        found.unwrap_or(0)
    }

    /// Keeps every selection inside its list and its visible window: the subject list (or
    /// search results, or the subjects of review by criterion), the criteria, the initiatives overlay, the history and the help. Run
    /// after every message, so a resize or a list changing under the selection (another
    /// reviewer's change, a reload, a filter) never leaves the selected row off screen.
    pub fn scroll(&mut self) {
        self.list_sel = self.list_sel.min(self.list.len().saturating_sub(1));
        let rows = self.list_rows();
        self.list_offset = geometry::keep_visible(self.list_sel, self.list_offset, rows);
        if self.list_sel == self.first_subject_row().unwrap_or(0) {
            self.list_offset = 0;
        }
        let n = self.criteria_count();
        self.crit_sel = self.crit_sel.min(n.saturating_sub(1));
        let crows = geometry::criteria_rows(self.height, n, self.detail_min());
        self.crit_offset = geometry::keep_visible(self.crit_sel, self.crit_offset, crows);
        let count = self.current_initiatives().len();
        let (width, height) = (self.width, self.height);
        if let Mode::Initiatives(view) = &mut self.mode {
            view.selected = view.selected.min(count.saturating_sub(1));
            let rows = geometry::initiative_rows(width, height, view.form.is_some());
            view.offset = geometry::keep_visible(view.selected, view.offset, rows)
                .min(count.saturating_sub(rows));
        }
        if let Mode::History(view) = &mut self.mode {
            let n = view.events.as_ref().map_or(0, Vec::len);
            view.selected = view.selected.min(n.saturating_sub(1));
        }
        self.help_scroll = self.help_scroll.min(self.help_scroll_max());
        if let Mode::Description(view) = &self.mode {
            let max = self.description_scroll_max(view);
            if let Mode::Description(view) = &mut self.mode {
                view.scroll = view.scroll.min(max);
            }
        }
    }

    /// The description overlay's text, wrapped to its box: the criterion's description, then
    /// its areas, one a line.
    pub fn description_lines(&self, view: &DescriptionView) -> Vec<String> {
        let Some(c) = self
            .campaign
            .groups
            .get(view.group)
            .and_then(|g| g.criteria.get(view.criterion))
        else {
            return Vec::new();
        };
        let (w, _) = geometry::description_box(self.width, self.height);
        let cols = usize::from(w.saturating_sub(4));
        let mut lines = geometry::wrap_words(&crate::text::clean(c.description(self.lang)), cols);
        let areas = c.areas(self.lang);
        if !areas.is_empty() {
            lines.push(String::new());
            lines.push(self.tr(crate::i18n::Key::DescriptionAreas).to_string());
            for a in areas {
                lines.extend(geometry::wrap_words(
                    &format!("– {}", crate::text::clean(a)),
                    cols,
                ));
            }
        }
        lines
    }

    /// The furthest the description can scroll: its last line at the bottom of the box.
    pub fn description_scroll_max(&self, view: &DescriptionView) -> usize {
        let (_, h) = geometry::description_box(self.width, self.height);
        self.description_lines(view)
            .len()
            .saturating_sub(usize::from(h.saturating_sub(2)))
    }

    /// Whether the row a decision key acts on is drawn now: the selected subject and
    /// criterion in the normal screen, or the selected initiative in its overlay. A key that
    /// acts on a row is refused when this is false (a terminal too small to draw anything).
    pub fn target_drawn(&self) -> bool {
        if geometry::too_small(self.width, self.height) {
            return false;
        }
        let subject_drawn = self.current().is_some()
            && geometry::in_window(self.list_sel, self.list_offset, self.list_rows());
        match &self.mode {
            Mode::Initiatives(view) => {
                let rows = geometry::initiative_rows(self.width, self.height, view.form.is_some());
                subject_drawn
                    && view.selected < self.current_initiatives().len()
                    && geometry::in_window(view.selected, view.offset, rows)
            }
            // Review by criterion always shows its one criterion in full.
            _ if self.by_criterion.is_some() => {
                subject_drawn && self.crit_sel < self.criteria_count()
            }
            _ => {
                let n = self.criteria_count();
                let crows = geometry::criteria_rows(self.height, n, self.detail_min());
                subject_drawn
                    && self.crit_sel < n
                    && geometry::in_window(self.crit_sel, self.crit_offset, crows)
            }
        }
    }

    /// Rows the subject list shows: the subject pane, or the list of review by criterion.
    pub fn list_rows(&self) -> usize {
        if self.by_criterion.is_some() {
            geometry::by_criterion_layout(self.height).rows
        } else {
            geometry::subject_rows(self.height)
        }
    }

    /// Lines of the help for the screen under it: its key bindings (in one or two columns),
    /// a blank line, the legend's title and its symbols (in as many columns as the keys).
    pub fn help_lines(&self) -> usize {
        let entries = keymap::bindings(self.base_scope()).count();
        let (_, per_col, _) = geometry::help_layout(self.width, self.height, entries);
        let columns = geometry::help_legend_columns(self.width, self.height, entries);
        per_col + 2 + keymap::LEGEND.len().div_ceil(columns)
    }

    /// The furthest the help can scroll: its last line at the bottom of the box.
    pub fn help_scroll_max(&self) -> usize {
        let entries = keymap::bindings(self.base_scope()).count();
        let (_, _, inner_h) = geometry::help_layout(self.width, self.height, entries);
        self.help_lines().saturating_sub(inner_h)
    }

    /// Selects the subject `i` (switching kind and clearing the filter if needed).
    pub fn select_subject(&mut self, i: usize) {
        let kind = if self.index.entries[i].individual {
            Kind::Individuals
        } else {
            Kind::Collectives
        };
        let listed = self.list.iter().position(|r| *r == Row::Subject(i));
        match listed {
            Some(pos) if kind == self.kind => self.list_sel = pos,
            _ => {
                self.kind = kind;
                if !self.filter.keeps(&self.index, i) {
                    self.filter = Filter::All;
                }
                self.drop_list();
                self.rebuild_list();
                if let Some(pos) = self.list.iter().position(|r| *r == Row::Subject(i)) {
                    self.list_sel = pos;
                }
            }
        }
        // A jump (search, resume, undo) puts the subject in the middle of the pane.
        let rows = self.list_rows();
        if self.list_sel < self.list_offset || self.list_sel >= self.list_offset + rows {
            self.list_offset = self.list_sel.saturating_sub(rows / 2);
        }
        self.scroll();
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

    /// The text of a catalogue entry in the UI language.
    pub fn tr(&self, key: crate::i18n::Key) -> &'static str {
        crate::i18n::tr(self.lang, key)
    }

    /// A catalogue entry with its `{}` slots filled.
    pub fn fill(&self, key: crate::i18n::Key, args: &[&str]) -> String {
        crate::i18n::fill(self.lang, key, args)
    }

    /// A verdict value in words: the same words as the history, `status` and the exports.
    pub fn value_label(&self, value: VerdictValue) -> String {
        crate::domain::review::labels::verdict(value, self.lang)
    }

    /// An initiative status in words, as everywhere else.
    pub fn status_label(&self, status: InitiativeStatus) -> &'static str {
        crate::domain::review::labels::initiative_status(status, self.lang)
    }

    /// A recognition scope in words.
    pub fn scope_label(&self, scope: Scope) -> &'static str {
        use crate::i18n::Key;
        match scope {
            Scope::CoSo => self.tr(Key::ScopeCoSo),
            Scope::Tinh => self.tr(Key::ScopeTinh),
            Scope::ToanQuoc => self.tr(Key::ScopeToanQuoc),
        }
    }
}
