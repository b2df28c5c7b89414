//! Broken files are refused, and the error names the file, the field and (where a span exists)
//! the line.

use super::super::*;
use super::{fixture, fixture_without};

fn reject(text: &str) -> KbError {
    match KnowledgeBase::parse_file("zz.toml", text) {
        Ok(_) => panic!("accepted a broken file:\n{text}"),
        Err(e) => e,
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    let offset = text.find(needle).unwrap();
    text[..offset].matches('\n').count() + 1
}

#[test]
fn the_fixture_is_valid() {
    let file = KnowledgeBase::parse_file("zz.toml", &fixture()).unwrap();
    let KbFile::Jurisdiction(j) = file else { panic!("not a jurisdiction") };
    assert_eq!(j.code(), "ZZ");
    assert_eq!(j.note(Activity::Compute).status(), Status::Permitted);
}

#[test]
fn unknown_key_is_named_with_its_line() {
    let text = fixture().replacen(
        "confidence = \"confirmed\"\n",
        "confidence = \"confirmed\"\nsource = \"x\"\n",
        1,
    );
    let err = reject(&text);
    assert!(matches!(err, KbError::Parse { .. }), "{err}");
    assert!(err.to_string().contains("source"), "{err}");
    assert_eq!(err.field(), "activity.pow-mining.source");
    assert_eq!(err.line(), Some(line_of(&text, "source = ")));
    assert_eq!(err.file(), "zz.toml");
}

#[test]
fn bad_status_is_named() {
    let text = fixture().replacen("status = \"permitted\"", "status = \"allowed\"", 1);
    let err = reject(&text);
    assert_eq!(err.field(), "activity.pow-mining.status", "{err}");
    assert!(err.to_string().contains("allowed"), "{err}");
    assert!(err.to_string().contains("permitted-with-licence"), "lists the known values: {err}");
    assert!(err.line().is_some());
}

#[test]
fn http_url_is_refused() {
    let text = fixture().replace("https://example.org/guidance", "http://example.org/guidance");
    let err = reject(&text);
    assert_eq!(err.field(), "instruments[0].url", "{err}");
    assert!(err.to_string().contains("https://"), "{err}");
    assert_eq!(err.line(), Some(line_of(&text, "http://")));
}

#[test]
fn malformed_urls_are_refused() {
    for bad in ["https://", "https:///x", "https://exa mple.org/", "ftp://example.org/"] {
        let text = fixture().replace("https://example.org/guidance", bad);
        assert_eq!(reject(&text).field(), "instruments[0].url", "{bad}");
    }
}

#[test]
fn missing_activity_is_named() {
    let err = reject(&fixture_without(Some(Activity::Compute)));
    assert_eq!(err.field(), "activity.compute", "{err}");
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn unknown_activity_is_named() {
    let text = fixture().replace("[activity.staking]", "[activity.stacking]");
    let err = reject(&text);
    assert_eq!(err.field(), "activity.stacking", "{err}");
    assert_eq!(err.line(), Some(line_of(&text, "[activity.stacking]")));
}

#[test]
fn missing_language_is_refused() {
    let text = fixture().replacen("note.zh-CN = \"这里可以做。税务局说明了怎么纳税。\"\n", "", 1);
    let err = reject(&text);
    assert!(err.to_string().contains("zh-CN"), "{err}");
}

#[test]
fn confidence_stronger_than_the_facts_is_refused() {
    let text = fixture().replace(
        "confidence = \"unconfirmed\"\nfacts = []",
        "confidence = \"confirmed\"\nfacts = []",
    );
    let err = reject(&text);
    assert_eq!(err.field(), "energy.confidence", "{err}");
}

#[test]
fn unconfirmed_prose_must_say_so() {
    let text = fixture().replace("This is not confirmed.", "This is certain.");
    assert_eq!(reject(&text).field(), "energy.en");
    let text = fixture().replace("没有找到能源规定，尚未证实。", "没有找到能源规定。");
    assert_eq!(reject(&text).field(), "energy.zh-CN");
}

#[test]
fn sentence_count_is_enforced() {
    let one = fixture().replacen(
        "It is allowed here. The tax office says how it is taxed.",
        "It is allowed here.",
        1,
    );
    assert_eq!(reject(&one).field(), "activity.pow-mining.note.en");
    let five = fixture().replacen(
        "It is allowed here. The tax office says how it is taxed.",
        "One. Two. Three. Four. Five.",
        1,
    );
    assert!(reject(&five).to_string().contains("5 sentences"));
}

#[test]
fn facts_must_be_listed_instruments_and_instruments_must_be_cited() {
    let text = fixture().replacen("facts = [\"ZZ-1\"]", "facts = [\"ZZ-9\"]", 1);
    let err = reject(&text);
    assert_eq!(err.field(), "activity.pow-mining.facts", "{err}");
    assert!(err.to_string().contains("ZZ-9"));
    let orphan = format!(
        "{}\n[[instruments]]\nid = \"ZZ-2\"\ntitle = \"t\"\nissuer = \"i\"\ndate = \"2020\"\n\
         url_note = \"none\"\nconfidence = \"secondary\"\n",
        fixture()
    );
    let err = reject(&orphan);
    assert_eq!(err.field(), "instruments", "{err}");
    assert!(err.to_string().contains("ZZ-2"));
}

#[test]
fn duplicate_instrument_id_is_refused() {
    let text = format!(
        "{}\n[[instruments]]\nid = \"ZZ-1\"\ntitle = \"t\"\nissuer = \"i\"\ndate = \"2020\"\n\
         url_note = \"none\"\nconfidence = \"secondary\"\n",
        fixture()
    );
    assert_eq!(reject(&text).field(), "instruments[1].id");
}

#[test]
fn code_must_match_file_name_and_dates_must_parse() {
    let err = KnowledgeBase::parse_file("zy.toml", &fixture()).unwrap_err();
    assert_eq!(err.field(), "code", "{err}");
    let text = fixture().replace("2026-11-24", "2026-13-01");
    assert_eq!(reject(&text).field(), "last_reviewed");
    let text = fixture().replace("schema = 1", "schema = 2");
    assert_eq!(reject(&text).field(), "schema");
}

#[test]
fn conflicting_instruments_across_files_are_refused() {
    let a = fixture();
    let b = fixture()
        .replace("code = \"ZZ\"", "code = \"ZY\"")
        .replace("https://example.org/guidance", "https://example.org/other");
    let err =
        KnowledgeBase::from_files([("zz.toml", a.as_str()), ("zy.toml", b.as_str())]).unwrap_err();
    assert!(matches!(err, KbError::Conflict { .. }), "{err}");
    assert_eq!(err.field(), "instruments.ZZ-1");
    let same = fixture().replace("code = \"ZZ\"", "code = \"ZY\"");
    let kb = KnowledgeBase::from_files([("zz.toml", a.as_str()), ("zy.toml", same.as_str())]);
    assert_eq!(kb.unwrap().jurisdictions().count(), 2);
}
