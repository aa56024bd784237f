//! Parses the command line, picks what to run, and maps errors to exit codes: 0 on success,
//! 1 on any error (the message on stderr), 2 on a usage error (clap's own).

use clap::Parser;
use thidua::cli::{Cli, Command};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => thidua::commands::console::run(&cli.global),
        Some(Command::Status) => thidua::commands::status::run(&cli.global),
        Some(Command::Init(args)) => thidua::commands::init::run(&cli.global, &args),
        Some(Command::Import(cmd)) => thidua::commands::import::run(&cli.global, &cmd),
        Some(Command::Serve(args)) => thidua::commands::serve::run(&cli.global, &args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("thidua: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
