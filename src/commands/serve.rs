//! `thidua serve`: opens the database, reads the reviewers file and host key, sends the log to
//! a file (never to a terminal: the terminal is the operator's, the consoles are the clients'),
//! and runs the SSH server until stopped.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::{Global, ServeArgs};
use crate::i18n::{Key, tr};
use crate::ssh::guard::Limits;
use crate::ssh::{ServeOptions, host_key, serve};

pub fn run(global: &Global, args: &ServeArgs) -> anyhow::Result<()> {
    // Options every command takes that would silently do nothing here are refused instead.
    if global.reviewer.is_some() || args.reviewer.is_some() {
        anyhow::bail!(tr(crate::paths::lang(global), Key::ServeNoReviewer));
    }
    if global.lang.is_some() || args.lang.is_some() {
        anyhow::bail!(tr(crate::paths::lang(global), Key::ServeNoLang));
    }
    let db = crate::paths::db_path(global)?;
    let host_key = args
        .host_key
        .clone()
        .unwrap_or_else(|| host_key::default_path(&db));
    let log = args
        .log
        .clone()
        .unwrap_or_else(|| sibling(&db, ".serve.log"));
    let _guard = crate::logging::init_file(&log)?;
    let opts = ServeOptions {
        db,
        listen: args.listen.clone(),
        reviewers: args.reviewers.clone(),
        host_key,
        log,
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        lang: crate::paths::lang(global),
        limits: Limits {
            login_grace: Duration::from_secs(args.login_grace_time),
            max_startups: args.max_startups,
            per_source_startups: usize::try_from(args.per_source_max_startups).unwrap_or(1000),
            per_source_rate: args.per_source_rate,
            consoles_per_key: usize::try_from(args.max_consoles_per_key).unwrap_or(1000),
        },
    };
    // Commands over SSH are parsed and run by the command line's own definitions.
    let _ = crate::ssh::shared::EXEC.set(std::sync::Arc::new(super::remote::run));
    // Imports and assignments asked on the command line beside the server are carried out
    // here, on the server's own store, so every console sees them at once.
    let _ =
        crate::store::reader::ACTIONS.set(std::sync::Arc::new(super::import::holder::run_action));
    serve(&opts)
}

/// `<db><suffix>` beside the database folder.
fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    db.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use crate::cli::{Cli, Command};

    #[test]
    fn serve_help_lists_only_what_serve_accepts() {
        let mut cli = Cli::command();
        cli.build();
        let serve = cli.find_subcommand_mut("serve").expect("serve subcommand");
        let help = serve.render_long_help().to_string();
        assert!(help.contains("--listen"), "{help}");
        assert!(help.contains("--db"), "{help}");
        assert!(!help.contains("--reviewer "), "{help}");
        assert!(!help.contains("--lang"), "{help}");
    }

    #[test]
    fn reviewer_and_lang_given_to_serve_are_refused_wherever_they_stand() {
        for argv in [
            &[
                "thidua",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--reviewers",
                "r.toml",
                "--reviewer",
                "An",
            ][..],
            &[
                "thidua",
                "--reviewer",
                "An",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--reviewers",
                "r.toml",
            ][..],
            &[
                "thidua",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--reviewers",
                "r.toml",
                "--lang",
                "en",
            ][..],
            &[
                "thidua",
                "--lang",
                "en",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--reviewers",
                "r.toml",
            ][..],
        ] {
            let cli = Cli::try_parse_from(argv).expect("parses");
            let Some(Command::Serve(args)) = &cli.command else {
                panic!("serve expected")
            };
            let e = super::run(&cli.global, args)
                .expect_err("refused")
                .to_string();
            assert!(
                e.contains("does not apply to serve") || e.contains("không dùng được với serve"),
                "{argv:?}: {e}"
            );
        }
    }
}
