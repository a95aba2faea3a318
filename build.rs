//! Embeds the default rule pack (every YAML file under `rules/`) into the binary, with
//! work done here rather than on every run: each file also as JSON (read several times
//! faster than YAML), and the anchors of every vocabulary pattern (the literals its matches
//! begin and end with, its longest match).

use std::fmt::Write as _;
use std::path::Path;

#[path = "src/facts/literals.rs"]
#[allow(dead_code)]
mod literals;

#[path = "src/facts/hir_code.rs"]
#[allow(dead_code)]
mod hir_code;

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Every string listed under a `patterns:` key (concept patterns), and every string
/// under a `regex:` key (context triggers), anywhere in the document.
fn patterns(v: &serde_yaml::Value, out: &mut Vec<String>, triggers: &mut Vec<String>) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, val) in m {
                if k.as_str() == Some("patterns") {
                    if let Some(seq) = val.as_sequence() {
                        out.extend(seq.iter().filter_map(|p| p.as_str().map(String::from)));
                    }
                }
                if k.as_str() == Some("regex") {
                    triggers.extend(val.as_str().map(String::from));
                }
                patterns(val, out, triggers);
            }
        }
        serde_yaml::Value::Sequence(s) => s.iter().for_each(|x| patterns(x, out, triggers)),
        _ => {}
    }
}

fn main() {
    // A fixed-address executable: the loader then has no relocations to apply at start
    // (a position-independent one has 20,000, touching half a megabyte of tables), which
    // is a few per cent of a one-letter run.
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.contains("linux") && target.contains("gnu") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let rules = Path::new(&root).join("rules");
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/facts/literals.rs");
    println!("cargo:rerun-if-changed=src/facts/hir_code.rs");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    let mut code = String::from(
        "/// The default rule pack: (path relative to the crate, YAML, the same as JSON if it converts).\npub static DEFAULT_PACK: &[(&str, &str, Option<&str>)] = &[\n",
    );
    let mut all_patterns = Vec::new();
    let mut all_triggers = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&format!("{}/", root.replace('\\', "/")))
            .unwrap_or(f);
        // A file that does not parse is embedded as YAML only; loading it reports the error.
        let json = std::fs::read_to_string(f)
            .ok()
            .and_then(|t| serde_yaml::from_str::<serde_yaml::Value>(&t).ok())
            .and_then(|v| {
                patterns(&v, &mut all_patterns, &mut all_triggers);
                serde_json::to_string(&v).ok()
            });
        writeln!(code, "    ({rel:?}, include_str!({f:?}), {json:?}),").unwrap();
    }
    code.push_str("];\n");
    all_patterns.sort();
    all_patterns.dedup();
    code.push_str("/// Each default pattern that parses, sorted, with its anchors: the literals its matches start with and end with (`None`: any) and its longest match (`None`: unbounded).\npub type Literals = Option<&'static [&'static [u8]]>;\n/// (pattern, start literals, end literals, longest match, syntax tree in `hir_code` form or empty).\npub type AnchorRow = (&'static str, Literals, Literals, Option<usize>, &'static [u8]);\npub static DEFAULT_PATTERN_ANCHORS: &[AnchorRow] = &[\n");
    let list = |lits: Option<Vec<Vec<u8>>>| match lits {
        Some(lits) => {
            let items: Vec<String> = lits
                .iter()
                .map(|l| format!("b{:?}", bytes_lit(l)))
                .collect();
            format!("Some(&[{}])", items.join(", "))
        }
        None => "None".into(),
    };
    // One table row per pattern the literal reader understands; the rest
    // are left to the regex engine at run time. The last column is the pattern's syntax
    // tree in byte form (empty when it has none), saving its parse at run time; only
    // concept patterns need it, the context triggers being few and short.
    let rows = |code: &mut String,
                patterns: &[String],
                anchors: &dyn Fn(&str) -> literals::Anchors,
                with_trees: bool| {
        for p in patterns {
            let Ok(hir) = literals::read(p, true) else {
                continue;
            };
            let a = anchors(p);
            let tree = if with_trees {
                hir_code::encode(&hir).unwrap_or_default()
            } else {
                Vec::new()
            };
            writeln!(
                code,
                "    ({p:?}, {}, {}, {:?}, b{:?}),",
                list(a.starts),
                list(a.ends),
                a.max_len,
                bytes_lit(&tree)
            )
            .unwrap();
        }
        code.push_str("];\n");
    };
    rows(&mut code, &all_patterns, &|p| literals::anchors(p), true);
    all_triggers.sort();
    all_triggers.dedup();
    code.push_str("/// The same for each default context trigger regex, folded to lower case only.\npub static DEFAULT_TRIGGER_ANCHORS: &[AnchorRow] = &[\n");
    rows(
        &mut code,
        &all_triggers,
        &|p| literals::anchors_folded(p, |b| b.to_ascii_lowercase()),
        false,
    );
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("default_pack.rs");
    std::fs::write(out, code).unwrap();
}

/// A byte string as the inside of a Rust `b"..."` literal.
fn bytes_lit(b: &[u8]) -> BytesLit<'_> {
    BytesLit(b)
}

struct BytesLit<'a>(&'a [u8]);

impl std::fmt::Debug for BytesLit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"")?;
        for &b in self.0 {
            write!(f, "{}", std::ascii::escape_default(b))?;
        }
        f.write_str("\"")
    }
}
