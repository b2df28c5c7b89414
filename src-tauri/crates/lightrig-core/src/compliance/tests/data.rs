//! The shipped data files: every one parses, validates and says what the schema promises.

use std::collections::BTreeSet;

use time::macros::date;

use super::super::checks::{check_url, count_sentences};
use super::super::files::FILES;
use super::super::*;

/// The jurisdictions of the fact base; the UI's picker relies on all of them.
const REQUIRED: [&str; 20] = [
    "CN", "HK", "SG", "JP", "KR", "US", "EU", "DE", "GB", "CA", "RU", "KZ", "IR", "NO", "SE", "IN",
    "AU", "AE", "BR", "TR",
];

fn kb() -> KnowledgeBase {
    match KnowledgeBase::builtin() {
        Ok(kb) => kb,
        Err(e) => panic!("a shipped data file is broken: {e}"),
    }
}

#[test]
fn every_file_parses_and_validates_on_its_own() {
    for (name, text) in FILES {
        if let Err(e) = KnowledgeBase::parse_file(name, text) {
            panic!("{e}");
        }
    }
    kb();
}

#[test]
fn every_file_on_disk_is_embedded() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("compliance");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    let embedded: BTreeSet<String> = FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(on_disk, embedded, "compliance/*.toml and files.rs must list the same files");
}

#[test]
fn the_twenty_jurisdictions_are_present() {
    let kb = kb();
    let codes: BTreeSet<&str> = kb.jurisdictions().map(|j| j.code()).collect();
    for code in REQUIRED {
        assert!(codes.contains(code), "missing jurisdiction {code}");
    }
    assert!(kb.jurisdiction("gb").is_some(), "lookups ignore case");
    assert!(kb.jurisdiction("XX").is_none());
    assert!(kb.note("XX", Activity::Staking, Lang::En).is_none());
}

#[test]
fn every_jurisdiction_has_every_activity_in_both_languages() {
    let kb = kb();
    for j in kb.jurisdictions() {
        for activity in Activity::ALL {
            for lang in Lang::ALL {
                let note = kb.note(j.code(), activity, lang).unwrap();
                assert!(!note.text.trim().is_empty(), "{} {activity:?} {lang:?}", j.code());
                assert!(!note.jurisdiction.is_empty());
            }
            let en = j.note(activity).text(Lang::En);
            let zh = j.note(activity).text(Lang::ZhCn);
            assert_ne!(en, zh, "{} {activity:?}: zh-CN is a copy of en", j.code());
        }
    }
}

#[test]
fn english_prose_has_two_to_four_sentences_and_chinese_is_chinese() {
    let kb = kb();
    let mut texts: Vec<(String, &str, &str)> = Vec::new();
    for j in kb.jurisdictions() {
        for a in Activity::ALL {
            let n = j.note(a);
            texts.push((
                format!("{} {}", j.code(), a.as_str()),
                n.text(Lang::En),
                n.text(Lang::ZhCn),
            ));
        }
        let mut statements = vec![("tax", j.tax()), ("energy", j.energy())];
        statements.extend(j.records().map(|r| ("records", r)));
        for (what, s) in statements {
            texts.push((format!("{} {what}", j.code()), s.text(Lang::En), s.text(Lang::ZhCn)));
        }
    }
    for (where_, en, zh) in &texts {
        let n = count_sentences(en);
        assert!((2..=4).contains(&n), "{where_}: {n} sentences in en");
        assert!(zh.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "{where_}: zh-CN");
        assert!(!en.to_lowercase().contains("legal advice"), "{where_}: the UI says that once");
    }
}

#[test]
fn every_url_is_https_and_well_formed() {
    let kb = kb();
    let mut instruments: Vec<&Instrument> =
        kb.jurisdictions().flat_map(|j| j.instruments()).collect();
    for kind in TopicKind::ALL {
        let topic = kb.topics.get(kind.as_str()).unwrap();
        instruments.extend(topic.instruments());
    }
    assert!(instruments.len() > 60);
    for i in instruments {
        match i.url() {
            Some(url) => {
                assert!(url.starts_with("https://"), "{}: {url}", i.id());
                assert!(!url.chars().any(char::is_whitespace), "{}: {url}", i.id());
                let host = url["https://".len()..].split(['/', '?', '#']).next().unwrap();
                assert!(host.contains('.') && !host.is_empty(), "{}: {url}", i.id());
                check_url(url).unwrap();
            }
            None => assert!(i.url_note().is_some(), "{} has neither url nor url_note", i.id()),
        }
    }
}

