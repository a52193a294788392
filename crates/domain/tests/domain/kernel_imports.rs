//! The kernel builds on nothing aggregate-specific (issue 14, docs/decisions/0501): every path a
//! kernel source names inside the crate stays inside the kernel. The procedure components and
//! camera control build on the kernel and on each other, never on the announcement or a method
//! module (docs/decisions/0502): those build on them.

use std::path::{Path, PathBuf};

/// Every Rust source under `src/<dir>`, however deep.
fn sources(dir: &str) -> Vec<PathBuf> {
    let mut pending = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)];
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// Each `crate::…` path in the sources under `dir` that `allowed` refuses, with its place.
fn crate_paths_outside(dir: &str, allowed: impl Fn(&str) -> bool) -> Vec<String> {
    let mut outside = Vec::new();
    for path in sources(dir) {
        let source = std::fs::read_to_string(&path).unwrap();
        for (n, line) in source.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                if !allowed(rest) {
                    outside.push(format!("{}:{}: {line}", path.display(), n + 1));
                }
            }
        }
    }
    outside
}

#[test]
fn the_kernel_imports_nothing_from_an_aggregate() {
    let outside = crate_paths_outside("kernel", |path| path.starts_with("kernel::"));
    assert!(
        outside.is_empty(),
        "kernel paths outside the kernel: {outside:#?}"
    );
}

#[test]
fn components_import_neither_the_announcement_nor_a_method() {
    for dir in ["procedure", "camera_control"] {
        let outside = crate_paths_outside(dir, |path| {
            !path.starts_with("announcement") && !path.starts_with("method")
        });
        assert!(
            outside.is_empty(),
            "{dir} imports the announcement or a method: {outside:#?}"
        );
    }
}
