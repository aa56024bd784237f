//! thidua: a keyboard-first terminal console for reviewing a Vietnamese emulation campaign
//! ("phong trào thi đua"). Layers only look down: `domain` (pure types and rules) ←
//! `store` (sled) and `interchange` (files) ← `app` (pure Elm core) ← `ui` (view) ←
//! `runtime` (drivers that perform effects).

pub mod app;
pub mod cli;
pub mod commands;
pub mod domain;
pub mod files;
pub mod i18n;
pub mod interchange;
pub mod logging;
pub mod msg;
pub mod paths;
pub mod runtime;
pub mod ssh;
pub mod store;
/// Seeded province-scale data for the benchmarks and tests; not part of the shipped program.
#[cfg(feature = "synth")]
pub mod synth;
pub mod text;
pub mod ui;
