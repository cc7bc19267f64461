//! Tests of [`super::Conv2d`]: Keras padding, finite differences, and the im2col + GEMM path
//! against the direct loops of `conv_naive.rs`.

use super::super::gradcheck::{check_layer, random};
use super::*;
use crate::nn::spec::Padding;

fn layer(geom: ConvGeom, seed: u64) -> Conv2d {
    let kshape = vec![geom.kh, geom.kw, geom.c, geom.f];
    let k = random(1, geom.patch_len() * geom.f, seed)
        .into_raw_vec_and_offset()
        .0;
    let b = random(1, geom.f, seed + 1).into_raw_vec_and_offset().0;
    Conv2d::new(
        geom,
        Param::trainable("k".into(), kshape, k),
        Param::trainable("b".into(), vec![geom.f], b),
    )
}

fn geoms() -> Vec<ConvGeom> {
    vec![
        ConvGeom::new([5, 6, 2], [3, 2], 3, [1, 1], Padding::Valid),
        ConvGeom::new([6, 5, 2], [3, 3], 2, [2, 2], Padding::Same),
        ConvGeom::new([4, 4, 1], [2, 2], 2, [1, 1], Padding::Same),
        ConvGeom::new([7, 5, 3], [3, 2], 2, [2, 3], Padding::Valid),
    ]
}

#[test]
fn keras_same_padding_puts_the_extra_row_bottom_right() {
    let g = ConvGeom::new([4, 4, 1], [2, 2], 1, [1, 1], Padding::Same);
    assert_eq!((g.oh, g.ow, g.pt, g.pl), (4, 4, 0, 0));
    let g = ConvGeom::new([5, 5, 1], [4, 4], 1, [1, 1], Padding::Same);
    assert_eq!((g.oh, g.pt), (5, 1)); // total 3: 1 above, 2 below
    let g = ConvGeom::new([6, 6, 1], [3, 3], 1, [2, 2], Padding::Same);
    assert_eq!((g.oh, g.pt), (3, 0)); // total 1: 0 above, 1 below
}

#[test]
fn gradients_match_finite_differences() {
    for (i, g) in geoms().into_iter().enumerate() {
        let x = random(2, g.in_len(), 10 + i as u64);
        check_layer(&layer(g, 20 + i as u64), &x, false, 1e-2, 3e-3);
    }
}

#[test]
fn im2col_gemm_matches_the_direct_loops() {
    for (i, g) in geoms().into_iter().enumerate() {
        let mut l = layer(g, 30 + i as u64);
        let x = random(3, g.in_len(), 40 + i as u64);
        let fast = l.infer(x.view());
        let slow = conv_naive::forward(x.view(), &g, &l.params[0].value, &l.params[1].value);
        assert!(
            fast.iter().zip(&slow).all(|(a, b)| (a - b).abs() < 1e-5),
            "forward {i}"
        );
        let gy = random(3, fast.ncols(), 50 + i as u64);
        let mut rng = rand::SeedableRng::seed_from_u64(0);
        l.forward(
            x.view(),
            &mut Pass {
                training: true,
                param_grads: true,
                rng: &mut rng,
            },
        );
        let dx = l.backward(gy.view());
        let (sdx, sdk, sdb) = conv_naive::backward(x.view(), gy.view(), &g, &l.params[0].value);
        let close = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(p, q)| (p - q).abs() < 1e-4);
        assert!(
            close(dx.as_slice().unwrap(), sdx.as_slice().unwrap()),
            "dx {i}"
        );
        assert!(close(&l.params[0].grad, sdk.as_slice().unwrap()), "dk {i}");
        assert!(close(&l.params[1].grad, sdb.as_slice().unwrap()), "db {i}");
    }
}

#[test]
fn direct_kernels_give_the_gemm_results_bit_for_bit() {
    let direct_geoms = [
        ConvGeom::new([28, 28, 1], [5, 5], 4, [1, 1], Padding::Valid),
        ConvGeom::new([9, 11, 1], [3, 2], 8, [1, 1], Padding::Valid),
        ConvGeom::new([6, 7, 1], [2, 3], 4, [1, 1], Padding::Valid),
    ];
    for (i, g) in direct_geoms.into_iter().enumerate() {
        let mut direct = layer(g, 60 + i as u64);
        assert!(direct.direct, "geometry {i} takes the direct kernels");
        let mut gemm = direct.clone();
        gemm.direct = false;
        let x = random(5, g.in_len(), 70 + i as u64);
        let y = direct.infer(x.view());
        assert_eq!(y, gemm.infer(x.view()), "forward {i}");
        let gy = random(5, y.ncols(), 80 + i as u64);
        let mut dx = Vec::new();
        for l in [&mut direct, &mut gemm] {
            let mut rng = rand::SeedableRng::seed_from_u64(0);
            let mut pass = Pass {
                training: false,
                param_grads: false,
                rng: &mut rng,
            };
            l.forward(x.view(), &mut pass);
            dx.push(l.backward(gy.view()));
        }
        assert_eq!(dx[0], dx[1], "input gradient {i}");
    }
    // a stride, padding or several channels keep the GEMM path
    for g in geoms() {
        assert!(!layer(g, 1).direct);
    }
}
