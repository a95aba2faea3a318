//! Reading rule packs (the embedded default and `--rules DIR`), validating them and
//! compiling them into a [`Pack`]. Every problem is reported, not just the first.

use super::error::{RuleError, SourceFile};
use super::model::*;
use super::{
    AcoemChapter, Catalogue, Concept, CondC, OdgChapter, Pack, Region, RequestClass, Rule, Topic,
};
use crate::citation::{PageRange, Source};
use crate::facts::context::{ContextEngine, ContextSection, Status};
use crate::facts::literals::Anchors;
use crate::facts::matcher::ConceptMatcher;
use crate::facts::patterns::{begins_at_word_boundary, Pattern, SharedCompiled};
use crate::fasthash::FastMap;
use crate::re::is_regex_word_byte;
use crate::span::Span;
use regex::Regex;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};

include!(concat!(env!("OUT_DIR"), "/default_pack.rs"));

/// The files of one pack.
#[derive(Debug, Clone)]
pub struct PackSource {
    pub name: String,
    pub files: Vec<SourceFile>,
}

/// The pack compiled into the binary.
pub fn default_pack() -> PackSource {
    PackSource {
        name: "default".into(),
        files: DEFAULT_PACK
            .iter()
            .map(|(p, t, _)| SourceFile {
                path: format!("<default>/{}", p.trim_start_matches("rules/")),
                text: Arc::from(*t),
            })
            .collect(),
    }
}

/// Every `.yaml`/`.yml` file below `dir`, in path order (or the one file `dir` names).
pub fn read_pack_dir(dir: &Path) -> Result<PackSource, String> {
    if dir.is_file() {
        let text = std::fs::read_to_string(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        return Ok(PackSource {
            name: dir.display().to_string(),
            files: vec![SourceFile {
                path: dir.display().to_string(),
                text: Arc::from(text),
            }],
        });
    }
    if !dir.is_dir() {
        return Err(format!("{}: no such rule file or directory", dir.display()));
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().max_depth(64) {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let p = entry.path();
        let is_yaml = matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
        if entry.file_type().is_file() && is_yaml {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            files.push(SourceFile {
                path: p.display().to_string(),
                text: Arc::from(text),
            });
        }
    }
    Ok(PackSource {
        name: dir.display().to_string(),
        files,
    })
}

/// Limits that keep a hostile rule file from exhausting memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const MAX_FILE_BYTES: usize = 4 << 20;

/// Where a definition came from: file index and id.
#[derive(Clone)]
struct Origin {
    file: usize,
}

struct Collected {
    files: Vec<SourceFile>,
    concepts: BTreeMap<String, (ConceptDef, Origin)>,
    concept_order: Vec<String>,
    classes: BTreeMap<String, (RequestClassDef, Origin)>,
    class_order: Vec<String>,
    rules: BTreeMap<String, (RuleDef, Origin)>,
    rule_order: Vec<String>,
    /// Context sections with the index of their file.
    contexts: Vec<(ContextSection, usize)>,
    guidelines: Vec<(GuidelineCatalogueDef, Origin)>,
}

/// Finds the YAML text of `id: <id>` in a file, then optionally `needle` after it.
pub fn locate(text: &str, id: &str, needle: Option<&str>) -> Option<Span> {
    let id_re = Regex::new(&format!(
        r#"(?m)^\s*-?\s*id:\s*["']?{}["']?\s*(?:#.*)?$"#,
        regex::escape(id)
    ))
    .ok()?;
    let m = id_re.find(text)?;
    let at = m.start() + m.as_str().find(id).unwrap_or(0);
    let id_span = Span::new(at, at + id.len());
    let Some(needle) = needle else {
        return Some(id_span);
    };
    // The next definition ends the search.
    let next = Regex::new(r"(?m)^\s*-\s*id:").unwrap();
    let end = next
        .find_at(text, m.end())
        .map(|n| n.start())
        .unwrap_or(text.len());
    let word = Regex::new(&format!(
        r#"(?:^|[^\w-]){}(?:$|[^\w-])"#,
        regex::escape(needle)
    ))
    .ok()?;
    match word.find(&text[m.end()..end]) {
        Some(w) => {
            let s = m.end() + w.start() + w.as_str().find(needle).unwrap_or(0);
            Some(Span::new(s, s + needle.len()))
        }
        None => Some(id_span),
    }
}

/// The message and place of a serde_yaml error, shared by rule files and the
/// configuration file: the place as a span of the YAML text, the message without the
/// "at line L column C" that the diagnostic shows anyway, in words a rule author knows.
pub fn yaml_message_and_span(file: &SourceFile, e: &serde_yaml::Error) -> (String, Option<Span>) {
    let span = e.location().map(|l| {
        let at = l.index().min(file.text.len());
        let end = file.text[at..]
            .find(['\n', ':'])
            .map(|n| at + n.max(1))
            .unwrap_or(file.text.len());
        Span::new(at, end.max(at))
    });
    let raw = e.to_string();
    let msg = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    }
    .replace(
        "expected a YAML tag starting with '!'",
        "expected a single name",
    )
    .replace(
        "repetition limit exceeded",
        "anchors and aliases expand to more than the limit (a YAML bomb?)",
    );
    (msg, span)
}

fn yaml_error(file: &SourceFile, e: serde_yaml::Error) -> RuleError {
    let (msg, span) = yaml_message_and_span(file, &e);
    // Errors raised while assembling a condition are reported at the enclosing rule; point
    // at its `when:` instead.
    let span = match (
        span,
        msg.contains("condition") || msg.contains("needs at least one"),
    ) {
        (Some(s), true) => file.text[s.start..]
            .find("when:")
            .map(|k| Span::new(s.start + k, s.start + k + 4))
            .or(Some(s)),
        (s, _) => s,
    };
    let help = did_you_mean_help(&msg);
    let mut err = RuleError::new(file, "rules/invalid-yaml", msg).at(span, "here");
    if let Some(h) = help {
        err = err.help(h);
    } else {
        err = err.help("see the rule format in rules/README.md");
    }
    err
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" suggests the closest name.
pub fn did_you_mean_help(msg: &str) -> Option<String> {
    let re = Regex::new(r"unknown (?:field|variant) `([^`]*)`, expected (?:one of )?(.*)").unwrap();
    let c = re.captures(msg)?;
    let got = &c[1];
    let options: Vec<&str> = c[2]
        .split(['`', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "or")
        .collect();
    let best = closest(got, options.iter().copied())?;
    Some(format!("did you mean `{best}`?"))
}

/// The candidate closest to `word` by edit distance, if reasonably close; a candidate that
/// contains the word whole ("acoem" in "mtus-acoem") counts as close.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| {
            let d = if word.len() >= 3 && c.contains(word) {
                1
            } else {
                edit_distance(word, c)
            };
            (d, c)
        })
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Loads packs in order; a later pack's definition replaces an earlier one with the same id.
pub fn load(packs: &[PackSource]) -> Result<Pack, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut c = Collected {
        files: Vec::new(),
        concepts: BTreeMap::new(),
        concept_order: Vec::new(),
        classes: BTreeMap::new(),
        class_order: Vec::new(),
        rules: BTreeMap::new(),
        rule_order: Vec::new(),
        contexts: Vec::new(),
        guidelines: Vec::new(),
    };
    for pack in packs {
        let mut seen: HashMap<(&'static str, String), usize> = HashMap::new();
        for file in &pack.files {
            let fi = c.files.len();
            c.files.push(file.clone());
            if file.text.len() > MAX_FILE_BYTES {
                errors.push(RuleError::new(
                    file,
                    "rules/too-large",
                    format!("rule file is larger than {} MiB", MAX_FILE_BYTES >> 20),
                ));
                continue;
            }
            let parsed: PackFile = match parse_yaml(file) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(*e);
                    continue;
                }
            };
            if parsed.version != 1 {
                let span = version_line()
                    .captures(&file.text)
                    .map(|m| Span::new(m.get(1).unwrap().start(), m.get(1).unwrap().end()));
                errors.push(
                    RuleError::new(
                        file,
                        "rules/unsupported-version",
                        format!("unsupported rule format version {}", parsed.version),
                    )
                    .at(span, "only version 1 exists")
                    .help("write `version: 1`"),
                );
                continue;
            }
            let mut dup = |kind: &'static str, id: &str, errors: &mut Vec<RuleError>| {
                if let Some(&prev) = seen.get(&(kind, id.to_string())) {
                    let first = &c.files[prev.min(c.files.len() - 1)].path;
                    errors.push(
                        RuleError::new(
                            file,
                            "rules/duplicate-id",
                            format!("duplicate {kind} id `{id}`"),
                        )
                        .at(locate(&file.text, id, None), "defined again here")
                        .help(format!(
                            "it is already defined in {first}; ids must be unique within a pack"
                        )),
                    );
                    true
                } else {
                    seen.insert((kind, id.to_string()), fi);
                    false
                }
            };
            for d in parsed.concepts {
                if dup("concept", &d.id, &mut errors) {
                    continue;
                }
                if !c.concepts.contains_key(&d.id) {
                    c.concept_order.push(d.id.clone());
                }
                c.concepts.insert(d.id.clone(), (d, Origin { file: fi }));
            }
            for d in parsed.request_classes {
                if dup("request class", &d.id, &mut errors) {
                    continue;
                }
                if !c.classes.contains_key(&d.id) {
                    c.class_order.push(d.id.clone());
                }
                c.classes.insert(d.id.clone(), (d, Origin { file: fi }));
            }
            for d in parsed.rules {
                if dup("rule", &d.id, &mut errors) {
                    continue;
                }
                if !c.rules.contains_key(&d.id) {
                    c.rule_order.push(d.id.clone());
                }
                c.rules.insert(d.id.clone(), (d, Origin { file: fi }));
            }
            if let Some(ctx) = parsed.context {
                c.contexts.push((ctx, fi));
            }
            if let Some(g) = parsed.guidelines {
                c.guidelines.push((g, Origin { file: fi }));
            }
        }
    }
    let pack = compile(c, &mut errors);
    if errors.is_empty() {
        Ok(pack)
    } else {
        Err(errors)
    }
}

