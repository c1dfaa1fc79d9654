//! Every environment variable casus reads, read once, in one place.

use std::path::PathBuf;

/// The environment as casus uses it. Tests build one by hand instead of setting variables.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `$CASUS_DATA_DIR`: where the data store lives (default: the user's data directory).
    pub data_dir: Option<PathBuf>,
    /// `$CASUS_ATOP`: ATOP's release folder, for `--library atop` without a folder.
    pub atop: Option<PathBuf>,
    /// `$CASUS_NMC`: a COW National Material Capabilities CSV to use when none is given.
    pub nmc: Option<PathBuf>,
    /// `$CASUS_COW_STATES`: COW's `states2016.csv`, for the names of historical states.
    pub cow_states: Option<PathBuf>,
    /// `$CASUS_TODAY` (YYYY-MM-DD): the date taken as today, for reproducible runs and tests.
    pub today: Option<String>,
    /// `$COLUMNS`: the width to lay tables out in.
    pub columns: Option<u16>,
}

impl Env {
    pub fn from_process() -> Self {
        let path = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Self {
            data_dir: path("CASUS_DATA_DIR"),
            atop: path("CASUS_ATOP"),
            nmc: path("CASUS_NMC"),
            cow_states: path("CASUS_COW_STATES"),
            today: std::env::var("CASUS_TODAY").ok().filter(|v| !v.is_empty()),
            columns: std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()),
        }
    }
}
