//! Parsing a site file's text into the raw model, with errors that name the
//! file, line, column and field path.

use std::path::Path;

use super::locate::{json_offset, line_column, toml_offset, FieldPath};
use super::raw::RawConfig;
use crate::error::{Error, InvalidReason, Location, Result};

/// The two site file formats; the same model reads both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML (`.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// The format a file's extension names.
    ///
    /// # Errors
    /// [`Error::UnknownFormat`] for any other extension.
    pub fn from_path(path: &Path) -> Result<Self> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("toml") => Ok(Self::Toml),
            Some("json") => Ok(Self::Json),
            _ => Err(Error::UnknownFormat {
                path: path.to_owned(),
            }),
        }
    }
}

/// Parses `text` (in `format`, from a file called `file`) into the raw
/// model. Nothing beyond its shape is checked.
///
/// # Errors
/// [`Error::Syntax`] naming the file, line, column and field of the first
/// problem: bad syntax, an unknown field, a bad enum value, a missing or
/// mistyped field.
pub fn parse(text: &str, format: Format, file: &str) -> Result<RawConfig> {
    match format {
        Format::Toml => parse_toml(text, file),
        Format::Json => parse_json(text, file),
    }
}

fn location(text: &str, file: &str, offset: Option<usize>) -> Location {
    let (line, column) = match offset.map(|o| line_column(text, o)) {
        Some((l, c)) => (Some(l), Some(c)),
        None => (None, None),
    };
    Location {
        file: file.to_owned(),
        line,
        column,
    }
}

fn parse_toml(text: &str, file: &str) -> Result<RawConfig> {
    let syntax = |e: &toml::de::Error, field: String| Error::Syntax {
        location: location(text, file, e.span().map(|s| s.start)),
        field,
        message: e.message().trim_end().to_owned(),
    };
    let deserializer = toml::Deserializer::parse(text).map_err(|e| syntax(&e, String::new()))?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let field = clean_path(&e.path().to_string());
        syntax(e.inner(), field)
    })
}

fn parse_json(text: &str, file: &str) -> Result<RawConfig> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let raw: RawConfig = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let field = clean_path(&e.path().to_string());
        let inner = e.inner();
        let message = inner.to_string();
        // serde_json appends " at line L column C"; the location says that.
        let message = match message.rfind(" at line ") {
            Some(i) => message.get(..i).unwrap_or(&message).to_owned(),
            None => message,
        };
        Error::Syntax {
            location: Location {
                file: file.to_owned(),
                line: Some(inner.line()).filter(|l| *l > 0),
                column: Some(inner.column()).filter(|_| inner.line() > 0),
            },
            field,
            message,
        }
    })?;
    deserializer.end().map_err(|e| Error::Syntax {
        location: Location {
            file: file.to_owned(),
            line: Some(e.line()),
            column: Some(e.column()),
        },
        field: String::new(),
        message: "trailing characters after the JSON document".to_owned(),
    })?;
    Ok(raw)
}

fn clean_path(path: &str) -> String {
    if path == "." {
        String::new()
    } else {
        path.to_owned()
    }
}

/// A semantic error at `path`, located in the text when the path can be
/// found there.
pub(crate) fn invalid_at(
    text: &str,
    format: Format,
    file: &str,
    path: &FieldPath,
    reason: InvalidReason,
) -> Error {
    let offset = match format {
        Format::Toml => toml_offset(text, path),
        Format::Json => json_offset(text, path),
    };
    Error::Invalid {
        location: location(text, file, offset),
        field: path.to_string(),
        reason: Box::new(reason),
    }
}
