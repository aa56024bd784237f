//! `thidua` with no command: open the review console on the database (creating it with the
//! bundled sample campaign, roster and initiatives on first run).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

use crate::cli::{Global, LangArg};
use crate::domain::{Initiative, InitiativeStatus, Lang, Recognition, Scope, Subject, parse_date};
use crate::store::{Actor, Store};

/// Opens the console for the reviewer named by the options or the environment.
pub fn run(global: &Global) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the review console needs a terminal (it was started with its input or output redirected); \
             run it in a terminal or over ssh"
        );
    }
    let path = db_path(global)?;
    let store = Arc::new(open_store(&path)?);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    crate::runtime::local::run(store, &reviewer(global), lang(global), no_color)
}

/// --db, else $THIDUA_DB (clap reads it), else thidua.db in the user's data folder.
fn db_path(global: &Global) -> anyhow::Result<PathBuf> {
    if let Some(p) = &global.db {
        return Ok(p.clone());
    }
    directories::ProjectDirs::from("", "", "thidua")
        .map(|d| d.data_dir().join("thidua.db"))
        .context("no home folder to keep the database in; give one with --db PATH")
}

/// --reviewer, else $USER or $LOGNAME, else "reviewer".
pub fn reviewer(global: &Global) -> String {
    global
        .reviewer
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .map(|s| crate::text::clean(&s))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "reviewer".to_string())
}

/// --lang, else English when LANG starts with "en", else Vietnamese.
pub fn lang(global: &Global) -> Lang {
    match global.lang {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Vi) => Lang::Vi,
        None => {
            if std::env::var("LANG").is_ok_and(|l| l.starts_with("en")) {
                Lang::En
            } else {
                Lang::Vi
            }
        }
    }
}

fn open_store(path: &Path) -> anyhow::Result<Store> {
    if path.exists() {
        return Ok(Store::open(path)?);
    }
    let actor = Actor::new("thidua", chrono::Utc::now());
    let store = Store::create(path, &crate::interchange::campaign::sample(), &actor)?;
    store.upsert_subjects(&sample_roster()?, "data/roster.csv", &actor)?;
    store.upsert_initiatives(&sample_initiatives()?, "data/initiatives.csv", &actor)?;
    Ok(store)
}

const ROSTER: &str = include_str!("../../data/roster.csv");
const INITIATIVES: &str = include_str!("../../data/initiatives.csv");

fn date(s: &str, what: &str, line: usize) -> anyhow::Result<Option<chrono::NaiveDate>> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    parse_date(s)
        .map(Some)
        .with_context(|| format!("bundled sample, line {line}: {what} {s:?} is not a date"))
}

/// The bundled sample roster.
pub fn sample_roster() -> anyhow::Result<Vec<Subject>> {
    let mut out = Vec::new();
    for (n, row) in csv::Reader::from_reader(ROSTER.as_bytes())
        .records()
        .enumerate()
    {
        let row = row?;
        let field = |i: usize| crate::text::clean(row.get(i).unwrap_or(""));
        out.push(Subject {
            id: field(0),
            name: field(1),
            tier: field(2),
            parent: Some(field(3)).filter(|p| !p.is_empty()),
            registered_on: date(&field(4), "registered_on", n + 2)?,
        });
    }
    Ok(out)
}

/// The bundled sample initiatives.
pub fn sample_initiatives() -> anyhow::Result<Vec<Initiative>> {
    let mut out = Vec::new();
    for (n, row) in csv::Reader::from_reader(INITIATIVES.as_bytes())
        .records()
        .enumerate()
    {
        let row = row?;
        let line = n + 2;
        let field = |i: usize| crate::text::clean(row.get(i).unwrap_or(""));
        let status = InitiativeStatus::parse(&field(4))
            .with_context(|| format!("bundled sample, line {line}: unknown status"))?;
        let recognition = match (status, date(&field(7), "decided_on", line)?) {
            (InitiativeStatus::Recognized, Some(decided_on)) => Some(Recognition {
                authority: field(5),
                decision: field(6),
                decided_on,
                scope: Scope::parse(&field(8)).unwrap_or_default(),
            }),
            _ => None,
        };
        out.push(Initiative {
            id: field(0),
            title: field(1),
            owner: field(2),
            submitted_on: date(&field(3), "submitted_on", line)?,
            status,
            recognition,
            version: 0,
        });
    }
    Ok(out)
}
