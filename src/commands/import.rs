//! `thidua import` (being written on the import branch).

pub fn run(_global: &crate::cli::Global, _cmd: &crate::cli::ImportCommand) -> anyhow::Result<()> {
    anyhow::bail!("`thidua import` is not available in this build")
}
