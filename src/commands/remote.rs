//! Commands over SSH, in the soft-serve manner: `ssh -p 2222 thuky@server status`, `export
//! --format xlsx > ket-qua.xlsx` (chair and viewer only) or
//! `… log --subject SNV`. The words are parsed with the same clap definitions as the local
//! command line (`cli::LogArgs`), against the server's own store, so the answer is the state
//! every console sees. Only read-only commands exist here; anything else is refused with the
//! list of what is allowed, and nothing is ever handed to a shell.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{Parser, Subcommand};

use crate::cli::{ExportFormat, LogArgs};
use crate::domain::{Lang, Role, review};
use crate::i18n::{Key, fill, tr};
use crate::interchange::export::{self, ExportError, ExportMeta, Format, Submission};
use crate::ssh::shared::ExecOutput;
use crate::store::Store;
use crate::text::clean;

#[derive(Debug, Parser)]
#[command(
    name = "thidua",
    no_binary_name = true,
    disable_help_flag = true,
    disable_help_subcommand = true,
    disable_version_flag = true
)]
struct Remote {
    #[command(subcommand)]
    command: RemoteCommand,
}

#[derive(Debug, Subcommand)]
enum RemoteCommand {
    Status,
    Log(LogArgs),
    Export(RemoteExport),
}

/// `export` over SSH: the file goes to the client's stdout, never to a path on the server.
#[derive(Debug, clap::Args)]
struct RemoteExport {
    #[arg(long, value_enum)]
    format: ExportFormat,
    #[arg(long)]
    allow_incomplete: bool,
    #[arg(long = "ref", value_name = "NUMBER")]
    reference: Option<String>,
    /// The local command line's own parser, so a bad date is worded the same.
    #[arg(long, value_name = "DATE", value_parser = crate::cli::parse_ref_date)]
    ref_date: Option<chrono::NaiveDate>,
}

/// Parses `words` with help, value names and errors in `lang`, as the local command line does.
fn parse(words: &[String], lang: Lang) -> Result<Remote, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut cmd = Remote::command();
    cmd.build();
    crate::cli::localize(&mut cmd, &[], lang);
    let matches = cmd.try_get_matches_from_mut(words)?;
    Remote::from_arg_matches(&matches).map_err(|e| e.with_cmd(&cmd))
}

/// A bad value for a known option (`--ref-date 31/02/2026`) in the local command line's words,
/// without its usage lines (which name local options such as --out); `None` for any other
/// parse error, which is refused as a command that does not run here.
fn bad_value(e: &clap::Error, lang: Lang) -> Option<String> {
    if e.kind() != clap::error::ErrorKind::ValueValidation {
        return None;
    }
    let text = crate::cli::explain(e, lang);
    let head = text.split("\n\n").next().unwrap_or_default();
    Some(head.strip_prefix("thidua: ").unwrap_or(head).to_string())
}

/// Commands running at once over SSH, at most: an export at province scale takes seconds and
/// its file's memory; more clients than this wait their turn by trying again.
const AT_ONCE: usize = 2;
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Releases a running command's place when it ends, however it ends.
struct Place;