const MAX_NESTING: usize = 64;

/// Finds flow brackets or indentation nested deeper than [`MAX_NESTING`], before the YAML
/// parser spends time (and stack) on them.
fn too_deep(text: &str) -> Option<(usize, &'static str)> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut line_start = true;
    let mut indent = 0usize;
    for (i, b) in text.bytes().enumerate() {
        if line_start {
            if b == b' ' {
                indent += 1;
                if indent > MAX_NESTING * 4 {
                    return Some((i, "indented this deep"));
                }
                continue;
            }
            line_start = false;
        }
        match (quote, b) {
            (_, b'\n') => {
                line_start = true;
                indent = 0;
                if quote == Some(b'#') {
                    quote = None;
                }
            }
            (Some(q), c) if c == q && q != b'#' => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'#') => quote = Some(b'#'),
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((i, "nested this deep"));
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn placeholder_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\{([A-Za-z_-]+)\}").unwrap())
}

fn version_line() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?m)^version:\s*(\S+)").unwrap())
}

fn parse_yaml(file: &SourceFile) -> Result<PackFile, Box<RuleError>> {
    // An empty file is a mistake worth naming, not a silent no-op.
    if file.text.trim().is_empty() {
        return Err(Box::new(
            RuleError::new(file, "rules/empty-file", "rule file is empty")
                .help("start it with `version: 1`"),
        ));
    }
    if let Some(json) = default_json(file) {
        if let Ok(parsed) = serde_json::from_str(json) {
            return Ok(parsed);
        }
    }
    if let Some((at, what)) = too_deep(&file.text) {
        return Err(Box::new(
            RuleError::new(
                file,
                "rules/too-deep",
                format!("the YAML is nested more than {MAX_NESTING} levels deep"),
            )
            .at(Some(Span::new(at, at + 1)), what)
            .help("rule files never need this much nesting; is the file generated or corrupted?"),
        ));
    }
    serde_yaml::from_str(&file.text).map_err(|e| Box::new(yaml_error(file, e)))
}

/// The JSON form of a file of the default pack, made when imrlint was built; `None` for
/// any other file (or one edited since).
fn default_json(file: &SourceFile) -> Option<&'static str> {
    let rel = file.path.strip_prefix("<default>/")?;
    DEFAULT_PACK
        .iter()
        .find(|(p, yaml, _)| p.trim_start_matches("rules/") == rel && *yaml == &*file.text)
        .and_then(|(_, _, json)| *json)
}

