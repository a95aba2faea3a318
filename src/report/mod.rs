//! Output: the machine-readable model (JSON, JSON Lines) and the human reports.

pub mod human;
pub mod model;

pub use model::{FileReport, Summary};

use crate::check::FileResult;
use crate::input::Discovery;
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
}

/// Options for the human report.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub graphical: bool,
    pub color: bool,
    pub quiet: bool,
}

/// Writes the report of a whole run.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    results: &[FileResult],
    discovery: &Discovery,
    human: HumanOptions,
) -> std::io::Result<Summary> {
    let reports: Vec<FileReport> = results.iter().map(FileReport::from_result).collect();
    let summary = Summary::new(&reports, discovery.skipped.len());
    match format {
        Format::Json => {
            let doc = model::Document {
                files: &reports,
                summary: &summary,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for r in &reports {
                serde_json::to_writer(&mut *out, r)?;
                writeln!(out)?;
            }
            serde_json::to_writer(&mut *out, &model::SummaryLine { summary: &summary })?;
            writeln!(out)?;
        }
        Format::Concise => {
            for r in &reports {
                for f in &r.findings {
                    writeln!(
                        out,
                        "{}:{}:{}: {}[{}] {}",
                        r.path, f.line, f.column, f.severity, f.rule, f.message
                    )?;
                }
            }
            if !human.quiet {
                writeln!(out, "{}", summary.line())?;
            }
        }
        Format::Human => {
            human::write(out, results, &reports, human)?;
            if !human.quiet {
                writeln!(out, "{}", summary.line())?;
            }
        }
    }
    Ok(summary)
}
