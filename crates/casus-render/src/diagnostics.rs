//! Diagnostics for people: `path:line:column: error: message`, the line, a caret, hints.

use casus_syntax::{Diagnostic, SourceFile};

pub fn render(d: &Diagnostic, files: &[SourceFile]) -> String {
    let mut out = format!("{}\n", d.short_without_hints());
    if let Some(f) = files.iter().find(|f| f.path == d.path) {
        if let Some(line) = f.text.lines().nth(d.start.line.saturating_sub(1)) {
            let number = d.start.line.to_string();
            let pad = " ".repeat(number.len());
            let width = f
                .slice(&d.span)
                .lines()
                .next()
                .map_or(1, |s| s.chars().count().max(1));
            let width = width.min(line.chars().count().saturating_sub(d.start.column - 1).max(1));
            out.push_str(&format!(
                "{pad} |\n{number} | {line}\n{pad} | {}{}\n",
                " ".repeat(d.start.column - 1),
                "^".repeat(width)
            ));
        }
    }
    for h in &d.hints {
        out.push_str(&format!("  = help: {h}\n"));
    }
    out
}
