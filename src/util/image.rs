//! The one place for the image geometry every part of the crate shares.

/// MNIST images are square, this many pixels a side.
pub const SIDE: usize = 28;
/// Pixels in one image, the model's input and output width.
pub const PIXELS: usize = SIDE * SIDE;

/// `image` (784 values) moved by `dx` columns and `dy` rows; uncovered pixels are paper.
pub fn shifted(image: &[f32], dx: i32, dy: i32) -> Vec<f32> {
    let mut out = vec![0.0; PIXELS];
    let side = SIDE as i32;
    for y in 0..side {
        for x in 0..side {
            let (sx, sy) = (x - dx, y - dy);
            if (0..side).contains(&sx) && (0..side).contains(&sy) {
                out[(y * side + x) as usize] = image[(sy * side + sx) as usize];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifting_moves_pixels_and_fills_with_paper() {
        let mut image = vec![0.0; PIXELS];
        image[0] = 1.0;
        let moved = shifted(&image, 2, 1);
        assert_eq!(moved[SIDE + 2], 1.0);
        assert_eq!(moved.iter().sum::<f32>(), 1.0);
        assert_eq!(shifted(&image, -1, 0).iter().sum::<f32>(), 0.0);
    }
}
