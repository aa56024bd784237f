//! Parses the command line, picks what to run, and maps errors to exit codes: 0 on success,
//! 1 on any error (the message on stderr), 2 on a usage error (clap's, worded by `cli::explain`
//! in the user's language). Storage errors
//! (disk full, no permission, damaged data, a database held by another process) are told in
//! the user's language, naming the path and what to do; the raw error goes to the log.

use thidua::cli::Command;
use thidua::store::owner::{self, Holder};

fn main() -> std::process::ExitCode {
    // The language is needed before parsing: clap's help and errors are worded in it.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let early = thidua::paths::lang_from_env(thidua::cli::lang_flag(&args));
    let cli = match thidua::cli::parse(args, early) {
        Ok(cli) => cli,
        Err(e) => {
            let text = thidua::cli::explain(&e, early);
            // Help and version text piped into a reader that stops early (`thidua --help | head`)
            // ends quietly, as any command's output does.
            if e.use_stderr() {
                thidua::commands::eprint_line(text.trim_end());
            } else if let Err(err) = thidua::commands::print_line(text.trim_end()) {
                thidua::commands::eprint_line(&format!("thidua: {err}"));
                return std::process::ExitCode::FAILURE;
            }
            return std::process::ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    // `serve` logs to a file of its own (see `commands::serve`).
    let _log = match cli.command {
        Some(Command::Serve(_)) => None,
        _ => thidua::paths::db_path(&cli.global)
            .ok()
            .and_then(|db| thidua::logging::init(&thidua::paths::data_dir(&db))),
    };
    owner::set_role(match &cli.command {
        None => Holder::Console,
        Some(Command::Serve(_)) => Holder::Server,
        Some(Command::Status) => Holder::Status,
        Some(Command::Init(_)) => Holder::Init,
        // An assignment holds the database as briefly as an import, and writes like one.
        Some(Command::Import(_)) | Some(Command::Assign(_)) => Holder::Import,
        Some(Command::Backup { .. }) => Holder::Backup,
        Some(Command::Restore { .. }) => Holder::Restore,
        Some(Command::Verify) => Holder::Verify,
        Some(Command::Export(_)) => Holder::Export,
        Some(Command::Log(_)) => Holder::Log,
    });
    let lang = thidua::paths::lang(&cli.global);
    let db = thidua::paths::db_path(&cli.global).ok();
    if let Some(db) = &db {
        thidua::paths::clean_leftovers(db, lang);
    }
    let result = match cli.command {
        None => thidua::commands::console::run(&cli.global),
        Some(Command::Status) => thidua::commands::status::run(&cli.global),
        Some(Command::Init(args)) => thidua::commands::init::run(&cli.global, &args),
        Some(Command::Import(cmd)) => thidua::commands::import::run(&cli.global, &cmd),
        Some(Command::Backup { file, force }) => {
            thidua::commands::backup::backup(&cli.global, &file, force)
        }
        Some(Command::Restore { file, from_journal }) => match (file, from_journal) {
            (_, Some(old)) => thidua::commands::backup::restore_from_journal(&cli.global, &old),
            (Some(file), None) => thidua::commands::backup::restore(&cli.global, &file),
            (None, None) => Err(anyhow::anyhow!(thidua::i18n::tr(
                lang,
                thidua::msg::Key::CliRestoreNeedsSource
            ))),
        },
        Some(Command::Verify) => thidua::commands::backup::verify(&cli.global),
        Some(Command::Export(args)) => thidua::commands::export::run(&cli.global, &args),
        Some(Command::Log(args)) => thidua::commands::log::run(&cli.global, &args),
        Some(Command::Serve(args)) => thidua::commands::serve::run(&cli.global, &args),
        Some(Command::Assign(args)) => thidua::commands::assign::run(&cli.global, &args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            let db = db.unwrap_or_default();
            match thidua::paths::explain_error(&e, &db, lang) {
                Some(told) => thidua::commands::eprint_line(&format!("thidua: {told}")),
                None => thidua::commands::eprint_line(&format!("thidua: {e:#}")),
            }
            std::process::ExitCode::FAILURE
        }
    }
}
