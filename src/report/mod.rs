//! Output: the machine-readable model (JSON, JSON Lines), the human reports, and the CI
//! formats (SARIF, JUnit XML, GitHub workflow commands, CSV).

pub mod csv;
pub mod github;
pub mod human;
pub mod junit;
pub mod model;
pub mod sarif;
pub mod statistics;

pub use model::{FileReport, Summary};

use crate::check::FileResult;
use crate::config::Level;
use crate::rules::Pack;
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette diagnostics with the letter's text (graphical on a terminal).
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// One JSON document with every file and the summary.
    Json,
    /// One JSON line per file, then one summary line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML: one test suite per letter, one failing test case per finding.
    Junit,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
    /// One CSV row per finding, for spreadsheets.
    Csv,
}

impl Format {
    /// Whether stdout carries a document that a summary line would corrupt.
    pub fn is_document(self) -> bool {
        matches!(
            self,
            Format::Json | Format::Jsonl | Format::Sarif | Format::Junit | Format::Csv
        )
    }
}

/// Options for the human report.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub graphical: bool,
    pub color: bool,
    pub quiet: bool,
}

/// Everything a report is written from.
pub struct Run<'a> {
    /// Results in path order, findings already filtered (levels, baseline).
    pub results: &'a [FileResult],
    /// The report of each result, in the same order.
    pub reports: &'a [FileReport],
    pub summary: &'a Summary,
    /// The loaded pack (rule metadata for SARIF), levels already applied.
    pub pack: &'a Pack,
    /// `rules-config` from the configuration file.
    pub levels: &'a BTreeMap<String, Level>,
    pub human: HumanOptions,
    /// Print counts per rule instead of the findings (human and concise).
    pub statistics: bool,
}

/// Writes the report of a whole run.
pub fn write(out: &mut dyn Write, format: Format, run: &Run) -> std::io::Result<()> {
    let (reports, summary) = (run.reports, run.summary);
    let quiet = run.human.quiet;
    match format {
        Format::Json => {
            let doc = model::Document {
                files: reports,
                summary,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for r in reports {
                serde_json::to_writer(&mut *out, r)?;
                writeln!(out)?;
            }
            serde_json::to_writer(&mut *out, &model::SummaryLine { summary })?;
            writeln!(out)?;
        }
        Format::Concise | Format::Human if run.statistics => {
            statistics::write(out, reports)?;
            if !quiet {
                writeln!(out, "{}", summary.line())?;
            }
        }
        Format::Concise => {
            for r in reports {
                write_concise_file(out, r)?;
            }
            if !quiet {
                writeln!(out, "{}", summary.line())?;
            }
        }
        Format::Human => {
            human::write(out, run.results, reports, run.human)?;
            if !quiet {
                writeln!(out, "{}", summary.line())?;
            }
        }
        Format::Sarif => sarif::write(out, run)?,
        Format::Junit => junit::write(out, reports)?,
        Format::Github => {
            github::write(out, reports)?;
            if !quiet {
                writeln!(out, "{}", summary.line())?;
            }
        }
        Format::Csv => csv::write(out, reports)?,
    }
    Ok(())
}

/// The concise lines of one file: `path:line:col: severity[rule] message`.
pub fn write_concise_file(out: &mut dyn Write, r: &FileReport) -> std::io::Result<()> {
    for f in &r.findings {
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            r.path, f.line, f.column, f.severity, f.rule, f.message
        )?;
    }
    Ok(())
}
