//! Embeds the default rule pack (every YAML file under `rules/`) into the binary.

use std::fmt::Write as _;
use std::path::Path;

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

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let rules = Path::new(&root).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    let mut code = String::from("/// The default rule pack: (path relative to the crate, contents).\npub static DEFAULT_PACK: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&format!("{}/", root.replace('\\', "/")))
            .unwrap_or(f);
        writeln!(code, "    ({rel:?}, include_str!({f:?})),").unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("default_pack.rs");
    std::fs::write(out, code).unwrap();
}
