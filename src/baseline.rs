//! Stable finding fingerprints and baseline files.
//!
//! A fingerprint is the SHA-256 of the rule id, the letter's path in a stable relative
//! form, the item number, the flagged text normalised (lowercase, whitespace folded) and
//! an occurrence index among findings that share all of these. Byte offsets and line
//! numbers are left out on purpose: they move when a letter is re-extracted or re-wrapped,
//! and a baseline keyed on them would resurface every finding (astral-sh/ruff#1149).
//! The same value is SARIF's `partialFingerprints` and the JSON `fingerprint`.

use crate::check::FileResult;
use crate::eval::Finding;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

pub const BASELINE_VERSION: u32 = 1;

/// Lowercase, every run of whitespace one space, trimmed; a hyphen at a line end that
/// joins a word split by extraction is dropped.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '-' && chars.peek().is_some_and(|n| *n == '\n' || *n == '\r') {
            // "radiculo-\npathy" reads as "radiculopathy".
            while chars.peek().is_some_and(|n| n.is_whitespace()) {
                chars.next();
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// `path` relative to `root`, with forward slashes; both are made absolute first.
/// Paths outside `root` climb with `..`.
pub fn relative_path(path: &Path, root: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (p, r) = (lexical(&abs(path)), lexical(&abs(root)));
    let pc: Vec<Component> = p.components().collect();
    let rc: Vec<Component> = r.components().collect();
    let common = pc.iter().zip(&rc).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return slashes(&p);
    }
    let mut parts: Vec<String> = vec!["..".into(); rc.len() - common];
    parts.extend(
        pc[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Removes `.` and folds `..` without touching the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn slashes(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Fingerprints of every finding of one file, in the order of `r.findings`.
pub fn fingerprints(r: &FileResult, root: &Path) -> Vec<String> {
    if r.findings.is_empty() {
        return Vec::new();
    }
    let rel = relative_path(Path::new(&r.path), root);
    // Occurrences are counted in letter order, whatever order the findings are in.
    let mut order: Vec<usize> = (0..r.findings.len()).collect();
    order.sort_by_key(|&i| (r.findings[i].span.start, r.findings[i].span.end));
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
    let mut out = vec![String::new(); r.findings.len()];
    for i in order {
        let f = &r.findings[i];
        let key = key_hash(f, &rel, span_text(r, f));
        let n = seen.entry(key).or_insert(0);
        let mut h = Sha256::new();
        h.update(key);
        h.update(n.to_string().as_bytes());
        *n += 1;
        out[i] = hex(&h.finalize()[..16]);
    }
    out
}

fn span_text<'a>(r: &'a FileResult, f: &Finding) -> &'a str {
    r.source.get(f.span.start..f.span.end).unwrap_or("")
}

fn key_hash(f: &Finding, rel: &str, text: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [
        "imrlint-fingerprint-v1",
        &f.rule,
        rel,
        &f.item.map(|n| n.to_string()).unwrap_or_default(),
        &normalize(text),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Drops the findings of `r` whose fingerprint (`fp`, aligned with `r.findings`) is in
/// `known`, and their fingerprints; returns how many were dropped.
pub fn drop_known(r: &mut FileResult, fp: &mut Vec<String>, known: &BTreeSet<&str>) -> usize {
    let keep: Vec<bool> = fp.iter().map(|x| !known.contains(x.as_str())).collect();
    let mut k = keep.iter();
    r.findings.retain(|_| *k.next().unwrap_or(&true));
    let mut k = keep.iter();
    fp.retain(|_| *k.next().unwrap_or(&true));
    keep.iter().filter(|k| !**k).count()
}

/// One recorded finding. Only `fingerprint` is matched; the rest helps a reader.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<usize>,
    pub fingerprint: String,
    #[serde(default)]
    pub message: String,
}

/// A baseline file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub tool: String,
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// Every current finding; paths relative to the baseline file's directory.
    pub fn from_results(results: &[FileResult], fps: &[Vec<String>], root: &Path) -> Self {
        let mut findings: Vec<Entry> = results
            .iter()
            .zip(fps)
            .flat_map(|(r, fp)| {
                let rel = relative_path(Path::new(&r.path), root);
                r.findings.iter().zip(fp).map(move |(f, fp)| Entry {
                    path: rel.clone(),
                    rule: f.rule.clone(),
                    item: f.item,
                    fingerprint: fp.clone(),
                    message: f.message.clone(),
                })
            })
            .collect();
        findings.sort();
        Baseline {
            version: BASELINE_VERSION,
            tool: format!("imrlint {}", env!("CARGO_PKG_VERSION")),
            findings,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a baseline serialises");
        s.push('\n');
        s
    }

    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline {}: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not an imrlint baseline: {e}", path.display()))?;
        if b.version != BASELINE_VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (expected {BASELINE_VERSION})",
                path.display(),
                b.version
            ));
        }
        Ok(b)
    }

    pub fn set(&self) -> BTreeSet<&str> {
        self.findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_case_whitespace_and_line_end_hyphens() {
        assert_eq!(normalize("  Prior\r\n  MRI  of\tthe "), "prior mri of the");
        assert_eq!(normalize("radiculo-\n  pathy"), "radiculopathy");
        assert_eq!(normalize("x-ray"), "x-ray");
    }

    #[test]
    fn relative_paths_use_forward_slashes_and_climb() {
        assert_eq!(
            relative_path(Path::new("/a/b/c.txt"), Path::new("/a")),
            "b/c.txt"
        );
        assert_eq!(
            relative_path(Path::new("/a/b/c.txt"), Path::new("/a/d")),
            "../b/c.txt"
        );
        assert_eq!(
            relative_path(Path::new("/a/./b/../c.txt"), Path::new("/a")),
            "c.txt"
        );
    }
}
