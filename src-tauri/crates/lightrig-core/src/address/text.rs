//! Checks every address gets before its chain's rules: not empty, not absurdly long, and no
//! whitespace, control or invisible characters.
//!
//! Nothing is trimmed silently. A pasted address with a trailing newline or a zero-width space
//! is a common user error, and a silent fix would hide that the clipboard held something else;
//! the user sees exactly which character is wrong and where.

use super::error::{AddressError, Edge};

/// Longest input accepted, in characters. Real addresses are at most 106.
pub const MAX_LEN: usize = 256;

/// Runs the chain-independent checks.
pub(crate) fn check_text(text: &str) -> Result<(), AddressError> {
    if text.chars().all(char::is_whitespace) {
        return Err(AddressError::Empty);
    }
    let len = text.chars().count();
    if len > MAX_LEN {
        return Err(AddressError::TooLong { len });
    }
    if let Some(first) = text.chars().next().filter(|c| c.is_whitespace()) {
        return Err(AddressError::SurroundingWhitespace { at: Edge::Start, what: describe(first) });
    }
    if let Some(last) = text.chars().next_back().filter(|c| c.is_whitespace()) {
        return Err(AddressError::SurroundingWhitespace { at: Edge::End, what: describe(last) });
    }
    for (index, ch) in text.chars().enumerate() {
        let position = index + 1;
        if let Some(name) = hidden_name(ch) {
            return Err(AddressError::HiddenCharacter { position, ch, name });
        }
        if ch.is_whitespace() {
            return Err(AddressError::InnerWhitespace { position, what: describe(ch) });
        }
        if ch.is_control() {
            return Err(AddressError::ControlCharacter { position, ch });
        }
    }
    Ok(())
}

/// A whitespace character in words.
fn describe(ch: char) -> &'static str {
    match ch {
        ' ' => "a space",
        '\t' => "a tab",
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => "a line break",
        '\u{a0}' | '\u{202f}' => "a non-breaking space",
        _ => "a space character",
    }
}

/// Names the invisible formatting characters that ride along with copied text: zero-width
/// characters, direction marks and overrides (which can also make text display in a different
/// order than it is stored), and a few other characters no font draws.
fn hidden_name(ch: char) -> Option<&'static str> {
    Some(match ch {
        '\u{ad}' => "soft hyphen",
        '\u{34f}' => "combining grapheme joiner",
        '\u{61c}' | '\u{200e}' | '\u{200f}' => "text direction mark",
        '\u{180e}' => "Mongolian vowel separator",
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "text direction control",
        '\u{2060}' => "word joiner",
        '\u{2061}'..='\u{2064}' => "invisible operator",
        '\u{feff}' => "zero-width no-break space",
        '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}' => "variation selector",
        '\u{e0000}'..='\u{e007f}' => "tag character",
        _ => return None,
    })
}
