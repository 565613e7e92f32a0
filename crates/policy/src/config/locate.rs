//! Finding where a field path (`cameras[0].zones[1].polygon`) is in the
//! text of a site file, so that errors found after parsing still name a
//! line and column.

use std::fmt;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(&'static str),
    Index(usize),
}

/// A field path from the document's root.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct FieldPath(pub(crate) Vec<Seg>);

impl FieldPath {
    pub(crate) fn key(&self, key: &'static str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(key));
        p
    }

    pub(crate) fn index(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Byte offset of the value at `path` in a TOML document.
pub(crate) fn toml_offset(text: &str, path: &FieldPath) -> Option<usize> {
    let root = toml::de::DeTable::parse(text).ok()?;
    let (first, rest) = path.0.split_first()?;
    let Seg::Key(first) = first else {
        return None;
    };
    let mut node = root.get_ref().get(*first)?;
    for seg in rest {
        node = match seg {
            Seg::Key(k) => node.get_ref().get(*k)?,
            Seg::Index(i) => node.get_ref().get(*i)?,
        };
    }
    Some(node.span().start)
}

/// Byte offset of the value at `path` in a JSON document.
pub(crate) fn json_offset(text: &str, path: &FieldPath) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    for seg in &path.0 {
        match seg {
            Seg::Key(key) => {
                if bytes.get(pos) != Some(&b'{') {
                    return None;
                }
                pos = skip_ws(bytes, pos + 1);
                loop {
                    let end = skip_string(bytes, pos)?;
                    let name: String = serde_json::from_str(text.get(pos..end)?).ok()?;
                    pos = skip_ws(bytes, end);
                    if bytes.get(pos) != Some(&b':') {
                        return None;
                    }
                    pos = skip_ws(bytes, pos + 1);
                    if name == *key {
                        break;
                    }
                    pos = skip_ws(bytes, skip_value(bytes, pos)?);
                    match bytes.get(pos) {
                        Some(b',') => pos = skip_ws(bytes, pos + 1),
                        _ => return None,
                    }
                }
            }
            Seg::Index(index) => {
                if bytes.get(pos) != Some(&b'[') {
                    return None;
                }
                pos = skip_ws(bytes, pos + 1);
                for _ in 0..*index {
                    pos = skip_ws(bytes, skip_value(bytes, pos)?);
                    match bytes.get(pos) {
                        Some(b',') => pos = skip_ws(bytes, pos + 1),
                        _ => return None,
                    }
                }
            }
        }
    }
    Some(pos)
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
        pos += 1;
    }
    pos
}

/// The offset just past the string starting at `pos`.
fn skip_string(bytes: &[u8], pos: usize) -> Option<usize> {
    if bytes.get(pos) != Some(&b'"') {
        return None;
    }
    let mut i = pos + 1;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The offset just past the value starting at `pos`.
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => skip_string(bytes, pos),
        b'{' | b'[' => {
            let mut depth = 0_usize;
            let mut i = pos;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = pos;
            while bytes
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> FieldPath {
        FieldPath::default()
            .key("cameras")
            .index(1)
            .key("zones")
            .index(0)
            .key("polygon")
    }

    #[test]
    fn display() {
        assert_eq!(path().to_string(), "cameras[1].zones[0].polygon");
    }

    #[test]
    fn finds_toml_values() {
        let text = "[site]\nname = \"x\"\n\n[[cameras]]\nid = \"a\"\n\n[[cameras]]\nid = \"b\"\n\
                    [[cameras.zones]]\nname = \"z\"\npolygon = [[0.1, 0.2]]\n";
        let off = toml_offset(text, &path()).unwrap();
        assert_eq!(line_column(text, off), (11, 11));
    }

    #[test]
    fn finds_json_values() {
        let text = r#"{"site": {"name": "x"},
 "cameras": [{"id": "a", "zones": [{"name": "q", "polygon": [[0,0]]}]},
  {"id": "b\"", "zones": [
    {"name": "z", "polygon": [[0.1, 0.2]]}]}]}"#;
        let off = json_offset(text, &path()).unwrap();
        assert_eq!(line_column(text, off), (4, 30));
        assert_eq!(json_offset(text, &FieldPath::default().key("nope")), None);
    }
}
