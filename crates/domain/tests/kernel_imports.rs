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
