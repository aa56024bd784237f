//! Named commands and the one table that binds keys to them, per scope (the pane or overlay
//! that has the keyboard). `update` looks keys up here; the help overlay and the status-bar
//! hints are generated from the same table, so they cannot drift from what the keys do.

use super::key::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::msg::Key;

/// Everything a key can ask the console to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Move the selection down one row.
    Down,
    /// Move the selection up one row.
    Up,
    /// Move down one screenful.
    PageDown,
    /// Move up one screenful.
    PageUp,
    /// Jump to the first row.
    Top,
    /// Jump to the last row.
    Bottom,
    /// Give the keyboard to the other pane.
    NextPane,
    /// Give the keyboard to the other pane, backwards.
    PrevPane,
    /// Give the keyboard to the subject list.
    FocusSubjects,
    /// Give the keyboard to the criteria.
    FocusCriteria,
    /// Open the selected subject's criteria.
    Open,
    /// Đạt: the criterion is met.
    Met,
    /// Không đạt: not met; opens the note editor for the reason.
    NotMet,
    /// Cần giải trình: needs explanation; opens the note editor for the reason.
    NeedsExplanation,
    /// Chưa đánh giá: back to pending.
    Pending,
    /// Start typing a score (points criteria); the digit is the first one typed.
    Score,
    /// Edit the selected criterion's note.
    EditNote,
    /// Go to the next subject with pending criteria.
    NextPending,
    /// Go to the previous subject with pending criteria.
    PrevPending,
    /// Search subjects by name or id as you type.
    Search,
    /// Cycle the subject filter: all, pending, not met or needs explanation, qualified.
    CycleFilter,
    /// Switch between collectives (tập thể) and individuals (cá nhân).
    ToggleKind,
    /// Open the current subject's initiatives (sáng kiến).
    Initiatives,
    /// Accept the verdict the evidence hint suggests (gợi ý), through the same path as y/n.
    AcceptHint,
    /// Take the subject's self-assessment claim (tự đánh giá) as the verdict, as `a` does a
    /// hint.
    AcceptClaim,
    /// Open the summary of the whole review (tổng hợp).
    Summary,
    /// Open the export dialog for the verdict file.
    Export,
    /// Show who decided the selected criterion, what and when.
    History,
    /// Write the verdict file with the chosen format and name.
    RunExport,
    /// Change the format, or tick "export anyway".
    Toggle,
    /// Undo your last change (recorded in the audit trail as an undo).
    Undo,
    /// Redo the change you last undid.
    Redo,
    /// Show every key of the current screen.
    Help,
    /// Leave the console (everything is already saved).
    Quit,
    /// Close the overlay.
    Close,
    /// Keep the selected search result and leave the search.
    Accept,
    /// Clear the search and go back to where you were.
    ClearSearch,
    /// Save the note.
    SaveNote,
    /// Leave the editor (for a reason, the verdict is saved with the note left as it was).
    CancelNote,
    /// Cycle the input method: off, Telex, VNI.
    ToggleIme,
    /// Start a new line in the note.
    NewLine,
    /// Delete the character before the cursor.
    DeleteBack,
    /// Move the text cursor left.
    CursorLeft,
    /// Move the text cursor right.
    CursorRight,
    /// Save the typed score.
    SaveScore,
    /// Được công nhận: mark the initiative recognised (asks authority, decision, date, scope).
    Recognise,
    /// Không được công nhận: mark the initiative not recognised.
    NotRecognised,
    /// Đã nộp: put the initiative back to submitted.
    Resubmit,
    /// Go to the next field of the form.
    NextField,
    /// Go to the previous field of the form.
    PrevField,
    /// Change the recognition scope.
    CycleScope,
    /// Save the recognition.
    SubmitForm,
    /// In a conflict, write your value over theirs.
    KeepMine,
    /// In a conflict, accept their value.
    TakeTheirs,
    /// Lock the subject whose review is final, or unlock it (chair only).
    ToggleLock,
    /// Mark every pending criterion of the subject Đạt (after a y/n question).
    RestMet,
    /// Answer yes to the question on the status line.
    Yes,
    /// Answer no to the question on the status line.
    No,
    /// Review by criterion: the selected criterion across every subject of the current
    /// subject's tier, one subject after another.
    ByCriterion,
    /// Read the selected criterion's whole description in an overlay.
    Describe,
}

