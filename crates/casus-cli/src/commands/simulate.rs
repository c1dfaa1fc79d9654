//! `casus simulate`: how surely, how fast and how strongly the library as it stands answers an attack.

use std::process::ExitCode;
use std::sync::atomic::Ordering;

use anyhow::Result;
use casus_api::simulate::{simulate, SimulateRequest};
use casus_session::trials::{TrialsWriter, CSV, PARQUET};

use crate::args::{EventArgs, SimArgs};
use crate::cx::{Cx, Progress};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub event: EventArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Show why each guarantor's probability of honouring differs (capability, distance, …).
    #[arg(long)]
    pub explain: bool,
    /// With --out: replace files in DIR that casus did not write.
    #[arg(long, requires = "out")]
    pub force: bool,
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
    // With --out: the folder is checked now, and per-trial rows go to disk as they are drawn.
    let mut out = match &args.sim.out {
        Some(dir) => {
            let mut out = cx.session.output_dir(dir, args.force)?;
            out.refuse_foreign(&["summary.json", CSV, PARQUET])?;
            let trials = TrialsWriter::new(&mut out, vec!["library".to_string()], &lib.library)?;
            Some((out, trials))
        }
        None => None,
    };
    let mut progress = Progress::new("simulating");
    // The per-trial files' size so far gives the estimate of their final size (the names of
    // the guarantors that responded make a row 80 to 350 bytes).
    let written = out.as_ref().map(|(_, t)| t.written());
    let fixed = req.run.trials.is_some();
    let (answer, _) = simulate(
        &lib.library,
        &lib.files,
        &event,
        &req,
        caps.as_ref(),
        &mut |d, n| {
            if let Some(w) = &written {
                progress.bytes_per_unit = w.load(Ordering::Relaxed) / d.max(1);
            }
            progress.update("simulating", "trials", d, n, fixed)
        },
        out.as_mut().map(|(_, t)| t as &mut dyn casus_sim::TrialSink),
    )?;
    progress.finish();
    if let Some((mut out, trials)) = out {
        trials.finish(&mut out)?;
        for (name, text) in casus_api::out_files::simulate(&answer) {
            out.write(&name, text.as_bytes())?;
        }
        out.commit()?;
    }
    cx.print(&answer)
}
