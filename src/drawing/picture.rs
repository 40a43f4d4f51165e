//! A picture from an image file (a PNG, JPEG or WebP the page has decoded to RGBA pixels) as
//! the ink of a drawing, so that it reaches the model through the very conversion a drawing
//! takes ([`super::to_mnist`]: stroke width, crop, scale, centre).
//!
//! A picture has paper of some colour and ink of another, not ink in an alpha channel: the
//! paper's shade is read from the picture's border (a shape is drawn inside its frame), and
//! ink is how far a pixel's shade is from it, either way, so white chalk on a blackboard is
//! ink as much as a pen on paper. Transparent pixels are paper: a picture is laid on white.

use super::{InkImage, to_mnist};
use crate::util::error::{Error, Result};

/// Largest image file the page reads: a photo straight from a phone is a few megabytes; far
/// beyond that the decoding alone would stall the page.
pub const MAX_PICTURE_FILE_BYTES: usize = 20 << 20;
/// Largest picture converted, in pixels (a 40-megapixel photo): the conversion shrinks it to a
/// few hundred pixels a side first, but its RGBA copy has to cross into wasm memory whole.
pub const MAX_PICTURE_PIXELS: usize = 40_000_000;

/// Refuses an image file of `size` bytes before it is decoded, with the reason.
pub fn check_picture_file_size(size: usize) -> Result<()> {
    if size > MAX_PICTURE_FILE_BYTES {
        return Err(Error::InvalidInput(format!(
            "the file is too large: {:.1} MB, and an image file may have at most {} MB",
            size as f64 / 1e6,
            MAX_PICTURE_FILE_BYTES >> 20
        )));
    }
    if size == 0 {
        return Err(Error::InvalidInput("the file is empty".into()));
    }
    Ok(())
}

/// A picture's RGBA pixels (`width × height × 4` bytes, as a canvas gives them) as the
/// 28×28 image a drawing of it would give; refused when it is too large or blank.
pub fn picture_to_mnist(rgba: &[u8], width: usize, height: usize) -> Result<Vec<f32>> {
    let pixels = width.saturating_mul(height);
    if pixels > MAX_PICTURE_PIXELS {
        return Err(Error::InvalidInput(format!(
            "the picture is too large: {width}×{height} pixels, more than {} million",
            MAX_PICTURE_PIXELS / 1_000_000
        )));
    }
    if pixels.checked_mul(4) != Some(rgba.len()) || pixels == 0 {
        return Err(Error::InvalidInput(format!(
            "a {width}×{height} picture needs {} RGBA bytes, got {}",
            pixels as u64 * 4,
            rgba.len()
        )));
    }
    let ink = ink_of_picture(rgba, width, height);
    let blank = || {
        Error::InvalidInput("the picture is blank: no shape stands out from its background".into())
    };
    if ink.iter().all(|&v| v == 0) {
        return Err(blank());
    }
    to_mnist(InkImage::new(width, height, &ink)?).ok_or_else(blank)
}

/// Each pixel's ink (0 paper … 255 the strongest ink): its distance in shade from the paper's.
/// Faint differences (a photographed sheet's grain, a JPEG's ringing) need no threshold here:
/// the stroke normalisation keeps only what is at least half as dark as the strokes.
fn ink_of_picture(rgba: &[u8], width: usize, height: usize) -> Vec<u8> {
    let shades: Vec<f64> = rgba
        .chunks_exact(4)
        .map(|px| {
            let alpha = px[3] as f64 / 255.0;
            let luminance = 0.299 * px[0] as f64 + 0.587 * px[1] as f64 + 0.114 * px[2] as f64;
            alpha * luminance + (1.0 - alpha) * 255.0
        })
        .collect();
    let paper = border_median(&shades, width, height);
    let distances: Vec<f64> = shades.iter().map(|s| (s - paper).abs()).collect();
    let strongest = distances.iter().cloned().fold(0.0, f64::max);
    if strongest < 1.0 {
        return vec![0; distances.len()];
    }
    distances
        .into_iter()
        .map(|d| (d / strongest * 255.0).round() as u8)
        .collect()
}