/// The anchors of a pattern of the default pack, worked out when imrlint was built
/// (`None`: not a default pattern).
fn default_pattern_anchors(pattern: &str) -> Option<Anchors> {
    anchors_in(DEFAULT_PATTERN_ANCHORS, pattern)
}

/// Where the default pattern `pattern` is compiled, shared by every pack of the process.
fn default_pattern_slot(pattern: &str) -> Option<&'static SharedCompiled> {
    static SLOTS: OnceLock<Vec<SharedCompiled>> = OnceLock::new();
    let k = DEFAULT_PATTERN_ANCHORS
        .binary_search_by(|(p, ..)| (*p).cmp(pattern))
        .ok()?;
    SLOTS
        .get_or_init(|| {
            DEFAULT_PATTERN_ANCHORS
                .iter()
                .map(|row| SharedCompiled::parsed_as(row.4))
                .collect()
        })
        .get(k)
}

/// Compiles the default pack's concept patterns that `text` may need (those with a
/// start word in it), so that a one-letter run has them ready when the pack is loaded.
/// Only a head start: a pattern missed here is compiled when first needed.
pub fn precompile_default_patterns(text: &str) {
    precompile(text, DEFAULT_PATTERN_ANCHORS, default_pattern_slot);
}

/// Compiles the patterns of `table` that may match in `text` into `slot(pattern)`: one of
/// their start words occurs (where a word starts, for a pattern that begins with `\b`),
/// and one of their end words after it.
fn precompile<'a>(
    text: &str,
    table: &'a [AnchorRow],
    slot: impl Fn(&'a str) -> Option<&'a SharedCompiled>,
) {
    let folded = crate::facts::literals::fold_bytes(text.as_bytes());
    for (pattern, starts, ends, ..) in table {
        let Some(starts) = starts else {
            continue;
        };
        let word_start = begins_at_word_boundary(pattern);
        let first_start = starts
            .iter()
            .filter_map(|l| {
                memchr::memmem::find_iter(&folded, l)
                    .find(|&at| !word_start || at == 0 || !is_regex_word_byte(folded[at - 1]))
            })
            .min();
        let Some(first_start) = first_start else {
            continue;
        };
        let ends_ok = ends.is_none_or(|ends| {
            ends.iter()
                .any(|l| memchr::memmem::find(&folded[first_start..], l).is_some())
        });
        if ends_ok {
            if let Some(slot) = slot(pattern) {
                slot.compile(pattern, true);
            }
        }
    }
}

/// The anchors of a context trigger regex of the default pack, worked out when imrlint
/// was built (`None`: not a default trigger).
pub(crate) fn default_trigger_anchors(regex: &str) -> Option<Anchors> {
    anchors_in(DEFAULT_TRIGGER_ANCHORS, regex)
}

fn anchors_in(table: &[AnchorRow], pattern: &str) -> Option<Anchors> {
    let k = table.binary_search_by(|(p, ..)| (*p).cmp(pattern)).ok()?;
    let (_, starts, ends, max_len, _) = table[k];
    let owned = |lits: Literals| lits.map(|l| l.iter().map(|l| l.to_vec()).collect());
    Some(Anchors {
        starts: owned(starts),
        ends: owned(ends),
        max_len,
    })
}

fn compile(c: Collected, errors: &mut Vec<RuleError>) -> Pack {
    let ctx_refs: Vec<&ContextSection> = c.contexts.iter().map(|(s, _)| s).collect();
    let mut pack = if crate::facts::scan::automata_deferred() {
        // A one-letter run: the trigger automaton waits for the letter, and what is left
        // of the engine builds quicker than a thread starts.
        compile_with(&c, errors, || ContextEngine::compile(&ctx_refs))
    } else {
        // The context engine builds on a second core while the vocabulary is compiled here.
        std::thread::scope(|s| {
            let context = s.spawn(move || ContextEngine::compile(&ctx_refs));
            compile_with(&c, errors, || {
                context
                    .join()
                    .unwrap_or_else(|_| Err("the context engine could not be built".into()))
            })
        })
    };
    // The rule files move into the pack now that nothing borrows them.
    pack.files = c.files;
    pack
}

