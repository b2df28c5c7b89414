//! Mac power arithmetic, checked on any OS. IOReport samples are written as the channel names,
//! unit labels and cumulative values macmon's fixtures show for an M-series "Energy Model"
//! group; SMC bytes are laid out as the AppleSMC user client returns them. Expected figures
//! are worked out by hand in the comments.

use std::time::{Duration, Instant};

use super::*;

fn ch(name: &str, unit: &str, value: i64) -> SocChannel {
    SocChannel { name: name.into(), unit: unit.into(), value }
}

/// One M1 sample: CPU in mJ, GPU in nJ, ANE in mJ, DRAM in mJ, plus channels that must not be
/// summed (a cluster breakdown and GPU SRAM).
fn m1(cpu_mj: i64, gpu_nj: i64, ane_mj: i64, dram_mj: i64) -> Vec<SocChannel> {
    vec![
        ch("ECPU", "mJ", cpu_mj / 4),
        ch("PCPU", "mJ", cpu_mj - cpu_mj / 4),
        ch("CPU Energy", "mJ", cpu_mj),
        ch("GPU Energy", "nJ", gpu_nj),
        ch("GPU SRAM", "nJ", gpu_nj / 10),
        ch("ANE", "mJ", ane_mj),
        ch("DRAM", "mJ", dram_mj),
    ]
}

#[test]
fn counter_delta_handles_plain_wrap_and_reset() {
    assert_eq!(counter_delta(1_000, 4_500, None), Some(3_500));
    // A 32-bit counter that wrapped: 2^32 - 4_294_967_000 = 296 before the wrap, 200 after.
    assert_eq!(counter_delta(4_294_967_000, 200, Some(1 << 32)), Some(496));
    // No wrap point: a drop is a restart.
    assert_eq!(counter_delta(4_294_967_000, 200, None), None);
    // An old value past the wrap point cannot have wrapped.
    assert_eq!(counter_delta(5_000_000_000, 200, Some(1 << 32)), None);
}

#[test]
fn energy_units_convert_to_joules() {
    assert_eq!(EnergyUnit::parse("mJ"), Some(EnergyUnit::MilliJoule));
    assert_eq!(EnergyUnit::parse(" uJ "), Some(EnergyUnit::MicroJoule));
    assert_eq!(EnergyUnit::parse("nJ"), Some(EnergyUnit::NanoJoule));
    assert_eq!(EnergyUnit::parse("W"), None);
    assert_eq!(EnergyUnit::MilliJoule.joules(1_500), 1.5);
    assert_eq!(EnergyUnit::MicroJoule.joules(2_500_000), 2.5);
    assert_eq!(EnergyUnit::NanoJoule.joules(750_000_000), 0.75);
}

#[test]
fn soc_power_from_two_samples_in_mixed_units() {
    let t0 = Instant::now();
    let mut meter = SocEnergyMeter::new();
    assert_eq!(
        meter.update(t0, &m1(1_000_000, 9_000_000_000, 50_000, 200_000)),
        SocStep::WarmingUp
    );
    // Over 2 s: CPU +7_000 mJ = 3.5 W; GPU +1e9 nJ = 0.5 W; ANE +0; DRAM +600 mJ = 0.3 W.
    // The cluster channels and GPU SRAM moved too and must not be added.
    let step =
        meter.update(t0 + Duration::from_secs(2), &m1(1_007_000, 10_000_000_000, 50_000, 200_600));
    let SocStep::Power(p) = step else { panic!("expected power, got {step:?}") };
    assert!((p.cpu_w - 3.5).abs() < 1e-9, "{p:?}");
    assert!((p.gpu_w - 0.5).abs() < 1e-9, "{p:?}");
    assert_eq!(p.ane_w, 0.0);
    assert!((p.dram_w - 0.3).abs() < 1e-9, "{p:?}");
    assert!((p.compute_w() - 4.0).abs() < 1e-9, "DRAM is not in the SoC figure: {p:?}");
}

