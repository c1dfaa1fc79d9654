//! Delimited tables (CSV and TSV) as data releases and generated library tables write them:
//! a header row and records, every cell with its byte span, so that a bad value is reported
//! as `file:line:column` by a [`Diagnostic`]. The one reader of tabular files in casus (ATOP,
//! COW, the case data, capabilities, the coverage table, the source grades).
//!
//! Fields may be quoted (`"a, b"`, `""` for a quote, line breaks inside quotes); CRLF and LF
//! line endings are both accepted; blank lines are skipped; a byte-order mark is ignored.
//! With [`Options::comments`], lines starting with `#` are skipped (hand-written tables).
//! Every record must have as many cells as the header: a ragged row is a located error.
//!
//! Hand-rolled rather than the `csv` crate because diagnostics need the byte span of every
//! cell, which `csv` does not give.

use std::borrow::Cow;
use std::ops::Range;

use crate::{Diagnostic, SourceFile};

/// One cell: its text (unquoted) and its span in the file (the quotes included).
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub text: Cow<'a, str>,
    pub span: Range<usize>,
}

/// One record: its cells and its 1-based line.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub line: usize,
    pub cells: Vec<Cell<'a>>,
    /// The record's span, for errors about the row as a whole.
    pub span: Range<usize>,
}

impl<'a> Row<'a> {
    /// A cell's text, trimmed ("" past the end).
    pub fn text(&self, col: usize) -> &str {
        self.cells.get(col).map_or("", |c| c.text.trim())
    }
}

/// How a file is delimited.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub delimiter: u8,
    /// Skip lines that start with `#`.
    pub comments: bool,
}

impl Options {
    pub const CSV: Self = Self {
        delimiter: b',',
        comments: false,
    };
    pub const TSV: Self = Self {
        delimiter: b'\t',
        comments: false,
    };
}

/// A parsed table: its file, header and records.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub file: &'a SourceFile,
    pub header: Vec<String>,
    pub header_span: Range<usize>,
    pub rows: Vec<Row<'a>>,
}

/// A file's bytes as text, or a located error at the first byte that is not UTF-8.
pub fn text_file(path: impl Into<String>, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    let path = path.into();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Locate the bad byte in the valid text before it.
            let valid = String::from_utf8_lossy(&bytes[..at]).into_owned();
            let file = SourceFile::new(path, valid);
            Err(Diagnostic::error(
                &file,
                at..at,
                format!("not UTF-8 text (byte {at} is not valid UTF-8); save the file as UTF-8"),
            ))
        }
    }
}

impl<'a> Table<'a> {
    /// A comma-separated file.
    pub fn csv(file: &'a SourceFile) -> Result<Self, Diagnostic> {
        Self::parse(file, Options::CSV)
    }

    /// A tab-separated file.
    pub fn tsv(file: &'a SourceFile) -> Result<Self, Diagnostic> {
        Self::parse(file, Options::TSV)
    }

