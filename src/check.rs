//! One file through the whole pipeline: read, decode, parse, evaluate.

use crate::eval::{evaluate, problem_finding, Finding};
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
    let name = path.display().to_string();
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_LETTER_BYTES => {
            return FileResult::unreadable(
                &name,
                "format/too-large",
                format!(
                    "the file is {} MiB; letters over {} MiB are not read",
                    m.len() >> 20,
                    MAX_LETTER_BYTES >> 20
                ),
            )
        }
        Err(e) => {
            return FileResult::unreadable(
                &name,
                "format/unreadable",
                format!("cannot read the file: {e}"),
            )
        }
        _ => {}
    }
    match std::fs::read(path) {
        Ok(bytes) => check_bytes(&name, &bytes, pack),
        Err(e) => FileResult::unreadable(
            &name,
            "format/unreadable",
            format!("cannot read the file: {e}"),
        ),
    }
}

/// Checks file contents already in memory.
pub fn check_bytes(name: &str, bytes: &[u8], pack: &Pack) -> FileResult {
    let decoded = match decode(bytes) {
        Ok(d) => d,
        Err(p) => {
            let mut r = FileResult::unreadable(name, &p.code, p.message.clone());
            r.findings = vec![problem_finding(&p)];
            return r;
        }
    };
    let mut case = parse_text(&decoded.text);
    case.problems.splice(0..0, decoded.problems);
    check_case(name, Arc::from(decoded.text), case, pack)
}

/// Evaluates a parsed case.
pub fn check_case(name: &str, source: Arc<str>, case: Case, pack: &Pack) -> FileResult {
    let ev = evaluate(&case, pack);
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
