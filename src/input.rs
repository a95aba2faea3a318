//! Which files a run reads: explicit files always, directories walked for letters.

use std::path::{Path, PathBuf};

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to evaluate, in path order.
    pub files: Vec<PathBuf>,
    /// Files passed over, with the reason ("hidden", "not a letter file").
    pub skipped: Vec<(PathBuf, &'static str)>,
    /// Paths that could not be read at all (missing, permission denied, link loops).
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Extensions read when walking a directory: letters as text or PDF, structured cases.
pub const LETTER_EXTENSIONS: &[&str] = &["txt", "pdf", "yaml", "yml", "json"];

/// Expected-findings files sit beside fixture letters; they are not cases.
fn is_expected_file(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".expected.yaml") || n.ends_with(".expected.yml"))
}

/// A structured case names its `layout` and its `items` near the top.
fn looks_like_case(p: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(8192);
    let read = std::fs::File::open(p).and_then(|f| f.take(8192).read_to_end(&mut head));
    if read.is_err() {
        return true; // let the reader report the problem
    }
    let text = String::from_utf8_lossy(&head);
    let has = |key: &str| {
        text.contains(&format!("\"{key}\""))
            || text.lines().any(|l| l.starts_with(&format!("{key}:")))
    };
    has("layout") && (has("items") || head.len() == 8192)
}

fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

/// Walks the given paths. Explicitly named files are always read, whatever their name.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    discover_filtered(paths, &|_| None)
}

/// Why a letter file found while walking is passed over (`None`: read it).
pub type SkipFilter<'a> = &'a (dyn Fn(&Path) -> Option<&'static str> + Sync);

/// Like [`discover`], with a filter (the configuration's include and exclude globs)
/// applied to the letter files found by walking directories; explicitly named files are
/// still always read.
pub fn discover_filtered(paths: &[PathBuf], filter: SkipFilter) -> Discovery {
    let mut d = Discovery::default();
    for root in paths {
        match std::fs::metadata(root) {
            Err(e) => d.unreadable.push((root.clone(), e.to_string())),
            Ok(m) if m.is_file() => d.files.push(root.clone()),
            Ok(m) if m.is_dir() => walk(root, &mut d, filter),
            // FIFOs, sockets and devices could block a read forever.
            Ok(_) => d.skipped.push((root.clone(), "not a regular file")),
        }
    }
    d.files.sort();
    d.files.dedup();
    d.skipped.sort();
    d.unreadable.sort();
    d
}

/// Something discovery found, in walk order.
pub enum Found {
    File(PathBuf),
    Skipped(PathBuf, &'static str),
    Unreadable(PathBuf, String),
}

fn walk(root: &Path, d: &mut Discovery, filter: SkipFilter) {
    walk_visit(root, filter, &mut |f| match f {
        Found::File(p) => d.files.push(p),
        Found::Skipped(p, why) => d.skipped.push((p, why)),
        Found::Unreadable(p, why) => d.unreadable.push((p, why)),
    });
}

/// Walks one directory, reporting each entry as it is found, in walkdir's order (each
/// directory's entries sorted by name, depth first): the same order as sorted paths, so
/// a caller can stream without collecting every path first.
pub fn walk_visit(root: &Path, filter: SkipFilter, visit: &mut dyn FnMut(Found)) {
    let mut it = walkdir::WalkDir::new(root)
        .follow_links(false)
        // By name. Siblings' paths are their folder's path joined with their names, so
        // whole paths compare as the names do, without splitting a path at every comparison
        // (`sort_by_file_name` does, at about 250 instructions a comparison).
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                visit(Found::Unreadable(
                    p,
                    e.io_error()
                        .map(|io| io.to_string())
                        .unwrap_or_else(|| e.to_string()),
                ));
                continue;
            }
        };
        let p = entry.path();
        if entry.depth() > 0 && is_hidden(p) {
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            visit(Found::Skipped(p.to_path_buf(), "hidden"));
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        if is_expected_file(p) {
            visit(Found::Skipped(p.to_path_buf(), "expected-findings file"));
            continue;
        }
        // Folders hold other YAML and JSON too (rule packs, imrlint.yaml, baselines); while
        // walking, only files that look like a structured case are read as one.
        let structured = matches!(ext.as_deref(), Some("yaml" | "yml" | "json"));
        if structured && entry.file_type().is_file() && !looks_like_case(p) {
            visit(Found::Skipped(p.to_path_buf(), "not a structured case"));
            continue;
        }
        let is_letter = ext
            .as_deref()
            .is_some_and(|e| LETTER_EXTENSIONS.contains(&e));
        if is_letter {
            if let Some(why) = filter(p) {
                visit(Found::Skipped(p.to_path_buf(), why));
                continue;
            }
        }
        if entry.file_type().is_symlink() {
            // Links are followed only when they point at a file; a link to a directory
            // could loop.
            match std::fs::metadata(p) {
                Ok(m) if m.is_file() && is_letter => visit(Found::File(p.to_path_buf())),
                Ok(_) => visit(Found::Skipped(p.to_path_buf(), "symbolic link")),
                Err(e) => visit(Found::Unreadable(p.to_path_buf(), e.to_string())),
            }
        } else if !entry.file_type().is_file() {
            visit(Found::Skipped(p.to_path_buf(), "not a regular file"));
        } else if is_letter {
            visit(Found::File(p.to_path_buf()));
        } else {
            visit(Found::Skipped(p.to_path_buf(), "not a letter file"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A walk visits letters in the order of their sorted paths, names that share a
    /// prefix with a folder or with each other included, so a batch can stream.
    #[test]
    fn a_walk_visits_files_in_sorted_path_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "a.txt", "a-b.txt", "a b.txt", "B.txt", "a/z.txt", "a/c.txt", "ab/a.txt",
        ] {
            let p = root.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "text").unwrap();
        }
        let mut walked = Vec::new();
        walk_visit(root, &|_| None, &mut |f| {
            if let Found::File(p) = f {
                walked.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        });
        let mut sorted = walked.clone();
        sorted.sort();
        assert_eq!(walked, sorted);
        let names: Vec<String> = walked.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            names,
            ["B.txt", "a/c.txt", "a/z.txt", "a b.txt", "a-b.txt", "a.txt", "ab/a.txt"]
        );
    }
}
