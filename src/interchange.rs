//! Files in and out: the campaign TOML, roster and initiative imports (CSV or XLSX), and, in
//! later modules, verdict exports. Bytes become domain values here, with errors that name the
//! file, the line (or sheet row) and the field.

pub mod campaign;
pub mod export;
pub mod initiatives;
pub mod office;
pub mod plan;
pub mod roster;
pub mod self_assessment;
pub mod table;
pub(crate) mod xlsx_rows;
