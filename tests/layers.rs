//! The layers stay as drawn: every `crate::` path in `src/` is checked against the layer table
//! in `docs/ARCHITECTURE.md` (the block between `<!-- layers -->` and `<!-- /layers -->`), and
//! the pure layers are checked for terminal, storage and async crates and for clock reads.
//!
//! Code under a `#[cfg(test)]` line is not checked: unit tests may build sample data from any
//! layer. Arrows that still run the wrong way are listed in `KNOWN`; the test also fails when
//! one of them is gone, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Arrows against the table that are still in the code: (file, module or crate it reaches).
const KNOWN: &[(&str, &str)] = &[];

/// Crates the pure layers must not use, whatever the table says.
const IMPURE_CRATES: &[&str] = &["crossterm", "sled", "tokio", "russh"];
/// Layers that are pure: no terminal, no storage engine, no async runtime, no clock.
const PURE_LAYERS: &[&str] = &["domain", "app", "ui"];
const CLOCK_READS: &[&str] = &[
    "Utc::now(",
    "Local::now(",
    "SystemTime::now(",
    "Instant::now(",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The layer table: each module and the modules it may use.
fn table() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).expect("ARCHITECTURE");
    let start = doc
        .find("<!-- layers -->")
        .expect("ARCHITECTURE.md has <!-- layers -->");
    let end = doc
        .find("<!-- /layers -->")
        .expect("ARCHITECTURE.md has <!-- /layers -->");
    let mut table = BTreeMap::new();
    for line in doc[start..end].lines() {
        let Some((module, uses)) = line.split_once(" may use:") else {
            continue;
        };
        let module = module
            .trim()
            .trim_start_matches('-')
            .trim()
            .trim_matches('`');
        let uses = uses
            .split(',')
            .map(|u| u.trim().trim_matches('`').trim_end_matches('.').to_string())
            .filter(|u| !u.is_empty() && u != "nothing")
            .collect();
        table.insert(module.to_string(), uses);
    }
    assert!(
        !table.is_empty(),
        "the layer table in ARCHITECTURE.md is empty"
    );
    table
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file up to its first `#[cfg(test)]` line, with line comments blanked.
fn code_of(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        lines.push(code.to_string());
    }
    lines
}

/// The top-level modules named by `crate::` paths in `code`, with the line of each, including
/// those inside `crate::{a::X, b::{Y, Z}}` groups (which may span lines).
fn crate_paths(lines: &[String]) -> Vec<(usize, String)> {
    let text = lines.join("\n");
    let line_at = |offset: usize| text[..offset].matches('\n').count() + 1;
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("crate::") {
        let start = from + at + "crate::".len();
        from = start;
        // `$crate::` and `super::crate` do not occur; skip identifiers ending in "crate".
        let before = text[..start - "crate::".len()].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &text[start..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut word = String::new();
            let mut word_at = 0;
            for (i, c) in group.char_indices() {
                if c.is_alphanumeric() || c == '_' {
                    if word.is_empty() {
                        word_at = i;
                    }
                    word.push(c);
                    continue;
                }
                if !word.is_empty() {
                    // The first name of each item at the group's top level.
                    let item_start = group[..word_at]
                        .trim_end()
                        .chars()
                        .next_back()
                        .is_none_or(|p| p == '{' || p == ',');
                    if depth == 1 && item_start && word != "self" {
                        found.push((line_at(start + 1 + word_at), word.clone()));
                    }
                    word.clear();
                }
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((line_at(start), name));
            }
        }
    }
    found
}

#[test]
fn every_arrow_points_down() {
    let table = table();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.sort();
    let mut broken = Vec::new();
    let mut seen_known = BTreeSet::new();
    for path in &files {
        let rel = path
            .strip_prefix(root())
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        let inner = rel.trim_start_matches("src/");
        let layer = inner
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_string();
        if layer == "lib" || layer == "main" {
            continue;
        }
        let Some(may_use) = table.get(&layer) else {
            broken.push(format!(
                "{rel}: module `{layer}` is not in the layer table of docs/ARCHITECTURE.md"
            ));
            continue;
        };
        let text = std::fs::read_to_string(path).expect("read source");
        let lines = code_of(&text);
        for (line, target) in crate_paths(&lines) {
            if target == layer || !table.contains_key(&target) || may_use.contains(&target) {
                continue;
            }
            if KNOWN.contains(&(rel.as_str(), target.as_str())) {
                seen_known.insert((rel.clone(), target));
                continue;
            }
            broken.push(format!(
                "{rel}:{line}: `{layer}` uses `{target}`, but the layer table says `{layer}` may use only: {}",
                may_use.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        if PURE_LAYERS.contains(&layer.as_str()) {
            for (i, code) in lines.iter().enumerate() {
                for krate in IMPURE_CRATES {
                    let uses = code
                        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                        .any(|w| w.starts_with(&format!("{krate}::")));
                    if !uses {
                        continue;
                    }
                    if KNOWN.contains(&(rel.as_str(), krate)) {
                        seen_known.insert((rel.clone(), (*krate).to_string()));
                        continue;
                    }
                    broken.push(format!(
                        "{rel}:{}: `{layer}` is a pure layer and must not use the `{krate}` crate",
                        i + 1
                    ));
                }
                for clock in CLOCK_READS {
                    if code.contains(clock) {
                        broken.push(format!(
                            "{rel}:{}: `{layer}` is a pure layer and must not read the clock ({clock}…): take the time in a Msg",
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    for (file, target) in KNOWN {
        if !seen_known.contains(&((*file).to_string(), (*target).to_string())) {
            broken.push(format!(
                "{file} no longer uses `{target}`: remove that line from KNOWN in tests/layers.rs"
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "layer rules broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_path_reader_sees_groups_and_plain_paths() {
    let lines: Vec<String> = [
        "use crate::domain::Campaign;",
        "use crate::{",
        "    store::{Actor, Store},",
        "    text::{self, clean},",
        "};",
        "let x = crate::ui::view(m);",
        "use crate::{app, i18n};",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    let found: Vec<String> = crate_paths(&lines).into_iter().map(|(_, m)| m).collect();
    assert_eq!(found, ["domain", "store", "text", "ui", "app", "i18n"]);
}

/// Inside `ssh`, one direction: `server` → `console` → `shared` (and the small leaf modules).
#[test]
fn ssh_points_one_way() {
    let rules: &[(&str, &[&str])] = &[
        ("src/ssh/console.rs", &["server::"]),
        ("src/ssh/shared.rs", &["server::", "console::"]),
    ];
    let mut broken = Vec::new();
    for (file, forbidden) in rules {
        let text = std::fs::read_to_string(root().join(file)).expect("read source");
        for (i, code) in code_of(&text).iter().enumerate() {
            for f in *forbidden {
                let hit = code
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .any(|w| {
                        w.starts_with(f)
                            || w.starts_with(&format!("super::{f}"))
                            || w.starts_with(&format!("crate::ssh::{f}"))
                    });
                if hit {
                    broken.push(format!(
                        "{file}:{}: uses `{f}`; inside ssh the arrows run server → console → shared",
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
