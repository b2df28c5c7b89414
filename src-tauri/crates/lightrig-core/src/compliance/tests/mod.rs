//! Tests of the knowledge base: `data` checks the shipped files, `rejects` feeds broken files
//! built from a small valid fixture and checks the error names the field.

mod data;
mod rejects;

use crate::model::Activity;

/// A small valid jurisdiction file, `zz.toml`, optionally without one activity.
fn fixture_without(skip: Option<Activity>) -> String {
    let mut text = String::from(
        r#"schema = 1
code = "ZZ"
version = 1
last_reviewed = "2026-11-24"
review_interval_days = 180

[name]
en = "Testland"
zh-CN = "测试国"
"#,
    );
    for activity in Activity::ALL.into_iter().filter(|a| Some(*a) != skip) {
        text.push_str(&format!(
            r#"
[activity.{}]
status = "permitted"
confidence = "confirmed"
facts = ["ZZ-1"]
note.en = "It is allowed here. The tax office says how it is taxed."
note.zh-CN = "这里可以做。税务局说明了怎么纳税。"
"#,
            activity.as_str()
        ));
    }
    text.push_str(
        r#"
[tax]
confidence = "confirmed"
facts = ["ZZ-1"]
en = "Rewards are income when received. Keep records."
zh-CN = "奖励在收到时算收入。请保留记录。"

[energy]
confidence = "unconfirmed"
facts = []
en = "No energy rule was found. This is not confirmed."
zh-CN = "没有找到能源规定，尚未证实。"

[[instruments]]
id = "ZZ-1"
title = "Test guidance"
issuer = "Test tax office"
date = "2026-01-01"
url = "https://example.org/guidance"
confidence = "confirmed"
"#,
    );
    text
}

fn fixture() -> String {
    fixture_without(None)
}
