//! The one catalogue of console strings, Vietnamese and English side by side, beside the view.
//! The ids are `crate::msg::Key`, which the layers below name. Every string the console shows
//! comes from here (campaign text comes from the campaign file). Placeholders are
//! written `{}` and filled in order by `fill`; the tests check that both languages are present
//! for every key and carry the same number of `{}` slots.

use crate::domain::Lang;

pub use crate::msg::Key;

/// The wording of every message id: an exhaustive `match`, so an id without wording, or wording
/// for an id that does not exist, does not compile.
macro_rules! catalogue {
    ($($key:ident => $vi:expr, $en:expr;)*) => {
        fn entry(key: Key) -> (&'static str, &'static str) {
            match key { $(Key::$key => ($vi, $en),)* }
        }
    };
}

catalogue! {
    // verdicts
    PendingShort => "Chưa", "Pending";
    MetShort => "Đạt", "Met";
    NotMetShort => "K.đạt", "Not met";
    NeedsExplanationShort => "G.trình", "Explain";
    NoReason => "chưa ghi lý do", "no reason given";
    // outcomes
    Qualified => "Đủ điều kiện", "Qualified";
    NotQualified => "Không đủ điều kiện", "Not qualified";
    Incomplete => "Chưa đủ dữ liệu", "Incomplete";
    // panes and lists
    Collectives => "Tập thể", "Collectives";
    Individuals => "Cá nhân", "Individuals";
    Criteria => "Tiêu chí", "Criteria";
    Detail => "Chi tiết", "Detail";
    FilterAll => "tất cả", "all";
    FilterPending => "chưa xong", "pending";
    FilterAttention => "không đạt/giải trình", "not met/explain";
    FilterQualified => "đủ điều kiện", "qualified";
    FilterLabel => "lọc: {}", "filter: {}";
    NoSubjects => "Không có đối tượng nào.", "No subjects.";
    NoMatch => "Không tìm thấy.", "Nothing found.";
    SearchTitle => "Tìm", "Find";
    Matches => "{} kết quả", "{} found";
    BelongsTo => "Thuộc: {}", "Part of: {}";
    Note => "Ghi chú", "Note";
    NoNote => "(chưa có ghi chú)", "(no note)";
    DecidedBy => "{} · {}", "{} · {}";
    // storage: what happened to the database or a file beside it, and what to do
    StoreDiskFull => "Ổ đĩa chứa {} đã đầy: chưa lưu được gì. Hãy giải phóng dung lượng trên ổ đó rồi thử lại.",
        "The disk holding {} is full: nothing was saved. Free some space on that disk, then try again.";
    StoreDenied => "Không có quyền dùng {}: hệ thống từ chối đọc hoặc ghi. Hãy chạy thidua bằng tài khoản sở hữu thư mục đó, hoặc nhờ quản trị máy cấp quyền.",
        "No permission to use {}: the system refused to read or write it. Run thidua as the user who owns that folder, or ask the administrator for access.";
    StoreReadOnly => "{} nằm trên ổ chỉ đọc: không ghi được gì. Hãy chép cơ sở dữ liệu sang ổ ghi được, hoặc gắn ổ ở chế độ ghi.",
        "{} is on a read-only disk: nothing can be written there. Copy the database to a writable disk, or mount the disk writable.";
    StoreDamaged => "Dữ liệu trong {} bị hỏng ({}). Đừng sửa tay thư mục này. Hãy khôi phục bản sao lưu mới nhất trong {}: thidua restore TỆP --db THƯ_MỤC_MỚI, rồi chạy thidua verify --db THƯ_MỤC_MỚI.",
        "The data in {} is damaged ({}). Do not edit that folder by hand. Restore the newest backup in {}: thidua restore FILE --db NEW_FOLDER, then run thidua verify --db NEW_FOLDER.";
    StoreJournalDamaged => "Nhật ký thay đổi của {} bị hỏng: {}. Cơ sở dữ liệu không được mở để ghi. Hãy chạy thidua verify --db {} để xem chi tiết, rồi khôi phục bản sao lưu mới nhất trong {}: thidua restore TỆP --db THƯ_MỤC_MỚI.",
        "The change journal of {} is damaged: {}. The database was not opened for writing. Run thidua verify --db {} for details, then restore the newest backup in {}: thidua restore FILE --db NEW_FOLDER.";
    StoreIoOther => "Không đọc hoặc ghi được {} ({}). Hãy kiểm tra ổ đĩa và quyền của thư mục rồi thử lại.",
        "Could not read or write {} ({}). Check the disk and the folder's permissions, then try again.";
    StoreLockedConsole => "Cơ sở dữ liệu {} đang mở trong một bảng thidua khác (tiến trình {}, từ {}). Hãy đóng bảng đó trước (nhấn q), hoặc mở cơ sở dữ liệu khác bằng --db.",
        "The database {} is open in another thidua console (process {}, since {}). Close that console first (press q in it), or open another database with --db.";
    StoreLockedServer => "Cơ sở dữ liệu {} đang do máy chủ thidua giữ (cổng {}, tiến trình {}, từ {}). Hãy kết nối tới máy chủ: ssh -p {} <máy này>.",
        "The database {} is held by the thidua server (port {}, process {}, since {}). Connect to it instead: ssh -p {} <this host>.";
    StoreLockedBusy => "Cơ sở dữ liệu {} đang bận: {} đang chạy (tiến trình {}, từ {}). Hãy chờ việc đó xong rồi thử lại.",
        "The database {} is busy: {} is running (process {}, since {}). Wait until it has finished, then try again.";
    StoreLockedUnknown => "Cơ sở dữ liệu {} đang mở trong một tiến trình thidua khác. Hãy đóng nó trước, hoặc mở cơ sở dữ liệu khác bằng --db.",
        "The database {} is open in another thidua process. Close it first, or open another database with --db.";
    StoreMissing => "Không có cơ sở dữ liệu thidua nào ở {}; hãy tạo bằng `thidua init --sample --db {}`, hoặc kiểm tra đường dẫn --db.",
        "there is no thidua database at {}; create one with `thidua init --sample --db {}`, or check the --db path.";
    StoreExists => "{} đã có; thidua không bao giờ ghi đè một cơ sở dữ liệu: hãy chọn đường dẫn --db khác, hoặc chuyển cái cũ đi nơi khác.",
        "{} already exists; thidua never overwrites a database: choose another --db path or move the old one away.";
    StoreNotThidua => "{} không phải cơ sở dữ liệu thidua (không có số phiên bản lược đồ); hãy kiểm tra đường dẫn --db.",
        "{} is not a thidua database (no schema version in it); check the --db path.";
    StoreTooNew => "{} do một bản thidua mới hơn ghi (lược đồ {}); bản này chỉ đọc tới lược đồ {}: hãy cập nhật thidua.",
        "{} was written by a newer thidua (schema {}); this build reads schema {} at most: update thidua.";
    HolderImport => "một lần nhập dữ liệu (thidua import)", "an import (thidua import)";
    HolderExport => "một lần xuất tệp (thidua export)", "an export (thidua export)";
    HolderBackup => "một lần sao lưu (thidua backup)", "a backup (thidua backup)";
    HolderRestore => "một lần khôi phục (thidua restore)", "a restore (thidua restore)";
    HolderCheck => "một lần đọc (thidua verify, status hoặc log)", "a check (thidua verify, status or log)";
    HolderInit => "một lần tạo cơ sở dữ liệu (thidua init)", "a creation (thidua init)";
    TargetExists => "{} đã có; thidua không ghi đè lên tệp có sẵn. Hãy chọn tên khác, hoặc thêm --force nếu chắc chắn muốn thay tệp đó.",
        "{} already exists; thidua does not replace an existing file. Choose another name, or add --force if you really mean to replace it.";
    TargetInDatabase => "{} nằm trong thư mục cơ sở dữ liệu {}: ghi vào đó sẽ phá hỏng cơ sở dữ liệu, nên không ghi gì. Hãy chọn một tệp ở ngoài thư mục đó.",
        "{} is inside the database folder {}: writing there would destroy the database, so nothing was written. Choose a file outside that folder.";
    ReadFromHolder => "thidua: cơ sở dữ liệu đang mở trong một thidua khác (tiến trình {}); kết quả dưới đây do thidua đó trả lời, tính đến thay đổi đã lưu gần nhất.",
        "thidua: the database is open in another thidua (process {}); what follows is that thidua's answer, as of its last saved change.";
    TargetIsFolder => "{} là một thư mục; hãy cho tên một tệp trong đó.",
        "{} is a folder; give the name of a file in it.";
    LeftoverRemoved => "thidua: đã xoá {}, phần dở dang do một thidua bị dừng đột ngột (tiến trình {}) để lại.",
        "thidua: removed {}, an unfinished leftover of a thidua that was stopped (process {}).";
    ConsoleDiskFull => "ổ đĩa đầy ({}): giải phóng chỗ trống rồi thử lại",
        "disk full ({}): free some space, then try again";
    BackupFailedOnQuit => "không ghi được bản sao lưu khi thoát: {} Các quyết định đã lưu vẫn còn nguyên; những bản sao lưu trước vẫn dùng được.",
        "the backup on quitting could not be written: {} Every decision already saved is kept; earlier backups stand.";
    // the change journal's operations: read-only use, backups with the journal, rebuild
    ReadOnlyUse => "thidua: không ghi được vào {} ({}); đã đọc cơ sở dữ liệu ở chế độ chỉ đọc, tính đến bản ghi nhật ký {}. Không ghi gì vào thư mục đó.",
        "thidua: cannot write in {} ({}); read the database read-only, as of journal record {}. Nothing was written there.";
    // status bar
    Reviewer => "Người đánh giá: {}", "Reviewer: {}";
    ReadOnly => "chỉ xem", "read-only";
    Saving => "đang lưu…", "saving…";
    SavedAt => "đã lưu {}", "saved {}";
    SaveFailed => "LỖI, chưa lưu: {}", "ERROR, not saved: {}";
    CommitWorkerStopped => "chưa lưu: phần ghi dữ liệu của phiên này đã dừng; hãy thoát rồi mở lại thidua",
        "not saved: this console's writer stopped; quit and open thidua again";
    // A notice worded before it reached the model (a store's or an export's message).
    Said => "{}", "{}";
    QuitWhenSaved => "Đang lưu… sẽ thoát khi mọi quyết định đã lưu xong.", "Saving… the console closes once every decision is saved.";
    Progress => "Tiến độ", "Progress";
    ProgressCounts => "{}/{} tiêu chí · ✓{} ✗{} ○{}", "{}/{} criteria · ✓{} ✗{} ○{}";
    TooSmall => "Cửa sổ quá nhỏ: {}×{}. Cần ít nhất {}×{}.", "Terminal too small: {}×{}. Needs at least {}×{}.";
    // notices
    ViewerRefused => "Bạn chỉ có quyền xem: không thay đổi được.", "You can only view: nothing was changed.";
    NothingToUndo => "Không còn gì để hoàn tác.", "Nothing to undo.";
    NothingToRedo => "Không còn gì để làm lại.", "Nothing to redo.";
    Undone => "Đã hoàn tác: {}", "Undone: {}";
    Redone => "Đã làm lại: {}", "Redone: {}";
    AllReviewed => "Mọi đối tượng trong danh sách đã đánh giá xong.", "Every subject in the list is reviewed.";
    NoMorePending => "Không còn đối tượng chưa xong theo hướng này.", "No more pending subjects this way.";
    NotPoints => "Tiêu chí này chấm Đạt/Không đạt, không chấm điểm.", "This criterion is met/not met, not scored.";
    ScoreTooHigh => "Điểm tối đa là {}.", "The highest score is {}.";
    ScorePrompt => "Điểm (0–{}): {}", "Score (0–{}): {}";
    ConflictVerdict => "{} {} vừa được {} sửa lúc {}: nay là «{}».", "{} {} was just changed by {} at {}: now “{}”.";
    ConflictInitiative => "Sáng kiến {} vừa được người khác sửa: nay là «{}».", "Initiative {} was just changed by someone else: now “{}”.";
    ConflictTitle => "Xung đột: người khác đã sửa", "Conflict: someone else changed this";
    ConflictMine => "Của bạn: «{}»", "Yours: “{}”";
    ConflictChoice => "k: giữ của bạn (ghi đè) · t hoặc Esc: nhận của họ", "k: keep yours (overwrite) · t or Esc: take theirs";
    TheyChanged => "{} đã sửa {} {}.", "{} changed {} {}.";
    // editor
    EditorTitle => "Ghi chú · {} · {}", "Note · {} · {}";
    ImeOff => "gõ thường", "plain";
    ImeTelex => "Telex", "Telex";
    ImeVni => "VNI", "VNI";
    ImeLabel => "Kiểu gõ: {}", "Input: {}";
    EditorReason => "Ghi lý do (Esc: giữ kết quả, chưa ghi lý do)", "Give the reason (Esc: keep the verdict, no reason given)";
    // initiatives
    InitiativesTitle => "Sáng kiến · {}", "Initiatives · {}";
    NoInitiatives => "Đối tượng này chưa có sáng kiến nào.", "This subject has no initiatives.";
    SubmittedOn => "Nộp ngày {}", "Submitted {}";
    RecognizedBy => "{} · QĐ {} · {} · phạm vi {}", "{} · decision {} · {} · scope {}";
    ScopeCoSo => "cơ sở", "grassroots";
    ScopeTinh => "tỉnh", "provincial";
    ScopeToanQuoc => "toàn quốc", "national";
    FormTitle => "Công nhận sáng kiến {}", "Recognise initiative {}";
    FormAuthority => "Cấp công nhận", "Authority";
    FormDecision => "Số quyết định", "Decision no.";
    FormDate => "Ngày (DD/MM/YYYY)", "Date (DD/MM/YYYY)";
    FormScope => "Phạm vi", "Scope";
    FormMissing => "Cần điền: {}", "Please fill in: {}";
    FormBadDate => "Ngày không hợp lệ: {} (viết DD/MM/YYYY)", "Not a valid date: {} (write DD/MM/YYYY)";
    // evidence hints, summary, export, history
    HintSuggests => "Gợi ý: {} · phím a để nhận", "Suggests: {} · press a to accept";
    HintAgrees => "Gợi ý: {} (trùng với kết luận hiện tại)", "Suggests: {} (as decided)";
    HintNoSuggestion => "Không gợi ý kết luận: người đánh giá tự quyết (phím i: sáng kiến)", "No verdict suggested: the reviewer decides (key i: initiatives)";
    NoSuggestion => "Tiêu chí này không có gợi ý kết luận.", "This criterion has no suggested verdict.";
    SummaryTitle => "Tổng hợp kết quả đánh giá", "Review summary";
    SummaryTier => "Cấp", "Tier";
    SummarySubjects => "Số ĐT", "Subj.";
    SummaryDecided => "Tiêu chí đã chấm", "Criteria decided";
    SummaryOutcomes => "Kết quả: ✓ {} đủ điều kiện · ✗ {} không đủ · ○ {} chưa đủ dữ liệu", "Outcomes: ✓ {} qualified · ✗ {} not qualified · ○ {} incomplete";
    SummaryNotMet => "Tiêu chí không đạt nhiều nhất", "Criteria most often not met";
    SummaryReviewers => "Kết luận theo người đánh giá", "Decisions by reviewer";
    SummaryNone => "(chưa có)", "(none yet)";
    ExportTitle => "Xuất tệp kết quả cho Hội đồng", "Export the verdict file for the council";
    ExportComplete => "Việc đánh giá đã xong: tệp sẽ đầy đủ.", "The review is finished: the file will be complete.";
    ExportGaps => "Chưa xong: {} tiêu chí chưa đánh giá, {} chờ giải trình, {} không đạt chưa ghi lý do.", "Not finished: {} not yet reviewed, {} waiting for an explanation, {} not met without a reason.";
    ExportMore => "… và {} mục khác", "… and {} more";
    ExportFormat => "Định dạng", "Format";
    ExportPath => "Tệp", "File";
    ExportAllow => "Vẫn xuất khi chưa xong (tệp ghi rõ CHƯA ĐẦY ĐỦ)", "Export anyway (the file says INCOMPLETE)";
    ExportRefused => "Chưa xuất: việc đánh giá chưa xong. Muốn vẫn xuất thì đánh dấu ô trên bằng phím cách rồi Enter.", "Not exported: the review is not finished. To export anyway, tick the box above with Space, then Enter.";
    ExportNoPath => "Cần tên tệp.", "A file name is needed.";
    ExportReading => "Đang đọc dữ liệu… {} giây", "Reading the data… {} s";
    ExportWriting => "Đang ghi tệp {} ({} đối tượng)… {} giây", "Writing the {} file ({} subjects)… {} s";
    ExportWrote => "Đã ghi {} ({} KB): {} đối tượng, {} đủ điều kiện đề nghị khen thưởng.", "Wrote {} ({} KB): {} subjects, {} qualified to be proposed for commendation.";
    ExportWroteIncomplete => "Tệp ghi rõ là CHƯA ĐẦY ĐỦ.", "The file says it is INCOMPLETE.";
    ExportFailed => "Không xuất được: {}", "Export failed: {}";
    ExportIsFolder => "{} là một thư mục: hãy đặt tên tệp, ví dụ ket-qua.xlsx", "{} is a folder: give a file name such as ket-qua.xlsx";
    ExportIncompleteNow => "việc đánh giá chưa xong ({} mục), không ghi tệp nào", "the review is not finished ({} gaps); nothing was written";
    ExportCannotWrite => "không ghi được {}: {}", "cannot write {}: {}";
    ExportPlainName => "{}: qua mạng chỉ được đặt tên tệp (không có thư mục, không bắt đầu bằng dấu chấm); tệp được ghi vào thư mục của máy chủ", "{}: over the network only a plain file name is accepted (no folder, not starting with a dot); it is written in the server's folder";
    ExportExists => "Đã có tệp {}: hãy đặt tên khác", "{} already exists: choose another name";
    ExportRetry => "Enter: sửa lại · Esc: đóng", "Enter: change and retry · Esc: close";
    ExportClose => "Enter hoặc Esc: đóng", "Enter or Esc: close";
    ExportBusy => "Đang xuất, chờ xong rồi đóng.", "Exporting; close when it is done.";
    HistoryTitle => "Lịch sử · {} · {}", "History · {} · {}";
    HistoryLoading => "Đang tải…", "Loading…";
    HistoryEmpty => "Chưa ai kết luận tiêu chí này.", "Nobody has decided this criterion yet.";
    HistoryFailed => "Không đọc được nhật ký: {}", "Cannot read the audit trail: {}";
    HistoryNote => "ghi chú: {}", "note: {}";
    HistoryNoteCleared => "ghi chú đã xoá", "note cleared";
    CmdAcceptHint => "nhận gợi ý", "accept suggestion";
    CmdSummary => "tổng hợp", "summary";
    CmdExport => "xuất tệp kết quả", "export verdicts";
    CmdHistory => "lịch sử tiêu chí", "criterion history";
    CmdRunExport => "xuất", "export";
    CmdToggle => "đổi/đánh dấu", "change/tick";
    ScopeSummary => "tổng hợp", "summary";
    ScopeExport => "xuất tệp", "export";
    ScopeHistory => "lịch sử", "history";
    // help
    HelpTitle => "Phím tắt · {}", "Keys · {}";
    HelpClose => "Esc hoặc ? để đóng", "Esc or ? to close";
    HelpScroll => "j/k để cuộn", "j/k to scroll";
    LegendTitle => "Ký hiệu", "Symbols";
    LegendMet => "Đạt · đủ điều kiện", "met · qualified";
    LegendNotMet => "K.đạt · không đủ điều kiện", "not met · not qualified";
    LegendIncomplete => "chưa chấm xong", "not fully reviewed";
    LegendExplain => "Cần giải trình, đang chờ", "needs explanation, waiting";
    LegendPending => "tiêu chí chưa đánh giá", "criterion pending";
    LegendScore => "tiêu chí chấm điểm", "criterion scored in points";
    LegendHint => "có gợi ý minh chứng", "evidence suggests a verdict";
    CmdRestMet => "các tiêu chí còn lại Đạt", "the rest are met";
    CmdYes => "đồng ý", "yes";
    CmdNo => "thôi", "no";
    ScopeConfirm => "xác nhận", "confirm";
    RestMetAsk => "Đánh dấu Đạt {} tiêu chí còn lại? y/n · {}", "Mark the remaining {} criteria met? y/n · {}";
    RestMetNone => "{}: không còn tiêu chí nào chưa đánh giá.", "{}: no pending criterion left.";
    RestMetDone => "Đã đánh dấu Đạt {} tiêu chí của {}.", "Marked {} criteria of {} met.";
    RestMetCancelled => "Không đánh dấu gì.", "Nothing marked.";
    FilterWaiting => "chờ giải trình", "waiting for an explanation";
    WaitingCount => "?{} chờ giải trình", "?{} waiting";
    ExplanationNote => "Đã nhận giải trình: {}", "Explanation received: {}";
    ExplanationPrompt => "Giải trình đã nhận (có thể để trống) · Enter: lưu · Esc: thôi", "Explanation received (may be empty) · Enter: save · Esc: cancel";
    ExplanationTitle => "Kết thúc giải trình · {} → {}", "Close the explanation · {} → {}";
    NotOnScreen => "Dòng đang chọn không hiện trên màn hình: chưa làm gì.", "The selected row is not on screen: nothing changed.";
    ScopeSubjects => "danh sách đối tượng", "subject list";
    ScopeCriteria => "tiêu chí", "criteria";
    ScopeSearch => "tìm kiếm", "search";
    ScopeEditor => "ghi chú", "note";
    ScopeScore => "chấm điểm", "scoring";
    ScopeInitiatives => "sáng kiến", "initiatives";
    ScopeForm => "công nhận sáng kiến", "recognition";
    ScopeConflict => "xung đột", "conflict";
    // command descriptions (help and hints)
    CmdDown => "xuống", "down";
    CmdUp => "lên", "up";
    CmdPageDown => "trang sau", "page down";
    CmdPageUp => "trang trước", "page up";
    CmdTop => "đầu danh sách", "first";
    CmdBottom => "cuối danh sách", "last";
    CmdNextPane => "sang khung kia", "other pane";
    CmdPrevPane => "về khung kia", "other pane (back)";
    CmdFocusSubjects => "khung đối tượng", "subjects pane";
    CmdFocusCriteria => "khung tiêu chí", "criteria pane";
    CmdOpen => "chấm", "review";
    CmdMet => "Đạt", "met";
    CmdNotMet => "Không đạt", "not met";
    CmdNeedsExplanation => "Cần giải trình", "needs explanation";
    CmdPending => "về Chưa đánh giá", "back to pending";
    CmdScore => "nhập điểm rồi Enter", "type a score, then Enter";
    CmdEditNote => "sửa ghi chú", "edit note";
    CmdNextPending => "đối tượng chưa xong kế", "next pending subject";
    CmdPrevPending => "đối tượng chưa xong trước", "previous pending subject";
    CmdSearch => "tìm", "find";
    CmdCycleFilter => "đổi bộ lọc", "cycle filter";
    CmdToggleKind => "tập thể/cá nhân", "collectives/individuals";
    CmdInitiatives => "sáng kiến", "initiatives";
    CmdUndo => "hoàn tác", "undo";
    CmdRedo => "làm lại", "redo";
    CmdHelp => "trợ giúp", "help";
    CmdQuit => "thoát", "quit";
    CmdClose => "đóng", "close";
    CmdAccept => "chọn", "keep selection";
    CmdClearSearch => "xóa tìm kiếm", "clear search";
    CmdSaveNote => "lưu", "save";
    CmdCancelNote => "thôi", "leave";
    CmdToggleIme => "đổi kiểu gõ", "switch input method";
    CmdDeleteBack => "xóa chữ trước", "delete back";
    CmdCursorLeft => "con trỏ trái", "cursor left";
    CmdCursorRight => "con trỏ phải", "cursor right";
    CmdSaveScore => "lưu điểm", "save score";
    CmdRecognise => "công nhận", "recognise";
    CmdNotRecognised => "không công nhận", "not recognised";
    CmdResubmit => "về Đã nộp", "back to submitted";
    CmdNextField => "ô kế", "next field";
    CmdPrevField => "ô trước", "previous field";
    CmdCycleScope => "đổi phạm vi", "change scope";
    CmdSubmitForm => "lưu", "save";
    CmdKeepMine => "giữ của bạn", "keep yours";
    CmdTakeTheirs => "nhận của họ", "take theirs";
    CmdToggleLock => "khóa/mở khóa (chủ tịch)", "lock/unlock (chair)";
    ChairOnly => "Chỉ chủ tịch hội đồng mới khóa hoặc mở khóa được.", "Only the chair can lock or unlock.";
    LockedTag => "đã khóa", "locked";
    LockedNotice => "Đã khóa {}: không ai sửa được nữa.", "{} locked: nobody can change it now.";
    UnlockedNotice => "Đã mở khóa {}.", "{} unlocked.";
    SubjectLocked => "{} đã khóa: không sửa được.", "{} is locked: it cannot be changed.";
    NotFinal => "Chưa khóa được {}: còn {} chưa có kết luận Đạt/Không đạt.", "{} cannot be locked yet: {} still without a met/not met verdict.";
    AlsoHere => "cùng làm: {}", "also here: {}";
    AlsoOnSubject => "{} cũng đang xem", "{} also here";
    // opening a large review
    Opening => "Đang mở {}", "Opening {}";
    OpeningCounts => "Đã đọc {}/{} đối tượng · {} đánh giá", "Read {}/{} subjects · {} verdicts";
    OpeningQuit => "q: thoát", "q: quit";
    OpeningStore => "Đang mở cơ sở dữ liệu…", "Opening the database…";
    // command line: import (roster, initiatives)
    ImportDone => "{}: thêm {}, cập nhật {}, không đổi {}", "{}: {} added, {} updated, {} unchanged";
    ImportDryRun => "{}: chạy thử (--dry-run), không ghi gì: sẽ thêm {}, cập nhật {}, không đổi {}", "{}: dry run (--dry-run), nothing written: would add {}, update {}, leave {} unchanged";
    ImportSheet => "Trang tính: {}", "Sheet: {}";
    ImportSeparator => "Dấu phân cách: {}", "Separator: {}";
    ImportSepComma => "dấu phẩy (,)", "comma (,)";
    ImportSepSemicolon => "dấu chấm phẩy (;)", "semicolon (;)";
    ImportSepTab => "ký tự tab", "tab";
    ImportTitleRows => "Bỏ qua các dòng tiêu đề {}", "Skipped title rows {}";
    ImportHeaderAt => "Dòng tên cột: {}", "Header row: {}";
    ImportIgnoredColumns => "Bỏ qua các cột: {}", "Ignored columns: {}";
    ImportIgnoredRows => "Bỏ qua {} dòng dưới bảng (sau dòng trống):", "Ignored {} rows below the table (after the empty row):";
    ImportNew => "Mới ({}):", "New ({}):";
    ImportChanged => "Thay đổi ({}), cũ → mới:", "Changed ({}), old → new:";
    ImportKept => "Giữ giá trị đã lưu vì ô trống ({}; dùng --clear-empty để xoá):", "Kept the stored value of an empty cell ({}; --clear-empty clears it):";
    ImportCleared => "Xoá {} giá trị đã lưu vì ô trống (--clear-empty)", "Cleared {} stored values of empty cells (--clear-empty)";
    ImportMissing => "Không có trong tệp, vẫn giữ nguyên (không bao giờ xoá) ({}): {}", "Not in the file, kept (never deleted) ({}): {}";
    ImportAndMore => " … và {} mục khác", " … and {} more";
    ImportNothingChanged => "Không có gì thay đổi.", "Nothing changed.";
    ImportNothingWritten => "Chưa ghi gì. Chạy lại lệnh không có --dry-run để nhập.", "Nothing was written. Run the command again without --dry-run to import.";
    ImportEmptyValue => "(trống)", "(empty)";
    // command line: import errors (file, row, column named; nothing changed)
    ImpFrameNothing => "{}: không nhập được; không có gì thay đổi", "{}: cannot be imported; nothing was changed";
    ImpFrameOne => "Không nhập gì; hãy sửa tệp rồi nhập lại.", "Nothing was imported; fix the file and import it again.";
    ImpFrameMany => "{}: {} lỗi; không nhập gì, hãy sửa rồi nhập lại tệp:", "{}: {} problems; nothing was imported, fix them and import the file again:";
    ImpFrameMore => "và {} lỗi khác", "and {} more";
    ImpLine => "dòng {}", "line {}";
    ImpSheetRow => "trang tính {}, dòng {}", "sheet {}, row {}";
    ImpField => "trường {}", "field {}";
    ImpColumn => "cột {}", "column {}";
    ImpColumnNoName => "{} (không có tên)", "{} (no name)";
    ImpCannotRead => "không đọc được tệp: {}", "cannot read the file: {}";
    ImpUnknownExtension => "thidua chỉ đọc tệp .csv (UTF-8) và .xlsx; hãy lưu tệp theo một trong hai dạng đó (trong Excel: \"CSV UTF-8\" hoặc \"Excel Workbook\") với đuôi tương ứng", "thidua reads .csv (UTF-8) and .xlsx files only; save the file in one of those formats (in Excel: \"CSV UTF-8\" or \"Excel Workbook\") and use that extension";
    ImpUtf16 => "tệp là văn bản UTF-16 (\"Unicode Text\" của Excel); hãy lưu thành \"CSV UTF-8\" rồi nhập lại", "the file is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" and import again";
    ImpNotUtf8 => "tệp không phải văn bản UTF-8 (byte 0x{} sau {} byte của dòng này); có lẽ tệp được lưu theo bảng mã Windows như Windows-1258 hay Latin-1. Hãy lưu thành UTF-8 (trong Excel: \"CSV UTF-8\") rồi nhập lại", "the file is not UTF-8 text (byte 0x{} after {} bytes of this line); it was probably saved in a Windows code page such as Windows-1258 or Latin-1. Save it as UTF-8 (in Excel: \"CSV UTF-8\") and import again";
    ImpOpenQuote => "ô trong ngoặc kép ở cột {} bắt đầu tại đây nhưng thiếu dấu ngoặc đóng (tệp kết thúc bên trong ngoặc kép); có thể tệp bị cắt cụt", "the quoted field in column {} starts here and its closing quote is missing (the file ends inside the quotes); the file may be cut short";
    ImpAfterQuote => "ở cột {}, có chữ đứng sau dấu ngoặc kép đóng; dấu ngoặc kép bên trong ô phải viết hai lần (\"\")", "in column {}, text follows the closing quote of a quoted field; a quote inside a quoted field must be written twice (\"\")";
    ImpNotWorkbook => "không đọc được tệp như một sổ tính Excel: {}", "cannot read the file as an Excel workbook: {}";
    ImpNoSheetNamed => "sổ tính không có trang tính tên {}; các trang tính là: {}", "the workbook has no sheet named {}; its sheets are: {}";
    ImpNoVisibleSheet => "sổ tính không có trang tính nào đang hiện", "the workbook has no visible sheet";
    ImpCannotReadSheet => "không đọc được trang tính {}: {}", "cannot read sheet {}: {}";
    ImpCannotReadMerged => "không đọc được các ô gộp của trang tính {}: {}", "cannot read the merged cells of sheet {}: {}";
    ImpCannotReadRows => "không đọc được các dòng của trang tính {}: {}", "cannot read the rows of sheet {}: {}";
    ImpIdEmpty => "mã bị trống; dòng nào cũng cần mã", "the id is empty; every row needs one";
    ImpOwnerEmpty => "mã đơn vị sở hữu bị trống; dòng nào cũng cần", "the owner is empty; every row needs one";
    ImpIdTooLong => "{} dài {} ký tự; mã dài tối đa {}", "{} is {} characters long; an id has at most {}";
    ImpIdBadChar => "{} có ký tự {}; mã chỉ được dùng chữ A–Z không dấu, chữ số, dấu chấm, gạch dưới và gạch ngang", "{} contains {}; an id may only use letters A–Z without accents, digits, dot, underscore and hyphen";
    ImpTextEmpty => "trường {} bị trống", "the {} is empty";
    ImpTextTooLong => "trường {} dài {} ký tự; tối đa {}", "the {} is {} characters long; at most {} are accepted";
    ImpNotDate => "{} không phải là ngày; hãy viết YYYY-MM-DD hoặc DD/MM/YYYY (và kiểm tra ngày đó có thật)", "{} is not a date; write YYYY-MM-DD or DD/MM/YYYY (and check that the day exists)";
    ImpSameField => "{} và {} cùng là trường {}; hãy giữ một cột (đổi tên hoặc xoá cột kia)", "{} and {} both mean the field {}; keep one of them (rename or delete the other)";
    ImpWidthSep => "có {} ô nhưng dòng tên cột có {}; hãy kiểm tra thừa hay thiếu {} (chữ có chứa {} phải đặt trong ngoặc kép)", "has {} fields but the header has {}; check for a missing or extra {} (a text containing {} must be in double quotes)";
    ImpWidthXlsx => "có {} ô nhưng dòng tên cột có {}; hãy xoá các giá trị bên phải bảng hoặc đặt tên cho cột của chúng", "has {} fields but the header has {}; delete the values right of the table or give their column a name";
    ImpGapRow => "dòng này có giá trị ở cột {} và {} nhưng nằm sau {} trống, nơi bảng kết thúc; hãy xoá dòng trống (hoặc dòng này) rồi nhập lại", "this row has values in the columns {} and {} but comes after the empty {}, where the table ends; delete the empty row (or this row) and import again";
    ImpMerged => "các ô {} được gộp bên trong bảng; mỗi dòng cần giá trị riêng ở từng ô: hãy bỏ gộp (trong Excel: Merge & Center, Unmerge Cells) và điền đủ từng ô", "cells {} are merged inside the table; each row needs its own value in each cell: unmerge them (in Excel: Merge & Center, Unmerge Cells) and fill in every cell";
    ImpHidden => "dòng này đang bị ẩn; thidua chỉ nhập những gì nhìn thấy được: hãy hiện dòng (hoặc xoá) rồi nhập lại", "this row is hidden; thidua imports only what can be seen: unhide it (or delete it) and import again";
    ImpFormula => "ô chứa công thức ({}); thidua không bao giờ tính công thức: hãy gõ chính giá trị (trong Excel: Paste Special, Values)", "the cell holds a formula ({}); thidua never evaluates formulas: type the value itself (in Excel: Paste Special, Values)";
    ImpEmptyFile => "tệp trống: không có dòng tên cột và không có dữ liệu", "the file is empty: there is no header and no data";
    ImpNoHeader => "không tìm thấy dòng tên cột trong các dòng 1–{}; dòng tên cột là dòng đầu tiên có cột cho từng trường: {}", "no header found in rows 1–{}; the header is the first row naming a column for each of: {}";
    ImpClosest => ". {} gần đúng nhất nhưng thiếu cột cho {}", ". {} comes closest but has no column for {}";
    ImpLookedAt => ". Đã xem: {}", ". Looked at: {}";
    ImpMoreRows => " và {} dòng khác", " and {} more rows";
    ImpTopLevel => "{} ({}) là đơn vị cấp cao nhất: để trống trường parent (đang là {})", "a {} ({}) is a top-level unit: leave parent empty (found {})";
    ImpParentEmpty => "trường parent bị trống; {} thuộc về {}: hãy ghi mã hoặc tên đơn vị đó", "the parent is empty; a {} belongs to a {}: give that unit's id or name";
    ImpOr => " hoặc ", " or a ";
    ImpTierChange => "{} là {} trong cơ sở dữ liệu và cấp của đối tượng không đổi được khi nhập lại (tệp ghi {})", "{} is a {} in the database and a subject's tier cannot change on re-import (found {})";
    ImpTierEmpty => "cấp bị trống; hãy dùng một cấp của phong trào, theo mã hoặc tên: {}", "the tier is empty; use one of the campaign's tiers, by id or name: {}";
    ImpTierUnknown => "không có cấp {}; các cấp của phong trào, theo mã hoặc tên: {}", "unknown tier {}; the campaign's tiers, by id or name: {}";
    ImpParentUnknownName => "không đối tượng nào có mã hoặc tên {}, cả trong tệp này lẫn trong cơ sở dữ liệu; hãy ghi mã hoặc đúng tên của đơn vị cấp trên", "no subject has the id or the name {}, neither in this file nor in the database; give the parent's id or its exact name";
    ImpParentWrongTierName => "{} là tên của {}, nhưng {} thuộc về {}", "{} is the name of {}, but a {} belongs to a {}";
    ImpParentAmbiguous => "tên {} không rõ là ai: {} đối tượng cùng tên: {}; hãy ghi mã của đơn vị cấp trên", "the name {} is ambiguous: {} subjects have it: {}; give the parent's id instead";
    ImpDuplicateId => "mã {} đã dùng ở {}; mỗi mã chỉ xuất hiện một lần", "the id {} is already used on {}; each id may appear only once";
    ImpParentUnknownId => "không đối tượng nào có mã {}, cả trong tệp này lẫn trong cơ sở dữ liệu", "no subject has the id {}, neither in this file nor in the database";
    ImpParentWrongTier => "{} là {}, nhưng {} thuộc về {}", "{} is a {}, but a {} belongs to a {}";
    ImpCycle => "các đơn vị cấp trên tạo thành vòng: {}; một đơn vị không thể thuộc chính nó", "the parents go round in a circle: {}; a unit cannot belong to itself";
    ImpOwnerUnknown => "không đối tượng nào có mã {}; hãy nhập danh sách đối tượng trước, hoặc sửa mã", "no subject has the id {}; import the roster first, or fix the id";
    ImpStatusUnknown => "không có trạng thái {}; dùng submitted, recognized hoặc not_recognized", "unknown status {}; use submitted, recognized or not_recognized";
    ImpOnlyRecognized => "chỉ sáng kiến được công nhận mới có {}; để trống với trạng thái {}", "only a recognized initiative has a {}; leave it empty for status {}";
    ImpNeedsIt => "{}; sáng kiến được công nhận cần trường này", "{}; a recognized initiative needs it";
    ImpDecidedBefore => "{} trước ngày nộp {}", "{} is before the submission date {}";
    ImpDecisionDateEmpty => "ngày quyết định bị trống; sáng kiến được công nhận cần ngày này", "the decision date is empty; a recognized initiative needs it";
    ImpScopeUnknown => "{} không phải phạm vi; dùng co_so (cơ sở), tinh (tỉnh) hoặc toan_quoc (toàn quốc)", "{} is not a scope; use co_so (cơ sở), tinh (tỉnh) or toan_quoc (toàn quốc)";
    // a text field at its most characters
    CmdNewLine => "xuống dòng", "new line";
    CmdSkipReason => "giữ, chưa ghi lý do", "keep, no reason given";
    FieldFull => "Ô này nhận tối đa {} ký tự: phần thừa không được ghi", "This field takes at most {} characters: the rest was not taken";
    // Points campaigns.
    ScoreOutOfRange => "Điểm {} không hợp lệ: từ 0 đến {}.", "Score {} refused: from 0 to {}.";
    ScoreOffStep => "Điểm {} không hợp lệ: từ 0 đến {}, bước {}.", "Score {} refused: from 0 to {}, in steps of {}.";
    ScoreNotNumber => "{} không phải số điểm (ví dụ 7 hoặc 7,5).", "{} is not a score (e.g. 7 or 7.5).";
    PointsTotal => "{}/{} · cần {}", "{}/{} · needs {}";
    // Review by criterion (one criterion across the subjects of a tier), and `Y` on points.
    CmdByCriterion => "chấm theo tiêu chí", "review by criterion";
    ScopeByCriterion => "chấm theo tiêu chí", "review by criterion";
    ByCriterionTitle => "Theo tiêu chí · {} · {}", "By criterion · {} · {}";
    ByCriterionCount => "Còn {}/{} chưa đánh giá · {}", "{}/{} pending · {}";
    ByCriterionPendingOnly => "chưa đánh giá", "pending";
    ByCriterionEmpty => "Không còn đối tượng nào chưa đánh giá tiêu chí này (f: xem tất cả).", "No subject is pending on this criterion (f: show all).";
    ByCriterionEnd => "Cuối danh sách: còn {} đối tượng chưa đánh giá {}.", "End of the list: {} subjects still pending on {}.";
    ByCriterionDone => "Mọi đối tượng trong danh sách đã có kết luận tiêu chí {}.", "Every subject listed has a verdict on {}.";
    ByCriterionNoSubject => "Chọn một đối tượng và một tiêu chí trước.", "Select a subject and a criterion first.";
    ByCriterionLeft => "Chế độ chấm theo tiêu chí đã đóng vì tiêu chí {} không còn trong danh sách.", "Review by criterion closed: criterion {} is no longer there.";
    RestFullAsk => "Cho đủ điểm {} tiêu chí còn lại? y/n · {}", "Give full points to the remaining {} criteria? y/n · {}";
    RestBothAsk => "Đánh dấu Đạt {} tiêu chí và cho đủ điểm {} tiêu chí còn lại? y/n · {}", "Mark {} remaining criteria met and give full points to {}? y/n · {}";
    RestFullDone => "Đã ghi {} tiêu chí của {} (cho đủ điểm: {}).", "Recorded {} criteria of {} ({} at full points).";
    // self-assessment (tự đánh giá): console
    ClaimTag => "TĐG", "self";
    FilterDiffers => "khác tự đánh giá", "differs from self-assessment";
    CmdAcceptClaim => "nhận kết quả tự đánh giá", "accept self-assessment";
    NoClaim => "Đơn vị không tự đánh giá tiêu chí này.", "The unit made no self-assessment of this criterion.";
    ClaimAgrees => "Tự đánh giá: {} (trùng với kết luận)", "Self-assessment: {} (as decided)";
    ClaimDiffers => "Tự đánh giá: {} · phím A để nhận", "Self-assessment: {} · press A to accept";
    ClaimEvidence => "Tài liệu kiểm chứng", "Evidence";
    ClaimReason => "Đơn vị tự đánh giá: {}", "The unit's self-assessment: {}";
    ClaimReasonEvidence => "Đơn vị tự đánh giá: {} ({})", "The unit's self-assessment: {} ({})";
    // self-assessment (tự đánh giá): import
    SaShapeLong => "Dạng dọc (mỗi dòng một tiêu chí): {} có các cột đối tượng, tiêu chí và kết quả tự đánh giá.", "Long shape (a row per claim): {} names the columns subject, criterion and value.";
    SaShapeWide => "Dạng ngang (mỗi dòng một đối tượng): {} có cột đối tượng ({}) và {} cột tiêu chí: {}.", "Wide shape (a row per subject): {} has a subject column ({}) and {} criterion columns: {}.";
    SaById => "theo mã", "by id";
    SaByName => "theo tên", "by name";
    SaNoWideHeader => ". Tệp tự đánh giá cũng có thể ở dạng ngang: một cột đối tượng ({} hoặc {}) và mỗi tiêu chí một cột, đặt tên theo mã hoặc tên ngắn của tiêu chí ({})", ". A self-assessment may also be wide: a subject column ({} or {}) and a column per criterion, named by the criterion's id or short title ({})";
    SaSubjectEmpty => "đối tượng bị trống; mỗi dòng cần mã hoặc tên của đối tượng", "the subject is empty; every row needs a subject's id or name";
    SaSubjectAmbiguous => "tên {} không rõ là ai: {} đối tượng cùng tên: {}; hãy ghi mã", "the name {} is ambiguous: {} subjects have it: {}; give the id instead";
    SaSubjectUnknown => "không đối tượng nào có mã hoặc tên {}; hãy nhập danh sách đối tượng trước, hoặc sửa ô này", "no subject has the id or the name {}; import the roster first, or fix the cell";
    SaMet => "Đạt", "Met";
    SaNotMet => "Không đạt", "Not met";
    SaNotPassFail => "{} không phải kết quả tự đánh giá của tiêu chí {} (đạt/không đạt); hãy dùng Đạt, Không đạt, x, ✓ hoặc ✗", "{} is not a self-assessment of the pass/fail criterion {}; use Đạt, Không đạt, x, ✓ or ✗";
    SaNotPoints => "{} không phải số điểm; tiêu chí {} chấm điểm từ 0 đến {}, viết như 8,5 hoặc 8.5", "{} is not a number of points; criterion {} is scored from 0 to {}, written like 8,5 or 8.5";
    SaAboveMax => "{} vượt quá điểm tối đa {} của tiêu chí {}", "{} is above the maximum {} of criterion {}";
    SaOffStep => "{} không phải bội số của bước điểm {} của tiêu chí {}", "{} is not a multiple of the step {} of criterion {}";
    SaNotForSubject => "tiêu chí {} không áp dụng cho {}; tiêu chí của đối tượng này: {}", "criterion {} does not apply to {}; its criteria are: {}";
    SaDuplicate => "{} đã tự đánh giá tiêu chí {} ở {}; mỗi cặp đối tượng, tiêu chí chỉ một lần", "{} already assessed criterion {} on {}; each subject and criterion may appear only once";
    SaDuplicateSubject => "{} đã có ở {}; mỗi đối tượng chỉ một dòng", "{} is already on {}; each subject has one row";
    SaCriterionEmpty => "tiêu chí bị trống; hãy ghi mã hoặc tên ngắn của tiêu chí: {}", "the criterion is empty; give a criterion's id or short title: {}";
    SaCriterionUnknown => "không có tiêu chí {}; các tiêu chí của phong trào: {}", "there is no criterion {}; the campaign's criteria are: {}";
    // The rules of an initiative decision (domain::decision_problems), for every caller.
    DecRecognitionMissing => "sáng kiến được công nhận nhưng thiếu cơ quan, số quyết định, ngày và phạm vi công nhận", "the initiative is recognized but has no authority, decision, date and scope";
    DecRecognitionNotRecognized => "sáng kiến có trạng thái {} nhưng lại có thông tin công nhận; chỉ sáng kiến được công nhận mới có", "the initiative's status is {} but it has a recognition; only a recognized initiative has one";
    DecAuthorityMissing => "thiếu cơ quan công nhận; sáng kiến được công nhận cần trường này", "the recognizing authority is missing; a recognized initiative needs it";
    DecNumberMissing => "thiếu số quyết định; sáng kiến được công nhận cần số quyết định", "the decision number is missing; a recognized initiative needs one";
    DecBeforeSubmission => "ngày quyết định {} trước ngày nộp {}", "the decision date {} is before the submission date {}";
    DecInFuture => "ngày quyết định {} chưa đến (hôm nay là {})", "the decision date {} is in the future (today is {})";
    // The whole description of a criterion (key d).
    CmdDescribe => "đọc cả mô tả tiêu chí", "read the whole description";
    ScopeDescription => "mô tả tiêu chí", "criterion description";
    DescriptionAreas => "Các lĩnh vực:", "Areas:";
    DescriptionPosition => "dòng {}–{}/{}", "lines {}–{} of {}";
    // A conflict that would delete the other reviewer's note; a lock that arrives while typing.
    ConflictLostNote => "k xóa ghi chú của {}: «{}»", "k deletes {}'s note: “{}”";
    LockedWhileTyping => "{} vừa bị khóa: nội dung bạn đang gõ vẫn được giữ ở đây; lưu được khi mở khóa (Esc: bỏ).", "{} was just locked: the text you are typing is kept here; save it once unlocked (Esc: discard).";
    UnlockedWhileTyping => "Đã mở khóa {}: có thể lưu nội dung bạn đã gõ.", "{} unlocked: you can save the text you typed.";
    // Commands over SSH (`ssh -p PORT host status`).
    RemoteRefused => "lệnh bị từ chối: «{}»; qua SSH chỉ chạy được: status, log [--subject MÃ], export --format json|csv|xlsx|docx", "command refused: “{}”; over SSH only these run: status, log [--subject ID], export --format json|csv|xlsx|docx";
    RemoteNoSubject => "không có đối tượng mã «{}»", "no subject with id “{}”";
    RemoteNoChanges => "Chưa có thay đổi nào.", "No changes yet.";
    RemoteBusy => "máy chủ đang chạy lệnh khác; thử lại sau giây lát", "the server is running other commands; try again in a moment";
    RemoteExportRole => "chỉ chủ tịch hội đồng và người xem được xuất tệp; vai trò của bạn là người đánh giá", "only the chair and viewers may export; your role is reviewer";
    RemoteExportIncomplete => "chưa xuất: việc đánh giá chưa xong. Thêm --allow-incomplete để vẫn xuất (tệp sẽ ghi rõ là chưa đầy đủ).", "not exported: the review is not finished. Add --allow-incomplete to export anyway (the file says it is incomplete).";
}

