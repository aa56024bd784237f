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
