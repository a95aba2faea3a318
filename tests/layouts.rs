//! Every fixture letter of every layout, PDFs and structured cases included, parses into
//! the items written by hand in its `NAME.expected.yaml`; the same letter as text, CRLF
//! text and PDF gives the same case; findings point at the right line of the user's file;
//! mutated letters never crash the tool.

mod common;

use imrlint::check::{check_bytes, check_path};
use imrlint::letter::{parse_text, parse_text_for, Case, Reading};
use imrlint::rules::Pack;
use imrlint::span::LineIndex;
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    #[serde(default)]
    items: Vec<ExpectedItem>,
}

#[derive(Deserialize)]
struct ExpectedItem {
    request: String,
    decision: String,
    claims: Vec<String>,
    reviewer: Vec<String>,
    rationale_starts: String,
}

fn sources(c: &Option<imrlint::citation::Citation>) -> Vec<String> {
    let mut v: Vec<String> = c
        .iter()
        .flat_map(|c| c.sources())
        .map(|s| s.as_str().to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// (request, decision, claims sources, reviewer sources, rationale) of every item.
type ItemView = (String, String, Vec<String>, Vec<String>, String);

fn view(case: &Case) -> Vec<ItemView> {
    case.items
        .iter()
        .map(|i| {
            (
                i.request.text.clone(),
                i.decision
                    .as_ref()
                    .map(|d| d.value.as_str().to_string())
                    .unwrap_or_default(),
                sources(&i.claims_guideline),
                sources(&i.reviewer_guideline),
                i.rationale
                    .as_ref()
                    .map(|r| r.text.clone())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn every_fixture_parses_into_its_hand_written_items() {
    let pack = Pack::default_rules().unwrap();
    let mut per_dir = std::collections::BTreeMap::new();
    let mut failures = Vec::new();
    for dir in ["layout-b", "layout-c", "pdf", "structured"] {
        let dir = common::root().join("fixtures").join(dir);
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let Some(stem) = name.strip_suffix(".expected.yaml") else {
                continue;
            };
            let exp: Expected =
                serde_yaml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            if exp.items.is_empty() {
                continue;
            }
            let letter = common::letter_beside(&dir, stem).unwrap();
            let case = check_path(&letter, &pack).case.expect("read as a case");
            let got = view(&case);
            let want: Vec<ItemView> = exp
                .items
                .iter()
                .map(|i| {
                    let (mut c, mut r) = (i.claims.clone(), i.reviewer.clone());
                    c.sort();
                    r.sort();
                    (
                        i.request.clone(),
                        i.decision.clone(),
                        c,
                        r,
                        i.rationale_starts.clone(),
                    )
                })
                .collect();
            let same = got.len() == want.len()
                && got.iter().zip(&want).all(|(g, w)| {
                    g.0 == w.0 && g.1 == w.1 && g.2 == w.2 && g.3 == w.3 && g.4.starts_with(&w.4)
                });
            if !same {
                failures.push(format!(
                    "{}\n  got:  {got:?}\n  want: {want:?}",
                    letter.display()
                ));
            }
            *per_dir
                .entry(dir.file_name().unwrap().to_owned())
                .or_insert(0) += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let count = |d: &str| per_dir.get(std::ffi::OsStr::new(d)).copied().unwrap_or(0);
    assert!(
        count("layout-b") >= 8 && count("layout-c") >= 8,
        "{per_dir:?}"
    );
    assert!(count("pdf") >= 3 && count("structured") >= 2, "{per_dir:?}");
}

#[test]
fn layouts_are_detected_and_letters_of_each_are_read() {
    for (dir, layout) in [("layout-a", "A"), ("layout-b", "B"), ("layout-c", "C")] {
        for e in std::fs::read_dir(common::root().join("fixtures").join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                let bytes = std::fs::read(&p).unwrap();
                let case = parse_text(&String::from_utf8_lossy(&bytes));
                assert_eq!(case.layout, layout, "{}", p.display());
                assert!(!case.items.is_empty(), "{}", p.display());
            }
        }
    }
}

/// A batch check reads letters for its rules only: the case it gets is the whole case
/// without the reviewer's credentials, and nothing else differs.
#[test]
fn reading_for_rules_leaves_out_only_the_reviewer_credentials() {
    let mut with_credentials = 0;
    for dir in ["layout-a", "layout-b", "layout-c"] {
        for e in std::fs::read_dir(common::root().join("fixtures").join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            let mut full = parse_text(&text);
            let lean = parse_text_for(&text, Reading::ForRules);
            assert_eq!(lean.reviewer, Default::default(), "{}", p.display());
            if full.reviewer != Default::default() {
                with_credentials += 1;
            }
            full.reviewer = Default::default();
            assert_eq!(lean, full, "{}", p.display());
        }
    }
    assert!(with_credentials >= 10, "{with_credentials}");
}

const SAME: &[(&str, &str)] = &[
    (
        "layout-c/201-c-mri-upheld-after-rationale.txt",
        "pdf/201-c-mri-upheld-after-rationale.pdf",
    ),
    (
        "layout-b/107-b-issue-numbering-three-items.txt",
        "pdf/107-b-issue-numbering-three-items.pdf",
    ),
    (
        "layout-c/203-c-emg-upheld-new-weakness-hyphen.txt",
        "pdf/203-c-emg-upheld-new-weakness-hyphen.pdf",
    ),
];

#[test]
fn the_same_letter_as_text_crlf_text_and_pdf_gives_the_same_case() {
    let pack = Pack::default_rules().unwrap();
    for (txt, pdf) in SAME {
        let fx = common::root().join("fixtures");
        let text = std::fs::read_to_string(fx.join(txt)).unwrap();
        let lf = text.replace("\r\n", "\n");
        let crlf = lf.replace('\n', "\r\n");
        let a = check_bytes("lf", lf.as_bytes(), &pack).case.unwrap();
        let b = check_bytes("crlf", crlf.as_bytes(), &pack).case.unwrap();
        let c = check_path(&fx.join(pdf), &pack).case.unwrap();
        assert_eq!(view(&a), view(&b), "{txt} as CRLF");
        assert_eq!(view(&a), view(&c), "{txt} as PDF");
        assert_eq!(
            a.summary.as_ref().map(|s| &s.text),
            c.summary.as_ref().map(|s| &s.text)
        );
        assert_eq!(
            a.documents_reviewed.as_ref().map(|s| &s.text),
            c.documents_reviewed.as_ref().map(|s| &s.text)
        );
        assert!(!a.items.is_empty());
    }
}

/// The text of the 1-based line `n` of extracted PDF text (LF and form feeds only).
fn line_text(text: &str, n: usize) -> &str {
    text.split(['\n', '\x0c']).nth(n - 1).unwrap_or("")
}

#[test]
fn findings_point_at_the_right_line_of_a_crlf_or_pdf_letter() {
    let pack = Pack::default_rules().unwrap();
    let fx = common::root().join("fixtures");
    // CRLF letters on disk: the reported line of the user's file holds the flagged words.
    for letter in [
        "layout-b/101-b-mri-upheld-axial-pain-crlf.txt",
        "layout-c/202-c-xray-overturned-det-first-crlf.txt",
        "layout-c/208-c-mri-upheld-progressive-radiculopathy-nbsp.txt",
    ] {
        let path = fx.join(letter);
        let r = check_path(&path, &pack);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\r\n"));
        let idx = LineIndex::new(&text);
        for f in &r.findings {
            let (line, _) = idx.line_col(&text, f.span.start);
            let words = &text[f.span.start..f.span.end];
            let first_word = words.split_whitespace().next().unwrap_or("");
            let on_line = text.lines().nth(line - 1).unwrap_or("");
            assert!(
                on_line.contains(first_word),
                "{letter}: line {line} {on_line:?} lacks {first_word:?}"
            );
        }
        // Every item's request span covers its words in the file.
        for item in &r.case.as_ref().unwrap().items {
            let s = &text[item.request.span.start..item.request.span.end];
            let norm = s.replace(['\r', '\n', '\u{a0}'], " ");
            let norm: Vec<&str> = norm.split_whitespace().collect();
            assert_eq!(norm.join(" "), item.request.text, "{letter}");
        }
    }
    // A PDF letter: positions refer to the extracted text, and line numbers count its lines.
    let r = check_path(
        &fx.join("pdf/203-c-emg-upheld-new-weakness-hyphen.pdf"),
        &pack,
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "emg-lower-progressive-deficit-denied")
        .unwrap();
    let text: &str = &r.source;
    let (line, _) = LineIndex::new(text).line_col(text, f.span.start);
    let lt = line_text(text, line);
    assert!(
        lt.contains(&text[f.span.start..f.span.end]),
        "line {line}: {lt:?}"
    );
    assert!(lt.contains("upheld"), "{lt:?}");
}

/// A small deterministic generator (xorshift), so the mutations are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn mutated_letters_never_crash_the_tool() {
    let pack = Pack::default_rules().unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut letters = 0;
    for dir in ["layout-a", "layout-b", "layout-c", "pdf", "structured"] {
        for e in std::fs::read_dir(common::root().join("fixtures").join(dir)).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".expected.yaml") {
                continue;
            }
            letters += 1;
            let bytes = std::fs::read(&p).unwrap();
            for round in 0..6 {
                let mutated = match round % 3 {
                    // Truncated at a random point.
                    0 => bytes[..rng.below(bytes.len() + 1)].to_vec(),
                    // Lines shuffled.
                    1 => {
                        let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
                        for i in (1..lines.len()).rev() {
                            lines.swap(i, rng.below(i + 1));
                        }
                        lines.join(&b'\n')
                    }
                    // Bytes flipped.
                    _ => {
                        let mut b = bytes.clone();
                        for _ in 0..1 + b.len() / 200 {
                            let i = rng.below(b.len());
                            if let Some(x) = b.get_mut(i) {
                                *x ^= 1 << rng.below(8);
                            }
                        }
                        b
                    }
                };
                let ext = p.extension().unwrap().to_string_lossy().to_string();
                let tmp = std::env::temp_dir().join(format!(
                    "imrlint-mutant-{}-{round}.{ext}",
                    std::process::id()
                ));
                std::fs::write(&tmp, &mutated).unwrap();
                let r = check_path(&tmp, &pack);
                let _ = std::fs::remove_file(&tmp);
                // Every finding's span lies inside the text it refers to.
                if !r.source.is_empty() {
                    for f in &r.findings {
                        assert!(f.span.end <= r.source.len(), "{name} round {round}");
                    }
                }
            }
        }
    }
    assert!(letters >= 40, "{letters}");
}
