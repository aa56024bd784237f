//! The accept loop. russh's own loop stops the whole server on the first accept error (e.g.
//! too many open files) and cannot turn anyone away before the handshake; this one keeps
//! serving, caps the connections open at once, holds back addresses with a record of failed
//! logins before any SSH work is done for them, and drops a connection that has not logged in
//! within a minute (so half-open connections cannot fill the cap).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use russh::Disconnect;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::server::{Connection, Shared};

/// Time allowed from connecting to logging in.
const LOGIN_GRACE: Duration = Duration::from_secs(60);

/// Connections allowed at once for a console cap of `max_sessions`: every console plus room
/// for people logging in.
pub fn max_connections(max_sessions: usize) -> usize {
    max_sessions * 2 + 16
}

/// Serves connections from `listener` until `stop` turns true, then disconnects everyone.
pub async fn serve(
    listener: &TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    stop: watch::Receiver<bool>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut stop_accepting = stop.clone();
    loop {
        let accepted = tokio::select! {
            _ = stop_accepting.wait_for(|s| *s) => return,
            r = listener.accept() => r,
        };
        let (socket, peer) = match accepted {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("accepting a connection failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let limit = max_connections(shared.reviewers().settings.max_sessions);
        if open.load(Ordering::SeqCst) >= limit {
            tracing::warn!(peer = %peer, "connection refused: {limit} connections already open");
            drop(socket);
            continue;
        }
        open.fetch_add(1, Ordering::SeqCst);
        let open = open.clone();
        let config = config.clone();
        let shared = shared.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let delay = shared.guard.delay_for(peer.ip(), Instant::now());
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            if let Err(e) = socket.set_nodelay(true) {
                tracing::debug!("set_nodelay failed: {e}");
            }
            let handler = Connection::new(shared, Some(peer));
            let logged_in = handler.logged_in();
            match russh::server::run_stream(config, socket, handler).await {
                Ok(session) => {
                    let handle = session.handle();
                    let grace = async {
                        tokio::time::sleep(LOGIN_GRACE).await;
                        if logged_in.load(Ordering::SeqCst) {
                            std::future::pending::<()>().await;
                        }
                    };
                    tokio::select! {
                        r = session => {
                            if let Err(e) = r {
                                tracing::debug!("connection ended with an error: {e}");
                            }
                        }
                        _ = grace => {
                            tracing::info!(peer = %peer, "disconnected: no login within {}s", LOGIN_GRACE.as_secs());
                            let _ = handle
                                .disconnect(Disconnect::ByApplication, "login took too long".into(), String::new())
                                .await;
                        }
                        _ = async { let _ = stop.wait_for(|s| *s).await; } => {
                            let _ = handle
                                .disconnect(
                                    Disconnect::ByApplication,
                                    "the thidua server is stopping".into(),
                                    String::new(),
                                )
                                .await;
                        }
                    }
                }
                Err(e) => tracing::debug!(peer = %peer, "handshake failed: {e}"),
            }
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}
