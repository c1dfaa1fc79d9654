//! The historical record at the command line: `casus data import|list|versions|cite`,
//! `casus dyads` and `casus reliability`. Parsing and derivation live in casus-history;
//! this file reads files, keeps the store and renders.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use casus_history::atop::{self, FileKind, Recognised, Release};
use casus_history::corrections::Corrections;
use casus_history::dyads::Dyads;
use casus_history::reliability::{self, By, Coding, Rate};
use casus_model::Library;
use serde_json::json;

use super::{Report, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Codes {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CodingArg {
    /// Leeds, Long & Mitchell (2000) procedures, as replicated by Berkemeier & Fuhrmann.
    Llm,
    /// Berkemeier & Fuhrmann's revised coding.
    Bf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    Period,
    Obligation,
    /// Bilateral against multilateral alliances.
    Size,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dataset {
    Atop,
}

/// What `casus data import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportDataset {
    /// ATOP's release files (atop5_1m.csv and companions).
    Atop,
    /// Correlates of War: state system, major powers, National Material Capabilities.
    Cow,
}

#[derive(clap::Args)]
pub struct DyadArgs {
    /// First year.
    #[arg(long, default_value_t = 1815)]
    pub from: u16,
    /// Last year (ATOP 5.1 ends in 2018; later years are unknown, not "no alliance").
    #[arg(long, default_value_t = 2018)]
    pub to: u16,
    /// How states are named in the output.
    #[arg(long, value_enum, default_value_t = Codes::Cow)]
    pub codes: Codes,
    /// The file format of the rows (the global --format only shapes the summary printed with --out).
    #[arg(long, value_enum, default_value_t = DyadOutput::Csv)]
    pub output: DyadOutput,
    /// Write the rows to this file (required for parquet) and print a summary instead.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Read ATOP's release files from this folder instead of the store.
    #[arg(long, value_name = "DIR")]
    pub atop: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
pub enum DataCommand {
    /// Read a dataset's official release files from a folder and keep them in the store.
    Import {
        #[arg(value_enum)]
        dataset: ImportDataset,
        dir: PathBuf,
    },
    /// What is in the store: dataset, version, coverage, size.
    List,
    /// Which versions of each dataset are stored, and which one commands use.
    Versions,
    /// How to cite the stored datasets.
    Cite,
}

/// Reads the ATOP member-level file from a folder, recognising the files by their content.
fn read_atop_dir(dir: &Path) -> Result<(Release, Vec<(String, Recognised)>)> {
    let entries = casus_session::csv_files(dir)?;
    let mut found = Vec::new();
    let mut member: Option<(String, String)> = None;
    for path in entries {
        let text =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.display().to_string();
        if let Some(r) = atop::recognise(&name, &text).map_err(|e| anyhow!("{e}"))? {
            if r.kind == FileKind::Member && member.is_none() {
                member = Some((name.clone(), text));
            }
            found.push((name, r));
        }
    }
    let Some((name, text)) = member else {
        bail!("no ATOP member-level file (the one with columns member, yrent, obvary: atop5_1m.csv in release 5.1) in {}", dir.display());
    };
    let release = atop::parse_members(&name, &text).map_err(|e| anyhow!("{e}"))?;
    if let Some((other, r)) = found.iter().find(|(_, r)| r.version != release.version) {
        bail!(
            "{other} is ATOP version {}, but the member file is version {}: a folder mixes releases",
            r.version,
            release.version
        );
    }
    Ok((release, found))
}

fn release(args_atop: Option<&Path>) -> Result<Release> {
    match args_atop {
        Some(dir) => Ok(read_atop_dir(dir)?.0),
        None => {
            let store = super::open_store()?;
            store.current_atop()?.ok_or_else(|| {
                anyhow!(
                    "no ATOP data in the store ({}); run `casus data import atop DIR` or pass --atop DIR",
                    store.path().display()
                )
            })
        }
    }
}

pub fn data(cmd: &DataCommand) -> Result<Report> {
    match cmd {
        DataCommand::Import {
            dataset: ImportDataset::Cow,
            dir,
        } => super::cow_data::import(dir),
        DataCommand::Import {
            dataset: ImportDataset::Atop,
            dir,
        } => {
            let (release, files) = read_atop_dir(dir)?;
            let store = super::open_store()?;
            store.put_atop(&release, &files)?;
            let mut s = Section::new(
                "Files recognised (by content)",
                &["file", "what", "version", "rows"],
            );
            for (f, r) in &files {
                s.row(vec![
                    f.clone(),
                    r.kind.name().into(),
                    r.version.clone(),
                    r.rows.to_string(),
                ]);
            }
            let (a, b) = release.coverage();
            s.notes.push(format!(
                "Stored ATOP {}: {} memberships in {} alliances, {a}–{b}, in {}.",
                release.version,
                release.memberships.len(),
                release.alliances(),
                store.path().display()
            ));
            Ok(Report {
                heading: vec![format!("Imported ATOP {}", release.version)],
                sections: vec![s],
                json: json!({
                    "dataset": "atop", "version": release.version, "memberships": release.memberships.len(), "alliances": release.alliances(),
                    "coverage": [a, b], "store": store.path().display().to_string(),
                    "files": files.iter().map(|(f, r)| json!({"file": f, "kind": r.kind.name(), "version": r.version, "rows": r.rows})).collect::<Vec<_>>(),
                }),
            })
        }
        DataCommand::List | DataCommand::Versions => {
            let store = super::open_store()?;
            let entries = store.list()?;
            let mut s = Section::new(
                "Stored data",
                &[
                    "dataset",
                    "version",
                    "in use",
                    "coverage",
                    "memberships",
                    "alliances",
                    "fingerprint",
                ],
            );
            let mut rows = Vec::new();
            for e in &entries {
                let (a, b) = e.release.coverage();
                s.row(vec![
                    "atop".into(),
                    e.release.version.clone(),
                    if e.current { "yes" } else { "" }.into(),
                    format!("{a}–{b}"),
                    e.release.memberships.len().to_string(),
                    e.release.alliances().to_string(),
                    format!("{:016x}", e.release.fingerprint),
                ]);
                rows.push(json!({"dataset": "atop", "version": e.release.version, "current": e.current, "coverage": [a, b], "memberships": e.release.memberships.len(), "alliances": e.release.alliances(), "fingerprint": format!("{:016x}", e.release.fingerprint), "files": e.files}));
            }
            if let Some((row, j)) = super::cow_data::list_row(&store)? {
                s.row(row);
                rows.push(j);
            }
            if entries.is_empty() && rows.is_empty() {
                s.notes.push("Nothing imported yet: `casus data import atop DIR` (ATOP's release files, from atopdata.org).".into());
            } else {
                s.notes
                    .push("Outside a dataset's coverage the answer is unknown, not no.".into());
            }
            Ok(Report {
                heading: vec![format!("casus data store: {}", store.path().display())],
                sections: vec![s],
                json: json!({"store": store.path().display().to_string(), "datasets": rows}),
            })
        }
        DataCommand::Cite => {
            let store = super::open_store()?;
            let mut s = Section::new("Citations", &["dataset", "version", "cite"]);
            let mut rows = Vec::new();
            for e in store.list()? {
                s.row(vec![
                    "atop".into(),
                    e.release.version.clone(),
                    e.release.citation(),
                ]);
                rows.push(json!({"dataset": "atop", "version": e.release.version, "citation": e.release.citation()}));
            }
            if let Some((version, cite)) = super::cow_data::citation(&store)? {
                s.row(vec!["cow".into(), version.clone(), cite.clone()]);
                rows.push(json!({"dataset": "cow", "version": version, "citation": cite}));
            }
            if rows.is_empty() {
                s.notes.push("Nothing imported yet.".into());
            }
            Ok(Report {
                heading: vec!["How to cite the data casus used".into()],
                sections: vec![s],
                json: json!({"citations": rows}),
            })
        }
    }
}

/// Names states in the output: COW codes, or casus ids through the library's dated crosswalk.
struct Namer<'a> {
    lib: &'a Library,
    codes: Codes,
    cache: HashMap<(u16, u16), String>,
}

impl Namer<'_> {
    fn name(&mut self, code: u16, year: u16) -> String {
        if self.codes == Codes::Cow {
            return code.to_string();
        }
        let lib = self.lib;
        self.cache
            .entry((code, year))
            .or_insert_with(|| {
                let mid = chrono::NaiveDate::from_ymd_opt(year as i32, 7, 1);
                lib.actor_by_cow(code, mid)
                    .or_else(|| lib.actor_by_cow(code, None))
                    .map_or_else(|| format!("cow:{code}"), |a| lib.actor(a).id.clone())
            })
            .clone()
    }
}

/// `casus dyads`: `None` when the rows went to standard output.
pub fn dyads(lib: &Library, args: &DyadArgs) -> Result<Option<Report>> {
    if args.from > args.to {
        bail!("--from {} is after --to {}", args.from, args.to);
    }
    let release = release(args.atop.as_deref())?;
    let corrections = Corrections::for_version(&release.version);
    let d = casus_history::derive(&release, &corrections, args.from, args.to);
    let (first, last) = release.coverage();
    let mut notes = Vec::new();
    if args.to > last || args.from < first {
        notes.push(format!("ATOP {} covers {first}–{last}; years outside it are unknown (no rows), not years without alliances.", release.version));
    }
    let mut namer = Namer {
        lib,
        codes: args.codes,
        cache: HashMap::new(),
    };
    match (&args.out, args.output) {
        (None, DyadOutput::Parquet) => bail!("--output parquet needs --out FILE"),
        (None, fmt) => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            let written =
                write_rows(&mut w, &d, &mut namer, fmt, &release, args).and_then(|_| Ok(w.flush()?));
            // A reader that stops early (`| head`) is not an error.
            if let Err(e) = written {
                if e.downcast_ref::<std::io::Error>()
                    .is_none_or(|io| io.kind() != std::io::ErrorKind::BrokenPipe)
                {
                    return Err(e);
                }
            }
            for n in &notes {
                eprintln!("note: {n}");
            }
            Ok(None)
        }
        (Some(path), fmt) => {
            match fmt {
                DyadOutput::Parquet => write_parquet(path, &d, &mut namer)?,
                _ => {
                    let mut w = BufWriter::new(
                        File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
                    );
                    write_rows(&mut w, &d, &mut namer, fmt, &release, args)?;
                    w.flush()?;
                }
            }
            let mut counts = [0usize; 5];
            for r in &d.rows {
                for (i, f) in r.obligations.flags().iter().enumerate() {
                    counts[i] += *f as usize;
                }
            }
            let mut s = Section::new(
                format!(
                    "Directed dyad-years {}–{}",
                    args.from.max(first),
                    args.to.min(last)
                ),
                &["rows", "defense", "offense", "neutral", "nonagg", "consul"],
            );
            s.row(
                std::iter::once(d.rows.len())
                    .chain(counts)
                    .map(|c| c.to_string())
                    .collect(),
            );
            s.notes = notes.clone();
            s.notes.push(format!(
                "Written to {} ({} corrections of directed obligations from ATOP applied).",
                path.display(),
                corrections.len()
            ));
            Ok(Some(Report {
                heading: vec![format!(
                    "ATOP {} directed dyad-year obligations, derived from the member-level file",
                    release.version
                )],
                sections: vec![s],
                json: json!({"atop_version": release.version, "from": args.from, "to": args.to, "coverage": [first, last], "rows": d.rows.len(),
                    "defense": counts[0], "offense": counts[1], "neutral": counts[2], "nonagg": counts[3], "consul": counts[4],
                    "file": path.display().to_string(), "notes": notes}),
            }))
        }
    }
}

