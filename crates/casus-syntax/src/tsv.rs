//! Tab-separated tables (the generated gazetteer). Hand-rolled rather than the `csv`
//! crate because diagnostics need the exact byte span of every cell.

use std::ops::Range;

use crate::{Diagnostic, SourceFile};

pub struct Cell<'a> {
    pub text: &'a str,
    pub span: Range<usize>,
}

pub struct Row<'a> {
    pub cells: Vec<Cell<'a>>,
    /// Span of the whole line, for errors about the row.
    pub span: Range<usize>,
}

impl<'a> Row<'a> {
    /// The cell for a header column; empty strings stand for "no value".
    pub fn get(&self, column: usize) -> Option<&Cell<'a>> {
        self.cells.get(column).filter(|c| !c.text.is_empty())
    }
}

/// Checks the header against `expected` columns (in order) and splits the rows.
/// Rows with the wrong number of cells are reported and skipped.
pub fn parse<'a>(file: &'a SourceFile, expected: &[&str]) -> (Vec<Row<'a>>, Vec<Diagnostic>) {
    let mut rows = Vec::new();
    let mut diags = Vec::new();
    let mut offset = 0;
    let mut header_seen = false;
    for line in file.text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let span = start..start + content.len();
        if content.is_empty() {
            continue;
        }
        let mut cells = Vec::new();
        let mut cell_start = start;
        for piece in content.split('\t') {
            cells.push(Cell {
                text: piece,
                span: cell_start..cell_start + piece.len(),
            });
            cell_start += piece.len() + 1;
        }
        if !header_seen {
            header_seen = true;
            let names: Vec<&str> = cells.iter().map(|c| c.text).collect();
            if names != expected {
                diags.push(
                    Diagnostic::error(file, span, "unexpected header")
                        .with_hint(format!("expected the columns: {}", expected.join(", "))),
                );
                return (rows, diags);
            }
            continue;
        }
        if cells.len() != expected.len() {
            diags.push(Diagnostic::error(
                file,
                span,
                format!(
                    "expected {} tab-separated cells, found {}",
                    expected.len(),
                    cells.len()
                ),
            ));
            continue;
        }
        rows.push(Row { cells, span });
    }
    if !header_seen {
        diags.push(
            Diagnostic::error(file, 0..0, "empty table")
                .with_hint(format!("expected the columns: {}", expected.join(", "))),
        );
    }
    (rows, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_carry_spans_and_bad_rows_are_reported() {
        let f = SourceFile::new("t.tsv", "a\tb\n1\t2\nx\n");
        let (rows, diags) = parse(&f, &["a", "b"]);
        assert_eq!(rows.len(), 1);
        assert_eq!(f.slice(&rows[0].cells[1].span), "2");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].start.line, 3);
    }
}
