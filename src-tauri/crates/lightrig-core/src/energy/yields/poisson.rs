//! Poisson and exponential spreads: how many blocks or shares a period really brings, and how
//! long the first payout really takes. Small CPUs live in the tails (energy.md §4.2: "variance
//! is the UX issue for small CPUs"), so an expected value alone would mislead.

/// Above this mean the exact sum (which starts at e^−λ) underflows; the normal approximation
/// with continuity correction is then accurate to well under one count.
const EXACT_LIMIT: f64 = 700.0;

/// P(N ≤ k) for N ~ Poisson(λ).
pub fn poisson_cdf(k: u64, lambda: f64) -> f64 {
    if lambda <= 0.0 {
        return 1.0;
    }
    if lambda > EXACT_LIMIT {
        return normal_cdf((k as f64 + 0.5 - lambda) / lambda.sqrt());
    }
    let mut pmf = (-lambda).exp();
    let mut cdf = pmf;
    for i in 1..=k {
        pmf *= lambda / i as f64;
        cdf += pmf;
        if pmf < 1e-300 && i as f64 > lambda {
            break;
        }
    }
    cdf.min(1.0)
}

/// The smallest k with P(N ≤ k) ≥ p, for N ~ Poisson(λ), 0 < p < 1.
pub fn poisson_quantile(lambda: f64, p: f64) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    let p = p.min(1.0 - 1e-12);
    if lambda > EXACT_LIMIT {
        let k = (lambda + inverse_normal_cdf(p) * lambda.sqrt() - 0.5).ceil();
        return k.max(0.0) as u64;
    }
    let mut pmf = (-lambda).exp();
    let mut cdf = pmf;
    let mut k: u64 = 0;
    let limit = (lambda * 10.0 + 100.0) as u64;
    while cdf < p && k < limit {
        k += 1;
        pmf *= lambda / k as f64;
        cdf += pmf;
    }
    k
}

/// Time (in units of 1/rate) by which the n-th event of a Poisson process with `rate` events per
/// second has happened with probability p: the p-quantile of Gamma(n, rate), found by bisection
/// on P(T_n ≤ t) = P(N(t) ≥ n).
pub fn time_to_nth_event(n: u64, rate: f64, p: f64) -> f64 {
    if n == 0 || rate.is_nan() || rate <= 0.0 {
        return 0.0;
    }
    if n == 1 {
        return -(1.0 - p).ln() / rate;
    }
    let mean = n as f64 / rate;
    let (mut lo, mut hi) = (0.0, mean * 2.0 + 10.0 / rate);
    while 1.0 - poisson_cdf(n - 1, rate * hi) < p {
        hi *= 2.0;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if 1.0 - poisson_cdf(n - 1, rate * mid) < p { lo = mid } else { hi = mid }
    }
    0.5 * (lo + hi)
}

/// Standard normal CDF via the complementary error function (Numerical Recipes' erfc
/// approximation, relative error < 1.2e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    let erfc = if x >= 0.0 { erfc } else { 2.0 - erfc };
    0.5 * erfc
}

/// Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-15, 1.0 - 1e-15);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}
