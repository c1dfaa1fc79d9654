//! Result rows as Parquet bytes, and back. One column per factor and outcome, named as in
//! the scope; categorical levers are strings (their names, never indices); an unknown
//! outcome is null, and a row whose evaluation failed keeps its place with its error.

use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::parser::parse_message_type;
use serde::{Deserialize, Serialize};

use crate::plan::Row;
use crate::scope::Scope;

/// One evaluated row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluated {
    pub row: Row,
    /// In the scope's outcome order; `None` is unknown (the model could not say, or it failed).
    pub outcomes: Vec<Option<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Evaluated {
    /// Equal rows, counting two unknowns (or two NaNs) as equal.
    pub fn same(&self, other: &Self) -> bool {
        let eq = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        self.row.row == other.row.row
            && self.row.sample == other.row.sample
            && self.row.seed == other.row.seed
            && self.row.block == other.row.block
            && self.row.role == other.row.role
            && self.row.levers == other.row.levers
            && self.row.values.len() == other.row.values.len()
            && self
                .row
                .values
                .iter()
                .zip(&other.row.values)
                .all(|(a, b)| eq(*a, *b))
            && self.outcomes.len() == other.outcomes.len()
            && self
                .outcomes
                .iter()
                .zip(&other.outcomes)
                .all(|(a, b)| match (a, b) {
                    (Some(a), Some(b)) => eq(*a, *b),
                    (None, None) => true,
                    _ => false,
                })
            && self.error == other.error
    }
}

fn schema(scope: &Scope) -> String {
    let mut s = String::from(
        "message results {\n REQUIRED INT64 row;\n REQUIRED INT64 sample;\n REQUIRED INT64 seed;\n \
         OPTIONAL INT64 block;\n OPTIONAL BYTE_ARRAY role (UTF8);\n",
    );
    for n in scope.numeric() {
        s.push_str(&format!(" REQUIRED DOUBLE {};\n", n.name));
    }
    for c in scope.categorical() {
        s.push_str(&format!(" REQUIRED BYTE_ARRAY {} (UTF8);\n", c.name));
    }
    for o in &scope.outcomes {
        s.push_str(&format!(" OPTIONAL DOUBLE {};\n", o.name));
    }
    s.push_str(" OPTIONAL BYTE_ARRAY error (UTF8);\n}");
    s
}

fn perr(e: impl std::fmt::Display) -> String {
    format!("parquet: {e}")
}

