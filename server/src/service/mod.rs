//! The service layer: every rule of the key service in one place.
//!
//! Sign-up and the login flows, MFA, sessions, keys, projects, users and
//! roles, the audit log: each is a function of [`AppState`] (the service's
//! state) that takes and returns domain types (`crate::store` rows, wire
//! requests) and [`ApiErr`], the domain's error with its stable code. The
//! JSON routes (`crate::routes`), the admin subcommands (`crate::admin`) and
//! any later front end call these; none of them opens a transaction or
//! writes SQL. A transaction is a closure over a [`crate::store::Conn`] that
//! runs on tokio's blocking pool; the same code runs on SQLite and on
//! PostgreSQL.
//!
//! [`AppState`]: crate::state::AppState
//! [`ApiErr`]: crate::error::ApiErr

pub mod audit_log;
pub mod codes;
pub mod credentials;
pub mod device;
pub mod keys;
pub mod leaked;
pub mod login;
pub mod mfa;
pub mod projects;
pub mod sso;
pub mod users;
pub mod web_sessions;
