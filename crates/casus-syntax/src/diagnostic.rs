use std::ops::Range;

use crate::source::{LineCol, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A problem found in a file: data, not text. The command line renders it.
///
/// Line and column are computed when the diagnostic is made, so a diagnostic stays
/// meaningful after its source file is gone.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub start: LineCol,
    pub message: String,
    /// "did you mean" suggestions and other help, one sentence each.
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, span, message)
    }

    pub fn warning(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, span, message)
    }

    fn new(severity: Severity, file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity,
            path: file.path.clone(),
            start: file.line_col(span.start),
            span,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn with_hints(mut self, hints: impl IntoIterator<Item = String>) -> Self {
        self.hints.extend(hints);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column: error: message`.
    pub fn short_without_hints(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {sev}: {}",
            self.path, self.start.line, self.start.column, self.message
        )
    }

    /// The short, one-line form: `path:line:column: error: message (hint; hint)`.
    pub fn short(&self) -> String {
        let mut s = self.short_without_hints();
        if !self.hints.is_empty() {
            s.push_str(&format!(" ({})", self.hints.join("; ")));
        }
        s
    }
}
