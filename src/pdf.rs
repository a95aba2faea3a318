//! Text out of PDF files, with a pure-Rust extractor so no external program is needed.
//! The extracted text is what gets parsed; positions in findings refer to it.

use crate::letter::ParseProblem;
use crate::span::Span;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while the extractor runs on this thread: its panics are expected and reported
    /// as a finding, so the panic message is not printed.
    static EXPECTED_PANIC: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, catching its panic silently; other threads' panics print as usual.
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !EXPECTED_PANIC.with(Cell::get) {
                previous(info);
            }
        }));
    });
    EXPECTED_PANIC.with(|q| q.set(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    EXPECTED_PANIC.with(|q| q.set(false));
    r
}

fn problem(code: &str, message: String) -> ParseProblem {
    ParseProblem {
        code: code.into(),
        message,
        span: Span::new(0, 0),
        item: None,
    }
}

/// Whether bytes are a PDF, whatever the file is called.
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    memchr::memmem::find(head, b"%PDF-").is_some()
}

/// Extracts the text of every page, pages separated by form feeds (so page-edge running
/// headers are recognised and line numbers count pages' lines in order).
pub fn extract_text(bytes: &[u8]) -> Result<String, ParseProblem> {
    // The extractor panics on some malformed files; a bad PDF must not end the batch.
    // Two extractors: pdf-extract lays text out by position, but loses lines on some
    // producers (Ghostscript output, for one); lopdf's reader follows the text operators.
    // The one that recovers more text wins.
    // pdf-extract looks up inherited page attributes by following Parent references
    // without noticing a loop, and would never return on a page tree that has one.
    // lopdf's reading of the file serves the loop check, its own extractor and the
    // encryption check (pdf-extract reads the bytes again itself).
    let doc = quietly(|| pdf_extract::Document::load_mem(bytes).ok())
        .ok()
        .flatten();
    let loops = doc
        .as_ref()
        .is_some_and(|d| quietly(|| page_tree_loops(d)).unwrap_or(false));
    let simple = doc
        .as_ref()
        .and_then(|d| quietly(|| operator_text(d)).ok().flatten());
    if loops {
        return match simple {
            Some(pages) if visible(&pages) > 0 => Ok(pages.join("\x0c")),
            _ => Err(problem(
                "format/pdf-unreadable",
                "the PDF could not be read: its page tree loops (a page is listed as its own ancestor), so the file is corrupt".into(),
            )),
        };
    }
    let pages = quietly(|| pdf_extract::extract_text_from_mem_by_pages(bytes));
    let pages = match (pages, simple) {
        (Ok(Ok(a)), Some(b)) if visible(&b) > visible(&a) => Ok(Ok(b)),
        (Err(_) | Ok(Err(_)), Some(b)) if visible(&b) > 0 => Ok(Ok(b)),
        (p, _) => p,
    };
    let pages = match pages {
        Err(_) => {
            return Err(problem(
                "format/pdf-unreadable",
                "the PDF could not be read: the text extractor failed on it (the file may be corrupt or truncated)".into(),
            ))
        }
        Ok(Err(e)) => {
            return Err(if doc.as_ref().is_some_and(|d| d.is_encrypted()) {
                problem(
                    "format/pdf-encrypted",
                    "the PDF is encrypted and has a password; save an unencrypted copy and check that".into(),
                )
            } else {
                problem(
                    "format/pdf-unreadable",
                    format!("the PDF could not be read (the file may be corrupt): {e}"),
                )
            })
        }
        Ok(Ok(pages)) => pages,
    };
    let text = pages.join("\x0c");
    if text.chars().all(|c| c.is_whitespace()) {
        return Err(problem(
            "format/pdf-no-text",
            format!(
                "the PDF has no text layer ({} page(s) of images only, as a scan has); run OCR first",
                pages.len()
            ),
        ));
    }
    Ok(text)
}

/// Whether a page's chain of Parent references comes back to a page or node already on it.
fn page_tree_loops(doc: &pdf_extract::Document) -> bool {
    doc.get_pages().values().any(|&page| {
        let mut seen = std::collections::HashSet::new();
        let mut id = page;
        while seen.insert(id) {
            let parent = doc
                .get_dictionary(id)
                .and_then(|d| d.get(b"Parent"))
                .and_then(|p| p.as_reference());
            match parent {
                Ok(p) => id = p,
                Err(_) => return false,
            }
        }
        true
    })
}

/// Characters other than white space, over all pages.
fn visible(pages: &[String]) -> usize {
    pages
        .iter()
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

/// The text of each page as lopdf reads its text operators.
fn operator_text(doc: &pdf_extract::Document) -> Option<Vec<String>> {
    if doc.is_encrypted() {
        return None;
    }
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    numbers
        .iter()
        .map(|n| doc.extract_text(&[*n]).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_known_by_its_header_in_the_first_kilobyte() {
        assert!(is_pdf(b"%PDF-1.7\n%\xe2\xe3"));
        // Some producers put bytes before the header.
        assert!(is_pdf(&[b"\r\n junk ".as_slice(), b"%PDF-1.4"].concat()));
        assert!(!is_pdf(b"Letter text that mentions %PDF but no header."));
        let late = [vec![b' '; 1024], b"%PDF-1.4".to_vec()].concat();
        assert!(!is_pdf(&late));
    }

    /// Found by fuzzing: a page that is its own parent kept pdf-extract looking for an
    /// inherited attribute forever. Now the file is a located error and the batch goes on.
    #[test]
    fn a_page_tree_that_loops_is_read_without_hanging() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/pdf/201-c-mri-upheld-after-rationale.pdf"
        );
        let mut doc = pdf_extract::Document::load(path).unwrap();
        let first = *doc.get_pages().values().next().unwrap();
        assert!(!page_tree_loops(&doc));
        // The page's own attributes move to its parent, so looking them up must climb.
        doc.get_dictionary_mut(first)
            .unwrap()
            .set("Parent", pdf_extract::Object::Reference(first));
        doc.get_dictionary_mut(first).unwrap().remove(b"MediaBox");
        assert!(page_tree_loops(&doc));
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || send.send(extract_text(&bytes)));
        let e = receive
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("extraction returns")
            .expect_err("neither extractor reads a page tree that loops");
        assert_eq!(e.code, "format/pdf-unreadable");
        assert!(e.message.contains("page tree loops"), "{}", e.message);
    }

    #[test]
    fn corrupt_and_truncated_pdfs_are_findings_not_panics() {
        for bytes in [
            &b"%PDF-1.4\n garbage"[..],
            b"%PDF-",
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >>",
        ] {
            let e = extract_text(bytes).unwrap_err();
            assert!(e.code.starts_with("format/pdf-"), "{}", e.code);
        }
    }
}
