//! `scripto-server`: the reference API server for `scripto` (see
//! `docs/api.md`). The binary is a thin layer over this library, and the
//! CLI's end-to-end tests start it in-process with [`spawn_background`].

pub mod admin;
mod audit;
mod auth;
pub mod cli;
mod codes;
pub mod config;
mod conn;
mod context;
mod crypto;
mod db;
mod error;
mod extract;
mod ip_rules;
mod limiter;
mod mfa;
pub mod openapi;
mod routes;
mod server;
mod state;
mod util;
mod validate;

pub use config::{Config, Limits, PasswordHashing};
pub use crypto::totp_now;
pub use ip_rules::Cidr;
pub use limiter::LimiterError;
pub use server::{BackgroundServer, serve_on, shutdown_signal, spawn_background};
pub use state::{AppState, StartError};

/// The whole HTTP API as a router, for `oneshot` tests and for serving.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
