//! `casus`: the command line. Parses flags and dispatches to one command; each command
//! (`commands/`) reads its flags, asks the session for inputs, calls one API function and
//! renders the answer. Nothing here decides anything.
#![allow(clippy::print_stderr, clippy::exit)]

mod args;
mod commands;
mod cx;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::args::FormatArg;
use crate::cx::{ClosedPipe, Cx};

/// casus: security commitments as code. Who is bound to act if an attack comes, how, and why.
#[derive(Parser)]
#[command(
    name = "casus",
    version,
    about,
    long_about = None,
    before_help = "Start here:\n  casus obligations --attacker RUS --target EST --date 2025-06-01   who must act, and why\n  casus assess ukraine --out report/                                 five guarantee designs for Ukraine\n  casus show north-atlantic-treaty                                  a treaty's text beside its encoding"
)]
struct Cli {
    /// Output format (default: table; csv prints the main table with a header row).
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
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
    /// Who owes what to whom for an attack, and why (every condition with its citation).
    Obligations(commands::obligations::Args),
    /// Follow obligations through the alliance network: who is drawn in on each side, by which chain.
    Cascade(commands::cascade::Args),
    /// Compare commitments side by side on the dimensions analysts use.
    Compare(commands::compare::Args),
    /// Print a commitment: its quoted text beside its encoding, with citations.
    Show(commands::show::Args),
    /// List a registry.
    List(commands::list::Args),
    /// Validate library and scenario files: located errors, "did you mean", cross-checks.
    Check(commands::check::Args),
    /// Run the scenario tests the library files carry (and those in the given files).
    Test(commands::test::Args),
    /// Simulate how surely, how fast and how strongly the library as it stands answers an attack.
    Simulate(commands::simulate::Args),
    /// Compare guarantee designs on what they would deliver: `casus assess ukraine`, or a file of options.
    Assess(commands::assess::Args),
    /// When would a candidate join an organisation by unanimity, who decides it, and what protects it meanwhile.
    Accession(commands::accession::AccessionArgs),
    /// The bargaining space of a settlement and forecasts of where talks end: `casus negotiate ukraine`, a CSV of one issue or a TOML scenario.
    Negotiate(commands::negotiate::NegotiateArgs),
    /// Imported datasets (ATOP, COW): import the official release files, list, versions, cite.
    #[command(subcommand)]
    Data(commands::data::DataCommand),
    /// ATOP's directed dyad-year obligations (ccode1,ccode2,year,defense,offense,neutral,nonagg,consul),
    /// derived from the member-level file.
    Dyads(commands::dyads::DyadArgs),
    /// Fulfilment rates of alliance commitments in war, with counts and 95% intervals
    /// (Berkemeier & Fuhrmann 2018 case data).
    Reliability(commands::reliability::ReliabilityArgs),
    /// Fit P(honoured) to the Berkemeier & Fuhrmann cases (logistic, cross-validated) and write calibrated priors.
    Calibrate(commands::calibrate::CalibrateArgs),
    /// Exploratory sweeps: plan a scope, run shards to Parquet, merge, Sobol indices, PRIM scenario discovery.
    Sweep(commands::sweep::Args),
    /// Serve the HTTP API and the web app (127.0.0.1 by default; `--port 0` picks a free port).
    Serve(commands::serve::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) for `man -l -`.
    Man,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cx = Cx {
        session: casus_session::Session::new(
            casus_session::Env::from_process(),
            !cli.no_builtin,
            cli.library,
        ),
        format: cli.format.into(),
    };
    match dispatch(&cx, cli.command) {
        Ok(code) => code,
        Err(e) => report_error(&e),
    }
}

fn dispatch(cx: &Cx, command: Command) -> anyhow::Result<ExitCode> {
    use commands::*;
    match command {
        Command::Obligations(a) => obligations::run(cx, &a),
        Command::Cascade(a) => cascade::run(cx, &a),
        Command::Compare(a) => compare::run(cx, &a),
        Command::Show(a) => show::run(cx, &a),
        Command::List(a) => list::run(cx, &a),
        Command::Check(a) => check::run(cx, &a),
        Command::Test(a) => test::run(cx, &a),
        Command::Simulate(a) => simulate::run(cx, &a),
        Command::Assess(a) => assess::run(cx, &a),
        Command::Accession(a) => accession::run(cx, &a),
        Command::Negotiate(a) => negotiate::run(cx, &a),
        Command::Data(a) => data::run(cx, &a),
        Command::Dyads(a) => dyads::run(cx, &a),
        Command::Reliability(a) => reliability::run(cx, &a),
        Command::Calibrate(a) => calibrate::run(cx, &a),
        Command::Sweep(a) => sweep::run(cx, &a),
        Command::Serve(a) => serve::run(cx, &a),
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "casus", &mut text);
            cx.out(&String::from_utf8_lossy(&text))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut text = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut text)?;
            cx.out(&String::from_utf8_lossy(&text))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Errors for people: a located diagnostic with its line, a flag named as typed, or the
/// message chain. A closed pipe is no error.
fn report_error(e: &anyhow::Error) -> ExitCode {
    if e.downcast_ref::<ClosedPipe>().is_some() {
        return ExitCode::SUCCESS;
    }
    if let Some(errors) = e.downcast_ref::<casus_session::LibraryErrors>() {
        for d in errors.diagnostics.iter().filter(|d| d.is_error()) {
            eprint!("{}", casus_render::diagnostics::render(d, &errors.files));
        }
        eprintln!("error: {errors}");
        return ExitCode::from(2);
    }
    if let Some(d) = e.downcast_ref::<casus_api::Diagnostic>() {
        match d.field.as_deref().filter(|f| !f.is_empty() && d.path.is_empty()) {
            Some(field) => {
                let hints = if d.hints.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", d.hints.join("; "))
                };
                eprintln!("error: --{}: {}{hints}", field.replace('_', "-"), d.message);
            }
            None => eprintln!("error: {d}"),
        }
        return ExitCode::from(2);
    }
    eprintln!("error: {e:#}");
    ExitCode::from(2)
}
