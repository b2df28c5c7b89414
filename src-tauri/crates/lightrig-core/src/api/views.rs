//! Engine types → the boundary's DTOs, and settings edits → validated settings.

use std::collections::BTreeMap;

use super::dto::*;
use super::energy::{self, EnergyInputs};
use crate::compliance::{KnowledgeBase, Lang};
use crate::config::{self, Settings};
use crate::engine::RewardLine;
use crate::ledger::{Ledger, Resolution, RewardTotal};
use crate::model::{Activity, Asset, UnixMillis};
use crate::profile::{FieldKind, FieldValue, Profile};

pub fn setting_value(v: &FieldValue) -> SettingValue {
    match v {
        FieldValue::Bool(b) => SettingValue::Bool(*b),
        FieldValue::Int(i) => SettingValue::Int(*i),
        FieldValue::Text(t) => SettingValue::Text(t.clone()),
    }
}

pub fn field_value(v: SettingValue) -> FieldValue {
    match v {
        SettingValue::Bool(b) => FieldValue::Bool(b),
        SettingValue::Int(i) => FieldValue::Int(i),
        SettingValue::Text(t) => FieldValue::Text(t),
    }
}

pub fn profile_view(p: &Profile, settings: &Settings) -> ProfileView {
    let saved = settings.node_settings.get(&p.id);
    let fields = p
        .fields
        .iter()
        .filter(|f| !matches!(f.kind, FieldKind::Token))
        .map(|f| {
            let (min, max, choices) = match &f.kind {
                FieldKind::Integer { min, max } => (Some(*min), Some(*max), vec![]),
                FieldKind::Port => (Some(1), Some(65535), vec![]),
                FieldKind::Choice { choices } => (None, None, choices.clone()),
                _ => (None, None, vec![]),
            };
            FieldView {
                name: f.name.clone(),
                kind: f.kind.name().into(),
                label: f.label.clone(),
                help: f.help.clone(),
                required: f.required,
                min,
                max,
                choices,
                default: f.default.as_ref().map(setting_value),
            }
        })
        .collect();
    let mut values = BTreeMap::new();
    for f in &p.fields {
        if matches!(f.kind, FieldKind::Token) {
            continue;
        }
        // A password shows only as "saved in your keychain" (`true`), never as text.
        if matches!(f.kind, FieldKind::Password) {
            if saved.and_then(|s| s.get(&f.name)) == Some(&FieldValue::Bool(true)) {
                values.insert(f.name.clone(), SettingValue::Bool(true));
            }
            continue;
        }
        if let Some(v) = saved.and_then(|s| s.get(&f.name)).or(f.default.as_ref()) {
            values.insert(f.name.clone(), setting_value(v));
        }
    }
    ProfileView {
        id: p.id.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        activity: p.activity.as_str().into(),
        simulated: p.simulated,
        fields,
        values,
    }
}

pub fn settings_view(s: &Settings) -> SettingsView {
    SettingsView {
        jurisdiction: s.jurisdiction.clone(),
        price_per_kwh: s.price_per_kwh,
        currency: s.currency.clone(),
        energy: super::tariff::energy_view(&s.energy),
        language: s.language.clone(),
        theme: match s.theme.as_str() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        },
        close_to_tray: s.close_to_tray,
        start_minimised: s.start_minimised,
        autostart: s.autostart,
        own_device: s.own_device,
        permission_confirmed: s.permission_confirmed,
        onboarded: s.onboarded,
    }
}

/// Applies an edit from the UI; each bad field gives an error naming it.
pub fn apply_settings(mut s: Settings, v: &SettingsView) -> Result<Settings, ApiError> {
    let bad = |field: &str, m: String| ApiError::field("settings.invalid", field, m);
    if let Some(j) = &v.jurisdiction {
        config::check_jurisdiction(j).map_err(|m| bad("jurisdiction", m))?;
    }
    if let Some(p) = v.price_per_kwh {
        config::check_price(p).map_err(|m| bad("price_per_kwh", m))?;
    }
    config::check_currency(&v.currency).map_err(|m| bad("currency", m))?;
    if let Some(l) = &v.language {
        config::check_language(l).map_err(|m| bad("language", m))?;
    }
    s.jurisdiction = v.jurisdiction.clone();
    s.price_per_kwh = v.price_per_kwh;
    s.currency = v.currency.clone();
    s.energy = super::tariff::energy_settings(&v.energy)?;
    s.language = v.language.clone();
    s.theme = match v.theme {
        Theme::System => "system",
        Theme::Light => "light",
        Theme::Dark => "dark",
    }
    .into();
    s.close_to_tray = v.close_to_tray;
    s.start_minimised = v.start_minimised;
    s.autostart = v.autostart;
    s.own_device = v.own_device;
    // Permission only means something when the device is not the user's own.
    s.permission_confirmed = v.own_device == Some(false) && v.permission_confirmed;
    s.onboarded = v.onboarded;
    Ok(s)
}

fn lines(totals: &[RewardTotal]) -> Vec<RewardLine> {
    totals
        .iter()
        .map(|t| {
            let asset = Asset { code: t.asset_code.clone(), decimals: t.decimals };
            RewardLine {
                asset: t.asset_code.clone(),
                state: t.state.as_str().into(),
                simulated: t.simulated,
                atomic: t.atomic.to_string(),
                amount: asset.format_atomic(t.atomic),
                count: t.count,
            }
        })
        .collect()
}

