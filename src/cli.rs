//! The command line (clap derive). What the user reads is worded from the catalogue at run time
//! (`command`, `explain`): the help of every command and option, the headings, value names and
//! clap's parse errors, in the language asked for before parsing (`--lang`, else the locale).
//! The doc comments below stay as the developers' description; each command's long help gives
//! an example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::msg::{Key, Message};

#[derive(Debug, Parser)]
#[command(
    name = "thidua",
    version,
    about = "Review an emulation campaign (thi đua): decide every criterion for every unit and person",
    long_about = "thidua opens a keyboard console for reviewing an emulation campaign.\n\
                  Run it with no command to open the console on the default database; \
                  the first run creates that database with the sample campaign \
                  (An Giang 2021, Plan 443/KH-UBND)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command understands.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// The database folder. Default: $THIDUA_DB, else thidua.db in your data folder.
    #[arg(long, global = true, env = "THIDUA_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Your name as a reviewer, recorded on every decision. Default: your login name.
    #[arg(long, global = true, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// Language of the console and messages: vi (Vietnamese) or en (English).
    /// Default: en if LANG starts with "en", else vi.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Vi,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new database from a campaign file, or from the bundled sample.
    #[command(
        long_about = "Create a new database. It never overwrites an existing one.\n\n\
                      Examples:\n  thidua init --sample\n  \
                      thidua init --campaign campaign.toml --roster roster.csv --initiatives initiatives.csv --db review.db"
    )]
    Init(InitArgs),
    /// Add or update subjects or initiatives from a CSV or XLSX file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Show progress per tier and per criteria group, and counts by outcome.
    Status,
    /// Write a complete, checksummed backup of the database to FILE (its change journal, gzip-compressed).
    #[command(
        long_about = "Write a complete snapshot of the database to FILE (JSON with a SHA-256 \
                            checksum). Restore it with `thidua restore FILE --db NEW`."
    )]
    Backup {
        /// Where to write the backup.
        file: PathBuf,
        /// Replace FILE if it already exists (never a file inside a database folder).
        #[arg(long)]
        force: bool,
    },
    /// Build a new database (--db NEW) from a backup file. Never overwrites.
    #[command(
        long_about = "Build a new database from a backup made by `thidua backup`.\n\n\
                            Example:\n  thidua restore backup.json --db restored.db\n\n\
                            A damaged or cut-short backup is refused before anything is written."
    )]
    Restore {
        /// The backup file.
        #[arg(required_unless_present = "from_journal")]
        file: Option<PathBuf>,
        /// Rebuild from the change journal of the database at OLD instead of a backup, when
        /// its sled files cannot be opened or are damaged (OLD is only read).
        #[arg(long, value_name = "OLD", conflicts_with = "file")]
        from_journal: Option<PathBuf>,
    },
    /// Check the database: every verdict has its audit trail, every reference resolves.
    Verify,
    /// Write the verdict file for the council (JSON, CSV, XLSX) or the draft letter (DOCX).
    #[command(
        long_about = "Write the verdict file for the council (Hội đồng Thi đua – Khen thưởng).\n\
                      First checks that every criterion is decided and every 'not met' has a reason; \
                      if not, lists what is missing and writes nothing, unless --allow-incomplete \
                      is given (the file then says it is incomplete). The file is written atomically and an \
                      existing file is replaced only with --force.\n\
                      DOCX is the draft submission letter (tờ trình) to the council; --ref and \
                      --ref-date give its number and date, printed in the letter and in the XLSX \
                      lists' \"Kèm theo Tờ trình số …\" (dotted blanks when not given).\n\
                      Formats: docs/EXPORT.md.\n\n\
                      Examples:\n  thidua export --format xlsx --out ket-qua.xlsx\n  \
                      thidua export --format docx --out to-trinh.docx --ref 15 --ref-date 30/11/2026\n  \
                      thidua export --out verdicts.json --allow-incomplete"
    )]
    Export(ExportArgs),
    /// Show the audit trail: who changed what, when, from what to what.
    #[command(
        long_about = "Show the audit trail (nhật ký): number, time (Vietnam time), reviewer, \
                      kind of change and what changed.\n\n\
                      Examples:\n  thidua log\n  thidua log --subject SNV --lang en"
    )]
    Log(LogArgs),
    /// Serve the console over SSH: reviewers connect with `ssh -p PORT host`.
    #[command(
        long_about = "Run thidua as its own SSH server. This process owns the database; each \
                      reviewer listed in the reviewers file connects with their own key and \
                      gets their own console. Only public keys are accepted, and only the console \
                      is offered (no shell, no commands, no file transfer, no forwarding).\n\n\
                      Example:\n  thidua serve --db review.db --listen 0.0.0.0:2222 --reviewers reviewers.toml"
    )]
    Serve(ServeArgs),
    /// Assign subjects to a reviewer (by tier, by parent, or by a list file), or clear them.
    #[command(
        long_about = "Assign subjects to a reviewer (phân công): every subject of a tier, a unit \
                      and everything under it, or the ids in a file (one per line, or a CSV with \
                      the id in its first column; a header line is skipped). A subject has one \
                      reviewer; assigning it again moves it. The reviewer's `]` in the console \
                      walks their own assignment first, and their status line shows what is \
                      left. While `thidua serve` runs, the server carries the change out.\n\n\
                      Examples:\n  thidua assign nguyen.van.an --tier district_committee\n  \
                      thidua assign tran.thi.binh --parent H01 --dry-run\n  \
                      thidua assign le.van.cuong --file phan-cong.csv\n  \
                      thidua assign --clear --parent H01\n  \
                      thidua assign --clear nguyen.van.an"
    )]
    Assign(AssignArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// File format. Default: from the --out file's extension.
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// The file to write (an existing file is replaced only with --force).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Write even if some criteria are undecided or lack a reason; the file says so.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Replace the --out file if it already exists (never a file inside a database folder).
    #[arg(long)]
    pub force: bool,
    /// The submission letter's number, e.g. 15 or 15/TTr-HĐTĐKT (XLSX and DOCX).
    #[arg(long = "ref", value_name = "NUMBER")]
    pub reference: Option<String>,
    /// The submission letter's date, DD/MM/YYYY or YYYY-MM-DD (XLSX and DOCX).
    #[arg(long, value_name = "DATE", value_parser = parse_ref_date)]
    pub ref_date: Option<chrono::NaiveDate>,
}

