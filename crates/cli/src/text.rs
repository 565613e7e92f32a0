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

/// Writes `text` and a newline to stdout. A reader that has gone away
/// (`sladd … | head`) is not an error: the run's own exit code stands.
///
/// # Errors
/// Exit 4 when stdout cannot be written for another reason.
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let result = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(crate::exit::Failure {
                exit: crate::exit::Exit::Output,
                message: format!("cannot write to stdout: {e}"),
            }))
        }
        _ => Ok(()),
    }
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
