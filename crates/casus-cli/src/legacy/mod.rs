//! Commands whose model code has not yet moved into `casus-api` (credibility, accession,
//! the historical record). They build their report and JSON here, in the old
//! shape; each moves to the API as its model's work lands, and this module then goes.

pub mod accession;
pub mod assess;
pub mod atop_check;
pub mod cow_data;
pub mod history;
pub mod trials_out;

pub use casus_render::Section;

/// A report and its JSON, as these commands build them.
pub struct Report {
    pub heading: Vec<String>,
    pub sections: Vec<Section>,
    pub json: serde_json::Value,
}

impl Report {
    pub fn split(self) -> (casus_render::Report, serde_json::Value) {
        (
            casus_render::Report {
                heading: self.heading,
                sections: self.sections,
                records: None,
            },
            self.json,
        )
    }
}

/// The data store as the environment names it.
pub fn open_store() -> anyhow::Result<casus_session::store::Store> {
    let env = casus_session::Env::from_process();
    casus_session::store::Store::open(&casus_session::store::Store::path_for(&env)?)
}
