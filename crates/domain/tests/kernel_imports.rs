//! The kernel builds on nothing aggregate-specific (issue 14, docs/decisions/0501): every path a
//! kernel source names inside the crate stays inside the kernel.

use std::path::Path;

#[test]
fn the_kernel_imports_nothing_from_an_aggregate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/kernel");
    let mut outside = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        for (n, line) in source.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                if !rest.starts_with("kernel::") {
                    outside.push(format!("{}:{}: {line}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(
        outside.is_empty(),
        "kernel paths outside the kernel: {outside:#?}"
    );
}

/// Camera control decides on the facts it is given (`camera_control::facts`), never on the
/// announcement or a method module (issue 14, docs/decisions/0504).
#[test]
fn camera_control_imports_neither_the_announcement_nor_a_method() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/camera_control");
    let mut sources = vec![dir];
    let mut outside = Vec::new();
    while let Some(path) = sources.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                sources.push(entry.unwrap().path());
            }
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for (n, line) in source.lines().enumerate() {
            if line.contains("crate::announcement") || line.contains("crate::method") {
                outside.push(format!("{}:{}: {line}", path.display(), n + 1));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "camera control naming the announcement or a method: {outside:#?}"
    );
}