pub(crate) fn parse_ref_date(s: &str) -> Result<chrono::NaiveDate, BadValue> {
    crate::domain::parse_date(s).ok_or_else(|| BadValue::new(Key::CliNotDate, [format!("{s:?}")]))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Xlsx,
    Docx,
}

/// `thidua assign`.
#[derive(Debug, Args, Clone, Default)]
pub struct AssignArgs {
    /// The reviewer (as named in the reviewers file). With --clear and nothing else: clear
    /// everything assigned to them. Its id is not "reviewer", which the global --reviewer (who
    /// runs the command) already is: the two would be one value.
    #[arg(id = "assignee", value_name = "REVIEWER")]
    pub reviewer: Option<String>,
    /// Every subject of this tier (its id).
    #[arg(long, value_name = "TIER", group = "selection")]
    pub tier: Option<String>,
    /// This subject and everything under it (its id).
    #[arg(long, value_name = "ID", group = "selection")]
    pub parent: Option<String>,
    /// The subjects whose ids the file lists (one per line, or CSV with the id first).
    #[arg(long, value_name = "FILE", group = "selection")]
    pub file: Option<PathBuf>,
    /// Clear the selected subjects' assignment instead.
    #[arg(long)]
    pub clear: bool,
    /// Show what would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only the changes about this subject (its roster id, e.g. SNV or CB0001).
    #[arg(long, value_name = "ID")]
    pub subject: Option<String>,
    /// List the change journal's records instead: number, time, reviewer, how they came in
    /// (the SSH key's SHA256 fingerprint, or local:LOGIN) and the audit events each carries.
    #[arg(long, conflicts_with = "subject")]
    pub journal: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on, e.g. 0.0.0.0:2222 (port 0 picks a free one).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: String,
    /// Who may connect: [[reviewer]] entries with name, role, keys (see docs/SSH.md).
    #[arg(long, value_name = "FILE")]
    pub reviewers: PathBuf,
    /// The server's host key; made on first start. Default: <db>.host_key beside the database.
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,
    /// The log file (connections, logins, refusals). Default: <db>.serve.log beside the database.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Seconds from connecting to logging in; then the connection is closed (1 to 600).
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = |s: &str| whole(s, 1, 600))]
    pub login_grace_time: u64,
    /// Random early drop of connections not logged in yet, as OpenSSH's MaxStartups: from
    /// START waiting, drop RATE % of new ones, rising to all at FULL.
    #[arg(long, value_name = "START:RATE:FULL", default_value = "10:30:60",
          value_parser = parse_max_startups)]
    pub max_startups: crate::ssh::guard::MaxStartups,
    /// Connections not logged in yet from one address, at most (1 to 1000).
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = |s: &str| whole(s, 1, 1000))]
    pub per_source_max_startups: u64,
    /// New connections answered per second from one address, twice as many at once (1 to 1000).
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = |s: &str| whole(s, 1, 1000).map(|n| n as u32))]
    pub per_source_rate: u32,
    /// Consoles open at once with one key (1 to 1000).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = |s: &str| whole(s, 1, 1000))]
    pub max_consoles_per_key: u64,
    /// Hidden here: the global --reviewer does not apply to serve (the key that logs in names
    /// the reviewer). Declared so it stays out of `serve --help`; serve refuses it if given.
    #[arg(long, hide = true, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// Hidden here: the global --lang does not apply to serve (the reviewers file and the
    /// client's LANG choose each console's language); serve refuses it if given.
    #[arg(long, hide = true, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Use the bundled sample campaign, roster and initiatives.
    #[arg(long, conflicts_with_all = ["campaign", "roster", "initiatives"])]
    pub sample: bool,
    /// The campaign file (TOML).
    #[arg(long, value_name = "FILE", required_unless_present = "sample")]
    pub campaign: Option<PathBuf>,
    /// The roster: subjects with id,name,tier,parent[,registered_on] (CSV or XLSX).
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// Initiatives with id,title,owner,submitted_on[,status,authority,decision,decided_on,scope].
    #[arg(long, value_name = "FILE")]
    pub initiatives: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import subjects (columns id, name, tier, parent[, registered_on]). All or nothing.
    #[command(
        long_about = "Import subjects (đối tượng) from a CSV or XLSX file, all or nothing.\n\n\
                      The header may sit below a title block (first 20 rows); columns may be \
                      named in Vietnamese or English (Mã, Tên đơn vị, Cấp, Trực thuộc, Ngày đăng \
                      ký thi đua, …; see data/README.md), STT and other columns are ignored. \
                      The table ends at the first empty row. A tier may be given by id or name, \
                      a parent by id or name.\n\n\
                      Examples:\n  thidua import roster danh-sach.xlsx --dry-run\n  \
                      thidua import roster danh-sach.xlsx"
    )]
    Roster {
        /// A .csv (UTF-8, separator , ; or tab) or .xlsx file (first visible sheet).
        file: PathBuf,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// Import initiatives (columns id, title, owner, submitted_on[, status, …]). All or nothing.
    Initiatives {
        /// A .csv (UTF-8, separator , ; or tab) or .xlsx file (first visible sheet).
        file: PathBuf,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// Import the units' self-assessment (tự đánh giá): a claim per subject and criterion.
    #[command(
        long_about = "Import what each unit claimed for each criterion (tự đánh giá), all or \
                      nothing. Either a wide sheet (a row per subject: a column with its id or \
                      name, and a column per criterion named by its id or short title) or long \
                      rows (subject, criterion, value, optional evidence \"Tài liệu kiểm \
                      chứng\"). Values: Đạt / Không đạt / x / ✓ / ✗, or points such as 8,5. \
                      The console shows each claim beside the verdict; see data/README.md.\n\n\
                      Examples:\n  thidua import self-assessment tu-danh-gia.xlsx --dry-run\n  \
                      thidua import self-assessment tu-danh-gia.xlsx"
    )]
    SelfAssessment {
        /// A .csv (UTF-8, separator , ; or tab) or .xlsx file (first visible sheet).
        file: PathBuf,
        #[command(flatten)]
        options: ImportOptions,
    },
}

