//! Parses the command line, picks what to run, and maps errors to exit codes: 0 on success,
//! 1 on any error (the message on stderr), 2 on a usage error (clap's own).

use clap::Parser;
use thidua::cli::{Cli, Command};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // `serve` logs to a file of its own (see `commands::serve`).
    let _log = match cli.command {
        Some(Command::Serve(_)) => None,
        _ => thidua::paths::db_path(&cli.global)
            .ok()
            .and_then(|db| thidua::logging::init(&thidua::paths::data_dir(&db))),
    };
    let result = match cli.command {
        None => thidua::commands::console::run(&cli.global),
        Some(Command::Status) => thidua::commands::status::run(&cli.global),
        Some(Command::Init(args)) => thidua::commands::init::run(&cli.global, &args),
        Some(Command::Import(cmd)) => thidua::commands::import::run(&cli.global, &cmd),
        Some(Command::Backup { file }) => thidua::commands::backup::backup(&cli.global, &file),
        Some(Command::Restore { file }) => thidua::commands::backup::restore(&cli.global, &file),
        Some(Command::Verify) => thidua::commands::backup::verify(&cli.global),
        Some(Command::Export(args)) => thidua::commands::export::run(&cli.global, &args),
        Some(Command::Log(args)) => thidua::commands::log::run(&cli.global, &args),
        Some(Command::Serve(args)) => thidua::commands::serve::run(&cli.global, &args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("thidua: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
