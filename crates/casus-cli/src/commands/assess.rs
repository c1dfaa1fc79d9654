//! `casus assess`: guarantee designs compared on what they would deliver, against every
//! attack of the assessment, with bands over the priors; `--explain-difference A B` says
//! which design factors make two options differ.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use anyhow::Result;
use casus_api::assess::{assess, explain_pair, AssessArtifacts, AssessRequest, Assessed};
use casus_api::Answer;
use casus_session::outdir::OutputDir;
use casus_session::trials::{TrialsWriter, CSV, PARQUET};

use crate::args::SimArgs;
use crate::cx::{Cx, Progress};

#[derive(clap::Args)]
pub struct Args {
    /// An assessment id from the library (e.g. ukraine) or a TOML file with an [assessment].
    pub which: String,
    /// The date of the event (default: the assessment's, else today).
    #[arg(long)]
    pub date: Option<String>,
    /// Vary each parameter over its range and show which move the result most.
    #[arg(long)]
    pub sensitivity: bool,
    /// Joint draws of the priors behind each figure's 5%–95% band (0: no bands).
    #[arg(long, default_value_t = casus_api::assess::DEFAULT_DRAWS)]
    pub draws: u64,
    /// Trials per option and draw for the bands.
    #[arg(long, default_value_t = casus_api::assess::DEFAULT_DRAW_TRIALS)]
    pub draw_trials: u64,
    /// Share the difference between two options among the design factors (Shapley values).
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub explain_difference: Option<Vec<String>>,
    /// The figure --explain-difference decomposes (e.g. p_lead_military_response).
    #[arg(long, default_value = "p_any_military_response")]
    pub metric: String,
    #[command(flatten)]
    pub sim: SimArgs,
    /// With --out: replace files in DIR that casus did not write.
    #[arg(long, requires = "out")]
    pub force: bool,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let file = PathBuf::from(&args.which);
    let extra = if file.is_file() { vec![file] } else { vec![] };
    let lib = cx.library_with(&extra)?;
    let date = casus_api::event::date_or_today("date", args.date.as_deref(), cx.today()?)?;
    let caps = match cx.session.capabilities_path(args.sim.capabilities.as_deref()) {
        Some(p) => Some(cx.session.read_text(&p)?),
        None => None,
    };
    let req = AssessRequest {
        which: args.which.clone(),
        run: args.sim.settings(),
        sensitivity: args.sensitivity || args.sim.out.is_some(),
        draws: args.draws,
        draw_trials: args.draw_trials,
    };
    if let Some(pair) = &args.explain_difference {
        let answer = explain_pair(
            &lib.library,
            &req,
            date,
            caps.as_ref(),
            &pair[0],
            &pair[1],
            &args.metric,
        )?;
        return cx.print(&answer);
    }
    // With --out: the folder is checked now, and per-trial rows go to disk as they are drawn.
    let mut out = match &args.sim.out {
        Some(dir) => {
            let out = cx.session.output_dir(dir, args.force)?;
            out.refuse_foreign(&[
                "report.md",
                "summary.json",
                CSV,
                PARQUET,
                "response-over-time.svg",
            ])?;
            let a = casus_api::assess::find_assessment(&lib.library, &args.which)?;
            let labels = a.options.iter().map(|o| o.id.clone()).collect();
            let mut out = out;
            let trials = TrialsWriter::new(&mut out, labels, &lib.library)?;
            Some((out, trials))
        }
        None => None,
    };
    let mut progress = Progress::new("simulating");
    // The per-trial files' size so far (all options) gives the estimate of their final size.
    let written = out.as_ref().map(|(_, t)| t.written());
    let fixed = req.run.trials.is_some();
    let (answer, artifacts) = assess(
        &lib.library,
        &lib.files,
        &req,
        date,
        caps.as_ref(),
        &mut |what, d, n| {
            let sim = what == "simulating";
            let unit = if sim { "trials per option" } else { "steps" };
            progress.bytes_per_unit = match &written {
                Some(w) if sim => w.load(Ordering::Relaxed) / d.max(1),
                _ => 0,
            };
            progress.update(what, unit, d, n, fixed || !sim);
        },
        out.as_mut().map(|(_, t)| t as &mut dyn casus_sim::TrialSink),
    )?;
    progress.finish();
    if let Some((mut out, trials)) = out {
        trials.finish(&mut out)?;
        write_outputs(&mut out, &answer, &artifacts)?;
        out.commit()?;
    }
    cx.print(&answer)
}

/// The report, its charts and summary.json (the per-trial files are already written).
fn write_outputs(out: &mut OutputDir, answer: &Answer<Assessed>, art: &AssessArtifacts) -> Result<()> {
    for (name, text) in casus_api::out_files::assess(answer, art)? {
        out.write(&name, text.as_bytes())?;
    }
    Ok(())
}
