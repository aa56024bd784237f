//! Drivers: they own the terminal (or channel), turn input into `Msg`s, perform the `Effect`s
//! `update` returns against the store, and draw `view`. `session` is the part every driver
//! shares (one reviewer's console bound to the shared store); `local` drives this tty.

pub mod jobs;
pub mod local;
pub mod session;
pub mod ssh;

pub use session::Session;