/// Options of every import.
#[derive(Debug, Args, Clone, Default)]
pub struct ImportOptions {
    /// Show what the import would do (new rows, changed fields, ignored rows) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Let an empty cell clear the stored value (by default the stored value is kept).
    #[arg(long)]
    pub clear_empty: bool,
    /// The XLSX sheet to read (default: the first visible one).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

/// A value the command line refused, as a catalogue message (a clap value parser's error; the
/// parse error is worded from it in the user's language).
#[derive(Debug, Clone)]
pub struct BadValue(pub Message);

impl BadValue {
    fn new<S: Into<String>>(key: Key, args: impl IntoIterator<Item = S>) -> Self {
        BadValue(Message::new(key, args))
    }
}

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::word(crate::domain::Lang::En, &self.0))
    }
}

impl std::error::Error for BadValue {}

/// A whole number from `lo` to `hi`.
fn whole(s: &str, lo: u64, hi: u64) -> Result<u64, BadValue> {
    let range = [lo.to_string(), hi.to_string()];
    let n: u64 = s.trim().parse().map_err(|_| {
        BadValue::new(
            Key::CliNotWhole,
            [format!("{s:?}"), range[0].clone(), range[1].clone()],
        )
    })?;
    if !(lo..=hi).contains(&n) {
        let [lo, hi] = range;
        return Err(BadValue::new(Key::CliOutOfRange, [n.to_string(), lo, hi]));
    }
    Ok(n)
}

