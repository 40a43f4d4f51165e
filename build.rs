//! For the browser tests (tests/web.rs, which have no filesystem): the shipped model files by
//! their manifest role, compiled in. Writes `OUT_DIR/shipped_models.rs` with one constant per
//! role of www/models/manifest.json (`DRAWING_MODEL`, `CLASSIFIER_MODEL`, …, each the
//! `include_bytes!` of the file the role's model names) and `PCA_BASELINE`. Only
//! tests/common includes it; native tests read the files the manifest names at run time.

use std::collections::HashMap;
use std::path::Path;

const MANIFEST: &str = "www/models/manifest.json";

fn main() {
    println!("cargo:rerun-if-changed={MANIFEST}");
    println!("cargo:rerun-if-changed=build.rs");
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let models = Path::new(&root).join(MANIFEST);
    let models = models.parent().expect("the manifest is in a folder");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("shipped_models.rs");
    let code = match std::fs::read_to_string(Path::new(&root).join(MANIFEST)) {
        Ok(json) => constants(&json, models),
        // A checkout without the models builds; only the browser tests need them.
        Err(_) => String::new(),
    };
    std::fs::write(&out, code).expect("OUT_DIR is writable");
}

/// The Rust source of the constants for the manifest `json`, whose files are in `models`.
fn constants(json: &str, models: &Path) -> String {
    let manifest: serde_json::Value = serde_json::from_str(json).expect("the manifest parses");
    // A role names an autoencoder, or (the `classifier` role) one of the shipped classifiers.
    let files: HashMap<&str, &str> = manifest["models"]
        .as_array()
        .into_iter()
        .chain(manifest["classifiers"].as_array())
        .flatten()
        .filter_map(|m| Some((m["id"].as_str()?, m["file"].as_str()?)))
        .collect();
    let constant = |name: String, file: &str| {
        let path = models.join(file);
        format!(
            "pub const {name}: &[u8] = include_bytes!({:?});\n",
            path.display().to_string()
        )
    };
    let mut code = String::new();
    for (role, id) in manifest["roles"].as_object().into_iter().flatten() {
        let file = id.as_str().and_then(|id| files.get(id)).unwrap_or_else(|| {
            panic!("{MANIFEST}: the role {role} names a model that is not listed")
        });
        code += &constant(format!("{}_MODEL", screaming_snake_case(role)), file);
    }
    if let Some(file) = manifest["pcaBaseline"]["file"].as_str() {
        code += &constant("PCA_BASELINE".into(), file);
    }
    code
}

/// `convBaseline` → `CONV_BASELINE`.
fn screaming_snake_case(camel: &str) -> String {
    let mut name = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            name.push('_');
        }
        name.push(c.to_ascii_uppercase());
    }
    name
}