impl Command {
    /// The catalogue entry describing this command in help and hints.
    pub fn describe(self) -> Key {
        use Command::*;
        match self {
            Down => Key::CmdDown,
            Up => Key::CmdUp,
            PageDown => Key::CmdPageDown,
            PageUp => Key::CmdPageUp,
            Top => Key::CmdTop,
            Bottom => Key::CmdBottom,
            NextPane => Key::CmdNextPane,
            PrevPane => Key::CmdPrevPane,
            FocusSubjects => Key::CmdFocusSubjects,
            FocusCriteria => Key::CmdFocusCriteria,
            Open => Key::CmdOpen,
            Met => Key::CmdMet,
            NotMet => Key::CmdNotMet,
            NeedsExplanation => Key::CmdNeedsExplanation,
            Pending => Key::CmdPending,
            Score => Key::CmdScore,
            EditNote => Key::CmdEditNote,
            NextPending => Key::CmdNextPending,
            PrevPending => Key::CmdPrevPending,
            Search => Key::CmdSearch,
            CycleFilter => Key::CmdCycleFilter,
            ToggleKind => Key::CmdToggleKind,
            Initiatives => Key::CmdInitiatives,
            AcceptHint => Key::CmdAcceptHint,
            AcceptClaim => Key::CmdAcceptClaim,
            Summary => Key::CmdSummary,
            Export => Key::CmdExport,
            History => Key::CmdHistory,
            RunExport => Key::CmdRunExport,
            Toggle => Key::CmdToggle,
            Undo => Key::CmdUndo,
            Redo => Key::CmdRedo,
            Help => Key::CmdHelp,
            Quit => Key::CmdQuit,
            Close => Key::CmdClose,
            Accept => Key::CmdAccept,
            ClearSearch => Key::CmdClearSearch,
            SaveNote => Key::CmdSaveNote,
            CancelNote => Key::CmdCancelNote,
            ToggleIme => Key::CmdToggleIme,
            NewLine => Key::CmdNewLine,
            DeleteBack => Key::CmdDeleteBack,
            CursorLeft => Key::CmdCursorLeft,
            CursorRight => Key::CmdCursorRight,
            SaveScore => Key::CmdSaveScore,
            Recognise => Key::CmdRecognise,
            NotRecognised => Key::CmdNotRecognised,
            Resubmit => Key::CmdResubmit,
            NextField => Key::CmdNextField,
            PrevField => Key::CmdPrevField,
            CycleScope => Key::CmdCycleScope,
            SubmitForm => Key::CmdSubmitForm,
            KeepMine => Key::CmdKeepMine,
            TakeTheirs => Key::CmdTakeTheirs,
            ToggleLock => Key::CmdToggleLock,
            RestMet => Key::CmdRestMet,
            Yes => Key::CmdYes,
            No => Key::CmdNo,
            ByCriterion => Key::CmdByCriterion,
            Describe => Key::CmdDescribe,
        }
    }
}

/// Who has the keyboard: the scope a key is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Subjects,
    Criteria,
    Search,
    Editor,
    Score,
    Initiatives,
    Form,
    Help,
    Conflict,
    Summary,
    Export,
    /// The export dialog while the file is written, and its result.
    ExportStatus,
    History,
    /// A y/n question on the status line.
    Confirm,
    /// Review by criterion: one criterion, subject after subject.
    ByCriterion,
    /// The whole description of a criterion, scrolled.
    Description,
}