fn parse_max_startups(s: &str) -> Result<crate::ssh::guard::MaxStartups, BadValue> {
    s.parse()
        .map_err(|_: String| BadValue::new(Key::CliNotMaxStartups, [format!("{s:?}")]))
}

/// The language asked for on the command line before it is parsed: the value of the last
/// `--lang X` or `--lang=X` before a `--`, if it names a language.
pub fn lang_flag(args: &[std::ffi::OsString]) -> Option<LangArg> {
    let mut found = None;
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        let value = match arg.as_ref() {
            "--" => break,
            "--lang" => args.next().map(|v| v.into_owned()),
            a => match a.strip_prefix("--lang=") {
                Some(v) => Some(v.to_string()),
                None => continue,
            },
        };
        match value.as_deref() {
            Some("vi") => found = Some(LangArg::Vi),
            Some("en") => found = Some(LangArg::En),
            _ => {}
        }
    }
    found
}

/// Parses `args` (the program name first) with help, usage and errors in `lang`, wrapped to
/// the terminal (see `wrapped`).
pub fn parse(args: Vec<std::ffi::OsString>, lang: crate::domain::Lang) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    let columns = std::env::var("COLUMNS").ok();
    let mut cmd = wrapped(
        command(lang),
        help_width(terminal_columns(), columns.as_deref()),
    );
    let matches = cmd.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.with_cmd(&cmd))
}

/// Help and errors are wrapped to the terminal's width, never wider than this: long lines
/// read badly even on a wide screen.
pub const HELP_MAX_WIDTH: usize = 100;
/// The width when none is known (output to a pipe or a file, no $COLUMNS): the 80 columns
/// thidua is made for.
pub const HELP_DEFAULT_WIDTH: usize = 80;