const DAY_MS: i64 = 86_400_000;

pub fn earnings(
    ledger: &Ledger,
    inputs: &EnergyInputs<'_>,
    now: UnixMillis,
) -> Result<Earnings, ApiError> {
    let err = |e: crate::ledger::LedgerError| ApiError::new("ledger.read", e.to_string());
    let node = inputs.node;
    let midnight = now - now.rem_euclid(DAY_MS);
    let today = lines(&ledger.reward_totals(Some(node), midnight, now + 1).map_err(err)?);
    let week = lines(&ledger.reward_totals(Some(node), now - 7 * DAY_MS, now + 1).map_err(err)?);
    let all_time = lines(&ledger.reward_totals(Some(node), 0, now + 1).map_err(err)?);
    let energy = energy::energy_view(ledger, inputs, now).map_err(err)?;
    Ok(Earnings { today, week, all_time, energy })
}

/// Days in the year chart, today included.
const YEAR_DAYS: i64 = 365;

/// Chart data for `range`. The year reads one point per UTC day, added up in SQL from the hour
/// rollups (which are kept for ever), and starts at a UTC midnight so every point but today's
/// is a whole day: 365 points, not 8,760.
pub fn series(ledger: &Ledger, range: SeriesRange, now: UnixMillis) -> Result<Series, ApiError> {
    let (resolution, from, step_secs) = match range {
        SeriesRange::TenMinutes => (Resolution::Raw, now - 10 * 60_000, 1),
        SeriesRange::Day => (Resolution::Minute, now - DAY_MS, 60),
        SeriesRange::Month => (Resolution::Hour, now - 30 * DAY_MS, 3600),
        SeriesRange::Year => {
            let today = now - now.rem_euclid(DAY_MS);
            (Resolution::Day, today - (YEAR_DAYS - 1) * DAY_MS, 86_400)
        }
    };
    let err = |e: crate::ledger::LedgerError| ApiError::new("ledger.read", e.to_string());
    let rows = ledger.samples(None, resolution, from, now + 1).map_err(err)?;
    // Energy has no raw rows: the 10-minute chart reads its minutes.
    let (energy_resolution, energy_step) = match resolution {
        Resolution::Day => (Resolution::Day, 86_400),
        _ => {
            let step = if step_secs >= 3600 { 3600 } else { 60 };
            (energy::energy_resolution(step), step)
        }
    };
    let points = ledger.energy_series(None, energy_resolution, from, now + 1).map_err(err)?;
    // What the latest power figures cover and how they were obtained: the last day is enough,
    // and keeps a year's chart from summing a year of rows for a label.
    let kinds = ledger.energy_totals(None, from.max(now - DAY_MS), now + 1).map_err(err)?;
    let avg = |s: &Option<crate::ledger::Stat>| s.as_ref().map(|s| s.avg).filter(|v| v.is_finite());
    Ok(Series {
        range,
        step_secs,
        t: rows.iter().map(|r| r.at_ms as f64 / 1000.0).collect(),
        work_rate: rows.iter().map(|r| avg(&r.work_rate)).collect(),
        work_unit: rows.iter().rev().find_map(|r| r.work_unit.clone()),
        cpu_percent: rows.iter().map(|r| avg(&r.cpu_percent)).collect(),
        node_cpu_percent: rows.iter().map(|r| avg(&r.node_cpu_percent)).collect(),
        cpu_temp_c: rows.iter().map(|r| avg(&r.cpu_temp_c)).collect(),
        power_w: rows.iter().map(|r| avg(&r.power_w)).collect(),
        power_kind: match kinds.kinds.as_slice() {
            [one] if !kinds.mixed_kind => Some(one.clone()),
            [] => None,
            _ => Some("mixed".into()),
        },
        power_provenance: kinds.provenance().map(|p| energy::provenance_name(p).to_owned()),
        power_source: rows
            .iter()
            .rev()
            .find_map(|r| r.power_source.clone())
            .or(kinds.latest_source),
        energy: energy::energy_series(&points, energy_step),
    })
}

pub fn compliance(
    kb: &KnowledgeBase,
    code: &str,
    activity: Activity,
    lang: Lang,
) -> Option<ComplianceView> {
    let note = kb.note(code, activity, lang)?;
    let today = time::OffsetDateTime::now_utc().date();
    Some(ComplianceView {
        jurisdiction: note.code.clone(),
        jurisdiction_name: note.jurisdiction.clone(),
        activity: activity.as_str().into(),
        status: note.status.as_str().into(),
        confidence: note.confidence.as_str().into(),
        text: note.text.clone(),
        sources: note
            .sources
            .iter()
            .map(|i| SourceView {
                id: i.id().into(),
                title: i.title().into(),
                issuer: i.issuer().into(),
                date: i.date().into(),
                url: i.url().map(str::to_owned),
            })
            .collect(),
        last_reviewed: note.last_reviewed().to_string(),
        stale: note.is_stale(today),
        requires_acknowledgement: note.status.requires_acknowledgement(),
        note_version: note.version(),
        acknowledged_at_ms: None,
    })
}

#[cfg(test)]
#[path = "series_tests.rs"]
mod series_tests;
