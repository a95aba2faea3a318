//! JSON Lines and concise output to stdout are written file by file (flat memory); they
//! must be byte-identical to the collected run (as written with `--output`). A batch
//! keeps the memory it frees for the letters after.

mod common;

use common::{imrlint, root};

#[test]
fn streamed_output_equals_collected_output() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["jsonl", "concise"] {
        let streamed = imrlint()
            .current_dir(root())
            .args(["check", "--no-config", "--format", format, "fixtures"])
            .output()
            .unwrap();
        let file = tmp.path().join(format!("out.{format}"));
        let collected = imrlint()
            .current_dir(root())
            .args([
                "check",
                "--no-config",
                "--format",
                format,
                "--quiet",
                "--output",
            ])
            .arg(&file)
            .arg("fixtures")
            .output()
            .unwrap();
        assert_eq!(streamed.status.code(), collected.status.code());
        let mut written = std::fs::read(&file).unwrap();
        if format == "concise" {
            // `--quiet` drops the summary line from the file; the streamed run prints it.
            let text = String::from_utf8(streamed.stdout.clone()).unwrap();
            let last = text.lines().last().unwrap();
            assert!(last.starts_with("imrlint: checked"), "{last}");
            written.extend_from_slice(format!("{last}\n").as_bytes());
        }
        assert_eq!(
            String::from_utf8_lossy(&streamed.stdout),
            String::from_utf8_lossy(&written),
            "{format}"
        );
    }
}

/// A batch keeps the memory it frees for the next letters: mimalloc's statistics show no
/// purge. With purging asked for at once (the environment overrides imrlint), the same
/// batch purges, so the count tells the two apart.
#[test]
fn a_batch_keeps_the_memory_it_frees() {
    let purges = |extra: &[(&str, &str)]| -> u64 {
        let mut cmd = imrlint();
        cmd.current_dir(root())
            .env("MIMALLOC_SHOW_STATS", "1")
            .env_remove("MIMALLOC_PURGE_DELAY")
            .args(["check", "--no-config", "--format", "jsonl", "fixtures"]);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let stats = String::from_utf8_lossy(&out.stderr);
        let line = stats
            .lines()
            .find(|l| l.trim_start().starts_with("purges:"))
            .unwrap_or_else(|| panic!("no purge count in mimalloc's statistics:\n{stats}"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    assert_eq!(purges(&[]), 0);
    assert!(purges(&[("MIMALLOC_PURGE_DELAY", "0")]) > 0);
}
