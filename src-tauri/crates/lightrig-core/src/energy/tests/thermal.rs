use crate::energy::thermal::{
    FrozenSensorCheck, Heat, HeatLimits, HostOs, TemperatureView, cpu_temperature_view,
    gpu_temperature_view,
};

#[test]
fn windows_without_a_driver_says_why_never_zero() {
    let TemperatureView::NotAvailable { reason } = cpu_temperature_view(HostOs::Windows, None, &[])
    else {
        panic!("expected not available");
    };
    assert!(reason.contains("hardware-monitor driver"), "{reason}");
    let TemperatureView::NotAvailable { reason } =
        cpu_temperature_view(HostOs::Windows, None, &["Computer"])
    else {
        panic!("expected not available");
    };
    assert!(reason.contains("board"), "{reason}");
    let TemperatureView::NotAvailable { reason } = cpu_temperature_view(HostOs::Linux, None, &[])
    else {
        panic!("expected not available");
    };
    assert!(reason.contains("virtual machines"), "{reason}");
}

#[test]
fn known_temperatures_are_classified() {
    let view = cpu_temperature_view(HostOs::Linux, Some(("k10temp Tctl", 88.5)), &["k10temp Tctl"]);
    assert_eq!(
        view,
        TemperatureView::Known { celsius: 88.5, heat: Heat::Hot, label: "k10temp Tctl".into() }
    );
    assert!(matches!(
        cpu_temperature_view(HostOs::MacOs, Some(("x", f32::NAN)), &[]),
        TemperatureView::NotAvailable { .. }
    ));
    assert_eq!(HeatLimits::CPU.classify(60.0), Heat::Normal);
    assert_eq!(HeatLimits::GPU.classify(90.0), Heat::Critical);
    assert!(matches!(
        gpu_temperature_view(Some(52.0), "amdgpu edge"),
        TemperatureView::Known { heat: Heat::Normal, .. }
    ));
    assert!(matches!(gpu_temperature_view(None, "gpu"), TemperatureView::NotAvailable { .. }));
}

#[test]
fn a_zone_that_never_moves_while_the_load_does_is_frozen() {
    let mut check = FrozenSensorCheck::default();
    for (i, load) in [5.0, 100.0, 100.0, 10.0].into_iter().enumerate() {
        check.observe(i as i64 * 200_000, 27.85, Some(load));
    }
    assert!(!check.is_frozen(300_000), "too early to tell");
    assert!(check.is_frozen(FrozenSensorCheck::WINDOW_MS));
    let mut moving = FrozenSensorCheck::default();
    moving.observe(0, 40.0, Some(5.0));
    moving.observe(300_000, 61.0, Some(100.0));
    assert!(!moving.is_frozen(FrozenSensorCheck::WINDOW_MS));
}

#[test]
fn cpu_and_gpu_sensors_get_heat_words_by_their_own_limits_and_drives_none() {
    use crate::energy::thermal::sensor_heat;
    use crate::telemetry::Temperature;
    // 80 °C is warm for a CPU (hot from 85) but hot for a GPU (hot from 83).
    assert_eq!(sensor_heat("k10temp Tctl", 80.0), Some(Heat::Warm));
    assert_eq!(sensor_heat("GPU NVIDIA GeForce RTX 3060", 76.0), Some(Heat::Warm));
    assert_eq!(sensor_heat("GPU amdgpu edge", 84.0), Some(Heat::Hot));
    assert_eq!(sensor_heat("coretemp Package id 0", 84.0), Some(Heat::Warm));
    assert_eq!(sensor_heat("amdgpu junction", 91.0), Some(Heat::Critical));
    assert_eq!(sensor_heat("nvme Composite", 91.0), None, "a drive has other limits");
    assert_eq!(Temperature::new("GPU 1 amdgpu edge".into(), 60.0).heat, Some(Heat::Normal));
}
