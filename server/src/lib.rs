//! `scripto-server`: the reference API server for `scripto` (see
//! `docs/api.md`). The binary is a thin layer over this library, and the
//! CLI's end-to-end tests start it in-process with [`spawn_background`].

mod audit;
mod auth;
pub mod cli;
pub mod config;
mod conn;
mod context;
mod crypto;
mod error;
mod extract;
mod ip_rules;
mod key_cache;
mod limiter;
mod oidc;
pub mod openapi;
mod routes;
mod server;
mod service;
mod state;
mod store;
mod util;
mod validate;
mod web;

/// The admin subcommands' operations (`users add`, …), for tests and tools.
pub use service::users as admin;

pub use config::{Config, Limits, PasswordHashing};
pub use crypto::totp_now;
pub use ip_rules::Cidr;
pub use limiter::LimiterError;
pub use oidc::OidcSettings;
pub use server::{BackgroundServer, serve_on, shutdown_signal, spawn_background};
pub use state::{AppState, StartError};
pub use store::DbUrl;

/// The whole HTTP API as a router, for `oneshot` tests and for serving.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
