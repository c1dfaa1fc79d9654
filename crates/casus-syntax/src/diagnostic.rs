use std::ops::Range;

use crate::source::{LineCol, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

/// A problem found in a file: data, not text. The command line renders it.
///
/// Line and column are computed when the diagnostic is made, so a diagnostic stays
/// meaningful after its source file is gone.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    pub severity: Level,
    pub path: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub start: LineCol,
    pub message: String,
    /// "did you mean" suggestions and other help, one sentence each.
    pub hints: Vec<String>,
    /// For a problem in a request rather than a file: the request field it concerns
    /// (`attacker`, `date` …; the command line shows it as `--attacker`). `path` is empty then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Level::Error, file, span, message)
    }

    pub fn warning(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Level::Warning, file, span, message)
    }

    fn new(severity: Level, file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity,
            path: file.path.clone(),
            start: file.line_col(span.start),
            span,
            message: message.into(),
            hints: Vec::new(),
            field: None,
        }
    }

    /// A problem with one field of a request (a flag, an HTTP body field, a Python argument).
    pub fn input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Level::Error,
            path: String::new(),
            span: 0..0,
            start: LineCol { line: 0, column: 0 },
            message: message.into(),
            hints: Vec::new(),
            field: Some(field.into()),
        }
    }

    /// A problem with the request as a whole, or with data that is not a located file.
    pub fn plain(message: impl Into<String>) -> Self {
        Self {
            field: None,
            ..Self::input("", message)
        }
    }

    /// The same problem, said of `field` (as typst's `At` attaches a span).
    pub fn at_field(mut self, field: impl Into<String>) -> Self {
        if self.path.is_empty() {
            self.field = Some(field.into());
        }
        self
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
        self.severity == Level::Error
    }

    /// `path:line:column: error: message`; `error: field: message` for a request's field.
    pub fn short_without_hints(&self) -> String {
        let sev = match self.severity {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        if self.path.is_empty() {
            return match self.field.as_deref() {
                Some(f) if !f.is_empty() => format!("{sev}: {f}: {}", self.message),
                _ => format!("{sev}: {}", self.message),
            };
        }
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

impl std::fmt::Display for Diagnostic {
    /// The message with its field and hints, without location or severity: what an HTTP
    /// problem's `detail` or a Python exception says.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}:{}:{}: ", self.path, self.start.line, self.start.column)?;
        } else if let Some(field) = self.field.as_deref().filter(|s| !s.is_empty()) {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)?;
        if !self.hints.is_empty() {
            write!(f, " ({})", self.hints.join("; "))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}