impl Scope {
    /// The catalogue entry naming this scope in the help title.
    pub fn name(self) -> Key {
        match self {
            Scope::Subjects => Key::ScopeSubjects,
            Scope::Criteria => Key::ScopeCriteria,
            Scope::Search => Key::ScopeSearch,
            Scope::Editor => Key::ScopeEditor,
            Scope::Score => Key::ScopeScore,
            Scope::Initiatives => Key::ScopeInitiatives,
            Scope::Help => Key::CmdHelp,
            Scope::Form => Key::ScopeForm,
            Scope::Conflict => Key::ScopeConflict,
            Scope::Summary => Key::ScopeSummary,
            Scope::Export | Scope::ExportStatus => Key::ScopeExport,
            Scope::History => Key::ScopeHistory,
            Scope::Confirm => Key::ScopeConfirm,
            Scope::ByCriterion => Key::ScopeByCriterion,
            Scope::Description => Key::ScopeDescription,
        }
    }
}

/// One chord: a key code with its Ctrl/Alt modifiers (Shift is part of the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Chord {
    Chord {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Chord {
    Chord {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn alt(code: KeyCode) -> Chord {
    Chord {
        code,
        mods: KeyModifiers::ALT,
    }
}

const fn code(code: KeyCode) -> Chord {
    Chord {
        code,
        mods: KeyModifiers::NONE,
    }
}

/// Keys bound to a command, and whether the status bar lists it as a hint.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub command: Command,
    pub keys: &'static [Chord],
    pub hint: bool,
}

const fn b(command: Command, keys: &'static [Chord], hint: bool) -> Binding {
    Binding {
        command,
        keys,
        hint,
    }
}

const MOVE: &[Binding] = &[
    b(Command::Down, &[k('j'), code(KeyCode::Down)], false),
    b(Command::Up, &[k('k'), code(KeyCode::Up)], false),
    b(Command::PageDown, &[code(KeyCode::PageDown)], false),
    b(Command::PageUp, &[code(KeyCode::PageUp)], false),
    b(Command::Top, &[k('g'), code(KeyCode::Home)], false),
    b(Command::Bottom, &[k('G'), code(KeyCode::End)], false),
];

const SUBJECTS: &[Binding] = &[
    b(Command::Open, &[code(KeyCode::Enter)], true),
    b(Command::NextPane, &[code(KeyCode::Tab)], false),
    b(Command::PrevPane, &[code(KeyCode::BackTab)], false),
    b(
        Command::FocusCriteria,
        &[k('l'), code(KeyCode::Right)],
        false,
    ),
    b(
        Command::FocusSubjects,
        &[k('h'), code(KeyCode::Left)],
        false,
    ),
];

const CRITERIA: &[Binding] = &[
    b(Command::Met, &[k('y'), k('1')], true),
    b(Command::NotMet, &[k('n'), k('0')], true),
    b(Command::NeedsExplanation, &[k('c')], true),
    b(Command::Pending, &[k('-'), code(KeyCode::Backspace)], false),
    b(Command::EditNote, &[k('e')], true),
    b(Command::AcceptHint, &[k('a')], false),
    b(Command::ByCriterion, &[k('b')], false),
    b(Command::AcceptClaim, &[k('A')], false),
    b(Command::Describe, &[k('d')], false),
    b(
        Command::Score,
        &[
            k('2'),
            k('3'),
            k('4'),
            k('5'),
            k('6'),
            k('7'),
            k('8'),
            k('9'),
        ],
        false,
    ),
    b(Command::NextPane, &[code(KeyCode::Tab)], false),
    b(Command::PrevPane, &[code(KeyCode::BackTab)], false),
    b(
        Command::FocusSubjects,
        &[k('h'), code(KeyCode::Left), code(KeyCode::Esc)],
        false,
    ),
    b(
        Command::FocusCriteria,
        &[k('l'), code(KeyCode::Right)],
        false,
    ),
];

const COMMON: &[Binding] = &[
    b(Command::NextPending, &[k(']')], false),
    b(Command::PrevPending, &[k('[')], false),
    b(Command::Search, &[k('/')], true),
    b(Command::CycleFilter, &[k('f')], false),
    b(Command::ToggleKind, &[k('t')], true),
    b(Command::Initiatives, &[k('i')], true),
    b(Command::Summary, &[k('s')], false),
    b(Command::Export, &[k('x')], true),
    b(Command::History, &[k('H')], false),
    b(Command::Undo, &[k('u')], true),
    b(Command::Redo, &[ctrl('r')], false),
    b(Command::Help, &[k('?')], true),
    b(Command::Quit, &[k('q')], true),
    b(Command::ToggleLock, &[k('L')], false),
    b(Command::RestMet, &[k('Y')], false),
];

const SEARCH: &[Binding] = &[
    b(Command::Accept, &[code(KeyCode::Enter)], true),
    b(Command::ClearSearch, &[code(KeyCode::Esc)], true),
    b(Command::Down, &[code(KeyCode::Down)], true),
    b(Command::Up, &[code(KeyCode::Up)], true),
    b(Command::PageDown, &[code(KeyCode::PageDown)], false),
    b(Command::PageUp, &[code(KeyCode::PageUp)], false),
    b(Command::DeleteBack, &[code(KeyCode::Backspace)], false),
];

const EDITOR: &[Binding] = &[
    b(Command::SaveNote, &[code(KeyCode::Enter)], true),
    b(Command::CancelNote, &[code(KeyCode::Esc)], true),
    b(Command::NewLine, &[alt(KeyCode::Enter)], true),
    b(Command::ToggleIme, &[ctrl('t'), code(KeyCode::F(2))], true),
    b(Command::DeleteBack, &[code(KeyCode::Backspace)], false),
    b(Command::CursorLeft, &[code(KeyCode::Left)], false),
    b(Command::CursorRight, &[code(KeyCode::Right)], false),
    b(Command::Top, &[code(KeyCode::Home)], false),
    b(Command::Bottom, &[code(KeyCode::End)], false),
];

const SCORE: &[Binding] = &[
    b(Command::SaveScore, &[code(KeyCode::Enter)], true),
    b(Command::Close, &[code(KeyCode::Esc)], true),
    b(Command::DeleteBack, &[code(KeyCode::Backspace)], true),
];

const INITIATIVES: &[Binding] = &[
    b(Command::Recognise, &[k('r')], true),
    b(Command::NotRecognised, &[k('x')], true),
    b(Command::Resubmit, &[k('-')], true),
    b(Command::Down, &[k('j'), code(KeyCode::Down)], false),
    b(Command::Up, &[k('k'), code(KeyCode::Up)], false),
    b(Command::PageDown, &[code(KeyCode::PageDown)], false),
    b(Command::PageUp, &[code(KeyCode::PageUp)], false),
    b(Command::Top, &[k('g'), code(KeyCode::Home)], false),
    b(Command::Bottom, &[k('G'), code(KeyCode::End)], false),
    b(Command::Undo, &[k('u')], true),
    b(Command::Redo, &[ctrl('r')], false),
    b(Command::Help, &[k('?')], false),
    b(Command::Close, &[code(KeyCode::Esc), k('q'), k('i')], true),
];

const FORM: &[Binding] = &[
    b(Command::SubmitForm, &[code(KeyCode::Enter)], true),
    b(
        Command::NextField,
        &[code(KeyCode::Tab), code(KeyCode::Down)],
        true,
    ),
    b(
        Command::PrevField,
        &[code(KeyCode::BackTab), code(KeyCode::Up)],
        false,
    ),
    b(Command::CycleScope, &[k(' ')], false),
    b(Command::ToggleIme, &[ctrl('t'), code(KeyCode::F(2))], true),
    b(Command::DeleteBack, &[code(KeyCode::Backspace)], false),
    b(Command::CursorLeft, &[code(KeyCode::Left)], false),
    b(Command::CursorRight, &[code(KeyCode::Right)], false),
    b(Command::Close, &[code(KeyCode::Esc)], true),
];

const HELP: &[Binding] = &[
    b(Command::Close, &[code(KeyCode::Esc), k('?'), k('q')], true),
    b(Command::Down, &[k('j'), code(KeyCode::Down)], false),
    b(Command::Up, &[k('k'), code(KeyCode::Up)], false),
];

const CONFLICT: &[Binding] = &[
    b(Command::KeepMine, &[k('k')], true),
    b(Command::TakeTheirs, &[k('t'), code(KeyCode::Esc)], true),
];

const SUMMARY: &[Binding] = &[b(
    Command::Close,
    &[code(KeyCode::Esc), k('q'), k('s')],
    true,
)];

const EXPORT: &[Binding] = &[
    b(Command::RunExport, &[code(KeyCode::Enter)], true),
    b(
        Command::NextField,
        &[code(KeyCode::Tab), code(KeyCode::Down)],
        true,
    ),
    b(
        Command::PrevField,
        &[code(KeyCode::BackTab), code(KeyCode::Up)],
        false,
    ),
    b(Command::Toggle, &[k(' ')], true),
    b(Command::DeleteBack, &[code(KeyCode::Backspace)], false),
    b(Command::CursorLeft, &[code(KeyCode::Left)], false),
    b(Command::CursorRight, &[code(KeyCode::Right)], false),
    b(Command::Close, &[code(KeyCode::Esc)], true),
];

const EXPORT_STATUS: &[Binding] = &[b(
    Command::Close,
    &[code(KeyCode::Esc), code(KeyCode::Enter)],
    true,
)];

const HISTORY: &[Binding] = &[
    b(Command::Close, &[code(KeyCode::Esc), k('q'), k('H')], true),
    b(Command::Down, &[k('j'), code(KeyCode::Down)], true),
    b(Command::Up, &[k('k'), code(KeyCode::Up)], false),
    b(Command::Top, &[k('g'), code(KeyCode::Home)], false),
    b(Command::Bottom, &[k('G'), code(KeyCode::End)], false),
];

const CONFIRM: &[Binding] = &[
    b(Command::Yes, &[k('y'), code(KeyCode::Enter)], true),
    b(Command::No, &[k('n'), code(KeyCode::Esc)], true),
];

/// Review by criterion: the decision keys of the criteria pane on the one criterion, moves
/// over the subjects, and the keys that look at the evidence (initiatives, history).
const BY_CRITERION: &[Binding] = &[
    b(Command::Met, &[k('y'), k('1')], true),
    b(Command::NotMet, &[k('n'), k('0')], true),
    b(Command::NeedsExplanation, &[k('c')], true),
    b(Command::Close, &[code(KeyCode::Esc), k('b')], true),
    b(Command::Pending, &[k('-'), code(KeyCode::Backspace)], false),
    b(Command::AcceptHint, &[k('a')], true),
    b(Command::AcceptClaim, &[k('A')], false),
    b(Command::EditNote, &[k('e')], false),
    b(
        Command::Score,
        &[
            k('2'),
            k('3'),
            k('4'),
            k('5'),
            k('6'),
            k('7'),
            k('8'),
            k('9'),
        ],
        false,
    ),
    b(Command::Down, &[k('j'), code(KeyCode::Down)], false),
    b(Command::Up, &[k('k'), code(KeyCode::Up)], false),
    b(Command::PageDown, &[code(KeyCode::PageDown)], false),
    b(Command::PageUp, &[code(KeyCode::PageUp)], false),
    b(Command::Top, &[k('g'), code(KeyCode::Home)], false),
    b(Command::Bottom, &[k('G'), code(KeyCode::End)], false),
    b(Command::NextPending, &[k(']')], false),
    b(Command::PrevPending, &[k('[')], false),
    b(Command::CycleFilter, &[k('f')], true),
    b(Command::Initiatives, &[k('i')], false),
    b(Command::History, &[k('H')], false),
    b(Command::Describe, &[k('d')], false),
    b(Command::Undo, &[k('u')], true),
    b(Command::Redo, &[ctrl('r')], false),
    b(Command::Help, &[k('?')], true),
    b(Command::Quit, &[k('q')], false),
];

/// The whole description of a criterion: scrolling, and closing.
const DESCRIPTION: &[Binding] = &[
    b(Command::Close, &[code(KeyCode::Esc), k('q'), k('d')], true),
    b(Command::Down, &[k('j'), code(KeyCode::Down)], true),
    b(Command::Up, &[k('k'), code(KeyCode::Up)], true),
    b(Command::PageDown, &[code(KeyCode::PageDown), k(' ')], false),
    b(Command::PageUp, &[code(KeyCode::PageUp)], false),
    b(Command::Top, &[k('g'), code(KeyCode::Home)], false),
    b(Command::Bottom, &[k('G'), code(KeyCode::End)], false),
];

/// The symbols the screens use, with their meaning, as the help lists them after the keys.
pub const LEGEND: &[(&str, Key)] = &[
    ("✓", Key::LegendMet),
    ("✗", Key::LegendNotMet),
    ("○", Key::LegendIncomplete),
    ("?", Key::LegendExplain),
    ("·", Key::LegendPending),
    ("#", Key::LegendScore),
    ("◇", Key::LegendHint),
];

/// The tables in force for `scope`, most specific first.
pub fn tables(scope: Scope) -> &'static [&'static [Binding]] {
    match scope {
        Scope::Subjects => &[SUBJECTS, MOVE, COMMON],
        Scope::Criteria => &[CRITERIA, MOVE, COMMON],
        Scope::Search => &[SEARCH],
        Scope::Editor => &[EDITOR],
        Scope::Score => &[SCORE],
        Scope::Initiatives => &[INITIATIVES],
        Scope::Form => &[FORM],
        Scope::Help => &[HELP],
        Scope::Conflict => &[CONFLICT],
        Scope::Summary => &[SUMMARY],
        Scope::Export => &[EXPORT],
        Scope::ExportStatus => &[EXPORT_STATUS],
        Scope::History => &[HISTORY],
        Scope::Confirm => &[CONFIRM],
        Scope::ByCriterion => &[BY_CRITERION],
        Scope::Description => &[DESCRIPTION],
    }
}

/// Every binding of `scope`, in table order.
pub fn bindings(scope: Scope) -> impl Iterator<Item = &'static Binding> {
    tables(scope).iter().flat_map(|t| t.iter())
}

/// The command `key` asks for in `scope`, if any. Key releases are ignored.
pub fn lookup(scope: Scope, key: &KeyEvent) -> Option<Command> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    bindings(scope)
        .find(|b| b.keys.iter().any(|c| c.code == key.code && c.mods == mods))
        .map(|b| b.command)
}

/// How a chord is written in help and hints.
pub fn label(chord: &Chord) -> String {
    let base = match chord.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Down => "↓".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if chord.mods.contains(KeyModifiers::CONTROL) {
        format!("C-{base}")
    } else if chord.mods.contains(KeyModifiers::ALT) {
        format!("A-{base}")
    } else {
        base
    }
}

/// All chords of a binding, written for help ("j ↓"); digit runs are shortened to "2…9".
pub fn keys_label(binding: &Binding) -> String {
    if binding.command == Command::Score {
        return "0…9".into();
    }
    binding.keys.iter().map(label).collect::<Vec<_>>().join(" ")
}