fn compile_with(
    c: &Collected,
    errors: &mut Vec<RuleError>,
    context: impl FnOnce() -> Result<ContextEngine, String>,
) -> Pack {
    // Concepts.
    let concept_index: FastMap<String, usize> = c
        .concept_order
        .iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), i))
        .collect();
    let mut concepts = Vec::new();
    let mut includes: Vec<Vec<usize>> = Vec::new();
    for id in &c.concept_order {
        let (d, o) = &c.concepts[id];
        let file = &c.files[o.file];
        let mut inc = Vec::new();
        for i in &d.include {
            match concept_index.get(i) {
                Some(&k) => inc.push(k),
                None => errors.push(unknown_ref(file, &d.id, i, "concept", concept_index.keys())),
            }
        }
        if d.phrases.is_empty() && d.patterns.is_empty() && d.include.is_empty() {
            errors.push(
                RuleError::new(
                    file,
                    "rules/empty-concept",
                    format!("concept `{}` has no phrases, patterns or includes", d.id),
                )
                .at(locate(&file.text, &d.id, None), "matches nothing")
                .help("add `phrases:` (or `patterns:` / `include:`)"),
            );
        }
        includes.push(inc);
        concepts.push(Concept {
            id: d.id.clone(),
            description: d.description.clone(),
            file: file.path.clone(),
        });
    }
    // owners[d] = d plus every concept that includes d, transitively.
    let n = concepts.len();
    let mut owners: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    for (root, _) in includes.iter().enumerate() {
        let mut stack = includes[root].clone();
        let mut visited = vec![false; n];
        while let Some(k) = stack.pop() {
            if k == root {
                let id = &concepts[root].id;
                let file = &c.files[c.concepts[id].1.file];
                errors.push(
                    RuleError::new(
                        file,
                        "rules/include-cycle",
                        format!("concept `{id}` includes itself"),
                    )
                    .at(locate(&file.text, id, None), "part of an include cycle")
                    .help("remove one of the `include:` entries that lead back here"),
                );
                break;
            }
            if std::mem::replace(&mut visited[k], true) {
                continue;
            }
            if !owners[k].contains(&root) {
                owners[k].push(root);
            }
            stack.extend(includes[k].iter().copied());
        }
    }
    let mut phrases = Vec::new();
    // The phrases as written, each once, for `imrlint rules phrases`.
    let mut phrase_list: Vec<String> = Vec::new();
    let mut seen_phrases = crate::fasthash::FastSet::default();
    let mut phrase_owner: FastMap<String, usize> = FastMap::default();
    let mut phrase_defs: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut pattern_jobs: Vec<(usize, &str)> = Vec::new();
    for (i, id) in c.concept_order.iter().enumerate() {
        let (d, o) = &c.concepts[id];
        let file = &c.files[o.file];
        for p in &d.phrases {
            let key = crate::facts::matcher::phrase_key(p);
            if let Some(&prev) = phrase_owner.get(&key) {
                if prev == i {
                    errors.push(
                        RuleError::new(
                            file,
                            "rules/duplicate-phrase",
                            format!("phrase \"{p}\" is listed twice in concept `{id}`"),
                        )
                        .at(locate(&file.text, id, Some(p)), "listed again")
                        .help("remove one of them"),
                    );
                }
            }
            phrase_owner.insert(key.clone(), i);
            phrases.push((key.clone(), owners[i].clone()));
            phrase_defs.entry(key).or_default().push(i);
            if seen_phrases.insert(p.as_str()) {
                phrase_list.push(p.clone());
            }
        }
        for pat in &d.patterns {
            pattern_jobs.push((i, pat.as_str()));
        }
    }
    // A pattern of the default pack was checked when imrlint was built and is compiled
    // when a letter first needs it; any other is checked (and compiled) now, on all cores.
    let known: Vec<Option<Anchors>> = pattern_jobs
        .iter()
        .map(|(_, pat)| default_pattern_anchors(pat))
        .collect();
    let check = |k: usize| match &known[k] {
        Some(anchors) => Ok(match default_pattern_slot(pattern_jobs[k].1) {
            Some(shared) => Pattern::trusted_shared(pattern_jobs[k].1, anchors.clone(), shared),
            None => Pattern::trusted(pattern_jobs[k].1, anchors.clone()),
        }),
        None => Pattern::check(pattern_jobs[k].1, REGEX_SIZE_LIMIT),
    };
    let indices: Vec<usize> = (0..pattern_jobs.len()).collect();
    let checked: Vec<Result<Pattern, String>> = if known.iter().all(Option::is_some) {
        indices.iter().map(|&k| check(k)).collect()
    } else {
        parallel_map(&indices, |&k| check(k))
    };
    let mut patterns = Vec::new();
    let mut pattern_owners = Vec::new();
    for ((i, pat), checked) in pattern_jobs.iter().zip(checked) {
        let id = &c.concept_order[*i];
        match checked {
            Ok(p) => {
                patterns.push(p);
                pattern_owners.push(owners[*i].clone());
            }
            Err(e) => errors.push(regex_error(&c.files[c.concepts[id].1.file], id, pat, &e)),
        }
    }
    // A phrase listed both in a concept and in one it includes is shadowed: the included
    // concept's entry already makes it count for both.
    for (key, defs) in &phrase_defs {
        for &a in defs {
            for &b in defs {
                if a != b && owners[b].contains(&a) {
                    let (id_a, id_b) = (&c.concept_order[a], &c.concept_order[b]);
                    let file = &c.files[c.concepts[id_a].1.file];
                    let written = c.concepts[id_a]
                        .0
                        .phrases
                        .iter()
                        .find(|p| crate::facts::matcher::phrase_key(p) == *key)
                        .cloned()
                        .unwrap_or_default();
                    errors.push(
                        RuleError::new(file, "rules/shadowed-phrase", format!("phrase \"{written}\" in concept `{id_a}` is shadowed: `{id_a}` includes `{id_b}`, which lists it too"))
                            .at(locate(&file.text, id_a, Some(&written)), "already counted through `include`")
                            .help(format!("remove it from `{id_a}`")),
                    );
                }
            }
        }
    }
    let matcher = match ConceptMatcher::build_keyed(phrases, patterns, pattern_owners) {
        Ok(m) => m,
        Err(e) => {
            if let Some(f) = c.files.first() {
                errors.push(RuleError::new(
                    f,
                    "rules/matcher",
                    format!("could not build the phrase matcher: {e}"),
                ));
            }
            ConceptMatcher::phrases_only(vec![]).expect("an empty matcher builds")
        }
    };

    let catalogue = compile_catalogue(c, &concept_index, errors);
    let region_index: HashMap<&str, usize> = catalogue
        .regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();

    // Request classes.
    let mut classes = Vec::new();
    for id in &c.class_order {
        let (d, o) = &c.classes[id];
        let file = &c.files[o.file];
        let mut refs = |list: &[String]| -> Vec<usize> {
            list.iter()
                .filter_map(|r| match concept_index.get(r) {
                    Some(&k) => Some(k),
                    None => {
                        errors.push(unknown_ref(file, &d.id, r, "concept", concept_index.keys()));
                        None
                    }
                })
                .collect()
        };
        let modality = refs(&d.modality);
        let region = refs(&d.region);
        let exclude = refs(&d.exclude);
        let mtus_silent_when = refs(&d.mtus_silent_when);
        if d.modality.is_empty() {
            errors.push(
                RuleError::new(
                    file,
                    "rules/empty-class",
                    format!("request class `{}` has no modality", d.id),
                )
                .at(locate(&file.text, &d.id, None), "matches no request")
                .help("list at least one concept under `modality:`"),
            );
        }
        let body_region = d.body_region.as_ref().and_then(|r| {
            let found = region_index.get(r.as_str()).copied();
            if found.is_none() {
                errors.push(unknown_region(file, &d.id, r, &catalogue));
            }
            found
        });
        classes.push(RequestClass {
            id: d.id.clone(),
            description: d.description.clone(),
            modality,
            region,
            exclude,
            priority: d.priority,
            body_region,
            mtus: d.mtus,
            mtus_silent_when,
        });
    }
    let class_index: HashMap<&str, usize> = classes
        .iter()
        .enumerate()
        .map(|(i, k)| (k.id.as_str(), i))
        .collect();

    // Rules.
    let mut rules = Vec::new();
    for id in &c.rule_order {
        let (d, o) = &c.rules[id];
        let file = &c.files[o.file];
        let mut class_ids = Vec::new();
        let mut all = false;
        if d.applies_to.is_empty() {
            errors.push(
                RuleError::new(
                    file,
                    "rules/applies-to-nothing",
                    format!("rule `{}` applies to no request class", d.id),
                )
                .at(locate(&file.text, &d.id, Some("applies-to")), "empty list")
                .help("list request class ids, or \"*\" for every classified item"),
            );
        }
        for a in &d.applies_to {
            if a == "*" {
                all = true;
            } else if let Some(&k) = class_index.get(a.as_str()) {
                class_ids.push(k);
            } else {
                errors.push(unknown_ref(
                    file,
                    &d.id,
                    a,
                    "request class",
                    class_index
                        .keys()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .iter(),
                ));
            }
        }
        for ph in placeholder_re().captures_iter(&d.message) {
            let name = &ph[1];
            if !["request", "decision", "expected"].contains(&name) {
                let best = closest(name, ["request", "decision", "expected"].into_iter());
                errors.push(
                    RuleError::new(file, "rules/unknown-placeholder", format!("unknown placeholder `{{{name}}}` in the message of `{}`", d.id))
                        .at(locate(&file.text, &d.id, Some(&format!("{{{name}}}"))), "not a placeholder")
                        .help(match best {
                            Some(b) => format!("did you mean `{{{b}}}`? Placeholders are {{request}}, {{decision}} and {{expected}}"),
                            None => "placeholders are {request}, {decision} and {expected}".into(),
                        }),
                );
            }
        }
        check_guideline_cite(file, d, &catalogue, errors);
        let when = compile_condition(&d.when, file, &d.id, &concept_index, errors);
        check_role_concepts(&when, file, &d.id, &concept_index, &catalogue, errors);
        if let Some(reason) = never_holds(&when) {
            errors.push(
                RuleError::new(
                    file,
                    "rules/never-holds",
                    format!("the conditions of rule `{}` can never hold", d.id),
                )
                .help(if reason.contains("at-least") {
                    "make `at-least` no larger than `at-most`"
                } else {
                    "a concept cannot be both required and excluded; remove one side"
                })
                .at(locate(&file.text, &d.id, Some("when")), reason),
            );
        }
        rules.push(Rule {
            def: d.clone(),
            when,
            classes: if all { None } else { Some(class_ids) },
            file: file.path.clone(),
        });
    }

    let context = match context() {
        Ok(e) => e,
        Err(_) => {
            // Compile each file's triggers on their own, so that each error names the
            // trigger by its place in its own file.
            for (section, fi) in &c.contexts {
                if let Err(e) = ContextEngine::compile(&[section]) {
                    errors.push(context_error(&c.files[*fi], &e));
                }
            }
            ContextEngine::compile(&[]).expect("an empty trigger set compiles")
        }
    };

    let mut services: Vec<usize> = classes
        .iter()
        .flat_map(|c| c.modality.iter().copied())
        .collect();
    services.sort_unstable();
    services.dedup();
    // (An unknown concept, already reported, is `usize::MAX`.)
    let mut status_read = vec![false; concepts.len()];
    let mut read = |c: usize| {
        if let Some(r) = status_read.get_mut(c) {
            *r = true;
        }
    };
    for r in &rules {
        r.when.for_each_concept(&mut read);
    }
    for &c in services
        .iter()
        .chain(catalogue.regions.iter().map(|r| &r.concept))
    {
        read(c);
    }
    Pack {
        status_read,
        services,
        concepts,
        concept_index,
        matcher,
        classes,
        rules,
        context,
        catalogue,
        // Filled in by `compile`.
        files: Vec::new(),
        phrase_list,
    }
}

