//! Review by criterion over SSH: the real `thidua serve` on 127.0.0.1 and the system `ssh`
//! client in pseudo-terminals. Two reviewers review TT1 by criterion at once; An's decisions
//! move An on subject by subject and show up on Bình's list as they are saved, and the
//! database holds them after the server has stopped. Every wait polls the screen with a bound.

use std::time::Duration;

use crate::ssh_support::*;
use thidua::domain::VerdictValue;
use thidua::store::Store;

const T: Duration = Duration::from_secs(10);

#[test]
fn two_reviewers_review_one_criterion_over_ssh() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = keygen(dir.path(), "an");
    let (binh_key, binh_pub) = keygen(dir.path(), "binh");
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!(
            "[[reviewer]]\nname = \"an\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\n\n\
             [[reviewer]]\nname = \"binh\"\nrole = \"reviewer\"\nkeys = [\"{binh_pub}\"]\n"
        ),
    )
    .expect("reviewers file");
    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));
    let mut an = Term::connect("an", server.port, &an_key, 80, 24, &[]);
    let mut binh = Term::connect("binh", server.port, &binh_key, 80, 24, &[]);
    for t in [&mut an, &mut binh] {
        t.wait_text("Sở Nội vụ", T);
        t.send(b"\r");
        t.wait_text("▶ TT1", T);
        t.send(b"b");
        t.wait_text("Theo tiêu chí · TT1 · ", T);
        t.wait_text("Còn 3/3 chưa đánh giá", T);
    }
    // An: Đạt on the first, Không đạt with a reason on the second.
    an.send(b"y");
    an.wait_for("An moved on to the second agency", T, |s| {
        s.contains("▶ · Sở Tài chính")
    });
    an.send(b"n");
    an.wait_text("Ghi lý do", T);
    an.send("thiếu kế hoạch".as_bytes());
    an.send(b"\r");
    an.wait_text("Còn 1/3 chưa đánh giá", T);
    an.wait_for("An on the third agency", T, |s| s.contains("▶ · Sở Y tế"));
    // Bình, reviewing the same criterion, sees both arrive without pressing a key.
    binh.wait_for("An's verdicts on Bình's list", T, |s| {
        s.lines().any(|l| l.contains("✓ Sở Nội vụ"))
            && s.lines()
                .any(|l| l.contains("✗ Sở Tài chính") && l.contains("thiếu kế hoạch"))
    });
    binh.wait_text("Còn 1/3 chưa đánh giá", T);
    // Esc gives Bình the criteria pane back, on the subject Bình left.
    binh.send(b"\x1b");
    binh.wait_text("▶ TT1", T);
    for t in [&mut an, &mut binh] {
        t.send(b"q");
        assert!(t.wait_exit(T), "ssh exits after q");
    }
    drop(server);

    let store = Store::open(&db).expect("open");
    let v = store.verdict("SNV", "TT1").expect("read").expect("decided");
    assert_eq!((v.value, v.reviewer.as_str()), (VerdictValue::Met, "an"));
    let v = store.verdict("STC", "TT1").expect("read").expect("decided");
    assert_eq!(v.value, VerdictValue::NotMet);
    assert_eq!(v.note, "thiếu kế hoạch");
    assert!(store.verdict("SYT", "TT1").expect("read").is_none());
}
