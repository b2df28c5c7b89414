//! The ledger's schema, as rusqlite_migration steps. The schema version lives in SQLite's
//! `user_version`; append new steps, never edit a released one.
//!
//! Choices worth knowing:
//! - `events` and `rewards` are append-only: triggers refuse UPDATE and DELETE, so a bug or a
//!   stray tool cannot rewrite history.
//! - Reward amounts are stored as canonical decimal TEXT, not INTEGER. SQLite integers are 64-bit,
//!   and an 18-decimal token (Mysterium's MYST is reported in wei) overflows i64 above 9.22 whole
//!   tokens. TEXT holds the model's full i128 range losslessly; totals are summed in Rust with
//!   checked i128 arithmetic. A CHECK keeps the column to an optional minus sign and digits.
//! - Sample rollups store, per numeric field, the sum, the count of non-NULL values, the minimum
//!   and the maximum. Averages are sum / count, so hour rows merge minute rows exactly and a
//!   missing sensor (NULL) never drags an average toward 0.
//! - `samples_raw.node_id` and `sample_rollups.node_id` use '' for "no node" (machine-only
//!   samples) because SQLite treats NULLs in a primary key as distinct.

use rusqlite_migration::{M, Migrations};

/// The numeric sample fields that get avg/min/max rollups, in column order. The rollup code and
/// the rollup table's columns both follow this list.
pub(crate) const STAT_FIELDS: [&str; 8] = [
    "cpu_percent",
    "mem_used_bytes",
    "node_cpu_percent",
    "node_rss_bytes",
    "work_rate",
    "cpu_temp_c",
    "power_w",
    "on_battery",
];

const V1: &str = r#"
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    node_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('start', 'stop', 'crash', 'state', 'note')),
    state TEXT,
    detail TEXT
);
CREATE INDEX events_node_at ON events (node_id, at_ms);
CREATE INDEX events_at ON events (at_ms);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE rewards (
    id INTEGER PRIMARY KEY,
    node_id TEXT NOT NULL,
    key TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    asset TEXT NOT NULL,
    decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 38),
    atomic TEXT NOT NULL CHECK (
        length(atomic) BETWEEN 1 AND 40
        AND atomic NOT GLOB '*[^0-9-]*'
        AND atomic NOT GLOB '?*-*'
        AND atomic <> '-'
    ),
    state TEXT NOT NULL CHECK (state IN ('estimated', 'pending', 'paid')),
    source TEXT NOT NULL,
    simulated INTEGER NOT NULL CHECK (simulated IN (0, 1)),
    recorded_at_ms INTEGER NOT NULL,
    UNIQUE (node_id, key, state)
);
CREATE INDEX rewards_at ON rewards (at_ms);
CREATE INDEX rewards_node_at ON rewards (node_id, at_ms);
CREATE TRIGGER rewards_no_update BEFORE UPDATE ON rewards
    BEGIN SELECT RAISE(ABORT, 'rewards are append-only'); END;
CREATE TRIGGER rewards_no_delete BEFORE DELETE ON rewards
    BEGIN SELECT RAISE(ABORT, 'rewards are append-only'); END;

CREATE TABLE samples_raw (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    node_id TEXT NOT NULL DEFAULT '',
    cpu_percent REAL,
    mem_used_bytes INTEGER,
    node_cpu_percent REAL,
    node_rss_bytes INTEGER,
    work_rate REAL,
    cpu_temp_c REAL,
    power_w REAL,
    on_battery INTEGER CHECK (on_battery IN (0, 1)),
    work_unit TEXT,
    total_work INTEGER,
    power_source TEXT
);
CREATE INDEX samples_raw_at ON samples_raw (at_ms);
CREATE INDEX samples_raw_node_at ON samples_raw (node_id, at_ms);

CREATE TABLE sample_rollups (
    res_ms INTEGER NOT NULL CHECK (res_ms IN (60000, 3600000)),
    node_id TEXT NOT NULL,
    bucket_ms INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    cpu_percent_sum REAL, cpu_percent_n INTEGER NOT NULL,
    cpu_percent_min REAL, cpu_percent_max REAL,
    mem_used_bytes_sum REAL, mem_used_bytes_n INTEGER NOT NULL,
    mem_used_bytes_min REAL, mem_used_bytes_max REAL,
    node_cpu_percent_sum REAL, node_cpu_percent_n INTEGER NOT NULL,
    node_cpu_percent_min REAL, node_cpu_percent_max REAL,
    node_rss_bytes_sum REAL, node_rss_bytes_n INTEGER NOT NULL,
    node_rss_bytes_min REAL, node_rss_bytes_max REAL,
    work_rate_sum REAL, work_rate_n INTEGER NOT NULL,
    work_rate_min REAL, work_rate_max REAL,
    cpu_temp_c_sum REAL, cpu_temp_c_n INTEGER NOT NULL,
    cpu_temp_c_min REAL, cpu_temp_c_max REAL,
    power_w_sum REAL, power_w_n INTEGER NOT NULL,
    power_w_min REAL, power_w_max REAL,
    on_battery_sum REAL, on_battery_n INTEGER NOT NULL,
    on_battery_min REAL, on_battery_max REAL,
    work_unit TEXT,
    power_source TEXT,
    total_work_last INTEGER,
    work_done INTEGER,
    energy_wh REAL,
    PRIMARY KEY (res_ms, node_id, bucket_ms)
) WITHOUT ROWID;
CREATE INDEX sample_rollups_res_bucket ON sample_rollups (res_ms, bucket_ms);

