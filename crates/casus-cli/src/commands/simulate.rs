//! `casus simulate`: how surely, how fast and how strongly the library as it stands answers an attack.

use std::process::ExitCode;

use anyhow::Result;
use casus_api::simulate::{simulate, SimulateRequest};

use crate::args::{progress_bar, EventArgs, SimArgs};
use crate::cx::Cx;
use crate::trials_out;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub event: EventArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Show why each guarantor's probability of honouring differs (capability, distance, …).
    #[arg(long)]
    pub explain: bool,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let lib = cx.library()?;
    let event = args.event.request().resolve(&lib.library, cx.today()?)?;
    let caps = match cx.session.capabilities_path(args.sim.capabilities.as_deref()) {
        Some(p) => Some(cx.session.read_text(&p)?),
        None => None,
    };
    let req = SimulateRequest {
        run: args.sim.settings(),
        explain: args.explain,
    };
    let bar = progress_bar("simulating");
    let fixed = req.run.trials.is_some();
    let (answer, records) = simulate(
        &lib.library,
        &lib.files,
        &event,
        &req,
        caps.as_ref(),
        &mut |d, n| {
            bar.set_length(if fixed { n } else { d });
            bar.set_position(d);
        },
    )?;
    bar.finish_and_clear();
    if let Some(dir) = &args.sim.out {
        cx.session.create_dir(dir)?;
        cx.session.write_file(
            &dir.join("summary.json"),
            serde_json::to_string_pretty(&answer.json())?.as_bytes(),
        )?;
        let rows = vec![("library".to_string(), records)];
        trials_out::write_csv(&dir.join("trials.csv"), &rows)?;
        trials_out::write_parquet(&dir.join("trials.parquet"), &rows)?;
    }
    cx.print(&answer)
}
