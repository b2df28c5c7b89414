//! Validated types of the knowledge base. They are built only by `validate`, so a value of these
//! types always satisfies the schema rules: every activity present, https URLs, known fact ids.

use serde::Serialize;
use time::{Date, Duration};

use crate::model::Activity;

/// The languages every note is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Lang {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag, as used for keys in the data files.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }
}

/// What the rules allow for one activity in one jurisdiction, for an individual on their own
/// device and their own electricity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Permitted,
    PermittedWithLicence,
    /// Allowed with material limits: tariffs, zones, seasons, caps.
    Restricted,
    Prohibited,
    /// No rule found, or the rules found do not settle it.
    Unclear,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Permitted,
        Status::PermittedWithLicence,
        Status::Restricted,
        Status::Prohibited,
        Status::Unclear,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Permitted => "permitted",
            Status::PermittedWithLicence => "permitted-with-licence",
            Status::Restricted => "restricted",
            Status::Prohibited => "prohibited",
            Status::Unclear => "unclear",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// True when the user must read and acknowledge the note before a node of this activity
    /// starts: the rules limit or forbid it where they live.
    pub fn requires_acknowledgement(self) -> bool {
        matches!(self, Status::Restricted | Status::Prohibited)
    }
}

/// How well a statement is sourced. Ordered from weakest to strongest, so `min` of several
/// flags is the weakest one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Background knowledge, conflicting sources, a negative finding, or a status after a
    /// cut-off date that is unknown. Notes resting on it say "not confirmed".
    Unconfirmed,
    /// One secondary source (law firm, press, tax-tool blog); the official text not opened.
    Secondary,
    /// Seen in an official page, or two independent consistent sources.
    Confirmed,
}

impl Confidence {
    pub const ALL: [Confidence; 3] =
        [Confidence::Unconfirmed, Confidence::Secondary, Confidence::Confirmed];

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Unconfirmed => "unconfirmed",
            Confidence::Secondary => "secondary",
            Confidence::Confirmed => "confirmed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A text in every [`Lang`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub(super) en: String,
    pub(super) zh_cn: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh_cn,
        }
    }
}

/// A law, ruling, guidance or report from the fact base, cited by its id (e.g. `CN-3`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instrument {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) issuer: String,
    pub(super) date: String,
    pub(super) url: Option<String>,
    pub(super) url_note: Option<String>,
    pub(super) confidence: Confidence,
    pub(super) confidence_note: Option<String>,
}

impl Instrument {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
    /// As the fact base gives it: a day, a month, or a range ("2021-12 → 2022-06").
    pub fn date(&self) -> &str {
        &self.date
    }
    /// Always https when present.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }
    /// Why there is no URL, or what to know about it (a mirror, an official page not opened).
    pub fn url_note(&self) -> Option<&str> {
        self.url_note.as_deref()
    }
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
    /// Which part of the fact is weaker than its flag, when the fact base splits its flag.
    pub fn confidence_note(&self) -> Option<&str> {
        self.confidence_note.as_deref()
    }
}

/// When a file was last reviewed and how long that review holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    pub(super) version: u32,
    pub(super) last_reviewed: Date,
    pub(super) interval_days: u32,
}

impl Review {
    /// Bumped on every change to the file, so the UI can tell a user the note changed.
    pub fn version(&self) -> u32 {
        self.version
    }
    pub fn last_reviewed(&self) -> Date {
        self.last_reviewed
    }
    pub fn interval_days(&self) -> u32 {
        self.interval_days
    }
    /// The last day the review holds.
    pub fn due(&self) -> Date {
        self.last_reviewed.saturating_add(Duration::days(i64::from(self.interval_days)))
    }
    /// True once `today` is past the due date: the UI then says the note may be out of date.
    pub fn is_stale(&self, today: Date) -> bool {
        today > self.due()
    }
}

/// A sourced statement: text in every language, its confidence, and the fact ids it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub(super) text: Text,
    pub(super) confidence: Confidence,
    pub(super) facts: Vec<String>,
}

