//! Drivers: they own the terminal (or channel), turn input into `Msg`s, perform the `Effect`s
//! `update` returns against the store, and draw `view`. `session` is the part every driver
//! shares (one reviewer's console bound to the shared store); `local` drives this tty, with
//! `keys` converting crossterm's events into the console's own; `commits` is each console's
//! commit worker and `jobs` its exports and history reads.

pub(crate) mod commits;
pub mod jobs;
pub(crate) mod keys;
pub mod local;
pub mod session;
pub mod shared_index;

pub use session::Session;