#[test]
fn soc_power_sums_both_dies_of_an_ultra() {
    let sample =
        |a: i64, b: i64| vec![ch("DIE_0_CPU Energy", "mJ", a), ch("DIE_1_CPU Energy", "mJ", b)];
    let t0 = Instant::now();
    let mut meter = SocEnergyMeter::new();
    meter.update(t0, &sample(100, 100));
    // (+4_000 + 6_000) mJ over 1 s = 10 W.
    let step = meter.update(t0 + Duration::from_secs(1), &sample(4_100, 6_100));
    assert_eq!(step, SocStep::Power(SocPower { cpu_w: 10.0, ..SocPower::default() }));
}

#[test]
fn soc_power_too_soon_keeps_the_last_figure_and_the_old_base() {
    let t0 = Instant::now();
    let mut meter = SocEnergyMeter::new();
    meter.update(t0, &m1(0, 0, 0, 0));
    let first = meter.update(t0 + Duration::from_secs(1), &m1(2_000, 0, 0, 0));
    assert_eq!(first, SocStep::Power(SocPower { cpu_w: 2.0, ..SocPower::default() }));
    // 100 ms later: too short to divide by; the last figure stands.
    assert_eq!(meter.update(t0 + Duration::from_millis(1_100), &m1(2_900, 0, 0, 0)), first);
    // Measured from t0 + 1 s, not from the skipped read: +4_000 mJ over 2 s = 2 W.
    let step = meter.update(t0 + Duration::from_secs(3), &m1(6_000, 0, 0, 0));
    assert_eq!(step, SocStep::Power(SocPower { cpu_w: 2.0, ..SocPower::default() }));
}

#[test]
fn soc_counter_reset_warms_up_instead_of_reporting() {
    let t0 = Instant::now();
    let mut meter = SocEnergyMeter::new();
    meter.update(t0, &m1(900_000, 0, 0, 0));
    // After sleep the counter restarted near zero: no figure for this interval.
    assert_eq!(meter.update(t0 + Duration::from_secs(1), &m1(1_000, 0, 0, 0)), SocStep::WarmingUp);
    // Then it counts from the restarted value: +3_000 mJ over 1 s.
    let step = meter.update(t0 + Duration::from_secs(2), &m1(4_000, 0, 0, 0));
    assert_eq!(step, SocStep::Power(SocPower { cpu_w: 3.0, ..SocPower::default() }));
    // A negative count is a restart too.
    assert_eq!(meter.update(t0 + Duration::from_secs(3), &m1(-5, 0, 0, 0)), SocStep::WarmingUp);
}

#[test]
fn soc_restart_that_lands_above_the_old_value_is_not_power() {
    let t0 = Instant::now();
    let mut meter = SocEnergyMeter::new();
    meter.update(t0, &m1(1_000, 0, 0, 0));
    // +5_000_000 mJ in 1 s would be 5 kW from a laptop chip.
    let step = meter.update(t0 + Duration::from_secs(1), &m1(5_001_000, 0, 0, 0));
    assert_eq!(step, SocStep::WarmingUp);
}

#[test]
fn soc_frozen_cpu_counters_are_not_zero_watts() {
    let t0 = Instant::now();
    let mut meter = SocEnergyMeter::new();
    meter.update(t0, &m1(5_000, 1_000, 7, 0));
    // macOS 27 without the entitlement: the CPU counter stands still even though the GPU's moved.
    let step = meter.update(t0 + Duration::from_secs(1), &m1(5_000, 900_000_000, 7, 0));
    assert_eq!(step, SocStep::Frozen);
}

#[test]
fn soc_unknown_unit_and_missing_channels_say_so() {
    let t0 = Instant::now();
    let mut meter = SocEnergyMeter::new();
    let step = meter.update(t0, &[ch("CPU Energy", "kWh", 1)]);
    assert_eq!(step, SocStep::UnknownUnit { channel: "CPU Energy".into(), unit: "kWh".into() });
    // An Intel Mac's IOReport has no Energy Model channels.
    assert_eq!(meter.update(t0, &[ch("GPU SRAM", "nJ", 1)]), SocStep::NoChannels);
    assert_eq!(meter.update(t0, &[]), SocStep::NoChannels);
}

