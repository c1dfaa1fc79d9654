//! Flags shared by several commands. A command's own flags live in its file.

use casus_api::event::EventRequest;

/// The attack, as `obligations`, `cascade` and `simulate` take it.
#[derive(clap::Args, Clone)]
pub struct EventArgs {
    /// Who attacks: an actor id (RUS), a COW code (cow:365) or a name.
    #[arg(long)]
    pub attacker: String,
    /// Who is attacked.
    #[arg(long)]
    pub target: String,
    /// Where: an ISO 3166 code (EE, UA-43, US-HI) or a sea (mediterranean-sea). Default: the target's own territory.
    #[arg(long)]
    pub place: Option<String>,
    /// When (YYYY-MM-DD). Default: today.
    #[arg(long)]
    pub date: Option<String>,
    /// threat | armed_attack | nuclear | nuclear_use | economic_coercion
    #[arg(long, default_value = "armed_attack")]
    pub kind: String,
    /// What is attacked: territory | forces
    #[arg(long, default_value = "territory")]
    pub against: String,
    /// How grave: unspecified | limited | major (some guarantees name a threshold)
    #[arg(long, default_value = "unspecified")]
    pub severity: String,
    /// The target struck first (clauses that exclude provoked attacks then do not apply).
    #[arg(long)]
    pub provoked: bool,
    /// Treat proposals as adopted and in force.
    #[arg(long)]
    pub assume_proposals: bool,
}

impl EventArgs {
    pub fn request(&self) -> EventRequest {
        EventRequest {
            attacker: self.attacker.clone(),
            target: self.target.clone(),
            place: self.place.clone(),
            date: self.date.clone(),
            kind: Some(self.kind.clone()),
            against: Some(self.against.clone()),
            severity: Some(self.severity.clone()),
            provoked: self.provoked,
            assume_proposals: self.assume_proposals,
        }
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Markdown,
    Csv,
}

impl From<FormatArg> for casus_render::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => Self::Table,
            FormatArg::Json => Self::Json,
            FormatArg::Markdown => Self::Markdown,
            FormatArg::Csv => Self::Csv,
        }
    }
}

/// How `simulate` and `assess` run the credibility model.
#[derive(clap::Args, Clone)]
pub struct SimArgs {
    /// Trials per option (default: as many as --precision needs).
    #[arg(long)]
    pub trials: Option<u64>,
    /// Run until every reported probability's standard error is at most this.
    #[arg(long, default_value_t = 0.005)]
    pub precision: f64,
    /// Fixes every random result, whatever the thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// A COW National Material Capabilities CSV (ccode, year, cinc) replacing the built-in
    /// capability table (COW NMC 7.0, 2022); default: the file named by $CASUS_NMC, if set.
    #[arg(long, value_name = "CSV")]
    pub capabilities: Option<std::path::PathBuf>,
    /// Write the report, charts, summary.json and per-trial results (CSV, Parquet) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
}

impl SimArgs {
    pub fn settings(&self) -> casus_api::simulate::RunSettings {
        casus_api::simulate::RunSettings {
            trials: self.trials,
            precision: self.precision,
            seed: self.seed,
            threads: self
                .threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
            keep_trials: self.out.is_some(),
        }
    }
}

/// A progress bar on standard error (hidden when it is not a terminal).
pub fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}