-- How far each resolution has been rolled up: every source row before done_until_ms is in.
CREATE TABLE rollup_progress (
    res_ms INTEGER PRIMARY KEY,
    done_until_ms INTEGER NOT NULL
);
"#;

/// Energy and its cost per minute and hour, from the energy account (`energy::EnergyRollup`).
/// Integers, as the account keeps them: energy in microjoules, money in billionths of the
/// currency unit, prices in millionths per kWh. NULL means "not available" (no power reading,
/// no tariff, or part of the interval had no price), never 0.
const V2: &str = r#"
CREATE TABLE energy_rollups (
    res_ms INTEGER NOT NULL CHECK (res_ms IN (60000, 3600000)),
    node_id TEXT NOT NULL,
    bucket_ms INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    covered_ms INTEGER NOT NULL,
    gap_ms INTEGER NOT NULL,
    energy_uj INTEGER,
    marginal_energy_uj INTEGER,
    cost_nano INTEGER,
    marginal_cost_nano INTEGER,
    uncosted_ms INTEGER NOT NULL DEFAULT 0,
    currency TEXT CHECK (currency IS NULL OR length(currency) = 3),
    price_micro_per_kwh INTEGER,
    tariff TEXT,
    power_kind TEXT,
    power_source TEXT,
    PRIMARY KEY (res_ms, node_id, bucket_ms)
) WITHOUT ROWID;
CREATE INDEX energy_rollups_res_bucket ON energy_rollups (res_ms, bucket_ms);
"#;

/// Acknowledgements of compliance notes: where a note's status is restricted or prohibited, a
/// node starts only after the user has read that version of the note and said so. Append-only,
/// like events: it is the user's own record of what they were told and when.
const V3: &str = r#"
CREATE TABLE acknowledgements (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    node_id TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    activity TEXT NOT NULL,
    status TEXT NOT NULL,
    note_version INTEGER NOT NULL,
    last_reviewed TEXT NOT NULL,
    lang TEXT NOT NULL
);
CREATE INDEX acknowledgements_note ON acknowledgements (jurisdiction, activity, note_version);
CREATE TRIGGER acknowledgements_no_update BEFORE UPDATE ON acknowledgements
    BEGIN SELECT RAISE(ABORT, 'acknowledgements are append-only'); END;
CREATE TRIGGER acknowledgements_no_delete BEFORE DELETE ON acknowledgements
    BEGIN SELECT RAISE(ABORT, 'acknowledgements are append-only'); END;
"#;

/// Coin prices as they were known: each price the user set (or cleared) and each price a feed
/// returned, append-only, so a reward is valued later with the price in force when it arrived.
/// `price_nano` is billionths of `currency` per whole coin, like the rest of the ledger's money;
/// NULL only on a `user` row that records the user removing their price. `kind` says which rule
/// holds it in force (`ledger::prices`): a user price until changed, a feed price for 7 days.
const V4: &str = r#"
CREATE TABLE prices (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    asset TEXT NOT NULL CHECK (length(asset) BETWEEN 1 AND 16),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    price_nano INTEGER CHECK (price_nano IS NULL OR price_nano > 0),
    kind TEXT NOT NULL CHECK (kind IN ('user', 'feed')),
    source TEXT NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    CHECK (price_nano IS NOT NULL OR kind = 'user')
);
CREATE INDEX prices_asset_at ON prices (asset, currency, kind, at_ms);
CREATE TRIGGER prices_no_update BEFORE UPDATE ON prices
    BEGIN SELECT RAISE(ABORT, 'prices are append-only'); END;
CREATE TRIGGER prices_no_delete BEFORE DELETE ON prices
    BEGIN SELECT RAISE(ABORT, 'prices are append-only'); END;
"#;

const STEPS: &[M<'static>] = &[M::up(V1), M::up(V2), M::up(V3), M::up(V4)];

/// The migrations, oldest first.
pub(crate) const MIGRATIONS: Migrations<'static> = Migrations::from_slice(STEPS);

/// The schema version this Lightrig writes; a file with a higher `user_version` is newer.
pub(crate) const LATEST_VERSION: i64 = STEPS.len() as i64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn rollup_table_has_four_columns_per_stat_field() {
        for field in STAT_FIELDS {
            for suffix in ["_sum", "_n", "_min", "_max"] {
                let column = format!("{field}{suffix}");
                assert!(V1.contains(&format!("{column} ")), "missing column {column}");
            }
        }
    }
}
