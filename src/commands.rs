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
pub(crate) fn print_text(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
