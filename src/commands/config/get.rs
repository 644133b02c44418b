//! `scripto config get`
use clap::Args;
use serde::Serialize;

use super::Setting;
use crate::context::Context;
use crate::error::Result;
use crate::invocation::Source;

/// Print one setting's resolved value.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// api-url, output or storage
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Serialize)]
struct Got {
    name: &'static str,
    value: String,
    source: Source,
}

pub fn run(ctx: &Context, args: &GetArgs) -> Result<()> {
    let setting = Setting::parse(&args.name)?;
    let (value, source) = match setting {
        Setting::ApiUrl => {
            let url = ctx.api_url()?;
            (url.value, url.source)
        }
        Setting::Output => {
            // Read the file strictly here: a broken file must not hide behind
            // the tolerant read that chose the output format.
            ctx.config()?;
            let output = ctx.output_format();
            (output.value.as_str().to_owned(), output.source)
        }
        Setting::Storage => {
            let storage = ctx.profiles().preference(None)?;
            (storage.value.as_str().to_owned(), storage.source)
        }
    };
    let got = Got {
        name: setting.name(),
        value,
        source,
    };
    ctx.out.success(&got, |w| writeln!(w, "{}", got.value))
}
