//! `scripto keys get`
use clap::Args;

use super::{check_key_id, print_key};
use crate::api::types::ApiKey;
use crate::context::Context;
use crate::error::Result;

/// Show one API key (never its secret).
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The key's id (key_…)
    #[arg(value_name = "ID")]
    pub id: String,
}

pub fn run(ctx: &Context, args: &GetArgs) -> Result<()> {
    check_key_id(&args.id)?;
    let client = ctx.client()?;
    let key: ApiKey = client.get(&["keys", &args.id], &[])?.data;
    ctx.out.success(&key, |w| {
        print_key(w, &key, &crate::timefmt::Cells::new(&ctx.out))
    })
}
