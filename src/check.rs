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
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match std::fs::read(path) {
        Ok(bytes) if ext == "pdf" || crate::pdf::is_pdf(&bytes) => check_pdf(&name, &bytes, pack),
        Ok(bytes) if matches!(ext.as_str(), "yaml" | "yml" | "json") => {
            check_structured(&name, &bytes, ext == "json", pack)
        }
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
        Err(p) => return problem_result(name, "", p),
    };
    let mut case = parse_text(&decoded.text);
    case.problems.splice(0..0, decoded.problems);
    check_case(name, Arc::from(decoded.text), case, pack)
}

/// Checks a PDF: its extracted text is parsed like a text letter, and every position in
/// the findings refers to that extracted text.
pub fn check_pdf(name: &str, bytes: &[u8], pack: &Pack) -> FileResult {
    match crate::pdf::extract_text(bytes) {
        Ok(text) => check_bytes(name, text.as_bytes(), pack),
        Err(p) => problem_result(name, "", p),
    }
}

/// Checks a structured case (the shape `imrlint parse` prints, as YAML or JSON). Its spans
/// refer to the letter it was read from, which is not at hand, so no text is quoted.
pub fn check_structured(name: &str, bytes: &[u8], json: bool, pack: &Pack) -> FileResult {
    let Ok(text) = std::str::from_utf8(bytes) else {
        let p = problem(
            "format/not-a-case",
            "the structured case is not valid UTF-8".into(),
            0,
        );
        return problem_result(name, "", p);
    };
    let parsed = if json {
        serde_json::from_str::<Case>(text).map_err(|e| {
            let at = offset_of(text, e.line(), e.column());
            (e.to_string(), at)
        })
    } else {
        serde_yaml::from_str::<Case>(text).map_err(|e| {
            let at = e.location().map(|l| l.index()).unwrap_or(0);
            (e.to_string(), at)
        })
    };
    match parsed {
        Ok(mut case) => {
            if case.items.is_empty() {
                case.problems.push(problem(
                    "format/no-items",
                    "the structured case has no items".into(),
                    0,
                ));
            }
            check_case(name, Arc::from(""), case, pack)
        }
        Err((msg, at)) => {
            let p = problem(
                "format/not-a-case",
                format!("not a case in the shape `imrlint parse` prints: {msg}"),
                at.min(text.len()),
            );
            problem_result(name, text, p)
        }
    }
}

fn problem(code: &str, message: String, at: usize) -> ParseProblem {
    ParseProblem {
        code: code.into(),
        message,
        span: Span::new(at, at),
        item: None,
    }
}

/// A file that yields no case, with the problem that stopped it.
fn problem_result(name: &str, source: &str, p: ParseProblem) -> FileResult {
    let mut r = FileResult::unreadable(name, &p.code, p.message.clone());
    r.source = Arc::from(source);
    r.findings = vec![problem_finding(&p)];
    r
}

/// Byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
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
