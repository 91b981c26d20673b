//! Renders statements for all three dialects side by side, for snapshots.
#![allow(dead_code)]

use orm_core::{Backend, Result, Statement};

/// The backends snapshots cover, with their labels.
pub const BACKENDS: [(&str, Backend); 3] = [
    ("postgres", Backend::POSTGRES),
    ("mysql   ", Backend::MYSQL),
    ("sqlite  ", Backend::SQLITE),
];

/// Renders with every backend and formats the three results side by side.
pub fn all3(f: impl Fn(&Backend) -> Result<Statement>) -> String {
    let mut out = String::new();
    for (name, b) in BACKENDS {
        match f(&b) {
            Ok(st) => {
                out.push_str(&format!("{name}: {}\n", st.sql));
                if !st.params.is_empty() {
                    out.push_str(&format!("          {:?}\n", st.params));
                }
            }
            Err(e) => out.push_str(&format!("{name}: ERROR {e}\n")),
        }
    }
    out
}

/// Labelled statements, each rendered for all three dialects, collected into one snapshot.
#[derive(Default)]
pub struct Cases(String);

impl Cases {
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a labelled statement.
    pub fn case(&mut self, label: &str, f: impl Fn(&Backend) -> Result<Statement>) -> &mut Self {
        self.0.push_str(&format!("-- {label}\n"));
        self.0.push_str(&all3(f));
        self
    }
    /// The snapshot text.
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.0)
    }
}
