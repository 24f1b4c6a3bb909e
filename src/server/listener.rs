//! The connection layer: accepts TCP connections and serves HTTP/1.1 on them with hyper,
//! with the limits a public-facing service needs.
//!
//! - **A connection cap.** At `max_connections` open connections, a new one first takes the
//!   place of the oldest connection that has not yet sent a complete request head (a slow or
//!   idle client holding a descriptor for nothing; it is closed). Only when every open
//!   connection has a request in flight or behind it does the new one get a `503` with
//!   `Retry-After` and is closed, instead of the process running out of file descriptors
//!   (which would stop it from answering anyone, `/healthz` included). So a flood of slow
//!   clients cannot lock out a health check. The cap defaults to a safe share of the
//!   descriptor limit, which is first raised to its maximum.
//! - **A header timeout.** A connection must deliver a complete request head within
//!   `header_timeout` of opening or of its previous response (this is also the keep-alive
//!   idle timeout); otherwise hyper closes it.
//! - **A write timeout.** A client that stops reading its response for `write_timeout` is
//!   disconnected.
//! - **Graceful shutdown.** On the shutdown signal the listener closes, idle connections and
//!   those still without a complete request head close at once, requests in flight may
//!   finish for `grace`; whatever is still open then is dropped, so slow clients cannot
//!   delay the final flush.
//!
//! Body timeouts are per route (only writes read bodies), see [`super::limits`].

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;

use super::state::AppState;

/// Limits of the connection layer.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections served at once; more get a 503.
    pub max_connections: usize,
    /// Time allowed for a complete request head (also the keep-alive idle timeout).
    pub header_timeout: Duration,
    /// Time a response write may stay blocked on a client that does not read.
    pub write_timeout: Duration,
    /// Time in-flight requests get to finish after the shutdown signal.
    pub grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: default_max_connections(),
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            grace: Duration::from_secs(10),
        }
    }
}

/// Descriptors kept for everything but client connections: the store's files, the
/// listener, logs, and the short-lived sockets that answer refused connections.
const RESERVED_DESCRIPTORS: u64 = 128;

/// Refused connections answered at once at most; beyond, they are closed without a word.
const MAX_REFUSALS_IN_FLIGHT: usize = 64;

/// Raises the soft limit on open files to the hard limit (as Go's runtime does), and returns
/// the resulting soft limit (`None` where unknown).
pub fn raise_descriptor_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
        let limit = getrlimit(Resource::Nofile);
        if let (Some(current), Some(maximum)) = (limit.current, limit.maximum) {
            if maximum > current {
                let raised = Rlimit {
                    current: Some(maximum.min(1 << 20)),
                    maximum: Some(maximum),
                };
                if setrlimit(Resource::Nofile, raised).is_ok() {
                    return Some(maximum.min(1 << 20));
                }
            }
        }
        limit.current.or(Some(u64::MAX))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// 1,024 connections, or fewer when the descriptor limit leaves less room.
pub fn default_max_connections() -> usize {
    let room = raise_descriptor_limit().map_or(1024, |limit| {
        limit.saturating_sub(RESERVED_DESCRIPTORS + MAX_REFUSALS_IN_FLIGHT as u64)
    });
    room.clamp(16, 1024) as usize
}

/// Serves `app` on `listener` until `shutdown` completes, then shuts down gracefully.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    state: AppState,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSALS_IN_FLIGHT));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(64 * 1024)
        .keep_alive(true);
    let service = TowerToHyperService::new(app);
    let waiting = Waiting::default();
    let mut exhausted_logged = false;
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => {
                exhausted_logged = false;
                stream
            }
            Err(e) => {
                // Out of descriptors (or another transient error): wait a little rather than
                // spin; the cap makes this rare.
                if !exhausted_logged {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    exhausted_logged = true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let server = Server {
            http: http.clone(),
            service: service.clone(),
            graceful: &graceful,
            waiting: &waiting,
            state: &state,
            write_timeout: limits.write_timeout,
        };
        if let Ok(permit) = Arc::clone(&open).try_acquire_owned() {
            server.start(stream, permit);
            continue;
        }
        // At the cap: close the oldest connection still waiting for its first request head,
        // and give its place to this one once it has gone.
        let Ok(slot) = Arc::clone(&refusing).try_acquire_owned() else {
            count_refused(&state);
            refuse_at_once(stream, limits.max_connections);
            continue;
        };
        if waiting.evict_oldest() {
            state
                .metrics()
                .connections_evicted
                .fetch_add(1, Ordering::Relaxed);
            let open = Arc::clone(&open);
            let next = server.detached();
            let cap = limits.max_connections;
            tokio::spawn(async move {
                match tokio::time::timeout(EVICTION_WAIT, open.acquire_owned()).await {
                    Ok(Ok(permit)) => next.start(stream, permit),
                    _ => {
                        count_refused(&next.state);
                        refuse(stream, cap).await;
                    }
                }
                drop(slot);
            });
        } else {
            count_refused(&state);
            let cap = limits.max_connections;
            tokio::spawn(async move {
                refuse(stream, cap).await;
                drop(slot);
            });
        }
    }
    drop(listener);
    // Connections that never sent a complete request have nothing to finish: close them now
    // rather than wait out the grace period for slow clients.
    waiting.evict_all();
    let open_now = graceful.count();
    tracing::info!(
        connections = open_now,
        grace_s = limits.grace.as_secs_f64(),
        "shutting down: no new connections; letting requests in flight finish"
    );
    if tokio::time::timeout(limits.grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("grace period over; closing the connections still open");
    }
}

