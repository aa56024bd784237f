//! Saving off the key thread over SSH: the real `thidua serve` on 127.0.0.1 with every commit
//! slowed down (`THIDUA_TEST_COMMIT_DELAY_MS`, read only by debug and test builds), a reviewer
//! on the system `ssh` client. "đang lưu…" shows while the disk is slow, moves take effect
//! at once, a change of a row still being saved waits for it, quitting waits for every save,
//! and the database has every decision in the order typed.

use crate::ssh_support;

use std::time::Duration;

use ssh_support::*;
use thidua::domain::{AuditAction, VerdictValue};
use thidua::store::Store;

const T: Duration = Duration::from_secs(20);

#[test]
fn over_ssh_a_slow_disk_shows_saving_and_keeps_the_keys_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!("[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\n"),
    )
    .expect("reviewers file");
    let server = start_server_env(
        &db,
        &reviewers,
        &dir.path().join("serve.log"),
        &[],
        &[("THIDUA_TEST_COMMIT_DELAY_MS", "700")],
    );
    let mut an = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    an.wait_text("Người đánh giá: An", T);
    an.send(b"\r");
    an.wait_for("the criteria pane to have the keyboard", T, |s| {
        s.contains("▶ Sở Nội vụ")
    });
    // TT1, TT2, TT3 met; back up to TT3 and set it pending again (that waits for TT3's own
    // save), then down; and quit (that waits for every save): all typed at once.
    an.send(b"yyyk-jq");
    an.wait_for("saving, with the selection back on TT3", T, |s| {
        s.contains("đang lưu…") && s.contains("▶ TT3")
    });
    an.wait_text("sẽ thoát khi mọi quyết định đã lưu xong", T);
    assert!(
        an.wait_exit(T),
        "the console closed once everything was saved"
    );
    drop(server);

    let store = Store::open(&db).expect("open");
    let order: Vec<(String, VerdictValue)> = store
        .audit(Some("SNV"))
        .expect("audit")
        .into_iter()
        .filter_map(|e| match e.action {
            AuditAction::Verdict { criterion, new, .. } => Some((criterion, new.value)),
            _ => None,
        })
        .collect();
    let want: Vec<(String, VerdictValue)> = [
        ("TT1", VerdictValue::Met),
        ("TT2", VerdictValue::Met),
        ("TT3", VerdictValue::Met),
        ("TT3", VerdictValue::Pending),
    ]
    .into_iter()
    .map(|(c, v)| (c.to_string(), v))
    .collect();
    assert_eq!(order, want);
}
