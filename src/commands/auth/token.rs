//! `scripto auth token`
use std::io::Write;

use clap::Args;
use serde_json::json;

use crate::context::Context;
use crate::error::{Error, Result};

/// Print the resolved API key on stdout, for `$(scripto auth token)`.
///
/// Nothing else is written to stdout (with `--json`, the key is `data.api_key`
/// of the usual envelope). No request is made: the key is not checked with
/// the server.
#[derive(Debug, Args)]
pub struct TokenArgs {}

pub fn run(ctx: &Context, _args: &TokenArgs) -> Result<()> {
    let credential = ctx.credential()?;
    // One of the two places a key is shown in full (with `keys create`).
    if ctx.out.json {
        let data = json!({
            "api_key": credential.key.expose(),
            "source": credential.source,
            "profile": credential.profile,
        });
        return ctx.out.success(&data, |_| Ok(()));
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", credential.key.expose())
        .and_then(|()| stdout.flush())
        .map_err(Error::from_output)
}
