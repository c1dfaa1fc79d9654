//! `casus`: the command line. Parses flags, loads the library, asks the engine, renders.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod accession;
mod assess;
mod atop_check;
mod atop_library;
mod charts;
mod commands;
mod context;
mod cow_data;
mod diagnostics;
mod event;
mod history;
mod negotiate;
mod output;
mod store;
mod trials_out;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::event::EventArgs;
use crate::output::Format;

/// casus: security commitments as code. Who is bound to act if an attack comes, how, and why.
#[derive(Parser)]
#[command(name = "casus", version, about, long_about = None)]
struct Cli {
    /// Output format (default: table).
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Add library files or folders; a commitment or organisation with a built-in id replaces it.
    #[arg(long, global = true, value_name = "PATH")]
    library: Vec<PathBuf>,
    /// Use only the files given with --library, not the built-in library.
    #[arg(long, global = true)]
    no_builtin: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate library and scenario files: located errors, "did you mean", cross-checks.
    Check {
        /// Files or folders to check (with the library loaded for context). Default: the library.
        paths: Vec<PathBuf>,
        /// Compare the commitments that carry `atop = ID` with ATOP's coding and list every disagreement.
        #[arg(long, value_enum)]
        against: Option<history::Dataset>,
        /// ATOP's release files (the folder with atop5_1m.csv), for --against atop.
        #[arg(long, value_name = "DIR")]
        atop: Option<PathBuf>,
    },
    /// Who owes what to whom for an attack, and why (every condition with its citation).
    Obligations {
        #[command(flatten)]
        event: EventArgs,
        /// Only these commitments (ids).
        #[arg(long = "commitment", value_name = "ID")]
        commitments: Vec<String>,
        /// Print every explanation tree.
        #[arg(long)]
        explain: bool,
    },
    /// Follow obligations through the alliance network: who is drawn in on each side, by which chain.
    Cascade {
        #[command(flatten)]
        event: EventArgs,
        /// How many links a chain may have.
        #[arg(long, default_value_t = 3)]
        depth: usize,
        /// The weakest obligation that draws a state in.
        #[arg(long, default_value = "assist")]
        min_strength: String,
    },
    /// Compare commitments side by side on the dimensions analysts use.
    Compare {
        /// Commitment ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// The date to compare on (rosters, nuclear status). Default: today.
        #[arg(long)]
        date: Option<String>,
        /// A COW National Material Capabilities CSV (columns ccode, year, cinc) to sum guarantors' CINC.
        #[arg(long, value_name = "CSV")]
        capabilities: Option<PathBuf>,
    },
    /// Simulate how surely, how fast and how strongly the library as it stands answers an attack.
    Simulate {
        #[command(flatten)]
        event: EventArgs,
        #[command(flatten)]
        sim: assess::SimArgs,
    },
    /// Compare guarantee designs on what they would deliver: `casus assess ukraine`, or a file of options.
    Assess {
        /// An assessment id from the library (e.g. ukraine) or a TOML file with an [assessment].
        which: String,
        /// The date of the event (default: the assessment's, else today).
        #[arg(long)]
        date: Option<String>,
        /// Vary each parameter over its range and show which move the result most.
        #[arg(long)]
        sensitivity: bool,
        #[command(flatten)]
        sim: assess::SimArgs,
    },
    /// When would a candidate join an organisation by unanimity, who decides it, and what protects it meanwhile.
    Accession(accession::AccessionArgs),
    /// Print a commitment: its quoted text beside its encoding, with citations.
    Show { id: String },
    /// List a registry.
    List {
        #[arg(value_enum)]
        what: commands::ListWhat,
        /// Only entries whose id or name contains this text.
        #[arg(long)]
        search: Option<String>,
    },
    /// Run the scenario tests the library files carry (and those in the given files).
    Test { paths: Vec<PathBuf> },
    /// The bargaining space of a settlement and forecasts of where talks end: `casus negotiate ukraine`, a CSV of one issue or a TOML scenario.
    Negotiate(negotiate::NegotiateArgs),
    /// Imported datasets (ATOP): import the official release files, list, versions, cite.
    #[command(subcommand)]
    Data(history::DataCommand),
    /// ATOP's directed dyad-year obligations (ccode1,ccode2,year,defense,offense,neutral,nonagg,consul),
    /// derived from the member-level file. Rows go to standard output, or to --out FILE in
    /// --output csv|parquet|json (the global --format then shapes the printed summary).
    Dyads(history::DyadArgs),
    /// Fulfilment rates of alliance commitments in war, with counts and 95% intervals
    /// (Berkemeier & Fuhrmann 2018 case data).
    Reliability {
        /// The case file (BerkemeierFuhrmannRAP2018_0303.csv).
        #[arg(long, value_name = "FILE")]
        cases: PathBuf,
        #[arg(long, value_enum, default_value_t = history::CodingArg::Llm)]
        coding: history::CodingArg,
        #[arg(long, value_enum, default_value_t = history::ByArg::Period)]
        by: history::ByArg,
        /// Also draw the rates by period and obligation type as an SVG chart.
        #[arg(long, value_name = "FILE.svg")]
        chart: Option<PathBuf>,
    },
    /// Fit P(honoured) to the Berkemeier & Fuhrmann cases (logistic, cross-validated) and write calibrated priors.
    Calibrate(history::CalibrateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let builtin = !cli.no_builtin;
    let today = context::today();
    match cli.command {
        Command::Check {
            against: Some(history::Dataset::Atop),
            atop,
            ..
        } => atop_check::run(builtin, &cli.library, atop.as_deref(), cli.format),
        Command::Check { paths, .. } => commands::check(builtin, &cli.library, &paths, cli.format),
        Command::Test { paths } => commands::test(builtin, &cli.library, &paths, cli.format),
        command => {
            let (atop_specs, mut extra): (Vec<PathBuf>, Vec<PathBuf>) = cli
                .library
                .iter()
                .cloned()
                .partition(|p| atop_library::is_spec(p));
            if let Command::Assess { which, .. } = &command {
                if std::path::Path::new(which).is_file() {
                    extra.push(PathBuf::from(which));
                }
            }
            let files = context::gather(builtin, &extra)?;
            let mut loaded = context::load_files(&files);
            if loaded.has_errors() {
                for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
                    eprint!("{}", diagnostics::render(d, &files));
                }
                anyhow::bail!("the library has errors; run `casus check` for details");
            }
            for spec in &atop_specs {
                atop_library::extend(&mut loaded.library, spec)?;
            }
            let lib = &loaded.library;
            let report = match command {
                Command::Obligations {
                    event,
                    commitments,
                    explain,
                } => commands::obligations(lib, &event.resolve(lib, today)?, &commitments, explain)?,
                Command::Cascade {
                    event,
                    depth,
                    min_strength,
                } => commands::cascade(lib, &event.resolve(lib, today)?, depth, &min_strength)?,
                Command::Compare {
                    ids,
                    date,
                    capabilities,
                } => {
                    let date = match date {
                        Some(d) => event::parse_date(&d)?,
                        None => today,
                    };
                    commands::compare(lib, &ids, date, capabilities.as_deref())?
                }
                Command::Simulate { event, sim } => {
                    assess::simulate(lib, &files, &event.resolve(lib, today)?, &sim)?
                }
                Command::Assess {
                    which,
                    date,
                    sensitivity,
                    sim,
                } => {
                    let date = match date {
                        Some(d) => event::parse_date(&d)?,
                        None => today,
                    };
                    let want = sensitivity || sim.out.is_some();
                    assess::assess(lib, &files, &which, date, &sim, want)?
                }
                Command::Accession(args) => accession::accession(lib, &args, today)?,
                Command::Show { id } => commands::show(lib, &id)?,
                Command::Negotiate(args) => negotiate::report(&args)?,
                Command::List { what, search } => commands::list(lib, what, search.as_deref(), today),
                Command::Data(cmd) => history::data(&cmd)?,
                Command::Dyads(args) => match history::dyads(lib, &args)? {
                    Some(report) => report,
                    None => return Ok(ExitCode::SUCCESS),
                },
                Command::Reliability {
                    cases,
                    coding,
                    by,
                    chart,
                } => history::reliability(&cases, coding, by, chart.as_deref())?,
                Command::Calibrate(args) => history::calibrate(&args)?,
                Command::Check { .. } | Command::Test { .. } => unreachable!("handled above"),
            };
            print!("{}", report.render(cli.format));
            Ok(ExitCode::SUCCESS)
        }
    }
}