fn write_rows(
    w: &mut impl Write,
    d: &Dyads,
    namer: &mut Namer,
    fmt: DyadOutput,
    release: &Release,
    args: &DyadArgs,
) -> Result<()> {
    let (c1, c2) = if namer.codes == Codes::Cow {
        ("ccode1", "ccode2")
    } else {
        ("actor1", "actor2")
    };
    match fmt {
        DyadOutput::Csv | DyadOutput::Parquet => {
            writeln!(w, "{c1},{c2},year,defense,offense,neutral,nonagg,consul")?;
            for r in &d.rows {
                let f = r.obligations.flags();
                writeln!(
                    w,
                    "{},{},{},{},{},{},{},{}",
                    namer.name(r.ccode1, r.year),
                    namer.name(r.ccode2, r.year),
                    r.year,
                    f[0] as u8,
                    f[1] as u8,
                    f[2] as u8,
                    f[3] as u8,
                    f[4] as u8
                )?;
            }
        }
        DyadOutput::Json => {
            let (first, last) = release.coverage();
            write!(
                w,
                "{{\"atop_version\":\"{}\",\"from\":{},\"to\":{},\"coverage\":[{first},{last}],\"rows\":[",
                release.version, args.from, args.to
            )?;
            for (i, r) in d.rows.iter().enumerate() {
                let f = r.obligations.flags();
                let row = json!({c1: namer.name(r.ccode1, r.year), c2: namer.name(r.ccode2, r.year), "year": r.year,
                    "defense": f[0] as u8, "offense": f[1] as u8, "neutral": f[2] as u8, "nonagg": f[3] as u8, "consul": f[4] as u8, "atopids": d.alliances(r)});
                if i > 0 {
                    w.write_all(b",")?;
                }
                serde_json::to_writer(&mut *w, &row)?;
            }
            writeln!(w, "]}}")?;
        }
    }
    Ok(())
}

