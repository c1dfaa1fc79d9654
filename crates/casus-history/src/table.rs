//! A small CSV reader that remembers where every field is, so that a bad value is reported
//! as `file:line:column`. Fields may be quoted (`"a, b"`, `""` for a quote); CRLF and LF
//! line endings are both accepted; a trailing empty line is ignored.

use std::borrow::Cow;

use crate::error::DataError;

/// One field and its 1-based column (in characters) on its line.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    pub text: Cow<'a, str>,
    pub column: usize,
}

/// One record and its 1-based line.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub line: usize,
    pub fields: Vec<Field<'a>>,
}

/// A parsed CSV file: its header and records.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<Row<'a>>,
}

impl<'a> Table<'a> {
    /// Parses `text` (the contents of `file`). Every record must have as many fields as the header.
    pub fn parse(file: &str, text: &'a str) -> Result<Self, DataError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut records = Vec::new();
        let bytes = text.as_bytes();
        let (mut i, mut line) = (0usize, 1usize);
        while i < bytes.len() {
            let start_line = line;
            let mut fields = Vec::new();
            let mut line_start = i;
            // Columns are counted incrementally from the last field's start (O(line), not O(line²)).
            let (mut seen_byte, mut seen_col) = (i, 1usize);
            loop {
                if seen_byte < line_start {
                    (seen_byte, seen_col) = (line_start, 1);
                }
                let column = seen_col + count_chars(&text[seen_byte..i]);
                (seen_byte, seen_col) = (i, column);
                if i < bytes.len() && bytes[i] == b'"' {
                    let mut value = String::new();
                    let mut j = i + 1;
                    loop {
                        match bytes.get(j) {
                            None => {
                                return Err(DataError::new(
                                    file,
                                    line,
                                    column,
                                    "a quoted field is not closed",
                                ))
                            }
                            Some(b'"') if bytes.get(j + 1) == Some(&b'"') => {
                                value.push('"');
                                j += 2;
                            }
                            Some(b'"') => {
                                j += 1;
                                break;
                            }
                            Some(_) => {
                                let ch = text[j..].chars().next().unwrap_or('\u{fffd}');
                                if ch == '\n' {
                                    line += 1;
                                    line_start = j + 1;
                                }
                                value.push(ch);
                                j += ch.len_utf8();
                            }
                        }
                    }
                    fields.push(Field {
                        text: Cow::Owned(value),
                        column,
                    });
                    i = j;
                    match bytes.get(i) {
                        Some(b',') => {
                            i += 1;
                            continue;
                        }
                        Some(b'\r') | Some(b'\n') | None => {}
                        Some(_) => {
                            let col = text[line_start..i].chars().count() + 1;
                            return Err(DataError::new(
                                file,
                                line,
                                col,
                                "text after a closing quote; expected a comma or the end of the line",
                            ));
                        }
                    }
                } else {
                    let end = bytes[i..]
                        .iter()
                        .position(|&b| b == b',' || b == b'\n' || b == b'\r')
                        .map_or(bytes.len(), |p| i + p);
                    fields.push(Field {
                        text: Cow::Borrowed(&text[i..end]),
                        column,
                    });
                    i = end;
                    if bytes.get(i) == Some(&b',') {
                        i += 1;
                        continue;
                    }
                }
                // End of the record.
                if bytes.get(i) == Some(&b'\r') {
                    i += 1;
                }
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                line += 1;
                break;
            }
            let blank = fields.len() == 1 && fields[0].text.is_empty();
            if !blank {
                records.push(Row {
                    line: start_line,
                    fields,
                });
            }
        }
        let mut records = records.into_iter();
        let header_row = records
            .next()
            .ok_or_else(|| DataError::new(file, 1, 1, "the file is empty; expected a header line"))?;
        let header: Vec<String> = header_row
            .fields
            .iter()
            .map(|f| f.text.trim().to_string())
            .collect();
        let rows: Vec<Row<'a>> = records.collect();
        for r in &rows {
            if r.fields.len() != header.len() {
                let col = r.fields.last().map_or(1, |f| f.column);
                return Err(DataError::new(
                    file,
                    r.line,
                    col,
                    format!("{} fields, but the header has {}", r.fields.len(), header.len()),
                ));
            }
        }
        Ok(Self {
            file: file.to_string(),
            header,
            rows,
        })
    }

    /// The index of a column the file must have.
    pub fn column(&self, name: &str) -> Result<usize, DataError> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let close = self
                    .header
                    .iter()
                    .min_by_key(|h| edit_distance(h, name))
                    .filter(|h| edit_distance(h, name) <= 2);
                let hint = close
                    .map(|h| format!(" (did you mean `{h}`?)"))
                    .unwrap_or_default();
                DataError::new(
                    &self.file,
                    1,
                    1,
                    format!("no column `{name}` in the header{hint}"),
                )
            })
    }

    /// A whole number, or `None` when the field is empty (missing in ATOP's files).
    pub fn int(&self, row: &Row, col: usize) -> Result<Option<i64>, DataError> {
        let f = &row.fields[col];
        let t = f.text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        // Stata exports write whole numbers as "3" or "3.0".
        let t = t.strip_suffix(".0").unwrap_or(t);
        t.parse::<i64>().map(Some).map_err(|_| {
            DataError::new(
                &self.file,
                row.line,
                f.column,
                format!(
                    "`{}`: expected a whole number in column `{}`",
                    f.text, self.header[col]
                ),
            )
        })
    }

    /// A whole number that must be present.
    pub fn required(&self, row: &Row, col: usize) -> Result<i64, DataError> {
        self.int(row, col)?.ok_or_else(|| {
            DataError::new(
                &self.file,
                row.line,
                row.fields[col].column,
                format!("column `{}` is empty; a value is required", self.header[col]),
            )
        })
    }

    /// A 0/1 flag; empty counts as 0.
    pub fn flag(&self, row: &Row, col: usize) -> Result<bool, DataError> {
        match self.int(row, col)? {
            None | Some(0) => Ok(false),
            Some(1) => Ok(true),
            Some(v) => Err(DataError::new(
                &self.file,
                row.line,
                row.fields[col].column,
                format!("`{v}`: expected 0 or 1 in column `{}`", self.header[col]),
            )),
        }
    }

    pub fn error(&self, row: &Row, col: usize, message: impl Into<String>) -> DataError {
        DataError::new(&self.file, row.line, row.fields[col].column, message)
    }
}

fn count_chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.to_lowercase().chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_crlf_and_positions() {
        let t = Table::parse("x.csv", "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n4,,6\r\n").unwrap();
        assert_eq!(t.header, ["a", "b", "c"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].fields[1].text, "x, \"y\"");
        assert_eq!(t.rows[1].line, 3);
        assert_eq!(t.rows[1].fields[2].column, 4);
        assert_eq!(t.int(&t.rows[1], 1).unwrap(), None);
    }

    #[test]
    fn errors_are_located() {
        let t = Table::parse("x.csv", "a,b\n1,2\n3,zz\n").unwrap();
        let e = t.int(&t.rows[1], 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv:3:3: `zz`: expected a whole number in column `b`"
        );
        let e = Table::parse("x.csv", "a,b\n1,2,3\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 5));
        let e = t.column("bb").unwrap_err();
        assert!(e.message.contains("did you mean `b`"), "{e}");
        let e = Table::parse("x.csv", "a\n\"open\n").unwrap_err();
        assert!(e.message.contains("not closed"));
    }
}
