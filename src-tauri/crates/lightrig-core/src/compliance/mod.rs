//! The compliance knowledge base: for each jurisdiction, what the rules say about each activity
//! (proof-of-work mining, staking, storage, bandwidth and compute nodes), how rewards are taxed,
//! and what energy rules apply; plus cross-cutting topics (someone else's device or electricity,
//! privacy coins). Lightrig shows the note before a node starts and on the dashboard, so
//! participation happens inside rules the user can see.
//!
//! The notes are data, not code: one TOML file per jurisdiction in `compliance/` next to this
//! crate's `Cargo.toml`, embedded in the binary at build time and validated when loaded. Every
//! statement carries the fact ids it rests on and a confidence flag; the rules are in
//! `compliance/README.md`.

mod checks;
mod error;
mod files;
mod raw;
mod types;
mod validate;
mod view;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

pub use error::{KbError, Place};
pub use types::{
    ActivityNote, Confidence, Instrument, Jurisdiction, KbFile, Lang, Review, Statement, Status,
    Text, Topic, TopicKind, TopicPoint,
};
pub use view::{NoteView, PointView, StatementView, TopicView};

use crate::model::Activity;

/// All jurisdictions and topics, validated. Cheap to query; build it once and keep it.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    jurisdictions: BTreeMap<String, Jurisdiction>,
    topics: BTreeMap<&'static str, Topic>,
}

impl KnowledgeBase {
    /// The knowledge base shipped in the binary. An error here means a data file in the
    /// repository is broken; the tests catch that before a release.
    pub fn builtin() -> Result<KnowledgeBase, KbError> {
        Self::from_files(files::FILES.iter().copied())
    }

    /// Parses and validates one data file on its own (`name` decides its kind: `cn.toml` is a
    /// jurisdiction, `_workplace.toml` a topic).
    pub fn parse_file(name: &str, text: &str) -> Result<KbFile, KbError> {
        validate::parse_file(name, text)
    }

    /// Builds a knowledge base from `(file name, contents)` pairs, checking across files that
    /// no jurisdiction or topic comes twice and that an instrument cited in two files is the
    /// same instrument (same URL and confidence) in both.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<KnowledgeBase, KbError> {
        let mut kb = KnowledgeBase::default();
        let mut seen: BTreeMap<String, (String, Instrument)> = BTreeMap::new();
        let mut origin: BTreeMap<String, String> = BTreeMap::new();
        for (name, text) in files {
            let (key, instruments) = match Self::parse_file(name, text)? {
                KbFile::Jurisdiction(j) => {
                    let key = j.code().to_owned();
                    let instruments = j.instruments().to_vec();
                    kb.jurisdictions.insert(key.clone(), *j);
                    (key, instruments)
                }
                KbFile::Topic(t) => {
                    let key = format!("_{}", t.kind().as_str());
                    let instruments = t.instruments().to_vec();
                    kb.topics.insert(t.kind().as_str(), t);
                    (key, instruments)
                }
            };
            if let Some(other) = origin.insert(key.clone(), name.to_owned()) {
                return Err(KbError::Conflict {
                    at: Place::file(name),
                    field: "code".into(),
                    reason: format!("`{key}` is defined twice"),
                    other,
                });
            }
            for instrument in instruments {
                check_same_instrument(name, &instrument, &mut seen)?;
            }
        }
        Ok(kb)
    }

    /// Every jurisdiction, ordered by code.
    pub fn jurisdictions(&self) -> impl Iterator<Item = &Jurisdiction> {
        self.jurisdictions.values()
    }

    /// The jurisdiction with this code (`CN`, `gb`, `EU`; case does not matter).
    pub fn jurisdiction(&self, code: &str) -> Option<&Jurisdiction> {
        self.jurisdictions.get(&code.to_ascii_uppercase())
    }

    /// The note for `activity` in the jurisdiction `code`, in `lang`, with its sources.
    pub fn note(&self, code: &str, activity: Activity, lang: Lang) -> Option<NoteView> {
        let j = self.jurisdiction(code)?;
        let note = j.note(activity);
        Some(NoteView {
            code: j.code().to_owned(),
            jurisdiction: j.name(lang).to_owned(),
            activity,
            status: note.status(),
            confidence: note.confidence(),
            text: note.text(lang).to_owned(),
            sources: view::resolve(note.facts(), j.instruments()),
            review: j.review(),
        })
    }

    /// How rewards are taxed in `code`, and when.
    pub fn tax(&self, code: &str, lang: Lang) -> Option<StatementView> {
        let j = self.jurisdiction(code)?;
        Some(StatementView::new(j.tax(), lang, j.instruments()))
    }

    /// Energy rules in `code`.
    pub fn energy(&self, code: &str, lang: Lang) -> Option<StatementView> {
        let j = self.jurisdiction(code)?;
        Some(StatementView::new(j.energy(), lang, j.instruments()))
    }

    /// What records the tax authority of `code` expects, where the fact base says.
    pub fn records(&self, code: &str, lang: Lang) -> Option<StatementView> {
        let j = self.jurisdiction(code)?;
        Some(StatementView::new(j.records()?, lang, j.instruments()))
    }

    /// What happens when the device or the electricity is not the user's own (employer,
    /// school, public body). Shown whenever the user says so, whatever the jurisdiction.
    pub fn workplace(&self, lang: Lang) -> Option<TopicView> {
        self.topic(TopicKind::Workplace, lang)
    }

    /// Privacy coins such as Monero: how exchanges and banks treat them.
    pub fn privacy_coins(&self, lang: Lang) -> Option<TopicView> {
        self.topic(TopicKind::PrivacyCoins, lang)
    }

    pub fn topic(&self, kind: TopicKind, lang: Lang) -> Option<TopicView> {
        self.topics.get(kind.as_str()).map(|t| TopicView::new(t, lang))
    }
}

/// One fact id, one instrument: a second file citing it must agree on URL and confidence, so
/// a correction made in one file cannot silently miss another.
fn check_same_instrument(
    file: &str,
    instrument: &Instrument,
    seen: &mut BTreeMap<String, (String, Instrument)>,
) -> Result<(), KbError> {
    match seen.get(instrument.id()) {
        Some((other, first))
            if first.url() != instrument.url() || first.confidence() != instrument.confidence() =>
        {
            Err(KbError::Conflict {
                at: Place::file(file),
                field: format!("instruments.{}", instrument.id()),
                reason: "differs in url or confidence from the same instrument in another file"
                    .into(),
                other: other.clone(),
            })
        }
        Some(_) => Ok(()),
        None => {
            seen.insert(instrument.id().to_owned(), (file.to_owned(), instrument.clone()));
            Ok(())
        }
    }
}