fn write_parquet(path: &Path, d: &Dyads, namer: &mut Namer) -> Result<()> {
    use parquet::data_type::{ByteArray, ByteArrayType, Int32Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    let cow = namer.codes == Codes::Cow;
    let state = if cow {
        "REQUIRED INT32 ccode1; REQUIRED INT32 ccode2;"
    } else {
        "REQUIRED BYTE_ARRAY actor1 (UTF8); REQUIRED BYTE_ARRAY actor2 (UTF8);"
    };
    let schema = Arc::new(parse_message_type(&format!(
        "message dyads {{ {state} REQUIRED INT32 year; REQUIRED INT32 defense; REQUIRED INT32 offense; REQUIRED INT32 neutral; REQUIRED INT32 nonagg; REQUIRED INT32 consul; }}"
    ))?);
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut writer = SerializedFileWriter::new(file, schema, Arc::new(WriterProperties::builder().build()))?;
    let mut group = writer.next_row_group()?;
    let mut column = 0;
    while let Some(mut col) = group.next_column()? {
        if column < 2 && !cow {
            let v: Vec<ByteArray> = d
                .rows
                .iter()
                .map(|r| {
                    ByteArray::from(
                        namer
                            .name(if column == 0 { r.ccode1 } else { r.ccode2 }, r.year)
                            .as_str(),
                    )
                })
                .collect();
            col.typed::<ByteArrayType>().write_batch(&v, None, None)?;
        } else {
            let v: Vec<i32> = d
                .rows
                .iter()
                .map(|r| match column {
                    0 => r.ccode1 as i32,
                    1 => r.ccode2 as i32,
                    2 => r.year as i32,
                    k => r.obligations.flags()[k - 3] as i32,
                })
                .collect();
            col.typed::<Int32Type>().write_batch(&v, None, None)?;
        }
        col.close()?;
        column += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(())
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{:.0}%", x * 100.0))
}

/// `casus reliability`: fulfilment rates from Berkemeier & Fuhrmann's case data.
pub fn reliability(cases_file: &Path, coding: CodingArg, by: ByArg, chart: Option<&Path>) -> Result<Report> {
    let text = std::fs::read_to_string(cases_file)
        .with_context(|| format!("cannot read {}", cases_file.display()))?;
    let coding = match coding {
        CodingArg::Llm => Coding::Llm,
        CodingArg::Bf => Coding::Bf,
    };
    let cases = reliability::parse_cases(&cases_file.display().to_string(), &text, coding)
        .map_err(|e| anyhow!("{e}"))?;
    let by = match by {
        ByArg::Period => By::Period,
        ByArg::Obligation => By::Obligation,
        ByArg::Size => By::Size,
    };
    let rates = reliability::rates(&cases, by);
    let coding_name = match coding {
        Coding::Llm => "Leeds–Long–Mitchell coding",
        Coding::Bf => "Berkemeier–Fuhrmann coding",
    };
    let mut s = Section::new(
        format!("Fulfilment of alliance commitments in war ({coding_name})"),
        &["group", "honoured", "violated", "rate", "95% interval"],
    );
    for r in &rates {
        s.row(vec![
            r.group.clone(),
            r.honoured.to_string(),
            r.violated.to_string(),
            pct(r.rate),
            format!("{}–{}", pct(r.low), pct(r.high)),
        ]);
    }
    let excluded = cases.iter().filter(|c| !c.honoured && !c.violated).count();
    s.notes.push(format!(
        "{} alliance-in-war cases; {excluded} are not cases of performance (casus foederis not met, consultation pacts, non-aggression pacts kept). Intervals: Wilson score.",
        cases.len()
    ));
    s.notes.push("Source: Berkemeier & Fuhrmann (2018), Research & Politics; Leeds, Long & Mitchell (2000), JCR 44(5).".into());
    if let Some(path) = chart {
        let mut all = reliability::rates(&cases, By::Period);
        all.extend(reliability::rates(&cases, By::Obligation).into_iter().skip(1));
        rates_chart(
            path,
            &format!("Alliance commitments honoured in war ({coding_name})"),
            &all,
        )?;
        s.notes.push(format!("Chart: {}", path.display()));
    }
    Ok(Report {
        heading: vec!["Alliance reliability".into()],
        sections: vec![s],
        json: json!({"cases_file": cases_file.display().to_string(), "coding": coding, "cases": cases.len(), "not_performance": excluded, "interval": "wilson 95%", "rates": rates}),
    })
}

/// Horizontal bars of fulfilment rates with their 95% intervals.
fn rates_chart(path: &Path, title: &str, rows: &[Rate]) -> Result<()> {
    use plotters::prelude::*;
    let err = |e: &dyn std::fmt::Debug| anyhow!("chart: {e:?}");
    let n = rows.len();
    let root = SVGBackend::new(path, (820, 90 + 40 * n as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(190)
        .build_cartesian_2d(0f64..1f64, 0f64..n as f64)
        .map_err(|e| err(&e))?;
    let labels: Vec<String> = rows
        .iter()
        .map(|r| format!("{} (n={})", r.group, r.cases()))
        .collect();
    chart
        .configure_mesh()
        .x_desc("share of invoked commitments honoured (bars: rate; lines: 95% Wilson interval)")
        .y_labels(n * 2 + 1)
        .y_label_formatter(&|y| casus_render::charts::row_label(&labels, *y))
        .draw()
        .map_err(|e| err(&e))?;
    let colour = RGBColor(31, 119, 180);
    for (i, r) in rows.iter().enumerate() {
        let y = (n - 1 - i) as f64 + 0.5;
        if let Some(rate) = r.rate {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - 0.3), (rate, y + 0.3)],
                    colour.mix(if i == 0 { 0.9 } else { 0.6 }).filled(),
                )))
                .map_err(|e| err(&e))?;
        }
        if let (Some(lo), Some(hi)) = (r.low, r.high) {
            chart
                .draw_series(LineSeries::new(vec![(lo, y), (hi, y)], BLACK.stroke_width(2)))
                .map_err(|e| err(&e))?;
        }
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

#[derive(clap::Args)]
pub struct CalibrateArgs {
    /// The case file (BerkemeierFuhrmannRAP2018_0303.csv).
    #[arg(long, value_name = "FILE")]
    pub cases: PathBuf,
    #[arg(long, value_enum, default_value_t = CodingArg::Llm)]
    pub coding: CodingArg,
    /// COW major powers (majors2016.csv). Default: ../cow-state-system-2016/majors2016.csv beside the case file's folder.
    #[arg(long, value_name = "FILE")]
    pub majors: Option<PathBuf>,
    /// ATOP's release files, for the alliances' members (major-power status) and institutions.
    /// Default: the ATOP release in the store (`casus data import atop DIR`).
    #[arg(long, value_name = "DIR")]
    pub atop: Option<PathBuf>,
    /// COW NMC capabilities (a file with columns ccode, year, cinc), for the alliance's relative capability.
    /// Default: ../cow-nmc-7.0/nmc_7.0_abridged_peacesciencer.csv beside the case file's folder.
    #[arg(long, value_name = "FILE")]
    pub nmc: Option<PathBuf>,
    /// Write the calibrated priors here (the shape of library/priors/credibility.toml).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Number of cross-validation folds.
    #[arg(long, default_value_t = 10)]
    pub folds: usize,
    /// Also draw the calibration table as an SVG plot (predicted against observed, by decile).
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
}

/// COW major-power spells: (ccode, first year, last year; None while still major at the end of the data).
fn read_majors(path: &Path) -> Result<Vec<(u16, u16, Option<u16>)>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.display().to_string();
    let t = casus_history::table::Table::parse(&name, &text).map_err(|e| anyhow!("{e}"))?;
    let col = |n: &str| t.column(n).map_err(|e| anyhow!("{e}"));
    let (cc, st, en, ver) = (col("ccode")?, col("styear")?, col("endyear")?, col("version")?);
    let mut out = Vec::new();
    for row in &t.rows {
        let int = |c: usize| t.required(row, c).map_err(|e| anyhow!("{e}"));
        let end = int(en)?;
        // The last year of the release means "still a major power".
        let open = end >= int(ver)?;
        out.push((int(cc)? as u16, int(st)? as u16, (!open).then_some(end as u16)));
    }
    Ok(out)
}

