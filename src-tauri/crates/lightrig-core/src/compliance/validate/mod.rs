//! Raw → validated. Each rule here is written down in compliance/README.md; an error names the
//! file, the line (from the TOML span) and the dotted field.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use time::Date;
use time::macros::format_description;
use toml::Spanned;

use super::checks::{check_en, check_fact_id, check_label, check_url, check_zh};
use super::error::{KbError, Place};
use super::raw::{RawInstrument, RawJurisdiction, RawNote, RawStatement, RawText, RawTopic};
use super::types::{
    ActivityNote, ActivityNotes, Confidence, Instrument, Jurisdiction, KbFile, Review, Statement,
    Status, Text,
};
use crate::model::Activity;

mod topic;

/// The only schema version this code reads.
pub(super) const SCHEMA: u32 = 1;
/// Longest review interval accepted: a note unreviewed for two years is not worth showing.
const MAX_INTERVAL_DAYS: u32 = 730;
/// Sentences in the English text of every note and statement.
const SENTENCES: std::ops::RangeInclusive<usize> = 2..=4;

/// Parses and validates one data file. Files named `_<topic>.toml` are cross-cutting topics;
/// every other `<code>.toml` is a jurisdiction whose code matches its name.
pub(super) fn parse_file(name: &str, text: &str) -> Result<KbFile, KbError> {
    let cx = Cx { file: name, text };
    let Some(stem) = name.strip_suffix(".toml") else {
        return Err(cx.invalid(None, "(file name)", "data files end in .toml"));
    };
    if let Some(topic) = stem.strip_prefix('_') {
        let raw: RawTopic = toml::from_str(text).map_err(|e| KbError::from_toml(name, text, &e))?;
        cx.topic(topic, raw).map(KbFile::Topic)
    } else {
        let raw: RawJurisdiction =
            toml::from_str(text).map_err(|e| KbError::from_toml(name, text, &e))?;
        cx.jurisdiction(stem, raw).map(|j| KbFile::Jurisdiction(Box::new(j)))
    }
}

struct Cx<'a> {
    file: &'a str,
    text: &'a str,
}

/// The parts of a sourced statement, wherever it sits in the file.
struct Prose<'r> {
    confidence: &'r str,
    facts: &'r [String],
    text: &'r RawText,
}

/// The instruments of one file, and which of them a note or statement has cited so far.
struct Sources {
    by_id: BTreeMap<String, Instrument>,
    cited: BTreeSet<String>,
}