/// The median shade of the picture's outermost pixels: the paper, whatever touches the edge.
fn border_median(shades: &[f64], width: usize, height: usize) -> f64 {
    let mut border: Vec<f64> = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .filter(|&(x, y)| x == 0 || y == 0 || x + 1 == width || y + 1 == height)
        .map(|(x, y)| shades[y * width + x])
        .collect();
    border.sort_by(f64::total_cmp);
    border[border.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::tests::seven;

    /// A `width × height` RGBA picture of `paper`, with a 7 of `ink` drawn in a `side`² square at
    /// (`left`, `top`).
    fn picture_of_seven(
        (width, height): (usize, usize),
        (left, top, side): (usize, usize, usize),
        paper: [u8; 3],
        ink: [u8; 3],
    ) -> Vec<u8> {
        let seven = seven(side, 0.0, 0.0, 1.0, 0.12);
        let mut rgba = Vec::with_capacity(width * height * 4);
        for y in 0..height {
            for x in 0..width {
                let inside = (left..left + side).contains(&x) && (top..top + side).contains(&y);
                let drawn = inside && seven[(y - top) * side + (x - left)] > 0;
                rgba.extend(if drawn { ink } else { paper });
                rgba.push(255);
            }
        }
        rgba
    }

    fn mean_abs_difference(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f32>() / a.len() as f32
    }

    #[test]
    fn a_large_off_centre_picture_and_a_small_centred_one_give_the_same_input() {
        let (white, black) = ([255, 255, 255], [0, 0, 0]);
        let large = picture_of_seven((1200, 800), (700, 40, 480), white, black);
        let small = picture_of_seven((64, 64), (8, 8, 48), white, black);
        let large = picture_to_mnist(&large, 1200, 800).unwrap();
        let small = picture_to_mnist(&small, 64, 64).unwrap();
        let difference = mean_abs_difference(&large, &small);
        assert!(difference < 0.03, "mean difference {difference}");
        // And both are what the pad gives for that 7.
        let drawn =
            to_mnist(InkImage::new(280, 280, &seven(280, 40.0, 40.0, 0.7, 0.12)).unwrap()).unwrap();
        let difference = mean_abs_difference(&large, &drawn);
        assert!(
            difference < 0.03,
            "mean difference from the drawing {difference}"
        );
    }

    #[test]
    fn chalk_on_a_blackboard_is_ink_like_a_pen_on_paper() {
        let pen = picture_of_seven((300, 300), (20, 20, 260), [250, 250, 240], [20, 20, 90]);
        let chalk = picture_of_seven((300, 300), (20, 20, 260), [30, 40, 30], [230, 230, 230]);
        let pen = picture_to_mnist(&pen, 300, 300).unwrap();
        let chalk = picture_to_mnist(&chalk, 300, 300).unwrap();
        assert!(mean_abs_difference(&pen, &chalk) < 0.02);
    }

    #[test]
    fn blank_pictures_and_faint_grain_are_refused() {
        let paper = |shade: u8| {
            let mut rgba = vec![shade; 100 * 100 * 4];
            rgba.chunks_exact_mut(4).for_each(|px| px[3] = 255);
            rgba
        };
        let error = picture_to_mnist(&paper(255), 100, 100).unwrap_err();
        assert!(error.to_string().contains("blank"), "{error}");
        // A fully transparent picture is white paper.
        let error = picture_to_mnist(&vec![0; 100 * 100 * 4], 100, 100).unwrap_err();
        assert!(error.to_string().contains("blank"), "{error}");
    }

    #[test]
    fn the_grain_of_a_photographed_sheet_is_not_ink() {
        let clean = picture_of_seven((200, 200), (20, 20, 160), [200, 200, 200], [40, 40, 40]);
        let mut grainy = clean.clone();
        let mut rng = crate::util::rng::SplitMix64::new(3);
        for px in grainy.chunks_exact_mut(4) {
            let grain = rng.below(36) as u8;
            px[..3]
                .iter_mut()
                .for_each(|v| *v = v.saturating_sub(grain));
        }
        let (clean, grainy) = (
            picture_to_mnist(&clean, 200, 200).unwrap(),
            picture_to_mnist(&grainy, 200, 200).unwrap(),
        );
        assert!(mean_abs_difference(&clean, &grainy) < 0.02);
    }

    #[test]
    fn sizes_that_do_not_fit_are_refused_with_the_reason() {
        assert!(picture_to_mnist(&[0; 12], 2, 2).is_err());
        assert!(picture_to_mnist(&[], 0, 0).is_err());
        let error = picture_to_mnist(&[], 10_000, 10_000).unwrap_err();
        assert!(error.to_string().contains("too large"), "{error}");
        assert!(picture_to_mnist(&[], usize::MAX, 3).is_err());
        let error = check_picture_file_size(25 << 20).unwrap_err();
        assert!(error.to_string().contains("too large"), "{error}");
        assert!(check_picture_file_size(0).is_err());
        assert!(check_picture_file_size(120_000).is_ok());
    }
}
