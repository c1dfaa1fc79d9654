//! Per-trial results for R and Python users: `trials.csv`, and `trials.parquet` with the same
//! columns, written as the trials are drawn (a [`TrialSink`]), so memory does not grow with
//! `--trials`. Rows come batch by batch (1,024-trial blocks, 8 or 32 to a batch), option by
//! option within a batch, by trial within an option: the same order at any thread count.
//! Parquet row groups hold up to [`ROW_GROUP`] rows.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::sync::Arc;

use anyhow::{Context, Result};
use casus_session::outdir::OutputDir;
use casus_sim::{TrialRecord, TrialSink};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

pub const COLUMNS: &str = "option,trial,responders,military_responders,first_military_days,capability_ratio";
pub const CSV: &str = "trials.csv";
pub const PARQUET: &str = "trials.parquet";
/// Rows per Parquet row group (and the most rows held in memory).
pub const ROW_GROUP: usize = 65_536;

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

/// Writes both files into an [`OutputDir`] as records arrive; the first error stops the run
/// and is kept for [`TrialsWriter::finish`].
pub struct TrialsWriter {
    labels: Vec<String>,
    csv: BufWriter<File>,
    parquet: SerializedFileWriter<File>,
    buf: Vec<(usize, TrialRecord)>,
    error: Option<anyhow::Error>,
}

impl TrialsWriter {
    /// `labels[i]` is option `i`'s name in the `option` column.
    pub fn new(out: &mut OutputDir, labels: Vec<String>) -> Result<Self> {
        let mut csv = BufWriter::new(out.create_file(CSV)?);
        writeln!(csv, "{COLUMNS}").with_context(|| CSV)?;
        let schema = Arc::new(parse_message_type(
            "message trials {
                REQUIRED BYTE_ARRAY option (UTF8);
                REQUIRED INT64 trial;
                REQUIRED INT32 responders;
                REQUIRED INT32 military_responders;
                OPTIONAL DOUBLE first_military_days;
                OPTIONAL DOUBLE capability_ratio;
            }",
        )?);
        let parquet = SerializedFileWriter::new(
            out.create_file(PARQUET)?,
            schema,
            Arc::new(WriterProperties::builder().build()),
        )?;
        Ok(Self {
            labels,
            csv,
            parquet,
            buf: Vec::with_capacity(ROW_GROUP),
            error: None,
        })
    }

    fn write(&mut self, option: usize, records: &[TrialRecord]) -> Result<()> {
        let label = csv_field(&self.labels[option]).into_owned();
        for r in records {
            writeln!(
                self.csv,
                "{label},{},{},{},{},{}",
                r.trial,
                r.responders,
                r.military_responders,
                opt(r.first_military_days),
                opt(r.capability_ratio)
            )
            .context(CSV)?;
            self.buf.push((option, *r));
            if self.buf.len() >= ROW_GROUP {
                self.row_group()?;
            }
        }
        Ok(())
    }

    fn row_group(&mut self) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.buf);
        let mut group = self.parquet.next_row_group()?;
        let mut column = 0;
        while let Some(mut col) = group.next_column()? {
            match column {
                0 => {
                    let v: Vec<ByteArray> = rows
                        .iter()
                        .map(|(o, _)| ByteArray::from(self.labels[*o].as_str()))
                        .collect();
                    col.typed::<ByteArrayType>().write_batch(&v, None, None)?;
                }
                1 => {
                    let v: Vec<i64> = rows.iter().map(|(_, r)| r.trial as i64).collect();
                    col.typed::<Int64Type>().write_batch(&v, None, None)?;
                }
                2 | 3 => {
                    let v: Vec<i32> = rows
                        .iter()
                        .map(|(_, r)| {
                            if column == 2 {
                                r.responders
                            } else {
                                r.military_responders
                            }
                        } as i32)
                        .collect();
                    col.typed::<Int32Type>().write_batch(&v, None, None)?;
                }
                _ => {
                    let get = |r: &TrialRecord| {
                        if column == 4 {
                            r.first_military_days
                        } else {
                            r.capability_ratio
                        }
                    };
                    let defs: Vec<i16> = rows.iter().map(|(_, r)| get(r).is_finite() as i16).collect();
                    let v: Vec<f64> = rows
                        .iter()
                        .map(|(_, r)| get(r))
                        .filter(|x| x.is_finite())
                        .collect();
                    col.typed::<DoubleType>().write_batch(&v, Some(&defs), None)?;
                }
            }
            col.close()?;
            column += 1;
        }
        group.close()?;
        self.buf = rows;
        self.buf.clear();
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
    fn trials(&mut self, option: usize, records: &[TrialRecord]) -> ControlFlow<()> {
        if self.error.is_some() {
            return ControlFlow::Break(());
        }
        match self.write(option, records) {
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
