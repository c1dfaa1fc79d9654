//! Per-trial results for R and Python users: `trials.csv`, and `trials.parquet` with the same
//! columns ([`COLUMNS`]), written as the trials are drawn (a [`TrialSink`]), so memory does
//! not grow with the trials. The command line (`--out`) and Python (`out=`) both write them
//! through [`TrialsWriter`]. Rows come batch by batch (1,024-trial blocks, 8 or 32 to a
//! batch), option by option within a batch, by trial within an option: the same order, and
//! the same bytes, at any thread count. Parquet row groups hold up to [`ROW_GROUP`] rows.
//!
//! `responded` and `responded_military` name the obligors that responded in the trial (with
//! anything, and with force), as actor ids joined by `;` in the option's guarantor order;
//! empty when none did. Each names as many as `responders` and `military_responders` count.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{anyhow, Context, Result};
use casus_model::{ActorId, Library};
use casus_sim::trials::members;
use casus_sim::{TrialRecords, TrialSink};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::outdir::OutputDir;

pub const COLUMNS: &str = "option,trial,responders,military_responders,first_military_days,capability_ratio,\
responded,responded_military";
pub const CSV: &str = "trials.csv";
pub const PARQUET: &str = "trials.parquet";
/// Rows per Parquet row group (and the most rows held in memory).
pub const ROW_GROUP: usize = 65_536;

const SCHEMA: &str = "message trials {
    REQUIRED BYTE_ARRAY option (UTF8);
    REQUIRED INT64 trial;
    REQUIRED INT32 responders;
    REQUIRED INT32 military_responders;
    OPTIONAL DOUBLE first_military_days;
    OPTIONAL DOUBLE capability_ratio;
    REQUIRED BYTE_ARRAY responded (UTF8);
    REQUIRED BYTE_ARRAY responded_military (UTF8);
}";

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
pub fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

