//! The editor's local web server: the page (static assets embedded in the
//! binary) and the JSON API of `docs/zones-api.md`, on 127.0.0.1 only.
//!
//! Every request must carry the session's random token (`?token=`) and a
//! `Host` of `127.0.0.1:PORT` or `localhost:PORT` (so that a web page
//! elsewhere cannot reach the editor through DNS rebinding); bodies are
//! limited to 1 MiB. The router is built in [`Editor::router`]; each endpoint is one
//! small handler in `handlers` that parses, calls the library and maps its
//! error to a status code through the one `IntoResponse` impl of `error`.

mod assets;
mod error;
mod guard;
mod handlers;
mod state;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;
use jiff::Timestamp;

use crate::error::{Error, Result};
use crate::picture::Source;
pub use error::ApiError;
use state::AppState;

/// The largest request body accepted (`413 Payload Too Large` above).
pub const BODY_LIMIT: usize = 1 << 20;

/// What `sladd zones edit` serves.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site file to edit.
    pub site: PathBuf,
    /// The camera shown first, whose picture `picture` is (default: the
    /// site's first camera).
    pub camera: Option<String>,
    /// The camera's picture; `None`: a grey canvas of its size.
    pub picture: Option<Source>,
    /// The instant the preview starts at (default: the first frame's
    /// instant when the video's start is known, else now).
    pub at: Option<Timestamp>,
    /// The port on 127.0.0.1 (0: a free one).
    pub port: u16,
}

/// How serving ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed {
    /// Whether edits were left unsaved.
    pub unsaved: bool,
}

/// An editor bound to its port, ready to serve.
#[derive(Debug)]
pub struct Editor {
    listener: TcpListener,
    state: Arc<AppState>,
}

impl Editor {
    /// Opens the site file and the picture and binds 127.0.0.1 (never
    /// another interface) on `options.port`, or a free port when it is 0.
    ///
    /// # Errors
    /// As [`crate::SiteFile::open`] and [`crate::picture::Picture::open`];
    /// [`Error::Io`] when the port cannot be bound.
    pub fn open(options: &Options) -> Result<Self> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, options.port)))
            .map_err(|source| Error::Io {
                action: "listen on",
                path: PathBuf::from(format!("127.0.0.1:{}", options.port)),
                source,
            })?;
        let port = listener
            .local_addr()
            .map_err(|source| Error::Io {
                action: "listen on",
                path: PathBuf::from("127.0.0.1"),
                source,
            })?
            .port();
        let state = AppState::open(options, port, new_token()?)?;
        Ok(Self {
            listener,
            state: Arc::new(state),
        })
    }

    /// The address served.
    ///
    /// # Errors
    /// [`Error::Io`] when the socket cannot say.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(|source| Error::Io {
            action: "listen on",
            path: PathBuf::from("127.0.0.1"),
            source,
        })
    }

    /// The page's address with the access token:
    /// `http://127.0.0.1:PORT/?token=...`.
    #[must_use]
    pub fn url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/?token={}",
            self.state.port, self.state.token
        )
    }

    /// The access token.
    #[must_use]
    pub fn token(&self) -> &str {
        &self.state.token
    }

    /// The router serving this editor (for tests that call it directly).
    pub fn router(&self) -> Router {
        router(Arc::clone(&self.state))
    }

    /// Serves until `shutdown` completes, then finishes the requests in
    /// flight.
    ///
    /// # Errors
    /// [`Error::Io`] when the listener fails.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<Closed> {
        let io = |source| Error::Io {
            action: "serve on",
            path: PathBuf::from(format!("127.0.0.1:{}", self.state.port)),
            source,
        };
        self.listener.set_nonblocking(true).map_err(io)?;
        let listener = tokio::net::TcpListener::from_std(self.listener).map_err(io)?;
        let app = router(Arc::clone(&self.state));
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|source| Error::Io {
                action: "serve on",
                path: PathBuf::from(format!("127.0.0.1:{}", self.state.port)),
                source,
            })?;
        Ok(Closed {
            unsaved: self.state.unsaved(),
        })
    }

    /// Serves on a runtime of its own until Ctrl-C (or SIGTERM).
    ///
    /// # Errors
    /// As [`Editor::serve`]; [`Error::Io`] when the runtime cannot start.
    pub fn run_until_interrupted(self) -> Result<Closed> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|source| Error::Io {
                action: "start the server for",
                path: PathBuf::from("127.0.0.1"),
                source,
            })?;
        runtime.block_on(self.serve(interrupted()))
    }
}

/// Completes at Ctrl-C or SIGTERM.
async fn interrupted() {
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
        () = ctrl_c => {}
        () = term => {}
    }
}

/// A random access token: 128 bits from the operating system, in hex.
fn new_token() -> Result<String> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io {
        action: "draw a token for",
        path: PathBuf::from("127.0.0.1"),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The editor's routes, behind the host and token guard.
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .route("/api/site", get(handlers::site))
        .route("/api/check", get(handlers::check))
        .route("/api/save", post(handlers::save))
        .route("/api/reload", post(handlers::reload))
        .route("/api/cameras/{id}/zones", put(handlers::put_zones))
        .route("/api/cameras/{id}/decision", get(handlers::decision))
        .route("/api/cameras/{id}/frame.png", get(handlers::frame_png))
        .route("/api/cameras/{id}/preview.png", get(handlers::preview_png))
        .fallback(handlers::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            guard::guard,
        ))
        .with_state(state)
}

/// Opens `url` in the desktop's default browser, when there is a desktop:
/// `xdg-open` on Linux and the BSDs (only with a `DISPLAY` or
/// `WAYLAND_DISPLAY`, so that a server's console never gets a text
/// browser), `open` on macOS, `start` on Windows. Returns whether a
/// browser was started.
///
/// # Errors
/// The launcher's error when it exists but cannot be started.
pub fn open_browser(url: &str) -> std::io::Result<bool> {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else {
        let desktop = ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
        if !desktop {
            return Ok(false);
        }
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    match command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}