#[test]
fn instrument_ids_are_unique_in_each_file() {
    let kb = kb();
    for j in kb.jurisdictions() {
        let ids: Vec<&str> = j.instruments().iter().map(|i| i.id()).collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(ids.len(), unique.len(), "{}", j.code());
    }
}

#[test]
fn confidence_is_never_stronger_than_the_sources_and_unconfirmed_says_so() {
    let kb = kb();
    for j in kb.jurisdictions() {
        for a in Activity::ALL {
            for lang in Lang::ALL {
                let n = kb.note(j.code(), a, lang).unwrap();
                let weakest = n.sources.iter().map(|s| s.confidence()).min();
                let weakest = weakest.unwrap_or(Confidence::Unconfirmed);
                assert!(n.confidence <= weakest, "{} {a:?}", j.code());
                assert_eq!(n.sources.len(), j.note(a).facts().len());
            }
            let note = j.note(a);
            if note.confidence() == Confidence::Unconfirmed {
                assert!(note.text(Lang::En).contains("not confirmed"), "{} {a:?}", j.code());
            }
        }
    }
}

#[test]
fn restricted_and_prohibited_need_acknowledgement() {
    let needs: Vec<Status> =
        Status::ALL.into_iter().filter(|s| s.requires_acknowledgement()).collect();
    assert_eq!(needs, [Status::Restricted, Status::Prohibited]);
    let kb = kb();
    let cn = kb.note("CN", Activity::PowMining, Lang::ZhCn).unwrap();
    assert_eq!(cn.status, Status::Prohibited);
    assert!(cn.status.requires_acknowledgement());
    assert!(cn.sources.iter().any(|s| s.id() == "CN-3"));
    let us = kb.note("US", Activity::PowMining, Lang::En).unwrap();
    assert!(!us.status.requires_acknowledgement());
}

#[test]
fn staleness_follows_the_review_interval() {
    let kb = kb();
    let note = kb.note("SG", Activity::Staking, Lang::En).unwrap();
    assert_eq!(note.last_reviewed(), date!(2026 - 11 - 24));
    assert_eq!(note.review.interval_days(), 180);
    assert!(note.version() >= 1);
    assert_eq!(note.review.due(), date!(2027 - 05 - 23));
    assert!(!note.is_stale(date!(2026 - 11 - 24)));
    assert!(!note.is_stale(date!(2027 - 05 - 23)));
    assert!(note.is_stale(date!(2027 - 05 - 24)));
}

#[test]
fn workplace_and_privacy_topics_are_there_in_both_languages() {
    let kb = kb();
    for lang in Lang::ALL {
        let work = kb.workplace(lang).unwrap();
        assert!(work.points.len() >= 4);
        assert!(work.points.iter().all(|p| !p.body.sources.is_empty()));
        assert!(!work.is_stale(date!(2026 - 12 - 01)));
        let privacy = kb.privacy_coins(lang).unwrap();
        assert!(privacy.points.iter().any(|p| p.body.sources.iter().any(|s| s.id() == "EU-4")));
    }
    let zh = kb.workplace(Lang::ZhCn).unwrap();
    assert!(zh.title.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)));
}

#[test]
fn tax_energy_and_records_resolve_their_sources() {
    let kb = kb();
    let tax = kb.tax("DE", Lang::En).unwrap();
    assert!(tax.text.contains("256"));
    assert!(tax.sources.iter().any(|s| s.id() == "DE-1"));
    assert!(kb.energy("CN", Lang::ZhCn).unwrap().sources.iter().any(|s| s.id() == "CN-E11"));
    assert!(kb.records("GB", Lang::En).is_some());
    assert!(kb.records("TR", Lang::En).is_none(), "no record-keeping facts for TR");
}
