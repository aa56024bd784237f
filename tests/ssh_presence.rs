//! Presence over SSH costs frames only when it shows: the real `thidua serve` on 127.0.0.1 and
//! two reviewers connected with the russh client. A reviewer moving between subjects the other
//! does not have open sends the other no frame; leaving or joining the other's subject does,
//! and shows in its title. (With 30 consoles open, redrawing every console on every move of
//! every reviewer made a move's answer several times slower.)

#[path = "ssh_support/russh_client.rs"]
mod russh_client;
mod ssh_support;

use std::sync::Arc;
use std::time::Duration;

use russh::keys::{Algorithm, PrivateKey};
use russh_client::Remote;
use ssh_support::{make_db, start_server};

const T: Duration = Duration::from_secs(15);
/// What Bình's title says while An has the same subject open.
const AN_HERE: &str = "An cũng đang xem";

fn key() -> (Arc<PrivateKey>, String) {
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).expect("ed25519 key");
    let public = key.public_key().to_openssh().expect("public key line");
    (Arc::new(key), public)
}

#[test]
fn moves_elsewhere_send_no_frame_to_the_others_and_moves_onto_their_subject_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    make_db(&db);
    let (an_key, an_pub) = key();
    let (binh_key, binh_pub) = key();
    let reviewers = dir.path().join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!(
            "[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\n\n\
             [[reviewer]]\nname = \"Bình\"\nrole = \"reviewer\"\nkeys = [\"{binh_pub}\"]\n"
        ),
    )
    .expect("reviewers file");
    let server = start_server(&db, &reviewers, &dir.path().join("serve.log"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime
        .block_on(async {
            let (mut an, _) = Remote::open(server.port, "an".into(), an_key, T).await?;
            let (mut binh, _) = Remote::open(server.port, "binh".into(), binh_key, T).await?;
            // Both start on the first subject.
            binh.wait_until("An on Bình's subject", T, |s| s.contains(AN_HERE))
                .await?;
            an.press(b"j").await?;
            binh.wait_until("An gone from Bình's subject", T, |s| !s.contains(AN_HERE))
                .await?;
            let frames = binh.frames;
            // Two moves between subjects Bình does not have open, each answered on An's
            // screen, then back onto Bình's subject.
            an.press(b"j").await?;
            an.press(b"k").await?;
            an.press(b"k").await?;
            binh.wait_until("An back on Bình's subject", T, |s| s.contains(AN_HERE))
                .await?;
            assert_eq!(
                binh.frames - frames,
                1,
                "Bình gets one frame (An back on the subject), none for An's moves elsewhere"
            );
            anyhow::Ok(())
        })
        .expect("two reviewers over SSH");
}
