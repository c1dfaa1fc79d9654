//! `casus dyads`: ATOP's directed dyad-year obligations, derived from the member file.
//! `--format json` prints the rows as JSON (COW codes as numbers); `--format csv` (and the
//! default) prints them as CSV with a header; `--out FILE` writes them (CSV, JSON or Parquet)
//! and prints a summary in the chosen format.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail, Result};
use casus_api::history_data::{dyads, dyads_csv, dyads_written, Codes, Dyads, DyadsRequest, Pair};
use casus_render::Format;

use crate::cx::Cx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CodesArg {
    /// COW country codes (as ATOP writes them).
    Cow,
    /// casus actor ids (ISO 3166-1 alpha-3) through the library's dated COW crosswalk; `cow:NNN` where it has none.
    Iso,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DyadOutput {
    Csv,
    Parquet,
    Json,
}

#[derive(clap::Args)]
pub struct DyadArgs {
    /// First year (default: the release's first, 1815).
    #[arg(long)]
    pub from: Option<u16>,
    /// Last year (default: the release's last, 2018 for ATOP 5.1; later years are unknown, not "no alliance").
    #[arg(long)]
    pub to: Option<u16>,
    /// How states are named in the output.
    #[arg(long, value_enum, default_value_t = CodesArg::Cow)]
    pub codes: CodesArg,
    /// The file format of the rows written with --out (without --out, --format json or csv chooses).
    #[arg(long, value_enum, default_value_t = DyadOutput::Csv)]
    pub output: DyadOutput,
    /// Write the rows to this file (required for parquet) and print a summary instead.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Read ATOP's release files from this folder instead of the store.
    #[arg(long, value_name = "DIR")]
    pub atop: Option<PathBuf>,
}

pub fn run(cx: &Cx, args: &DyadArgs) -> Result<ExitCode> {
    if args.out.is_none() && args.output == DyadOutput::Parquet {
        bail!("--output parquet needs --out FILE");
    }
    let lib = cx.library()?;
    let release = match &args.atop {
        Some(dir) => {
            let files = cx.session.read_csv_folder(dir)?;
            casus_api::history_data::read_release(&dir.display().to_string(), &files)?
        }
        None => {
            let store = cx.session.store()?;
            store.current_atop()?.ok_or_else(|| {
                anyhow!(
                    "no ATOP data in the store ({}); run `casus data import atop DIR` or pass --atop DIR",
                    store.path().display()
                )
            })?
        }
    };
    let codes = match args.codes {
        CodesArg::Cow => Codes::Cow,
        CodesArg::Iso => Codes::Iso,
    };
    let req = DyadsRequest {
        from: args.from,
        to: args.to,
        codes,
    };
    let answer = dyads(&lib.library, &release, &req)?;
    let d = &answer.data;
    let Some(path) = &args.out else {
        let json =
            cx.format == Format::Json || (cx.format == Format::Table && args.output == DyadOutput::Json);
        let text = if json {
            serde_json::to_string(d)? + "\n"
        } else {
            dyads_csv(d, codes)
        };
        cx.out(&text)?;
        for n in &d.notes {
            eprintln!("note: {n}");
        }
        return Ok(ExitCode::SUCCESS);
    };
    let bytes = match args.output {
        DyadOutput::Csv => dyads_csv(d, codes).into_bytes(),
        DyadOutput::Json => serde_json::to_vec(d)?,
        DyadOutput::Parquet => parquet(d, codes)?,
    };
    cx.session.write_file(path, &bytes)?;
    cx.print(&dyads_written(d, &path.display().to_string()))
}

/// The rows as a Parquet file (a table format, written here at the edge).
fn parquet(d: &Dyads, codes: Codes) -> Result<Vec<u8>> {
    use parquet::data_type::{ByteArray, ByteArrayType, Int32Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    let cow = codes == Codes::Cow;
    let state = if cow {
        "REQUIRED INT32 ccode1; REQUIRED INT32 ccode2;"
    } else {
        "REQUIRED BYTE_ARRAY actor1 (UTF8); REQUIRED BYTE_ARRAY actor2 (UTF8);"
    };
    let schema = Arc::new(parse_message_type(&format!(
        "message dyads {{ {state} REQUIRED INT32 year; REQUIRED INT32 defense; REQUIRED INT32 offense; REQUIRED INT32 neutral; REQUIRED INT32 nonagg; REQUIRED INT32 consul; }}"
    ))?);
    let mut buf = Vec::new();
    let mut writer =
        SerializedFileWriter::new(&mut buf, schema, Arc::new(WriterProperties::builder().build()))?;
    let mut group = writer.next_row_group()?;
    let mut column = 0;
    while let Some(mut col) = group.next_column()? {
        if column < 2 && !cow {
            let v: Vec<ByteArray> = d
                .rows
                .iter()
                .map(|r| match &r.pair {
                    Pair::Iso { actor1, actor2 } => {
                        ByteArray::from(if column == 0 { actor1 } else { actor2 }.as_str())
                    }
                    Pair::Cow { ccode1, ccode2 } => {
                        ByteArray::from((if column == 0 { ccode1 } else { ccode2 }).to_string().as_str())
                    }
                })
                .collect();
            col.typed::<ByteArrayType>().write_batch(&v, None, None)?;
        } else {
            let v: Vec<i32> = d
                .rows
                .iter()
                .map(|r| match (column, &r.pair) {
                    (0, Pair::Cow { ccode1, .. }) => *ccode1 as i32,
                    (1, Pair::Cow { ccode2, .. }) => *ccode2 as i32,
                    (2, _) => r.year as i32,
                    (3, _) => r.defense as i32,
                    (4, _) => r.offense as i32,
                    (5, _) => r.neutral as i32,
                    (6, _) => r.nonagg as i32,
                    _ => r.consul as i32,
                })
                .collect();
            col.typed::<Int32Type>().write_batch(&v, None, None)?;
        }
        col.close()?;
        column += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(buf)
}
