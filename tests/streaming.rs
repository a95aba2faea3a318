//! JSON Lines and concise output to stdout are written file by file (flat memory); they
//! must be byte-identical to the collected run (as written with `--output`).

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
