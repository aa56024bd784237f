//! The command line (clap derive). Help text is plain English short enough for a reader whose
//! first language is Vietnamese; each command's long help gives an example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Write a complete, checksummed snapshot of the database to FILE (JSON).
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

fn parse_ref_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::domain::parse_date(s)
        .ok_or_else(|| format!("{s:?} is not a date; write it as DD/MM/YYYY, e.g. 30/11/2026"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Xlsx,
    Docx,
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
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub login_grace_time: u64,
    /// Random early drop of connections not logged in yet, as OpenSSH's MaxStartups: from
    /// START waiting, drop RATE % of new ones, rising to all at FULL.
    #[arg(long, value_name = "START:RATE:FULL", default_value = "10:30:60")]
    pub max_startups: crate::ssh::guard::MaxStartups,
    /// Connections not logged in yet from one address, at most (1 to 1000).
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub per_source_max_startups: u64,
    /// New connections answered per second from one address, twice as many at once (1 to 1000).
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub per_source_rate: u32,
    /// Consoles open at once with one key (1 to 1000).
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
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
