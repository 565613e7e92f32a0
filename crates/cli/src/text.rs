//! Small helpers for human-readable terminal output.

/// `text` wrapped to lines of at most `width` characters, each line after
/// the first starting with `indent`.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            out.push_str(indent);
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

/// Writes `text` to stdout. A closed pipe (`sladd check | head`) is not an
/// error; any other write failure is.
pub(crate) fn emit(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes `text` and a newline to stdout, as [`emit`]: a reader that has
/// gone away (`sladd … | head`) is not an error, the run's own exit code
/// stands.
///
/// # Errors
/// Exit 4 when stdout cannot be written for another reason.
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    emit(&format!("{text}\n")).map_err(|e| {
        anyhow::Error::new(crate::exit::Failure {
            exit: crate::exit::Exit::Output,
            message: format!("cannot write to stdout: {e}"),
        })
    })
}

/// An error and its causes, `: `-separated; a cause whose text the message
/// already holds is not repeated.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("aa bb cc dd", 5, "> "), "aa bb\n> cc dd");
        assert_eq!(wrap("short", 80, ""), "short");
        assert_eq!(wrap("", 80, ""), "");
    }
}