/// The text of ATOP's member-level file in a folder (for the conditions and strength columns).
pub(crate) fn atop_member_text(dir: &Path) -> Result<(String, String)> {
    let entries = casus_session::csv_files(dir)?;
    for path in entries {
        let text =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.display().to_string();
        if atop::recognise(&name, &text)
            .map_err(|e| anyhow!("{e}"))?
            .is_some_and(|r| r.kind == FileKind::Member)
        {
            return Ok((name, text));
        }
    }
    bail!("no ATOP member-level file (atop5_1m.csv) in {}", dir.display())
}

const RIDGE: f64 = 0.1;
/// The features of the model before conditions, capability and strength were added (columns 0..9).
const PREVIOUS_FEATURES: usize = 9;
const LITERATURE_BASE_RATE: f64 = 0.41;

/// `casus calibrate`: a logistic model of P(honoured) on the Berkemeier & Fuhrmann cases.
pub fn calibrate(args: &CalibrateArgs) -> Result<Report> {
    use casus_history::calibrate as cal;
    let text = std::fs::read_to_string(&args.cases)
        .with_context(|| format!("cannot read {}", args.cases.display()))?;
    let coding = match args.coding {
        CodingArg::Llm => Coding::Llm,
        CodingArg::Bf => Coding::Bf,
    };
    let cases = reliability::parse_cases(&args.cases.display().to_string(), &text, coding)
        .map_err(|e| anyhow!("{e}"))?;
    let majors_path = match &args.majors {
        Some(p) => p.clone(),
        None => args
            .cases
            .parent()
            .and_then(|p| p.parent())
            .unwrap_or(Path::new("."))
            .join("cow-state-system-2016/majors2016.csv"),
    };
    if !majors_path.exists() {
        bail!(
            "no COW major-power file at {}; pass --majors FILE (majors2016.csv)",
            majors_path.display()
        );
    }
    let majors = read_majors(&majors_path)?;
    let beside = |rel: &str| {
        args.cases
            .parent()
            .and_then(|p| p.parent())
            .unwrap_or(Path::new("."))
            .join(rel)
    };
    // Conditions and strength are columns of ATOP's member file that the store does not keep:
    // they are read from the release folder (--atop, or ../atop-5.1 beside the case file's folder).
    let atop_dir = args.atop.clone().unwrap_or_else(|| beside("atop-5.1"));
    if !atop_dir.exists() {
        bail!("no ATOP release folder at {}; pass --atop DIR (the conditions on obligations are read from atop5_1m.csv)", atop_dir.display());
    }
    let (mname, mtext) = atop_member_text(&atop_dir)?;
    let details = cal::parse_member_details(&mname, &mtext).map_err(|e| anyhow!("{e}"))?;
    let mut details_of: HashMap<u32, Vec<&cal::MemberDetail>> = HashMap::new();
    for d in &details {
        details_of.entry(d.atopid).or_default().push(d);
    }
    let nmc_path = args
        .nmc
        .clone()
        .unwrap_or_else(|| beside("cow-nmc-7.0/nmc_7.0_abridged_peacesciencer.csv"));
    let nmc_text = std::fs::read_to_string(&nmc_path).with_context(|| {
        format!(
            "cannot read COW NMC capabilities at {}; pass --nmc FILE",
            nmc_path.display()
        )
    })?;
    let cinc = cal::parse_cinc(&nmc_path.display().to_string(), &nmc_text).map_err(|e| anyhow!("{e}"))?;
    // The case data names the alliance, not the obligor: an alliance counts as having a major
    // power when a member in the war's first year was a COW major power then.
    let atop = release(Some(&atop_dir))?;
    let mut by_alliance: HashMap<u32, Vec<&casus_history::Membership>> = HashMap::new();
    for m in &atop.memberships {
        by_alliance.entry(m.atopid).or_default().push(m);
    }
    let names: Vec<&str> = vec![
        "defence",
        "offence",
        "neutrality",
        "non-aggression",
        "after 1945",
        "major-power member",
        "multilateral",
        "integrated command",
        "organisation",
        "condition: specific adversary",
        "condition: location",
        "condition: non-provocation",
        "condition: number of attackers",
        "condition: demands",
        "strength: active support promised",
        "strength: contributions specified",
        "capability: alliance CINC (tenths of world)",
        "capability: strongest member's share",
    ];
    let groups: Vec<(&str, Vec<usize>)> = vec![
        ("obligation type", vec![0, 1, 2, 3]),
        ("era (after 1945)", vec![4]),
        ("major-power member", vec![5]),
        ("multilateral", vec![6]),
        ("institutions (integrated command, organisation)", vec![7, 8]),
        (
            "conditions (adversary, location, non-provocation, attackers, demands)",
            vec![9, 10, 11, 12, 13],
        ),
        ("strength (active support, contributions)", vec![14, 15]),
        ("relative capability (CINC total, strongest share)", vec![16, 17]),
    ];
    let (mut x, mut y) = (Vec::new(), Vec::new());
    let mut skipped = 0usize;
    for c in cases.iter().filter(|c| c.honoured || c.violated) {
        let (Some(year), Some(members)) = (cal::war_year(&c.war), by_alliance.get(&c.atopid)) else {
            skipped += 1;
            continue;
        };
        let in_war = |m: &&&casus_history::Membership| {
            m.years(atop.last_year).0 <= year && year <= m.years(atop.last_year).1
        };
        let major = members.iter().filter(in_war).any(|m| {
            majors
                .iter()
                .any(|&(cc, a, b)| cc == m.member && a <= year && b.is_none_or(|b| year <= b))
        });
        let f = c.obligations.flags();
        let row = [
            f[0],
            f[1],
            f[2],
            f[3],
            !c.before_1945,
            major,
            c.multilateral,
            members.iter().any(|m| m.intcom),
            members.iter().any(|m| m.organ),
        ];
        let mut r: Vec<f64> = row.into_iter().map(|b| b as u8 as f64).collect();
        // Conditions and strength: any member in the war's first year (all members when none is).
        let ds = details_of.get(&c.atopid).map(Vec::as_slice).unwrap_or(&[]);
        let now: Vec<&&cal::MemberDetail> = ds.iter().filter(|d| d.covers(year)).collect();
        let now = if now.is_empty() { ds.iter().collect() } else { now };
        for k in 0..cal::CONDITIONS.len() {
            r.push(now.iter().any(|d| d.conditions[k]) as u8 as f64);
        }
        r.push(now.iter().any(|d| d.active) as u8 as f64);
        r.push(now.iter().any(|d| d.contrib) as u8 as f64);
        let mut ids: Vec<u16> = members.iter().filter(in_war).map(|m| m.member).collect();
        if ids.is_empty() {
            ids = members.iter().map(|m| m.member).collect();
        }
        ids.sort_unstable();
        ids.dedup();
        let Some(cap) = cal::capability(&ids, year, &cinc) else {
            skipped += 1;
            continue;
        };
        r.push(cap.total * 10.0);
        r.push(cap.top_share);
        x.push(r);
        y.push(c.honoured as u8 as f64);
    }
    if y.len() < args.folds.max(2) * 2 {
        bail!("only {} cases of performance: too few to cross-validate", y.len());
    }
    let k = args.folds.max(2);
    let all: Vec<usize> = (0..names.len()).collect();
    let base_cv = cal::cross_validate(&x, &y, k, RIDGE, &[]);
    let full_cv = cal::cross_validate(&x, &y, k, RIDGE, &all);
    let previous: Vec<usize> = (0..PREVIOUS_FEATURES).collect();
    let previous_cv = cal::cross_validate(&x, &y, k, RIDGE, &previous);
    let ablation = cal::ablate(&x, &y, k, RIDGE, &groups);
    let lit = vec![LITERATURE_BASE_RATE; y.len()];
    let full = cal::fit(&x, &y, RIDGE);
    let mut quality = Section::new(
        format!(
            "Out-of-sample quality ({k}-fold cross-validation, {} cases)",
            y.len()
        ),
        &["model", "log loss", "Brier score"],
    );
    let mut q_json = Vec::new();
    for (label, p) in [
        (
            format!("literature base rate {LITERATURE_BASE_RATE} (not fitted)"),
            &lit,
        ),
        ("base rate alone (fitted in each fold)".to_string(), &base_cv),
        (
            "logistic model, type, era, major power, size, institutions".to_string(),
            &previous_cv,
        ),
        (
            "logistic model, all features (+ conditions, strength, capability)".to_string(),
            &full_cv,
        ),
    ] {
        let (ll, bs) = (cal::log_loss(p, &y), cal::brier(p, &y));
        quality.row(vec![label.clone(), format!("{ll:.4}"), format!("{bs:.4}")]);
        q_json.push(json!({"model": label, "log_loss": ll, "brier": bs}));
    }
    // The model behind the priors: the one with the lower cross-validated log loss of the two
    // above (the previous features are a prefix of the full list, so column indices agree).
    let full_ll = cal::log_loss(&full_cv, &y);
    let (prior_cols, prior_cv, prior_label) = if cal::log_loss(&previous_cv, &y) < full_ll {
        (
            previous.clone(),
            &previous_cv,
            "type, era, major power, size and institutions",
        )
    } else {
        (all.clone(), &full_cv, "all features")
    };
    let xp: Vec<Vec<f64>> = x.iter().map(|r| r[..prior_cols.len()].to_vec()).collect();
    let prior_fit = cal::fit(&xp, &y, RIDGE);
    let prior_ll = cal::log_loss(prior_cv, &y);
    let full_wins = prior_ll < cal::log_loss(&base_cv, &y);
    // Parameters of the credibility model that a feature estimates: written only if adding the
    // feature lowers the out-of-sample log loss.
    let mut written: Vec<(String, f64, f64, f64, String)> = Vec::new();
    let mut zeroed: Vec<usize> = Vec::new();
    let mut param_rows = Vec::new();
    for (feature, param) in [
        ("integrated command", "honour.institution.integrated_command"),
        ("organisation", "honour.institution.standing_body"),
    ] {
        let Some(j) = names.iter().position(|n| *n == feature) else {
            continue;
        };
        let without: Vec<usize> = prior_cols.iter().copied().filter(|&c| c != j).collect();
        let ll_without = cal::log_loss(&cal::cross_validate(&x, &y, k, RIDGE, &without), &y);
        let ll_with = prior_ll;
        let (b, se) = (prior_fit.coef[j + 1], prior_fit.se[j + 1]);
        let better = ll_with < ll_without;
        param_rows.push(json!({"parameter": param, "feature": feature, "coefficient": b, "se": se, "log_loss_with": ll_with, "log_loss_without": ll_without, "written": better}));
        if better {
            zeroed.push(j);
            written.push((param.into(), b, b - 1.96 * se, b + 1.96 * se, format!("casus calibrate: logistic coefficient of ATOP's {feature} provision on honouring ({} Berkemeier & Fuhrmann 2018 cases, ridge {RIDGE}); cross-validated log loss {ll_with:.4} with it, {ll_without:.4} without. Range: ±1.96 standard errors.", y.len())));
        }
    }
    // The base rate: a defence obligation after 1945, averaged over those cases' other features
    // (with any written effect's feature set to 0, since the simulation adds it separately).
    let modern: Vec<Vec<f64>> = xp
        .iter()
        .filter(|r| r[0] == 1.0 && r[4] == 1.0)
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(j, v)| if zeroed.contains(&j) { 0.0 } else { *v })
                .collect()
        })
        .collect();
    let (base, low, high, how) = if full_wins && !modern.is_empty() {
        let mean: Vec<f64> = (0..prior_cols.len())
            .map(|j| modern.iter().map(|r| r[j]).sum::<f64>() / modern.len() as f64)
            .collect();
        let (eta, se) = (prior_fit.eta(&mean), prior_fit.eta_se(&mean));
        let s = |z: f64| 1.0 / (1.0 + (-z).exp());
        (s(eta), s(eta - 1.96 * se), s(eta + 1.96 * se), format!("the fitted logistic model ({prior_label}) at the average profile of the {} defence cases after 1945", modern.len()))
    } else {
        let m = y.iter().sum::<f64>() / y.len() as f64;
        let se = (m * (1.0 - m) / y.len() as f64).sqrt();
        (
            m,
            (m - 1.96 * se).max(0.0),
            (m + 1.96 * se).min(1.0),
            "the rate of all cases (the model did not beat it out of sample)".to_string(),
        )
    };
    written.insert(0, ("honour.base_rate".into(), base, low, high, format!("casus calibrate: {how}; {} Berkemeier & Fuhrmann 2018 cases ({} coding), COW majors 2016, ridge {RIDGE}. Cross-validated log loss {:.4} (model) against {:.4} (base rate alone). Range: 95% interval.", y.len(), if coding == Coding::Llm { "Leeds–Long–Mitchell" } else { "Berkemeier–Fuhrmann" }, prior_ll, cal::log_loss(&base_cv, &y))));

    let mut coefs = Section::new(
        format!(
            "Fitted coefficients (log-odds of honouring, all {} cases, ridge {RIDGE})",
            y.len()
        ),
        &["feature", "coefficient", "std. error", "cases with it"],
    );
    coefs.row(vec![
        "intercept".into(),
        format!("{:+.3}", full.coef[0]),
        format!("{:.3}", full.se[0]),
        y.len().to_string(),
    ]);
    for (j, n) in names.iter().enumerate() {
        let with = x.iter().filter(|r| r[j] != 0.0).count();
        coefs.row(vec![
            (*n).into(),
            format!("{:+.3}", full.coef[j + 1]),
            format!("{:.3}", full.se[j + 1]),
            with.to_string(),
        ]);
    }
    if skipped > 0 {
        coefs.notes.push(format!("{skipped} cases of performance left out: war year not found, alliance not in ATOP {}, or no member with a COW CINC score.", atop.version));
    }
    let mut abl = Section::new(
        format!("Which features help out of sample (each group dropped from the full model; full model: log loss {full_ll:.4}, Brier {:.4})", cal::brier(&full_cv, &y)),
        &["group left out", "log loss without", "Brier without", "gain from the group"],
    );
    for a in &ablation {
        abl.row(vec![
            a.group.clone(),
            format!("{:.4}", a.log_loss_without),
            format!("{:.4}", a.brier_without),
            format!("{:+.4}", a.gain),
        ]);
    }
    abl.notes.push("A positive gain means the cross-validated log loss rises when the group is left out: the group helps out of sample.".into());
    abl.notes.push("Conditions and strength are ATOP's member-level codings (any member in the war's first year). Relative capability uses COW NMC's CINC of the members in the war's first year: the alliance's summed share of world capabilities and its strongest member's share of that sum (the case data names the alliance, not the obligor, and a proposed commitment has no opponent yet, so both are computed from the members alone).".into());
    let table = cal::calibration(prior_cv, &y, 10);
    let mut calib = Section::new(
        "Calibration of the model behind the priors (out-of-fold predictions, deciles)",
        &["decile", "cases", "mean predicted", "observed"],
    );
    for (i, b) in table.iter().enumerate() {
        calib.row(vec![
            (i + 1).to_string(),
            b.cases.to_string(),
            format!("{:.2}", b.mean_predicted),
            format!("{:.2}", b.observed),
        ]);
    }
    if let Some(path) = &args.chart {
        let points: Vec<(f64, f64, usize)> = table
            .iter()
            .map(|b| (b.mean_predicted, b.observed, b.cases))
            .collect();
        let base = y.iter().sum::<f64>() / y.len().max(1) as f64;
        let svg =
            casus_render::charts::calibration("Calibration of P(honoured), cross-validated", &points, base)?;
        std::fs::write(path, svg).with_context(|| format!("cannot write {}", path.display()))?;
        calib.notes.push(format!("Chart: {}", path.display()));
    }
    let mut priors = Section::new("Priors written", &["parameter", "value", "low", "high"]);
    for (id, v, l, h, _) in &written {
        priors.row(vec![
            id.clone(),
            format!("{v:.3}"),
            format!("{l:.3}"),
            format!("{h:.3}"),
        ]);
    }
    priors.notes.push("Era, major-power status, alliance size, ATOP's obligation types, conditions and strength, and relative capability are not parameters of the credibility model, so their effects inform the base rate only; an institution effect is written only if it lowers the cross-validated log loss.".into());
    priors.notes.push(format!(
        "The priors come from the logistic model with {prior_label} (cross-validated log loss {prior_ll:.4}; the other model {:.4}).",
        if prior_cols.len() == all.len() { cal::log_loss(&previous_cv, &y) } else { full_ll }
    ));
    if let Some(path) = &args.out {
        let mut f = String::from("# Written by `casus calibrate` (casus-history): priors fitted to the Berkemeier & Fuhrmann 2018\n# alliance-in-war cases. Load with --library FILE; each parameter replaces the built-in one.\n");
        for (id, v, l, h, src) in &written {
            f.push_str(&format!(
                "\n[[parameter]]\nid = \"{id}\"\nvalue = {v:.4}\nlow = {l:.4}\nhigh = {h:.4}\nsource = {}\n",
                serde_json::to_string(src)?
            ));
        }
        std::fs::write(path, f).with_context(|| format!("cannot write {}", path.display()))?;
        priors.notes.push(format!("Written to {}", path.display()));
    }
    Ok(Report {
        heading: vec!["Calibrating P(honoured) on alliance commitments in war".into()],
        sections: vec![quality, abl, coefs, calib, priors],
        json: json!({
            "cases_file": args.cases.display().to_string(), "coding": coding, "cases": y.len(), "skipped": skipped, "folds": k, "ridge": RIDGE,
            "quality": q_json,
            "coefficients": std::iter::once("intercept").chain(names.iter().copied()).zip(full.coef.iter().zip(&full.se)).map(|(n, (b, s))| json!({"feature": n, "coefficient": b, "se": s})).collect::<Vec<_>>(),
            "calibration": table, "institution_effects": param_rows, "ablation": ablation, "prior_model": prior_label,
            "written": written.iter().map(|(id, v, l, h, s)| json!({"id": id, "value": v, "low": l, "high": h, "source": s})).collect::<Vec<_>>(),
            "out": args.out.as_ref().map(|p| p.display().to_string()),
        }),
    })
}

/// `casus reliability`'s flags.
#[derive(clap::Args)]
pub struct ReliabilityArgs {
    /// The case file (BerkemeierFuhrmannRAP2018_0303.csv).
    #[arg(long, value_name = "FILE")]
    pub cases: PathBuf,
    #[arg(long, value_enum, default_value_t = CodingArg::Llm)]
    pub coding: CodingArg,
    #[arg(long, value_enum, default_value_t = ByArg::Period)]
    pub by: ByArg,
    /// Also draw the rates by period and obligation type as an SVG chart.
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
}
