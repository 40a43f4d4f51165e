//! Browser tests (wasm-pack test --headless --firefox): the exported API as JavaScript sees
//! it, with the shipped model and real test digits.
#![cfg(target_arch = "wasm32")]

mod common;

use autoencoder_playground::data::Split;
use autoencoder_playground::image::PIXELS;
use autoencoder_playground::web::{Autoencoder, MnistSubset, drawing_to_mnist};
use wasm_bindgen::{JsError, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn tuned() -> Autoencoder {
    Autoencoder::load(common::TUNED_MODEL).unwrap_or_else(|_| panic!("the shipped model loads"))
}

/// A thrown error as JavaScript sees it: must be an `Error` whose message mentions `expected`.
fn assert_js_error<T>(result: Result<T, JsError>, expected: &str) {
    let Err(error) = result else {
        panic!("bad input was accepted (expected an error mentioning {expected:?})");
    };
    let value = JsValue::from(error);
    let error: &js_sys::Error = wasm_bindgen::JsCast::dyn_ref(&value).expect("a JS Error");
    let message = String::from(error.message());
    assert!(
        message.contains(expected),
        "message {message:?} lacks {expected:?}"
    );
}

#[wasm_bindgen_test]
fn shipped_model_loads_with_its_latent_size() {
    assert_eq!(tuned().latent_size(), 32);
    assert_eq!(
        Autoencoder::load(common::COURSE_NOTE_MODEL)
            .ok()
            .unwrap()
            .latent_size(),
        32
    );
}

#[wasm_bindgen_test]
fn encode_and_decode_have_the_documented_shapes() {
    let model = tuned();
    let digit = common::dataset().image(0);
    let code = model.encode(&digit).ok().unwrap();
    assert_eq!(code.len(), 32);
    let image = model.decode(&code).ok().unwrap();
    assert_eq!(image.len(), PIXELS);
    assert!(image.iter().all(|v| (0.0..=1.0).contains(v)));
    assert_eq!(model.reconstruct(&digit).ok().unwrap(), image);
}

#[wasm_bindgen_test]
fn real_test_digits_reconstruct_closely() {
    let model = tuned();
    let dataset = common::dataset();
    let test = dataset.indices(Split::Test);
    for &index in test.iter().step_by(100) {
        let digit = dataset.image(index);
        let error = common::mse(&model.reconstruct(&digit).ok().unwrap(), &digit);
        assert!(
            error < 0.06,
            "test digit {index} (a {}): MSE {error}",
            dataset.label(index)
        );
    }
    let mean: f32 = test
        .iter()
        .map(|&i| dataset.image(i))
        .map(|d| common::mse(&model.reconstruct(&d).ok().unwrap(), &d))
        .sum::<f32>()
        / test.len() as f32;
    assert!(mean < 0.019, "mean test MSE {mean}");
}

#[wasm_bindgen_test]
fn bad_input_throws_an_error_and_the_instance_keeps_working() {
    let model = tuned();
    let digit = common::dataset().image(7);
    let expected = model.reconstruct(&digit).ok().unwrap();

    assert_js_error(model.encode(&[0.5; 100]), "expected exactly 784");
    assert_js_error(model.encode(&[]), "0 numbers");
    let mut with_nan = digit.clone();
    with_nan[300] = f32::NAN;
    assert_js_error(model.encode(&with_nan), "index 300");
    assert_js_error(model.reconstruct(&with_nan), "non-finite");
    let mut too_bright = digit.clone();
    too_bright[5] = 3.0;
    assert_js_error(model.reconstruct(&too_bright), "0…1");
    assert_js_error(model.decode(&[0.0; 31]), "exactly 32");
    assert_js_error(model.decode(&[f32::INFINITY; 32]), "non-finite");

    assert_eq!(model.reconstruct(&digit).ok().unwrap(), expected);
}

#[wasm_bindgen_test]
fn damaged_model_files_throw_clear_errors() {
    let good = common::TUNED_MODEL;
    assert_js_error(Autoencoder::load(&[]), "empty");
    assert_js_error(Autoencoder::load(&good[..1000]), "truncated");
    assert_js_error(Autoencoder::load(&good[..good.len() - 1]), "truncated");
    assert_js_error(
        Autoencoder::load(b"GIF89a not a model at all, just some bytes"),
        "magic",
    );
    let mut corrupt = good.to_vec();
    corrupt[good.len() / 2] ^= 0xff;
    assert_js_error(Autoencoder::load(&corrupt), "checksum");
    // The module is still usable after all those rejections.
    assert_eq!(tuned().latent_size(), 32);
}

#[wasm_bindgen_test]
fn data_file_is_validated_and_gives_test_digits() {
    let subset = MnistSubset::load(common::DATA_FILE).ok().unwrap();
    assert_eq!(subset.length(), 10_000);
    assert_eq!(subset.test_indices().len(), 1_996);
    assert_js_error(MnistSubset::load(&common::DATA_FILE[..5000]), "truncated");
    assert_js_error(subset.image(10_000), "does not exist");
}

#[wasm_bindgen_test]
fn drawings_convert_to_centred_digits_or_nothing() {
    let (width, height) = (100, 60);
    let mut rgba = vec![0u8; width * height * 4];
    assert!(
        drawing_to_mnist(&rgba, width, height)
            .ok()
            .unwrap()
            .is_none()
    );
    // A filled 6×10 block in a corner: lands centred, 20 px tall.
    for y in 2..12 {
        for x in 3..9 {
            rgba[(y * width + x) * 4 + 3] = 255;
        }
    }
    let pixels = drawing_to_mnist(&rgba, width, height)
        .ok()
        .unwrap()
        .unwrap();
    assert_eq!(pixels.len(), PIXELS);
    assert_eq!(pixels[14 * 28 + 14], 1.0);
    assert_eq!(pixels[2 * 28 + 14], 0.0);
    assert_js_error(drawing_to_mnist(&rgba[..100], width, height), "ink values");
}