/// The width of the terminal on standard output, when it is one.
fn terminal_columns() -> Option<usize> {
    crossterm::terminal::size()
        .ok()
        .filter(|_| std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .map(|(w, _)| usize::from(w))
}

/// The width to wrap help to: the terminal's, else $COLUMNS, else `HELP_DEFAULT_WIDTH`; at
/// most `HELP_MAX_WIDTH` and at least 20.
pub fn help_width(terminal: Option<usize>, columns: Option<&str>) -> usize {
    terminal
        .filter(|w| *w > 0)
        .or_else(|| {
            columns
                .and_then(|c| c.trim().parse().ok())
                .filter(|w| *w > 0)
        })
        .unwrap_or(HELP_DEFAULT_WIDTH)
        .clamp(20, HELP_MAX_WIDTH)
}

/// The help's usage line (`Cách dùng: thidua serve [TÙY_CHỌN] --listen <…> …`), which clap
/// does not wrap, broken at spaces to fit `width`, an option kept with its value; the other
/// lines as they are.
pub fn wrap_usage(help: &str, label: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let prefix = format!("{label}: ");
    let mut out = Vec::new();
    for line in help.split('\n') {
        if !line.starts_with(&prefix) || line.width() <= width {
            out.push(line.to_string());
            continue;
        }
        let mut words: Vec<String> = Vec::new();
        for w in line[prefix.len()..].split(' ').filter(|w| !w.is_empty()) {
            match words.last_mut() {
                Some(last) if last.starts_with("--") && w.starts_with('<') => {
                    last.push(' ');
                    last.push_str(w);
                }
                _ => words.push(w.to_string()),
            }
        }
        let indent = if prefix.width() * 2 <= width {
            " ".repeat(prefix.width())
        } else {
            "  ".to_string()
        };
        let mut current = prefix.trim_end().to_string();
        let mut sep = " ";
        let mut has_word = false;
        for w in words {
            if has_word && current.width() + sep.len() + w.width() > width {
                out.push(std::mem::replace(&mut current, indent.clone()));
                sep = "";
            }
            current.push_str(sep);
            current.push_str(&w);
            sep = " ";
            has_word = true;
        }
        out.push(current);
    }
    out.join("\n")
}

/// `cmd` with its help and errors, and every subcommand's, wrapped to `width` columns.
pub fn wrapped(mut cmd: clap::Command, width: usize) -> clap::Command {
    // The tree is already built, so the root's width would not reach the subcommands.
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subs {
        cmd = cmd.mut_subcommand(&sub, |s| wrapped(s, width));
    }
    cmd.term_width(width)
}

/// The command line's definition with every help text, heading and value name in `lang`.
pub fn command(lang: crate::domain::Lang) -> clap::Command {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    cmd.build();
    localize(&mut cmd, &[], lang);
    cmd
}

pub(crate) fn localize(cmd: &mut clap::Command, path: &[&str], lang: crate::domain::Lang) {
    use crate::i18n::tr;
    let mut path = path.to_vec();
    let name = cmd.get_name().to_string();
    if !path.is_empty() || name != "thidua" {
        path.push(&name);
    }
    let mut c = std::mem::take(cmd);
    // The help subcommand holds a copy of the tree (`help import roster`): worded as the original.
    let original: Vec<&str> = match path.iter().position(|p| *p == "help") {
        Some(i) if i + 1 < path.len() => [&path[..i], &path[i + 1..]].concat(),
        _ => path.clone(),
    };
    if let Some((about, long)) = command_about(&original) {
        c = c.about(tr(lang, about));
        c = c.long_about(long.map(|k| tr(lang, k)));
    }
    c = c
        .subcommand_help_heading(tr(lang, Key::CliHeadingCommands))
        .subcommand_value_name(tr(lang, Key::CliCommandValue))
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{}: {{usage}}\n\n{{all-args}}{{after-help}}",
            tr(lang, Key::CliUsage)
        ));
    let ids: Vec<String> = c.get_arguments().map(|a| a.get_id().to_string()).collect();
    let long_help =
        c.get_arguments().any(|a| a.get_long_help().is_some()) || c.get_long_about().is_some();
    for (order, id) in ids.into_iter().enumerate() {
        let top = if name == "help" {
            "help"
        } else {
            path.first().copied().unwrap_or("")
        };
        // The command's own arguments first, then the global ones, then help and version.
        let order = if id == "help" || id == "version" {
            1000 + order
        } else {
            order
        };
        c = c.mut_arg(&id, |a| {
            localize_arg(a, top, long_help, lang).display_order(order)
        });
    }
    let subs: Vec<String> = c
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subs {
        c = c.mut_subcommand(&sub, |mut s| {
            localize(&mut s, &path, lang);
            s
        });
    }
    *cmd = c;
}

/// The about and long about of the command at `path` (subcommand names from the program).
fn command_about(path: &[&str]) -> Option<(Key, Option<Key>)> {
    Some(match path {
        [] => (Key::CliAbout, Some(Key::CliLongAbout)),
        ["init"] => (Key::CliInitAbout, Some(Key::CliInitLong)),
        ["import"] => (Key::CliImportAbout, None),
        ["import", "roster"] => (Key::CliRosterAbout, Some(Key::CliRosterLong)),
        ["import", "initiatives"] => (Key::CliInitiativesAbout, None),
        ["import", "self-assessment"] => (
            Key::CliSelfAssessmentAbout,
            Some(Key::CliSelfAssessmentLong),
        ),
        ["status"] => (Key::CliStatusAbout, None),
        ["backup"] => (Key::CliBackupAbout, Some(Key::CliBackupLong)),
        ["restore"] => (Key::CliRestoreAbout, Some(Key::CliRestoreLong)),
        ["verify"] => (Key::CliVerifyAbout, None),
        ["export"] => (Key::CliExportAbout, Some(Key::CliExportLong)),
        ["log"] => (Key::CliLogAbout, Some(Key::CliLogLong)),
        ["serve"] => (Key::CliServeAbout, Some(Key::CliServeLong)),
        ["assign"] => (Key::CliAssignAbout, Some(Key::CliAssignLong)),
        [.., "help"] => (Key::CliHelpAbout, None),
        _ => return None,
    })
}

