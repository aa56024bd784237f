//! What other reviewers' work costs a console in frames: the real `thidua serve` on
//! 127.0.0.1 and two reviewers connected with the russh client. A reviewer moving between
//! subjects the other does not have open sends the other no frame; leaving or joining the
//! other's subject does, and shows in its title. A burst of verdicts saved by one reviewer
//! reaches the other in frames at most every 100 ms, the last state included. (With 30
//! consoles open, redrawing every console for every move and every verdict of every reviewer
//! made each reviewer's own keys several times slower.)

use crate::russh_client;
use crate::ssh_support;

use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// The sample database, a reviewers file for An and Bình, and the server.
fn serve(dir: &std::path::Path) -> (ssh_support::Server, Arc<PrivateKey>, Arc<PrivateKey>) {
    let db = dir.join("review.db");
    make_db(&db);
    let (an_key, an_pub) = key();
    let (binh_key, binh_pub) = key();
    let reviewers = dir.join("reviewers.toml");
    std::fs::write(
        &reviewers,
        format!(
            "[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"{an_pub}\"]\n\n\
             [[reviewer]]\nname = \"Bình\"\nrole = \"reviewer\"\nkeys = [\"{binh_pub}\"]\n"
        ),
    )
    .expect("reviewers file");
    let server = start_server(&db, &reviewers, &dir.join("serve.log"));
    (server, an_key, binh_key)
}

fn block_on<F: Future<Output = anyhow::Result<()>>>(f: F) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
        .expect("two reviewers over SSH");
}

#[test]
fn moves_elsewhere_send_no_frame_to_the_others_and_moves_onto_their_subject_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (server, an_key, binh_key) = serve(dir.path());
    block_on(async {
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
        Ok(())
    });
}

#[test]
fn a_burst_of_verdicts_reaches_the_other_console_in_few_frames_and_completely() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (server, an_key, binh_key) = serve(dir.path());
    block_on(async {
        let (mut an, _) = Remote::open(server.port, "an".into(), an_key, T).await?;
        let (mut binh, _) = Remote::open(server.port, "binh".into(), binh_key, T).await?;
        binh.wait_until("An on Bình's subject", T, |s| s.contains(AN_HERE))
            .await?;
        an.press(b"\r").await?;
        let frames = binh.frames;
        let started = Instant::now();
        // Eight criteria met, each key sent once An's screen shows the previous one saved.
        for _ in 0..8 {
            an.press(b"y").await?;
        }
        binh.wait_until("An's eight verdicts on Bình's screen", T, |s| {
            s.contains("Sở Nội vụ · 8/10")
        })
        .await?;
        let took = started.elapsed();
        let got = binh.frames - frames;
        let most = took.as_millis() / 100 + 2;
        assert!(
            got as u128 <= most,
            "{got} frames for Bình in {took:?} (at most one per 100 ms expected, so {most})"
        );
        Ok(())
    });
}