/// `f` over `items` on up to eight threads, in order. Reading the vocabulary's patterns
/// is the largest part of loading a pack.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 8 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .skip(1)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = items[..chunk.min(items.len())].iter().map(f).collect();
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

fn context_error(file: &SourceFile, e: &str) -> RuleError {
    let quoted = e.split('\'').nth(1).unwrap_or("");
    let span = (!quoted.is_empty())
        .then(|| {
            file.text
                .find(quoted)
                .map(|k| Span::new(k, k + quoted.len()))
        })
        .flatten();
    let first = e.lines().next().unwrap_or(e).to_string();
    let detail = e
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"))
        .map(|l| l.trim().trim_start_matches("error:").trim().to_string());
    let msg = match detail {
        Some(d) if !first.contains(&d) => format!("{first} {d}"),
        _ => first,
    };
    RuleError::new(file, "rules/invalid-context", msg)
        .at(span, "this trigger")
        .help(
            "fix the trigger; phrases need no regex, a `regex:` must be a valid regular expression",
        )
}

/// Concepts the engine reads by id for some condition kinds.
const CONCLUSION_CONCEPTS: [&str; 2] = ["conclusion-necessary", "conclusion-not-necessary"];
const MTUS_SILENT_CONCEPT: &str = "mtus-silent";

/// A condition kind that reads a role concept, or the catalogue, needs them defined.
fn check_role_concepts(
    c: &CondC,
    file: &SourceFile,
    rule: &str,
    concepts: &FastMap<String, usize>,
    catalogue: &Catalogue,
    errors: &mut Vec<RuleError>,
) {
    let missing = |needle: &str, what: String, errors: &mut Vec<RuleError>| {
        errors.push(
            RuleError::new(
                file,
                "rules/missing-definition",
                format!("rule `{rule}` needs {what}"),
            )
            .at(locate(&file.text, rule, Some(needle)), "used here")
            .help("define it in the pack (see the default pack's rules/ for an example)"),
        )
    };
    match c {
        CondC::All(v) | CondC::Any(v) => v
            .iter()
            .for_each(|x| check_role_concepts(x, file, rule, concepts, catalogue, errors)),
        CondC::Not(x) => check_role_concepts(x, file, rule, concepts, catalogue, errors),
        CondC::Conclusion(_) => {
            for id in CONCLUSION_CONCEPTS {
                if !concepts.contains_key(id) {
                    missing("conclusion", format!("a concept with id `{id}`"), errors);
                }
            }
        }
        CondC::Citation(CitationCheck::NonMtusWithoutSilence)
            if !concepts.contains_key(MTUS_SILENT_CONCEPT) =>
        {
            missing(
                "citation",
                format!("a concept with id `{MTUS_SILENT_CONCEPT}`"),
                errors,
            );
        }
        CondC::Citation(CitationCheck::WrongRegion) | CondC::Mismatch(_)
            if catalogue.regions.is_empty() =>
        {
            let needle = if matches!(c, CondC::Mismatch(_)) {
                "mismatch"
            } else {
                "citation"
            };
            missing(needle, "regions in a `guidelines:` section".into(), errors);
        }
        _ => {}
    }
}

