//! Errors of the energy module that are not about tariffs (those are in `tariff::error`).

use thiserror::Error;

/// A data table shipped with the app could not be read. Only a broken build produces this (a
/// test parses every shipped table), so the message is for whoever edited the file.
#[derive(Debug, Error)]
pub enum DataError {
    #[error(
        "the shipped data file {file} is not valid: {reason}. Fix the file (its header says \
         what each field means) and rebuild"
    )]
    Invalid { file: &'static str, reason: String },
}

/// A value the user typed for the power model is not usable.
#[derive(Debug, Error, PartialEq)]
pub enum ModelError {
    #[error("{field} = {value} W is not a usable power: {problem}")]
    BadWatts { field: &'static str, value: f64, problem: &'static str },
    #[error(
        "the load reading ({load_w} W) must be higher than the idle reading ({idle_w} W): \
         read the plug meter once with the node stopped and once while it mines"
    )]
    LoadNotAboveIdle { idle_w: f64, load_w: f64 },
    #[error(
        "PSU efficiency {value} is not between 0.5 and 1.0 (typical desktop supplies: 0.85-0.92)"
    )]
    BadEfficiency { value: f64 },
}

/// Checks a typed wattage: finite, not negative, below 5 kW (no desk machine draws more).
pub(crate) fn check_watts(field: &'static str, value: f64) -> Result<f64, ModelError> {
    let problem = if !value.is_finite() {
        "it is not a number"
    } else if value < 0.0 {
        "it is negative"
    } else if value > 5_000.0 {
        "it is above 5,000 W, more than a desk machine can draw"
    } else {
        return Ok(value);
    };
    Err(ModelError::BadWatts { field, value, problem })
}