impl Drop for Place {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `words` for a reviewer of `role` in `lang`.
pub fn run(
    store: &Store,
    words: &[String],
    name: &str,
    role: Role,
    lang: Lang,
    stdout: &mut dyn Write,
) -> ExecOutput {
    let refused = |detail: String| ExecOutput {
        stderr: fill(lang, Key::RemoteRefused, &[&detail]),
        status: 2,
    };
    let shown = clean(&words.join(" "));
    let parsed = match parse(words, lang) {
        Ok(p) => p,
        Err(e) => {
            if let Some(text) = bad_value(&e, lang) {
                tracing::info!(command = %shown, "exec refused: a bad value");
                return ExecOutput {
                    stderr: text,
                    status: 2,
                };
            }
            tracing::info!(command = %shown, "exec refused");
            return refused(shown);
        }
    };
    if RUNNING.fetch_add(1, Ordering::SeqCst) >= AT_ONCE {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        return ExecOutput {
            stderr: tr(lang, Key::RemoteBusy).to_string(),
            status: 1,
        };
    }
    let place = Place;
    // Sends a finished answer: its place is given back first, so a client slow to read it
    // keeps no other command waiting.
    let mut answer = |text: anyhow::Result<Vec<u8>>, place: Place| {
        drop(place);
        text.and_then(|text| Ok(stdout.write_all(&text)?))
    };
    // Everyone may run status and log.
    let result = match parsed.command {
        RemoteCommand::Status => answer(status(store, lang), place),
        // A log is streamed as it is read, keeping its place while it is sent, as an export.
        RemoteCommand::Log(args) => {
            let done = log(store, &args, lang, stdout);
            drop(place);
            done
        }
        // Chair and viewer may export; a reviewer may not.
        RemoteCommand::Export(_) if role == Role::Reviewer => {
            return ExecOutput {
                stderr: tr(lang, Key::RemoteExportRole).to_string(),
                status: 1,
            };
        }
        // An export keeps its place while it is sent: the snapshot it streams from is the
        // memory the places bound.
        RemoteCommand::Export(args) => {
            let done = export_file(store, &args, name, lang, stdout);
            drop(place);
            done
        }
    };
    match result.and_then(|()| Ok(stdout.flush()?)) {
        Ok(()) => ExecOutput {
            stderr: String::new(),
            status: 0,
        },
        Err(e) => {
            tracing::warn!("command over SSH failed: {e:#}");
            ExecOutput {
                stderr: format!("{e:#}"),
                status: 1,
            }
        }
    }
}

fn status(store: &Store, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let rows = review::assemble(store.campaign(), store.subjects()?, store.verdicts()?);
    let summary = review::summary(store.campaign(), &rows);
    Ok(super::status::render(store.campaign(), &summary, lang).into_bytes())
}

/// Streams the trail (or with `--journal`, the journal's records) to `stdout` as it is read,
/// a line at a time through the channel's flow control: memory does not grow with the log,
/// and a client that stops reading (or goes away) ends the reading at its next line. The head
/// and the number of events are taken at one moment (`at_head`); the trail is then read
/// twice, for the columns' widths and to write it, up to that event, while commits go on.
fn log(store: &Store, args: &LogArgs, lang: Lang, stdout: &mut dyn Write) -> anyhow::Result<()> {
    if args.journal {
        return super::log::write_journal(store.path(), lang, |line| {
            stdout.write_all(line.as_bytes())?;
            stdout.write_all(b"\n")
        });
    }
    let subjects = store.subjects()?;
    if let Some(id) = &args.subject
        && !subjects.iter().any(|(_, s)| &s.id == id)
    {
        anyhow::bail!(fill(lang, Key::RemoteNoSubject, &[&clean(id)]));
    }
    let names: HashMap<String, String> =
        subjects.into_iter().map(|(_, s)| (s.id, s.name)).collect();
    let name_of = |id: &str| names.get(id).map(String::as_str);
    // Taken with commits held back, so the head line names exactly this trail.
    let (upto, head) = store.at_head(|| Ok(store.audit_len() as u64))?;
    let subject = args.subject.as_deref();
    let mut widths = super::log::Widths::new(lang);
    let mut any = false;
    store.audit_each(subject, upto, |e| {
        widths.take(&e, lang);
        any = true;
        Ok::<(), crate::store::StoreError>(())
    })?;
    if any {
        writeln!(stdout, "{}", widths.header(lang))?;
        let mut sent = 0u64;
        let streamed = store.audit_each(subject, upto, |e| -> anyhow::Result<()> {
            writeln!(stdout, "{}", widths.line(&e, &name_of, lang))?;
            sent += 1;
            Ok(())
        });
        if let Err(e) = streamed {
            tracing::info!("log over SSH stopped after {sent} events of the trail's {upto}: {e:#}");
            return Err(e);
        }
    } else {
        writeln!(stdout, "{}", tr(lang, Key::RemoteNoChanges))?;
    }
    if let Some((seq, hash)) = head {
        writeln!(stdout, "{}", super::log::head_line(lang, seq, &hash))?;
    }
    Ok(())
}

/// Streams the verdict file to `stdout`: JSON and CSV as they are produced, XLSX and DOCX
/// once built (`export::stream`). A refused export (gaps without --allow-incomplete) writes
/// nothing to `stdout`: the gaps go to stderr.
fn export_file(
    store: &Store,
    args: &RemoteExport,
    name: &str,
    lang: Lang,
    stdout: &mut dyn Write,
) -> anyhow::Result<()> {
    let format = match args.format {
        ExportFormat::Json => Format::Json,
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Xlsx => Format::Xlsx,
        ExportFormat::Docx => Format::Docx,
    };
    let snap = crate::runtime::jobs::snapshot(store, format)?;
    let meta = ExportMeta {
        exported_at: chrono::Utc::now(),
        exported_by: name.to_string(),
        allow_incomplete: args.allow_incomplete,
    };
    let submission = Submission {
        number: args.reference.as_deref().map(clean),
        date: args.ref_date,
    };
    let shown = std::path::Path::new("stdout");
    match export::stream(&snap, format, stdout, &meta, &submission, shown) {
        Ok(bytes) => {
            tracing::info!("{name} exported {} over SSH ({bytes} bytes)", format.name());
            Ok(())
        }
        Err(ExportError::Incomplete(gaps)) => anyhow::bail!(
            "{}\n{}",
            tr(lang, Key::RemoteExportIncomplete),
            super::export::gap_report(&snap, &gaps, lang)
        ),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Actor;

    #[test]
    fn a_command_beyond_those_running_at_once_is_told_to_wait_and_then_runs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let actor = Actor::new("admin", chrono::Utc::now());
        let store = Store::create(
            &dir.path().join("db"),
            &crate::interchange::campaign::sample(),
            &actor,
        )
        .expect("store");
        let words = vec!["status".to_string()];
        // Two commands are running.
        RUNNING.fetch_add(AT_ONCE, Ordering::SeqCst);
        let mut out = Vec::new();
        let busy = run(&store, &words, "An", Role::Viewer, Lang::En, &mut out);
        assert_eq!(busy.status, 1);
        assert!(out.is_empty());
        assert!(busy.stderr.contains("try again"), "{}", busy.stderr);
        RUNNING.fetch_sub(AT_ONCE, Ordering::SeqCst);
        let done = run(&store, &words, "An", Role::Viewer, Lang::En, &mut out);
        assert_eq!(done.status, 0, "{}", done.stderr);
        assert!(!out.is_empty());
        assert_eq!(RUNNING.load(Ordering::SeqCst), 0, "its place is given back");
        // A reviewer's export is refused by role, and gives its place back too.
        let words: Vec<String> = ["export", "--format", "json", "--allow-incomplete"]
            .map(String::from)
            .to_vec();
        let refused = run(
            &store,
            &words,
            "An",
            Role::Reviewer,
            Lang::En,
            &mut Vec::new(),
        );
        assert_eq!(refused.status, 1);
        assert!(refused.stderr.contains("only the chair and viewers"));
        assert_eq!(RUNNING.load(Ordering::SeqCst), 0);

        // A finished answer is sent with its place given back; an export, streamed from its
        // snapshot, keeps its place while it is sent.
        let mut probe = Probe(Vec::new());
        let done = run(
            &store,
            &["status".to_string()],
            "An",
            Role::Viewer,
            Lang::En,
            &mut probe,
        );
        assert_eq!(done.status, 0, "{}", done.stderr);
        assert!(
            !probe.0.is_empty() && probe.0.iter().all(|&n| n == 0),
            "{:?}",
            probe.0
        );
        let mut probe = Probe(Vec::new());
        let done = run(&store, &words, "An", Role::Viewer, Lang::En, &mut probe);
        assert_eq!(done.status, 0, "{}", done.stderr);
        assert!(
            !probe.0.is_empty() && probe.0.iter().all(|&n| n == 1),
            "{:?}",
            probe.0
        );
        assert_eq!(RUNNING.load(Ordering::SeqCst), 0);
    }

    /// Records how many commands hold a place at each write.
    struct Probe(Vec<usize>);

    impl Write for Probe {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.push(RUNNING.load(Ordering::SeqCst));
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