fn unknown_region(file: &SourceFile, owner: &str, name: &str, cat: &Catalogue) -> RuleError {
    let help = match closest(name, cat.regions.iter().map(|r| r.id.as_str())) {
        Some(b) => format!("did you mean `{b}`?"),
        None => "use the id of a region listed under `guidelines: regions:`".into(),
    };
    RuleError::new(
        file,
        "rules/unknown-region",
        format!("unknown region `{name}` in `{owner}`"),
    )
    .at(
        locate(&file.text, owner, Some(name)),
        "no region has this id",
    )
    .help(help)
}

/// A rule's own citation is held to what the rule holds reviewers to: its pages read as
/// pages, and an ACOEM chapter it names is one the catalogue knows, with the pages inside
/// it (a rule citing Chapter 12 at p. 180 would send readers to the wrong body part).
fn check_guideline_cite(
    file: &SourceFile,
    d: &RuleDef,
    catalogue: &Catalogue,
    errors: &mut Vec<RuleError>,
) {
    let g = &d.guideline;
    let mut ranges = Vec::new();
    if let Some(pages) = &g.pages {
        for part in pages.split(',') {
            match crate::citation::parse_page_range(part) {
                Some(r) => ranges.push(r),
                None => {
                    errors.push(
                        RuleError::new(
                            file,
                            "rules/invalid-pages",
                            format!("pages \"{pages}\" in the guideline of rule `{}` are not pages", d.id),
                        )
                        .at(locate(&file.text, &d.id, Some(pages.as_str())), "not a page list like 303-304 or 58-60, 63")
                        .help("write pages as the guideline numbers them: one page, a first and last page (`303-304`), or several separated by commas"),
                    );
                    return;
                }
            }
        }
    }
    let (Source::MtusAcoem, Some(chapter)) = (g.source, g.chapter) else {
        return;
    };
    if catalogue.acoem.is_empty() {
        return;
    }
    let Some(known) = catalogue.acoem.iter().find(|c| c.chapter == chapter) else {
        let chapters: Vec<String> = catalogue
            .acoem
            .iter()
            .map(|c| format!("{} ({})", c.chapter, c.title))
            .collect();
        errors.push(
            RuleError::new(
                file,
                "rules/unknown-chapter",
                format!("rule `{}` cites ACOEM Chapter {chapter}, which the guideline catalogue does not list", d.id),
            )
            .at(locate(&file.text, &d.id, Some("chapter")), "not a catalogued chapter")
            .help(format!("catalogued ACOEM chapters: {}", chapters.join(", "))),
        );
        return;
    };
    let Some(bounds) = known.pages else {
        return;
    };
    if let Some(outside) = ranges
        .iter()
        .find(|r| r.start < bounds.start || r.end > bounds.end)
    {
        let pages = g.pages.as_deref().unwrap_or_default();
        errors.push(
            RuleError::new(
                file,
                "rules/pages-outside-chapter",
                format!(
                    "rule `{}` cites ACOEM Chapter {chapter} ({}) at {}, outside the chapter's pages {}-{}",
                    d.id, known.title, page_text(outside), bounds.start, bounds.end
                ),
            )
            .at(locate(&file.text, &d.id, Some(pages)), "outside the chapter")
            .help("check the chapter and the pages against the guideline; one of them is wrong"),
        );
    }
}

/// "p. 180" or "pp. 303-304".
fn page_text(r: &PageRange) -> String {
    if r.start == r.end {
        format!("p. {}", r.start)
    } else {
        format!("pp. {}-{}", r.start, r.end)
    }
}

/// Locates `key: value` text for catalogue entries that have no `id:` line.
fn locate_text(text: &str, needle: &str) -> Option<Span> {
    text.find(needle).map(|at| Span::new(at, at + needle.len()))
}

fn parse_range(
    file: &SourceFile,
    owner: &str,
    pages: &str,
    errors: &mut Vec<RuleError>,
) -> Option<PageRange> {
    match crate::citation::parse_page_range(pages) {
        Some(range) => Some(range),
        None => {
            errors.push(
                RuleError::new(
                    file,
                    "rules/invalid-pages",
                    format!("pages \"{pages}\" of `{owner}` are not one page range"),
                )
                .at(
                    locate_text(&file.text, pages),
                    "not a page, or a first and last page like 286-326",
                )
                .help("write one page, or the first and last page with the last not before the first (`pages: 286-326`); leave `pages` out when unconfirmed"),
            );
            None
        }
    }
}

