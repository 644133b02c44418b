//! Running the router: in the foreground (`serve`) or on a background thread
//! with its own runtime (`spawn_background`, for tests).

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::{Semaphore, watch};

use crate::config::Config;
use crate::conn::{self, Bounds, Stop};
use crate::state::AppState;

/// Serves `state` on `listener` until `shutdown` completes. Then it stops
/// accepting, lets requests in flight finish for at most
/// `Limits::shutdown_grace`, closes what is left, and writes what is still
/// queued.
///
/// At most `Limits::max_connections` connections are served at once: past
/// that the loop stops accepting, and new connections wait in the kernel's
/// listen backlog until a slot frees (every connection is bounded in time,
/// see `conn`), so a flood of slow clients costs a bounded amount of memory
/// and real requests are delayed, not dropped.
pub async fn serve_on(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        state.set_listen_addr(addr);
    }
    let app = crate::app(state.clone());
    state.limiter().start().await;
    crate::audit::spawn_maintenance(state.clone());
    let limits = state.config().limits.clone();
    let bounds = Bounds::of(&limits);
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let slots = Arc::new(Semaphore::new(max));
    let (stop_tx, stop_rx) = watch::channel(Stop::No);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or memory, or a connection reset
                    // before it was accepted: wait a moment, go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let app = app.clone();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            conn::serve(stream, peer, app, bounds, stop).await;
            drop(slot);
        });
    }
    // New connections are refused from here on; readiness says so to
    // requests still arriving on open connections.
    state.start_draining();
    drop(listener);
    let _ = stop_tx.send(Stop::Gracefully);
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let drained = tokio::time::timeout(limits.shutdown_grace, slots.acquire_many(all)).await;
    if drained.is_err() {
        let left = max - slots.available_permits();
        tracing::warn!(
            connections = left,
            "requests still in flight after the shutdown grace period; closing them"
        );
        let _ = stop_tx.send(Stop::Now);
        // Each connection task returns at once on `Now`.
        let _ = tokio::time::timeout(Duration::from_secs(1), slots.acquire_many(all)).await;
    }
    state.flush_last_used().await;
    state.flush_audit_refusals().await;
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

/// A server running on its own thread. Dropping it shuts the server down
/// and waits for it.
pub struct BackgroundServer {
    addr: SocketAddr,
    outbox_path: PathBuf,
    db: crate::admin::Target,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl BackgroundServer {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn outbox_path(&self) -> &Path {
        &self.outbox_path
    }

    /// The database and server key, as the admin functions take them.
    pub fn db(&self) -> &crate::admin::Target {
        &self.db
    }
}

impl Drop for BackgroundServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Binds `127.0.0.1:0`, starts the server on its own thread with its own
/// tokio runtime, and returns once the socket accepts connections (after
/// the single sign-on provider, if configured, was discovered: its failure
/// is this function's).
pub fn spawn_background(config: Config) -> std::io::Result<BackgroundServer> {
    let outbox_path = config.outbox_path.clone();
    let db = crate::admin::Target::from(&config);
    let state = AppState::new(config).map_err(std::io::Error::other)?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("scripto-server")
        .enable_all()
        .build()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<()>>();
    let thread = std::thread::Builder::new()
        .name("scripto-server".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                if let Err(e) = state.discover_sso().await {
                    let _ = ready_tx.send(Err(std::io::Error::other(e)));
                    return;
                }
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => {
                        let _ = ready_tx.send(Ok(()));
                        let stop = async {
                            let _ = rx.await;
                        };
                        if let Err(e) = serve_on(state, l, stop).await {
                            tracing::error!(error = %e, "background server failed");
                        }
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        })?;
    let ready = ready_rx
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| Err(std::io::Error::other("the server did not start in 30 s")));
    let server = BackgroundServer {
        addr,
        outbox_path,
        db,
        shutdown: Some(tx),
        thread: Some(thread),
    };
    ready.map(|()| server)
}