    pub fn parse(file: &'a SourceFile, opts: Options) -> Result<Self, Diagnostic> {
        let text = file.text.as_str();
        let bytes = text.as_bytes();
        let delim = opts.delimiter;
        let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut line = 1usize;
        let mut records: Vec<Row<'a>> = Vec::new();
        while i < bytes.len() {
            let (start, start_line) = (i, line);
            if opts.comments && bytes[i] == b'#' {
                let end = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| i + p + 1);
                i = end;
                line += 1;
                continue;
            }
            let mut cells = Vec::new();
            loop {
                if bytes.get(i) == Some(&b'"') {
                    let open = i;
                    let mut value = String::new();
                    let mut j = i + 1;
                    let mut run = j;
                    loop {
                        match bytes.get(j) {
                            None => {
                                return Err(Diagnostic::error(
                                    file,
                                    open..open + 1,
                                    "a quoted field is not closed",
                                ))
                            }
                            Some(b'"') => {
                                value.push_str(&text[run..j]);
                                if bytes.get(j + 1) == Some(&b'"') {
                                    value.push('"');
                                    j += 2;
                                    run = j;
                                } else {
                                    j += 1;
                                    break;
                                }
                            }
                            Some(b'\n') => {
                                line += 1;
                                j += 1;
                            }
                            Some(_) => j += 1,
                        }
                    }
                    cells.push(Cell {
                        text: Cow::Owned(value),
                        span: open..j,
                    });
                    i = j;
                    match bytes.get(i) {
                        Some(&b) if b == delim => {
                            i += 1;
                            continue;
                        }
                        Some(b'\r') | Some(b'\n') | None => {}
                        Some(_) => {
                            return Err(Diagnostic::error(
                                file,
                                i..i + 1,
                                "text after a closing quote; expected a delimiter or the end of the line",
                            ))
                        }
                    }
                } else {
                    let end = bytes[i..]
                        .iter()
                        .position(|&b| b == delim || b == b'\n' || b == b'\r')
                        .map_or(bytes.len(), |p| i + p);
                    cells.push(Cell {
                        text: Cow::Borrowed(&text[i..end]),
                        span: i..end,
                    });
                    i = end;
                    if bytes.get(i) == Some(&delim) {
                        i += 1;
                        continue;
                    }
                }
                break;
            }
            let end = i;
            if bytes.get(i) == Some(&b'\r') {
                i += 1;
            }
            if bytes.get(i) == Some(&b'\n') {
                i += 1;
            }
            line += 1;
            let blank = cells.len() == 1 && cells[0].text.trim().is_empty();
            if !blank {
                records.push(Row {
                    line: start_line,
                    cells,
                    span: start..end,
                });
            }
        }
        let mut records = records.into_iter();
        let head = records
            .next()
            .ok_or_else(|| Diagnostic::error(file, 0..0, "the file is empty; expected a header line"))?;
        let header: Vec<String> = head.cells.iter().map(|c| c.text.trim().to_string()).collect();
        let rows: Vec<Row<'a>> = records.collect();
        for r in &rows {
            if r.cells.len() != header.len() {
                let at = r.cells.last().map_or(r.span.clone(), |c| c.span.clone());
                return Err(Diagnostic::error(
                    file,
                    at,
                    format!("{} fields, but the header has {}", r.cells.len(), header.len()),
                ));
            }
        }
        Ok(Self {
            file,
            header,
            header_span: head.span,
            rows,
        })
    }

    /// Whether the header has a column (case-insensitive).
    pub fn has(&self, name: &str) -> bool {
        self.header.iter().any(|h| h.eq_ignore_ascii_case(name))
    }

    /// The index of a column the file must have.
    pub fn column(&self, name: &str) -> Result<usize, Diagnostic> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let mut d = Diagnostic::error(
                    self.file,
                    self.header_span.start..self.header_span.start,
                    format!("no column `{name}` in the header"),
                );
                let close = self
                    .header
                    .iter()
                    .min_by_key(|h| strsim::levenshtein(&h.to_lowercase(), &name.to_lowercase()))
                    .filter(|h| strsim::levenshtein(&h.to_lowercase(), &name.to_lowercase()) <= 2);
                if let Some(h) = close {
                    d.message.push_str(&format!(" (did you mean `{h}`?)"));
                }
                d
            })
    }

    /// A located error about one cell.
    pub fn error(&self, row: &Row, col: usize, message: impl Into<String>) -> Diagnostic {
        let span = row.cells.get(col).map_or(row.span.clone(), |c| c.span.clone());
        Diagnostic::error(self.file, span, message)
    }

    /// A whole number, or `None` when the cell is empty. Stata exports write whole numbers as
    /// "3" or "3.0".
    pub fn int(&self, row: &Row, col: usize) -> Result<Option<i64>, Diagnostic> {
        let t = row.text(col);
        if t.is_empty() {
            return Ok(None);
        }
        let t = t.strip_suffix(".0").unwrap_or(t);
        t.parse::<i64>().map(Some).map_err(|_| {
            self.error(
                row,
                col,
                format!(
                    "`{}`: expected a whole number in column `{}`",
                    row.cells[col].text, self.header[col]
                ),
            )
        })
    }

    /// A whole number that must be present.
    pub fn required(&self, row: &Row, col: usize) -> Result<i64, Diagnostic> {
        self.int(row, col)?.ok_or_else(|| {
            self.error(
                row,
                col,
                format!("column `{}` is empty; a value is required", self.header[col]),
            )
        })
    }

    /// A 0/1 flag; empty counts as 0.
    pub fn flag(&self, row: &Row, col: usize) -> Result<bool, Diagnostic> {
        match self.int(row, col)? {
            None | Some(0) => Ok(false),
            Some(1) => Ok(true),
            Some(v) => Err(self.error(
                row,
                col,
                format!("`{v}`: expected 0 or 1 in column `{}`", self.header[col]),
            )),
        }
    }

    /// A number, or `None` when the cell is empty or a missing-value marker (`NA`, `.`).
    pub fn number(&self, row: &Row, col: usize) -> Result<Option<f64>, Diagnostic> {
        match row.text(col) {
            "" | "NA" | "." => Ok(None),
            t => t.parse::<f64>().map(Some).map_err(|_| {
                self.error(
                    row,
                    col,
                    format!("`{t}`: expected a number in column `{}`", self.header[col]),
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_crlf_and_spans() {
        let f = SourceFile::new("x.csv", "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n4,,6\r\n");
        let t = Table::csv(&f).unwrap();
        assert_eq!(t.header, ["a", "b", "c"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[1].text, "x, \"y\"");
        assert_eq!(t.rows[1].line, 3);
        assert_eq!(f.line_col(t.rows[1].cells[2].span.start).column, 4);
        assert_eq!(t.int(&t.rows[1], 1).unwrap(), None);
    }

    #[test]
    fn errors_are_located() {
        let f = SourceFile::new("x.csv", "a,b\n1,2\n3,zz\n");
        let t = Table::csv(&f).unwrap();
        let e = t.int(&t.rows[1], 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv:3:3: `zz`: expected a whole number in column `b`"
        );
        let f = SourceFile::new("x.csv", "a,b\n1,2,3\n");
        let e = Table::csv(&f).unwrap_err();
        assert_eq!((e.start.line, e.start.column), (2, 5));
        let e = t.column("bb").unwrap_err();
        assert!(e.message.contains("did you mean `b`"), "{e}");
        let f = SourceFile::new("x.csv", "a\n\"open\n");
        assert!(Table::csv(&f).unwrap_err().message.contains("not closed"));
        let e = text_file("x.csv", b"a,b\n1,\xff\n".to_vec()).unwrap_err();
        assert_eq!(e.to_string().split(": ").next(), Some("x.csv:2:3"));
    }

    #[test]
    fn tsv_with_comments() {
        let f = SourceFile::new("t.tsv", "# note\na\tb\n# more\n1\t\"2\"\n");
        let t = Table::parse(
            &f,
            Options {
                delimiter: b'\t',
                comments: true,
            },
        )
        .unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(t.rows[0].text(1), "2");
        assert_eq!(t.rows[0].line, 4);
    }
}