fn compile_catalogue(
    c: &Collected,
    concepts: &FastMap<String, usize>,
    errors: &mut Vec<RuleError>,
) -> Catalogue {
    // Later definitions replace earlier ones with the same key.
    let mut regions: Vec<(RegionDef, usize)> = Vec::new();
    let mut acoem: Vec<(AcoemChapterDef, usize)> = Vec::new();
    let mut cpmtg: Vec<(TopicDef, usize)> = Vec::new();
    let mut odg: Vec<(OdgChapterDef, usize)> = Vec::new();
    for (g, o) in &c.guidelines {
        for r in &g.regions {
            regions.retain(|(x, _)| x.id != r.id);
            regions.push((r.clone(), o.file));
        }
        for a in &g.acoem {
            acoem.retain(|(x, _)| x.chapter != a.chapter);
            acoem.push((a.clone(), o.file));
        }
        for t in &g.cpmtg {
            cpmtg.retain(|(x, _)| x.name != t.name);
            cpmtg.push((t.clone(), o.file));
        }
        for t in &g.odg {
            odg.retain(|(x, _)| x.title != t.title);
            odg.push((t.clone(), o.file));
        }
    }
    let ids: HashMap<String, usize> = regions
        .iter()
        .enumerate()
        .map(|(i, (r, _))| (r.id.clone(), i))
        .collect();
    let mut cat = Catalogue::default();
    for (r, fi) in &regions {
        let file = &c.files[*fi];
        let concept = match concepts.get(&r.concept) {
            Some(&k) => k,
            None => {
                errors.push(unknown_ref(
                    file,
                    &r.id,
                    &r.concept,
                    "concept",
                    concepts.keys(),
                ));
                usize::MAX
            }
        };
        cat.regions.push(Region {
            id: r.id.clone(),
            concept,
            related: Vec::new(),
            sided: r.sided,
        });
    }
    let region_refs = |file: &SourceFile,
                       owner: &str,
                       list: &[String],
                       cat: &Catalogue,
                       errors: &mut Vec<RuleError>|
     -> Vec<usize> {
        list.iter()
            .filter_map(|x| {
                let k = ids.get(x).copied();
                if k.is_none() {
                    errors.push(unknown_region(file, owner, x, cat));
                }
                k
            })
            .collect()
    };
    for (k, (r, fi)) in regions.iter().enumerate() {
        let mut rel = region_refs(&c.files[*fi], &r.id, &r.related, &cat, errors);
        rel.insert(0, k);
        cat.regions[k].related = rel;
    }
    for (a, fi) in &acoem {
        let file = &c.files[*fi];
        let owner = format!("chapter {}", a.chapter);
        let regions = region_refs(file, &a.title, &a.regions, &cat, errors);
        let pages = a
            .pages
            .as_ref()
            .and_then(|p| parse_range(file, &owner, p, errors));
        cat.acoem.push(AcoemChapter {
            chapter: a.chapter,
            title: a.title.clone(),
            regions,
            pages,
        });
    }
    for (t, fi) in &cpmtg {
        let file = &c.files[*fi];
        let pages = t
            .pages
            .as_ref()
            .and_then(|p| parse_range(file, &t.name, p, errors));
        let mut names: Vec<String> = std::iter::once(&t.name)
            .chain(t.aliases.iter())
            .map(|n| n.to_lowercase())
            .collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        cat.cpmtg.push(Topic {
            name: t.name.clone(),
            names,
            pages,
        });
    }
    for (t, fi) in &odg {
        let file = &c.files[*fi];
        let regions = region_refs(file, &t.title, &t.regions, &cat, errors);
        let mut names: Vec<String> = std::iter::once(&t.title)
            .chain(t.aliases.iter())
            .map(|n| n.to_lowercase())
            .collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        cat.odg.push(OdgChapter {
            title: t.title.clone(),
            names,
            regions,
        });
    }
    cat
}

fn regex_error(file: &SourceFile, id: &str, pat: &str, msg: &str) -> RuleError {
    // regex reports the offending position as "    ^" under the pattern; find it.
    let mut span = locate(&file.text, id, Some(pat));
    if let (Some(s), Some(col)) = (span, caret_column(msg)) {
        let at = (s.start + col).min(s.end.saturating_sub(1));
        span = Some(Span::new(at, at + 1));
    }
    let summary = msg
        .lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .map(|l| l.trim_start_matches("error:").trim().to_string())
        .unwrap_or_else(|| msg.lines().last().unwrap_or("").to_string());
    RuleError::new(
        file,
        "rules/invalid-regex",
        format!("invalid regex in concept `{id}`: {summary}"),
    )
    .at(span, summary.clone())
    .help("fix the pattern, or use `phrases:` if a plain phrase list says it")
}

fn caret_column(msg: &str) -> Option<usize> {
    let line = msg.lines().find(|l| l.trim_start().starts_with('^'))?;
    let lines: Vec<&str> = msg.lines().collect();
    let idx = lines.iter().position(|l| *l == line)?;
    let pat_line = lines.get(idx.checked_sub(1)?)?;
    let indent = pat_line.len() - pat_line.trim_start().len();
    Some(line.find('^')?.saturating_sub(indent))
}

fn unknown_ref<'a>(
    file: &SourceFile,
    owner: &str,
    name: &str,
    what: &str,
    known: impl Iterator<Item = &'a String>,
) -> RuleError {
    let known: Vec<&String> = known.collect();
    let help = match closest(name, known.iter().map(|s| s.as_str())) {
        Some(b) => format!("did you mean `{b}`?"),
        None => format!("define a {what} with `id: {name}`, or use an existing id"),
    };
    let code = if what == "concept" {
        "rules/unknown-concept"
    } else {
        "rules/unknown-class"
    };
    RuleError::new(file, code, format!("unknown {what} `{name}` in `{owner}`"))
        .at(
            locate(&file.text, owner, Some(name)),
            format!("no {what} has this id"),
        )
        .help(help)
}

fn compile_condition(
    c: &Condition,
    file: &SourceFile,
    rule: &str,
    concepts: &FastMap<String, usize>,
    errors: &mut Vec<RuleError>,
) -> CondC {
    let list = |v: &[Condition], errors: &mut Vec<RuleError>| {
        v.iter()
            .map(|x| compile_condition(x, file, rule, concepts, errors))
            .collect::<Vec<_>>()
    };
    match c {
        Condition::All(v) => CondC::All(list(v, errors)),
        Condition::Any(v) => CondC::Any(list(v, errors)),
        Condition::Not(b) => {
            CondC::Not(Box::new(compile_condition(b, file, rule, concepts, errors)))
        }
        Condition::Documented(q) | Condition::Negated(q) | Condition::Mentioned(q) => {
            let mode = match c {
                Condition::Documented(_) => super::Mode::Documented,
                Condition::Negated(_) => super::Mode::Negated,
                _ => super::Mode::Mentioned,
            };
            let statuses = q
                .statuses()
                .map(|s| s.to_vec())
                .unwrap_or_else(|| match mode {
                    super::Mode::Documented => vec![Status::Present],
                    super::Mode::Negated => vec![Status::Negated],
                    super::Mode::Mentioned => vec![
                        Status::Present,
                        Status::Historical,
                        Status::Possible,
                        Status::Resolved,
                    ],
                });
            let concept = match concepts.get(q.concept()) {
                Some(&k) => k,
                None => {
                    errors.push(unknown_ref(
                        file,
                        rule,
                        q.concept(),
                        "concept",
                        concepts.keys(),
                    ));
                    usize::MAX
                }
            };
            CondC::Concept {
                mode,
                concept,
                scope: q.scope(),
                statuses,
            }
        }
        Condition::Fact(f) => CondC::Fact(f.clone()),
        Condition::FactDiffers(f) => CondC::FactDiffers(f.clone()),
        Condition::Citation(k) => CondC::Citation(*k),
        Condition::Conclusion(k) => CondC::Conclusion(*k),
        Condition::Mismatch(k) => CondC::Mismatch(*k),
    }
}