fn opt(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// A row waiting for its Parquet row group: the option, the record's numbers, and where
/// its two lists of names end in the buffer's text.
struct Row {
    option: usize,
    trial: u64,
    responders: u32,
    military_responders: u32,
    first_military_days: f64,
    capability_ratio: f64,
    responded_end: usize,
    military_end: usize,
}

/// Writes both files into an [`OutputDir`] as records arrive; the first error stops the run
/// and is kept for [`TrialsWriter::finish`].
pub struct TrialsWriter {
    labels: Vec<String>,
    /// Every actor's id, by [`ActorId`].
    actors: Vec<String>,
    /// Per option, its obligors' ids in the order of a record's bits (from [`TrialSink::begin`]).
    obligors: Vec<Vec<String>>,
    csv: BufWriter<File>,
    parquet: SerializedFileWriter<File>,
    rows: Vec<Row>,
    /// The rows' lists of names, one after another.
    text: String,
    /// One CSV line, reused.
    line: String,
    /// About how many bytes the two files take so far (see [`TrialsWriter::written`]).
    written: Arc<AtomicU64>,
    error: Option<anyhow::Error>,
}

/// Bytes a row takes in Parquet besides its lists of names (measured: 28 MB per 10^6 rows
/// before the names were added); each list adds its length and a 4-byte length prefix.
const PARQUET_ROW_BYTES: usize = 28 + 8;

impl TrialsWriter {
    /// `labels[i]` is option `i`'s name in the `option` column; `lib` names the obligors.
    pub fn new(out: &mut OutputDir, labels: Vec<String>, lib: &Library) -> Result<Self> {
        let mut csv = BufWriter::new(out.create_file(CSV)?);
        writeln!(csv, "{COLUMNS}").with_context(|| CSV)?;
        let parquet = SerializedFileWriter::new(
            out.create_file(PARQUET)?,
            Arc::new(parse_message_type(SCHEMA)?),
            // Snappy: the lists of responders repeat across trials but vary too much for a
            // dictionary; uncompressed they made the file 5.6 times larger.
            Arc::new(
                WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .build(),
            ),
        )?;
        Ok(Self {
            labels,
            actors: lib.actors.iter().map(|a| a.id.clone()).collect(),
            obligors: Vec::new(),
            csv,
            parquet,
            rows: Vec::with_capacity(ROW_GROUP),
            text: String::new(),
            line: String::new(),
            written: Arc::new(AtomicU64::new(0)),
            error: None,
        })
    }

    /// About how many bytes both files take for the rows written so far (the CSV's exactly,
    /// Parquet's as it stores them uncompressed), for a progress display to estimate the
    /// files' final size while the run goes on.
    pub fn written(&self) -> Arc<AtomicU64> {
        self.written.clone()
    }

    /// Appends the names of `set`'s members to `self.text`, joined by `;`.
    fn names(&mut self, option: usize, set: &[u64]) -> Result<()> {
        let names = self
            .obligors
            .get(option)
            .ok_or_else(|| anyhow!("per-trial rows of option {option} came before its obligors"))?;
        for (n, j) in members(set).enumerate() {
            if n > 0 {
                self.text.push(';');
            }
            self.text.push_str(&names[j]);
        }
        Ok(())
    }

    fn write(&mut self, option: usize, trials: &TrialRecords) -> Result<()> {
        let label = csv_field(&self.labels[option]).into_owned();
        for t in trials.trials() {
            let r = t.record;
            let start = self.text.len();
            self.names(option, t.responded)?;
            let responded_end = self.text.len();
            self.names(option, t.responded_military)?;
            let military_end = self.text.len();
            self.line.clear();
            // Writing to a String cannot fail.
            let _ = writeln!(
                self.line,
                "{label},{},{},{},{},{},{},{}",
                r.trial,
                r.responders,
                r.military_responders,
                opt(r.first_military_days),
                opt(r.capability_ratio),
                csv_field(&self.text[start..responded_end]),
                csv_field(&self.text[responded_end..military_end]),
            );
            self.csv.write_all(self.line.as_bytes()).context(CSV)?;
            let parquet = PARQUET_ROW_BYTES + military_end - start;
            self.written
                .fetch_add((self.line.len() + parquet) as u64, Ordering::Relaxed);
            self.rows.push(Row {
                option,
                trial: r.trial,
                responders: r.responders,
                military_responders: r.military_responders,
                first_military_days: r.first_military_days,
                capability_ratio: r.capability_ratio,
                responded_end,
                military_end,
            });
            if self.rows.len() >= ROW_GROUP {
                self.row_group()?;
            }
        }
        Ok(())
    }

    fn row_group(&mut self) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = &self.rows;
        let text = &self.text;
        // Where each row's names start: where the previous row's ended.
        let start = |i: usize| if i == 0 { 0 } else { rows[i - 1].military_end };
        let mut group = self.parquet.next_row_group()?;
        let mut column = 0;
        while let Some(mut col) = group.next_column()? {
            match column {
                0 => {
                    let v: Vec<ByteArray> = rows
                        .iter()
                        .map(|r| ByteArray::from(self.labels[r.option].as_str()))
                        .collect();
                    col.typed::<ByteArrayType>().write_batch(&v, None, None)?;
                }
                1 => {
                    let v: Vec<i64> = rows.iter().map(|r| r.trial as i64).collect();
                    col.typed::<Int64Type>().write_batch(&v, None, None)?;
                }
                2 | 3 => {
                    let v: Vec<i32> = rows
                        .iter()
                        .map(|r| {
                            if column == 2 {
                                r.responders
                            } else {
                                r.military_responders
                            }
                        } as i32)
                        .collect();
                    col.typed::<Int32Type>().write_batch(&v, None, None)?;
                }
                4 | 5 => {
                    let get = |r: &Row| {
                        if column == 4 {
                            r.first_military_days
                        } else {
                            r.capability_ratio
                        }
                    };
                    let defs: Vec<i16> = rows.iter().map(|r| get(r).is_finite() as i16).collect();
                    let v: Vec<f64> = rows.iter().map(get).filter(|x| x.is_finite()).collect();
                    col.typed::<DoubleType>().write_batch(&v, Some(&defs), None)?;
                }
                _ => {
                    let v: Vec<ByteArray> = (0..rows.len())
                        .map(|i| {
                            let r = &rows[i];
                            let s = if column == 6 {
                                &text[start(i)..r.responded_end]
                            } else {
                                &text[r.responded_end..r.military_end]
                            };
                            ByteArray::from(s)
                        })
                        .collect();
                    col.typed::<ByteArrayType>().write_batch(&v, None, None)?;
                }
            }
            col.close()?;
            column += 1;
        }
        group.close()?;
        self.rows.clear();
        self.text.clear();
        Ok(())
    }

    /// Completes both files and lists them in `out`; the first write error, if any.
    pub fn finish(mut self, out: &mut OutputDir) -> Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.row_group().context(PARQUET)?;
        self.parquet.close().context(PARQUET)?;
        self.csv.flush().context(CSV)?;
        self.csv
            .into_inner()
            .map_err(|e| e.into_error())
            .context(CSV)?
            .sync_all()
            .context(CSV)?;
        out.finish_file(CSV)?;
        out.finish_file(PARQUET)?;
        Ok(())
    }
}

impl TrialSink for TrialsWriter {
    fn begin(&mut self, obligors: &[Vec<ActorId>]) {
        self.obligors = obligors
            .iter()
            .map(|ids| {
                ids.iter()
                    .map(|a| self.actors.get(a.0 as usize).cloned().unwrap_or_default())
                    .collect()
            })
            .collect();
    }

    fn trials(&mut self, option: usize, trials: &TrialRecords) -> ControlFlow<()> {
        if self.error.is_some() {
            return ControlFlow::Break(());
        }
        match self.write(option, trials) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                self.error = Some(e);
                ControlFlow::Break(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn fields_with_commas_quotes_or_line_breaks_are_quoted() {
        // #16 item 5: an id with a newline and commas forged rows in trials.csv.
        assert_eq!(csv_field("plain_id"), "plain_id");
        assert_eq!(csv_field("a,b\nc"), "\"a,b\nc\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
    }
}