/// The help of the argument `id` of a command under the top-level command `top`.
fn arg_help(top: &str, id: &str) -> Option<Key> {
    Some(match (top, id) {
        ("backup", "file") => Key::CliArgBackupFile,
        ("backup", "force") => Key::CliArgBackupForce,
        ("restore", "file") => Key::CliArgRestoreFile,
        ("import", "file") => Key::CliArgImportFile,
        ("export", "force") => Key::CliArgExportForce,
        ("serve", "log") => Key::CliArgServeLog,
        ("assign", "assignee") => Key::CliArgAssignReviewer,
        ("restore", "from_journal") => Key::CliArgRestoreFromJournal,
        ("log", "journal") => Key::CliArgLogJournal,
        ("assign", "tier") => Key::CliArgAssignTier,
        ("assign", "parent") => Key::CliArgAssignParent,
        ("assign", "file") => Key::CliArgAssignFile,
        ("assign", "clear") => Key::CliArgAssignClear,
        ("assign", "dry_run") => Key::CliArgAssignDryRun,
        ("help", "subcommand") => Key::CliArgHelpCommand,
        (_, "version") => Key::CliArgVersion,
        (_, "db") => Key::CliArgDb,
        (_, "reviewer") => Key::CliArgReviewer,
        (_, "lang") => Key::CliArgLang,
        (_, "sample") => Key::CliArgSample,
        (_, "campaign") => Key::CliArgCampaign,
        (_, "roster") => Key::CliArgRoster,
        (_, "initiatives") => Key::CliArgInitiatives,
        (_, "format") => Key::CliArgFormat,
        (_, "out") => Key::CliArgOut,
        (_, "allow_incomplete") => Key::CliArgAllowIncomplete,
        (_, "reference") => Key::CliArgRef,
        (_, "ref_date") => Key::CliArgRefDate,
        (_, "subject") => Key::CliArgSubject,
        (_, "listen") => Key::CliArgListen,
        (_, "reviewers") => Key::CliArgReviewers,
        (_, "host_key") => Key::CliArgHostKey,
        (_, "login_grace_time") => Key::CliArgLoginGrace,
        (_, "max_startups") => Key::CliArgMaxStartups,
        (_, "per_source_max_startups") => Key::CliArgPerSourceMaxStartups,
        (_, "per_source_rate") => Key::CliArgPerSourceRate,
        (_, "max_consoles_per_key") => Key::CliArgMaxConsolesPerKey,
        (_, "dry_run") => Key::CliArgDryRun,
        (_, "clear_empty") => Key::CliArgClearEmpty,
        (_, "sheet") => Key::CliArgSheet,
        _ => return None,
    })
}

/// The value name `name` (clap's placeholder, e.g. FILE) in the catalogue.
fn value_name(name: &str) -> Option<Key> {
    Some(match name {
        "FILE" => Key::CliValFile,
        "PATH" => Key::CliValPath,
        "NAME" => Key::CliValName,
        "DATE" => Key::CliValDate,
        "NUMBER" => Key::CliValNumber,
        "ID" => Key::CliValId,
        "ADDR:PORT" => Key::CliValAddr,
        "SECONDS" => Key::CliValSeconds,
        "LANG" => Key::CliValLang,
        "FORMAT" => Key::CliValFormat,
        "COMMAND" => Key::CliCommandValue,
        _ => return None,
    })
}