impl Statement {
    pub fn text(&self, lang: Lang) -> &str {
        self.text.get(lang)
    }
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
    pub fn facts(&self) -> &[String] {
        &self.facts
    }
}

/// The note for one activity in one jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityNote {
    pub(super) status: Status,
    pub(super) statement: Statement,
}

impl ActivityNote {
    pub fn status(&self) -> Status {
        self.status
    }
    pub fn confidence(&self) -> Confidence {
        self.statement.confidence
    }
    pub fn text(&self, lang: Lang) -> &str {
        self.statement.text(lang)
    }
    pub fn facts(&self) -> &[String] {
        &self.statement.facts
    }
}

/// One note per activity; a field per activity so a jurisdiction cannot lack one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ActivityNotes {
    pub(super) pow_mining: ActivityNote,
    pub(super) staking: ActivityNote,
    pub(super) storage: ActivityNote,
    pub(super) bandwidth: ActivityNote,
    pub(super) compute: ActivityNote,
}

impl ActivityNotes {
    fn get(&self, activity: Activity) -> &ActivityNote {
        match activity {
            Activity::PowMining => &self.pow_mining,
            Activity::Staking => &self.staking,
            Activity::Storage => &self.storage,
            Activity::Bandwidth => &self.bandwidth,
            Activity::Compute => &self.compute,
        }
    }
}

/// A country (ISO 3166-1 alpha-2 code) or the EU, with a note for every activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdiction {
    pub(super) code: String,
    pub(super) name: Text,
    pub(super) review: Review,
    pub(super) notes: ActivityNotes,
    pub(super) tax: Statement,
    pub(super) energy: Statement,
    pub(super) records: Option<Statement>,
    pub(super) instruments: Vec<Instrument>,
}

impl Jurisdiction {
    pub fn code(&self) -> &str {
        &self.code
    }
    pub fn name(&self, lang: Lang) -> &str {
        self.name.get(lang)
    }
    pub fn review(&self) -> Review {
        self.review
    }
    pub fn note(&self, activity: Activity) -> &ActivityNote {
        self.notes.get(activity)
    }
    /// How rewards are taxed and when.
    pub fn tax(&self) -> &Statement {
        &self.tax
    }
    /// Energy rules: tariffs, surcharges, connection pauses, regional or seasonal bans.
    pub fn energy(&self) -> &Statement {
        &self.energy
    }
    /// What records the tax authority expects, where the fact base says.
    pub fn records(&self) -> Option<&Statement> {
        self.records.as_ref()
    }
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }
}

/// The cross-cutting topics, each in its own `_<topic>.toml` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TopicKind {
    /// Someone else's device or electricity: employer, school, public body.
    Workplace,
    /// Privacy coins such as Monero: what happens to them at exchanges and banks.
    PrivacyCoins,
}

impl TopicKind {
    pub const ALL: [TopicKind; 2] = [TopicKind::Workplace, TopicKind::PrivacyCoins];

    pub fn as_str(self) -> &'static str {
        match self {
            TopicKind::Workplace => "workplace",
            TopicKind::PrivacyCoins => "privacy-coins",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One point of a topic: a heading and a sourced statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicPoint {
    pub(super) id: String,
    pub(super) heading: Text,
    pub(super) statement: Statement,
}

impl TopicPoint {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn heading(&self, lang: Lang) -> &str {
        self.heading.get(lang)
    }
    pub fn statement(&self) -> &Statement {
        &self.statement
    }
}

/// A cross-cutting topic, shown whatever the jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub(super) kind: TopicKind,
    pub(super) title: Text,
    pub(super) review: Review,
    pub(super) points: Vec<TopicPoint>,
    pub(super) instruments: Vec<Instrument>,
}

impl Topic {
    pub fn kind(&self) -> TopicKind {
        self.kind
    }
    pub fn title(&self, lang: Lang) -> &str {
        self.title.get(lang)
    }
    pub fn review(&self) -> Review {
        self.review
    }
    pub fn points(&self) -> &[TopicPoint] {
        &self.points
    }
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }
}

/// One parsed and validated data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KbFile {
    Jurisdiction(Box<Jurisdiction>),
    Topic(Topic),
}
