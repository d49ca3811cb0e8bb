//! A cell's outputs as nbformat models them: streams, display data and errors. The page
//! renders this model; consecutive text on the same stream merges into one output.

use std::collections::BTreeMap;

use super::protocol::{ErrorContent, StreamName, ToPage};

/// One output of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Printed text on one stream.
    Stream {
        /// Which stream.
        name: StreamName,
        /// All of its consecutive text.
        text: String,
    },
    /// A MIME bundle.
    DisplayData(BTreeMap<String, String>),
    /// The error that ended the run.
    Error(ErrorContent),
}

/// What adding a message did to the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The message was not an output.
    None,
    /// Text was added to the last output (index given).
    Extended(usize),
    /// A new output was added (index given).
    Added(usize),
    /// An output was replaced by an update of its display (index given).
    Replaced(usize),
}

/// The outputs of one cell run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    items: Vec<Output>,
    /// Which output each display id names.
    displays: litemap::LiteMap<String, usize>,
}

impl Outputs {
    /// The outputs so far.
    pub fn items(&self) -> &[Output] {
        &self.items
    }

    /// Forgets all outputs (a new run, or Clear outputs).
    pub fn clear(&mut self) {
        self.items.clear();
        self.displays.clear();
    }

    /// Adds what an output message carries.
    pub fn push(&mut self, body: &ToPage) -> Change {
        let output = match body {
            ToPage::Stream(stream) => {
                if let Some(Output::Stream { name, text }) = self.items.last_mut() {
                    if *name == stream.name {
                        text.push_str(&stream.text);
                        return Change::Extended(self.items.len() - 1);
                    }
                }
                Output::Stream { name: stream.name, text: stream.text.clone() }
            }
            ToPage::DisplayData(display) => {
                if let Some(id) = &display.display_id {
                    self.displays.insert(id.clone(), self.items.len());
                }
                Output::DisplayData(display.data.clone())
            }
            ToPage::UpdateDisplayData(update) => {
                let index = update.display_id.as_ref().and_then(|id| self.displays.get(id)).copied();
                return match index.and_then(|i| self.items.get_mut(i).map(|item| (i, item))) {
                    Some((i, item)) => {
                        *item = Output::DisplayData(update.data.clone());
                        Change::Replaced(i)
                    }
                    None => Change::None,
                };
            }
            ToPage::Error(error) => Output::Error(error.clone()),
            _ => return Change::None,
        };
        self.items.push(output);
        Change::Added(self.items.len() - 1)
    }

    /// All text a person would read, in order (streams, plain-text data, error lines).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for item in &self.items {
            match item {
                Output::Stream { text, .. } => out.push_str(text),
                Output::DisplayData(data) => {
                    out.push_str(data.get("text/plain").map_or("", String::as_str));
                    out.push('\n');
                }
                Output::Error(error) => {
                    for line in &error.traceback {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::protocol::{ExecutionState, Status, Stream};

    fn stream(name: StreamName, text: &str) -> ToPage {
        ToPage::Stream(Stream { name, text: text.into() })
    }

    #[test]
    fn merges_text_on_the_same_stream() {
        let mut o = Outputs::default();
        assert_eq!(o.push(&stream(StreamName::Stdout, "a\n")), Change::Added(0));
        assert_eq!(o.push(&stream(StreamName::Stdout, "b\n")), Change::Extended(0));
        assert_eq!(o.push(&stream(StreamName::Stderr, "c\n")), Change::Added(1));
        assert_eq!(o.push(&ToPage::Status(Status { execution_state: ExecutionState::Idle })), Change::None);
        assert_eq!(o.plain_text(), "a\nb\nc\n");
        o.clear();
        assert!(o.items().is_empty());
    }
}
