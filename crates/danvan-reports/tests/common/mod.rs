//! Helpers of the document tests.
#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

/// Whether the tests that run external tools (pdftotext, LibreOffice) must run: with
/// DANVAN_TEST_DOCS=1 a missing tool is a failure, never a skip.
pub fn docs_tools_required() -> bool {
    std::env::var("DANVAN_TEST_DOCS").is_ok_and(|v| v == "1")
}

/// A fresh scratch folder under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = base.join(format!("danvan-docs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Runs a tool and returns its standard output; panics (fails the test) when it is missing or
/// fails.
pub fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} could not be run ({e}): install poppler-utils / libreoffice-writer-nogui"));
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The text of a PDF by pdftotext (raw order, UTF-8).
pub fn pdftotext(pdf: &[u8], dir: &std::path::Path, name: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pdf).expect("write pdf");
    run("pdftotext", &["-enc", "UTF-8", path.to_str().expect("path"), "-"])
}

/// One part of a zip file (DOCX, XLSX) as a string.
pub fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut f = z.by_name(name).unwrap_or_else(|_| panic!("{name} in the zip"));
    let mut s = String::new();
    f.read_to_string(&mut s).expect("utf-8 part");
    s
}

/// Text with its runs of whitespace made single spaces (pdftotext breaks lines where we wrap).
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
