//! The shape the code must keep, checked over the sources: every permission decision goes through
//! `authorize()` (crates/danvan-domain/src/authz/); nothing else compares roles.

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
    let names = ["admin", "leader", "officer", "front", "viewer", "emulation_officer", "oversight"];
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
        if f.parent().is_some_and(|d| d.ends_with("danvan-domain/src/authz")) {
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

/// The double-quoted literals of a line of Rust or of a template (escapes are not needed here:
/// catalogue keys never contain quotes).
fn literals(line: &str) -> Vec<&str> {
    line.split('"').skip(1).step_by(2).collect()
}

/// A catalogue key: lower-case words joined by dots (`case.kind.feedback`), not a file name.
fn looks_like_key(s: &str) -> bool {
    const FILES: [&str; 16] =
        ["css", "js", "json", "xml", "db", "pdf", "png", "jpg", "jpeg", "csv", "xlsx", "docx", "html", "txt", "toml", "geojson"];
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        && parts[0].chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && !FILES.contains(parts.last().unwrap())
}

/// The namespaces of the catalogue's keys: `notice.`, `case.`, `case.kind.`, …
fn key_namespaces() -> std::collections::HashSet<String> {
    let text = std::fs::read_to_string(workspace().join("crates/danvan-web/locales/vi.txt")).unwrap();
    let mut out = std::collections::HashSet::new();
    for key in text.lines().filter_map(|l| l.split_once(" = ")).map(|(k, _)| k.trim()) {
        for (i, _) in key.match_indices('.') {
            out.insert(key[..=i].to_string());
        }
    }
    out
}

/// A key built at run time: `format!("case.kind.{}", …)` or `format!("notice.{}", …)` — a
/// literal prefix that is a namespace of the catalogue's keys (or looks like a dotted key), then a
/// value.
fn builds_a_key(line: &str, namespaces: &std::collections::HashSet<String>) -> bool {
    line.split("format!(\"").skip(1).any(|rest| {
        let lit = rest.split('"').next().unwrap_or("");
        match lit.split_once('{') {
            Some((prefix, _)) => {
                prefix.ends_with('.') && (namespaces.contains(prefix) || looks_like_key(prefix.trim_end_matches('.')))
            }
            None => false,
        }
    })
}

fn sources_and_templates() -> Vec<PathBuf> {
    let root = workspace();
    let mut files = vec![];
    // The store shows nothing to users: its dotted literals are SQL and audit action names.
    for krate in ["danvan-domain", "danvan-app", "danvan-web"] {
        rust_files(&root.join("crates").join(krate).join("src"), &mut files);
    }
    let templates = root.join("crates/danvan-web/templates");
    let mut stack = vec![templates];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn message_keys_are_written_out_and_every_one_is_in_both_catalogues() {
    use danvan_web::i18n::{has_key, Lang};
    let root = workspace();
    let (mut built, mut missing) = (vec![], vec![]);
    let namespaces = key_namespaces();
    for f in sources_and_templates() {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.strip_prefix(&root).unwrap_or(&f).display().to_string();
        let mut in_tests = false;
        let mut previous = "";
        for (n, line) in text.lines().enumerate() {
            // An audit entry's action name (`session.login`) follows the audit context or the caller.
            let audit_action = line.contains("record_event(")
                || line.contains(".audit(), \"")
                || matches!(previous.trim(), "&ctx.audit()," | "&ctx.caller,");
            previous = line;
            // Unit tests name keys that must not exist ("no.such.key").
            in_tests |= line.trim_start().starts_with("#[cfg(test)]");
            if in_tests || line.trim_start().starts_with("//") {
                continue;
            }
            if builds_a_key(line, &namespaces) {
                built.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
            for lit in literals(line).into_iter().filter(|l| looks_like_key(l) && !audit_action) {
                if !has_key(Lang::Vi, lit) || !has_key(Lang::En, lit) {
                    missing.push(format!("{name}:{}: {lit}", n + 1));
                }
            }
        }
    }
    assert!(built.is_empty(), "message keys built at run time (write each key out):\n{}", built.join("\n"));
    assert!(missing.is_empty(), "keys missing from a catalogue (vi.txt, en.txt):\n{}", missing.join("\n"));
}

#[test]
fn the_key_checks_see_what_they_look_for() {
    let ns = key_namespaces();
    assert!(ns.contains("notice.") && ns.contains("case.kind."));
    assert!(builds_a_key(r#"{{ p.t(format!("notice.{}", n.kind).as_str()) }}"#, &ns));
    assert!(!builds_a_key(r#"format!("{k}.{f}")"#, &ns));
    assert!(!builds_a_key(r#"let field = format!("attributes.{}", i + 1);"#, &ns));
    assert!(builds_a_key(r#"ctx.t(&format!("case.kind.{}", k.as_str()))"#, &ns));
    assert!(!builds_a_key(r#"get(&format!("{k}.{name}"))"#, &ns));
    assert!(looks_like_key("case.error.assignee"));
    assert!(!looks_like_key("danvan.css") && !looks_like_key("Phường Cửa Nam") && !looks_like_key("1.5"));
}

/// `a/{b,c}.rs` → `a/b.rs`, `a/c.rs`.
fn expand(path: &str) -> Vec<String> {
    match (path.find('{'), path.find('}')) {
        (Some(i), Some(j)) if i < j => path[i + 1..j]
            .split(',')
            .flat_map(|part| expand(&format!("{}{}{}", &path[..i], part.trim(), &path[j + 1..])))
            .collect(),
        _ => vec![path.to_string()],
    }
}

#[test]
fn every_file_architecture_md_names_exists() {
    let root = workspace();
    let doc = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).unwrap();
    let mut missing = vec![];
    let mut checked = 0;
    for token in doc.split('`').skip(1).step_by(2) {
        // Paths with a directory: `danvan-web/src/cases/form.rs`, `crates/…`, `tests/it/{a,b}.rs`.
        // A leading slash is a URL (`/open311/`), not a file.
        if !token.contains('/')
            || token.starts_with('/')
            || token.contains(' ')
            || token.contains("://")
            || token.contains('…')
            || token.contains('<')
        {
            continue;
        }
        if !(token.ends_with(".rs") || token.ends_with(".html") || token.ends_with(".md")) {
            continue;
        }
        for path in expand(token) {
            checked += 1;
            // Relative to the repository, `crates/`, `docs/`, or a crate (its root, `src/` or `tests/it/`), as the
            // document's tables name them.
            let mut candidates = vec![root.join(&path), root.join("crates").join(&path), root.join("docs").join(&path)];
            for krate in std::fs::read_dir(root.join("crates")).unwrap() {
                let krate = krate.unwrap().path();
                candidates.push(krate.join(&path));
                candidates.push(krate.join("src").join(&path));
                candidates.push(krate.join("tests/it").join(&path));
            }
            if !candidates.iter().any(|c| c.exists()) {
                missing.push(path);
            }
        }
    }
    assert!(checked > 20, "only {checked} paths found in ARCHITECTURE.md");
    assert!(missing.is_empty(), "ARCHITECTURE.md names files that do not exist:\n{}", missing.join("\n"));
}

/// danvan-web reads and writes only through danvan-app: it does not depend on danvan-store, and
/// no source of it names the store crate.
#[test]
fn web_does_not_use_the_store() {
    let root = workspace();
    let web = root.join("crates/danvan-web");
    let manifest = std::fs::read_to_string(web.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("danvan-store"), "crates/danvan-web/Cargo.toml names danvan-store");
    let mut files = vec![];
    rust_files(&web.join("src"), &mut files);
    assert!(files.len() > 10, "the sources were not found under {}", web.display());
    let found: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("danvan_store"))
        .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
        .collect();
    assert!(found.is_empty(), "danvan-web sources naming danvan_store:\n{}", found.join("\n"));
}

/// Sibling areas of danvan-web (org, cases, settings, calendar, open311) do not import each
/// other's modules: what they share sits at the web root or in danvan-app.
#[test]
fn web_areas_do_not_import_each_other() {
    const AREAS: [&str; 5] = ["org", "cases", "settings", "calendar", "open311"];
    let root = workspace();
    let mut found = vec![];
    for area in AREAS {
        let mut files = vec![];
        rust_files(&root.join("crates/danvan-web/src").join(area), &mut files);
        assert!(!files.is_empty(), "no sources under crates/danvan-web/src/{area}");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                let sibling = AREAS.iter().filter(|&&a| a != area).any(|a| {
                    code.contains(&format!("crate::{a}::"))
                        || code.contains(&format!("crate::{a}}}"))
                        || code.contains(&format!("crate::{a};"))
                });
                if sibling || code.contains("super::super") {
                    found.push(format!("{}:{}: {}", f.strip_prefix(&root).unwrap_or(&f).display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "imports between sibling areas of danvan-web:\n{}", found.join("\n"));
}

/// Files stay small enough to read in one sitting: no Rust source or template over 600 lines.
#[test]
fn no_source_file_is_over_600_lines() {
    const MAX: usize = 600;
    let root = workspace();
    let mut files = vec![];
    rust_files(&root.join("crates"), &mut files);
    files.extend(sources_and_templates().into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")));
    assert!(files.len() > 100, "the walk found the sources");
    let long: Vec<String> = files
        .iter()
        .filter(|f| !f.components().any(|c| c.as_os_str() == "target"))
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > MAX).then(|| format!("{}: {n} lines", f.strip_prefix(&root).unwrap_or(f).display()))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX} lines (split them by concept):\n{}", long.join("\n"));
}