fn localize_arg(
    mut a: clap::Arg,
    top: &str,
    long_help: bool,
    lang: crate::domain::Lang,
) -> clap::Arg {
    use crate::i18n::{fill, tr};
    let id = a.get_id().to_string();
    let mut help = if id == "help" {
        if long_help {
            a = a.long_help(tr(lang, Key::CliArgHelpSummary));
            tr(lang, Key::CliArgHelpMore).to_string()
        } else {
            tr(lang, Key::CliArgHelp).to_string()
        }
    } else {
        match arg_help(top, &id) {
            Some(key) => tr(lang, key).to_string(),
            None => a.get_help().map(ToString::to_string).unwrap_or_default(),
        }
    };
    // clap's own bracketed notes ([default: …], [env: …], [possible values: …]) are English;
    // they are written here in the catalogue's words instead.
    let mut notes = Vec::new();
    if !a.is_hide_default_value_set() && a.get_action().takes_values() {
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() {
            notes.push(fill(lang, Key::CliDefault, &[&defaults.join(", ")]));
        }
    }
    if let Some(env) = a.get_env()
        && !a.is_hide_env_set()
    {
        notes.push(fill(lang, Key::CliEnv, &[&env.to_string_lossy()]));
    }
    if a.get_action().takes_values() && !a.is_hide_possible_values_set() {
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if !values.is_empty() {
            notes.push(fill(lang, Key::CliPossible, &[&values.join(", ")]));
        }
    }
    if !notes.is_empty() {
        help = format!("{help} {}", notes.join(" "));
    }
    a = a
        .help(help)
        .hide_default_value(true)
        .hide_env(true)
        .hide_possible_values(true);
    if a.get_long_help().is_some() && id != "help" {
        a = a.long_help(None::<&'static str>);
    }
    let names: Option<Vec<clap::builder::Str>> = a.get_value_names().map(|names| {
        names
            .iter()
            .map(|n| match value_name(n.as_str()) {
                Some(key) => tr(lang, key).into(),
                None => n.clone(),
            })
            .collect()
    });
    if let Some(names) = names {
        a = a.value_names(names);
    }
    let heading = if a.is_positional() {
        Key::CliHeadingArgs
    } else {
        Key::CliHeadingOptions
    };
    a.help_heading(tr(lang, heading))
}

/// The words of a parse error in `lang`, or the help or version it carries; and where it goes.
pub fn explain(e: &clap::Error, lang: crate::domain::Lang) -> String {
    use crate::i18n::{fill, tr};
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let quote = |s: String| format!("'{s}'");
    let options_tag = |s: &str| s.replace("[OPTIONS]", tr(lang, Key::CliOptionsTag));
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let width = help_width(terminal_columns(), std::env::var("COLUMNS").ok().as_deref());
            return wrap_usage(
                &options_tag(&e.render().to_string()),
                tr(lang, Key::CliUsage),
                width,
            );
        }
        _ => {}
    }
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut lines = vec![match e.kind() {
        ErrorKind::UnknownArgument => fill(lang, Key::CliUnknownArgument, &[&quote(arg)]),
        ErrorKind::InvalidValue if value.is_empty() => {
            fill(lang, Key::CliValueRequired, &[&quote(arg)])
        }
        ErrorKind::InvalidValue => fill(lang, Key::CliInvalidValue, &[&quote(value), &quote(arg)]),
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e)
                .and_then(|s| s.downcast_ref::<BadValue>())
                .map(|b| crate::i18n::word(lang, &b.0))
                .unwrap_or_else(|| {
                    std::error::Error::source(e)
                        .map(ToString::to_string)
                        .unwrap_or_default()
                });
            fill(
                lang,
                Key::CliBadValue,
                &[&quote(value), &quote(arg), &reason],
            )
        }
        ErrorKind::InvalidSubcommand => fill(
            lang,
            Key::CliInvalidSubcommand,
            &[&quote(get(ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::NoEquals => fill(lang, Key::CliNoEquals, &[&quote(arg.clone()), &arg]),
        ErrorKind::TooManyValues => {
            fill(lang, Key::CliTooManyValues, &[&quote(value), &quote(arg)])
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let expected = match get(ContextKind::ExpectedNumValues) {
                n if n.is_empty() => get(ContextKind::MinValues),
                n => n,
            };
            fill(
                lang,
                Key::CliWrongCount,
                &[&quote(arg), &expected, &get(ContextKind::ActualNumValues)],
            )
        }
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg);
            if prior == arg || prior.is_empty() {
                fill(lang, Key::CliUsedTwice, &[&quote(arg)])
            } else {
                fill(lang, Key::CliConflict, &[&quote(arg), &quote(prior)])
            }
        }
        ErrorKind::MissingRequiredArgument => fill(lang, Key::CliMissing, &[&arg]),
        ErrorKind::MissingSubcommand => fill(
            lang,
            Key::CliMissingCommand,
            &[
                &quote(get(ContextKind::InvalidSubcommand)),
                &get(ContextKind::ValidSubcommand),
            ],
        ),
        ErrorKind::InvalidUtf8 => tr(lang, Key::CliInvalidUtf8).to_string(),
        _ => tr(lang, Key::CliInvalidLine).to_string(),
    }];
    if let Some(ContextValue::Strings(values)) = e.get(ContextKind::ValidValue)
        && !values.is_empty()
    {
        lines.push(fill(lang, Key::CliPossibleValues, &[&values.join(", ")]));
    }
    for kind in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        let suggested = get(kind);
        if !suggested.is_empty() {
            lines.push(fill(lang, Key::CliDidYouMean, &[&quote(suggested)]));
        }
    }
    let trailing = get(ContextKind::TrailingArg);
    if trailing == "true" {
        let value = get(ContextKind::InvalidArg);
        lines.push(fill(
            lang,
            Key::CliAsValue,
            &[&quote(value.clone()), &value],
        ));
    }
    let usage = get(ContextKind::Usage);
    let usage = usage.trim();
    let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
    let bin = usage.split(" [").next().unwrap_or("thidua");
    let bin: Vec<&str> = bin
        .split_whitespace()
        .take_while(|w| !w.starts_with('-') && !w.starts_with('<') && !w.starts_with('['))
        .collect();
    let bin = if bin.is_empty() {
        "thidua".to_string()
    } else {
        bin.join(" ")
    };
    let mut out = format!("thidua: {}", lines.join("\n  "));
    if !usage.is_empty() {
        out.push_str(&format!(
            "\n\n{}: {}",
            tr(lang, Key::CliUsage),
            options_tag(usage)
        ));
    }
    out.push_str("\n\n");
    out.push_str(&fill(lang, Key::CliTryHelp, &[&bin]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    #[test]
    fn help_width_takes_the_terminal_then_columns_then_eighty() {
        assert_eq!(help_width(Some(120), Some("60")), HELP_MAX_WIDTH);
        assert_eq!(help_width(Some(50), Some("60")), 50);
        assert_eq!(help_width(None, Some(" 60 ")), 60);
        assert_eq!(help_width(None, Some("wide")), HELP_DEFAULT_WIDTH);
        assert_eq!(help_width(Some(0), Some("0")), HELP_DEFAULT_WIDTH);
        assert_eq!(help_width(Some(5), None), 20);
    }

    #[test]
    fn the_usage_line_is_broken_at_spaces_keeping_an_option_with_its_value() {
        let help =
            "About.\n\nUsage: thidua serve [OPTIONS] --listen <ADDR:PORT> --reviewers <FILE>\n";
        let wrapped = wrap_usage(help, "Usage", 40);
        assert_eq!(
            wrapped,
            "About.\n\nUsage: thidua serve [OPTIONS]\n       --listen <ADDR:PORT>\n       --reviewers <FILE>\n"
        );
        assert_eq!(wrap_usage(help, "Usage", 80), help);
    }

    /// Every visible command and argument takes its help from the catalogue: a new option
    /// without wording in both languages fails here.
    #[test]
    fn every_command_and_argument_is_worded_in_both_languages() {
        fn walk(vi: &clap::Command, en: &clap::Command, path: &str, gaps: &mut Vec<String>) {
            let about = |c: &clap::Command| c.get_about().map(ToString::to_string);
            if about(en).is_some() && about(vi) == about(en) {
                gaps.push(format!("{path}: about"));
            }
            for a in en.get_arguments().filter(|a| !a.is_hide_set()) {
                let id = a.get_id();
                let other = vi.get_arguments().find(|b| b.get_id() == id);
                let help = |a: &clap::Arg| a.get_help().map(ToString::to_string);
                if other.and_then(help) == help(a) || help(a).is_none() {
                    gaps.push(format!("{path} {id}"));
                }
            }
            for s in en.get_subcommands() {
                if let Some(v) = vi.find_subcommand(s.get_name()) {
                    walk(v, s, &format!("{path} {}", s.get_name()), gaps);
                }
            }
        }
        let mut gaps = Vec::new();
        walk(&command(Lang::Vi), &command(Lang::En), "thidua", &mut gaps);
        assert!(gaps.is_empty(), "not in the catalogue: {gaps:?}");
    }

    #[test]
    fn the_language_flag_is_found_before_parsing() {
        let argv =
            |s: &str| -> Vec<std::ffi::OsString> { s.split_whitespace().map(Into::into).collect() };
        assert_eq!(
            lang_flag(&argv("thidua --lang vi status")),
            Some(LangArg::Vi)
        );
        assert_eq!(
            lang_flag(&argv("thidua status --lang=en")),
            Some(LangArg::En)
        );
        assert_eq!(lang_flag(&argv("thidua status --lang xx")), None);
        assert_eq!(lang_flag(&argv("thidua status -- --lang en")), None);
        assert_eq!(lang_flag(&argv("thidua")), None);
    }
}
