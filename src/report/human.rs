//! Findings as miette diagnostics: the file, the quoted words of the letter, a label,
//! the rule id as code and the guideline reference as help.

use super::model::FileReport;
use super::HumanOptions;
use crate::check::FileResult;
use crate::eval::Finding;
use crate::rules::model::Severity;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource,
    NarratableReportHandler, SourceCode,
};
use std::io::Write;
use std::sync::Arc;

/// One finding with its letter, ready for a miette handler.
pub struct FindingDiagnostic<'a> {
    pub finding: &'a Finding,
    pub source: NamedSource<Arc<str>>,
    pub has_text: bool,
}

impl std::fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.finding.item {
            Some(n) => write!(f, "item {n}: {}", self.finding.message),
            None => f.write_str(&self.finding.message),
        }
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} ({})",
            self.finding.rule,
            self.finding.kind.as_str()
        )))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.has_text.then_some(&self.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.has_text {
            return None;
        }
        let f = self.finding;
        let primary = LabeledSpan::new_primary_with_span(Some(f.label.clone()), f.span);
        let rest = f
            .related
            .iter()
            .map(|l| LabeledSpan::new_with_span(Some(l.text.clone()), l.span));
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

enum Handler {
    Graphical(Box<GraphicalReportHandler>),
    Narratable(NarratableReportHandler),
}

/// Writes every finding of every file; one handler is built for the whole run.
pub fn write(
    out: &mut dyn Write,
    results: &[FileResult],
    reports: &[FileReport],
    opts: HumanOptions,
) -> std::io::Result<()> {
    let handler = if opts.graphical {
        let theme = if opts.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Handler::Graphical(Box::new(
            GraphicalReportHandler::new_themed(theme)
                .with_links(false)
                .with_width(100)
                .with_context_lines(1),
        ))
    } else {
        Handler::Narratable(NarratableReportHandler::new().with_context_lines(1))
    };
    for (r, rep) in results.iter().zip(reports) {
        let mut order: Vec<&Finding> = r.findings.iter().collect();
        order.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
        let _ = rep;
        for f in order {
            let diag = FindingDiagnostic {
                finding: f,
                source: NamedSource::new(&r.path, r.source.clone()),
                has_text: !r.source.is_empty(),
            };
            let mut s = String::new();
            let res = match &handler {
                Handler::Graphical(h) => h.render_report(&mut s, &diag),
                Handler::Narratable(h) => h.render_report(&mut s, &diag),
            };
            if res.is_err() {
                s = format!(
                    "{}: {}[{}] {}\n",
                    r.path,
                    f.severity.as_str(),
                    f.rule,
                    f.message
                );
            }
            // A file with no text has no snippet to show: name it on one line.
            if !r.source.is_empty() {
                write!(out, "{s}")?;
            } else {
                writeln!(
                    out,
                    "{}: {}[{}] {}",
                    r.path,
                    f.severity.as_str(),
                    f.rule,
                    f.message
                )?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}
