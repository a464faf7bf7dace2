//! The HTTP/1.1 server: hyper driven directly so faults can cut a connection at
//! exactly the point asked for.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use http::{Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulConnection;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

use crate::envelope::{ApiError, Reply};
use crate::faults::DropPoint;
use crate::reqlog::{LoggedRequest, RequestLog};
use crate::routes::{self, ApiRequest};
use crate::seed::Seed;
use crate::state::State;
use crate::{admin, faults, ids};

/// Largest request body accepted (Workers uploads are the big ones).
const MAX_BODY: usize = 64 << 20;
/// How long shutdown waits for in-flight connections.
const DRAIN: Duration = Duration::from_secs(5);
/// Pause that lets hyper flush what was written before a fault cuts the connection.
const FLUSH_PAUSE: Duration = Duration::from_millis(25);

type Body = BoxBody<Bytes, io::Error>;

/// Everything the connections share.
#[derive(Debug)]
pub struct Shared {
    state: RwLock<State>,
    seed: Seed,
    /// Queued faults.
    pub faults: faults::Faults,
    /// Served requests.
    pub log: RequestLog,
    /// Log credential headers as sent (for client test suites that check the wire); masked otherwise.
    pub reveal_secrets: bool,
    /// Added to every API response, in microseconds.
    latency_us: AtomicU64,
    /// Connections accepted.
    connections: AtomicU64,
}

impl Shared {
    /// Shared data built from a (validated) seed.
    pub fn new(seed: Seed) -> Shared {
        let state = State::from_seed(&seed).expect("seeds are validated when parsed");
        Shared {
            state: RwLock::new(state),
            seed,
            faults: faults::Faults::default(),
            latency_us: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            log: RequestLog::default(),
            reveal_secrets: false,
        }
    }

    /// Read access to the state (a panic elsewhere does not lock everyone out).
    /// The delay added to every API response.
    pub fn latency(&self) -> Duration {
        Duration::from_micros(self.latency_us.load(Ordering::Relaxed))
    }

    /// Sets the delay added to every API response.
    pub fn set_latency(&self, d: Duration) {
        self.latency_us.store(
            d.as_micros().min(u128::from(u64::MAX)) as u64,
            Ordering::Relaxed,
        );
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }

    pub fn read_state(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Write access to the state.
    pub fn write_state(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts the state back to the seed.
    pub fn reload_state(&self) {
        let fresh = State::from_seed(&self.seed).expect("seeds are validated when parsed");
        *self.write_state() = fresh;
    }

    /// The seed the state came from.
    pub fn seed(&self) -> &Seed {
        &self.seed
    }
}

/// Accepts connections until `shutdown` flips, then drains them.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    shared.connections.fetch_add(1, Ordering::Relaxed);
                    match &tls {
                        None => {
                            connections.spawn(connection(stream, peer, shared.clone(), shutdown.clone()));
                        }
                        Some(acceptor) => {
                            let acceptor = acceptor.clone();
                            let (shared, shutdown) = (shared.clone(), shutdown.clone());
                            connections.spawn(async move {
                                let _ = stream.set_nodelay(true);
                                if let Ok(tls) = acceptor.accept(stream).await {
                                    tls_connection(tls, peer, shared, shutdown).await;
                                }
                            });
                        }
                    }
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(DRAIN, drain).await.is_err() {
        connections.abort_all();
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    // A fault that must cut the connection notifies this; dropping `conn` closes the socket.
    let kill = Arc::new(Notify::new());
    let svc_kill = kill.clone();
    let svc = service_fn(move |req| handle(shared.clone(), req, peer, svc_kill.clone()));
    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), svc);
    drive(conn, kill, shutdown).await;
}

/// A TLS connection: HTTP/2 or HTTP/1.1 as ALPN chose.
async fn tls_connection(
    stream: tokio_rustls::server::TlsStream<TcpStream>,
    peer: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
) {
    let kill = Arc::new(Notify::new());
    let svc_kill = kill.clone();
    let svc = service_fn(move |req| handle(shared.clone(), req, peer, svc_kill.clone()));
    let builder =
        hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
    let conn = builder.serve_connection(TokioIo::new(stream), svc);
    drive(conn, kill, shutdown).await;
}

