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
