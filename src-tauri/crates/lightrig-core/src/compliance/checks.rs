//! Small checks on single values: URLs, fact ids, and the shape of the prose. Each returns the
//! reason a value is refused, for `validate` to wrap with the file, line and field.

/// Words an English note must contain when its confidence is `unconfirmed`.
pub(super) const UNCONFIRMED_EN: &str = "not confirmed";
/// A zh-CN note whose confidence is `unconfirmed` must say 未 followed closely by 证实 or
/// 确认 ("尚未证实", "尚未得到官方确认", "未经证实"...).
const UNCONFIRMED_ZH_WORDS: [&str; 2] = ["证实", "确认"];
/// How many characters may stand between 未 and 证实/确认 ("尚未得到官方确认" has four).
const UNCONFIRMED_ZH_GAP: usize = 6;

fn says_unconfirmed_zh(text: &str) -> bool {
    text.match_indices('未').any(|(i, _)| {
        let after: String = text[i..].chars().skip(1).take(UNCONFIRMED_ZH_GAP + 2).collect();
        UNCONFIRMED_ZH_WORDS.iter().any(|w| after.contains(w))
    })
}

/// A URL the UI may open: `https://`, a plausible host, no whitespace, no user info.
pub(super) fn check_url(url: &str) -> Result<(), String> {
    if url.chars().any(char::is_whitespace) {
        return Err("contains whitespace".into());
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("must start with https:// (plain http and other schemes are refused: \
                    put the address in `url_note` instead)"
            .into());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err("must not carry user info before the host".into());
    }
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if host.is_empty() {
        return Err("has no host".into());
    }
    if let Some(port) = port
        && (port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(format!("has a bad port `{port}`"));
    }
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if !labels_ok || !host.contains('.') {
        return Err(format!("has a malformed host `{host}`"));
    }
    Ok(())
}

/// A fact id as the fact base writes it: two capital letters, a dash, an optional capital
/// letter for a sub-table (E enforcement, C courts, N notes, S states, W workplace), digits.
/// `UK-3`, `CN-E11`, `US-W1`.
pub(super) fn check_fact_id(id: &str) -> Result<(), String> {
    let bad = || format!("`{id}` is not a fact id like `CN-3`, `CN-E11` or `US-W1`");
    let (prefix, rest) = id.split_once('-').ok_or_else(bad)?;
    if prefix.len() != 2 || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(bad());
    }
    let digits = rest.strip_prefix(|c: char| c.is_ascii_uppercase()).unwrap_or(rest);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    Ok(())
}

/// Counts sentences in English prose by their ending punctuation: a `.`, `!` or `?` followed
/// (after any closing quote or bracket) by whitespace or the end. Decimals such as `0.50` do
/// not count. Notes avoid abbreviations with a dot, so this stays exact.
pub(super) fn count_sentences(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut count = 0;
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j], '\'' | '"' | '’' | '”' | ')') {
            j += 1;
        }
        let next_is_terminator = chars.get(i + 1).is_some_and(|n| matches!(n, '.' | '!' | '?'));
        if !next_is_terminator && chars.get(j).is_none_or(|n| n.is_whitespace()) {
            count += 1;
        }
    }
    count
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

fn common(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("is empty".into());
    }
    if text.trim() != text {
        return Err("has leading or trailing whitespace".into());
    }
    if text.to_lowercase().contains("legal advice") {
        return Err("repeats the legal-advice disclaimer, which the UI shows once".into());
    }
    Ok(())
}

/// English prose of a note: `sentences` sentences, ending with its punctuation.
pub(super) fn check_en(
    text: &str,
    sentences: std::ops::RangeInclusive<usize>,
    unconfirmed: bool,
) -> Result<(), String> {
    common(text)?;
    let n = count_sentences(text);
    if !sentences.contains(&n) {
        return Err(format!(
            "has {n} sentences; write {} to {} plain sentences",
            sentences.start(),
            sentences.end()
        ));
    }
    if unconfirmed && !text.to_lowercase().contains(UNCONFIRMED_EN) {
        return Err(format!(
            "rests on unconfirmed facts, so it must say so plainly (include \"{UNCONFIRMED_EN}\")"
        ));
    }
    Ok(())
}

/// Simplified Chinese prose of a note: Chinese characters, ending with 。！？ (or a closing
/// quote after one).
pub(super) fn check_zh(text: &str, unconfirmed: bool) -> Result<(), String> {
    common(text)?;
    if !has_cjk(text) {
        return Err("has no Chinese characters".into());
    }
    let last = text.trim_end_matches(['”', '’', '」', '）']).chars().last();
    if !matches!(last, Some('。' | '！' | '？')) {
        return Err("must end with 。！ or ？".into());
    }
    if unconfirmed && !says_unconfirmed_zh(text) {
        return Err("rests on unconfirmed facts, so it must say so plainly (e.g. 尚未证实)".into());
    }
    Ok(())
}

/// A name, title or heading: one line, not empty; the zh-CN form has Chinese characters.
pub(super) fn check_label(text: &str, zh: bool) -> Result<(), String> {
    common(text)?;
    if text.contains('\n') {
        return Err("must be one line".into());
    }
    if zh && !has_cjk(text) {
        return Err("has no Chinese characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(check_url("https://www.irs.gov/pub/irs-drop/n-14-21.pdf").is_ok());
        assert!(check_url("https://example.org:8443/a?b=c#d").is_ok());
        assert!(check_url("http://www.pbc.gov.cn/en/index.html").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_url("https:///path").is_err());
        assert!(check_url("https://exa mple.org/").is_err());
        assert!(check_url("https://example.org/a b").is_err());
        assert!(check_url("https://user@example.org/").is_err());
        assert!(check_url("https://localhost/").is_err());
        assert!(check_url("https://-bad-.org/").is_err());
        assert!(check_url("ftp://example.org/").is_err());
    }

    #[test]
    fn fact_ids() {
        for ok in ["CN-3", "CN-E11", "US-W1", "UK-3", "US-S1"] {
            assert!(check_fact_id(ok).is_ok(), "{ok}");
        }
        for bad in ["CN3", "cn-3", "CN-", "CN-EE1", "CHN-1", "CN-3a", ""] {
            assert!(check_fact_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sentences_are_counted_by_their_end() {
        assert_eq!(count_sentences("One. Two! Three?"), 3);
        assert_eq!(count_sentences("A surcharge of 0.50 yuan applies."), 1);
        assert_eq!(count_sentences("He said 'stop.' Then left."), 2);
        assert_eq!(count_sentences("Wait... Then go."), 2);
        assert_eq!(count_sentences("No ending"), 0);
    }

    #[test]
    fn unconfirmed_prose_must_say_so() {
        assert!(check_en("It is allowed. Nothing more.", 2..=4, true).is_err());
        assert!(check_en("It is allowed. This is not confirmed.", 2..=4, true).is_ok());
        assert!(check_zh("可以挖矿。", true).is_err());
        assert!(check_zh("可以挖矿，但尚未证实。", true).is_ok());
        assert!(check_zh("这只是解读，尚未得到官方确认。", true).is_ok());
        assert!(check_zh("目前还不清楚具体情况，需要以后确认。", true).is_err());
        assert!(check_zh("Mining is fine.", false).is_err());
    }
}