#[test]
fn smc_keys_encode_big_endian_from_recorded_bytes() {
    // "PSTR" on the wire: 50 53 54 52.
    assert_eq!(fourcc("PSTR"), Ok(0x5053_5452));
    assert_eq!(fourcc("PCPC"), Ok(0x5043_5043));
    assert_eq!(fourcc_name(0x666c_7420), "flt ");
    assert_eq!(fourcc_name(0x7370_3738), "sp78");
    assert_eq!(fourcc("PST"), Err(SmcError::BadKey { key: "PST".into() }));
    assert_eq!(fourcc("PSTRX"), Err(SmcError::BadKey { key: "PSTRX".into() }));
    assert_eq!(fourcc("PSTé"), Err(SmcError::BadKey { key: "PSTé".into() }));
}

fn t(code: &str) -> u32 {
    fourcc(code).expect("a four-character code")
}

#[test]
fn smc_values_decode_from_recorded_bytes() {
    // PSTR on an M1 MacBook Air: flt 9a 99 19 41 = 0x4119999a = 9.6 W.
    let pstr = decode_smc_value(t("flt "), &[0x9a, 0x99, 0x19, 0x41]).unwrap();
    assert!((pstr - 9.6).abs() < 1e-6, "{pstr}");
    // sp78 2d 80 = 0x2d80 / 256 = 45.5 (a CPU proximity temperature).
    assert_eq!(decode_smc_value(t("sp78"), &[0x2d, 0x80]), Ok(45.5));
    // sp78 is signed: ff 80 = -128 / 256 = -0.5.
    assert_eq!(decode_smc_value(t("sp78"), &[0xff, 0x80]), Ok(-0.5));
    // sp96 (Intel power keys) 0a 80 = 2688 / 64 = 42 W.
    assert_eq!(decode_smc_value(t("sp96"), &[0x0a, 0x80]), Ok(42.0));
    // fpe2 1f 40 = 8000 / 4 = 2000 (a fan's rpm).
    assert_eq!(decode_smc_value(t("fpe2"), &[0x1f, 0x40]), Ok(2000.0));
    assert_eq!(decode_smc_value(t("ui16"), &[0x01, 0x02]), Ok(258.0));
    assert_eq!(decode_smc_value(t("ui8 "), &[0x07]), Ok(7.0));
    assert_eq!(decode_smc_value(t("si16"), &[0xff, 0xfe]), Ok(-2.0));
}

#[test]
fn smc_odd_values_are_errors_from_recorded_bytes() {
    let unsupported = |d: &str| Err(SmcError::UnsupportedType { data_type: d.into() });
    // Apple Silicon's 48.16 "ioft" and a fixed-point type that is not 16 bits wide.
    assert_eq!(decode_smc_value(t("ioft"), &[0; 8]), unsupported("ioft"));
    assert_eq!(decode_smc_value(t("sp99"), &[0, 0]), unsupported("sp99"));
    assert_eq!(decode_smc_value(t("fpzz"), &[0, 0]), unsupported("fpzz"));
    assert_eq!(
        decode_smc_value(t("flt "), &[0x9a, 0x99]),
        Err(SmcError::ShortValue { data_type: "flt ".into(), needed: 4, got: 2 })
    );
}

#[test]
fn smc_answer_struct_reads_from_recorded_bytes() {
    let key = t("PSTR");
    let info = SmcKeyInfo { data_size: 4, data_type: t("flt "), data_attributes: 0xd0 };
    let request = SmcKeyData::read_request(key, info);
    assert_eq!((request.key, request.data8, request.key_info), (key, 5, info));
    assert_eq!(SmcKeyData::key_info_request(key).data8, 9);

    let mut answer = SmcKeyData { key, key_info: info, ..SmcKeyData::default() };
    answer.bytes[..4].copy_from_slice(&[0x00, 0x00, 0xa0, 0x41]); // 20.0
    answer.bytes[4] = 0xff; // past data_size: ignored
    assert_eq!(answer.check(key), Ok(()));
    assert_eq!(answer.value(info), Ok(20.0));

    answer.result = 132;
    assert_eq!(answer.check(key), Err(SmcError::KeyNotFound { key: "PSTR".into() }));
    answer.result = 1;
    assert_eq!(answer.check(key), Err(SmcError::Refused { key: "PSTR".into(), code: 1 }));
}
