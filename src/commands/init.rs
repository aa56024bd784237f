//! `thidua init` (being written on the import branch).

pub fn run(_global: &crate::cli::Global, _args: &crate::cli::InitArgs) -> anyhow::Result<()> {
    anyhow::bail!("`thidua init` is not available in this build")
}