/// How long a connection that evicted an idle one waits for the freed place.
const EVICTION_WAIT: Duration = Duration::from_secs(1);

fn count_refused(state: &AppState) {
    state
        .metrics()
        .connections_refused
        .fetch_add(1, Ordering::Relaxed);
}

/// The open connections that have not yet delivered a complete request head, by accept
/// order: the candidates for eviction when the cap is reached.
#[derive(Clone, Default)]
struct Waiting {
    inner: Arc<Mutex<WaitingInner>>,
}

#[derive(Default)]
struct WaitingInner {
    next: u64,
    by_age: BTreeMap<u64, Arc<Notify>>,
}

impl Waiting {
    /// Registers a new connection; returns its number and the signal that evicts it.
    fn add(&self) -> (u64, Arc<Notify>) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let id = inner.next;
        inner.next += 1;
        let evict = Arc::new(Notify::new());
        inner.by_age.insert(id, Arc::clone(&evict));
        (id, evict)
    }

    /// Forgets a connection (its first request arrived, or it closed).
    fn remove(&self, id: u64) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.by_age.remove(&id);
    }

    /// Signals every waiting connection to close (at shutdown).
    fn evict_all(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        for (_, evict) in std::mem::take(&mut inner.by_age) {
            evict.notify_one();
        }
    }

    /// Signals the oldest waiting connection to close; false when there is none.
    fn evict_oldest(&self) -> bool {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match inner.by_age.pop_first() {
            Some((_, evict)) => {
                evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// What starting a connection needs from the accept loop.
struct Server<'a> {
    http: hyper::server::conn::http1::Builder,
    service: TowerToHyperService<Router>,
    graceful: &'a GracefulShutdown,
    waiting: &'a Waiting,
    state: &'a AppState,
    write_timeout: Duration,
}

/// The same, owned, for a task that starts a connection later.
struct DetachedServer {
    http: hyper::server::conn::http1::Builder,
    service: TowerToHyperService<Router>,
    watcher: hyper_util::server::graceful::Watcher,
    waiting: Waiting,
    state: AppState,
    write_timeout: Duration,
}

impl Server<'_> {
    fn detached(&self) -> DetachedServer {
        DetachedServer {
            http: self.http.clone(),
            service: self.service.clone(),
            watcher: self.graceful.watcher(),
            waiting: self.waiting.clone(),
            state: self.state.clone(),
            write_timeout: self.write_timeout,
        }
    }

    fn start(self, stream: TcpStream, permit: OwnedSemaphorePermit) {
        self.detached().start(stream, permit);
    }
}

impl DetachedServer {
    /// Serves `stream` on a task of its own, holding `permit` until it closes.
    fn start(self, stream: TcpStream, permit: OwnedSemaphorePermit) {
        let _ = stream.set_nodelay(true);
        let (id, evict) = self.waiting.add();
        let io = TokioIo::new(WriteDeadline::new(stream, self.write_timeout));
        let service = FirstRequest {
            inner: self.service,
            waiting: self.waiting.clone(),
            id,
            seen: Arc::new(AtomicBool::new(false)),
        };
        let connection = self.watcher.watch(self.http.serve_connection(io, service));
        let m = self.state.metrics();
        m.connections_accepted.fetch_add(1, Ordering::Relaxed);
        m.connections_open.fetch_add(1, Ordering::Relaxed);
        let (state, waiting) = (self.state, self.waiting);
        tokio::spawn(async move {
            tokio::select! {
                ended = connection => {
                    if let Err(e) = ended {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                () = evict.notified() => {
                    tracing::debug!("closed a connection without a request to make room");
                }
            }
            waiting.remove(id);
            state
                .metrics()
                .connections_open
                .fetch_sub(1, Ordering::Relaxed);
            drop(permit);
        });
    }
}

/// The router's service, telling [`Waiting`] when a connection's first request arrives (so
/// that a connection with a request in flight or behind it is never evicted).
#[derive(Clone)]
struct FirstRequest {
    inner: TowerToHyperService<Router>,
    waiting: Waiting,
    id: u64,
    seen: Arc<AtomicBool>,
}

impl<B> hyper::service::Service<hyper::Request<B>> for FirstRequest
where
    TowerToHyperService<Router>: hyper::service::Service<hyper::Request<B>>,
{
    type Response =
        <TowerToHyperService<Router> as hyper::service::Service<hyper::Request<B>>>::Response;
    type Error = <TowerToHyperService<Router> as hyper::service::Service<hyper::Request<B>>>::Error;
    type Future =
        <TowerToHyperService<Router> as hyper::service::Service<hyper::Request<B>>>::Future;

    fn call(&self, request: hyper::Request<B>) -> Self::Future {
        if !self.seen.swap(true, Ordering::Relaxed) {
            self.waiting.remove(self.id);
        }
        self.inner.call(request)
    }
}

/// The whole `503` answer to a connection over the cap.
fn refusal(cap: usize) -> Vec<u8> {
    let body = format!(
        "{{\"error\":{{\"code\":\"unavailable\",\"message\":\"too many open connections (at most {cap}); retry later\"}}}}"
    );
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Refuses without waiting, when even the sockets that answer refusals are all busy: the
/// `503` goes into the socket's send buffer (it is far smaller than any buffer) and what the
/// client already sent is read away, so that closing sends an orderly FIN and the client
/// reads the answer instead of a reset.
/// (The socket leaves the runtime first: a freshly accepted socket has no readiness
/// recorded yet, so the runtime's `try_write` would not even try.)
fn refuse_at_once(stream: TcpStream, cap: usize) {
    use std::io::{Read, Write};
    let Ok(mut socket) = stream.into_std() else {
        return;
    };
    let _ = socket.write(&refusal(cap));
    let _ = socket.shutdown(std::net::Shutdown::Write);
    let mut sink = [0u8; 4096];
    while matches!(socket.read(&mut sink), Ok(n) if n > 0) {}
}

/// Answers a connection over the cap with a 503 and closes it (after reading what the
/// client sent, briefly, so that the close does not reset the answer away).
async fn refuse(mut stream: TcpStream, cap: usize) {
    let answer = async {
        stream.write_all(&refusal(cap)).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        loop {
            let mut buf = ReadBuf::new(&mut sink);
            std::future::poll_fn(|cx| Pin::new(&mut stream).poll_read(cx, &mut buf)).await?;
            if buf.filled().is_empty() {
                return Ok::<_, io::Error>(());
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), answer).await;
}

/// A stream whose writes fail with `TimedOut` once they have been blocked (the peer not
/// reading) for longer than the timeout.
pub struct WriteDeadline<T> {
    inner: T,
    timeout: Duration,
    blocked: Option<Pin<Box<Sleep>>>,
}

impl<T> WriteDeadline<T> {
    /// Wraps `inner`.
    pub fn new(inner: T, timeout: Duration) -> Self {
        WriteDeadline {
            inner,
            timeout,
            blocked: None,
        }
    }

    fn check<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        if poll.is_ready() {
            self.blocked = None;
            return poll;
        }
        let timeout = self.timeout;
        let sleep = self
            .blocked
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading its response",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteDeadline<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.check(cx, poll)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.check(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.check(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.check(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_write_blocked_past_the_deadline_fails() {
        // A duplex pipe with a 16-byte buffer nobody reads.
        let (client, _server) = tokio::io::duplex(16);
        let mut stream = WriteDeadline::new(client, Duration::from_millis(100));
        let started = std::time::Instant::now();
        let err = stream.write_all(&[0u8; 1024]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn writes_that_progress_never_time_out() {
        let (client, mut server) = tokio::io::duplex(16);
        let reader = tokio::spawn(async move {
            let mut all = Vec::new();
            tokio::io::AsyncReadExt::read_to_end(&mut server, &mut all)
                .await
                .unwrap();
            all.len()
        });
        let mut stream = WriteDeadline::new(client, Duration::from_millis(100));
        stream.write_all(&[1u8; 4096]).await.unwrap();
        stream.shutdown().await.unwrap();
        drop(stream);
        assert_eq!(reader.await.unwrap(), 4096);
    }

    #[tokio::test]
    async fn eviction_takes_the_oldest_connection_still_without_a_request() {
        let waiting = Waiting::default();
        let (first, evict_first) = waiting.add();
        let (second, evict_second) = waiting.add();
        let (_third, evict_third) = waiting.add();
        // The first connection's request arrived: it is no longer a candidate.
        waiting.remove(first);
        assert!(waiting.evict_oldest());
        tokio::time::timeout(Duration::from_secs(1), evict_second.notified())
            .await
            .expect("the second connection is signalled");
        waiting.remove(second);
        assert!(waiting.evict_oldest());
        tokio::time::timeout(Duration::from_secs(1), evict_third.notified())
            .await
            .expect("then the third");
        assert!(!waiting.evict_oldest(), "nobody is left to evict");
        let untouched = tokio::time::timeout(Duration::from_millis(50), evict_first.notified());
        assert!(
            untouched.await.is_err(),
            "a connection with a request is never evicted"
        );
    }

    #[test]
    fn the_default_cap_leaves_descriptors_for_the_rest() {
        let cap = default_max_connections();
        assert!((16..=1024).contains(&cap), "{cap}");
    }
}