/// Runs a connection until it ends, a fault cuts it (`kill`), or shutdown asks it to finish gracefully.
async fn drive<C: GracefulConnection>(
    conn: C,
    kill: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    tokio::pin!(conn);
    let mut draining = *shutdown.borrow();
    if draining {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = kill.notified() => return,
            _ = shutdown.changed(), if !draining => {
                draining = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

fn full(bytes: Bytes) -> Body {
    Full::new(bytes).map_err(|never| match never {}).boxed()
}

/// Turns a reply into a response with the standard headers.
fn respond(reply: Reply, body: Body) -> Response<Body> {
    let mut resp = Response::new(body);
    *resp.status_mut() = reply.status;
    let headers = resp.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    if let Ok(ray) = HeaderValue::try_from(ids::ray_id()) {
        headers.insert("cf-ray", ray);
    }
    for (k, v) in reply.headers {
        // A fault's own content-type or cf-ray replaces the default one.
        if k == CONTENT_TYPE || k.as_str() == "cf-ray" {
            headers.insert(k, v);
        } else {
            headers.append(k, v);
        }
    }
    resp
}

/// A body that sends `prefix`, pauses so hyper flushes, then cuts the connection.
fn cut_body(prefix: Bytes, kill: Arc<Notify>) -> Body {
    let stream = futures_util::stream::unfold((Some(prefix), kill), |(prefix, kill)| async move {
        if let Some(p) = prefix.filter(|p| !p.is_empty()) {
            return Some((Ok(Frame::data(p)), (None, kill)));
        }
        tokio::time::sleep(FLUSH_PAUSE).await;
        kill.notify_one();
        Some((
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "fault: connection cut",
            )),
            (None, kill),
        ))
    });
    StreamBody::new(stream).boxed()
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
    peer: SocketAddr,
    kill: Arc<Notify>,
) -> Result<Response<Body>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let reply = ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                1001,
                format!("Request body is larger than {MAX_BODY} bytes"),
            )
            .reply();
            let body = full(reply.body.clone());
            return Ok(respond(reply, body));
        }
    };
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().map(str::to_string);
    if path == admin::PREFIX || path.starts_with("/__emulator/") {
        let reply = admin::handle(&shared, &parts.method, &path, query.as_deref(), &body);
        let body = full(reply.body.clone());
        return Ok(respond(reply, body));
    }

    let fault = shared.faults.take(parts.method.as_str(), &path);
    let entry = LoggedRequest::new(
        parts.method.as_str(),
        &path,
        query.as_deref(),
        &parts.headers,
        shared.reveal_secrets,
    )
    .with_body(&body);
    let seq = shared.log.push(entry);
    // The link's round trip (`--latency`), before the answer.
    let latency = shared.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if let Some(ms) = fault.as_ref().and_then(|f| f.delay_ms) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if fault
        .as_ref()
        .is_some_and(|f| f.drop == Some(DropPoint::BeforeHeaders))
    {
        kill.notify_one();
        // Never answer: the connection task drops the socket on the notification.
        return Ok(std::future::pending().await);
    }
    let canned = fault.as_ref().and_then(|f| f.canned());
    let mut reply = match canned {
        Some(r) => r,
        None => routes::dispatch(
            &shared,
            ApiRequest {
                method: parts.method,
                path,
                query,
                headers: parts.headers,
                body,
                ip: peer.ip(),
            },
        ),
    };
    if let Some(f) = &fault {
        reply = f.decorate(reply);
    }
    shared.log.set_status(seq, reply.status.as_u16());

    let cut = match &fault {
        Some(f) if f.drop == Some(DropPoint::AfterHeaders) => Some(Bytes::new()),
        Some(f) if f.truncate_body => Some(reply.body.slice(..reply.body.len() / 2)),
        _ => None,
    };
    Ok(match cut {
        Some(prefix) => {
            let announced = reply.body.len().max(1);
            let body = cut_body(prefix, kill);
            let mut resp = respond(reply, body);
            resp.headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(announced));
            resp
        }
        None => {
            let body = full(reply.body.clone());
            respond(reply, body)
        }
    })
}
