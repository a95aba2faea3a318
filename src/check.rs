//! One file through the whole pipeline: read, decode, parse, evaluate.

use crate::eval::{evaluate, evaluate_detailed, problem_finding, Finding, ItemOutcome};
use crate::letter::{decode, parse_text_for, Case, ParseProblem, Reading};
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
    check_parsed(parse_path(path, Reading::Everything), pack, detailed)
}

/// [`check_path`] for a batch check, whose reports show no more than the rules read: the
/// case's reviewer credentials are left unread ([`Reading::ForRules`]).
pub fn check_path_for_rules(path: &Path, pack: &Pack) -> FileResult {
    check_parsed(parse_path(path, Reading::ForRules), pack, false).0
}

/// A file read and parsed: all that is done without the rule pack (so a one-letter run
/// can do it while the pack loads).
pub enum Parsed {
    /// The file yields no case; the result says why.
    Unread(FileResult),
    /// A case to evaluate, with its name and the text its spans refer to.
    Case {
        name: String,
        source: Arc<str>,
        case: Case,
    },
}

/// Reads and parses one file, reading as much of the letter as `reading` asks.
pub fn parse_path(path: &Path, reading: Reading) -> Parsed {
    let name = path.display().to_string();
    let unreadable =
        |code: &str, msg: String| Parsed::Unread(FileResult::unreadable(&name, code, msg));
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match read_letter(path) {
        Err(ReadError::TooLarge(len)) => unreadable(
            "format/too-large",
            format!(
                "the file is {} MiB; letters over {} MiB are not read",
                len >> 20,
                MAX_LETTER_BYTES >> 20
            ),
        ),
        Ok(bytes) if ext == "pdf" || crate::pdf::is_pdf(&bytes) => {
            match crate::pdf::extract_text(&bytes) {
                Ok(text) => parse_bytes(&name, text.as_bytes(), reading),
                Err(p) => Parsed::Unread(problem_result(&name, "", p)),
            }
        }
        Ok(bytes) if matches!(ext.as_str(), "yaml" | "yml" | "json") => {
            parse_structured(&name, &bytes, ext == "json")
        }
        Ok(bytes) => parse_bytes(&name, &bytes, reading),
        Err(ReadError::Io(e)) => {
            unreadable("format/unreadable", format!("cannot read the file: {e}"))
        }
    }
}

/// Evaluates what [`parse_path`] gave.
pub fn check_parsed(parsed: Parsed, pack: &Pack, detailed: bool) -> (FileResult, Vec<ItemOutcome>) {
    match parsed {
        Parsed::Unread(r) => (r, vec![]),
        Parsed::Case { name, source, case } => {
            check_case_inner(&name, source, case, pack, detailed)
        }
    }
}

enum ReadError {
    TooLarge(u64),
    Io(std::io::Error),
}

/// Letters are a few kilobytes: a file that ends within this many bytes is read without
/// asking its size first.
const FIRST_READ_BYTES: u64 = 16 * 1024;

/// Reads a file of at most [`MAX_LETTER_BYTES`]. A file longer than [`FIRST_READ_BYTES`]
/// has its size read from the open file (so the path is looked up once), and one over
/// the limit is not read further.
fn read_letter(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(ReadError::Io)?;
    // Through `take`: `File::read_to_end` would ask the file's size and position, two
    // more system calls for each letter. The limits also hold for a file that grows
    // while it is read.
    let mut bytes = Vec::with_capacity(FIRST_READ_BYTES as usize);
    (&mut f)
        .take(FIRST_READ_BYTES)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if (bytes.len() as u64) < FIRST_READ_BYTES {
        return Ok(bytes);
    }
    let len = f.metadata().map_err(ReadError::Io)?.len();
    if len > MAX_LETTER_BYTES {
        return Err(ReadError::TooLarge(len));
    }
    bytes.reserve((len + 1).saturating_sub(FIRST_READ_BYTES) as usize);
    (&mut f)
        .take(MAX_LETTER_BYTES + 1 - FIRST_READ_BYTES)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_LETTER_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
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
    check_parsed(
        parse_bytes(name, bytes, Reading::Everything),
        pack,
        detailed,
    )
}

fn parse_bytes(name: &str, bytes: &[u8], reading: Reading) -> Parsed {
    let decoded = match decode(bytes) {
        Ok(d) => d,
        Err(p) => return Parsed::Unread(problem_result(name, "", p)),
    };
    let mut case = parse_text_for(&decoded.text, reading);
    case.problems.splice(0..0, decoded.problems);
    Parsed::Case {
        name: name.to_string(),
        source: Arc::from(decoded.text),
        case,
    }
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
    check_parsed(parse_structured(name, bytes, json), pack, false).0
}

fn parse_structured(name: &str, bytes: &[u8], json: bool) -> Parsed {
    let Ok(text) = std::str::from_utf8(bytes) else {
        let p = problem(
            "format/not-a-case",
            "the structured case is not valid UTF-8".into(),
            0,
        );
        return Parsed::Unread(problem_result(name, "", p));
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
            Parsed::Case {
                name: name.to_string(),
                source: Arc::from(""),
                case,
            }
        }
        Err((msg, at)) => {
            let p = problem(
                "format/not-a-case",
                format!("not a case in the shape `imrlint parse` prints: {msg}"),
                at.min(text.len()),
            );
            Parsed::Unread(problem_result(name, text, p))
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
    check_case_inner(name, source, case, pack, false).0
}

fn check_case_inner(
    name: &str,
    source: Arc<str>,
    case: Case,
    pack: &Pack,
    detailed: bool,
) -> (FileResult, Vec<ItemOutcome>) {
    let (ev, items) = if detailed {
        let d = evaluate_detailed(&case, pack);
        (d.evaluation, d.items)
    } else {
        (evaluate(&case, pack), vec![])
    };
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
    let result = FileResult {
        path: name.to_string(),
        source,
        case: Some(case),
        classes,
        findings: ev.findings,
        errors,
    };
    (result, items)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files that end within the first read, exactly at it, and past it are read whole.
    #[test]
    fn letters_of_any_size_are_read_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let first = FIRST_READ_BYTES as usize;
        for len in [0, 1, first - 1, first, first + 1, 3 * first + 17] {
            let content: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let path = dir.join(format!("{len}.txt"));
            std::fs::write(&path, &content).unwrap();
            match read_letter(&path) {
                Ok(bytes) => assert!(bytes == content, "{len} bytes read back differently"),
                Err(_) => panic!("{len} bytes not read"),
            }
        }
    }
}
