//! Monero's base58, the block variant.
//!
//! Bitcoin's base58 treats the whole input as one big number; Monero instead cuts the bytes into
//! 8-byte blocks and encodes each into exactly 11 characters (a shorter last block of `n` bytes
//! into `ENCODED_SIZES[n]` characters). Every address of one kind therefore has the same length,
//! and decoding is strict: a character outside the alphabet, a last block whose length no byte
//! count produces, and a block whose value does not fit its bytes are three distinct errors.
//!
//! Written here rather than taken from `base58-monero` so that every error carries the
//! character position the user-facing message needs; the codec is small and is checked against
//! Monero's own block test vectors and a published address.

use thiserror::Error;

/// The alphabet leaves out `0`, `O`, `I` and `l`, which look alike.
const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const FULL_BLOCK: usize = 8;
const FULL_ENCODED: usize = 11;
/// Characters used for a block of `n` bytes, for `n` in `0..=8`.
const ENCODED_SIZES: [usize; FULL_BLOCK + 1] = [0, 2, 3, 5, 6, 7, 9, 10, 11];
const NOT_A_DIGIT: u8 = u8::MAX;

/// ASCII → digit value, `NOT_A_DIGIT` elsewhere; built at compile time from the alphabet.
const DIGITS: [u8; 128] = {
    let mut table = [NOT_A_DIGIT; 128];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Why a string is not valid Monero base58. Positions count characters from 1, as a user would.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Base58Error {
    #[error("character {ch:?} at position {position} is not in the base58 alphabet")]
    InvalidChar { ch: char, position: usize },
    #[error("the last block has {len} characters, a length no number of bytes encodes to")]
    BlockLength { len: usize },
    #[error("the block starting at position {position} holds a value too large for its bytes")]
    Overflow { position: usize },
}

/// The digit value of `ch`, or `None` when it is not in the alphabet.
pub fn digit(ch: char) -> Option<u8> {
    let value = *DIGITS.get(usize::try_from(u32::from(ch)).ok()?)?;
    (value != NOT_A_DIGIT).then_some(value)
}

/// Encodes bytes with Monero's block base58. Total: every byte string has an encoding.
pub fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(FULL_BLOCK) * FULL_ENCODED);
    for block in data.chunks(FULL_BLOCK) {
        let mut value = block.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let width = ENCODED_SIZES[block.len()];
        let mut chars = [ALPHABET[0]; FULL_ENCODED];
        for slot in chars[..width].iter_mut().rev() {
            // `value % 58` is always below 58, so the index is in bounds.
            *slot = ALPHABET[(value % 58) as usize];
            value /= 58;
        }
        out.extend(chars[..width].iter().map(|&b| char::from(b)));
    }
    out
}

/// Decodes Monero block base58, strictly.
pub fn decode(text: &str) -> Result<Vec<u8>, Base58Error> {
    // Check the alphabet first, by character, so a non-ASCII character is reported as itself
    // and at the position the user sees; after this the text is pure ASCII.
    let mut digits = Vec::with_capacity(text.len());
    for (index, ch) in text.chars().enumerate() {
        match digit(ch) {
            Some(d) => digits.push(d),
            None => return Err(Base58Error::InvalidChar { ch, position: index + 1 }),
        }
    }
    let last_len = digits.len() % FULL_ENCODED;
    let last_bytes = ENCODED_SIZES
        .iter()
        .position(|&width| width == last_len)
        .ok_or(Base58Error::BlockLength { len: last_len })?;

    let mut out = Vec::with_capacity(digits.len() / FULL_ENCODED * FULL_BLOCK + last_bytes);
    for (index, block) in digits.chunks(FULL_ENCODED).enumerate() {
        let size = if block.len() == FULL_ENCODED { FULL_BLOCK } else { last_bytes };
        let bytes = decode_block(block, size)
            .ok_or(Base58Error::Overflow { position: index * FULL_ENCODED + 1 })?;
        out.extend_from_slice(&bytes[FULL_BLOCK - size..]);
    }
    Ok(out)
}

/// One block of digits → its value as 8 big-endian bytes, or `None` when the value does not
/// fit in `size` bytes (e.g. "zz" is 3363, more than one byte can hold).
fn decode_block(block: &[u8], size: usize) -> Option<[u8; FULL_BLOCK]> {
    // 58^11 < 2^65, so an 11-digit block always fits in a u128.
    let value = block.iter().fold(0u128, |acc, &d| acc * 58 + u128::from(d));
    if value >> (8 * size) != 0 {
        return None;
    }
    Some(u64::try_from(value).ok()?.to_be_bytes())
}
