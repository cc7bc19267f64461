//! Cropping and resizing, on pixels built here.

use super::super::decode::crop_and_resize;

#[test]
fn a_wide_image_is_cropped_to_its_centre() {
    // 6×2 grey: columns 0, 1, 4, 5 black, columns 2 and 3 white; the centre square is 2..4.
    let pixels: Vec<u8> = (0..2)
        .flat_map(|_| (0..6).map(|x| if (2..4).contains(&x) { 255 } else { 0 }))
        .collect();
    let mut out = [0.0; 4];
    crop_and_resize(&pixels, 6, 2, 1, 2, &mut out);
    assert_eq!(out, [1.0; 4]);
    let mut one = [0.0; 1];
    crop_and_resize(&pixels, 6, 2, 1, 1, &mut one);
    assert_eq!(one, [1.0]);
}

#[test]
fn a_tall_image_is_cropped_to_its_centre() {
    // 1×3 RGB: red, green, blue from top to bottom: the centre is green.
    let pixels = [255, 0, 0, 0, 255, 0, 0, 0, 255];
    let mut out = [0.0; 3];
    crop_and_resize(&pixels, 1, 3, 3, 1, &mut out);
    assert_eq!(out, [0.0, 1.0, 0.0]);
}

#[test]
fn areas_are_averaged_down_and_up() {
    // 3×3 checker of 0 and 255 down to 2×2: each output cell covers 1.5×1.5 input cells.
    let pixels: Vec<u8> = (0..9).map(|i| if i % 2 == 0 { 255 } else { 0 }).collect();
    let mut out = [0.0; 4];
    crop_and_resize(&pixels, 3, 3, 1, 2, &mut out);
    // Top-left: 1×1 white, 2 × (0.5) black, 0.25 white → (1 + 0.25) / 2.25.
    let corner = 1.25 / 2.25;
    for v in out {
        assert!((v - corner).abs() < 1e-6, "{out:?}");
    }
    // 2×2 up to 4×4: each input pixel becomes a 2×2 block.
    let pixels = [0, 255, 255, 0];
    let mut out = [0.0; 16];
    crop_and_resize(&pixels, 2, 2, 1, 4, &mut out);
    assert_eq!(&out[..4], &[0.0, 0.0, 1.0, 1.0]);
    assert_eq!(&out[12..], &[1.0, 1.0, 0.0, 0.0]);
    // An odd upscale blends only at the seams and stays in [0, 1].
    let mut out = [0.0; 9];
    crop_and_resize(&pixels, 2, 2, 1, 3, &mut out);
    assert_eq!((out[0], out[2], out[4]), (0.0, 1.0, 0.5));
    assert!(out.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn sizes_and_the_default_split() {
    use super::super::{ImageSize, Split};
    assert_eq!(ImageSize::Grey28.input_shape(), [28, 28, 1]);
    assert_eq!(ImageSize::Colour32.input_shape(), [32, 32, 3]);
    assert_eq!(ImageSize::Colour32.n_features(), 3072);
    for size in ImageSize::ALL {
        assert_eq!(ImageSize::from_name(size.name()), Some(size));
        let json = serde_json::to_string(&size).unwrap();
        assert_eq!(json, format!("\"{}\"", size.name()));
    }
    assert_eq!(ImageSize::from_name("grey32"), None);
    let s = Split::default();
    assert_eq!((s.test_fraction, s.seed), (0.2, 0));
}
