//! The state the model is in besides its data: the subject list's rows and filter, the pane
//! with the keyboard, the mode (editor, search, dialogs, overlays), review by criterion, the
//! conflict box, and the saves in flight with what they replaced (for undo and redo).

use chrono::{DateTime, Utc};

use super::{ConflictReport, ExportView, HistoryView, Index, Kind, SummaryView, TextInput, Write};
use crate::domain::{InitiativeStatus, Recognition, Scope, VerdictValue};

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
    pub error: Option<crate::msg::Message>,
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
    /// The question, worded by the view.
    pub text: crate::msg::Message,
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
    /// The explanation, worded by the view.
    pub text: crate::msg::Message,
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
    pub key: crate::msg::Key,
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
