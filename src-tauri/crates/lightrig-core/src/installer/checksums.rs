//! Reads the SHA-256 of one file out of an upstream checksum list. Upstreams write these lists
//! in three shapes, all read here:
//! - coreutils `sha256sum`: `<hex>  name` or `<hex> *name` (XMRig `SHA256SUMS`, Monero
//!   `hashes.txt`, whose `#` lines are comments);
//! - BSD `shasum --tag`: `SHA256 (name) = <hex>`;
//! - blocks of `Name: name` followed by `SHA256: <hex>` (P2Pool `sha256sums.txt.asc`).

use super::types::Sha256Digest;

/// The digest listed for `name`. A name listed twice with different digests is an error: the
/// list is ambiguous and nothing should be trusted from it.
pub(crate) fn find(list: &str, name: &str) -> Result<Option<Sha256Digest>, String> {
    let mut found: Option<Sha256Digest> = None;
    let mut block_name: Option<String> = None;
    for raw in list.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let entry = if let Some(rest) = strip_key(line, "name:") {
            block_name = Some(rest.trim().to_owned());
            None
        } else if let Some(rest) =
            strip_key(line, "sha256:").or_else(|| strip_key(line, "sha-256:"))
        {
            block_name.take().map(|n| (rest.trim().to_owned(), n))
        } else if let Some(rest) = line.strip_prefix("SHA256 (") {
            rest.rsplit_once(") = ").map(|(n, hex)| (hex.trim().to_owned(), n.to_owned()))
        } else {
            line.split_once(char::is_whitespace).map(|(hex, n)| {
                let n = n.trim_start();
                (hex.to_owned(), n.strip_prefix('*').unwrap_or(n).to_owned())
            })
        };
        let Some((hex, listed)) = entry else { continue };
        if !same_file(&listed, name) {
            continue;
        }
        let Ok(digest) = hex.parse::<Sha256Digest>() else { continue };
        match found {
            Some(earlier) if earlier != digest => {
                return Err(format!("the list gives two different checksums for `{name}`"));
            }
            _ => found = Some(digest),
        }
    }
    Ok(found)
}

fn strip_key<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let head = line.get(..key.len())?;
    head.eq_ignore_ascii_case(key).then(|| &line[key.len()..])
}

/// Lists sometimes prefix names with `./` or a folder; the file name must match exactly.
fn same_file(listed: &str, name: &str) -> bool {
    let listed = listed.trim();
    listed == name || listed.rsplit(['/', '\\']).next() == Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const B: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    #[test]
    fn reads_the_three_list_shapes() {
        let gnu = format!("# comment\n{B}  other.tar.gz\n{A} *node-1.0-linux-x64.tar.gz\n");
        assert_eq!(find(&gnu, "node-1.0-linux-x64.tar.gz").unwrap().unwrap().to_string(), A);
        let bsd = format!("SHA256 (node.zip) = {}\n", A.to_uppercase());
        assert_eq!(find(&bsd, "node.zip").unwrap().unwrap().to_string(), A);
        let blocks = format!(
            "Name: other.zip\nSHA256: {B}\n\nName: node.zip\nSize: 12 bytes\nSHA256: {}\n",
            A.to_uppercase()
        );
        assert_eq!(find(&blocks, "node.zip").unwrap().unwrap().to_string(), A);
        let prefixed = format!("{A}  ./dist/node.zip\r\n");
        assert_eq!(find(&prefixed, "node.zip").unwrap().unwrap().to_string(), A);
    }

    #[test]
    fn missing_similar_and_conflicting_names() {
        let list = format!("{A}  node.zip.sig\n{A}  old-node.zip\n");
        assert_eq!(find(&list, "node.zip").unwrap(), None);
        let twice = format!("{A}  node.zip\n{B}  node.zip\n");
        assert!(find(&twice, "node.zip").is_err());
        let same_twice = format!("{A}  node.zip\n{A}  node.zip\n");
        assert!(find(&same_twice, "node.zip").unwrap().is_some());
    }
}
