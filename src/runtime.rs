//! Drivers that perform the console's effects and feed messages back: the same `update` and
//! `view` serve every driver; only where keys come from and frames go differs.

pub mod ssh;
