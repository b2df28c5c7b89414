//! What the meter publishes after each sample, and the steady form of a reading's source.

use std::borrow::Cow;

use serde::Serialize;

use crate::energy::gpu::{GpuPower, JOIN};
use crate::energy::{
    BaselineStatus, Currency, PermissionNeeded, PowerReading, PowerStatus, Price, Tariff,
};
use crate::model::UnixMillis;

/// The energy figures of the latest sample, for the UI and `/metrics`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnergyLive {
    pub at_ms: UnixMillis,
    /// The machine figure fed to the energy account: the ladder's live reading, plus the GPUs'
    /// power where that reading leaves them out (see [`crate::energy::gpu::combine`]). `None`
    /// when no rung of the ladder had one.
    pub reading: Option<PowerReading>,
    /// Every rung read, in order: why better sources were passed over.
    pub rungs: Vec<(String, PowerStatus)>,
    /// The GPUs' power and whether it is in `reading`; `None` when no GPU source answered
    /// (no NVIDIA driver, no AMD card: the usual case, not an error).
    pub gpu: Option<GpuPower>,
    /// A sensor that needs a one-time permission (RAPL on Linux).
    pub permission: Option<PermissionNeeded>,
    pub baseline: BaselineStatus,
    /// Idle samples a baseline needs.
    pub baseline_need: u32,
    /// Power above the idle baseline now, when a baseline of the same kind exists.
    pub marginal_w: Option<f64>,
    /// The power supply efficiency `marginal_w` was divided by to reach wall power (a CPU
    /// package, model, process or GPU reading sees only the DC side); `None` when the reading
    /// already covers the whole machine (wall, battery) or there is no marginal figure.
    pub marginal_psu: Option<f64>,
    /// Idle samples collected in the window now open (the node is stopped or paused).
    pub idle_samples: u32,
    /// The tariff in force, as stored with each minute.
    pub tariff: Option<String>,
    /// Why no tariff is in force.
    pub tariff_problem: Option<String>,
    /// The electricity price in force at `at_ms`, for projections ("at this rate"); `None`
    /// without a tariff, or when an imported price list does not reach this instant.
    pub price_now: Option<PriceNow>,
}

/// The price per kWh in force at one instant, in the tariff's currency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PriceNow {
    pub price: Price,
    pub currency: Currency,
    /// When the price may change next (a time-of-use boundary, the next listed hour); `None`
    /// for a flat price.
    pub until_ms: Option<UnixMillis>,
}

impl PriceNow {
    /// The price `tariff` charges at `at`. An hourly list that does not cover `at` has no price
    /// then: the projection says so rather than reusing a stale hour.
    pub fn at(tariff: Option<&Tariff>, at: UnixMillis) -> Option<PriceNow> {
        let tariff = tariff?;
        let span = tariff.price_at(at).ok()?;
        Some(PriceNow { price: span.price, currency: tariff.currency(), until_ms: span.until })
    }

    pub fn per_kwh(&self) -> f64 {
        self.price.as_f64()
    }
}

impl EnergyLive {
    /// The live reading's source without the part that changes every sample (a model's load),
    /// for labels that must stay the same from one scrape to the next.
    pub fn steady_source(&self) -> Option<Cow<'_, str>> {
        self.reading.as_ref().map(|r| stable_source(&r.source))
    }
}

/// A reading's source without the part that changes every sample: a model's source ends with
/// the load it was computed at ("model: …, 43 % load"; "calibrated …; at 43 % CPU load"). In a
/// summed source ("model: …, 43 % load + NVIDIA … (NVML)") each part is cut on its own.
pub fn stable_source(source: &str) -> Cow<'_, str> {
    if !source.contains(JOIN) {
        return Cow::Borrowed(stable_part(source));
    }
    if stable_eq(source, source) {
        return Cow::Borrowed(source);
    }
    let parts: Vec<&str> = source.split(JOIN).map(stable_part).collect();
    Cow::Owned(parts.join(JOIN))
}