/// The text of `key` in `lang`.
pub fn tr(lang: Lang, key: Key) -> &'static str {
    let (vi, en) = entry(key);
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The text of `key` with each `{}` replaced by the next argument.
pub fn fill(lang: Lang, key: Key, args: &[&str]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut rest = tr(lang, key);
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// A message in `lang`.
pub fn word(lang: Lang, message: &crate::msg::Message) -> String {
    let args: Vec<&str> = message.args.iter().map(String::as_str).collect();
    fill(lang, message.key, &args)
}

/// The catalogue entry and arguments that word a broken decision rule; the console, the
/// importer and `verify` all word it this way.
pub fn decision_problem(p: &crate::domain::DecisionProblem) -> (Key, Vec<String>) {
    use crate::domain::{DecisionProblem as P, format_date};
    match p {
        P::RecognitionMissing => (Key::DecRecognitionMissing, vec![]),
        P::RecognitionNotRecognized { status } => (
            Key::DecRecognitionNotRecognized,
            vec![status.code().to_string()],
        ),
        P::AuthorityMissing => (Key::DecAuthorityMissing, vec![]),
        P::DecisionNumberMissing => (Key::DecNumberMissing, vec![]),
        P::DecidedBeforeSubmission {
            decided_on,
            submitted_on,
        } => (
            Key::DecBeforeSubmission,
            vec![format_date(*decided_on), format_date(*submitted_on)],
        ),
        P::DecidedInFuture { decided_on, today } => (
            Key::DecInFuture,
            vec![format_date(*decided_on), format_date(*today)],
        ),
    }
}

/// A broken decision rule in `lang`.
pub fn decision_problem_text(lang: Lang, p: &crate::domain::DecisionProblem) -> String {
    let (key, args) = decision_problem(p);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    fill(lang, key, &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_with_matching_slots() {
        let mut missing = Vec::new();
        for key in Key::ALL {
            let (vi, en) = entry(*key);
            if vi.trim().is_empty() {
                missing.push(format!("{key:?}: vi"));
            }
            if en.trim().is_empty() {
                missing.push(format!("{key:?}: en"));
            }
            if vi.matches("{}").count() != en.matches("{}").count() {
                missing.push(format!("{key:?}: `{{}}` slots differ"));
            }
        }
        assert!(missing.is_empty(), "catalogue gaps: {missing:?}");
    }

    #[test]
    fn fill_replaces_slots_in_order() {
        assert_eq!(
            fill(Lang::En, Key::SavedAt, &["01/02/2021 10:00"]),
            "saved 01/02/2021 10:00"
        );
        assert_eq!(
            fill(Lang::Vi, Key::ScorePrompt, &["10", "7"]),
            "Điểm (0–10): 7"
        );
    }
}
