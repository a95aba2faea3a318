//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/<rel>` when present; otherwise prints why the test is skipped.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = root().join("../shared").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipping: {} not found (the shared folder is not on this machine)",
            p.display()
        );
        None
    }
}

pub fn imrlint() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("imrlint").unwrap()
}

/// Runs `imrlint check --format jsonl` and returns the parsed lines.
pub fn check_jsonl(args: &[&str], dir: &Path) -> (i32, Vec<serde_json::Value>) {
    let out = imrlint()
        .current_dir(dir)
        .args(["check", "--format", "jsonl"])
        .args(args)
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

/// Suffixes a fixture letter may have beside its `NAME.expected.yaml`.
pub const LETTER_SUFFIXES: &[&str] = &[".txt", ".pdf", ".case.yaml", ".case.json"];

/// The letter `dir/STEM<suffix>` for the expected-findings file `dir/STEM.expected.yaml`.
pub fn letter_beside(dir: &Path, stem: &str) -> Option<PathBuf> {
    LETTER_SUFFIXES
        .iter()
        .map(|s| dir.join(format!("{stem}{s}")))
        .find(|p| p.is_file())
}
