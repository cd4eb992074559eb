//! The shape the code must keep, checked over the sources: every permission decision goes through
//! `authorize()` (crates/danvan-domain/src/authz.rs); nothing else compares roles.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// What a role comparison looks like: `== Role::Leader`, `m.role == …`, `matches!(…Role::…)`, a
/// role's name in quotes (`"leader"` in Rust, `'leader'` in SQL).
fn role_comparison(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    let names = ["admin", "leader", "officer", "front", "viewer"];
    code.contains("== Role::")
        || code.contains("!= Role::")
        || (code.contains("matches!(") && code.contains("Role::"))
        || code.contains(".role ==")
        || code.contains(".role !=")
        || names.iter().any(|n| code.contains(&format!("\"{n}\"")) || code.contains(&format!("'{n}'")))
}

#[test]
fn no_role_comparison_outside_authorize() {
    let root = workspace();
    let mut files = vec![];
    for krate in ["danvan-domain", "danvan-store", "danvan-app", "danvan-web", "danvan-reports"] {
        rust_files(&root.join("crates").join(krate).join("src"), &mut files);
    }
    assert!(files.len() > 20, "the sources were not found under {}", root.display());
    let mut found = vec![];
    for f in files {
        if f.ends_with("danvan-domain/src/authz.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            if role_comparison(line) {
                found.push(format!("{}:{}: {}", f.strip_prefix(&root).unwrap_or(&f).display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "role comparisons outside authorize():\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_a_role_comparison() {
    assert!(role_comparison(r#"    if m.role == "leader" {"#));
    assert!(role_comparison("    .any(|m| matches!(m.role, Role::Leader | Role::Officer))"));
    assert!(role_comparison("WHERE m.role = 'admin'"));
    assert!(!role_comparison("    caller.units_where(Action::ManageTemplates)"));
    assert!(!role_comparison("    // the leader signs"));
}