/// Detects `all: [X, not: X]` with the same concept, scope and statuses, and numeric
/// bounds that cross, anywhere in the condition tree.
fn never_holds(c: &CondC) -> Option<String> {
    match c {
        CondC::Fact(f) => match (f.at_least, f.at_most) {
            (Some(lo), Some(hi)) if lo > hi => {
                Some(format!("`at-least` {lo} is above `at-most` {hi}"))
            }
            _ => None,
        },
        CondC::Any(v) => v.iter().find_map(never_holds),
        CondC::Not(x) => never_holds(x),
        CondC::Concept { .. }
        | CondC::FactDiffers(_)
        | CondC::Citation(_)
        | CondC::Conclusion(_)
        | CondC::Mismatch(_) => None,
        CondC::All(v) => {
            for a in v {
                for b in v {
                    let CondC::Not(inner) = b else { continue };
                    if let (
                        CondC::Concept {
                            concept,
                            scope,
                            statuses,
                            mode,
                        },
                        CondC::Concept {
                            concept: c2,
                            scope: s2,
                            statuses: st2,
                            mode: m2,
                        },
                    ) = (a, inner.as_ref())
                    {
                        if concept == c2
                            && scope == s2
                            && statuses == st2
                            && mode == m2
                            && *concept != usize::MAX
                        {
                            return Some("required and excluded at once".into());
                        }
                    }
                }
            }
            v.iter().find_map(never_holds)
        }
    }
}

#[cfg(test)]
mod build_time_tests {
    use super::*;

    #[test]
    fn the_json_made_at_build_time_reads_as_the_yaml_does() {
        let pack = default_pack();
        for file in &pack.files {
            let json = default_json(file).unwrap_or_else(|| panic!("{} has no JSON", file.path));
            let from_json: PackFile = serde_json::from_str(json).unwrap();
            let from_yaml: PackFile = serde_yaml::from_str(&file.text).unwrap();
            assert_eq!(
                format!("{from_json:?}"),
                format!("{from_yaml:?}"),
                "{}",
                file.path
            );
        }
        // An edited file is read from its YAML.
        let mut edited = pack.files[0].clone();
        edited.text = format!("{}\n# edited\n", edited.text).into();
        assert!(default_json(&edited).is_none());
    }

    #[test]
    fn the_anchors_made_at_build_time_are_todays() {
        assert!(DEFAULT_PATTERN_ANCHORS.len() > 20);
        for (pattern, ..) in DEFAULT_PATTERN_ANCHORS {
            let now = crate::facts::literals::anchors(pattern);
            assert_eq!(Some(now), default_pattern_anchors(pattern), "{pattern}");
        }
    }

    /// The syntax trees stored at build time are those the patterns parse to today, and
    /// every default pattern has one.
    #[test]
    fn the_trees_made_at_build_time_are_todays() {
        for (pattern, .., tree) in DEFAULT_PATTERN_ANCHORS {
            let now = crate::facts::literals::read(pattern, true).unwrap();
            assert_eq!(crate::facts::hir_code::decode(tree), Some(now), "{pattern}");
        }
    }

    #[test]
    fn the_trigger_anchors_made_at_build_time_are_todays_and_the_triggers_valid() {
        assert!(DEFAULT_TRIGGER_ANCHORS.len() >= 5);
        for (regex, ..) in DEFAULT_TRIGGER_ANCHORS {
            let now = crate::facts::literals::anchors_folded(regex, |b| b.to_ascii_lowercase());
            assert_eq!(Some(now), default_trigger_anchors(regex), "{regex}");
            if let Err(e) = Pattern::check_lowercase(regex, 1 << 20) {
                panic!("{regex}: {e}");
            }
        }
    }

    #[test]
    fn every_default_pattern_compiles_within_the_limit() {
        for (pattern, ..) in DEFAULT_PATTERN_ANCHORS {
            if let Err(e) = Pattern::check(pattern, REGEX_SIZE_LIMIT) {
                panic!("{pattern}: {e}");
            }
        }
        let pack = load(&[default_pack()]).unwrap();
        assert!(pack.matcher.compile_all_patterns().is_empty());
    }

    #[test]
    fn a_letter_precompiles_the_patterns_it_may_need() {
        let table: &[AnchorRow] = &[
            (
                r"\bMRI\s+(?:dated|on)",
                Some(&[b"mri"]),
                Some(&[b"dated", b"on"]),
                Some(20),
                b"",
            ),
            (
                r"\bpain\s+\d+/10",
                Some(&[b"pain"]),
                Some(&[b"/10"]),
                None,
                b"",
            ),
            (r"absent\s+reflex", Some(&[b"absent"]), None, Some(20), b""),
            (r"\bCT\s+scan", Some(&[b"ct"]), None, Some(12), b""),
        ];
        let slots: Vec<SharedCompiled> = table.iter().map(|_| SharedCompiled::default()).collect();
        let slot = |p: &str| table.iter().position(|r| r.0 == p).map(|k| &slots[k]);
        // "pain" lacks its "/10"; "ct" occurs only inside a word; "absent" may start
        // inside one.
        precompile(
            "Lumbar MRI dated 1/2/2020. Pain persists; nonabsent reflex; strict.",
            table,
            slot,
        );
        let compiled: Vec<bool> = slots.iter().map(SharedCompiled::is_compiled).collect();
        assert_eq!(compiled, [true, false, true, false]);
    }
}
