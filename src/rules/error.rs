//! Rule-pack errors as located diagnostics.

use crate::span::Span;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use std::sync::Arc;

/// A problem in a rule file, pointing at the YAML text.
#[derive(Debug, Clone)]
pub struct RuleError {
    pub path: String,
    pub source_text: Arc<str>,
    pub span: Option<Span>,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    /// Stable code ("rules/unknown-concept").
    pub code: &'static str,
}

impl RuleError {
    pub fn new(file: &SourceFile, code: &'static str, message: impl Into<String>) -> Self {
        RuleError {
            path: file.path.clone(),
            source_text: file.text.clone(),
            span: None,
            message: message.into(),
            label: String::new(),
            help: None,
            code,
        }
    }

    pub fn at(mut self, span: Option<Span>, label: impl Into<String>) -> Self {
        self.span = span;
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column of the error, if located.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let s = self.span?;
        Some(crate::span::LineIndex::new(&self.source_text).line_col(&self.source_text, s.start))
    }

    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(&self.path, self.source_text.clone()).with_language("yaml")
    }
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line_col() {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for RuleError {}

/// Renders with the YAML snippet; `Display` is the one-line form.
pub struct RuleDiagnostic<'a> {
    pub error: &'a RuleError,
    source: NamedSource<Arc<str>>,
}

impl<'a> RuleDiagnostic<'a> {
    pub fn new(error: &'a RuleError) -> Self {
        RuleDiagnostic {
            source: error.named_source(),
            error,
        }
    }
}

impl std::fmt::Debug for RuleDiagnostic<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error.message)
    }
}

impl std::fmt::Display for RuleDiagnostic<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error.message)
    }
}

impl std::error::Error for RuleDiagnostic<'_> {}

impl Diagnostic for RuleDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(self.error.code))
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.error
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.error.span.map(|_| &self.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.error.span?;
        let label = (!self.error.label.is_empty()).then(|| self.error.label.clone());
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(label, miette::SourceSpan::from(s)),
        )))
    }
}

/// A rule file's path and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: Arc<str>,
}
