//! Validation of the cross-cutting topic files (`_workplace.toml`, `_privacy-coins.toml`).

use std::collections::BTreeSet;

use super::super::error::KbError;
use super::super::raw::{RawPoint, RawTopic};
use super::super::types::{Topic, TopicKind, TopicPoint};
use super::{Cx, Prose};

impl Cx<'_> {
    pub(super) fn topic(&self, stem: &str, raw: RawTopic) -> Result<Topic, KbError> {
        self.schema(raw.schema)?;
        let Some(kind) = TopicKind::parse(raw.topic.get_ref()) else {
            let known: Vec<&str> = TopicKind::ALL.iter().map(|k| k.as_str()).collect();
            let reason = format!("unknown topic; expected one of {}", known.join(", "));
            return Err(self.invalid(Some(raw.topic.span()), "topic", reason));
        };
        if kind.as_str() != stem {
            let reason =
                format!("does not match the file name; name the file _{}.toml", kind.as_str());
            return Err(self.invalid(Some(raw.topic.span()), "topic", reason));
        }
        let title = self.label_text(&raw.title, "title")?;
        let review = self.review(raw.version, &raw.last_reviewed, &raw.review_interval_days)?;
        let mut sources = self.instruments(raw.instruments)?;
        if raw.points.is_empty() {
            return Err(self.invalid(None, "points", "a topic needs at least one point"));
        }
        let mut points = Vec::with_capacity(raw.points.len());
        let mut ids = BTreeSet::new();
        for (i, point) in raw.points.iter().enumerate() {
            let span = Some(point.span());
            let point: &RawPoint = point.get_ref();
            let field = format!("points[{i}]");
            if point.id.is_empty() || !point.id.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            {
                return Err(self.invalid(
                    span,
                    &format!("{field}.id"),
                    "use lower-case words joined by -",
                ));
            }
            if !ids.insert(point.id.clone()) {
                return Err(self.invalid(
                    span,
                    &format!("{field}.id"),
                    format!("`{}` is used twice", point.id),
                ));
            }
            let heading =
                self.text(&point.heading, span.clone(), &format!("{field}.heading"), None)?;
            let prose =
                Prose { confidence: &point.confidence, facts: &point.facts, text: &point.text };
            let statement =
                self.prose(span, &field, &format!("{field}.text"), prose, &mut sources)?;
            points.push(TopicPoint { id: point.id.clone(), heading, statement });
        }
        let instruments = self.all_cited(sources)?;
        Ok(Topic { kind, title, review, points, instruments })
    }
}
