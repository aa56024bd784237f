//! `thidua status` (being written on the import branch).

pub fn run(_global: &crate::cli::Global) -> anyhow::Result<()> {
    anyhow::bail!("`thidua status` is not available in this build")
}
