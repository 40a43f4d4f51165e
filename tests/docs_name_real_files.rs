//! The README and Cargo.toml name files of this repository (`src/…`, `pkg-scripts/…`, `www/…`,
//! `tests/…`): each must exist, so that a rename or a removal cannot leave the docs pointing at
//! nothing. Built and downloaded files (`www/pkg/`, `www/data/`) are made by the scripts and
//! exempt.
// Native only: it reads the repository's files.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

/// Folders at the top of the repository whose files the docs name.
const TOP_FOLDERS: [&str; 6] = ["src/", "www/", "tests/", "pkg-scripts/", ".ci/", ".cargo/"];
/// Made by the build (`pkg-scripts/build.sh`) and the data script, not kept in git.
const BUILT: [&str; 2] = ["www/pkg", "www/data"];

/// Every repository path named in `text`: a top folder, then path characters.
fn named_paths(text: &str) -> Vec<String> {
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || "_-./".contains(c);
    let mut paths = Vec::new();
    for (start, _) in text.char_indices() {
        let rest = &text[start..];
        let preceded_by_path = text[..start].chars().next_back().is_some_and(is_path_char);
        if preceded_by_path || !TOP_FOLDERS.iter().any(|folder| rest.starts_with(folder)) {
            continue;
        }
        let end = rest.find(|c: char| !is_path_char(c)).unwrap_or(rest.len());
        let path = rest[..end].trim_end_matches(['.', ',']);
        if !BUILT.iter().any(|built| path.starts_with(built)) {
            paths.push(path.to_string());
        }
    }
    paths
}

#[test]
fn every_file_the_docs_name_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    for doc in ["README.md", "Cargo.toml", "BENCHMARKS.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        for path in named_paths(&text) {
            if !root.join(&path).exists() {
                missing.push(format!("{doc}: {path}"));
            }
        }
    }
    assert!(missing.is_empty(), "named but missing: {missing:#?}");
}

#[test]
fn paths_are_found_in_prose_and_built_files_are_exempt() {
    let text = "see `src/web/mod.rs`, pkg-scripts/build.sh. Not www/pkg/x.js nor mysrc/a.rs";
    assert_eq!(
        named_paths(text),
        ["src/web/mod.rs", "pkg-scripts/build.sh"]
    );
}
