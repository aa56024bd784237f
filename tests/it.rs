//! The integration tests, gathered in one test binary so that a change to the crate relinks one
//! executable instead of one per file. Each file beside this one is a module named after what
//! it covers; run one with `cargo test --test it NAME::` (e.g. `cargo test --test it ssh_e2e::`).
//!
//! A file under `tests/` that is not declared below would never be compiled, so
//! `every_test_file_is_declared` fails when one is missing.

// Shared helpers.
#[path = "support/command.rs"]
mod command;
#[path = "support/console.rs"]
mod console;
#[path = "support/pty.rs"]
mod pty;
#[path = "ssh_support/russh_client.rs"]
mod russh_client;
#[path = "ssh_support/mod.rs"]
mod ssh_support;

#[path = "backup.rs"]
mod backup;
#[path = "backup_prune.rs"]
mod backup_prune;
#[path = "backup_read_back.rs"]
mod backup_read_back;
#[path = "backups_journal.rs"]
mod backups_journal;
#[path = "backups_retired.rs"]
mod backups_retired;
#[path = "bad_campaign.rs"]
mod bad_campaign;
#[path = "bad_files.rs"]
mod bad_files;
#[path = "cli.rs"]
mod cli;
#[path = "cli_backup.rs"]
mod cli_backup;
#[path = "cli_lang.rs"]
mod cli_lang;
#[path = "cli_pipes.rs"]
mod cli_pipes;
#[path = "cli_serve.rs"]
mod cli_serve;
#[path = "console_saving.rs"]
mod console_saving;
#[path = "console_screens.rs"]
mod console_screens;
#[path = "console_update.rs"]
mod console_update;
#[path = "console_verdict_file.rs"]
mod console_verdict_file;
#[path = "council_campaign.rs"]
mod council_campaign;
#[path = "council_print.rs"]
mod council_print;
#[path = "criterion_description.rs"]
mod criterion_description;
#[path = "decision_rules.rs"]
mod decision_rules;
#[path = "export.rs"]
mod export;
#[path = "faults.rs"]
mod faults;
#[path = "holder_reads.rs"]
mod holder_reads;
#[path = "hostile.rs"]
mod hostile;
#[path = "import.rs"]
mod import;
#[path = "journal.rs"]
mod journal;
#[path = "journal_actor.rs"]
mod journal_actor;
#[path = "journal_ops.rs"]
mod journal_ops;
#[path = "layers.rs"]
mod layers;
#[path = "lists_pty.rs"]
mod lists_pty;
#[path = "lists_rest_met.rs"]
mod lists_rest_met;
#[path = "lists_screens.rs"]
mod lists_screens;
#[path = "lists_visible.rs"]
mod lists_visible;
#[path = "lists_waiting.rs"]
mod lists_waiting;
#[path = "log.rs"]
mod log;
#[path = "lookalike_names.rs"]
mod lookalike_names;
#[path = "office_dates.rs"]
mod office_dates;
#[path = "office_gaps.rs"]
mod office_gaps;
#[path = "office_import.rs"]
mod office_import;
#[path = "office_props.rs"]
mod office_props;
#[path = "office_scale.rs"]
mod office_scale;
#[path = "office_walk.rs"]
mod office_walk;
#[path = "opening.rs"]
mod opening;
#[path = "probe_edges.rs"]
mod probe_edges;
#[path = "prop_console.rs"]
mod prop_console;
#[path = "prop_roundtrip.rs"]
mod prop_roundtrip;
#[path = "pty_console.rs"]
mod pty_console;
#[path = "review_by_criterion.rs"]
mod review_by_criterion;
#[path = "review_by_criterion_pty.rs"]
mod review_by_criterion_pty;
#[path = "review_by_criterion_ssh.rs"]
mod review_by_criterion_ssh;
#[path = "review_points.rs"]
mod review_points;
#[path = "review_points_pty.rs"]
mod review_points_pty;
#[path = "safety_checkpoint_disk_full.rs"]
mod safety_checkpoint_disk_full;
#[path = "safety_console_disk_full.rs"]
mod safety_console_disk_full;
#[path = "safety_disk_full.rs"]
mod safety_disk_full;
#[path = "safety_errors.rs"]
mod safety_errors;
#[path = "safety_files.rs"]
mod safety_files;
#[path = "safety_locks.rs"]
mod safety_locks;
#[path = "screen_hides_pty.rs"]
mod screen_hides_pty;
#[path = "self_assessment.rs"]
mod self_assessment;
#[path = "shared_index.rs"]
mod shared_index;
#[path = "ssh_backpressure.rs"]
mod ssh_backpressure;
#[path = "ssh_chair.rs"]
mod ssh_chair;
#[path = "ssh_commands.rs"]
mod ssh_commands;
#[path = "ssh_console_roles.rs"]
mod ssh_console_roles;
#[path = "ssh_e2e.rs"]
mod ssh_e2e;
#[path = "ssh_hostile.rs"]
mod ssh_hostile;
#[path = "ssh_log_stream.rs"]
mod ssh_log_stream;
#[path = "ssh_opening.rs"]
mod ssh_opening;
#[path = "ssh_redraws.rs"]
mod ssh_redraws;
#[path = "ssh_refusals.rs"]
mod ssh_refusals;
#[path = "ssh_saving.rs"]
mod ssh_saving;
#[path = "ssh_typing.rs"]
mod ssh_typing;
#[path = "store.rs"]
mod store;
#[path = "store_cells.rs"]
mod store_cells;
#[path = "team_assign.rs"]
mod team_assign;
#[path = "team_import.rs"]
mod team_import;
#[path = "team_ssh_limit.rs"]
mod team_ssh_limit;
#[path = "terminal_bytes.rs"]
mod terminal_bytes;

#[test]
fn every_test_file_is_declared() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let this = include_str!("it.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("read tests/") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name == "it.rs" || !name.ends_with(".rs") {
            continue;
        }
        if !this.contains(&format!("#[path = \"{name}\"]")) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "tests/it.rs does not declare {missing:?}: add `#[path = \"FILE.rs\"] mod FILE;` for each"
    );
}