/// The rows as one Parquet file (one row group). Same rows, same bytes.
pub fn encode(scope: &Scope, rows: &[Evaluated]) -> Result<Vec<u8>, String> {
    let schema = Arc::new(parse_message_type(&schema(scope)).map_err(|e| {
        format!("{e} (factor and outcome names must be plain words to be Parquet column names)")
    })?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_created_by("casus-sweep".into())
            .build(),
    );
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, props).map_err(perr)?;
    let mut group = writer.next_row_group().map_err(perr)?;
    let nk = scope.numeric().len();
    let nc = scope.categorical().len();
    let no = scope.outcomes.len();
    let mut column = 0usize;
    let int = |v: Vec<i64>, col: &mut parquet::file::writer::SerializedColumnWriter<'_>| {
        col.typed::<Int64Type>().write_batch(&v, None, None).map(|_| ())
    };
    let strings = |v: Vec<Option<String>>, col: &mut parquet::file::writer::SerializedColumnWriter<'_>| {
        let defs: Vec<i16> = v.iter().map(|s| s.is_some() as i16).collect();
        let vals: Vec<ByteArray> = v
            .into_iter()
            .flatten()
            .map(|s| ByteArray::from(s.as_str()))
            .collect();
        col.typed::<ByteArrayType>()
            .write_batch(&vals, Some(&defs), None)
            .map(|_| ())
    };
    while let Some(mut col) = group.next_column().map_err(perr)? {
        match column {
            0 => int(rows.iter().map(|r| r.row.row as i64).collect(), &mut col),
            1 => int(rows.iter().map(|r| r.row.sample as i64).collect(), &mut col),
            2 => int(rows.iter().map(|r| r.row.seed as i64).collect(), &mut col),
            3 => {
                let defs: Vec<i16> = rows.iter().map(|r| r.row.block.is_some() as i16).collect();
                let v: Vec<i64> = rows
                    .iter()
                    .filter_map(|r| r.row.block.map(|b| b as i64))
                    .collect();
                col.typed::<Int64Type>()
                    .write_batch(&v, Some(&defs), None)
                    .map(|_| ())
            }
            4 => strings(rows.iter().map(|r| r.row.role.clone()).collect(), &mut col),
            c if c < 5 + nk => {
                let v: Vec<f64> = rows.iter().map(|r| r.row.values[c - 5]).collect();
                col.typed::<DoubleType>().write_batch(&v, None, None).map(|_| ())
            }
            c if c < 5 + nk + nc => {
                let v: Vec<ByteArray> = rows
                    .iter()
                    .map(|r| ByteArray::from(r.row.levers[c - 5 - nk].as_str()))
                    .collect();
                col.typed::<ByteArrayType>()
                    .write_batch(&v, None, None)
                    .map(|_| ())
            }
            c if c < 5 + nk + nc + no => {
                let i = c - 5 - nk - nc;
                let known = |r: &Evaluated| r.outcomes[i].filter(|x| !x.is_nan());
                let defs: Vec<i16> = rows.iter().map(|r| known(r).is_some() as i16).collect();
                let v: Vec<f64> = rows.iter().filter_map(known).collect();
                col.typed::<DoubleType>()
                    .write_batch(&v, Some(&defs), None)
                    .map(|_| ())
            }
            _ => strings(rows.iter().map(|r| r.error.clone()).collect(), &mut col),
        }
        .map_err(perr)?;
        col.close().map_err(perr)?;
        column += 1;
    }
    group.close().map_err(perr)?;
    writer.into_inner().map_err(perr)
}

/// Reads rows written by [`encode`] for the same scope.
pub fn decode(scope: &Scope, bytes: Vec<u8>) -> Result<Vec<Evaluated>, String> {
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).map_err(perr)?;
    let nk = scope.numeric().len();
    let nc = scope.categorical().len();
    let no = scope.outcomes.len();
    let expected = 6 + nk + nc + no;
    let mut out = Vec::new();
    for record in reader.get_row_iter(None).map_err(perr)? {
        let record = record.map_err(perr)?;
        let fields: Vec<&Field> = record.get_column_iter().map(|(_, f)| f).collect();
        if fields.len() != expected {
            return Err(format!(
                "a part has {} columns where the scope makes {expected}: it was written for another scope",
                fields.len()
            ));
        }
        let long = |f: &Field| match f {
            Field::Long(v) => Ok(Some(*v as u64)),
            Field::Null => Ok(None),
            other => Err(format!("expected an integer, found {other}")),
        };
        let double = |f: &Field| match f {
            Field::Double(v) => Ok(Some(*v)),
            Field::Null => Ok(None),
            other => Err(format!("expected a number, found {other}")),
        };
        let string = |f: &Field| match f {
            Field::Str(v) => Ok(Some(v.clone())),
            Field::Null => Ok(None),
            other => Err(format!("expected a string, found {other}")),
        };
        let row = Row {
            row: long(fields[0])?.unwrap_or_default(),
            sample: long(fields[1])?.unwrap_or_default(),
            seed: long(fields[2])?.unwrap_or_default(),
            block: long(fields[3])?,
            role: string(fields[4])?,
            values: (0..nk)
                .map(|i| double(fields[5 + i]).map(|v| v.unwrap_or(f64::NAN)))
                .collect::<Result<_, _>>()?,
            levers: (0..nc)
                .map(|i| string(fields[5 + nk + i]).map(Option::unwrap_or_default))
                .collect::<Result<_, _>>()?,
        };
        out.push(Evaluated {
            row,
            outcomes: (0..no)
                .map(|i| double(fields[5 + nk + nc + i]))
                .collect::<Result<_, _>>()?,
            error: string(fields[expected - 1])?,
        });
    }
    Ok(out)
}
