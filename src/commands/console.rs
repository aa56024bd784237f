//! `thidua` with no command: open the review console on the database (creating it with the
//! bundled sample campaign, roster and initiatives on first run).

use std::sync::Arc;

use crate::cli::Global;
use crate::paths;
use crate::runtime::local::OpenStore;

/// Opens the console for the reviewer named by the options or the environment.
pub fn run(global: &Global) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(crate::i18n::tr(
            paths::lang(global),
            crate::i18n::Key::CliNeedsTerminal
        ));
    }
    let path = paths::db_path(global)?;
    // A new database is made here, where its message can be printed; an existing one is
    // opened by the console while it already answers (a large one takes a while).
    let open: OpenStore = if path.exists() && !crate::store::is_empty_dir(&path) {
        let path = path.clone();
        Box::new(move || {
            tracing::info!("opening {}", path.display());
            Ok(Arc::new(crate::store::Store::open(&path)?))
        })
    } else {
        let store = Arc::new(super::init::open_or_create_default(global)?);
        Box::new(move || Ok(store))
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let log = paths::data_dir(&path).join(crate::logging::FILE);
    crate::runtime::local::run(
        open,
        &path,
        &paths::reviewer(global),
        paths::lang(global),
        no_color,
        &log,
    )
}