/// Whether `steady` is the stable form of `source`, without building it (the meter compares
/// every sample and allocates only when the source changed).
pub fn stable_eq(steady: &str, source: &str) -> bool {
    let mut rest = steady;
    for (i, part) in source.split(JOIN).enumerate() {
        if i > 0 {
            let Some(r) = rest.strip_prefix(JOIN) else { return false };
            rest = r;
        }
        let Some(r) = rest.strip_prefix(stable_part(part)) else { return false };
        rest = r;
    }
    rest.is_empty()
}

fn stable_part(source: &str) -> &str {
    if (source.ends_with("% load") || source.ends_with("% CPU load"))
        && let Some(i) = source.rfind([',', ';'])
    {
        return source[..i].trim_end();
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::energy::tariff::{Schedule, Season};

    fn eur() -> Currency {
        Currency::parse("EUR").expect("EUR")
    }

    /// 2026-01-05 (a Monday) at `hour`:00 UTC.
    fn monday(hour: i64) -> UnixMillis {
        1_767_571_200_000 + hour * 3_600_000
    }

    #[test]
    fn price_now_of_a_flat_tariff_holds_at_all_times() {
        let t = Tariff::flat(eur(), Price::from_micros(300_000));
        let p = PriceNow::at(Some(&t), monday(3)).expect("a flat price is always in force");
        assert_eq!((p.per_kwh(), p.currency, p.until_ms), (0.3, eur(), None));
        assert_eq!(PriceNow::at(None, monday(3)), None, "no tariff, no price");
    }

    #[test]
    fn price_now_of_time_of_use_follows_the_hour_and_says_until_when() {
        // Peak 17:00–21:00 on weekdays at 0.40, 0.20 otherwise, all year, in UTC.
        let mut weekday = [Price::from_micros(200_000); 24];
        for h in &mut weekday[17..21] {
            *h = Price::from_micros(400_000);
        }
        let season = Season {
            name: "all year".into(),
            from: (1, 1),
            to: (12, 31),
            weekday,
            weekend: [Price::from_micros(200_000); 24],
        };
        let weekend = [false, false, false, false, false, true, true];
        let schedule = Schedule::new(vec![season], weekend).expect("schedule");
        let t = Tariff::time_of_use(eur(), "UTC", schedule).expect("tariff");
        let off = PriceNow::at(Some(&t), monday(10)).expect("price at 10:00");
        assert_eq!(off.per_kwh(), 0.2);
        // A schedule may change its price at any hour, so the span ends at the next one.
        assert_eq!(off.until_ms, Some(monday(11)));
        let peak = PriceNow::at(Some(&t), monday(18) + 60_000).expect("price at 18:01");
        assert_eq!(peak.per_kwh(), 0.4);
        assert_eq!(peak.until_ms, Some(monday(19)));
    }

    #[test]
    fn price_now_of_an_hourly_list_outside_its_range_is_none() {
        let csv = "timestamp,price\n2026-01-05T10:00:00Z,0.12\n2026-01-05T11:00:00Z,0.15\n";
        let t = Tariff::hourly(eur(), "UTC", csv).expect("list");
        let p = PriceNow::at(Some(&t), monday(11) + 1_000).expect("listed hour");
        assert_eq!(p.per_kwh(), 0.15);
        assert_eq!(PriceNow::at(Some(&t), monday(9)), None, "before the list");
        assert_eq!(PriceNow::at(Some(&t), monday(13)), None, "after the list");
    }

    #[test]
    fn each_part_of_a_summed_source_loses_its_load() {
        let model = "model: Ryzen 5 5600, 0.9 × PPT 88 W, 43 % load";
        assert_eq!(stable_source(model), "model: Ryzen 5 5600, 0.9 × PPT 88 W");
        let summed = format!("{model} + NVIDIA GeForce RTX 3060 (NVML)");
        let steady = "model: Ryzen 5 5600, 0.9 × PPT 88 W + NVIDIA GeForce RTX 3060 (NVML)";
        assert_eq!(stable_source(&summed), steady);
        assert!(stable_eq(steady, &summed));
        assert!(!stable_eq("model: Ryzen 5 5600, 0.9 × PPT 88 W", &summed));
        // RAPL joins packages with " + " too; nothing there changes per sample.
        let rapl = "RAPL package-0 + package-1 (intel-rapl:0, intel-rapl:1)";
        assert!(matches!(stable_source(rapl), Cow::Borrowed(s) if s == rapl));
    }
}
