//! What the UI shows: one note (or statement, or topic) in one language, with its sources
//! resolved and the review dates that say whether it may be out of date.

use time::Date;

use super::types::{Confidence, Instrument, Lang, Review, Statement, Status, Topic};
use crate::model::Activity;

/// The note for one activity in one jurisdiction, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteView {
    pub code: String,
    /// The jurisdiction's name in the note's language.
    pub jurisdiction: String,
    pub activity: Activity,
    pub status: Status,
    pub confidence: Confidence,
    pub text: String,
    /// The instruments the note rests on; empty when it rests on a negative finding.
    pub sources: Vec<Instrument>,
    pub review: Review,
}

impl NoteView {
    pub fn version(&self) -> u32 {
        self.review.version()
    }
    pub fn last_reviewed(&self) -> Date {
        self.review.last_reviewed()
    }
    /// True once `today` is past `last_reviewed + review_interval_days`.
    pub fn is_stale(&self, today: Date) -> bool {
        self.review.is_stale(today)
    }
}

/// A sourced statement (tax, energy, records, or a topic's point) in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementView {
    pub confidence: Confidence,
    pub text: String,
    pub sources: Vec<Instrument>,
}

impl StatementView {
    pub(super) fn new(statement: &Statement, lang: Lang, instruments: &[Instrument]) -> Self {
        StatementView {
            confidence: statement.confidence(),
            text: statement.text(lang).to_owned(),
            sources: resolve(statement.facts(), instruments),
        }
    }
}

/// One point of a topic in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointView {
    pub id: String,
    pub heading: String,
    pub body: StatementView,
}

/// A cross-cutting topic (workplace, privacy coins) in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicView {
    pub title: String,
    pub points: Vec<PointView>,
    pub review: Review,
}

impl TopicView {
    pub(super) fn new(topic: &Topic, lang: Lang) -> Self {
        let points = topic
            .points()
            .iter()
            .map(|p| PointView {
                id: p.id().to_owned(),
                heading: p.heading(lang).to_owned(),
                body: StatementView::new(p.statement(), lang, topic.instruments()),
            })
            .collect();
        TopicView { title: topic.title(lang).to_owned(), points, review: topic.review() }
    }

    /// True once `today` is past the topic's review interval.
    pub fn is_stale(&self, today: Date) -> bool {
        self.review.is_stale(today)
    }
}

/// The instruments named by `facts`, in the order cited. Validation guarantees each exists.
pub(super) fn resolve(facts: &[String], instruments: &[Instrument]) -> Vec<Instrument> {
    facts.iter().filter_map(|id| instruments.iter().find(|i| i.id() == id).cloned()).collect()
}