impl Cx<'_> {
    fn invalid(
        &self,
        span: Option<Range<usize>>,
        field: &str,
        reason: impl Into<String>,
    ) -> KbError {
        KbError::Invalid {
            at: Place::at(self.file, self.text, span.map(|s| s.start)),
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    fn jurisdiction(&self, stem: &str, raw: RawJurisdiction) -> Result<Jurisdiction, KbError> {
        self.schema(raw.schema)?;
        let code = raw.code.get_ref();
        let code_ok = code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase());
        if !code_ok {
            let reason = format!("`{code}` is not an ISO 3166-1 alpha-2 code (or EU)");
            return Err(self.invalid(Some(raw.code.span()), "code", reason));
        }
        if code.to_ascii_lowercase() != stem {
            let reason = format!(
                "`{code}` does not match the file name; name the file {}.toml",
                code.to_ascii_lowercase()
            );
            return Err(self.invalid(Some(raw.code.span()), "code", reason));
        }
        let name = self.label_text(&raw.name, "name")?;
        let review = self.review(raw.version, &raw.last_reviewed, &raw.review_interval_days)?;
        let mut sources = self.instruments(raw.instruments)?;

        let mut by_activity = BTreeMap::new();
        for (key, note) in raw.activity {
            let Some(activity) = Activity::ALL.into_iter().find(|a| a.as_str() == key.get_ref())
            else {
                let expected: Vec<&str> = Activity::ALL.iter().map(|a| a.as_str()).collect();
                let reason = format!("unknown activity; expected one of {}", expected.join(", "));
                return Err(self.invalid(
                    Some(key.span()),
                    &format!("activity.{}", key.get_ref()),
                    reason,
                ));
            };
            let note = self.note(activity, note, &mut sources)?;
            by_activity.insert(activity.as_str(), note);
        }
        let mut take = |activity: Activity| {
            by_activity.remove(activity.as_str()).ok_or_else(|| {
                let field = format!("activity.{}", activity.as_str());
                self.invalid(
                    None,
                    &field,
                    "missing: every jurisdiction has a note for every activity",
                )
            })
        };
        let notes = ActivityNotes {
            pow_mining: take(Activity::PowMining)?,
            staking: take(Activity::Staking)?,
            storage: take(Activity::Storage)?,
            bandwidth: take(Activity::Bandwidth)?,
            compute: take(Activity::Compute)?,
        };
        let tax = self.statement(&raw.tax, "tax", &mut sources)?;
        let energy = self.statement(&raw.energy, "energy", &mut sources)?;
        let records = match &raw.records {
            Some(r) => Some(self.statement(r, "records", &mut sources)?),
            None => None,
        };
        let instruments = self.all_cited(sources)?;
        Ok(Jurisdiction {
            code: code.clone(),
            name,
            review,
            notes,
            tax,
            energy,
            records,
            instruments,
        })
    }

    fn schema(&self, schema: u32) -> Result<(), KbError> {
        if schema != SCHEMA {
            let reason =
                format!("schema {schema} is not known to this Lightrig; expected {SCHEMA}");
            return Err(self.invalid(None, "schema", reason));
        }
        Ok(())
    }

    fn review(
        &self,
        version: u32,
        last_reviewed: &Spanned<String>,
        interval: &Spanned<u32>,
    ) -> Result<Review, KbError> {
        if version == 0 {
            return Err(self.invalid(None, "version", "starts at 1 and is bumped on every change"));
        }
        let format = format_description!("[year]-[month]-[day]");
        let date = Date::parse(last_reviewed.get_ref(), &format).map_err(|e| {
            let reason =
                format!("`{}` is not a date like 2026-11-24 ({e})", last_reviewed.get_ref());
            self.invalid(Some(last_reviewed.span()), "last_reviewed", reason)
        })?;
        let days = *interval.get_ref();
        if !(1..=MAX_INTERVAL_DAYS).contains(&days) {
            let reason = format!("{days} is outside 1..={MAX_INTERVAL_DAYS}");
            return Err(self.invalid(Some(interval.span()), "review_interval_days", reason));
        }
        Ok(Review { version, last_reviewed: date, interval_days: days })
    }

    fn instruments(&self, raw: Vec<Spanned<RawInstrument>>) -> Result<Sources, KbError> {
        let mut by_id = BTreeMap::new();
        for (i, item) in raw.into_iter().enumerate() {
            let span = Some(item.span());
            let item = item.into_inner();
            let field = |name: &str| format!("instruments[{i}].{name}");
            check_fact_id(&item.id).map_err(|r| self.invalid(span.clone(), &field("id"), r))?;
            for (name, value) in
                [("title", &item.title), ("issuer", &item.issuer), ("date", &item.date)]
            {
                check_label(value, false)
                    .map_err(|r| self.invalid(span.clone(), &field(name), r))?;
            }
            if let Some(url) = &item.url {
                check_url(url.get_ref()).map_err(|r| {
                    let reason = format!("`{}` {r}", url.get_ref());
                    self.invalid(Some(url.span()), &field("url"), reason)
                })?;
            }
            for (name, value) in
                [("url_note", &item.url_note), ("confidence_note", &item.confidence_note)]
            {
                if let Some(v) = value {
                    check_label(v, false)
                        .map_err(|r| self.invalid(span.clone(), &field(name), r))?;
                }
            }
            if item.url.is_none() && item.url_note.is_none() {
                let reason = "without a url, say why in url_note (e.g. the fact base has only an http address)";
                return Err(self.invalid(span, &field("url"), reason));
            }
            let confidence =
                self.confidence(&item.confidence, span.clone(), &field("confidence"))?;
            let instrument = Instrument {
                id: item.id.clone(),
                title: item.title,
                issuer: item.issuer,
                date: item.date,
                url: item.url.map(Spanned::into_inner),
                url_note: item.url_note,
                confidence,
                confidence_note: item.confidence_note,
            };
            if by_id.insert(item.id.clone(), instrument).is_some() {
                return Err(self.invalid(
                    span,
                    &field("id"),
                    format!("`{}` is listed twice", item.id),
                ));
            }
        }
        Ok(Sources { by_id, cited: BTreeSet::new() })
    }

    /// Every instrument must back at least one note, so the list shown stays the one relied on.
    fn all_cited(&self, sources: Sources) -> Result<Vec<Instrument>, KbError> {
        if let Some(unused) = sources.by_id.keys().find(|id| !sources.cited.contains(*id)) {
            let reason = format!("`{unused}` is listed but no note cites it; cite it or remove it");
            return Err(self.invalid(None, "instruments", reason));
        }
        Ok(sources.by_id.into_values().collect())
    }

    fn confidence(
        &self,
        s: &str,
        span: Option<Range<usize>>,
        field: &str,
    ) -> Result<Confidence, KbError> {
        Confidence::parse(s).ok_or_else(|| {
            let reason = format!("`{s}` is not one of confirmed, secondary, unconfirmed");
            self.invalid(span, field, reason)
        })
    }

    fn note(
        &self,
        activity: Activity,
        raw: Spanned<RawNote>,
        sources: &mut Sources,
    ) -> Result<ActivityNote, KbError> {
        let span = Some(raw.span());
        let raw = raw.get_ref();
        let field = format!("activity.{}", activity.as_str());
        let status = Status::parse(&raw.status).ok_or_else(|| {
            let known: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            let reason = format!("`{}` is not one of {}", raw.status, known.join(", "));
            self.invalid(span.clone(), &format!("{field}.status"), reason)
        })?;
        let note_field = format!("{field}.note");
        let prose = Prose { confidence: &raw.confidence, facts: &raw.facts, text: &raw.note };
        let statement = self.prose(span, &field, &note_field, prose, sources)?;
        Ok(ActivityNote { status, statement })
    }

    fn statement(
        &self,
        raw: &Spanned<RawStatement>,
        field: &str,
        sources: &mut Sources,
    ) -> Result<Statement, KbError> {
        let span = Some(raw.span());
        let r = raw.get_ref();
        let text = RawText { en: r.en.clone(), zh_cn: r.zh_cn.clone() };
        let prose = Prose { confidence: &r.confidence, facts: &r.facts, text: &text };
        self.prose(span, field, field, prose, sources)
    }

    /// The rules shared by every sourced statement: known facts, confidence no stronger than
    /// the weakest fact it rests on (and `unconfirmed` when it rests on none), prose that says
    /// "not confirmed" when it is.
    fn prose(
        &self,
        span: Option<Range<usize>>,
        field: &str,
        text_field: &str,
        prose: Prose<'_>,
        sources: &mut Sources,
    ) -> Result<Statement, KbError> {
        let Prose { confidence, facts, text } = prose;
        let confidence =
            self.confidence(confidence, span.clone(), &format!("{field}.confidence"))?;
        let facts_field = format!("{field}.facts");
        let mut weakest = Confidence::Confirmed;
        let mut seen = BTreeSet::new();
        for id in facts {
            let Some(instrument) = sources.by_id.get(id) else {
                let reason = format!("`{id}` is not in this file's [[instruments]]; add it there");
                return Err(self.invalid(span, &facts_field, reason));
            };
            if !seen.insert(id) {
                return Err(self.invalid(span, &facts_field, format!("`{id}` is listed twice")));
            }
            weakest = weakest.min(instrument.confidence);
            sources.cited.insert(id.clone());
        }
        if facts.is_empty() {
            weakest = Confidence::Unconfirmed;
        }
        if confidence > weakest {
            let reason = format!(
                "`{}` is stronger than the facts allow; the weakest it rests on is `{}`",
                confidence.as_str(),
                weakest.as_str()
            );
            return Err(self.invalid(span, &format!("{field}.confidence"), reason));
        }
        let unconfirmed = confidence == Confidence::Unconfirmed;
        let text = self.text(text, span, text_field, Some(unconfirmed))?;
        Ok(Statement { text, confidence, facts: facts.to_vec() })
    }

    /// Prose when `unconfirmed` is `Some`, a one-line label otherwise.
    fn text(
        &self,
        raw: &RawText,
        span: Option<Range<usize>>,
        field: &str,
        unconfirmed: Option<bool>,
    ) -> Result<Text, KbError> {
        let (en, zh) = match unconfirmed {
            Some(u) => (check_en(&raw.en, SENTENCES, u), check_zh(&raw.zh_cn, u)),
            None => (check_label(&raw.en, false), check_label(&raw.zh_cn, true)),
        };
        en.map_err(|r| self.invalid(span.clone(), &format!("{field}.en"), r))?;
        zh.map_err(|r| self.invalid(span, &format!("{field}.zh-CN"), r))?;
        Ok(Text { en: raw.en.clone(), zh_cn: raw.zh_cn.clone() })
    }

    fn label_text(&self, raw: &Spanned<RawText>, field: &str) -> Result<Text, KbError> {
        self.text(raw.get_ref(), Some(raw.span()), field, None)
    }
}
