//! `scripto` as a library: the binary in `main.rs` is a thin shell around it,
//! and `xtask` uses [`cli::Cli`] to generate the man pages and completions.

pub mod api;
pub mod child;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod context;
pub mod credential;
pub mod directory_profile;
pub mod display;
pub mod env_vars;
pub mod ephemeral;
pub mod error;
pub mod examples;
pub mod input;
pub mod invocation;
pub mod login;
pub mod next_action;
pub mod output;
pub mod rotation;
pub mod scan;
pub mod settings;
pub mod store;
pub mod timefmt;
