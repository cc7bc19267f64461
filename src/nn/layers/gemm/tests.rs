//! Tests of the GEMM kernels against a plain triple loop, every layout and edge.

use super::super::gradcheck::random;
use super::*;

fn naive(m: usize, n: usize, k: usize, a: Mat<'_>, b: Mat<'_>) -> Vec<f32> {
    let mut c = vec![0.0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            for p in 0..k {
                c[i * n + j] += a.at(i, p) * b.at(p, j);
            }
        }
    }
    c
}

fn close(x: &[f32], y: &[f32]) -> bool {
    x.iter()
        .zip(y)
        .all(|(p, q)| (p - q).abs() <= 1e-5 * (1.0 + q.abs()))
}

#[test]
fn gemm_matches_the_triple_loop_for_every_layout_and_edge() {
    let mut scratch = Vec::new();
    for &(m, n, k) in &[
        (1, 1, 1),
        (4, 8, 3),
        (5, 9, 7),
        (10, 37, 25),
        (7, 9, 5),
        (3, 16, 4),
        (13, 100, 160),
    ] {
        let a = random(m, k, (m * 7 + k) as u64).into_raw_vec_and_offset().0;
        let b = random(k, n, (n * 3 + k) as u64).into_raw_vec_and_offset().0;
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            // the transposed variants read the same data as the transpose of (k×m) / (n×k)
            let av = if ta {
                Mat::transposed(&a, m)
            } else {
                Mat::rows(&a, k)
            };
            let bv = if tb {
                Mat::transposed(&b, k)
            } else {
                Mat::rows(&b, n)
            };
            let want = naive(m, n, k, av, bv);
            let mut c = vec![0.0f32; m * n];
            let cm = MatMut {
                data: &mut c,
                rs: n,
                cs: 1,
            };
            gemm((m, n, k), av, bv, cm, &mut scratch);
            assert!(close(&c, &want), "{m}x{n}x{k} {ta} {tb}");
            // overwriting whatever was there
            let mut c = vec![7.0f32; m * n];
            let cm = MatMut {
                data: &mut c,
                rs: n,
                cs: 1,
            };
            gemm_set((m, n, k), av, bv, cm, &mut scratch);
            assert!(close(&c, &want), "set {m}x{n}x{k} {ta} {tb}");
            // transposed output, accumulating onto ones
            let mut ct = vec![1.0f32; m * n];
            let cm = MatMut {
                data: &mut ct,
                rs: 1,
                cs: m,
            };
            gemm((m, n, k), av, bv, cm, &mut scratch);
            for i in 0..m {
                for j in 0..n {
                    let (g, w) = (ct[j * m + i], want[i * n + j] + 1.0);
                    assert!((g - w).abs() <= 1e-5 * (1.0 + w.abs()), "{m}x{n}x{k} t");
                }
            }
        }
    }
}

#[test]
fn repeat_row_repeats() {
    for rows in [0, 1, 2, 3, 7, 64, 100] {
        let r = repeat_row(&[1.0, 2.0, 3.0], rows);
        assert_eq!(r, [1.0, 2.0, 3.0].repeat(rows));
    }
    assert!(repeat_row(&[], 5).is_empty());
}

#[test]
fn gemm_nt_matches_the_triple_loop() {
    for &(m, n, len) in &[
        (1, 1, 3),
        (25, 4, 1200),
        (3, 10, 517),
        (4, 5, 13),
        (2, 2, 8),
    ] {
        let a = random(m, len, 1).into_raw_vec_and_offset().0;
        let b = random(n, len, 2).into_raw_vec_and_offset().0;
        let want = naive(m, n, len, Mat::rows(&a, len), Mat::transposed(&b, len));
        let mut c = vec![0.0f32; m * n];
        gemm_nt(&a, &b, len, &mut c);
        assert!(close(&c, &want), "{m}x{n}x{len}");
        // the 2×2 tiles round every entry exactly as one dot product per KC block
        let mut d = vec![0.0f32; m * n];
        for k0 in (0..len).step_by(KC) {
            let k1 = (k0 + KC).min(len);
            for i in 0..m {
                for j in 0..n {
                    d[i * n + j] += dot(
                        &a[i * len + k0..i * len + k1],
                        &b[j * len + k0..j * len + k1],
                    );
                }
            }
        }
        assert_eq!(c, d, "{m}x{n}x{len} rounding");
    }
}
