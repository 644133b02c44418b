//! One client connection, with a bound on every wait: the request's
//! headers must arrive within `header_timeout` of their first byte (of the
//! connection's opening, for its first request), its
//! body within `body_timeout` of the headers, and a keep-alive connection
//! may wait `idle_timeout` for its next request. A client that is too slow
//! is disconnected (or, for a body, answered 408), so slow or half-open
//! connections cannot pile up.
//!
//! hyper has a header-read timeout of its own, but its clock also runs
//! while a keep-alive connection is idle, so the header and idle bounds
//! could not differ; both are kept here instead, by the connection's task,
//! which drops the connection when its deadline passes.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Notify, watch};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

use crate::config::Limits;

/// What the accept loop asks of its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Serve.
    No,
    /// Finish the request in flight, then close.
    Gracefully,
    /// Close now.
    Now,
}

/// The bounds of one connection.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub header: Duration,
    pub body: Duration,
    pub idle: Duration,
}

impl Bounds {
    pub fn of(limits: &Limits) -> Bounds {
        Bounds {
            header: limits.header_timeout,
            body: limits.body_timeout,
            idle: limits.idle_timeout,
        }
    }
}

/// Serves `stream` until the client leaves, a bound is passed, or `stop`
/// says so.
pub async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    bounds: Bounds,
    mut stop: watch::Receiver<Stop>,
) {
    let _ = stream.set_nodelay(true);
    let clock = Arc::new(Clock::new(bounds));
    let io = Guarded {
        inner: stream,
        clock: clock.clone(),
    };
    let on_request = clock.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        on_request.update(|c| {
            c.busy = true;
            c.head_started = None;
        });
        let (mut parts, body) = req.into_parts();
        parts.extensions.insert(ConnectInfo(peer));
        let body = Body::new(Deadline::new(body, bounds.body));
        let answer = app.clone().oneshot(hyper::Request::from_parts(parts, body));
        let clock = on_request.clone();
        async move {
            let resp = answer.await;
            clock.update(|c| {
                c.busy = false;
                c.idle_since = Instant::now();
            });
            resp
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        // The bounds are kept here (see the module comment).
        .header_read_timeout(None)
        // Request line and headers fit in 16 KiB (431 otherwise), so 512
        // connections buffer at most 8 MiB; hyper's default is 400 KiB.
        .max_buf_size(16 * 1024)
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    let mut asked = false;
    loop {
        let wanted = *stop.borrow_and_update();
        match wanted {
            Stop::Now => return,
            Stop::Gracefully if !asked => {
                asked = true;
                conn.as_mut().graceful_shutdown();
            }
            _ => {}
        }
        let changed = clock.changed.notified();
        let deadline = clock.deadline();
        let expired = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            res = conn.as_mut() => {
                if let Err(e) = res {
                    tracing::debug!(%peer, error = %e, "connection closed");
                }
                return;
            }
            changed = stop.changed() => {
                if changed.is_err() {
                    // The accept loop is gone: nobody can ask any more.
                    let _ = conn.as_mut().await;
                    return;
                }
            }
            () = changed => {}
            () = expired => {
                if clock.deadline().is_some_and(|d| d <= Instant::now()) {
                    tracing::debug!(%peer, "closing a connection that was too slow or idle too long");
                    return;
                }
            }
        }
    }
}

/// Where a connection stands, shared by the socket (which sees the first
/// byte of a request), the service (which sees requests begin and end) and
/// the connection task (which keeps the deadline).
struct Clock {
    bounds: Bounds,
    state: Mutex<ClockState>,
    changed: Notify,
}

struct ClockState {
    /// A request is being answered: no read deadline (its body has its own).
    busy: bool,
    /// When the connection last became idle.
    idle_since: Instant,
    /// When the first byte of the request being read arrived.
    head_started: Option<Instant>,
}

impl Clock {
    fn new(bounds: Bounds) -> Clock {
        Clock {
            bounds,
            // A new connection is there to send a request: its first one
            // gets the header bound from the start, not the idle bound.
            state: Mutex::new(ClockState {
                busy: false,
                idle_since: Instant::now(),
                head_started: Some(Instant::now()),
            }),
            changed: Notify::new(),
        }
    }

    fn update(&self, f: impl FnOnce(&mut ClockState)) {
        f(&mut self.state.lock().unwrap_or_else(|e| e.into_inner()));
        self.changed.notify_one();
    }

    /// When the connection is to be closed unless something happens: the
    /// header bound once a request began, else the idle bound; none while a
    /// request is answered.
    fn deadline(&self) -> Option<Instant> {
        let c = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if c.busy {
            None
        } else if let Some(start) = c.head_started {
            Some(start + self.bounds.header)
        } else {
            Some(c.idle_since + self.bounds.idle)
        }
    }

    /// Bytes arrived: the first of a request starts its header clock.
    fn bytes_read(&self) {
        let started = {
            let mut c = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if !c.busy && c.head_started.is_none() {
                c.head_started = Some(Instant::now());
                true
            } else {
                false
            }
        };
        if started {
            self.changed.notify_one();
        }
    }
}

/// The socket, telling the clock when bytes arrive.
struct Guarded {
    inner: TcpStream,
    clock: Arc<Clock>,
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let res = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(res, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.clock.bytes_read();
        }
        res
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// The request body was not all sent within the body bound.
#[derive(Debug, thiserror::Error)]
#[error("the request body was not sent within {0:?}")]
pub struct BodyTimeout(Duration);

/// Whether `err` (or an error it wraps) is a [`BodyTimeout`].
pub fn is_body_timeout(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if e.is::<BodyTimeout>() {
            return true;
        }
        cur = e.source();
    }
    false
}

/// A request body that fails with [`BodyTimeout`] once its bound passes.
struct Deadline {
    inner: Incoming,
    bound: Duration,
    timer: Pin<Box<Sleep>>,
}

impl Deadline {
    fn new(inner: Incoming, bound: Duration) -> Deadline {
        Deadline {
            inner,
            bound,
            timer: Box::pin(tokio::time::sleep(bound)),
        }
    }
}

impl HttpBody for Deadline {
    type Data = hyper::body::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => Poll::Ready(frame.map(|f| f.map_err(Into::into))),
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimeout(this.bound))))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
