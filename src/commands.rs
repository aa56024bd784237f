//! One module per command of the CLI. Each turns parsed arguments into calls on the store,
//! interchange and runtime layers, and returns an error whose text is the user's message.

pub mod console;
pub mod import;
pub mod init;
pub mod serve;
pub mod status;
