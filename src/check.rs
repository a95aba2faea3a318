//! One file through the whole pipeline: read, decode, parse, evaluate.

use crate::eval::{evaluate, evaluate_detailed, problem_finding, Evaluation, Finding, ItemOutcome};
use crate::letter::{decode, parse_text, Case, ParseProblem};
use crate::rules::Pack;
use crate::span::Span;
use std::path::Path;
use std::sync::Arc;

/// Letters larger than this are refused rather than read into memory.
pub const MAX_LETTER_BYTES: u64 = 64 << 20;

/// The outcome for one input file.
#[derive(Debug)]
pub struct FileResult {
    pub path: String,
    pub source: Arc<str>,
    /// The parsed case; `None` when the file could not be read as a letter at all.
    pub case: Option<Case>,
    /// The request class id of each item.
    pub classes: Vec<Option<String>>,
    pub findings: Vec<Finding>,
    /// Errors that stopped the file from being read.
    pub errors: Vec<String>,
}

impl FileResult {
    /// A file that could not be read; it still appears in every report.
    pub fn unreadable(path: &str, code: &str, message: String) -> Self {
        let problem = ParseProblem {
            code: code.into(),
            message: message.clone(),
            span: Span::new(0, 0),
            item: None,
        };
        FileResult {
            path: path.to_string(),
            source: Arc::from(""),
            case: None,
            classes: vec![],
            findings: vec![problem_finding(&problem)],
            errors: vec![message],
        }
    }

    /// Whether the file was read as a letter with at least one item.
    pub fn is_letter(&self) -> bool {
        self.case.as_ref().is_some_and(|c| !c.items.is_empty())
    }
}

/// Reads and checks one file.
pub fn check_path(path: &Path, pack: &Pack) -> FileResult {
    check_path_inner(path, pack, false).0
}

/// Like [`check_path`], also returning each item's rule outcomes
/// ([`crate::eval::evaluate_detailed`]); empty when the file is not a letter.
pub fn check_path_detailed(path: &Path, pack: &Pack) -> (FileResult, Vec<ItemOutcome>) {
    check_path_inner(path, pack, true)
}

fn check_path_inner(path: &Path, pack: &Pack, detailed: bool) -> (FileResult, Vec<ItemOutcome>) {
    let name = path.display().to_string();
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_LETTER_BYTES => {
            return (
                FileResult::unreadable(
                    &name,
                    "format/too-large",
                    format!(
                        "the file is {} MiB; letters over {} MiB are not read",
                        m.len() >> 20,
                        MAX_LETTER_BYTES >> 20
                    ),
                ),
                vec![],
            )
        }
        Err(e) => {
            return (
                FileResult::unreadable(
                    &name,
                    "format/unreadable",
                    format!("cannot read the file: {e}"),
                ),
                vec![],
            )
        }
        _ => {}
    }
    match std::fs::read(path) {
        Ok(bytes) => check_bytes_inner(&name, &bytes, pack, detailed),
        Err(e) => (
            FileResult::unreadable(
                &name,
                "format/unreadable",
                format!("cannot read the file: {e}"),
            ),
            vec![],
        ),
    }
}

/// Checks file contents already in memory.
pub fn check_bytes(name: &str, bytes: &[u8], pack: &Pack) -> FileResult {
    check_bytes_inner(name, bytes, pack, false).0
}

fn check_bytes_inner(
    name: &str,
    bytes: &[u8],
    pack: &Pack,
    detailed: bool,
) -> (FileResult, Vec<ItemOutcome>) {
    let decoded = match decode(bytes) {
        Ok(d) => d,
        Err(p) => {
            let mut r = FileResult::unreadable(name, &p.code, p.message.clone());
            r.findings = vec![problem_finding(&p)];
            return (r, vec![]);
        }
    };
    let mut case = parse_text(&decoded.text);
    case.problems.splice(0..0, decoded.problems);
    let source = Arc::from(decoded.text);
    if detailed {
        let d = evaluate_detailed(&case, pack);
        (finish(name, source, case, d.evaluation, pack), d.items)
    } else {
        let ev = evaluate(&case, pack);
        (finish(name, source, case, ev, pack), vec![])
    }
}

/// Evaluates a parsed case.
pub fn check_case(name: &str, source: Arc<str>, case: Case, pack: &Pack) -> FileResult {
    let ev = evaluate(&case, pack);
    finish(name, source, case, ev, pack)
}

fn finish(name: &str, source: Arc<str>, case: Case, ev: Evaluation, pack: &Pack) -> FileResult {
    let classes = ev
        .facts
        .items
        .iter()
        .map(|f| f.class.map(|c| pack.classes[c].id.clone()))
        .collect();
    let errors = case
        .problems
        .iter()
        .filter(|p| crate::eval::problem_severity(&p.code) == crate::rules::model::Severity::Error)
        .map(|p| p.message.clone())
        .collect();
    FileResult {
        path: name.to_string(),
        source,
        case: Some(case),
        classes,
        findings: ev.findings,
        errors,
    }
}
