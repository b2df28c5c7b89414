//! The data files as serde reads them: plain strings, unknown keys refused. `validate` turns
//! these into the typed values of `types`. Tables are `Spanned` so a validation error can still
//! give the line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// `{ en = "...", zh-CN = "..." }`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawText {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
}

/// A jurisdiction file, e.g. `cn.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawJurisdiction {
    pub schema: u32,
    pub code: Spanned<String>,
    pub name: Spanned<RawText>,
    pub version: u32,
    pub last_reviewed: Spanned<String>,
    pub review_interval_days: Spanned<u32>,
    /// Keyed by activity (`pow-mining`, `staking`, ...); checked against `model::Activity`.
    pub activity: BTreeMap<Spanned<String>, Spanned<RawNote>>,
    pub tax: Spanned<RawStatement>,
    pub energy: Spanned<RawStatement>,
    #[serde(default)]
    pub records: Option<Spanned<RawStatement>>,
    pub instruments: Vec<Spanned<RawInstrument>>,
}

/// `[activity.<activity>]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNote {
    pub status: String,
    pub confidence: String,
    pub facts: Vec<String>,
    pub note: RawText,
}

/// `[tax]`, `[energy]`, `[records]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStatement {
    pub confidence: String,
    pub facts: Vec<String>,
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
}

/// `[[instruments]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInstrument {
    pub id: String,
    pub title: String,
    pub issuer: String,
    pub date: String,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub url_note: Option<String>,
    pub confidence: String,
    #[serde(default)]
    pub confidence_note: Option<String>,
}

/// A cross-cutting topic file, e.g. `_workplace.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTopic {
    pub schema: u32,
    pub topic: Spanned<String>,
    pub title: Spanned<RawText>,
    pub version: u32,
    pub last_reviewed: Spanned<String>,
    pub review_interval_days: Spanned<u32>,
    pub points: Vec<Spanned<RawPoint>>,
    pub instruments: Vec<Spanned<RawInstrument>>,
}

/// `[[points]]` of a topic.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPoint {
    pub id: String,
    pub confidence: String,
    pub facts: Vec<String>,
    pub heading: RawText,
    pub text: RawText,
}
