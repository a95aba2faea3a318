//! The JSON contract (schema version 1). Later versions add fields; they never remove or
//! rename these.

use crate::check::FileResult;
use crate::span::LineIndex;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct ItemReport {
    pub n: usize,
    pub request: String,
    pub class: Option<String>,
    pub decision: Option<&'static str>,
    pub reviewer_sources: Vec<&'static str>,
    pub claims_sources: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedReport {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub length: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingReport {
    pub rule: String,
    pub kind: &'static str,
    pub severity: &'static str,
    pub item: Option<usize>,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub length: usize,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedReport>,
    /// Position of the end of the flagged text (the column after its last character).
    #[serde(skip)]
    pub end_line: usize,
    #[serde(skip)]
    pub end_column: usize,
    /// The stable fingerprint (see `baseline`): the SARIF partial fingerprint and the
    /// baseline key. Added in schema version 1 as an extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub layout: Option<String>,
    pub items: Vec<ItemReport>,
    pub findings: Vec<FindingReport>,
    pub errors: Vec<String>,
}

impl FileReport {
    pub fn from_result(r: &FileResult) -> Self {
        Self::with_fingerprints(r, &[])
    }

    /// The report of one file; `fingerprints` is aligned with `r.findings` (or empty).
    pub fn with_fingerprints(r: &FileResult, fingerprints: &[String]) -> Self {
        // Lines are counted only for a file with findings.
        let idx = std::cell::OnceCell::new();
        let pos = |off: usize| {
            idx.get_or_init(|| LineIndex::new(&r.source))
                .line_col(&r.source, off)
        };
        let items = r
            .case
            .iter()
            .flat_map(|c| c.items.iter())
            .enumerate()
            .map(|(i, it)| ItemReport {
                n: it.n,
                request: it.request.text.clone(),
                class: r.classes.get(i).cloned().flatten(),
                decision: it.decision.as_ref().map(|d| d.value.as_str()),
                reviewer_sources: it
                    .reviewer_guideline
                    .as_ref()
                    .map(|c| c.sources().iter().map(|s| s.as_str()).collect())
                    .unwrap_or_default(),
                claims_sources: it
                    .claims_guideline
                    .as_ref()
                    .map(|c| c.sources().iter().map(|s| s.as_str()).collect())
                    .unwrap_or_default(),
            })
            .collect();
        let mut findings: Vec<FindingReport> = r
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (line, column) = pos(f.span.start);
                let (end_line, end_column) = pos(f.span.end);
                FindingReport {
                    rule: f.rule.clone(),
                    kind: f.kind.as_str(),
                    severity: f.severity.as_str(),
                    item: f.item,
                    message: f.message.clone(),
                    line,
                    column,
                    offset: f.span.start,
                    length: f.span.len(),
                    label: f.label.clone(),
                    help: f.help.clone(),
                    related: f
                        .related
                        .iter()
                        .map(|l| {
                            let (line, column) = pos(l.span.start);
                            RelatedReport {
                                message: l.text.clone(),
                                line,
                                column,
                                offset: l.span.start,
                                length: l.span.len(),
                            }
                        })
                        .collect(),
                    end_line,
                    end_column,
                    fingerprint: fingerprints.get(i).cloned(),
                }
            })
            .collect();
        findings.sort_by(|a, b| {
            (a.line, a.column, &a.rule, a.item).cmp(&(b.line, b.column, &b.rule, b.item))
        });
        FileReport {
            path: r.path.clone(),
            layout: r.case.as_ref().map(|c| c.layout.clone()),
            items,
            findings,
            errors: r.errors.clone(),
        }
    }

    /// A file that could not be read as a letter.
    pub fn unreadable(&self) -> bool {
        self.items.is_empty() || !self.errors.is_empty() && self.items.is_empty()
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// What one file's report adds to a [`Summary`]: a streamed run counts it where the
/// report is made and drops the report there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCount {
    pub findings: SeverityCounts,
    pub unreadable: bool,
    pub items: usize,
}

impl FileCount {
    pub fn of(r: &FileReport) -> Self {
        let mut findings = SeverityCounts::default();
        for f in &r.findings {
            match f.severity {
                "error" => findings.error += 1,
                "warning" => findings.warning += 1,
                _ => findings.info += 1,
            }
        }
        FileCount {
            findings,
            unreadable: r.unreadable(),
            items: r.items.len(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub schema_version: u32,
    pub tool: String,
    /// Files read (letters plus unreadable ones).
    pub files: usize,
    /// Files read as letters with at least one disputed item.
    pub letters: usize,
    pub items: usize,
    pub findings: SeverityCounts,
    /// Files that could not be read as letters (a `format` error each).
    pub unreadable: usize,
    /// Files passed over (hidden, not a letter file, excluded by the configuration).
    pub skipped: usize,
    /// Findings left out because the baseline records them (extension of version 1).
    pub baselined: usize,
}

impl Summary {
    /// A summary with nothing counted yet.
    pub fn empty(skipped: usize) -> Self {
        Summary::new(&[], skipped)
    }

    /// Counts one more file (for reports written as they are made).
    pub fn add(&mut self, r: &FileReport) {
        self.add_count(&FileCount::of(r));
    }

    /// Counts one more file from what its report adds.
    pub fn add_count(&mut self, c: &FileCount) {
        self.findings.error += c.findings.error;
        self.findings.warning += c.findings.warning;
        self.findings.info += c.findings.info;
        self.files += 1;
        if c.unreadable {
            self.unreadable += 1;
        } else {
            self.letters += 1;
        }
        self.items += c.items;
    }

    pub fn new(reports: &[FileReport], skipped: usize) -> Self {
        let mut summary = Summary {
            schema_version: SCHEMA_VERSION,
            tool: format!("imrlint {}", env!("CARGO_PKG_VERSION")),
            files: 0,
            letters: 0,
            items: 0,
            findings: SeverityCounts::default(),
            unreadable: 0,
            skipped,
            baselined: 0,
        };
        for r in reports {
            summary.add(r);
        }
        summary
    }

    /// "checked 3 files (2 letters, 1 unreadable; 1 skipped), 5 items: 1 error, 2 warnings, 0 info"
    pub fn line(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        format!(
            "imrlint: checked {} ({}, {} unreadable; {} skipped), {}: {}, {}, {} info",
            plural(self.files, "file"),
            plural(self.letters, "letter"),
            self.unreadable,
            self.skipped,
            plural(self.items, "item"),
            plural(self.findings.error, "error"),
            plural(self.findings.warning, "warning"),
            self.findings.info
        ) + &if self.baselined > 0 {
            format!(" ({} baselined)", self.baselined)
        } else {
            String::new()
        }
    }
}

/// `--format json`: every file, then the summary.
#[derive(Serialize)]
pub struct Document<'a> {
    pub files: &'a [FileReport],
    pub summary: &'a Summary,
}

/// The last line of `--format jsonl`.
#[derive(Serialize)]
pub struct SummaryLine<'a> {
    pub summary: &'a Summary,
}
