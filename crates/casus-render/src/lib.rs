//! Renderings of what casus answers, for people and for scripts: a terminal table,
//! Markdown, JSON and CSV of a [`Report`] (titled tables of plain strings and notes), SVG
//! charts ([`charts`]) and diagnostics with the offending line ([`diagnostics`]).
//!
//! This crate knows no model type: the API turns each typed result into plain rows, so the
//! command line, the server and notebooks show the same tables. It does no I/O: it returns
//! text, and the session writes it.

pub mod charts;
pub mod diagnostics;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};

/// How a result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables for a terminal.
    Table,
    /// The typed result, exactly as the HTTP API and the Python package give it.
    Json,
    /// Tables as Markdown.
    Markdown,
    /// The result's main table, one row per record, with a header row.
    Csv,
}

impl Format {
    pub const WORDS: &'static [&'static str] = &["table", "json", "markdown", "csv"];

    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "table" => Self::Table,
            "json" => Self::Json,
            "markdown" => Self::Markdown,
            "csv" => Self::Csv,
            _ => return None,
        })
    }
}

/// Where a table is shown: a fixed width (tests, pipes) or the terminal's own.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// Columns to lay tables out in; `None` lets the table find the terminal's width.
    pub width: Option<u16>,
}

/// One titled table.
#[derive(Debug, Clone, Default)]
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

/// What a result shows people: a heading and sections of plain rows. `records`, when set,
/// is the tidy table `--format csv` prints (one row per record); otherwise the first
/// section with rows is.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub heading: Vec<String>,
    pub sections: Vec<Section>,
    pub records: Option<Section>,
}

/// Renders a report in `format`; `json` is the typed result the report was made from.
pub fn render(report: &Report, json: &serde_json::Value, format: Format, layout: Layout) -> String {
    match format {
        Format::Json => {
            serde_json::to_string_pretty(json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
        }
        Format::Table => report.render_table(layout),
        Format::Markdown => report.render_markdown(),
        Format::Csv => report.render_csv(),
    }
}

impl Report {
    /// The table `--format csv` prints.
    pub fn csv_table(&self) -> Option<&Section> {
        self.records.as_ref().or_else(|| {
            self.sections
                .iter()
                .find(|s| !s.rows.is_empty() && !s.headers.is_empty())
        })
    }

    fn render_csv(&self) -> String {
        match self.csv_table() {
            Some(s) => csv_text(&s.headers, &s.rows),
            None => String::new(),
        }
    }

    fn render_table(&self, layout: Layout) -> String {
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
                if let Some(w) = layout.width {
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

/// Rows as CSV with a header row, quoted where a cell needs it (commas, quotes, line breaks).
pub fn csv_text(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    // Writing to memory cannot fail; a failure would be a bug in the csv crate.
    let mut write = |r: &[String]| w.write_record(r).is_ok();
    let ok = write(headers) && rows.iter().all(|r| write(r));
    debug_assert!(ok);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
