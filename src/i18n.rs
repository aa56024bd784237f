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
    StoreDamaged => "Dữ liệu trong {} bị hỏng ({}). Đừng sửa tay thư mục này. Hãy khôi phục bản sao lưu mới nhất trong {}: thidua restore TỆP --db THƯ_MỤC_MỚI, hoặc dựng lại từ nhật ký thay đổi: thidua restore --from-journal {} --db THƯ_MỤC_MỚI; rồi chạy thidua verify --db THƯ_MỤC_MỚI.",
        "The data in {} is damaged ({}). Do not edit that folder by hand. Restore the newest backup in {}: thidua restore FILE --db NEW_FOLDER, or rebuild it from its change journal: thidua restore --from-journal {} --db NEW_FOLDER; then run thidua verify --db NEW_FOLDER.";
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
    StoreSledMissing => "Thư mục {} thiếu tệp của cơ sở dữ liệu ({}), nhưng còn nhật ký thay đổi: chưa mở và chưa tạo gì. Đừng tạo lại tệp bằng tay. Hãy dựng lại từ nhật ký: thidua restore --from-journal {} --db THƯ_MỤC_MỚI, rồi chạy thidua verify --db THƯ_MỤC_MỚI.",
        "The database files in {} are missing ({}), but its change journal is there: nothing was opened or created. Do not recreate the files by hand. Rebuild the database from its journal: thidua restore --from-journal {} --db NEW_FOLDER, then run thidua verify --db NEW_FOLDER.";
    StoreSledMissingNoJournal => "Thư mục {} thiếu tệp của cơ sở dữ liệu ({}) và không có nhật ký thay đổi: chưa mở và chưa tạo gì. Hãy khôi phục bản sao lưu mới nhất trong {}: thidua restore TỆP --db THƯ_MỤC_MỚI.",
        "The database files in {} are missing ({}) and there is no change journal: nothing was opened or created. Restore the newest backup in {}: thidua restore FILE --db NEW_FOLDER.";
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
    // a backup that did not read back whole once written: not put in place, nothing retired
    BackupNotReadBack => "Bản sao lưu vừa ghi cho {} không đọc lại được nguyên vẹn ({}), nên đã bị xoá và không được đặt vào chỗ. Không đoạn nhật ký nào bị chuyển đi: mọi quyết định vẫn còn nguyên trong cơ sở dữ liệu. Hãy kiểm tra ổ đĩa chứa tệp (dung lượng trống, lỗi hệ thống báo) rồi sao lưu lại (thidua backup TỆP).",
        "The backup written for {} did not read back whole ({}), so it was deleted and not put in place. No journal segment was retired: every decision is still in the database. Check the disk that holds it (free space, errors the system reports), then make the backup again (thidua backup FILE).";
    BackupNotReadBackLeft => "Bản sao lưu vừa ghi cho {} không đọc lại được nguyên vẹn ({}) và không được đặt vào chỗ, nhưng không xoá được tệp tạm {} ({}): hãy tự xoá tệp đó, nó không dùng được để khôi phục. Không đoạn nhật ký nào bị chuyển đi: mọi quyết định vẫn còn nguyên trong cơ sở dữ liệu. Hãy kiểm tra ổ đĩa chứa tệp (dung lượng trống, lỗi hệ thống báo) rồi sao lưu lại (thidua backup TỆP).",
        "The backup written for {} did not read back whole ({}) and was not put in place, but its temporary file {} could not be deleted ({}): delete it by hand, it is not a usable backup. No journal segment was retired: every decision is still in the database. Check the disk that holds it (free space, errors the system reports), then make the backup again (thidua backup FILE).";
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
    // import: office forms as written
    ImportNumberRow => "Bỏ qua dòng đánh số cột {}", "Skipped the column-number row {}";
    ImportIgnoredRow => "Bỏ qua 1 dòng dưới bảng (sau dòng trống):", "Ignored 1 row below the table (after the empty row):";
    CampTierWordTwice => "từ {} đã chỉ cấp {}; mỗi từ chỉ được chỉ một cấp", "the word {} already names tier {}; a word may name one tier only";
    ImpNoSuchFile => "không đọc được tệp: tệp không tồn tại; hãy kiểm tra tên và thư mục của tệp", "cannot read the file: it does not exist; check its name and folder";
    ImpOwnerAmbiguous => "tên {} không rõ là ai: {} đối tượng mang tên này: {}; hãy ghi mã của đơn vị", "the name {} is ambiguous: {} subjects have it: {}; give the owner's id instead";
    ImpOwnerNoName => "không đối tượng nào có mã hay tên {}; hãy nhập danh sách đối tượng trước, hoặc sửa ô này", "no subject has the id or the name {}; import the roster first, or fix the cell";
    FieldId => "Mã", "id";
    FieldName => "Tên", "name";
    FieldTier => "Cấp", "tier";
    FieldParent => "Trực thuộc", "parent";
    FieldRegisteredOn => "Ngày đăng ký thi đua", "registered_on";
    FieldTitle => "Tên sáng kiến", "title";
    FieldOwner => "Đơn vị", "owner";
    FieldSubmittedOn => "Ngày nộp", "submitted_on";
    FieldStatus => "Trạng thái", "status";
    FieldAuthority => "Cơ quan công nhận", "authority";
    FieldDecision => "Số quyết định", "decision";
    FieldDecidedOn => "Ngày quyết định", "decided_on";
    FieldScope => "Phạm vi ảnh hưởng", "scope";
    FieldSubject => "Đối tượng", "subject";
    FieldCriterion => "Tiêu chí", "criterion";
    FieldValue => "Kết quả tự đánh giá", "value";
    FieldEvidence => "Tài liệu kiểm chứng", "evidence";
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
    ImpTopLevel => "{} ({}) là đơn vị cấp cao nhất: để trống trường Trực thuộc (đang là {})", "a {} ({}) is a top-level unit: leave parent empty (found {})";
    ImpParentEmpty => "trường parent bị trống; {} thuộc về {}: hãy ghi mã hoặc tên đơn vị đó", "the parent is empty; a {} belongs to a {}: give that unit's id or name";
    ImpOr => "{} hoặc {}", "{} or a {}";
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
    ImpStatusUnknown => "không có trạng thái {}; dùng \"Đã nộp\" (hoặc \"Chờ\"), \"Đã công nhận\" (\"Được công nhận\") hoặc \"Không được công nhận\" (mã: submitted, recognized, not_recognized)", "unknown status {}; use submitted (\"Đã nộp\", \"Chờ\"), recognized (\"Đã công nhận\", \"Được công nhận\") or not_recognized (\"Không được công nhận\")";
    ImpOnlyRecognized => "chỉ sáng kiến được công nhận mới có {}; để trống với trạng thái {}", "only a recognized initiative has a {}; leave it empty for status {}";
    ImpNeedsIt => "{}; sáng kiến được công nhận cần trường này", "{}; a recognized initiative needs it";
    ImpDecidedBefore => "{} trước ngày nộp {}", "{} is before the submission date {}";
    ImpDecisionDateEmpty => "ngày quyết định bị trống; sáng kiến được công nhận cần ngày này", "the decision date is empty; a recognized initiative needs it";
    ImpScopeUnknown => "{} không phải phạm vi; dùng co_so (cơ sở), tinh (tỉnh) hoặc toan_quoc (toàn quốc)", "{} is not a scope; use co_so (cơ sở), tinh (tỉnh) or toan_quoc (toàn quốc)";
    Joined => "{}{}", "{}{}";
    ImpTwoDigitYear => "{} có năm chỉ viết hai chữ số, không rõ là năm nào; hãy viết đủ bốn chữ số của năm, ví dụ 02/08/2021", "{} has a two-digit year, which could be more than one year; write the year with all four digits, e.g. 02/08/2021";
    // the campaign file (TOML): where in it, and what is wrong
    CampLine => "dòng {}: {}", "line {}: {}";
    CampKey => "khoá `{}`", "key `{}`";
    CampGroup => "nhóm {}", "group {}";
    CampCriterion => "tiêu chí {}", "criterion {}";
    CampTier => "cấp {}", "tier {}";
    CampAward => "[[council.award]] số {}", "[[council.award]] number {}";
    CampTomlAt => "dòng {}, cột {} ({}): nội dung TOML không hợp lệ hoặc không đúng cấu trúc của tệp phong trào (chi tiết từ bộ đọc TOML: {})", "line {}, column {} ({}): the TOML is not valid or not shaped like a campaign file (the TOML reader says: {})";
    CampToml => "nội dung TOML không hợp lệ hoặc không đúng cấu trúc của tệp phong trào (chi tiết từ bộ đọc TOML: {})", "the TOML is not valid or not shaped like a campaign file (the TOML reader says: {})";
    CampFormat => "phải là \"{}\", nhưng tệp ghi {}", "must be \"{}\", found {}";
    CampVersion => "bản thidua này đọc tệp phong trào phiên bản {}, nhưng tệp ghi {}", "this thidua reads campaign format version {}, found {}";
    CampEmpty => "không được để trống", "must not be empty";
    CampMustNotBeEmpty => "{} không được để trống", "{} must not be empty";
    CampTooLong => "dài {} ký tự, quá dài (tối đa {})", "{} characters is too long (at most {})";
    CampPeriodBackwards => "khoá `period.end` (ngày kết thúc) đứng trước `period.start` (ngày bắt đầu)", "key `period.end` is before `period.start`";
    CampListedTwice => "{} được ghi hai lần", "{} is listed twice";
    CampIdListedTwice => "có một mã được ghi hai lần", "an id is listed twice";
    CampNoCriterion => "nhóm {} không có `criterion` nào", "group {} has no `criterion`";
    CampMixedScales => "khoá `criterion.scale` trộn pass_fail với points; mỗi nhóm chỉ dùng một thang", "key `criterion.scale` mixes pass_fail and points; use one scale per group";
    CampNoTotal => "nhóm {} chấm bằng điểm nhưng không có khoá `qualifying_total`", "group {} is scored in points but has no key `qualifying_total`";
    CampTotalPointsOnly => "khoá `qualifying_total` chỉ dùng cho thang điểm", "key `qualifying_total` only applies to points scales";
    CampTotalRange => "{} phải lớn hơn 0 và không vượt quá điểm tối đa của nhóm, {}", "{} must be above 0 and at most the group's maximum, {}";
    CampCriterionNoId => "có một tiêu chí để trống `id`", "a criterion has an empty `id`";
    CampCriterionIdBad => "{} không phải từ 1 đến 16 ký tự A-Z, 0-9, _ . -", "{} is not 1 to 16 of A-Z, 0-9, _ . -";
    CampIdTwice => "mã này đã dùng hai lần", "the id is used twice";
    CampAreas => "có {} mục nhưng `areas_en` có {}", "has {} entries but `areas_en` has {}";
    CampPointsZero => "số điểm phải ít nhất là 1", "points must be at least 1";
    CampPointsOnly => "chỉ dùng cho thang điểm", "only applies to points scales";
    CampAboveZero => "phải lớn hơn 0", "must be above 0";
    CampMinNeeds => "cần `required = true` và không vượt quá {}", "needs `required = true` and at most {}";
    CampHintField => "trường {} không phải cột ngày của danh sách đối tượng (chỉ dùng được \"registered_on\")", "field {} is not a roster date column (only \"registered_on\")";
    CampNoDeadline => "không có [[deadline]] nào mang mã {}", "no [[deadline]] has id {}";
    CampNoGroup => "không có [[group]] nào mang mã {}", "no [[group]] has id {}";
    CampNoTier => "không có [[tier]] nào mang mã {}", "no [[tier]] has id {}";
    CampNoTiers => "phong trào không có [[tier]] nào", "the campaign has no [[tier]]";
    CampTierCycle => "các cấp trên tạo thành vòng quay lại {}", "the tiers' parents form a cycle back to {}";
    CampLines => "hãy ghi từ 1 đến 3 dòng, tệp có {}", "give 1 to 3 lines, found {}";
    CampAwardWhom => "hãy ghi `tiers` hoặc `groups` (đề nghị cho ai)", "give `tiers` or `groups` (whom it is proposed for)";
    CampAwardTwice => "cấp {} đã được đề nghị cho danh hiệu số {}; mỗi cấp chỉ một danh hiệu", "tier {} is already proposed for award number {}; a tier has one award";
    CampAliasUnknown => "không lần nhập nào có trường mang tên này; các khoá được chấp nhận: {}", "no import has a field of that name; the accepted keys are: {}";
    CampAliasEmpty => "tên cột thay thế {} không có chữ cái hay chữ số nên không khớp được cột nào", "the alias {} has no letter or digit, so it can match no column";
    // `thidua init`: what it was doing when a store error stopped it
    InitStoringRoster => "khi lưu danh sách đối tượng", "storing the roster";
    InitStoringInitiatives => "khi lưu các sáng kiến", "storing the initiatives";
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
    RemoteRefused => "lệnh bị từ chối: «{}»; qua SSH chỉ chạy được: status, log [--subject MÃ], export --format json|csv|xlsx|docx [--allow-incomplete] [--ref SỐ] [--ref-date DD/MM/YYYY]", "command refused: “{}”; over SSH only these run: status, log [--subject ID], export --format json|csv|xlsx|docx [--allow-incomplete] [--ref NUMBER] [--ref-date DD/MM/YYYY]";
    RemoteNoSubject => "không có đối tượng mã «{}»", "no subject with id “{}”";
    RemoteNoChanges => "Chưa có thay đổi nào.", "No changes yet.";
    RemoteBusy => "máy chủ đang chạy lệnh khác; thử lại sau giây lát", "the server is running other commands; try again in a moment";
    RemoteExportRole => "chỉ chủ tịch hội đồng và người xem được xuất tệp; vai trò của bạn là người đánh giá", "only the chair and viewers may export; your role is reviewer";
    RemoteExportIncomplete => "chưa xuất: việc đánh giá chưa xong. Thêm --allow-incomplete để vẫn xuất (tệp sẽ ghi rõ là chưa đầy đủ).", "not exported: the review is not finished. Add --allow-incomplete to export anyway (the file says it is incomplete).";
    // command line: clap's help, usage and parse errors, worded here (see cli::localize)
    CliAbout => "Xét duyệt phong trào thi đua: quyết định từng tiêu chí cho từng đơn vị và cá nhân", "Review an emulation campaign (thi đua): decide every criterion for every unit and person";
    CliLongAbout => "thidua mở bảng điều khiển bằng bàn phím để xét duyệt một phong trào thi đua.\nChạy không kèm lệnh để mở bảng trên cơ sở dữ liệu mặc định; lần chạy đầu tiên tạo cơ sở dữ liệu đó với phong trào mẫu (An Giang 2021, Kế hoạch 443/KH-UBND).", "thidua opens a keyboard console for reviewing an emulation campaign.\nRun it with no command to open the console on the default database; the first run creates that database with the sample campaign (An Giang 2021, Plan 443/KH-UBND).";
    CliInitAbout => "Tạo cơ sở dữ liệu mới từ tệp phong trào, hoặc từ bộ dữ liệu mẫu kèm theo.", "Create a new database from a campaign file, or from the bundled sample.";
    CliInitLong => "Tạo cơ sở dữ liệu mới. Không bao giờ ghi đè cơ sở dữ liệu có sẵn.\n\nVí dụ:\n  thidua init --sample\n  thidua init --campaign campaign.toml --roster roster.csv --initiatives initiatives.csv --db review.db", "Create a new database. It never overwrites an existing one.\n\nExamples:\n  thidua init --sample\n  thidua init --campaign campaign.toml --roster roster.csv --initiatives initiatives.csv --db review.db";
    CliImportAbout => "Thêm hoặc cập nhật đối tượng, sáng kiến hay kết quả tự đánh giá từ tệp CSV hoặc XLSX.", "Add or update subjects, initiatives or self-assessments from a CSV or XLSX file.";
    CliRosterAbout => "Nhập danh sách đối tượng (cột mã, tên, cấp, đơn vị cấp trên[, ngày đăng ký]). Nhập tất cả hoặc không nhập gì.", "Import subjects (columns id, name, tier, parent[, registered_on]). All or nothing.";
    CliRosterLong => "Nhập danh sách đối tượng từ tệp CSV hoặc XLSX, nhập tất cả hoặc không nhập gì.\n\nDòng tên cột có thể nằm dưới phần tiêu đề (trong 20 dòng đầu); tên cột viết bằng tiếng Việt hoặc tiếng Anh (Mã, Tên đơn vị, Cấp, Trực thuộc, Ngày đăng ký thi đua, …; xem data/README.md), cột STT và các cột khác được bỏ qua. Bảng kết thúc ở dòng trống đầu tiên. Cấp ghi theo mã hoặc tên, đơn vị cấp trên theo mã hoặc tên.\n\nVí dụ:\n  thidua import roster danh-sach.xlsx --dry-run\n  thidua import roster danh-sach.xlsx", "Import subjects (đối tượng) from a CSV or XLSX file, all or nothing.\n\nThe header may sit below a title block (first 20 rows); columns may be named in Vietnamese or English (Mã, Tên đơn vị, Cấp, Trực thuộc, Ngày đăng ký thi đua, …; see data/README.md), STT and other columns are ignored. The table ends at the first empty row. A tier may be given by id or name, a parent by id or name.\n\nExamples:\n  thidua import roster danh-sach.xlsx --dry-run\n  thidua import roster danh-sach.xlsx";
    CliInitiativesAbout => "Nhập sáng kiến (cột mã, tên, đơn vị sở hữu, ngày nộp[, trạng thái, …]). Nhập tất cả hoặc không nhập gì.", "Import initiatives (columns id, title, owner, submitted_on[, status, …]). All or nothing.";
    CliSelfAssessmentAbout => "Nhập kết quả tự đánh giá của các đơn vị: mỗi đối tượng, mỗi tiêu chí một kết quả.", "Import the units' self-assessment (tự đánh giá): a claim per subject and criterion.";
    CliSelfAssessmentLong => "Nhập kết quả tự đánh giá của từng đơn vị cho từng tiêu chí, nhập tất cả hoặc không nhập gì. Tệp ở dạng ngang (mỗi dòng một đối tượng: một cột mã hoặc tên, mỗi tiêu chí một cột đặt tên theo mã hoặc tên ngắn của tiêu chí) hoặc dạng dọc (đối tượng, tiêu chí, kết quả, cột \"Tài liệu kiểm chứng\" nếu có). Kết quả: Đạt / Không đạt / x / ✓ / ✗, hoặc số điểm như 8,5. Bảng điều khiển hiện kết quả tự đánh giá bên cạnh kết luận; xem data/README.md.\n\nVí dụ:\n  thidua import self-assessment tu-danh-gia.xlsx --dry-run\n  thidua import self-assessment tu-danh-gia.xlsx", "Import what each unit claimed for each criterion (tự đánh giá), all or nothing. Either a wide sheet (a row per subject: a column with its id or name, and a column per criterion named by its id or short title) or long rows (subject, criterion, value, optional evidence \"Tài liệu kiểm chứng\"). Values: Đạt / Không đạt / x / ✓ / ✗, or points such as 8,5. The console shows each claim beside the verdict; see data/README.md.\n\nExamples:\n  thidua import self-assessment tu-danh-gia.xlsx --dry-run\n  thidua import self-assessment tu-danh-gia.xlsx";
    CliStatusAbout => "Xem tiến độ theo từng cấp và từng nhóm tiêu chí, và số lượng theo kết quả.", "Show progress per tier and per criteria group, and counts by outcome.";
    CliBackupAbout => "Ghi bản sao lưu đầy đủ, có mã kiểm tra, của cơ sở dữ liệu ra TỆP (nhật ký thay đổi, nén gzip).", "Write a complete, checksummed backup of the database to FILE (its change journal, gzip-compressed).";
    CliBackupLong => "Ghi bản sao lưu đầy đủ của cơ sở dữ liệu ra TỆP: nhật ký thay đổi từ điểm mốc đầu tiên đang giữ đến bản ghi cuối, nén gzip, kèm mã kiểm tra SHA-256. Việc ghi vẫn tiếp tục trong lúc sao lưu. Khôi phục bằng `thidua restore TỆP --db MỚI`.", "Write a complete backup of the database to FILE: the change journal from its first kept checkpoint to its last record, gzip-compressed, with SHA-256 checksums. Commits go on while it is written. Restore it with `thidua restore FILE --db NEW`.";
    CliRestoreAbout => "Dựng cơ sở dữ liệu mới (--db MỚI) từ bản sao lưu. Không bao giờ ghi đè.", "Build a new database (--db NEW) from a backup file. Never overwrites.";
    CliRestoreLong => "Dựng cơ sở dữ liệu mới từ bản sao lưu do `thidua backup` tạo.\n\nVí dụ:\n  thidua restore backup.json --db restored.db\n\nBản sao lưu bị hỏng hoặc bị cắt cụt bị từ chối trước khi ghi bất cứ gì.", "Build a new database from a backup made by `thidua backup`.\n\nExample:\n  thidua restore backup.json --db restored.db\n\nA damaged or cut-short backup is refused before anything is written.";
    CliVerifyAbout => "Kiểm tra cơ sở dữ liệu: mọi kết luận có nhật ký, mọi tham chiếu đều trỏ đúng.", "Check the database: every verdict has its audit trail, every reference resolves.";
    CliExportAbout => "Ghi tệp kết quả cho hội đồng (JSON, CSV, XLSX) hoặc dự thảo tờ trình (DOCX).", "Write the verdict file for the council (JSON, CSV, XLSX) or the draft letter (DOCX).";
    CliExportLong => "Ghi tệp kết quả cho Hội đồng Thi đua – Khen thưởng.\nTrước hết kiểm tra mọi tiêu chí đã có kết luận và mọi 'không đạt' đều có lý do; nếu chưa, liệt kê những gì còn thiếu và không ghi gì, trừ khi có --allow-incomplete (khi đó tệp ghi rõ là chưa đầy đủ). Tệp được ghi nguyên vẹn một lần, và tệp có sẵn chỉ bị thay khi có --force.\nDOCX là dự thảo tờ trình gửi hội đồng; --ref và --ref-date cho số và ngày tờ trình, in trong tờ trình và trong dòng \"Kèm theo Tờ trình số …\" của các danh sách XLSX (để dấu chấm khi không cho).\nĐịnh dạng: docs/EXPORT.md.\n\nVí dụ:\n  thidua export --format xlsx --out ket-qua.xlsx\n  thidua export --format docx --out to-trinh.docx --ref 15 --ref-date 30/11/2026\n  thidua export --out verdicts.json --allow-incomplete", "Write the verdict file for the council (Hội đồng Thi đua – Khen thưởng).\nFirst checks that every criterion is decided and every 'not met' has a reason; if not, lists what is missing and writes nothing, unless --allow-incomplete is given (the file then says it is incomplete). The file is written atomically and an existing file is replaced only with --force.\nDOCX is the draft submission letter (tờ trình) to the council; --ref and --ref-date give its number and date, printed in the letter and in the XLSX lists' \"Kèm theo Tờ trình số …\" (dotted blanks when not given).\nFormats: docs/EXPORT.md.\n\nExamples:\n  thidua export --format xlsx --out ket-qua.xlsx\n  thidua export --format docx --out to-trinh.docx --ref 15 --ref-date 30/11/2026\n  thidua export --out verdicts.json --allow-incomplete";
    CliLogAbout => "Xem nhật ký thay đổi: ai đổi gì, lúc nào, từ gì sang gì.", "Show the audit trail: who changed what, when, from what to what.";
    CliLogLong => "Xem nhật ký thay đổi: số thứ tự, thời điểm (giờ Việt Nam), người đánh giá, loại thay đổi và nội dung thay đổi.\n\nVí dụ:\n  thidua log\n  thidua log --subject SNV --lang en", "Show the audit trail (nhật ký): number, time (Vietnam time), reviewer, kind of change and what changed.\n\nExamples:\n  thidua log\n  thidua log --subject SNV --lang en";
    CliServeAbout => "Phục vụ bảng điều khiển qua SSH: người đánh giá kết nối bằng `ssh -p CỔNG máy`.", "Serve the console over SSH: reviewers connect with `ssh -p PORT host`.";
    CliServeLong => "Chạy thidua như một máy chủ SSH riêng. Tiến trình này giữ cơ sở dữ liệu; mỗi người đánh giá có tên trong tệp người đánh giá kết nối bằng khoá của mình và có bảng điều khiển riêng. Chỉ nhận khoá công khai, và chỉ cung cấp bảng điều khiển (không có shell, không chạy lệnh, không truyền tệp, không chuyển tiếp).\n\nVí dụ:\n  thidua serve --db review.db --listen 0.0.0.0:2222 --reviewers reviewers.toml", "Run thidua as its own SSH server. This process owns the database; each reviewer listed in the reviewers file connects with their own key and gets their own console. Only public keys are accepted, and only the console is offered (no shell, no commands, no file transfer, no forwarding).\n\nExample:\n  thidua serve --db review.db --listen 0.0.0.0:2222 --reviewers reviewers.toml";
    CliHelpAbout => "In hướng dẫn này hoặc hướng dẫn của (các) lệnh đã cho", "Print this message or the help of the given subcommand(s)";
    CliArgHelpCommand => "In hướng dẫn của (các) lệnh đã cho", "Print help for the subcommand(s)";
    CliArgHelp => "In hướng dẫn", "Print help";
    CliArgHelpMore => "In hướng dẫn (xem đầy đủ với '--help')", "Print help (see more with '--help')";
    CliArgHelpSummary => "In hướng dẫn (xem tóm tắt với '-h')", "Print help (see a summary with '-h')";
    CliArgVersion => "In số phiên bản", "Print version";
    CliArgDb => "Thư mục cơ sở dữ liệu. Mặc định: $THIDUA_DB, nếu không thì thidua.db trong thư mục dữ liệu của bạn.", "The database folder. Default: $THIDUA_DB, else thidua.db in your data folder.";
    CliArgReviewer => "Tên của bạn với tư cách người đánh giá, ghi kèm mọi quyết định. Mặc định: tên đăng nhập của bạn.", "Your name as a reviewer, recorded on every decision. Default: your login name.";
    CliArgLang => "Ngôn ngữ của bảng điều khiển và các thông báo: vi (tiếng Việt) hoặc en (tiếng Anh). Mặc định: en nếu LANG bắt đầu bằng \"en\", nếu không thì vi.", "Language of the console and messages: vi (Vietnamese) or en (English). Default: en if LANG starts with \"en\", else vi.";
    CliArgSample => "Dùng phong trào, danh sách đối tượng và sáng kiến mẫu kèm theo.", "Use the bundled sample campaign, roster and initiatives.";
    CliArgCampaign => "Tệp phong trào (TOML).", "The campaign file (TOML).";
    CliArgRoster => "Danh sách đối tượng: mã, tên, cấp, đơn vị cấp trên[, ngày đăng ký] (CSV hoặc XLSX).", "The roster: subjects with id, name, tier, parent[, registered_on] (CSV or XLSX).";
    CliArgInitiatives => "Sáng kiến: mã, tên, đơn vị sở hữu, ngày nộp[, trạng thái, cơ quan, quyết định, ngày quyết định, phạm vi].", "Initiatives with id, title, owner, submitted_on[, status, authority, decision, decided_on, scope].";
    RestoreRefused => "bản sao lưu {} không qua được kiểm tra nên không khôi phục gì vào {}: {}", "the backup {} failed its check, so nothing was restored into {}: {}";
    RebuildRefused => "cơ sở dữ liệu dựng lại từ nhật ký thay đổi của {} không qua được kiểm tra nên không có gì ở {}: {}", "the database rebuilt from the change journal of {} failed its check, so nothing was made at {}: {}";
    RestoreDone => "Đã khôi phục {} đối tượng, {} kết quả, {} sự kiện nhật ký vào {}.", "Restored {} subjects, {} verdicts and {} audit events into {}.";
    RebuildDone => "Đã dựng lại {} từ nhật ký thay đổi của {}: {} đối tượng, {} kết quả, {} sáng kiến, {} sự kiện nhật ký; bản ghi cuối {}, SHA-256 {}. Không phát hiện lỗi.", "Rebuilt {} from the change journal of {}: {} subjects, {} verdicts, {} initiatives, {} audit events; last record {}, SHA-256 {}. No problems found.";
    CliArgRestoreFromJournal => "Dựng lại từ nhật ký thay đổi của cơ sở dữ liệu ở OLD thay vì từ bản sao lưu, khi các tệp sled của nó không mở được hoặc bị hỏng (OLD chỉ được đọc).", "Rebuild from the change journal of the database at OLD instead of a backup, when its sled files cannot be opened or are damaged (OLD is only read).";
    CliArgLogJournal => "Liệt kê các bản ghi của nhật ký thay đổi: số, thời gian, người đánh giá, cách họ vào (dấu vân tay SHA256 của khóa SSH, hoặc local:TÊN_ĐĂNG_NHẬP) và các sự kiện mỗi bản ghi mang.", "List the change journal's records instead: number, time, reviewer, how they came in (the SSH key's SHA256 fingerprint, or local:LOGIN) and the audit events each carries.";
    CliAssignAbout => "Phân công đối tượng cho một người đánh giá (theo cấp, theo đơn vị cấp trên, hoặc theo tệp danh sách), hoặc bỏ phân công.", "Assign subjects to a reviewer (by tier, by parent, or by a list file), or clear them.";
    CliAssignLong => "Phân công đối tượng cho một người đánh giá: mọi đối tượng của một cấp, một đơn vị cùng mọi đơn vị trực thuộc, hoặc các mã trong một tệp (mỗi dòng một mã, hoặc CSV có mã ở cột đầu; dòng tiêu đề được bỏ qua). Mỗi đối tượng có một người đánh giá; phân công lại thì chuyển sang người mới. Trong bảng, phím `]` của người đánh giá đi qua phần được giao trước, và dòng trạng thái cho biết còn lại bao nhiêu. Khi thidua serve đang chạy, máy chủ thực hiện thay đổi.\n\nVí dụ:\n  thidua assign nguyen.van.an --tier district_committee\n  thidua assign tran.thi.binh --parent H01 --dry-run\n  thidua assign le.van.cuong --file phan-cong.csv\n  thidua assign --clear --parent H01\n  thidua assign --clear nguyen.van.an", "Assign subjects to a reviewer (phân công): every subject of a tier, a unit and everything under it, or the ids in a file (one per line, or a CSV with the id in its first column; a header line is skipped). A subject has one reviewer; assigning it again moves it. The reviewer's `]` in the console walks their own assignment first, and their status line shows what is left. While thidua serve runs, the server carries the change out.\n\nExamples:\n  thidua assign nguyen.van.an --tier district_committee\n  thidua assign tran.thi.binh --parent H01 --dry-run\n  thidua assign le.van.cuong --file phan-cong.csv\n  thidua assign --clear --parent H01\n  thidua assign --clear nguyen.van.an";
    CliArgAssignReviewer => "Người đánh giá (như tên trong tệp người đánh giá). Với --clear và không gì khác: bỏ mọi phân công của người đó.", "The reviewer (as named in the reviewers file). With --clear and nothing else: clear everything assigned to them.";
    CliArgAssignTier => "Mọi đối tượng của cấp này (mã cấp).", "Every subject of this tier (its id).";
    CliArgAssignParent => "Đơn vị này và mọi đơn vị trực thuộc (mã đơn vị).", "This subject and everything under it (its id).";
    CliArgAssignFile => "Các đối tượng có mã trong tệp (mỗi dòng một mã, hoặc CSV có mã ở cột đầu).", "The subjects whose ids the file lists (one per line, or CSV with the id first).";
    CliArgAssignClear => "Bỏ phân công của các đối tượng được chọn.", "Clear the selected subjects' assignment instead.";
    CliArgAssignDryRun => "Cho xem sẽ thay đổi gì mà không ghi gì.", "Show what would change and write nothing.";
    CliArgBackupFile => "Nơi ghi bản sao lưu.", "Where to write the backup.";
    CliArgBackupForce => "Thay TỆP nếu đã có (không bao giờ thay một tệp nằm trong thư mục cơ sở dữ liệu).", "Replace FILE if it already exists (never a file inside a database folder).";
    VerifyRetiredChained => "Các đoạn nhật ký đã chuyển vào {}: {} đoạn, bản ghi {} đến {}, nối liền vào nhật ký đang giữ.", "Retired journal segments in {}: {} segment(s), records {} to {}, chained to the kept journal.";
    VerifyRetiredDamaged => "các đoạn nhật ký đã chuyển vào {} không nối liền vào nhật ký đang giữ: {}", "the retired journal segments in {} do not chain to the kept journal: {}";
    CliArgRestoreFile => "Tệp sao lưu.", "The backup file.";
    CliArgFormat => "Định dạng tệp. Mặc định: theo đuôi của tệp --out.", "File format. Default: from the --out file's extension.";
    CliArgOut => "Tệp sẽ ghi (tệp có sẵn chỉ bị thay khi có --force).", "The file to write (an existing file is replaced only with --force).";
    CliArgAllowIncomplete => "Vẫn ghi dù còn tiêu chí chưa có kết luận hoặc thiếu lý do; tệp ghi rõ điều đó.", "Write even if some criteria are undecided or lack a reason; the file says so.";
    CliArgExportForce => "Thay tệp --out nếu đã có (không bao giờ thay một tệp nằm trong thư mục cơ sở dữ liệu).", "Replace the --out file if it already exists (never a file inside a database folder).";
    CliArgRef => "Số tờ trình, ví dụ 15 hoặc 15/TTr-HĐTĐKT (XLSX và DOCX).", "The submission letter's number, e.g. 15 or 15/TTr-HĐTĐKT (XLSX and DOCX).";
    CliArgRefDate => "Ngày tờ trình, DD/MM/YYYY hoặc YYYY-MM-DD (XLSX và DOCX).", "The submission letter's date, DD/MM/YYYY or YYYY-MM-DD (XLSX and DOCX).";
    CliArgSubject => "Chỉ những thay đổi về đối tượng này (mã trong danh sách, ví dụ SNV hoặc CB0001).", "Only the changes about this subject (its roster id, e.g. SNV or CB0001).";
    CliArgListen => "Địa chỉ và cổng để nghe, ví dụ 0.0.0.0:2222 (cổng 0 chọn một cổng còn trống).", "The address and port to listen on, e.g. 0.0.0.0:2222 (port 0 picks a free one).";
    CliArgReviewers => "Ai được kết nối: các mục [[reviewer]] có name, role, keys (xem docs/SSH.md).", "Who may connect: [[reviewer]] entries with name, role, keys (see docs/SSH.md).";
    CliArgHostKey => "Khoá máy chủ; được tạo ở lần chạy đầu. Mặc định: <db>.host_key bên cạnh cơ sở dữ liệu.", "The server's host key; made on first start. Default: <db>.host_key beside the database.";
    CliArgServeLog => "Tệp nhật ký máy chủ (kết nối, đăng nhập, từ chối). Mặc định: <db>.serve.log bên cạnh cơ sở dữ liệu.", "The log file (connections, logins, refusals). Default: <db>.serve.log beside the database.";
    CliArgLoginGrace => "Số giây từ lúc kết nối tới lúc đăng nhập; quá thời gian đó kết nối bị đóng (1 đến 600).", "Seconds from connecting to logging in; then the connection is closed (1 to 600).";
    CliArgMaxStartups => "Ngẫu nhiên ngắt sớm các kết nối chưa đăng nhập, như MaxStartups của OpenSSH: khi đã có START kết nối chờ, ngắt RATE % kết nối mới, tăng dần tới ngắt hết khi có FULL.", "Random early drop of connections not logged in yet, as OpenSSH's MaxStartups: from START waiting, drop RATE % of new ones, rising to all at FULL.";
    CliArgPerSourceMaxStartups => "Số kết nối chưa đăng nhập tối đa từ một địa chỉ (1 đến 1000).", "Connections not logged in yet from one address, at most (1 to 1000).";
    CliArgPerSourceRate => "Số kết nối mới được trả lời mỗi giây từ một địa chỉ, gấp đôi số đó cùng lúc (1 đến 1000).", "New connections answered per second from one address, twice as many at once (1 to 1000).";
    CliArgMaxConsolesPerKey => "Số bảng điều khiển mở cùng lúc với một khoá (1 đến 1000).", "Consoles open at once with one key (1 to 1000).";
    CliArgImportFile => "Tệp .csv (UTF-8, phân cách bằng , ; hoặc tab) hoặc .xlsx (trang tính đầu tiên đang hiện).", "A .csv (UTF-8, separator , ; or tab) or .xlsx file (first visible sheet).";
    CliArgDryRun => "Cho xem lần nhập sẽ làm gì (dòng mới, trường thay đổi, dòng bỏ qua) mà không ghi gì.", "Show what the import would do (new rows, changed fields, ignored rows) and write nothing.";
    CliArgClearEmpty => "Cho ô trống xoá giá trị đã lưu (mặc định giá trị đã lưu được giữ).", "Let an empty cell clear the stored value (by default the stored value is kept).";
    CliArgSheet => "Trang tính XLSX cần đọc (mặc định: trang tính đầu tiên đang hiện).", "The XLSX sheet to read (default: the first visible one).";
    CliUsage => "Cách dùng", "Usage";
    CliHeadingArgs => "Đối số", "Arguments";
    CliHeadingOptions => "Tùy chọn", "Options";
    CliHeadingCommands => "Lệnh", "Commands";
    CliOptionsTag => "[TÙY_CHỌN]", "[OPTIONS]";
    CliCommandValue => "LỆNH", "COMMAND";
    CliDefault => "[mặc định: {}]", "[default: {}]";
    CliEnv => "[biến môi trường: {}]", "[env: {}]";
    CliPossible => "[giá trị: {}]", "[possible values: {}]";
    CliValFile => "TỆP", "FILE";
    CliValPath => "ĐƯỜNG_DẪN", "PATH";
    CliValName => "TÊN", "NAME";
    CliValDate => "NGÀY", "DATE";
    CliValNumber => "SỐ", "NUMBER";
    CliValId => "MÃ", "ID";
    CliValAddr => "ĐỊA_CHỈ:CỔNG", "ADDR:PORT";
    CliValSeconds => "GIÂY", "SECONDS";
    CliValLang => "NGÔN_NGỮ", "LANG";
    CliValFormat => "ĐỊNH_DẠNG", "FORMAT";
    CliUnknownArgument => "không có tùy chọn {}", "unexpected argument {} found";
    CliDidYouMean => "ý bạn là {}?", "did you mean {}?";
    CliAsValue => "để dùng {} làm giá trị, hãy viết '-- {}'", "to pass {} as a value, use '-- {}'";
    CliInvalidValue => "giá trị {} không hợp lệ cho {}", "invalid value {} for {}";
    CliPossibleValues => "các giá trị dùng được: {}", "possible values: {}";
    CliBadValue => "giá trị {} không hợp lệ cho {}: {}", "invalid value {} for {}: {}";
    CliInvalidSubcommand => "không có lệnh {}", "unrecognized subcommand {}";
    CliSubcommandsAre => "các lệnh: {}", "the commands are: {}";
    CliNoEquals => "{} cần giá trị viết liền sau dấu bằng, ví dụ {}=…", "{} needs its value after an equals sign, e.g. {}=…";
    CliTooManyValues => "thừa giá trị {} cho {}", "unexpected value {} for {}";
    CliWrongCount => "{} cần {} giá trị nhưng có {}", "{} takes {} values but {} were given";
    CliConflict => "{} không dùng cùng được với {}", "{} cannot be used with {}";
    CliUsedTwice => "{} chỉ được cho một lần", "{} cannot be used more than once";
    CliMissing => "thiếu đối số bắt buộc: {}", "the following required arguments were not provided: {}";
    CliMissingCommand => "{} cần một lệnh: {}", "{} needs a subcommand: {}";
    CliInvalidUtf8 => "một đối số không phải văn bản UTF-8 hợp lệ", "an argument is not valid UTF-8 text";
    CliInvalidLine => "dòng lệnh không hợp lệ", "invalid command line";
    CliValueRequired => "{} cần một giá trị", "a value is required for {}";
    CliTryHelp => "Xem hướng dẫn: {} --help", "For more information, try '{} --help'.";
    CliNotDate => "{} không phải là ngày; hãy viết DD/MM/YYYY, ví dụ 30/11/2026", "{} is not a date; write it as DD/MM/YYYY, e.g. 30/11/2026";
    CliNotWhole => "{} không phải số nguyên; hãy cho một số từ {} đến {}", "{} is not a whole number; give a number from {} to {}";
    CliOutOfRange => "{} nằm ngoài khoảng cho phép: từ {} đến {}", "{} is out of range: from {} to {}";
    CliNotMaxStartups => "{} không đúng dạng START:RATE:FULL (ví dụ 10:30:60: khi có 10 kết nối chờ đăng nhập, ngắt 30 % kết nối mới, tăng dần tới ngắt hết khi có 60); START từ 1 và không quá FULL, RATE là phần trăm (0 đến 100), FULL tối đa 100000", "{} is not START:RATE:FULL (e.g. 10:30:60: from 10 connections waiting to log in, drop 30 % of new ones, rising to all of them at 60); START at least 1 and at most FULL, RATE a percentage (0 to 100), FULL at most 100000";
    // command line: what the commands themselves say when they cannot go on
    CliRestoreNeedsDb => "hãy cho nơi dựng cơ sở dữ liệu khôi phục: thidua restore TỆP --db MỚI", "say where to build the restored database: thidua restore FILE --db NEW";
    CliBackupUnreadable => "{}: không đọc được bản sao lưu: {}", "{}: cannot read the backup: {}";
    CliBackupMalformed => "{}: không phải bản sao lưu thidua, hoặc bị hỏng hay bị cắt cụt ({})", "{}: not a thidua backup, or damaged/truncated ({})";
    CliBackupChecksum => "{}: mã kiểm tra không khớp: bản sao lưu bị hỏng và không được dùng", "{}: the checksum does not match: the backup is damaged and was not used";
    CliBackupInconsistent => "{}: bản sao lưu không nhất quán ({})", "{}: the backup is inconsistent ({})";
    CliNeedsTerminal => "bảng điều khiển cần một cửa sổ dòng lệnh (nó được chạy với đầu vào hoặc đầu ra bị chuyển hướng); hãy chạy trong cửa sổ dòng lệnh hoặc qua ssh, hoặc dùng `thidua status` để xem tóm tắt", "the review console needs a terminal (it was started with its input or output redirected); run it in a terminal or over ssh, or use `thidua status` for a summary";
    CliVerifyProblems => "phát hiện {} lỗi trong {}", "{} problem(s) found in {}";
    CliNoHome => "không tìm thấy thư mục nhà của bạn để giữ cơ sở dữ liệu; hãy cho một thư mục bằng --db ĐƯỜNG_DẪN hoặc biến môi trường THIDUA_DB", "cannot find your home folder to keep the database in; give one with --db PATH or the THIDUA_DB environment variable";
    CliNotRemoved => "thidua: không xoá được cơ sở dữ liệu dở dang {}: {}; hãy xoá nó bằng tay", "thidua: could not remove the unfinished database {}: {}; delete it by hand";
    CliNoCheckReport => "thidua đang giữ cơ sở dữ liệu không gửi về kết quả kiểm tra; hãy thử lại", "the thidua holding the database sent no check report; try again";
    CliRestoreNeedsSource => "hãy cho TỆP sao lưu, hoặc --from-journal CŨ: thidua restore TỆP --db MỚI", "give the backup FILE, or --from-journal OLD: thidua restore FILE --db NEW";
    ServeNoReviewer => "--reviewer không dùng được với serve: người đánh giá của mỗi bảng điều khiển là người có khoá đã đăng nhập (xem tệp người đánh giá)", "--reviewer does not apply to serve: each console's reviewer is the one whose key logged in (see the reviewers file)";
    ServeNoLang => "--lang không dùng được với serve: ngôn ngữ của mỗi bảng điều khiển lấy từ tệp người đánh giá (lang của người đánh giá, nếu không thì lang trong [server]) hoặc LANG của máy khách", "--lang does not apply to serve: a console's language comes from the reviewers file (lang of the reviewer, else [server] lang) or the client's LANG";
    RevCannotRead => "không đọc được tệp người đánh giá: {}", "cannot read the reviewers file: {}";
    RevAt => "dòng {}, khoá `{}`: {}", "line {}, key `{}`: {}";
    RevTomlAt => "dòng {}, cột {} ({}): nội dung TOML không hợp lệ hoặc không đúng cấu trúc của tệp người đánh giá (chi tiết từ bộ đọc TOML: {})", "line {}, column {} ({}): the TOML is not valid or not shaped like a reviewers file (the TOML reader says: {})";
    RevToml => "nội dung TOML không hợp lệ hoặc không đúng cấu trúc của tệp người đánh giá (chi tiết từ bộ đọc TOML: {})", "the TOML is not valid or not shaped like a reviewers file (the TOML reader says: {})";
    RevIdleTimeout => "phải là số phút từ 1 đến 10080 (một tuần)", "must be a number of minutes from 1 to 10080 (a week)";
    RevMaxSessions => "phải là một số từ 1 đến 1000", "must be a number from 1 to 1000";
    RevLang => "phải là \"vi\" hoặc \"en\" (tệp ghi {})", "must be \"vi\" or \"en\" (found {})";
    RevInvisible => "tên có một ký tự vô hình U+{} (ký tự thứ {} của tên); hãy gõ lại tên không có ký tự đó, vì nó sẽ biến cùng một tên nhìn thấy thành một người khác", "the name holds an invisible character U+{} (character {} of the name); type the name again without it, since it would make a different person of the same visible name";
    RevNoName => "người đánh giá cần có tên (tên được ghi trên mọi quyết định)", "a reviewer needs a name (it is recorded on every decision)";
    RevNamedTwice => "{} có tên hai lần; mỗi người chỉ một mục [[reviewer]]", "{} is named twice; give each person one [[reviewer]] entry";
    RevRole => "phải là \"reviewer\", \"chair\" hoặc \"viewer\" (tệp ghi {})", "must be \"reviewer\", \"chair\" or \"viewer\" (found {})";
    RevNoKey => "{} chưa có khoá: hãy thêm khoá công khai OpenSSH của người này (một dòng của ~/.ssh/id_ed25519.pub)", "{} has no key: add their OpenSSH public key (one line of ~/.ssh/id_ed25519.pub)";
    RevWhose => "{}: {}", "{}: {}";
    RevKeyOptions => "không hỗ trợ các tuỳ chọn của authorized_keys ở đây (có: {}); máy chủ sẽ không thực thi chúng, nên hãy bỏ chúng và chỉ giữ khoá, ví dụ \"ssh-ed25519 AAAAC3… ten@may\"", "authorized_keys options are not supported here (found: {}); the server would not enforce them, so remove them and keep only the key, e.g. \"ssh-ed25519 AAAAC3… name@pc\"";
    RevNotKey => "không phải khoá công khai OpenSSH ({}); hãy dán một dòng như trong authorized_keys, ví dụ \"ssh-ed25519 AAAAC3… ten@may\"", "not an OpenSSH public key ({}); paste one line as in authorized_keys, e.g. \"ssh-ed25519 AAAAC3… name@pc\"";
    RevKeyTaken => "khoá này đã là của {}; mỗi khoá chỉ xác định một người", "this key is already {}'s; each key identifies one person";
    RevNoReviewer => "không có mục [[reviewer]] nào: không ai kết nối được", "no [[reviewer]] entry: nobody could connect";
    RevNotReloaded => "tệp người đánh giá không được đọc lại, danh sách cũ vẫn dùng: {}", "reviewers file not reloaded, the previous list stays: {}";
    SrvRuntime => "không khởi động được bộ chạy mạng", "could not start the network runtime";
    SrvCannotListen => "không lắng nghe được trên {}", "cannot listen on {}";
    SrvListening => "thidua serve: đang lắng nghe trên {}", "thidua serve: listening on {}";
    SrvHostKeyNew => "khoá máy chủ {} (mới): {}", "host key {} (new): {}";
    SrvHostKeyKept => "khoá máy chủ {} (giữ nguyên): {}", "host key {} (kept): {}";
    SrvStarted => "{} người đánh giá từ {}; tối đa {} bảng điều khiển; nhật ký ở {}", "{} reviewers from {}; at most {} consoles; log in {}";
    SrvConnectWith => "người đánh giá kết nối bằng: ssh -p {} <máy này>", "reviewers connect with: ssh -p {} <this host>";
    SrvWatcher => "không khởi động được luồng theo dõi thay đổi", "could not start the change watcher";
    IoNotFound => "không có tệp hay thư mục này", "no such file or folder";
    IoDenied => "không có quyền", "permission denied";
    IoIsFolder => "đây là một thư mục", "it is a folder";
    IoNotFolder => "một phần của đường dẫn không phải thư mục", "part of the path is not a folder";
    IoExists => "đã có", "it already exists";
    IoOther => "lỗi đọc ghi ({})", "input/output error ({})";
    // storage: the detail of damaged data or a damaged change journal
    SledChecksum => "một khối dữ liệu sai mã kiểm tra", "a block of data fails its checksum";
    JournalAt => "đoạn nhật ký {}, vị trí {}, bản ghi {}: {}", "journal segment {}, offset {}, record {}: {}";
    JournalChecksum => "bản ghi không khớp mã kiểm tra", "the record does not match its checksum";
    JournalChain => "bản ghi không mang mã băm của bản ghi trước nó (chuỗi bị đứt)", "the record does not carry the hash of the record before it (the chain is broken)";
    JournalSequence => "bản ghi mang số {}", "the record is numbered {}";
    JournalFormat => "không đọc được bản ghi", "the record cannot be read";
    JournalUnreadable => "không đọc được tệp ({})", "the file cannot be read ({})";
    JournalMissingSegment => "thiếu đoạn nhật ký đứng trước", "the segment before it is missing";
    JournalShort => "nhật ký trong {} kết thúc ở bản ghi {} nhưng cơ sở dữ liệu đã áp dụng bản ghi {}: nhật ký bị thiếu bản ghi", "the journal in {} ends at record {} but the database has applied record {}: records are missing from the journal";
    CampaignNotUtf8 => "dòng {}: tệp không phải văn bản UTF-8 (có lẽ được lưu theo bảng mã Windows-1258 hay Latin-1); hãy lưu thành UTF-8", "line {}: the file is not UTF-8 text (perhaps Windows-1258 or Latin-1); save it as UTF-8";
    // team: changes beside a running server, assignments, progress per reviewer
    HeldNeedsServer => "Thay đổi này chỉ thực hiện được khi cơ sở dữ liệu đóng, hoặc do `thidua serve` đang giữ nó thực hiện; thứ đang giữ (tiến trình {}) không nhận việc này. Hãy thoát nó rồi chạy lại lệnh, hoặc mở cơ sở dữ liệu bằng `thidua serve`.",
        "This change can be made only while the database is closed, or by the `thidua serve` holding it; what holds it now (process {}) does not take such work. Quit it and run the command again, or open the database with `thidua serve`.";
    HeldNoAnswer => "Máy chủ đang giữ cơ sở dữ liệu (tiến trình {}) không trả lời qua reader.sock; chưa thay đổi gì. Xem nhật ký của máy chủ, rồi thử lại.",
        "The server holding the database (process {}) did not answer on reader.sock; nothing was changed. Look at the server's log, then try again.";
    HeldTooOld => "Máy chủ đang giữ cơ sở dữ liệu (tiến trình {}) là một bản thidua cũ, không thực hiện được thay đổi từ dòng lệnh; chưa thay đổi gì. Hãy dừng máy chủ, chạy lệnh, rồi khởi động lại `thidua serve` bằng bản mới.",
        "The server holding the database (process {}) is an older thidua that cannot carry out changes asked from the command line; nothing was changed. Stop the server, run the command, then start `thidua serve` again with this version.";
    HeldCarriedOut => "thidua: máy chủ đang giữ cơ sở dữ liệu (tiến trình {}) đã thực hiện lệnh này trên dữ liệu của nó; mọi thay đổi đã ghi đều hiện ngay trên các bàn làm việc đang mở.",
        "thidua: carried out by the server holding the database (process {}) on its own data; any change written shows at once in every open console.";
    AssignSummary => "Giao cho {}: {} đối tượng ({}): {} giao mới, {} chuyển từ người khác, {} đã được giao từ trước.",
        "Assigned to {}: {} subjects ({}): {} newly assigned, {} moved from another reviewer, {} already theirs.";
    AssignClearSummary => "Bỏ giao: {} đối tượng ({}): {} bỏ giao, {} chưa được giao.",
        "Cleared: {} subjects ({}): {} no longer assigned, {} were not assigned.";
    AssignDryRun => "Chạy thử (--dry-run): chưa ghi gì.", "Dry run (--dry-run): nothing was written.";
    AssignByTier => "cấp {}", "tier {}";
    AssignByParent => "{} và các đơn vị trực thuộc", "{} and everything under it";
    AssignByFile => "tệp {}", "file {}";
    AssignByReviewer => "mọi đối tượng giao cho {}", "everything assigned to {}";
    AssignNoTier => "không có cấp {} trong kế hoạch; các cấp: {}", "the campaign has no tier {}; its tiers: {}";
    AssignNoParent => "không có đối tượng mã {}", "there is no subject with id {}";
    AssignFileUnknown => "{}, dòng {}, cột mã: không có đối tượng mã {}; chưa giao gì.", "{}, line {}, field id: there is no subject with id {}; nothing was assigned.";
    AssignFileEmpty => "{}: không có mã đối tượng nào (mỗi dòng một mã, hoặc CSV có mã ở cột đầu).", "{}: no subject ids in it (one id a line, or a CSV with the id in its first column).";
    AssignFileRead => "{}, dòng {}: không đọc được ({}); chưa giao gì.", "{}, line {}: cannot be read ({}); nothing was assigned.";
    AssignNameInvalid => "tên người đánh giá {} không dùng được: {}", "the reviewer name {} cannot be used: {}";
    AssignNeedSelection => "hãy chọn đối tượng: --tier CẤP, --parent MÃ hoặc --file TỆP (--clear chỉ với tên người thì bỏ giao mọi đối tượng của người đó)", "choose the subjects: --tier TIER, --parent ID or --file FILE (--clear with only a reviewer name clears everything assigned to them)";
    AssignNeedReviewer => "hãy ghi tên người được giao: thidua assign TÊN --tier CẤP", "name the reviewer to assign to: thidua assign NAME --tier TIER";
    StatusYoursLeft => "giao cho bạn: còn {}/{}", "yours: {}/{} left";
    OwnAssignmentDone => "Phần được giao cho bạn đã xong; chuyển sang đối tượng khác còn việc.", "Your assignment is done; going on to other subjects that need work.";
    SummaryByReviewer => "Tiến độ theo người đánh giá", "Progress by reviewer";
    SummaryColToday => "H.nay", "Today";
    SummaryColAll => "Tổng", "All";
    SummaryColLeft => "Còn", "Left";
    SummaryColWaiting => "Chờ GT", "Expl.";
    SummaryLegend => "Còn: được giao, chưa xong", "Left: assigned, not yet done";
    RemoteKeyBusy => "khóa này đang chạy một lệnh khác; thử lại khi lệnh đó xong", "this key is already running a command; try again when it ends";
    OwnOnToIndividuals => "Việc giao tiếp theo của bạn ở danh sách cá nhân.", "Your next assigned subject is in the individuals list.";
    OwnOnToCollectives => "Việc giao tiếp theo của bạn ở danh sách tập thể.", "Your next assigned subject is in the collectives list.";
    AssignNotOwner => "{}: cơ sở dữ liệu thuộc người dùng {}, bạn đang là {}; chỉ người dùng sở hữu mới được phân công (nhật ký ghi tên đăng nhập của người chạy lệnh). Hãy chạy lệnh bằng tài khoản {}; chưa giao gì.", "{}: the database belongs to the user {}, and you are {}; only its owner may assign work (the journal records the login that ran it). Run the command as {}; nothing was assigned.";
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

/// A message whose arguments may be messages, in `lang`.
pub fn word_told(lang: Lang, told: &crate::msg::Told) -> String {
    let args: Vec<String> = told
        .args
        .iter()
        .map(|part| match part {
            crate::msg::Part::Text(t) => t.clone(),
            crate::msg::Part::Told(t) => word_told(lang, t),
            crate::msg::Part::Each { vi, en } => match lang {
                Lang::Vi => vi.clone(),
                Lang::En => en.clone(),
            },
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    fill(lang, told.key, &args)
}

/// The catalogue entry and arguments that word a broken decision rule (see
/// `msg::decision_problem`).
pub fn decision_problem(p: &crate::domain::DecisionProblem) -> (Key, Vec<String>) {
    let m = crate::msg::decision_problem(p);
    (m.key, m.args)
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
