//! Human output that fits: wrapped to the terminal's width (`COLUMNS`, else the
//! terminal's, else 80), coloured only when asked or on a terminal (`--color`,
//! `NO_COLOR`), and shown through a pager when long on a terminal, as git does.

use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

use clap::ValueEnum;

use super::common::Style;

/// Width when neither `COLUMNS` nor a terminal says.
const DEFAULT_WIDTH: usize = 80;
/// Narrowest width wrapped to: narrower terminals get lines this long.
const NARROWEST: usize = 40;

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour what goes to standard output.
    pub fn for_stdout(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }

    /// Whether to colour what goes to standard error (logs).
    pub fn for_stderr(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// How human output is shown: its width, its colours, and whether a long one
/// may go through a pager.
pub struct Ui {
    /// Columns a line may use.
    pub width: usize,
    /// Colours, or none.
    pub style: Style,
    /// Whether long output on a terminal may go through a pager.
    pub pager: bool,
}

impl Ui {
    /// The output of a run asking for `color`, with or without a pager.
    pub fn new(color: ColorChoice, pager: bool) -> Ui {
        Ui {
            width: width(),
            style: Style::new(color.for_stdout()),
            pager,
        }
    }

    /// Characters of rationale a hit shows: three lines of the width.
    pub fn snippet_chars(&self) -> usize {
        3 * (self.width - 2)
    }
}

/// How wide human output may be: `COLUMNS` when set, else the terminal's width,
/// else 80.
pub fn width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    let from_terminal = || {
        terminal_size::terminal_size_of(std::io::stdout())
            .map(|(terminal_size::Width(w), _)| usize::from(w))
    };
    from_env
        .or_else(from_terminal)
        .unwrap_or(DEFAULT_WIDTH)
        .max(NARROWEST)
}

/// `text` wrapped to `width`, its first line starting with `first` and the others
/// with `rest`; words longer than a line (paths) are broken.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(true);
    textwrap::fill(text, options)
}

/// Output gathered before it is shown: written straight out, or through a pager
/// when it is long and standard output is a terminal.
#[derive(Default)]
pub struct Paged {
    text: String,
}

impl Paged {
    /// Adds text as it is.
    pub fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Adds a line.
    pub fn line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    /// Shows the output: through `$PAGER` (else `less -FRX`) when `pager` is
    /// allowed, standard output is a terminal and the text is taller than it.
    pub fn show(self, pager: bool) -> std::io::Result<()> {
        if pager && self.is_taller_than_terminal() {
            if let Some(result) = self.through_pager() {
                return result;
            }
        }
        let mut out = std::io::stdout().lock();
        out.write_all(self.text.as_bytes())?;
        out.flush()
    }

    fn is_taller_than_terminal(&self) -> bool {
        if !std::io::stdout().is_terminal() {
            return false;
        }
        let height = terminal_size::terminal_size_of(std::io::stdout())
            .map_or(24, |(_, terminal_size::Height(h))| usize::from(h));
        self.text.lines().count() >= height
    }

    /// Pipes the text into the pager; none when no pager could be started.
    fn through_pager(&self) -> Option<std::io::Result<()>> {
        let pager = std::env::var("PAGER")
            .ok()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| "less".into());
        let mut words = pager.split_whitespace();
        let program = words.next()?;
        let mut command = Command::new(program);
        command.args(words).stdin(Stdio::piped());
        if program == "less" && std::env::var_os("LESS").is_none() {
            // Quit if one screen, keep colours, leave the text on the screen.
            command.env("LESS", "FRX");
        }
        let mut child = command.spawn().ok()?;
        let written = child
            .stdin
            .take()
            .map(|mut stdin| stdin.write_all(self.text.as_bytes()));
        let waited = child.wait();
        Some(match (written, waited) {
            // The reader quitting early is not an error.
            (Some(Err(e)), _) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            (Some(Err(e)), _) => Err(e),
            (_, Err(e)) => Err(e),
            _ => Ok(()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_their_indents() {
        let text = "a rationale long enough to need several lines at this narrow width, \
                    with /a/very/long/path/that/cannot/fit/on/one/line/of/forty/columns";
        let wrapped = wrap(text, 40, "  ", "    ");
        for line in wrapped.lines() {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
        assert!(wrapped.starts_with("  a rationale"));
        assert!(wrapped.lines().nth(1).unwrap().starts_with("    "));
    }
}
