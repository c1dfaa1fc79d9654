//! The three renderings every command offers: a terminal table, Markdown, and JSON.
//! Commands build a [`Report`] of titled tables and notes (and a JSON value); this
//! module prints it in the requested format.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
}

/// One titled table.
pub struct Section {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Lines printed under the table (explanations, footnotes).
    pub notes: Vec<String>,
}

impl Section {
    pub fn new(title: impl Into<String>, headers: &[&str]) -> Self {
        Self {
            title: title.into(),
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: vec![],
            notes: vec![],
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
}

/// What a command shows people: a heading, sections, and a JSON value for scripts.
pub struct Report {
    pub heading: Vec<String>,
    pub sections: Vec<Section>,
    pub json: serde_json::Value,
}

impl Report {
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => {
                serde_json::to_string_pretty(&self.json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
                    + "\n"
            }
            Format::Table => self.render_table(),
            Format::Markdown => self.render_markdown(),
        }
    }

    fn render_table(&self) -> String {
        let mut out = String::new();
        for h in &self.heading {
            out.push_str(h);
            out.push('\n');
        }
        for s in &self.sections {
            out.push('\n');
            out.push_str(&s.title);
            out.push('\n');
            if !s.rows.is_empty() {
                let mut t = Table::new();
                t.load_preset(UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic);
                if let Some(w) = fixed_width() {
                    t.set_width(w);
                }
                t.set_header(s.headers.iter().map(Cell::new));
                for r in &s.rows {
                    t.add_row(r.iter().map(Cell::new));
                }
                out.push_str(&t.to_string());
                out.push('\n');
            } else if s.notes.is_empty() {
                out.push_str("  (none)\n");
            }
            for n in &s.notes {
                out.push_str(n);
                out.push('\n');
            }
        }
        out
    }

    fn render_markdown(&self) -> String {
        let mut out = String::new();
        for (i, h) in self.heading.iter().enumerate() {
            if i == 0 {
                out.push_str(&format!("# {h}\n\n"));
            } else {
                out.push_str(&format!("{h}\n\n"));
            }
        }
        for s in &self.sections {
            out.push_str(&format!("## {}\n\n", s.title));
            if !s.rows.is_empty() {
                out.push_str(&format!(
                    "| {} |\n",
                    s.headers
                        .iter()
                        .map(|h| md_cell(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
                out.push_str(&format!("|{}\n", " --- |".repeat(s.headers.len())));
                for r in &s.rows {
                    out.push_str(&format!(
                        "| {} |\n",
                        r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
                    ));
                }
                out.push('\n');
            } else if s.notes.is_empty() {
                out.push_str("(none)\n\n");
            }
            if !s.notes.is_empty() {
                out.push_str("```text\n");
                for n in &s.notes {
                    out.push_str(n);
                    out.push('\n');
                }
                out.push_str("```\n\n");
            }
        }
        out
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

/// `$COLUMNS` when set (tests set it, for stable snapshots); the terminal's width when
/// printing to one (comfy-table finds it); 160 columns when piped.
fn fixed_width() -> Option<u16> {
    use std::io::IsTerminal;
    match std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        Some(w) => Some(w),
        None if std::io::stdout().is_terminal() => None,
        None => Some(160),
    }
}
