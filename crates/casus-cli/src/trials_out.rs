//! Per-trial results for R and Python users: CSV, and Parquet with the same columns.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use casus_sim::TrialRecord;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

pub const COLUMNS: &str = "option,trial,responders,military_responders,first_military_days,capability_ratio";

fn opt(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

pub fn write_csv(path: &Path, rows: &[(String, Vec<TrialRecord>)]) -> Result<()> {
    let mut w = BufWriter::new(File::create(path).with_context(|| format!("{}", path.display()))?);
    writeln!(w, "{COLUMNS}")?;
    for (option, records) in rows {
        for r in records {
            writeln!(
                w,
                "{option},{},{},{},{},{}",
                r.trial,
                r.responders,
                r.military_responders,
                opt(r.first_military_days),
                opt(r.capability_ratio)
            )?;
        }
    }
    w.flush()?;
    Ok(())
}

pub fn write_parquet(path: &Path, rows: &[(String, Vec<TrialRecord>)]) -> Result<()> {
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
    let file = File::create(path).with_context(|| format!("{}", path.display()))?;
    let mut writer = SerializedFileWriter::new(file, schema, Arc::new(WriterProperties::builder().build()))?;
    for (option, records) in rows {
        let mut group = writer.next_row_group()?;
        let mut column = 0;
        while let Some(mut col) = group.next_column()? {
            match column {
                0 => {
                    let v: Vec<ByteArray> =
                        records.iter().map(|_| ByteArray::from(option.as_str())).collect();
                    col.typed::<ByteArrayType>().write_batch(&v, None, None)?;
                }
                1 => {
                    let v: Vec<i64> = records.iter().map(|r| r.trial as i64).collect();
                    col.typed::<Int64Type>().write_batch(&v, None, None)?;
                }
                2 | 3 => {
                    let v: Vec<i32> = records.iter().map(|r| if column == 2 { r.responders } else { r.military_responders } as i32).collect();
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
                    let defs: Vec<i16> = records.iter().map(|r| get(r).is_finite() as i16).collect();
                    let v: Vec<f64> = records.iter().map(get).filter(|x| x.is_finite()).collect();
                    col.typed::<DoubleType>().write_batch(&v, Some(&defs), None)?;
                }
            }
            col.close()?;
            column += 1;
        }
        group.close()?;
    }
    writer.close()?;
    Ok(())
}
