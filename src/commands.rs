//! One module per command of the CLI. Each turns parsed arguments into calls on the store,
//! interchange and runtime layers, and returns an error whose text is the user's message.

pub mod assign;
pub mod backup;
pub mod console;
pub mod export;
pub mod import;
pub mod init;
pub mod log;
pub mod remote;
pub mod serve;
pub mod source;
pub mod status;

/// Writes a command's result `text` on stdout. A pipe closed by its reader (`thidua import
/// FILE | head`, `thidua status | head -5`) is the reader's choice, not an error: the rest is
/// dropped and the command still succeeds (what it wrote to the database is already on disk).
pub fn print_text(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes `line` and a line break on stdout, as [`print_text`] does.
pub fn print_line(line: &str) -> anyhow::Result<()> {
    print_text(&format!("{line}\n"))
}

/// Writes `line` and a line break on stderr. A message that cannot be shown (stderr closed, or
/// a pipe closed by its reader) is dropped: the exit status still tells the outcome.
pub fn eprint_line(line: &str) {
    eprint_text(&format!("{line}\n"));
}

/// Writes `text` on stderr as it is; see [`eprint_line`].
pub fn eprint_text(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}
